"""The shortcuts that make parsing an article cheap give what the long way gives."""

from __future__ import annotations

import codecs
import datetime as dt
import re
import unicodedata

import yaml
from hypothesis import given, settings
from hypothesis import strategies as st
from markdown_it.token import Token

from tui.decode import Decoded, NotText, _finish, decode
from tui.headers import (
    _ANY_SOURCE,
    _ANY_YEAR,
    _BOILERPLATE_START,
    _CREDIT_WORDS,
    _DAY_MONTH_YEAR,
    _FURNITURE,
    _ISO,
    _LABEL,
    _LABEL_WORDS,
    _MONTH_DAY_YEAR,
    _MONTH_YEAR,
    _MONTHS,
    _NUMERIC_DMY,
    _OPEN,
    _PROMO_WORDS,
    _RESERVED,
    _SOURCE_RES,
    FoundDate,
    _branches,
    _dispatched,
    _iso,
    find_date,
    parse_header,
)
from tui.language import (
    _SINGLE_BYTE,
    _WORD,
    PROFILE_LANGUAGES,
    _float_verdict,
    _judged,
    _packed,
    _scores,
    _words,
    load_profiles,
)
from tui.markdown import (
    _BLOCK_MD,
    _INLINE_MD,
    _UNSAFE_RE,
    _clean,
    _inline_cost,
    _inline_lines,
    _inline_markup,
    _plain_leaves,
    _plain_tokens,
    _Renderer,
    _simple_mapping,
    _unsafe_replacement,
    split_front_matter,
)
from tui.model import SINGLE_BYTE, Block, line_blocks, single_byte, word_count
from tui.sanitize import _LINE_TABLE, _TEXT_TABLE, MARKS, sanitize, sanitize_line

# --- front matter: key: value lines without PyYAML's scanner ---------------------


def test_plain_front_matter_reads_as_pyyaml_reads_it() -> None:
    text = (
        'title: "Jörg Rossi: Aleph Alpha, TPUv5"\n'
        "date: 2023-03-03\n"
        "source: Handelsblatt\n"
        "draft: no\n"
        "count: 0x1F\n"
        "time: 1:20\n"
        "empty:\n"
        "quoted: 'a \"b\" \\c'\n"
    )
    fields = _simple_mapping(text)
    assert fields == yaml.safe_load(text)
    assert fields is not None and fields["date"] == dt.date(2023, 3, 3)
    assert (fields["draft"], fields["count"], fields["time"]) == (False, 31, 80)


def test_front_matter_beyond_key_value_lines_is_left_to_pyyaml() -> None:
    for text in (
        "tags:\n- a\n- b\n",  # a list
        "title: a: b\n",  # an error PyYAML reports
        "title: x # comment\n",
        'title: "a \\" b"\n',  # an escape
        "a:\n  b: c\n",  # nesting
        "anchor: &x 1\n",
        "=: x\n",
        "",
    ):
        assert _simple_mapping(text) is None, text


def test_a_bad_date_in_front_matter_is_still_a_problem() -> None:
    fields, _, problems = split_front_matter("---\ntitle: T\ndate: 2024-13-45\n---\nBody\n")
    assert fields == {}
    assert problems == ("front matter is not valid YAML: ValueError",)
    # The thread's loader is used again after the failure, as a new one would be.
    good = "---\ntitle: T\ndate: 2024-12-31\n---\nBody\n"
    assert split_front_matter(good)[0] == {"title": "T", "date": "2024-12-31"}


_VALUE_CHARS = st.sampled_from(list("aZ09 :#'\"\\,.-[]{}&*!|>%@`?=~\té€\x85\u2028\ufeff"))
_LINE = st.tuples(
    st.sampled_from(["title", "date", "Null", "on", "k-1", "x_y"]),
    st.one_of(
        st.text(_VALUE_CHARS, max_size=8),
        st.sampled_from(["2024-05-29", "2024-02-30", "1_000", ".inf", "~", "true", "-5"]),
    ),
).map(lambda kv: f"{kv[0]}: {kv[1]}" if kv[1] else f"{kv[0]}:")


@settings(max_examples=400, deadline=None)
@given(st.lists(_LINE, min_size=1, max_size=4))
def test_simple_front_matter_equals_pyyaml(lines: list[str]) -> None:
    text = "\n".join(lines) + "\n"
    try:
        fast = _simple_mapping(text)
    except ValueError:  # an impossible date: PyYAML fails the same way
        try:
            yaml.safe_load(text)
        except ValueError:
            return
        raise
    if fast is not None:
        assert repr(fast) == repr(yaml.safe_load(text))


# --- markdown: a paragraph of plain text is not parsed ---------------------------------


@settings(max_examples=500, deadline=None)
@given(st.text(st.sampled_from(list("ab !?.\n\t[é\\`*_~]<&’")), min_size=1, max_size=30))
def test_plain_inline_text_is_what_the_inline_parser_makes_of_it(text: str) -> None:
    content = text.strip(" \t\n")  # as a paragraph's content reaches the inline parser
    tokens: list[Token] = []
    _INLINE_MD.inline.parse(content, _INLINE_MD, {}, tokens)
    assert _Renderer("").inline(content) == _inline_lines(tokens)


_MD_LINE = st.one_of(
    st.just(""),
    st.text(st.sampled_from(list("aZé |-#=*>1.:!\t\xa0`<[")), min_size=1, max_size=12),
    st.tuples(st.sampled_from(["", "#", "##", "######", "#######"]),
              st.sampled_from(["", " ", "\t"]),
              st.text(st.sampled_from(list("ab #\xa0")), max_size=6)).map("".join),
    st.sampled_from(["Para", "Two words", "===", "---", "| a | b |", "|---|---|", "1. x", "- x"]),
)  # fmt: skip


@settings(max_examples=1000, deadline=None)
@given(st.lists(_MD_LINE, max_size=8), st.booleans())
def test_plain_documents_are_tokenized_as_markdown_it_tokenizes_them(
    lines: list[str], newline: bool
) -> None:
    source = "\n".join(lines) + ("\n" if newline else "")
    tokens = _plain_tokens(source)
    if tokens is not None:
        assert tokens == _BLOCK_MD.parse(source, {})


_PLAIN_LINE = st.one_of(
    st.just(""),
    st.sampled_from(["# Title", "## Part", "Para", "Two words", "État second.", "b *em* c"]),
    st.sampled_from(["See [a](http://x.example) too", "Code `x` here", "a \\", "Tail  "]),
    st.text(st.sampled_from(list("aZé *_`[]!<&\\~#")), min_size=1, max_size=12).map("a".__add__),
)


@settings(max_examples=500, deadline=None)
@given(st.lists(_PLAIN_LINE, max_size=10))
def test_a_plain_document_renders_as_its_tokens_render(lines: list[str]) -> None:
    source = "\n".join(lines)
    leaves = _plain_leaves(source)
    tokens = _plain_tokens(source)
    if leaves is None or tokens is None:
        assert leaves is None and tokens is None
        return
    direct, walked = _Renderer(source), _Renderer(source)
    direct.render_plain(leaves)
    walked.render(tokens)
    assert direct.result() == walked.result()


@given(st.text(st.sampled_from(list("ab é\n\t\\`*_~[]!<&#宽\ud800")), max_size=30))
def test_inline_syntax_is_counted_in_bytes_as_in_the_text(content: str) -> None:
    delimiters = content.count("*") + content.count("_") + content.count("~")
    cheap = sum(content.count(c) for c in "`<&!\\]")
    cost = 16 + len(content) // 16 + 10 * delimiters + 25 * content.count("[") + 3 * cheap
    assert _inline_cost(content) == cost
    markup = any(c in content for c in "\\`*_~[]<&") or (
        "\n" in content and (" \n" in content or "\n " in content or "\n\t" in content)
    )
    assert _inline_markup(content) == markup


def test_a_plain_markdown_file_is_not_parsed() -> None:
    source = "# Title\n\nOne paragraph!\nstill the first.\n\n## Part\nÉtat second.\n"
    assert _plain_tokens(source) == _BLOCK_MD.parse(source, {})
    for other in ("- item", "Text \n", " indented", "Title\n===", "# Closed #", "a\r\nb"):
        assert _plain_tokens(other) is None


# --- headers ---------------------------------------------------------------------


def test_dates_need_a_year() -> None:
    assert find_date("On Monday, May 29, the board met") is None
    assert find_date("Published May 29, 2024 at 10:00")
    assert parse_header("Rates Rise\n\n29 May 2024\n\nThe bank raised rates. More.").date == (
        "2024-05-29"
    )


def _every_date(text: str, language: str | None) -> FoundDate | None:
    """``find_date`` the long way: every pattern's first real date, the earliest (and
    longest) of them."""
    if _ANY_YEAR.search(text) is None:
        return None
    found: list[FoundDate] = []
    for m in _ISO.finditer(text):
        day = int(m[4]) if m[4] else None
        if (m[2] == "-" or day is not None) and (value := _iso(int(m[1]), int(m[3]), day)):
            found.append(FoundDate(value, m.start(), m.end()))
            break
    for m in _NUMERIC_DMY.finditer(text):
        a, b, year = int(m[1]), int(m[3]), int(m[4])
        first = m[2] == "/" and (language == "en" or a > 12) and b <= 31 and a <= 12
        if value := (_iso(year, a, b) if first or b > 12 else _iso(year, b, a)):
            found.append(FoundDate(value, m.start(), m.end()))
            break
    for m in _DAY_MONTH_YEAR.finditer(text):
        if value := _iso(int(m[3]), _MONTHS[m[2].casefold()], int(m[1])):
            found.append(FoundDate(value, m.start(), m.end()))
            break
    for m in _MONTH_DAY_YEAR.finditer(text):
        if value := _iso(int(m[3]), _MONTHS[m[1].casefold()], int(m[2])):
            found.append(FoundDate(value, m.start(), m.end()))
            break
    if not found:
        for m in _MONTH_YEAR.finditer(text):
            if value := _iso(int(m[2]), _MONTHS[m[1].casefold()]):
                found.append(FoundDate(value, m.start(), m.end()))
                break
    return min(found, key=lambda f: (f.start, -len(f.value))) if found else None


_DATE_PIECE = st.sampled_from(
    ["2024", "2024-05-29", "2024-05", "2024/05/29", "29.05.2024", "05/04/2024", "13/04/2024",
     "29 May 2024", "May 29, 2024", "May 2024", "Mai", "31", "2", "12", "de", " ", ", ", ".",
     "-", "/", "on", "Monday", "x", "1999", "2024-02-30", "Feb 30, 2024", "T10:00Z", "é"]
)  # fmt: skip


@settings(max_examples=2000, deadline=None)
@given(st.lists(_DATE_PIECE, max_size=6).map("".join), st.sampled_from(["en", "de", None]))
def test_the_first_date_is_found_without_every_scan(text: str, language: str | None) -> None:
    assert find_date(text, language) == _every_date(text, language)


_LINE_WORD = st.sampled_from(
    ["read", "next", "more", "Related", "posts", "Share", "this", "on", "tweet", "©", "(c)",
     "all rights reserved", "alle Rechte vorbehalten", "Source:", "ID 12", "photo:", "Leggi",
     "anche", "à lire aussi", "lire", "Lee también", "artículos relacionados", "mots-clés",
     "Reporting by", "additional", "check out more", "Subscribe", "Kommentare", "s'abonner",
     "3 comments", "5 min read", "tutti i diritti riservati", "Todos los derechos reservados",
     "the original article", "originally published in",
     "Quelle:", "Fonte", "find more from", "Wired's", "Tags", ":", "|", "»", "*", "[", "#",
     ">", "(", "  ", " ", "\t", "x", "é", "ſ", "\u212a", "İ", "ı", "ß", "Ω"]
)  # fmt: skip


def _cased(text: str, how: int) -> str:
    return [text, text.upper(), text.title(), text.replace("s", "ſ").replace("k", "\u212a")][how]


@settings(max_examples=3000, deadline=None)
@given(st.lists(st.tuples(_LINE_WORD, st.integers(0, 3)), max_size=6))
def test_alternations_tried_by_first_letter_match_where_they_did(
    words: list[tuple[str, int]],
) -> None:
    line = "".join(_cased(word, how) for word, how in words)
    flags = re.IGNORECASE
    start = re.compile(rf"{_OPEN}(?:{_FURNITURE}|{_PROMO_WORDS}|{_CREDIT_WORDS})", flags)
    reserved = _RESERVED.pattern.removeprefix(r"\b").removesuffix(r"\b")
    label = re.compile(
        r"^\s*[\[(*_#>]*\s*(?:" + _LABEL_WORDS + rf"|.*\b{reserved}\b.*)\s*[\])*_]*\s*$", flags
    )
    source = re.compile("|".join(p.replace("(?P<s>", "(?:") for p in _SOURCE_RES), flags)
    for text in (line, line.strip(), line.lower()):
        assert bool(start.match(text)) == bool(_BOILERPLATE_START.match(text)), text
        assert bool(label.match(text)) == bool(_LABEL.match(text) or _RESERVED.search(text)), text
        assert bool(source.match(text)) == bool(_ANY_SOURCE.match(text)), text


def test_branches_are_split_at_the_top_level_only() -> None:
    assert _branches(r"a|b(c|d)|[|\]]|e\|f|[]|]|[^]|]|g") == [
        "a", "b(c|d)", r"[|\]]", r"e\|f", "[]|]", "[^]|]", "g"
    ]  # fmt: skip
    assert _dispatched("ab|(?:d|)c|.x") == "(?=a)(?:ab)|(?:d|)c|.x"
    assert _dispatched("(?:x)?y|zz|yy|[yx]") == "(?=[xy])(?:(?:x)?y|[yx])|(?=z)(?:zz)|(?=y)(?:yy)"


def test_credit_and_furniture_lines_still_found_among_prose() -> None:
    body = "The company reported strong results. Analysts were surprised.\n\n"
    text = (
        f"A Headline\n\n{body}Related Posts:\nFirst Teaser\nSecond Teaser\n\n{body}"
        "Share this article\n\nRead the original article on Business Insider\n"
    )
    h = parse_header(text)
    dimmed = [text[s:e] for s, e in h.boilerplate]
    assert dimmed == [
        "Related Posts:",
        "First Teaser",
        "Second Teaser",
        "Share this article",
        "Read the original article on Business Insider",
    ]
    assert h.source == "Business Insider"


# --- language: words split by bytes.translate, scores summed as packed integers ----

_SINGLE_BYTE_CHARS = sorted(
    {bytes([b]).decode(encoding, "replace") for encoding, _ in _SINGLE_BYTE for b in range(256)}
    - {"\ufffd"}
)


@settings(max_examples=500, deadline=None)
@given(st.text(st.sampled_from([*_SINGLE_BYTE_CHARS, "İ", "ł", "ω"]), max_size=40))
def test_translated_words_are_the_regex_words(text: str) -> None:
    words = _words(text)
    if words is not None:
        assert [w.decode("cp1252") for w in words] == _WORD.findall(text.casefold())


def test_every_character_of_latin1_and_cp1252_splits_as_the_regex_splits() -> None:
    for char in _SINGLE_BYTE_CHARS:
        for text in (char, f"Ab{char}cD", f"{char}{char}x"):
            words = _words(text)
            assert words is not None or "µ" in text
            if words is not None:
                assert [w.decode("cp1252") for w in words] == _WORD.findall(text.casefold())


_PROFILE_WORDS = st.sampled_from(
    sorted({w for lang in ("en", "de", "nl", "da", "nb", "sv", "es", "ca", "pt") for w in
            list(load_profiles()[lang])[:60]})
)  # fmt: skip


@settings(max_examples=600, deadline=None)
@given(st.lists(_PROFILE_WORDS, max_size=60), st.sampled_from([(3, 0.25), (40, 0.5), (1, 0.0)]))
def test_integer_verdict_is_the_float_verdict(words: list[str], rule: tuple[int, float]) -> None:
    sample = " ".join(words)
    hits, margin = rule
    assert _judged(sample, "latin", hits, margin)[0] == _float_verdict(
        _scores(sample, "latin"), hits, margin
    )


def test_no_profile_word_counts_zero() -> None:
    """``_packed_sum`` drops misses as zeros: a word's counters are never 0."""
    for script in PROFILE_LANGUAGES:
        packed = _packed(script)
        assert all(packed.words.values()) and all(packed.encoded.values())


def test_a_tie_or_an_exact_margin_is_decided_as_before() -> None:
    # Float sums settle these either way ("a l": Catalan, "a por": unsure): as before.
    for sample, margin, lang in (("a l", 0.25, "ca"), ("a por", 0.25, None), ("a pas", 0.5, "fr")):
        assert _judged(sample, "latin", 1, margin)[0] == lang
    for sample in ("", "the", "der der", "the der", "Москва", "el la"):
        for hits, margin in ((3, 0.25), (1, 0.25), (1, 0.0)):
            for script in ("latin", "cyrillic"):
                assert _judged(sample, script, hits, margin)[0] == _float_verdict(
                    _scores(sample, script), hits, margin
                )


# --- single-byte text: scanned as bytes ----------------------------------------------

_SOME_CHARS = st.sampled_from([*_SINGLE_BYTE_CHARS, "ł", "北", "\u2028", "\u200e", "\u3000"])


@settings(max_examples=300, deadline=None)
@given(st.text(st.sampled_from([*_SINGLE_BYTE_CHARS[:40], "é", "北", "\x00", "\r", "\ufeff"])))
def test_utf8_is_checked_in_its_own_bytes(text: str) -> None:
    data = text.encode("utf-8")
    try:
        long_way: Decoded | str = _finish(text, "utf-8", ())
    except NotText as exc:
        long_way = exc.reason
    try:
        read: Decoded | str = decode(data)
    except NotText as exc:
        read = exc.reason
    if not data.startswith(codecs.BOM_UTF8) and b"\x00" not in data and text.strip():
        assert read == long_way


@settings(max_examples=500, deadline=None)
@given(st.text(_SOME_CHARS, max_size=30))
def test_words_are_counted_as_split_counts_them(text: str) -> None:
    if single_byte(text) is not None:
        assert word_count(text) == len(text.split())


@settings(max_examples=500, deadline=None)
@given(st.text(_SOME_CHARS, max_size=30))
def test_sanitize_maps_every_unsafe_character(text: str) -> None:
    assert sanitize(text) == unicodedata.normalize("NFC", text).translate(_TEXT_TABLE).expandtabs(4)
    assert sanitize_line(text) == text.translate(_LINE_TABLE)


def test_every_byte_counts_words_and_sanitizes_as_the_str_does() -> None:
    for encoding in SINGLE_BYTE:
        for char in bytes(range(256)).decode(encoding, "ignore"):
            text = f"a{char}b {char}"
            assert single_byte(text) is not None
            assert word_count(text) == len(text.split())
            assert sanitize_line(text) == text.translate(_LINE_TABLE)


@settings(max_examples=300, deadline=None)
@given(st.text(st.sampled_from([*_SINGLE_BYTE_CHARS[:40], "é", "北", "\x00"]), max_size=40))
def test_binary_controls_are_counted_in_utf8_bytes(text: str) -> None:
    controls = len(re.findall("[\x00-\x08\x0e-\x19\x1c-\x1f]", text))
    try:
        _finish(text, "utf-8", ())
    except NotText as exc:
        binary = exc.reason == "binary data (control bytes)"
    else:
        binary = False
    assert binary == (controls > 0.1 * len(text))


@settings(max_examples=500, deadline=None)
@given(st.text(_SOME_CHARS, max_size=30))
def test_markdown_cleans_what_its_regex_finds(text: str) -> None:
    assert _clean(text) == _UNSAFE_RE.sub(_unsafe_replacement, text)


# --- marks -----------------------------------------------------------------------


def test_single_byte_text_cannot_hold_a_mark() -> None:
    assert all(single_byte(mark) is None for mark in MARKS)  # lets _mark_spans skip it
    assert single_byte("Grüße, café") == ("Grüße, café".encode("latin-1"), "latin-1")
    assert single_byte("quote ’ here") == (b"quote \x92 here", "cp1252")
    assert single_byte("␀") is None and single_byte("Москва") is None


@given(st.text(st.sampled_from(["\n", "a", "é", " ", "\r", "宽"]), max_size=40))
def test_line_blocks_are_the_blocks_of_the_lines(text: str) -> None:
    blocks, start = [], 0
    for line in text.split("\n"):
        blocks.append(Block(start, start + len(line)))
        start += len(line) + 1
    made = line_blocks(text)
    assert made == tuple(blocks)
    assert [b.__class__ for b in made] == [Block] * len(blocks)
