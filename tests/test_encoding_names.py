"""The encoding a user is told a file was read in: one naming style everywhere."""

from __future__ import annotations

import codecs
import json
import subprocess
import sys
from pathlib import Path

FILES = {
    "western.txt": ("Größe und Straße\n\n„Wir müssen jetzt handeln“, sagte sie.\n", "cp1252"),
    "central.txt": ("Rząd przyjął ustawę\n\nŻadna z partii nie poparła projektu.\n", "cp1250"),
    "russian.txt": ("Новости дня\n\nПравительство одобрило новый закон о бизнесе.\n", "koi8_r"),
    "wide.txt": ("\ufeffWide title\n\nText in UTF-16, with a byte order mark.\n", "utf-16-le"),
    "plain.txt": ("Plain title\n\nText in UTF-8, as most files are.\n", "utf-8"),
}


def test_list_and_show_name_encodings_as_iana_does(tmp_path: Path) -> None:
    """`margin list --json` and `show --json` say windows-1252, koi8-r, utf-16le: the
    names iconv and HTML use, not Python's cp1252, koi8_r, utf-16-le, and each one
    reads the file again in Python."""
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    for name, (text, codec) in FILES.items():
        (corpus / name).write_bytes(text.encode(codec))
    listed = subprocess.run(
        [sys.executable, "-m", "tui", "list", str(corpus), "--json"],
        capture_output=True,
        text=True,
        timeout=120,
        check=True,
    )
    names = {a["id"]: a["encoding"] for a in json.loads(listed.stdout)["articles"]}
    assert names == {
        "western.txt": "windows-1252",
        "central.txt": "windows-1250",
        "russian.txt": "koi8-r",
        "wide.txt": "utf-16le",
        "plain.txt": "utf-8",
    }
    for name, encoding in names.items():
        codec = FILES[name][1]
        assert codecs.lookup(encoding).name == codecs.lookup(codec).name
    shown = subprocess.run(
        [sys.executable, "-m", "tui", "show", "russian.txt", str(corpus), "--json"],
        capture_output=True,
        text=True,
        timeout=120,
        check=True,
    )
    assert json.loads(shown.stdout)["encoding"] == "koi8-r"
