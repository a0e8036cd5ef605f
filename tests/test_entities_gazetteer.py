"""The gazetteer: package data, the user's file, corrections."""

from __future__ import annotations

import os
from pathlib import Path

from tui.entities import REJECT, Entry, Gazetteer, parse_user_file, recognize


def test_user_file_format(tmp_path: Path) -> None:
    path = tmp_path / "gazetteer.tsv"
    path.write_text(
        "# name\tTYPE\taliases\n"
        "Quantara Labs\tORG\tQuantara | QL\n"
        "\n"
        "Zephyr X9\tproduct\n"
        "broken line without a type\n"
        "Somebody\tWIZARD\n",
        encoding="utf-8",
    )
    gazetteer = Gazetteer.default(path)
    assert gazetteer.lookup("QL") == ("ORG", "Quantara Labs")
    assert gazetteer.lookup("QUANTARA") == ("ORG", "Quantara Labs")
    assert gazetteer.lookup("Zephyr X9") == ("PRODUCT", "Zephyr X9")
    assert len(gazetteer.problems) == 2
    text = "QL unveiled the Zephyr X9 in Lisbon."
    found = [(text[m.start : m.end], m.type, m.name) for m in recognize(text, "en", gazetteer)]
    assert found == [
        ("QL", "ORG", "Quantara Labs"),
        ("Zephyr X9", "PRODUCT", "Zephyr X9"),
        ("Lisbon", "PLACE", "Lisbon"),
    ]


def test_missing_user_file_is_no_error(tmp_path: Path) -> None:
    gazetteer = Gazetteer.default(tmp_path / "nope.tsv")
    assert gazetteer.problems
    assert gazetteer.lookup("Lisbon") == ("PLACE", "Lisbon")


def test_parse_user_file_skips_comments() -> None:
    entries, problems = parse_user_file("# x\nAcme\tORG\tACME|Acme Inc.\n")
    assert entries == [Entry("Acme", "ORG", ("ACME", "Acme Inc."))]
    assert problems == []


def test_corrections_win() -> None:
    text = "Brevik praised Zentrix in Lisbon."
    plain = {text[m.start : m.end]: m.type for m in recognize(text, "en")}
    assert plain["Zentrix"] == "ORG"
    gazetteer = Gazetteer.default(
        corrections=[("Zentrix", "PRODUCT"), ("Lisbon", REJECT), ("praised", "MISC")]
    )
    fixed = {text[m.start : m.end]: m.type for m in recognize(text, "en", gazetteer)}
    assert fixed["Zentrix"] == "PRODUCT"
    assert "Lisbon" not in fixed
    assert fixed["praised"] == "MISC"


def test_possessive_and_genitive() -> None:
    gazetteer = Gazetteer([Entry("Nvidia", "ORG", ("NVIDIA",))])
    text = "Nvidia's chips and NVIDIA’s rivals."
    assert [text[m.start : m.end] for m in recognize(text, "en", gazetteer)] == [
        "Nvidia",
        "NVIDIA",
    ]
    text = "Die Chips Nvidias sind teuer."
    found = [(text[m.start : m.end], m.name) for m in recognize(text, "de", gazetteer)]
    assert ("Nvidias", "Nvidia") in found


def test_common_words_are_not_places() -> None:
    gazetteer = Gazetteer.default()
    assert gazetteer.lookup("Nice") is None or gazetteer.lookup("Nice") == ("PLACE", "Nice")
    text = "Nice work. Das Essen ist fertig, sagte sie beim Essen."
    assert [m.type for m in recognize(text, "de", gazetteer) if m.type == "PLACE"] == []
    text = "Sie fuhr nach Essen und dann nach Frankfurt."
    found = [(text[m.start : m.end], m.type) for m in recognize(text, "de", gazetteer)]
    assert found == [("Essen", "PLACE"), ("Frankfurt", "PLACE")]


def test_word_boundaries() -> None:
    gazetteer = Gazetteer([Entry("Roma", "ORG")])
    found = recognize("Romantic Romania, Romas", "en", gazetteer)
    assert all(m.name != "Roma" for m in found)


def test_cache_is_used() -> None:
    first = Gazetteer.default()
    cached = list(Path(os.environ["XDG_CACHE_HOME"]).rglob("gazetteer.json"))
    assert cached, "the package data is cached under XDG_CACHE_HOME"
    assert len(Gazetteer.default()) == len(first)
