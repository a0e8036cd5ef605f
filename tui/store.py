"""The user's own work: notes, highlights, bookmarks, positions, corrections.

One SQLite file (``data_dir() / "margin.sqlite3"``) that must never lose a
write:

- WAL journal, ``synchronous=FULL``, one ``BEGIN IMMEDIATE`` transaction per
  change, and a ``busy_timeout``, so two margin processes on the same file
  (two SSH sessions) both work and neither loses a write;
- a schema version (``PRAGMA user_version``) with migrations; before a file
  is migrated it is copied to a dated backup beside it;
- a file that is damaged, or written by a newer margin, is never
  overwritten: :meth:`Store.open` says so in :attr:`Store.problem` and opens
  it read-only (newer schema) or uses a fresh store beside it (damaged). It
  does not raise for those cases.

Deleting is soft (a ``deleted`` time), so every delete can be undone with
:meth:`Store.restore`. Plain data in, plain data out: no UI imports.

Writes are fsynced: callers that save the reading position while scrolling
should do it when scrolling stops, not on every line.
"""

from __future__ import annotations

import bisect
import random
import re
import sqlite3
import threading
import time
import unicodedata
import uuid
from collections import Counter
from collections.abc import Callable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, fields, replace
from datetime import UTC, datetime
from pathlib import Path
from types import TracebackType
from typing import Any, Literal, Self, TypeVar

from tui.anchor import (
    CONTEXT,
    Anchor,
    Selector,
    anchor,
    content_hash,
    find_moved,
    find_record,
    find_replaced,
    selector,
)

FILENAME = "margin.sqlite3"
"""The store's file name inside the data dir."""

BUSY_TIMEOUT_MS = 10_000
"""How long a write waits for another process's transaction before giving up."""
_MOVING = "\x00moving"
"""Appended to an article id while its rows move to another (no real id holds a NUL)."""

Kind = Literal["note", "highlight"]
Merge = Literal["added", "updated", "skipped"]

_SCHEMA_V1 = """
CREATE TABLE positions (
    corpus TEXT NOT NULL,
    article TEXT NOT NULL,
    "offset" INTEGER NOT NULL,
    updated TEXT NOT NULL,
    PRIMARY KEY (corpus, article)
);
CREATE TABLE last_article (
    corpus TEXT PRIMARY KEY,
    article TEXT NOT NULL,
    updated TEXT NOT NULL
);
CREATE TABLE reads (
    corpus TEXT NOT NULL,
    article TEXT NOT NULL,
    updated TEXT NOT NULL,
    PRIMARY KEY (corpus, article)
);
CREATE TABLE annotations (
    id TEXT PRIMARY KEY,
    kind TEXT NOT NULL CHECK (kind IN ('note', 'highlight')),
    corpus TEXT NOT NULL,
    article TEXT NOT NULL,
    article_hash TEXT NOT NULL,
    quote TEXT NOT NULL,
    prefix TEXT NOT NULL,
    suffix TEXT NOT NULL,
    start INTEGER NOT NULL,
    "end" INTEGER NOT NULL,
    body TEXT NOT NULL DEFAULT '',
    tags TEXT NOT NULL DEFAULT '',
    created TEXT NOT NULL,
    updated TEXT NOT NULL,
    deleted TEXT
);
CREATE INDEX annotations_article ON annotations (corpus, article);
CREATE TABLE bookmarks (
    id TEXT PRIMARY KEY,
    corpus TEXT NOT NULL,
    article TEXT NOT NULL,
    "offset" INTEGER NOT NULL,
    created TEXT NOT NULL,
    updated TEXT NOT NULL,
    deleted TEXT,
    UNIQUE (corpus, article)
);
CREATE TABLE corrections (
    id TEXT PRIMARY KEY,
    surface TEXT NOT NULL,
    type TEXT NOT NULL,
    name TEXT,
    created TEXT NOT NULL,
    updated TEXT NOT NULL,
    deleted TEXT
);
CREATE UNIQUE INDEX corrections_surface ON corrections (surface) WHERE deleted IS NULL;
"""


def _statements(script: str) -> Callable[[sqlite3.Connection], None]:
    """A migration step running each statement of ``script`` in the open transaction.

    (Not ``executescript``: it commits first, which would let a second process
    migrating at the same moment see a half-made schema.)
    """

    def step(db: sqlite3.Connection) -> None:
        for statement in script.split(";"):
            if statement.strip():
                db.execute(statement)

    return step


_SCHEMA_V2 = """
ALTER TABLE positions ADD COLUMN quote TEXT NOT NULL DEFAULT '';
ALTER TABLE positions ADD COLUMN prefix TEXT NOT NULL DEFAULT '';
ALTER TABLE positions ADD COLUMN suffix TEXT NOT NULL DEFAULT ''
"""
"""A position keeps the text it is at, as a note does: an edit above it moves it along.
Positions saved before have no quote and stay character offsets."""

_SCHEMA_V3 = """
ALTER TABLE positions ADD COLUMN article_hash TEXT NOT NULL DEFAULT ''
"""
"""A position keeps the hash of the text it was saved on: an article that is gone is
found again by it (:meth:`Store.follow_moves`), with its bookmark, even without notes.
Positions saved before have no hash ('')."""

_SCHEMA_V4 = """
ALTER TABLE positions ADD COLUMN caret INTEGER NOT NULL DEFAULT 0;
ALTER TABLE positions ADD COLUMN caret_quote TEXT NOT NULL DEFAULT '';
ALTER TABLE positions ADD COLUMN caret_prefix TEXT NOT NULL DEFAULT '';
ALTER TABLE positions ADD COLUMN caret_suffix TEXT NOT NULL DEFAULT '';
UPDATE positions SET caret = "offset", caret_quote = quote, caret_prefix = prefix,
    caret_suffix = suffix
"""
"""A position keeps the caret too, anchored by its own text as the top line is: the
caret comes back on the sentence it was left on. Positions saved before had none:
their caret is the top line, where the reader put it."""

MIGRATIONS: list[Callable[[sqlite3.Connection], None]] = [
    _statements(_SCHEMA_V1),
    _statements(_SCHEMA_V2),
    _statements(_SCHEMA_V3),
    _statements(_SCHEMA_V4),
]
"""``MIGRATIONS[i]`` takes a file from schema version ``i`` to ``i + 1``, inside
the migration's transaction (a step never commits)."""


def schema_version() -> int:
    """The schema version this margin writes."""
    return len(MIGRATIONS)


_TAG = re.compile(r"(?<![\w#])#(\w[\w-]*)")


def parse_tags(body: str) -> tuple[str, ...]:
    """The ``#words`` of a note body, lower-cased, in order of first use."""
    seen: dict[str, None] = {}
    for match in _TAG.finditer(body):
        seen.setdefault(match.group(1).casefold(), None)
    return tuple(seen)


def now() -> str:
    """The current UTC time as stored: ISO 8601 with microseconds and ``Z``."""
    return datetime.now(UTC).isoformat(timespec="microseconds").replace("+00:00", "Z")


def normalize_time(value: str) -> str:
    """Any ISO 8601 time as :func:`now` writes it (naive times are taken as UTC).

    Raises:
        ValueError: if ``value`` is not an ISO 8601 time.
    """
    parsed = datetime.fromisoformat(value)
    if parsed.tzinfo is None:
        parsed = parsed.replace(tzinfo=UTC)
    stamp = parsed.astimezone(UTC).isoformat(timespec="microseconds")
    return stamp.replace("+00:00", "Z")


class ReadOnlyError(RuntimeError):
    """A change was asked of a store opened read-only (see :attr:`Store.problem`)."""


@dataclass(frozen=True, slots=True)
class Annotation:
    """A note or a highlight over ``text[start:end]`` of one article.

    ``start``/``end``/``prefix``/``suffix`` are the selector as saved, for the
    text whose hash is ``article_hash``; :meth:`Store.place` re-anchors it on
    the article's current text.
    """

    id: str
    kind: Kind
    corpus: str
    article: str
    article_hash: str
    quote: str
    prefix: str
    suffix: str
    start: int
    end: int
    body: str = ""
    tags: tuple[str, ...] = ()
    created: str = ""
    updated: str = ""
    deleted: str | None = None


@dataclass(frozen=True, slots=True)
class Position:
    """Where an article was left: the offset of the top line of the view, and the caret's.

    Offsets into the text given to :meth:`Store.position`; either may lie past
    the end of a text that shrank (the reader clamps them).
    """

    top: int
    caret: int


@dataclass(frozen=True, slots=True)
class Bookmark:
    """A bookmarked article with the position it was bookmarked at."""

    id: str
    corpus: str
    article: str
    offset: int
    created: str
    updated: str
    deleted: str | None = None


@dataclass(frozen=True, slots=True)
class Correction:
    """The user's fix of an entity: ``surface`` is ``type`` (or ``"reject"``), named ``name``.

    ``name`` is the canonical entity to merge the surface into, or None to
    keep the surface as its own name.
    """

    id: str
    surface: str
    type: str
    name: str | None
    created: str
    updated: str
    deleted: str | None = None


@dataclass(frozen=True, slots=True)
class Placed:
    """An annotation and where it sits in the article's current text."""

    annotation: Annotation
    anchor: Anchor

    def as_json(self) -> dict[str, object]:
        """The ``margin notes --json`` object: offsets are where it sits now."""
        a = self.annotation
        return {
            "id": a.id,
            "kind": a.kind,
            "article": a.article,
            "quote": a.quote,
            "body": a.body,
            "tags": list(a.tags),
            "status": self.anchor.status,
            "start": self.anchor.start,
            "end": self.anchor.end,
            "created": a.created,
            "updated": a.updated,
        }


def _new_id() -> str:
    return uuid.uuid4().hex


_ANNOTATION_COLUMNS = (
    'id, kind, corpus, article, article_hash, quote, prefix, suffix, start, "end", body, tags, '
    "created, updated, deleted"
)


def _row_annotation(row: Any) -> Annotation:
    """An annotation from a row of ``_ANNOTATION_COLUMNS``, by position (SQLite's
    column types already match: no per-field conversion, so 10,000 load fast)."""
    a_id, kind, corpus, article, h, quote, prefix, suffix, start, end, body, tags, c, u, d = row
    return Annotation(
        a_id,
        kind,
        corpus,
        article,
        h,
        quote,
        prefix,
        suffix,
        start,
        end,
        body,
        tuple(tags.split()),
        c,
        u,
        d,
    )


R = TypeVar("R", Bookmark, Correction)


def _from_row(cls: type[R], row: sqlite3.Row) -> R:
    """A record from a row whose columns are named as its fields."""
    return cls(**{f.name: row[f.name] for f in fields(cls)})


def _connect(target: str, *, uri: bool = False) -> sqlite3.Connection:
    db = sqlite3.connect(
        target,
        uri=uri,
        isolation_level=None,
        check_same_thread=False,
        timeout=BUSY_TIMEOUT_MS / 1000,
    )
    db.row_factory = sqlite3.Row
    db.execute(f"PRAGMA busy_timeout = {BUSY_TIMEOUT_MS}")
    return db


_SQLITE_BUSY = 5
_SQLITE_LOCKED = 6
_SQLITE_DISK_FAULTS = (8, 10, 13, 14)
"""SQLITE_READONLY, SQLITE_IOERR, SQLITE_FULL, SQLITE_CANTOPEN."""
_T = TypeVar("_T")


def _is_disk_fault(exc: sqlite3.Error) -> bool:
    """Whether ``exc`` is the disk's fault, not the file's (full, I/O error, cannot
    open, read-only): the file may be perfectly sound, so never call it damaged."""
    code = getattr(exc, "sqlite_errorcode", None)
    return isinstance(code, int) and code & 0xFF in _SQLITE_DISK_FAULTS


def _is_busy(exc: sqlite3.Error) -> bool:
    """Whether ``exc`` only says another connection holds the file right now
    (SQLITE_BUSY / SQLITE_LOCKED and their extended codes): worth retrying,
    and never a sign of damage."""
    code = getattr(exc, "sqlite_errorcode", None)
    if isinstance(code, int):
        return code & 0xFF in (_SQLITE_BUSY, _SQLITE_LOCKED)
    message = str(exc)
    return "database is locked" in message or "database table is locked" in message


def _retry_busy(action: Callable[[], _T], deadline: float) -> _T:
    """``action()``, retried with a short growing backoff while it fails busy.

    SQLite's busy handler does not cover every contended case: changing the
    journal mode, or a lock that could deadlock, fail with SQLITE_BUSY at
    once. The retries stop at ``deadline`` (``time.monotonic()``), after which
    the busy error is raised like any other. ``action`` must leave no
    transaction open when it raises.
    """
    delay = 0.002
    while True:
        try:
            return action()
        except sqlite3.Error as exc:
            if not _is_busy(exc) or time.monotonic() >= deadline:
                raise
        time.sleep(min(delay * random.uniform(0.5, 1.5), max(0.0, deadline - time.monotonic())))
        delay = min(delay * 2, 0.1)


def _deadline() -> float:
    return time.monotonic() + BUSY_TIMEOUT_MS / 1000


def _read(db: sqlite3.Connection, action: Callable[[], _T]) -> _T:
    """``action()`` inside one read transaction: every query sees the same snapshot."""
    db.execute("BEGIN")
    try:
        result = action()
        db.execute("COMMIT")
    except BaseException:
        if db.in_transaction:
            db.execute("ROLLBACK")
        raise
    return result


def _use_wal(db: sqlite3.Connection, deadline: float) -> None:
    """Switch the file to WAL. Busy (another process switching it, or reading it
    in rollback mode, at the same moment) is retried until ``deadline``."""

    def switch() -> str:
        return str(db.execute("PRAGMA journal_mode = WAL").fetchone()[0]).lower()

    while _retry_busy(switch, deadline) != "wal" and time.monotonic() < deadline:
        time.sleep(0.005)  # not switched and no error: try again shortly


def _uri(path: Path, **params: str) -> str:
    query = "&".join(f"{k}={v}" for k, v in params.items())
    return f"{path.resolve().as_uri()}?{query}"


def _check(db: sqlite3.Connection, deadline: float) -> tuple[int, str | None]:
    """The file's schema version, and a one-line reason if it is damaged or not ours.

    The three reads share one snapshot: read one by one, another process
    creating the schema in between would make a fresh file look like
    "tables but no schema version". Busy is retried until ``deadline`` and
    then raised, never reported as damage.
    """

    def read() -> tuple[int, list[str], int]:
        version = int(db.execute("PRAGMA user_version").fetchone()[0])
        result = [str(row[0]) for row in db.execute("PRAGMA quick_check")]
        tables = int(db.execute("SELECT count(*) FROM sqlite_master").fetchone()[0])
        return version, result, tables

    try:
        version, result, tables = _retry_busy(lambda: _read(db, read), deadline)
    except sqlite3.DatabaseError as exc:
        if _is_busy(exc) or _is_disk_fault(exc):
            raise
        return 0, str(exc)
    if result != ["ok"]:
        return version, " ".join("; ".join(result).split())[:200]
    if version == 0 and tables:
        return version, "not a margin store: it has tables but no margin schema version"
    return version, None


def _backup_path(path: Path, version: int) -> Path:
    stamp = datetime.now(UTC).strftime("%Y%m%dT%H%M%SZ")
    candidate = path.with_name(f"{path.name}.v{version}-{stamp}.bak")
    i = 1
    while candidate.exists():
        candidate = path.with_name(f"{path.name}.v{version}-{stamp}-{i}.bak")
        i += 1
    return candidate


def _backup(db: sqlite3.Connection, path: Path, version: int) -> Path:
    """Copy the live database (WAL content included) to a dated file beside it."""
    target = _backup_path(path, version)
    partial = target.with_name(target.name + ".partial")
    copy = sqlite3.connect(partial)
    try:
        db.backup(copy)
    finally:
        copy.close()
    partial.replace(target)
    return target


def _migrate(db: sqlite3.Connection, path: Path | None, deadline: float) -> Path | None:
    """Bring the file to the current schema; returns the backup made, if any.

    All the steps run in one ``BEGIN IMMEDIATE`` transaction, so a process
    opening the file at the same moment sees no schema or all of it. Busy is
    retried until ``deadline``.
    """

    def user_version() -> int:
        return int(db.execute("PRAGMA user_version").fetchone()[0])

    version = _retry_busy(user_version, deadline)
    if version >= schema_version():
        return None
    backup = None
    if path is not None and version > 0:
        backup = _retry_busy(lambda: _backup(db, path, version), deadline)

    def transaction() -> None:
        db.execute("BEGIN IMMEDIATE")
        try:
            # Another process may have migrated while we waited for the lock.
            for step in MIGRATIONS[user_version() :]:
                step(db)
            db.execute(f"PRAGMA user_version = {schema_version()}")
            db.execute("COMMIT")
        except BaseException:
            if db.in_transaction:
                db.execute("ROLLBACK")
            raise

    _retry_busy(transaction, deadline)
    return backup


_PER_ARTICLE = ("annotations", "bookmarks", "positions", "reads", "last_article")
"""The tables that keep something for one article: what moves with a renamed file."""


def _rename(db: sqlite3.Connection, corpus: str, old: str, new: str) -> None:
    """Move the rows of article ``old`` to ``new``, in the open transaction.

    A bookmark, position or read mark already on ``new`` wins over the one on ``old``.
    """
    for table in _PER_ARTICLE:
        db.execute(
            f"UPDATE OR IGNORE {table} SET article = ? WHERE corpus = ? AND article = ?",
            (new, corpus, old),
        )


def _position_selector(text: str | None, offset: int) -> Selector:
    """The text at a saved offset (up to ``CONTEXT`` characters from it), to find it by."""
    if text is not None and 0 <= offset < len(text):
        return selector(text, offset, min(len(text), offset + CONTEXT))
    return Selector("", "", "", offset, offset)


def _found_again(text: str, offset: int, quote: str, prefix: str, suffix: str) -> int | None:
    """Where a saved offset's text is in ``text`` now; None when it has no text or is gone."""
    if not quote:
        return None
    found = anchor(text, quote, prefix, suffix, offset, offset + len(quote))
    return None if found.status == "orphaned" else found.start


def _exact(a: Annotation, text: str, there: Anchor) -> bool:
    """Whether ``there`` holds ``a``'s very quote (not a fuzzy match, not an orphan)."""
    return there.status != "orphaned" and text[there.start : there.end] == a.quote


def _resaved(a: Annotation, text: str, there: Anchor, text_hash: str) -> Annotation:
    """``a`` saved where its exact quote is now in ``text`` (whose hash is ``text_hash``)."""
    sel = selector(text, there.start, there.end)
    return replace(
        a,
        prefix=sel.prefix,
        suffix=sel.suffix,
        start=sel.start,
        end=sel.end,
        article_hash=text_hash,
    )


def _save_places(db: sqlite3.Connection, notes: Sequence[Annotation]) -> None:
    """Save the re-anchored place of each note, in the open transaction; a note that
    another process changed meanwhile (another ``updated``) is left as it is."""
    db.executemany(
        'UPDATE annotations SET prefix = ?, suffix = ?, start = ?, "end" = ?, article_hash = ? '
        "WHERE id = ? AND updated = ? AND quote = ?",
        [
            (a.prefix, a.suffix, a.start, a.end, a.article_hash, a.id, a.updated, a.quote)
            for a in notes
        ],
    )


def _move(db: sqlite3.Connection, corpus: str, moves: Mapping[str, str]) -> None:
    """Apply every old id -> new id at once, in the open transaction."""
    # Through ids of their own first: two articles may trade places.
    for old in moves:
        _rename(db, corpus, old, old + _MOVING)
    for old, new in moves.items():
        _rename(db, corpus, old + _MOVING, new)
        _rename(db, corpus, old + _MOVING, old)  # what ``new`` already had wins


class Store:
    """The user's store. Use :meth:`open`; it is a context manager.

    Thread-safe: one connection behind a lock, so a Textual thread worker can
    share it with the UI thread.
    """

    read_only: bool
    """True when changes are refused (:class:`ReadOnlyError`); see :attr:`problem`."""
    problem: str | None
    """One line for the user when the store is not the normal writable file."""
    path: Path | None
    """The file actually in use (a fresh one beside a damaged file), or None in memory."""
    backup: Path | None
    """The backup made by a migration during :meth:`open`, if any."""

    def __init__(
        self,
        db: sqlite3.Connection,
        *,
        path: Path | None,
        read_only: bool = False,
        problem: str | None = None,
        backup: Path | None = None,
    ) -> None:
        self._db = db
        self._lock = threading.RLock()
        self.path = path
        self.read_only = read_only
        self.problem = problem
        self.backup = backup
        # Positions still work for the session when the file cannot take them.
        self._session_positions: dict[tuple[str, str], Position] = {}
        self._session_last: dict[str, str] = {}
        self._session_reads: set[tuple[str, str]] = set()

    # -- opening -----------------------------------------------------------

    @classmethod
    def open(cls, path: Path) -> Store:
        """Open (creating it and its folder if needed) the store at ``path``.

        Never raises for an unwritable folder, a damaged file or a file from a
        newer margin: it falls back and explains in :attr:`problem`. The
        user's file is never overwritten or deleted.
        """
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
        except OSError as exc:
            return cls._fallback(path, f"cannot create {path.parent}: {exc.strerror or exc}")
        # Busy errors (another margin creating, migrating or switching the same
        # file this very moment) are retried within one busy timeout; only
        # then is the file taken as unwritable.
        deadline = _deadline()
        try:
            db = _connect(str(path))
            version, damage = _check(db, deadline)
        except sqlite3.Error as exc:
            return cls._fallback(path, f"cannot open {path}: {exc}")
        if damage is not None:
            db.close()
            return cls._beside(path, f"{path.name} is damaged ({damage})")
        if version > schema_version():
            db.close()
            return cls._read_only(
                path,
                f"{path.name} was written by a newer margin (schema {version}, "
                f"this one knows {schema_version()}): opened read-only, changes are not saved",
            )
        try:
            _use_wal(db, deadline)
            db.execute("PRAGMA synchronous = FULL")
            db.execute("PRAGMA foreign_keys = ON")
            backup = _migrate(db, path, deadline)
        except sqlite3.Error as exc:
            db.close()
            return cls._fallback(path, f"cannot write {path}: {exc}")
        except OSError as exc:
            db.close()
            return cls._read_only(path, f"cannot back up {path.name} before upgrading it: {exc}")
        return cls(db, path=path, backup=backup)

    @classmethod
    def memory(cls, problem: str | None = None) -> Store:
        """A store that lives only as long as this process (tests, last resort)."""
        db = _connect(":memory:")
        _migrate(db, None, _deadline())
        return cls(db, path=None, problem=problem)

    @classmethod
    def _fallback(cls, path: Path, reason: str) -> Store:
        """The file cannot be written: read it if it exists, else work in memory."""
        if path.is_file():
            return cls._read_only(path, f"{reason}: opened read-only, changes are not saved")
        return cls.memory(f"{reason}: nothing will be saved after margin exits")

    @classmethod
    def _read_only(cls, path: Path, problem: str) -> Store:
        for params in ({"mode": "ro"}, {"mode": "ro", "immutable": "1"}):
            try:
                db = _connect(_uri(path, **params), uri=True)
                db.execute("PRAGMA query_only = ON")
                db.execute("SELECT count(*) FROM annotations").fetchone()
            except sqlite3.Error:
                continue
            return cls(db, path=path, read_only=True, problem=problem)
        store = cls.memory(problem + "; its contents could not be read either")
        store.read_only = True
        return store

    @classmethod
    def _beside(cls, path: Path, reason: str) -> Store:
        """A damaged file stays as it is; work goes to a fresh file next to it."""
        fresh = path.with_name(f"{path.stem}.fresh{path.suffix}")
        problem = f"{reason}: kept untouched; your new work goes to {fresh.name}"
        deadline = _deadline()
        try:
            db = _connect(str(fresh))
            _, damage = _check(db, deadline)
            if damage is not None:
                db.close()
                return cls.memory(f"{reason}, and so is {fresh.name}: nothing will be saved")
            _use_wal(db, deadline)
            db.execute("PRAGMA synchronous = FULL")
            _migrate(db, fresh, deadline)
        except (sqlite3.Error, OSError) as exc:
            return cls.memory(f"{reason}; {fresh.name} failed too ({exc}): nothing will be saved")
        return cls(db, path=fresh, problem=problem)

    def close(self) -> None:
        """Close the file (WAL content is checkpointed by SQLite)."""
        with self._lock:
            self._db.close()

    def __enter__(self) -> Self:
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.close()

    # -- plumbing ----------------------------------------------------------

    @contextmanager
    def _write(self) -> Iterator[sqlite3.Connection]:
        """One change = one IMMEDIATE transaction (takes the write lock up front,
        so a busy file waits in busy_timeout instead of failing on upgrade)."""
        if self.read_only:
            raise ReadOnlyError(self.problem or "the store is read-only")
        with self._lock:
            self._db.execute("BEGIN IMMEDIATE")
            try:
                yield self._db
                self._db.execute("COMMIT")
            except BaseException:
                if self._db.in_transaction:
                    self._db.execute("ROLLBACK")
                raise

    def _query(self, sql: str, params: Sequence[object] = ()) -> list[sqlite3.Row]:
        with self._lock:
            return self._db.execute(sql, params).fetchall()

    def integrity(self) -> str:
        """``PRAGMA integrity_check`` as one line (``"ok"`` when healthy)."""
        return "; ".join(str(r[0]) for r in self._query("PRAGMA integrity_check"))

    # -- positions and reading state -----------------------------------------

    def position(self, corpus: str, article: str, text: str | None = None) -> Position | None:
        """The saved reading position: the top line of the view and the caret.

        Given the article's current text, each is found again by the text it
        was saved at, as a note is: lines added above move them along. A caret
        whose text is gone keeps its distance from the top line; a top line
        whose text is gone stays at its offset.
        """
        if (corpus, article) in self._session_positions:
            return self._session_positions[corpus, article]
        rows = self._query(
            'SELECT "offset", quote, prefix, suffix, caret, caret_quote, caret_prefix, '
            "caret_suffix FROM positions WHERE corpus = ? AND article = ?",
            (corpus, article),
        )
        if not rows:
            return None
        offset, quote, prefix, suffix, caret, caret_quote, caret_prefix, caret_suffix = rows[0]
        if text is None:
            return Position(offset, caret)
        found = _found_again(text, offset, quote, prefix, suffix)
        top = offset if found is None else found
        if (caret, caret_quote) != (offset, quote):  # (on the top line: found once)
            found = _found_again(text, caret, caret_quote, caret_prefix, caret_suffix)
        return Position(top, top + caret - offset if found is None else found)

    def set_position(
        self,
        corpus: str,
        article: str,
        offset: int,
        text: str | None = None,
        text_hash: str | None = None,
        caret: int | None = None,
    ) -> None:
        """Save the reading position: ``offset`` of the top line and the ``caret`` (None:
        on the top line), with the text at each when given (see :meth:`position`);
        kept for the session only when read-only.

        With the text, the hash of the text is kept too (``text_hash`` saves
        computing it): the article is found by it if it is moved
        (:meth:`follow_moves`).
        """
        caret = offset if caret is None else caret
        if self.read_only:
            self._session_positions[corpus, article] = Position(offset, caret)
            return
        top = _position_selector(text, offset)
        at = top if caret == offset else _position_selector(text, caret)
        if text_hash is None:
            text_hash = content_hash(text) if text is not None else ""
        with self._write() as db:
            db.execute(
                'INSERT INTO positions (corpus, article, "offset", updated, quote, prefix, suffix, '
                "article_hash, caret, caret_quote, caret_prefix, caret_suffix) "
                "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT (corpus, article) "
                'DO UPDATE SET "offset" = excluded."offset", updated = excluded.updated, '
                "quote = excluded.quote, prefix = excluded.prefix, suffix = excluded.suffix, "
                "article_hash = excluded.article_hash, caret = excluded.caret, "
                "caret_quote = excluded.caret_quote, caret_prefix = excluded.caret_prefix, "
                "caret_suffix = excluded.caret_suffix",
                (
                    corpus,
                    article,
                    offset,
                    now(),
                    top.quote,
                    top.prefix,
                    top.suffix,
                    text_hash,
                    caret,
                    at.quote,
                    at.prefix,
                    at.suffix,
                ),
            )

    def last_article(self, corpus: str) -> str | None:
        """The article last open in this corpus."""
        if corpus in self._session_last:
            return self._session_last[corpus]
        rows = self._query("SELECT article FROM last_article WHERE corpus = ?", (corpus,))
        return str(rows[0][0]) if rows else None

    def set_last_article(self, corpus: str, article: str) -> None:
        """Remember the open article; kept for the session only when read-only."""
        if self.read_only:
            self._session_last[corpus] = article
            return
        with self._write() as db:
            db.execute(
                "INSERT INTO last_article (corpus, article, updated) VALUES (?, ?, ?) "
                "ON CONFLICT (corpus) DO UPDATE SET article = excluded.article, "
                "updated = excluded.updated",
                (corpus, article, now()),
            )

    def set_read(self, corpus: str, article: str, read: bool = True) -> None:
        """Mark an article read (or unread again); kept for the session only when read-only."""
        if self.read_only:
            (self._session_reads.add if read else self._session_reads.discard)((corpus, article))
            return
        with self._write() as db:
            if read:
                db.execute(
                    "INSERT OR IGNORE INTO reads (corpus, article, updated) VALUES (?, ?, ?)",
                    (corpus, article, now()),
                )
            else:
                db.execute("DELETE FROM reads WHERE corpus = ? AND article = ?", (corpus, article))

    def read_articles(self, corpus: str) -> set[str]:
        """Ids of the articles marked read in this corpus."""
        rows = self._query("SELECT article FROM reads WHERE corpus = ?", (corpus,))
        return {r[0] for r in rows} | {a for c, a in self._session_reads if c == corpus}

    def annotated_articles(self, corpus: str) -> set[str]:
        """Ids of the articles with at least one live note or highlight."""
        rows = self._query(
            "SELECT DISTINCT article FROM annotations WHERE corpus = ? AND deleted IS NULL",
            (corpus,),
        )
        return {r[0] for r in rows}

    def bookmarked_articles(self, corpus: str) -> set[str]:
        """Ids of the bookmarked articles in this corpus."""
        rows = self._query(
            "SELECT article FROM bookmarks WHERE corpus = ? AND deleted IS NULL", (corpus,)
        )
        return {r[0] for r in rows}

    # -- notes and highlights ------------------------------------------------

    def add_note(
        self, corpus: str, article: str, text: str, start: int, end: int, body: str = ""
    ) -> Annotation:
        """Attach a note to ``text[start:end]``; tags are the ``#words`` of ``body``.

        ``text`` is the article's current text (``Article.text``).

        Raises:
            ValueError: if the range is empty or outside the text.
            ReadOnlyError: if the store is read-only.
        """
        return self._add("note", corpus, article, text, start, end, body)

    def add_highlight(
        self, corpus: str, article: str, text: str, start: int, end: int
    ) -> Annotation:
        """Highlight ``text[start:end]``; see :meth:`add_note`.

        A span already highlighted is not highlighted twice: the existing
        highlight is returned (:meth:`highlight_once` also says which).
        """
        return self.highlight_once(corpus, article, text, start, end)[0]

    def highlight_once(
        self, corpus: str, article: str, text: str, start: int, end: int
    ) -> tuple[Annotation, bool]:
        """Highlight ``text[start:end]`` unless a live highlight of the article already
        covers exactly that span; returns ``(highlight, new)``.

        ``new`` is False when the span was already highlighted: nothing is
        stored and the existing highlight is returned (the reader says
        "already highlighted"). A highlight counts as the same when it has
        the same quote and sits, re-anchored on ``text``, at the same offsets.

        Raises:
            ValueError: if the range is empty or outside the text.
            ReadOnlyError: if the store is read-only.
        """
        note = self._new("highlight", corpus, article, text, start, end, "")
        with self._write() as db:
            rows = db.execute(
                f"SELECT {_ANNOTATION_COLUMNS} FROM annotations WHERE corpus = ? AND "
                "article = ? AND kind = 'highlight' AND quote = ? AND deleted IS NULL "
                "ORDER BY created, id",
                (corpus, article, note.quote),
            ).fetchall()
            for row in rows:
                existing = _row_annotation(row)
                there = self.place(existing, text, note.article_hash)
                if there.status != "orphaned" and (there.start, there.end) == (
                    note.start,
                    note.end,
                ):
                    return existing, False
            self._insert(db, note)
        return note, True

    def _add(
        self, kind: Kind, corpus: str, article: str, text: str, start: int, end: int, body: str
    ) -> Annotation:
        note = self._new(kind, corpus, article, text, start, end, body)
        with self._write() as db:
            self._insert(db, note)
        return note

    @staticmethod
    def _new(
        kind: Kind, corpus: str, article: str, text: str, start: int, end: int, body: str
    ) -> Annotation:
        """A new annotation over ``text[start:end]`` (not stored yet)."""
        sel = selector(text, start, end)
        stamp = now()
        return Annotation(
            id=_new_id(),
            kind=kind,
            corpus=corpus,
            article=article,
            article_hash=content_hash(text),
            quote=sel.quote,
            prefix=sel.prefix,
            suffix=sel.suffix,
            start=sel.start,
            end=sel.end,
            body=body,
            tags=parse_tags(body),
            created=stamp,
            updated=stamp,
        )

    @staticmethod
    def _insert(db: sqlite3.Connection, a: Annotation) -> None:
        db.execute(
            "INSERT INTO annotations (id, kind, corpus, article, article_hash, quote, prefix, "
            'suffix, start, "end", body, tags, created, updated, deleted) '
            "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
            (
                a.id,
                a.kind,
                a.corpus,
                a.article,
                a.article_hash,
                a.quote,
                a.prefix,
                a.suffix,
                a.start,
                a.end,
                a.body,
                " ".join(a.tags),
                a.created,
                a.updated,
                a.deleted,
            ),
        )

    def get(self, annotation_id: str) -> Annotation | None:
        """One note or highlight by id, deleted or not."""
        rows = self._query(
            f"SELECT {_ANNOTATION_COLUMNS} FROM annotations WHERE id = ?", (annotation_id,)
        )
        return _row_annotation(rows[0]) if rows else None

    def annotations(
        self,
        corpus: str | None = None,
        article: str | None = None,
        kind: Kind | None = None,
        *,
        deleted: bool = False,
    ) -> list[Annotation]:
        """Notes and highlights, newest change first (deleted ones only if asked)."""
        where, params = ["1"], []
        if corpus is not None:
            where.append("corpus = ?")
            params.append(corpus)
        if article is not None:
            where.append("article = ?")
            params.append(article)
        if kind is not None:
            where.append("kind = ?")
            params.append(kind)
        if not deleted:
            where.append("deleted IS NULL")
        rows = self._query(
            f"SELECT {_ANNOTATION_COLUMNS} FROM annotations WHERE {' AND '.join(where)}", params
        )
        # Sorted here: SQLite's sorter copies whole rows, Python's sort moves pointers.
        found = sorted((_row_annotation(r) for r in rows), key=lambda a: a.id)
        found.sort(key=lambda a: a.updated, reverse=True)
        return found

    def notes(self, corpus: str | None = None, article: str | None = None) -> list[Annotation]:
        """The live notes (not highlights), newest change first."""
        return self.annotations(corpus, article, "note")

    def highlights(self, corpus: str | None = None, article: str | None = None) -> list[Annotation]:
        """The live highlights, newest change first."""
        return self.annotations(corpus, article, "highlight")

    def update_note(self, annotation_id: str, body: str) -> Annotation:
        """Replace a note's body (and so its tags).

        Raises:
            KeyError: if there is no such note or highlight.
        """
        with self._write() as db:
            cur = db.execute(
                "UPDATE annotations SET body = ?, tags = ?, updated = ? WHERE id = ?",
                (body, " ".join(parse_tags(body)), now(), annotation_id),
            )
            if cur.rowcount == 0:
                raise KeyError(annotation_id)
        found = self.get(annotation_id)
        assert found is not None
        return found

    def reattach(self, annotation_id: str, text: str, start: int, end: int) -> Annotation:
        """Put an annotation on ``text[start:end]`` of its article's current text.

        Re-attaches an orphaned note to a new selection, or saves a re-anchored
        place so the next look-up is exact.

        Raises:
            KeyError: if there is no such annotation.
            ValueError: if the range is empty or outside the text.
        """
        sel = selector(text, start, end)
        with self._write() as db:
            cur = db.execute(
                "UPDATE annotations SET quote = ?, prefix = ?, suffix = ?, start = ?, "
                '"end" = ?, article_hash = ?, updated = ? WHERE id = ?',
                (
                    sel.quote,
                    sel.prefix,
                    sel.suffix,
                    sel.start,
                    sel.end,
                    content_hash(text),
                    now(),
                    annotation_id,
                ),
            )
            if cur.rowcount == 0:
                raise KeyError(annotation_id)
        found = self.get(annotation_id)
        assert found is not None
        return found

    def follow_renames(self, corpus: str, renames: Mapping[str, str]) -> dict[str, str]:
        """Move what is kept for each renamed article to the id that holds it now.

        ``renames`` is old id -> new id, as the index detected them
        (:func:`tui.index.renames`): the index knows a file that was edited and
        then renamed by the hash it last read, which no note kept. Notes,
        highlights, bookmark, position, read mark and last article all move,
        with or without notes on the article. Returns the moves made; none on a
        read-only store.
        """
        if self.read_only or not renames:
            return {}
        held = self._query(
            " UNION ".join(
                f"SELECT article FROM {table} WHERE corpus = ?" for table in _PER_ARTICLE
            ),
            (corpus,) * len(_PER_ARTICLE),
        )
        moves = {r[0]: renames[r[0]] for r in held if renames.get(r[0], r[0]) != r[0]}
        if moves:
            with self._write() as db:
                _move(db, corpus, moves)
        return moves

    def follow_moves(
        self,
        corpus: str,
        hashes: Mapping[str, str],
        exists: Callable[[str], bool] = lambda article: False,
    ) -> dict[str, str]:
        """Move what is kept for an article that is gone to the one id that now holds its text.

        Args:
            corpus: the corpus key.
            hashes: the corpus now, ``{article id: content hash}`` (from the index).
            exists: whether an article's file is still there: then it is not gone,
                whatever ``hashes`` says (an index still being built lacks it).

        An article id the store keeps something for (notes, highlights,
        bookmark, position, read mark, last article) that is not in
        ``hashes`` is looked up by the hashes the store kept for it: those of
        the texts its notes were made on, and of the text its position was
        last saved on. So a file moved in two steps (removed, the index
        refreshed, then put back under another name), which the index cannot
        see as a rename, takes its notes, bookmark and position along, as
        :meth:`follow_renames` does for a rename the index saw.

        Never a guess: when those hashes are held by several articles (copies
        of the file), or two gone articles would go to the same one, nothing
        moves for them and their notes stay orphaned (:meth:`reattach` is the
        user's way out); nor onto an article the store keeps something for
        already. An article with no hash kept (only a bookmark, or a position
        saved by an older margin) cannot be followed. Returns the moves made;
        none on a read-only store.
        """
        if self.read_only:
            return {}
        known: dict[str, set[str]] = {}
        held = self._query(
            " UNION ".join(
                f"SELECT article, '' FROM {table} WHERE corpus = ?" for table in _PER_ARTICLE
            )
            + " UNION SELECT article, article_hash FROM annotations WHERE corpus = ?"
            " UNION SELECT article, article_hash FROM positions WHERE corpus = ?",
            (corpus,) * (len(_PER_ARTICLE) + 2),
        )
        taken: set[str] = set()
        for article, h in held:
            taken.add(article)
            if article not in hashes and not exists(article):
                known.setdefault(article, set())
                if h:
                    known[article].add(h)
        if not known:
            return {}
        holders: dict[str, list[str]] = {}
        wanted = set().union(*known.values())
        for aid, h in hashes.items():
            if h in wanted:
                holders.setdefault(h, []).append(aid)
        moves: dict[str, str] = {}
        for article, kept in known.items():
            # Not onto an article that has notes of its own: after a JSONL line went, its
            # records shift, and the next one's notes are not the gone one's.
            targets = {aid for h in kept for aid in holders.get(h, ()) if aid not in taken}
            if len(targets) == 1:
                moves[article] = targets.pop()
        claimed = Counter(moves.values())
        moves = {old: new for old, new in moves.items() if claimed[new] == 1}
        if moves:
            with self._write() as db:
                _move(db, corpus, moves)
        return moves

    @staticmethod
    def place(annotation: Annotation, text: str, text_hash: str | None = None) -> Anchor:
        """Where ``annotation`` sits in ``text``, the article's current text.

        With the article's hash and an unchanged article this is free.
        """
        if text_hash is not None and text_hash == annotation.article_hash:
            return Anchor(annotation.start, annotation.end, "anchored")
        return anchor(
            text,
            annotation.quote,
            annotation.prefix,
            annotation.suffix,
            annotation.start,
            annotation.end,
        )

    def placed(
        self, corpus: str, article: str, text: str, text_hash: str | None = None
    ) -> list[Placed]:
        """The live notes and highlights of one article, anchored on its text.

        Every annotation is returned, orphaned ones too (in document order,
        orphaned last). One found by its exact quote in an edited text is saved
        there, as :meth:`placed_in_corpus` does.
        """
        h = text_hash if text_hash is not None else content_hash(text)
        found: list[Placed] = []
        fresh: list[Annotation] = []
        for a in self.annotations(corpus, article):
            there = self.place(a, text, h)
            if a.article_hash != h and _exact(a, text, there):
                a = _resaved(a, text, there, h)
                fresh.append(a)
            found.append(Placed(a, there))
        if fresh and not self.read_only:
            with self._write() as db:
                _save_places(db, fresh)
        found.sort(key=lambda p: (p.anchor.status == "orphaned", p.anchor.start, p.anchor.end))
        return found

    def placed_in_corpus(
        self,
        corpus: str,
        hashes: Mapping[str, str],
        text_of: Callable[[str], str | None],
    ) -> list[Placed]:
        """Every live note and highlight of a corpus, anchored on the current files.

        Args:
            corpus: the corpus key.
            hashes: the corpus now, ``{article id: content hash}`` (from the index).
            text_of: the current text of an article id (None if unreadable);
                only called for articles whose hash changed.

        An article that is gone is looked for by content hash
        (:func:`tui.anchor.find_moved`), and so is one whose id now holds
        another article's text (:func:`tui.anchor.find_replaced`: a JSONL line
        removed above it, two files swapped); a JSONL record that was edited
        too, by its quotes in the records near its line
        (:func:`tui.anchor.find_record`). When found, its notes, bookmark and
        position are moved to the new id for good. Notes whose article
        cannot be found are returned ``orphaned``: nothing is dropped. Sorted
        by article, then place.

        A note found by its exact quote in an article's edited text is saved
        there, with the hash of that text (its ``updated`` time unchanged: the
        user changed nothing). So it is found by hash if the edited file is
        later removed and put back under another name
        (:meth:`follow_moves`), and the next look-up is free.
        """
        by_article: dict[str, list[Annotation]] = {}
        for a in self.annotations(corpus):
            by_article.setdefault(a.article, []).append(a)
        found: list[Placed] = []
        moves: dict[str, str] = {}
        fresh: list[Annotation] = []
        for article, items in by_article.items():
            target: str | None = article if article in hashes else None
            made_on = list(dict.fromkeys(a.article_hash for a in items))
            for h in made_on:
                if target is None:
                    target = find_moved(article, h, hashes)
                elif target == article and hashes[article] not in made_on:
                    target = find_replaced(article, h, hashes, text_of) or article
            if target in (None, article) and hashes.get(article) not in made_on:
                quotes = [Selector(a.quote, a.prefix, a.suffix, a.start, a.end) for a in items]
                target = find_record(article, quotes, hashes, text_of) or target
            if target is not None and target != article:
                moves[article] = target
                items = [replace(a, article=target) for a in items]
            text: str | None = None
            text_hash: str | None = None
            for a in items:
                if target is None:
                    found.append(Placed(a, Anchor(a.start, a.end, "orphaned", 0.0)))
                    continue
                if hashes.get(target) == a.article_hash:
                    found.append(Placed(a, Anchor(a.start, a.end, "anchored")))
                    continue
                if text is None:
                    text = text_of(target)
                if text is None:
                    found.append(Placed(a, Anchor(a.start, a.end, "orphaned", 0.0)))
                    continue
                there = self.place(a, text)
                if _exact(a, text, there):
                    if text_hash is None:
                        text_hash = content_hash(text)
                    a = _resaved(a, text, there, text_hash)
                    fresh.append(a)
                found.append(Placed(a, there))
        if (moves or fresh) and not self.read_only:
            with self._write() as db:
                _move(db, corpus, moves)
                _save_places(db, fresh)
        found.sort(key=lambda p: (p.annotation.article, p.anchor.start, p.anchor.end))
        return found

    def merge_annotation(self, incoming: Annotation) -> Merge:
        """Import one annotation: same id, the later ``updated`` wins; an equal
        live one (same article, kind, quote, offsets and body) is a duplicate."""
        with self._write() as db:
            rows = db.execute(
                f"SELECT {_ANNOTATION_COLUMNS} FROM annotations WHERE id = ?", (incoming.id,)
            ).fetchall()
            if rows:
                current = _row_annotation(rows[0])
                if current.updated >= incoming.updated:
                    return "skipped"
                db.execute("DELETE FROM annotations WHERE id = ?", (incoming.id,))
                self._insert(db, incoming)
                return "updated"
            same = db.execute(
                "SELECT 1 FROM annotations WHERE corpus = ? AND article = ? AND kind = ? AND "
                'quote = ? AND start = ? AND "end" = ? AND body = ? AND deleted IS NULL',
                (
                    incoming.corpus,
                    incoming.article,
                    incoming.kind,
                    incoming.quote,
                    incoming.start,
                    incoming.end,
                    incoming.body,
                ),
            ).fetchall()
            if same:
                return "skipped"
            self._insert(db, incoming)
            return "added"

    # -- bookmarks -----------------------------------------------------------

    def bookmark(self, corpus: str, article: str) -> Bookmark | None:
        """The live bookmark on an article, if any."""
        rows = self._query(
            "SELECT * FROM bookmarks WHERE corpus = ? AND article = ? AND deleted IS NULL",
            (corpus, article),
        )
        return _from_row(Bookmark, rows[0]) if rows else None

    def bookmarks(self, corpus: str | None = None) -> list[Bookmark]:
        """Live bookmarks, newest first."""
        if corpus is None:
            rows = self._query(
                "SELECT * FROM bookmarks WHERE deleted IS NULL ORDER BY updated DESC"
            )
        else:
            rows = self._query(
                "SELECT * FROM bookmarks WHERE corpus = ? AND deleted IS NULL "
                "ORDER BY updated DESC",
                (corpus,),
            )
        return [_from_row(Bookmark, r) for r in rows]

    def add_bookmark(self, corpus: str, article: str, offset: int) -> Bookmark:
        """Bookmark an article at ``offset`` (moves an existing bookmark there)."""
        stamp = now()
        with self._write() as db:
            db.execute(
                'INSERT INTO bookmarks (id, corpus, article, "offset", created, updated) '
                "VALUES (?, ?, ?, ?, ?, ?) ON CONFLICT (corpus, article) DO UPDATE SET "
                '"offset" = excluded."offset", updated = excluded.updated, deleted = NULL',
                (_new_id(), corpus, article, offset, stamp, stamp),
            )
        found = self.bookmark(corpus, article)
        assert found is not None
        return found

    def toggle_bookmark(self, corpus: str, article: str, offset: int) -> Bookmark | None:
        """Bookmark the article, or remove its bookmark; returns the new bookmark or None.

        Removing is a soft delete: :meth:`restore` with the old bookmark's id undoes it.
        """
        current = self.bookmark(corpus, article)
        if current is None:
            return self.add_bookmark(corpus, article, offset)
        self.delete(current.id)
        return None

    def merge_bookmark(self, incoming: Bookmark) -> Merge:
        """Import one bookmark: one per article, the later ``updated`` wins."""
        with self._write() as db:
            rows = db.execute(
                "SELECT * FROM bookmarks WHERE corpus = ? AND article = ?",
                (incoming.corpus, incoming.article),
            ).fetchall()
            if rows:
                current = _from_row(Bookmark, rows[0])
                if current.updated >= incoming.updated:
                    return "skipped"
                db.execute(
                    'UPDATE bookmarks SET "offset" = ?, updated = ?, deleted = ? WHERE id = ?',
                    (incoming.offset, incoming.updated, incoming.deleted, current.id),
                )
                return "updated"
            db.execute(
                'INSERT OR IGNORE INTO bookmarks (id, corpus, article, "offset", created, updated, '
                "deleted) VALUES (?, ?, ?, ?, ?, ?, ?)",
                (
                    incoming.id,
                    incoming.corpus,
                    incoming.article,
                    incoming.offset,
                    incoming.created,
                    incoming.updated,
                    incoming.deleted,
                ),
            )
            return "added"

    # -- entity corrections --------------------------------------------------

    def add_correction(self, surface: str, type: str, name: str | None = None) -> Correction:
        """Record that ``surface`` is an entity of ``type`` (``"reject"``: not an
        entity), merged into the entity named ``name``. Replaces (undoably) an
        earlier correction of the same surface."""
        stamp = now()
        correction = Correction(_new_id(), surface, type, name, stamp, stamp)
        with self._write() as db:
            db.execute(
                "UPDATE corrections SET deleted = ?, updated = ? "
                "WHERE surface = ? AND deleted IS NULL",
                (stamp, stamp, surface),
            )
            db.execute(
                "INSERT INTO corrections (id, surface, type, name, created, updated) "
                "VALUES (?, ?, ?, ?, ?, ?)",
                (correction.id, surface, type, name, stamp, stamp),
            )
        return correction

    def corrections(self) -> list[Correction]:
        """The live entity corrections, oldest first (the order they were made)."""
        rows = self._query("SELECT * FROM corrections WHERE deleted IS NULL ORDER BY created, id")
        return [_from_row(Correction, r) for r in rows]

    # -- delete and undo -----------------------------------------------------

    def delete(self, item_id: str) -> bool:
        """Soft-delete a note, highlight, bookmark or correction by id.

        Returns False if there is no live item with that id.
        """
        stamp = now()
        with self._write() as db:
            for table in ("annotations", "bookmarks", "corrections"):
                cur = db.execute(
                    f"UPDATE {table} SET deleted = ?, updated = ? WHERE id = ? AND deleted IS NULL",
                    (stamp, stamp, item_id),
                )
                if cur.rowcount:
                    return True
        return False

    def restore(self, item_id: str) -> bool:
        """Undo :meth:`delete`. Returns False if nothing deleted has that id, or
        if a newer live item took its place (a new bookmark on the article, a
        new correction of the surface)."""
        stamp = now()
        with self._write() as db:
            for table in ("annotations", "bookmarks", "corrections"):
                try:
                    cur = db.execute(
                        f"UPDATE {table} SET deleted = NULL, updated = ? "
                        "WHERE id = ? AND deleted IS NOT NULL",
                        (stamp, item_id),
                    )
                except sqlite3.IntegrityError:
                    return False
                if cur.rowcount:
                    return True
        return False


def _folded(text: str) -> str:
    """``text`` case-folded and without accents: what the notes filter compares."""
    decomposed = unicodedata.normalize("NFD", text.casefold())
    return unicodedata.normalize(
        "NFC", "".join(c for c in decomposed if not unicodedata.combining(c))
    )


class NoteFilter:
    """Filter-as-you-type over the quote, body and tags of many annotations.

    Every whitespace-separated term must occur in the quote, the body or the
    ``#tags``, whatever the case and accents ("cafe" finds "Café", as search
    does). The text is folded once, up front,
    into one string scanned with ``str.find``; a query that extends the
    previous one (the user typed one more character) only re-checks the
    previous matches, and a query seen before (backspace) is answered from a
    small cache.
    """

    def __init__(self, annotations: Sequence[Annotation]) -> None:
        self._items = list(annotations)
        self._texts = [
            _folded("\x1f".join((a.quote, a.body, " ".join("#" + t for t in a.tags))))
            for a in self._items
        ]
        self._all = "\x1e".join(self._texts)
        self._starts: list[int] = []
        pos = 0
        for text in self._texts:
            self._starts.append(pos)
            pos += len(text) + 1
        self._cache: dict[str, list[int]] = {}

    def __len__(self) -> int:
        return len(self._items)

    def __call__(self, query: str) -> list[Annotation]:
        """The annotations matching ``query``, in the order given."""
        return [self._items[i] for i in self.indices(query)]

    def indices(self, query: str) -> list[int]:
        """Positions (in the given sequence) of the annotations matching ``query``."""
        folded = " ".join(_folded(query).split())
        cached = self._cache.get(folded)
        if cached is not None:  # backspace: an earlier query again
            return list(cached)
        # Typing one more character only narrows: start from the longest
        # earlier query this one extends.
        base = max((q for q in self._cache if folded.startswith(q)), key=len, default="")
        candidates = self._cache[base] if base else None
        for term in folded.split():
            if candidates is None:
                candidates = self._scan(term)
            else:
                texts = self._texts
                candidates = [i for i in candidates if term in texts[i]]
            if not candidates:
                break
        result = candidates if candidates is not None else list(range(len(self._items)))
        if len(self._cache) >= 256:
            del self._cache[next(iter(self._cache))]
        self._cache[folded] = result
        return list(result)

    def _scan(self, term: str) -> list[int]:
        if len(term) <= 2:
            # Short terms (the first letters typed) match most notes: one C-level
            # test per note beats jumping from hit to hit in Python.
            return [i for i, text in enumerate(self._texts) if term in text]
        found: list[int] = []
        starts, text, n = self._starts, self._all, len(self._starts)
        pos = text.find(term)
        while pos >= 0:
            i = bisect.bisect_right(starts, pos) - 1
            found.append(i)
            if i + 1 >= n:
                break
            pos = text.find(term, starts[i + 1])
        return found
