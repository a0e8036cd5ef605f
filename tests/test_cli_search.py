"""`margin index` and `margin search`, as scripts call them."""

from __future__ import annotations

import json
import os
import select
import subprocess
import sys
from pathlib import Path

import pytest
from locks import HOLDER, build_lock_held

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
    code, out, err = call(capsys, "--data-dir", data, "index", str(seeds))
    assert out.startswith("0 added, 0 changed, 0 removed")
    assert err == ""  # nothing to read: no "indexing 0/0 files"
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


def test_queries_that_cannot_run_say_why(
    seeds: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    data = str(tmp_path / "data")
    for query, why in (
        ("-crane", "excluded with '-' needs something beside it"),
        ("-lang:de", "excluded with '-' needs something beside it"),
        ("OR", "has no word or filter to look for (see"),
        ("title:", "needs a value"),
        ("date:2024-02-30", "not a date"),
    ):
        code, out, err = call(capsys, "--data-dir", data, "search", "--", query, str(seeds))
        assert (code, out, err.count("\n")) == (2, "", 1) and why in err, query
    code, _, err = call(capsys, "--data-dir", data, "search", "-musk", str(seeds))
    assert code == 2 and "margin search -- " in err


def test_a_huge_limit_is_the_whole_corpus(
    seeds: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    for limit in ("4294967296", "99999999999999999999"):
        code, out, err = call(
            capsys, "--data-dir", str(tmp_path), "search", "musk", str(seeds), "--limit", limit
        )
        assert code == 0 and err == "" and out.count("\n") == 2 * 5  # every seed mentions Musk


def test_an_article_edited_in_place_is_searched_as_it_now_reads(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    (corpus / "a.jsonl").write_text('{"title": "One", "text": "the walrus sleeps"}\n')
    data = str(tmp_path / "data")
    assert call(capsys, "--data-dir", data, "search", "walrus", str(corpus))[0] == 0
    # Appended to the same file: the folder's mtime does not change.
    with (corpus / "a.jsonl").open("a") as f:
        f.write('{"title": "Two", "text": "a penguin and a walrus"}\n')
    code, out, _ = call(capsys, "--data-dir", data, "search", "penguin", str(corpus), "--json")
    assert code == 0
    (hit,) = json.loads(out)["hits"]
    _, shown, _ = call(capsys, "--data-dir", data, "show", hit["id"], str(corpus), "--json")
    text = json.loads(shown)["text"]
    assert [text[s:e] for s, e in hit["spans"]] == ["penguin"]


def test_on_a_large_corpus_a_hit_whose_file_changed_is_searched_again(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    import tui.index

    monkeypatch.setattr(tui.index, "QUICK_MIN_FILES", 0)  # trust the folders' mtimes
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    page = corpus / "a.txt"
    page.write_text("Zoo\n\nthe walrus sleeps\n")
    data = str(tmp_path / "data")
    assert call(capsys, "--data-dir", data, "search", "walrus", str(corpus))[0] == 0
    page.write_text("Zoo\n\nafter a long swim in cold water, the walrus sleeps\n")
    _, out, _ = call(capsys, "--data-dir", data, "search", "walrus", str(corpus), "--json")
    (hit,) = json.loads(out)["hits"]
    _, shown, _ = call(capsys, "--data-dir", data, "show", hit["id"], str(corpus), "--json")
    text = json.loads(shown)["text"]
    assert [text[s:e] for s, e in hit["spans"]] == ["walrus"]
    assert "swim" in hit["snippet"]


def test_entity_filter_folds_accents_after_the_entity_pass(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    (corpus / "a.txt").write_text(
        "Banks\n\nThe bank opened an office in Zürich. Zürich is where its founder lives.\n"
    )
    data = str(tmp_path / "data")
    call(capsys, "--data-dir", data, "entities", str(corpus), "--json")
    for query in ("entity:zurich", "entity:ZÜRICH", "entity:Zürich"):
        code, out, _ = call(capsys, "--data-dir", data, "search", query, str(corpus), "--json")
        assert code == 0 and len(json.loads(out)["hits"]) == 1, query


def test_a_second_build_says_it_waits_for_the_first(seeds: Path, tmp_path: Path) -> None:
    """Two `margin index` on one corpus: the second says whom it waits for, then finishes."""
    with build_lock_held(seeds, tmp_path):
        second = subprocess.Popen(
            [sys.executable, "-m", "tui", "--data-dir", str(tmp_path), "index", str(seeds)],
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
            env={**os.environ, "PYTHONUNBUFFERED": "1"},
        )
        assert second.stderr is not None
        ready, _, _ = select.select([second.stderr], [], [], 60)
        told = second.stderr.readline() if ready else ""
    out, _ = second.communicate(timeout=60)
    assert told == f"waiting for another build of this index (pid {HOLDER}) to finish\n"
    assert second.returncode == 0 and out.startswith("5 added")


def test_a_field_without_a_value_is_given_an_example_that_fits_it(
    seeds: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    data = str(tmp_path / "data")
    for query, example in (
        ("lang:", "(e.g. lang:de)"),
        ("crane date:", "(e.g. date:2024-05)"),
        ("SOURCE:", "(e.g. source:reuters)"),
        ("title:", "(e.g. title:tesla)"),
        ("crane -entity:", '(e.g. entity:"Elon Musk")'),
    ):
        code, out, err = call(capsys, "--data-dir", data, "search", query, str(seeds))
        assert (code, out, err.count("\n")) == (2, "", 1) and example in err, (query, err)
        assert "nvidia" not in err
    # In a phrase, "date:" is a word like any other: the reader searches it, and so does this.
    code, _, err = call(capsys, "--data-dir", data, "search", '"Nvidia date: 2024"', str(seeds))
    assert code == 1 and "needs a value" not in err


def test_lang_takes_a_language_code(
    seeds: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    data = str(tmp_path / "data")
    code, out, err = call(capsys, "--data-dir", data, "search", "lang:german", str(seeds))
    assert (code, out) == (2, "")
    assert "lang: takes a language code such as de, not 'german': lang:de" in err
    code, _, err = call(capsys, "--data-dir", data, "search", "ai -lang:Klingon", str(seeds))
    assert code == 2 and "not 'klingon' (see" in err
    code, out, _ = call(capsys, "--data-dir", data, "search", "lang:de", str(seeds), "--json")
    assert code == 0 and json.loads(out)["hits"]
