"""Corpus runs in several processes (annotate_corpus(workers=N), annotate --workers N): the
same output, in the same order, with bad documents listed and resumption kept."""

from __future__ import annotations

import json

import pytest

from attribution.cli import main
from attribution.corpus import annotate_corpus

RULES = {"sourcing": False, "stance": False}
RECORDS = [{"id": f"d{k}", "outlet": "Daily", "text": f"Officials said plan {k} failed. "
            f"'It was late,' the mayor said. It rained on day {k}."} for k in range(9)]


def test_workers_write_what_one_process_writes(tmp_path, rules):
    bad = [*RECORDS[:4], {"id": "bad", "text": 5}, *RECORDS[4:]]
    one, two = tmp_path / "one.jsonl", tmp_path / "two.jsonl"
    first = annotate_corpus(bad, one, annotator=rules, batch_size=2, progress=False)
    second = annotate_corpus(bad, two, workers=2, annotator_options=RULES, batch_size=2,
                             progress=False)
    assert one.read_bytes() == two.read_bytes()
    assert (first.written, first.failed) == (second.written, second.failed) == (9, 1)
    errors = (tmp_path / "two.errors.jsonl").read_text(encoding="utf-8")
    assert errors == (tmp_path / "one.errors.jsonl").read_text(encoding="utf-8")
    assert len(errors.splitlines()) == 1 and "'text' must be" in errors
    # A rerun with workers resumes: nothing is written twice.
    again = annotate_corpus([*RECORDS, {"id": "d9", "text": "Kim said it works."}], two,
                            workers=2, annotator_options=RULES, progress=False)
    assert (again.written, again.skipped) == (1, 9)


def test_workers_are_checked(tmp_path, rules, capsys):
    with pytest.raises(ValueError, match="workers must be at least 1"):
        annotate_corpus(RECORDS, tmp_path / "o.jsonl", workers=0, progress=False)
    with pytest.raises(ValueError, match="annotator_options"):
        annotate_corpus(RECORDS, tmp_path / "o.jsonl", workers=2, annotator=rules,
                        progress=False)
    corpus = tmp_path / "c.jsonl"
    corpus.write_text("".join(json.dumps(r) + "\n" for r in RECORDS[:2]), encoding="utf-8")
    assert main(["annotate", str(corpus), "-o", str(tmp_path / "x.jsonl"),
                 "--workers", "0"]) == 2
    assert "--workers must be at least 1" in capsys.readouterr().err
