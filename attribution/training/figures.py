"""The accuracy figures of the shipped models, written from their ``dev_scores.json`` into the
one generated place they live: ``docs/figures.md`` and the README's accuracy lines.

``python -m attribution.training.figures`` rewrites both; a test fails when either differs
from what the shipped models' scores give.
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
        f"- **NewsMTSC dev_rw / dev_mt** (stance), macro-F1: {tiers}.",
    ])


MULTIDOMAIN = "multidomain_scores.json"  # beside the sourcing model: its scores on that set


def _multidomain_line(folder: Path | None) -> list[str]:
    """The README line of the hand-labelled multi-domain set's test part, if scored."""
    path = (folder or models_dir()) / "sourcing" / MULTIDOMAIN
    if not path.exists():
        return []
    runs = json.loads(path.read_text(encoding="utf-8"))
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


def readme_with_figures(readme: str, folder: Path | None = None) -> str:
    """The README with its accuracy lines (between the figures markers) regenerated."""
    a, b = readme.index(BEGIN) + len(BEGIN), readme.index(END)
    return readme[:a] + "\n" + readme_lines(folder) + "\n" + readme[b:]


def main() -> int:
    """Rewrite docs/figures.md and the README's accuracy lines."""
    (ROOT / "docs" / "figures.md").write_text(figures_page(), encoding="utf-8")
    readme = ROOT / "README.md"
    readme.write_text(readme_with_figures(readme.read_text(encoding="utf-8")),
                      encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
