"""Notes, bookmarks, export and import through the command line, as scripts use them."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from tui.cli import main

ARTICLE = "004_9889b2f3170bb696.txt"


def call(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str, str]:
    code = main(list(args))
    out, err = capsys.readouterr()
    return code, out, err


def test_note_add_then_list_then_export_import_is_a_no_op(
    seeds: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    data = str(tmp_path / "data")
    code, out, _ = call(
        capsys, "--data-dir", data, "note", "add", ARTICLE, str(seeds),
        "--quote", "Yann LeCun", "--body", "Meta's AI chief #people", "--json",
    )  # fmt: skip
    assert code == 0
    added = json.loads(out)
    code, out, _ = call(capsys, "--data-dir", data, "notes", str(seeds), "--json")
    notes = json.loads(out)["notes"]
    assert [n["id"] for n in notes] == [added["id"]]
    note = notes[0]
    assert (note["quote"], note["status"], note["tags"]) == ("Yann LeCun", "anchored", ["people"])
    code, out, _ = call(capsys, "show", ARTICLE, str(seeds), "--json")
    assert json.loads(out)["text"][note["start"] : note["end"]] == "Yann LeCun"

    exported = tmp_path / "notes.json"
    assert (
        call(capsys, "--data-dir", data, "export", "--format", "json", "-o", str(exported))[0] == 0
    )
    assert json.loads(exported.read_text())["type"] == "AnnotationCollection"
    code, out, _ = call(capsys, "--data-dir", data, "import", str(exported))
    assert code == 0 and out.startswith("0 added")
    code, out, _ = call(capsys, "--data-dir", data, "export", "--format", "md")
    assert "> Yann LeCun" in out and "Meta's AI chief" in out


def test_import_of_an_export_with_a_duplicate_says_so(
    seeds: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """Two equal highlights in an export (made before `h` refused a duplicate): into an
    empty store, one is added and the other is a duplicate, not "already there"."""
    data = str(tmp_path / "data")
    add = ("--data-dir", data, "note", "add", ARTICLE, str(seeds), "--quote", "Yann LeCun")
    assert call(capsys, *add)[0] == 0
    exported = tmp_path / "notes.json"
    call(capsys, "--data-dir", data, "export", "--format", "json", "-o", str(exported))
    collection = json.loads(exported.read_text())
    [item] = collection["first"]["items"]
    collection["first"]["items"].append(dict(item, id="urn:uuid:" + "0" * 31 + "1"))
    exported.write_text(json.dumps(collection))
    empty = str(tmp_path / "empty")
    code, out, _ = call(capsys, "--data-dir", empty, "import", str(exported))
    assert (code, out) == (0, "1 added, 0 updated, 0 already there, 1 duplicate in the file\n")
    code, out, _ = call(capsys, "--data-dir", empty, "import", str(exported))
    assert (code, out) == (0, "0 added, 0 updated, 1 already there, 1 duplicate in the file\n")
    _, out, _ = call(capsys, "--data-dir", empty, "notes", str(seeds), "--json")
    assert len(json.loads(out)["notes"]) == 1


def test_note_survives_an_edit_of_its_article(
    seeds: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    data = str(tmp_path / "data")
    call(capsys, "--data-dir", data, "note", "add", ARTICLE, str(seeds), "--quote", "Yann LeCun")
    path = seeds / ARTICLE
    path.write_text("An inserted first paragraph.\n\n" + path.read_text())
    _, out, _ = call(capsys, "--data-dir", data, "notes", str(seeds), "--json")
    note = json.loads(out)["notes"][0]
    assert note["status"] in ("anchored", "moved")
    _, out, _ = call(capsys, "show", ARTICLE, str(seeds), "--json")
    assert json.loads(out)["text"][note["start"] : note["end"]] == "Yann LeCun"


def test_quote_not_in_article_is_exit_1(
    seeds: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    code, _, err = call(
        capsys, "--data-dir", str(tmp_path), "note", "add", ARTICLE, str(seeds), "--quote", "zzz"
    )
    assert code == 1 and err.count("\n") == 1


def test_import_of_a_broken_file_is_one_line(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    broken = tmp_path / "broken.json"
    broken.write_text("{not json")
    code, _, err = call(capsys, "--data-dir", str(tmp_path), "import", str(broken))
    assert code == 1 and err.startswith("margin: ") and err.count("\n") == 1
    assert "margin export --format json" in err  # the Markdown export was given, often


def test_no_bookmarks_is_exit_1(
    seeds: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    code, out, _ = call(capsys, "--data-dir", str(tmp_path), "bookmarks", str(seeds), "--json")
    assert code == 1 and json.loads(out) == {"bookmarks": []}


def test_note_add_takes_path_after_the_options_as_documented(
    seeds: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    data = str(tmp_path / "data")
    quote = "Yann LeCun"
    code, out, err = call(
        capsys,
        "--data-dir",
        data,
        "note",
        "add",
        ARTICLE,
        "--quote",
        quote,
        "--body",
        "b",
        str(seeds),
    )
    assert code == 0, err
    code, out, _ = call(capsys, "--data-dir", data, "notes", str(seeds), "--json")
    assert [n["quote"] for n in json.loads(out)["notes"]] == [quote]
    code, _, err = call(capsys, "--data-dir", data, "export", "--format", "md", "stray")
    assert code == 2 and "unrecognized arguments: stray" in err


def records(*texts: str) -> str:
    return "".join(json.dumps({"title": f"T{i}", "text": t}) + "\n" for i, t in enumerate(texts))


def animal(n: int) -> str:
    return f"Record {n} about animal{n} and other things that live in the wild."


@pytest.mark.parametrize(
    ("texts", "article", "status"),
    [
        # a record inserted above, and the noted record edited: it is followed
        ((animal(0), animal(1), animal(2) + " EDITED", animal(3)), "f.jsonl#3", "anchored"),
        # the noted record removed: the record now on its line is another one
        ((animal(1), animal(3)), "f.jsonl#2", "orphaned"),
    ],
)
def test_a_note_never_lands_on_another_jsonl_record(
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    texts: tuple[str, ...],
    article: str,
    status: str,
) -> None:
    root, data = tmp_path / "r3", str(tmp_path / "data")
    root.mkdir()
    feed = root / "f.jsonl"
    feed.write_text(records(animal(1), animal(2), animal(3)))
    code, _, err = call(
        capsys, "--data-dir", data, "note", "add", "f.jsonl#2", "--quote", "animal2", str(root)
    )
    assert code == 0, err
    feed.write_text(records(*texts))
    _, out, _ = call(capsys, "--data-dir", data, "notes", str(root), "--json")
    note = json.loads(out)["notes"][0]
    assert (note["article"], note["status"]) == (article, status)


# -- CLI audit: empty results, highlights, ambiguous quotes --


def test_none_yet_is_said_on_stderr_and_json_stays_valid(
    seeds: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    data = str(tmp_path / "data")
    for command, key, said in (
        ("bookmarks", "bookmarks", "no bookmarks in"),
        ("notes", "notes", "no notes or highlights in"),
    ):
        code, out, err = call(capsys, "--data-dir", data, command, str(seeds))
        assert (code, out, err) == (1, "", f"margin: {said} {seeds}\n")
        code, out, _ = call(capsys, "--data-dir", data, command, str(seeds), "--json")
        assert code == 1 and json.loads(out) == {key: []}


def test_notes_lists_highlights_too_marked_as_such(
    seeds: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    from tui.corpus import load_article
    from tui.paths import corpus_key
    from tui.store import FILENAME, Store

    data = tmp_path / "data"
    body = "a body long enough to be wrapped " * 5
    add = ("note", "add", ARTICLE, str(seeds), "--quote", "Yann LeCun", "--body", body)
    assert call(capsys, "--data-dir", str(data), *add)[0] == 0
    article = load_article(seeds, ARTICLE)
    assert article is not None
    start = article.text.index("Meta")
    with Store.open(data / FILENAME) as store:
        store.add_highlight(corpus_key(seeds), ARTICLE, article.text, start, start + 4)
    code, out, _ = call(capsys, "--data-dir", str(data), "notes", str(seeds), "--json")
    assert code == 0
    kinds = {n["quote"]: n["kind"] for n in json.loads(out)["notes"]}
    assert kinds == {"Yann LeCun": "note", "Meta": "highlight"}
    code, out, _ = call(capsys, "--data-dir", str(data), "notes", str(seeds))
    rows = out.splitlines()
    assert any(r.split("\t")[1:] == ["highlight", "anchored", ARTICLE] for r in rows)
    assert "    > Meta" in rows and "    > Yann LeCun" in rows
    assert all(len(r.expandtabs()) <= 80 for r in rows), rows


def test_an_empty_or_ambiguous_quote_is_refused_and_said(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    (corpus / "crlf.txt").write_bytes(b"CRLF\r\n\r\nLine one\r\nLine two\r\nLine three\r\n")
    data = str(tmp_path / "data")
    add = ("--data-dir", data, "note", "add", "crlf.txt", str(corpus), "--quote")
    code, _, err = call(capsys, *add, "")
    assert code == 1 and err.startswith("margin: the quote is empty")
    code, _, err = call(capsys, *add, "Line")
    assert code == 1
    assert "the quote is in 'crlf.txt' 3 times: give a longer quote" in err
    code, out, _ = call(capsys, *add, "Line two", "--json")
    assert code == 0 and json.loads(out)["start"] == len("CRLF\n\nLine one\n")


def test_a_file_edited_then_renamed_keeps_its_notes_and_bookmark(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """The index saw the rename (by the text it last read): notes and bookmarks follow it."""
    from tui.paths import corpus_key
    from tui.store import FILENAME, Store

    root, data = tmp_path / "corpus", str(tmp_path / "data")
    root.mkdir()
    (root / "x.txt").write_text("Title Here\n\nAbout ospreys.\n\nAbout kestrels.\n", "utf-8")
    call(capsys, "--data-dir", data, "index", str(root))
    code, _, _ = call(
        capsys, "--data-dir", data, "note", "add", "x.txt", str(root), "--quote", "kestrels"
    )
    assert code == 0
    with Store.open(Path(data) / FILENAME) as store:
        store.add_bookmark(corpus_key(root), "x.txt", 12)
    (root / "x.txt").write_text("Title Here\n\nAbout ospreys, edited.\n\nAbout kestrels.\n")
    call(capsys, "--data-dir", data, "index", str(root))
    (root / "x.txt").rename(root / "y.txt")
    _, out, err = call(capsys, "--data-dir", data, "index", str(root))
    assert "1 renamed" in out + err
    _, out, _ = call(capsys, "--data-dir", data, "notes", str(root), "--json")
    [note] = json.loads(out)["notes"]
    assert (note["article"], note["status"]) != ("x.txt", "orphaned")
    assert note["article"] == "y.txt"
    _, out, _ = call(capsys, "--data-dir", data, "bookmarks", str(root), "--json")
    assert [b["article"] for b in json.loads(out)["bookmarks"]] == ["y.txt"]


def test_notes_of_any_script_fit_80_columns(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """A character of Chinese takes two columns: a quote in it ran to twice the width."""
    import unicodedata

    root, data = tmp_path / "corpus", str(tmp_path / "data")
    root.mkdir()
    sentence = "北京是中华人民共和国的首都，也是全国的政治和文化中心。" * 6
    (root / "zh.txt").write_text(f"北京新闻\n\n{sentence}\n", "utf-8")
    code, _, err = call(
        capsys, "--data-dir", data, "note", "add", "zh.txt", str(root),
        "--quote", sentence[:120], "--body", "first paragraph\nsecond paragraph",
    )  # fmt: skip
    assert code == 0, err
    code, out, _ = call(capsys, "--data-dir", data, "notes", str(root))
    rows = out.splitlines()
    width = [sum(2 if unicodedata.east_asian_width(c) in "WF" else 1 for c in r) for r in rows]
    assert max(width) <= 80, rows
    assert "".join(r.strip().removeprefix("> ") for r in rows[1:-2]) == sentence[:120]
    assert [r.strip() for r in rows[-2:]] == ["first paragraph", "second paragraph"]


def test_a_file_moved_in_two_steps_keeps_its_notes_and_bookmark(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """Edited, removed and indexed (the notes are orphaned), then back under another name
    and indexed: `margin index` sees no rename, yet the notes and the bookmark follow it
    (by the hash of its text), and an article with only a bookmark and a position too."""
    from tui.corpus import load_article
    from tui.paths import corpus_key
    from tui.store import FILENAME, Store

    root, data = tmp_path / "corpus", str(tmp_path / "data")
    root.mkdir()
    (root / "a.txt").write_text("Title Here\n\nAbout ospreys.\n\nAbout kestrels.\n", "utf-8")
    (root / "r.txt").write_text("Read Only\n\nAbout herons, read and bookmarked.\n", "utf-8")
    call(capsys, "--data-dir", data, "index", str(root))
    add = ("--data-dir", data, "note", "add", "a.txt", str(root), "--quote", "kestrels")
    assert call(capsys, *add)[0] == 0
    read = load_article(root, "r.txt")
    assert read is not None
    with Store.open(Path(data) / FILENAME) as store:
        store.add_bookmark(corpus_key(root), "a.txt", 12)
        store.add_bookmark(corpus_key(root), "r.txt", 3)
        store.set_position(corpus_key(root), "r.txt", 3, read.text)
    (root / "a.txt").write_text("Title Here\n\nAbout ospreys, edited.\n\nAbout kestrels.\n")
    _, out, _ = call(capsys, "--data-dir", data, "notes", str(root), "--json")
    assert [n["status"] for n in json.loads(out)["notes"]] == ["moved"]
    kept = {name: (root / name).read_bytes() for name in ("a.txt", "r.txt")}
    for name in kept:
        (root / name).unlink()
    call(capsys, "--data-dir", data, "index", str(root))
    _, out, _ = call(capsys, "--data-dir", data, "notes", str(root), "--json")
    assert [(n["article"], n["status"]) for n in json.loads(out)["notes"]] == [
        ("a.txt", "orphaned")
    ]
    (root / "b.txt").write_bytes(kept["a.txt"])
    (root / "sub").mkdir()
    (root / "sub" / "s.txt").write_bytes(kept["r.txt"])
    _, out, err = call(capsys, "--data-dir", data, "index", str(root))
    assert "0 renamed" in out + err
    _, out, _ = call(capsys, "--data-dir", data, "bookmarks", str(root), "--json")
    assert {b["article"] for b in json.loads(out)["bookmarks"]} == {"b.txt", "sub/s.txt"}
    _, out, _ = call(capsys, "--data-dir", data, "notes", str(root), "--json")
    [note] = json.loads(out)["notes"]
    assert (note["article"], note["status"], note["quote"]) == ("b.txt", "anchored", "kestrels")
