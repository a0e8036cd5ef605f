"""Caret motions: where w, b, e, { and } land, as a vim user expects."""

from __future__ import annotations

from tui.motions import next_paragraph, next_word, previous_paragraph, previous_word, word_end

TEXT = "Elon Musk's xAI raised $6 billion.\n\nSecond paragraph here.\n\n\nThird one."


def at(offset: int) -> str:
    return TEXT[offset:]


def test_w_moves_to_the_next_word_start() -> None:
    assert at(next_word(TEXT, 0)).startswith("Musk")
    assert at(next_word(TEXT, 5)).startswith("'s")
    assert at(next_word(TEXT, TEXT.index("billion"))).startswith(".")
    assert at(next_word(TEXT, TEXT.index("."))).startswith("Second")


def test_b_moves_to_this_or_the_previous_word_start() -> None:
    assert at(previous_word(TEXT, TEXT.index("Musk") + 2)).startswith("Musk")
    assert at(previous_word(TEXT, TEXT.index("Musk"))).startswith("Elon")
    assert previous_word(TEXT, 0) == 0


def test_e_moves_to_the_end_of_a_word() -> None:
    assert TEXT[word_end(TEXT, 0)] == "n"  # Elo[n]
    assert TEXT[: word_end(TEXT, 3) + 1].endswith("Musk")  # from the end of Elon
    assert TEXT[: word_end(TEXT, TEXT.index("xAI")) + 1].endswith("xAI")


def test_paragraph_motions() -> None:
    second = TEXT.index("Second")
    third = TEXT.index("Third")
    # } lands on the break after the paragraph, so v} selects just the paragraph.
    assert TEXT[: next_paragraph(TEXT, 0)].endswith("billion.")
    assert TEXT[: next_paragraph(TEXT, next_paragraph(TEXT, 0))].endswith("here.")
    assert next_paragraph(TEXT, second) == next_paragraph(TEXT, TEXT.index("paragraph"))
    assert previous_paragraph(TEXT, next_paragraph(TEXT, second)) == second
    assert previous_paragraph(TEXT, third + 3) == third
    assert previous_paragraph(TEXT, third) == second
    assert previous_paragraph(TEXT, second) == 0


def test_motions_stay_inside_the_text() -> None:
    for motion in (next_word, word_end, next_paragraph):
        assert motion(TEXT, len(TEXT) - 1) == len(TEXT) - 1
        assert motion("", 0) == 0
    for motion in (previous_word, previous_paragraph):
        assert motion(TEXT, 0) == 0


def test_w_steps_whole_words_in_every_script() -> None:
    """A Hindi vowel sign stays in its word; Chinese and Japanese step as vim does."""
    hindi = "भारत के प्रधानमंत्री मोदी"
    stops = [0]
    while (stop := next_word(hindi, stops[-1])) > stops[-1]:
        stops.append(stop)
    assert stops[:4] == [hindi.index(word) for word in hindi.split()]
    japanese = "東京は日本の首都です。"
    assert japanese[next_word(japanese, 0) :].startswith("は")
    assert japanese[next_word(japanese, japanese.index("日")) :].startswith("の")
