"""The user's store: positions, notes, highlights, bookmarks, corrections, undo, safety."""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator
from pathlib import Path

import pytest

from tui import store as store_module
from tui.anchor import content_hash
from tui.index import build_index, renames
from tui.library import Library
from tui.model import Article
from tui.paths import corpus_key
from tui.store import (
    Annotation,
    Kind,
    NoteFilter,
    Position,
    ReadOnlyError,
    Store,
    normalize_time,
    parse_tags,
    schema_version,
)

TEXT = (
    "Nvidia reported record revenue on Wednesday, driven by demand for its AI chips.\n"
    "\n"
    "Tesla said its Dojo supercomputer would use custom silicon designed in house.\n"
    "\n"
    "Meta plans to spend billions on data centres next year.\n"
)


@pytest.fixture
def db_path(tmp_path: Path) -> Path:
    return tmp_path / "data" / "margin.sqlite3"


@pytest.fixture
def store(db_path: Path) -> Iterator[Store]:
    with Store.open(db_path) as s:
        yield s


def on_top(offset: int) -> Position:
    """A position with the caret on its top line (as every one was before carets were kept)."""
    return Position(offset, offset)


def span(text: str, quote: str) -> tuple[int, int]:
    start = text.index(quote)
    return start, start + len(quote)


class TestOpen:
    def test_creates_parent_dirs_and_file(self, db_path: Path) -> None:
        with Store.open(db_path) as s:
            assert db_path.is_file()
            assert not s.read_only
            assert s.problem is None
            assert s.path == db_path
            assert s.integrity() == "ok"

    def test_wal_and_schema_version(self, db_path: Path) -> None:
        Store.open(db_path).close()
        db = sqlite3.connect(db_path)
        assert db.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
        assert db.execute("PRAGMA user_version").fetchone()[0] == schema_version()
        db.close()

    def test_unwritable_folder_falls_back_to_memory(self, tmp_path: Path) -> None:
        blocker = tmp_path / "not-a-dir"
        blocker.write_text("a file where the data dir should be")
        with Store.open(blocker / "margin.sqlite3") as s:
            assert s.path is None
            assert s.problem is not None and "cannot create" in s.problem
            assert "\n" not in s.problem
            s.set_position("c", "a.txt", 5)  # still works for the session
            assert s.position("c", "a.txt") == on_top(5)
        assert blocker.read_text() == "a file where the data dir should be"


class TestPositions:
    def test_position_round_trip(self, store: Store) -> None:
        assert store.position("c1", "a.txt") is None
        store.set_position("c1", "a.txt", 120)
        store.set_position("c1", "a.txt", 340)
        store.set_position("c1", "log.jsonl#3", 7)
        assert store.position("c1", "a.txt") == on_top(340)
        assert store.position("c1", "log.jsonl#3") == on_top(7)
        assert store.position("c2", "a.txt") is None

    def test_position_follows_its_text_when_paragraphs_are_added_above(self, store: Store) -> None:
        text = "".join(f"Paragraph {n} of the story.\n\n" for n in range(1, 61))
        store.set_position("c", "z.txt", text.index("Paragraph 45"), text)
        new = "".join(f"An added paragraph, {n}.\n\n" for n in range(30)) + text
        assert store.position("c", "z.txt", new) == on_top(new.index("Paragraph 45"))
        assert store.position("c", "z.txt", "Rewritten entirely.") == on_top(
            text.index("Paragraph 45")
        )

    def test_positions_of_an_older_store_are_kept(self, db_path: Path) -> None:
        db_path.parent.mkdir(parents=True)
        old = sqlite3.connect(db_path)
        store_module.MIGRATIONS[0](old)
        old.execute("INSERT INTO positions VALUES ('c', 'a.txt', 42, '2024-01-01T00:00:00Z')")
        old.execute("PRAGMA user_version = 1")
        old.commit()
        old.close()
        with Store.open(db_path) as s:
            assert s.problem is None and s.backup is not None
            assert s.position("c", "a.txt") == on_top(42)
            assert s.position("c", "a.txt", "Some text that changed since. " * 5) == on_top(42)

    def test_the_caret_is_kept_with_the_top_line(self, store: Store) -> None:
        store.set_position("c", "a.txt", 120, caret=180)
        assert store.position("c", "a.txt") == Position(120, 180)
        store.set_position("c", "a.txt", 40)  # no caret given: on the top line
        assert store.position("c", "a.txt") == on_top(40)

    def test_the_caret_follows_its_own_text(self, store: Store) -> None:
        """Lines added above move both; lines added between them move the caret only."""
        text = "".join(f"Paragraph {n} of the story.\n\n" for n in range(1, 61))
        top, caret = text.index("Paragraph 40"), text.index("story.", text.index("Paragraph 44"))
        store.set_position("c", "z.txt", top, text, caret=caret)
        above = "".join(f"An added paragraph, {n}.\n\n" for n in range(30)) + text
        assert store.position("c", "z.txt", above) == Position(
            above.index("Paragraph 40"), above.index("story.", above.index("Paragraph 44"))
        )
        between = text.replace("Paragraph 42 ", "A new paragraph.\n\nParagraph 42 ")
        assert store.position("c", "z.txt", between) == Position(
            top, between.index("story.", between.index("Paragraph 44"))
        )

    def test_a_caret_whose_text_is_gone_keeps_its_distance_from_the_top(self, store: Store) -> None:
        # Paragraphs that share no words: fuzzy anchoring finds no look-alike of the caret's.
        text = "".join(f"{n} {content_hash(str(n))}.\n\n" for n in range(1, 61))
        top = text.index("\n40 ") + 1
        store.set_position("c", "z.txt", top, text, caret=top + 100)
        edited = "Added.\n\n" + text[: top + 90] + "Rewritten to the end."
        found = edited.index("\n40 ") + 1
        assert store.position("c", "z.txt", edited) == Position(found, found + 100)

    def test_positions_of_a_store_without_carets_are_kept(self, db_path: Path) -> None:
        """A store from before carets were kept: backed up, upgraded, every position there,
        its caret on its top line and found by the same text."""
        text = "".join(f"Paragraph {n} of the story.\n\n" for n in range(1, 61))
        db_path.parent.mkdir(parents=True)
        old = sqlite3.connect(db_path)
        for step in store_module.MIGRATIONS[:3]:
            step(old)
        offset = text.index("Paragraph 45")
        old.execute(
            "INSERT INTO positions VALUES ('c', 'a.txt', ?, '2024-01-01T00:00:00Z', ?, ?, ?, ?)",
            (offset, text[offset : offset + 32], text[offset - 32 : offset], "", "h"),
        )
        old.execute("INSERT INTO positions VALUES ('c', 'b.txt', 7, '2024-01-01T00:00:00Z', "
                    "'', '', '', '')")  # fmt: skip
        old.execute("PRAGMA user_version = 3")
        old.commit()
        old.close()
        with Store.open(db_path) as s:
            assert s.problem is None and s.backup is not None and s.backup.is_file()
            assert s.position("c", "a.txt") == on_top(offset)
            added = "An added paragraph.\n\n" + text
            assert s.position("c", "a.txt", added) == on_top(added.index("Paragraph 45"))
            assert s.position("c", "b.txt", text) == on_top(7)
        kept = sqlite3.connect(s.backup)
        assert kept.execute("PRAGMA user_version").fetchone()[0] == 3
        assert kept.execute("SELECT count(*) FROM positions").fetchone()[0] == 2
        kept.close()

    def test_last_article_per_corpus(self, store: Store) -> None:
        assert store.last_article("c1") is None
        store.set_last_article("c1", "a.txt")
        store.set_last_article("c1", "b.md")
        store.set_last_article("c2", "z.txt")
        assert store.last_article("c1") == "b.md"
        assert store.last_article("c2") == "z.txt"

    def test_survives_reopen(self, db_path: Path) -> None:
        with Store.open(db_path) as s:
            s.set_position("c", "a.txt", 99)
            s.set_last_article("c", "a.txt")
        with Store.open(db_path) as s:
            assert s.position("c", "a.txt") == on_top(99)
            assert s.last_article("c") == "a.txt"

    def test_read_state(self, store: Store) -> None:
        store.set_read("c", "a.txt")
        store.set_read("c", "a.txt")
        store.set_read("c", "b.txt")
        store.set_read("c", "b.txt", read=False)
        assert store.read_articles("c") == {"a.txt"}


class TestNotes:
    def test_add_and_list(self, store: Store) -> None:
        s, e = span(TEXT, "Dojo supercomputer")
        note = store.add_note("c", "a.txt", TEXT, s, e, "Custom chips #Tesla #hardware #tesla")
        assert note.quote == "Dojo supercomputer"
        assert TEXT.endswith(note.prefix, 0, s) and len(note.prefix) == 32
        assert TEXT.startswith(note.suffix, e) and len(note.suffix) == 32
        assert (note.start, note.end) == (s, e)
        assert note.tags == ("tesla", "hardware")
        assert note.article_hash == content_hash(TEXT)
        assert note.created == note.updated
        assert store.notes("c") == [note]
        assert store.notes("c", "a.txt") == [note]
        assert store.notes("c", "b.txt") == []
        assert store.get(note.id) == note
        assert store.annotated_articles("c") == {"a.txt"}

    def test_bad_range_is_refused(self, store: Store) -> None:
        with pytest.raises(ValueError):
            store.add_note("c", "a.txt", TEXT, 5, 5)
        with pytest.raises(ValueError):
            store.add_note("c", "a.txt", TEXT, 0, len(TEXT) + 1)

    def test_quote_at_the_edges_has_short_context(self, store: Store) -> None:
        note = store.add_note("c", "a.txt", TEXT, 0, 6)
        assert note.prefix == "" and note.quote == "Nvidia"

    def test_update_body_and_tags(self, store: Store) -> None:
        note = store.add_note("c", "a.txt", TEXT, 0, 6, "first")
        changed = store.update_note(note.id, "second #Chips")
        assert changed.body == "second #Chips"
        assert changed.tags == ("chips",)
        assert changed.updated > note.updated
        with pytest.raises(KeyError):
            store.update_note("nope", "x")

    def test_highlights_are_separate_from_notes(self, store: Store) -> None:
        h = store.add_highlight("c", "a.txt", TEXT, *span(TEXT, "record revenue"))
        n = store.add_note("c", "a.txt", TEXT, *span(TEXT, "Meta"), "big spender")
        assert store.highlights("c") == [h]
        assert store.notes("c") == [n]
        assert {a.id for a in store.annotations("c")} == {h.id, n.id}

    def test_highlighting_a_highlight_again_stores_nothing(self, store: Store) -> None:
        """`h` twice on the same words: one highlight, and the reader can say so."""
        first, new = store.highlight_once("c", "a.txt", TEXT, *span(TEXT, "record revenue"))
        assert new
        again, new = store.highlight_once("c", "a.txt", TEXT, *span(TEXT, "record revenue"))
        assert not new and again == first
        assert store.add_highlight("c", "a.txt", TEXT, *span(TEXT, "record revenue")) == first
        assert store.highlights("c") == [first]
        # The same span after an edit above it (re-anchored there) is the same highlight.
        edited = "Breaking news.\n\n" + TEXT
        moved, new = store.highlight_once("c", "a.txt", edited, *span(edited, "record revenue"))
        assert not new and moved == first
        # Another span, another article, a note on the span, a deleted highlight: new ones.
        assert store.highlight_once("c", "a.txt", TEXT, *span(TEXT, "record"))[1]
        assert store.highlight_once("c", "b.txt", TEXT, *span(TEXT, "record revenue"))[1]
        store.add_note("c", "a.txt", TEXT, *span(TEXT, "Meta"), "a note")
        assert store.highlight_once("c", "a.txt", TEXT, *span(TEXT, "Meta"))[1]
        store.delete(first.id)
        assert store.highlight_once("c", "a.txt", TEXT, *span(TEXT, "record revenue"))[1]
        assert len(store.highlights("c")) == 4

    def test_delete_and_undo(self, store: Store) -> None:
        note = store.add_note("c", "a.txt", TEXT, 0, 6, "x")
        assert store.delete(note.id)
        assert store.notes("c") == []
        assert store.annotated_articles("c") == set()
        gone = store.annotations("c", deleted=True)
        assert [a.id for a in gone] == [note.id] and gone[0].deleted is not None
        assert not store.delete(note.id)
        assert store.restore(note.id)
        assert [a.id for a in store.notes("c")] == [note.id]
        assert not store.restore(note.id)
        assert not store.delete("no-such-id")

    def test_placed_unchanged_text(self, store: Store) -> None:
        note = store.add_note("c", "a.txt", TEXT, *span(TEXT, "custom silicon"))
        [placed] = store.placed("c", "a.txt", TEXT)
        assert placed.annotation == note
        assert placed.anchor.status == "anchored"
        assert TEXT[placed.anchor.start : placed.anchor.end] == "custom silicon"

    def test_placed_keeps_orphans(self, store: Store) -> None:
        store.add_note("c", "a.txt", TEXT, *span(TEXT, "Meta plans to spend billions"), "gone?")
        store.add_note("c", "a.txt", TEXT, *span(TEXT, "record revenue"))
        edited = TEXT.replace("Meta plans to spend billions on data centres next year.\n", "")
        placed = store.placed("c", "a.txt", edited)
        assert [p.anchor.status for p in placed] == ["anchored", "orphaned"]
        assert placed[1].annotation.body == "gone?"

    def test_reattach(self, store: Store) -> None:
        note = store.add_note("c", "a.txt", TEXT, *span(TEXT, "Meta plans"))
        new_text = "Something else entirely. Zuckerberg plans more.\n"
        again = store.reattach(note.id, new_text, *span(new_text, "Zuckerberg plans"))
        assert again.quote == "Zuckerberg plans"
        assert again.article_hash == content_hash(new_text)
        assert store.placed("c", "a.txt", new_text)[0].anchor.status == "anchored"

    def test_placed_saves_a_note_found_in_edited_text(self, store: Store) -> None:
        note = store.add_note("c", "a.txt", TEXT, *span(TEXT, "custom silicon"), "body")
        edited = "Breaking.\n\n" + TEXT
        [placed] = store.placed("c", "a.txt", edited)
        assert placed.anchor.status == "moved"
        assert edited[placed.annotation.start : placed.annotation.end] == "custom silicon"
        saved = store.get(note.id)
        assert saved == placed.annotation and saved.article_hash == content_hash(edited)
        assert saved.updated == note.updated
        [again] = store.placed("c", "a.txt", edited, content_hash(edited))
        assert again.anchor.status == "anchored"  # at the place saved: free

    def test_placed_in_corpus(self, store: Store) -> None:
        kept = store.add_note("c", "same.txt", TEXT, *span(TEXT, "Nvidia"), "same")
        edited = store.add_note("c", "edited.txt", TEXT, *span(TEXT, "Dojo supercomputer"))
        moved = store.add_note("c", "old/name.txt", TEXT, *span(TEXT, "Meta"), "moved file")
        other = "Another article about record revenue.\n"
        gone = store.add_note("c", "gone.txt", other, *span(other, "record revenue"), "gone")
        store.add_bookmark("c", "old/name.txt", 3)
        new_text = "A new first line.\n" + TEXT
        loaded: list[str] = []

        def text_of(article: str) -> str | None:
            loaded.append(article)
            return new_text if article == "edited.txt" else TEXT

        hashes = {
            "same.txt": content_hash(TEXT),
            "edited.txt": content_hash(new_text),
            "new/name.txt": content_hash(TEXT),
        }
        placed = {p.annotation.id: p for p in store.placed_in_corpus("c", hashes, text_of)}
        # Unchanged files are not read; a copy of an edited one's old text is, once, to
        # tell an edit from another article's text (here an edit: the note stays).
        assert loaded[0] == "edited.txt" and set(loaded) < {*hashes}
        assert placed[kept.id].anchor.status == "anchored"
        assert placed[edited.id].anchor.status == "moved"
        a = placed[edited.id].anchor
        assert new_text[a.start : a.end] == "Dojo supercomputer"
        assert placed[moved.id].annotation.article == "new/name.txt"
        assert placed[moved.id].anchor.status == "anchored"
        assert placed[gone.id].anchor.status == "orphaned"
        assert placed[gone.id].as_json()["quote"] == "record revenue"
        assert set(placed[gone.id].as_json()) >= {
            "id",
            "article",
            "quote",
            "body",
            "tags",
            "status",
            "start",
            "end",
        }
        # the move is saved: notes and bookmark follow the file
        assert store.notes("c", "new/name.txt")[0].id == moved.id
        assert store.bookmarked_articles("c") == {"new/name.txt"}

    def test_a_note_found_in_edited_text_is_saved_there(self, store: Store) -> None:
        """Listing the notes of an edited article saves them at their place in the new
        text (with its hash): removed, then put back under another name, the file is
        found by that hash, not only by the hash of the text the note was made on."""
        note = store.add_note("c", "a.txt", TEXT, *span(TEXT, "Dojo supercomputer"), "x")
        vague = store.add_note("c", "a.txt", TEXT, *span(TEXT, "record revenue on Wednesday"))
        edited = "A new first line.\n" + TEXT.replace("Wednesday", "Wedensday")
        texts = {"a.txt": edited}
        [p1, p2] = store.placed_in_corpus("c", {"a.txt": content_hash(edited)}, texts.get)
        assert [p.annotation.id for p in (p1, p2)] == [vague.id, note.id]
        assert p2.anchor.status == "moved" and p1.anchor.score < 100  # fuzzy: not saved
        saved = store.get(note.id)
        assert saved is not None and saved.article_hash == content_hash(edited)
        assert edited[saved.start : saved.end] == "Dojo supercomputer"
        assert (saved.updated, saved.body) == (note.updated, "x")  # the user changed nothing
        assert store.get(vague.id) == vague
        # a.txt removed, then its edited text back as b.txt (two steps: no rename seen)
        texts = {"b.txt": edited}
        placed = store.placed_in_corpus("c", {"b.txt": content_hash(edited)}, texts.get)
        assert {(p.annotation.article, p.anchor.status) for p in placed} == {
            ("b.txt", "anchored"),
            ("b.txt", "moved"),
        }

    def test_follow_moves_finds_a_gone_article_by_the_hashes_kept(self, store: Store) -> None:
        """A file removed, then back under another name: its notes, bookmark and position
        go there (found by a note's hash, or by the position's); copies: no guess."""
        other = "Another article about record revenue.\n"
        third = "A third one, only read and bookmarked.\n"
        store.add_note("c", "noted.txt", TEXT, *span(TEXT, "Meta"), "moved file")
        store.add_bookmark("c", "noted.txt", 3)
        store.add_bookmark("c", "read.txt", 5)
        store.set_position("c", "read.txt", 5, third)
        store.set_position("c", "old-margin.txt", 2)  # no text given: no hash kept
        store.add_note("c", "copied.txt", other, *span(other, "record revenue"))
        hashes = {
            "moved/noted.txt": content_hash(TEXT),
            "elsewhere.txt": content_hash(third),
            "copy1.txt": content_hash(other),
            "copy2.txt": content_hash(other),
        }
        moves = store.follow_moves("c", hashes)
        assert moves == {"noted.txt": "moved/noted.txt", "read.txt": "elsewhere.txt"}
        assert store.notes("c", "moved/noted.txt")[0].body == "moved file"
        assert store.bookmarked_articles("c") == {"moved/noted.txt", "elsewhere.txt"}
        assert store.position("c", "elsewhere.txt", third) == on_top(5)
        assert store.position("c", "old-margin.txt") == on_top(2)
        assert store.notes("c", "copied.txt")  # two copies: stays, orphaned
        assert store.follow_moves("c", hashes) == {}
        # Two gone articles with the same text, one copy back: neither is guessed.
        store.add_note("c", "twin1.txt", third, *span(third, "only read"))
        store.add_note("c", "twin2.txt", third, *span(third, "bookmarked"))
        assert store.follow_moves("c", {"elsewhere.txt": content_hash(third)}) == {}

    def test_follow_moves_leaves_what_is_not_gone_or_taken(self, store: Store) -> None:
        """A JSONL line removed above two noted records: the last id is no longer in the
        index, but its file is there, and the id its text went to has notes of its own.
        Neither moves (both notes went to one id, for good); a file still on disk that
        an index being built has not reached does not either."""
        beta, gamma = "Beta record text.\n", "Gamma record text.\n"
        store.add_note("c", "feed.jsonl#2", beta, *span(beta, "Beta"), "on beta")
        store.add_note("c", "feed.jsonl#3", gamma, *span(gamma, "Gamma"), "on gamma")
        now = {"feed.jsonl#1": content_hash(beta), "feed.jsonl#2": content_hash(gamma)}
        assert store.follow_moves("c", now) == {}  # #2 has notes of its own
        assert store.follow_moves("c", now, lambda article: True) == {}
        assert [n.body for n in store.notes("c", "feed.jsonl#2")] == ["on beta"]
        store.add_note("c", "unindexed.txt", TEXT, *span(TEXT, "Meta"), "kept")
        later = {"copy.txt": content_hash(TEXT)}
        assert store.follow_moves("c", later, lambda article: article == "unindexed.txt") == {}
        assert store.notes("c", "unindexed.txt")

    def test_notes_follow_their_text_to_the_id_that_now_holds_it(self, store: Store) -> None:
        """A JSONL line removed above a record, or two files swapped: the note's id now
        holds another article's text, and its own text is under another id."""
        texts = {
            "feed.jsonl#1": "Apples were cheap this year at the market.\n",
            "feed.jsonl#2": "Bananas: earnings of the growers doubled.\n",
            "feed.jsonl#3": "Cherries: earnings of the orchards fell.\n",
            "a.txt": "The otter swam across the river at dawn.\n",
            "b.txt": "A heron stood still in the reeds all day.\n",
        }
        banana = store.add_note("c", "feed.jsonl#2", texts["feed.jsonl#2"], 10, 18, "bananas")
        otter = store.add_note("c", "a.txt", texts["a.txt"], 4, 9, "otter")
        heron = store.add_note("c", "b.txt", texts["b.txt"], 2, 7, "heron")
        store.add_bookmark("c", "a.txt", 4)
        now = {  # line 1 removed; a.txt and b.txt traded texts
            "feed.jsonl#1": texts["feed.jsonl#2"],
            "feed.jsonl#2": texts["feed.jsonl#3"],
            "a.txt": texts["b.txt"],
            "b.txt": texts["a.txt"],
        }
        hashes = {i: content_hash(t) for i, t in now.items()}
        placed = {p.annotation.id: p for p in store.placed_in_corpus("c", hashes, now.get)}
        assert placed[banana.id].annotation.article == "feed.jsonl#1"
        assert placed[otter.id].annotation.article == "b.txt"
        assert placed[heron.id].annotation.article == "a.txt"
        assert {p.anchor.status for p in placed.values()} == {"anchored"}
        assert {n.id: n.article for n in store.notes("c")} == {
            banana.id: "feed.jsonl#1",
            otter.id: "b.txt",
            heron.id: "a.txt",
        }
        assert store.bookmarked_articles("c") == {"b.txt"}

    def test_a_renamed_article_takes_everything_with_it(self, store: Store) -> None:
        store.add_note("c", "old.txt", TEXT, 0, 6)
        store.add_bookmark("c", "old.txt", 10)
        store.set_position("c", "old.txt", 10)
        store.set_last_article("c", "old.txt")
        store.follow_renames("c", {"old.txt": "sub/new.txt"})
        assert [n.article for n in store.notes("c")] == ["sub/new.txt"]
        assert store.bookmarked_articles("c") == {"sub/new.txt"}
        assert store.position("c", "sub/new.txt") == on_top(10)
        assert store.last_article("c") == "sub/new.txt"


class TestRenamedFiles:
    """A file renamed (edited before or not): what was kept for it follows, in any process."""

    BIRDS = "Title Here\n\nFirst para about ospreys.\n\nSecond para about kestrels.\n"

    def test_a_note_follows_a_file_edited_then_renamed(self, store: Store, tmp_path: Path) -> None:
        root = tmp_path / "corpus"
        root.mkdir()
        (root / "x.txt").write_text(self.BIRDS)
        library = Library(root, tmp_path / "cache")
        library.update()
        key = corpus_key(root)
        store.add_note(key, "x.txt", self.BIRDS, *span(self.BIRDS, "kestrels"), "k")
        (root / "x.txt").write_text(self.BIRDS.replace("ospreys.", "ospreys, edited."))
        library.update()
        (root / "x.txt").rename(root / "y.txt")
        library.update()
        store.follow_renames(key, library.renames())
        placed = store.placed_in_corpus(key, library.hashes(), library.text)
        assert [(p.annotation.article, p.anchor.status) for p in placed] == [("y.txt", "moved")]
        assert library.text("y.txt")[placed[0].anchor.start : placed[0].anchor.end] == "kestrels"

    def test_bookmark_and_position_follow_without_notes(
        self, db_path: Path, tmp_path: Path
    ) -> None:
        root, cache = tmp_path / "corpus", tmp_path / "cache"
        root.mkdir()
        (root / "y.txt").write_text(self.BIRDS)
        (root / "other.txt").write_text("Another article.\n")
        build_index(root, cache)
        key = corpus_key(root)
        with Store.open(db_path) as reader:  # the reader, before quitting
            reader.add_bookmark(key, "y.txt", 12)
            reader.set_position(key, "y.txt", 12)
            reader.set_read(key, "y.txt")
            reader.set_last_article(key, "y.txt")
        (root / "y.txt").rename(root / "y_renamed.txt")
        build_index(root, cache)  # `margin index`, another process
        with Store.open(db_path) as later:  # `margin bookmarks`, or the reader again
            later.follow_renames(key, renames(root, cache))
            assert [(b.article, b.offset) for b in later.bookmarks(key)] == [("y_renamed.txt", 12)]
            assert later.position(key, "y_renamed.txt") == on_top(12)
            assert later.read_articles(key) == {"y_renamed.txt"}
            assert later.last_article(key) == "y_renamed.txt"

    def test_an_id_that_holds_an_article_again_keeps_what_is_its(
        self, store: Store, tmp_path: Path
    ) -> None:
        root, cache = tmp_path / "corpus", tmp_path / "cache"
        root.mkdir()
        (root / "a.txt").write_text(self.BIRDS)
        build_index(root, cache)
        (root / "a.txt").rename(root / "b.txt")
        build_index(root, cache)
        (root / "a.txt").write_text("A new article under the old name.\n")
        build_index(root, cache)
        key = corpus_key(root)
        store.add_bookmark(key, "a.txt", 3)
        assert store.follow_renames(key, renames(root, cache)) == {}
        assert store.bookmarked_articles(key) == {"a.txt"}

    def test_a_bookmark_already_on_the_new_id_wins(self, store: Store) -> None:
        store.add_bookmark("c", "old.txt", 1)
        store.add_bookmark("c", "new.txt", 2)
        store.follow_renames("c", {"old.txt": "new.txt"})
        assert sorted((b.article, b.offset) for b in store.bookmarks("c")) == [
            ("new.txt", 2),
            ("old.txt", 1),
        ]


class TestBookmarks:
    def test_toggle_and_undo(self, store: Store) -> None:
        b = store.toggle_bookmark("c", "a.txt", 40)
        assert b is not None and b.offset == 40
        assert store.bookmarks("c") == [b]
        assert store.bookmarked_articles("c") == {"a.txt"}
        assert store.toggle_bookmark("c", "a.txt", 50) is None
        assert store.bookmarks("c") == []
        assert store.restore(b.id)
        assert store.bookmark("c", "a.txt") is not None

    def test_bookmark_again_moves_it(self, store: Store) -> None:
        first = store.add_bookmark("c", "a.txt", 1)
        second = store.add_bookmark("c", "a.txt", 2)
        assert first.id == second.id
        assert [b.offset for b in store.bookmarks()] == [2]


class TestCorrections:
    def test_add_list_replace_delete(self, store: Store) -> None:
        store.add_correction("Dojo", "PRODUCT")
        store.add_correction("Meta", "ORG", "Meta Platforms")
        store.add_correction("Wednesday", "reject")
        store.add_correction("Dojo", "ORG", "Tesla")  # replaces the first
        got = [(c.surface, c.type, c.name) for c in store.corrections()]
        assert got == [
            ("Meta", "ORG", "Meta Platforms"),
            ("Wednesday", "reject", None),
            ("Dojo", "ORG", "Tesla"),
        ]
        wednesday = store.corrections()[1]
        assert store.delete(wednesday.id)
        assert [c.surface for c in store.corrections()] == ["Meta", "Dojo"]
        assert store.restore(wednesday.id)
        assert len(store.corrections()) == 3

    def test_restore_does_not_shadow_a_newer_correction(self, store: Store) -> None:
        old = store.add_correction("Dojo", "PRODUCT")
        store.add_correction("Dojo", "ORG")
        assert not store.restore(old.id)
        assert [(c.surface, c.type) for c in store.corrections()] == [("Dojo", "ORG")]


class TestSafety:
    def test_migration_backs_up_first(self, db_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
        with Store.open(db_path) as s:
            note = s.add_note("c", "a.txt", TEXT, 0, 6, "keep me")
        old_version = schema_version()

        def add_column(db: sqlite3.Connection) -> None:
            db.execute("ALTER TABLE annotations ADD COLUMN color TEXT")

        monkeypatch.setattr(store_module, "MIGRATIONS", [*store_module.MIGRATIONS, add_column])
        with Store.open(db_path) as s:
            assert s.problem is None
            assert s.backup is not None
            assert s.backup.name.startswith(f"margin.sqlite3.v{old_version}-")
            assert s.get(note.id) == note
        backup = sqlite3.connect(s.backup)
        assert backup.execute("PRAGMA user_version").fetchone()[0] == old_version
        assert backup.execute("SELECT body FROM annotations").fetchall() == [("keep me",)]
        backup.close()
        db = sqlite3.connect(db_path)
        assert db.execute("PRAGMA user_version").fetchone()[0] == old_version + 1
        assert "color" in [r[1] for r in db.execute("PRAGMA table_info(annotations)")]
        db.close()
        with Store.open(db_path) as s:  # already migrated: no second backup
            assert s.backup is None

    def test_fresh_file_gets_no_backup(self, db_path: Path) -> None:
        with Store.open(db_path) as s:
            assert s.backup is None
        assert sorted(p.name for p in db_path.parent.iterdir() if ".bak" in p.name) == []

    def test_corrupt_file_kept_and_reported(self, db_path: Path) -> None:
        db_path.parent.mkdir(parents=True)
        garbage = b"this is not a database, but it is the user's file\n" * 100
        db_path.write_bytes(garbage)
        with Store.open(db_path) as s:
            assert s.problem is not None and "damaged" in s.problem
            assert "\n" not in s.problem
            assert not s.read_only
            assert s.path is not None and s.path != db_path
            s.add_note("c", "a.txt", TEXT, 0, 6, "new work")
        assert db_path.read_bytes() == garbage
        with Store.open(db_path) as s:  # the fresh store keeps the new work
            assert [n.body for n in s.notes()] == ["new work"]

    def test_damaged_pages_kept_and_reported(self, db_path: Path) -> None:
        with Store.open(db_path) as s:
            for i in range(200):
                s.add_note("c", f"{i}.txt", TEXT, 0, 6, "x" * 500)
        raw = bytearray(db_path.read_bytes())
        size = 4096
        for page in range(2, len(raw) // size):
            raw[page * size + 8 : page * size + 64] = b"\xff" * 56
        db_path.write_bytes(bytes(raw))
        with Store.open(db_path) as s:
            assert s.problem is not None and "damaged" in s.problem
        assert db_path.read_bytes() == bytes(raw)

    def test_foreign_sqlite_file_is_not_touched(self, db_path: Path) -> None:
        db_path.parent.mkdir(parents=True)
        db = sqlite3.connect(db_path)
        db.execute("CREATE TABLE recipes (name TEXT)")
        db.commit()
        db.close()
        before = db_path.read_bytes()
        with Store.open(db_path) as s:
            assert s.problem is not None and "not a margin store" in s.problem
            assert s.path != db_path
        assert db_path.read_bytes() == before

    def test_newer_schema_opens_read_only(self, db_path: Path) -> None:
        with Store.open(db_path) as s:
            s.add_note("c", "a.txt", TEXT, 0, 6, "from the future")
            s.set_position("c", "a.txt", 3)
        db = sqlite3.connect(db_path)
        db.execute(f"PRAGMA user_version = {schema_version() + 5}")
        db.close()
        before = db_path.read_bytes()
        with Store.open(db_path) as s:
            assert s.read_only
            assert s.problem is not None and "newer margin" in s.problem
            assert [n.body for n in s.notes()] == ["from the future"]
            assert s.position("c", "a.txt") == on_top(3)
            s.set_position("c", "a.txt", 8, caret=20)  # session only, no error
            assert s.position("c", "a.txt") == Position(8, 20)
            s.set_last_article("c", "b.txt")
            s.set_read("c", "b.txt")
            assert s.last_article("c") == "b.txt"
            assert s.read_articles("c") == {"b.txt"}
            with pytest.raises(ReadOnlyError):
                s.add_note("c", "a.txt", TEXT, 0, 6)
        assert db_path.read_bytes() == before
        db = sqlite3.connect(db_path)
        assert db.execute("PRAGMA user_version").fetchone()[0] == schema_version() + 5
        db.close()


def test_parse_tags() -> None:
    assert parse_tags("see #AI and #ai-chips, not a#b nor ##x; #Über") == ("ai", "ai-chips", "über")
    assert parse_tags("") == ()


def test_normalize_time() -> None:
    assert normalize_time("2026-01-02T03:04:05Z") == "2026-01-02T03:04:05.000000Z"
    assert normalize_time("2026-01-02T04:04:05+01:00") == "2026-01-02T03:04:05.000000Z"


def test_content_hash_matches_article_hash() -> None:
    article = Article(id="a.txt", path="a.txt", text=TEXT, title="t", encoding="utf-8")
    assert content_hash(TEXT) == article.hash


def test_memory_store() -> None:
    with Store.memory() as s:
        s.add_note("c", "a.txt", TEXT, 0, 6)
        assert len(s.notes()) == 1


def make(id: str, kind: Kind, quote: str, body: str, tags: tuple[str, ...]) -> Annotation:
    return Annotation(id, kind, "c", "a", "h", quote, "", "", 0, 1, body, tags)


class TestNoteFilter:
    def notes(self) -> list[Annotation]:
        return [
            make("1", "note", "Nvidia H100", "fast #GPU", ("gpu",)),
            make("2", "note", "Dojo", "Tesla's own chip", ()),
            make("3", "highlight", "Straße", "", ("de",)),
        ]

    def test_terms(self) -> None:
        f = NoteFilter(self.notes())
        assert [a.id for a in f("")] == ["1", "2", "3"]
        assert [a.id for a in f("nvidia")] == ["1"]
        assert [a.id for a in f("#gpu")] == ["1"]
        assert [a.id for a in f("chip")] == ["2"]
        assert [a.id for a in f("tesla chip")] == ["2"]
        assert [a.id for a in f("tesla gpu")] == []
        assert [a.id for a in f("STRASSE")] == ["3"]
        assert [a.id for a in f("#de")] == ["3"]

    def test_accents_are_optional_either_way(self) -> None:
        f = NoteFilter([make("1", "note", "Zürich", "un café", ()), make("2", "note", "x", "", ())])
        assert [a.id for a in f("zurich cafe")] == ["1"]
        assert [a.id for a in f("CAFÉ")] == ["1"]

    def test_typing_and_backspace(self) -> None:
        f = NoteFilter(self.notes())
        for query, expected in [
            ("d", ["1", "2", "3"]),
            ("do", ["2"]),
            ("doj", ["2"]),
            ("d", ["1", "2", "3"]),
            ("", ["1", "2", "3"]),
        ]:
            assert [a.id for a in f(query)] == expected, query

    def test_no_match_across_fields_or_notes(self) -> None:
        f = NoteFilter(self.notes())
        assert f("h100fast") == []
        assert f("gpudojo") == []


def test_threads_share_one_store(store: Store) -> None:
    import threading

    def work(n: int) -> None:
        for i in range(25):
            store.add_note("c", f"{n}.txt", TEXT, i, i + 5, f"thread {n}")
            store.set_position("c", f"{n}.txt", i)

    threads = [threading.Thread(target=work, args=(n,)) for n in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert len(store.notes("c")) == 100
    assert store.integrity() == "ok"


def test_core_does_not_import_the_ui() -> None:
    import subprocess
    import sys

    code = (
        "import sys, tui.store, tui.anchor, tui.annotations; "
        "print(sorted(m for m in sys.modules if m.split('.')[0] in ('textual', 'rich')))"
    )
    root = Path(__file__).resolve().parent.parent
    out = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, cwd=root, check=True
    )
    assert out.stdout.strip() == "[]"
