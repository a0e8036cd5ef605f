"""The index cache: incremental, interruptible, disposable."""

from __future__ import annotations

import contextlib
import errno
import itertools
import os
import signal
import sqlite3
import subprocess
import sys
import textwrap
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

import tui.index
import tui.memory
from tui.corpus import Source, load_corpus
from tui.index import (
    BuildSummary,
    IndexUnavailable,
    build_index,
    index_dir,
    open_index,
)
from tui.library import Library
from tui.search import search

REPO = Path(__file__).resolve().parent.parent


def counts(summary: BuildSummary) -> tuple[int, int, int, int]:
    return summary.added, summary.changed, summary.removed, summary.renamed


def consistent(root: Path, cache: Path) -> None:
    """The index lists exactly the corpus's articles, each once in the full-text index."""
    corpus = load_corpus(root)
    index = open_index(root, cache)
    try:
        assert [m.id for m in index.articles()] == [a.id for a in corpus.articles]
        assert index.searcher.num_docs == len(corpus.articles)
        for article in corpus.articles:
            assert index.text(article.id) == article.text
            meta = index.article(article.id)
            assert meta is not None
            assert (meta.title, meta.date, meta.hash) == (article.title, article.date, article.hash)
    finally:
        index.close()


def many_files(root: Path, n: int) -> Path:
    root.mkdir()
    for i in range(n):
        folder = root / f"part{i % 7}"
        folder.mkdir(exist_ok=True)
        (folder / f"note{i:04d}.txt").write_text(
            f"Report number {i}\n\nThe quarterly figures of unit{i} were published today. "
            f"Analysts expect growth in region{i % 13}.\n",
            encoding="utf-8",
        )
    return root


def test_first_build_then_nothing_to_do(seeds: Path, tmp_path: Path) -> None:
    cache = tmp_path / "cache"
    first = build_index(seeds, cache)
    assert counts(first) == (5, 0, 0, 0)
    again = build_index(seeds, cache)
    assert counts(again) == (0, 0, 0, 0)
    consistent(seeds, cache)


def test_listing_comes_from_the_cache(seeds: Path, tmp_path: Path) -> None:
    cache = tmp_path / "cache"
    build_index(seeds, cache)
    expected = [(a.id, a.title, a.language) for a in load_corpus(seeds).articles]
    for path in seeds.iterdir():
        path.chmod(0)  # the listing must not read the files
    try:
        index = open_index(seeds, cache)
        assert [(m.id, m.title, m.language) for m in index.articles()] == expected
    finally:
        for path in seeds.iterdir():
            path.chmod(0o644)


def test_edited_file_is_reindexed(seeds: Path, tmp_path: Path) -> None:
    cache = tmp_path / "cache"
    build_index(seeds, cache)
    target = sorted(seeds.iterdir())[2]
    with target.open("a", encoding="utf-8") as handle:
        handle.write("\nA quokka appeared at the press conference.\n")
    assert counts(build_index(seeds, cache)) == (0, 1, 0, 0)
    index = open_index(seeds, cache)
    assert [h.id for h in search(index, "quokka").hits] == [target.name]
    consistent(seeds, cache)


def test_touched_but_unchanged_file_is_not_reindexed(seeds: Path, tmp_path: Path) -> None:
    cache = tmp_path / "cache"
    build_index(seeds, cache)
    target = sorted(seeds.iterdir())[0]
    os.utime(target, ns=(time.time_ns(), time.time_ns() + 5_000_000_000))
    assert counts(build_index(seeds, cache)) == (0, 0, 0, 0)


def test_deleted_file_is_removed(seeds: Path, tmp_path: Path) -> None:
    cache = tmp_path / "cache"
    build_index(seeds, cache)
    german = next(a for a in load_corpus(seeds).articles if a.language == "de")
    (seeds / german.path).unlink()
    assert counts(build_index(seeds, cache)) == (0, 0, 1, 0)
    index = open_index(seeds, cache)
    assert search(index, "Zuckerberg").hits == []
    assert len(index.articles()) == 4
    consistent(seeds, cache)


def test_renamed_file_is_recognized_by_its_hash(seeds: Path, tmp_path: Path) -> None:
    cache = tmp_path / "cache"
    build_index(seeds, cache)
    old = sorted(seeds.iterdir())[1]
    (seeds / "moved").mkdir()
    new = seeds / "moved" / "renamed.txt"
    old.rename(new)
    summary = build_index(seeds, cache)
    assert counts(summary) == (0, 0, 0, 1)
    assert summary.moves == ((old.name, "moved/renamed.txt"),)
    consistent(seeds, cache)


def test_a_new_schema_rebuilds(
    seeds: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    cache = tmp_path / "cache"
    build_index(seeds, cache)
    monkeypatch.setattr(tui.index, "SCHEMA_VERSION", tui.index.SCHEMA_VERSION + 1)
    with pytest.raises(IndexUnavailable):
        open_index(seeds, cache)
    assert counts(build_index(seeds, cache)) == (5, 0, 0, 0)
    consistent(seeds, cache)


@pytest.mark.parametrize("damage", ["garbage-sqlite", "no-tantivy", "garbage-tantivy-meta"])
def test_a_broken_cache_is_rebuilt(seeds: Path, tmp_path: Path, damage: str) -> None:
    cache = tmp_path / "cache"
    build_index(seeds, cache)
    folder = index_dir(seeds, cache)
    if damage == "garbage-sqlite":
        for name in ("meta.sqlite", "meta.sqlite-wal", "meta.sqlite-shm"):
            (folder / name).unlink(missing_ok=True)
        (folder / "meta.sqlite").write_bytes(b"not a database" * 100)
    elif damage == "no-tantivy":
        for path in (folder / "tantivy").iterdir():
            path.unlink()
    else:
        (folder / "tantivy" / "meta.json").write_text("{", encoding="utf-8")
    with pytest.raises(IndexUnavailable):
        open_index(seeds, cache).articles()
    assert build_index(seeds, cache).added == 5
    consistent(seeds, cache)


def test_missing_cache_is_not_an_error(seeds: Path, tmp_path: Path) -> None:
    with pytest.raises(IndexUnavailable):
        open_index(seeds, tmp_path / "nowhere")


def test_cancelled_build_is_completed_by_the_next(tmp_path: Path) -> None:
    root = many_files(tmp_path / "corpus", 60)
    cache = tmp_path / "cache"
    seen: list[int] = []

    def progress(done: int, total: int) -> None:
        seen.append(done)

    summary = build_index(root, cache, progress, cancel=lambda: len(seen) >= 20)
    assert summary.cancelled
    assert 0 < summary.added < 60
    index = open_index(root, cache)
    assert len(index.articles()) == summary.added  # what was committed is usable
    index.close()
    rest = build_index(root, cache)
    assert summary.added + rest.added == 60
    consistent(root, cache)


_KILLED_BUILD = """
import os, sys
from pathlib import Path
from typing import Any
import tui.index as ix
ix.BATCH_ARTICLES = 10
mode = sys.argv[3]
if mode == "between-stores":
    # Die after the full-text commit, before the metadata commit: the worst moment.
    real = ix._commit_metadata
    calls = []
    def dying(db, batch):
        calls.append(1)
        if len(calls) == 3:
            os._exit(9)
        real(db, batch)
    ix._commit_metadata = dying
def progress(done, total):
    if done == 45:
        print("half", flush=True)
        import time; time.sleep(60)
ix.build_index(Path(sys.argv[1]), Path(sys.argv[2]), progress, workers=1)
"""


@pytest.mark.parametrize("mode", ["sigkill", "between-stores"])
def test_killed_build_leaves_a_consistent_index(tmp_path: Path, mode: str) -> None:
    root = many_files(tmp_path / "corpus", 90)
    cache = tmp_path / "cache"
    script = tmp_path / "build.py"
    script.write_text(textwrap.dedent(_KILLED_BUILD), encoding="utf-8")
    env = {**os.environ, "PYTHONPATH": str(REPO)}
    proc = subprocess.Popen(
        [sys.executable, str(script), str(root), str(cache), mode],
        stdout=subprocess.PIPE,
        env=env,
    )
    if mode == "sigkill":
        assert proc.stdout is not None
        assert proc.stdout.readline().strip() == b"half"
        proc.send_signal(signal.SIGKILL)
    proc.wait(timeout=60)
    if proc.stdout is not None:
        proc.stdout.close()
    assert proc.returncode != 0
    index = open_index(root, cache)  # usable as it is
    partial = len(index.articles())
    assert 0 < partial < 90
    assert index.searcher.num_docs >= partial
    index.close()
    summary = build_index(root, cache)
    assert summary.added == 90 - partial
    consistent(root, cache)
    index = open_index(root, cache)
    assert len(search(index, "quarterly", limit=100).hits) == 90


def test_concurrent_reader_sees_committed_batches(seeds: Path, tmp_path: Path) -> None:
    cache = tmp_path / "cache"
    build_index(seeds, cache)
    index = open_index(seeds, cache)
    (seeds / "extra.txt").write_text("An extra article about quokkas.\n", encoding="utf-8")
    build_index(seeds, cache)
    assert search(index, "quokkas").hits == []
    index.refresh()
    assert [h.id for h in search(index, "quokkas").hits] == ["extra.txt"]


def test_skipped_files_are_kept(seeds: Path, tmp_path: Path) -> None:
    cache = tmp_path / "cache"
    (seeds / "broken.jsonl").write_text('{"text": "fine"}\nnot json\n', encoding="utf-8")
    summary = build_index(seeds, cache)
    assert summary.skipped == 1
    index = open_index(seeds, cache)
    assert [s.path for s in index.skipped()] == ["broken.jsonl#2"]
    assert build_index(seeds, cache).skipped == 1


def test_the_cache_lives_under_the_given_folder(seeds: Path, tmp_path: Path) -> None:
    cache = tmp_path / "cache"
    build_index(seeds, cache)
    folder = index_dir(seeds, cache)
    assert folder.parent == cache
    with sqlite3.connect(folder / "meta.sqlite") as db:
        assert db.execute("SELECT COUNT(*) FROM articles").fetchone()[0] == 5


def test_quick_check_sees_files_come_and_go(
    seeds: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from tui.index import ensure_index, looks_unchanged

    cache = tmp_path / "cache"
    assert not looks_unchanged(seeds, cache)
    build_index(seeds, cache)
    assert not looks_unchanged(seeds, cache)  # a small corpus is always walked
    monkeypatch.setattr(tui.index, "QUICK_MIN_FILES", 0)
    assert looks_unchanged(seeds, cache)
    (seeds / "sub").mkdir()
    assert not looks_unchanged(seeds, cache)
    (seeds / "sub" / "new.txt").write_text("A new article on quokkas.\n", encoding="utf-8")
    index, summary = ensure_index(seeds, cache, quick=True)
    assert summary.added == 1
    assert [h.id for h in search(index, "quokkas").hits] == ["sub/new.txt"]
    assert looks_unchanged(seeds, cache)
    (seeds / "sub" / "new.txt").unlink()
    assert not looks_unchanged(seeds, cache)


def test_parsing_in_worker_processes(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    root = many_files(tmp_path / "corpus", 200)
    monkeypatch.setattr(tui.index, "POOL_MIN_FILES", 10)
    assert build_index(root, tmp_path / "cache", workers=2).added == 200
    consistent(root, tmp_path / "cache")


_PARENT = os.getpid()
_LOAD = tui.index._load_safely


def _dying(source: Source, zdict: bytes = b"") -> Any:
    if os.getpid() != _PARENT:
        os._exit(3)  # in a (forked) worker: the pool breaks
    return _LOAD(source, zdict)


def test_a_broken_worker_pool_falls_back_to_parsing_here(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    root = many_files(tmp_path / "corpus", 200)
    monkeypatch.setattr(tui.index, "POOL_MIN_FILES", 10)
    monkeypatch.setattr(tui.index, "_load_safely", _dying)
    assert build_index(root, tmp_path / "cache", workers=2).added == 200
    consistent(root, tmp_path / "cache")


def _not_here(*_: object) -> None:
    raise AssertionError("the rewrite ran in the build's own process")


@pytest.mark.parametrize("where", ["a process of its own", "here, with no python to run"])
def test_a_build_in_many_commits_leaves_few_segments(
    where: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Each commit adds segments, and every query pays per segment: the build rewrites them,
    in a fresh interpreter (little memory besides the writer's), else in its own process."""
    root = many_files(tmp_path / "corpus", 60)
    cache = tmp_path / "cache"
    monkeypatch.setattr(tui.index, "BATCH_ARTICLES", 1)  # 4 segments without the rewrite
    if where == "a process of its own":
        monkeypatch.setattr(tui.index, "_compact", _not_here)
    else:
        monkeypatch.setattr(tui.memory.sys, "executable", str(tmp_path / "no-python"))
    build_index(root, cache, workers=1)
    index = open_index(root, cache)
    try:
        assert index.searcher.num_segments <= 2
        assert [h.title for h in search(index, "unit17 ").hits] == ["Report number 17"]
    finally:
        index.close()
    consistent(root, cache)
    (root / "part0" / "note0000.txt").write_text("Report number 0\n\nRewritten.\n", "utf-8")
    assert counts(build_index(root, cache)) == (0, 1, 0, 0)
    consistent(root, cache)


def test_a_large_build_commits_in_eights_and_needs_no_rewrite(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """tantivy merges eight segments of a size into one: a build whose commits come in eights
    of even size is left in two segments by those merges, answers as fast, and rewrites
    nothing; feeds of many articles read last are shared out too."""
    root = many_files(tmp_path / "corpus", 60)
    (root / "zz").mkdir()
    for f in range(4):
        lines = (
            f'{{"title": "Feed {f} item {i}", "text": "Item {i} of feed{f}."}}' for i in range(10)
        )
        (root / "zz" / f"feed{f}.jsonl").write_text("\n".join(lines) + "\n", encoding="utf-8")
    cache = tmp_path / "cache"
    # 9,500 bytes in all: 10 commits of at most 1,000 bytes would do, made 16.
    monkeypatch.setattr(tui.index, "BATCH_BYTES", 1000)
    monkeypatch.setattr(tui.index, "_rewrite", _not_here)
    listed: list[int] = []

    def committed() -> None:
        index = open_index(root, cache)
        listed.append(len(index))
        index.close()

    build_index(root, cache, workers=1, committed=committed)
    assert len(listed) == 16 and listed[-1] == 100
    sizes = [b - a for a, b in itertools.pairwise([0, *listed])]
    assert max(sizes) <= 20  # the feeds' 40 articles are not all in the last commit
    index = open_index(root, cache)
    try:
        assert index.searcher.num_segments <= 2
        assert [h.title for h in search(index, "unit17 ").hits] == ["Report number 17"]
    finally:
        index.close()
    consistent(root, cache)


def test_texts_are_all_readable_before_the_rewrite(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """``read(summary)`` comes when every text can be read, before the full-text rewrite: the
    entity pass links there, beside the rewrite, instead of after it."""
    root = many_files(tmp_path / "corpus", 30)
    cache = tmp_path / "cache"
    steps: list[str] = []
    settle = tui.index._settle

    def settling(*args: Any) -> None:
        steps.append("rewrite")
        settle(*args)

    def read(summary: BuildSummary) -> None:
        assert summary.added == 30
        index = open_index(root, cache)
        try:
            ids = [m.id for m in index.articles()]
            steps.append(f"{len(index.texts(ids))} texts")
        finally:
            index.close()

    monkeypatch.setattr(tui.index, "_settle", settling)
    build_index(root, cache, workers=1, read=read)
    assert steps == ["30 texts", "rewrite"]
    consistent(root, cache)


def test_each_commit_is_told_and_readable_then(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """``committed()`` comes after each commit, when its articles can be read: the entity
    pass follows the build by it."""
    root = many_files(tmp_path / "corpus", 12)
    cache = tmp_path / "cache"
    monkeypatch.setattr(tui.index, "BATCH_BYTES", 500)  # 1,300 bytes: 8 commits
    readable: list[int] = []

    def committed() -> None:
        index = open_index(root, cache)
        try:
            readable.append(len(index.versions()[0]))
        finally:
            index.close()

    build_index(root, cache, workers=1, committed=committed)
    assert len(readable) == 8
    assert readable == sorted(set(readable)) and readable[-1] == 12


def test_versions_are_what_was_written_since_a_reading(seeds: Path, tmp_path: Path) -> None:
    """``Index.versions(after)``: every article's (hash, language), then only what a later
    build wrote, with its new hash."""
    cache = tmp_path / "cache"
    build_index(seeds, cache)
    index = open_index(seeds, cache)
    try:
        everything, last = index.versions()
        assert everything == {a.id: (a.hash, a.language) for a in index.articles()}
        assert index.versions(last) == ({}, last)
        edited = sorted(seeds.iterdir())[1]
        edited.write_text(edited.read_text("utf-8") + "\nOne more line.\n", "utf-8")
        build_index(seeds, cache)
        since, _ = index.versions(last)
        assert list(since) == [edited.name]
        assert since[edited.name][0] != everything[edited.name][0]
    finally:
        index.close()


def test_the_first_articles_are_listed_long_before_the_build_ends(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The first commit comes after ``FIRST_BATCH_SECONDS``, the others after ten."""
    root = many_files(tmp_path / "corpus", 40)
    cache = tmp_path / "cache"
    monkeypatch.setattr(tui.index, "FIRST_BATCH_SECONDS", 0.0)
    listed: list[int] = []

    def progress(done: int, total: int) -> None:
        if done == total // 2:
            try:
                index = open_index(root, cache)
            except IndexUnavailable:
                listed.append(0)
            else:
                listed.append(len(index))
                index.close()

    build_index(root, cache, progress, workers=1)
    assert listed and 0 < listed[0] < 40


def test_a_file_that_could_not_be_read_is_read_once_it_can_be(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """chmod changes neither size nor mtime: the next build still reads it."""
    root = many_files(tmp_path / "corpus", 3)
    locked = root / "part1" / "note0001.txt"
    read_bytes = Path.read_bytes

    def denied(path: Path) -> bytes:
        if path == locked:
            raise PermissionError(13, "Permission denied")
        return read_bytes(path)

    cache = tmp_path / "cache"
    monkeypatch.setattr(Path, "read_bytes", denied)
    first = build_index(root, cache)
    assert (first.added, first.skipped) == (2, 1)
    monkeypatch.setattr(Path, "read_bytes", read_bytes)
    second = build_index(root, cache)
    assert (second.added, second.skipped) == (1, 0)
    index = open_index(root, cache)
    assert [h.id for h in search(index, "unit1").hits] == ["part1/note0001.txt"]
    assert build_index(root, cache).added == 0  # and then it is an ordinary file


def test_a_read_only_cache_is_searched_as_it_was_last_built(
    seeds: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A cache on a read-only disk (or someone else's): search what it holds, and say so.

    The disk is played at the boundary: no folder may be written, and taking the build
    lock fails as a read-only file system fails it."""
    cache = tmp_path / "cache"
    build_index(seeds, cache)
    folder = tui.index.index_dir(seeds, cache)
    for lock in (folder / "tantivy").glob(".tantivy-*.lock"):
        lock.unlink()  # made by any open that may write

    @contextlib.contextmanager
    def refused(*_: object) -> Iterator[int]:
        raise OSError(errno.EROFS, "Read-only file system", str(folder / "build.lock"))
        yield 3

    monkeypatch.setattr(tui.index, "_build_lock", refused)
    monkeypatch.setattr(tui.index.os, "access", lambda path, mode: False)
    index, summary = tui.index.ensure_index(seeds, cache)
    try:
        assert summary.unwritable is not None and "Read-only" in summary.unwritable
        assert [h.title for h in search(index, "Zuckerberg").hits]
        assert not list(folder.glob("meta.sqlite-*"))  # no journal written beside it
        assert not list((folder / "tantivy").glob(".tantivy-*.lock"))
    finally:
        index.close()
    library = Library(seeds, cache)  # the reader: search stays on, and it says why
    assert library.update() and library.search("Zuckerberg").hits
    assert library.problem is not None and "used as it was last built" in library.problem
