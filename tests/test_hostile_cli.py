"""The hostile folder through the installed ``margin`` command: exact JSON for
scripts, inert plain text for terminals, one-line errors, the right exit codes."""

from __future__ import annotations

import json
import os
import sqlite3
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
from hostile import BAD_NAME_ID, ESC, MARKUP_NAME, Hostile, shared_hostile, unsafe, write_hostile

from tui.corpus import load_article

MARGIN = Path(sys.executable).with_name("margin")
SHOWN_PLAIN = ["attack.txt", "attack.md", "records.jsonl#11", "new\nline.txt", "wide.txt"]
SHOWN = [
    "attack.txt",
    "attack.md",
    "records.jsonl#11",
    "new\nline.txt",
    BAD_NAME_ID,
    ESC + "]0;NAME-TITLE\x07" + ESC + "[2J\x9bname.txt",
    MARKUP_NAME,
    "\u202egnp.txt",
    "wide.txt",
]


@pytest.fixture(scope="session")
def hostile(tmp_path_factory: pytest.TempPathFactory) -> Hostile:
    return shared_hostile(tmp_path_factory.mktemp("cli"))


def margin(*args: str, env: dict[str, str] | None = None) -> subprocess.CompletedProcess[bytes]:
    """Run the installed command; bytes out, as a terminal would receive them."""
    return subprocess.run(
        [str(MARGIN), *args],
        capture_output=True,
        timeout=120,
        check=False,
        env={**os.environ, **(env or {})},
    )


def assert_inert(data: bytes) -> str:
    """Plain output: valid UTF-8 with nothing a terminal would obey (tabs separate cells)."""
    text = data.decode("utf-8")
    found = unsafe(text.replace("\t", " "))
    assert not found, found[:10]
    return text


def assert_one_line_error(stderr: bytes) -> str:
    text = stderr.decode("utf-8")
    assert "Traceback" not in text
    assert text.startswith("margin: ") and text.count("\n") == 1, text
    assert not unsafe(text.rstrip("\n"), one_line=True)
    return text


def test_list_json_is_exact_and_names_every_case(hostile: Hostile) -> None:
    done = margin("list", "--json", str(hostile.root))
    assert done.returncode == 0, done.stderr
    assert b"Traceback" not in done.stderr
    assert_inert(done.stdout)  # JSON escapes what a terminal would obey
    payload: dict[str, Any] = json.loads(done.stdout)
    assert {a["id"] for a in payload["articles"]} == set(hostile.listed)
    reasons = {s["path"]: s["reason"] for s in payload["skipped"]}
    assert set(reasons) == set(hostile.skipped)
    for path, phrase in hostile.skipped.items():
        assert phrase in reasons[path]
    for article in payload["articles"]:
        assert not unsafe(article["title"], one_line=True), article["id"]


def test_list_plain_is_inert(hostile: Hostile) -> None:
    done = margin("list", str(hostile.root))
    assert done.returncode == 0
    assert done.stderr == b""
    text = assert_inert(done.stdout)
    rows = text.splitlines()
    assert len(rows) == len(hostile.listed) + len(hostile.skipped)  # a name's newline is escaped
    assert "new␊line.txt" in text
    assert "␛]0;NAME-TITLE␇␛[2J␦name.txt" in text
    assert "skipped\timage.md\tbinary data (PNG image)" in text
    assert "[bold]markup[\\bold]" in text


def test_show_json_gives_the_exact_text(hostile: Hostile) -> None:
    for article_id in SHOWN:
        done = margin("show", article_id, str(hostile.root), "--json")
        assert done.returncode == 0, (article_id, done.stderr)
        assert_inert(done.stdout)
        shown = json.loads(done.stdout)
        expected = load_article(hostile.root, article_id)
        assert expected is not None
        assert shown["id"] == article_id
        assert shown["text"] == expected.text
        assert not unsafe(shown["text"])


def test_show_plain_is_inert(hostile: Hostile) -> None:
    for article_id in SHOWN_PLAIN:
        done = margin("show", article_id, str(hostile.root))
        assert done.returncode == 0, (article_id, done.stderr)
        text = assert_inert(done.stdout)
        assert text.strip(), article_id
    attack = margin("show", "attack.txt", str(hostile.root)).stdout.decode()
    assert "␛]52;c;" in attack and "⇄evil⇄" in attack and "[@click=app.quit]quit[/]" in attack


def test_show_big_files(hostile: Hostile) -> None:
    for article_id in ("big.txt", "one-line.txt"):
        done = margin("show", article_id, str(hostile.root))
        assert done.returncode == 0
        assert len(done.stdout) > 2_500_000


def test_bad_ids_fail_on_one_line(hostile: Hostile) -> None:
    for article_id in (
        "missing.txt",
        "../outside.txt",
        "/etc/passwd",
        "image.md",
        "records.jsonl#2",
        "x.txt",
        ESC + "]0;ERR-TITLE\x07.txt",
    ):
        done = margin("show", article_id, str(hostile.root))
        assert done.returncode == 1, article_id
        assert done.stdout == b""
        assert_one_line_error(done.stderr)


def test_bad_usage_exits_2() -> None:
    done = margin("list", "--no-such-flag")
    assert done.returncode == 2
    assert_one_line_error(done.stderr)
    done = margin("list", "/no/such/" + ESC + "[2Jfolder")
    assert done.returncode == 2
    assert "␛[2J" in assert_one_line_error(done.stderr)


def test_c_locale_prints_without_crashing(tmp_path: Path) -> None:
    hostile = write_hostile(tmp_path / "h", big=False)
    ascii_env = {"LANG": "C", "LC_ALL": "C", "PYTHONCOERCECLOCALE": "0", "PYTHONUTF8": "0"}
    ascii_env["PYTHONIOENCODING"] = ""
    done = margin("list", str(hostile.root), env=ascii_env)
    assert done.returncode == 0, done.stderr
    assert b"Traceback" not in done.stderr
    assert b"Wide and combined characters" in done.stdout
    assert b"\x1b" not in done.stdout
    shown = margin("show", "wide.txt", str(hostile.root), env=ascii_env)
    assert shown.returncode == 0 and b"Traceback" not in shown.stderr
    as_json = margin("show", "wide.txt", str(hostile.root), "--json", env=ascii_env)
    assert json.loads(as_json.stdout)["text"].count("英伟达") == 1


def unwritable(tmp_path: Path) -> Path:
    """A data dir no one can create: its parent is a file (so even root fails)."""
    blocker = tmp_path / "blocker"
    blocker.write_text("not a folder")
    return blocker / "data"


def test_unwritable_data_dir_still_lists_and_shows_notes(tmp_path: Path) -> None:
    corpus = write_hostile(tmp_path / "h", big=False).root
    targets = [unwritable(tmp_path)]
    if os.geteuid() != 0:
        locked = tmp_path / "locked"
        locked.mkdir(mode=0o500)
        targets.append(locked / "data")
    for data in targets:
        listed = margin("--data-dir", str(data), "list", str(corpus))
        assert listed.returncode == 0 and b"Traceback" not in listed.stderr
        notes = margin("--data-dir", str(data), "notes", str(corpus))
        assert notes.returncode == 1  # no notes; the reason is said once
        assert_one_line_error(notes.stderr)
        assert b"nothing will be saved" in notes.stderr


def test_note_add_fails_when_the_note_cannot_be_kept(tmp_path: Path) -> None:
    """A script must not be told a note was added when it is lost on exit."""
    corpus = write_hostile(tmp_path / "h", big=False).root
    data = unwritable(tmp_path)
    added = margin(
        "--data-dir", str(data), "note", "add", "cr.txt", str(corpus), "--quote", "First"
    )
    assert b"Traceback" not in added.stderr
    assert b"nothing will be saved" in added.stderr
    assert added.returncode == 1, "exit 0 for a note that is dropped when margin exits"


def test_corrupt_store_is_kept_and_said_on_one_line(tmp_path: Path) -> None:
    corpus = write_hostile(tmp_path / "h", big=False).root
    data = tmp_path / "data"
    data.mkdir()
    store = data / "margin.sqlite3"
    store.write_bytes(b"SQLite format 3\x00" + b"\xde\xad" * 4000)
    notes = margin("--data-dir", str(data), "notes", str(corpus))
    assert notes.returncode == 1
    assert_one_line_error(notes.stderr)
    assert store.read_bytes().startswith(b"SQLite format 3\x00\xde\xad")  # never overwritten
    added = margin(
        "--data-dir", str(data), "note", "add", "cr.txt", str(corpus), "--quote", "First"
    )
    assert added.returncode == 0, added.stderr
    again = margin("--data-dir", str(data), "notes", str(corpus), "--json")
    assert again.returncode == 0
    assert [n["quote"] for n in json.loads(again.stdout)["notes"]] == ["First"]
    with sqlite3.connect(store) as db:
        try:
            db.execute("select 1 from sqlite_master").fetchall()
            readable = True
        except sqlite3.DatabaseError:
            readable = False
    assert not readable  # the damaged file is left as it was for the user to inspect


def test_read_only_corpus_lists(tmp_path: Path) -> None:
    hostile = write_hostile(tmp_path / "h", big=False)
    hostile.root.chmod(0o555)
    try:
        done = margin("list", "--json", str(hostile.root))
    finally:
        hostile.root.chmod(0o755)
    assert done.returncode == 0
    assert {a["id"] for a in json.loads(done.stdout)["articles"]} == set(hostile.listed)


def test_search_snippets_are_inert_and_json_exact(tmp_path: Path) -> None:
    corpus = write_hostile(tmp_path / "h", big=False).root
    data = str(tmp_path / "data")
    plain = margin("--data-dir", data, "search", "PWNED", str(corpus))
    assert plain.returncode == 0, plain.stderr
    text = assert_inert(plain.stdout)
    assert "␛]0;PWNED-TITLE-0␇" in text
    as_json = margin("--data-dir", data, "search", "PWNED", str(corpus), "--json")
    assert_inert(as_json.stdout)
    hits = json.loads(as_json.stdout)["hits"]
    assert {"attack.txt", "attack.md", "records.jsonl#11"} <= {h["id"] for h in hits}
    for hit in hits:
        assert not unsafe(hit["snippet"], one_line=True)
        article = load_article(corpus, hit["id"])  # spans index the article's text
        assert article is not None
        for start, end in hit["spans"]:
            assert article.text[start:end].casefold() == "pwned"


def test_corrupt_cache_is_rebuilt_silently(tmp_path: Path) -> None:
    corpus = write_hostile(tmp_path / "h", big=False).root
    data = tmp_path / "data"
    first = margin("--data-dir", str(data), "search", "Nvidia", str(corpus), "--json")
    assert first.returncode == 0
    expected = {h["id"] for h in json.loads(first.stdout)["hits"]}
    damaged = 0
    for path in (data / "cache").rglob("*"):
        if path.is_file() and not path.name.endswith(".lock"):
            path.write_bytes(b"\x00garbage\xff" * 100)
            damaged += 1
    assert damaged
    again = margin("--data-dir", str(data), "search", "Nvidia", str(corpus), "--json")
    assert again.returncode == 0
    assert b"Traceback" not in again.stderr
    assert {h["id"] for h in json.loads(again.stdout)["hits"]} == expected


def _flip_texts(folder: Path) -> None:
    db = sqlite3.connect(folder / "meta.sqlite")
    with db:
        for rowid, body in db.execute("SELECT rowid, body FROM texts").fetchall():
            middle = len(body) // 2
            db.execute(
                "UPDATE texts SET body = ? WHERE rowid = ?",
                (body[:middle] + bytes(b ^ 0x5A for b in body[middle:]), rowid),
            )
    db.close()


def _scramble_segments(folder: Path) -> None:
    for path in (folder / "tantivy").iterdir():
        if path.suffix in (".term", ".idx", ".store", ".pos"):
            data = bytearray(path.read_bytes())
            third = len(data) // 3
            data[third : 2 * third] = os.urandom(third)
            path.write_bytes(bytes(data))


@pytest.mark.parametrize("damage", [_flip_texts, _scramble_segments])
def test_a_store_damaged_inside_is_found_out_and_built_again(tmp_path: Path, damage: Any) -> None:
    """Damage that opening does not see (a full check would cost seconds): the search
    that meets it marks the cache, which is built again, and answers as before."""
    corpus = write_hostile(tmp_path / "h", big=False).root
    data = tmp_path / "data"
    first = margin("--data-dir", str(data), "search", "Nvidia", str(corpus), "--json")
    assert first.returncode == 0
    (folder,) = [p.parent for p in (data / "cache").rglob("meta.sqlite")]
    damage(folder)
    again = margin("--data-dir", str(data), "search", "Nvidia", str(corpus), "--json")
    assert b"Traceback" not in again.stderr and again.returncode == 0, again.stderr
    if damage is _flip_texts:  # found by the search itself, which says so
        assert b"the index is damaged: building it again" in again.stderr

    def hits(out: bytes) -> list[dict[str, Any]]:  # equal scores come in any order
        return sorted(json.loads(out)["hits"], key=lambda h: h["id"])

    assert hits(again.stdout) == hits(first.stdout)


def test_disk_full_while_writing_the_cache_loses_nothing(tmp_path: Path) -> None:
    """The data dir on a 700 KB tmpfs (a private mount namespace): the index cannot
    be written, the store is read, and with room again the index is built."""
    probe = subprocess.run(["unshare", "-rm", "true"], capture_output=True, check=False)
    if probe.returncode != 0:
        pytest.skip("no private mount namespace here (unshare -rm)")
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    for i in range(300):  # about 2 MB of text: its index does not fit in 700 KB
        body = "\n\n".join(
            f"Paragraph {j} of article {i} about markets and chips." * 12 for j in range(8)
        )
        (corpus / f"a{i:03}.txt").write_text(f"Article number {i}\n\n{body}\n", encoding="utf-8")
    data = tmp_path / "data"
    assert (
        margin(
            "--data-dir",
            str(data),
            "note",
            "add",
            "a001.txt",
            str(corpus),
            "--quote",
            "Article number 1",
            "--body",
            "mine",
        ).returncode
        == 0
    )
    mount = tmp_path / "mnt"
    mount.mkdir()
    m = f"{MARGIN} --data-dir {mount}"
    script = f"""
        mount -t tmpfs -o size=700k tmpfs {mount} && cp -r {data}/. {mount}/ || exit 99
        {m} index {corpus}; echo "index=$?"
        {m} notes {corpus}; echo "notes=$?"
        mount -o remount,size=64m {mount}
        {m} index {corpus} >/dev/null 2>&1; echo "again=$?"
        {m} search markets {corpus} --limit 1 >/dev/null; echo "search=$?"
        {m} notes {corpus}
    """
    done = subprocess.run(
        ["unshare", "-rm", "sh", "-c", script],
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    out, err = done.stdout, done.stderr
    assert "index=1" in out and "database or disk is full" in err, (out, err)
    assert "Traceback" not in err
    assert "notes=0" in out and "read-only" in err  # the notes are read, not called damaged
    assert "damaged" not in err
    assert "again=0" in out and "search=0" in out, (out, err)
    assert out.count("\n    mine\n") == 2  # the note (its body), on the full disk and after


def test_a_pipe_given_as_the_corpus_is_refused_at_once(tmp_path: Path) -> None:
    pipe = tmp_path / "fifo.txt"
    os.mkfifo(pipe)
    for command in (["list"], ["index"], ["search", "nvidia"]):
        done = margin("--data-dir", str(tmp_path / "data"), *command, str(pipe))
        assert done.returncode == 2
        assert "pipe" in assert_one_line_error(done.stderr)
