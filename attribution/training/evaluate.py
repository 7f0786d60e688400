"""Scores against gold: sentence labels and source / cue spans on PolNeAR.

Span scores follow span-extraction papers: a predicted span counts only if its boundaries
equal a gold span's (exact-match precision, recall and F1 over the unique spans of each
article); the token-overlap F1 gives partial credit over the words the spans cover.
"""

from __future__ import annotations

import re
import warnings
from collections.abc import Iterable, Sequence
from pathlib import Path
from typing import Any

from ..decide import SPEC_GATE, SPEC_RULE_WEIGHT, SPEC_UNNAMED_RULE_WEIGHT
from ..document import Article, Label
from ..pipeline import Annotator

LABELS = [label.value for label in Label]
_TOKEN = re.compile(r"\S+")


def prf(tp: int, n_pred: int, n_gold: int) -> dict[str, float]:
    """Precision, recall and F1 from counts (0 where undefined)."""
    p = tp / n_pred if n_pred else 0.0
    r = tp / n_gold if n_gold else 0.0
    f = 2 * p * r / (p + r) if p + r else 0.0
    return {"precision": p, "recall": r, "f1": f}


def _tokens(text: str, spans: Iterable[tuple[int, int]]) -> set[int]:
    """Start offsets of the words covered by any of the spans."""
    covered = set()
    for start, end in spans:
        for m in _TOKEN.finditer(text, start, end):
            covered.add(m.start())
    return covered


def span_scores(
    texts: list[str], gold: list[set[tuple[int, int]]], pred: list[set[tuple[int, int]]]
) -> dict[str, float]:
    """Exact-match and token-overlap P/R/F1 of span sets, micro-averaged over articles."""
    tp = sum(len(g & p) for g, p in zip(gold, pred, strict=True))
    exact = prf(tp, sum(map(len, pred)), sum(map(len, gold)))
    t_tp = t_pred = t_gold = 0
    for text, g, p in zip(texts, gold, pred, strict=True):
        gt, pt = _tokens(text, g), _tokens(text, p)
        t_tp, t_pred, t_gold = t_tp + len(gt & pt), t_pred + len(pt), t_gold + len(gt)
    token = prf(t_tp, t_pred, t_gold)
    return {
        "exact_precision": exact["precision"], "exact_recall": exact["recall"],
        "exact_f1": exact["f1"], "token_f1": token["f1"],
    }


def label_scores(
    gold: list[str], pred: list[str], labels: Sequence[str] = tuple(LABELS)
) -> dict[str, Any]:
    """Per-label P/R/F1, macro F1, accuracy and the confusion matrix (rows gold, columns pred)."""
    from sklearn.metrics import accuracy_score, confusion_matrix, precision_recall_fscore_support

    labels = list(labels)
    with warnings.catch_warnings():
        # sklearn warns when one label alone occurs (a small section), though ``labels`` is
        # given and the matrix has its full shape.
        warnings.filterwarnings("ignore", message="A single label was found")
        matrix = confusion_matrix(gold, pred, labels=labels).tolist()
    p, r, f, support = precision_recall_fscore_support(
        gold, pred, labels=labels, zero_division=0
    )
    return {
        "per_label": {
            lab: {"precision": float(p[i]), "recall": float(r[i]), "f1": float(f[i]),
                  "support": int(support[i])}
            for i, lab in enumerate(labels)
        },
        "macro_f1": float(f.mean()),
        "accuracy": float(accuracy_score(gold, pred)) if gold else 0.0,
        "confusion_matrix": {
            "labels": labels,
            "matrix": matrix,
        },
    }


def _spans(article: Article, facet: str) -> set[tuple[int, int]]:
    """Every source (or cue) span the article's sentences report, their attributions' too."""
    found = set()
    for sentence in article.sentences:
        for holder in (sentence, *sentence.attributions):
            span = getattr(holder, facet)
            if span is not None:
                found.add((span.start, span.end))
    return found


Spans = tuple[list[set[tuple[int, int]]], list[set[tuple[int, int]]]]


def _scored(texts: list[str], gold: list[str], pred: list[str], sources: Spans,
            cues: Spans) -> dict[str, Any]:
    """Label scores with the sources' and cues' exact-match and token-overlap figures, from
    the gold and predicted span sets of each article."""
    result = label_scores(gold, pred)
    for name, (gold_spans, pred_spans) in (("source", sources), ("cue", cues)):
        spans = span_scores(texts, gold_spans, pred_spans)
        result.update({f"{name}_{key}": value for key, value in spans.items()})
    return result


def evaluate_sourcing(
    split: str = "dev", data: str | Path | None = None, annotator: Annotator | None = None,
    *, model_dir: str | Path | None = None, rules_only: bool = False,
) -> dict[str, Any]:
    """Annotate a PolNeAR split and score labels, sources and cues against its gold.

    The annotator is the default one (shipped sourcing model and rules) unless given;
    ``model_dir`` loads another sourcing model, ``rules_only`` uses none.
    """
    from ..corpora.frozen import align, frozen_gold
    from ..corpora.polnear import derive_gold, read_polnear

    if annotator is None:
        sourcing = False if rules_only else (model_dir or None)
        annotator = Annotator(stance=False, sourcing=sourcing)
    articles = read_polnear(split, data)
    frozen = frozen_gold(articles, split)  # None for the test split: derived here
    predicted: list[Article] = list(
        annotator.pipe([{"text": a.text, "id": a.id, "outlet": a.outlet} for a in articles])
    )
    gold_labels: list[str] = []
    pred_labels: list[str] = []
    gold_sources, pred_sources, gold_cues, pred_cues = [], [], [], []
    for k, (article, pred) in enumerate(zip(articles, predicted, strict=True)):
        spans = [(s.start, s.end) for s in pred.sentences]
        if frozen is None:
            gold_labels += [g.label.value for g in derive_gold(article, spans, annotator.nlp)]
            pred_labels += [s.label.value for s in pred.sentences]
        else:
            gold_labels += [g["label"] for g in frozen[k]]
            pred_labels += [pred.sentences[i].label.value for i in align(frozen[k], spans)]
        gold_sources.append({a.source for a in article.attributions if a.source is not None})
        gold_cues.append({a.cue for a in article.attributions})
        pred_sources.append(_spans(pred, "source"))
        pred_cues.append(_spans(pred, "cue"))
    result = _scored([a.text for a in articles], gold_labels, pred_labels,
                     (gold_sources, pred_sources), (gold_cues, pred_cues))
    result.update({
        "articles": len(articles),
        "sentences": len(gold_labels),
        "split": split,
        "gold": "frozen" if frozen is not None else "derived",
        "model": "rules" if annotator.sourcing is None else "sourcing model + rules",
    })
    return result


def evaluate_stance(
    split: str = "dev_rw", data: str | Path | None = None, model_dir: str | Path | None = None,
) -> dict[str, Any]:
    """Score the stance model on a NewsMTSC split: macro_f1, accuracy and per class."""
    from ..corpora.newsmtsc import read_newsmtsc
    from ..encoder import models_dir
    from ..stance import LABELS as STANCE_LABELS
    from ..stance import StanceModel

    records = read_newsmtsc(split, data)
    model = StanceModel(Path(model_dir) if model_dir else models_dir() / "stance")
    predictions = model.predict(
        [(r["sentence"], r["target_start"], r["target_end"]) for r in records]
    )
    result = label_scores([r["label"] for r in records], [p.label for p in predictions],
                          STANCE_LABELS)
    result.update({"split": split, "targets": len(records)})
    return result


SELECT_KEYS = ("macro_f1", "source_exact_f1")
# (rules weight, rules weight where the rules found nothing in the sentence); see decide.py.
WEIGHTS = ((0.2, 0.2), (0.3, 0.3), (0.4, 0.4), (0.45, 0.45), (0.4, 0.3), (0.4, 0.25),
           (0.4, 0.2), (SPEC_RULE_WEIGHT, 0.2), (0.45, 0.2))


def weights_name(weights: tuple[float, float]) -> str:
    """A configuration's key in the comparison: "0.4", or "0.4/0.25" when the two differ."""
    return f"{weights[0]}" if weights[0] == weights[1] else f"{weights[0]}/{weights[1]}"


def compare_sourcing(
    split: str = "dev", data: str | Path | None = None, model_dir: str | Path | None = None,
    weights: Sequence[tuple[float, float]] = WEIGHTS,
) -> dict[str, Any]:
    """Score the rules alone, the sourcing model alone and the two combined on a split.

    The combination is tried with each pair of rules weights in ``weights`` (see decide.py);
    the one with the best mean of label macro-F1 and source exact-match F1 is ``best``;
    ``chosen`` is the best of those whose rules weight is at least ``SPEC_RULE_WEIGHT``. Every
    pair weighs the rules at least ``SPEC_UNNAMED_RULE_WEIGHT`` where they found an unnamed
    source the model did not tag. The model runs once: its predictions are reused for every
    pair.
    """
    from ..encoder import models_dir

    rules = evaluate_sourcing(split, data, Annotator(stance=False, sourcing=False))
    annotator = Annotator(stance=False,
                          sourcing=Path(model_dir) if model_dir else models_dir() / "sourcing")
    model = annotator.sourcing
    predict, memo = model.predict, {}

    def cached(items):
        key = tuple(items)
        if key not in memo:
            memo[key] = predict(items)
        return memo[key]

    model.predict = cached
    model.rule_weight = model.empty_rule_weight = model.unnamed_rule_weight = model.gate = 0.0
    model.fallback = False
    alone = evaluate_sourcing(split, data, annotator)
    combined = {}
    for pair in weights:
        model.rule_weight, model.empty_rule_weight = pair
        model.unnamed_rule_weight = SPEC_UNNAMED_RULE_WEIGHT
        model.gate = SPEC_GATE
        model.fallback = True
        combined[weights_name(pair)] = evaluate_sourcing(split, data, annotator)

    def score(pair: tuple[float, float]) -> float:
        return sum(combined[weights_name(pair)][k] for k in SELECT_KEYS)

    best = max(weights, key=score)
    allowed = [pair for pair in weights if pair[0] >= SPEC_RULE_WEIGHT] or list(weights)
    chosen = max(allowed, key=score)
    return {"rules": rules, "model": alone, "combined": combined, "best": weights_name(best),
            "chosen": weights_name(chosen), "chosen_weights": list(chosen), "split": split}


def weights_label(name: str) -> str:
    """A weights key in words: "0.4/0.25" -> "0.4 (0.25 where the rules found nothing)"."""
    weight, _, empty = str(name).partition("/")
    return f"{weight} ({empty} where the rules found nothing)" if empty else weight


def comparison_table(comparison: dict[str, Any]) -> str:
    """The comparison as a Markdown table, one row per configuration."""
    rows = [("rules alone", comparison["rules"]), ("model alone", comparison["model"])]
    rows += [(f"model + rules, rules weight {weights_label(w)}", s)
             for w, s in comparison["combined"].items()]
    head = ("| configuration | label macro-F1 | accuracy | "
            + " | ".join(f"F1 {lab}" for lab in LABELS)
            + " | source exact F1 (P / R) | cue exact F1 | source token F1 |\n|---|"
            + "---|" * (len(LABELS) + 5))
    lines = [head]
    for name, s in rows:
        mark = (" (shipped)" if name.endswith(f"weight {weights_label(comparison['chosen'])}")
                else "")
        lines.append(
            f"| {name}{mark} | {s['macro_f1']:.3f} | {s['accuracy']:.3f} | "
            + " | ".join(f"{s['per_label'][lab]['f1']:.3f}" for lab in LABELS)
            + f" | {s['source_exact_f1']:.3f} ({s['source_exact_precision']:.3f} / "
            f"{s['source_exact_recall']:.3f}) | {s['cue_exact_f1']:.3f} | "
            f"{s['source_token_f1']:.3f} |"
        )
    return "\n".join(lines)


def present_label_scores(gold: list[str], pred: list[str]) -> dict[str, Any]:
    """``label_scores`` over the labels that occur in the gold or the predictions, so that a
    section without (say) anonymous sources is not scored on a label nobody used."""
    used = [lab for lab in LABELS if lab in set(gold) | set(pred)]
    return label_scores(gold, pred, used or LABELS)


def calibration(confidences: Sequence[float], correct: Sequence[bool],
                bins: int = 10) -> dict[str, Any]:
    """Expected calibration error of ``confidences`` (equal-width bins over [0, 1]): the
    mean gap between confidence and accuracy, weighted by how many predictions each bin
    holds; and each bin's count, mean confidence and accuracy for a reliability plot."""
    rows = [{"low": b / bins, "high": (b + 1) / bins, "count": 0, "confidence": 0.0,
             "accuracy": 0.0} for b in range(bins)]
    for conf, ok in zip(confidences, correct, strict=True):
        row = rows[min(bins - 1, int(conf * bins))]
        row["count"] += 1
        row["confidence"] += conf
        row["accuracy"] += float(ok)
    total = len(confidences)
    ece = 0.0
    for row in rows:
        if row["count"]:
            row["confidence"] /= row["count"]
            row["accuracy"] /= row["count"]
            ece += row["count"] / total * abs(row["accuracy"] - row["confidence"])
    return {"ece": ece, "bins": rows, "predictions": total}


def evaluate_set(
    name: str | Path, part: str = "test", annotator: Annotator | None = None,
    *, rules_only: bool = False, model_dir: str | Path | None = None,
) -> dict[str, Any]:
    """Annotate an evaluation set (attribution.corpora.sets) and score it: labels overall,
    per label and per section, source and cue spans (exact match), and the calibration of
    the sentences' confidence. ``part``: "tune", "test" or "all"."""
    from ..corpora.frozen import align
    from ..corpora.sets import load_set

    articles = load_set(name, part)
    if not articles:
        raise ValueError(f"the set {name} has no articles in part {part!r}")
    if annotator is None:
        annotator = Annotator(stance=False,
                              sourcing=False if rules_only else (model_dir or None))
    predicted = list(annotator.pipe([{"text": a.text, "id": a.id} for a in articles]))
    gold_labels: list[str] = []
    pred_labels: list[str] = []
    sections: dict[str, tuple[list[str], list[str]]] = {}
    confidences: list[float] = []
    gold_sources, pred_sources, gold_cues, pred_cues = [], [], [], []
    for article, pred in zip(articles, predicted, strict=True):
        spans = [(s.start, s.end) for s in pred.sentences]
        golds, preds = sections.setdefault(article.section, ([], []))
        for gold, k in zip(article.sentences, align(article.sentences, spans), strict=True):
            sentence = pred.sentences[k]
            for into_gold, into_pred in ((gold_labels, pred_labels), (golds, preds)):
                into_gold.append(gold["label"])
                into_pred.append(sentence.label.value)
            confidences.append(float(sentence.confidence))
        gold_sources.append({tuple(s["source"]) for s in article.sentences if s["source"]})
        gold_cues.append({tuple(s["cue"]) for s in article.sentences if s["cue"]})
        pred_sources.append(_spans(pred, "source"))
        pred_cues.append(_spans(pred, "cue"))
    result = _scored([a.text for a in articles], gold_labels, pred_labels,
                     (gold_sources, pred_sources), (gold_cues, pred_cues))
    correct = [g == p for g, p in zip(gold_labels, pred_labels, strict=True)]
    result.update({
        "sections": {
            section: {**{k: v for k, v in present_label_scores(g, p).items()
                         if k in ("macro_f1", "accuracy", "per_label")},
                      "sentences": len(g),
                      "articles": sum(a.section == section for a in articles)}
            for section, (g, p) in sorted(sections.items())
        },
        "calibration": calibration(confidences, correct),
        "articles": len(articles),
        "sentences": len(gold_labels),
        "set": str(name),
        "part": part,
        "model": "rules" if annotator.sourcing is None else "sourcing model + rules",
    })
    return result
