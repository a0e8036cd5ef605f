"""The store under real processes: killed mid-burst, and two writers at once."""

from __future__ import annotations

import os
import signal
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

from tui.store import Store

ROOT = Path(__file__).resolve().parent.parent

TEXT = "Nvidia reported record revenue on Wednesday, driven by demand for its AI chips.\n" * 20

# Writes notes until killed (or until COUNT), printing each id once its
# transaction has committed. Waits for GO to exist before starting, so two
# writers can start together.
WRITER = """
import sys, time
from pathlib import Path
from tui.store import Store

path, tag, count, go = Path(sys.argv[1]), sys.argv[2], int(sys.argv[3]), Path(sys.argv[4])
text = sys.argv[5]
store = Store.open(path)
assert store.problem is None, store.problem
print("ready", flush=True)
while not go.exists():
    time.sleep(0.001)
for i in range(count):
    start = (i * 7) % (len(text) - 20)
    body = f"#{tag} note {i}"
    note = store.add_note("corpus", f"{tag}/{i % 5}.txt", text, start, start + 12, body)
    sys.stdout.write(note.id + "\\n")
    sys.stdout.flush()
store.close()
print("done", flush=True)
"""


def writer(path: Path, tag: str, count: int, go: Path) -> subprocess.Popen[str]:
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    return subprocess.Popen(
        [sys.executable, "-c", WRITER, str(path), tag, str(count), str(go), TEXT],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        env=env,
        cwd=ROOT,
    )


def integrity(path: Path) -> str:
    db = sqlite3.connect(path)
    try:
        return "; ".join(r[0] for r in db.execute("PRAGMA integrity_check"))
    finally:
        db.close()


def test_sigkill_mid_burst_loses_no_committed_note(tmp_path: Path) -> None:
    path = tmp_path / "data" / "margin.sqlite3"
    go = tmp_path / "go"
    go.touch()
    reported: list[str] = []
    for round_ in range(5):  # five kills at different moments, on the same file
        child = writer(path, "kill", 1_000_000, go)
        assert child.stdout is not None
        assert child.stdout.readline().strip() == "ready"
        for _ in range(20):
            reported.append(child.stdout.readline().strip())
        time.sleep(0.01 * round_ + 0.003)  # the child keeps writing meanwhile
        child.send_signal(signal.SIGKILL)
        rest = child.stdout.read()  # what it printed up to the kill, buffered or not
        child.wait(timeout=30)
        assert child.returncode == -signal.SIGKILL
        # A line cut by the kill is not a report of a commit.
        lines = rest.split("\n")
        reported += [line for line in lines[:-1] if line not in ("ready", "done")]

    check = integrity(path)
    with Store.open(path) as store:
        assert store.problem is None
        stored = {n.id for n in store.notes("corpus")}
    missing = [i for i in reported if i not in stored]
    print(
        f"\nkill test: 5 children SIGKILLed mid-burst after reporting {len(reported)} committed "
        f"notes; integrity_check={check}; stored={len(stored)}; missing={len(missing)}; "
        f"committed but killed before printing: {len(stored) - len(reported)}"
    )
    assert check == "ok"
    assert missing == []
    assert 0 <= len(stored) - len(reported) <= 5


def test_two_processes_write_at_once(tmp_path: Path) -> None:
    path = tmp_path / "data" / "margin.sqlite3"
    go = tmp_path / "go"
    count = 300
    children = [writer(path, tag, count, go) for tag in ("one", "two")]
    for child in children:
        assert child.stdout is not None
        assert child.stdout.readline().strip() == "ready"
    started = time.perf_counter()
    go.touch()
    outputs = [child.communicate(timeout=120) for child in children]
    elapsed = time.perf_counter() - started
    for child, (_, err) in zip(children, outputs, strict=True):
        assert child.returncode == 0, err
    ids = [[line for line in out.split() if line not in ("ready", "done")] for out, _ in outputs]
    check = integrity(path)
    with Store.open(path) as store:
        notes = store.notes("corpus")
    stored = {n.id for n in notes}
    by_tag = {tag: sum(1 for n in notes if n.tags == (tag,)) for tag in ("one", "two")}
    print(
        f"\ntwo-process test: {len(ids[0])} + {len(ids[1])} notes reported in {elapsed:.2f}s; "
        f"stored={len(stored)} {by_tag}; integrity_check={check}"
    )
    assert [len(i) for i in ids] == [count, count]
    assert stored == set(ids[0]) | set(ids[1])
    assert by_tag == {"one": count, "two": count}
    assert check == "ok"


def test_two_processes_open_a_fresh_file_at_once(tmp_path: Path) -> None:
    """Both create and migrate the same new file: neither fails."""
    for attempt in range(5):
        path = tmp_path / f"try{attempt}" / "margin.sqlite3"
        go = tmp_path / f"go{attempt}"
        go.touch()
        children = [writer(path, tag, 3, go) for tag in ("a", "b")]
        for child in children:
            _, err = child.communicate(timeout=60)
            assert child.returncode == 0, err
        with Store.open(path) as store:
            assert len(store.notes()) == 6


# Waits for GO, then opens the store (so all children open it at the same
# moment) and adds one note; prints the note id, or the problem.
OPENER = """
import sys, time
from pathlib import Path
from tui.store import Store

path, tag, go, text = Path(sys.argv[1]), sys.argv[2], Path(sys.argv[3]), sys.argv[4]
print("waiting", flush=True)
while not go.exists():
    time.sleep(0.0005)
store = Store.open(path)
assert store.problem is None, store.problem
assert store.path == path and not store.read_only, (store.path, store.read_only)
note = store.add_note("corpus", f"{tag}.txt", text, 0, 12, f"#{tag}")
store.close()
print(note.id, flush=True)
"""


def open_at_once(path: Path, go: Path, n: int) -> list[str]:
    """``n`` processes open ``path`` at the same moment and add a note each; their ids."""
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    children = [
        subprocess.Popen(
            [sys.executable, "-c", OPENER, str(path), f"p{i}", str(go), TEXT],
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
            env=env,
            cwd=ROOT,
        )
        for i in range(n)
    ]
    for child in children:
        assert child.stdout is not None
        assert child.stdout.readline().strip() == "waiting"
    go.touch()
    ids = []
    for child in children:
        out, err = child.communicate(timeout=60)
        assert child.returncode == 0, err
        ids.append(out.strip())
    return ids


def test_four_processes_open_a_brand_new_file_at_once(tmp_path: Path) -> None:
    """Four processes create, switch to WAL and migrate one new file together:
    all four get the normal writable file, and every note lands in it."""
    for attempt in range(5):
        folder = tmp_path / f"try{attempt}"
        path = folder / "data" / "margin.sqlite3"
        ids = open_at_once(path, tmp_path / f"go{attempt}", 4)
        assert sorted(p.name for p in path.parent.iterdir() if "fresh" in p.name) == []
        assert integrity(path) == "ok"
        with Store.open(path) as store:
            assert store.problem is None
            assert {n.id for n in store.notes()} == set(ids)
        db = sqlite3.connect(path)
        assert db.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
        db.close()


def test_four_processes_open_an_existing_rollback_journal_file_at_once(tmp_path: Path) -> None:
    """An existing store not yet in WAL mode: all four switch it at once."""
    for attempt in range(3):
        path = tmp_path / f"try{attempt}" / "margin.sqlite3"
        with Store.open(path) as store:
            first = store.add_note("corpus", "a.txt", TEXT, 0, 12, "already there")
        db = sqlite3.connect(path)
        assert db.execute("PRAGMA journal_mode = DELETE").fetchone()[0] == "delete"
        db.close()
        ids = open_at_once(path, tmp_path / f"go{attempt}", 4)
        assert integrity(path) == "ok"
        with Store.open(path) as store:
            assert store.problem is None
            assert {n.id for n in store.notes()} == {first.id, *ids}
