"""What the two fine-tuned models share (model.EncoderModel): loading with from_pretrained,
writing back with save_pretrained, probabilities, and the device option."""

from __future__ import annotations

import pytest

from attribution.document import StanceLabel
from attribution.encoder import models_dir
from attribution.model import resolve_device
from attribution.sourcing import SourcingItem, SourcingModel
from attribution.stance import StanceModel

SHIPPED = models_dir()
needs_models = pytest.mark.skipif(
    not (SHIPPED / "stance" / "stance_config.json").exists()
    or not (SHIPPED / "sourcing" / "sourcing_config.json").exists(),
    reason="no shipped models")


@pytest.mark.slow
@needs_models
@pytest.mark.parametrize(("cls", "name", "item"), [
    (StanceModel, "stance", ("Critics called Mayor Hale a liar.", 15, 25)),
    (SourcingModel, "sourcing", SourcingItem("Officials said the talks had failed.")),
])
def test_save_pretrained_round_trips_the_same_model(tmp_path, cls, name, item):
    model = cls.from_pretrained(SHIPPED / name)
    saved = model.save_pretrained(tmp_path / name)
    assert sorted(p.name for p in saved.iterdir()) == sorted(
        p.name for p in (SHIPPED / name).iterdir()
        if p.suffix in (".json", ".safetensors", ".md") and (
            p.name.endswith("_config.json") or p.suffix in (".safetensors", ".md")))
    again = cls.from_pretrained(saved)
    assert again.predict_proba([item]) == model.predict_proba([item])
    probs = model.predict_proba([item])[0]
    assert sum(probs.values()) == pytest.approx(1, abs=1e-4)


@pytest.mark.slow
@needs_models
def test_stance_labels_are_an_enum():
    model = StanceModel.from_pretrained(SHIPPED / "stance")
    (pred,) = model.predict([("Critics called Mayor Hale a liar.", 15, 25)])
    assert isinstance(pred.label, StanceLabel) and pred.label == "negative"


def test_a_missing_model_and_a_bad_device_are_named(tmp_path):
    with pytest.raises(FileNotFoundError, match="no stance model"):
        StanceModel.from_pretrained(tmp_path)
    with pytest.raises(FileNotFoundError, match="no sourcing model"):
        SourcingModel.from_pretrained(tmp_path)
    assert str(resolve_device(None)) == "cpu"
    with pytest.raises(ValueError, match="unknown device"):
        resolve_device("abacus")
    import torch

    if not torch.cuda.is_available():
        with pytest.raises(ValueError, match="no CUDA device"):
            resolve_device("cuda")


@pytest.mark.parametrize("name", ["stance", "sourcing"])
def test_model_cards_open_with_metadata_that_matches_the_scores(name):
    import json

    import yaml

    card = (SHIPPED / name / "README.md").read_text(encoding="utf-8")
    assert card.startswith("---\n")
    meta = yaml.safe_load(card.split("---\n")[1])
    assert meta["base_model"] == "sentence-transformers/all-MiniLM-L6-v2"
    assert meta["license"] and meta["datasets"]
    scores = json.loads((SHIPPED / name / "dev_scores.json").read_text(encoding="utf-8"))
    if name == "sourcing":
        scores = {"dev": scores["combined"][scores["chosen"]]}
    for result in meta["model-index"][0]["results"]:
        split = scores[result["dataset"]["split"]]
        for metric in result["metrics"]:
            assert metric["value"] == pytest.approx(split[metric["type"]], abs=1e-4)


def test_precision_is_checked():
    from attribution import Annotator

    with pytest.raises(ValueError, match="precision must be"):
        Annotator(precision="fp8", sourcing=False, stance=False)


@pytest.mark.slow
@needs_models
def test_int8_models_annotate_and_keep_clear_answers():
    from attribution import Annotator, Label

    article = Annotator(precision="int8").annotate(
        "Officials said the talks had failed. Critics called Mayor Hale a corrupt liar.")
    first, second = article.sentences
    assert first.label is Label.ANONYMOUS and first.source.text == "Officials"
    hale = next(st for st in second.stance if st.target.text.endswith("Hale"))
    assert hale.label == "negative" and sum(hale.probs.values()) == pytest.approx(1, abs=1e-4)
    model = StanceModel.from_pretrained(SHIPPED / "stance", precision="int8")
    assert model.precision == "int8"


@pytest.mark.slow
@needs_models
def test_int8_agrees_with_fp32_on_a_fixed_sample():
    """int8 changes few outputs: on the seed article and the multidomain set's tuning part,
    at least 97% of sentence labels and 93% of stance labels match fp32 (docs/speed.md
    measured 98.8% and 96.0% on a larger sample)."""
    from pathlib import Path

    from attribution import Annotator
    from attribution.corpora.sets import load_set

    seeds = Path(__file__).resolve().parents[1] / "seeds"
    texts = [p.read_text(encoding="utf-8") for p in sorted(seeds.glob("*.txt"))]
    texts += [a.text for a in load_set("multidomain", "tune")[:12]]

    def outputs(precision: str) -> tuple[list[str], list[str]]:
        labels, stances = [], []
        for article in Annotator(precision=precision).pipe(texts):
            for sentence in article.sentences:
                labels.append(sentence.label.value)
                stances += [st.label.value for st in sentence.stance]
        return labels, stances

    (labels, stances), (labels8, stances8) = outputs("fp32"), outputs("int8")
    assert len(labels) == len(labels8) > 150 and len(stances) == len(stances8) > 100
    assert sum(a == b for a, b in zip(labels, labels8, strict=True)) / len(labels) >= 0.97
    assert sum(a == b for a, b in zip(stances, stances8, strict=True)) / len(stances) >= 0.93
