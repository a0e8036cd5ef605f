"""Find the articles of a corpus and read each file into Articles.

A corpus is a folder walked recursively (or a single file). Every file that
cannot become an article is reported as ``Skipped`` with a reason, and the
rest still load: one bad file never stops the corpus.
"""

from __future__ import annotations

import codecs
import errno
import json
import os
import re
import stat
from collections import deque
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass, field, replace
from itertools import islice
from pathlib import Path
from typing import Any

from tui.decode import UNCERTAIN, Decoded, NotText, decode
from tui.headers import FIELD_NAMES, FIELDS, field_value, parse_header
from tui.markdown import render_markdown, split_front_matter
from tui.model import (
    SUFFIXES,
    UNREADABLE,
    Article,
    Block,
    Span,
    line_blocks,
    single_byte,
    split_id,
    word_count,
)
from tui.sanitize import MARKS, sanitize, sanitize_line

MARKDOWN = frozenset({".md", ".markdown"})
TEXT_FIELDS = ("text", "body", "content")
META_FIELDS = FIELD_NAMES
"""A record's fields that say what it is (title, date, source...): see ``headers.FIELDS``."""
TIME_FIELDS = frozenset(FIELDS["date"])
"""Fields whose number is a Unix time: any other number (``"title": 42``) is no text."""
MAX_BYTES = 256 * 1024 * 1024
"""Files above this are reported, not read: margin never loads a whole disk image."""
PREVIEW_BYTES = 256 * 1024
"""A file bigger than this is first shown from its start while the whole is built."""


@dataclass(frozen=True)
class Skipped:
    """A file (or JSONL record) that is not an article, and why."""

    path: str
    reason: str


@dataclass(frozen=True)
class Source:
    """One candidate file found by ``discover``; ``rel`` is its id base."""

    path: Path
    rel: str
    size: int
    mtime_ns: int


@dataclass
class Corpus:
    """Every article of a folder, plus what could not be read."""

    root: Path
    articles: list[Article] = field(default_factory=list)
    skipped: list[Skipped] = field(default_factory=list)

    def get(self, article_id: str) -> Article | None:
        """The article with this id, if the corpus has it."""
        return next((a for a in self.articles if a.id == article_id), None)


_UNDECODABLE = re.compile("[\udc80-\udcff]")
_ESCAPED_BYTE = re.compile(r"\\x([89a-f][0-9a-f]|5c)")
_LIKE_AN_ESCAPE = re.compile(r"\\(?=x(?:[89a-f][0-9a-f]|5c))")


def _escape_name(name: str) -> str:
    """A file name's undecodable bytes as ``\\xNN``: ids are valid UTF-8 everywhere
    (SQLite, the index, JSON), and a user can type them back. A backslash that
    would read as such an escape is one itself (``\\x5c``), so that no two
    names share an id."""
    name = _LIKE_AN_ESCAPE.sub(r"\\x5c", name)
    return _UNDECODABLE.sub(lambda m: f"\\x{ord(m.group()) - 0xDC00:02x}", name)


def _unescape_name(rel: str) -> str:
    """The real (surrogate-escaped) name behind an id made by :func:`_escape_name`."""
    return _ESCAPED_BYTE.sub(
        lambda m: "\\" if m.group(1) == "5c" else chr(0xDC00 + int(m.group(1), 16)), rel
    )


def _rel(path: Path, root: Path) -> str:
    try:
        return _escape_name(path.relative_to(root).as_posix())
    except ValueError:
        return _escape_name(path.name)


def _source(path: Path, rel: str, st: os.stat_result) -> Source:
    return Source(path, rel, st.st_size, st.st_mtime_ns)


NOT_REGULAR = "not a regular file (a pipe, a device or a socket)"


def discover(root: Path) -> Iterator[Source | Skipped]:
    """Walk ``root`` for article files, cheaply (names and stat only).

    Hidden entries are skipped; symbolic links are followed, but a folder is
    entered once (a loop or a link back to an ancestor is reported), a file
    reached twice is reported, and a dangling link is reported.
    """
    if not root.is_dir():
        try:
            st = root.stat()
        except OSError as exc:
            yield Skipped(_escape_name(root.name), _os_reason(exc))
            return
        if stat.S_ISREG(st.st_mode):
            yield _source(root, _escape_name(root.name), st)
        else:
            yield Skipped(_escape_name(root.name), NOT_REGULAR)
        return
    yield from _walk(root)


Key = tuple[int, int]


@dataclass(frozen=True)
class _Folder:
    """A folder to walk; ``above`` holds it and every folder that holds it (a loop's targets)."""

    path: Path
    rel: str
    above: frozenset[Key]


Walked = Source | Skipped | _Folder | None


def _walk(root: Path) -> Iterator[Source | Skipped]:
    """Every real entry first, the symbolic links after them all: whatever the order of
    the walk, a file or folder reached both ways keeps its own path as its id, and the
    link is the one reported (deleting a link then renames nothing)."""
    st = root.stat()
    key = (st.st_dev, st.st_ino)
    seen = {key: "./"}  # where each file and folder is read
    folders = [_Folder(root, "", frozenset({key}))]
    links: deque[tuple[Path, _Folder]] = deque()
    while folders or links:
        visits: list[tuple[Path, _Folder, bool]] = []
        if folders:
            folder = folders.pop()
            try:
                with os.scandir(folder.path) as it:
                    entries = sorted(it, key=lambda e: e.name)
            except OSError as exc:
                yield Skipped(folder.rel + "/", "cannot read folder: " + _os_reason(exc))
                continue
            for entry in entries:
                if entry.name.startswith("."):
                    continue
                if entry.is_symlink():
                    links.append((Path(entry.path), folder))
                else:
                    visits.append((Path(entry.path), folder, False))
        else:
            visits.append((*links.popleft(), True))
        subfolders: list[_Folder] = []
        for path, parent, link in visits:
            found = _visit(path, _rel(path, root), parent, seen, link=link)
            if isinstance(found, _Folder):
                subfolders.append(found)
            elif found is not None:
                yield found
        folders.extend(reversed(subfolders))


def _visit(path: Path, rel: str, parent: _Folder, seen: dict[Key, str], *, link: bool) -> Walked:
    """What one entry of ``parent`` is: an article file, a folder to walk, a skip, or nothing."""
    try:
        st = path.stat()
    except FileNotFoundError:
        return Skipped(rel, "dangling symbolic link" if link else "gone while the folder was read")
    except OSError as exc:
        return Skipped(rel, "symbolic link loop" if exc.errno == errno.ELOOP else _os_reason(exc))
    key = (st.st_dev, st.st_ino)
    kind = "symbolic link" if link else "folder"
    if stat.S_ISDIR(st.st_mode):
        if key in parent.above:
            return Skipped(rel + "/", f"{kind} loop: leads back to {seen[key]}, which holds it")
        if key in seen:
            return Skipped(rel + "/", _read_there(seen[key], link))
        seen[key] = rel + "/"
        return _Folder(path, rel, parent.above | {key})
    if path.suffix.lower() not in SUFFIXES:
        return None
    if not stat.S_ISREG(st.st_mode):
        return Skipped(rel, NOT_REGULAR)  # reading a pipe would wait forever
    if key in seen:
        return Skipped(rel, _read_there(seen[key], link))
    seen[key] = rel
    return _source(path, rel, st)


def _read_there(first: str, link: bool) -> str:
    """Why a file or folder reached a second time is skipped: it is read as ``first``."""
    same = f"same {'folder' if first.endswith('/') else 'file'} as {first}, read there"
    return f"symbolic link: {same}" if link else same


def _os_reason(exc: OSError) -> str:
    if isinstance(exc, PermissionError):
        return "permission denied"
    return exc.strerror or type(exc).__name__


def load(source: Source) -> tuple[list[Article], list[Skipped]]:
    """Read one file: a list of articles (many for JSONL) and what was skipped."""
    if source.size > MAX_BYTES:
        return [], [Skipped(source.rel, f"too large ({source.size // 2**20} MB)")]
    try:
        data = source.path.read_bytes()
    except OSError as exc:
        return [], [Skipped(source.rel, UNREADABLE + _os_reason(exc))]
    try:
        decoded = decode(data)
    except NotText as exc:
        return [], [Skipped(source.rel, str(exc))]
    if source.path.suffix.lower() == ".jsonl":
        return _load_jsonl(source.rel, _jsonl_lines(data, decoded))
    markdown = source.path.suffix.lower() in MARKDOWN
    article = build_article(
        source.rel, source.rel, decoded.text, decoded.encoding, decoded.problems, markdown=markdown
    )
    return [article], []


def build_article(
    article_id: str,
    path: str,
    raw: str,
    encoding: str,
    problems: tuple[str, ...] = (),
    *,
    markdown: bool = False,
    fields: Mapping[str, str] | None = None,
) -> Article:
    """Sanitize, lay out and parse the header of one article's decoded text."""
    text = sanitize(raw)
    # Explicit fields (a JSONL record's) are as untrusted as the text.
    meta = {key: sanitize(value) for key, value in (fields or {}).items()}
    spans: list[Span] = []
    blocks: tuple[Block, ...]
    if markdown:
        front, body, front_problems = split_front_matter(text)
        meta = {**front, **meta}
        problems = problems + front_problems
        rendered = render_markdown(body)
        text, blocks = rendered.text, rendered.blocks
        spans.extend(rendered.spans)
    else:
        blocks = line_blocks(text)
    header = parse_header(text, meta, _headings(blocks) if markdown else ())
    spans.extend(Span(s, e, "meta") for s, e in header.meta)
    spans.extend(Span(s, e, "boilerplate") for s, e in header.boilerplate)
    spans.extend(_mark_spans(text))
    spans.sort(key=lambda s: (s.start, s.end))
    return Article(
        id=article_id,
        path=path,
        text=text,
        title=sanitize_line(header.title) if header.title else sanitize_line(path),
        encoding=encoding,
        date=header.date,
        language=header.language,
        source=header.source,
        author=header.author,
        url=sanitize_line(url) if (url := field_value(meta, "url")) else None,
        blocks=blocks,
        spans=tuple(spans),
        problems=problems + header.problems,
        words=word_count(text),
    )


def _headings(blocks: tuple[Block, ...]) -> list[int]:
    """Where the heading lines among the first blocks start: what ``parse_header`` reads."""
    return [b.start for b in islice(blocks, 64) if b.kind == "heading"]


_MARK = re.compile("[" + re.escape("".join(sorted(MARKS))) + "]")


def _mark_spans(text: str) -> Iterator[Span]:
    """Spans over the visible marks that stand for control characters."""
    if single_byte(text) is not None:  # no mark is in latin-1 or cp1252
        return
    for match in _MARK.finditer(text):
        yield Span(match.start(), match.end(), "mark")


def _json(line: str) -> Any:
    """One JSON value, leniently: control characters (a tab, a stray NUL) inside strings
    are kept, and an integer longer than Python reads (4,300 digits) is a float."""
    try:
        return json.loads(line, strict=False)
    except ValueError as exc:
        if isinstance(exc, json.JSONDecodeError):
            raise
        return json.loads(line, strict=False, parse_int=float)


_LINE_END = re.compile(rb"\r\n|\r|\n")  # those decode() makes "\n": ids count lines alike
_WIDE = ("utf-16", "utf-32")  # where a byte 0x0A may be half of a character


def _jsonl_lines(data: bytes, decoded: Decoded) -> Iterator[tuple[int, Decoded | NotText]]:
    """(number, line) of a JSONL file. Unless it is clean UTF-8 (or UTF-16/32), its UTF-8
    lines are UTF-8 and the others are read in one encoding guessed from all of them
    (more bytes, a better guess than line by line): records appended from several
    sources keep their letters, whichever source wrote the most."""
    if decoded.encoding.startswith(_WIDE) or (
        decoded.encoding.startswith("utf-8") and not decoded.problems
    ):
        for number, line in enumerate(decoded.text.split("\n"), start=1):
            yield number, Decoded(line, decoded.encoding, decoded.problems)
        return
    lines: list[Decoded | bytes] = []
    for raw in _LINE_END.split(data.removeprefix(codecs.BOM_UTF8)):
        try:
            lines.append(Decoded(raw.decode("utf-8"), "utf-8"))
        except UnicodeDecodeError:
            lines.append(raw)
    encoding, doubt = _legacy([line for line in lines if isinstance(line, bytes)])
    for number, read in enumerate(lines, start=1):
        if isinstance(read, Decoded):
            yield number, read
            continue
        try:
            one = decode(read, encoding)
        except NotText as exc:
            yield number, exc
        else:
            yield number, replace(one, problems=doubt + one.problems)


def _legacy(lines: list[bytes]) -> tuple[str | None, tuple[str, ...]]:
    """The encoding of these lines, guessed from all of them, and whether it is uncertain;
    None when they are no text together (each line then says why on its own)."""
    if not lines:
        return None, ()
    try:
        guess = decode(b"\n".join(lines))
    except NotText:
        return None, ()
    if guess.encoding.startswith(_WIDE):
        return None, ()
    return guess.encoding, tuple(p for p in guess.problems if p.startswith(UNCERTAIN))


_JSON_TYPES = {
    type(None): "null",
    bool: "boolean",
    int: "number",
    float: "number",
    str: "string",
    list: "array",
}
"""JSON's own names for what a line holds: a user wrote JSON, not Python."""


def _json_error(exc: ValueError | RecursionError) -> str:
    """What is wrong with a line, and where: ``unterminated string at column 14``."""
    if isinstance(exc, RecursionError):
        return "too deeply nested"
    if not isinstance(exc, json.JSONDecodeError):
        return str(exc)
    # json says "Unterminated string starting at", "Invalid control character at"...
    what = exc.msg.removesuffix(" at").removesuffix(" starting")
    return f"{what[:1].lower()}{what[1:]} at column {exc.colno}"


def _field_text(value: Any) -> str | None:
    """A record's field as text: a string, a list of strings joined ("authors": ["A", "B"]),
    or an object's ``name`` ("publisher": {"name": "Reuters"}, "authors": [{"name": "A"}]);
    None for anything else."""
    if isinstance(value, list):  # one level: a list of lists is no name
        items = [t for t in map(_one_text, value[:50]) if t and t.strip()]
        return ", ".join(items) if items else None
    return _one_text(value)


def _one_text(value: Any) -> str | None:
    if isinstance(value, str):
        return value
    if isinstance(value, dict):
        name = value.get("name")
        return name if isinstance(name, str) else None
    return None


def _load_jsonl(
    rel: str, lines: Iterable[tuple[int, Decoded | NotText]]
) -> tuple[list[Article], list[Skipped]]:
    articles: list[Article] = []
    skipped: list[Skipped] = []
    for number, decoded in lines:
        record_id = f"{rel}#{number}"
        if isinstance(decoded, NotText):
            skipped.append(Skipped(record_id, f"line {number}: {decoded.reason}"))
            continue
        line = decoded.text
        if not line.strip():
            continue
        try:
            record: Any = _json(line)
        except (ValueError, RecursionError) as exc:
            skipped.append(Skipped(record_id, f"line {number}: not valid JSON: {_json_error(exc)}"))
            continue
        if not isinstance(record, dict):
            kind = _JSON_TYPES.get(type(record), "value")
            skipped.append(Skipped(record_id, f"line {number}: a JSON {kind}, not an object"))
            continue
        text = next((record[k] for k in TEXT_FIELDS if isinstance(record.get(k), str)), None)
        if text is None:
            present = [k for k in TEXT_FIELDS if record.get(k) is not None]
            why = (
                f"field {present[0]!r} is not a string"
                if present
                else f"no text field ({', '.join(TEXT_FIELDS)})"
            )
            skipped.append(Skipped(record_id, f"line {number}: {why}"))
            continue
        if not text.strip():
            skipped.append(Skipped(record_id, f"line {number}: empty text"))
            continue
        fields: dict[str, str] = {}
        ignored: list[str] = []
        for key, value in record.items():
            if key in META_FIELDS:
                if isinstance(value, int | float) and not isinstance(value, bool):
                    read = f"{value:.0f}" if key in TIME_FIELDS and value == value else None
                else:
                    read = _field_text(value)
                if read is not None:
                    fields[key] = read
                elif value not in (None, [], {}):
                    ignored.append(key)
        problems = decoded.problems + tuple(
            f"field {k!r} is not a string: ignored" for k in ignored
        )
        text = text.replace("\r\n", "\n").replace("\r", "\n")
        articles.append(
            build_article(record_id, rel, text, decoded.encoding, problems, fields=fields)
        )
    return articles, skipped


def load_corpus(root: Path) -> Corpus:
    """Discover and read every article under ``root`` (no cache involved)."""
    corpus = Corpus(root)
    for found in discover(root):
        if isinstance(found, Skipped):
            corpus.skipped.append(found)
            continue
        articles, skipped = load(found)
        corpus.articles.extend(articles)
        corpus.skipped.extend(skipped)
    corpus.articles = sort_articles(corpus.articles)
    return corpus


def sort_articles(articles: list[Article]) -> list[Article]:
    """Newest first, undated last, then by title: the order of the sidebar and ``list``."""
    dated = sorted(
        (a for a in articles if a.date), key=lambda a: (a.date or "", a.id), reverse=True
    )
    undated = sorted((a for a in articles if not a.date), key=lambda a: (a.title.casefold(), a.id))
    return dated + undated


def _article_path(root: Path, article_id: str) -> tuple[Path, os.stat_result] | None:
    """The file that holds ``article_id`` and its stat; None for an id outside the corpus.

    Ids never reach outside the corpus: ``../`` or an absolute path finds nothing.
    """
    rel, record = split_id(article_id)
    if root.is_dir():
        if not rel or Path(rel).is_absolute() or ".." in Path(rel).parts:
            return None
        path = root / _unescape_name(rel)
    elif rel == _escape_name(root.name):
        path = root
    else:
        return None
    try:
        st = path.stat()
    except OSError:
        return None
    if not stat.S_ISREG(st.st_mode) or path.suffix.lower() not in SUFFIXES:
        return None
    if record and path.suffix.lower() != ".jsonl":
        return None
    return path, st


def file_exists(root: Path, article_id: str) -> bool:
    """Is the file that holds ``article_id`` in the corpus (a record: its JSONL file)?"""
    return _article_path(root, article_id) is not None


def load_article(root: Path, article_id: str) -> Article | None:
    """Read just the file that holds ``article_id``: ``show`` need not walk the corpus."""
    found = _article_path(root, article_id)
    if found is None:
        return None
    path, st = found
    articles, _ = load(_source(path, split_id(article_id)[0], st))
    return next((a for a in articles if a.id == article_id), None)


def preview(root: Path, article_id: str) -> Article | None:
    """The start of a big article, to show while the whole of it is built.

    Only a plain-text or Markdown file over ``PREVIEW_BYTES``: its first bytes,
    cut after a line break or a space (no character is split), through the same
    pipeline. Its offsets are those of the whole article, so the reader keeps
    its place when the whole replaces it. None when there is nothing to preview.
    """
    found = _article_path(root, article_id)
    if found is None or found[0].suffix.lower() == ".jsonl":
        return None
    path = found[0]
    try:
        with path.open("rb") as file:
            data = file.read(PREVIEW_BYTES + 1)
    except OSError:
        return None
    # After a line break, or a space in one huge line: neither is part of another character.
    cut = max(data.rfind(b"\n", 0, PREVIEW_BYTES), data.rfind(b" ", 0, PREVIEW_BYTES // 2))
    if len(data) <= PREVIEW_BYTES or cut <= 0 or b"\x00" in data[:cut]:
        return None  # small, or UTF-16 (where a cut at b"\n" splits a character)
    try:
        decoded = decode(data[: cut + 1])
    except NotText:
        return None
    markdown = path.suffix.lower() in MARKDOWN
    start = build_article(article_id, article_id, decoded.text, decoded.encoding, markdown=markdown)
    return replace(start, partial=True)
