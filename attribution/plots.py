"""Figures of sourcing and stance profiles, returned as matplotlib ``Figure`` objects.

Figures are built without pyplot, so they render on machines with no display; save one with
``fig.savefig("x.png")`` or show it in a notebook. Colours are the Okabe-Ito colour-blind-safe
palette used by the HTML view; the stance heatmap uses the diverging PuOr map.
"""

from __future__ import annotations

import math
from typing import Any

import numpy as np
import pandas as pd

from .analysis import LABELS, VOICES
from .document import Label
from .extras import needs
from .render import PALETTE

try:
    from matplotlib.figure import Figure
except ImportError:
    needs("plots", "plots and reports")
    raise


def _text(value: Any) -> str:
    """A group or target name as plain text: a "$" would start matplotlib's mathtext."""
    return str(value).replace("$", r"\$")


def _yerr(profile: pd.DataFrame, column: str) -> np.ndarray:
    value = profile[column].to_numpy(float)
    lo = profile.get(f"{column}_lo", profile[column]).to_numpy(float)
    hi = profile.get(f"{column}_hi", profile[column]).to_numpy(float)
    return np.nan_to_num(np.vstack([value - lo, hi - value]).clip(min=0))


def plot_label_shares(profile: pd.DataFrame, *, of_attributed: bool = False) -> Figure:
    """Grouped bars: the share of each label per group, with bootstrap-interval whiskers."""
    labels = LABELS[:3] if of_attributed else LABELS
    suffix = "_of_attributed" if of_attributed else ""
    groups = [_text(g) for g in profile.index]
    fig = Figure(figsize=(max(6.0, 1.2 * len(groups) + 2), 4.2), layout="constrained")
    ax = fig.add_subplot()
    width = 0.8 / len(labels)
    x = np.arange(len(groups))
    for i, label in enumerate(labels):
        column = f"share_{label}{suffix}"
        edge = PALETTE[Label(label)][0]
        ax.bar(x + (i - (len(labels) - 1) / 2) * width, profile[column], width,
               yerr=_yerr(profile, column), color=edge, capsize=3, label=label.replace("_", " "),
               error_kw={"elinewidth": 1, "ecolor": "#222222"})
    ax.set_xticks(x, groups, rotation=30 if len(groups) > 4 else 0, ha="right" if
                  len(groups) > 4 else "center")
    ax.set_ylabel("share of attributed sentences" if of_attributed else "share of sentences")
    ax.set_ylim(0, 1)
    ax.legend(frameon=False, ncols=len(labels), loc="upper center", bbox_to_anchor=(0.5, 1.12))
    ax.spines[["top", "right"]].set_visible(False)
    return fig


def plot_anonymous_rate(profile: pd.DataFrame) -> Figure:
    """Horizontal bars: anonymous attributions per 1,000 words per group, with intervals."""
    column = "anonymous_per_1000_words"
    ordered = profile.sort_values(column)
    fig = Figure(figsize=(6.5, max(2.5, 0.45 * len(ordered) + 1)), layout="constrained")
    ax = fig.add_subplot()
    ax.barh([_text(g) for g in ordered.index], ordered[column], xerr=_yerr(ordered, column),
            color=PALETTE[Label.ANONYMOUS][0], capsize=3, error_kw={"elinewidth": 1})
    ax.set_xlabel("anonymous attributions per 1,000 words (95% CI)")
    ax.spines[["top", "right"]].set_visible(False)
    return fig


def plot_stance_heatmap(stance: pd.DataFrame, by: str = "outlet", *, top: int = 15) -> Figure:
    """Heatmaps of mean stance, target x group, one panel per voice (editorial vs sources).

    Shows the ``top`` targets with the most stance mentions; an empty profile gives a figure
    that says so.
    """
    fig = Figure(figsize=(11, 5), layout="constrained")
    if stance.empty:
        ax = fig.add_subplot()
        ax.axis("off")
        ax.text(0.5, 0.5, "no stance scores in these annotations", ha="center", va="center")
        return fig
    targets = stance.groupby("target")["n"].sum().sort_values(ascending=False).head(top).index
    groups = sorted(stance[by].astype(str).unique())
    axes = fig.subplots(1, len(VOICES), sharey=True)
    image: Any = None
    for ax, voice in zip(np.atleast_1d(axes), VOICES, strict=True):
        part = stance[stance["voice"].eq(voice) & stance["target"].isin(targets)]
        grid = part.assign(**{by: part[by].astype(str)}).pivot_table(
            index="target", columns=by, values="mean_score", aggfunc="mean"
        ).reindex(index=targets, columns=groups)
        image = ax.imshow(grid.to_numpy(float), cmap="PuOr", vmin=-1, vmax=1, aspect="auto")
        ax.set_title(f"{voice}' voice" if voice == "sources" else "outlet's own voice")
        ax.set_xticks(range(len(groups)), [_text(g) for g in groups], rotation=45, ha="right")
        ax.set_yticks(range(len(targets)), [_text(t) for t in targets])
        for (r, c), value in np.ndenumerate(grid.to_numpy(float)):
            if not math.isnan(value):
                ax.text(c, r, f"{value:+.2f}", ha="center", va="center", fontsize=7)
    fig.colorbar(image, ax=axes, label="mean stance score (-1 negative, +1 positive)")
    return fig


def plot_reliability(calibration: dict[str, Any], title: str = "") -> Figure:
    """A reliability diagram from ``training.evaluate.calibration``: each confidence bin's
    accuracy against its mean confidence (the diagonal is perfect calibration), with the
    number of sentences in each bin below, and the expected calibration error in the title."""
    bins = [b for b in calibration["bins"] if b["count"]]
    fig = Figure(figsize=(5, 5.5))
    top, bottom = fig.subplots(2, 1, sharex=True, height_ratios=[3, 1])
    top.plot([0, 1], [0, 1], color="#999999", linestyle="--", linewidth=1)
    top.plot([b["confidence"] for b in bins], [b["accuracy"] for b in bins], marker="o",
             color=PALETTE[Label.REPORTED_SPEECH][0])
    top.set_ylabel("accuracy")
    top.set_xlim(0, 1)
    top.set_ylim(0, 1.02)
    top.set_title(_text(f"{title} (ECE {calibration['ece']:.3f})".strip()))
    width = 1 / len(calibration["bins"])
    bottom.bar([b["low"] + width / 2 for b in bins], [b["count"] for b in bins],
               width=width * 0.9, color=PALETTE[Label.EDITORIAL][0])
    bottom.set_xlabel("confidence")
    bottom.set_ylabel("sentences")
    fig.tight_layout()
    return fig
