"""The indexer child's event stream: only its own events count."""

from __future__ import annotations

from pathlib import Path

from tui.background import _event, refresh_in_child
from tui.mentions import open_mentions


def test_lines_that_are_not_events_are_skipped() -> None:
    assert _event(b'["progress", 3, 5]') == ("progress", 3, 5)
    assert _event(b'["failed", "OSError: boom", 0]') == ("failed", "OSError: boom", 0)
    for stray in (b"", b"   ", b"hello", b"[1, 2, 3]", b'{"a": 1}', b'["x", 1]', b"\xff"):
        assert _event(stray) is None


def test_the_child_builds_the_seeds_and_reports(seeds: Path, tmp_path: Path) -> None:
    events: list[tuple[str, int, int]] = []
    failed = refresh_in_child(
        seeds, tmp_path / "cache", [], lambda *e: events.append(e), lambda: False
    )
    assert failed is None
    indexed = [e for e in events if e[0] == "indexed"]
    assert indexed == [("indexed", 5, 0)]  # five articles added
    # The entity pass followed the build and linked the corpus.
    assert len(open_mentions(seeds, tmp_path / "cache").articles_mentioning("Elon Musk")) == 5
