"""Corpus runs: streaming output, resuming after a crash, errors files, loading annotations."""

from __future__ import annotations

import json

import pytest

from attribution import Annotator
from attribution.corpus import annotate_corpus, done_ids, load_annotations, repair_output
from attribution.document import Label

TEXTS = [
    "Officials said the bridge would reopen.",
    '"We are ready," Mayor Ann Cole said.',
    "The storm hit the coast on Monday.",
    "According to the ministry, 40 people were injured.",
    "Police said two men were held. They were released later.",
    "Analysts warn that prices could rise.",
    "The council met on Tuesday.",
]
RECORDS = [{"id": f"d{i}", "text": t, "outlet": "AB"[i % 2]} for i, t in enumerate(TEXTS)]


def lines(path):
    return [json.loads(x) for x in path.read_text(encoding="utf-8").splitlines()]


def test_writes_one_line_per_document(annotator, tmp_path):
    out = tmp_path / "ann.jsonl"
    result = annotate_corpus(RECORDS, out, annotator=annotator, progress=False, batch_size=3)
    assert (result.written, result.skipped, result.failed) == (7, 0, 0)
    assert [a["id"] for a in lines(out)] == [r["id"] for r in RECORDS]
    assert not result.errors.exists()


class Crash(Exception):
    pass


def crashing(records, after):
    for i, record in enumerate(records):
        if i == after:
            raise Crash("the machine went down")
        yield record


def test_resume_after_a_crash_equals_an_uninterrupted_run(annotator, tmp_path):
    whole = tmp_path / "whole.jsonl"
    annotate_corpus(RECORDS, whole, annotator=annotator, progress=False, batch_size=2)

    out = tmp_path / "resumed.jsonl"
    with pytest.raises(Crash):
        annotate_corpus(crashing(RECORDS, 5), out, annotator=annotator, progress=False,
                        batch_size=2)
    done = lines(out)
    assert [a["id"] for a in done] == ["d0", "d1", "d2", "d3"]  # finished batches kept
    with out.open("a", encoding="utf-8") as handle:  # a write cut short by the crash
        handle.write('{"id": "d4", "text": "Police sa')
    result = annotate_corpus(RECORDS, out, annotator=annotator, progress=False, batch_size=2)
    assert (result.written, result.skipped) == (3, 4)
    assert lines(out) == lines(whole)


def test_repair_sets_aside_a_partial_last_line_and_ids_are_read_without_parsing(tmp_path,
                                                                               monkeypatch):
    out = tmp_path / "x.jsonl"
    good = [json.dumps({"id": k, "text": "", "sentences": []}) for k in ("a", 'b "2"')]
    out.write_text("\n".join(good) + '\n{"id": "c", "te', encoding="utf-8")
    assert done_ids(out) == {"a", 'b "2"'}  # the cut-off line is not done
    repair = repair_output(out)
    assert (repair.kept, repair.set_aside) == (2, 1)
    assert out.read_text(encoding="utf-8") == "\n".join(good) + "\n"
    (aside,) = lines(tmp_path / "x.rejected.jsonl")
    assert aside["line"] == 3 and aside["reason"] == "cut off"
    # Finding where a run stopped parses no article.
    import attribution.corpus as corpus

    monkeypatch.setattr(corpus.json, "loads", _only_short(json.loads))
    assert done_ids(out) == {"a", 'b "2"'}


def _only_short(loads):
    def checked(raw, *args, **kwargs):
        assert len(raw) < 40, "a whole article was parsed"
        return loads(raw, *args, **kwargs)

    return checked


def test_broken_lines_go_to_the_errors_file(annotator, tmp_path):
    corpus = tmp_path / "corpus.jsonl"
    corpus.write_text(
        json.dumps(RECORDS[0]) + "\n{broken\n" + json.dumps({"id": "no-text"}) + "\n"
        + json.dumps(RECORDS[1]) + "\n",
        encoding="utf-8",
    )
    out = tmp_path / "ann.jsonl"
    seen = []
    result = annotate_corpus(corpus, out, annotator=annotator, progress=False, on_error=seen.append)
    assert (result.written, result.failed) == (2, 2)
    errors = lines(tmp_path / "ann.errors.jsonl")
    assert [e["where"].rsplit(":", 1)[1] for e in errors] == ["2", "3"]
    assert "malformed JSON" in errors[0]["reason"] and "'text'" in errors[1]["reason"]
    assert len(seen) == 2


class Fragile(Annotator):
    """An annotator that fails on one document, to show a failure never stops the run."""

    def pipe(self, items, *, batch_size=None):
        items = list(items)
        if any(isinstance(i, dict) and i.get("text") == "BOOM" for i in items):
            raise RuntimeError("model exploded")
        return super().pipe(items, batch_size=batch_size)


def test_a_document_that_fails_is_recorded_and_the_run_goes_on(annotator, tmp_path):
    records = [*RECORDS[:2], {"id": "bad", "text": "BOOM"}, *RECORDS[2:4]]
    out = tmp_path / "ann.jsonl"
    result = annotate_corpus(records, out, annotator=Fragile(annotator.nlp), progress=False,
                             batch_size=4)
    assert (result.written, result.failed) == (4, 1)
    assert [a["id"] for a in lines(out)] == ["d0", "d1", "d2", "d3"]
    (error,) = lines(result.errors)
    assert error["id"] == "bad" and "model exploded" in error["reason"]


def test_records_without_ids_get_their_position(annotator, tmp_path):
    out = tmp_path / "ann.jsonl"
    annotate_corpus(["First text.", {"text": "Second text."}], out, annotator=annotator,
                    progress=False)
    assert [a["id"] for a in lines(out)] == ["0", "1"]


def test_load_annotations(annotator, tmp_path):
    out = tmp_path / "ann.jsonl"
    annotate_corpus(RECORDS, out, annotator=annotator, progress=False)
    df = load_annotations(out)
    assert len(df) == 8  # record d4 has two sentences
    assert {"article_id", "outlet", "label", "source", "source_named", "cue", "stance",
            "words"} <= set(df.columns)
    first = df.iloc[0]
    assert (first["article_id"], first["outlet"], first["label"]) == ("d0", "A", "anonymous")
    assert first["source"] == "Officials" and first["words"] == 6
    assert set(df["label"]) <= {label.value for label in Label}


def test_load_annotations_errors(tmp_path):
    with pytest.raises(FileNotFoundError):
        load_annotations(tmp_path / "missing.jsonl")
    bad = tmp_path / "bad.jsonl"
    bad.write_text('{"id": 1}\n', encoding="utf-8")
    with pytest.raises(ValueError, match=r"bad\.jsonl:1"):
        load_annotations(bad, strict=True)
    df = load_annotations(bad)
    assert df.empty and [n for n, _ in df.attrs["skipped"]] == [1]


def test_the_first_record_of_a_large_jsonl_costs_a_little_memory(tmp_path):
    import tracemalloc

    from attribution.io import read_records

    path = tmp_path / "big.jsonl"
    text = "word " * 2000
    with path.open("w", encoding="utf-8") as handle:
        for k in range(3000):  # 30 MB
            handle.write(json.dumps({"id": str(k), "text": text}) + "\n")
    tracemalloc.start()
    records = read_records([str(path)])
    first = next(records)
    _, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    records.close()
    assert first["id"] == "0" and first["text"] == text
    assert peak < 1_000_000, f"{peak} bytes to read one record of a 30 MB file"
