"""The disposable per-corpus cache: a tantivy full-text index plus SQLite metadata.

Layout, under ``cache_dir(override) / corpus_key(root)``::

    meta.sqlite     files (rel, size, mtime_ns), articles (metadata), skipped, meta
    tantivy/        the full-text index (id, title, text, source, lang, date range)
    build.lock      held while a build writes

The SQLite ``files`` table is the record of what the full-text index holds.
A build writes a batch to tantivy, commits it, then commits the same batch
to SQLite. A build killed between the two leaves SQLite with the old stat of
those files, so the next build sees them as changed and redoes them
(deletions and additions by article id are idempotent). Nothing here is the
user's: any doubt (a schema change, a broken file) and the folder is wiped
and rebuilt.
"""

from __future__ import annotations

import atexit
import contextlib
import fcntl
import itertools
import os
import re
import shutil
import sqlite3
import threading
import time
import zlib
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass, replace
from functools import lru_cache, partial
from pathlib import Path
from typing import TYPE_CHECKING, Any, NamedTuple, NoReturn

import tantivy

from tui.model import SUFFIXES, UNREADABLE, Article
from tui.paths import UNWRITABLE, corpus_key
from tui.words import analyzer, normalize

if TYPE_CHECKING:
    # The corpus reader (decoding, headers, Markdown) is imported only by a build:
    # opening an index to search or list does not pay for it.
    from tui.corpus import Skipped, Source

_OPENED = itertools.count()
"""Numbers the indexes opened: a stamp of one is not compared with another's."""

SCHEMA_VERSION = 7
"""Bump when the tantivy schema, the analyzer or the SQLite tables change, or what reading
a file gives (titles, dates: 6, the news feeds' field names and short titles; 7, encodings
by their IANA names and no language named on too few of its words): forces a rebuild,
where an unchanged file would keep what an older margin read in it."""

ANALYZER = "margin"
"""Tokenizer name (``tui.words.analyzer``); texts are ``tui.words.normalize``-d before it."""

TEXT_FIELDS = ("title", "text", "source")
BATCH_ARTICLES = 25_000
"""Articles per commit at most, for a batch's memory when files hold many small articles (a
feed): above what ``_Plan`` gives a commit at 100,000 articles (about 6,500)."""
BATCH_BYTES = 40_000_000
"""Bytes of files per commit at most, so that a commit's segment fits the writer's memory
(``WRITER_HEAP``): a second segment in a commit would upset the count of ``_Plan``."""
MERGED_SEGMENTS = 8
"""tantivy's default merge policy (``LogMergePolicy``, which tantivy-py cannot change)
merges the segments of a size into one once there are eight of them."""
BATCH_SECONDS = 10.0
FIRST_BATCH_SECONDS = 1.0
"""The first commit of a build comes sooner: the reader lists (and jumps to) what it has
after a second, not ten."""
WRITER_HEAP = 96_000_000
"""The build's writer memory, for one indexing thread: a second thread cost a third more
CPU (two segments a commit, and their merges) where the parse workers need the cores,
and one thread indexes 6,000 articles a second, four times what the parse delivers."""
POOL_MIN_FILES = 2000
"""Below this many files to read, parsing in worker processes costs more than it saves."""
COMPACT_SEGMENTS = 8
"""More full-text segments than this, and a build rewrites the index (see ``_fragmented``)."""
COMPACT_HEAP = 192_000_000
"""The rewrite's writer memory: two segments at 100,000 generated articles (61,000 + 39,000),
which answer 6-8% faster than the three of 144 MB (A/B). The rewrite runs in a process of
its own (``_rewrite``), so this is most of that process's memory."""
QUICK_MIN_FILES = 20_000
"""Below this many files, ``margin search`` walks the corpus (under 0.2 s) rather than
trusting the folders' mtimes, so an article edited in place is always seen."""
PREFIX_CACHE_TERMS = 48
"""Most frequent terms kept per short prefix (typing the first letters)."""
PREFIX_LONGEST = 4
"""Prefixes up to this long are expanded from the kept terms when they start many."""


Waiting = Callable[[int | None], None]
"""Told the pid of the process building the index (None if unknown) that a build waits for."""


class IndexUnavailable(Exception):
    """The cache cannot be used (and could not be rebuilt)."""


def _schema() -> tantivy.Schema:
    sb = tantivy.SchemaBuilder()
    sb.add_text_field("id", stored=True, tokenizer_name="raw")
    sb.add_text_field("title", stored=False, tokenizer_name=ANALYZER)
    sb.add_text_field("text", stored=False, tokenizer_name=ANALYZER)
    sb.add_text_field("source", stored=False, tokenizer_name=ANALYZER)
    sb.add_text_field("lang", stored=False, tokenizer_name="raw")
    sb.add_integer_field("date_lo", indexed=True, fast=True)
    sb.add_integer_field("date_hi", indexed=True, fast=True)
    return sb.build()


_DATE = re.compile(r"(\d{4})(?:-(\d{1,2})(?:-(\d{1,2}))?)?")


def date_range(value: str | None) -> tuple[int, int] | None:
    """An ISO date, full or partial, as the inclusive range of days it covers.

    ``2024`` -> (20240101, 20241231); ``2024-06`` -> (20240601, 20240631)
    (31 for every month: only comparisons need it). None if not a date.
    """
    if not value:
        return None
    m = _DATE.match(value.strip())
    if not m:
        return None
    year = int(m.group(1))
    if m.group(2) is None:
        return year * 10000 + 101, year * 10000 + 1231
    month = int(m.group(2))
    if not 1 <= month <= 12:
        return None
    if m.group(3) is None:
        return year * 10000 + month * 100 + 1, year * 10000 + month * 100 + 31
    day = int(m.group(3))
    if not 1 <= day <= 31:
        return None
    value_ = year * 10000 + month * 100 + day
    return value_, value_


@dataclass(frozen=True)
class BuildSummary:
    """What one build did. ``renamed`` articles moved file (found by hash)."""

    added: int
    changed: int
    removed: int
    skipped: int
    seconds: float
    renamed: int = 0
    cancelled: bool = False
    moves: tuple[tuple[str, str], ...] = ()
    """(old id, new id) of each renamed article: notes follow their article."""
    unwritable: str | None = None
    """Why the cache could not be written (a read-only disk): the index was opened as
    it was last built, and may miss the latest changes to the folder."""


class ArticleMeta(NamedTuple):
    """An article as the index knows it, without its text.

    A named tuple: listing 100,000 of them must cost little more than the query.
    """

    id: str
    path: str
    title: str
    date: str | None
    language: str | None
    source: str | None
    author: str | None
    encoding: str
    words: int
    hash: str
    problem_lines: str = ""
    """The problems met while reading, one per line ('' for none)."""

    @property
    def problems(self) -> tuple[str, ...]:
        """What went wrong while reading the article (decoding, front matter...)."""
        return tuple(p for p in self.problem_lines.split("\n") if p)


def index_dir(root: Path, cache: Path) -> Path:
    """The folder of one corpus's cache."""
    return cache / corpus_key(root)


_SQL = """
CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS files (
    rel TEXT PRIMARY KEY, size INTEGER NOT NULL, mtime_ns INTEGER NOT NULL
);
CREATE TABLE IF NOT EXISTS articles (
    id TEXT PRIMARY KEY, rel TEXT NOT NULL, path TEXT NOT NULL, title TEXT NOT NULL,
    title_key TEXT NOT NULL, date TEXT, language TEXT, source TEXT, author TEXT,
    encoding TEXT NOT NULL, words INTEGER NOT NULL, hash TEXT NOT NULL,
    problems TEXT NOT NULL
);
CREATE INDEX IF NOT EXISTS articles_rel ON articles (rel);
CREATE INDEX IF NOT EXISTS articles_hash ON articles (hash);
CREATE INDEX IF NOT EXISTS articles_dated ON articles (date, id) WHERE date IS NOT NULL;
CREATE INDEX IF NOT EXISTS articles_undated ON articles (title_key, id) WHERE date IS NULL;
CREATE TABLE IF NOT EXISTS skipped (rel TEXT NOT NULL, path TEXT NOT NULL, reason TEXT NOT NULL);
CREATE INDEX IF NOT EXISTS skipped_rel ON skipped (rel);
CREATE TABLE IF NOT EXISTS prefixes (prefix TEXT PRIMARY KEY, terms TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS texts (id TEXT PRIMARY KEY, body BLOB NOT NULL);
CREATE TABLE IF NOT EXISTS folders (rel TEXT PRIMARY KEY, mtime_ns INTEGER NOT NULL);
CREATE TABLE IF NOT EXISTS renames (old TEXT PRIMARY KEY, new TEXT NOT NULL);
"""

_ARTICLE_COLUMNS = (
    "id, path, title, date, language, source, author, encoding, words, hash, problems"
)
_DATED = "WHERE date IS NOT NULL ORDER BY date DESC, id DESC"
_UNDATED = "WHERE date IS NULL ORDER BY title_key, id"
"""Newest first, undated last by title: the order of ``corpus.sort_articles``.
Two queries, each read in the order of its own index: no sort of 100,000 rows."""


def _connect(path: Path, *, read_only: bool = False) -> sqlite3.Connection:
    if read_only:  # a read-only disk: no journal, no lock (nothing may change it)
        import urllib.parse

        if path.with_name(path.name + "-wal").exists():
            raise IndexUnavailable("the last build of this read-only index did not finish")
        uri = f"file:{urllib.parse.quote(os.fspath(path))}?mode=ro&immutable=1"
        return sqlite3.connect(uri, uri=True, check_same_thread=False, isolation_level=None)
    db = sqlite3.connect(path, check_same_thread=False, isolation_level=None, timeout=30)
    db.execute("PRAGMA journal_mode=WAL")
    db.execute("PRAGMA synchronous=NORMAL")
    return db


def _read_only_view(text_dir: Path) -> Path:
    """A folder of links to the files of a full-text index on a read-only disk: tantivy
    takes a lock file even to read, which such a disk refuses. Removed at exit."""
    import tempfile

    view = Path(tempfile.mkdtemp(prefix="margin-index-"))
    atexit.register(shutil.rmtree, view, True)
    for entry in os.scandir(text_dir):
        if not entry.name.endswith(".lock"):
            os.symlink(entry.path, view / entry.name)
    return view


DAMAGED = "damaged"
"""A file in a corpus's cache folder: a reader found a store damaged; the next build
starts the cache again (a full check of both stores on every open would cost seconds)."""

_TANTIVY_FAULTS = ("An IO error occurred", "Data corrupted", "Failed to open")


def store_fault(exc: BaseException) -> bool:
    """Does ``exc`` say a store of the index is damaged (not: the disk is full, a lock)?"""
    if isinstance(exc, IndexUnavailable | zlib.error):
        return True
    if isinstance(exc, sqlite3.DatabaseError):
        return not isinstance(exc, sqlite3.OperationalError)
    if isinstance(exc, ValueError):  # tantivy's errors reach Python as ValueError
        return str(exc).startswith(_TANTIVY_FAULTS)
    return type(exc).__name__ == "PanicException"  # tantivy (Rust) gave up on its files


def _open_stores(folder: Path, *, create: bool) -> tuple[sqlite3.Connection, tantivy.Index]:
    """Open (or create) both stores; raise on anything unexpected."""
    text_dir = folder / "tantivy"
    db_path = folder / "meta.sqlite"
    if not create and not (db_path.exists() and text_dir.exists()):
        raise IndexUnavailable("no index")
    if (folder / DAMAGED).exists():
        raise IndexUnavailable("the index was found damaged")
    folder.mkdir(parents=True, exist_ok=True)
    read_only = not create and not os.access(folder, os.W_OK)
    db = _connect(db_path, read_only=read_only)
    try:
        row = db.execute(
            "SELECT value FROM meta WHERE key = 'schema'"
            if _has_table(db, "meta")
            else "SELECT NULL WHERE 0"
        ).fetchone()
        if row is None:
            if not create:
                raise IndexUnavailable("no schema version")
            db.executescript(_SQL)
            db.execute("INSERT OR REPLACE INTO meta VALUES ('schema', ?)", (str(SCHEMA_VERSION),))
        elif row[0] != str(SCHEMA_VERSION):
            raise IndexUnavailable(f"schema {row[0]}, expected {SCHEMA_VERSION}")
        elif create:
            db.executescript(_SQL)  # tables added within a schema version (IF NOT EXISTS)
        text_dir.mkdir(exist_ok=True)
        if tantivy.Index.exists(str(text_dir)):
            index = tantivy.Index.open(str(_read_only_view(text_dir) if read_only else text_dir))
        elif create:
            index = tantivy.Index(_schema(), path=str(text_dir), reuse=False)
        else:
            raise IndexUnavailable("no full-text index")
        index.register_tokenizer(ANALYZER, analyzer())
        return db, index
    except BaseException:
        db.close()
        raise


def _agree(db: sqlite3.Connection, index: tantivy.Index) -> bool:
    """Do both stores hold the same number of articles (unless a build was cut between them)?"""
    pending = db.execute("SELECT value FROM meta WHERE key = 'pending'").fetchone()
    if pending is not None and pending[0] == "1":
        return True  # the next build repairs it: see _commit
    articles = db.execute("SELECT COUNT(*) FROM articles").fetchone()[0]
    return bool(index.searcher().num_docs == articles)


def _has_table(db: sqlite3.Connection, name: str) -> bool:
    return (
        db.execute("SELECT 1 FROM sqlite_master WHERE type='table' AND name=?", (name,)).fetchone()
        is not None
    )


def _wipe(folder: Path) -> None:
    shutil.rmtree(folder, ignore_errors=True)
    folder.mkdir(parents=True, exist_ok=True)


@contextlib.contextmanager
def _build_lock(
    folder: Path, cancel: Callable[[], bool] | None, waiting: Waiting | None = None
) -> Iterator[int | None]:
    """Hold the build lock (one writer per corpus): yields the lock file's descriptor (a
    child the build starts shares it), or None if cancelled while waiting.

    The holder writes its pid in the lock file, so that one who waits (``waiting``,
    told once) can say for whom.
    """
    folder.mkdir(parents=True, exist_ok=True)
    with open(folder / "build.lock", "a+b") as handle:
        told = False
        while True:
            try:
                fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
                break
            except BlockingIOError:
                if cancel is not None and cancel():
                    yield None
                    return
                if waiting is not None and not told:
                    handle.seek(0)
                    holder = handle.read(20).decode("ascii", "replace").strip()
                    waiting(int(holder) if holder.isdigit() else None)
                    told = True
                time.sleep(0.05)
        handle.truncate(0)
        handle.write(str(os.getpid()).encode("ascii"))
        handle.flush()
        try:
            yield handle.fileno()
        finally:
            fcntl.flock(handle, fcntl.LOCK_UN)


class _Parsed(NamedTuple):
    """What the index keeps of an Article: cheap to send back from a worker process."""

    id: str
    path: str
    title: str
    text: str
    date: str | None
    language: str | None
    source: str | None
    author: str | None
    encoding: str
    words: int
    hash: str
    problems: str
    packed: bytes

    @classmethod
    def of(cls, a: Article, zdict: bytes) -> _Parsed:
        return cls(
            a.id,
            a.path,
            a.title,
            a.text,
            a.date,
            a.language,
            a.source,
            a.author,
            a.encoding,
            a.words,
            a.hash,
            "\n".join(a.problems),
            pack(a.text, zdict),
        )


_Loaded = tuple[list[_Parsed], list["Skipped"]]


def pack(text: str, zdict: bytes) -> bytes:
    """An article's text, deflated with the corpus's preset dictionary.

    Kept in SQLite rather than tantivy's store: with a dictionary drawn from
    the corpus, short articles shrink about 2.1x instead of lz4's 1.4x. Level
    1 deflates in 0.16 ms an article where level 6 took 0.44 (for 2.46x): a
    tenth of the build's CPU, for 6% more of the corpus's size on disk.
    """
    packer = _packer(zdict).copy()
    return packer.compress(text.encode("utf-8", "surrogatepass")) + packer.flush()


@lru_cache(maxsize=2)
def _packer(zdict: bytes) -> zlib._Compress:
    """A compressor primed with ``zdict``, to copy: priming one costs 65 µs an article."""
    return zlib.compressobj(1, zdict=zdict) if zdict else zlib.compressobj(1)


def unpack(data: bytes, zdict: bytes) -> str:
    """The inverse of ``pack``."""
    unpacker = zlib.decompressobj(zdict=zdict) if zdict else zlib.decompressobj()
    return (unpacker.decompress(data) + unpacker.flush()).decode("utf-8", "surrogatepass")


def _make_zdict(texts: Iterable[str]) -> bytes:
    """A preset dictionary from the first articles: their common words and phrases."""
    sample = "\n".join(t[200:1400] for t in texts).encode("utf-8", "surrogatepass")
    return sample[-32768:]


def _load_safely(source: Source, zdict: bytes = b"") -> _Loaded:
    """``corpus.load`` that never raises: one bad file never stops a build."""
    from tui.corpus import Skipped, load

    try:
        articles, skipped = load(source)
    except Exception as exc:  # a parser bug must not stop the whole corpus
        return [], [Skipped(source.rel, f"could not be read: {type(exc).__name__}")]
    return [_Parsed.of(a, zdict) for a in articles], skipped


def _load_many(sources: Sequence[Source], zdict: bytes) -> list[_Loaded]:
    return [_load_safely(s, zdict) for s in sources]


def _document(article: _Parsed) -> tantivy.Document:
    return _fields(
        article.id, article.title, article.text, article.source, article.language, article.date
    )


def _fields(
    article_id: str,
    title: str,
    text: str,
    source: str | None,
    language: str | None,
    date: str | None,
) -> tantivy.Document:
    doc = tantivy.Document()
    doc.add_text("id", article_id)
    doc.add_text("title", normalize(title))
    # Typos are forgiven in the text field only (``search._Planner.term_tiers``): a title
    # that the text does not open with (JSONL, front matter) is indexed with it.
    body = text if title in text[: len(title) + 200] else f"{title}\n\n{text}"
    doc.add_text("text", normalize(body))
    if source:
        doc.add_text("source", normalize(source))
    if language:
        doc.add_text("lang", language.lower())
    span = date_range(date)
    if span is not None:
        doc.add_integer("date_lo", span[0])
        doc.add_integer("date_hi", span[1])
    return doc


def _article_row(rel: str, a: _Parsed) -> tuple[Any, ...]:
    return (
        a.id,
        rel,
        a.path,
        a.title,
        a.title.casefold(),
        a.date,
        a.language,
        a.source,
        a.author,
        a.encoding,
        a.words,
        a.hash,
        a.problems,
    )


class _Plan:
    """How much each commit of a build holds, and how many commits there are: as many as
    tantivy's own merges bring down to one or two segments.

    Each commit makes a segment, and tantivy merges eight of a size into one on
    its own threads, where a rewrite (``_compact``) tokenizes every text again.
    At 100,000 articles, 16 commits left two segments (52,000 + 48,000) and no
    rewrite, which had cost 28 s of CPU; the ten-second commits left four.
    """

    def __init__(self, files: int, size: int) -> None:
        self.files = files
        self.bytes = size
        self.commits = 0
        need = max(1, -(-size // BATCH_BYTES))
        self.planned = _mergeable(need)
        """A small build makes one commit, or the first second's and the rest."""

    def committed(self, files: int, size: int) -> None:
        self.files -= files
        self.bytes -= size
        self.commits += 1
        if self.commits >= self.planned and self.files > 0:  # the clock or BATCH_ARTICLES
            self.planned = _mergeable(self.commits + 1)

    def due(self) -> tuple[int, float]:
        """The files or bytes that make the next commit due: an even share of the bytes left
        (a segment's size is its texts'), or as many files as leave one for each commit to
        come; the last planned commit reads the last file (bytes would end early on empty
        files)."""
        left = self.planned - self.commits
        most = max(1, self.files - (left - 1))
        return most, (self.bytes / left if left > 1 else float("inf"))


def _mergeable(commits: int) -> int:
    """The fewest commits, at least ``commits``, that tantivy's merges of eight leave in one
    or two segments: 1, 2, 8, 16, 64, 128... (24 would leave three)."""
    size = 1
    while 2 * size < commits:
        size *= MERGED_SEGMENTS
    return size if size >= commits else 2 * size


class _Batch:
    """Changes waiting for the next commit of both stores."""

    def __init__(self, plan: _Plan, seconds: float = BATCH_SECONDS) -> None:
        self.plan = plan
        self.due_files, self.due_bytes = plan.due()
        self.bytes = 0
        """Of the files read."""
        self.seconds = seconds
        self.files: dict[str, tuple[int, int]] = {}
        self.gone_files: list[str] = []
        self.rows: list[tuple[Any, ...]] = []
        self.texts: list[tuple[str, bytes]] = []
        self.delete_ids: list[str] = []
        self.skips: list[tuple[str, str, str]] = []
        self.moves: list[tuple[str, str]] = []
        self.articles = 0
        self.started = time.monotonic()

    def due(self) -> bool:
        return (
            self.articles >= BATCH_ARTICLES
            or len(self.files) >= self.due_files
            or self.bytes >= self.due_bytes
            or (self.articles > 0 and time.monotonic() - self.started > self.seconds)
        )

    def empty(self) -> bool:
        return not (self.files or self.gone_files or self.rows or self.delete_ids)

    def next(self) -> _Batch:
        """The batch after this one, once it is committed."""
        self.plan.committed(len(self.files), self.bytes)
        return _Batch(self.plan)


def _commit(db: sqlite3.Connection, writer: tantivy.IndexWriter, batch: _Batch) -> None:
    """Full-text first, then metadata: see the module docstring for why this order.

    The ``pending`` mark is set while the two disagree; a build that finds it
    set (its predecessor died in between) deletes every id before adding it.
    """
    db.execute("INSERT OR REPLACE INTO meta VALUES ('pending', '1')")
    writer.commit()
    _commit_metadata(db, batch)


def _commit_metadata(db: sqlite3.Connection, batch: _Batch) -> None:
    db.execute("BEGIN IMMEDIATE")
    try:
        db.execute("INSERT OR REPLACE INTO meta VALUES ('pending', '0')")
        rels = list(batch.files) + batch.gone_files
        db.executemany("DELETE FROM articles WHERE id = ?", ((i,) for i in batch.delete_ids))
        db.executemany("DELETE FROM texts WHERE id = ?", ((i,) for i in batch.delete_ids))
        db.executemany("INSERT OR REPLACE INTO texts VALUES (?, ?)", batch.texts)
        db.executemany("DELETE FROM skipped WHERE rel = ?", ((r,) for r in rels))
        db.executemany("DELETE FROM files WHERE rel = ?", ((r,) for r in batch.gone_files))
        db.executemany(
            "INSERT OR REPLACE INTO articles VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?)", batch.rows
        )
        db.executemany("INSERT INTO skipped VALUES (?,?,?)", batch.skips)
        _keep_renames(db, batch.moves)
        db.executemany(
            "INSERT OR REPLACE INTO files VALUES (?,?,?)",
            ((rel, size, mtime) for rel, (size, mtime) in batch.files.items()),
        )
        db.execute("COMMIT")
    except BaseException:
        if db.in_transaction:  # SQLite has already rolled back after "disk full"
            db.execute("ROLLBACK")
        raise


def _keep_renames(db: sqlite3.Connection, moves: Sequence[tuple[str, str]]) -> None:
    """Keep the renames a build detected, with its articles: the user's notes, bookmarks
    and positions follow them in any process, whenever it next looks (``renames``).

    An old id that holds an article again is no longer a rename.
    """
    db.executemany("INSERT OR REPLACE INTO renames VALUES (?, ?)", moves)
    db.execute("DELETE FROM renames WHERE EXISTS (SELECT 1 FROM articles WHERE id = renames.old)")


def _renames(db: sqlite3.Connection) -> dict[str, str]:
    """Each renamed article's old id -> the id that holds it now, through later renames."""
    if not _has_table(db, "renames"):  # an index built before renames were kept
        return {}
    kept: dict[str, str] = dict(db.execute("SELECT old, new FROM renames"))
    live = {
        row[0] for row in db.execute("SELECT a.id FROM renames r JOIN articles a ON a.id = r.new")
    }
    found: dict[str, str] = {}
    for old in kept:
        new, seen = kept[old], {old}
        while new not in live and new in kept and new not in seen:
            seen.add(new)
            new = kept[new]
        if new in live:
            found[old] = new
    return found


def renames(root: Path, cache: Path) -> dict[str, str]:
    """The renames the index of ``root`` detected: old id -> id now; {} without an index.

    Reads only the metadata, read-only: cheap enough for every ``margin notes``.
    """
    return _read_meta(root, cache, _renames)


def hashes(root: Path, cache: Path) -> dict[str, str]:
    """Every indexed article's content hash by id, read-only; {} without an index.

    For ``Store.follow_moves`` where the corpus is not loaded (``margin bookmarks``).
    """
    return _read_meta(root, cache, lambda db: dict(db.execute("SELECT id, hash FROM articles")))


def _read_meta(
    root: Path, cache: Path, read: Callable[[sqlite3.Connection], dict[str, str]]
) -> dict[str, str]:
    """``read`` of the index's metadata, opened read-only; {} without an index."""
    path = index_dir(root, cache) / "meta.sqlite"
    if not path.exists():
        return {}
    try:
        db = sqlite3.connect(f"{path.resolve().as_uri()}?mode=ro", uri=True)
        try:
            return read(db)
        finally:
            db.close()
    except sqlite3.Error:
        return {}


def _chunks(items: Sequence[Source], files: int, size: int) -> Iterator[Sequence[Source]]:
    """Runs of at most ``files`` files and about ``size`` bytes (a JSONL feed may be large)."""
    chunk: list[Source] = []
    total = 0
    for item in items:
        if chunk and (len(chunk) >= files or total + item.size > size):
            yield chunk
            chunk, total = [], 0
        chunk.append(item)
        total += item.size
    if chunk:
        yield chunk


def build_index(
    root: Path,
    cache: Path,
    progress: Callable[[int, int], None] | None = None,
    cancel: Callable[[], bool] | None = None,
    *,
    workers: int | None = None,
    waiting: Waiting | None = None,
    committed: Callable[[], None] | None = None,
    read: Callable[[BuildSummary], None] | None = None,
) -> BuildSummary:
    """Build or refresh the index of the corpus at ``root`` under ``cache``.

    Unchanged files (same size and mtime) are not read. ``progress(done,
    total)`` is called as files are read; ``cancel()`` is polled between
    files, and a cancelled build keeps what it committed (the next build
    completes it). ``workers`` > 1 parses files in that many processes
    (default: one per core when there is a lot to read). ``waiting(pid)``
    is called once if another process is building this index: this one
    waits for it, then refreshes what it left. ``committed()`` is called after
    each commit: the articles it holds can be read (the entity pass can follow
    the build). ``read(summary)`` is called once every article and text is
    stored, before the full-text index is compacted: the index is complete
    (only slower while in many segments), and the entity pass can link.
    """
    started = time.monotonic()
    folder = index_dir(root, cache)
    with _build_lock(folder, cancel, waiting) as lock:
        if lock is None:
            return BuildSummary(0, 0, 0, 0, time.monotonic() - started, cancelled=True)
        try:
            db, index = _open_stores(folder, create=True)
            if not _agree(db, index):
                db.close()
                raise IndexUnavailable("the full-text index and the metadata disagree")
        except BaseException as exc:  # tantivy panics (a BaseException) on damaged files
            if not (isinstance(exc, Exception) or store_fault(exc)):
                raise
            _wipe(folder)
            db, index = _open_stores(folder, create=True)
        try:
            summary, touched = _build(root, db, index, progress, cancel, workers, committed)
            if read is not None and not summary.cancelled:
                read(summary)
            # After _build has returned: its file lists are gone before the rewrite's writer.
            if touched:
                _settle(folder, db, index, summary, lock, cancel)
            return replace(summary, seconds=time.monotonic() - started)
        finally:
            db.close()


def _build(
    root: Path,
    db: sqlite3.Connection,
    index: tantivy.Index,
    progress: Callable[[int, int], None] | None,
    cancel: Callable[[], bool] | None,
    workers: int | None,
    committed: Callable[[], None] | None,
) -> tuple[BuildSummary, bool]:
    """Read what changed and index it: the summary, and whether any file was read or gone."""
    known: dict[str, tuple[int, int]] = {
        rel: (size, mtime)
        for rel, size, mtime in db.execute("SELECT rel, size, mtime_ns FROM files")
    }
    pending = db.execute("SELECT value FROM meta WHERE key = 'pending'").fetchone()
    careful = pending is not None and pending[0] == "1"
    retry = _readable_again(root, db)
    for rel in retry:
        del known[rel]  # read again, as a new file
    if not careful and known and not retry and _nothing_changed(root, db, known):
        if progress is not None:
            progress(0, 0)
        skipped = db.execute("SELECT COUNT(*) FROM skipped").fetchone()[0]
        return BuildSummary(0, 0, 0, skipped, 0.0), False
    from tui.corpus import Skipped, discover

    found_skips: list[Skipped] = []
    todo: list[Source] = []
    on_disk: set[str] = set()
    for item in discover(root):
        if isinstance(item, Skipped):
            found_skips.append(item)
            continue
        on_disk.add(item.rel)
        if known.get(item.rel) != (item.size, item.mtime_ns):
            todo.append(item)
    gone = [rel for rel in known if rel not in on_disk]

    moves: list[tuple[str, str]] = []
    # Articles of deleted files, by hash: a new file holding one of them is a rename.
    orphans: dict[str, list[str]] = {}
    gone_ids: set[str] = set()
    for rel in gone:
        for article_id, digest in db.execute("SELECT id, hash FROM articles WHERE rel = ?", (rel,)):
            orphans.setdefault(digest, []).append(article_id)
            gone_ids.add(article_id)

    writer = None
    if todo or gone:
        writer = index.writer(heap_size=WRITER_HEAP, num_threads=1)
    batch = _Batch(_Plan(len(todo), sum(item.size for item in todo)), FIRST_BATCH_SECONDS)
    if gone and writer is not None:
        for article_id in gone_ids:
            writer.delete_documents_by_term("id", article_id)
        batch.delete_ids.extend(gone_ids)
        batch.gone_files.extend(gone)

    try:
        added, changed, removed, renamed, cancelled, batch = _read_and_index(
            db,
            writer,
            batch,
            todo,
            known,
            orphans,
            careful,
            moves,
            progress,
            cancel,
            workers,
            committed,
        )
    except BaseException:
        # Drop the writer now (an exception's traceback would keep it, and its lock, alive):
        # what it did not commit is discarded, which leaves both stores consistent.
        writer = None
        raise
    removed += len(gone_ids) - renamed
    if writer is not None:
        if not batch.empty():
            _commit(db, writer, batch)
            if committed is not None:
                committed()
        if not cancelled:
            writer.wait_merging_threads()
    folders = [] if cancelled else _folder_stamps(root, on_disk)
    db.execute("BEGIN IMMEDIATE")
    db.execute("DELETE FROM folders")
    db.executemany("INSERT INTO folders VALUES (?, ?)", folders)
    db.execute("DELETE FROM skipped WHERE rel = ''")
    db.executemany(
        "INSERT INTO skipped VALUES ('', ?, ?)", ((s.path, s.reason) for s in found_skips)
    )
    db.execute("COMMIT")
    skipped = db.execute("SELECT COUNT(*) FROM skipped").fetchone()[0]
    if progress is not None and not todo:
        progress(0, 0)
    summary = BuildSummary(
        added,
        changed,
        removed,
        skipped,
        0.0,
        renamed=renamed,
        cancelled=cancelled,
        moves=tuple(moves),
    )
    return summary, bool(todo or gone)


def _settle(
    folder: Path,
    db: sqlite3.Connection,
    index: tantivy.Index,
    summary: BuildSummary,
    lock: int,
    cancel: Callable[[], bool] | None,
) -> None:
    """After a build that read files: rewrite a fragmented index, keep the prefixes' terms,
    and bring the write-ahead log back to zero bytes."""
    written = summary.added + summary.changed + summary.renamed
    if (written or summary.removed) and not summary.cancelled:
        index.reload()
        if _fragmented(index.searcher(), written):
            _rewrite(folder, db, index, lock, cancel)
            index.reload()
        _store_prefixes(db, index.searcher())
    db.execute("PRAGMA wal_checkpoint(TRUNCATE)")


def _fragmented(searcher: tantivy.Searcher, written: int) -> bool:
    """Is the full-text index in enough segments that a rewrite pays off?

    Every query walks each segment's term dictionary (a typo query builds
    its automaton's intersection once per segment): at 100,000 articles, 11
    segments answered 4x slower than 2. A build makes as many commits as
    tantivy's own merges bring down to 2 (``_Plan``); when they do not (commits
    the clock forced, older segments beside), a build that wrote a good part of
    the corpus rewrites when there are more than 2, and small updates wait until
    tantivy's merging leaves too many.
    """
    segments = int(searcher.num_segments)
    return segments > COMPACT_SEGMENTS or (segments > 2 and written * 4 >= searcher.num_docs)


def _rewrite(
    folder: Path,
    db: sqlite3.Connection,
    index: tantivy.Index,
    lock: int,
    cancel: Callable[[], bool] | None,
) -> None:
    """``_compact`` in a fresh interpreter (``tui.rewrite``, sharing the build ``lock``),
    whose memory is little more than the writer's; here, after giving back what parsing
    freed, if that cannot run."""
    from tui.memory import apart, give_back

    code = apart("tui.rewrite", folder, lock, cancel)
    if code is None:
        return  # cancelled: the old index stays
    if code != 0:
        give_back()
        _compact(db, index, cancel)


def _compact(
    db: sqlite3.Connection, index: tantivy.Index, cancel: Callable[[], bool] | None
) -> None:
    """Rewrite every article from the stored texts in one writer thread: few, large segments.

    One commit replaces the old segments at once: a reader (or a kill) sees
    the old index or the new one, never a mix. Cancelled: the old one stays.
    """
    row = db.execute("SELECT value FROM meta WHERE key = 'zdict'").fetchone()
    zdict = bytes.fromhex(row[0]) if row else b""
    writer = index.writer(heap_size=COMPACT_HEAP, num_threads=1)
    writer.delete_all_documents()
    rows = db.execute(
        "SELECT a.id, a.title, t.body, a.source, a.language, a.date "
        "FROM articles a JOIN texts t ON t.id = a.id"
    )
    for n, (article_id, title, body, source, language, date) in enumerate(rows):
        if cancel is not None and n % 1000 == 0 and cancel():
            writer.rollback()
            return
        writer.add_document(_fields(article_id, title, unpack(body, zdict), source, language, date))
    writer.commit()
    writer.wait_merging_threads()


def _readable_again(root: Path, db: sqlite3.Connection) -> list[str]:
    """Files a build could not read (no permission, an I/O error) that can be read now.

    Making a file readable changes neither its size nor its mtime: without
    this, it would stay out of the index until it is edited.
    """
    rows = db.execute(
        "SELECT DISTINCT s.rel FROM skipped s JOIN files f ON f.rel = s.rel "
        "WHERE substr(s.reason, 1, ?) = ?",
        (len(UNREADABLE), UNREADABLE),
    ).fetchall()
    return [rel for (rel,) in rows if os.access(root / rel if root.is_dir() else root, os.R_OK)]


def _nothing_changed(root: Path, db: sqlite3.Connection, known: dict[str, tuple[int, int]]) -> bool:
    """Does a plain stat walk find exactly the files of the last build, unchanged?

    ``corpus.discover`` says the same, but builds a ``Path`` per file: 7 s
    for 100,000 files where this takes under one. Anything discover treats
    specially (a symbolic link, a name that is not UTF-8, a folder that
    cannot be read, a file it reported) and the answer is no: discover decides.
    When yes, the folders' mtimes are brought up to date (see ``looks_unchanged``).
    """
    if db.execute("SELECT 1 FROM skipped WHERE rel = '' LIMIT 1").fetchone() is not None:
        return False
    walked = _walk(root)
    if walked is None or walked[0] != known:
        return False
    stamps = walked[1]
    if sorted(stamps) != sorted(db.execute("SELECT rel, mtime_ns FROM folders").fetchall()):
        db.execute("BEGIN IMMEDIATE")
        db.execute("DELETE FROM folders")
        db.executemany("INSERT INTO folders VALUES (?, ?)", stamps)
        db.execute("COMMIT")
    return True


def _walk(root: Path) -> tuple[dict[str, tuple[int, int]], list[tuple[str, int]]] | None:
    """Every article file's (size, mtime) by its id, and the mtimes of the folders holding them.

    None when the walk meets what only ``corpus.discover`` can judge.
    """
    if not root.is_dir():
        return None
    files: dict[str, tuple[int, int]] = {}
    mtimes: dict[str, int] = {"": os.stat(root).st_mtime_ns}
    holding: set[str] = set()
    stack = [("", os.fspath(root))]
    try:
        while stack:
            folder, path = stack.pop()
            with os.scandir(path) as entries:
                for entry in entries:
                    name = entry.name
                    if name.startswith("."):
                        continue
                    # Ids of such names are escaped (``corpus._escape_name``): discover's job.
                    if entry.is_symlink() or "\\" in name or not (name.isascii() or _utf8(name)):
                        return None
                    rel = f"{folder}/{name}" if folder else name
                    if entry.is_dir(follow_symlinks=False):
                        mtimes[rel] = entry.stat(follow_symlinks=False).st_mtime_ns
                        stack.append((rel, entry.path))
                    elif entry.is_file(follow_symlinks=False):
                        dot = name.rfind(".")
                        if 0 < dot < len(name) - 1 and name[dot:].lower() in SUFFIXES:
                            st = entry.stat(follow_symlinks=False)
                            files[rel] = (st.st_size, st.st_mtime_ns)
                            holding.add(folder)
    except OSError:
        return None
    for folder in list(holding):  # and every folder on the way to them
        while folder:
            folder = folder.rpartition("/")[0]
            holding.add(folder)
    holding.add("")
    return files, [(rel, mtimes[rel]) for rel in holding]


def _utf8(name: str) -> bool:
    try:
        name.encode("utf-8")
    except UnicodeEncodeError:
        return False
    return True


def _folder_stamps(root: Path, rels: Iterable[str]) -> list[tuple[str, int]]:
    """The mtime of every folder on the way to an article file (and of the root).

    Adding, removing or renaming an entry changes its folder's mtime, so
    comparing these (a few thousand stats for 100,000 files) tells whether
    files came or went without walking the corpus.
    """
    if not root.is_dir():
        return []
    folders = {""}
    for rel in rels:
        parts = rel.split("/")[:-1]
        for n in range(1, len(parts) + 1):
            folders.add("/".join(parts[:n]))
    stamps = []
    for rel in folders:
        try:
            stamps.append((rel, os.stat(root / rel if rel else root).st_mtime_ns))
        except OSError:
            continue
    return stamps


def looks_unchanged(root: Path, cache: Path) -> bool:
    """A cheap guess that no file was added, removed or renamed since the last build.

    Compares folder mtimes only: an article edited in place is not seen (a
    full ``build_index`` sees it). For ``margin search`` on a large corpus,
    where walking 100,000 files would cost more than the search; a corpus
    of fewer than ``QUICK_MIN_FILES`` is always walked (False).
    """
    db_path = index_dir(root, cache) / "meta.sqlite"
    if not db_path.exists() or not root.is_dir():
        return False
    try:
        db = sqlite3.connect(f"file:{db_path}?mode=ro", uri=True, timeout=5)
        try:
            pending = db.execute("SELECT value FROM meta WHERE key = 'pending'").fetchone()
            stamps = db.execute("SELECT rel, mtime_ns FROM folders").fetchall()
            files = db.execute("SELECT MAX(rowid) FROM files").fetchone()[0] or 0
        finally:
            db.close()
    except sqlite3.Error:
        return False
    if files < QUICK_MIN_FILES or not stamps or (pending is not None and pending[0] == "1"):
        return False
    base = os.fspath(root)
    for rel, mtime in stamps:
        try:
            if os.stat(os.path.join(base, rel) if rel else base).st_mtime_ns != mtime:
                return False
        except OSError:
            return False
    return True


def _zdict(
    db: sqlite3.Connection, todo: Sequence[Source]
) -> tuple[bytes, list[tuple[Source, _Loaded]]]:
    """The corpus's compression dictionary, made once from the first files read.

    Returns it with those first files, already parsed, so they are not read twice.
    """
    row = db.execute("SELECT value FROM meta WHERE key = 'zdict'").fetchone()
    if row is not None:
        return bytes.fromhex(row[0]), []
    from tui.corpus import Skipped, load

    raw: list[tuple[Source, list[Article], list[Skipped]]] = []
    for source in todo[:64]:
        try:
            articles, skipped = load(source)
        except Exception as exc:  # as in _load_safely
            articles, skipped = (
                [],
                [Skipped(source.rel, f"could not be read: {type(exc).__name__}")],
            )
        raw.append((source, articles, skipped))
    zdict = _make_zdict(a.text for _, articles, _ in raw for a in articles)
    db.execute("INSERT OR REPLACE INTO meta VALUES ('zdict', ?)", (zdict.hex(),))
    first = [(s, ([_Parsed.of(a, zdict) for a in arts], skips)) for s, arts, skips in raw]
    return zdict, first


def _read_and_index(
    db: sqlite3.Connection,
    writer: tantivy.IndexWriter | None,
    batch: _Batch,
    todo: list[Source],
    known: dict[str, tuple[int, int]],
    orphans: dict[str, list[str]],
    careful: bool,
    moves: list[tuple[str, str]],
    progress: Callable[[int, int], None] | None,
    cancel: Callable[[], bool] | None,
    workers: int | None,
    committed: Callable[[], None] | None,
) -> tuple[int, int, int, int, bool, _Batch]:
    """Read the files to do, index what changed, commit in batches."""
    added = changed = removed = renamed = 0
    cancelled = False
    total = len(todo)
    done = 0
    zdict, first = _zdict(db, todo)
    rest = todo[len(first) :]
    from tui.workers import forked, in_order  # not at import: `margin search` never forks

    # Forked parse workers pay off only for a lot to read; tantivy indexes on its own threads.
    with forked(workers if len(rest) >= POOL_MIN_FILES else 1) as pool:
        chunks = _chunks(rest, 32, 2_000_000)
        parsed = in_order(pool, partial(_load_many, zdict=zdict), chunks)
        loaded = itertools.chain(first, (p for c, r in parsed for p in zip(c, r, strict=True)))
        for source, (articles, skips) in loaded:
            if cancel is not None and cancel():
                cancelled = True
                break
            assert writer is not None
            old = (
                {
                    article_id: digest
                    for article_id, digest in db.execute(
                        "SELECT id, hash FROM articles WHERE rel = ?", (source.rel,)
                    )
                }
                if source.rel in known
                else {}
            )
            for article in articles:
                prior = old.pop(article.id, None)
                if prior == article.hash:
                    continue
                if prior is not None or careful:
                    writer.delete_documents_by_term("id", article.id)
                if prior is not None:
                    changed += 1
                elif orphans.get(article.hash):
                    moves.append((orphans[article.hash].pop(0), article.id))
                    batch.moves.append(moves[-1])
                    renamed += 1
                else:
                    added += 1
                writer.add_document(_document(article))
                batch.rows.append(_article_row(source.rel, article))
                batch.texts.append((article.id, article.packed))
                batch.articles += 1
            for article_id in old:
                writer.delete_documents_by_term("id", article_id)
                batch.delete_ids.append(article_id)
                removed += 1
            batch.files[source.rel] = (source.size, source.mtime_ns)
            batch.bytes += source.size
            batch.skips.extend((source.rel, s.path, s.reason) for s in skips)
            done += 1
            if progress is not None:
                progress(done, total)
            if batch.due():
                _commit(db, writer, batch)
                batch = batch.next()
                if committed is not None:
                    committed()
    return added, changed, removed, renamed, cancelled, batch


def _store_prefixes(db: sqlite3.Connection, searcher: tantivy.Searcher) -> None:
    """Keep the most frequent terms of short prefixes: all of one and two letters, and
    those of three and four letters that start more than ``PREFIX_CACHE_TERMS`` terms.

    A query's last word is matched as a prefix while typing; a short prefix
    would otherwise expand to a large part of the vocabulary (``men``: 8,500
    terms at 100,000 articles, 16 ms a query instead of 2).
    """
    freq: dict[str, int] = {}
    for name in ("text", "title"):
        for term, n in searcher.terms_with_prefix(name, ""):
            freq[term] = freq.get(term, 0) + n
    best: dict[str, list[str]] = {}
    counts: dict[str, int] = {}
    for term in sorted(freq, key=lambda t: (-freq[t], t)):
        for k in range(1, min(PREFIX_LONGEST, len(term) - 1) + 1):
            prefix = term[:k]
            counts[prefix] = counts.get(prefix, 0) + 1
            kept = best.setdefault(prefix, [])
            if len(kept) < PREFIX_CACHE_TERMS:
                kept.append(term)
    rows = [
        (prefix, " ".join(terms))
        for prefix, terms in best.items()
        if len(prefix) <= 2 or counts[prefix] > PREFIX_CACHE_TERMS
    ]
    db.execute("BEGIN IMMEDIATE")
    db.execute("DELETE FROM prefixes")
    db.executemany("INSERT INTO prefixes VALUES (?, ?)", rows)
    db.execute("COMMIT")


class Index:
    """An opened corpus index: metadata listing, the full-text searcher.

    Safe to share between threads (SQLite access is serialized).
    """

    def __init__(self, root: Path, folder: Path, db: sqlite3.Connection, ft: tantivy.Index) -> None:
        self.root = root
        self.folder = folder
        self.ft = ft
        self.schema = ft.schema
        self._db = db
        self._lock = threading.Lock()
        self._prefixes: dict[str, list[str]] = {}
        self._zdict: bytes | None = None
        self._count: int | None = None
        self.searcher = ft.searcher()
        self._opened = next(_OPENED)

    def close(self) -> None:
        """Release the SQLite connection."""
        with self._lock:
            self._db.close()

    @property
    def found_damaged(self) -> bool:
        """Has a use of this index found a store damaged (and marked it)?"""
        return (self.folder / DAMAGED).exists()

    def damaged(self, exc: BaseException) -> NoReturn:
        """Mark the cache for a fresh build (``DAMAGED``) and say why this use failed."""
        with contextlib.suppress(OSError):
            (self.folder / DAMAGED).touch()
        raise IndexUnavailable(f"the index is damaged ({exc})") from exc

    def refresh(self) -> None:
        """See what a build committed since the index was opened."""
        self.ft.reload()
        self.searcher = self.ft.searcher()
        self._prefixes = {}
        self._count = None

    def __len__(self) -> int:
        """Number of articles (cached until ``refresh``)."""
        if self._count is None:
            with self._lock:
                self._count = int(self._db.execute("SELECT COUNT(*) FROM articles").fetchone()[0])
        return self._count

    def articles(self) -> list[ArticleMeta]:
        """Every article's metadata, in the sidebar's order (newest first)."""
        return self.page(0, -1)

    def page(self, offset: int, limit: int) -> list[ArticleMeta]:
        """``limit`` articles (-1: all) from position ``offset`` of the sidebar's order.

        For a virtual list: the first screen of a 100,000-article corpus
        without building every row.
        """
        out: list[ArticleMeta] = []
        with self._lock:
            dated = self._db.execute(
                f"SELECT {_ARTICLE_COLUMNS} FROM articles {_DATED} LIMIT ? OFFSET ?",
                (limit, offset),
            )
            out.extend(map(ArticleMeta._make, dated))
            if limit >= 0 and len(out) >= limit:
                return out
            skip = offset - self._dated_count() if not out and offset > 0 else 0
            rest = -1 if limit < 0 else limit - len(out)
            undated = self._db.execute(
                f"SELECT {_ARTICLE_COLUMNS} FROM articles {_UNDATED} LIMIT ? OFFSET ?",
                (rest, max(0, skip)),
            )
            out.extend(map(ArticleMeta._make, undated))
        return out

    def versions(self, after: int = 0) -> tuple[dict[str, tuple[str, str | None]], int]:
        """(hash, language) by id of the articles stored after row ``after`` (0: all), and
        the last row: a pass that follows a build asks for what each commit wrote. An
        article written again is a new row, though one written where the last row was
        deleted may take its number: only a reading of all sees it then."""
        with self._lock:
            rows = self._db.execute(
                "SELECT rowid, id, hash, language FROM articles WHERE rowid > ?", (after,)
            ).fetchall()
        return {i: (digest, language) for _, i, digest, language in rows}, max(
            (row[0] for row in rows), default=after
        )

    def stamp(self) -> tuple[int, int]:
        """Changes when another process commits to the index (SQLite's ``data_version``; a
        build that finds nothing to do commits nothing): has what was listed gone stale?"""
        with self._lock:
            return self._opened, int(self._db.execute("PRAGMA data_version").fetchone()[0])

    def hashes(self) -> dict[str, str]:
        """Every article's content hash by id: a fifth of the time and memory of ``articles``."""
        with self._lock:
            return dict(self._db.execute("SELECT id, hash FROM articles"))

    def _dated_count(self) -> int:
        row = self._db.execute("SELECT COUNT(*) FROM articles WHERE date IS NOT NULL").fetchone()
        return int(row[0])

    def titles(self) -> list[tuple[str, str]]:
        """(id, title) of every article, in the sidebar's order."""
        with self._lock:
            dated = self._db.execute(f"SELECT id, title FROM articles {_DATED}").fetchall()
            return dated + self._db.execute(f"SELECT id, title FROM articles {_UNDATED}").fetchall()

    def article(self, article_id: str) -> ArticleMeta | None:
        """One article's metadata, or None."""
        with self._lock:
            row = self._db.execute(
                f"SELECT {_ARTICLE_COLUMNS} FROM articles WHERE id = ?", (article_id,)
            ).fetchone()
        return ArticleMeta._make(row) if row else None

    def metas(self, ids: Sequence[str]) -> dict[str, ArticleMeta]:
        """Metadata of several articles at once."""
        if not ids:
            return {}
        marks = ",".join("?" * len(ids))
        with self._lock:
            rows = self._db.execute(
                f"SELECT {_ARTICLE_COLUMNS} FROM articles WHERE id IN ({marks})", list(ids)
            ).fetchall()
        return {r[0]: ArticleMeta._make(r) for r in rows}

    def skipped(self) -> list[Skipped]:
        """Files and records that are not articles, with the reason."""
        from tui.corpus import Skipped

        with self._lock:
            rows = self._db.execute("SELECT path, reason FROM skipped ORDER BY path").fetchall()
        return [Skipped(p, r) for p, r in rows]

    def by_hash(self, digest: str) -> list[str]:
        """Ids of the articles whose text has this hash (a moved file is found by it)."""
        with self._lock:
            return [
                r[0] for r in self._db.execute("SELECT id FROM articles WHERE hash = ?", (digest,))
            ]

    def text(self, article_id: str) -> str | None:
        """The stored text of one article (exactly ``Article.text``), without reading its file."""
        return self.texts([article_id]).get(article_id)

    def texts(self, ids: Sequence[str]) -> dict[str, str]:
        """The stored texts of several articles at once."""
        if not ids:
            return {}
        marks = ",".join("?" * len(ids))
        with self._lock:
            if self._zdict is None:
                row = self._db.execute("SELECT value FROM meta WHERE key = 'zdict'").fetchone()
                self._zdict = bytes.fromhex(row[0]) if row else b""
            rows = self._db.execute(
                f"SELECT id, body FROM texts WHERE id IN ({marks})", list(ids)
            ).fetchall()
        try:
            return {i: unpack(body, self._zdict) for i, body in rows}
        except (zlib.error, UnicodeDecodeError) as exc:
            self.damaged(exc)

    def changed(self, ids: Sequence[str]) -> bool:
        """Has the file of any of these articles changed (size or mtime) or gone since the
        build? What ``margin search`` checks of its hits after a quick open."""
        if not ids:
            return False
        marks = ",".join("?" * len(ids))
        with self._lock:
            rows = self._db.execute(
                "SELECT DISTINCT f.rel, f.size, f.mtime_ns FROM articles a "
                f"JOIN files f ON f.rel = a.rel WHERE a.id IN ({marks})",
                list(ids),
            ).fetchall()
        base = os.fspath(self.root)
        for rel, size, mtime in rows:
            try:
                st = os.stat(os.path.join(base, rel))
            except OSError:
                return True
            if (st.st_size, st.st_mtime_ns) != (size, mtime):
                return True
        return False

    def prefix_terms(self, prefix: str) -> list[str]:
        """The most frequent indexed terms that start with a short prefix ([] when not kept:
        a prefix of three or four letters that starts few terms, or a longer one)."""
        terms = self._prefixes.get(prefix)
        if terms is None:  # one row at a time: `margin search` asks for one or two
            with self._lock:
                row = self._db.execute(
                    "SELECT terms FROM prefixes WHERE prefix = ?", (prefix,)
                ).fetchone()
            terms = self._prefixes[prefix] = row[0].split() if row else []
        return terms


def open_index(root: Path, cache: Path) -> Index:
    """Open the index of ``root`` as it is, without building.

    Raises ``IndexUnavailable`` if there is none, or it is broken or from another schema.
    """
    folder = index_dir(root, cache)
    try:
        db, ft = _open_stores(folder, create=False)
    except IndexUnavailable:
        raise
    except Exception as exc:
        raise IndexUnavailable(f"broken index: {exc}") from exc
    return Index(root, folder, db, ft)


def ensure_index(
    root: Path,
    cache: Path,
    progress: Callable[[int, int], None] | None = None,
    cancel: Callable[[], bool] | None = None,
    *,
    quick: bool = False,
    waiting: Waiting | None = None,
) -> tuple[Index, BuildSummary]:
    """Build or refresh, then open: what ``margin search`` does before it searches.

    ``quick``: skip the refresh when ``looks_unchanged`` (no walk of the corpus).
    """
    if quick and looks_unchanged(root, cache):
        try:
            return open_index(root, cache), BuildSummary(0, 0, 0, 0, 0.0)
        except IndexUnavailable:
            pass
    try:
        summary = build_index(root, cache, progress, cancel, waiting=waiting)
    except OSError as exc:
        if exc.errno not in UNWRITABLE:
            raise
        try:  # search what was built before the cache became read-only
            return open_index(root, cache), BuildSummary(0, 0, 0, 0, 0.0, unwritable=str(exc))
        except IndexUnavailable:
            raise exc from None
    try:
        return open_index(root, cache), summary
    except IndexUnavailable:
        _wipe(index_dir(root, cache))
        summary = build_index(root, cache, progress, cancel, waiting=waiting)
        return open_index(root, cache), summary
