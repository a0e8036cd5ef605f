"""One corpus as the reader sees it: metadata to list, texts on demand, search.

The reader asks this, never the files or the index directly: it lists from
the index (instant on a known corpus), refreshes the index incrementally,
and falls back to reading the folder itself when the cache cannot be used
(unwritable, disk full, broken), so reading never depends on the cache.
"""

from __future__ import annotations

import threading
from collections import OrderedDict
from collections.abc import Callable, Sequence
from pathlib import Path

from tui.background import refresh_in_child
from tui.corpus import Skipped, discover, load, load_article, preview, sort_articles
from tui.entities import Entity, Gazetteer, Mention, corrected, recognize
from tui.entities.statistical import SpacyNer
from tui.index import (
    ArticleMeta,
    BuildSummary,
    Index,
    IndexUnavailable,
    Waiting,
    build_index,
    open_index,
    renames,
)
from tui.mentions import (
    Mentions,
    MentionSummary,
    MentionsUnavailable,
    gazetteer_fingerprint,
    open_mentions,
    update_mentions,
)
from tui.model import Article
from tui.paths import UNWRITABLE, gazetteer_file
from tui.search import (
    SCREENFUL,
    EntityLookup,
    Forms,
    SearchResult,
    jump,
    jump_titles,
    search,
)
from tui.words import fold_words

Entry = Article | ArticleMeta
Progress = Callable[[int, int], None]
Cancel = Callable[[], bool]

ON_THE_FLY = 500_000
"""Characters recognized when an article is opened before the entity pass reached it."""

KEEP = 16
"""Articles kept in memory once read: flipping back and forth costs nothing."""


class Library:
    """The articles of ``root``, listed from the index under ``cache`` when it can."""

    def __init__(self, root: Path, cache: Path, ner: SpacyNer | None = None) -> None:
        self.root = root
        self.cache = cache
        self.ner = ner
        """The optional statistical recognizer (``--ner``), or None."""
        self.index: Index | None = None
        self.problem: str | None = None
        """Why search is off (the index could not be built), or None."""
        self._scanned: dict[str, Article] | None = None
        self._skipped: list[Skipped] = []
        self._recent: OrderedDict[str, Article] = OrderedDict()
        self._lock = threading.Lock()
        self.gazetteer: Gazetteer | None = None
        """The names to recognize (the package's, the user's file, corrections); None: defaults."""
        self.stored: Mentions | None = None
        """The mentions recognized at index time, or None before the first pass."""
        self._fingerprint: str | None = None
        self._lookup: tuple[Mentions, EntityLookup] | None = None
        self._forms = Forms()
        """What the queries typed so far learnt: each key's query starts from it."""

    def set_corrections(self, corrections: Sequence[tuple[str, str, str | None]]) -> None:
        """Recognize with the user's gazetteer file and these corrections.

        Each is (surface, type or REJECT, name to merge into or None). Stored
        mentions made with other corrections are not used (the article is
        recognized on the fly) until ``update_entities`` has run again.
        """
        self.gazetteer = corrected(corrections, gazetteer_file())
        self._fingerprint = None

    def open(self) -> bool:
        """Open an existing index as it is (no reading of files); False if there is none."""
        try:
            self.index = open_index(self.root, self.cache)
        except (IndexUnavailable, OSError):
            return False
        self._open_stored()
        return True

    def _open_stored(self) -> None:
        old, self.stored = self.stored, None
        if old is not None:
            old.close()
        try:
            self.stored = open_mentions(self.root, self.cache)
        except (MentionsUnavailable, OSError):
            self.stored = None

    def update_entities(
        self, progress: Progress | None = None, cancel: Cancel | None = None
    ) -> MentionSummary | None:
        """Recognize what changed since the last pass and link the corpus (after ``update``).

        None when there is no index to recognize from (or the pass failed:
        articles are then recognized on the fly, as before any pass).
        """
        if self.index is None:
            return None
        try:
            summary = update_mentions(self.index, self.gazetteer, progress, cancel, self.ner)
        except Exception:  # any cache fault: the reader recognizes on the fly instead
            summary = None
        self._open_stored()
        return summary

    def update(self, progress: Progress | None = None, cancel: Cancel | None = None) -> bool:
        """Bring the index up to date with the folder; on failure, read the folder directly.

        Returns True when the index serves the corpus, False in the fallback.
        """
        try:
            summary: BuildSummary = build_index(self.root, self.cache, progress, cancel)
            if summary.cancelled and self.index is None:
                return False
            if self.index is None:
                self.index = open_index(self.root, self.cache)
            else:
                self.index.refresh()
            return True
        except OSError as exc:
            if exc.errno not in UNWRITABLE or not self._read_only(exc):
                return self._without_index(exc, progress, cancel)
            return True
        except Exception as exc:  # any cache fault: disk full, corrupt
            return self._without_index(exc, progress, cancel)

    def _read_only(self, exc: OSError) -> bool:
        """The cache cannot be written: use the index as it was last built, if there is one."""
        if self.index is None:
            try:
                self.index = open_index(self.root, self.cache)
            except IndexUnavailable:
                return False
        self.problem = f"the index cannot be written ({exc}): it is used as it was last built"
        return True

    def _without_index(
        self, exc: Exception, progress: Progress | None, cancel: Cancel | None
    ) -> bool:
        """Read the folder directly: the reader works on, search is off."""
        self.problem = f"the index is unavailable ({exc}); search is off"
        self.index = None
        self._scan(progress, cancel)
        return False

    def update_in_child(
        self,
        corrections: Sequence[tuple[str, str, str | None]],
        progress: Progress | None = None,
        cancel: Cancel | None = None,
        on_indexed: Callable[[int], None] | None = None,
        waiting: Waiting | None = None,
    ) -> bool:
        """``update`` and ``update_entities`` in a child process (the reader's UI stays free).

        ``on_indexed(changes)`` runs once the index is up to date, with how many
        articles were added, changed, removed or renamed; ``waiting(pid)`` when
        another process is building this index first. Falls back to doing the
        work here if the child cannot run at all.
        """

        def on_event(kind: str, done: int, total: int) -> None:
            if kind == "progress" and progress:
                progress(done, total)
            elif kind == "waiting" and waiting:
                waiting(done or None)
            elif kind == "indexed":
                self.open() if self.index is None else self.refresh()
                if on_indexed:
                    on_indexed(done)

        failed = refresh_in_child(
            self.root,
            self.cache,
            corrections,
            on_event,
            cancel or (lambda: False),
            self.ner.spec if self.ner is not None else None,
        )
        if failed == "cancelled":
            return self.index is not None
        if failed is not None:
            return self.update(progress, cancel)
        if self.index is None:
            self.open()
        else:
            self.refresh()
            self._open_stored()
        return self.index is not None

    def _scan(self, progress: Progress | None, cancel: Cancel | None) -> None:
        """Read every file into memory: the reader works without any cache."""
        scanned: dict[str, Article] = {}
        skipped: list[Skipped] = []
        for n, found in enumerate(discover(self.root), start=1):
            if cancel and cancel():
                break
            if isinstance(found, Skipped):
                skipped.append(found)
            else:
                articles, bad = load(found)
                scanned.update((a.id, a) for a in articles)
                skipped.extend(bad)
            if progress:
                progress(n, 0)
        with self._lock:
            self._scanned, self._skipped = scanned, skipped

    def refresh(self) -> None:
        """See what a running build has committed so far."""
        if self.index is not None:
            self.index.refresh()

    def stamp(self) -> tuple[int, int] | None:
        """``Index.stamp``: taken before a listing, compared after a check."""
        return self.index.stamp() if self.index is not None else None

    def count(self) -> int:
        """How many articles are listed now."""
        if self.index is not None:
            return len(self.index)
        with self._lock:
            return len(self._scanned or {})

    def entries(self) -> Sequence[Entry]:
        """Every article's metadata, newest first."""
        if self.index is not None:
            return self.index.articles()
        with self._lock:
            return sort_articles(list((self._scanned or {}).values()))

    def first(self, count: int) -> Sequence[Entry]:
        """The first ``count`` articles in the sidebar's order: a screenful at once,
        while ``entries`` takes a second or more on 100,000 articles."""
        if self.index is not None:
            return self.index.page(0, count)
        return self.entries()[:count]

    def skipped(self) -> list[Skipped]:
        """Files and records that are not articles, with the reason."""
        if self.index is not None:
            return self.index.skipped()
        with self._lock:
            return list(self._skipped)

    def article(self, article_id: str) -> Article | None:
        """One article, read from its file (or memory), ready to show."""
        with self._lock:
            if self._scanned is not None and article_id in self._scanned:
                return self._scanned[article_id]
            if article_id in self._recent and self._current(self._recent[article_id]):
                self._recent.move_to_end(article_id)
                return self._recent[article_id]
        article = load_article(self.root, article_id)
        if article is not None:
            with self._lock:
                self._recent[article_id] = article
                while len(self._recent) > KEEP:
                    self._recent.popitem(last=False)
        return article

    def _current(self, article: Article) -> bool:
        """Whether a kept article is still what the index says its file holds."""
        if self.index is None:
            return True
        meta = self.index.article(article.id)
        return meta is not None and meta.hash == article.hash

    def preview(self, article_id: str) -> Article | None:
        """The start of a big article that is not in memory yet (``corpus.preview``), else None."""
        with self._lock:
            if article_id in self._recent or article_id in (self._scanned or {}):
                return None
        return preview(self.root, article_id)

    def hashes(self) -> dict[str, str]:
        """Every article's content hash by id: how notes find a moved or edited article."""
        if self.index is not None:
            return self.index.hashes()
        return {e.id: e.hash for e in self.entries()}

    def renames(self) -> dict[str, str]:
        """The renames the index detected, old id -> id now: for ``Store.follow_renames``."""
        return renames(self.root, self.cache)

    def text(self, article_id: str) -> str | None:
        """One article's text, from the index when it has it (no file read)."""
        text = self.stored_text(article_id)
        if text is not None:
            return text
        article = self.article(article_id)
        return article.text if article else None

    def stored_text(self, article_id: str) -> str | None:
        """One article's text if the index has it: never a file read (for what the UI
        thread draws)."""
        return self.index.text(article_id) if self.index is not None else None

    def mentions(self, article: Article) -> list[Mention]:
        """The entity mentions of an article, offsets into its text.

        The ones stored at index time when they were made from this very text
        with the current corrections; otherwise recognized now.
        """
        stored = self.stored
        if stored is not None:
            if self._fingerprint is None:
                self._fingerprint = gazetteer_fingerprint(self.gazetteer, self.ner)
            try:
                if stored.fingerprint == self._fingerprint:
                    found = stored.of(article.id, article.hash)
                    if found is not None:
                        return found
            except MentionsUnavailable:
                pass
        # Recognizing 20 MB takes seconds of CPU: on the fly, the start is enough
        # to read on; the index-time pass covers the whole text.
        return recognize(article.text[:ON_THE_FLY], article.language, self.gazetteer, self.ner)

    def entities(self, type: str | None = None, article: str | None = None) -> list[Entity]:
        """The corpus's entities (or one article's), most mentioned first; [] before a pass."""
        if self.stored is None:
            return []
        try:
            return self.stored.entities(type, article)
        except MentionsUnavailable:
            return []

    def articles_mentioning(self, name: str, type: str | None = None) -> list[tuple[str, int, int]]:
        """(article id, mentions, first offset) naming an entity; [] before a pass."""
        if self.stored is None:
            return []
        try:
            return self.stored.articles_mentioning(name, type)
        except MentionsUnavailable:
            return []

    def type_of(self, name: str) -> str | None:
        """The type of the corpus's entity called ``name``; None before a pass, or unknown."""
        if self.stored is None:
            return None
        try:
            return self.stored.type_of(name)
        except MentionsUnavailable:
            return None

    def search(self, query: str, limit: int = 20) -> SearchResult:
        """Search the corpus; without an index, say why nothing can be found.

        Snippets are made for a screenful of hits, the others as they are scrolled to.
        """
        if self.index is None:
            reason = self.problem or "the index is still being built"
            return SearchResult(
                query, [], [], [f"Search is not ready: {reason}."], pending=not self.problem
            )
        stored = self.stored
        lookup = None
        if stored is not None:
            if self._lookup is None or self._lookup[0] is not stored:
                self._lookup = (stored, entity_lookup(stored))  # names are read again per pass
            lookup = self._lookup[1]
        try:
            return search(self.index, query, limit, lookup, ready=SCREENFUL, forms=self._forms)
        except IndexUnavailable as exc:  # marked: the next check (R, or in a minute) rebuilds
            return SearchResult(query, [], [], [f"Search failed: {exc}; it is rebuilt next."])

    def jump(self, typed: str, limit: int = 20) -> list[tuple[str, str, float]]:
        """Articles by title, fuzzy (fzf-style): (id, title, score)."""
        if self.index is not None and len(self.index):
            return jump(self.index, typed, limit)
        return jump_titles([(e.id, e.title) for e in self.entries()], typed, limit)


def entity_lookup(stored: Mentions) -> EntityLookup:
    """``entity:`` answered from stored mentions: a canonical name in any case and with or
    without accents, as the search folds words ("zurich" is "Zürich"), else any name the
    entity goes by (as ``Mentions.articles_mentioning``); None if they break."""
    canonical: dict[str, list[str]] = {}

    def key(name: str) -> str:
        return " ".join(fold_words(name)) or name.casefold()

    def lookup(name: str) -> list[str] | None:
        try:
            if not canonical:
                for known in stored.names():
                    canonical.setdefault(key(known), []).append(known)
            ids: dict[str, None] = {}
            for known in canonical.get(key(name), [name]):
                ids.update(
                    (article_id, None) for article_id, _, _ in stored.articles_mentioning(known)
                )
            return list(ids)
        except MentionsUnavailable:
            return None

    return lookup
