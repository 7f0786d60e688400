"""Splitting a corpus into partitions that can be annotated apart: a run of lines of a JSONL
file, a row group of a Parquet file, or a group of .txt/.html files.

A partition is named from its file and position, so a rerun over the same inputs finds the
same names and skips the finished ones. Its records are read exactly as a single-process run
reads them: the same ids, the same ``where``, the same error records.
"""

from __future__ import annotations

import glob
import hashlib
import os
import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from typing import Any

from .io import (
    JSONL_SUFFIXES,
    InputError,
    InputFile,
    Record,
    expand_inputs,
    jsonl_records,
    mapping_record,
    read_records,
)

PARQUET_INPUT_SUFFIXES = (".parquet",)
# Records per partition: enough to keep a worker busy for a while, few enough that a
# worker lost in mid-partition costs little.
RECORDS_PER_PARTITION = 500


@dataclass(frozen=True)
class Partition:
    """Part of the input: ``kind`` "jsonl" (bytes ``start`` to ``stop`` of ``path``, whose
    first line is line ``first``), "parquet" (row group ``start`` of ``path``, whose first row
    is row ``first``) or "files" (the whole files in ``files``)."""

    key: str
    kind: str
    path: str = ""
    name: str = ""
    start: int = 0
    stop: int = 0
    first: int = 1
    files: tuple[InputFile, ...] = field(default=())

    def records(self, max_record_bytes: int) -> Iterator[Record | InputError]:
        """The partition's records, or an InputError for each that cannot be read."""
        if self.kind == "files":
            yield from read_records(self.files, max_record_bytes=max_record_bytes)
        elif self.kind == "jsonl":
            with open(self.path, "rb") as handle:
                yield from jsonl_records(_lines(handle, self.start, self.stop), self.path,
                                         self.name, max_record_bytes, self.first)
        else:
            yield from _parquet_records(self)


def _lines(handle: Any, start: int, stop: int) -> Iterator[bytes]:
    handle.seek(start)
    position = start
    while position < stop:
        raw = handle.readline()
        if not raw:
            return
        position += len(raw)
        yield raw


def _parquet_records(part: Partition) -> Iterator[Record | InputError]:
    import pyarrow.parquet as pq

    wanted = ["id", "text", "outlet", "title"]
    table = pq.ParquetFile(part.path)
    columns = [c for c in wanted if c in table.schema_arrow.names]
    rows = table.read_row_group(part.start, columns=columns).to_pylist()
    for number, row in enumerate(rows, part.first):
        item = {k: v for k, v in row.items() if v is not None}
        yield mapping_record(item, f"{part.path}:row {number}", f"{part.name}:{number}")


def _slug(name: str) -> str:
    stem = re.sub(r"[^A-Za-z0-9_.-]+", "_", name).strip("._") or "input"
    return stem[-60:]


def _digest(text: str) -> str:
    return hashlib.sha1(text.encode("utf-8")).hexdigest()[:10]


def _jsonl_partitions(item: InputFile, size: int) -> Iterator[Partition]:
    """Partitions of ``size`` lines each, found by one pass over the file's bytes."""
    base = f"{_slug(item.name)}-{_digest(item.path)}"
    start, first, count, position, index = 0, 1, 0, 0, 0
    with open(item.path, "rb", buffering=1 << 20) as handle:
        for raw in handle:
            position += len(raw)
            count += 1
            if count == size:
                yield Partition(f"{base}-{index:05d}", "jsonl", item.path, item.name, start,
                                position, first)
                start, first, count, index = position, first + size, 0, index + 1
    if count:
        yield Partition(f"{base}-{index:05d}", "jsonl", item.path, item.name, start,
                        position, first)


def _parquet_partitions(item: InputFile) -> Iterator[Partition]:
    import pyarrow.parquet as pq

    meta = pq.ParquetFile(item.path).metadata
    base = f"{_slug(item.name)}-{_digest(item.path)}"
    first = 1
    for group in range(meta.num_row_groups):
        yield Partition(f"{base}-{group:05d}", "parquet", item.path, item.name, group,
                        group + 1, first)
        first += meta.row_group(group).num_rows


def expand(paths: Iterable[str]) -> list[InputFile | InputError]:
    """Input files from paths, folders and glob patterns ('corpus/*.jsonl'), each once;
    Parquet files are inputs here too. A pattern that matches nothing is an InputError."""
    found: list[InputFile | InputError] = []
    for raw in paths:
        if not os.path.exists(raw) and glob.has_magic(raw):
            matches = sorted(glob.glob(raw, recursive=True))
            if not matches:
                found.append(InputError(raw, "no file matches this pattern"))
            names = matches
        else:
            names = [raw]
        for name in names:
            if name.lower().endswith(PARQUET_INPUT_SUFFIXES) and os.path.isfile(name):
                found.append(InputFile(name, name))
            else:
                found.extend(expand_inputs([name]))
    unique: dict[str, InputFile | InputError] = {}
    for item in found:
        unique.setdefault(item.path if isinstance(item, InputFile) else f"!{item}", item)
    return list(unique.values())


def plan(items: Iterable[InputFile],
         size: int = RECORDS_PER_PARTITION) -> tuple[list[Partition], list[InputError]]:
    """The partitions of input files, ``size`` records each (a Parquet file: one per row
    group; .txt/.html files: ``size`` files a partition), in input order, and an InputError
    for each JSONL or Parquet file that cannot be read."""
    if size < 1:
        raise ValueError(f"records per partition must be at least 1, not {size}")
    partitions: list[Partition] = []
    errors: list[InputError] = []
    loose: list[InputFile] = []
    for item in items:
        lower = item.path.lower()
        try:
            if lower.endswith(JSONL_SUFFIXES):
                partitions.extend(_jsonl_partitions(item, size))
            elif lower.endswith(PARQUET_INPUT_SUFFIXES):
                partitions.extend(_parquet_partitions(item))
            else:
                loose.append(item)
        except OSError as exc:
            errors.append(InputError(item.path, exc.strerror or str(exc), item.name))
        except Exception as exc:  # pyarrow's errors for a file that is not Parquet
            errors.append(InputError(item.path, f"cannot be read ({exc})", item.name))
    for index in range(0, len(loose), size):
        group = tuple(loose[index:index + size])
        digest = _digest("\n".join(f.path for f in group))
        partitions.append(Partition(f"files-{index // size:05d}-{digest}", "files",
                                    files=group))
    return partitions, errors


def fingerprint(items: Iterable[InputFile]) -> dict[str, int]:
    """Each input file's size: a rerun over changed inputs would name partitions that no
    longer hold what they held."""
    return {item.path: os.stat(item.path).st_size for item in items}
