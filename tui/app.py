"""The Textual app: a sidebar of articles and a reading pane.

A thin view over the core: ``Library`` lists, reads and searches the
corpus (in thread workers, so the UI only draws), and ``Store`` keeps the
user's positions, notes, highlights and bookmarks.
"""

from __future__ import annotations

import re
import sys
import time
from collections.abc import Callable, Iterable, Sequence
from functools import partial
from pathlib import Path
from typing import ClassVar
from weakref import WeakSet

from textual import events
from textual.app import App, ComposeResult, SystemCommand
from textual.binding import Binding, BindingType
from textual.command import CommandInput, CommandPalette
from textual.containers import Horizontal, Vertical
from textual.content import Content
from textual.keys import _character_to_key
from textual.screen import Screen
from textual.style import Style
from textual.widget import Widget
from textual.widgets import Input, Static, TextArea

from tui.corpus import Skipped, file_exists
from tui.entities import REJECT, TYPES, Mention
from tui.entities.statistical import SpacyNer
from tui.library import Library
from tui.model import Article, words_label
from tui.model import Span as TextSpan
from tui.motions import clamp
from tui.palette import Palette, TitleCommands
from tui.paths import cache_dir, corpus_key, data_dir
from tui.resources import styles_dir
from tui.screens.bookmarks import BookmarksScreen
from tui.screens.correct import CorrectionRequest, CorrectScreen, meaning
from tui.screens.help import HelpScreen, KeysFooter
from tui.screens.mentions import MentionsChoice, MentionsScreen
from tui.screens.note_editor import NoteEditor
from tui.screens.notes import ArticleNoteList, NoteList, NotesResult, NotesScreen
from tui.screens.problems import ProblemsScreen
from tui.screens.search import SearchChoice, SearchScreen
from tui.store import FILENAME, Position, Store
from tui.widgets.article_list import ArticleList, Entry
from tui.widgets.entity_list import EntityList, EntityRow
from tui.widgets.find import FindBar
from tui.widgets.focus import focus_now
from tui.widgets.later import RunsLater
from tui.widgets.layout import Layout
from tui.widgets.ordered import OrderedInput, OrderedTextArea, replay
from tui.widgets.reader import Reader
from tui.widgets.rows import RowList

REFRESH_SECONDS = 0.5
"""How often a running index build hands its progress and new articles to the UI."""
SWITCH_SECONDS = 0.001
"""How often the interpreter passes between threads (Python's default: 5 ms)."""
FIRST_ROWS = 100
"""Articles listed before the whole list, so a big corpus shows at once."""
RECHECK_SECONDS = 60.0
"""How often the folder is checked for changed, new and deleted files (in a child process)."""
KEPT_SECONDS = 3.0
"""Keys typed while an article was being read wait at most this long for it."""
HISTORY = 50
"""Places Ctrl-O can go back to: a session's detours, not every page ever read."""


def skipped_label(skipped: Sequence[Skipped]) -> str:
    """'2 files and 3 records', as many as were skipped: a JSONL line is a record, not a file."""
    records = sum(bool(_RECORD.search(s.path)) for s in skipped)
    counts = ((len(skipped) - records, "file"), (records, "record"))
    return " and ".join(f"{n} {noun}{'s' if n != 1 else ''}" for n, noun in counts if n)


_RECORD = re.compile(r"\.jsonl#\d+$", re.IGNORECASE)
"""The id of a JSONL record: its file's, and #line."""


def _escape_then(event: events.Key) -> tuple[events.Key, events.Key] | None:
    """Escape and the key after it, when the terminal read them as one Alt+key.

    Escape followed within Textual's escape delay by a letter reads as Alt+letter,
    and over SSH keys arrive together: 'Escape j' typed into the search box added
    a 'j' to the query. margin binds no Alt+character, so it is both keys again.
    """
    char = event.character
    if not event.key.startswith("alt+") or char is None or len(char) != 1:
        return None
    if not char.isprintable() or char.isspace():
        return None
    name = char if char.isalnum() else _character_to_key(char)
    return events.Key("escape", "\x1b"), events.Key(name, char)


class MarginApp(RunsLater, App[None]):
    """Read a corpus from the keyboard."""

    TITLE = "margin"
    CSS_PATH = [str(styles_dir() / "margin.tcss"), str(styles_dir() / "notes.tcss")]  # noqa: RUF012
    HORIZONTAL_BREAKPOINTS = [(0, "-tiny"), (50, "-narrow"), (70, "-normal")]  # noqa: RUF012
    COMMANDS = App.COMMANDS | {TitleCommands}

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("q", "quit", "Quit", id="app.quit"),
        # The footer holds what fits in 80 columns; ? lists every key, Ctrl-P included.
        Binding("question_mark", "help", "Keys", key_display="?", id="app.help"),
        Binding("slash", "search", "Search", key_display="/", id="app.search"),
        Binding("f", "find", "Find", id="app.find"),
        Binding(
            "left_square_bracket",
            "step(-1)",
            "Previous article",
            key_display="[",
            show=False,
            id="app.previous",
        ),
        Binding(
            "right_square_bracket",
            "step(1)",
            "Next article",
            key_display="]",
            show=False,
            id="app.next",
        ),
        # Ctrl-O as in vim's jump list; Escape already clears, and Backspace typed in a
        # burst before a box takes the focus would jump instead of deleting.
        Binding(
            "ctrl+o",
            "jump_back",
            "Back to the previous article and place",
            show=False,
            id="app.back",
        ),
        Binding("m", "bookmark", "Bookmark", id="app.bookmark"),
        Binding("a", "notes", "Notes", id="app.notes"),
        Binding(
            "apostrophe", "bookmarks", "Bookmarks", key_display="'", show=False, id="app.bookmarks"
        ),
        Binding("E", "pane('entities')", "Entities", show=False, id="app.entities"),
        Binding("A", "pane('article-notes')", "Notes here", show=False, id="app.article_notes"),
        Binding(
            "escape",
            "articles",
            "Entities or notes here: back to the articles",
            show=False,
            id="app.articles",
        ),
        Binding("s", "toggle_sidebar", "Sidebar", show=False, id="app.sidebar"),
        Binding("p", "problems", "Problems", show=False, id="app.problems"),
        Binding("R", "reread", "Re-read folder", show=False, id="app.reread"),
        Binding("tab", "app.focus_next", "Switch pane", show=False, id="app.focus_next"),
        # Vim's Ctrl-I is Tab in a terminal, which switches panes here: I, as in Ctrl-I.
        Binding(
            "I",
            "jump_forward",
            "Forward again after going back",
            show=False,
            id="app.forward",
        ),
    ]

    def __init__(
        self,
        root: Path,
        data_dir: Path | None = None,
        on_quit: Callable[[], None] | None = None,
        ner: SpacyNer | None = None,
    ) -> None:
        super().__init__()
        self.on_quit = on_quit
        """Called as quitting begins (the command arms its exit watchdog here)."""
        # Over SSH every animation frame is bytes on the wire: jump, don't glide.
        self.animation_level = "none"
        self.root = root
        self.data_dir = data_dir
        self.corpus = corpus_key(root)
        self.library = Library(root, cache_dir(data_dir) / "index", ner)
        self.skipped: list[Skipped] = []
        self.loaded = False
        self._stamp: tuple[int, int] | None = None
        """``Library.stamp`` when the sidebar's listing was read (None: none yet)."""
        self.store: Store | None = None
        self.last_query = ""
        self._find_from = 0  # where the caret was when the find bar opened
        self.mentions: list[Mention] = []
        self.opening: str | None = None
        """The article being read off the UI thread; a later request wins."""
        self.closing = False
        """Set on quit: the background refresh stops and its child process is ended."""
        self.refreshing = False
        """A refresh of the index is under way."""
        self.recheck = False
        """Asked for while a refresh was under way: another one follows it."""
        self._gone: str | None = None
        """The open article whose file was found deleted (said once)."""
        self._unreadable: set[str] = set()
        """Articles that could not be read when opened (not opened again at start)."""
        self._corrections: list[tuple[str, str, str | None]] | None = None
        """The corrections the library recognizes with now."""
        self._handed_on: WeakSet[events.Key] = WeakSet()
        """Keys ``_typed_ahead`` gave a box: one that comes back up was not the box's."""
        self.reattaching: str | None = None
        """An orphaned note waiting for the user to select its new text."""
        self.history: list[tuple[str, int, int]] = []
        """(article, top offset, caret) left by each jump, newest last: what Ctrl-O returns to.

        Kept here, not in the store: it is where this session has been, a view concern."""
        self.ahead: list[tuple[str, int, int]] = []
        """Places Ctrl-O went back from, the latest last: what I goes forward to. A new jump
        drops them, as in vim and browsers."""
        self._caret_due: tuple[str, int] | None = None
        """Where the caret goes once the article being opened is shown, when not at its
        place's: the caret Ctrl-O returns to."""
        self._played: WeakSet[events.Key] = WeakSet()
        """Keys ``_play_for_article`` sent on: never kept a second time."""
        self._for_article: list[events.Key] = []
        """Keys typed to the reader while the article chosen was being read: they act on
        it once it is shown ('/nvidia⏎⏎ftesla' in one burst finds in the hit's article)."""

    def compose(self) -> ComposeResult:
        with Horizontal(id="body"):
            yield ArticleList(id="sidebar")
            yield EntityList(id="entities")
            yield ArticleNoteList({}, id="article-notes")
            with Vertical(id="main"):
                with Vertical(id="meta"):
                    yield Static(id="title")
                    yield Static(id="details")
                yield Reader(id="reader")
                yield FindBar(id="find")
        # ? pinned right: at 40 columns the focused pane's keys pushed it off the line.
        yield KeysFooter(show_command_palette=False)

    @property
    def sidebar(self) -> ArticleList:
        return self.query_one(ArticleList)

    @property
    def reader(self) -> Reader:
        return self.query_one(Reader)

    async def on_event(self, event: events.Event) -> None:
        # Not in a note being written: there an Alt key types its letter (and Escape
        # would start to cancel the note).
        if isinstance(event, events.Key) and not isinstance(self.focused, TextArea):
            split = None if event.is_forwarded else _escape_then(event)
            if split is not None:
                for key in split:
                    await super().on_event(key)
                return
        if (
            isinstance(event, events.Key)
            and event.is_forwarded
            and (self._typed_ahead(event) or self._kept_for_article(event))
        ):
            return
        await super().on_event(event)

    def _kept_for_article(self, event: events.Key) -> bool:
        """Keep a key for the article being opened, if the reader has not shown it yet."""
        shown = self.reader.article
        if (
            self.focused is not self.reader
            or self.opening is None
            or (shown is not None and shown.id == self.opening)
        ):
            return False
        if event in self._played:  # kept once already: it goes on, whatever happened
            self._played.discard(event)
            return False
        event.stop()
        event.prevent_default()
        if not self._for_article:
            self.set_timer(KEPT_SECONDS, self._play_for_article)
        self._for_article.append(events.Key(event.key, event.character))
        return True

    def _play_for_article(self) -> None:
        keys, self._for_article = self._for_article, []
        self._played.update(replay(self, keys))

    def _typed_ahead(self, event: events.Key) -> bool:
        """Hand on a letter typed ahead of a box that has just taken the focus.

        In a burst (over SSH, keys arrive together) each key is routed to the
        focused widget as it comes, before the key that moves the focus (`/`,
        `f`, `n`) has been handled: the letters after it went to the old
        widget and ran as commands ("fxai": `a` opened the notes). A box
        keeps every letter typed into it, so one that comes back up here
        from elsewhere was meant for the box, or for the screen just opened.
        Its editing keys go the same way, to keep their place among the
        letters (the box runs their bindings itself: ``tui.widgets.ordered``).
        """
        if event in self._handed_on:  # the box had no use for it: the usual way
            self._handed_on.discard(event)
            return False
        focused = self.focused
        target: Widget
        if isinstance(focused, OrderedInput | OrderedTextArea) or (
            event.is_printable and isinstance(focused, Input | TextArea)
        ):
            target = focused
        elif event.is_printable and focused is None and len(self.screen_stack) > 1:
            target = self.screen
        else:
            return False
        key = events.Key(event.key, event.character)
        self._handed_on.add(key)
        target.post_message(key)
        return True

    def on_mount(self) -> None:
        # Reading, recognizing and laying out big articles runs in threads; a thread
        # that waits on SQLite or the terminal gets the interpreter back only when
        # the busy one yields. 1 ms instead of 5 keeps keys and drawing prompt.
        sys.setswitchinterval(SWITCH_SECONDS)
        self.reader.use = self.on_reader_use
        self.store = Store.open(data_dir(self.data_dir) / FILENAME)
        if self.store.problem:
            self.notify(self.store.problem, title="Store", severity="warning", markup=False)
        # The last article read opens while the corpus is listed (seconds at 100,000),
        # with the keys, to read on; else the keys choose an article. Under its new
        # name if the index saw its file renamed.
        self._follow_renames()
        if last := self.store.last_article(self.corpus):
            self.read_article(last)
        else:
            focus_now(self.sidebar)
        self._load()
        self.set_interval(RECHECK_SECONDS, self._load)

    # -- loading -----------------------------------------------------------------

    def _load(self) -> None:
        """List the corpus from the index at once, then refresh it in a child process.

        Again every ``RECHECK_SECONDS`` and on ``R``: files changed, added or
        deleted while margin runs are picked up.
        """
        if self.refreshing:
            self.recheck = True
            return
        self.refreshing, self.recheck = True, False

        def done(_: object) -> None:
            self.refreshing = False
            if self.recheck and not self.closing:
                self._load()

        def failed(exc: Exception) -> None:
            self.refreshing = False
            self._failed(exc)

        self.in_background(self._refresh, done, failed)

    def action_reread(self) -> None:
        """Check the folder for changed, new and deleted files now."""
        self.notify("Checking the folder for changes…", markup=False)
        self._load()

    def _failed(self, exc: Exception) -> None:
        self.notify(f"{type(exc).__name__}: {exc}", title="margin", severity="error", markup=False)

    def _refresh(self) -> None:
        """In the background: list what the index has, then bring it up to date."""
        library = self.library
        if library.index is None and library.open():
            self._follow_renames(moves=True)
            # A screenful first (opens an article), then every article.
            self.later(self._listed, library.first(FIRST_ROWS), False, library.count())
            self._list_all(done=False)
        corrections = self._apply_corrections()  # after the listing: it loads the gazetteer
        # Articles the sidebar has (-1: none listed yet).
        listed = library.count() if self._stamp is not None else -1
        last, checked = 0.0, False

        def progress(done: int, total: int) -> None:
            """The sidebar fills as the build commits articles."""
            nonlocal listed, last
            self.later(self._progress, done, total)
            if time.monotonic() - last >= REFRESH_SECONDS:
                last = time.monotonic()
                if library.index is None:
                    library.open()
                else:
                    library.refresh()
                if library.count() != listed:
                    listed = library.count()
                    self._list_all(done=False)

        def indexed(changes: int) -> None:
            nonlocal checked
            checked = True
            # Changed by this check, or by another process since the sidebar's listing.
            if changes or library.stamp() != self._stamp:
                self._follow_renames(moves=True)
                self._list_all(done=True)
            elif not self.loaded:  # nothing new: what is listed is the corpus
                self.later(self._listed, None, True)

        def waiting(pid: int | None) -> None:
            self.later(self._waiting, pid)

        library.update_in_child(corrections, progress, lambda: self.closing, indexed, waiting)
        if not self.closing and not checked:  # the child failed: the check ran here
            self._follow_renames(moves=True)
            self._list_all(done=True)

    def _list_all(self, done: bool) -> None:
        """Send every article the index has to the sidebar (from the background), noting the
        index's stamp first: a listing is read again only when the index changed since. On
        100,000 articles each is 0.4 s of this thread and 86 MB held until drawn."""
        self._stamp = self.library.stamp()
        self.later(self._listed, self.library.entries(), done)

    def _follow_renames(self, moves: bool = False) -> None:
        """Notes, bookmarks and positions follow the files the index saw renamed; ``moves``
        (off the UI thread, the whole corpus listed): and those moved in two steps, found
        by the texts' hashes."""
        if self.store is not None:
            self.store.follow_renames(self.corpus, self.library.renames())
            hashes = self.library.hashes() if moves else {}
            if hashes:
                self.store.follow_moves(self.corpus, hashes, partial(file_exists, self.root))

    def _ask_palette_again(self) -> None:
        """Ctrl-P typed into before the titles it looks for were listed (a build's first
        second) said "no matches": the palette searches again as titles arrive."""
        palette = self.screen
        if isinstance(palette, CommandPalette):
            box = palette.query_one(CommandInput)
            if box.value.strip():
                box.post_message(Input.Changed(box, box.value))

    def _progress(self, done: int, total: int) -> None:
        # (0, 0): nothing to read (a check that found no change)
        self.sidebar.border_subtitle = (
            f"indexing {done:,}/{total:,}" if total else ("reading…" if done else "")
        )

    def _waiting(self, pid: int | None) -> None:
        """Another process (``margin index``) builds this corpus's index: this one waits."""
        holder = f" (pid {pid})" if pid else ""
        self.sidebar.border_subtitle = f"waiting for another build{holder}"

    def _listed(
        self, entries: Sequence[Entry] | None, done: bool, total: int | None = None
    ) -> None:
        """Show ``entries`` in the sidebar (None: those it shows); ``done``: the check is over."""
        if entries is None:
            entries = self.sidebar.entries
        else:
            self.sidebar.set_entries(entries, total)
        self._refresh_marks()
        self._ask_palette_again()
        if done:
            self.sidebar.border_subtitle = ""
            self.skipped = self.library.skipped()
            self._check_open()
        if done and not self.loaded:
            self.loaded = True
            if not entries:
                self.sidebar.set_empty_text("No articles here.")
                self._show_meta(None)
            if self.library.problem:
                self.notify(self.library.problem, severity="warning", markup=False)
            if self.skipped:
                self.notify(
                    f"{skipped_label(self.skipped)} skipped: press p to see why.",
                    severity="warning",
                    markup=False,
                )
        if self.reader.article is None and self.opening is None and entries:
            self._open_first()
        elif self.sidebar.current is not None and not self.loaded:
            index = self.sidebar.index_of(self.sidebar.current)
            if index is not None:
                self.sidebar.cursor = index

    def _check_open(self) -> None:
        """The open article's file changed on disk: read it again where the reader is."""
        article = self.reader.article
        if article is None or article.partial or self.opening != article.id:
            return
        entry = self.sidebar.entry(article.id)
        renamed = self.library.renames().get(article.id) if entry is None else None
        if renamed is not None and self.sidebar.entry(renamed) is not None:
            self.notify(f"{article.id} was renamed to {renamed}: read on there.", markup=False)
            self._caret_due = (renamed, self.reader.caret_in_view)
            self.open_article(renamed, at=self.reader.top_offset, remember=False)
        elif entry is None:
            if self._gone != article.id:
                self._gone = article.id
                self.notify(
                    f"{article.id} is no longer in the folder; its notes are kept.",
                    severity="warning",
                    markup=False,
                )
        elif entry.hash != article.hash:
            self.notify(f"{article.id} changed on disk: read again.", markup=False)
            # At the saved position (opening saves it, with its text): the same paragraph,
            # wherever the edit moved it, not the same offset.
            self.open_article(article.id, remember=False)

    def _open_first(self) -> None:
        last = self.store.last_article(self.corpus) if self.store else None
        if last is None or last in self._unreadable or self.sidebar.index_of(last) is None:
            last = self.sidebar.entries[0].id
        self.open_article(last)
        index = self.sidebar.index_of(last)
        if index is not None:
            self.sidebar.cursor = index

    # -- reading -----------------------------------------------------------------

    def open_article(
        self,
        article_id: str,
        hits: list[tuple[int, int]] | None = None,
        at: int | None = None,
        remember: bool = True,
    ) -> None:
        """Show an article (read off the UI thread) at ``at``, its first hit or saved position.

        ``remember``: the place being left goes into ``history`` (not when going back, or
        when the same article is read again after a change on disk).
        """
        current = self.reader.article
        # Opening the article being read at its saved place moves nowhere.
        moves = current is not None and (
            current.id != article_id or hits is not None or at is not None
        )
        if remember:
            self._caret_due = None  # a new jump: a caret Ctrl-O or I meant for it is stale
            if moves:
                self._remember()
        self._save_position()
        self.sidebar.current = article_id
        index = self.sidebar.index_of(article_id)
        if index is not None:
            self.sidebar.cursor = index
        self.opening = article_id
        width = self.reader.text_width

        def read() -> tuple[Article, Layout] | None:
            """All the work of opening that the UI thread need not do."""
            start = self.library.preview(article_id)
            if start is not None:
                self.later(self._show_start, article_id, start, hits, at)
            article = self.library.article(article_id)
            if article is None:
                return None
            article.hash  # noqa: B018 - cached: hashing 20 MB is not the UI thread's job
            return article, Layout.first(article.text, article.blocks, width)

        self.in_background(
            read,
            lambda read: self._show(article_id, read, hits, at),
            lambda exc: self._show(article_id, None, hits, at, exc),
        )

    def read_article(
        self, article_id: str, hits: list[tuple[int, int]] | None = None, at: int | None = None
    ) -> None:
        """Open an article the user chose, and give the reader the keys (j, v, n...)."""
        self.open_article(article_id, hits, at)
        focus_now(self.reader)

    def _place(
        self, article_id: str, text: str, hits: list[tuple[int, int]] | None, at: int | None
    ) -> Position:
        """Where to open (the top line) and put the caret: ``at``, else the first hit, else
        the saved position (found again in ``text``); the caret Ctrl-O returns to wins."""
        if at is not None:
            place = Position(at, at)
        elif hits:
            place = Position(hits[0][0], hits[0][0])
        else:
            saved = self.store.position(self.corpus, article_id, text) if self.store else None
            place = saved or Position(0, 0)
        return self._with_due_caret(article_id, place)

    def _with_due_caret(self, article_id: str, place: Position) -> Position:
        due = self._caret_due
        return Position(place.top, due[1]) if due and due[0] == article_id else place

    def _show_start(
        self,
        article_id: str,
        start: Article,
        hits: list[tuple[int, int]] | None,
        at: int | None,
    ) -> None:
        """Show the start of a big article at once; the whole takes its place later."""
        place = self._place(article_id, start.text, hits, at)
        # Not for a place within a screen or two of the start's end: the view cannot scroll
        # that far (it stops at the text's end), and the whole would keep where it stopped.
        room = 2 * self.size.height * self.size.width  # (the reader may not be laid out yet)
        if article_id == self.opening and max(place.top, place.caret) + room < len(start.text):
            self.reader.show(start, place.top, caret=place.caret)
            self._caret_due = None  # put: keys typed on the start move it from there
            self._show_meta(start)
            self._play_for_article()

    def _show(
        self,
        article_id: str,
        read: tuple[Article, Layout] | None,
        hits: list[tuple[int, int]] | None,
        at: int | None,
        failed: Exception | None = None,
    ) -> None:
        """Show the article read (None: it could not be read, ``failed`` said why)."""
        if article_id != self.opening:
            return  # the user has moved on to another article meanwhile
        try:
            if failed is not None:
                self._failed(failed)
            if read is None:
                self._unreadable.add(article_id)
                if self.reader.article is None:  # the last article read has gone: open another
                    self.opening = None
                    if self.sidebar.entries:
                        self._open_first()
                    return
                if failed is None:
                    message = f"{article_id} can no longer be read."
                    self.notify(message, severity="error", markup=False)
                self.opening = self.reader.article.id  # the one still shown, still read
                return
            article, layout = read
            shown = self.reader.article
            if shown is not None and shown.partial and shown.id == article_id:
                # The place reached in the start, caret included.
                place = Position(self.reader.top_offset, self.reader.caret_in_view)
                place = self._with_due_caret(article_id, place)
            else:
                at = None if at is None else clamp(article.text, at)
                place = self._place(article_id, article.text, hits, at)
            self.reader.show(article, place.top, layout, caret=place.caret)
            self.reader.set_hits(hits or [])
            self._show_meta(article)
            if self.store:
                self.store.set_last_article(self.corpus, article_id)
                self.store.set_read(self.corpus, article_id)
            self._draw_annotations()
            self._refresh_marks()
            self._recognize(article)
        finally:
            self._caret_due = None  # put, or its article could not be read
            self._play_for_article()  # the keys typed while it was read, now it is shown

    def _recognize(self, article: Article) -> None:
        """Find the article's entities off the UI thread, then draw them."""
        self.in_background(
            lambda: self.library.mentions(article),
            lambda mentions: self._draw_mentions(article, mentions),
            self._failed,
        )

    def _draw_mentions(self, article: Article, mentions: list[Mention]) -> None:
        if article is not self.reader.article:
            return
        self.mentions = mentions
        self.reader.set_layer(
            "entities", [TextSpan(m.start, m.end, m.type.lower()) for m in mentions]
        )
        self.query_one(EntityList).set_mentions(mentions)

    def _show_meta(self, article: Article | None) -> None:
        title = self.query_one("#title", Static)
        details_line = self.query_one("#details", Static)
        if article is None:
            title.update(Content(""))
            details_line.update(Content(""))
            return
        details = " · ".join(
            x
            for x in (
                article.date or "undated",
                article.language,
                article.source,
                article.author,
                "reading the rest…" if article.partial else words_label(article),
                article.encoding,
            )
            if x
        )
        # First, and short: the line is cut at the pane's edge; p shows them in full.
        count = len(article.problems)
        problems = f"⚠ {count} problem{'s' if count != 1 else ''} (p) · " if count else ""
        title.update(Content.from_markup("[b]$title[/b]", title=article.title))
        details_line.update(
            Content.from_markup(
                "[$warning]$problems[/][dim]$details[/dim]", details=details, problems=problems
            )
        )

    def _here(self) -> tuple[str, int, int] | None:
        """The article being read, its top line's offset and the caret: a place to come
        back to."""
        article = self.reader.article
        if article is None:
            return None
        return (article.id, self.reader.top_offset, self.reader.caret_in_view)

    def _remember(self) -> None:
        """Keep the place being left, so that Ctrl-O can return to it; a new jump drops
        the places I would have gone forward to."""
        here = self._here()
        self.ahead.clear()
        if here is not None and (not self.history or self.history[-1] != here):
            self.history.append(here)
            del self.history[:-HISTORY]

    def action_jump_back(self) -> None:
        """Go back to the article and place the last jump left (again: the one before).

        Every way of leaving an article for another, or of jumping inside it
        (a hit, a bookmark, a note, Ctrl-P, the sidebar, [ and ]), is a place
        to come back to; scrolling is not. Said, not silent, when there is none.
        """
        if self._step_through(self.history, self.ahead):
            return
        self.notify("Nothing to go back to.", timeout=2, markup=False)

    def action_jump_forward(self) -> None:
        """Go forward again to the place Ctrl-O went back from (again: the one after)."""
        if self._step_through(self.ahead, self.history):
            return
        self.notify("Nothing to go forward to.", timeout=2, markup=False)

    def _step_through(
        self, places: list[tuple[str, int, int]], passed: list[tuple[str, int, int]]
    ) -> bool:
        """Go to the latest of ``places`` that is not here, keeping here in ``passed`` to
        come back to; False when there is none."""
        here = self._here()
        while places and places[-1] == here:
            places.pop()
        if not places:
            return False
        if here is not None and (not passed or passed[-1] != here):
            passed.append(here)
            del passed[:-HISTORY]
        self._go_to(places.pop())
        return True

    def _go_to(self, place: tuple[str, int, int]) -> None:
        """Show a place of the history: its article, top line and caret."""
        article_id, offset, caret = place
        shown = self.reader.article
        if shown is not None and shown.id == article_id and self.opening == article_id:
            self.reader.scroll_to_offset(offset)  # a jump inside this article: no re-reading
            self.reader.put_caret(caret)
        else:
            self._caret_due = (article_id, caret)
            self.open_article(article_id, at=offset, remember=False)

    def _save_position(self) -> None:
        """Keep where the article is left, the top line and the caret, for its next opening."""
        article = self.reader.article
        if article is not None and self.store is not None:
            digest = None if article.partial else article.hash  # (hashed off the UI thread)
            top, caret = self.reader.top_offset, self.reader.caret_in_view
            self.store.set_position(
                self.corpus, article.id, top, article.text, text_hash=digest, caret=caret
            )

    # -- search ------------------------------------------------------------------

    def action_search(self) -> None:
        """Search every article as you type."""

        screen = SearchScreen(self.library.search, self.last_query)

        def chosen(choice: SearchChoice | None) -> None:
            self.last_query = screen.typed  # kept when nothing was opened, too
            if choice is not None:
                self.read_article(choice.article_id, choice.spans)
                replay(self, choice.then)

        self.push_screen(screen, chosen)

    def action_find(self) -> None:
        """Find words in this article only, with the same rules as search."""
        if self.reader.article is not None:
            self._find_from = self.reader.caret
            self.query_one(FindBar).open(self.reader.article.text, self.reader)

    def on_find_bar_found(self, event: FindBar.Found) -> None:
        self.reader.set_hits(event.spans, near=self._find_from)
        if event.done:
            focus_now(self.reader)
        elif event.spans:
            self.query_one(FindBar).at(self.reader.hit, len(self.reader.hits))

    # -- annotations ---------------------------------------------------------------

    def _draw_annotations(self) -> None:
        """Lay the article's highlights and notes over its text."""
        article = self.reader.article
        if article is None or self.store is None:
            return
        placed = self.store.placed(self.corpus, article.id, article.text, article.hash)
        notes = self.query_one(NoteList)
        notes.titles = {article.id: article.title}
        notes.set_shown(placed)
        notes.border_title = f"Notes here ({len(placed)})"
        notes.empty_text = "None yet: select text (v), then n for a note or h to highlight."
        self.reader.set_layer(
            "annotations",
            [
                TextSpan(p.anchor.start, p.anchor.end, p.annotation.kind)
                for p in placed
                if p.anchor.status != "orphaned"
            ],
        )

    def _refresh_marks(self) -> None:
        """Tell the sidebar which articles are read, bookmarked or annotated."""
        if self.store is not None:
            self.sidebar.set_marks(
                read=self.store.read_articles(self.corpus),
                bookmarked=self.store.bookmarked_articles(self.corpus),
                annotated=self.store.annotated_articles(self.corpus),
            )

    def _writable_store(self) -> Store | None:
        if self.store is None or self.store.read_only:
            self.notify(
                (self.store.problem if self.store else None) or "The store is read-only.",
                title="Not saved",
                severity="error",
                markup=False,
            )
            return None
        return self.store

    def on_reader_use(self, event: Reader.Use) -> None:
        """Highlight, annotate or copy what the reader has selected."""
        article = self.reader.article
        if article is None:
            return
        if article.partial:
            self.notify("Still reading this article: try again in a moment.", markup=False)
            return
        quote = article.text[event.start : event.end]
        if event.what == "copy":
            self.copy_to_clipboard(quote)
            self.notify(f"Copied {len(quote)} characters.", markup=False)
            return
        store = self._writable_store()
        if store is None:
            return
        if event.what == "highlight":
            _, new = store.highlight_once(
                self.corpus, article.id, article.text, event.start, event.end
            )
            if not new:
                self.notify("Already highlighted.", markup=False)
            self._annotated()
        elif event.what == "note":
            self._write_note(article, event.start, event.end)
        elif event.what == "correct":
            self._correct(article, event.start, event.end)

    def _correct(self, article: Article, start: int, end: int) -> None:
        """Ask what the text at ``start:end`` is; the answer applies corpus-wide at once."""
        surface = " ".join(article.text[start:end].split())
        mention = next((m for m in self.mentions if m.start <= start and m.end >= end), None)

        def decided(request: CorrectionRequest | None) -> None:
            if request is None or self.store is None:
                return
            kind, name = request.type, request.name
            # Merged into an entity the corpus knows: its type, one type per entity (the
            # type chosen beside it made a second entity of the same name).
            known = self.library.type_of(name) if name and kind != REJECT else None
            kind = known or kind
            self.store.add_correction(request.surface, kind, name)
            self._apply_corrections()
            self._recognize(article)
            what = "not an entity" if kind == REJECT else meaning(kind)
            if name and kind != REJECT:
                what = f"{name}, {what}" + (" as elsewhere" if kind != request.type else "")
            self.notify(f"{request.surface}: {what}, everywhere.", markup=False)

        current = (mention.type, mention.name) if mention else None
        self.push_screen(CorrectScreen(surface, current), decided)

    def _apply_corrections(self) -> list[tuple[str, str, str | None]]:
        """Recognize with the user's corrections (and gazetteer file) from now on."""
        corrections = (
            [(c.surface, c.type, c.name) for c in self.store.corrections()] if self.store else []
        )
        if corrections != self._corrections:  # a recheck must not rebuild the gazetteer
            self.library.set_corrections(corrections)
            self._corrections = corrections
        return corrections

    def _write_note(self, article: Article, start: int, end: int) -> None:
        if self.reattaching is not None and self.store is not None:
            note_id, self.reattaching = self.reattaching, None
            self.store.reattach(note_id, article.text, start, end)
            self.notify("The note is attached to the new text.", markup=False)
            self._annotated()
            return

        def save(body: str | None) -> None:
            if body is not None and self.store is not None:
                self.store.add_note(self.corpus, article.id, article.text, start, end, body)
                self._annotated()

        self.push_screen(NoteEditor(article.text[start:end]), save)

    def _annotated(self) -> None:
        self._draw_annotations()
        self._refresh_marks()

    def action_bookmark(self) -> None:
        """Bookmark this article at the current position, or remove its bookmark."""
        article = self.reader.article
        store = self._writable_store() if article else None
        if article is None or store is None:
            return
        added = store.toggle_bookmark(self.corpus, article.id, self.reader.top_offset)
        self.notify("Bookmarked." if added else "Bookmark removed.", markup=False)
        self._refresh_marks()

    def _titles(self) -> dict[str, str]:
        return {e.id: e.title for e in self.sidebar.entries}

    def action_notes(self) -> None:
        """Every note and highlight of the corpus, filtered as you type."""
        if self.store is None:
            return
        placed = self.store.placed_in_corpus(self.corpus, self.library.hashes(), self.library.text)

        def chosen(result: NotesResult | None) -> None:
            self._annotated()
            if result is not None:
                self.read_article(result.article, at=result.start)
                if result.status == "orphaned":
                    self.reattaching = result.annotation_id
                    self.notify(
                        "This note lost its text: select the new text (v) and press n.",
                        markup=False,
                    )

        self.push_screen(NotesScreen(self.store, placed, self._titles()), chosen)

    def action_bookmarks(self) -> None:
        """The bookmarked articles; Enter goes back to where each was bookmarked."""
        if self.store is None:
            return
        store = self.store

        def chosen(article_id: str | None) -> None:
            self._refresh_marks()
            mark = store.bookmark(self.corpus, article_id) if article_id else None
            if article_id is not None:
                self.read_article(article_id, at=mark.offset if mark else None)

        marks = store.bookmarks(self.corpus)
        screen = BookmarksScreen(store, marks, self._titles(), self.library.stored_text)
        self.push_screen(screen, chosen)

    MAIN_ONLY = frozenset(
        {
            "search",
            "find",
            "step",
            "jump_back",
            "jump_forward",
            "bookmark",
            "notes",
            "bookmarks",
            "toggle_sidebar",
            "problems",
            "pane",
            "articles",
        }
    )
    """Actions that act on the reader: off while another screen is on top."""

    SELECTING_OFF = frozenset({"bookmark", "notes"})
    """Off while text is selected: the footer has room for what a selection can do."""

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action in self.SELECTING_OFF and self.reader.selecting_from is not None:
            return False
        return not (action in self.MAIN_ONLY and len(self.screen_stack) > 1)

    def on_row_list_chosen(self, event: RowList.Chosen) -> None:
        if event.rows is self.sidebar:
            self.read_article(self.sidebar.entries[event.index].id)
        elif isinstance(event.rows, EntityList):
            self._list_mentioning(event.rows.rows[event.index])
        elif isinstance(event.rows, NoteList):
            placed = event.rows.shown[event.index]
            self._remember()
            self.reader.scroll_to_offset(placed.anchor.start)
            focus_now(self.reader)

    def _list_mentioning(self, row: EntityRow) -> None:
        """Every article that mentions the entity (looked up off the UI thread)."""
        self.in_background(
            lambda: self.library.articles_mentioning(row.name, row.type),
            lambda found: self._show_mentioning(row, found),
            self._failed,
        )

    def _show_mentioning(self, row: EntityRow, found: list[tuple[str, int, int]]) -> None:
        article = self.reader.article
        if not found and article is not None:
            # The entity pass has not stored this one yet: this article is known to name it.
            found = [(article.id, row.count, row.first)]
            self.notify("Other articles are listed once indexing is done.", markup=False)
        titles = {aid: e.title for aid, _, _ in found if (e := self.sidebar.entry(aid))}

        def chosen(choice: MentionsChoice | None) -> None:
            if choice is None:
                return
            if choice.filter:
                self.sidebar.set_filter(row.name, choice.filter)
                self.action_pane("sidebar")
            elif choice.article_id is not None:
                self.read_article(choice.article_id, at=choice.offset)

        self.push_screen(MentionsScreen(row.name, found, titles, self.library.text), chosen)

    # -- actions -----------------------------------------------------------------

    def action_step(self, step: int) -> None:
        """Open the previous or next article of the sidebar."""
        sidebar = self.sidebar
        if not sidebar.entries:
            return
        index = sidebar.index_of(sidebar.current) if sidebar.current else None
        target = 0 if index is None else min(max(index + step, 0), len(sidebar.entries) - 1)
        if target == index:
            self.notify(f"This is the {'last' if step > 0 else 'first'} article.", markup=False)
            return
        sidebar.cursor = target
        self.open_article(sidebar.entries[target].id)

    def action_toggle_sidebar(self) -> None:
        """Hide or show the left pane (for narrow terminals)."""
        shown = [p for p in self.LEFT_PANES if self.query_one(f"#{p}").display]
        if shown:
            for pane in shown:
                self.query_one(f"#{pane}").display = False
            focus_now(self.reader)
        else:
            self.sidebar.display = True

    LEFT_PANES = ("sidebar", "entities", "article-notes")
    """What the left pane can show: the articles, this article's entities or its notes."""

    def action_pane(self, name: str) -> None:
        """Show ``name`` in the left pane instead of the articles (again: back to them)."""
        current = next((p for p in self.LEFT_PANES if self.query_one(f"#{p}").display), None)
        target = "sidebar" if current == name else name
        for pane in self.LEFT_PANES:
            self.query_one(f"#{pane}").display = pane == target
        focus_now(self.query_one(f"#{target}"))

    def action_articles(self) -> None:
        """Escape in the entities or the notes of the left pane: the articles again."""
        if self.focused is not None and self.focused.id in self.LEFT_PANES[1:]:
            self.action_pane("sidebar")

    def action_help(self) -> None:
        """Show every key."""
        self.push_screen(HelpScreen(self.key_sections(), self.legend()))

    def legend(self) -> list[tuple[str, Style]]:
        """Each kind of mark the reader draws, in its own style (colour and text style)."""
        kinds = [t.lower() for t in TYPES] + ["highlight", "note", "hit", "selection"]
        return [(kind, self.reader.get_visual_style(f"reader--{kind}")) for kind in kinds]

    def action_problems(self) -> None:
        """Show the skipped files and the article being read, if it had a problem."""
        rows = [(s.path, s.reason) for s in self.skipped]
        article = self.reader.article
        if article is not None:
            rows += [(article.id, p) for p in article.problems]
        self.push_screen(ProblemsScreen(rows))

    def action_command_palette(self) -> None:
        """Ctrl-P: the command palette, whose Enter waits for the hits of what was typed."""
        if self.use_command_palette and not isinstance(self.screen, CommandPalette):
            self.push_screen(Palette(id="--command-palette"))

    def key_sections(self) -> list[tuple[str, list[Binding]]]:
        """The bindings of the app and of each pane, for the help screen."""
        sections: list[tuple[str, list[Binding]]] = []
        # The panes' and screens' own keys too: e, d, u of the notes were nowhere listed.
        for title, node in (
            ("Everywhere", self),
            ("Articles", self.sidebar),
            ("Reader", self.reader),
            ("Entities (E)", EntityList),
            ("An entity's articles (Enter in E)", MentionsScreen),
            ("Notes here (A)", ArticleNoteList),
            ("Notes and highlights (a)", NotesScreen),
            ("Bookmarks (')", BookmarksScreen),
            ("Note editor (n)", NoteEditor),
        ):
            bindings = [b for b in node.BINDINGS if isinstance(b, Binding)]
            sections.append((title, bindings))
        # Textual's own binding: listed here, beside /, so the title jump is found.
        jump = Binding(
            self.COMMAND_PALETTE_BINDING, "command_palette", "Jump to an article by title"
        )
        everywhere = sections[0][1]
        at = next((i + 1 for i, b in enumerate(everywhere) if b.id == "app.search"), 0)
        everywhere.insert(at, jump)
        return sections

    def get_system_commands(self, screen: Screen[object]) -> Iterable[SystemCommand]:
        # Textual's own "Keys" (a panel of the focused widget's keys) beside margin's is
        # one title twice: margin's lists them all.
        yield from (c for c in super().get_system_commands(screen) if c.title != "Keys")
        yield SystemCommand("Keys", "Show every key of margin", self.action_help)
        yield SystemCommand("Search", "Search every article", self.action_search)
        yield SystemCommand("Notes", "Every note and highlight", self.action_notes)
        yield SystemCommand("Bookmarks", "The bookmarked articles", self.action_bookmarks)
        yield SystemCommand("Next article", "Open the next article", lambda: self.action_step(1))
        yield SystemCommand(
            "Previous article", "Open the previous article", lambda: self.action_step(-1)
        )
        yield SystemCommand("Problems", "Files skipped and why", self.action_problems)
        yield SystemCommand(
            "Toggle sidebar", "Hide or show the articles", self.action_toggle_sidebar
        )

    def on_unmount(self) -> None:
        self.closing = True

    async def action_quit(self) -> None:
        self.closing = True
        if self.on_quit is not None:
            self.on_quit()
        self._save_position()
        if self.store is not None:
            self.store.close()
            self.store = None
        self.exit()
