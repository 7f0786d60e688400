"""The shipped sourcing model on sentences whose answers are clear."""

from __future__ import annotations

import json

import pytest

from attribution import Annotator
from attribution.decide import SPEC_GATE, SPEC_RULE_WEIGHT
from attribution.document import Label, Span
from attribution.encoder import models_dir

SHIPPED = models_dir() / "sourcing"
needs_model = pytest.mark.skipif(not (SHIPPED / "sourcing_config.json").exists(),
                                 reason="no shipped sourcing model")


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


def test_the_shipped_model_carries_the_merge_weights_chosen_on_dev():
    """A model folder whose weights were never chosen merges nothing with the rules; the
    shipped one holds the pair its dev comparison chose, and the spec's gate."""
    folder = models_dir() / "sourcing"
    config = json.loads((folder / "sourcing_config.json").read_text())
    scores = json.loads((folder / "dev_scores.json").read_text())
    assert [config["rule_weight"], config["empty_rule_weight"]] == scores["chosen_weights"]
    assert config["rule_weight"] >= SPEC_RULE_WEIGHT
    assert config["gate"] == SPEC_GATE and config["fallback"] is True
