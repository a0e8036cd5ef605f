"""`margin entities` and the mentions of `margin show --json`, as scripts call them."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from tui.cli import main
from tui.entities import TYPES
from tui.store import FILENAME, Store


def call(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str, str]:
    code = main(list(args))
    out, err = capsys.readouterr()
    return code, out, err


def entities(
    capsys: pytest.CaptureFixture[str], data: Path, seeds: Path, *extra: str
) -> tuple[int, list[dict[str, Any]], str]:
    code, out, err = call(capsys, "--data-dir", str(data), "entities", str(seeds), "--json", *extra)
    return code, (json.loads(out)["entities"] if out else []), err


def test_entities_json_contract(
    seeds: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    code, out, err = call(capsys, "--data-dir", str(tmp_path), "entities", str(seeds), "--json")
    assert code == 0, err
    assert err == ""  # index and mentions built quietly
    payload = json.loads(out)
    assert set(payload) == {"entities"}
    rows = payload["entities"]
    assert rows and all(set(e) == {"name", "type", "aliases", "mentions", "articles"} for e in rows)
    assert all(e["type"] in TYPES and isinstance(e["aliases"], list) for e in rows)
    assert [e["mentions"] for e in rows] == sorted((e["mentions"] for e in rows), reverse=True)
    musk = next(e for e in rows if e["name"] == "Elon Musk")
    assert musk["type"] == "PERSON" and musk["articles"] == 5 and "Musk" in musk["aliases"]
    assert not any(e["name"] == "Musk" for e in rows)
    nvidia = next(e for e in rows if e["name"] == "Nvidia")
    assert {"NVIDIA", "Nvidia Corp."} <= set(nvidia["aliases"])


def test_type_filter_and_its_validation(
    seeds: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    code, people, _ = entities(capsys, tmp_path, seeds, "--type", "person")
    assert code == 0 and people and {e["type"] for e in people} == {"PERSON"}
    assert people[0]["name"] == "Elon Musk"
    code, money, _ = entities(capsys, tmp_path, seeds, "--type", "MONEY")
    assert code == 0 and money and {e["type"] for e in money} == {"MONEY"}
    code, out, err = call(capsys, "entities", str(seeds), "--type", "SPORT")
    assert code == 2 and out == "" and "unknown type" in err and len(err.splitlines()) == 1


def test_article_filter_counts_that_article(
    seeds: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    article = "000_cd6d14f578d2d039.txt"
    code, here, _ = entities(capsys, tmp_path, seeds, "--article", article)
    assert code == 0 and here
    _, everywhere, _ = entities(capsys, tmp_path, seeds)
    corpus = {(e["type"], e["name"]): e for e in everywhere}
    assert {(e["type"], e["name"]) for e in here} < set(corpus)
    huang = next(e for e in here if e["name"] == "Jensen Huang")
    assert huang["mentions"] < corpus[("PERSON", "Jensen Huang")]["mentions"]
    assert huang["articles"] == corpus[("PERSON", "Jensen Huang")]["articles"]
    code, shown, _ = call(capsys, "show", article, str(seeds), "--json")
    assert code == 0
    text = json.loads(shown)["text"]
    assert huang["mentions"] == sum(
        1 for m in json.loads(shown)["mentions"] if m["name"] == "Jensen Huang"
    )
    assert "Huang" in text
    code, out, err = call(
        capsys, "--data-dir", str(tmp_path), "entities", str(seeds), "--article", "nope"
    )
    assert code == 1 and out == "" and "no article" in err
    code, rows, err = entities(capsys, tmp_path, seeds, "--article", article, "--type", "QUANTITY")
    assert code == 0 and all(e["type"] == "QUANTITY" for e in rows)


def test_no_entities_is_exit_1(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    (corpus / "a.txt").write_text("a quiet note\n\nnothing to see here at all.\n", encoding="utf-8")
    code, out, err = call(capsys, "--data-dir", str(tmp_path), "entities", str(corpus), "--json")
    assert code == 1 and json.loads(out) == {"entities": []} and "no entities" in err


def test_plain_output_is_one_safe_line_per_entity(
    seeds: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    code, out, _ = call(
        capsys, "--data-dir", str(tmp_path), "entities", str(seeds), "--type", "ORG"
    )
    assert code == 0
    header, *lines = out.splitlines()
    assert header == "TYPE\tNAME\tMENTIONS\tARTICLES\tALIASES"
    assert lines and all(line.split("\t")[0] == "ORG" for line in lines)
    assert not any("\x1b" in line for line in lines)
    first = lines[0].split("\t")
    assert first[1] and int(first[2]) >= int(lines[-1].split("\t")[2])


def test_show_json_mentions_are_offsets_into_its_text(
    seeds: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    for path in sorted(seeds.iterdir()):
        code, out, _ = call(capsys, "show", path.name, str(seeds), "--json")
        assert code == 0
        payload = json.loads(out)
        text, mentions = payload["text"], payload["mentions"]
        assert mentions and all(set(m) == {"start", "end", "type", "name"} for m in mentions)
        ends = [0]
        for m in mentions:
            assert ends[-1] <= m["start"] < m["end"] <= len(text)  # in order, never overlapping
            assert m["type"] in TYPES
            ends.append(m["end"])
        surfaces = {text[m["start"] : m["end"]] for m in mentions if m["name"] == "Elon Musk"}
        assert surfaces & {"Elon Musk", "Musk", "Musks"}, path.name


def test_show_and_entities_apply_the_users_corrections(
    seeds: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    article = "000_cd6d14f578d2d039.txt"
    data = tmp_path / "data"
    _, before, _ = entities(capsys, data, seeds)
    assert any(e["name"] == "Benzinga" for e in before)
    with Store.open(data / FILENAME) as store:
        store.add_correction("Benzinga", "reject")
        store.add_correction("Jensen Huang", "ORG")
    _, after, _ = entities(capsys, data, seeds)
    kinds = {e["name"]: e["type"] for e in after}
    assert "Benzinga" not in kinds and kinds["Jensen Huang"] == "ORG"
    code, out, _ = call(capsys, "--data-dir", str(data), "show", article, str(seeds), "--json")
    assert code == 0
    payload = json.loads(out)
    names = {m["name"]: m["type"] for m in payload["mentions"]}
    assert "Benzinga" not in names and names["Jensen Huang"] == "ORG"


def test_a_name_written_with_combining_accents_is_one_mention(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """Text in NFD (as some Mac tools write it) is composed: 'Zürich' stays one name."""
    import unicodedata

    corpus = tmp_path / "corpus"
    corpus.mkdir()
    text = "Zürich and São Paulo\n\nThe mayor of Zürich met officials from São Paulo.\n"
    (corpus / "nfd.txt").write_text(unicodedata.normalize("NFD", text))
    code, out, err = call(
        capsys, "--data-dir", str(tmp_path), "show", "nfd.txt", str(corpus), "--json"
    )
    assert code == 0, err
    shown = json.loads(out)
    assert shown["text"] == text
    assert {m["name"] for m in shown["mentions"]} >= {"Zürich", "São Paulo"}


def test_plain_output_of_one_article_says_what_its_columns_count(
    seeds: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    article = "004_9889b2f3170bb696.txt"
    data = ("--data-dir", str(tmp_path))
    code, out, _ = call(capsys, *data, "entities", str(seeds), "--article", article)
    assert code == 0
    header, *rows = out.splitlines()
    assert header == "TYPE\tNAME\tMENTIONS HERE\tARTICLES\tALIASES"
    here = {r.split("\t")[1]: int(r.split("\t")[2]) for r in rows}
    _, listed, _ = entities(capsys, tmp_path, seeds, "--article", article)
    assert here == {e["name"]: e["mentions"] for e in listed}
