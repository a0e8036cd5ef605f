"""A reading position brings back the caret with the view: on the words it was left on."""

from __future__ import annotations

import threading
from pathlib import Path

from pilots import until, until_loaded
from test_app_back import ITALIAN, META, SIZE, at, open_the_hit
from textual import events
from textual.pilot import Pilot

from tui.app import MarginApp
from tui.corpus import PREVIEW_BYTES
from tui.model import Article
from tui.paths import corpus_key
from tui.store import FILENAME, Store

ADDED = "Un paragrafo aggiunto sopra, dopo la prima lettura.\n\n"
"""Inserted after the Italian article's first paragraph: above the place left."""


def place(app: MarginApp) -> tuple[int, int]:
    """The reader's top line offset and caret."""
    return app.reader.top_offset, app.reader.caret


def words_at(app: MarginApp, offset: int) -> str:
    article = app.reader.article
    assert article is not None
    return article.text[offset : offset + 40]


def on_screen(app: MarginApp) -> bool:
    """Whether the caret's line is one of those the reader shows."""
    reader = app.reader
    layout = reader._layout
    assert layout is not None
    y = layout.y_of(reader.caret)
    top = round(reader.scroll_y)
    return top <= y < top + reader.scrollable_content_region.height


async def read_to_mid_screen(pilot: Pilot[None]) -> tuple[int, int]:
    """Open the Italian article, read a page on and put the caret a few lines down, on a word."""
    app = pilot.app
    assert isinstance(app, MarginApp)
    await pilot.press("enter", "space", "j", "j", "j", "w")
    await at(pilot, ITALIAN)
    top, caret = place(app)
    assert 0 < top < caret
    return top, caret


async def test_the_caret_comes_back_with_the_article(seeds: Path, tmp_path: Path) -> None:
    """Another article and back ([ and ], not Ctrl-O): the caret is on the word it was on."""
    app = MarginApp(seeds, data_dir=tmp_path / "data")
    async with app.run_test(size=SIZE) as pilot:
        app = await until_loaded(pilot)
        left = await read_to_mid_screen(pilot)
        await pilot.press("right_square_bracket")
        await at(pilot, META)
        assert place(app) != left
        await pilot.press("left_square_bracket")
        await at(pilot, ITALIAN)
        assert place(app) == left
        assert on_screen(app)


async def test_the_caret_comes_back_after_a_restart(seeds: Path, tmp_path: Path) -> None:
    app = MarginApp(seeds, data_dir=tmp_path / "data")
    async with app.run_test(size=SIZE) as pilot:
        app = await until_loaded(pilot)
        left = await read_to_mid_screen(pilot)
        await pilot.press("q")
    app = MarginApp(seeds, data_dir=tmp_path / "data")
    async with app.run_test(size=SIZE) as pilot:
        app = await until_loaded(pilot)
        await at(pilot, ITALIAN)
        assert place(app) == left
        assert app.focused is app.reader  # j moves on from the caret, not the top line
        await pilot.press("j")
        assert app.reader.caret > left[1]


async def test_a_view_scrolled_away_from_the_caret_comes_back_as_it_was(
    seeds: Path, tmp_path: Path
) -> None:
    """The wheel scrolled the caret out of view: the view comes back, not the caret's line
    (the caret is on the top line, where the next motion would have taken it)."""
    app = MarginApp(seeds, data_dir=tmp_path / "data")
    async with app.run_test(size=SIZE) as pilot:
        app = await until_loaded(pilot)
        await read_to_mid_screen(pilot)
        for _ in range(4):
            app.reader.post_message(
                events.MouseScrollDown(app.reader, 0, 0, 0, 0, 0, False, False, False)
            )
        await until(pilot, lambda: not on_screen(app))
        top = app.reader.top_offset
        await pilot.press("right_square_bracket")
        await at(pilot, META)
        await pilot.press("left_square_bracket")
        await at(pilot, ITALIAN)
        assert place(app) == (top, top)


async def test_a_smaller_terminal_scrolls_to_the_caret(seeds: Path, tmp_path: Path) -> None:
    """Left low in a tall terminal, reopened in a short one: the caret is in view, where
    the top line alone would leave it below the screen."""
    app = MarginApp(seeds, data_dir=tmp_path / "data")
    async with app.run_test(size=(80, 40)) as pilot:
        app = await until_loaded(pilot)
        await pilot.press("enter", *["j"] * 30)
        await at(pilot, ITALIAN)
        caret = app.reader.caret
        await pilot.press("q")
    app = MarginApp(seeds, data_dir=tmp_path / "data")
    async with app.run_test(size=SIZE) as pilot:
        app = await until_loaded(pilot)
        await at(pilot, ITALIAN)
        assert app.reader.caret == caret
        assert on_screen(app)


async def test_an_edit_above_keeps_the_caret_on_its_words(seeds: Path, tmp_path: Path) -> None:
    """A paragraph added above, while margin runs (R) and then across a restart."""
    file = seeds / ITALIAN
    app = MarginApp(seeds, data_dir=tmp_path / "data")
    async with app.run_test(size=SIZE) as pilot:
        app = await until_loaded(pilot)
        top, caret = await read_to_mid_screen(pilot)
        words = words_at(app, top), words_at(app, caret)
        first = file.read_text(encoding="utf-8").index("\n\n") + 2
        original = file.read_text(encoding="utf-8")
        file.write_text(original[:first] + ADDED + original[first:], encoding="utf-8")
        await pilot.press("R")
        await until(pilot, lambda: ADDED.strip() in app.reader.article.text)  # type: ignore[union-attr]
        await at(pilot, ITALIAN)
        assert place(app) == (top + len(ADDED), caret + len(ADDED))
        assert (words_at(app, app.reader.top_offset), words_at(app, app.reader.caret)) == words
        await pilot.press("q")
    file.write_text(original[:first] + ADDED * 2 + original[first:], encoding="utf-8")
    app = MarginApp(seeds, data_dir=tmp_path / "data")
    async with app.run_test(size=SIZE) as pilot:
        app = await until_loaded(pilot)
        await at(pilot, ITALIAN)
        assert (words_at(app, app.reader.top_offset), words_at(app, app.reader.caret)) == words
        assert app.reader.caret == caret + 2 * len(ADDED)


async def test_a_caret_past_the_end_of_a_shrunk_file_stays_in_it(
    seeds: Path, tmp_path: Path
) -> None:
    app = MarginApp(seeds, data_dir=tmp_path / "data")
    async with app.run_test(size=SIZE) as pilot:
        app = await until_loaded(pilot)
        await read_to_mid_screen(pilot)
        await pilot.press("q")
    file = seeds / ITALIAN
    file.write_text(file.read_text(encoding="utf-8")[:300], encoding="utf-8")
    app = MarginApp(seeds, data_dir=tmp_path / "data")
    async with app.run_test(size=SIZE) as pilot:
        app = await until_loaded(pilot)
        await at(pilot, ITALIAN)
        article = app.reader.article
        assert article is not None and len(article.text) <= 300
        assert 0 <= app.reader.caret < len(article.text)
        assert on_screen(app)
        await pilot.press("v", "e", "y")  # the caret is usable: select and copy from it
        await pilot.pause()


async def test_a_place_that_could_not_be_read_leaves_no_caret_behind(
    seeds: Path, tmp_path: Path
) -> None:
    """Ctrl-O to an article that could not be read: the caret it was going back to is not
    put on the next opening of the article (at a search hit: the caret is on the hit)."""
    app = MarginApp(seeds, data_dir=tmp_path / "data")
    async with app.run_test(size=SIZE) as pilot:
        app = await until_loaded(pilot)
        await read_to_mid_screen(pilot)
        await pilot.press("right_square_bracket")
        await at(pilot, META)
        whole = app.library.article
        app.library.article = lambda a: None if a == ITALIAN else whole(a)  # type: ignore[method-assign]
        await pilot.press("ctrl+o")
        await until(pilot, lambda: app.opening == META)
        app.library.article = whole  # type: ignore[method-assign]
        await open_the_hit(pilot, "litigante")
        await at(pilot, ITALIAN)
        assert app.reader.hits
        assert app.reader.caret == app.reader.hits[0][0]


BIG = "big.txt"


def big_corpus(tmp_path: Path) -> Path:
    """A small article and one big enough to be shown from its start while it is read."""
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    (corpus / "a.txt").write_text("A small one\n\nShort text.\n", encoding="utf-8")
    paragraphs = "".join(
        f"Paragraph {n}: prose about markets and chips, said the analyst. " * 6 + "\n\n"
        for n in range(2000)
    )
    (corpus / BIG).write_text("Zz big\n\n" + paragraphs, encoding="utf-8")  # 800 kB
    return corpus


def slow_to_read(app: MarginApp) -> threading.Event:
    """Hold the whole of the big article back until the event is set: its start is shown."""
    release = threading.Event()
    whole = app.library.article

    def article(article_id: str) -> Article | None:
        if article_id == BIG:
            release.wait(10)
        return whole(article_id)

    app.library.article = article  # type: ignore[method-assign]
    return release


async def start_shown(pilot: Pilot[None]) -> MarginApp:
    """Wait until the big article's start is shown and laid out, the reader focused."""
    app = pilot.app
    assert isinstance(app, MarginApp)

    def shown() -> bool:
        article = app.reader.article
        return (
            article is not None
            and article.id == BIG
            and article.partial
            and app.focused is app.reader
            and app.reader.max_scroll_y > 0
            and not app.reader.restoring
        )

    await until(pilot, shown, tries=500)
    return app


async def test_a_big_article_keeps_the_caret_moved_in_its_start(tmp_path: Path) -> None:
    """Keys used on the start shown at once: the whole article takes its place, caret
    included; and the next time it opens, its start shows the caret, and so does the whole."""
    corpus = big_corpus(tmp_path)
    app = MarginApp(corpus, data_dir=tmp_path / "data")
    async with app.run_test(size=SIZE) as pilot:
        app = await until_loaded(pilot)
        release = slow_to_read(app)
        app.read_article(BIG)
        await start_shown(pilot)
        await pilot.press("space", "j", "j", "j", "w")
        left = place(app)
        assert 0 < left[0] < left[1]
        release.set()
        await at(pilot, BIG)
        assert place(app) == left
        await pilot.press("q")
    app = MarginApp(corpus, data_dir=tmp_path / "data")
    release = slow_to_read(app)
    async with app.run_test(size=SIZE) as pilot:
        await start_shown(pilot)
        assert place(app) == left
        release.set()
        await at(pilot, BIG)
        assert place(app) == left


async def test_a_place_at_the_end_of_a_big_articles_start_waits_for_the_whole(
    tmp_path: Path,
) -> None:
    """The top line near the end of the start that a big article shows at once, the caret
    past it: the start could not scroll there, so the whole article is waited for, and
    shows the top line and the caret where they were left."""
    corpus = big_corpus(tmp_path)
    text = (corpus / BIG).read_text(encoding="utf-8")
    top = text.rindex("\n\n", 0, PREVIEW_BYTES - 400) + 2  # a paragraph's first line
    caret = text.index("Paragraph", PREVIEW_BYTES)
    with Store.open(tmp_path / "data" / FILENAME) as store:
        store.set_position(corpus_key(corpus), BIG, top, text, caret=caret)
        store.set_last_article(corpus_key(corpus), BIG)
    app = MarginApp(corpus, data_dir=tmp_path / "data")
    release = slow_to_read(app)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause(0.5)
        assert app.reader.article is None
        release.set()
        await at(pilot, BIG)
        assert place(app) == (top, caret)
        assert on_screen(app)
