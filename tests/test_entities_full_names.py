"""In-article linking of shorter names to the full name they stand for."""

from __future__ import annotations

import os
import subprocess
import sys

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


def test_a_short_name_joins_a_full_name_spelt_two_ways() -> None:
    # A headline in capitals and the body in mixed case: one person, so
    # "Musk" is theirs (two spellings of one key are not two people).
    mentions = [_person(0, "ELON MUSK"), _person(20, "Elon Musk"), _person(40, "Musk")]
    assert [m.name for m in link_article(mentions)] == ["Elon Musk"] * 3


def test_the_spelling_chosen_does_not_depend_on_the_hash_seed() -> None:
    # The full names were once kept in a set of spellings: which one a
    # shorter name took followed PYTHONHASHSEED, so two runs stored two names.
    script = (
        "from tui.entities import Mention; from tui.entities.linking import link_article\n"
        "names = ['Ursula von der Leyen', 'URSULA VON DER LEYEN', 'Von der Leyen']\n"
        "ms = [Mention(30 * i, 30 * i + len(n), 'PERSON', n, 'name:')\n"
        "      for i, n in enumerate(names)]\n"
        "print([m.name for m in link_article(ms)])\n"
    )
    seen = {
        subprocess.run(
            [sys.executable, "-c", script],
            env={**os.environ, "PYTHONHASHSEED": str(seed)},
            capture_output=True,
            text=True,
            check=True,
        ).stdout
        for seed in range(8)
    }
    assert seen == {str(["Ursula von der Leyen"] * 3) + "\n"}
