"""Export (Markdown, W3C Web Annotation JSON) and import that merges without duplicates."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path

import pytest

from tui.annotations import (
    AnnotationFormatError,
    export_json,
    export_markdown,
    export_text,
    from_w3c,
    import_file,
    import_json,
    source,
)
from tui.store import Annotation, Store

TEXT = (
    "Nvidia reported record revenue on Wednesday, driven by demand for its AI chips.\n"
    "\n"
    "Tesla said its Dojo supercomputer would use custom silicon designed in house.\n"
)


def span(quote: str) -> tuple[int, int]:
    start = TEXT.index(quote)
    return start, start + len(quote)


@pytest.fixture
def store(tmp_path: Path) -> Iterator[Store]:
    with Store.open(tmp_path / "a" / "margin.sqlite3") as s:
        s.add_note("c1", "news/nvidia.txt", TEXT, *span("record revenue"), "Big quarter #earnings")
        s.add_note("c1", "news/nvidia.txt", TEXT, *span("Dojo supercomputer"), "line one\nline two")
        s.add_highlight("c1", "news/nvidia.txt", TEXT, *span("custom silicon"))
        s.add_note("c1", "feed.jsonl#3", TEXT, *span("AI chips"), "#ai #chips")
        s.add_bookmark("c1", "news/nvidia.txt", 81)
        s.add_bookmark("c1", "other.md", 0)
        gone = s.add_note("c1", "news/nvidia.txt", TEXT, *span("Tesla"), "deleted one")
        s.delete(gone.id)
        yield s


def test_json_is_w3c(store: Store) -> None:
    data = export_json(store)
    assert data["@context"] == "http://www.w3.org/ns/anno.jsonld"
    assert data["type"] == "AnnotationCollection"
    items = data["first"]["items"]
    assert data["total"] == len(items) == 6  # the deleted note is not exported
    note = next(
        i
        for i in items
        if i["margin"]["kind"] == "note" and "body" in i and i["body"][0]["value"].startswith("Big")
    )
    assert note["type"] == "Annotation"
    assert note["motivation"] == "commenting"
    assert note["id"].startswith("urn:uuid:")
    assert {b["purpose"] for b in note["body"]} == {"commenting", "tagging"}
    quote, position = note["target"]["selector"]
    assert quote == {
        "type": "TextQuoteSelector",
        "exact": "record revenue",
        "prefix": "Nvidia reported ",
        "suffix": TEXT[30:62],
    }
    assert position == {"type": "TextPositionSelector", "start": 16, "end": 30}
    assert note["target"]["source"] == source("c1", "news/nvidia.txt")
    motivations = sorted(i["motivation"] for i in items)
    assert motivations == [
        "bookmarking",
        "bookmarking",
        "commenting",
        "commenting",
        "commenting",
        "highlighting",
    ]
    json.dumps(data)  # plain JSON


def test_jsonl_record_source_round_trips() -> None:
    assert source("c1", "feed.jsonl#3") == "urn:margin:c1:feed.jsonl%233"


def test_markdown_grouped_by_article(store: Store) -> None:
    md = export_markdown(store, titles={"news/nvidia.txt": "Nvidia beats"})
    assert md.startswith("# margin: notes, highlights and bookmarks\n")
    assert "3 notes, 1 highlight, 2 bookmarks" in md
    assert "## Nvidia beats (news/nvidia.txt)" in md
    assert "## feed.jsonl#3" in md and "## other.md" in md
    nvidia = md[md.index("## Nvidia beats") : md.index("## other.md")]
    assert (
        nvidia.index("> record revenue")
        < nvidia.index("> Dojo supercomputer")
        < nvidia.index("> custom silicon")
    )
    assert "Bookmarked at character 81." in nvidia
    assert "line one\nline two" in nvidia
    assert "#earnings" in nvidia
    assert "deleted one" not in md


def test_import_of_an_export_is_a_no_op(store: Store, tmp_path: Path) -> None:
    before = (store.annotations(deleted=True), store.bookmarks())
    result = import_json(store, export_json(store))
    assert (result.added, result.updated, result.unreadable) == (0, 0, [])
    assert result.skipped == 6
    assert (store.annotations(deleted=True), store.bookmarks()) == before


def test_round_trip_into_an_empty_store(store: Store, tmp_path: Path) -> None:
    path = tmp_path / "export.json"
    path.write_text(export_text(store, "json"), encoding="utf-8")
    with Store.open(tmp_path / "b" / "margin.sqlite3") as other:
        first = import_file(other, path)
        assert (first.added, first.updated, first.skipped) == (6, 0, 0)
        assert other.annotations() == store.annotations()
        assert other.bookmarks() == store.bookmarks()
        again = import_file(other, path)
        assert (again.added, again.updated, again.skipped) == (0, 0, 6)
        assert export_json(other)["first"] == export_json(store)["first"]


def test_duplicates_in_the_file_are_counted_as_such(store: Store, tmp_path: Path) -> None:
    """An export holding one highlight twice (two ids), into an empty store: it is added
    once, and the copy is not said to be "already there"; again, it is all a no-op."""
    exported = export_json(store)
    items = exported["first"]["items"]
    highlight = next(i for i in items if i["motivation"] == "highlighting")
    copy = dict(highlight, id="urn:uuid:" + "0" * 31 + "1")
    items.append(copy)
    with Store.open(tmp_path / "b" / "margin.sqlite3") as other:
        first = import_json(other, exported)
        assert (first.added, first.updated, first.skipped, first.duplicates) == (6, 0, 0, 1)
        assert other.annotations() == store.annotations()
        again = import_json(other, exported)
        assert (again.added, again.updated, again.skipped, again.duplicates) == (0, 0, 6, 1)
        assert other.annotations() == store.annotations()


def test_newer_edit_wins_older_is_skipped(store: Store, tmp_path: Path) -> None:
    old_export = export_json(store)
    note = store.notes("c1", "feed.jsonl#3")[0]
    store.update_note(note.id, "changed here #ai")
    result = import_json(store, old_export)
    assert result.updated == 0
    assert store.get(note.id).body == "changed here #ai"  # type: ignore[union-attr]

    with Store.open(tmp_path / "b" / "margin.sqlite3") as other:
        import_json(other, old_export)
        result = import_json(other, export_json(store))
        assert result.updated == 1
        assert other.get(note.id).body == "changed here #ai"  # type: ignore[union-attr]


def test_deleted_after_export_stays_deleted(store: Store) -> None:
    exported = export_json(store)
    note = store.notes("c1")[0]
    store.delete(note.id)
    import_json(store, exported)
    assert note.id not in {n.id for n in store.notes("c1")}


def test_same_note_under_another_id_is_not_duplicated(store: Store) -> None:
    exported = export_json(store)
    for item in exported["first"]["items"]:
        item["id"] = "https://example.org/anno/" + item["id"][-8:]
    result = import_json(store, exported)
    assert result.added == 0
    assert len(store.annotations()) == 4


def test_import_into_another_corpus_key(store: Store, tmp_path: Path) -> None:
    with Store.open(tmp_path / "b" / "margin.sqlite3") as other:
        import_json(other, export_json(store), corpus="c2")
        assert {a.corpus for a in other.annotations()} == {"c2"}
        assert len(other.notes("c2")) == 3


def test_foreign_annotation_minimal() -> None:
    item = from_w3c(
        {
            "@context": "http://www.w3.org/ns/anno.jsonld",
            "id": "http://example.org/anno1",
            "type": "Annotation",
            "bodyValue": "Nice #Chips",
            "body": [{"type": "TextualBody", "value": "data centre", "purpose": "tagging"}],
            "target": {
                "source": "urn:margin:c9:a.txt",
                "selector": {"type": "TextQuoteSelector", "exact": "chips"},
            },
            "created": "2026-01-02T03:04:05+01:00",
        }
    )
    assert isinstance(item, Annotation)
    assert item.corpus == "c9" and item.article == "a.txt"
    assert item.body == "Nice #Chips"
    assert item.tags == ("chips", "data-centre")
    assert item.created == "2026-01-02T02:04:05.000000Z"
    assert (
        from_w3c(
            {
                "id": "http://example.org/anno1",
                "target": "urn:margin:c9:a.txt",
                "motivation": "bookmarking",
            }
        ).id
        == item.id
    )


def test_bad_input(store: Store, tmp_path: Path) -> None:
    with pytest.raises(AnnotationFormatError):
        import_json(store, {"hello": 1})
    bad = tmp_path / "bad.json"
    bad.write_text("{not json")
    with pytest.raises(AnnotationFormatError):
        import_file(store, bad)
    with pytest.raises(AnnotationFormatError):
        import_file(store, tmp_path / "missing.json")
    result = import_json(store, [{"type": "Annotation", "target": "https://example.org/page"}, 5])
    assert result.added == 0 and len(result.unreadable) == 2
