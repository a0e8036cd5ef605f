"""Wrapping an article's blocks into lines of the reader's width."""

from __future__ import annotations

from rich.cells import cell_len

from tui.corpus import build_article
from tui.widgets.layout import wrap

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
