"""What a word is: the same in the index, in queries and in spans, in any script."""

from __future__ import annotations

import unicodedata
from pathlib import Path

import tantivy
from hypothesis import given, settings
from hypothesis import strategies as st

from tui import wordchars
from tui.index import build_index, open_index
from tui.search import find_in_text, search
from tui.words import fold, fold_words, normalize, word_pattern


def _chars(table: str) -> set[str]:
    """The characters of a regex class written as ``a-z`` ranges and single characters."""
    out: set[str] = set()
    i = 0
    while i < len(table):
        if i + 2 < len(table) and table[i + 1] == "-":
            out.update(map(chr, range(ord(table[i]), ord(table[i + 2]) + 1)))
            i += 3
        else:
            out.add(table[i])
            i += 1
    return out


def test_the_tables_are_what_tantivy_calls_a_word() -> None:
    """An upgrade of tantivy that changes its Unicode tables shows here, not as lost spans."""
    import re

    simple = tantivy.TextAnalyzerBuilder(tantivy.Tokenizer.simple()).build()
    every = [chr(c) for c in range(0x110000) if not 0xD800 <= c < 0xE000]
    rust = set(simple.analyze(" ".join(every)))
    cjk = re.compile(f"[{wordchars.UNSPACED}]")
    extra = {c for c in rust if not re.match(r"[^\W_]", c) and not cjk.match(c)}
    marks = {c for c in every if unicodedata.category(c)[0] == "M" and c not in rust}
    assert _chars(wordchars.WORD_EXTRA + wordchars.WORD_EXTRA_ASTRAL) == extra
    assert _chars(wordchars.MARKS + wordchars.MARKS_ASTRAL) == marks


_TRICKY = (
    "aZé1 ,.-_'’\u00ad\u200b\u200c\u0301\u0308\u0307İıßﬁ²"  # Latin, accents, invisibles
    "قَالَـ"  # Arabic with vowel marks and a tatweel
    "שָׁלוֹם"  # Hebrew with points
    "प्रधानमंत्री"  # Devanagari: virama, vowel signs
    "ค่าเงิน"  # Thai tone marks
    "Ρώμηΐϊёйë"  # Greek accents, Cyrillic ё and й
    "北京の首都한국어"  # Chinese, Japanese, Korean
)


@settings(max_examples=400, deadline=None)
@given(st.text(alphabet=st.sampled_from(_TRICKY), max_size=30))
def test_the_words_found_in_a_text_are_the_words_the_index_holds(text: str) -> None:
    """Each word found in the text as written folds to the indexed word at the same place."""
    found = [fold(m.group()) for m in word_pattern(text).finditer(text)]
    assert [w for w in found if w] == fold_words(text)


def test_one_word_however_it_is_written() -> None:
    decomposed = unicodedata.normalize("NFD", "Zürich")
    assert fold_words(decomposed) == fold_words("Zürich") == ["zurich"]
    assert fold_words("Bundes\u00adkanzler") == ["bundeskanzler"]
    assert fold_words("İstanbul") == fold_words("istanbul")
    assert fold_words("قَالَ") == fold_words("قال")
    assert fold_words("שָׁלוֹם") == fold_words("שלום")
    assert len(fold_words("प्रधानमंत्री")) == 1
    assert fold_words("東京の首都") == ["東", "京", "の", "首", "都"]
    assert fold_words("Ρώμη") == fold_words("ΡΩΜΗ") == fold_words("ρωμη")
    assert fold_words("Ёлка ёлка") == fold_words("елка елка")
    assert fold_words("йогурт") != fold_words("иогурт")  # й is a letter of its own
    assert normalize("plain ascii") == "plain ascii"


def test_find_in_text_lights_the_word_as_written() -> None:
    text = "Der Bürgermeister von " + unicodedata.normalize("NFD", "Zürich") + " sprach."
    [(s, e)] = find_in_text(text, "zurich")
    assert unicodedata.normalize("NFC", text[s:e]) == "Zürich"
    text = "北京是中华人民共和国的首都。"
    assert [text[s:e] for s, e in find_in_text(text, "首都")] == ["首都"]


def test_search_finds_and_lights_words_in_every_script(tmp_path: Path) -> None:
    files = {
        "nfd.txt": "Stadt\n\n" + unicodedata.normalize("NFD", "Der Rat von Zürich tagte.") + "\n",
        "shy.txt": "Politik\n\nDer Bundes\u00adkanzler sprach lange.\n",
        "ar.txt": "خبر\n\nقَالَ الرَّئِيسُ إِنَّ مِصْرَ بخير.\n",
        "hi.txt": "समाचार\n\nभारत के प्रधानमंत्री ने कहा।\n",
        "zh.txt": "新闻\n\n北京是中华人民共和国的首都。\n",
        "th.txt": "ข่าว\n\nรัฐบาลประกาศมาตรการกระตุ้นเศรษฐกิจใหม่\n",  # Thai: no spaces either
    }
    root = tmp_path / "corpus"
    root.mkdir()
    for name, text in files.items():
        (root / name).write_text(text, encoding="utf-8")
    build_index(root, tmp_path / "cache")
    index = open_index(root, tmp_path / "cache")
    try:
        for query, article, word in [
            ("zurich", "nfd.txt", "Zürich"),  # composed as it is read (tui.sanitize)
            ("bundeskanzler", "shy.txt", "Bundes\u00adkanzler"),
            ("الرئيس", "ar.txt", "الرَّئِيسُ"),
            ("प्रधानमंत्री", "hi.txt", "प्रधानमंत्री"),
            ("首都", "zh.txt", "首都"),
            ("เศรษฐกิจ", "th.txt", "เศรษฐกิจ"),
        ]:
            result = search(index, query)
            assert [hit.id for hit in result.hits] == [article], query
            text = index.text(article)
            assert text is not None
            assert [text[s:e] for s, e in result.hits[0].spans] == [word], query
        assert not search(index, "中华民国").hits  # characters in another order are not a phrase
    finally:
        index.close()


def test_every_snippet_of_a_chinese_phrase_shows_it(tmp_path: Path) -> None:
    """More hits than are placed word by word (search.FALLBACKS): each snippet still
    holds the phrase, lit, not the article's first words."""
    root = tmp_path / "corpus"
    root.mkdir()
    filler = "今天的天气很好，市民们在公园里散步。" * 8
    for n in range(14):
        (root / f"{n:02}.txt").write_text(f"新闻{n}\n\n{filler}北京是中国的首都。\n")
    build_index(root, tmp_path / "cache")
    index = open_index(root, tmp_path / "cache")
    try:
        hits = search(index, "首都").hits
        assert len(hits) == 14
        for hit in hits:
            assert [hit.snippet[s:e] for s, e in hit.snippet_spans] == ["首都"], hit.snippet
    finally:
        index.close()


def test_a_chinese_snippet_fills_more_of_its_row(tmp_path: Path) -> None:
    """20 characters of Chinese are half a row: a snippet of it takes more of them."""
    root = tmp_path / "corpus"
    root.mkdir()
    filler = "今天的天气很好，市民们在公园里散步。" * 6
    (root / "zh.txt").write_text(f"新闻\n\n{filler}北京是首都。{filler}\n")
    build_index(root, tmp_path / "cache")
    index = open_index(root, tmp_path / "cache")
    try:
        (hit,) = search(index, "首都").hits
        assert len(hit.snippet.strip("…")) >= 28
    finally:
        index.close()
