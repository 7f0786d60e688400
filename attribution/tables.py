"""The sentence table of annotated articles: one row per sentence, the same columns and types
whether it is built from articles, read from JSONL or read from Parquet.

Parquet partitions (written by ``attribution.dask``) hold exactly these columns; the stance
list is stored as JSON text, so every partition has one fixed schema whatever it holds.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import Any

from .document import Article
from .extras import needs
from .io import written_atomically

COLUMNS = [
    "article_id", "outlet", "title", "sentence", "kind", "label", "confidence", "quote_form",
    "source", "source_resolved", "speaker", "source_named", "cue", "words", "stance", "text",
]  # fmt: skip
TEXT_COLUMNS = [
    "article_id", "outlet", "title", "kind", "label", "quote_form", "source",
    "source_resolved", "speaker", "cue", "text",
]  # fmt: skip
INT_COLUMNS = ["sentence", "words"]
PARQUET_SUFFIX = ".parquet"
RUN_MARKER = "_attribution.json"  # beside the partitions a run writes: its settings, inputs


def sentence_table(articles: Iterable[Article]) -> Any:
    """One pandas row per sentence of ``articles``, in order, with the columns ``COLUMNS``."""
    import pandas as pd

    frames = []
    for article in articles:
        frame = article.to_frame()
        frame["title"] = article.title
        frames.append(frame)
    if not frames:
        return normalise(pd.DataFrame(columns=COLUMNS))
    df = pd.concat(frames, ignore_index=True)
    df["words"] = df["text"].str.split().str.len()
    return normalise(df[COLUMNS])


def normalise(df: Any) -> Any:
    """The table with fixed types: text as objects with None for missing, counts as int64,
    confidence as float64, ``source_named`` as True/False/None, ``stance`` as lists. pandas
    infers types from what a frame holds; fixing them makes any two tables comparable. A
    frame with only some of ``COLUMNS`` keeps just those, in ``COLUMNS`` order."""
    import pandas as pd

    present = [c for c in COLUMNS if c in df.columns]
    df = pd.DataFrame(df, columns=present).reset_index(drop=True)
    for column in present:
        values = df[column].astype(object)
        if column in INT_COLUMNS:
            df[column] = values.astype("int64")
        elif column == "confidence":
            df[column] = values.astype("float64")
        elif column == "stance":
            df[column] = values
        else:
            values = values.where(values.notna(), None)
            if column == "source_named":
                values = values.map(lambda v: None if v is None else bool(v))
            elif column == "article_id":
                values = values.map(str)
            df[column] = values.astype(object)
    return df


def _schema() -> Any:
    import pyarrow as pa

    types = {c: pa.string() for c in TEXT_COLUMNS}
    types.update({"sentence": pa.int64(), "words": pa.int64(), "confidence": pa.float64(),
                  "source_named": pa.bool_(), "stance": pa.string()})
    return pa.schema([(c, types[c]) for c in COLUMNS])


def write_parquet(df: Any, path: str | Path) -> None:
    """Write a sentence table to ``path`` atomically (a temporary file renamed into place), so
    a partition file is either whole or absent."""
    needs("dask", "Parquet output")
    import pyarrow as pa
    import pyarrow.parquet as pq

    path = Path(path)
    data = {c: df[c].tolist() for c in COLUMNS}
    data["stance"] = [json.dumps(v, ensure_ascii=False) for v in data["stance"]]
    table = pa.Table.from_pydict(data, schema=_schema())
    with written_atomically(path) as temporary:
        pq.write_table(table, temporary)


def parquet_files(path: str | Path) -> list[Path]:
    """The Parquet partitions of a folder, in name order (hidden and ``_`` names skipped), or
    the one file given."""
    path = Path(path)
    if not path.is_dir():
        return [path]
    return sorted(p for p in path.iterdir()
                  if p.suffix == PARQUET_SUFFIX and not p.name.startswith((".", "_"))
                  and p.is_file())


def read_parquet(path: str | Path, columns: list[str] | None = None) -> Any:
    """One partition as a sentence table (``columns`` to read only some of them); ValueError
    naming the file if it is not a partition of annotations."""
    needs("dask", "reading Parquet annotations")
    import pyarrow.parquet as pq

    wanted = list(COLUMNS) if columns is None else [c for c in COLUMNS if c in columns]
    try:
        table = pq.read_table(path, columns=wanted)
    except Exception as exc:  # a damaged file or another schema: one clear error
        raise ValueError(f"{path} is not a Parquet file of annotations ({exc})") from None
    df = table.to_pandas()
    if "stance" in df:
        df["stance"] = [json.loads(v) if v is not None else [] for v in df["stance"]]
    return normalise(df)


def partitions(path: str | Path, columns: list[str] | None = None,
               *, strict: bool = False) -> Iterator[tuple[Path, Any, dict[str, str]]]:
    """Each partition of a Parquet folder (or the one file) as (file, table, skipped): an
    article id met in an earlier partition is dropped, and ``skipped`` maps it to the file
    it was first written in; with ``strict`` it raises ValueError instead. Memory holds one
    partition and the ids."""
    first: dict[str, str] = {}
    wanted = None if columns is None else sorted(set(columns) | {"article_id"})
    for file in parquet_files(path):
        df = read_parquet(file, wanted)
        ids = df["article_id"]
        repeated = {i: first[i] for i in sorted(set(ids[ids.isin(first)]))}
        if repeated and strict:
            raise ValueError(f"{file}: repeats article id {next(iter(repeated))!r}")
        if repeated:
            df = df[~ids.isin(repeated)].reset_index(drop=True)
        first.update(dict.fromkeys(df["article_id"], file.name))
        yield file, df, repeated


def load_parquet(path: str | Path, *, strict: bool = False) -> Any:
    """The sentence table of a Parquet folder or file, all partitions in name order; a
    repeated article id is kept once and listed in ``df.attrs["skipped"]``."""
    import pandas as pd

    path = Path(path)
    if path.is_dir() and not parquet_files(path) and not (path / RUN_MARKER).exists():
        raise ValueError(f"{path} is a folder with no Parquet annotations in it")
    frames = []
    skipped: list[tuple[str, str]] = []
    for file, df, repeated in partitions(path, strict=strict):
        frames.append(df)
        skipped.extend((file.name, f"repeats article id {i!r}") for i in repeated)
    df = normalise(pd.concat(frames, ignore_index=True)) if frames else sentence_table([])
    df.attrs["skipped"] = skipped
    return df
