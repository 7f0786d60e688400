"""A report folder from an annotations file: profile.csv, stance.csv, PNG figures and a
self-contained report.html (figures embedded, no external files or scripts)."""

from __future__ import annotations

import base64
import io
import os
import shutil
import tempfile
from html import escape
from pathlib import Path

import pandas as pd

from .analysis import LABELS, sourcing_profile, stance_profile
from .clean import for_spreadsheet
from .extras import needs
from .plots import plot_anonymous_rate, plot_label_shares, plot_stance_heatmap
from .render import STYLE, legend_html

try:
    from matplotlib.figure import Figure
except ImportError:
    needs("plots", "plots and reports")
    raise

_DEFINITIONS = {
    "articles / sentences / words": "size of the group",
    "share_<label>": "share of all sentences with that label",
    "share_<label>_of_attributed": "share of the sentences that have a source",
    "anonymous_per_1000_words": "sentences attributed to unnamed sources per 1,000 words",
    "named_sources_per_article": "different named speakers per article",
    "distinct_sources_per_article": "different speakers, named or not, per article",
    "direct_quotes_of_attributions": "direct quotes as a share of attributed sentences",
}


def _png(fig: Figure) -> bytes:
    buffer = io.BytesIO()
    fig.savefig(buffer, format="png", dpi=110)
    return buffer.getvalue()


def _with_ci(profile: pd.DataFrame) -> pd.DataFrame:
    """Each figure as 'value [lo, hi]' text, for reading."""
    shown = profile[["articles", "sentences", "words"]].copy()
    for column in profile.columns:
        if f"{column}_lo" in profile.columns:
            digits = 1 if column.endswith(("_words", "_article")) else 2
            shown[column] = [
                f"{v:.{digits}f} [{lo:.{digits}f}, {hi:.{digits}f}]"
                for v, lo, hi in zip(profile[column], profile[f"{column}_lo"],
                                     profile[f"{column}_hi"], strict=True)
            ]
    shown["top_sources"] = profile["top_sources"]
    return shown


def _for_csv(frame: pd.DataFrame) -> pd.DataFrame:
    """The frame with text cells (index included) that a spreadsheet shows as text."""
    safe = frame.copy()
    for column in safe.columns:
        if safe[column].dtype == object:
            safe[column] = safe[column].map(for_spreadsheet)
    if safe.index.dtype == object:
        safe.index = safe.index.map(for_spreadsheet)
    return safe


def write_report(
    df: pd.DataFrame, out_dir: str | Path, *, by: str = "outlet", n_boot: int = 1000,
    seed: int = 0, title: str = "Sourcing report",
) -> dict[str, Path]:
    """Write the report files for the sentence frame ``df`` grouped by ``by``; return the paths.

    The files are written into a temporary folder beside ``out_dir`` and moved into place
    only when all are complete, so a failure never leaves a half-written report. Text cells
    of the CSV files that start like a spreadsheet formula get a leading apostrophe.
    """
    out = Path(out_dir)
    if out.exists() and not out.is_dir():
        raise ValueError(f"{out} exists and is not a folder")
    out.parent.mkdir(parents=True, exist_ok=True)
    work = Path(tempfile.mkdtemp(dir=out.parent, prefix=f".{out.name}.", suffix=".tmp"))
    try:
        written = _write_files(df, work, by=by, n_boot=n_boot, seed=seed, title=title)
        if not out.exists():
            os.replace(work, out)
        else:  # a folder already there may hold other files: replace ours one by one
            for path in written.values():
                os.replace(path, out / path.name)
    finally:
        shutil.rmtree(work, ignore_errors=True)
    return {name: out / path.name for name, path in written.items()}


def _write_files(
    df: pd.DataFrame, out: Path, *, by: str, n_boot: int, seed: int, title: str,
) -> dict[str, Path]:
    profile = sourcing_profile(df, by, n_boot=n_boot, seed=seed)
    stance = stance_profile(df, by, n_boot=n_boot, seed=seed)
    paths = {"profile": out / "profile.csv", "stance": out / "stance.csv"}
    _for_csv(profile).to_csv(paths["profile"])
    _for_csv(stance).to_csv(paths["stance"], index=False)
    figures = {
        "label_shares": plot_label_shares(profile),
        "attributed_shares": plot_label_shares(profile, of_attributed=True),
        "anonymous_rate": plot_anonymous_rate(profile),
        "stance_heatmap": plot_stance_heatmap(stance, by),
    }
    images = {}
    for name, fig in figures.items():
        data = _png(fig)
        paths[name] = out / f"{name}.png"
        paths[name].write_bytes(data)
        images[name] = base64.b64encode(data).decode("ascii")
    definitions = "".join(
        f"<tr><td><code>{escape(k)}</code></td><td>{escape(v)}</td></tr>"
        for k, v in _DEFINITIONS.items()
    )
    groups = ", ".join(escape(str(g)) for g in profile.index)
    stance_table = (
        stance.to_html(index=False, float_format=lambda v: f"{v:.2f}", border=0)
        if not stance.empty else "<p>No stance scores in these annotations.</p>"
    )
    html = f"""<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8"><title>{escape(title)}</title>
<style>
body {{ font-family: sans-serif; margin: 2em; max-width: 75em; }}
table {{ border-collapse: collapse; font-size: 0.85em; }}
td, th {{ padding: 0.25em 0.6em; border-bottom: 1px solid #ddd; text-align: left; }}
img {{ max-width: 100%; }}
{STYLE}
</style></head><body>
<h1>{escape(title)}</h1>
<p>{len(profile)} groups by <code>{escape(by)}</code> ({groups});
{int(profile["articles"].sum())} articles, {int(profile["sentences"].sum())} sentences.
Intervals are 95% bootstrap intervals over articles ({n_boot} resamples, seed {seed}).</p>
{legend_html()}
<h2>Label shares</h2>
<img alt="label shares per group" src="data:image/png;base64,{images["label_shares"]}">
<img alt="shares of attributed sentences" src="data:image/png;base64,{images["attributed_shares"]}">
<h2>Anonymous sourcing</h2>
<img alt="anonymous attributions per 1,000 words"
 src="data:image/png;base64,{images["anonymous_rate"]}">
<h2>Profile</h2>
<div style="overflow-x: auto">{_with_ci(profile).to_html(border=0)}</div>
<h3>What the columns mean</h3>
<table>{definitions}</table>
<h2>Stance by voice</h2>
<img alt="stance heatmap" src="data:image/png;base64,{images["stance_heatmap"]}">
<div style="overflow-x: auto">{stance_table}</div>
<p>Labels: {", ".join(LABELS)}.</p>
</body></html>
"""
    paths["report"] = out / "report.html"
    paths["report"].write_text(html, encoding="utf-8")
    return paths
