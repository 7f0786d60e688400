"""The sourcing model: tag encoding and decoding, merging with the rules, training and resuming
on a tiny PolNeAR fixture, and the shipped model on sentences whose answers are clear."""

from __future__ import annotations

import json
import shutil

import pytest

from attribution import Annotator
from attribution.cli import main
from attribution.combine import choose_label, combine
from attribution.document import Article, Kind, Label, QuoteForm, Sentence, Span
from attribution.document import Attribution as DocAttribution  # the one sentences carry
from attribution.resolve import Draft
from attribution.sources import Attribution as SourceAttribution
from attribution.sources import Mention, find_attributions, find_passive_subjects
from attribution.sourcing import (
    LABELS,
    TAGS,
    SourcingItem,
    SourcingModel,
    SourcingPrediction,
    decode_spans,
    encode,
    viterbi,
)
from attribution.stance import base_model_path, models_dir
from attribution.training.sourcing_train import (
    SourcingTrainingArgs,
    soft_tags,
    tag_targets,
    train_sourcing,
)

from .test_polnear import TEXT, ann_lines

SHIPPED = models_dir() / "sourcing"
needs_model = pytest.mark.skipif(not (SHIPPED / "sourcing_config.json").exists(),
                                 reason="no shipped sourcing model")


@pytest.fixture(scope="module")
def tokenizer():
    from transformers import AutoTokenizer

    return AutoTokenizer.from_pretrained(base_model_path())


def test_gold_spans_survive_tagging_and_decoding(tokenizer):
    text = "Senate Majority Leader Mitch McConnell told reporters, according to aides, it failed."

    def at(fragment: str) -> tuple[int, int]:
        start = text.index(fragment)
        return start, start + len(fragment)

    sources = [at("Senate Majority Leader Mitch McConnell"), at("aides")]
    cues = [at("told"), at("according to")]
    record = {"start": 100, "sources": [[100 + a, 100 + b] for a, b in sources],
              "cues": [[100 + a, 100 + b] for a, b in cues]}
    batch, tokens = encode(tokenizer, [SourcingItem(text, "Before.", "After.")], 64)
    tags = tag_targets([record], tokens, batch["input_ids"].shape[1])
    own = [int(tags[0, col]) for col, _, _ in tokens[0]]
    assert decode_spans(own, tokens[0]) == (sources, cues)
    # Context tokens are never tagged.
    assert int((tags[0] != -100).sum()) == len(tokens[0])


def test_decode_treats_a_stray_inside_tag_as_a_start():
    tokens = [(1, 0, 3), (2, 4, 8), (3, 9, 13), (4, 14, 18)]
    tags = [TAGS.index(t) for t in ("I-SRC", "I-SRC", "O", "I-CUE")]
    assert decode_spans(tags, tokens) == ([(0, 8)], [(14, 18)])


def _log_probs(*rows: dict[str, float]) -> list[list[float]]:
    """Per-token tag log-probabilities from the named tags' probabilities (rest share 0.01)."""
    import math

    return [[math.log(row.get(tag, 0.01)) for tag in TAGS] for row in rows]


def test_viterbi_keeps_a_span_whole_where_the_argmax_breaks_it():
    # Token by token: B-SRC, O (barely), I-SRC; the argmax decodes two sources.
    scores = _log_probs({"B-SRC": 0.9}, {"O": 0.45, "I-SRC": 0.44}, {"I-SRC": 0.9})
    assert [TAGS[t] for t in viterbi(scores)] == ["B-SRC", "I-SRC", "I-SRC"]


def test_viterbi_never_opens_a_span_with_an_inside_tag():
    scores = _log_probs({"O": 0.9}, {"I-CUE": 0.6, "O": 0.3}, {"O": 0.9})
    path = [TAGS[t] for t in viterbi(scores)]
    assert path[1] != "I-CUE" and "I-CUE" not in path
    assert viterbi([]) == []


def prediction(label: str, sources=(), cues=(), second: str = "editorial") -> SourcingPrediction:
    probs = {lab: (0.7 if lab == label else 0.2 if lab == second else 0.05) for lab in LABELS}
    return SourcingPrediction(label, probs, list(sources), list(cues))


def rule_sentences(text: str) -> tuple[Article, list[Draft]]:
    """An article of one-line sentences as the rules left them: editorial, no attributions."""
    sentences, drafts, start = [], [], 0
    for line in text.split("\n"):
        sentences.append(Sentence(start, start + len(line), line))
        drafts.append(Draft(start, start + len(line), sentences[-1].kind, 0))
        start += len(line) + 1
    return Article(text, sentences), drafts


def test_combine_keeps_label_source_and_cue_consistent():
    text = "Officials said it failed.\nIt rained all day.\nThe plan was bad, she said."
    article, drafts = rule_sentences(text)
    drafts[0].mentions.append(Mention((0, 9), "group", named=False, subject=True))
    preds = [
        prediction("anonymous", [(0, 9)], [(10, 14)]),
        prediction("editorial", [(0, 2)], [(3, 9)]),  # a stray tag under an editorial label
        prediction("direct_quote", [(18, 21)], [(22, 26)], second="reported_speech"),
    ]
    combine(article, drafts, preds)
    first, second, third = article.sentences
    assert (first.label, first.source.text, first.cue.text) == (Label.ANONYMOUS, "Officials",
                                                                "said")
    assert first.source_named is False and first.confidence == pytest.approx(0.7)
    assert second.label is Label.EDITORIAL and second.source is None and second.cue is None
    assert all(a.source is None for a in second.attributions)
    # direct_quote needs a quotation mark: the next most probable label is taken instead.
    assert third.label is Label.REPORTED_SPEECH and third.confidence == pytest.approx(0.2)
    # "she" does not refer back to a group of officials.
    assert third.source.text == "she" and third.source_resolved is None
    article.validate()


def test_a_tagged_phrase_inside_a_source_is_no_second_source():
    text = "Sources familiar with the situation say talks failed."
    article, drafts = rule_sentences(text)
    drafts[0].attributions.append(SourceAttribution(
        (36, 39), (0, 35), False, None, "group", 0, "clause"))
    # The model tags "Sources" and, wrongly, "the situation"; the rules' longer phrase wins.
    combine(article, drafts, [prediction("anonymous", [(0, 7), (22, 35)], [(36, 39)])])
    sentence = article.sentences[0]
    assert [a.source.text for a in sentence.attributions] == [
        "Sources familiar with the situation"]
    assert sentence.label is Label.ANONYMOUS and sentence.cue.text == "say"


def test_pieces_of_one_tagged_phrase_make_one_source(annotator):
    text = "This particular pair of billionaires hears the parents."
    article, drafts = rule_sentences(text)
    drafts[0].parsed, drafts[0].offset = annotator.nlp(text)[:], 0
    pieces = [(0, 4), (text.index("pair"), text.index(" hears"))]  # "This", "pair of ..."
    cue = (text.index("hears"), text.index("hears") + 5)
    combine(article, drafts, [prediction("reported_speech", pieces, [cue])])
    assert [a.source.text for a in article.sentences[0].attributions] == [
        "This particular pair of billionaires"]


def test_the_subject_of_an_agentless_passive_cue_is_never_a_source(annotator):
    passive = annotator.nlp("Maduro is accused of fraud.")
    assert find_passive_subjects(passive[:], 100) == [(100, 106)]
    assert find_passive_subjects(annotator.nlp("Smith accused Maduro of fraud.")[:]) == []
    text = "It rained.\nMaduro is accused of fraud."
    article, drafts = rule_sentences(text)
    drafts[1].passive_subjects = [(11, 17)]
    preds = [prediction("editorial"),
             prediction("reported_speech", [(0, 6)], [(7, 20)], second="editorial")]
    combine(article, drafts, preds)
    second = article.sentences[1]
    assert second.label is Label.EDITORIAL and second.source is None
    assert all(a.source is None for a in second.attributions)


def test_the_rules_default_editorial_weighs_less_than_one_they_found():
    # The model gives reported_speech 0.7, editorial 0.2 to both sentences. In the first the
    # rules found nothing; in the second they parsed a sourceless cue and still said editorial.
    text = "The plan would fail, the study found.\nThe plan would fail, it was said."
    article, drafts = rule_sentences(text)
    drafts[1].attributions.append(SourceAttribution(
        (66, 70), None, None, None, "thing", 0, "clause"))
    preds = [prediction("reported_speech", [(21, 30)], [(31, 36)]),
             prediction("reported_speech")]
    combine(article, drafts, preds, rule_weight=0.4)
    assert [s.label for s in article.sentences] == [Label.EDITORIAL, Label.EDITORIAL]
    article, drafts = rule_sentences(text)
    drafts[1].attributions.append(SourceAttribution(
        (66, 70), None, None, None, "thing", 0, "clause"))
    combine(article, drafts, preds, rule_weight=0.4, empty_rule_weight=0.25)
    first, second = article.sentences
    # 0.75 * 0.7 beats 0.75 * 0.2 + 0.25; 0.6 * 0.7 does not beat 0.6 * 0.2 + 0.4.
    assert first.label is Label.REPORTED_SPEECH and first.source.text == "the study"
    assert first.confidence == pytest.approx(0.525)
    assert second.label is Label.EDITORIAL and second.source is None


def test_an_unnamed_source_the_model_missed_weighs_more():
    # The model tags only "the outlet"; the rules parsed "officials" believing, unnamed.
    text = "According to the outlet, officials now believe it failed."
    officials, believe = (25, 34), (39, 46)
    probs = {"reported_speech": 0.9, "anonymous": 0.05, "direct_quote": 0.03, "editorial": 0.02}
    pred = SourcingPrediction("reported_speech", probs, [(13, 23)], [(0, 12)])
    labels = []
    for unnamed in (0.0, 0.5):
        article, drafts = rule_sentences(text)
        sentence = article.sentences[0]
        sentence.label = Label.ANONYMOUS
        sentence.attributions = [DocAttribution(Span.of(text, *officials),
                                                Span.of(text, *believe), False)]
        drafts[0].attributions.append(SourceAttribution(
            believe, officials, False, None, "group", 1, "clause"))
        combine(article, drafts, [pred], rule_weight=0.42, unnamed_rule_weight=unnamed)
        labels.append((sentence.label, sentence.source.text))
    # 0.58 * 0.9 beats 0.58 * 0.05 + 0.42; 0.5 * 0.05 + 0.5 beats 0.5 * 0.9.
    assert labels == [(Label.REPORTED_SPEECH, "the outlet"), (Label.ANONYMOUS, "officials")]

def test_a_tagged_source_inside_a_quotation_is_dropped():
    text = '"I will not resign," Ann Cole said.'
    article, drafts = rule_sentences(text)
    article.sentences[0].quotes = [Span.of(text, 1, 18)]
    combine(article, drafts, [prediction("direct_quote", [(1, 2), (21, 29)], [(30, 34)])])
    sentence = article.sentences[0]
    assert sentence.label is Label.DIRECT_QUOTE and sentence.source.text == "Ann Cole"
    assert [a.source.text for a in sentence.attributions if a.source] == ["Ann Cole"]


def test_every_sentence_of_a_quotation_is_a_direct_quote():
    text = '"One. Two. Three," said the coach.'
    article, drafts = rule_sentences(text.replace(". ", ".\n"))
    for sentence, (a, b) in zip(article.sentences, [(1, 5), (6, 10), (11, 17)], strict=True):
        sentence.quotes = [Span.of(article.text, a, b)]
    # The model calls the middle sentence reported speech: it lies inside the quotation.
    preds = [prediction("direct_quote", second="reported_speech"),
             prediction("reported_speech", second="direct_quote"),
             prediction("direct_quote", [(13, 22)], [(8, 12)], second="reported_speech")]
    combine(article, drafts, preds)
    assert [s.label for s in article.sentences] == [Label.DIRECT_QUOTE] * 3
    assert article.sentences[1].confidence == pytest.approx(0.2)


def test_a_quoted_sentence_the_model_calls_editorial_is_its_speakers_quote():
    text = '"One. Two. Three," said the coach.\n"Four. Five. Six," said an aide.'
    article, drafts = rule_sentences(text.replace(". ", ".\n"))
    spans = [(1, 5), (6, 10), (11, 17), (36, 41), (42, 47), (48, 52)]
    coach = SourceAttribution((25, 29), (30, 39), True, None, "person", 0, "quote")
    aide = SourceAttribution((60, 64), (65, 72), False, None, "person", 0, "quote")
    for k, (sentence, (a, b)) in enumerate(zip(article.sentences, spans, strict=True)):
        sentence.quotes = [Span.of(article.text, a, b)]
        drafts[k].speakers = [coach if k < 3 else aide]
        sentence.label = Label.DIRECT_QUOTE if k < 3 else Label.ANONYMOUS
    # The model reads the middle sentences as the outlet's words.
    preds = [prediction("direct_quote"), prediction("editorial"), prediction("direct_quote"),
             prediction("anonymous"), prediction("editorial"), prediction("anonymous")]
    combine(article, drafts, preds, rule_weight=0.2)
    labels = [s.label for s in article.sentences]
    assert labels[:3] == [Label.DIRECT_QUOTE] * 3  # every sentence of the coach's quotation
    assert labels[4] is Label.ANONYMOUS  # of the unnamed aide's: anonymous, not direct_quote
    article.validate()


def test_a_quote_left_with_the_rules_unnamed_source_is_anonymous():
    # The model calls the quotation direct_quote but tags no source; the rules' source, "one
    # official", is the sentence's, so the label follows it (ANNOTATION.md, rule 1).
    text = '"We will win," one official said.'
    article, drafts = rule_sentences(text)
    sentence = article.sentences[0]
    sentence.quotes = [Span.of(text, 1, 12)]
    sentence.label, sentence.source_named = Label.ANONYMOUS, False
    sentence.source, sentence.cue = Span.of(text, 15, 27), Span.of(text, 28, 32)
    combine(article, drafts, [prediction("direct_quote", second="anonymous")], rule_weight=0.2)
    assert sentence.label is Label.ANONYMOUS and sentence.source.text == "one official"
    assert sentence.source_named is False
    assert sentence.confidence == pytest.approx(0.8 * 0.2 + 0.2)


@pytest.mark.parametrize("mark", ["", "«", "„"])  # an opening quote may stand before the label
def test_a_tagged_name_and_colon_is_a_source_and_its_cue(annotator, mark):
    text = mark + "Pence: Flowers Won't Be at Debate\nThe senator said: it failed."
    n = len(mark)
    article = Annotator(annotator.nlp, stance=False, sourcing=False).annotate(text)
    drafts = [Draft(s.start, s.end, s.kind, 0) for s in article.sentences]
    for draft, sent in zip(drafts, article.sentences, strict=True):
        draft.parsed, draft.offset = annotator.nlp(text)[:].doc.char_span(
            sent.start, sent.end, alignment_mode="expand"), 0
    # The tagger took "Pence:" and "said:" for cues and tagged no source in the headline.
    preds = [prediction("reported_speech", [], [(n, n + 6)]),
             prediction("reported_speech", [(0, 11)], [(12, 17)])]
    combine(article, drafts, preds)
    headline, body = article.sentences
    assert (headline.source.text, headline.cue.text) == ("Pence", ":")
    assert (body.source.text, body.cue.text) == ("The senator", "said:")  # a verb stays a cue


@pytest.mark.parametrize(("text", "pieces", "cue"), [
    ("Ann Cole has repeatedly said the plan would fail.", ("has", "said"),
     "has repeatedly said"),
    ("Ann Cole has said the plan would fail.", ("has", "said"), "has said"),
    # a noun between two tagged words keeps them apart
    ("Ann Cole has plans and said the plan would fail.", ("has", "said"), "has"),
])
def test_pieces_of_one_verb_group_make_one_cue(annotator, text, pieces, cue):
    article, drafts = rule_sentences(text)
    drafts[0].parsed, drafts[0].offset = annotator.nlp(text)[:], 0
    cues = [(text.index(p), text.index(p) + len(p)) for p in pieces]
    combine(article, drafts, [prediction("reported_speech", [(0, 8)], cues)])
    assert article.sentences[0].cue.text == cue


def test_combine_carries_the_source_into_a_running_sentence_and_resolves_pronouns():
    text = "Ann Cole said the plan would fail.\nIt would cost millions.\nHe agreed."
    article, drafts = rule_sentences(text)
    preds = [prediction("reported_speech", [(0, 8)], [(9, 13)]),
             prediction("reported_speech"),
             prediction("reported_speech", [(0, 2)], [(3, 9)])]
    combine(article, drafts, preds)
    _, running, pronoun = article.sentences
    assert running.source.text == "Ann Cole" and running.cue.text == "said"
    assert pronoun.source.text == "He" and pronoun.source_resolved.text == "Ann Cole"
    assert pronoun.quote_form is QuoteForm.INDIRECT


def test_choose_label_rules_out_direct_quote_without_marks():
    probs = {"anonymous": 0.1, "direct_quote": 0.5, "reported_speech": 0.3, "editorial": 0.1}
    bare = Draft(0, 3, Kind.BODY, 0)
    assert choose_label(Sentence(0, 3, "abc"), bare, probs) == (Label.REPORTED_SPEECH, 0.3)
    assert choose_label(Sentence(0, 5, '"abc"'), bare, probs)[0] is Label.DIRECT_QUOTE
    # an apostrophe is no quotation mark; a quotation touching the sentence is one
    assert choose_label(Sentence(0, 11, "Trump’s aim"), bare, probs)[0] is Label.REPORTED_SPEECH
    quoted = Draft(0, 11, Kind.BODY, 0, quotations=[0])
    assert choose_label(Sentence(0, 11, "Trump’s aim"), quoted, probs)[0] is Label.DIRECT_QUOTE


@pytest.fixture
def data(tmp_path):
    root = tmp_path / "polnear"
    for split in ("train", "dev"):
        (root / split / "text").mkdir(parents=True)
        (root / split / "attributions").mkdir(parents=True)
        for k in range(2):
            (root / split / "text" / f"nyt_2016_{k}.txt").write_text(TEXT, encoding="utf-8")
            (root / split / "attributions" / f"nyt_2016_{k}_aa11.ann").write_text(
                ann_lines(), encoding="utf-8")
    return tmp_path


def test_train_resume_and_evaluate_on_a_fixture(data, tmp_path, capsys):
    out = tmp_path / "model"
    code = main(["train", "sourcing", "--data", str(data), "--out", str(out), "--epochs", "1",
                 "--batch-size", "4", "--seed", "3"])
    assert code == 0
    assert "best epoch 1" in capsys.readouterr().out
    config = json.loads((out / "sourcing_config.json").read_text())
    assert config["best_epoch"] == 1 and config["training"]["seed"] == 3
    for name in ("adapter.safetensors", "heads.safetensors", "README.md"):
        assert (out / name).stat().st_size < 10_000_000
    first = (out / "adapter.safetensors").read_bytes()
    # A second epoch resumes from the checkpoint instead of starting over.
    result = train_sourcing(data, out, SourcingTrainingArgs(epochs=2, batch_size=4, seed=3))
    assert [h["epoch"] for h in result["history"]] == [1, 2]
    assert "resuming at epoch 2" in capsys.readouterr().err
    # The same seed gives the same weights.
    again = tmp_path / "again"
    train_sourcing(data, again, SourcingTrainingArgs(epochs=1, batch_size=4, seed=3))
    assert (again / "adapter.safetensors").read_bytes() == first
    # The trained folder serves annotation and evaluation.
    assert main(["evaluate", "sourcing", "--data", str(data), "--model", str(out),
                 "--json"]) == 0
    scores = json.loads(capsys.readouterr().out.strip().splitlines()[-1])
    assert scores["model"] == "sourcing model + rules"
    assert 0 <= scores["macro_f1"] <= 1 and 0 <= scores["source_exact_f1"] <= 1


def test_train_continues_from_a_trained_model(data, tmp_path, capsys):
    first = tmp_path / "first"
    train_sourcing(data, first, SourcingTrainingArgs(epochs=1, batch_size=4, seed=3))
    second = tmp_path / "second"
    code = main(["train", "sourcing", "--data", str(data), "--out", str(second), "--epochs", "1",
                 "--batch-size", "4", "--lr", "1e-4", "--init-from", str(first),
                 "--editorial-keep", "1"])
    assert code == 0
    config = json.loads((second / "sourcing_config.json").read_text())
    assert config["training"]["editorial_keep"] == 1.0
    # The starting model is scored as epoch 0 and ships unless an epoch beats it.
    assert [h["epoch"] for h in config["history"]] == [0, 1]
    assert config["history"][0]["train_loss"] is None
    start = config["history"][0]
    earlier = json.loads((first / "sourcing_config.json").read_text())
    assert start["macro_f1"] == earlier["history"][0]["macro_f1"]
    assert config["earlier_runs"][0]["history"] == earlier["history"]
    assert config["commands"] == [c for c in config["commands"] if "--init-from" in c]
    card = (second / "README.md").read_text()
    assert "## Earlier runs" in card and "0 (start)" in card
    # A model with other LoRA settings cannot be continued.
    other = json.loads((first / "sourcing_config.json").read_text())
    other["lora"]["r"] = 4
    (first / "sourcing_config.json").write_text(json.dumps(other))
    assert main(["train", "sourcing", "--data", str(data), "--out", str(tmp_path / "third"),
                 "--init-from", str(first)]) == 2
    assert "other LoRA settings" in capsys.readouterr().err
    assert main(["train", "sourcing", "--data", str(data), "--out", str(tmp_path / "fourth"),
                 "--init-from", str(tmp_path / "none")]) == 2
    assert "no trained sourcing model" in capsys.readouterr().err


def test_soft_tags_follow_the_teachers_tokens_by_character():
    o, b_src, i_src = [1.0, 0, 0, 0, 0], [0.1, 0.9, 0, 0, 0], [0.2, 0, 0.8, 0, 0]
    # Teacher tokens "Pence" (0-5), "said" (6-10); the student splits "Pence" in two and has
    # a token past the teacher's reach.
    teacher = [[0, 5, b_src], [6, 10, o]]
    student = [(1, 0, 3), (2, 3, 5), (3, 6, 10), (4, 11, 14)]
    carried = soft_tags(teacher, student)
    assert carried[0] == b_src
    assert carried[1] == pytest.approx([0.1, 0, 0.9, 0, 0])  # a later piece is inside the span
    assert carried[2] == o and carried[3] is None
    # A student token that is a teacher token's own keeps its B- mass.
    assert soft_tags([[0, 3, b_src], [3, 5, i_src]], [(1, 0, 3), (2, 3, 5)]) == [b_src, i_src]


def test_a_larger_teacher_trains_on_its_own_base_and_a_student_learns_from_it(
        data, tmp_path, capsys, small_encoder):
    teacher = tmp_path / "teacher"
    assert main(["train", "sourcing", "--data", str(data), "--out", str(teacher), "--epochs",
                 "1", "--batch-size", "4", "--base", str(small_encoder)]) == 0
    config = json.loads((teacher / "sourcing_config.json").read_text())
    assert config["base_path"] == str(small_encoder.resolve())
    assert "loaded from that folder" in (teacher / "README.md").read_text()
    model = SourcingModel(teacher)
    assert model.network.encoder.config.hidden_size == 32  # its own base, not the packaged one
    pred = model.predict([SourcingItem("The mayor said it would rain.")], keep_tags=True)[0]
    assert [t[:2] for t in pred.tag_probs] == [(0, 3), (4, 9), (10, 14), (15, 17), (18, 23),
                                               (24, 28), (28, 29)]
    assert all(sum(t[2]) == pytest.approx(1, abs=1e-3) for t in pred.tag_probs)
    student = tmp_path / "student"
    assert main(["train", "sourcing", "--data", str(data), "--out", str(student), "--epochs",
                 "1", "--batch-size", "4", "--teacher", str(teacher), "--distill-weight",
                 "0.7"]) == 0
    config = json.loads((student / "sourcing_config.json").read_text())
    assert config["training"]["distill_weight"] == 0.7
    assert [t["folder"] for t in config["teachers"]] == [str(teacher.resolve())]
    assert "base_path" not in config
    assert "distilled from the encoder in" in (student / "README.md").read_text()
    cache = student / "checkpoint" / "teacher_targets.json"
    records = json.loads(cache.read_text())["targets"]
    assert records and all(len(r["labels"]) == 1 for r in records)
    # Distilling changes what the student learns: not the weights of the same run without.
    plain = tmp_path / "plain"
    train_sourcing(data, plain, SourcingTrainingArgs(epochs=1, batch_size=4))
    assert (plain / "heads.safetensors").read_bytes() != (
        student / "heads.safetensors").read_bytes()


def test_train_sourcing_bad_input(data, tmp_path, capsys):
    shutil.rmtree(data / "polnear" / "train")
    assert main(["train", "sourcing", "--data", str(data), "--out", str(tmp_path / "m")]) == 2
    assert "train texts not found" in capsys.readouterr().err
    assert main(["train", "sourcing", "--data", str(data), "--out", str(tmp_path / "m"),
                 "--epochs", "0"]) == 2
    assert main(["train", "sourcing", "--data", str(data), "--out", str(tmp_path / "m"),
                 "--editorial-keep", "0"]) == 2
    assert "--editorial-keep must be above 0" in capsys.readouterr().err
    assert main(["train", "stance", "--data", str(data), "--out", str(tmp_path / "m"),
                 "--editorial-keep", "1"]) == 2
    assert "for sourcing only" in capsys.readouterr().err
    for task in ("sourcing", "stance"):  # one check serves both, before any data is read
        assert main(["train", task, "--data", str(data), "--out", str(tmp_path / "m"),
                     "--distill-weight", "1.5"]) == 2
        assert "distill_weight must be between 0 and 1, not 1.5" in capsys.readouterr().err


def test_rules_only_evaluation_names_itself(data, capsys):
    assert main(["evaluate", "sourcing", "--data", str(data), "--rules-only", "--json"]) == 0
    assert json.loads(capsys.readouterr().out.strip().splitlines()[-1])["model"] == "rules"


@needs_model
@pytest.mark.parametrize(("sentence", "label", "source"), [
    ("Officials said the talks had failed.", Label.ANONYMOUS, "Officials"),
    ('"We will not back down," Mayor Ann Cole said on Monday.', Label.DIRECT_QUOTE,
     "Mayor Ann Cole"),
    ("The senator said that the bill would pass next week.", Label.REPORTED_SPEECH,
     "The senator"),
    ("The storm flooded three towns on the coast.", Label.EDITORIAL, None),
])
def test_shipped_model_on_clear_cases(sentence, label, source):
    annotator = Annotator(stance=False, sourcing=True)
    (result,) = annotator.annotate(sentence).sentences
    assert result.label is label
    assert (result.source.text if result.source else None) == source
    assert 0.25 <= result.confidence <= 1


@needs_model
def test_sourcing_can_be_turned_off():
    text = "Officials said the talks had failed."
    assert Annotator(stance=False, sourcing=False).sourcing is None
    with pytest.raises(FileNotFoundError, match="no sourcing model"):
        Annotator(stance=False, sourcing="/nonexistent/folder")
    result = Annotator(stance=False).annotate(text)
    assert result.sentences[0].attributions and isinstance(result.sentences[0].cue, Span)


@needs_model
@pytest.mark.parametrize(("text", "label", "antecedent"), [
    ("A senior official spoke to reporters on Monday. He said the deal was dead.",
     Label.ANONYMOUS, "A senior official"),
    ("Secretary of State Marco Rubio spoke to reporters on Monday. He said the deal was dead.",
     Label.REPORTED_SPEECH, "Secretary of State Marco Rubio"),
])
def test_a_pronoun_source_takes_the_anonymity_of_its_antecedent(annotator, text, label,
                                                                antecedent):
    second = annotator.annotate(text).sentences[1]
    assert second.label is label
    assert second.source_resolved is not None and second.source_resolved.text == antecedent
    assert second.source_named is (label is not Label.ANONYMOUS)



def test_an_anonymous_sentence_reports_its_unnamed_source(annotator):
    text = "Mayor Ann Cole said the plan had failed, and residents said the repairs were late."
    article, drafts = rule_sentences(text)
    drafts[0].parsed, drafts[0].offset = annotator.nlp(text)[:], 0
    first, second = (0, 14), (text.index("residents"), text.index("residents") + 9)
    cues = [(15, 19), (second[1] + 1, second[1] + 5)]
    combine(article, drafts, [prediction("reported_speech", [first, second], cues)])
    (sentence,) = article.sentences
    # One unnamed voice makes the sentence anonymous; it reports that voice, and each
    # attribution keeps its own reading.
    assert sentence.label is Label.ANONYMOUS
    assert sentence.source.text == "residents" and sentence.source_named is False
    voices = {a.source.text: a.source_named for a in sentence.attributions if a.source}
    assert voices == {"Mayor Ann Cole": True, "residents": False}


@pytest.mark.parametrize(("text", "tagged", "cues", "expected"), [
    # The tagger runs antecedent and pronoun together; the pronoun is the source.
    ("There are some economists who argue that taxes should fall.", "some economists who",
     ["argue"], [("who", "argue")]),
    # The antecedent speaks too ("said"), so it stays a source of its own, the attributing
    # relative clause cut off.
    ("Mr. Kamin, who argued that it would cut costs, said the plan was simple.",
     "Mr. Kamin, who", ["argued", "said"], [("Mr. Kamin", "said"), ("who", "argued")]),
])
def test_a_relative_pronoun_is_the_source_of_its_clause(annotator, text, tagged, cues,
                                                         expected):
    article, drafts = rule_sentences(text)
    parsed = annotator.nlp(text)[:]
    drafts[0].parsed, drafts[0].offset = parsed, 0
    drafts[0].attributions = find_attributions(parsed, [])[0]
    start = text.index(tagged)
    tagged_cues = [(text.index(c), text.index(c) + len(c)) for c in cues]
    combine(article, drafts,
            [prediction("anonymous", [(start, start + len(tagged))], tagged_cues)])
    (sentence,) = article.sentences
    found = sorted((a.source.text, a.cue.text) for a in sentence.attributions if a.source)
    assert found == expected
    who = next(a for a in sentence.attributions if a.source and a.source.text == "who")
    # "who" is named or not as the phrase it stands for, and resolves to it.
    assert who.source_named is (expected[0][0] == "Mr. Kamin")
    if sentence.source.text == "who":
        assert sentence.source_resolved.text == "some economists"
    assert sentence.label is (Label.ANONYMOUS if who.source_named is False
                              else Label.REPORTED_SPEECH)
