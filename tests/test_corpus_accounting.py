"""A corpus run never loses, duplicates or corrupts a document: every document read ends once
in the output or in the errors file, whatever the input holds."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import tempfile
import warnings
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from attribution import Annotator
from attribution.cli import main
from attribution.corpus import OutputInUse, annotate_corpus, output_lock

GOOD = "Officials said the bridge would reopen."


@pytest.fixture(scope="module")
def rules(annotator: Annotator) -> Annotator:
    """The rules alone: these tests are about accounting, not labels."""
    return Annotator(annotator.nlp, sourcing=False, stance=False)


@pytest.fixture
def quiet_cli(monkeypatch, rules):
    """The command line with the rules-only annotator, so each call loads no model."""
    import attribution.pipeline

    monkeypatch.setattr(attribution.pipeline, "Annotator", lambda **_: rules)


def lines(path: Path) -> list[dict]:
    return [json.loads(x) for x in path.read_text(encoding="utf-8").split("\n") if x]


def ids(path: Path) -> list[str]:
    return [a["id"] for a in lines(path)]


def write_jsonl(path: Path, *rows: object) -> Path:
    path.write_text("".join((r if isinstance(r, str) else json.dumps(r)) + "\n" for r in rows),
                    encoding="utf-8")
    return path


def test_lone_surrogates_in_metadata_are_replaced_and_the_run_finishes(tmp_path, quiet_cli,
                                                                       capsys):
    corpus = write_jsonl(
        tmp_path / "c.jsonl",
        '{"id": "a\\udc80", "text": "Police said two men were held.", "outlet": "\\udc80"}',
        '{"id": "b", "text": "The mayor\\udf4b said it was fine.", "title": "x\\ud800"}',
    )
    out = tmp_path / "out.jsonl"
    assert main(["annotate", str(corpus), "-o", str(out)]) == 0
    assert ids(out) == ["a\ufffd", "b"]
    assert lines(out)[1]["text"] == "The mayor\ufffd said it was fine."
    err = capsys.readouterr().err
    assert "c.jsonl:1" in err and "U+FFFD" in err
    assert main(["annotate", str(corpus), "-o", str(out)]) == 0  # the rerun finds both done
    assert "2 already done" in capsys.readouterr().err


def test_plain_output_keeps_the_good_documents_around_a_bad_one(tmp_path, quiet_cli, capsys):
    corpus = write_jsonl(tmp_path / "c.jsonl", {"id": "1", "text": GOOD},
                         '{"id": "2", "text": "Lone \\udc80 surrogate, officials said."}',
                         "[" * 100_000, {"id": "4", "text": GOOD + " Again."})
    code = main(["annotate", str(corpus), "--format", "jsonl"])
    out, err = capsys.readouterr()
    assert code == 2
    assert [json.loads(x)["id"] for x in out.splitlines()] == ["1", "2", "4"]
    assert "c.jsonl:3: JSON nested too deeply" in err


def test_deep_nesting_is_an_error_record_and_the_lines_around_it_are_kept(tmp_path, rules):
    corpus = write_jsonl(tmp_path / "c.jsonl", {"id": "a", "text": GOOD}, "[" * 100_000,
                         {"id": "c", "text": GOOD})
    out = tmp_path / "out.jsonl"
    result = annotate_corpus(corpus, out, annotator=rules, progress=False)
    assert (result.read, result.written, result.failed) == (3, 2, 1)
    assert ids(out) == ["a", "c"]
    (error,) = lines(result.errors)
    assert error["where"].endswith("c.jsonl:2") and "nested" in error["reason"]


def test_line_separators_inside_strings_do_not_split_records(tmp_path, rules):
    rows = [{"id": "a", "text": "One.\u2028Two, officials said.\x85Three."},
            {"id": "b", "text": "Four\u2029five."}]
    corpus = tmp_path / "c.jsonl"
    corpus.write_text("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in rows) + "{bad\n",
                      encoding="utf-8")
    result = annotate_corpus(corpus, tmp_path / "out.jsonl", annotator=rules, progress=False)
    assert (result.written, result.failed) == (2, 1)
    assert [a["text"] for a in lines(tmp_path / "out.jsonl")] == [r["text"] for r in rows]
    assert lines(result.errors)[0]["where"].endswith("c.jsonl:3")


def test_a_missing_path_or_a_link_loop_is_skipped_and_the_rest_annotated(tmp_path, quiet_cli,
                                                                          capsys):
    good = tmp_path / "good.txt"
    good.write_text(GOOD, encoding="utf-8")
    loop = tmp_path / "loop.txt"
    loop.symlink_to(loop)
    code = main(["annotate", str(tmp_path / "missing.txt"), str(loop), str(good),
                 "--format", "jsonl"])
    out, err = capsys.readouterr()
    assert code == 2
    assert [json.loads(x)["id"] for x in out.splitlines()] == [good.as_posix()]
    assert "missing.txt: no such file or folder" in err
    assert "loop.txt: symbolic link loop" in err


def test_writing_onto_an_input_refuses_to_start(tmp_path, quiet_cli, capsys):
    story = tmp_path / "story.txt"
    story.write_text(GOOD, encoding="utf-8")
    for output in (story, tmp_path / "." / "story.txt"):
        assert main(["annotate", str(story), "-o", str(output)]) == 2
        assert "is also an input" in capsys.readouterr().err
    assert story.read_text(encoding="utf-8") == GOOD
    corpus = write_jsonl(tmp_path / "c.jsonl", {"id": "a", "text": GOOD})
    assert main(["annotate", str(corpus), "-o", str(corpus)]) == 2
    assert corpus.read_text(encoding="utf-8").count("\n") == 1


def test_file_ids_keep_the_path_and_the_extension(tmp_path, rules, monkeypatch):
    for folder in ("y2019", "y2020"):
        (tmp_path / "corpus" / folder).mkdir(parents=True)
        (tmp_path / "corpus" / folder / "story.txt").write_text(GOOD, encoding="utf-8")
    (tmp_path / "corpus" / "a.txt").write_text(GOOD, encoding="utf-8")
    (tmp_path / "corpus" / "a.html").write_text(
        f"<html><body><article><p>{GOOD} " * 5 + "</p></article></body></html>",
        encoding="utf-8")
    monkeypatch.chdir(tmp_path)
    result = annotate_corpus("corpus", tmp_path / "out.jsonl", annotator=rules, progress=False)
    assert sorted(ids(tmp_path / "out.jsonl")) == [
        "corpus/a.html", "corpus/a.txt", "corpus/y2019/story.txt", "corpus/y2020/story.txt"]
    assert result.failed == 0


def test_repeated_ids_are_error_records_naming_both_places(tmp_path, rules):
    corpus = write_jsonl(tmp_path / "c.jsonl", {"id": 1, "text": GOOD},
                         {"id": "1", "text": "Another text."}, {"id": "x", "text": GOOD},
                         {"id": "x", "text": GOOD}, {"id": ["no"], "text": GOOD})
    result = annotate_corpus(corpus, tmp_path / "out.jsonl", annotator=rules, progress=False)
    assert ids(tmp_path / "out.jsonl") == ["1", "x"]
    errors = lines(result.errors)
    assert [e["id"] for e in errors] == ["1", "x", None]
    assert errors[0]["where"].endswith("c.jsonl:2") and "c.jsonl:1" in errors[0]["reason"]
    assert "'id' must be a string or an integer" in errors[2]["reason"]
    assert result.read == 5 == result.written + result.failed


def test_two_stdin_runs_with_different_texts_both_count(tmp_path, quiet_cli, monkeypatch):
    out = tmp_path / "out.jsonl"
    for text in (b"Officials said one thing.", b"Officials said another."):
        monkeypatch.setattr(sys, "stdin", _stdin(text))
        assert main(["annotate", "-", "-o", str(out)]) == 0
    monkeypatch.setattr(sys, "stdin", _stdin(b"Officials said one thing."))
    assert main(["annotate", "-", "-o", str(out)]) == 0  # the same text again: already done
    assert len(set(ids(out))) == 2 and all(i.startswith("stdin:") for i in ids(out))


def _stdin(data: bytes):
    import io

    return io.TextIOWrapper(io.BytesIO(data), encoding="utf-8")


def test_a_second_run_on_the_same_output_is_refused(tmp_path, rules, quiet_cli, capsys):
    out = tmp_path / "out.jsonl"
    with output_lock(out):
        with pytest.raises(OutputInUse, match="another run is writing"):
            annotate_corpus([GOOD], out, annotator=rules, progress=False)
        corpus = write_jsonl(tmp_path / "c.jsonl", {"id": "a", "text": GOOD})
        assert main(["annotate", str(corpus), "-o", str(out)]) == 2
        assert "another run is writing" in capsys.readouterr().err
    assert annotate_corpus([GOOD], out, annotator=rules, progress=False).written == 1


def test_resume_sets_aside_corrupt_and_repeated_lines(tmp_path, rules):
    records = [{"id": f"d{i}", "text": GOOD} for i in range(4)]
    out = tmp_path / "out.jsonl"
    annotate_corpus(records[:3], out, annotator=rules, progress=False)
    first, second, third = out.read_text(encoding="utf-8").splitlines()
    out.write_text("\n".join([first, "{garbage", second, first, third]) + "\n", encoding="utf-8")
    told = []
    result = annotate_corpus(records, out, annotator=rules, progress=False,
                             on_repair=told.append)
    assert ids(out) == ["d0", "d1", "d2", "d3"]
    assert (result.written, result.skipped, result.repair.set_aside) == (1, 3, 2)
    aside = lines(tmp_path / "out.rejected.jsonl")
    assert [(a["line"], a["reason"]) for a in aside] == [(2, "not an annotated article"),
                                                          (4, "repeated id")]
    assert "2 line(s) set aside" in str(told[0])


def test_outputs_inside_an_input_folder_are_never_read_back(tmp_path, quiet_cli, capsys):
    folder = tmp_path / "in"
    folder.mkdir()
    write_jsonl(folder / "c.jsonl", {"id": "a", "text": GOOD}, "{bad")
    out = folder / "ann.jsonl"
    for _ in range(2):
        assert main(["annotate", str(folder), "-o", str(out)]) == 2
    assert ids(out) == ["a"]
    err = capsys.readouterr().err
    assert not [x for x in err.splitlines() if "skipped" in x and "ann." in x]
    assert "2 read: 0 annotated, 1 already done, 1 failed" in err


BAD_ANNOTATIONS = [
    {"id": "m", "outlet": "$\\frac$ Times", "text": "Officials said so.",
     "sentences": [{"start": 0, "end": 18, "text": "Officials said so.", "label": "anonymous"}]},
    {"id": "n", "outlet": "B", "text": "x", "sentences": [{"start": 0, "text": "x"}]},
    {"id": "o", "outlet": "B", "text": "x", "sentences": [None]},
    {"id": "p", "outlet": {"a": 1}, "text": "x", "sentences": []},
    {"id": "q", "outlet": "B", "text": "x", "sentences": 5},
]


def test_report_skips_what_it_cannot_read_and_shows_names_as_text(tmp_path, capsys):
    ann = write_jsonl(tmp_path / "ann.jsonl", *BAD_ANNOTATIONS, BAD_ANNOTATIONS[0])
    for by in ("outlet", "article_id", "stance", "source_named"):
        out = tmp_path / f"report-{by}"
        assert main(["report", str(ann), "-o", str(out), "--by", by, "--n-boot", "20"]) == 0
        assert (out / "report.html").exists()
    err = capsys.readouterr().err
    assert "ann.jsonl:2" in err and "ann.jsonl:6" in err and "repeats article id" in err
    html = (tmp_path / "report-outlet" / "report.html").read_text(encoding="utf-8")
    assert "$\\frac$ Times" in html
    assert main(["report", str(ann), "-o", str(tmp_path / "strict"), "--strict"]) == 2
    assert "ann.jsonl:2" in capsys.readouterr().err
    assert not (tmp_path / "strict").exists()


def test_a_failing_report_leaves_no_half_written_folder(tmp_path, monkeypatch):
    import attribution.report
    from attribution.corpus import load_annotations

    ann = write_jsonl(tmp_path / "ann.jsonl", BAD_ANNOTATIONS[0])
    df = load_annotations(ann)

    def broken(*args, **kwargs):
        raise RuntimeError("plotting failed")

    monkeypatch.setattr(attribution.report, "plot_stance_heatmap", broken)
    with pytest.raises(RuntimeError):
        attribution.report.write_report(df, tmp_path / "rep", n_boot=10)
    assert not (tmp_path / "rep").exists()
    assert [p.name for p in tmp_path.iterdir()] == ["ann.jsonl"]


def test_terminal_output_strips_control_characters_and_csv_neutralises_formulas(
        tmp_path, quiet_cli, capsys):
    corpus = write_jsonl(tmp_path / "c.jsonl",
                         {"id": "\x1b[2J", "text": "=HYPERLINK(1) said \x1b[31mred\x1b[0m.",
                          "outlet": "@evil"})
    assert main(["annotate", str(corpus)]) == 0
    out = capsys.readouterr().out
    assert "\x1b" not in out and "[31mred" in out
    assert main(["annotate", str(corpus), "--format", "csv"]) == 0
    out = capsys.readouterr().out
    assert ",'=HYPERLINK(1)" in out and ",'@evil," in out


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="needs FIFOs")
def test_a_fifo_is_not_read(tmp_path, quiet_cli, capsys):
    os.mkfifo(tmp_path / "pipe.txt")
    (tmp_path / "good.txt").write_text(GOOD, encoding="utf-8")
    assert main(["annotate", str(tmp_path), "--format", "jsonl"]) == 2
    out, err = capsys.readouterr()
    assert len(out.splitlines()) == 1 and "pipe.txt: not a regular file" in err


def test_a_full_disk_on_standard_output_is_one_line(tmp_path):
    if not Path("/dev/full").exists():
        pytest.skip("needs /dev/full")
    story = tmp_path / "s.txt"
    story.write_text(GOOD, encoding="utf-8")
    with open("/dev/full", "w") as full:
        done = subprocess.run([sys.executable, "-m", "attribution", "annotate", str(story)],
                              stdout=full, stderr=subprocess.PIPE, text=True)
    assert done.returncode == 2
    assert done.stderr.strip().splitlines()[-1].startswith("attribution: error: cannot write")
    assert "Traceback" not in done.stderr


RECORD = st.one_of(
    st.builds(lambda t, i: {"id": i, "text": t},
              st.sampled_from([GOOD, "", "x", '"Yes," he said.', "\udc80 said"]),
              st.one_of(st.integers(0, 5), st.sampled_from(["0", "a", "\udc80", "b"]))),
    st.builds(lambda t: {"text": t}, st.sampled_from([GOOD, "Plain."])),
    st.sampled_from(["{broken", "[" * 5000, "[1, 2]", '{"id": "z"}', '{"id": {}, "text": ""}',
                     '{"text": 5}', '{"id": true, "text": "t"}', '{"id": "o", "text": "t", '
                     '"outlet": []}']),
)


@settings(max_examples=25, deadline=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(st.lists(RECORD, max_size=8), st.integers(1, 3))
def test_every_document_ends_once_in_the_output_or_the_errors(tmp_path, rules, rows, size):
    folder = Path(tempfile.mkdtemp(dir=tmp_path))
    corpus = folder / "c.jsonl"
    corpus.write_text("".join((r if isinstance(r, str) else json.dumps(r)) + "\n"
                              for r in rows), encoding="utf-8")
    out = folder / "out.jsonl"
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # replaced surrogates are reported with a warning
        result = annotate_corpus(corpus, out, annotator=rules, progress=False, batch_size=size)
    written = ids(out) if out.exists() else []
    errors = lines(result.errors) if result.errors.exists() else []
    assert result.read == len(rows) == len(written) + len(errors)
    assert len(set(written)) == len(written)
    error_lines = [int(e["where"].rsplit(":", 1)[1]) for e in errors]
    assert len(set(error_lines)) == len(error_lines)  # no document is reported twice
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        again = annotate_corpus(corpus, out, annotator=rules, progress=False, batch_size=size)
    assert (again.written, again.skipped) == (0, len(written))
    assert ids(out) == written


def test_records_over_the_size_limit_are_error_records(tmp_path, quiet_cli, capsys):
    corpus = write_jsonl(tmp_path / "c.jsonl", {"id": "big", "text": "word " * 300},
                         {"id": "ok", "text": GOOD}, {}, {"id": "empty", "text": ""})
    big = tmp_path / "big.txt"
    big.write_text("word " * 300, encoding="utf-8")
    out = tmp_path / "out.jsonl"
    code = main(["annotate", str(corpus), str(big), "-o", str(out), "--max-record-bytes", "1000"])
    assert code == 2
    assert ids(out) == ["ok", "empty"]  # an empty text is a document with no sentences
    errors = lines(tmp_path / "out.errors.jsonl")
    assert [e["id"] for e in errors] == [None, f"{corpus.as_posix()}:3", big.as_posix()]
    assert "over the limit of 1,000" in errors[0]["reason"]
    assert "no string 'text'" in errors[1]["reason"]
    assert "5 read: 2 annotated, 0 already done, 3 failed" in capsys.readouterr().err
    assert main(["annotate", str(corpus), "-o", str(out), "--max-record-bytes", "0"]) == 2


def test_a_run_killed_at_any_point_resumes_to_the_same_output(tmp_path):
    import signal
    import time

    rows = [{"id": f"d{i}", "text": f"Officials said plan {i} failed. It cost ${i} million."}
            for i in range(40)]
    corpus = write_jsonl(tmp_path / "c.jsonl", *rows)
    whole, out = tmp_path / "whole.jsonl", tmp_path / "out.jsonl"
    command = [sys.executable, "-m", "attribution", "annotate", str(corpus), "--batch-size", "1"]
    subprocess.run([*command, "-o", str(whole)], check=True, capture_output=True)
    run = subprocess.Popen([*command, "-o", str(out)], stderr=subprocess.DEVNULL)
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline and (not out.exists() or out.stat().st_size < 2000):
        time.sleep(0.05)
    run.send_signal(signal.SIGKILL)
    run.wait()
    assert 0 < len(ids(out)) < 40 or out.read_bytes().count(b"\n") < 40
    subprocess.run([*command, "-o", str(out)], check=True, capture_output=True)
    assert out.read_bytes() == whole.read_bytes()


def test_the_python_api_never_reads_its_own_output_back(tmp_path, rules):
    folder = tmp_path / "in"
    folder.mkdir()
    (folder / "a.txt").write_text(GOOD, encoding="utf-8")
    out = folder / "ann.jsonl"
    for _ in range(2):
        annotate_corpus(folder, out, annotator=rules, progress=False)
    assert ids(out) == ["in/a.txt"]  # a folder named by an absolute path: from its name
    with pytest.raises(ValueError, match="also the input"):
        annotate_corpus(out, out, annotator=rules, progress=False)


def test_a_page_the_html_reader_chokes_on_is_one_error_record(tmp_path, rules, monkeypatch):
    import attribution.io

    def choke(html):
        raise RecursionError("maximum recursion depth exceeded")

    monkeypatch.setattr(attribution.io, "html_to_text", choke)
    (tmp_path / "a.html").write_text("<html></html>", encoding="utf-8")
    (tmp_path / "b.txt").write_text(GOOD, encoding="utf-8")
    result = annotate_corpus(tmp_path, tmp_path / "out" / "ann.jsonl", annotator=rules,
                             progress=False)
    assert (result.written, result.failed) == (1, 1)
    assert "RecursionError" in lines(result.errors)[0]["reason"]


def test_a_record_carrying_its_own_where_is_still_checked(tmp_path, rules):
    records = [{"where": "feed:7", "text": 5}, {"id": "a", "text": GOOD}]
    result = annotate_corpus(records, tmp_path / "out.jsonl", annotator=rules, progress=False)
    assert (result.written, result.failed) == (1, 1)
    (error,) = lines(result.errors)
    assert error["where"] == "feed:7" and "'text' must be a str" in error["reason"]
