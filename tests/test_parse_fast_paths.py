"""The shortcuts that make parsing an article cheap give what the long way gives."""

from __future__ import annotations

import datetime as dt

import yaml
from hypothesis import given, settings
from hypothesis import strategies as st

from tui.corpus import _is_latin1
from tui.headers import find_date, parse_header
from tui.markdown import _simple_mapping, split_front_matter
from tui.sanitize import MARKS

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


# --- headers ---------------------------------------------------------------------


def test_dates_need_a_year() -> None:
    assert find_date("On Monday, May 29, the board met") is None
    assert find_date("Published May 29, 2024 at 10:00")
    assert parse_header("Rates Rise\n\n29 May 2024\n\nThe bank raised rates. More.").date == (
        "2024-05-29"
    )


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


# --- marks -----------------------------------------------------------------------


def test_latin1_text_cannot_hold_a_mark() -> None:
    assert min(MARKS) > "\u00ff"  # what lets _mark_spans skip Latin-1 text
    assert _is_latin1("Grüße, café") and _is_latin1("plain")
    assert not _is_latin1("quote ’ here") and not _is_latin1("␀")
