"""The shipped stance model on sentences whose answers are clear, and stance in the
Annotator."""

from __future__ import annotations

import json

import pytest

from attribution import Annotator, Article
from attribution.encoder import models_dir
from attribution.stance import StanceModel

SHIPPED = models_dir() / "stance"

needs_model = pytest.mark.skipif(
    not (SHIPPED / "stance_config.json").exists(), reason="no shipped stance model"
)


@needs_model
def test_shipped_model_on_clear_cases():
    model = StanceModel(SHIPPED)
    cases = [
        ("Critics called Governor Hale a corrupt, lying coward who ruined the state.",
         "Governor Hale", "negative"),
        ("The committee will meet with Governor Hale on Thursday.", "Governor Hale", "neutral"),
        ("Fans cheered Coach Lee, praising her brilliant leadership and generosity.", "Coach Lee",
         "positive"),
    ]
    items = [(s, s.index(t), s.index(t) + len(t)) for s, t, _ in cases]
    preds = model.predict(items)
    assert [p.label for p in preds] == [label for _, _, label in cases]
    assert preds[0].score < 0 < preds[2].score


@needs_model
def test_annotate_fills_stance_for_entities_and_user_targets():
    annotator = Annotator(stance=True)
    article = annotator.annotate(
        "Officials said Russia was a brutal aggressor. The summit will be held in Geneva.",
        targets=["aggressor"],
    )
    targets = [[st.target.text for st in s.stance] for s in article.sentences]
    assert "Russia" in targets[0] and "aggressor" in targets[0] and "Geneva" in targets[1]
    russia = next(st for st in article.sentences[0].stance if st.target.text == "Russia")
    assert russia.label == "negative" and -1 <= russia.score < 0
    table = article.stance_by_target()
    assert table["Russia"]["n"] == 1 and table["Russia"]["negative"] == 1
    again = Article.from_dict(json.loads(json.dumps(article.to_dict())))
    assert again == article


def test_stance_can_be_turned_off_and_targets_are_checked(annotator):
    off = Annotator(annotator.nlp, stance=False)
    assert off.annotate("Russia attacked.").sentences[0].stance == []
    with pytest.raises(TypeError, match="targets"):
        off.annotate("Russia attacked.", targets=[3])
    with pytest.raises(FileNotFoundError, match="no stance model"):
        Annotator(annotator.nlp, stance="/nonexistent/folder")
