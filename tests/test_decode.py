"""Decoding article files: what the reader shows, or why it skips a file."""

from __future__ import annotations

import codecs
import importlib.util
import re
import time
import unicodedata
from pathlib import Path
from types import ModuleType

import pytest
from hypothesis import given
from hypothesis import strategies as st

from tui.corpus import Source, load
from tui.decode import CODECS, UNCERTAIN, Decoded, NotText, decode, encoding_name

BENCH = Path(__file__).resolve().parent.parent / "bench" / "encodings.py"

GERMAN = "„Wir müssen jetzt handeln“, sagte die Ministerin – es kostet 3 Mrd. €. Größe, Straße."
FRENCH = "« Nous n’avons plus le choix », a déclaré la Première ministre. Dès l’été, à Noël."
POLISH = "Rząd przyjął we wtorek projekt ustawy o ochronie środowiska. Żadna z partii nie poparła."
CZECH = "Vláda ve středu schválila návrh zákona. „Je to krok správným směrem,“ řekl ministr."
HUNGARIAN = "A kormány szerdán elfogadta a tervezetét. Győrben és Szegeden a lakosok tiltakoztak."
RUSSIAN = "Правительство в среду одобрило новый закон о поддержке малого бизнеса."
CHINESE = "标题\n\n北京是中华人民共和国的首都，也是全国的政治和文化中心。" * 3
CHINESE_GBK = CHINESE.encode("gbk")
# KOI8 has no typographic quotes, dashes or euro sign: its Russian text used ASCII.
KOI8_PLAIN = str.maketrans({"«": '"', "»": '"', "—": "-", "€": "EUR"})


def load_bench() -> ModuleType:
    spec = importlib.util.spec_from_file_location("margin_bench_encodings", BENCH)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


class TestUnicode:
    def test_utf8(self) -> None:
        assert decode(GERMAN.encode()) == Decoded(GERMAN, "utf-8", ())

    def test_utf8_bom_is_dropped(self) -> None:
        decoded = decode(b"\xef\xbb\xbf" + FRENCH.encode())
        assert (decoded.text, decoded.encoding) == (FRENCH, "utf-8")

    @pytest.mark.parametrize(
        ("bom", "codec", "name"),
        [
            (b"\xff\xfe", "utf-16-le", "utf-16le"),
            (b"\xfe\xff", "utf-16-be", "utf-16be"),
            (b"\xff\xfe\x00\x00", "utf-32-le", "utf-32le"),
            (b"\x00\x00\xfe\xff", "utf-32-be", "utf-32be"),
        ],
    )
    def test_bom(self, bom: bytes, codec: str, name: str) -> None:
        decoded = decode(bom + POLISH.encode(codec))
        assert (decoded.text, decoded.encoding) == (POLISH, name)

    def test_utf16_without_bom_is_text_not_binary(self) -> None:
        decoded = decode(GERMAN.encode("utf-16-le"))
        assert decoded.text == GERMAN
        assert "utf-16le without a byte order mark" in decoded.problems

    def test_invalid_bytes_in_good_utf8_are_replaced_and_noted(self) -> None:
        data = (GERMAN + " ").encode() + b"\xff\xfe\xc3" + (" " + FRENCH).encode()
        decoded = decode(data)
        assert decoded.encoding == "utf-8"
        assert decoded.text.startswith(GERMAN) and decoded.text.endswith(FRENCH)
        assert "\ufffd" in decoded.text
        assert decoded.problems == ("3 invalid UTF-8 byte sequences replaced",)

    def test_truncated_utf16_is_replaced_not_refused(self) -> None:
        decoded = decode(b"\xff\xfe" + GERMAN.encode("utf-16-le") + b"x")
        assert decoded.text == GERMAN + "\ufffd"
        assert decoded.problems


class TestLegacy:
    @pytest.mark.parametrize("text", [GERMAN, FRENCH, GERMAN + "\n" + FRENCH])
    def test_cp1252(self, text: str) -> None:
        assert decode(text.encode("cp1252")) == Decoded(text, "windows-1252", ())

    def test_latin1(self) -> None:
        text = "Le café à Noël, déjà vu; Grüße aus Zürich; El niño, ¿qué?"
        decoded = decode(text.encode("latin-1"))
        assert decoded.text == text
        assert decoded.encoding in {"windows-1252", "iso-8859-1"}

    @pytest.mark.parametrize("text", [POLISH, CZECH, HUNGARIAN])
    def test_cp1250(self, text: str) -> None:
        assert decode(text.encode("cp1250")) == Decoded(text, "windows-1250", ())

    def test_cp1251(self) -> None:
        assert decode(RUSSIAN.encode("cp1251")) == Decoded(RUSSIAN, "windows-1251", ())

    @pytest.mark.parametrize(
        ("language", "encoding"),
        [
            ("ru", "koi8_r"),
            ("uk", "koi8_u"),
            ("uk", "cp1251"),
            ("tr", "cp1254"),
            ("lt", "cp1257"),
            ("lv", "cp1257"),
            ("et", "cp1257"),
            ("he", "cp1255"),
            ("ar", "cp1256"),
        ],
    )
    def test_a_paragraph_in_its_own_encoding(self, language: str, encoding: str) -> None:
        """Not cp1251, cp1252 or Greek mojibake: 'нПУЛЧБ', 'Ýstanbul', 'Þinios', 'ιψεωμιν'."""
        text = "Title 2024\n\n" + load_bench().TEXTS[language].translate(KOI8_PLAIN) + "\n"
        assert decode(text.encode(encoding)) == Decoded(text, encoding_name(encoding), ())

    @pytest.mark.parametrize(
        ("text", "encoding"),
        [
            ("Москва - столица России", "koi8_r"),
            ("İstanbul’da yağmur yağıyor", "cp1254"),
            ("Žinios iš Vilniaus ir Kauno: ministras sakė", "cp1257"),
        ],
    )
    def test_a_short_line_in_its_own_encoding(self, text: str, encoding: str) -> None:
        decoded = decode(text.encode(encoding))
        assert (decoded.text, decoded.encoding) == (text, encoding_name(encoding))

    @pytest.mark.parametrize(
        "text", ["per mažai paramos", "līdz 4,1 procentam.", "Žinios iš Vilniaus"]
    )
    def test_a_letter_or_two_other_languages_write_is_read_or_called_uncertain(
        self, text: str
    ) -> None:
        """'ž' and 'ī' are 'þ' and 'î' in cp1252: too little to tell, and said so."""
        decoded = decode(text.encode("cp1257"))
        assert decoded.text == text or decoded.problems[0].startswith(UNCERTAIN)

    def test_accuracy_floor_on_real_text(self) -> None:
        """Short windows of real text in eight languages, as bench/encodings.py measures."""
        bench = load_bench()
        table = bench.accuracy(bench.margin_decoder, per_language=40)
        floors = {"cp1252": 0.97, "latin-1": 0.97, "cp1250": 0.97}
        floors |= dict.fromkeys(("koi8_r", "koi8_u", "cp1254", "cp1255", "cp1256"), 0.97)
        floors |= dict.fromkeys(("gbk", "big5", "shift_jis", "euc_jp", "euc_kr", "cp1257"), 0.85)
        for encoding, floor in floors.items():
            right = sum(r for (_, e), (r, _) in table.items() if e == encoding)
            total = sum(t for (_, e), (_, t) in table.items() if e == encoding)
            assert total >= 20, encoding
            assert right / total >= floor, (encoding, right, total)


class TestDoubleByte:
    """Chinese, Japanese and Korean files from before UTF-8: read, not turned into Cyrillic."""

    @pytest.mark.parametrize(
        ("language", "encoding", "read_as"),
        [
            ("zh", "gbk", "gb18030"),
            ("zh", "gb18030", "gb18030"),
            ("zh-hant", "big5", "big5"),
            ("ja", "shift_jis", "cp932"),
            ("ja", "euc_jp", "euc-jp"),
            ("ko", "euc_kr", "cp949"),
        ],
    )
    def test_a_paragraph(self, language: str, encoding: str, read_as: str) -> None:
        text = "Title 2024\n\n" + load_bench().TEXTS[language] + "\n"
        assert decode(text.encode(encoding)) == Decoded(text, read_as, ())

    @pytest.mark.parametrize(("language", "encoding"), [("ja", "shift_jis"), ("ja", "euc_jp")])
    def test_a_file_longer_than_the_sample(self, language: str, encoding: str) -> None:
        """Past the bytes that choose the encoding, a character may be cut: no matter."""
        text = "Title\n\n" + (load_bench().TEXTS[language] + "\n") * 1500
        assert len(text.encode(encoding)) > 2 * 2**18
        assert decode(text.encode(encoding)).text == text

    @pytest.mark.parametrize(
        ("data", "text"),
        [
            pytest.param(CHINESE_GBK[:-1], CHINESE[:-1] + "\ufffd", id="last character cut"),
            pytest.param(
                CHINESE_GBK[:40] + b"\xff" + CHINESE_GBK[40:],
                CHINESE[:21] + "\ufffd" + CHINESE[21:],
                id="0xff",
            ),
            pytest.param(
                CHINESE_GBK[:40] + b"\x80" + CHINESE_GBK[40:],
                CHINESE[:21] + "\ufffd" + CHINESE[21:],
                id="0x80",
            ),
        ],
    )
    def test_a_damaged_file_is_read_with_the_damage_reported(self, data: bytes, text: str) -> None:
        """Not turned into Cyrillic: one bad byte is one replacement mark, and said."""
        assert decode(data) == Decoded(text, "gb18030", ("1 byte undefined in gb18030 replaced",))

    @pytest.mark.parametrize(
        ("language", "encoding", "read_as"),
        [("zh-hant", "big5", "big5"), ("ja", "euc_jp", "euc-jp"), ("ko", "euc_kr", "cp949")],
    )
    def test_a_cut_last_character_is_replaced(
        self, language: str, encoding: str, read_as: str
    ) -> None:
        text = load_bench().TEXTS[language].rstrip(".")
        decoded = decode(text.encode(encoding)[:-1])
        assert (decoded.text, decoded.encoding) == (text[:-1] + "\ufffd", read_as)

    @pytest.mark.parametrize(
        "text",
        [
            "Python 教程\n\n使用 pip install numpy 安装 NumPy 库。然后 import numpy as np 即可。\n",
            "AI 芯片 市场 (NVIDIA, AMD) 竞争 激烈",
            "今天天气很好。",
            "华为发布新手机",
        ],
    )
    def test_short_chinese_is_not_read_as_korean(self, text: str) -> None:
        """Spaces around Latin words made it pass for Korean; its hanja now give it away."""
        assert decode(text.encode("gbk")) == Decoded(text, "gb18030", ())

    @pytest.mark.parametrize(
        ("text", "encoding", "read_as"),
        [("歡迎。主計", "big5", "big5"), ("小企業への支援", "shift_jis", "cp932")],
    )
    def test_short_big5_or_shift_jis_is_not_read_as_korean(
        self, text: str, encoding: str, read_as: str
    ) -> None:
        """In cp949 these bytes are rare hangul syllables that Korean hardly writes."""
        assert decode(text.encode(encoding)) == Decoded(text, read_as, ())

    @pytest.mark.parametrize(
        "text",
        ["與野 원내대표 회동… 국회 정상화 합의 불발", "美 대통령, 北 미사일 발사에 “강력 대응”"],
    )
    def test_korean_with_a_few_hanja_stays_korean(self, text: str) -> None:
        assert decode(text.encode("cp949")) == Decoded(text, "cp949", ())

    @pytest.mark.parametrize(
        ("text", "encoding"),
        [
            ("до 7,4 процента.", "cp1251"),  # even-length words: valid Big5 too
            ("Un élève.", "cp1252"),  # two accented letters: a valid cp949 pair each
            ("It was, as one regular put it, “a", "cp1252"),  # one pair at the very end
        ],
    )
    def test_single_byte_text_stays_single_byte(self, text: str, encoding: str) -> None:
        assert decode(text.encode(encoding)).text == text


class TestNotText:
    @pytest.mark.parametrize(
        "data", [b"", b"   \n\t\r\n  ", b"\xef\xbb\xbf", b"\xff\xfe \x00\n\x00"]
    )
    def test_empty(self, data: bytes) -> None:
        with pytest.raises(NotText, match=r"^empty file$"):
            decode(data)

    @pytest.mark.parametrize(
        "data",
        [
            b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR",
            b"\xff\xd8\xff\xe0\x00\x10JFIF",
            b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n",
            b"PK\x03\x04\x14\x00\x00\x00",
            b"\x1f\x8b\x08\x00\x00\x00\x00\x00",
            b"Hello\x00world",
            bytes(range(1, 9)) * 100 + b"some words",
        ],
    )
    def test_binary(self, data: bytes) -> None:
        with pytest.raises(NotText, match=r"^binary data"):
            decode(data)

    def test_reason_is_one_line(self) -> None:
        with pytest.raises(NotText) as caught:
            decode(b"\x89PNG\r\n\x1a\n")
        assert str(caught.value) == caught.value.reason == "binary data (PNG image)"

    def test_ansi_coloured_log_is_text(self) -> None:
        data = b"\x1b[31merror\x1b[0m: disk full\n" * 50
        assert decode(data).text == data.decode()


class TestLines:
    def test_crlf_and_cr_become_lf(self) -> None:
        assert decode(b"one\r\ntwo\rthree\n\rfour").text == "one\ntwo\nthree\n\nfour"

    def test_crlf_in_legacy_text(self) -> None:
        assert decode("Größe\r\nStraße\r\n".encode("cp1252")).text == "Größe\nStraße\n"

    def test_several_megabyte_single_line(self) -> None:
        line = ("Grüße aus München — “quoted” " * 200_000).encode()
        started = time.perf_counter()
        decoded = decode(line)
        assert time.perf_counter() - started < 1.0
        assert decoded.text == line.decode() and "\n" not in decoded.text


@given(st.binary(max_size=2000))
def test_any_bytes_decode_or_raise_not_text(data: bytes) -> None:
    try:
        decoded = decode(data)
    except NotText as exc:
        assert str(exc) and "\n" not in str(exc)
        return
    assert isinstance(decoded.text, str) and decoded.text.strip()
    assert "\r" not in decoded.text
    decoded.text.encode("utf-8")  # no lone surrogates leak out


@given(st.text(st.characters(blacklist_categories=("Cc", "Cs")), min_size=1))
def test_utf8_text_round_trips(text: str) -> None:
    if not text.strip():
        return
    decoded = decode(text.encode())
    assert (decoded.text, decoded.encoding) == (text, "utf-8")
    assert all(unicodedata.category(c) != "Cc" for c in decoded.text)


def test_legacy_bytes_beyond_the_sample_are_replaced_not_fatal() -> None:
    """A big cp1252 file whose tail holds bytes cp1252 lacks still opens."""
    data = "Größe ".encode("cp1252") * 200_000 + b"end \x81\x8d"
    decoded = decode(data)
    assert decoded.encoding == "windows-1252"
    assert decoded.text.endswith("end \ufffd\ufffd")
    assert "2 bytes undefined in windows-1252 replaced" in decoded.problems


def test_a_stray_nul_in_prose_does_not_make_it_binary(tmp_path: Path) -> None:
    prose = ("The council met on Tuesday to discuss the budget. " * 60).encode()
    decoded = decode(prose[:1500] + b"\x00" + prose[1500:])
    assert decoded.text.replace("\x00", "") == prose.decode()
    feed = tmp_path / "feed.jsonl"
    lines = [b'{"title": "T%d", "text": "record number %d"}' % (n, n) for n in range(50)]
    lines[20] = b'{"title": "T20", "text": "record\x00 number 20"}'
    feed.write_bytes(b"\n".join(lines) + b"\n")
    articles, skipped = load(Source(feed, "feed.jsonl", feed.stat().st_size, 0))
    assert len(articles) == 50 and skipped == []
    with pytest.raises(NotText, match="NUL"):
        decode(bytes(range(256)) * 40)  # binary: NULs one byte in 256


class TestEncodingNames:
    """Every report names an encoding one way: IANA's charset name, in lower case."""

    @pytest.mark.parametrize("codec", CODECS)
    def test_every_encoding_read_is_named_in_one_style(self, codec: str) -> None:
        """The name a user sees is the one HTTP, HTML and iconv use, and Python reads
        the file with the same codec under it."""
        name = encoding_name(codec)
        assert re.fullmatch(r"[a-z]+[0-9]*(-[a-z0-9]+)*", name), name
        assert codecs.lookup(name).name == codecs.lookup(codec).name

    @pytest.mark.parametrize(
        ("text", "codec", "name"),
        [
            (GERMAN, "cp1252", "windows-1252"),
            (POLISH, "cp1250", "windows-1250"),
            (RUSSIAN, "koi8_r", "koi8-r"),
            (RUSSIAN, "cp1251", "windows-1251"),
            (CHINESE, "gbk", "gb18030"),
            ("Title 2024\n\n小企業への支援を拡充する方針を示した。\n", "euc_jp", "euc-jp"),
        ],
    )
    def test_a_legacy_file_reports_its_iana_name(self, text: str, codec: str, name: str) -> None:
        assert decode(text.encode(codec)).encoding == name

    def test_problems_name_the_encoding_as_the_report_does(self) -> None:
        """'guessed cp1257' beside an encoding 'windows-1257' would read as two encodings."""
        decoded = decode("Žinios iš Vilniaus".encode("cp1257"))
        assert decoded.problems == (f"{UNCERTAIN} (guessed {decoded.encoding})",)
        utf16 = decode(b"\xff\xfe" + GERMAN.encode("utf-16-le") + b"x")
        assert utf16.problems == ("invalid utf-16le data replaced",)

    def test_a_bom_is_no_other_encoding(self) -> None:
        """UTF-8 with a byte order mark is UTF-8, as UTF-16 with one is UTF-16."""
        assert decode(b"\xef\xbb\xbf" + GERMAN.encode()).encoding == "utf-8"

    def test_a_name_decode_reports_reads_the_next_file(self) -> None:
        """The encoding a JSONL file's other lines chose is passed back by its name."""
        legacy = decode(GERMAN.encode("cp1252"))
        assert decode(FRENCH.encode("cp1252"), legacy.encoding) == Decoded(
            FRENCH, "windows-1252", ()
        )
