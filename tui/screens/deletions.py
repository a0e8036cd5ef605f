"""Deleting asks nothing: ``u`` brings back what was deleted, for as long as the list is open.

Shared by the notes and bookmarks screens; no Textual, so it is plain to test.
"""

from __future__ import annotations

from tui.store import ReadOnlyError, Store


class Deletions:
    """What a list screen deleted (hidden from its rows) and the order to undo it in."""

    def __init__(self, store: Store) -> None:
        self.store = store
        self.hidden: set[str] = set()
        """Ids deleted on this screen: the rows leave them out."""
        self._undo: list[str] = []

    def delete(self, item_id: str) -> str | None:
        """Delete ``item_id``; None when done, else why it could not be."""
        try:
            deleted = self.store.delete(item_id)
        except ReadOnlyError as exc:
            return str(exc)
        self.hidden.add(item_id)
        if deleted:
            self._undo.append(item_id)
        return None

    def undo(self) -> tuple[str | None, str | None]:
        """Restore the last deletion: (its id, None), or (None, why nothing was restored)."""
        if not self._undo:
            return None, "Nothing to undo."
        item_id = self._undo.pop()
        try:
            restored = self.store.restore(item_id)
        except ReadOnlyError as exc:
            self._undo.append(item_id)
            return None, f"Not restored: {exc}"
        if not restored:  # something newer took its place (a bookmark of the same article)
            return None, "That could not be restored: something newer took its place."
        self.hidden.discard(item_id)
        return item_id, None
