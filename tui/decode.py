"""File bytes -> text, or the one-line reason why a file is not text.

Order, chosen by measurement (see ``bench/encodings.py``): a BOM decides;
binary data is refused; strict UTF-8 wins when it works; UTF-8 with a few
invalid bytes stays UTF-8 with replacement marks; Chinese, Japanese or
Korean text is read in the double-byte encoding it decodes in (bar a bad
byte or a cut last character, which are reported); anything else is a
legacy single-byte encoding chosen by how well its letters fit one
language (Western and central European, Cyrillic in cp1251 or KOI8, Greek,
Turkish, Baltic, Hebrew, Arabic), and called uncertain when another reading
comes close. On short real-text samples this names 99.9% of cp1252 and 98.8%
of cp1250 files right, where charset-normalizer alone manages 51% and 83%;
charset-normalizer only chooses between double-byte readings, where it knows
each language's characters. The encoding is reported by its IANA name in lower
case (``encoding_name``): ``windows-1252``, ``koi8-r``, ``utf-16le``.
"""

from __future__ import annotations

import codecs
import functools
import math
import re
from collections import Counter
from dataclasses import dataclass


class NotText(Exception):
    """The file is not readable text; ``str(exc)`` is a one-line reason."""

    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason


@dataclass(frozen=True)
class Decoded:
    """Text with "\\n" line ends, the encoding it was read with, and what went wrong."""

    text: str
    encoding: str
    problems: tuple[str, ...] = ()


_SIGNATURES = (
    (b"\x89PNG\r\n\x1a\n", "PNG image"),
    (b"\xff\xd8\xff", "JPEG image"),
    (b"GIF87a", "GIF image"),
    (b"GIF89a", "GIF image"),
    (b"%PDF-", "PDF document"),
    (b"PK\x03\x04", "ZIP archive"),
    (b"PK\x05\x06", "ZIP archive"),
    (b"\x1f\x8b", "gzip data"),
    (b"\xfd7zXZ\x00", "xz data"),
    (b"(\xb5/\xfd", "zstd data"),
    (b"7z\xbc\xaf\x27\x1c", "7z archive"),
    (b"\x7fELF", "executable"),
    (b"SQLite format 3\x00", "SQLite database"),
    (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1", "Office document"),
)

# UTF-32 LE before UTF-16 LE: its BOM starts with the UTF-16 LE one.
_BOMS = (
    (b"\xef\xbb\xbf", "utf-8"),
    (b"\xff\xfe\x00\x00", "utf-32-le"),
    (b"\x00\x00\xfe\xff", "utf-32-be"),
    (b"\xff\xfe", "utf-16-le"),
    (b"\xfe\xff", "utf-16-be"),
)

_SIGNATURE_STARTS = tuple(signature for signature, _ in _SIGNATURES)
_BOM_STARTS = tuple(bom for bom, _ in _BOMS)

_NUL_WINDOW = 8000  # NULs in the first 8000 bytes mean binary, as for git and grep...
_NUL_SHARE = 1000  # ...unless they are at most one byte in this many: stray NULs in text
_SAMPLE = 1 << 16  # characters checked for a high share of control characters
_MAX_CONTROL_SHARE = 0.1
# C0 controls that text files do carry: tab, LF, VT, FF, CR, ESC (ANSI colours), ^Z (DOS EOF).
# In UTF-8 a byte below 0x80 is always that ASCII character: counted in bytes, 5x faster.
_BINARY_CONTROLS = bytes([*range(0x00, 0x09), *range(0x0E, 0x1A), *range(0x1C, 0x20)])
_ASCII = bytes(range(0x80))
_FIRST_HIGH = re.compile(rb"[\x80-\xff]")
_LEGACY_SAMPLE = 1 << 18  # bytes, from the first non-ASCII one, that choose a legacy encoding

# Letters each language writes beyond ASCII, most frequent first. A right
# decoding fits one language with its common letters; a wrong one scatters
# its characters over several languages, rare letters or symbols.
_LATIN = (
    "üäßö",  # de
    "éàèêçâôîùûëïœüÿæ",  # fr
    "èàùòìéóíúî",  # it
    "óíáéñúü¡¿ºª",  # es
    "ãçéáíóõêúâàôºª",  # pt
    "ëéïöèüáóíú",  # nl
    "äöåé",  # sv fi
    "øåæé",  # da no
    "áðíóéúæöýþ",  # is
    "éàèòçíóúïü·",  # ca
    "łęąóżśćńź",  # pl
    "íěéýřáčžšůúňťďó",  # cs
    "áíéýžčšôúľťňďäóŕĺ",  # sk
    "éáőöóíüúű",  # hu
    "čšžćđ",  # sl hr bs
    "ăîșțâşţ",  # ro
)
_CYRILLIC = (
    "оеаинтсрвлкмдпугяызбйьчхжцшщэюфъё",  # ru
    "оаніирвтесклудмпзяьбгйчхцїшжєющфґ",  # uk
    "аиоентрсвлкдпмзгяъубчцйжщхшфю",  # bg
    "аиоенрсуткјвдмплгзбцшчњћжљхђфџќѓѕ",  # sr mk
)
_GREEK = ("αοιετσνηυρπκμλωδγχθφβξζψάέήίόύώςϊϋΐΰ",)  # el
_TURKISH = ("ışüçğöİâî",)  # tr
_BALTIC = (
    "ėšųąįūžčę",  # lt
    "āīēšūņļķžčģ",  # lv
    "äõüöšž",  # et
)
# Hebrew and Arabic have no case; their own punctuation and marks come last.
_HEBREW = ("יוהלמארבתשנםעדכחקפןסגזצטךץף״׳",)  # he
_ARABIC = ("اليمونهرتبةعدفكسقأحجىإشطصخذزثضءغظآئؤـ،؟؛",)  # ar
# Typography any language uses; fractions, superscripts and ± are left out
# because they are what central European letters turn into when misread.
_COMMON = "\xa0\xad€–—“”„‘’‚«»‹›…•·°§©®™£¢¥₪×"
# Non-letters that may sit between two letters of a word.
_IN_WORD = "’‘·\xad"


_TYPOGRAPHY_LOGP = math.log(0.05)
# Share of a cased script's letters written in upper case: a Cyrillic text
# read in the wrong one of cp1251 and KOI8-R swaps the case of every letter.
_UPPER_SHARE = 0.1
_MISFIT_LOGP = math.log(1e-4)  # a character the language does not write


def _model(languages: tuple[str, ...]) -> tuple[dict[str, float], ...]:
    """Per language, the log-probability of each character it writes.

    Letters follow Zipf's law by their frequency rank; a letter's upper case
    takes a small share of that, as text is mostly lower case; common
    typography has one fixed probability.
    """
    out = []
    for letters in languages:
        harmonic = sum(1 / rank for rank in range(1, len(letters) + 1))
        logp = dict.fromkeys(_COMMON, _TYPOGRAPHY_LOGP)
        for rank, letter in enumerate(letters, 1):
            share = 1 / (rank * harmonic)
            upper = letter.upper()
            if len(upper) == 1 and upper != letter:
                logp[letter] = math.log(share * (1 - _UPPER_SHARE))
                logp[upper] = math.log(share * _UPPER_SHARE)
            else:  # no case, or a capital listed on its own (Turkish İ)
                logp[letter] = math.log(share)
        out.append(logp)
    return tuple(out)


# Candidates with the log of a prior (how common such files are: cp1252 most,
# then cp1250 and cp1251) and whether the script is Latin. latin-1 only
# differs from cp1252 where cp1252 has holes, so it comes last; KOI8-U only
# from KOI8-R in Ukrainian letters, so it comes after it. cp1254 and cp1257
# are cp1252 but for a few letters: only their own languages model them; the
# Icelandic letters cp1254 swaps for Turkish ones are far rarer, hence its prior.
_CANDIDATES = (
    ("cp1252", 0.0, _model(_LATIN), True),
    ("cp1250", math.log(1 / 4), _model(_LATIN), True),
    ("cp1251", math.log(1 / 4), _model(_CYRILLIC), False),
    ("iso8859-2", math.log(1 / 8), _model(_LATIN), True),
    ("koi8_r", math.log(1 / 8), _model(_CYRILLIC), False),
    ("cp1253", math.log(1 / 8), _model(_GREEK), False),
    ("cp1254", math.log(1 / 4), _model(_TURKISH), True),
    ("cp1257", math.log(1 / 8), _model(_BALTIC), True),
    ("cp1255", math.log(1 / 8), _model(_HEBREW), False),
    ("cp1256", math.log(1 / 8), _model(_ARABIC), False),
    ("koi8_u", math.log(1 / 16), _model(_CYRILLIC), False),
    ("latin-1", math.log(1 / 8), _model(_LATIN), True),
)
_NON_ASCII_RUN = re.compile(rb"[\x80-\xff]+")
# Supersets of GBK/GB2312, Big5, Shift_JIS, EUC-JP and EUC-KR; the first wins a tie.
_DOUBLE_BYTE = ("gb18030", "big5", "cp932", "euc_jp", "cp949")
# Characters those encodings are written for: CJK ideographs, kana, hangul syllables
# (not loose jamo, which Chinese and Japanese bytes turn into in cp949), their
# punctuation and full-width forms, and the symbols and typography they carry.
_NOT_CJK = re.compile(  # U+FFFD, a decoding error, is counted on its own
    "[^\x00-\x7f\u00a7\u00a8\u00b0\u00b1\u00b4\u00b6\u00b7\u00d7\u00f7"
    "\u2010-\u27bf\u2e80-\u2fdf\u3000-\u30ff\u31f0-\u33ff"
    "\u3400-\u4dbf\u4e00-\u9fff\uac00-\ud7af\uf900-\ufaff\ufe30-\ufe4f\uff01-\uff60"
    "\uffe0-\uffe6\ufffd]"
)
_CJK_FIT = 0.9
_KOREAN = "cp949"
_KOREAN_WORD = 8  # characters between spaces, on average, at most
_HANGUL = re.compile("[\uac00-\ud7af]")
_HANJA = re.compile("[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]")
# Of a Korean reading's hangul and hanja, at most this share may be hanja or rare
# syllables: Korean prose has almost none, Chinese read as cp949 has 40% (5% of
# samples: under 21%), Big5 or Shift_JIS more.
_MAX_NOT_KOREAN = 0.2
_MIN_DOUBLE_BYTE = 3  # characters: one or two may be any two accented letters side by side
# Non-ASCII characters per decoding error (a bad byte, a cut last character) that a
# double-byte reading may have: fewer, and short Cyrillic or Japanese text qualifies.
_PER_ERROR = 20
_DAMAGED_UTF8 = 0.05  # invalid bytes in UTF-8 that has merely been damaged: fewer than this share
_NON_ASCII = re.compile("[^\x00-\x7f]+")
_LIKELIEST_SAMPLE = 1 << 14  # bytes charset-normalizer chooses from: 2 ms, not 200
_MAX_NON_LATIN_TOUCH = 0.3
_MIN_NON_LATIN_RUN = 0.5
_UNCERTAIN = 0.8  # below this share of fitting characters, the guess is called uncertain
# A guess that another reading of the bytes comes this close to (in log-likelihood:
# one letter or two that several languages write) is called uncertain too.
_MIN_LEAD = math.log(20)
_HOPELESS = 0.5  # below this share, in data of mostly non-ASCII bytes, it is not text
_MOSTLY_NON_ASCII = 0.3


UNCERTAIN = "encoding uncertain"
"""How the problem that the encoding is a weak guess begins."""

CODECS = tuple(
    dict.fromkeys(
        ("utf-8", *(codec for _, codec in _BOMS), *_DOUBLE_BYTE, *(c[0] for c in _CANDIDATES))
    )
)
"""Every Python codec ``decode`` may read a file with."""

# IANA's charset names (lower case, as WHATWG writes its labels): what HTTP, HTML, iconv
# and ``file -i`` call an encoding, so what a user recognizes. Python's codec names mix
# styles ("koi8_r", "utf-16-le", "cp1252", "iso8859-2"), and its own canonical names
# are no better ("euc_jp", "koi8-r"). Each maps from the codec ``codecs.lookup`` gives
# for it, so a report always names the very codec that read the file.
_IANA_NAMES = (
    "utf-8",
    "utf-16le",
    "utf-16be",
    "utf-32le",
    "utf-32be",
    *(f"windows-{page}" for page in range(1250, 1259)),
    *(f"iso-8859-{part}" for part in (*range(1, 12), *range(13, 17))),
    "koi8-r",
    "koi8-u",
    "gb18030",
    "gbk",
    "gb2312",
    "big5",
    "big5-hkscs",
    "euc-jp",
    "euc-kr",
    "shift_jis",
    "iso-2022-jp",
    "us-ascii",
)
_IANA = {codecs.lookup(name).name: name for name in _IANA_NAMES}


@functools.cache
def encoding_name(codec: str) -> str:
    """The name margin reports an encoding by: its IANA charset name in lower case
    (``windows-1252``, ``koi8-r``, ``utf-16le``, ``iso-8859-1``), which
    ``codecs.lookup`` accepts for the same codec.

    Python's ``cp932`` and ``cp949`` keep that name: IANA's Windows-31J for cp932
    is unknown to ``codecs``, and Python's shift_jis and euc_kr are smaller encodings
    (they fail on bytes cp932 and cp949 read), so neither name would round-trip. A
    name Python does not know is kept.
    """
    try:
        python = codecs.lookup(codec).name
    except LookupError:
        return codec
    return _IANA.get(python, python)


def decode(data: bytes, encoding: str | None = None) -> Decoded:
    """Decode a whole file; raises only :class:`NotText`, whatever the bytes.

    ``encoding``, chosen from more bytes than these (the other lines of a
    JSONL file), reads them if they are not UTF-8, instead of a guess from
    these few alone.
    """
    try:
        return _decode(data, encoding)
    except NotText:
        raise
    except Exception as exc:  # a codec surprise must skip the file, not stop the reader
        raise NotText(f"cannot decode ({type(exc).__name__})") from exc


def _decode(data: bytes, encoding: str | None) -> Decoded:
    if data.isspace() or not data:
        raise NotText("empty file")
    if data.startswith(_SIGNATURE_STARTS):  # one call rules them all out
        for signature, kind in _SIGNATURES:
            if data.startswith(signature):
                raise NotText(f"binary data ({kind})")
    if data.startswith(_BOM_STARTS):
        for bom, codec in _BOMS:
            if data.startswith(bom):
                return _finish(*_decode_unicode(data[len(bom) :], codec))
    head = data[:_NUL_WINDOW]
    if b"\x00" in head:
        utf16 = _bomless_utf16(head)
        if utf16 is not None:
            text, name, problems = _decode_unicode(data, utf16)
            missing = f"{encoding_name(utf16)} without a byte order mark"
            return _finish(text, name, (*problems, missing))
        if head.count(0) > len(head) // _NUL_SHARE:
            raise NotText("binary data (NUL bytes)")
        # A stray NUL in prose (or in one record of a JSONL file) is shown as a mark.
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as error:
        if encoding is not None:
            return _finish(*_replaced(data, encoding))
        return _finish(*_damaged_or_legacy(data, error.start))
    # Valid UTF-8 is its text's own encoding: the sample's bytes, when it is all the text.
    return _finish(text, "utf-8", (), data if len(text) <= _SAMPLE else None)


def _finish(
    text: str, encoding: str, problems: tuple[str, ...], encoded: bytes | None = None
) -> Decoded:
    """Refuse binary-looking or blank text; make every line end "\\n". ``encoded`` is
    ``text`` in UTF-8, if at hand and no longer than ``_SAMPLE`` characters."""
    sample = text[:_SAMPLE]
    raw = sample.encode("utf-8", "surrogatepass") if encoded is None else encoded
    controls = len(raw) - len(raw.translate(None, _BINARY_CONTROLS))
    if controls > _MAX_CONTROL_SHARE * len(sample):
        raise NotText("binary data (control bytes)")
    if not text or text.isspace():
        raise NotText("empty file")
    if "\r" in text:
        text = text.replace("\r\n", "\n").replace("\r", "\n")
    return Decoded(text, encoding_name(encoding), problems)


def _decode_unicode(data: bytes, codec: str) -> tuple[str, str, tuple[str, ...]]:
    """A UTF-8/16/32 decoding known in advance; bad code units become U+FFFD."""
    try:
        return data.decode(codec), codec, ()
    except UnicodeDecodeError:
        invalid = f"invalid {encoding_name(codec)} data replaced"
        return data.decode(codec, "replace"), codec, (invalid,)


def _bomless_utf16(head: bytes) -> str | None:
    """UTF-16 without a BOM: mostly ASCII, so every other byte is NUL."""
    pairs = len(head) // 2
    even, odd = head[0 : pairs * 2 : 2].count(0), head[1 : pairs * 2 : 2].count(0)
    if pairs >= 4 and odd >= 0.5 * pairs and even <= 0.01 * pairs:
        return "utf-16-le"
    if pairs >= 4 and even >= 0.5 * pairs and odd <= 0.01 * pairs:
        return "utf-16-be"
    return None


def _damaged_or_legacy(data: bytes, first_error: int) -> tuple[str, str, tuple[str, ...]]:
    """Not valid UTF-8: UTF-8 with a few bad bytes, or a legacy encoding.

    Legacy text almost never forms valid UTF-8 sequences by chance, so UTF-8
    is kept when valid multi-byte sequences outweigh the invalid bytes in a
    window around the first invalid one (a window, so a big file costs only
    one more full decode).
    """
    start = max(first_error - _LEGACY_SAMPLE // 2, 0)
    while start < first_error and 0x80 <= data[start] < 0xC0:  # not inside a character
        start += 1
    window = data[start : first_error + _LEGACY_SAMPLE // 2]
    escaped = window.decode("utf-8", "surrogateescape")
    invalid = len(window) - len(escaped.encode("utf-8", "ignore"))
    high = window.translate(None, _ASCII)
    # Chinese, Japanese or Korean bytes form valid UTF-8 by chance far more often than
    # single-byte text: when many are invalid, those encodings are asked first.
    doubles = _double_byte(data) if invalid > _DAMAGED_UTF8 * len(high) else []
    if len(high) - invalid > invalid and not doubles:
        return _replaced(data, "utf-8")
    encoding, fit, lead = _guess_legacy(data)
    if doubles:
        encoding = _likeliest(data, [*doubles, encoding])
        fit, lead = (1.0, math.inf) if encoding in doubles else (fit, lead)
    if fit < _HOPELESS and len(high) > _MOSTLY_NON_ASCII * len(window):
        raise NotText("not text in any known encoding")
    # The guess saw a sample: bytes past it may be undefined in its encoding.
    text, _, problems = _replaced(data, encoding)
    if fit < _UNCERTAIN or lead < _MIN_LEAD:
        problems = (f"{UNCERTAIN} (guessed {encoding_name(encoding)})", *problems)
    return text, encoding, problems


def _replaced(data: bytes, encoding: str) -> tuple[str, str, tuple[str, ...]]:
    """``data`` in ``encoding``, what it cannot decode replaced and counted."""
    text = data.decode(encoding, "replace")
    if encoding_name(encoding) == "utf-8":
        count = text.count("\ufffd") - data.count("\ufffd".encode())
        noun = "sequence" if count == 1 else "sequences"
        return text, encoding, (f"{count} invalid UTF-8 byte {noun} replaced",)
    if undefined := text.count("\ufffd"):
        noun = "byte" if undefined == 1 else "bytes"
        named = encoding_name(encoding)
        return text, encoding, (f"{undefined} {noun} undefined in {named} replaced",)
    return text, encoding, ()


def _double_byte(data: bytes) -> list[str]:
    """The Chinese, Japanese and Korean encodings that ``data`` could be in.

    One qualifies when it decodes the start of the file into characters of
    those scripts, apart from ASCII letters (a word is not written half in
    Latin), with hardly an error: one bad byte or a cut last character must
    not turn a whole Chinese file into Cyrillic. Latin text hardly ever does:
    an accented letter before a space or a line end is an error in all of
    them, and one inside a word touches ASCII letters. Cyrillic or Greek
    words of even length may.
    """
    first = _FIRST_HIGH.search(data)
    if first is None:
        return []
    sample = data[: first.start() + _LEGACY_SAMPLE]  # from the start: characters align there
    fitting: dict[str, int] = {}
    for codec in _DOUBLE_BYTE:
        # A character cut at the end of a sample (not of the file) is no error.
        decoder = codecs.getincrementaldecoder(codec)("replace")
        text = decoder.decode(sample, len(sample) == len(data))
        high = touching = runs = 0
        for run in _NON_ASCII.finditer(text):
            start, end = run.span()
            runs += 1
            high += end - start
            touching += (start > 0 and text[start - 1].isalpha()) + text[end : end + 1].isalpha()
        others = len(_NOT_CJK.findall(text))
        if (
            high >= _MIN_DOUBLE_BYTE
            and (errors := text.count("\ufffd")) * _PER_ERROR <= high
            and others <= (1 - _CJK_FIT) * high
            and touching <= _MAX_NON_LATIN_TOUCH * high
            and (codec != _KOREAN or _korean(text, high, runs))
        ):
            fitting[codec] = errors
    # Damage is rare: a clean reading beats a damaged one.
    return [codec for codec, errors in fitting.items() if errors == min(fitting.values())]


def _korean(text: str, high: int, runs: int) -> bool:
    """Whether a cp949 reading is Korean, not Chinese or Japanese read wrongly.

    Korean puts spaces between words, and is written in hangul, almost only
    the 2,350 common syllables of EUC-KR: Chinese and Japanese bytes turn
    into hanja and the rare syllables cp949 adds, or into long stretches
    without a space.
    """
    letters = len(_HANGUL.findall(text)) + len(_HANJA.findall(text))
    common = len(_common_hangul().findall(text))
    return high <= _KOREAN_WORD * runs and letters - common <= _MAX_NOT_KOREAN * letters


@functools.cache
def _common_hangul() -> re.Pattern[str]:
    """The hangul syllables of EUC-KR (KS X 1001), compiled at first need: 4 ms."""
    pairs = bytes(
        byte for lead in range(0xB0, 0xC9) for trail in range(0xA1, 0xFF) for byte in (lead, trail)
    )
    return re.compile(f"[{pairs.decode('euc_kr')}]")


def _likeliest(data: bytes, encodings: list[str]) -> str:
    """Of these encodings, the one whose characters are the likeliest in some language.

    charset-normalizer knows how often each language uses each character: it
    tells Chinese from Korean in bytes both decode, and Russian from Chinese.
    """
    from charset_normalizer import from_bytes

    sample = data[:_LIKELIEST_SAMPLE]
    if len(sample) < len(data) and (line_end := sample.rfind(b"\n")) > 0:
        sample = sample[: line_end + 1]  # no character is cut there (no trail byte is \n)
    double_byte = [encoding for encoding in encodings if encoding in _DOUBLE_BYTE]
    best = from_bytes(_undamaged(sample, double_byte), cp_isolation=encodings).best()
    return best.encoding if best is not None and best.encoding in encodings else encodings[0]


def _undamaged(sample: bytes, encodings: list[str]) -> bytes:
    """Each line of ``sample`` up to its first decoding error in any of ``encodings``.

    charset-normalizer drops an encoding that fails anywhere: one bad byte
    must not cost the right one its turn. A line starts at a character in
    all of them (no trail byte is a line end), so what is kept stays aligned.
    """
    lines = sample.split(b"\n")
    for number, line in enumerate(lines):
        end = len(line)
        while errors := [error for codec in encodings if (error := _error(line[:end], codec)) >= 0]:
            end = min(errors)  # a character of another encoding may straddle the cut
        lines[number] = line[:end]
    return b"\n".join(lines)


def _error(data: bytes, codec: str) -> int:
    """Where ``data`` first fails to decode in ``codec``; -1 if it does not."""
    try:
        data.decode(codec)
    except UnicodeDecodeError as error:
        return error.start
    return -1


def _context(sample: bytes) -> tuple[Counter[int], int, int]:
    """Where non-ASCII bytes sit: per byte value, how often alone between two
    ASCII letters; how many touch an ASCII letter; how many are in runs."""
    inside: Counter[int] = Counter()
    touching = in_runs = 0
    for match in _NON_ASCII_RUN.finditer(sample):
        start, end = match.span()
        before = sample[start - 1 : start].isalpha() if start else False
        after = sample[end : end + 1].isalpha()
        touching += min(before + after, end - start)
        if end - start > 1:
            in_runs += end - start
        elif before and after:
            inside[sample[start]] += 1
    return inside, touching, in_runs


def _guess_legacy(data: bytes) -> tuple[str, float, float]:
    """The most likely single-byte encoding, the share of plausible characters,
    and by how much (log-likelihood) it beats the likeliest different reading.

    Only non-ASCII bytes tell these encodings apart, so a histogram of them
    is scored for every candidate as a naive Bayes likelihood under the
    best-fitting language; a symbol inside a word is a misread letter.
    Non-Latin scripts need non-ASCII bytes in runs (words), apart from ASCII
    letters: a Cyrillic or Greek word is not spelt half in Latin.
    """
    first = _FIRST_HIGH.search(data)
    begin = first.start() if first else 0
    sample = data[max(begin - 1, 0) : begin + _LEGACY_SAMPLE]
    counts = Counter(sample.translate(None, _ASCII))
    inside, touching, in_runs = _context(sample)
    total = sum(counts.values()) or 1
    non_latin = touching <= _MAX_NON_LATIN_TOUCH * total and in_runs >= _MIN_NON_LATIN_RUN * total
    scored: list[tuple[float, str, str, float]] = []
    for encoding, prior, languages, latin in _CANDIDATES:
        if not (latin or non_latin):
            continue
        try:
            chars = [(bytes([b]).decode(encoding), n, inside[b]) for b, n in counts.items()]
        except UnicodeDecodeError:
            continue
        # (character, count, how many of those are misread: symbols inside a word)
        seen = [(c, n, 0 if c.isalpha() or c in _IN_WORD else k) for c, n, k in chars]
        score = prior + max(
            sum((n - bad) * logp.get(c, _MISFIT_LOGP) + bad * _MISFIT_LOGP for c, n, bad in seen)
            for logp in languages
        )
        # How plausible the text is: characters some language writes, in place.
        fitting = sum(n - bad for c, n, bad in seen if any(c in logp for logp in languages))
        scored.append((score, encoding, "".join(c for c, _, _ in chars), fitting / total))
    score, best, reading, share = max(scored, key=lambda candidate: candidate[0])
    # Encodings that read these bytes the same are no rival: only a different text is.
    rivals = [other for other, _, text, _ in scored if text != reading]
    return best, share, score - max(rivals, default=-math.inf)
