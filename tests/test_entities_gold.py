"""Floors on the gold sets, a property test, and the core's hygiene."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tui.entities import recognize

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "bench"))

import entities as bench


def test_seed_gold_covers_every_seed() -> None:
    docs = bench.load_seed_gold()
    assert len(docs) == 5
    for _name, text, _lang, spans in docs:
        for start, end, _kind in spans:
            assert 0 <= start < end <= len(text)


def test_other_gold_is_large_enough() -> None:
    docs = bench.load_other_gold()
    assert len(docs) >= 15
    assert {lang for _, _, lang, _ in docs} == {"en", "de", "it"}


def test_f1_floor_on_seeds() -> None:
    scores = bench.evaluate(bench.load_seed_gold())
    assert bench.f1_of(scores, "exact") >= 0.85
    assert bench.f1_of(scores, "exact", bench.CORE) >= 0.85


def test_f1_floor_on_other_set() -> None:
    scores = bench.evaluate(bench.load_other_gold())
    assert bench.f1_of(scores, "overlap") >= 0.70
    assert bench.f1_of(scores, "exact-untyped") >= 0.65


_TEXT = st.lists(
    st.sampled_from(
        [
            *"abcXYZ ÄÖÜäöüßéèàç.,;:!?-–'’\"“”$€%()\n\t0123456789",
            *("Tesla", "Inc.", " von ", "Mrd.", " Euro", " 2024", "May ", "Elon ", "Musk", "CEO "),
        ]
    ),
    max_size=120,
).map("".join)


@settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(text=_TEXT, language=st.sampled_from([None, "en", "de", "it", "fr", "es", "xx"]))
def test_never_raises_never_overlaps(text: str, language: str | None) -> None:
    found = recognize(text, language)
    last = 0
    for m in found:
        assert last <= m.start < m.end <= len(text)
        last = m.end


@settings(max_examples=100, deadline=None)
@given(text=st.text(max_size=200))
def test_never_raises_on_any_unicode(text: str) -> None:
    for m in recognize(text, None):
        assert 0 <= m.start < m.end <= len(text)


def test_core_imports_neither_textual_nor_rich() -> None:
    code = (
        "import sys, tui.entities; tui.entities.recognize('Elon Musk in Rome.', 'en'); "
        "print(sorted({m.split('.')[0] for m in sys.modules} & {'textual', 'rich'}))"
    )
    done = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, timeout=120, check=True
    )
    assert done.stdout.strip() == "[]"
