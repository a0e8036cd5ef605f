"""Sanitizing text: nothing a terminal would interpret reaches it."""

from __future__ import annotations

import unicodedata

import pytest
from hypothesis import given
from hypothesis import strategies as st

from tui.decode import NotText, decode
from tui.sanitize import BIDI_MARK, C1_MARK, MARKS, sanitize, sanitize_line

BIDI = "\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069\u200e\u200f\u061c"


def forbidden_in_text(char: str) -> bool:
    """What sanitize must never return: C0 but newline, DEL, C1, bidi, surrogates."""
    code = ord(char)
    return (
        (code < 0x20 and char != "\n")
        or 0x7F <= code <= 0x9F
        or char in BIDI
        or 0xD800 <= code <= 0xDFFF
    )


class TestEscapes:
    @pytest.mark.parametrize(
        ("raw", "shown"),
        [
            ("\x1b]0;pwned\x07title", "␛]0;pwned␇title"),
            ("before\x1b[2Jafter", "before␛[2Jafter"),
            ("\x1b]52;c;ZWNobyBwd25lZA==\x07", "␛]52;c;ZWNobyBwd25lZA==␇"),
            ("\x1bP+q\x1b\\", "␛P+q␛\\"),
            ("ding\x07", "ding␇"),
            ("x\x7fy", "x␡y"),
            ("\x9b31mred", f"{C1_MARK}31mred"),
            ("\x85next", f"{C1_MARK}next"),
        ],
    )
    def test_shown_as_marks(self, raw: str, shown: str) -> None:
        assert sanitize(raw) == shown
        assert sanitize_line(raw) == shown

    def test_every_mark_is_in_marks(self) -> None:
        everything = "".join(map(chr, range(0x20))) + "\x7f" + "".join(map(chr, range(0x80, 0xA0)))
        shown = sanitize_line(everything + BIDI + "\ud800")
        assert set(shown) <= MARKS
        assert "␛" in MARKS and "␇" in MARKS

    def test_lone_surrogate_becomes_replacement_character(self) -> None:
        text = b"caf\xe9".decode("utf-8", "surrogateescape")
        assert sanitize(text) == "caf\ufffd"


class TestBidi:
    def test_trojan_source_overrides_are_visible(self) -> None:
        text = "access = 'user\u202e \u2066// admin\u2069 \u2066'"
        shown = sanitize(text)
        assert not any(c in BIDI for c in shown)
        assert shown.count(BIDI_MARK) == 4
        assert len(shown) == len(text)

    @pytest.mark.parametrize("char", list(BIDI))
    def test_each_bidi_control(self, char: str) -> None:
        assert sanitize(f"a{char}b") == f"a{BIDI_MARK}b"


class TestKept:
    @pytest.mark.parametrize(
        "text",
        [
            "[bold]not markup[/bold] [link=http://x]y[/link]",
            "👩\u200d💻 and 👨\u200d👩\u200d👧 families",
            "caf\u00e9 q\u0303 \u00e4\u0301",  # composed already (no q̃ or ä́ exists)
            "zero\u200bwidth\u200cnon-joiner \ufeff",
            "العربية עברית 中文 Ελληνικά",
            "one\ntwo\n\nthree",
        ],
    )
    def test_unchanged(self, text: str) -> None:
        assert sanitize(text) == text

    def test_combining_accents_are_composed(self) -> None:
        """One form for one word: 'é' typed as e + U+0301 is the 'é' of the other articles."""
        assert sanitize("cafe\u0301 n\u0303 a\u0308") == "caf\u00e9 \u00f1 \u00e4"

    def test_length_is_kept_without_tabs(self) -> None:
        text = "a\x1b[31mb\x9bc\u202ed\n\x00"
        assert len(sanitize(text)) == len(text)


class TestTabsAndLines:
    def test_tabs_expand_to_four_column_stops(self) -> None:
        assert sanitize("\tx\nab\tc\nabcd\te") == "    x\nab  c\nabcd    e"

    def test_line_separators_become_newlines(self) -> None:
        assert sanitize("a\u2028b\u2029c") == "a\nb\nc"

    def test_carriage_return_is_a_mark(self) -> None:
        assert sanitize("over\rwrite") == "over␍write"

    def test_sanitize_line_shows_newline_and_tab(self) -> None:
        assert sanitize_line("Title\nsecond\tline\u2028") == "Title␊second␉line␊"


@given(st.text())
def test_sanitize_leaves_nothing_a_terminal_interprets(text: str) -> None:
    shown = sanitize(text)
    assert not any(forbidden_in_text(c) for c in shown)
    assert "\t" not in shown
    assert sanitize(shown) == shown


@given(st.text())
def test_sanitize_line_leaves_no_control_at_all(text: str) -> None:
    shown = sanitize_line(text)
    assert len(shown) == len(text)
    assert all(unicodedata.category(c) not in {"Cc", "Cs", "Zl", "Zp"} for c in shown)
    assert not any(c in BIDI for c in shown)


@given(st.binary(max_size=2000))
def test_decoded_bytes_are_safe_after_sanitize(data: bytes) -> None:
    try:
        text = decode(data).text
    except NotText:
        return
    assert not any(forbidden_in_text(c) for c in sanitize(text))
