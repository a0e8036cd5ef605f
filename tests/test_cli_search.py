"""`margin index` and `margin search`, as scripts call them."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from tui.cli import main


def call(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str, str]:
    code = main(list(args))
    out, err = capsys.readouterr()
    return code, out, err


def test_index_then_search_json_contract(
    seeds: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    data = str(tmp_path / "data")
    code, out, err = call(capsys, "--data-dir", data, "index", str(seeds))
    assert code == 0 and out.startswith("5 added, 0 changed, 0 removed")
    assert "indexing" in err
    code, out, _ = call(capsys, "--data-dir", data, "index", str(seeds))
    assert out.startswith("0 added, 0 changed, 0 removed")
    code, out, _ = call(capsys, "--data-dir", data, "search", "Zuckerberg", str(seeds), "--json")
    assert code == 0
    payload = json.loads(out)
    assert set(payload) == {"query", "hits", "suggestions"}
    (hit,) = payload["hits"]
    assert set(hit) == {"id", "title", "date", "score", "snippet", "spans"}
    code, shown, _ = call(capsys, "show", hit["id"], str(seeds), "--json")
    text = json.loads(shown)["text"]
    assert {text[s:e] for s, e in hit["spans"]} == {"Zuckerberg"}


def test_search_builds_the_index_when_needed_and_limits(
    seeds: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    code, out, _ = call(
        capsys, "--data-dir", str(tmp_path), "search", "musk", str(seeds), "--limit", "2", "--json"
    )
    assert code == 0 and len(json.loads(out)["hits"]) == 2


def test_no_match_is_exit_1_with_a_message(
    seeds: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    code, out, err = call(capsys, "--data-dir", str(tmp_path), "search", "qwertyzz", str(seeds))
    assert code == 1 and out == ""
    assert err.startswith("margin: no article matches")


def test_empty_query_is_bad_usage(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code, _, err = call(capsys, "--data-dir", str(tmp_path), "search", "  ")
    assert code == 2 and err.count("\n") == 1


def test_entity_filter_from_the_command_line(
    seeds: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    data = str(tmp_path / "data")

    def found(query: str) -> set[str]:
        code, out, _ = call(capsys, "--data-dir", data, "search", query, str(seeds), "--json")
        return {h["id"] for h in json.loads(out)["hits"]} if code == 0 else set()

    before = found('entity:"elon musk"')  # no entity pass yet: the name as a phrase
    assert before
    _, out, _ = call(capsys, "--data-dir", data, "entities", str(seeds), "--json")
    (musk,) = [e for e in json.loads(out)["entities"] if e["name"] == "Elon Musk"]
    after = found('entity:"elon musk"')
    assert len(after) == musk["articles"] and after >= before
    for article_id in after:
        _, shown, _ = call(capsys, "--data-dir", data, "show", article_id, str(seeds), "--json")
        assert "Elon Musk" in {m["name"] for m in json.loads(shown)["mentions"]}
    assert found("entity:NoSuchEntityAtAll") == set()
