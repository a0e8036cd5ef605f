"""Re-anchoring a note's quote after its article changed."""

from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from tui.anchor import Anchor, anchor, content_hash, find_moved, find_record, selector
from tui.store import Store

TEXT = (
    "Nvidia reported record revenue on Wednesday, driven by demand for its AI chips.\n"
    "\n"
    "Tesla said its Dojo supercomputer would use custom silicon designed in house, "
    "and that the chips would be ready next year.\n"
    "\n"
    "Meta plans to spend billions on data centres next year, analysts said.\n"
)
QUOTE = "custom silicon designed in house"


def place(old: str, new: str, quote: str, occurrence: int = 0) -> Anchor:
    start = -1
    for _ in range(occurrence + 1):
        start = old.index(quote, start + 1)
    sel = selector(old, start, start + len(quote))
    return anchor(new, sel.quote, sel.prefix, sel.suffix, sel.start, sel.end)


def test_unchanged() -> None:
    a = place(TEXT, TEXT, QUOTE)
    assert a.status == "anchored"
    assert TEXT[a.start : a.end] == QUOTE


def test_edit_before_the_quote() -> None:
    new = TEXT.replace("record revenue", "record quarterly revenue, again,")
    a = place(TEXT, new, QUOTE)
    assert a.status == "moved"
    assert new[a.start : a.end] == QUOTE


def test_edit_after_the_quote() -> None:
    new = TEXT.replace("analysts said", "two analysts in London said on Thursday")
    a = place(TEXT, new, QUOTE)
    assert a.status == "anchored"
    assert new[a.start : a.end] == QUOTE


def test_edit_right_next_to_the_quote_changes_context_only() -> None:
    new = TEXT.replace("would use custom", "will use custom")
    a = place(TEXT, new, QUOTE)
    assert a.status == "moved"
    assert new[a.start : a.end] == QUOTE


def test_edit_inside_the_quote_is_found_fuzzily() -> None:
    new = TEXT.replace("designed in house", "designed entirely in house")
    a = place(TEXT, new, QUOTE)
    assert a.status == "moved"
    assert new[a.start : a.end] == "custom silicon designed entirely in house"
    assert 80 <= a.score < 100


def test_word_removed_inside_the_quote() -> None:
    new = TEXT.replace("custom silicon designed", "custom designed")
    a = place(TEXT, new, QUOTE)
    assert a.status == "moved"
    assert new[a.start : a.end] == "custom designed in house"


def test_quote_repeated_twice_keeps_the_right_one() -> None:
    # "next year" occurs twice; a note on the second stays on the second, even
    # after text is inserted before both.
    assert TEXT.count("next year") == 2
    new = "Breaking: a new paragraph at the top.\n\n" + TEXT
    second = place(TEXT, new, "next year", occurrence=1)
    first = place(TEXT, new, "next year", occurrence=0)
    assert second.status == first.status == "moved"
    assert new[second.start : second.end] == "next year"
    assert second.start == new.rindex("next year")
    assert first.start == new.index("next year")


def test_repeated_quote_with_its_context_edited_picks_the_nearest() -> None:
    text = "alpha beta gamma. " * 3
    sel = selector(text, 18 + 6, 18 + 10)  # the second "beta"
    new = text.replace("alpha", "ALPHA")  # every prefix changed the same way
    a = anchor(new, sel.quote, sel.prefix, sel.suffix, sel.start, sel.end)
    assert a.status == "anchored"
    assert a.start == 24


def test_paragraph_deleted_is_orphaned() -> None:
    new = TEXT.replace(
        "Tesla said its Dojo supercomputer would use custom silicon designed in house, "
        "and that the chips would be ready next year.\n\n",
        "",
    )
    a = place(TEXT, new, QUOTE)
    assert a.status == "orphaned"
    assert 0 <= a.start <= a.end <= len(new)


def test_paragraph_deleted_note_still_listed(tmp_path: Path) -> None:
    with Store.open(tmp_path / "m.sqlite3") as store:
        start = TEXT.index(QUOTE)
        note = store.add_note("c", "a.txt", TEXT, start, start + len(QUOTE), "where did it go")
        new = TEXT.replace(TEXT[TEXT.index("Tesla") : TEXT.index("Meta")], "")
        [placed] = store.placed("c", "a.txt", new)
        assert placed.annotation.id == note.id
        assert placed.anchor.status == "orphaned"
        assert placed.annotation.quote == QUOTE


def test_whole_text_replaced_is_orphaned() -> None:
    assert place(TEXT, "Something completely different.", QUOTE).status == "orphaned"
    assert place(TEXT, "", QUOTE).status == "orphaned"


def test_short_quote_needs_its_context_to_be_found_fuzzily() -> None:
    text = "The H100 sold out. The A100 is older. " * 2
    sel = selector(text, 4, 8)  # "H100"
    moved = "Intro. " + text.replace("The H100 sold", "The H-100 sold", 1)
    a = anchor(moved, sel.quote, sel.prefix, sel.suffix, sel.start, sel.end)
    assert a.status == "moved"
    assert a.start == moved.index("H100")  # the exact one later in the text


def test_selector_limits() -> None:
    sel = selector("abc", 0, 3)
    assert (sel.quote, sel.prefix, sel.suffix) == ("abc", "", "")
    with pytest.raises(ValueError):
        selector("abc", 2, 2)
    with pytest.raises(ValueError):
        selector("abc", 0, 4)


def test_find_moved() -> None:
    hashes = {"new/place.txt": "h1", "other.txt": "h2", "copy/a.txt": "h3", "b/a.txt": "h3"}
    assert find_moved("place.txt", "h1", hashes) == "new/place.txt"
    assert find_moved("other.txt", "zzz", hashes) == "other.txt"  # still there: keep it
    assert find_moved("gone.txt", "zzz", hashes) is None
    assert find_moved("x/a.txt", "h3", hashes) == "b/a.txt"  # same name, sorted
    assert find_moved("data.jsonl#4", "h2", hashes) == "other.txt"


def test_content_hash_is_stable() -> None:
    assert content_hash("abc") == content_hash("abc") != content_hash("abd")


# -- properties ----------------------------------------------------------------

WORDS = st.text(alphabet="abcdefgh \n.,", min_size=0, max_size=40)


@st.composite
def note_and_edits(draw: st.DrawFn) -> tuple[str, int, int, list[tuple[int, int, str]]]:
    text = draw(st.text(alphabet="abcdefghij klmnop\n.,", min_size=1, max_size=400))
    start = draw(st.integers(0, len(text) - 1))
    end = draw(st.integers(start + 1, min(len(text), start + 60)))
    edits = draw(
        st.lists(st.tuples(st.integers(0, 500), st.integers(0, 30), WORDS), min_size=0, max_size=5)
    )
    return text, start, end, edits


def apply(text: str, edits: list[tuple[int, int, str]]) -> str:
    for at, length, insert in edits:
        at = min(at, len(text))
        text = text[:at] + insert + text[at + length :]
    return text


@given(note_and_edits())
@settings(max_examples=400, deadline=None)
def test_random_edits_never_lose_a_note(
    case: tuple[str, int, int, list[tuple[int, int, str]]],
) -> None:
    text, start, end, edits = case
    sel = selector(text, start, end)
    new = apply(text, edits)
    a = anchor(new, sel.quote, sel.prefix, sel.suffix, sel.start, sel.end)
    assert a.status in ("anchored", "moved", "orphaned")
    assert 0 <= a.start <= a.end <= len(new)
    if a.status != "orphaned":
        assert a.start < a.end
    if a.status == "anchored":
        assert new[a.start : a.end] == sel.quote


@given(
    before=st.text(alphabet="xyz .\n", max_size=200),
    after=st.text(alphabet="xyz .\n", max_size=200),
    inserted=st.text(alphabet="xyz .\n", max_size=50),
    where=st.sampled_from(["before", "after"]),
)
@settings(max_examples=300, deadline=None)
def test_edit_away_from_the_quote_finds_it_exactly(
    before: str, after: str, inserted: str, where: str
) -> None:
    quote = "the Dojo chip"
    text = before + quote + after
    sel = selector(text, len(before), len(before) + len(quote))
    new = inserted + text if where == "before" else text + inserted
    a = anchor(new, sel.quote, sel.prefix, sel.suffix, sel.start, sel.end)
    assert a.status in ("anchored", "moved")
    assert new[a.start : a.end] == quote
    assert a.start == len(before) + (len(inserted) if where == "before" else 0)


@given(note_and_edits())
@settings(max_examples=60, deadline=None)
def test_store_lists_every_note_after_random_edits(
    case: tuple[str, int, int, list[tuple[int, int, str]]],
) -> None:
    text, start, end, edits = case
    with Store.memory() as store:
        note = store.add_note("c", "a.txt", text, start, end, "body")
        new = apply(text, edits)
        placed = store.placed("c", "a.txt", new)
        assert [p.annotation.id for p in placed] == [note.id]
        assert placed[0].annotation.quote == text[start:end]


def test_paragraph_moved_far_and_edited_is_found() -> None:
    filler = "Lorem ipsum dolor sit amet, consectetur adipiscing elit. " * 200
    text = TEXT + filler
    start = text.index(QUOTE)
    sel = selector(text, start, start + len(QUOTE))
    moved_paragraph = TEXT.replace("designed in house", "designed entirely in house")
    new = filler + moved_paragraph  # the quote is now ~11,000 characters later
    a = anchor(new, sel.quote, sel.prefix, sel.suffix, sel.start, sel.end)
    assert a.status == "moved"
    assert new[a.start : a.end] == "custom silicon designed entirely in house"


def test_orphan_in_a_big_article_is_quick() -> None:
    import time

    big = "Nvidia chips sold well again this quarter, analysts said. " * 80_000  # ~4.7 MB
    t0 = time.perf_counter()
    a = anchor(big, "a sentence that is nowhere in the text at all", "", "", 2_000_000, 2_000_045)
    assert a.status == "orphaned"
    assert time.perf_counter() - t0 < 1.0


def test_a_short_quote_one_character_off_is_another_word() -> None:
    old = "Record 2 about animal2 and other things that live in the wild."
    new = "Record 1 about animal1 and other things that live in the wild."
    assert place(old, new, "animal2").status == "orphaned"


def test_a_record_edited_in_place_keeps_its_notes_beside_a_look_alike() -> None:
    """A wire story and its update, one line apart: editing the quoted words of the first
    leaves its notes there (the words around them are still), not on the look-alike."""
    story = "Shares rose after record sales in May, the company said on Tuesday."
    texts = {"feed.jsonl#1": story, "feed.jsonl#2": story + " Updated."}
    start = story.index("record sales")
    quote = selector(story, start, start + len("record sales"))
    texts["feed.jsonl#1"] = story.replace("record sales", "strong sales")
    hashes = {i: content_hash(t) for i, t in texts.items()}
    assert find_record("feed.jsonl#1", [quote], hashes, texts.get) is None
    texts["feed.jsonl#1"] = "An unrelated record took this line."
    hashes = {i: content_hash(t) for i, t in texts.items()}
    assert find_record("feed.jsonl#1", [quote], hashes, texts.get) == "feed.jsonl#2"
