"""Overlap resolution: one mention per stretch of text, later recognizers winning."""

from __future__ import annotations

from bisect import bisect_left
from collections.abc import Iterable, Sequence

from tui.entities.mention import Mention


def resolve(layers: Sequence[Iterable[Mention]], keep_longer: bool = True) -> list[Mention]:
    """Merge mention layers given in priority order; the result never overlaps.

    A mention of a later layer replaces the earlier mentions it overlaps,
    except (with ``keep_longer``) when one earlier mention strictly contains
    it: "Borussia Dortmund" found as a name stays whole even though the
    gazetteer knows the city Dortmund. The last layer (corrections) always
    wins.
    """
    starts: list[int] = []
    kept: list[Mention] = []
    last = len(layers) - 1
    for rank, layer in enumerate(layers):
        for m in layer:
            if m.end <= m.start:
                continue
            i = bisect_left(starts, m.start)
            lo = i - 1 if i > 0 and kept[i - 1].end > m.start else i
            hi = i
            while hi < len(kept) and kept[hi].start < m.end:
                hi += 1
            if lo < hi:
                if keep_longer and rank != last and hi - lo == 1:
                    other = kept[lo]
                    if (
                        other.start <= m.start
                        and m.end <= other.end
                        and (other.end - other.start) > (m.end - m.start)
                    ):
                        continue
                del kept[lo:hi]
                del starts[lo:hi]
                i = lo
            kept.insert(i, m)
            starts.insert(i, m.start)
    return kept
