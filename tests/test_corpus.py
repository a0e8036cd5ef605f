"""The corpus walk and loader: every good article loads, every bad file says why."""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest

from tui.corpus import Skipped, build_article, discover, load_article, load_corpus
from tui.model import Article, words_label


def reasons(corpus_skipped: list[Skipped]) -> dict[str, str]:
    return {s.path: s.reason for s in corpus_skipped}


def test_seeds_load_sorted_newest_first(seeds: Path) -> None:
    corpus = load_corpus(seeds)
    assert len(corpus.articles) == 5
    assert corpus.skipped == []
    dates = [a.date for a in corpus.articles if a.date]
    assert dates == sorted(dates, reverse=True)
    undated = [a for a in corpus.articles if not a.date]
    assert corpus.articles[len(dates) :] == undated
    assert {a.language for a in corpus.articles} == {"en", "de", "it"}


def test_walk_is_recursive_and_skips_hidden(tmp_path: Path) -> None:
    (tmp_path / "a" / "b").mkdir(parents=True)
    (tmp_path / "a" / "b" / "deep.txt").write_text("Deep title\n\nBody text here.\n")
    (tmp_path / ".hidden").mkdir()
    (tmp_path / ".hidden" / "secret.txt").write_text("Secret\n\nNot to be listed.\n")
    (tmp_path / ".dot.txt").write_text("Dot\n\nNot listed either.\n")
    (tmp_path / "notes.pdf").write_bytes(b"%PDF-1.4")
    corpus = load_corpus(tmp_path)
    assert [a.id for a in corpus.articles] == ["a/b/deep.txt"]


def test_single_file_is_a_corpus(seeds: Path) -> None:
    one = seeds / "000_cd6d14f578d2d039.txt"
    corpus = load_corpus(one)
    assert [a.id for a in corpus.articles] == [one.name]
    assert load_article(one, one.name) is not None


def test_bad_files_are_skipped_with_a_reason_and_the_rest_load(tmp_path: Path) -> None:
    (tmp_path / "good.txt").write_text("A good title\n\nSome good text.\n")
    (tmp_path / "empty.txt").write_bytes(b"")
    (tmp_path / "blank.md").write_bytes(b"  \n\t\n")
    (tmp_path / "image.md").write_bytes(b"\x89PNG\r\n\x1a\n" + bytes(range(256)) * 4)
    (tmp_path / "nul.txt").write_bytes(b"abc\x00\x00\x00def" * 100)
    corpus = load_corpus(tmp_path)
    assert [a.id for a in corpus.articles] == ["good.txt"]
    why = reasons(corpus.skipped)
    assert set(why) == {"empty.txt", "blank.md", "image.md", "nul.txt"}
    assert all(why.values())


def test_jsonl_records_become_articles_and_bad_lines_are_reported(tmp_path: Path) -> None:
    lines = [
        json.dumps({"title": "First", "text": "The first record.", "date": "2024-03-01"}),
        "{not json",
        json.dumps(["a", "list"]),
        json.dumps({"title": "No text here"}),
        json.dumps({"body": "Body field works too.", "title": 42}),
        "",
        json.dumps({"content": "And content.", "source": "Wire", "url": "https://x.example/a"}),
    ]
    (tmp_path / "feed.jsonl").write_text("\n".join(lines) + "\n")
    corpus = load_corpus(tmp_path)
    ids = sorted(a.id for a in corpus.articles)
    assert ids == ["feed.jsonl#1", "feed.jsonl#5", "feed.jsonl#7"]
    first = next(a for a in corpus.articles if a.id == "feed.jsonl#1")
    assert (first.title, first.date) == ("First", "2024-03-01")
    fifth = next(a for a in corpus.articles if a.id == "feed.jsonl#5")
    assert any("title" in p for p in fifth.problems)
    why = reasons(corpus.skipped)
    assert "not valid JSON" in why["feed.jsonl#2"]
    assert "not an object" in why["feed.jsonl#3"]
    assert "no text field" in why["feed.jsonl#4"]
    assert load_article(tmp_path, "feed.jsonl#7") is not None


def test_jsonl_records_in_another_encoding_keep_their_letters(tmp_path: Path) -> None:
    """Records appended from several sources: one in cp1252 among UTF-8 ones."""
    utf8 = json.dumps({"title": "Zürich", "text": "Crème brûlée, naïve café."}, ensure_ascii=False)
    legacy = json.dumps(
        {"title": "Köln", "text": "Straße, “Größe” und Übermaß."}, ensure_ascii=False
    )
    (tmp_path / "feed.jsonl").write_bytes(
        utf8.encode() + b"\n" + legacy.encode("cp1252") + b"\r\n" + utf8.encode() + b"\n"
    )
    corpus = load_corpus(tmp_path)
    by_id = {a.id: a for a in corpus.articles}
    assert by_id["feed.jsonl#2"].title == "Köln"
    assert "Straße, “Größe” und Übermaß." in by_id["feed.jsonl#2"].text
    assert by_id["feed.jsonl#2"].encoding == "windows-1252"
    assert (by_id["feed.jsonl#1"].encoding, by_id["feed.jsonl#1"].problems) == ("utf-8", ())
    assert by_id["feed.jsonl#3"].title == "Zürich" and not corpus.skipped


def record(title: str, text: str) -> str:
    return json.dumps({"title": title, "text": text}, ensure_ascii=False)


def test_jsonl_utf8_records_stay_utf8_when_legacy_bytes_outweigh_them(tmp_path: Path) -> None:
    """A cp1252 record with more accented letters than the UTF-8 one: each keeps its own."""
    (tmp_path / "feed.jsonl").write_bytes(
        record("Plain", "Nothing but ASCII.").encode()
        + b"\n"
        + record("Zürich", "Crème.").encode()
        + b"\n"
        + record("Köln", "Straße, “Größe” und Übermaß, höchst übel.").encode("cp1252")
        + b"\n"
    )
    corpus = load_corpus(tmp_path)
    by_id = {a.id: (a.title, a.encoding) for a in corpus.articles}
    assert by_id == {
        "feed.jsonl#1": ("Plain", "utf-8"),
        "feed.jsonl#2": ("Zürich", "utf-8"),
        "feed.jsonl#3": ("Köln", "windows-1252"),
    }


def test_jsonl_legacy_records_share_one_guess_and_bad_lines_say_why(tmp_path: Path) -> None:
    """Five GBK records and one UTF-8: GBK is guessed from the five together."""
    chinese = ["北京是中华人民共和国的首都", "也是全国的政治和文化中心", "国务院召开常务会议"]
    chinese += ["上海和深圳等大城市", "专家建议企业仔细阅读"]
    lines = [record(f"第{n}条", text).encode("gbk") for n, text in enumerate(chinese, 1)]
    lines[2:2] = [b"", record("Zürich", "Crème brûlée.").encode(), b"\x01\x02\x03\x04\xff\xfe"]
    (tmp_path / "feed.jsonl").write_bytes(b"\r\n".join(lines) + b"\r\n")
    corpus = load_corpus(tmp_path)
    by_id = {a.id: (a.title, a.text, a.encoding) for a in corpus.articles}
    assert by_id == {
        "feed.jsonl#1": ("第1条", chinese[0], "gb18030"),
        "feed.jsonl#2": ("第2条", chinese[1], "gb18030"),
        "feed.jsonl#4": ("Zürich", "Crème brûlée.", "utf-8"),
        "feed.jsonl#6": ("第3条", chinese[2], "gb18030"),
        "feed.jsonl#7": ("第4条", chinese[3], "gb18030"),
        "feed.jsonl#8": ("第5条", chinese[4], "gb18030"),
    }
    assert reasons(corpus.skipped) == {"feed.jsonl#5": "line 5: binary data (control bytes)"}


def test_symlink_loops_and_dangling_links_are_reported_once(tmp_path: Path) -> None:
    (tmp_path / "real").mkdir()
    (tmp_path / "real" / "a.txt").write_text("Title A\n\nText.\n")
    os.symlink(tmp_path, tmp_path / "real" / "loop")
    os.symlink(tmp_path / "missing.txt", tmp_path / "dangling.txt")
    os.symlink(tmp_path / "real" / "a.txt", tmp_path / "again.txt")
    found = list(discover(tmp_path))
    sources = [f.rel for f in found if not isinstance(f, Skipped)]
    assert sources == ["again.txt"] or sources == ["real/a.txt"]
    why = {f.path: f.reason for f in found if isinstance(f, Skipped)}
    assert why["dangling.txt"] == "dangling symbolic link"
    assert "loop" in why["real/loop/"]
    assert any("same file" in r for r in why.values())


def test_unreadable_file_is_reported(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    locked = tmp_path / "locked.txt"
    locked.write_text("Locked\n\nText.\n")
    (tmp_path / "open.txt").write_text("Open\n\nText.\n")
    locked.chmod(0)
    real_read = Path.read_bytes

    def read_bytes(self: Path) -> bytes:  # root reads anything: deny like a normal user
        if self.name == "locked.txt":
            raise PermissionError(13, "Permission denied")
        return real_read(self)

    monkeypatch.setattr(Path, "read_bytes", read_bytes)
    corpus = load_corpus(tmp_path)
    assert "permission denied" in reasons(corpus.skipped)["locked.txt"]
    assert [a.id for a in corpus.articles] == ["open.txt"]


def test_ids_never_leave_the_corpus(seeds: Path, tmp_path: Path) -> None:
    outside = tmp_path / "outside.txt"
    outside.write_text("Outside\n\nNot in the corpus.\n")
    assert load_article(seeds, "../outside.txt") is None
    assert load_article(seeds, str(outside)) is None
    assert load_article(seeds, "000_cd6d14f578d2d039.txt#3") is None


def test_markdown_is_rendered_into_plain_text_with_spans(tmp_path: Path) -> None:
    (tmp_path / "post.md").write_text(
        "---\ntitle: Front title\ndate: 2023-02-01\n---\n# Heading\n\nSome **bold** text "
        "and a [link](https://example.org).\n"
    )
    article = load_corpus(tmp_path).articles[0]
    assert article.title == "Front title"
    assert article.date == "2023-02-01"
    assert "**" not in article.text and "https://example.org" in article.text
    kinds = {s.kind for s in article.spans}
    assert {"strong", "link"} <= kinds


def test_word_count_is_exact_for_articles_and_labelled_as_an_estimate_for_huge_ones() -> None:
    from tui.model import EXACT_WORDS, word_count

    assert word_count("Elon  Musk\n\nsaid so.") == 4
    huge = "word " * (EXACT_WORDS // 5 + 10)
    estimate = word_count(huge)
    assert abs(estimate - len(huge.split())) / len(huge.split()) < 0.01
    article = build_article("h.txt", "h.txt", huge, "utf-8")
    assert words_label(article).startswith("≈") and words_label(article).endswith("M words")
    small = build_article("s.txt", "s.txt", "One two three.", "utf-8")
    assert words_label(small) == "3 words"


def test_a_big_file_previews_its_start_with_the_same_offsets(tmp_path: Path) -> None:
    from tui.corpus import PREVIEW_BYTES, preview

    paragraph = "Ünïcode prose about the market, said Elon Musk. " * 20 + "\n\n"
    text = "A big article\n\n" + paragraph * (3 * PREVIEW_BYTES // len(paragraph.encode()))
    (tmp_path / "big.md").write_text(text, encoding="utf-8")
    (tmp_path / "small.txt").write_text(paragraph, encoding="utf-8")
    (tmp_path / "wide.txt").write_text(text, encoding="utf-16")
    start = preview(tmp_path, "big.md")
    whole = load_article(tmp_path, "big.md")
    assert start is not None and whole is not None
    assert start.partial and not whole.partial
    assert PREVIEW_BYTES // 2 < len(start.text.encode()) <= PREVIEW_BYTES
    assert whole.text.startswith(start.text.rstrip("\n"))
    assert (start.title, start.language) == (whole.title, whole.language)
    (tmp_path / "line.txt").write_text(text.replace("\n", " "), encoding="utf-8")
    line = preview(tmp_path, "line.txt")
    assert line is not None and text.replace("\n", " ").startswith(line.text)
    assert preview(tmp_path, "small.txt") is None  # small: read whole at once
    assert preview(tmp_path, "wide.txt") is None  # UTF-16: a byte cut could split a character
    assert preview(tmp_path, "../big.md") is None


def test_a_name_that_looks_escaped_and_an_undecodable_one_keep_their_own_ids(
    tmp_path: Path,
) -> None:
    """`caf\\xe9.txt` typed with a backslash, and `caf<byte E9>.txt`: two articles, two ids."""
    (tmp_path / "caf\\xe9.txt").write_text("Typed\n\nA backslash in the name.\n")
    with open(os.path.join(os.fsencode(tmp_path), b"caf\xe9.txt"), "wb") as raw:
        raw.write(b"Latin-1\n\nA byte in the name.\n")
    corpus = load_corpus(tmp_path)
    titles = {a.id: a.title for a in corpus.articles}
    assert titles == {
        "caf\\x5cxe9.txt": "A backslash in the name.",
        "caf\\xe9.txt": "A byte in the name.",
    }
    for article_id, title in titles.items():
        article = load_article(tmp_path, article_id)
        assert article is not None and article.title == title


def test_the_real_path_wins_over_a_symbolic_link_whatever_the_walk_order(tmp_path: Path) -> None:
    (tmp_path / "news" / "Reuters").mkdir(parents=True)
    (tmp_path / "news" / "Reuters" / "a.txt").write_text("Reuters\n\nText.\n")
    (tmp_path / "news" / "tesla.txt").write_text("Tesla\n\nText.\n")
    for links in ("a_links", "z_links"):  # walked before news/, and after it
        (tmp_path / links).mkdir()
        os.symlink("../news/Reuters", tmp_path / links / "reuters_dir")
        os.symlink("../news/tesla.txt", tmp_path / links / "file_link.txt")
    os.symlink("..", tmp_path / "news" / "up")
    corpus = load_corpus(tmp_path)
    assert sorted(a.id for a in corpus.articles) == ["news/Reuters/a.txt", "news/tesla.txt"]
    why = reasons(corpus.skipped)
    for links in ("a_links", "z_links"):
        assert why[f"{links}/reuters_dir/"] == (
            "symbolic link: same folder as news/Reuters/, read there"
        )
        assert (
            why[f"{links}/file_link.txt"]
            == "symbolic link: same file as news/tesla.txt, read there"
        )
    assert why["news/up/"] == "symbolic link loop: leads back to ./, which holds it"
    assert len(why) == 5


def test_a_jsonl_line_that_is_no_object_says_what_it_is_in_json_words(tmp_path: Path) -> None:
    lines = ["null", '"s"', "5", "2.5", "[1]", "true", '{"text": "abc', '{"text": "a" "b"}']
    (tmp_path / "feed.jsonl").write_text("\n".join(lines) + "\n")
    assert reasons(load_corpus(tmp_path).skipped) == {
        "feed.jsonl#1": "line 1: a JSON null, not an object",
        "feed.jsonl#2": "line 2: a JSON string, not an object",
        "feed.jsonl#3": "line 3: a JSON number, not an object",
        "feed.jsonl#4": "line 4: a JSON number, not an object",
        "feed.jsonl#5": "line 5: a JSON array, not an object",
        "feed.jsonl#6": "line 6: a JSON boolean, not an object",
        "feed.jsonl#7": "line 7: not valid JSON: unterminated string at column 10",
        "feed.jsonl#8": "line 8: not valid JSON: expecting ',' delimiter at column 14",
    }


# --- what a record's fields say, by the names news feeds give them -------------------


def one_record(tmp_path: Path, record: dict[str, object]) -> Article:
    (tmp_path / "feed.jsonl").write_text(json.dumps(record) + "\n", encoding="utf-8")
    corpus = load_corpus(tmp_path)
    assert corpus.skipped == []
    [article] = corpus.articles
    return article


def test_news_feed_field_names_give_title_date_source_and_author(tmp_path: Path) -> None:
    a = one_record(
        tmp_path,
        {
            "headline": "Real headline here",
            "text": "Body text of the record.",
            "published": "2024-03-05",
            "publisher": "Reuters",
            "byline": "Jane Doe",
        },
    )
    assert (a.title, a.date, a.source, a.author) == (
        "Real headline here",
        "2024-03-05",
        "Reuters",
        "Jane Doe",
    )
    assert a.problems == ()


@pytest.mark.parametrize(
    ("fields", "expected"),
    [
        ({"pubDate": "Wed, 29 May 2024 10:00:00 GMT"}, ("2024-05-29", None, None)),
        ({"published_at": "2024-05-29T10:00:00Z", "site": "Heise"}, ("2024-05-29", "Heise", None)),
        ({"datePublished": "2024-05-29", "byline": "By Jane Doe"},
         ("2024-05-29", None, "Jane Doe")),
        ({"publishedAt": 1717000000, "authors": ["Ann Lee", "Bo Chen"]},
         ("2024-05-29", None, "Ann Lee, Bo Chen")),
        ({"publisher": {"name": "AP"}, "authors": [{"name": "Ann Lee"}, {"name": "Bo Chen"}]},
         (None, "AP", "Ann Lee, Bo Chen")),
        # One order wins when a record says it twice: title, date, source, author first.
        ({"date": "2024-01-02", "published": "2023-05-06", "source": "Wire",
          "publisher": "Other", "author": "Ann Lee", "byline": "By Bo Chen"},
         ("2024-01-02", "Wire", "Ann Lee")),
    ],
)  # fmt: skip
def test_every_common_name_of_a_field_is_read_in_one_order(
    tmp_path: Path, fields: dict[str, object], expected: tuple[str | None, ...]
) -> None:
    a = one_record(tmp_path, {"text": "Body text of the record.", **fields})
    assert (a.date, a.source, a.author) == expected
    assert a.problems == ()


def test_title_wins_over_headline_and_link_is_the_url(tmp_path: Path) -> None:
    record = {
        "text": "Body.",
        "title": "The title",
        "headline": "The headline",
        "link": "https://x.example/a",
    }
    a = one_record(tmp_path, record)
    assert (a.title, a.url) == ("The title", "https://x.example/a")


def test_a_date_field_not_understood_is_a_problem_of_the_article(tmp_path: Path) -> None:
    a = one_record(tmp_path, {"title": "X", "text": "Body text.", "date": "not-a-date"})
    assert a.date is None
    assert a.problems == ("date 'not-a-date' not understood",)
    b = one_record(tmp_path, {"text": "Body text.", "published": "soon", "authors": []})
    assert (b.date, b.problems) == (None, ("published 'soon' not understood",))


@pytest.mark.parametrize("heading", ["Heading", "Überschrift", "Quarterly results", "Q3"])
def test_a_markdown_heading_at_the_top_is_the_title_whatever_its_length(
    tmp_path: Path, heading: str
) -> None:
    (tmp_path / "h.md").write_text(f"# {heading}\n\nBody text here.\n", encoding="utf-8")
    (tmp_path / "k.md").write_text(
        f"Politik\n\n## {heading}\n\nA first sentence. A second one.\n", encoding="utf-8"
    )
    assert [a.title for a in load_corpus(tmp_path).articles] == [heading, heading]


def test_a_markdown_heading_that_is_a_date_dates_the_article(tmp_path: Path) -> None:
    (tmp_path / "d.md").write_text("# 12 May 2024\n\nToday I went out.\n", encoding="utf-8")
    [article] = load_corpus(tmp_path).articles
    assert (article.title, article.date) == ("12 May 2024", "2024-05-12")


def test_a_front_matter_published_flag_is_no_date_and_no_problem(tmp_path: Path) -> None:
    (tmp_path / "p.md").write_text(
        "---\npublished: true\npublisher: Heise\n---\n# Post\n\nBody text.\n", encoding="utf-8"
    )
    [article] = load_corpus(tmp_path).articles
    assert (article.title, article.date, article.source, article.problems) == (
        "Post",
        None,
        "Heise",
        (),
    )
