"""Silver sentences: unlabelled news labelled by the rules where they are precise, for training
(attribution/training/silver.py)."""

from __future__ import annotations

import json

import pytest

from attribution.cli import main
from attribution.training.silver import read_checked, read_silver, set_articles, silver_records

TEXT = (
    "Harbour plan approved\n\n"
    "The council approved the harbour plan on Tuesday. "
    '"This is a good day for the town," Mayor Ewa Lis said. '
    "Officials said the work would start in May. "
    "The harbour was built in 1904."
)


def _records(rules, annotator, docs, exclude=(set(), set())):
    return list(silver_records(docs, rules, annotator, exclude))


def test_kept_sentences_carry_the_rules_label_source_and_neighbours(rules, annotator):
    records = _records(rules, annotator, [{"id": "harbour", "text": TEXT}])
    by_text = {r["text"]: r for r in records}
    quote = next(r for t, r in by_text.items() if t.startswith('"This is a good day'))
    assert quote["label"] == "direct_quote"
    (source,) = quote["sources"]
    assert TEXT[source[0]:source[1]] == "Mayor Ewa Lis"
    assert TEXT[quote["start"]:quote["end"]] == quote["text"]
    assert quote["previous"].startswith("The council approved")
    assert quote["next"].startswith("Officials said")
    assert all(r["doc_id"] == "silver/harbour" for r in records)
    # the rules are least precise on unnamed sources: those sentences are never kept
    assert not any(t.startswith("Officials said") for t in by_text)
    assert "The harbour was built in 1904." in by_text
    assert by_text["The harbour was built in 1904."]["label"] == "editorial"


def test_articles_of_an_evaluation_set_are_left_out(rules, annotator):
    slugs, titles = set_articles(["multidomain"])
    assert slugs and titles
    title = next(iter(titles))
    docs = [{"id": "https://example.org//wiki/" + next(iter(slugs)), "text": TEXT},
            {"id": "other", "title": title.upper(), "text": TEXT},
            {"id": "kept", "text": TEXT}]
    records = _records(rules, annotator, docs, (slugs, titles))
    assert {r["doc_id"] for r in records} == {"silver/kept"}


def test_interviews_are_left_out_whole(rules, annotator):
    interview = ("Beekeeper Rosa Lindqvist keeps hives on roofs.\n\n"
                 "((WN))  Why keep bees on a roof?\n\n"
                 "((Rosa Lindqvist))  The park had no room. The roof was empty.\n\n"
                 "((WN))  Do the bees mind the traffic?\n\n"
                 "((Rosa Lindqvist))  Not at all. They fly above it.")
    assert _records(rules, annotator, [{"id": "bees", "text": interview}]) == []


def test_the_command_writes_records_training_reads(tmp_path, capsys):
    article = tmp_path / "harbour.txt"
    article.write_text(TEXT, encoding="utf-8")
    out = tmp_path / "silver.jsonl"
    assert main(["train", "silver", str(article), "--out", str(out)]) == 0
    records = read_silver(out)
    assert records and {r["label"] for r in records} <= {"direct_quote", "reported_speech",
                                                         "editorial"}
    assert "silver sentences" in capsys.readouterr().out


def test_an_unreadable_input_is_named_and_the_rest_kept(tmp_path, capsys):
    (tmp_path / "harbour.txt").write_text(TEXT, encoding="utf-8")
    (tmp_path / "bad.txt").write_bytes(b"\xff\xfe\xfa not text")
    out = tmp_path / "silver.jsonl"
    assert main(["train", "silver", str(tmp_path / "harbour.txt"), str(tmp_path / "bad.txt"),
                 "--out", str(out)]) == 0
    assert read_silver(out)
    assert "bad.txt" in capsys.readouterr().err


def test_no_readable_article_is_a_clear_error(tmp_path, capsys):
    assert main(["train", "silver", str(tmp_path / "missing.txt"), "--out",
                 str(tmp_path / "s.jsonl")]) == 2
    assert "no readable articles" in capsys.readouterr().err


def test_a_bad_silver_line_is_named(tmp_path):
    path = tmp_path / "silver.jsonl"
    path.write_text(json.dumps({"label": "quote", "text": "x"}) + "\n", encoding="utf-8")
    with pytest.raises(ValueError, match=r"silver\.jsonl:1: not a silver record"):
        read_silver(path)


def test_a_checked_sentence_keeps_its_hand_label_where_its_text_still_matches(rules, annotator):
    start = TEXT.index("Officials said")
    end = TEXT.index("The harbour was built") - 1
    checked = {
        # an unnamed source the rules are never trusted on, labelled by hand
        ("harbour", start, end): {"label": "anonymous", "text": TEXT[start:end],
                                  "source": [start, start + 9], "cue": [start + 10, start + 14]},
        # a sentence whose text no longer matches (the article changed) is not used
        ("harbour", 0, 5): {"label": "editorial", "text": "Harbour plan approved"},
    }
    records = list(silver_records([{"id": "https://example.org/wiki/Harbour", "text": TEXT}],
                                  rules, annotator, checked=checked))
    hand = [r for r in records if r.get("checked")]
    assert [(r["text"], r["label"], r["sources"], r["cues"]) for r in hand] == [
        (TEXT[start:end], "anonymous", [[start, start + 9]], [[start + 10, start + 14]])]
    assert not any(r["start"] == 0 and r.get("checked") for r in records)


def test_the_shipped_checked_file_reads_and_holds_only_known_labels():
    checked = read_checked()
    assert len(checked) >= 50
    assert {row["label"] for row in checked.values()} <= {"anonymous", "direct_quote",
                                                          "reported_speech", "editorial"}
    assert all(row["text"].strip() and end > start for (_, start, end), row in checked.items())


@pytest.mark.parametrize("row", [
    {"id": "x", "start": 0, "end": 4, "label": "quote", "text": "x"},
    {"id": "x", "start": 0, "end": 4, "label": "anonymous", "text": "x"},  # no spans
    {"id": "x", "start": "zero", "end": 4, "label": "editorial", "text": "x"},
])
def test_a_bad_checked_line_is_named(tmp_path, row):
    path = tmp_path / "checked.jsonl"
    path.write_text(json.dumps(row) + "\n", encoding="utf-8")
    with pytest.raises(ValueError, match=r"checked\.jsonl:1: not a checked sentence"):
        read_checked(path)


def test_the_command_reports_how_many_checked_sentences_it_found(tmp_path, capsys):
    article = tmp_path / "harbour.txt"
    article.write_text(TEXT, encoding="utf-8")
    out = tmp_path / "silver.jsonl"
    assert main(["train", "silver", str(article), "--out", str(out), "--checked"]) == 0
    listed = len(read_checked())
    assert f"0 of {listed} hand-checked sentences found" in capsys.readouterr().out
