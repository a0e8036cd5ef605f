"""The hostile folder in the app (Pilot): it loads, the problems view says why
each file was skipped, every article opens, and nothing drawn could command
the terminal, at 80x24 and at 60x20."""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest
from hostile import Hostile, shared_hostile, unsafe, write_hostile
from pilots import until, until_loaded
from textual.pilot import Pilot
from textual.widgets import Log, Static

from tui.app import MarginApp
from tui.sanitize import sanitize_line
from tui.screens.problems import ProblemsScreen

SIZES = [(80, 24), (60, 20)]


@pytest.fixture(scope="session")
def hostile(tmp_path_factory: pytest.TempPathFactory) -> Hostile:
    """Every case but the big files (each app indexes its folder: keep it quick)."""
    return write_hostile(tmp_path_factory.mktemp("app") / "hostile", big=False)


@pytest.fixture(scope="session")
def big(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The 20 MB article alone (a hard link to the shared one)."""
    full = shared_hostile(tmp_path_factory.mktemp("app-full"))
    folder = tmp_path_factory.mktemp("app-big")
    os.link(full.root / "big.txt", folder / "big.txt")
    return folder


def drawn(app: MarginApp) -> dict[str, list[str]]:
    """The text of every line the main screen draws, per part."""
    parts: dict[str, list[str]] = {}
    for name, widget in (("sidebar", app.sidebar), ("reader", app.reader)):
        parts[name] = [widget.render_line(y).text for y in range(widget.size.height)]
    for name in ("title", "details"):
        static = app.query_one(f"#{name}", Static)
        parts[name] = [str(static.render())]
    return parts


def assert_inert(parts: dict[str, list[str]], where: str) -> None:
    for name, lines in parts.items():
        for text in lines:
            assert not unsafe(text, one_line=True), (where, name, text, unsafe(text, one_line=True))


async def settle(pilot: Pilot[None], app: MarginApp, article_id: str | None = None) -> None:
    """Wait until the reader shows ``article_id`` (articles are read in a worker)."""
    for _ in range(1000):
        article = app.reader.article
        shown = article_id is None or (article is not None and article.id == article_id)
        if shown and not app.reader.restoring:
            break
        await pilot.pause(0.01)
    await pilot.pause()
    if article_id is not None:
        assert app.reader.article is not None and app.reader.article.id == article_id


def listed(app: MarginApp) -> set[str]:
    return {e.id for e in app.sidebar.entries}


@pytest.mark.parametrize("size", SIZES, ids=["80x24", "60x20"])
async def test_every_article_opens_and_draws_nothing_unsafe(
    hostile: Hostile, tmp_path: Path, size: tuple[int, int]
) -> None:
    app = MarginApp(hostile.root, data_dir=tmp_path / "data")
    async with app.run_test(size=size) as pilot:
        app = await until_loaded(pilot)
        assert listed(app) == set(hostile.listed)
        assert {s.path for s in app.skipped} == set(hostile.skipped)
        entries = list(app.sidebar.entries)
        app.open_article(entries[0].id)
        seen: list[str] = []
        for entry in entries:
            await settle(pilot, app, entry.id)
            article = app.reader.article
            assert article is not None
            seen.append(article.id)
            parts = drawn(app)
            assert_inert(parts, article.id)
            assert any(line.strip() for line in parts["reader"]), article.id
            assert sanitize_line(article.title)[: size[0] // 4] in parts["title"][0]
            await pilot.press("]")
            assert app.is_running
        assert seen == [e.id for e in entries]
        await pilot.press("q")


@pytest.mark.parametrize("size", SIZES, ids=["80x24", "60x20"])
async def test_problems_view_lists_every_skipped_file(
    hostile: Hostile, tmp_path: Path, size: tuple[int, int]
) -> None:
    app = MarginApp(hostile.root, data_dir=tmp_path / "data")
    async with app.run_test(size=size) as pilot:
        app = await until_loaded(pilot)
        app.open_article("invalid-utf8.txt")
        await settle(pilot, app, "invalid-utf8.txt")
        await pilot.press("p")
        screen = app.screen
        assert isinstance(screen, ProblemsScreen)
        log = screen.query_one(Log)
        for line in log.lines:  # wrapped, not cut at the edge
            assert len(line) <= log.scrollable_content_region.width, line
        lines: list[str] = []  # one per problem: wrapped rows joined again
        for line in log.lines:
            if line.startswith("    ") and lines:
                lines[-1] += " " + line.strip()
            else:
                lines.append(line)
        for path, reason in hostile.skipped.items():
            assert any(
                line.startswith(sanitize_line(path) + ": ") and reason in line for line in lines
            ), path
        assert any(line.startswith("invalid-utf8.txt: ") for line in lines)  # a noted problem
        for line in lines:
            assert not unsafe(line, one_line=True), line
        for y in range(log.size.height):
            assert not unsafe(log.render_line(y).text, one_line=True)
        await pilot.resize_terminal(40, 12)  # wrapped again, to the narrower dialog
        await pilot.pause(0.2)
        for line in log.lines:
            assert len(line) <= log.scrollable_content_region.width, line
        await pilot.press("escape")
        assert not isinstance(app.screen, ProblemsScreen)
        assert app.is_running


async def test_narrow_terminal_keeps_the_reader_readable(hostile: Hostile, tmp_path: Path) -> None:
    app = MarginApp(hostile.root, data_dir=tmp_path / "data")
    async with app.run_test(size=(60, 20)) as pilot:
        app = await until_loaded(pilot)
        reader = app.reader.scrollable_content_region
        assert reader.width >= 30, reader
        assert reader.height >= 8, reader
        assert reader.right <= 60
        await pilot.resize_terminal(100, 30)
        await settle(pilot, app)
        await pilot.resize_terminal(40, 12)
        await settle(pilot, app)
        assert app.is_running
        assert_inert(drawn(app), "after resize")


async def test_big_article_opens_and_keys_answer(big: Path, tmp_path: Path) -> None:
    app = MarginApp(big, data_dir=tmp_path / "data")
    async with app.run_test(size=(80, 24)) as pilot:
        app = await until_loaded(pilot)
        for article_id in ("big.txt",):
            app.open_article(article_id)
            await settle(pilot, app, article_id)
            assert app.reader.render_line(0).text.strip()
            app.reader.focus()
            await pilot.press("space", "space", "G", "g")
            await settle(pilot, app)
            assert app.reader.scroll_y == 0
            assert app.is_running


async def test_opens_with_an_unwritable_data_dir(tmp_path: Path) -> None:
    hostile = write_hostile(tmp_path / "h", big=False)
    blocker = tmp_path / "blocker"
    blocker.write_text("a file, not a folder")
    app = MarginApp(hostile.root, data_dir=blocker / "data")
    async with app.run_test(size=(80, 24)) as pilot:
        app = await until_loaded(pilot)
        assert listed(app) == set(hostile.listed)
        assert app.reader.article is not None
        await pilot.press("]", "]")
        assert app.is_running
        await pilot.press("q")
    assert not app.is_running


async def test_opens_with_a_corrupt_store(tmp_path: Path) -> None:
    hostile = write_hostile(tmp_path / "h", big=False)
    data = tmp_path / "data"
    data.mkdir()
    (data / "margin.sqlite3").write_bytes(b"SQLite format 3\x00" + b"\x00\xff" * 5000)
    app = MarginApp(hostile.root, data_dir=data)
    async with app.run_test(size=(80, 24)) as pilot:
        app = await until_loaded(pilot)
        assert app.reader.article is not None
        await pilot.press("]")
        await pilot.press("q")
    assert (data / "margin.sqlite3").read_bytes().startswith(b"SQLite format 3\x00\x00\xff")


async def test_a_big_article_shows_its_start_first_and_keeps_the_place(tmp_path: Path) -> None:
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    (corpus / "a.txt").write_text("A small one\n\nShort text.\n", encoding="utf-8")
    paragraph = "Zeta prose about markets and chips, said the analyst. " * 12 + "\n\n"
    (corpus / "big.txt").write_text("Zz big\n\n" + paragraph * 12_000, encoding="utf-8")  # 8 MB
    app = MarginApp(corpus, data_dir=tmp_path / "data")
    async with app.run_test(size=(80, 24)) as pilot:
        app = await until_loaded(pilot)
        app.open_article("big.txt")
        for _ in range(500):
            if app.reader.article is not None and app.reader.article.id == "big.txt":
                break
            await pilot.pause(0.01)
        assert app.reader.article is not None and app.reader.article.partial  # the start, at once
        details = str(app.query_one("#details", Static).render())
        assert "reading the rest" in details
        app.reader.focus()
        # Keys scroll once the reader has the focus and the start is laid out.
        await until(
            pilot,
            lambda: (
                app.focused is app.reader
                and app.reader.max_scroll_y > 0
                and not app.reader.restoring
            ),
        )
        await pilot.press("space", "space")
        place = app.reader.top_offset
        assert place > 0
        for _ in range(1000):
            if not app.reader.article.partial:
                break
            await pilot.pause(0.01)
        await settle(pilot, app, "big.txt")
        assert not app.reader.article.partial
        assert app.reader.top_offset == place  # the whole took the start's place
        assert "words" in str(app.query_one("#details", Static).render())


async def test_the_folder_changing_while_margin_runs(tmp_path: Path) -> None:
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    (corpus / "a.txt").write_text("Alpha article\n\nThe first text of alpha.\n", encoding="utf-8")
    (corpus / "b.txt").write_text("Beta article\n\nBeta says little.\n", encoding="utf-8")
    app = MarginApp(corpus, data_dir=tmp_path / "data")
    async with app.run_test(size=(80, 24)) as pilot:
        app = await until_loaded(pilot)
        app.open_article("a.txt")
        await settle(pilot, app, "a.txt")
        assert app.store is not None
        text = app.reader.article.text  # type: ignore[union-attr]
        start = text.index("alpha")
        app.store.add_note(app.corpus, "a.txt", text, start, start + 5, "kept")

        changed = "Alpha article\n\nA new first paragraph.\n\nThe first text of alpha.\n"
        (corpus / "a.txt").write_text(changed, encoding="utf-8")
        (corpus / "b.txt").unlink()
        await pilot.press("R")
        await until(
            pilot,
            lambda: (
                app.reader.article is not None
                and "A new first paragraph" in app.reader.article.text
                and "b.txt" not in listed(app)
            ),
            1500,
        )
        assert listed(app) == {"a.txt"}
        notes = app.store.notes(app.corpus)
        assert [n.body for n in notes] == ["kept"]
        assert app.reader.spans_of("annotations")  # re-anchored on the new text


async def test_the_last_article_read_was_deleted_between_runs(tmp_path: Path) -> None:
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    (corpus / "a.txt").write_text("Alpha article\n\nAlpha text.\n", encoding="utf-8")
    (corpus / "b.txt").write_text("Beta article\n\nBeta text.\n", encoding="utf-8")
    data = tmp_path / "data"
    app = MarginApp(corpus, data_dir=data)
    async with app.run_test(size=(80, 24)) as pilot:
        app = await until_loaded(pilot)
        app.open_article("b.txt")
        await settle(pilot, app, "b.txt")
        await pilot.press("q")
    (corpus / "b.txt").unlink()
    app = MarginApp(corpus, data_dir=data)
    async with app.run_test(size=(80, 24)) as pilot:
        app = await until_loaded(pilot)
        await settle(pilot, app, "a.txt")  # the other article, and no error about the gone one
        assert not [n for n in app._notifications if n.severity == "error"]
        assert listed(app) == {"a.txt"}


async def test_the_open_article_follows_its_file_renamed(tmp_path: Path) -> None:
    """Renamed while read: the reader goes on under the new name, with its notes (it said
    the file was no longer in the folder)."""
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    (corpus / "a.txt").write_text("Alpha article\n\nThe first text of alpha.\n", "utf-8")
    app = MarginApp(corpus, data_dir=tmp_path / "data")
    async with app.run_test(size=(80, 24)) as pilot:
        app = await until_loaded(pilot)
        app.open_article("a.txt")
        await settle(pilot, app, "a.txt")
        assert app.store is not None
        text = app.reader.article.text  # type: ignore[union-attr]
        start = text.index("alpha")
        app.store.add_note(app.corpus, "a.txt", text, start, start + 5, "kept")
        (corpus / "a.txt").rename(corpus / "z.txt")
        await pilot.press("R")
        await until(
            pilot,
            lambda: app.reader.article is not None and app.reader.article.id == "z.txt",
            1500,
        )
        assert [n.article for n in app.store.notes(app.corpus)] == ["z.txt"]
        assert app.reader.spans_of("annotations")


async def test_an_articles_problems_are_counted_first_on_its_line(tmp_path: Path) -> None:
    """The details line is cut at the pane's edge: the warning comes first, short
    ('⚠ 1 problem (p)'), where it was cut off after the encoding."""
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    record = {"title": 42, "text": "A record whose title is a number.", "source": "Wire " * 30}
    (corpus / "feed.jsonl").write_text(json.dumps(record) + "\n", encoding="utf-8")
    app = MarginApp(corpus, data_dir=tmp_path / "data")
    async with app.run_test(size=(80, 24)) as pilot:
        app = await until_loaded(pilot)
        details = app.query_one("#details", Static)
        assert str(details.render()).startswith("⚠ 1 problem (p) · ")
        assert "⚠" in details.render_line(0).text


async def test_an_article_changed_on_disk_reopens_at_the_paragraph_read(tmp_path: Path) -> None:
    """Lines added above the paragraph at the top: read again, the same paragraph is at the
    top (it kept the offset, three lines earlier)."""
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    paragraphs = [f"Paragraph {n} says something of its own, number {n}." for n in range(60)]
    (corpus / "a.txt").write_text("Title\n\n" + "\n\n".join(paragraphs) + "\n", "utf-8")
    app = MarginApp(corpus, data_dir=tmp_path / "data")
    async with app.run_test(size=(80, 24)) as pilot:
        app = await until_loaded(pilot)
        app.open_article("a.txt")
        await settle(pilot, app, "a.txt")
        text = app.reader.article.text  # type: ignore[union-attr]
        app.reader.scroll_to_offset(text.index("Paragraph 30 "))
        await pilot.pause()
        added = "\n\n".join(f"New paragraph {n} added above." for n in range(3))
        edited = "Title\n\n" + added + "\n\n" + "\n\n".join(paragraphs) + "\n"
        (corpus / "a.txt").write_text(edited, "utf-8")
        await pilot.press("R")
        await until(
            pilot,
            lambda: app.reader.article is not None and "New paragraph" in app.reader.article.text,
            1500,
        )
        await pilot.pause(0.2)
        top = app.reader.top_offset
        assert edited[top:].startswith("Paragraph 30 ")
