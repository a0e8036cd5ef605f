"""Property tests: any bytes, through decode -> sanitize -> parse -> layout -> render,
never raise and never leave a control character for the terminal."""

from __future__ import annotations

import json
from pathlib import Path

from hostile import unsafe
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from textual.content import Content

from tui.corpus import Source, build_article, load
from tui.decode import NotText, decode
from tui.model import Article
from tui.widgets.layout import Layout

SETTINGS = settings(
    max_examples=300,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture],
)

# Characters that make trouble: controls, escapes, C1, bidi, separators,
# surrogates' neighbours, wide and combining ones, markup and Markdown syntax.
HOSTILE = (
    [chr(c) for c in range(0x20)]
    + ["\x7f", "\x85", "\x9b", "\x9c", "\x9d", "\x90", "\xa0", "\xad"]
    + ["\u061c", "\u200b", "\u200d", "\u200e", "\u200f", "\u2028", "\u2029"]
    + [chr(c) for c in range(0x202A, 0x202F)]
    + [chr(c) for c in range(0x2066, 0x206A)]
    + ["\ufeff", "\ufffd", "\u0301", "\u0336", "宽", "👩", "🏳", "\ufe0f", "🇮"]
    + list("[]()!*_`~<>&#;:/\\|-+=>. \n\t\r\"'{}@$")
    + ["[bold]", "[/]", "[@click=app.quit]", "[link=x]", "&#x1b;", "&#155;", "&#x202e;"]
    + ["\x1b]0;T\x07", "\x1b[2J", "\x1bP1$r\x1b\\", "\x1b]52;c;YQ==\x07", "---\n", "# ", "> "]
    + ["- ", "1. ", "```\n", "    ", "|a|b|\n|-|-|\n", "word ", "Straße ", "café "]
)
hostile_text = st.lists(st.sampled_from(HOSTILE), max_size=300).map("".join)
encodings = st.sampled_from(["utf-8", "utf-16", "utf-16-le", "utf-32", "cp1252", "latin-1"])


@st.composite
def file_bytes(draw: st.DrawFn) -> bytes:
    """Raw bytes, or hostile text in some encoding (with a BOM or not), maybe damaged."""
    if draw(st.booleans()):
        return draw(st.binary(max_size=3000))
    text = draw(hostile_text)
    data = text.encode(draw(encodings), "replace")
    if draw(st.booleans()) and data:
        at = draw(st.integers(0, len(data)))
        data = data[:at] + draw(st.binary(min_size=1, max_size=8)) + data[at:]
    return data


def check_article(article: Article) -> None:
    text = article.text
    assert not unsafe(text), unsafe(text)[:5]
    for value in (article.title, article.source, article.author, article.date, article.url):
        assert value is None or not unsafe(value, one_line=True), value
    for problem in article.problems:
        assert not unsafe(problem, one_line=True)
    for block in article.blocks:
        assert 0 <= block.start <= block.end <= len(text)
        assert "\n" not in text[block.start : block.end]
    for span in article.spans:
        assert 0 <= span.start <= span.end <= len(text), span
    render(article)


def render(article: Article) -> None:
    """Lay out at two widths and draw the first lines as the reader does."""
    for width in (13, 80):
        layout = Layout.exact_layout(article.text, article.blocks, width)
        assert layout is not None
        for y in range(min(layout.height, 40)):
            found = layout.line(y)
            assert found is not None
            _block, (start, end), _continued = found
            drawn = "".join(s.text for s in Content(article.text[start:end]).render_segments())
            assert not unsafe(drawn, one_line=True), drawn


@SETTINGS
@given(data=file_bytes(), markdown=st.booleans())
def test_any_bytes_become_a_safe_article_or_a_reason(data: bytes, markdown: bool) -> None:
    try:
        decoded = decode(data)
    except NotText as exc:
        assert exc.reason and "\n" not in exc.reason
        return
    assert "\r" not in decoded.text
    article = build_article(
        "x.md" if markdown else "x.txt",
        "x",
        decoded.text,
        decoded.encoding,
        decoded.problems,
        markdown=markdown,
    )
    check_article(article)


@SETTINGS
@given(text=hostile_text, markdown=st.booleans())
def test_any_text_becomes_a_safe_article(text: str, markdown: bool) -> None:
    article = build_article("x", "x", text, "utf-8", markdown=markdown)
    check_article(article)


json_values = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | hostile_text,
    lambda inner: st.lists(inner, max_size=3) | st.dictionaries(hostile_text, inner, max_size=3),
    max_leaves=8,
)
records = st.dictionaries(
    st.sampled_from(["text", "body", "content", "title", "date", "source", "author", "url"]),
    json_values,
    max_size=6,
)
lines = st.one_of(
    records.map(json.dumps),
    json_values.map(json.dumps),
    hostile_text.map(lambda t: t.replace("\n", " ")),
)


@SETTINGS
@given(rows=st.lists(lines, max_size=8))
def test_any_jsonl_gives_safe_articles_and_reasons(rows: list[str], tmp_path: Path) -> None:
    path = tmp_path / "records.jsonl"
    path.write_text("\n".join(rows), encoding="utf-8", errors="surrogatepass")
    st_ = path.stat()
    articles, skipped = load(Source(path, "records.jsonl", st_.st_size, st_.st_mtime_ns))
    for article in articles:
        check_article(article)
    for s in skipped:
        assert s.reason and "\n" not in s.reason
        assert not unsafe(s.reason, one_line=True), s.reason
