"""Wrapping an article's blocks into lines of the reader's width."""

from __future__ import annotations

from rich.cells import cell_len

from tui.corpus import build_article
from tui.model import line_blocks
from tui.widgets.layout import Layout, wrap

LEAD_ZH = (
    "北京是中华人民共和国的首都，也是全国的政治、文化中心。2024年，北京市的人口约为"
    "两千一百八十万人。市政府宣布了新的交通计划，以减少城市的拥堵。"
)


def test_chinese_lines_fit_the_width_and_never_open_with_a_comma_or_stop() -> None:
    article = build_article("zh.txt", "zh.txt", f"北京新闻\n\n{LEAD_ZH * 3}\n", "utf-8")
    block = max(article.blocks, key=lambda b: b.end - b.start)
    for width in range(20, 61):
        lines = [article.text[s:e] for s, e in wrap(article.text, block, width)]
        assert "".join(lines) == article.text[block.start : block.end]
        assert all(cell_len(line) <= width for line in lines), width
        assert not any(line[0] in "，。、" for line in lines), width


def _rows(text: str, width: int = 40) -> list[str]:
    layout = Layout.exact_layout(text, line_blocks(text), width)
    assert layout is not None
    rows = []
    for y in range(layout.height):
        found = layout.line(y)
        assert found is not None
        start, end = found[1]
        rows.append(text[start:end])
        assert layout.y_of(layout.offset_of(y)) == y  # every row, the gap too, has a place
    return rows


def test_a_paragraph_a_line_gets_a_blank_row_between_paragraphs() -> None:
    """Scraped news is often a paragraph a line: it read as a wall of text."""
    paragraphs = [f"Paragraph {n} " + "runs on with words of its own " * 5 for n in range(4)]
    rows = _rows("\n".join(paragraphs))
    blanks = [y for y, row in enumerate(rows) if not row]
    assert len(blanks) == 3  # between the paragraphs, not after the last
    assert all(rows[y + 1].startswith("Paragraph") for y in blanks)


def test_hard_wrapped_or_blank_separated_text_keeps_its_rows() -> None:
    wrapped = "\n".join(["A line of hard-wrapped prose that stops before the edge"] * 6)
    assert "" not in _rows(wrapped, 80)
    long = "A paragraph with plenty of words to wrap over several rows of the pane. " * 2
    separated = "\n\n".join([long] * 4)
    assert _rows(separated).count("") == 3  # its own blank lines, no more
