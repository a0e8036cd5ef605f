"""Export and import of the user's notes, highlights and bookmarks.

- JSON: W3C Web Annotation Data Model objects (``@context``
  ``http://www.w3.org/ns/anno.jsonld``) in an ``AnnotationCollection``. A
  note is ``motivation: commenting`` with a ``TextualBody`` (and one
  ``tagging`` body per tag), a highlight ``highlighting``, a bookmark
  ``bookmarking``. Targets carry a TextQuoteSelector and a
  TextPositionSelector; a ``margin`` member keeps the corpus key, article id
  and content hash so an export can be imported back exactly.
- Markdown: for people; grouped by article, quotes as block quotes.

Import merges: an annotation whose id is already there is skipped unless
the incoming one was modified later; an equal annotation under another id is
skipped too. So importing an export is a no-op, and importing it elsewhere
creates each item once.
"""

from __future__ import annotations

import json
import uuid
from collections import defaultdict
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Literal
from urllib.parse import quote, unquote

from tui.store import (
    Annotation,
    Bookmark,
    Kind,
    Store,
    normalize_time,
    now,
    parse_tags,
)

CONTEXT = "http://www.w3.org/ns/anno.jsonld"
URN = "urn:margin:"

_MOTIVATION: dict[str, str] = {
    "note": "commenting",
    "highlight": "highlighting",
    "bookmark": "bookmarking",
}


class AnnotationFormatError(ValueError):
    """A file given to import is not JSON of Web Annotations (one-line message)."""


@dataclass
class ImportResult:
    """What an import did."""

    added: int = 0
    updated: int = 0
    skipped: int = 0
    """Already there (same id not newer, or an equal annotation)."""
    duplicates: int = 0
    """Equal to an annotation earlier in the same file (another id, same article, kind,
    quote, offsets and body): taken once, whether the store had it or not."""
    unreadable: list[str] = field(default_factory=list)
    """One line per object that could not be understood (not imported)."""


# -- to W3C -------------------------------------------------------------------


def source(corpus: str, article: str) -> str:
    """The target ``source`` IRI of an article: ``urn:margin:<corpus>:<article>``."""
    return f"{URN}{quote(corpus, safe='')}:{quote(article, safe='/')}"


def _parse_source(value: str) -> tuple[str, str] | None:
    if not value.startswith(URN):
        return None
    corpus, sep, article = value[len(URN) :].partition(":")
    if not sep or not article:
        return None
    return unquote(corpus), unquote(article)


def _urn(item_id: str) -> str:
    try:
        return uuid.UUID(hex=item_id).urn
    except ValueError:
        return item_id


def annotation_to_w3c(a: Annotation) -> dict[str, Any]:
    """One note or highlight as a W3C Web Annotation object."""
    obj: dict[str, Any] = {
        "id": _urn(a.id),
        "type": "Annotation",
        "motivation": _MOTIVATION[a.kind],
        "created": a.created,
        "modified": a.updated,
    }
    bodies: list[dict[str, Any]] = []
    if a.body:
        bodies.append(
            {
                "type": "TextualBody",
                "value": a.body,
                "format": "text/plain",
                "purpose": "commenting",
            }
        )
    bodies += [{"type": "TextualBody", "value": tag, "purpose": "tagging"} for tag in a.tags]
    if bodies:
        obj["body"] = bodies
    obj["target"] = {
        "source": source(a.corpus, a.article),
        "selector": [
            {"type": "TextQuoteSelector", "exact": a.quote, "prefix": a.prefix, "suffix": a.suffix},
            {"type": "TextPositionSelector", "start": a.start, "end": a.end},
        ],
    }
    obj["margin"] = {
        "kind": a.kind,
        "corpus": a.corpus,
        "article": a.article,
        "hash": a.article_hash,
    }
    return obj


def bookmark_to_w3c(b: Bookmark) -> dict[str, Any]:
    """One bookmark as a W3C Web Annotation object (a zero-length position)."""
    return {
        "id": _urn(b.id),
        "type": "Annotation",
        "motivation": "bookmarking",
        "created": b.created,
        "modified": b.updated,
        "target": {
            "source": source(b.corpus, b.article),
            "selector": {"type": "TextPositionSelector", "start": b.offset, "end": b.offset},
        },
        "margin": {"kind": "bookmark", "corpus": b.corpus, "article": b.article},
    }


def export_json(store: Store, corpus: str | None = None) -> dict[str, Any]:
    """All live notes, highlights and bookmarks (of one corpus, or all) as an
    ``AnnotationCollection`` with its items embedded in the first page."""
    items = [annotation_to_w3c(a) for a in _ordered(store.annotations(corpus))]
    items += [bookmark_to_w3c(b) for b in sorted(store.bookmarks(corpus), key=_bookmark_key)]
    return {
        "@context": CONTEXT,
        "type": "AnnotationCollection",
        "label": "margin export",
        "generator": "margin",
        "generated": now(),
        "total": len(items),
        "first": {"type": "AnnotationPage", "startIndex": 0, "items": items},
    }


def export_text(store: Store, format: Literal["md", "json"], corpus: str | None = None) -> str:
    """The export as text: Markdown, or indented JSON."""
    if format == "md":
        return export_markdown(store, corpus)
    return json.dumps(export_json(store, corpus), ensure_ascii=False, indent=2) + "\n"


def _ordered(annotations: Iterable[Annotation]) -> list[Annotation]:
    return sorted(annotations, key=lambda a: (a.corpus, a.article, a.start, a.end, a.created, a.id))


def _bookmark_key(b: Bookmark) -> tuple[str, str]:
    return (b.corpus, b.article)


# -- Markdown -----------------------------------------------------------------


def export_markdown(
    store: Store, corpus: str | None = None, titles: Mapping[str, str] | None = None
) -> str:
    """Notes, highlights and bookmarks for reading: one section per article.

    Args:
        store: the store to export.
        corpus: only this corpus (default: all).
        titles: article id -> title, for the section headings.
    """
    titles = titles or {}
    annotations = _ordered(store.annotations(corpus))
    bookmarks = sorted(store.bookmarks(corpus), key=_bookmark_key)
    by_article: dict[tuple[str, str], list[Annotation]] = defaultdict(list)
    for a in annotations:
        by_article[a.corpus, a.article].append(a)
    marked = {(b.corpus, b.article): b for b in bookmarks}
    keys = sorted(set(by_article) | set(marked))
    several = len({c for c, _ in keys}) > 1

    n_notes = sum(1 for a in annotations if a.kind == "note")
    lines = [
        "# margin: notes, highlights and bookmarks",
        "",
        f"Exported {now()[:19]}Z: {_count(n_notes, 'note')}, "
        f"{_count(len(annotations) - n_notes, 'highlight')}, {_count(len(bookmarks), 'bookmark')}.",
        "",
    ]
    for key in keys:
        corpus_key, article = key
        title = titles.get(article)
        heading = f"{title} ({article})" if title and title != article else article
        lines += [f"## {_one_line(heading)}", ""]
        if several:
            lines += [f"Corpus `{corpus_key}`.", ""]
        if key in marked:
            lines += [f"Bookmarked at character {marked[key].offset}.", ""]
        for a in by_article.get(key, []):
            lines += [_blockquote(a.quote), ""]
            if a.body:
                lines += [a.body.rstrip(), ""]
            meta = [a.kind, f"characters {a.start}-{a.end}", a.created[:10]]
            if a.tags:
                meta.append(" ".join("#" + t for t in a.tags))
            lines += ["*" + " · ".join(meta) + "*", ""]
    return "\n".join(lines).rstrip() + "\n"


def _count(n: int, word: str) -> str:
    return f"{n} {word}" + ("" if n == 1 else "s")


def _one_line(text: str) -> str:
    return " ".join(text.split())


def _blockquote(text: str) -> str:
    return "\n".join(("> " + line).rstrip() for line in text.splitlines() or [""])


# -- import -------------------------------------------------------------------


def import_json(store: Store, data: object, corpus: str | None = None) -> ImportResult:
    """Merge Web Annotations into the store without creating duplicates.

    Args:
        store: where to merge.
        data: a parsed JSON value: a collection (as :func:`export_json`
            writes), a page, a list of annotations or one annotation.
        corpus: put everything into this corpus key (the same folder on
            another machine has another key); default: the key in the file.

    Raises:
        AnnotationFormatError: if ``data`` holds no annotations at all.
        ReadOnlyError: if the store is read-only.
    """
    items = _items(data)
    result = ImportResult()
    seen: set[tuple[object, ...]] = set()
    for index, obj in enumerate(items):
        try:
            item = from_w3c(obj, corpus)
        except (KeyError, TypeError, ValueError) as exc:
            result.unreadable.append(f"item {index}: {_one_line(str(exc))[:120]}")
            continue
        if isinstance(item, Bookmark):
            outcome = store.merge_bookmark(item)
        else:
            outcome = store.merge_annotation(item)
            key = _sameness(item)
            if outcome == "skipped" and key in seen:
                # An earlier copy in this file was just added (or found): this one is
                # not "already there" in the store, it is there twice in the file.
                result.duplicates += 1
                continue
            seen.add(key)
        setattr(result, outcome, getattr(result, outcome) + 1)
    return result


def _sameness(a: Annotation) -> tuple[object, ...]:
    """What makes two annotations equal for :meth:`Store.merge_annotation`."""
    return (a.corpus, a.article, a.kind, a.quote, a.start, a.end, a.body)


def import_file(store: Store, path: Path, corpus: str | None = None) -> ImportResult:
    """Read a JSON export (from margin or another Web Annotation tool) and merge it.

    Raises:
        AnnotationFormatError: if the file is not readable JSON of annotations.
        ReadOnlyError: if the store is read-only.
    """
    try:
        data = json.loads(path.read_text(encoding="utf-8-sig"))
    except OSError as exc:
        raise AnnotationFormatError(f"cannot read {path}: {exc.strerror or exc}") from exc
    except (UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise AnnotationFormatError(
            f"{path} is not JSON: {exc} (import reads `margin export --format json`; "
            "the Markdown export is for reading)"
        ) from exc
    return import_json(store, data, corpus)


def _items(data: object) -> list[Any]:
    if isinstance(data, list):
        return data
    if isinstance(data, dict):
        if isinstance(data.get("items"), list):
            return list(data["items"])
        first = data.get("first")
        if isinstance(first, dict) and isinstance(first.get("items"), list):
            return list(first["items"])
        if data.get("type") == "Annotation" or "target" in data:
            return [data]
    raise AnnotationFormatError("no Web Annotations found (expected a collection, page or list)")


def _item_id(value: object) -> str:
    if not isinstance(value, str) or not value:
        return uuid.uuid4().hex
    if value.startswith("urn:uuid:"):
        try:
            return uuid.UUID(value[len("urn:uuid:") :]).hex
        except ValueError:
            pass
    # A foreign id (e.g. an http IRI): the same id always maps to the same key.
    return uuid.uuid5(uuid.NAMESPACE_URL, value).hex


def _as_list(value: object) -> list[Any]:
    if value is None:
        return []
    return value if isinstance(value, list) else [value]


def from_w3c(obj: object, corpus: str | None = None) -> Annotation | Bookmark:
    """One Web Annotation object as a store item.

    Raises:
        ValueError: (or KeyError / TypeError) if it cannot be understood.
    """
    if not isinstance(obj, dict):
        raise TypeError("not an object")
    extra = obj.get("margin") if isinstance(obj.get("margin"), dict) else {}
    assert isinstance(extra, dict)
    targets = _as_list(obj.get("target"))
    if not targets:
        raise ValueError("no target")
    target = targets[0]
    src = target if isinstance(target, str) else target.get("source", "")
    selectors = [] if isinstance(target, str) else _as_list(target.get("selector"))
    where = _parse_source(src) if isinstance(src, str) else None
    article = extra.get("article") or (where[1] if where else None)
    key = corpus or extra.get("corpus") or (where[0] if where else None)
    if not article or not key:
        raise ValueError(f"target {str(src)[:60]!r} is not a margin article")
    created = normalize_time(str(obj.get("created") or obj.get("modified") or now()))
    updated = normalize_time(str(obj.get("modified") or created))
    position = next((s for s in selectors if s.get("type") == "TextPositionSelector"), None)
    text_quote = next((s for s in selectors if s.get("type") == "TextQuoteSelector"), None)
    motivations = _as_list(obj.get("motivation"))
    kind_name = extra.get("kind") or (
        "bookmark"
        if "bookmarking" in motivations
        else "highlight"
        if "highlighting" in motivations
        else "note"
    )
    item_id = _item_id(obj.get("id"))

    if kind_name == "bookmark":
        offset = int(position["start"]) if position else 0
        return Bookmark(item_id, str(key), str(article), offset, created, updated)

    if text_quote is None or not text_quote.get("exact"):
        raise ValueError("no TextQuoteSelector")
    body, tags = _bodies(obj)
    exact = str(text_quote["exact"])
    start = int(position["start"]) if position else 0
    end = int(position["end"]) if position else start + len(exact)
    kind: Kind = "highlight" if kind_name == "highlight" else "note"
    return Annotation(
        id=item_id,
        kind=kind,
        corpus=str(key),
        article=str(article),
        article_hash=str(extra.get("hash") or ""),
        quote=exact,
        prefix=str(text_quote.get("prefix") or ""),
        suffix=str(text_quote.get("suffix") or ""),
        start=start,
        end=end,
        body=body,
        tags=tags,
        created=created,
        updated=updated,
    )


def _bodies(obj: dict[str, Any]) -> tuple[str, tuple[str, ...]]:
    texts: list[str] = []
    extra_tags: list[str] = []
    if isinstance(obj.get("bodyValue"), str):
        texts.append(obj["bodyValue"])
    for body in _as_list(obj.get("body")):
        if isinstance(body, str):
            continue  # an IRI body: nothing to show
        value = body.get("value")
        if not isinstance(value, str):
            continue
        if body.get("purpose") == "tagging":
            extra_tags.append("-".join(value.casefold().lstrip("#").split()))
        else:
            texts.append(value)
    text = "\n\n".join(texts)
    tags = dict.fromkeys([*parse_tags(text), *(t for t in extra_tags if t)])
    return text, tuple(tags)
