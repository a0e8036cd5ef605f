"""spaCy as one more, optional recognizer (``--ner spacy``): never required, never bundled.

``spacy`` takes, for each article's language, the first installed pipeline
among ``{lang}_core_{web|news}_{sm|md|lg|trf}``; ``spacy:MODEL`` takes one
pipeline (an installed package's name or a folder) for every language, such
as the multilingual ``xx_ent_wiki_sm``. spaCy is imported only here, and
only when asked for: margin starts no slower without it.
"""

from __future__ import annotations

import threading
from collections.abc import Iterator
from typing import Any

from tui.entities.mention import Mention

RECOGNIZER = "spacy"
LABELS = {
    "PERSON": "PERSON",
    "PER": "PERSON",
    "ORG": "ORG",
    "GPE": "PLACE",
    "LOC": "PLACE",
    "FAC": "PLACE",
    "PRODUCT": "PRODUCT",
    "MONEY": "MONEY",
    "DATE": "DATE",
    "TIME": "DATE",
    "PERCENT": "PERCENT",
    "QUANTITY": "QUANTITY",
    "NORP": "MISC",
    "EVENT": "MISC",
    "WORK_OF_ART": "MISC",
    "LAW": "MISC",
    "MISC": "MISC",
}
"""spaCy's labels (OntoNotes and WikiNER) as margin's types; the rest (CARDINAL,
ORDINAL, LANGUAGE) are not entities here."""
CHUNK = 100_000
"""Characters given to spaCy at once: its own limit is a million, and memory grows with it."""
_FAMILIES = {"en": "web", "zh": "web"}
_SIZES = ("sm", "md", "lg", "trf")
_LANGUAGES = ("en", "de", "it", "fr", "es")
"""The languages margin's own rules know: ``--ner spacy`` needs a model for one of them."""


class NerUnavailable(Exception):
    """The asked-for recognizer cannot run; the message says what to install."""


class SpacyNer:
    """Finds mentions with spaCy pipelines, loaded on first use, one per language."""

    def __init__(self, spec: str) -> None:
        kind, _, model = spec.partition(":")
        if kind != "spacy":
            raise NerUnavailable(f"unknown recognizer {spec!r}: try `spacy` or `spacy:MODEL`")
        try:
            import spacy
        except ImportError as exc:
            raise NerUnavailable(
                "--ner spacy needs spaCy and a model: pip install spacy, "
                "then python -m spacy download en_core_web_sm"
            ) from exc
        self.spec = spec
        self._spacy: Any = spacy
        self._model = model or None
        self._loaded: dict[str, Any] = {}
        self._names: dict[str, str | None] = {}
        self._lock = threading.Lock()
        if self._model is not None:
            self._pipeline(self._model)  # a wrong name or folder is said now, not per article
        elif not any(self._installed(lang) for lang in _LANGUAGES):
            raise NerUnavailable(
                "--ner spacy found no spaCy model: python -m spacy download en_core_web_sm "
                "(or de_core_news_sm, it_core_news_sm...), or name one with --ner spacy:MODEL"
            )

    @property
    def fingerprint(self) -> str:
        """What the mentions depend on: spaCy's version, the pipelines and their versions
        (an upgraded model recognizes the corpus again)."""
        if self._model is not None:
            pipelines = [(self._model, self._pipeline(self._model).meta.get("version"))]
        else:
            names = [self._installed(lang) for lang in _LANGUAGES]
            util = self._spacy.util
            pipelines = [(n, util.get_package_version(n)) for n in names if n is not None]
        return f"{self.spec} {self._spacy.__version__} {pipelines}"

    def _installed(self, lang: str) -> str | None:
        """The first installed pipeline for ``lang`` (looked up once: it reads package data)."""
        if lang not in self._names:
            family = _FAMILIES.get(lang, "news")
            names = (f"{lang}_core_{family}_{size}" for size in _SIZES)
            self._names[lang] = next((n for n in names if self._spacy.util.is_package(n)), None)
        return self._names[lang]

    def _pipeline(self, name: str) -> Any:
        with self._lock:
            nlp = self._loaded.get(name)
            if nlp is None:
                try:
                    nlp = self._spacy.load(name)
                except (OSError, ValueError, ImportError) as exc:
                    said = " ".join(str(exc).split())
                    raise NerUnavailable(f"spaCy cannot load {name!r}: {said}") from exc
                self._loaded[name] = nlp
            return nlp

    def find(self, text: str, lang: str) -> list[Mention]:
        """The mentions spaCy finds in ``text``; [] for a language with no pipeline."""
        name = self._model or self._installed(lang)
        if name is None or not text:
            return []
        nlp = self._pipeline(name)
        out: list[Mention] = []
        for offset, doc in zip(_offsets(text), nlp.pipe(_chunks(text)), strict=True):
            for ent in doc.ents:
                kind = LABELS.get(ent.label_)
                surface = ent.text.strip()
                if kind is None or not surface:
                    continue
                start = offset + ent.start_char + (len(ent.text) - len(ent.text.lstrip()))
                out.append(
                    Mention(
                        start,
                        start + len(surface),
                        kind,
                        " ".join(surface.split()),
                        f"{RECOGNIZER}:{ent.label_}",
                    )
                )
        return out


def _cuts(text: str) -> Iterator[tuple[int, int]]:
    """(start, end) of pieces of at most ``CHUNK`` characters, cut at the end of a line
    (else at a space): a cut never falls inside a name that stays on one line."""
    start = 0
    while start < len(text):
        end = min(len(text), start + CHUNK)
        if end < len(text):
            cut = text.rfind("\n", start, end)
            if cut <= start:
                cut = text.rfind(" ", start, end)
            end = cut + 1 if cut > start else end
        yield start, end
        start = end


def _chunks(text: str) -> Iterator[str]:
    return (text[s:e] for s, e in _cuts(text))


def _offsets(text: str) -> Iterator[int]:
    return (s for s, _ in _cuts(text))


def load_ner(spec: str | None) -> SpacyNer | None:
    """The recognizer ``--ner`` asks for, or None; ``NerUnavailable`` says why not."""
    return SpacyNer(spec) if spec else None
