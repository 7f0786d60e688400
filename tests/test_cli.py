"""The command line on seeds/ in every format, and its handling of bad input."""

from __future__ import annotations

import csv
import io
import json
import subprocess
import sys

from attribution.cli import main

from .conftest import ROOT

SEEDS = str(ROOT / "seeds")


def run(capsys, *args: str) -> tuple[int, str, str]:
    code = main(list(args))
    out, err = capsys.readouterr()
    return code, out, err


def test_text_format(capsys):
    code, out, _ = run(capsys, "annotate", SEEDS)
    assert code == 0
    assert "== seeds/putin_allies_bloomberg.txt: 33 sentences ==" in out
    assert "One source" in out and "anonymous" in out


def test_json_format(capsys):
    code, out, _ = run(capsys, "annotate", SEEDS, "--format", "json")
    assert code == 0
    (article,) = json.loads(out)
    assert article["id"] == "seeds/putin_allies_bloomberg.txt" and len(article["sentences"]) == 33


def test_jsonl_format_to_file(capsys, tmp_path):
    target = tmp_path / "out.jsonl"
    code, out, _ = run(capsys, "annotate", SEEDS, "--format", "jsonl", "-o", str(target))
    assert code == 0 and out == ""
    lines = target.read_text(encoding="utf-8").splitlines()
    assert len(lines) == 1 and json.loads(lines[0])["sentences"][0]["kind"] == "heading"


def test_csv_format(capsys):
    code, out, _ = run(capsys, "annotate", SEEDS, "--format", "csv")
    assert code == 0
    rows = list(csv.DictReader(io.StringIO(out)))
    assert len(rows) == 33
    assert {r["label"] for r in rows} == {"anonymous", "direct_quote", "reported_speech",
                                          "editorial"}


def test_html_format(capsys):
    code, out, _ = run(capsys, "annotate", SEEDS, "--format", "html")
    assert code == 0
    assert out.startswith("<!DOCTYPE html>") and out.count('class="sent ') == 33


def test_stdin(capsys, monkeypatch):
    stdin = io.TextIOWrapper(io.BytesIO(b"Officials said the plan failed."), encoding="utf-8")
    monkeypatch.setattr(sys, "stdin", stdin)
    code, out, _ = run(capsys, "annotate", "-", "--format", "jsonl")
    assert code == 0 and json.loads(out)["sentences"][0]["label"] == "anonymous"


def test_html_input(capsys, tmp_path):
    body = "".join(
        f"<p>Paragraph {i}: officials said the council would vote on the new budget next "
        f"week, after months of debate over schools and roads in the city.</p>"
        for i in range(6)
    )
    page = tmp_path / "story.html"
    page.write_text(
        f"<html><head><title>Budget</title></head><body><nav>Home | News</nav>"
        f"<article><h1>Council to vote on budget</h1>{body}</article>"
        f"<footer>Copyright</footer></body></html>",
        encoding="utf-8",
    )
    code, out, _ = run(capsys, "annotate", str(page), "--format", "json")
    assert code == 0
    (article,) = json.loads(out)
    assert "officials said the council" in article["text"] and "Copyright" not in article["text"]
    assert any(s["label"] == "anonymous" for s in article["sentences"])


def test_missing_file_is_one_line_and_exit_2(capsys):
    code, out, err = run(capsys, "annotate", "no/such/file.txt")
    assert code == 2 and out == ""
    assert err.strip().count("\n") == 0 and "no/such/file.txt" in err


def test_undecodable_file_is_reported_and_the_rest_annotated(capsys, tmp_path):
    (tmp_path / "a_bad.txt").write_bytes(b"caf\xe9 \xff\xfe said")
    (tmp_path / "b_good.txt").write_text("Police said two men were held.", encoding="utf-8")
    code, out, err = run(capsys, "annotate", str(tmp_path), "--format", "jsonl")
    assert code == 2
    assert [json.loads(line)["id"] for line in out.splitlines()] == [
        f"{tmp_path.name}/b_good.txt"]
    (line,) = [x for x in err.splitlines() if "skipped" in x]
    assert "a_bad.txt" in line and "UTF-8" in line


def test_bad_jsonl_line_is_skipped_and_the_rest_annotated(capsys, tmp_path):
    corpus = tmp_path / "corpus.jsonl"
    corpus.write_text(
        '{"id": "one", "text": "Officials said it failed.", "outlet": "A"}\n'
        "{not json\n"
        '{"id": "three"}\n'
        '["a", "list"]\n'
        '{"id": "five", "text": "The storm hit.", "outlet": "B"}\n',
        encoding="utf-8",
    )
    code, out, err = run(capsys, "annotate", str(corpus), "--format", "jsonl")
    assert code == 2
    assert [json.loads(line)["id"] for line in out.splitlines()] == ["one", "five"]
    skipped = [x for x in err.splitlines() if "skipped" in x]
    assert [x.split(":")[2] for x in skipped] == ["2", "3", "4"]


def test_bad_batch_size(capsys):
    code, _, err = run(capsys, "annotate", SEEDS, "--batch-size", "0")
    assert code == 2 and "batch-size" in err


def test_help_explains_the_labels(capsys):
    assert main(["annotate", "--help"]) == 0
    out = capsys.readouterr().out
    for label in ("anonymous", "direct_quote", "reported_speech", "editorial"):
        assert label in out


def test_python_dash_m_and_bad_arguments():
    done = subprocess.run(
        [sys.executable, "-m", "attribution", "--version"], capture_output=True, text=True
    )
    assert done.returncode == 0 and done.stdout.startswith("attribution ")
    done = subprocess.run(
        [sys.executable, "-m", "attribution", "annotate", SEEDS, "--format", "xml"],
        capture_output=True, text=True,
    )
    assert done.returncode == 2 and "invalid choice" in done.stderr
