"""Entity mentions of a whole corpus, recognized at index time and kept beside the index.

One SQLite file per corpus, ``index_dir(root, cache) / "mentions.sqlite3"``,
as disposable as the index: a schema change, a broken file or a missing one
and it is rebuilt from the index's stored texts (files are never re-read).

Tables (a mention is three integers, so that the file stays a fraction of the
corpus; names and spellings are stored once)::

    meta        schema version; fingerprint of what recognition depends on; linked flag
    articles    (num, id, hash): the articles recognized, with the hash of the text they had
    forms       (id, type, name, recognizer, surface, entity): each distinct way a
                mention was found; surface "" when it is the name; entity: the
                corpus-wide entity after linking (NULL until linked)
    mentions    (article num, spans): an article's mentions, one row: (start, length,
                form) triples of 32-bit integers in text order
    entities    (id, type, name, aliases, mentions, articles): one row per canonical entity
    entity_articles (entity, spots): where each entity is named, one row: (article num,
                mentions, offset of the first) triples in article order

A row per mention was 5 million rows at 100,000 articles: storing them cost
the pass more than a tenth of its time, and linking sorted them twice in SQL.
As triples, an article is written at once, and the link sorts them in memory.

An article's mentions and its ``articles`` row are written in one transaction,
so a pass killed half-way leaves whole articles: the next pass recognizes the
rest. Linking across the corpus runs at the end of a pass and rewrites the
entities in one transaction; until it has run, ``entities`` answers from the
previous link (``linked`` in meta says whether it is current).

The fingerprint covers the recognizer's code, the package data versions, the
user's gazetteer file and corrections: when it changes, every article is
recognized again at the next pass.
"""

from __future__ import annotations

import bisect
import contextlib
import fcntl
import gc
import hashlib
import itertools
import os
import sqlite3
import threading
import time
from array import array
from collections import Counter, deque
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from functools import cache, partial
from pathlib import Path
from typing import TYPE_CHECKING, Any, NamedTuple

from tui.entities import NAME_TYPES, Entity, Gazetteer, Mention, recognize
from tui.entities.linking import CorpusLinks, link_counts
from tui.entities.statistical import SpacyNer
from tui.index import Index, index_dir
from tui.memory import apart, give_back

if TYPE_CHECKING:
    import numpy as np

SCHEMA_VERSION = 4
"""Bump when the tables change: the file is rebuilt."""

FILENAME = "mentions.sqlite3"
BATCH = 200
"""Articles per transaction."""
CHUNK = 50
"""Articles per ``Index.texts`` call, and per piece of work for a worker process."""
POOL_MIN_ARTICLES = 1000
"""Below this many articles to recognize, forking workers costs more than it saves."""
FORM_CACHE = 200_000
"""Form ids kept in memory during a pass; beyond this the cache starts again."""
WHOLE_READ = 2000
"""More article numbers than this to name, and every article's id is read at once."""
FOLLOW_SECONDS = 0.5
"""How often a pass that follows a build, with nothing left to do, reads the index again."""
FOLLOW_NICE = 5
"""How much the workers of a pass that follows a build yield to the build's (``os.nice``),
for the whole pass."""

Progress = Callable[[int, int], None]
Cancel = Callable[[], bool]
Following = Callable[[], bool]
"""True while the index is still being built (``update_mentions``)."""


class MentionsUnavailable(Exception):
    """The stored mentions cannot be read (none yet, broken, another schema)."""


@dataclass(frozen=True)
class MentionSummary:
    """What one pass did: articles recognized, removed, entities after linking."""

    recognized: int
    removed: int
    entities: int
    seconds: float
    cancelled: bool = False
    redone: bool = False
    """True when the fingerprint changed, so every article was recognized again."""


_FORMS_KEY = (
    "CREATE UNIQUE INDEX IF NOT EXISTS forms_key ON forms (name, type, recognizer, surface)"
)
"""Dropped while a pass that reads every form writes new ones, made again at its end (or by
the next pass, if it was killed): updating it row by row cost three times as much."""
_ENTITIES_NAME = "CREATE INDEX IF NOT EXISTS entities_name ON entities (name, type)"
"""Dropped while the link rewrites the entities, made again in its transaction: inserting
the rows into it one by one cost twice as much."""
_SQL = f"""
CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value TEXT NOT NULL) WITHOUT ROWID;
CREATE TABLE IF NOT EXISTS articles (
    num INTEGER PRIMARY KEY AUTOINCREMENT, id TEXT NOT NULL UNIQUE, hash TEXT NOT NULL
);
CREATE TABLE IF NOT EXISTS forms (
    id INTEGER PRIMARY KEY, type TEXT NOT NULL, name TEXT NOT NULL, recognizer TEXT NOT NULL,
    surface TEXT NOT NULL, entity INTEGER
);
{_FORMS_KEY};
CREATE TABLE IF NOT EXISTS mentions (article INTEGER PRIMARY KEY, spans BLOB NOT NULL);
CREATE TABLE IF NOT EXISTS entities (
    id INTEGER PRIMARY KEY, type TEXT NOT NULL, name TEXT NOT NULL, aliases TEXT NOT NULL,
    mentions INTEGER NOT NULL, articles INTEGER NOT NULL
);
{_ENTITIES_NAME};
CREATE TABLE IF NOT EXISTS entity_articles (entity INTEGER PRIMARY KEY, spots BLOB NOT NULL);
"""


def mentions_path(root: Path, cache: Path) -> Path:
    """Where the mentions of the corpus at ``root`` are kept."""
    return index_dir(root, cache) / FILENAME


# -- fingerprint ------------------------------------------------------------------


@cache
def _code_digest() -> bytes:
    """A digest of the recognizer's source: new rules make stored mentions stale."""
    import tui.entities as package

    h = hashlib.blake2b(digest_size=16)
    folder = Path(package.__file__).parent
    for path in sorted(folder.glob("*.py")):
        with contextlib.suppress(OSError):
            h.update(path.name.encode() + b"\0" + path.read_bytes())
    from tui.entities.gazetteer import _versions

    h.update(_versions().encode())
    return h.digest()


def gazetteer_fingerprint(gazetteer: Gazetteer | None, ner: SpacyNer | None = None) -> str:
    """What recognition depends on beyond the text: code, data, user file, corrections,
    and the optional recognizer (``--ner``).

    Two gazetteers with the same fingerprint recognize the same mentions.
    """
    h = hashlib.blake2b(_code_digest(), digest_size=16)
    if ner is not None:
        h.update(ner.fingerprint.encode("utf-8", "surrogatepass"))
    if gazetteer is not None:
        # The package data is covered by the code digest (its versions); what
        # the user added (file entries, corrections) is read from the gazetteer.
        aliases = getattr(gazetteer, "_aliases", {})
        own = sorted((alias, kind, name) for alias, (kind, name, src) in aliases.items() if src > 0)
        rejected = sorted(getattr(gazetteer, "_rejected", ()))
        retyped = sorted(getattr(gazetteer, "_retyped", {}).items())
        h.update(repr((len(gazetteer), own, rejected, retyped)).encode("utf-8", "surrogatepass"))
    else:
        h.update(b"default")
    return h.hexdigest()


# -- the file ---------------------------------------------------------------------


def _connect(path: Path) -> sqlite3.Connection:
    db = sqlite3.connect(path, check_same_thread=False, isolation_level=None, timeout=30)
    db.execute("PRAGMA journal_mode=WAL")
    db.execute("PRAGMA synchronous=NORMAL")
    return db


def _schema_of(db: sqlite3.Connection) -> str | None:
    has_meta = db.execute(
        "SELECT 1 FROM sqlite_master WHERE type='table' AND name='meta'"
    ).fetchone()
    if has_meta is None:
        return None
    row = db.execute("SELECT value FROM meta WHERE key = 'schema'").fetchone()
    return None if row is None else str(row[0])


def _remove(path: Path) -> None:
    for suffix in ("", "-wal", "-shm"):
        with contextlib.suppress(OSError):
            Path(str(path) + suffix).unlink()


def _open_for_writing(path: Path) -> sqlite3.Connection:
    """Open (or create) the file; anything unexpected and it is made anew."""
    path.parent.mkdir(parents=True, exist_ok=True)
    for attempt in (1, 2):
        db: sqlite3.Connection | None = None
        try:
            db = _connect(path)
            schema = _schema_of(db)
            if schema is not None and schema != str(SCHEMA_VERSION):
                raise MentionsUnavailable(f"schema {schema}, expected {SCHEMA_VERSION}")
            if schema is not None:
                db.execute("SELECT COUNT(*) FROM articles").fetchone()
            db.executescript(_SQL)
            db.execute("INSERT OR REPLACE INTO meta VALUES ('schema', ?)", (str(SCHEMA_VERSION),))
            return db
        except (sqlite3.Error, MentionsUnavailable):
            if db is not None:
                db.close()
            if attempt == 2:
                raise
            _remove(path)
    raise AssertionError("unreachable")  # pragma: no cover


@contextlib.contextmanager
def _writer_lock(folder: Path, cancel: Cancel | None) -> Iterator[int | None]:
    """One pass at a time per corpus: yields the lock file's descriptor (a child the pass
    starts shares it), or None if cancelled while waiting."""
    folder.mkdir(parents=True, exist_ok=True)
    with open(folder / "mentions.lock", "a+b") as handle:
        while True:
            try:
                fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
                break
            except BlockingIOError:
                if cancel is not None and cancel():
                    yield None
                    return
                time.sleep(0.05)
        try:
            yield handle.fileno()
        finally:
            fcntl.flock(handle, fcntl.LOCK_UN)


def _meta(db: sqlite3.Connection, key: str) -> str | None:
    row = db.execute("SELECT value FROM meta WHERE key = ?", (key,)).fetchone()
    return None if row is None else str(row[0])


# -- the pass ---------------------------------------------------------------------


def update_mentions(
    index: Index,
    gazetteer: Gazetteer | None = None,
    progress: Progress | None = None,
    cancel: Cancel | None = None,
    ner: SpacyNer | None = None,
    following: Following | None = None,
) -> MentionSummary:
    """Recognize the articles of ``index`` whose text changed since the last pass.

    Texts come from the index (``Index.texts``), in batches. Articles gone
    from the index lose their mentions. When the gazetteer's fingerprint (the
    user's file and corrections, the recognizer's code) differs from the
    stored one, every article is recognized again. Then the corpus is linked
    (``link_counts``) and the entities stored. ``progress(done, total)`` is
    called per article; ``cancel()`` is polled between articles and a
    cancelled pass keeps the articles it finished (the next one does the rest).
    While ``following()`` is true, the index is being built: the articles of
    each of its commits are recognized as they come (the cores the build's
    parsing leaves are used), and the corpus is linked once it is false.
    """
    started = time.monotonic()
    path = index.folder / FILENAME
    with _writer_lock(index.folder, cancel) as lock:
        if lock is None:
            return MentionSummary(0, 0, 0, time.monotonic() - started, cancelled=True)
        db = _open_for_writing(path)
        try:
            done, gone, cancelled, redone = _recognize_changed(
                db, index, gazetteer, ner, progress, cancel, following
            )
            # After the pass has returned: its lists and form cache are gone before linking.
            entities = -1
            if not cancelled and _meta(db, "linked") != "1":
                try:
                    entities = _link_apart(path, db, lock, cancel)
                except MentionsUnavailable:  # a stored row is broken: made anew, once
                    db.close()
                    _remove(path)
                    db = _open_for_writing(path)
                    done, gone, cancelled, redone = _recognize_changed(
                        db, index, gazetteer, ner, progress, cancel, None
                    )
                    entities = -1 if cancelled else _link_apart(path, db, lock, cancel)
                cancelled = entities < 0
            if entities < 0:
                entities = int(db.execute("SELECT COUNT(*) FROM entities").fetchone()[0])
            return MentionSummary(
                done, gone, entities, time.monotonic() - started, cancelled=cancelled, redone=redone
            )
        finally:
            db.close()


def _recognize_changed(
    db: sqlite3.Connection,
    index: Index,
    gazetteer: Gazetteer | None,
    ner: SpacyNer | None,
    progress: Progress | None,
    cancel: Cancel | None,
    following: Following | None,
) -> tuple[int, int, bool, bool]:
    """Store the mentions of every article whose text changed; drop those of the gone.

    While ``following()`` is true the index is still being built: the index is
    read again once what it held is done, until a last reading after it
    turned false. Returns (articles recognized, articles gone, cancelled, all redone).
    """
    fingerprint = gazetteer_fingerprint(gazetteer, ner)
    redone = _meta(db, "fingerprint") != fingerprint
    if redone:
        with _transaction(db):
            # Articles keep their numbers, so that the entities of the last
            # link still answer until the next one; "" is no text's hash.
            db.execute("UPDATE articles SET hash = ''")
            db.execute("DELETE FROM mentions")
            db.execute("INSERT OR REPLACE INTO meta VALUES ('fingerprint', ?)", (fingerprint,))
            db.execute("INSERT OR REPLACE INTO meta VALUES ('linked', '0')")
    pass_ = _Pass(db, index, progress, cancel)
    last = following is None or not following()
    todo = pass_.read_index()

    from tui.workers import forked, in_order  # not at import: reading mentions never forks

    setup = (gazetteer, ner)
    many = not last or len(todo) >= POOL_MIN_ARTICLES  # a build still going: more to come
    # Following a build, recognition yields the cores to its parsing: the sidebar fills first.
    niced = (*setup, 0 if last else FOLLOW_NICE)
    with forked(None if many else 1, _remember, niced) as pool:
        work = partial(in_order, pool, _recognize_many)
        here = partial(_recognize_many, setup=setup, cancel=cancel)
        while not pass_.recognize(todo, partial(work, here=here)) and not last:
            if not todo:
                time.sleep(FOLLOW_SECONDS)
            last = following is None or not following()
            todo = pass_.read_index(whole=last)
    pass_.forms.done()
    if progress is not None and not pass_.total:
        progress(0, 0)
    return pass_.done, pass_.gone, pass_.cancelled, redone


@contextlib.contextmanager
def _transaction(db: sqlite3.Connection) -> Iterator[None]:
    """All of the block's writes, or none."""
    db.execute("BEGIN IMMEDIATE")
    try:
        yield
        db.execute("COMMIT")
    except BaseException:
        if db.in_transaction:  # SQLite has already rolled back after "disk full"
            db.execute("ROLLBACK")
        raise


class _Pass:
    """What a pass has recognized; it reads the index once, or more while following a build."""

    def __init__(
        self, db: sqlite3.Connection, index: Index, progress: Progress | None, cancel: Cancel | None
    ) -> None:
        self.db = db
        self.index = index
        self.progress = progress
        self.cancel = cancel
        stored = db.execute("SELECT num, id, hash FROM articles").fetchall()
        self.numbers: dict[str, int] = {i: num for num, i, _ in stored}
        self.hashes: dict[str, str] = {i: digest for _, i, digest in stored}
        """The hash of the text each stored article was recognized in."""
        self.stored = len(stored)
        self.current: dict[str, tuple[str, str | None]] = {}
        self.last = 0
        """The index's last row read."""
        self.forms = _Forms(db)
        self.done = self.total = self.gone = 0
        self.cancelled = False

    def read_index(self, whole: bool = True) -> list[str]:
        """The ids of the articles to recognize, of the whole index or (``whole`` false) of
        what was written since the last reading; a whole reading drops the gone."""
        found, self.last = self.index.versions(0 if whole else self.last)
        todo = [i for i, (digest, _) in found.items() if self.hashes.get(i) != digest]
        self.total += len(todo)
        if self.total >= self.stored:  # as many as were stored: most forms will be met
            self.forms.read_all()
        if not whole:
            self.current.update(found)
            return todo
        self.current = found
        gone = [i for i in self.numbers if i not in self.current]
        if gone:
            with _transaction(self.db):
                nums = [(self.numbers.pop(i),) for i in gone]
                self.db.executemany("DELETE FROM mentions WHERE article = ?", nums)
                self.db.executemany("DELETE FROM articles WHERE num = ?", nums)
                self.db.execute("INSERT OR REPLACE INTO meta VALUES ('linked', '0')")
            for i in gone:
                del self.hashes[i]
            self.gone += len(gone)
        return todo

    def chunks(self, todo: Sequence[str]) -> Iterator[list[tuple[str, str, str | None, str]]]:
        """(id, hash, language, text) of the articles to do, a chunk at a time."""
        for first in range(0, len(todo), CHUNK):
            ids = todo[first : first + CHUNK]
            texts = self.index.texts(ids)
            # an id without text was removed by a build meanwhile: the next pass sees it gone
            yield [(i, *self.current[i], texts[i]) for i in ids if i in texts]

    def recognize(
        self, todo: Sequence[str], work: Callable[..., Iterator[tuple[Any, Any]]]
    ) -> bool:
        """Recognize and store ``todo`` (``work`` maps chunks in the workers); True when
        cancelled."""
        found: list[_Stored] = []
        waiting = 0  # articles in found
        for chunk, (kinds, spots) in work(self.chunks(todo)):
            # Fewer articles than the chunk's: cancelled inside the chunk (done here).
            articles = [(a, digest, s) for (a, digest, _, _), s in zip(chunk, spots, strict=False)]
            found.append((kinds, articles))
            waiting += len(articles)
            self.done += len(articles)
            if self.progress is not None:
                self.progress(self.done, self.total)
            if self.cancel is not None and self.cancel():
                self.cancelled = True
                break
            if waiting >= BATCH:
                self._store(found)
                found, waiting = [], 0
        if found:
            self._store(found)
        if self.progress is not None and not todo:
            self.progress(self.done, self.total)  # a reader gone stops a pass that waits
        return self.cancelled

    def _store(self, found: Sequence[_Stored]) -> None:
        _store_many(self.db, self.forms, found, self.numbers)
        self.hashes.update((i, digest) for _, chunk in found for i, digest, _ in chunk)


Form = tuple[str, str, str, str]
"""A distinct way a mention was found, as ``forms`` keys it: name, type, recognizer, and
the surface ("" when it is the name)."""
_Stored = tuple[list[Form], list[tuple[str, str, bytes]]]
"""The forms of a chunk, and the (id, hash, spans) of its articles: spans as stored, with
each form's place in the chunk's forms instead of its id."""

VARIABLES = 999
"""Values bound per statement: the least limit of any SQLite."""


class _Forms:
    """Ids of the rows of ``forms`` for a pass; a new form is numbered here and written
    with the mentions of its batch (``write``), so that one is never asked of SQLite."""

    def __init__(self, db: sqlite3.Connection) -> None:
        self.db = db
        self.ids: dict[Form, int] = {}
        self.new: list[object] = []
        """(id, name, type, recognizer, surface) of the forms numbered since the last write."""
        self.last = 0
        self.whole = False
        """Whether ``ids`` holds every row: then a form not in it is new, and none is
        asked of SQLite, so that the key index waits for the end."""
        self.given_up = False

    def read_all(self) -> None:
        """Hold every row from now on (a pass that meets most forms: reading them all at
        once costs less than asking for each), unless there are too many."""
        if self.whole or self.given_up:
            return
        if self._count() > FORM_CACHE:
            self.given_up = True
            return
        rows = self.db.execute("SELECT name, type, recognizer, surface, id FROM forms")
        self.ids = {(n, t, r, s): i for n, t, r, s, i in rows}
        self.whole = True
        self.db.execute("DROP INDEX IF EXISTS forms_key")

    def _count(self) -> int:
        return int(self.db.execute("SELECT COUNT(*) FROM forms").fetchone()[0])

    def begin(self) -> None:
        """Start numbering after the last row (in the batch's transaction)."""
        self.last = int(self.db.execute("SELECT IFNULL(MAX(id), 0) FROM forms").fetchone()[0])

    def of(self, kinds: Sequence[Form]) -> list[int]:
        """The ids of these forms, numbering the new ones."""
        get = self.ids.get
        return [get(form) or self._find(form) for form in kinds]

    def _find(self, form: Form) -> int:
        row = None
        if not self.whole:
            row = self.db.execute(
                "SELECT id FROM forms "
                "WHERE name = ? AND type = ? AND recognizer = ? AND surface = ?",
                form,
            ).fetchone()
        if row is not None:
            number = int(row[0])
        else:
            self.last += 1
            number = self.last
            self.new += (number, *form)
        self.ids[form] = number
        return number

    def write(self) -> None:
        """Insert the forms numbered since the last write; forget all when too many."""
        _insert(self.db, "INSERT INTO forms (id, name, type, recognizer, surface)", 5, self.new)
        self.new = []
        if len(self.ids) >= FORM_CACHE:
            self.done()
            self.ids.clear()
            self.given_up = True

    def done(self) -> None:
        """Make the key index again, when it was dropped: forms are asked for from now on."""
        if self.whole:
            self.db.execute(_FORMS_KEY)
            self.whole = False


def _insert(db: sqlite3.Connection, head: str, width: int, values: Sequence[object]) -> None:
    """``head`` VALUES for flat ``values``, ``width`` to a row: many rows a statement,
    as executemany's binding row by row cost 2.6 times as much."""
    most = VARIABLES // width * width
    for first in range(0, len(values), most):
        part = values[first : first + most]
        db.execute(head + _values(width, len(part) // width), part)


@cache
def _values(width: int, rows: int) -> str:
    row = "(" + ",".join("?" * width) + ")"
    return " VALUES " + ",".join([row] * rows)


_SETUP: tuple[Gazetteer | None, SpacyNer | None] = (None, None)
"""A worker's gazetteer and recognizer, handed over by the fork (``_remember``)."""


def _remember(gazetteer: Gazetteer | None, ner: SpacyNer | None, nice: int) -> None:
    global _SETUP
    _SETUP = (gazetteer, ner)
    if nice:
        with contextlib.suppress(OSError):
            os.nice(nice)


def _recognize_many(
    chunk: Sequence[tuple[str, str, str | None, str]],
    setup: tuple[Gazetteer | None, SpacyNer | None] | None = None,
    cancel: Cancel | None = None,
) -> tuple[list[Form], list[bytes]]:
    """The forms, and the spans of each (id, hash, language, text), in a worker or
    (``setup``) here; here, ``cancel()`` is polled between articles and stops the list
    short. A form is handed over once a chunk: half the mentions repeat one."""
    gazetteer, ner = setup or _SETUP
    forms: dict[Form, int] = {}
    out: list[bytes] = []
    for _, _, language, text in chunk:
        if cancel is not None and cancel():
            break
        try:
            found = recognize(text, language, gazetteer, ner)
        except Exception:  # a recognizer bug must not stop the corpus: this text has none
            found = []
        at: dict[int, tuple[int, int, int]] = {}  # one mention a start: the last found
        for m in found:
            surface = " ".join(text[m.start : m.end].split())
            form = (m.name, m.type, m.recognizer, "" if surface == m.name else surface)
            at[m.start] = (m.start, m.end - m.start, forms.setdefault(form, len(forms)))
        out.append(array("i", itertools.chain.from_iterable(sorted(at.values()))).tobytes())
    return list(forms), out


def _store_many(
    db: sqlite3.Connection, forms: _Forms, found: Sequence[_Stored], numbers: dict[str, int]
) -> None:
    """Store the mentions of several articles in one transaction; ``numbers`` are those of
    the articles stored before (their mentions are replaced), and learns the new ones.
    A rollback ends the pass: the forms numbered here are not used again."""
    with _transaction(db):
        forms.begin()
        articles = [article for _, chunk in found for article in chunk]
        made = _number(db, articles, numbers)
        rows: list[object] = []
        for kinds, chunk in found:
            ids = forms.of(kinds)
            for article_id, _, spans in chunk:
                triples = _triples(spans)
                triples[2::3] = array("i", [ids[form] for form in triples[2::3]])
                rows += (numbers.get(article_id) or made[article_id], triples.tobytes())
        forms.write()
        _insert(db, "INSERT OR REPLACE INTO mentions", 2, rows)
        db.execute("INSERT OR REPLACE INTO meta VALUES ('linked', '0')")
    numbers.update(made)


def _number(
    db: sqlite3.Connection, articles: Sequence[tuple[str, str, object]], numbers: dict[str, int]
) -> dict[str, int]:
    """Write the ``articles`` rows of (id, hash, _): the numbers of the new ones, numbered
    as AUTOINCREMENT would; the mentions of the others are deleted."""
    old = [(digest, numbers[i]) for i, digest, _ in articles if i in numbers]
    db.executemany("UPDATE articles SET hash = ? WHERE num = ?", old)
    db.executemany("DELETE FROM mentions WHERE article = ?", ((num,) for _, num in old))
    last = db.execute(
        "SELECT MAX(IFNULL(MAX(num), 0), "
        "IFNULL((SELECT seq FROM sqlite_sequence WHERE name = 'articles'), 0)) FROM articles"
    ).fetchone()[0]
    made = {i: last + n for n, i in enumerate((i for i, _, _ in articles if i not in numbers), 1)}
    values: list[object] = []
    for i, digest, _ in articles:
        if i in made:
            values += (made[i], i, digest)
    _insert(db, "INSERT INTO articles (num, id, hash)", 3, values)
    return made


def _is_evidence(recognizer: str) -> bool:
    """A type decided by evidence, not by the default guess (as ``linking`` weighs it)."""
    return not (recognizer.endswith(":default") or recognizer == "name:")


def _whole(data: object) -> bytes:
    """A stored row of triples, or MentionsUnavailable when it is broken."""
    if not isinstance(data, bytes) or len(data) % 12:
        raise MentionsUnavailable("broken mentions file: a row is not whole triples")
    return data


def _triples(data: object) -> array[int]:
    """Stored (start, length, form) or (article, mentions, first) triples, flat."""
    triples = array("i")
    triples.frombytes(_whole(data))
    return triples


READ_ROWS = 4096
"""Rows of ``mentions`` read into the columns at a time, joined into one buffer."""


class _Table(NamedTuple):
    """Every stored mention, as columns in article order (and by start within each)."""

    start: np.ndarray
    form: np.ndarray
    article: np.ndarray
    """The number of the mention's article."""

    @classmethod
    def read(cls, db: sqlite3.Connection) -> _Table:
        """Read in one pass into arrays made to size: 12 bytes a mention.

        The rows are joined a few thousand at a time, so that each column is
        copied once a batch: a copy a row cost more than the reading.
        """
        import numpy as np

        total = db.execute("SELECT IFNULL(SUM(length(spans)), 0) FROM mentions").fetchone()[0]
        start, form, article = (np.empty(total // 12, dtype=np.intc) for _ in range(3))
        at = 0
        rows = db.execute("SELECT article, spans FROM mentions ORDER BY article")
        while batch := rows.fetchmany(READ_ROWS):
            nums, spans = zip(*batch, strict=True)
            triples = np.frombuffer(b"".join(map(_whole, spans)), dtype=np.intc).reshape(-1, 3)
            end = at + len(triples)
            if end > len(start):
                break  # written meanwhile (it cannot be: the writer lock is held)
            start[at:end] = triples[:, 0]
            form[at:end] = triples[:, 2]
            article[at:end] = np.repeat(nums, [len(s) // 12 for s in spans])
            at = end
        return cls(start[:at], form[:at], article[:at])


def _link_apart(path: Path, db: sqlite3.Connection, lock: int, cancel: Cancel | None) -> int:
    """``_link`` in a fresh interpreter (``tui.link``, sharing the writer ``lock``), whose
    memory is the link's alone; here, after giving back what the pass freed, if that
    cannot run."""
    code = apart("tui.link", path, lock, cancel)
    if code is None:
        return -1
    if code != 0:
        give_back()
        return _link(db, cancel)
    return int(db.execute("SELECT COUNT(*) FROM entities").fetchone()[0])


def _link(db: sqlite3.Connection, cancel: Cancel | None) -> int:
    """Link the stored mentions across the corpus; rewrite the entities.

    Returns the number of entities, or -1 when cancelled (nothing written).
    The mentions are read once, as columns in memory (12 bytes a mention),
    before the write transaction, as the counts always were (the writer
    lock keeps the mentions as they are). The cyclic garbage collector is
    paused, as ``link_counts`` does: numbering the entities makes hundreds
    of thousands of tuples and lists, none in a cycle, and walking them
    again and again took a third of that loop.
    """
    collecting = gc.isenabled()
    gc.disable()
    try:
        return _link_table(db, _Table.read(db), cancel)
    finally:
        if collecting:
            gc.enable()


def _link_table(db: sqlite3.Connection, table: _Table, cancel: Cancel | None) -> int:
    """``_link`` of the mentions read, with the collector paused."""
    import numpy as np

    counts: list[int] = np.bincount(table.form).tolist()  # a list reads faster
    canonical = _link_forms(db, counts).canonical
    give_back()  # what linking freed, before the entities are made
    if cancel is not None and cancel():
        return -1
    with _transaction(db):
        numbering = _number_entities(db, canonical, counts)
        del canonical, counts  # before the places are made: the link's memory stays bounded
        give_back()
        size = int(numbering.entity_of.max(initial=0)) + 1
        with _ahead(_places(table, numbering.entity_of)) as places:
            _relink_forms(db, numbering.unused, numbering.changed)  # while the places are made
            mentions, articles = _store_entity_articles(db, places, size)
        _store_entities(db, numbering.entities, mentions, articles)
        db.execute("INSERT OR REPLACE INTO meta VALUES ('linked', '1')")
    return len(numbering.entities)


def _link_forms(db: sqlite3.Connection, counts: Sequence[int]) -> CorpusLinks:
    """Link the names of the forms that have mentions, weighed by their counts."""
    kinds = ",".join(f"'{t}'" for t in sorted(NAME_TYPES))
    rows = db.execute(
        f"SELECT id, type, name, recognizer FROM forms WHERE type IN ({kinds}) ORDER BY id"
    )
    size = len(counts)
    return link_counts(
        (
            ("", kind, name, _is_evidence(recognizer), counts[form])
            for form, kind, name, recognizer in rows
            if form < size and counts[form]
        ),
        entities=False,
    )


_Named = tuple[int, str, str, str]
"""An entity's id, type, name and other names (one a line)."""


class _Numbering(NamedTuple):
    """The entities of a link, and how the forms change."""

    entity_of: np.ndarray
    """The entity of each form (by id); 0 for the forms no mention uses."""
    entities: list[_Named]
    unused: list[tuple[int]]
    """The forms no mention uses any more."""
    changed: list[tuple[int, int]]
    """(entity, form) of the forms whose entity changed."""


def _number_entities(
    db: sqlite3.Connection,
    canonical: Mapping[tuple[str, str], tuple[str, str]],
    counts: Sequence[int],
) -> _Numbering:
    """Number the entities of the forms that have mentions.

    Entities keep their ids from one link to the next where they can, so
    that few forms change.
    """
    import numpy as np

    size = len(counts)
    old = {(t, n): i for i, t, n in db.execute("SELECT id, type, name FROM entities")}
    ids: dict[tuple[str, str], int] = {}
    aliases: dict[int, set[str]] = {}  # most entities have none: only their name
    unused: list[tuple[int]] = []
    changed: list[tuple[int, int]] = []
    entity_of = [0] * size
    free = max(old.values(), default=0)
    for form, kind, name, surface, entity in db.execute(
        "SELECT id, type, name, surface, entity FROM forms"
    ):
        if form >= size or not counts[form]:
            unused.append((form,))
            continue
        pair = (kind, name)
        target = canonical.get(pair, pair)
        number = ids.get(target)
        if number is None:
            number = old.get(target)
            if number is None:
                free += 1
                number = free
            ids[target] = number
        if name != target[1]:
            aliases.setdefault(number, set()).add(name)
        if surface and surface != target[1]:
            aliases.setdefault(number, set()).add(surface)
        entity_of[form] = number
        if entity != number:
            changed.append((number, form))
    named = [
        (number, kind, name, "\n".join(sorted(aliases.get(number, ()))))
        for (kind, name), number in ids.items()
    ]
    return _Numbering(np.asarray(entity_of, dtype=np.intc), named, unused, changed)


def _relink_forms(
    db: sqlite3.Connection, unused: Sequence[tuple[int]], changed: Sequence[tuple[int, int]]
) -> None:
    """Drop the forms no mention uses any more; set the entity of those that changed."""
    db.executemany("DELETE FROM forms WHERE id = ?", unused)
    db.executemany("UPDATE forms SET entity = ? WHERE id = ?", changed)


def _store_entities(
    db: sqlite3.Connection,
    entities: Sequence[_Named],
    mentions: Sequence[int],
    articles: Sequence[int],
) -> None:
    """Rewrite entities, with the mentions and the articles of each (by id)."""
    db.execute("DROP INDEX IF EXISTS entities_name")
    db.execute("DELETE FROM entities")
    values: list[object] = []
    for number, kind, name, others in entities:
        values += (number, kind, name, others, mentions[number], articles[number])
    _insert(db, "INSERT INTO entities", 6, values)
    db.execute(_ENTITIES_NAME)


SLICE = 250_000
"""Mentions made into entity_articles rows at a time: the link's memory stays bounded."""
SPAN = 1 << 16
"""Entities in a slice at most: as offsets from its first they are 16-bit numbers, which
numpy sorts stably by radix, in one pass (it took ten times as long as 32-bit ones)."""
AHEAD = 8
"""Slices made ahead of the one written (``_ahead``)."""


class _Places(NamedTuple):
    """The entity_articles rows of a range of entities."""

    numbers: np.ndarray
    """The entities."""
    mentions: np.ndarray
    articles: np.ndarray
    spots: bytes
    """Their (article, mentions, first) triples, one entity after the other."""
    edges: list[int]
    """Where each entity's triples begin in ``spots``, and where the last ends."""


def _places(table: _Table, entity_of: np.ndarray) -> Iterator[_Places]:
    """The entity_articles rows, a range of entities (about ``SLICE`` mentions) at a time.

    The mentions are read by article and by start. Taken a range of entities
    at a time, a stable sort by entity puts them in (entity, article, start)
    order: each (entity, article) pair is a run, whose first mention is its first.
    """
    import numpy as np

    entity = np.take(entity_of, table.form, out=table.form)  # the forms are not read again
    ends = np.cumsum(np.bincount(entity)).tolist()
    low = 0
    while low < len(ends):
        high = min(bisect.bisect_left(ends, (ends[low - 1] if low else 0) + SLICE) + 1, low + SPAN)
        picked = np.flatnonzero((entity >= low) & (entity < high))
        picked = picked[np.argsort((entity[picked] - low).astype(np.uint16), kind="stable")]
        low = high
        if not len(picked):
            continue
        named, article = entity[picked], table.article[picked]
        runs = np.flatnonzero((named[1:] != named[:-1]) | (article[1:] != article[:-1])) + 1
        starts = np.concatenate(([0], runs))
        spots = np.empty((len(starts), 3), dtype=np.intc)
        spots[:, 0] = article[starts]
        spots[:, 1] = np.diff(np.concatenate((starts, [len(picked)])))
        spots[:, 2] = table.start[picked[starts]]
        named = named[starts]
        bounds = np.flatnonzero(named[1:] != named[:-1]) + 1
        edges = np.concatenate(([0], bounds, [len(named)])).tolist()
        numbers = named[edges[:-1]]
        yield _Places(
            numbers,
            np.add.reduceat(spots[:, 1], edges[:-1]),
            np.diff(edges),
            spots.tobytes(),
            edges,
        )


@contextlib.contextmanager
def _ahead(items: Iterator[_Places]) -> Iterator[Iterator[_Places]]:
    """``items``, made in a thread from now on, up to ``AHEAD`` before the one used
    (leaving waits for those under way).

    numpy lets go of the interpreter while it sorts and SQLite while it
    writes: the places are made on one core while the forms and the places
    before them are written on the other (0.4 s of 6 at 100,000 articles).
    """
    with ThreadPoolExecutor(1) as pool:
        coming = deque(pool.submit(next, items, None) for _ in range(AHEAD))

        def made() -> Iterator[_Places]:
            while (item := coming.popleft().result()) is not None:
                coming.append(pool.submit(next, items, None))
                yield item

        yield made()


def _store_entity_articles(
    db: sqlite3.Connection, places: Iterable[_Places], size: int
) -> tuple[list[int], list[int]]:
    """Rewrite entity_articles; return the mentions and the articles of each entity (by
    id, below ``size``)."""
    import numpy as np

    db.execute("DELETE FROM entity_articles")
    mentions = np.zeros(size, dtype=np.int64)
    articles = np.zeros(size, dtype=np.int64)
    for place in places:
        mentions[place.numbers] = place.mentions
        articles[place.numbers] = place.articles
        rows: list[object] = []
        pairs = itertools.pairwise(place.edges)
        for number, (first, last) in zip(place.numbers.tolist(), pairs, strict=True):
            rows += (number, place.spots[first * 12 : last * 12])
        _insert(db, "INSERT INTO entity_articles", 2, rows)
        give_back()  # the slice's arrays: the C heap would keep them, and grow
    return mentions.tolist(), articles.tolist()


# -- reading ----------------------------------------------------------------------


class Mentions:
    """The stored mentions and entities of one corpus, opened for reading.

    Safe to share between threads (SQLite access is serialized). Sees what
    later passes commit without reopening.
    """

    def __init__(self, path: Path, db: sqlite3.Connection) -> None:
        self.path = path
        self._db = db
        self._lock = threading.Lock()

    def close(self) -> None:
        """Release the SQLite connection."""
        with self._lock:
            self._db.close()

    def _all(self, sql: str, params: Sequence[object] = ()) -> list[tuple[object, ...]]:
        with self._lock:
            try:
                return list(self._db.execute(sql, params).fetchall())
            except sqlite3.Error as exc:
                raise MentionsUnavailable(f"broken mentions file: {exc}") from exc

    @property
    def fingerprint(self) -> str | None:
        """The fingerprint of the gazetteer the stored mentions were recognized with."""
        rows = self._all("SELECT value FROM meta WHERE key = 'fingerprint'")
        return str(rows[0][0]) if rows else None

    def _spans(self, article_id: str, digest: str | None = None) -> array[int] | None:
        """The stored (start, length, form) triples of an article, or None (see ``of``)."""
        row = self._all("SELECT num, hash FROM articles WHERE id = ?", (article_id,))
        if not row or not row[0][1] or (digest is not None and row[0][1] != digest):
            return None
        spans = self._all("SELECT spans FROM mentions WHERE article = ?", (row[0][0],))
        return _triples(spans[0][0]) if spans else array("i")

    def _by_id(self, sql: str, ids: Iterable[object]) -> list[tuple[object, ...]]:
        """``sql``'s rows for ``ids``, its ``{}`` the placeholders (a few hundred at a time)."""
        ids = list(ids)
        rows: list[tuple[object, ...]] = []
        for first in range(0, len(ids), VARIABLES):
            part = ids[first : first + VARIABLES]
            rows += self._all(sql.format(",".join("?" * len(part))), part)
        return rows

    def of(self, article_id: str, digest: str | None = None) -> list[Mention] | None:
        """The stored mentions of one article (canonical names), in text order.

        None when the article was not recognized yet, or (with ``digest``)
        when it was recognized with another text than the one of that hash.
        """
        spans = self._spans(article_id, digest)
        if spans is None:
            return None
        names = {
            form: rest
            for form, *rest in self._by_id(
                "SELECT f.id, COALESCE(e.type, f.type), COALESCE(e.name, f.name), f.recognizer "
                "FROM forms f LEFT JOIN entities e ON e.id = f.entity WHERE f.id IN ({})",
                set(spans[2::3]),
            )
        }
        return [
            Mention(start, start + length, *names[form])  # type: ignore[arg-type]
            for start, length, form in zip(spans[::3], spans[1::3], spans[2::3], strict=True)
            if form in names
        ]

    def _ids(self, nums: Iterable[int]) -> dict[int, str]:
        """Article ids by number: asked for, or all read at once when there are many."""
        wanted = set(nums)
        rows: list[Any] = (
            self._all("SELECT num, id FROM articles")
            if len(wanted) > WHOLE_READ
            else self._by_id("SELECT num, id FROM articles WHERE num IN ({})", wanted)
        )
        return {num: i for num, i in rows if num in wanted}

    def entities(self, type: str | None = None, article: str | None = None) -> list[Entity]:
        """Entities of the corpus (or of one article), most mentioned first.

        ``mentions`` counts the whole corpus, or with ``article`` that
        article only; ``articles`` lists the ids of every article of the
        corpus that names the entity.
        """
        typed = " AND e.type = ?" if type is not None else ""
        extra: list[object] = [type] if type is not None else []
        head = "SELECT e.id, e.name, e.type, e.aliases, e.mentions, a.spots FROM entities e "
        head += "LEFT JOIN entity_articles a ON a.entity = e.id WHERE "
        if article is None:
            rows: list[Any] = self._all(head + "true" + typed, extra)
        else:
            # From the article's own mentions, as of the last link.
            spans = self._spans(article)
            if not spans:
                return []
            forms: list[Any] = self._by_id(
                "SELECT id, entity FROM forms WHERE id IN ({})", set(spans[2::3])
            )
            entity_of = dict(forms)
            here = Counter(entity_of.get(form) for form in spans[2::3])
            known = [e for e in here if e is not None]
            rows = [
                (*row[:4], here[row[0]], row[5])
                for row in self._by_id(head + "e.id IN ({})", known)
                if type is None or row[2] == type
            ]
        places = {i: _triples(spots or b"")[::3] for i, *_, spots in rows}
        ids = self._ids(itertools.chain.from_iterable(places.values()))
        made = [
            Entity(
                name=str(name),
                type=str(kind),
                aliases=[a for a in str(aliases).split("\n") if a],
                mentions=int(n),
                articles=sorted(ids[num] for num in places[i] if num in ids),
            )
            for i, name, kind, aliases, n, _ in rows
        ]
        made.sort(key=lambda e: (-e.mentions, e.name, e.type))
        return made

    def articles_mentioning(self, name: str, type: str | None = None) -> list[tuple[str, int, int]]:
        """(article id, mentions, offset of the first) of every article naming an entity.

        ``name`` is a canonical name, or failing that any name or spelling the
        entity goes by ("Musk" finds Elon Musk). Most mentions first.
        """
        typed = " AND type = ?" if type is not None else ""
        extra: list[object] = [type] if type is not None else []
        ids = [
            r[0]
            for r in self._all(f"SELECT id FROM entities WHERE name = ?{typed}", [name, *extra])
        ]
        if not ids:  # another name of an entity: one of its aliases
            ids = [
                r[0]
                for r in self._all(
                    "SELECT id FROM entities WHERE "
                    f"instr(char(10) || aliases || char(10), char(10) || ? || char(10)){typed}",
                    [name, *extra],
                )
            ]
        rows: list[Any] = self._by_id("SELECT spots FROM entity_articles WHERE entity IN ({})", ids)
        places = [_triples(spots) for (spots,) in rows]
        if len(places) == 1:  # most names: one entity, each article once
            nums, counts, firsts = places[0][::3], places[0][1::3], places[0][2::3]
        else:  # an article two entities of that name share counts once
            seen: dict[int, list[int]] = {}
            for triples in places:
                for num, n, first in zip(triples[::3], triples[1::3], triples[2::3], strict=True):
                    both = seen.setdefault(num, [0, first])
                    both[0] += n
                    both[1] = min(both[1], first)
            nums = array("i", seen)
            counts = array("i", (n for n, _ in seen.values()))
            firsts = array("i", (first for _, first in seen.values()))
        articles = self._ids(nums)
        found = [
            (articles[num], n, first)
            for num, n, first in zip(nums, counts, firsts, strict=True)
            if num in articles
        ]
        found.sort(key=lambda hit: (-hit[1], hit[0]))
        return found

    def type_of(self, name: str) -> str | None:
        """The type of the entity called ``name`` (the most mentioned of that name), if any:
        a correction that merges into it takes it (one type per entity)."""
        rows = self._all(
            "SELECT type FROM entities WHERE name = ? ORDER BY mentions DESC, type LIMIT 1",
            (name,),
        )
        return str(rows[0][0]) if rows else None

    def names(self) -> list[str]:
        """Every canonical entity name, most mentioned first (for completion)."""
        rows = self._all(
            "SELECT name, MAX(mentions) AS n FROM entities GROUP BY name ORDER BY n DESC, name"
        )
        return [str(r[0]) for r in rows]


def open_mentions(root: Path, cache: Path) -> Mentions:
    """Open the stored mentions of ``root`` as they are, without recognizing anything.

    Raises ``MentionsUnavailable`` when there are none, or they are broken or
    from another schema.
    """
    path = mentions_path(root, cache)
    if not path.exists():
        raise MentionsUnavailable("no mentions yet (run `margin index`)")
    try:
        db = _connect(path)
    except sqlite3.Error as exc:
        raise MentionsUnavailable(f"broken mentions file: {exc}") from exc
    try:
        schema = _schema_of(db)
        if schema != str(SCHEMA_VERSION):
            raise MentionsUnavailable(f"mentions schema {schema}, expected {SCHEMA_VERSION}")
    except sqlite3.Error as exc:
        db.close()
        raise MentionsUnavailable(f"broken mentions file: {exc}") from exc
    except MentionsUnavailable:
        db.close()
        raise
    return Mentions(path, db)
