"""Hand-labelled evaluation sets (attribution.corpora.sets) and their scoring: the shipped set
is what docs/evaluation.md says it is, a broken set is refused with the line it breaks on, and
`evaluate labels` scores a set per label and per section, side by side with the rules."""

from __future__ import annotations

import json
from collections import Counter

import pytest

from attribution.cli import main
from attribution.corpora.sets import load_set, set_names, set_path
from attribution.training.evaluate import calibration, evaluate_set

TEXT = ('Officials said the bridge would close. "It is unsafe," Mayor Ann Lee said.\n\n'
        "The river rose overnight.\n")


def tiny_set(tmp_path, **change):
    spans = [(0, 38), (39, 74), (76, 101)]
    assert [TEXT[a:b] for a, b in spans][2] == "The river rose overnight."
    sentences = [
        {"start": 0, "end": 38, "label": "anonymous", "source": [0, 9], "cue": [10, 14],
         "named": False},
        {"start": 39, "end": 74, "label": "direct_quote", "source": [55, 68], "cue": [69, 73],
         "named": True},
        {"start": 76, "end": 101, "label": "editorial", "source": None, "cue": None,
         "named": None},
    ]
    row = {"id": "a1", "section": "local", "part": "test", "text": TEXT,
           "sentences": sentences, **change}
    path = tmp_path / "tiny.jsonl"
    path.write_text(json.dumps(row) + "\n", encoding="utf-8")
    return path


def test_the_shipped_set_is_what_its_readme_says():
    assert "multidomain" in set_names()
    articles = load_set("multidomain")
    sentences = [s for a in articles for s in a.sentences]
    sections = Counter(a.section for a in articles)
    assert len(articles) >= 60 and len(sentences) >= 1500 and len(sections) >= 8
    written = sum(len(a.sentences) for a in articles if a.written)
    assert written <= len(sentences) / 3
    for section in sections:  # every section is in both parts
        assert {a.part for a in articles if a.section == section} == {"tune", "test"}
    assert {a.id for a in load_set("multidomain", "tune")}.isdisjoint(
        a.id for a in load_set("multidomain", "test"))
    raw = [json.loads(line) for line in set_path("multidomain").read_text().splitlines()]
    for row in raw:  # licence and origin of every article
        assert row["licence"] and row["origin"]
        assert row["written"] or row["origin"].startswith("https://en.wikinews.org/wiki/")
    for a in articles:  # every source and cue lies inside its sentence
        for s in a.sentences:
            for facet in ("source", "cue"):
                if s[facet]:
                    assert s["start"] <= s[facet][0] < s[facet][1] <= s["end"]
            assert (s["named"] is None) == (s["label"] == "editorial")


def test_the_second_tuning_set_is_tuning_material_apart_from_the_first():
    """multidomain_tune2 has no test part, shares no article with the multidomain set, and
    keeps that set's conventions (licence, origin, spans inside their sentences)."""
    assert "multidomain_tune2" in set_names()
    articles = load_set("multidomain_tune2")
    assert articles and {a.part for a in articles} == {"tune"}
    assert not load_set("multidomain_tune2", "test")
    assert len({a.section for a in articles}) >= 5
    first = [json.loads(line) for line in set_path("multidomain").read_text().splitlines()]
    second = [json.loads(line) for line in set_path("multidomain_tune2").read_text().splitlines()]
    assert {r["origin"] for r in second}.isdisjoint(r["origin"] for r in first)
    assert {r["title"] for r in second}.isdisjoint(r["title"] for r in first)
    for row in second:
        assert row["origin"].startswith("https://en.wikinews.org/wiki/") and row["licence"]
    for a in articles:
        for s in a.sentences:
            for facet in ("source", "cue"):
                if s[facet]:
                    assert s["start"] <= s[facet][0] < s[facet][1] <= s["end"]
            assert (s["named"] is None) == (s["label"] == "editorial")


def test_a_broken_set_is_refused_naming_the_line(tmp_path):
    bad = tiny_set(tmp_path, sentences=[{"start": 5, "end": 2, "label": "editorial"}])
    with pytest.raises(ValueError, match=r"tiny.jsonl:1, sentence 0: offsets"):
        load_set(bad)
    bad = tiny_set(tmp_path, sentences=[{"start": 0, "end": 5, "label": "gossip"}])
    with pytest.raises(ValueError, match="unknown label 'gossip'"):
        load_set(bad)
    with pytest.raises(FileNotFoundError, match=r"no evaluation set 'nosuch'.*multidomain"):
        load_set("nosuch")
    with pytest.raises(ValueError, match="part must be one of"):
        load_set(tiny_set(tmp_path), "dev")


def test_scoring_a_set(tmp_path, rules):
    result = evaluate_set(tiny_set(tmp_path), "test", rules)
    assert result["sentences"] == 3 and result["articles"] == 1
    assert result["accuracy"] == 1.0 and result["sections"]["local"]["accuracy"] == 1.0
    assert result["source_exact_f1"] == 1.0
    assert result["calibration"]["predictions"] == 3
    assert result["part"] == "test" and result["model"] == "rules"
    with pytest.raises(ValueError, match="no articles in part 'tune'"):
        evaluate_set(tiny_set(tmp_path), "tune", rules)


def test_calibration_error():
    perfect = calibration([0.95] * 20, [True] * 19 + [False])
    assert perfect["ece"] == pytest.approx(0.0)
    overconfident = calibration([0.9] * 10, [True] * 5 + [False] * 5)
    assert overconfident["ece"] == pytest.approx(0.4)
    assert sum(b["count"] for b in overconfident["bins"]) == 10
    assert calibration([1.0], [True])["bins"][-1]["count"] == 1  # 1.0 falls in the last bin


def test_evaluate_labels_from_the_command_line(tmp_path, capsys):
    path = tiny_set(tmp_path)
    assert main(["evaluate", "labels", "--set", str(path), "--rules-only", "--json"]) == 0
    out = capsys.readouterr().out
    assert "tiny.jsonl (test): 1 articles, 3 sentences" in out and "  local" in out
    runs = json.loads(out.strip().splitlines()[-1])
    assert list(runs) == ["rules"] and runs["rules"]["accuracy"] == 1.0
    assert main(["evaluate", "labels", "--set", "nosuch", "--rules-only"]) == 2
    assert "no evaluation set 'nosuch'" in capsys.readouterr().err


def test_reliability_plot():
    pytest.importorskip("matplotlib")
    from attribution.plots import plot_reliability

    fig = plot_reliability(calibration([0.2, 0.6, 0.95, 0.97], [False, True, True, True]),
                           "tiny")
    top, bottom = fig.axes
    assert "ECE" in top.get_title() and len(top.lines) == 2
    assert sum(p.get_height() for p in bottom.patches) == 4


def test_tuning_halves_split_the_tuning_part_by_article():
    tune = {a.id for a in load_set("multidomain", "tune")}
    fit = load_set("multidomain", "fit")
    check = load_set("multidomain", "check")
    assert {a.id for a in fit} | {a.id for a in check} == tune
    assert not {a.id for a in fit} & {a.id for a in check}
    # Every section is in both halves, so the half chosen on covers all kinds of news.
    assert {a.section for a in fit} == {a.section for a in check}


def test_training_reads_only_the_fit_half():
    from attribution.training.sourcing_train import set_records

    records = set_records("multidomain")
    fit = load_set("multidomain", "fit")
    assert len(records) == sum(len(a.sentences) for a in fit)
    assert {r["doc_id"].split("/", 1)[1] for r in records} == {a.id for a in fit}
    for record in records:
        assert record["text"] and record["label"] in {"anonymous", "direct_quote",
                                                       "reported_speech", "editorial"}
        for a, b in record["sources"] + record["cues"]:
            assert record["start"] <= a < b  # spans in article offsets, as PolNeAR records
