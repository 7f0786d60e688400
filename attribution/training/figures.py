"""The accuracy figures of the shipped models, written from their ``dev_scores.json`` (and the
sourcing model's ``multidomain_scores.json``) into the generated places they live:
``docs/figures.md``, the README's accuracy lines and the tables of ``docs/evaluation.md``.

``python -m attribution.training.figures`` rewrites them; a test fails when any differs from
what the shipped models' scores give.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Any

from ..encoder import STANCE_TIERS, models_dir

BEGIN, END = "<!-- figures: begin -->", "<!-- figures: end -->"
ROOT = Path(__file__).resolve().parents[2]


def _scores(name: str, folder: Path | None = None) -> dict[str, Any]:
    path = (folder or models_dir()) / name / "dev_scores.json"
    return json.loads(path.read_text(encoding="utf-8"))


def _four(s: dict[str, Any]) -> str:
    return " / ".join(f"{s[k]:.3f}" for k in ("macro_f1", "accuracy", "source_exact_f1",
                                              "cue_exact_f1"))


def _tiers(folder: Path | None) -> list[tuple[str, dict[str, Any]]]:
    """The stance tiers shipped, with their dev scores."""
    root = folder or models_dir()
    return [(tier, _scores(name, folder)) for tier, name in STANCE_TIERS.items()
            if (root / name / "dev_scores.json").exists()]


def readme_lines(folder: Path | None = None) -> str:
    """The README's accuracy lines, one per evaluation set."""
    sourcing = _scores("sourcing", folder)
    shipped = sourcing["combined"][sourcing["chosen"]]
    tiers = "; ".join(f"{tier} tier **{s['dev_rw']['macro_f1']:.3f} / "
                      f"{s['dev_mt']['macro_f1']:.3f}**" for tier, s in _tiers(folder))
    return "\n".join([
        f"- **PolNeAR dev** ({shipped['articles']} articles, {shipped['sentences']:,} "
        "sentences of 2016 US political news; labels derived as in docs/gold_labels.md), "
        f"label macro-F1 / accuracy / source exact F1 / cue exact F1: **{_four(shipped)}** "
        f"(rules alone: {_four(sourcing['rules'])}).",
        *_multidomain_line(folder),
        f"- **NewsMTSC dev_rw / dev_mt** (stance), macro-F1: {tiers}{_spread(folder)}.",
    ])


def _spread(folder: Path | None) -> str:
    """The stance tiers' range over the seeds listed beside them (``seeds.json``), if any."""
    from .stance_train import seed_range, seed_runs

    root = folder or models_dir()
    parts = []
    for tier, name in STANCE_TIERS.items():
        runs = seed_runs(root / name)
        if not runs:
            continue
        ranges = " / ".join("{:.3f}–{:.3f}".format(*seed_range(runs, k))
                            for k in ("dev_rw", "dev_mt"))
        parts.append(f"{tier} {ranges} over seeds "
                     + ", ".join(str(r["seed"]) for r in runs))
    if not parts:
        return ""
    return (" (epoch chosen on a held-out slice of train, dev scored once; the same commands: "
            + "; ".join(parts) + ")")


MULTIDOMAIN = "multidomain_scores.json"  # beside the sourcing model: its scores on that set


def _multidomain(folder: Path | None) -> dict[str, Any] | None:
    path = (folder or models_dir()) / "sourcing" / MULTIDOMAIN
    return json.loads(path.read_text(encoding="utf-8")) if path.exists() else None


def _multidomain_line(folder: Path | None) -> list[str]:
    """The README line of the hand-labelled multi-domain set's test part, if scored."""
    runs = _multidomain(folder)
    if runs is None:
        return []
    shipped, rules = runs["shipped"], runs["rules"]
    return [
        f"- **multidomain test** ({shipped['articles']} articles, {shipped['sentences']} "
        "sentences of ten kinds of news, labelled by hand; docs/evaluation.md), label "
        f"macro-F1 / accuracy: **{shipped['macro_f1']:.3f} / {shipped['accuracy']:.3f}** "
        f"(rules alone: {rules['macro_f1']:.3f} / {rules['accuracy']:.3f}); anonymous F1 "
        f"{shipped['per_label']['anonymous']['f1']:.3f}; calibration error of confidence "
        f"(ECE) {shipped['calibration']['ece']:.3f}."]


def figures_page(folder: Path | None = None) -> str:
    """``docs/figures.md``: every figure of the shipped models on dev, in tables."""
    sourcing = _scores("sourcing", folder)
    shipped = sourcing["combined"][sourcing["chosen"]]
    rows = [("rules alone (`Annotator(sourcing=False)`)", sourcing["rules"]),
            ("sourcing model alone", sourcing["model"]),
            (f"model + rules, as shipped (rules weights {sourcing['chosen']})", shipped)]
    label_rows = "\n".join(
        f"| {name} | {s['macro_f1']:.3f} | {s['accuracy']:.3f} | {s['source_exact_f1']:.3f} "
        f"| {s['cue_exact_f1']:.3f} |" for name, s in rows)
    per_label = ", ".join(f"{lab} {v['f1']:.3f}" for lab, v in shipped["per_label"].items())
    stance_rows = "\n".join(
        f"| {tier} | {split} | {s['macro_f1']:.3f} | {s['accuracy']:.3f} | "
        + " | ".join(f"{s['per_label'][lab]['f1']:.3f}" for lab in ("negative", "neutral",
                                                                     "positive")) + " |"
        for tier, scores in _tiers(folder) for split, s in scores.items())
    return f"""# Accuracy of the shipped models

Generated from `models/*/dev_scores.json` by `python -m attribution.training.figures`; do not
edit by hand. How each model was trained and selected is in its card
([sourcing](../models/sourcing/README.md), [stance](../models/stance/README.md),
[accurate stance](../models/stance-accurate/README.md)).

## Sentence labels, sources and cues: PolNeAR dev

{shipped['articles']} articles, {shipped['sentences']:,} sentences; gold labels derived from
PolNeAR's attribution spans as in [gold_labels.md](gold_labels.md).

| configuration | label macro-F1 | accuracy | source exact F1 | cue exact F1 |
|---|---|---|---|---|
{label_rows}

Per label F1 (shipped): {per_label}.

## Stance: NewsMTSC dev

| tier | split | macro-F1 | accuracy | F1 negative | F1 neutral | F1 positive |
|---|---|---|---|---|---|---|
{stance_rows}
"""


def evaluation_tables(folder: Path | None = None) -> str:
    """The test-part tables of docs/evaluation.md: per section, per label, spans."""
    runs = _multidomain(folder)
    if runs is None:
        return "(not scored)"
    shipped, rules = runs["shipped"], runs["rules"]

    def pair(s: dict[str, Any]) -> str:
        return f"{s['macro_f1']:.3f} / {s['accuracy']:.3f}"

    rows = [f"| all | {shipped['sentences']} | **{pair(shipped)}** | {pair(rules)} |"]
    for name, s in shipped["sections"].items():
        r = rules["sections"][name]
        below = s["macro_f1"] < r["macro_f1"] or s["accuracy"] < r["accuracy"]
        rows.append(f"| {name}{' ⚠' if below else ''} | {s['sentences']} | {pair(s)} | "
                    f"{pair(r)} |")

    def prf(s: dict[str, Any]) -> str:
        return " / ".join(f"{s[k]:.3f}" for k in ("precision", "recall", "f1"))

    labels = [f"| {lab} | {v['support']} | {prf(v)} | {prf(rules['per_label'][lab])} |"
              for lab, v in shipped["per_label"].items()]
    return "\n".join([
        f"{shipped['articles']} articles, {shipped['sentences']} sentences. Label macro-F1 / "
        "accuracy; ⚠ marks a section where the shipped combination scores below the rules "
        "alone on either figure.", "",
        "| section | sentences | shipped | rules alone |", "|---|---|---|---|", *rows, "",
        "| label | gold | shipped P / R / F1 | rules P / R / F1 |", "|---|---|---|---|",
        *labels, "",
        f"Source exact-match F1: shipped {shipped['source_exact_f1']:.3f}, rules "
        f"{rules['source_exact_f1']:.3f}.",
        f"Cue exact-match F1: shipped {shipped['cue_exact_f1']:.3f}, rules "
        f"{rules['cue_exact_f1']:.3f}.",
        f"Expected calibration error of `confidence`: shipped "
        f"{shipped['calibration']['ece']:.3f}, rules {rules['calibration']['ece']:.3f}."])


def with_generated(page: str, generated: str) -> str:
    """A page with the text between its figures markers replaced by ``generated``."""
    a, b = page.index(BEGIN) + len(BEGIN), page.index(END)
    return page[:a] + "\n" + generated + "\n" + page[b:]


def readme_with_figures(readme: str, folder: Path | None = None) -> str:
    """The README with its accuracy lines (between the figures markers) regenerated."""
    return with_generated(readme, readme_lines(folder))


def main() -> int:
    """Rewrite docs/figures.md, the README's accuracy lines and docs/evaluation.md's tables."""
    (ROOT / "docs" / "figures.md").write_text(figures_page(), encoding="utf-8")
    for path, generated in ((ROOT / "README.md", readme_lines()),
                            (ROOT / "docs" / "evaluation.md", evaluation_tables())):
        path.write_text(with_generated(path.read_text(encoding="utf-8"), generated),
                        encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
