"""The command line, as scripts and users call it: the installed-module entry point."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from tui.cli import main


def run(*args: str, cwd: Path | None = None) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "tui", *args],
        capture_output=True,
        text=True,
        cwd=cwd,
        timeout=120,
        check=False,
    )


def test_list_json_contract(seeds: Path) -> None:
    done = run("list", str(seeds), "--json")
    assert done.returncode == 0, done.stderr
    payload = json.loads(done.stdout)
    assert payload["corpus"] == str(seeds)
    assert len(payload["articles"]) == 5
    keys = {"id", "path", "title", "date", "language", "source", "author", "encoding", "words"}
    assert all(set(a) == keys for a in payload["articles"])
    assert payload["skipped"] == []


def test_list_defaults_to_the_bundled_seeds() -> None:
    done = run("list", "--json")
    assert done.returncode == 0
    assert len(json.loads(done.stdout)["articles"]) == 5


def test_show_json_text_matches_the_article(seeds: Path) -> None:
    done = run("show", "004_9889b2f3170bb696.txt", str(seeds), "--json")
    payload = json.loads(done.stdout)
    assert payload["id"] == "004_9889b2f3170bb696.txt"
    assert "Yann LeCun" in payload["text"]
    assert payload["date"] == "2024-05-29"


def test_show_plain_prints_title_and_text(seeds: Path) -> None:
    done = run("show", "001_cf4d2f514ea51312.txt", str(seeds))
    assert done.returncode == 0
    assert "Pokerspiel" in done.stdout


def test_missing_path_is_one_line_exit_2(tmp_path: Path) -> None:
    done = run("list", str(tmp_path / "nope"))
    assert done.returncode == 2
    assert done.stderr.count("\n") == 1 and "Traceback" not in done.stderr
    assert "no such file or folder" in done.stderr


def test_unknown_article_is_exit_1(seeds: Path) -> None:
    done = run("show", "nope.txt", str(seeds))
    assert done.returncode == 1
    assert done.stderr.startswith("margin: ") and done.stderr.count("\n") == 1


def test_bad_option_is_one_line_exit_2() -> None:
    done = run("list", "--bogus")
    assert done.returncode == 2
    assert done.stderr.count("\n") == 1 and "Traceback" not in done.stderr


def test_plain_output_never_carries_escapes(tmp_path: Path) -> None:
    (tmp_path / "evil.txt").write_bytes(
        b"Title \x1b]0;pwned\x07 here\n\n\x1b[2JClear \xc2\x9b screen [bold]x[/bold] \xe2\x80\xae\n"
    )
    for args in (("list", str(tmp_path)), ("show", "evil.txt", str(tmp_path))):
        done = run(*args)
        assert done.returncode == 0, done.stderr
        assert "\x1b" not in done.stdout and "\x9b" not in done.stdout
        assert "\u202e" not in done.stdout
    assert "[bold]x[/bold]" in run("show", "evil.txt", str(tmp_path)).stdout


def test_subcommands_do_not_import_textual(seeds: Path) -> None:
    code = (
        "import sys; from tui.cli import main; "
        f"main(['list', {str(seeds)!r}, '--json']); "
        "sys.stderr.write(str(any(m.split('.')[0] in ('textual', 'rich') for m in sys.modules)))"
    )
    done = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, timeout=60, check=False
    )
    assert done.stderr.strip().endswith("False")


def test_version(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as exc:
        main(["--version"])
    assert exc.value.code == 0
    assert capsys.readouterr().out.startswith("margin ")


def call(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str, str]:
    code = main(list(args))
    out, err = capsys.readouterr()
    return code, out, err


@pytest.fixture
def dashed(tmp_path: Path) -> Path:
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    (corpus / "-leading-dash.txt").write_text("Dash\n\nA manatee swims.\n")
    return corpus


def test_a_name_starting_with_a_dash_is_hinted_for_the_command_at_hand(
    dashed: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    code, _, err = call(capsys, "show", "-leading-dash.txt", str(dashed))
    assert code == 2
    assert "an id that starts with '-' goes after '--': margin show -- -leading-dash.txt" in err
    assert "search" not in err
    code, _, err = call(capsys, "note", "add", "-leading-dash.txt", str(dashed), "--quote", "x")
    assert code == 2 and "margin note add --quote ... -- -leading-dash.txt" in err
    code, out, _ = call(capsys, "show", "--", "-leading-dash.txt", str(dashed))
    assert code == 0 and "A manatee swims." in out


def test_an_unknown_option_says_what_the_command_has(capsys: pytest.CaptureFixture[str]) -> None:
    code, _, err = call(capsys, "export", "--json")
    assert code == 2 and err.count("\n") == 1
    assert "`margin export` has no option --json: did you mean --format json?" in err
    assert "--format md|json, --output FILE" in err and "search" not in err


def test_options_after_double_dash_are_said_to_go_before_it(
    dashed: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    code, _, err = call(
        capsys, "--data-dir", str(tmp_path / "data"),
        "note", "add", "--", "-leading-dash.txt", "--quote", "manatee", str(dashed),
    )  # fmt: skip
    assert code == 2
    assert "--quote after '--' is read as a name, not an option: options go before '--'" in err
    assert "required" not in err


def test_a_data_dir_that_is_a_file_is_said_to_be_no_folder(
    seeds: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    afile = tmp_path / "afile"
    afile.write_text("")
    for data in (afile, afile / "sub"):
        code, _, err = call(capsys, "--data-dir", str(data), "index", str(seeds))
        assert code == 1 and err.startswith(f"margin: --data-dir is not a folder: {data}")
        assert "index" not in err and err.count("\n") == 1


@pytest.mark.skipif(not Path("/dev/full").exists(), reason="needs /dev/full")
@pytest.mark.parametrize("json_flag", [(), ("--json",)])
def test_a_full_stdout_is_said_as_such(seeds: Path, json_flag: tuple[str, ...]) -> None:
    with open("/dev/full", "w") as full:
        done = subprocess.run(
            [sys.executable, "-m", "tui", "list", str(seeds), *json_flag],
            stdout=full,
            stderr=subprocess.PIPE,
            text=True,
            timeout=60,
            check=False,
        )
    assert done.returncode == 1
    assert done.stderr == "margin: cannot write the output: No space left on device\n"


def test_an_empty_folder_says_it_has_no_articles(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    empty = tmp_path / "empty"
    empty.mkdir()
    code, out, err = call(capsys, "list", str(empty))
    assert (code, out, err) == (1, "", f"margin: no articles in {empty}\n")
    code, out, _ = call(capsys, "list", str(empty), "--json")
    assert code == 1 and json.loads(out)["articles"] == []
