"""A corpus of every file a real folder can throw at margin, written on demand.

``write_hostile(root)`` fills ``root`` with the cases of issue 7 and returns
what a user must see for each (:class:`Hostile`). The big
files are optional (``big=False``) so quick tests stay quick.

Also the checks every surface shares: :func:`unsafe` finds what must never
reach a terminal (ESC, other C0 controls, DEL, C1 controls, bidi controls).
"""

from __future__ import annotations

import json
import os
import random
import re
from dataclasses import dataclass, field
from pathlib import Path

ESC = "\x1b"
# Sequences a file could use to command the terminal.
OSC_TITLE_0 = ESC + "]0;PWNED-TITLE-0" + "\x07"
OSC_TITLE_2 = ESC + "]2;PWNED-TITLE-2" + ESC + "\\"
CLEAR = ESC + "[2J" + ESC + "[H"
OSC_52 = ESC + "]52;c;" + "cm0gLXJmIH4K" + "\x07"  # clipboard write: "rm -rf ~"
DCS = ESC + "P1$r0m" + ESC + "\\"
C1_CSI = "\x9b31m"  # 8-bit CSI: SGR red
C1_OSC = "\x9d0;C1-TITLE\x9c"
BEL = "\x07"
BAD_NAME_ID = "bad-\\xff\\xfe-name.txt"
MARKUP_NAME = "[bold]markup[\\bold] [@click=app.quit]x[\\].txt"  # a name holds no "/"
BIDI = "\u202eevil\u202c \u2066isolate\u2069 \u200f"
MARKUP = "[bold]bold[/bold] [link=https://evil.example]link[/link] [@click=app.quit]quit[/]"
ATTACK = " ".join((OSC_TITLE_0, OSC_TITLE_2, CLEAR, OSC_52, DCS, C1_CSI, C1_OSC, BEL, BIDI, MARKUP))

_UNSAFE = re.compile(
    "[\x00-\x09\x0b-\x1f\x7f-\x9f\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069\ud800-\udfff]"
)
_UNSAFE_LINE = re.compile(
    "[\x00-\x1f\x7f-\x9f\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069\ud800-\udfff]"
)


def unsafe(text: str, *, one_line: bool = False) -> list[str]:
    """The characters of ``text`` a terminal would obey or reorder by (newline allowed
    unless ``one_line``); empty when ``text`` is safe to draw."""
    return (_UNSAFE_LINE if one_line else _UNSAFE).findall(text)


PROSE = (
    "Nvidia sold more chips this quarter than analysts expected, and the company "
    "said demand for data centre hardware would stay strong into next year. "
)

WIDE = (
    "宽字符测试：英伟达的芯片 · 日本語のテキスト · 한국어 텍스트\n"
    "Combining: e\u0301 a\u0308 n\u0303 Z\u0336\u0335\u0334a\u0337l\u0338g\u0321o\u0322\n"
    "Emoji ZWJ: 👩\u200d👩\u200d👧\u200d👦 🏳\ufe0f\u200d🌈 👍🏽 🇮🇹\n"
)


@dataclass
class Hostile:
    """The written folder and what a user must see of it: ``listed`` maps each
    article id to a phrase of its text, ``skipped`` each skipped path to a
    phrase of its reason."""

    root: Path
    listed: dict[str, str] = field(default_factory=dict)
    skipped: dict[str, str] = field(default_factory=dict)


def prose(megabytes: float, *, one_line: bool = False, seed: int = 7) -> str:
    """Deterministic prose of about ``megabytes`` MB, in paragraphs or as one line."""
    rng = random.Random(seed)
    words = PROSE.lower().replace(",", "").replace(".", "").split()
    target = int(megabytes * 1_000_000)
    parts: list[str] = []
    size = 0
    while size < target:
        sentence = " ".join(rng.choice(words) for _ in range(rng.randint(8, 24))) + ". "
        parts.append(sentence)
        size += len(sentence)
        if not one_line and rng.random() < 0.12:
            parts.append("\n\n")
    return "".join(parts)


def write_hostile(root: Path, *, big: bool = True) -> Hostile:
    """Write every hostile case under ``root`` (created)."""
    root.mkdir(parents=True, exist_ok=True)
    w = _Writer(Hostile(root))

    # -- not text --
    w.bytes("binary-nul.txt", b"Looks like text\x00\x01\x02\x03 but is not" * 50)
    w.skip("binary-nul.txt", "binary data")
    w.bytes("image.md", b"\x89PNG\r\n\x1a\n" + bytes(range(256)) * 8)
    w.skip("image.md", "PNG image")
    w.bytes("empty.txt", b"")
    w.skip("empty.txt", "empty file")
    w.bytes("blank.md", b"  \n\t\n   \r\n")
    w.skip("blank.md", "empty file")

    # -- encodings and line ends --
    good = "Damaged bytes inside good text\n\nCafé, résumé and naïve façade. " * 3
    w.bytes("invalid-utf8.txt", good.encode() + b"\xff\xfe bad \xc3\x28 here. " + good.encode())
    w.ok("invalid-utf8.txt", "\ufffd")
    w.bytes(
        "utf16-bom.txt", "\ufeffUTF-16 article title\n\nGrüße aus Köln, 東京.\n".encode("utf-16-le")
    )
    w.ok("utf16-bom.txt", "Grüße aus Köln")
    cp = "Legacy encoding title\n\nLe café était déjà fermé — « très » tôt, dit-il. Où ça ?\n" * 3
    w.bytes("cp1252.txt", cp.encode("cp1252"))
    w.ok("cp1252.txt", "café était déjà")
    latin = "Latin one title\n\nÜber die Brücke gehen Straßenbahnen; Öl und Käse.\n" * 3
    w.bytes("latin1.txt", latin.encode("latin-1"))
    w.ok("latin1.txt", "Über die Brücke")
    w.bytes("crlf.txt", b"CRLF title\r\n\r\nFirst line.\r\nSecond line.\r\n")
    w.ok("crlf.txt", "First line.\nSecond line.")
    w.bytes("cr.txt", b"Old Mac title\r\rFirst line.\rSecond line.\r")
    w.ok("cr.txt", "First line.\nSecond line.")

    # -- size --
    if big:
        w.text("one-line.txt", prose(3, one_line=True, seed=3))
        w.ok("one-line.txt", "nvidia")
        w.text("big.txt", "A twenty megabyte article\n\n" + prose(20))
        w.ok("big.txt", "twenty megabyte")

    # -- markdown that hurts parsers --
    w.text("nested-quotes.md", "# Deep quotes\n\n" + ">" * 5000 + " bottom of the well\n")
    w.ok("nested-quotes.md", "bottom of the well")
    lists = "".join("  " * i + "- level " + str(i) + "\n" for i in range(2000))
    w.text("nested-lists.md", "# Deep lists\n\n" + lists)
    w.ok("nested-lists.md", "level 0")
    w.text(
        "emphasis.md",
        "# Pathological inline\n\n"
        + "*a **b " * 20000
        + "\n\n"
        + "[" * 20000
        + "\n\n"
        + "![" * 10000
        + "\n\n"
        + "_" * 30000
        + "\n\n"
        + "`" * 10000
        + "\n\n"
        + "<" * 10000
        + "\n\nThe end survives.\n",
    )
    w.ok("emphasis.md", "The end survives.")
    w.text("wide.txt", "Wide and combined characters\n\n" + WIDE)
    w.ok("wide.txt", "英伟达")

    # -- JSON lines --
    records = [
        json.dumps({"title": "A good record", "text": PROSE}),
        '{"title": "broken", "text": "never clos',
        "[1, 2, 3]",
        '"just a string"',
        "42",
        json.dumps({"title": 5, "date": ["x"], "text": "Non-string fields. " + PROSE}),
        json.dumps({"title": "no text here"}),
        json.dumps({"title": "text is a number", "text": 42}),
        json.dumps({"title": "blank text", "text": "   "}),
        "[" * 100_000 + "]" * 100_000,
        json.dumps(
            {
                "title": "Attack in title " + ATTACK,
                "author": "Mallory " + OSC_TITLE_0,
                "source": "Evil " + C1_CSI + BIDI,
                "date": "2024-01-02",
                "text": "Attack in text. " + ATTACK + "\n\n" + PROSE,
            }
        ),
    ]
    w.text("records.jsonl", "\n".join(records) + "\n")
    w.ok("records.jsonl#1", "Nvidia sold more chips")
    w.skip("records.jsonl#2", "not valid JSON")
    w.skip("records.jsonl#3", "a JSON array, not an object")
    w.skip("records.jsonl#4", "a JSON string, not an object")
    w.skip("records.jsonl#5", "a JSON number, not an object")
    w.ok("records.jsonl#6", "Non-string fields.")
    w.skip("records.jsonl#7", "no text field")
    w.skip("records.jsonl#8", "is not a string")
    w.skip("records.jsonl#9", "empty text")
    w.skip("records.jsonl#10", "not valid JSON")
    w.ok("records.jsonl#11", "Attack in text.")

    # -- file names --
    w.text("with spaces in name.txt", "Spaces title\n\n" + PROSE)
    w.ok("with spaces in name.txt", "Nvidia sold")
    raw_name = b"bad-\xff\xfe-name.txt"
    (root / os.fsdecode(raw_name)).write_text("Undecodable name\n\n" + PROSE)
    w.ok(BAD_NAME_ID, "Nvidia sold")  # undecodable bytes are escaped in the id
    w.text("new\nline.txt", "Newline name\n\n" + PROSE)
    w.ok("new\nline.txt", "Nvidia sold")
    esc_name = ESC + "]0;NAME-TITLE" + BEL + ESC + "[2J" + "\x9b" + "name.txt"
    w.text(esc_name, "\n\n" + PROSE)  # no title line: the file name becomes the title
    w.ok(esc_name, "Nvidia sold")
    w.text(MARKUP_NAME, "\n\n" + PROSE)
    w.ok(MARKUP_NAME, "Nvidia sold")
    w.text("\u202egnp.txt", "\n\n" + PROSE)
    w.ok("\u202egnp.txt", "Nvidia sold")

    # -- folders and links --
    (root / "x.txt").mkdir()
    w.text("x.txt/inside.txt", "Inside a folder named x.txt\n\n" + PROSE)
    w.ok("x.txt/inside.txt", "Nvidia sold")
    os.symlink("loop-b.txt", root / "loop-a.txt")
    os.symlink("loop-a.txt", root / "loop-b.txt")
    w.skip("loop-a.txt", "symbolic link loop")
    w.skip("loop-b.txt", "symbolic link loop")
    os.symlink(".", root / "self")
    w.skip("self/", "symbolic link loop")
    os.symlink("nowhere.txt", root / "dangling.txt")
    w.skip("dangling.txt", "dangling symbolic link")
    os.symlink("crlf.txt", root / "alias.txt")
    w.skip("alias.txt", "same file as crlf.txt")

    # -- terminal attacks in content --
    w.text("attack.txt", "Attack title " + ATTACK + "\n\nBody. " + ATTACK + "\n\n" + PROSE)
    w.ok("attack.txt", "Body.")
    w.text(
        "attack.md",
        "---\ntitle: 'Front " + ATTACK.replace("'", "") + "'\n---\n\n# Heading " + ATTACK + "\n\n"
        "Para &#x1b;]0;ENTITY&#7; &#x202E;rev &#155; and *em " + ATTACK + "*\n\n"
        "- item " + ATTACK + "\n\n> quote " + ATTACK + "\n\n```\ncode " + ATTACK + "\n```\n\n"
        "[link " + ATTACK + "](https://x.example/" + ESC + "]0;U" + BEL + ")\n",
    )
    w.ok("attack.md", "Para")
    # 0x9B in a legacy encoding is not a control: cp1252 reads it as "›".
    w.bytes(
        "c1-legacy.txt", b"C1 byte title\n\nCaf\xe9 \x9b d\xe9j\xe0 vu \x07 bell \x1b[2J.\n" * 3
    )
    w.ok("c1-legacy.txt", "Caf")
    return w.hostile


class _Writer:
    def __init__(self, hostile: Hostile) -> None:
        self.hostile = hostile
        self.root = hostile.root

    def bytes(self, name: str, data: bytes) -> None:
        (self.root / name).write_bytes(data)

    def text(self, name: str, text: str) -> None:
        (self.root / name).write_text(text, encoding="utf-8")

    def ok(self, article_id: str, phrase: str) -> None:
        self.hostile.listed[article_id] = phrase

    def skip(self, path: str, reason: str) -> None:
        self.hostile.skipped[path] = reason


_SHARED: dict[str, Hostile] = {}


def shared_hostile(base: Path) -> Hostile:
    """The full folder (with the big files), written once per test session.

    Every test module's session fixture calls this with a folder from
    ``tmp_path_factory``; the first call writes, later ones reuse it.
    """
    if "full" not in _SHARED:
        _SHARED["full"] = write_hostile(base / "hostile")
    return _SHARED["full"]
