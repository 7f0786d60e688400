"""Corpus runs on Dask (attribution.dask) against a LocalCluster of 2 single-thread worker
processes: the annotations of the single-process run, resumption after a killed worker and
after a stopped run, bad documents listed and passed over, an empty input; Parquet folders
read back by load_annotations and profiled partition by partition."""

from __future__ import annotations

import json
import os
import signal
import threading
import time
from pathlib import Path

import pandas as pd
import pytest

from attribution.analysis import sourcing_profile
from attribution.cli import main
from attribution.corpus import annotate_corpus, load_annotations
from attribution.dask import ERRORS, annotate_files

RULES = {"sourcing": False, "stance": False}
TEXTS = [
    "Officials said plan {k} failed. 'It was late,' the mayor said. It rained on day {k}.",
    "The council approved budget {k} on Monday, according to a statement. Critics were angry.",
    "\"We will appeal,\" said lawyer Ana Ruiz after ruling {k}. A source close to the case "
    "said the judge had erred.",
]


def records(n: int) -> list[dict[str, object]]:
    return [{"id": f"d{k}", "outlet": ("Daily", "Herald", "Post")[k % 3],
             "text": TEXTS[k % 3].format(k=k)} for k in range(n)]


def write_jsonl(path: Path, rows: list[object], extra: str = "") -> Path:
    path.write_text("".join(json.dumps(r) + "\n" for r in rows) + extra, encoding="utf-8")
    return path


@pytest.fixture(scope="module")
def client():
    from distributed import Client, LocalCluster

    with LocalCluster(n_workers=2, threads_per_worker=1, processes=True,
                      dashboard_address=None) as cluster, Client(cluster) as connected:
        yield connected


def test_the_cluster_writes_what_one_process_writes(tmp_path, client, rules):
    rows = records(11)
    rows.insert(4, {"id": "bad", "text": 5})
    corpus = write_jsonl(tmp_path / "c.jsonl", rows, "{broken\n")
    single = tmp_path / "single.jsonl"
    one = annotate_corpus(corpus, single, annotator=rules, progress=False)
    result = annotate_files(corpus, tmp_path / "out", client, records_per_partition=3,
                            annotator_options=RULES, progress=False)
    assert (result.partitions, result.written, result.annotated) == (5, 5, 11)
    assert result.failed == one.failed == 2 and not result.lost
    expected = load_annotations(single)
    got = load_annotations(tmp_path / "out")
    pd.testing.assert_frame_equal(got, expected)
    assert got.attrs["skipped"] == []
    # Each bad document is listed once, with the place and reason the single run gives.
    listed = [json.loads(line) for f in sorted((tmp_path / "out" / ERRORS).glob("*.jsonl"))
              for line in f.read_text(encoding="utf-8").splitlines()]
    single_errors = [json.loads(line) for line in
                     (tmp_path / "single.errors.jsonl").read_text(encoding="utf-8").splitlines()]
    assert sorted(listed, key=str) == sorted(single_errors, key=str)


@pytest.mark.slow
def test_with_the_shipped_models(tmp_path, client, annotator):
    corpus = write_jsonl(tmp_path / "c.jsonl", records(6))
    single = tmp_path / "single.jsonl"
    annotate_corpus(corpus, single, annotator=annotator, progress=False)
    annotate_files(corpus, tmp_path / "out", client, records_per_partition=2, progress=False)
    pd.testing.assert_frame_equal(load_annotations(tmp_path / "out"), load_annotations(single))


def test_a_rerun_skips_finished_partitions(tmp_path, client):
    corpus = write_jsonl(tmp_path / "c.jsonl", records(6))
    out = tmp_path / "out"
    first = annotate_files(corpus, out, client, records_per_partition=2,
                           annotator_options=RULES, progress=False)
    assert (first.written, first.done_before) == (3, 0)
    files = sorted(out.glob("*.parquet"))
    stamps = {f: f.stat().st_mtime_ns for f in files}
    files[1].unlink()  # as if the run had stopped before this partition
    again = annotate_files(corpus, out, client, records_per_partition=2,
                           annotator_options=RULES, progress=False)
    assert (again.written, again.done_before, again.annotated) == (1, 2, 2)
    assert [f.stat().st_mtime_ns == stamps[f] for f in files] == [True, False, True]
    assert load_annotations(out)["article_id"].nunique() == 6
    with pytest.raises(ValueError, match="2 records per partition, not 3"):
        annotate_files(corpus, out, client, records_per_partition=3, progress=False)
    write_jsonl(corpus, records(7))
    with pytest.raises(ValueError, match="changed since"):
        annotate_files(corpus, out, client, records_per_partition=2, progress=False)


def test_a_killed_worker_loses_only_its_partition(tmp_path, client, rules):
    corpus = write_jsonl(tmp_path / "c.jsonl", records(16))
    out = tmp_path / "out"
    done: dict[str, object] = {}

    def run() -> None:
        done["result"] = annotate_files(corpus, out, client, records_per_partition=1,
                                        annotator_options=RULES, progress=False)

    thread = threading.Thread(target=run)
    thread.start()
    deadline = time.monotonic() + 120
    while not any(out.glob("*.parquet")) and time.monotonic() < deadline:
        time.sleep(0.05)
    pids = client.run(os.getpid)  # one worker process dies in mid-run, without warning
    killed = next(iter(pids.values()))
    os.kill(killed, signal.SIGKILL)
    thread.join(timeout=300)
    result = done["result"]
    # Every partition is written once, in this run, even one whose worker died after writing
    # it and before reporting (Dask's retry finds the file and reports it).
    assert not result.lost and result.written == 16 and result.annotated == 16
    client.wait_for_workers(2, timeout=60)
    assert killed not in client.run(os.getpid).values()  # it died; its nanny started another
    single = tmp_path / "single.jsonl"
    annotate_corpus(corpus, single, annotator=rules, progress=False)
    pd.testing.assert_frame_equal(load_annotations(out), load_annotations(single))


def test_an_empty_input(tmp_path, client):
    corpus = tmp_path / "empty.jsonl"
    corpus.write_text("", encoding="utf-8")
    result = annotate_files([corpus], tmp_path / "out", client, progress=False)
    assert (result.partitions, result.annotated, result.failed) == (0, 0, 0)
    df = load_annotations(tmp_path / "out")
    assert df.empty and "label" in df.columns


def test_inputs_that_cannot_be_read_are_listed(tmp_path, client):
    corpus = write_jsonl(tmp_path / "c.jsonl", records(2))
    (tmp_path / "not.parquet").write_bytes(b"not parquet")
    met: list[str] = []
    result = annotate_files([corpus, tmp_path / "missing-*.jsonl", tmp_path / "not.parquet"],
                            tmp_path / "out", client, annotator_options=RULES,
                            progress=False, on_error=met.append)
    assert result.annotated == 2 and result.failed == 2
    assert any("no file matches" in line for line in met)
    assert any("not.parquet" in line and "cannot be read" in line for line in met)
    run = (tmp_path / "out" / ERRORS / "_run.jsonl").read_text(encoding="utf-8")
    assert len(run.splitlines()) == 2


def test_parquet_and_text_inputs(tmp_path, client, rules):
    pa = pytest.importorskip("pyarrow")
    import pyarrow.parquet as pq

    rows = records(5)
    rows[2] = {"text": rows[2]["text"], "outlet": "Post"}  # no id: it gets file:row
    pq.write_table(pa.Table.from_pylist(rows), tmp_path / "in.parquet", row_group_size=2)
    folder = tmp_path / "texts"
    folder.mkdir()
    for k, text in enumerate(TEXTS):
        (folder / f"a{k}.txt").write_text(text.format(k=k), encoding="utf-8")
    result = annotate_files([tmp_path / "in.parquet", folder], tmp_path / "out", client,
                            records_per_partition=2, annotator_options=RULES, progress=False)
    assert (result.partitions, result.annotated, result.failed) == (5, 8, 0)
    df = load_annotations(tmp_path / "out")
    ids = set(df["article_id"])
    assert f"{tmp_path / 'in.parquet'}:3" in ids and {"d0", "d4"} <= ids
    single = tmp_path / "single.jsonl"
    annotate_corpus(folder, single, annotator=rules, progress=False)
    expected = load_annotations(single)
    pd.testing.assert_frame_equal(
        df[df["article_id"].isin(expected["article_id"])].reset_index(drop=True), expected)


def test_the_profile_of_a_folder_is_the_profile_of_its_frame(tmp_path, client):
    rows = records(30)
    rows.append({**rows[3], "text": "Another text under a repeated id."})  # kept once
    corpus = write_jsonl(tmp_path / "c.jsonl", rows)
    out = tmp_path / "out"
    result = annotate_files(corpus, out, client, records_per_partition=4,
                            annotator_options=RULES, progress=False)
    assert result.failed == 1  # the repeated id, listed
    frame = load_annotations(out)
    assert frame["article_id"].nunique() == 30 and len(frame.attrs["skipped"]) == 1
    in_memory = sourcing_profile(frame, n_boot=200)
    pd.testing.assert_frame_equal(sourcing_profile(out, n_boot=200), in_memory)
    assert list(in_memory.index) == ["Daily", "Herald", "Post"]


def test_the_command_line(tmp_path, capsys):
    corpus = write_jsonl(tmp_path / "c.jsonl", records(3))
    assert main(["annotate", str(corpus), "--format", "parquet"]) == 2
    assert "needs -o OUT" in capsys.readouterr().err
    assert main(["annotate", str(corpus), "-o", str(tmp_path / "x.jsonl"),
                 "--scheduler", "tcp://127.0.0.1:1"]) == 2
    assert "--scheduler needs --format parquet" in capsys.readouterr().err
    assert main(["annotate", str(corpus), "-o", str(tmp_path / "o"), "--format", "parquet",
                 "--partition-size", "0"]) == 2
    assert "--partition-size must be at least 1" in capsys.readouterr().err
    (tmp_path / "plain").mkdir()
    assert main(["report", str(tmp_path / "plain"), "-o", str(tmp_path / "r")]) == 2
    assert "no Parquet annotations" in capsys.readouterr().err
