"""Frozen PolNeAR gold: written once per version, checked against the texts, read by
evaluation and training in place of a derivation that would move with the rules."""

from __future__ import annotations

import json

import pytest

from attribution.cli import main
from attribution.corpora.frozen import (
    align,
    current_version,
    freeze,
    frozen_gold,
    frozen_path,
    read_frozen,
    records,
)
from attribution.corpora.polnear import DERIVATION_VERSION, read_polnear, sentence_records
from attribution.training.evaluate import evaluate_sourcing

from .test_polnear import TEXT, two_article_splits


@pytest.fixture
def data(tmp_path):
    return two_article_splits(tmp_path / "data")


@pytest.fixture
def gold(tmp_path, monkeypatch):
    folder = tmp_path / "gold"
    monkeypatch.setenv("ATTRIBUTION_GOLD", str(folder))
    return folder


def test_freeze_writes_a_version_and_says_what_changed(data, gold, rules, capsys):
    report = freeze(["dev"], data, annotator=rules)
    assert (report["version"], current_version()) == (1, 1)
    path = frozen_path("dev")
    assert path is not None and path.name == "dev.jsonl.gz"
    frozen = read_frozen(path)
    assert sorted(frozen) == ["nyt_2016_0", "nyt_2016_1"]
    assert all("text" not in s for r in frozen.values() for s in r["sentences"])
    assert TEXT[:40] not in path.read_bytes().decode("latin-1")  # no corpus text
    assert f"| v1 | {DERIVATION_VERSION} | dev | 2 |" in (gold / "README.md").read_text()
    # A second freeze is a new version; with the same rules, nothing changed.
    assert main(["gold", "freeze", "--split", "dev", "--data", str(data)]) == 0
    out = capsys.readouterr().out
    assert "frozen gold v2 (previous: v1)" in out and "'labels changed': {}" in out
    assert current_version() == 2
    with pytest.raises(ValueError, match="test split is held back"):
        freeze(["test"], data, annotator=rules)


def test_evaluation_and_training_read_the_frozen_gold(data, gold, rules):
    derived = evaluate_sourcing("dev", data, rules)
    assert derived["gold"] == "derived"
    freeze(["dev"], data, annotator=rules)
    scored = evaluate_sourcing("dev", data, rules)
    assert scored["gold"] == "frozen"
    assert {k: v for k, v in scored.items() if k != "gold"} == {
        k: v for k, v in derived.items() if k != "gold"}
    # Training records from the frozen gold are those the derivation gives.
    articles = read_polnear("dev", data)
    predicted = list(rules.pipe([{"text": a.text, "id": a.id} for a in articles]))
    frozen = frozen_gold(articles, "dev")
    assert records(articles, predicted, frozen) == list(
        sentence_records(articles, predicted, rules.nlp))
    # A frozen label is what is scored, whatever the rules now derive.
    path = frozen_path("dev")
    rows = read_frozen(path)
    import gzip

    for row in rows.values():
        for sentence in row["sentences"]:
            sentence["label"] = "editorial"
    with gzip.open(path, "wt", encoding="utf-8") as handle:
        handle.writelines(json.dumps(r) + "\n" for r in rows.values())
    moved = evaluate_sourcing("dev", data, rules)
    assert moved["per_label"]["editorial"]["support"] == moved["sentences"]


def test_a_changed_text_or_a_missing_article_is_refused(data, gold, rules):
    freeze(["dev"], data, annotator=rules)
    text = data / "polnear" / "dev" / "text" / "nyt_2016_1.txt"
    text.write_text(TEXT.replace("said", "says", 1), encoding="utf-8")
    with pytest.raises(ValueError, match="nyt_2016_1 differs from the one the frozen gold"):
        frozen_gold(read_polnear("dev", data), "dev")
    text.write_text(TEXT, encoding="utf-8")
    extra = data / "polnear" / "dev" / "text" / "nyt_2016_9.txt"
    extra.write_text(TEXT, encoding="utf-8")
    with pytest.raises(ValueError, match="nyt_2016_9 is not in the frozen gold"):
        frozen_gold(read_polnear("dev", data), "dev")


def test_align_maps_gold_sentences_to_the_most_overlapping_prediction():
    gold = [{"start": 0, "end": 10}, {"start": 11, "end": 30}, {"start": 31, "end": 40}]
    assert align(gold, [(0, 10), (11, 30), (31, 40)]) == [0, 1, 2]
    assert align(gold, [(0, 15), (16, 40)]) == [0, 1, 1]
