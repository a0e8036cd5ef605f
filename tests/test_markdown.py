"""Markdown -> display model: what a reader sees, and that hostile files stay fast."""

from __future__ import annotations

import datetime as dt
import re
import time
from collections.abc import Callable
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from tui.corpus import load_corpus
from tui.markdown import FULL_PARSE_LIMIT, Rendered, render_markdown, split_front_matter
from tui.sanitize import sanitize

HANG_GUARD = 10.0
"""CPU seconds: only a hang detector. CPU, not wall time, so a busy machine cannot fail it."""

_CONTROLS = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]")


def lines(r: Rendered) -> list[str]:
    return [r.text[b.start : b.end] for b in r.blocks]


def styled(r: Rendered, kind: str) -> list[str]:
    """The texts drawn in style ``kind``, in order."""
    return [
        r.text[s.start : s.end] for s in sorted(r.spans, key=lambda s: s.start) if s.kind == kind
    ]


def block_of(r: Rendered, needle: str) -> tuple[str, int]:
    """(kind, indent) of the first display line containing ``needle``."""
    for b in r.blocks:
        if needle in r.text[b.start : b.end]:
            return b.kind, b.indent
    raise AssertionError(f"{needle!r} not displayed in {lines(r)}")


def check_model(r: Rendered) -> None:
    """The contract the reader relies on: one block per line, spans inside the text."""
    assert r.blocks, "even an empty document has a line"
    assert r.blocks[0].start == 0
    assert r.blocks[-1].end == len(r.text)
    for before, after in zip(r.blocks, r.blocks[1:], strict=False):
        assert after.start == before.end + 1
        assert r.text[before.end] == "\n"
    for b in r.blocks:
        assert b.start <= b.end
        assert "\n" not in r.text[b.start : b.end]
        assert b.kind != "blank" or b.start == b.end
        assert b.indent >= 0
    for s in r.spans:
        assert 0 <= s.start < s.end <= len(r.text), s


def timed(fn: Callable[[], Rendered]) -> Rendered:
    start = time.process_time()
    result = fn()
    assert time.process_time() - start < HANG_GUARD
    check_model(result)
    return result


# -- constructs -------------------------------------------------------------


def test_heading_shows_its_exact_text_styled_and_separated() -> None:
    r = render_markdown("# The *Nvidia* H100\n\nBody text.\n\nSetext\n------\n")
    assert lines(r) == ["The Nvidia H100", "", "Body text.", "", "Setext"]
    assert styled(r, "heading") == ["The Nvidia H100", "Setext"]
    assert styled(r, "em") == ["Nvidia"]
    assert [b.kind for b in r.blocks] == ["heading", "blank", "paragraph", "blank", "heading"]


def test_soft_breaks_join_and_hard_breaks_split_a_paragraph() -> None:
    r = render_markdown("one\ntwo  \nthree\\\nfour\n")
    assert lines(r) == ["one two", "three", "four"]
    assert {b.kind for b in r.blocks} == {"paragraph"}


def test_inline_styles_cover_exactly_their_words() -> None:
    r = render_markdown("Use *em*, **strong**, `x < y` and ~~old~~ here.")
    assert lines(r) == ["Use em, strong, x < y and old here."]
    assert styled(r, "em") == ["em"]
    assert styled(r, "strong") == ["strong"]
    assert styled(r, "code") == ["x < y"]
    assert styled(r, "strike") == ["old"]


def test_style_across_a_hard_break_continues_on_the_next_line() -> None:
    r = render_markdown("**bold  \nstill bold** plain")
    assert lines(r) == ["bold", "still bold plain"]
    assert styled(r, "strong") == ["bold", "still bold"]


def test_code_block_is_one_indented_block_per_line_and_never_interpreted() -> None:
    r = render_markdown("```python\ndef f():\n\treturn *x*\n\n```\n\n    indented\n")
    code = [b for b in r.blocks if b.kind == "code"]
    assert [r.text[b.start : b.end] for b in code] == [
        "  def f():",
        "      return *x*",
        "  ",
        "  indented",
    ]
    assert all(b.indent == 2 for b in code)
    assert styled(r, "code") == ["def f():", "    return *x*", "indented"]
    assert not styled(r, "em")


def test_quote_has_a_bar_per_level_and_hangs_at_the_text() -> None:
    r = render_markdown("> outer *words*\n>\n> > inner\n\nafter\n")
    assert lines(r) == ["│ outer words", "│", "│ │ inner", "", "after"]
    assert block_of(r, "outer") == ("quote", 2)
    assert block_of(r, "inner") == ("quote", 4)
    assert block_of(r, "after") == ("paragraph", 0)
    assert styled(r, "quote")[0] == "│ outer words"
    assert styled(r, "em") == ["words"]


def test_lists_show_bullets_numbers_nesting_and_hanging_indent() -> None:
    r = render_markdown("- apples\n- pears\n  - green\n\n3. three\n4. four\n")
    assert lines(r) == ["• apples", "• pears", "  • green", "", "3. three", "4. four"]
    assert block_of(r, "apples")[1] == 2
    assert block_of(r, "green")[1] == 4
    assert block_of(r, "three")[1] == 3


def test_loose_list_items_breathe_and_continuation_paragraphs_align() -> None:
    r = render_markdown("1. first\n\n   more of first\n2. second\n")
    assert lines(r) == ["1. first", "", "   more of first", "", "2. second"]


def test_lists_and_quotes_nest_inside_each_other() -> None:
    r = render_markdown("> - a\n>   - b\n> - c\n\n1. item\n\n   > quoted\n")
    assert lines(r) == ["│ • a", "│   • b", "│ • c", "", "1. item", "", "   │ quoted"]
    assert block_of(r, "b") == ("quote", 6)
    assert block_of(r, "quoted") == ("quote", 5)


def test_empty_list_item_still_shows_its_bullet() -> None:
    assert lines(render_markdown("- a\n-\n- c\n")) == ["• a", "• ", "• c"]


def test_link_shows_text_then_dimmed_target() -> None:
    r = render_markdown("See [the report](https://example.com/a%C3%A4 'title') now.")
    assert lines(r) == ["See the report <https://example.com/aä> now."]
    assert styled(r, "link") == ["the report"]
    assert styled(r, "url") == ["<https://example.com/aä>"]


def test_reference_link_resolves() -> None:
    r = render_markdown("Read [this][ref].\n\n[ref]: https://example.org/x\n")
    assert lines(r) == ["Read this <https://example.org/x>."]


def test_autolink_shows_the_url_once() -> None:
    r = render_markdown("Mail <mail@example.com> or <https://example.com>.")
    assert lines(r) == ["Mail mail@example.com or https://example.com."]
    assert styled(r, "link") == ["mail@example.com", "https://example.com"]


def test_image_shows_alt_and_target() -> None:
    r = render_markdown("![A *chip* die](img/h100.png)")
    assert lines(r) == ["[image: A chip die] <img/h100.png>"]


def test_rule_is_a_line_of_box_drawing() -> None:
    r = render_markdown("above\n\n---\n\nbelow")
    kind, _ = block_of(r, "─")
    assert kind == "rule"
    assert set(lines(r)[2]) == {"─"}
    huge = timed(lambda: render_markdown("*" * 100_000))  # still just a rule
    assert [b.kind for b in huge.blocks] == ["rule"]


def test_table_rows_have_aligned_cells_and_a_header_rule() -> None:
    r = render_markdown("| chip | price |\n|---|--:|\n| H100 | 30000 |\n| B200 | 5 |\n")
    assert lines(r) == [
        "chip │ price",
        "─────┼──────",
        "H100 │ 30000",
        "B200 │     5",
    ]
    assert styled(r, "strong") == ["chip", "price"]
    assert {b.kind for b in r.blocks} == {"table"}


def test_raw_html_is_shown_literally() -> None:
    r = render_markdown('<script>alert("x")</script>\n\nText <b>bold?</b> end.')
    assert lines(r) == ['<script>alert("x")</script>', "", "Text <b>bold?</b> end."]
    assert not styled(r, "strong")


def test_entities_cannot_smuggle_control_characters() -> None:
    r = render_markdown("a&#10;b &#13; &#x202E;evil &#27;[31m")
    check_model(r)
    assert len(r.blocks) == 1
    assert not _CONTROLS.search(r.text)


def test_javascript_links_are_not_links() -> None:
    r = render_markdown("[click](javascript:alert(1))")
    assert not styled(r, "link")
    assert "click" in r.text


def test_empty_document_still_has_one_line() -> None:
    r = render_markdown("")
    assert r.text == ""
    assert len(r.blocks) == 1


# -- front matter -------------------------------------------------------------


def test_front_matter_fields_are_display_strings() -> None:
    source = (
        "---\n"
        "title: Chips: the race\n"
        "date: 2024-03-18\n"
        "tags: [ai, chips, 3]\n"
        "draft: false\n"
        "views: 12\n"
        "author:\n  name: nested, skipped\n"
        "---\n"
        "# Body\n"
    )
    source = source.replace("Chips: the race", "'Chips: the race'")
    fields, body, problems = split_front_matter(source)
    assert fields == {
        "title": "Chips: the race",
        "date": dt.date(2024, 3, 18).isoformat(),
        "tags": "ai, chips, 3",
        "draft": "false",
        "views": "12",
    }
    assert body == "# Body\n"
    assert problems == ()


def test_front_matter_may_close_with_dots_and_values_lose_controls() -> None:
    fields, body, problems = split_front_matter('---\ntitle: "a\\x1bb\\nc"\n...\ntext')
    assert fields == {"title": "a\ufffdb c"}
    assert body == "text"
    assert problems == ()


def test_invalid_yaml_between_fences_is_still_front_matter_not_body() -> None:
    source = "---\ntitle: [unclosed\n---\nbody\n"
    fields, body, problems = split_front_matter(source)
    assert fields == {}
    assert body == "body\n"
    assert len(problems) == 1 and problems[0].startswith("front matter is not valid YAML")


def test_unclosed_front_matter_is_not_parsed_even_when_huge() -> None:
    source = "---\n" + "key: value\n" * 2_000_000  # 22 MB, never closed
    start = time.process_time()
    fields, body, problems = split_front_matter(source)
    assert time.process_time() - start < 1.0
    assert fields == {}
    assert body is source
    assert problems and "not closed" in problems[0]


def test_non_mapping_front_matter_is_reported() -> None:
    fields, body, problems = split_front_matter("---\n- a\n- b\n---\nbody")
    assert fields == {}
    assert body == "body"
    assert problems == ("front matter is not a YAML mapping but list",)


def test_deeply_nested_yaml_is_refused_quickly() -> None:
    for yaml_text in ("[" * 60_000, "x: " + "[" * 999 + "]" * 999):
        start = time.process_time()
        fields, body, problems = split_front_matter(f"---\n{yaml_text}\n---\nbody")
        assert time.process_time() - start < 1.0
        assert fields == {}
        assert body == ("body" if yaml_text.startswith("x:") else f"---\n{yaml_text}\n---\nbody")
        assert problems


def test_leading_thematic_break_is_not_a_front_matter_problem() -> None:
    source = "---\nJust an article that opens with a rule.\n"
    assert split_front_matter(source) == ({}, source, ())


def test_no_front_matter_and_empty_front_matter() -> None:
    assert split_front_matter("# Title\n---\n") == ({}, "# Title\n---\n", ())
    assert split_front_matter("---\n---\nbody") == ({}, "body", ())


def test_prose_between_two_rules_is_not_hidden_as_front_matter() -> None:
    source = "---\nJust a sentence between rules.\n---\nbody"
    fields, body, problems = split_front_matter(source)
    assert (fields, body) == ({}, source)
    assert problems == ("front matter is not a YAML mapping but str",)


@pytest.mark.parametrize(
    ("yaml_text", "fields"),
    [
        # YAML forbids tabs (sanitize makes them spaces) and a ": " in a plain value.
        ("title:\tTabbed: Title: With colons\n\tdate: 2024-05-17\nlanguage:\tde\n",
         {"title": "Tabbed: Title: With colons", "date": "2024-05-17", "language": "de"}),
        ("\ttitle: Tabbed\ndate: 2024-05-17\n", {"title": "Tabbed", "date": "2024-05-17"}),
        # An unclosed quote: that line is lost, the good ones are read.
        ('title: "Unclosed quote\nsource: Wire\n', {"source": "Wire"}),
        ("title: 'It''s: here' # note\nauthor: \"A: B\"\ntags: [unclosed\n",
         {"title": "It's: here", "author": "A: B"}),
        # What YAML would read as more than a string is not guessed at.
        ("title: a: b\ntags: [x, y\nurl: *ref\ntext: |\n", {"title": "a: b"}),
        # A nested mapping's keys are not the article's.
        ("title: a: b\nauthor:\n  name: X\n  url: http://x\ndate: 2024-05-17\n",
         {"title": "a: b", "date": "2024-05-17"}),
    ],
)  # fmt: skip
def test_what_can_be_read_of_a_broken_front_matter_is_read(
    yaml_text: str, fields: dict[str, str]
) -> None:
    source = sanitize(f"---\n{yaml_text}---\n# Heading\n")
    got, body, problems = split_front_matter(source)
    assert (got, body) == (fields, "# Heading\n")
    assert len(problems) == 1 and problems[0].startswith("front matter is not valid YAML")


def test_an_unclosed_block_stays_text_but_its_leading_fields_count() -> None:
    source = "---\ntitle: Never closed\ndate: 2024-05-01\n\nBody text.\n"
    fields, body, problems = split_front_matter(source)
    assert (fields, body) == ({"title": "Never closed", "date": "2024-05-01"}, source)
    assert problems and "not closed" in problems[0]
    prose = "---\ntitle: Never closed\nAnd then prose, with no blank line.\n"
    assert split_front_matter(prose)[0] == {}


_AUDIT = {  # file: (source, title, date)
    "broken_fm.md": ('---\ntitle: "Unclosed quote\ndate: 2024-13-45 : : :\n---\n'
                     "# Broken Front Matter\n\nThe body. It goes on.\n",
                     "Broken Front Matter", None),
    "fm_tabs.md": ("---\ntitle: Tabbed: Title: With colons\n\tdate: 2024-05-17\n"
                   "\tlanguage: de\n---\n\nDer Text beginnt hier. Er geht weiter.\n",
                   "Tabbed: Title: With colons", "2024-05-17"),
    "unterminated_fm.md": ("---\ntitle: Never closed\ndate: 2024-05-01\n\n"
                           "Some body text follows here. And more.\n",
                           "Never closed", "2024-05-01"),
    "fm_list.md": ("---\n- a\n- b\n---\n# List Front\n\nThe body. It goes on.\n",
                   "List Front", None),
}  # fmt: skip


def test_broken_front_matter_is_neither_the_title_nor_body_text(tmp_path: Path) -> None:
    for name, (source, _, _) in _AUDIT.items():
        (tmp_path / name).write_text(source, encoding="utf-8")
    articles = {a.id: a for a in load_corpus(tmp_path).articles}
    for name, (_, title, date) in _AUDIT.items():
        article = articles[name]
        assert (article.title, article.date) == (title, date), name
        assert any(p.startswith("front matter is not") for p in article.problems), name
        if name != "unterminated_fm.md":  # no closing fence: not front matter, so shown
            assert not article.text.startswith("─") and "• a" not in article.text, name
            assert not re.search("title|date:|Unclosed", article.text), name


# -- hostile input ------------------------------------------------------------


def test_thousands_of_nested_quotes_keep_their_text() -> None:
    r = timed(lambda: render_markdown(">" * 5000 + " deep text\n\nafter\n"))
    assert "deep text" in r.text and "after" in r.text
    assert max(b.indent for b in r.blocks) < 40  # visible indentation is capped
    assert "⋯" in r.text  # ...and the depth is shown instead


def test_thousands_of_quote_lines_each_deeper() -> None:
    source = "\n".join(">" * i + f" line{i}" for i in range(1, 2001))
    r = timed(lambda: render_markdown(source))
    assert "line2000" in r.text


def test_thousands_of_nested_list_levels_keep_their_text() -> None:
    r = timed(lambda: render_markdown("- " * 5000 + "bottom"))
    assert "bottom" in r.text
    nested = "\n".join("  " * i + f"- item{i}" for i in range(3000))
    r = timed(lambda: render_markdown(nested))
    assert "item2999" in r.text
    assert max(b.indent for b in r.blocks) < 40


@pytest.mark.parametrize(
    "source",
    [
        "*" * 100_000 + " x",
        "a" + "*" * 100_000,
        "*a" * 50_000,
        "[" * 100_000,
        "![" * 50_000,
        "[a](" * 30_000,
        "<" * 100_000,
        "x " + "`" * 100_000,
        "&#10;" * 20_000,
        "|" * 100_000,
    ],
    ids=[
        "stars",
        "word-stars",
        "star-a",
        "brackets",
        "images",
        "links",
        "lt",
        "ticks",
        "ents",
        "pipes",
    ],
)
def test_pathological_inline_runs_finish(source: str) -> None:
    r = timed(lambda: render_markdown(source))
    assert len(r.text) >= len(source) // 10


def test_five_megabyte_paragraph_finishes_and_keeps_its_words() -> None:
    source = "word *em* [l](u) " * 300_000  # ~5 MB, one line
    r = timed(lambda: render_markdown(source))
    assert r.text.count("word") == 300_000


def test_wide_table_finishes() -> None:
    row = "|".join("c" * 1000)
    source = row + "\n" + "|".join("-" * 1000) + "\n" + (row + "\n") * 50
    r = timed(lambda: render_markdown(source))
    assert len(r.blocks) == 52


def test_twenty_megabytes_of_ordinary_markdown() -> None:
    unit = (
        "## Section\n\nSome *text* with **bold**, `code` and a [link](https://x.org).\n"
        "Another line of the same paragraph.\n\n- item one\n- item two\n\n> a quote\n\n"
    )
    source = unit * (20_000_000 // len(unit))
    r = timed(lambda: render_markdown(source))
    assert r.text.endswith("> a quote")  # beyond the limit: plain, but nothing lost
    assert "Section" in r.text[:100]
    assert styled(r, "heading")[0] == "Section"
    assert r.problems and f"{FULL_PARSE_LIMIT:,}"[:3] in r.problems[0]


def test_budget_degrades_to_literal_text_not_to_lost_text() -> None:
    paragraph = "[x] " * 20_000  # one paragraph over the per-paragraph budget
    r = render_markdown("ok *fine*\n\n" + paragraph)
    assert styled(r, "em") == ["fine"]
    assert r.text.count("[x]") == 20_000
    assert r.problems


# -- property -----------------------------------------------------------------

_MARKDOWNISH = st.lists(
    st.one_of(
        st.sampled_from(list("\n\n\n  \t#>*_`~[]()!<>&;|-+=:.1\\/\"'")),
        st.sampled_from(["&#10;", "&amp;", "```", "---", "- ", "1. ", "> ", "    ", "http://"]),
        st.characters(exclude_categories=("Cs", "Cc")),
    ),
    max_size=200,
).map("".join)


@settings(max_examples=400, deadline=None)
@given(_MARKDOWNISH)
def test_any_text_renders_to_a_valid_model(source: str) -> None:
    r = render_markdown(source)
    check_model(r)
    assert not _CONTROLS.search(r.text.replace("\t", " "))


@settings(max_examples=200, deadline=None)
@given(st.text(max_size=300))
def test_any_text_with_front_matter_never_raises(body: str) -> None:
    fields, rest, _problems = split_front_matter("---\n" + body + "\n---\n" + body)
    assert all(isinstance(k, str) and isinstance(v, str) for k, v in fields.items())
    check_model(render_markdown(rest))
