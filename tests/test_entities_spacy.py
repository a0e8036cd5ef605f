"""`--ner spacy`: spaCy as one more recognizer, with a small pipeline made here.

No trained model can be downloaded in CI, so the pipeline is spaCy's own
rule-based ``entity_ruler`` saved to a folder: spaCy loads it like any model
(``spacy:FOLDER``), and what margin does with spaCy's entities is the same.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

import pytest
import spacy

from tui.background import refresh_in_child
from tui.cli import main
from tui.entities import Gazetteer, corrected, recognize, statistical
from tui.entities.statistical import NerUnavailable, SpacyNer
from tui.index import open_index
from tui.mentions import open_mentions, update_mentions

TEXT = (
    "The zenbook flux went on sale in Port Velmora, where seventeen Velmoran "
    "engineers of Quillfeather Analytics had built it.\n"
)


@pytest.fixture
def model(tmp_path: Path) -> Path:
    """A spaCy pipeline folder that knows four names (and a number, which is no entity)."""
    nlp = spacy.blank("en")
    ruler = nlp.add_pipe("entity_ruler")
    ruler.add_patterns(
        [
            {"label": "PRODUCT", "pattern": "zenbook flux"},
            {"label": "GPE", "pattern": "Port Velmora"},
            {"label": "CARDINAL", "pattern": "seventeen"},
            {"label": "NORP", "pattern": "Velmoran"},
            {"label": "ORG", "pattern": "Quillfeather Analytics"},
        ]
    )
    folder = tmp_path / "model"
    nlp.to_disk(folder)
    return folder


def spans(text: str, ner: SpacyNer | None, gazetteer: Gazetteer | None = None) -> dict[str, str]:
    return {text[m.start : m.end]: m.type for m in recognize(text, "en", gazetteer, ner)}


def test_spacy_adds_what_the_rules_cannot_see(model: Path) -> None:
    ner = SpacyNer(f"spacy:{model}")
    assert "zenbook flux" not in spans(TEXT, None)  # lower case: no rule sees a name
    found = spans(TEXT, ner)
    assert found["zenbook flux"] == "PRODUCT"
    assert found["Port Velmora"] == "PLACE"  # GPE
    assert found["Velmoran"] == "MISC"  # NORP
    assert found["Quillfeather Analytics"] == "ORG"
    assert "seventeen" not in found  # CARDINAL is not an entity here
    by = {m.name: m.recognizer for m in recognize(TEXT, "en", None, ner)}
    assert by["zenbook flux"] == "spacy:PRODUCT"


def test_corrections_still_win_over_spacy(model: Path) -> None:
    ner = SpacyNer(f"spacy:{model}")
    gazetteer = corrected([("Port Velmora", "ORG", None), ("zenbook flux", "REJECT", None)])
    found = spans(TEXT, ner, gazetteer)
    assert found["Port Velmora"] == "ORG"
    assert "zenbook flux" not in found


def test_long_texts_go_to_spacy_in_pieces_with_true_offsets(
    model: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(statistical, "CHUNK", 120)
    text = TEXT * 12  # 1,400 characters: a dozen pieces
    found = SpacyNer(f"spacy:{model}").find(text, "en")
    assert [text[m.start : m.end] for m in found].count("Port Velmora") == 12
    assert all(text[m.start : m.end] == m.name for m in found)


def test_what_cannot_run_is_said_plainly(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    with pytest.raises(NerUnavailable, match="cannot load"):
        SpacyNer(f"spacy:{tmp_path / 'no-such-model'}")
    with pytest.raises(NerUnavailable, match="try `spacy`"):
        SpacyNer("flair")
    monkeypatch.setitem(sys.modules, "spacy", None)  # as if spaCy were not installed
    with pytest.raises(NerUnavailable, match="pip install spacy"):
        SpacyNer("spacy")


def test_cli_show_and_its_errors(
    model: Path, seeds: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    (seeds / "velmora.txt").write_text("Velmora news\n\n" + TEXT, encoding="utf-8")
    data = str(tmp_path / "data")
    code = main(["--data-dir", data, "show", "velmora.txt", str(seeds), "--json"])
    plain = json.loads(capsys.readouterr().out)["mentions"]
    assert code == 0 and not any(m["name"] == "zenbook flux" for m in plain)
    code = main(["show", "velmora.txt", str(seeds), "--json", "--ner", f"spacy:{model}"])
    shown = json.loads(capsys.readouterr().out)
    text = shown["text"]
    product = [m for m in shown["mentions"] if m["type"] == "PRODUCT"]
    assert code == 0 and [text[m["start"] : m["end"]] for m in product] == ["zenbook flux"]
    code = main(["--ner", f"spacy:{tmp_path / 'nothing'}", "show", "velmora.txt", str(seeds)])
    out, err = capsys.readouterr()
    assert code == 0  # plain `show` prints text: it never needs the recognizer
    code = main(["--ner", "spacy:/no/such/model", "entities", str(seeds), "--json"])
    out, err = capsys.readouterr()
    assert code == 2 and out == "" and "cannot load" in err and len(err.splitlines()) == 1


def test_switching_the_recognizer_redoes_the_stored_mentions(
    model: Path, seeds: Path, tmp_path: Path
) -> None:
    (seeds / "velmora.txt").write_text("Velmora news\n\n" + TEXT, encoding="utf-8")
    cache = tmp_path / "cache"
    # The reader's background child, told to use spaCy by its JSON orders.
    failed = refresh_in_child(seeds, cache, [], lambda *e: None, lambda: False, f"spacy:{model}")
    assert failed is None
    stored = open_mentions(seeds, cache)
    index = open_index(seeds, cache)
    try:
        meta = index.article("velmora.txt")
        assert meta is not None
        names = {m.name for m in stored.of("velmora.txt", meta.hash) or []}
        assert "zenbook flux" in names
        again = update_mentions(index, None)  # without spaCy: every article again
        assert again.redone and again.recognized == len(index)
        stored.close()
        stored = open_mentions(seeds, cache)
        names = {m.name for m in stored.of("velmora.txt", meta.hash) or []}
        assert "zenbook flux" not in names
    finally:
        stored.close()
        index.close()


async def test_the_reader_draws_what_spacy_found(model: Path, tmp_path: Path) -> None:
    from pilots import until_loaded

    from tui.app import MarginApp

    corpus = tmp_path / "corpus"
    corpus.mkdir()
    (corpus / "velmora.txt").write_text("Velmora news\n\n" + TEXT, encoding="utf-8")
    app = MarginApp(corpus, data_dir=tmp_path / "data", ner=SpacyNer(f"spacy:{model}"))
    async with app.run_test(size=(80, 24)) as pilot:
        app = await until_loaded(pilot)
        drawn: list[tuple[str, str]] = []
        for _ in range(300):  # recognized on the fly, then stored by the background child
            spans = app.reader.spans_of("entities") or []
            text = app.reader.article.text if app.reader.article else ""
            drawn = [(text[s.start : s.end], s.kind) for s in spans]
            if ("zenbook flux", "product") in drawn and not app.refreshing:
                break
            await pilot.pause(0.05)
        assert ("zenbook flux", "product") in drawn
        assert ("Port Velmora", "place") in drawn
        article = app.reader.article
        assert article is not None
        for _ in range(300):  # the child's pass, with spaCy too: stored for this very text
            stored = app.library.stored
            found = stored.of(article.id, article.hash) if stored is not None else None
            if found is not None:
                break
            await pilot.pause(0.05)
        assert found is not None and "zenbook flux" in {m.name for m in found}


def test_plain_spacy_takes_an_installed_model_per_language(
    model: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """`--ner spacy`: en_core_web_md stands in as the one installed pipeline (our folder)."""
    load = spacy.load
    monkeypatch.setattr(spacy.util, "is_package", lambda name: name == "en_core_web_md")
    monkeypatch.setattr(spacy.util, "get_package_version", lambda name: "3.8.0")
    monkeypatch.setattr(
        spacy, "load", lambda name: load(model) if name == "en_core_web_md" else load(name)
    )
    ner = SpacyNer("spacy")
    assert {m.name for m in ner.find(TEXT, "en")} >= {"zenbook flux", "Port Velmora"}
    assert ner.find(TEXT, "de") == []  # no German pipeline: spaCy adds nothing there
    assert "en_core_web_md" in ner.fingerprint and "3.8.0" in ner.fingerprint
