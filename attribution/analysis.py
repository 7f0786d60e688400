"""Sourcing and stance profiles over annotated corpora, with bootstrap confidence intervals.

Input is the sentence frame of ``load_annotations`` (one row per sentence). Every figure is
computed per group of any column (outlet, month, author, section) from per-article sums, and
its 95% interval resamples whole articles within the group (seeded), because sentences of one
article are not independent.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from .document import Label

LABELS = [label.value for label in Label]
ATTRIBUTED = [Label.ANONYMOUS.value, Label.DIRECT_QUOTE.value, Label.REPORTED_SPEECH.value]
VOICES = ("editorial", "sources")

# Figures that are ratios of per-article sums: name -> (numerator columns, denominator columns,
# scale). Per-article sums are in the frame built by ``article_table``.
RATIOS: dict[str, tuple[list[str], list[str], float]] = {
    **{f"share_{lab}": ([f"n_{lab}"], ["sentences"], 1.0) for lab in LABELS},
    **{f"share_{lab}_of_attributed": ([f"n_{lab}"], ["attributed"], 1.0) for lab in ATTRIBUTED},
    "anonymous_per_1000_words": (["n_anonymous"], ["words"], 1000.0),
    "named_sources_per_article": (["named_sources"], ["one"], 1.0),
    "distinct_sources_per_article": (["distinct_sources"], ["one"], 1.0),
    "direct_quotes_of_attributions": (["n_direct_quote"], ["attributed"], 1.0),
}
REQUIRED = {"article_id", "label"}


NO_GROUP = "(none)"


def _checked(df: Any, by: str) -> pd.DataFrame:
    """The frame, checked, with a missing group value shown as "(none)"."""
    if not isinstance(df, pd.DataFrame):
        raise TypeError(f"expected a pandas DataFrame, not {type(df).__name__}")
    missing = (REQUIRED | {by}) - set(df.columns)
    if missing:
        raise ValueError(f"the frame lacks column(s) {sorted(missing)}; use load_annotations()")
    groups = df[by].astype(object).map(_group_value)
    return df.assign(**{by: groups})


def _group_value(value: Any) -> Any:
    """A group key, always text, so that any column can group and groups sort: "(none)" for
    a missing value, ``str(value)`` for a number, a flag, a list or a dict."""
    if value is None or (isinstance(value, float) and value != value):
        return NO_GROUP
    return value if isinstance(value, str) else str(value)


def _keys(by: str) -> list[str]:
    """Group and article columns, once each (grouping by article_id itself is allowed)."""
    return [by] if by == "article_id" else [by, "article_id"]


def _speaker_key(value: Any) -> str | None:
    if not isinstance(value, str) or not value.strip():
        return None
    key = " ".join(value.casefold().split())
    return key.removeprefix("the ")


def article_table(df: pd.DataFrame, by: str = "outlet") -> pd.DataFrame:
    """Per-article sums: sentences, words, label counts, attributed sentences, sources."""
    work = _checked(df, by)
    if "words" not in work:
        work["words"] = work["text"].str.split().str.len() if "text" in work else 0
    speaker = work["speaker"] if "speaker" in work else work.get("source")
    work["_speaker"] = (speaker.map(_speaker_key) if speaker is not None else None)
    named = work["source_named"] if "source_named" in work else pd.Series(None, index=work.index)
    work["_named_speaker"] = work["_speaker"].where(named.eq(True))
    keys = _keys(by)
    grouped = work.groupby(keys, sort=True)
    table = grouped.agg(
        sentences=("label", "size"),
        words=("words", "sum"),
        distinct_sources=("_speaker", "nunique"),
        named_sources=("_named_speaker", "nunique"),
    )
    counts = pd.crosstab([work[k] for k in keys], work["label"]).reindex(
        columns=LABELS, fill_value=0
    )
    counts.columns = [f"n_{c}" for c in counts.columns]
    table = table.join(counts).fillna(0)
    table["attributed"] = table[[f"n_{lab}" for lab in ATTRIBUTED]].sum(axis=1)
    table["one"] = 1
    return table.reset_index()


# Resampled article indices drawn at once by the bootstrap (8 bytes each, 2 columns read).
BOOTSTRAP_CELLS = 2_000_000


def _bootstrap(
    values: np.ndarray, num: list[int], den: list[int], scale: float, rng: np.random.Generator,
    n_boot: int, ci: float,
) -> tuple[float, float]:
    """Percentile interval of sum(num)/sum(den) over articles resampled with replacement.

    Only the two summed columns are resampled, ``BOOTSTRAP_CELLS`` draws at a time, so memory
    stays bounded whatever the number of articles; the draws are the same as in one batch.
    """
    n = len(values)
    pair = np.stack([values[:, num].sum(axis=1), values[:, den].sum(axis=1)], axis=1)
    rows = max(1, BOOTSTRAP_CELLS // max(n, 1))
    sums = np.empty((n_boot, 2))
    for start in range(0, n_boot, rows):
        stop = min(n_boot, start + rows)
        picks = rng.integers(0, n, size=(stop - start, n))
        sums[start:stop] = pair[picks].sum(axis=1)
    numer, denom = sums[:, 0], sums[:, 1]
    with np.errstate(invalid="ignore", divide="ignore"):
        stats = np.where(denom > 0, numer / denom * scale, np.nan)
    stats = stats[~np.isnan(stats)]
    if not len(stats):
        return float("nan"), float("nan")
    alpha = (1 - ci) / 2
    return float(np.quantile(stats, alpha)), float(np.quantile(stats, 1 - alpha))


def _speaker_counts(df: pd.DataFrame, by: str) -> pd.Series:
    """How often each speaker (whitespace-normalised) is the source, per group."""
    speakers = df["speaker"] if "speaker" in df else df.get("source")
    if speakers is None:
        return pd.Series(dtype="int64")
    names = speakers.map(lambda s: None if s is None or s != s else " ".join(str(s).split()))
    frame = pd.DataFrame({by: df[by], "name": names}).dropna()
    return frame.groupby([by, "name"]).size()


def _top_sources(counts: pd.Series, group: Any, top: int) -> str:
    """The group's ``top`` most quoted speakers, most first, ties in name order."""
    if counts.empty or group not in counts.index.get_level_values(0):
        return ""
    mine = counts.xs(group, level=0)
    order = sorted(mine.items(), key=lambda item: (-item[1], item[0]))[:top]
    return "; ".join(f"{name} ({n})" for name, n in order)


PROFILE_COLUMNS = ["article_id", "label", "words", "speaker", "source", "source_named"]


def _tables_by_partition(path: Any, by: str) -> tuple[pd.DataFrame, pd.Series]:
    """Per-article sums and speaker counts of a Parquet folder, one partition at a time: an
    article lies in one partition, so memory holds one partition and one row per article."""
    from .tables import partitions

    tables, counts = [], []
    for _, part, _ in partitions(path, [by, *PROFILE_COLUMNS]):
        if part.empty:
            continue
        part = _checked(part, by)
        tables.append(article_table(part, by))
        counts.append(_speaker_counts(part, by))
    if not tables:
        raise ValueError(f"{path} holds no annotated sentences")
    table = pd.concat(tables, ignore_index=True).sort_values(_keys(by), kind="stable")
    speakers = pd.concat(counts).groupby(level=[0, 1]).sum() if counts else pd.Series()
    return table.reset_index(drop=True), speakers


def sourcing_profile(
    df: pd.DataFrame | str | Path, by: str = "outlet", *, n_boot: int = 1000, ci: float = 0.95,
    seed: int = 0, top: int = 5,
) -> pd.DataFrame:
    """One row per group: size, label shares, anonymous rate, sources per article, top sources.

    ``df`` is the frame of ``load_annotations``, or the path of a Parquet folder written by
    ``attribution.dask``, read one partition at a time (a corpus larger than memory gives the
    same figures as its frame would). Each figure ``x`` comes with ``x_lo`` and ``x_hi``, a
    ``ci`` bootstrap interval that resamples the group's articles (``n_boot`` times, seeded,
    so the same input gives the same intervals). Shares are of all sentences, or
    ``_of_attributed`` of the sentences with a source; named / distinct sources count
    different speakers per article.
    """
    if not 0 < ci < 1:
        raise ValueError(f"ci must be between 0 and 1, not {ci}")
    if n_boot < 1:
        raise ValueError(f"n_boot must be at least 1, not {n_boot}")
    if isinstance(df, (str, Path)):
        table, speakers = _tables_by_partition(df, by)
    else:
        df = _checked(df, by)
        table, speakers = article_table(df, by), _speaker_counts(df, by)
    columns = list(table.columns)
    rows = []
    for k, (group, part) in enumerate(table.groupby(by, sort=True)):
        values = part.drop(columns=_keys(by)).to_numpy(dtype=float)
        names = [c for c in columns if c not in _keys(by)]
        index = {c: i for i, c in enumerate(names)}
        totals = values.sum(axis=0)
        rng = np.random.default_rng([seed, k])
        row: dict[str, Any] = {
            by: group,
            "articles": len(part),
            "sentences": int(totals[index["sentences"]]),
            "words": int(totals[index["words"]]),
        }
        for name, (num, den, scale) in RATIOS.items():
            ni, di = [index[c] for c in num], [index[c] for c in den]
            denom = totals[di].sum()
            row[name] = totals[ni].sum() / denom * scale if denom else float("nan")
            row[f"{name}_lo"], row[f"{name}_hi"] = _bootstrap(
                values, ni, di, scale, rng, n_boot, ci
            )
        row["top_sources"] = _top_sources(speakers, group, top)
        rows.append(row)
    return pd.DataFrame(rows).set_index(by)


def stance_frame(df: pd.DataFrame, by: str = "outlet") -> pd.DataFrame:
    """One row per (sentence, stance target): group, article, voice, target, label and score.

    ``voice`` is "editorial" for the outlet's own sentences and "sources" for attributed ones.
    Targets are compared case-insensitively, without a leading "the".
    """
    df = _checked(df, by)
    keys = _keys(by)
    columns = [*keys, "voice", "target", "stance", "score"]
    if "stance" not in df:
        return pd.DataFrame(columns=columns)
    rows = []
    for group, article, label, stances in zip(
        df[by], df["article_id"], df["label"], df["stance"], strict=True
    ):
        if not isinstance(stances, list):
            continue
        voice = "editorial" if label == Label.EDITORIAL.value else "sources"
        for st in stances:
            target = _speaker_key(st["target"]["text"])
            if target:
                rows.append((*(group, article)[: len(keys)], voice, target, st["label"],
                             float(st["score"])))
    return pd.DataFrame(rows, columns=columns)


def stance_profile(
    df: pd.DataFrame, by: str = "outlet", *, n_boot: int = 1000, ci: float = 0.95,
    seed: int = 0, min_count: int = 1,
) -> pd.DataFrame:
    """Mean stance score per group, target and voice (editorial vs sources), with intervals.

    Rows: ``by, target, voice, n, articles, mean_score, mean_score_lo, mean_score_hi,
    share_negative, share_positive``; the interval resamples articles. Targets seen fewer
    than ``min_count`` times in a group and voice are left out.
    """
    frame = stance_frame(df, by)
    columns = [by, "target", "voice", "n", "articles", "mean_score", "mean_score_lo",
               "mean_score_hi", "share_negative", "share_positive"]
    if frame.empty:
        return pd.DataFrame(columns=columns)
    rows = []
    keys = [by, "target", "voice"]
    for k, (key, part) in enumerate(frame.groupby(keys, sort=True)):
        if len(part) < min_count:
            continue
        per_article = part.groupby("article_id")["score"].agg(["sum", "size"]).to_numpy(float)
        rng = np.random.default_rng([seed, k])
        lo, hi = _bootstrap(per_article, [0], [1], 1.0, rng, n_boot, ci)
        rows.append({
            **dict(zip(keys, key, strict=True)),
            "n": len(part),
            "articles": int(part["article_id"].nunique()),
            "mean_score": float(part["score"].mean()),
            "mean_score_lo": lo,
            "mean_score_hi": hi,
            "share_negative": float((part["stance"] == "negative").mean()),
            "share_positive": float((part["stance"] == "positive").mean()),
        })
    return pd.DataFrame(rows, columns=columns)
