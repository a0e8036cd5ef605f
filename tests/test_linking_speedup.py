"""In-article linking of several-word names to a longer full name ending in them."""

from __future__ import annotations

from tui.entities import Mention
from tui.entities.linking import link_article


def _person(start: int, name: str) -> Mention:
    return Mention(start, start + len(name), "PERSON", name, "name:")


def test_a_full_name_ending_another_joins_it() -> None:
    linked = link_article([_person(0, "Ursula von der Leyen"), _person(30, "Von der Leyen")])
    assert [m.name for m in linked] == ["Ursula von der Leyen"] * 2


def test_a_full_name_is_not_longer_than_itself() -> None:
    mentions = [_person(0, "Elon Musk"), _person(20, "ELON MUSK"), _person(40, "Kimbal Musk")]
    linked = link_article(mentions)
    assert [m.name for m in linked] == ["Elon Musk", "Elon Musk", "Kimbal Musk"]


def test_names_that_only_share_letters_at_their_end_stay_apart() -> None:
    # "La Musk" folds to the ending of "Ela Musk" and of "Bella Musk": two
    # longer names, so neither is chosen.
    mentions = [_person(0, "Ela Musk"), _person(20, "Bella Musk"), _person(40, "La Musk")]
    assert [m.name for m in link_article(mentions)] == ["Ela Musk", "Bella Musk", "La Musk"]
