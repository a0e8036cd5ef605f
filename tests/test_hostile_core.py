"""The hostile folder through the core: every bad file skipped with its reason,
every good one loaded, nothing a terminal would obey left in any article."""

from __future__ import annotations

import os
import time
from pathlib import Path

import pytest
from hostile import ATTACK, Hostile, shared_hostile, unsafe, write_hostile

from tui.corpus import Corpus, Source, discover, load, load_article, load_corpus
from tui.library import Library
from tui.markdown import render_markdown
from tui.output import line


@pytest.fixture(scope="session")
def hostile(tmp_path_factory: pytest.TempPathFactory) -> Hostile:
    return shared_hostile(tmp_path_factory.mktemp("core"))


@pytest.fixture(scope="session")
def corpus(hostile: Hostile) -> Corpus:
    return load_corpus(hostile.root)


def test_every_good_file_loads_with_its_text(hostile: Hostile, corpus: Corpus) -> None:
    by_id = {a.id: a for a in corpus.articles}
    assert set(by_id) == set(hostile.listed)
    for article_id, phrase in hostile.listed.items():
        assert phrase in by_id[article_id].text, article_id


def test_every_bad_file_is_skipped_with_its_reason(hostile: Hostile, corpus: Corpus) -> None:
    reasons = {s.path: s.reason for s in corpus.skipped}
    assert set(reasons) == set(hostile.skipped)
    for path, phrase in hostile.skipped.items():
        assert phrase in reasons[path], (path, reasons[path])


def test_nothing_a_terminal_would_obey_is_left(corpus: Corpus) -> None:
    for a in corpus.articles:
        assert not unsafe(a.text), (a.id, unsafe(a.text)[:5])
        for name in ("title", "date", "language", "source", "author", "url", "encoding"):
            value = getattr(a, name)
            assert value is None or not unsafe(value, one_line=True), (a.id, name, value)
        for problem in a.problems:
            assert not unsafe(problem, one_line=True), (a.id, problem)
        # Ids and paths stay exact (so `margin show ID` finds the file again);
        # every place that prints them sanitizes them.
        assert not unsafe(line(a.id) + line(a.path), one_line=True)
    for s in corpus.skipped:
        assert not unsafe(line(s.path) + line(s.reason), one_line=True)


def test_attacks_are_shown_as_visible_marks(corpus: Corpus) -> None:
    attack = corpus.get("attack.txt")
    assert attack is not None
    assert "␛]0;PWNED-TITLE-0␇" in attack.title
    assert "␛[2J" in attack.text
    assert "⇄evil⇄" in attack.text
    assert "[@click=app.quit]quit[/]" in attack.text  # markup is text, not a command
    assert any(s.kind == "mark" for s in attack.spans)
    record = corpus.get("records.jsonl#11")
    assert record is not None
    assert record.author is not None and "␛" in record.author
    assert record.source is not None and "⇄" in record.source and "␦" in record.source


def test_damaged_and_legacy_text_is_read_and_noted(corpus: Corpus) -> None:
    damaged = corpus.get("invalid-utf8.txt")
    assert damaged is not None and damaged.encoding == "utf-8"
    assert "\ufffd" in damaged.text and "Café" in damaged.text
    assert any("invalid UTF-8" in p for p in damaged.problems)
    utf16 = corpus.get("utf16-bom.txt")
    assert utf16 is not None and utf16.encoding == "utf-16le" and utf16.title.startswith("UTF-16")
    for legacy in ("cp1252.txt", "latin1.txt"):
        article = corpus.get(legacy)
        assert article is not None and article.encoding in {"windows-1252", "iso-8859-1"}
    legacy_c1 = corpus.get("c1-legacy.txt")
    assert legacy_c1 is not None and "␛[2J" in legacy_c1.text and "␇" in legacy_c1.text
    for name in ("crlf.txt", "cr.txt"):
        article = corpus.get(name)
        assert article is not None and "\r" not in article.text


def test_names_are_kept_exact_and_shown_escaped(corpus: Corpus) -> None:
    ids = {a.id for a in corpus.articles}
    assert "new\nline.txt" in ids
    assert "bad-\\xff\\xfe-name.txt" in ids  # undecodable bytes escaped, as a user types them
    assert line("new\nline.txt") == "new␊line.txt"
    nameless = next(a for a in corpus.articles if a.id.startswith("\x1b"))
    assert nameless.title.startswith("Nvidia")  # its first line, since it has no heading


def test_big_files_load_whole(corpus: Corpus) -> None:
    big = corpus.get("big.txt")
    assert big is not None and len(big.text) > 19_000_000
    one_line = corpus.get("one-line.txt")
    assert one_line is not None and "\n" not in one_line.text.strip()
    assert len(one_line.text) > 2_500_000


def test_show_reopens_every_article_by_its_exact_id(hostile: Hostile, corpus: Corpus) -> None:
    for a in corpus.articles:
        if a.id == "big.txt":
            continue
        again = load_article(hostile.root, a.id)
        assert again is not None and again.text == a.text, a.id


def test_hostile_markdown_is_fast_and_bounded() -> None:
    cases = {
        "quotes": ">" * 50_000 + " deep\n",
        "lists": "".join("  " * i + "- x\n" for i in range(3000)),
        "mixed": "".join(("> " if i % 2 else "- ") * (i % 500) + "x\n" for i in range(2000)),
        "emphasis": "*a **b " * 50_000,
        "brackets": "[" * 50_000 + "](" * 20_000,
        "images": "![" * 30_000,
        "links": "[a](" * 30_000,
        "backticks": "`" * 50_000,
        "entities": "&#x1b;&#155;&#x202e;" * 20_000,
        "html": "<div>" * 20_000,
        "table": "|a|b|\n|-|-|\n" + "|[x|*y|\n" * 2_000,
    }
    for name, source in cases.items():
        started = time.perf_counter()
        rendered = render_markdown(source)
        elapsed = time.perf_counter() - started
        assert elapsed < 3.0, (name, elapsed)
        assert not unsafe(rendered.text), name
        for block in rendered.blocks:
            assert "\n" not in rendered.text[block.start : block.end], name


def test_unreadable_file_is_skipped_and_the_rest_loads(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    hostile = write_hostile(tmp_path / "h", big=False)
    secret = hostile.root / "secret.txt"
    secret.write_text("Secret title\n\nNobody may read this.\n")
    secret.chmod(0)
    if os.geteuid() == 0:
        # Root reads through permissions: make the read itself fail as it would.
        real = Path.read_bytes

        def read_bytes(self: Path) -> bytes:
            if self.name == "secret.txt":
                raise PermissionError(13, "Permission denied", str(self))
            return real(self)

        monkeypatch.setattr(Path, "read_bytes", read_bytes)
    corpus = load_corpus(hostile.root)
    reasons = {s.path: s.reason for s in corpus.skipped}
    assert reasons["secret.txt"] == "cannot read: permission denied"
    assert {a.id for a in corpus.articles} == set(hostile.listed)


def test_unreadable_folder_is_reported(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    root = tmp_path / "c"
    (root / "locked").mkdir(parents=True)
    (root / "locked" / "a.txt").write_text("Hidden\n\ntext\n")
    (root / "open.txt").write_text("Open title\n\ntext\n")
    (root / "locked").chmod(0)
    try:
        if os.geteuid() == 0:
            real = os.scandir

            def scandir(path: str | os.PathLike[str]) -> object:
                if str(path).endswith("locked"):
                    raise PermissionError(13, "Permission denied", str(path))
                return real(path)

            monkeypatch.setattr(os, "scandir", scandir)
        corpus = load_corpus(root)
    finally:
        (root / "locked").chmod(0o755)
    assert [a.id for a in corpus.articles] == ["open.txt"]
    assert [(s.path, s.reason) for s in corpus.skipped] == [
        ("locked/", "cannot read folder: permission denied")
    ]


def test_read_only_corpus_loads(tmp_path: Path) -> None:
    hostile = write_hostile(tmp_path / "h", big=False)
    folders = [hostile.root, hostile.root / "x.txt"]
    for folder in folders:
        folder.chmod(0o555)
    try:
        corpus = load_corpus(hostile.root)
    finally:
        for folder in folders:
            folder.chmod(0o755)
    assert {a.id for a in corpus.articles} == set(hostile.listed)


def test_a_file_that_vanishes_between_walk_and_read_is_skipped(tmp_path: Path) -> None:
    root = tmp_path / "c"
    root.mkdir()
    (root / "gone.txt").write_text("Gone\n\nsoon\n")
    (root / "kept.txt").write_text("Kept\n\nstays\n")
    found = list(discover(root))
    (root / "gone.txt").unlink()
    results = [load(f) for f in found if isinstance(f, Source)]
    articles = [a.id for arts, _ in results for a in arts]
    skipped = [s for _, bad in results for s in bad]
    assert articles == ["kept.txt"]
    assert [s.path for s in skipped] == ["gone.txt"]
    assert skipped[0].reason.startswith("cannot read")


def test_attack_text_in_a_single_file_corpus(tmp_path: Path) -> None:
    path = tmp_path / "one.md"
    path.write_text("# " + ATTACK + "\n\n" + ATTACK + "\n")
    corpus = load_corpus(path)
    assert len(corpus.articles) == 1
    article = corpus.articles[0]
    assert not unsafe(article.text)
    assert not unsafe(article.title, one_line=True)


def test_the_index_serves_the_hostile_folder(tmp_path: Path) -> None:
    """One odd file (an undecodable name, an attack) must not turn search off."""
    hostile = write_hostile(tmp_path / "h", big=False)
    library = Library(hostile.root, tmp_path / "cache")
    assert library.update() is True, library.problem
    assert library.problem is None
    assert {e.id for e in library.entries()} == set(hostile.listed)
    reasons = {s.path: s.reason for s in library.skipped()}
    assert set(reasons) == set(hostile.skipped)
    for article_id, phrase in hostile.listed.items():
        article = library.article(article_id)
        assert article is not None and phrase in article.text, article_id
        assert not unsafe(article.text)
    for entry in library.entries():
        assert not unsafe(entry.title, one_line=True), entry.id


def test_a_pipe_named_like_an_article_is_listed_as_skipped_not_read(tmp_path: Path) -> None:
    root = tmp_path / "corpus"
    root.mkdir()
    (root / "real.txt").write_text("Real\n\nA real article.\n")
    os.mkfifo(root / "pipe.txt")  # reading it would wait for a writer forever
    corpus = load_corpus(root)
    assert [a.id for a in corpus.articles] == ["real.txt"]
    assert [(s.path, s.reason) for s in corpus.skipped] == [
        ("pipe.txt", "not a regular file (a pipe, a device or a socket)")
    ]
    assert [type(x).__name__ for x in discover(root / "pipe.txt")] == ["Skipped"]


def test_a_hash_sign_in_a_name_is_part_of_the_name(tmp_path: Path) -> None:
    root = tmp_path / "corpus"
    (root / "C# notes").mkdir(parents=True)
    (root / "issue #12.txt").write_text("Issue twelve\n\nThe bug in issue twelve.\n")
    (root / "C# notes" / "feed.jsonl").write_text(
        '{"title": "One", "text": "first"}\n{"title": "Two", "text": "second"}\n'
    )
    ids = sorted(a.id for a in load_corpus(root).articles)
    assert ids == ["C# notes/feed.jsonl#1", "C# notes/feed.jsonl#2", "issue #12.txt"]
    for article_id in ids:
        article = load_article(root, article_id)
        assert article is not None and article.id == article_id


def test_a_jsonl_record_says_exactly_why_it_is_skipped(tmp_path: Path) -> None:
    root = tmp_path / "corpus"
    root.mkdir()
    (root / "feed.jsonl").write_text(
        '{"title": "A number", "text": 5}\n'
        '{"title": "Huge", "text": "still an article", "n": ' + "9" * 5000 + "}\n"
    )
    corpus = load_corpus(root)
    assert [a.title for a in corpus.articles] == ["Huge"]
    assert [s.reason for s in corpus.skipped] == ["line 1: field 'text' is not a string"]
