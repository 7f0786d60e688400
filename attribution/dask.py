"""A corpus run on a Dask cluster: the input is cut into partitions, each worker loads one
Annotator once and annotates whole partitions, and each finished partition is written as one
Parquet file (the columns of ``load_annotations``) under the output folder.

A rerun skips the partitions whose file exists; a worker that dies loses only the partition
it was annotating, which Dask gives to another worker. Documents that cannot be read or
annotated are listed, with their reason, in ``_errors/<partition>.jsonl`` beside the
partitions, and the run goes on. Needs the 'dask' extra: ``pip install 'attribution[dask]'``.
"""

from __future__ import annotations

import contextlib
import json
import sys
import time
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from .corpus import Ledger, annotate_records
from .extras import needs
from .io import MAX_RECORD_BYTES, InputError, InputFile, written_atomically
from .partition import RECORDS_PER_PARTITION, Partition, expand, fingerprint, plan
from .tables import (
    PARQUET_SUFFIX,
    RUN_MARKER,
    parquet_files,
    partitions,
    read_parquet,
    sentence_table,
    write_parquet,
)

ERRORS = "_errors"  # the folder of error lists: one per partition, plus the run's own
MARKER_FORMAT = 1


@dataclass
class ClusterResult:
    """What a run did: partitions planned, already done and written now; documents
    annotated and failed now; partitions lost (failed as a whole, to rerun) with why."""

    partitions: int
    done_before: int
    written: int
    annotated: int
    failed: int
    seconds: float
    out: Path
    lost: list[tuple[str, str]] = field(default_factory=list)

    @property
    def docs_per_second(self) -> float:
        return self.annotated / self.seconds if self.seconds > 0 else 0.0

    @property
    def complete(self) -> bool:
        """Every partition is written and no document failed."""
        return not self.lost and not self.failed


_ANNOTATOR: dict[str, Any] = {}


def _annotator(options: str) -> Any:
    """This worker's Annotator, loaded on first use and kept for every later partition; torch
    gets the worker's threads, so workers on one machine do not compete for cores."""
    if options not in _ANNOTATOR:
        import torch
        from distributed import get_worker

        from .pipeline import Annotator

        with contextlib.suppress(ValueError, AttributeError):
            worker = get_worker()
            torch.set_num_threads(max(1, int(getattr(worker.state, "nthreads", 1))))
        _ANNOTATOR.clear()
        _ANNOTATOR[options] = Annotator(**json.loads(options))
    return _ANNOTATOR[options]


def _write_lines(path: Path, rows: Iterable[Mapping[str, Any]]) -> None:
    """JSONL written atomically (a temporary file renamed into place)."""
    path.parent.mkdir(parents=True, exist_ok=True)
    with written_atomically(path) as temporary, temporary.open("w", encoding="utf-8") as sink:
        for row in rows:
            sink.write(json.dumps(row, ensure_ascii=False) + "\n")


def annotate_partition(part: Partition, job: Mapping[str, Any]) -> dict[str, Any]:
    """On a worker: annotate one partition into ``<out_dir>/<key>.parquet`` (its failures
    first into ``_errors/<key>.jsonl``); nothing is done if the file is there already.
    ``job``: out_dir, options (the Annotator's, as JSON), batch_size, max_record_bytes."""
    out = Path(job["out_dir"])
    target = out / f"{part.key}{PARQUET_SUFFIX}"
    errors = out / ERRORS / f"{part.key}.jsonl"
    if target.exists():  # written by an attempt whose worker died before it could report
        listed = errors.read_text(encoding="utf-8").splitlines() if errors.exists() else []
        written = read_parquet(target, ["article_id"])["article_id"].nunique()
        return {"key": part.key, "annotated": written, "failed": len(listed), "written": True,
                "failures": [json.loads(line) for line in listed]}
    failures: list[dict[str, Any]] = []

    def fail(where: str, reason: str, doc_id: str | None = None) -> None:
        failures.append({"id": doc_id, "where": where, "reason": reason})

    ledger = Ledger(set(), fail)
    records = ledger.fresh(part.records(job["max_record_bytes"]))
    articles = list(annotate_records(records, _annotator(job["options"]), job["batch_size"],
                                     fail))
    if failures:
        _write_lines(errors, failures)
    else:
        errors.unlink(missing_ok=True)
    write_parquet(sentence_table(articles), target)
    return {"key": part.key, "annotated": len(articles), "failed": len(failures),
            "written": True, "failures": failures}


def _check_marker(out: Path, size: int, sizes: dict[str, int]) -> None:
    """Refuse a rerun whose partitions would not be those already written: another partition
    size, or an input whose size changed; then record this run's settings and inputs."""
    marker = out / RUN_MARKER
    known: dict[str, int] = {}
    if marker.exists():
        try:
            data = json.loads(marker.read_text(encoding="utf-8"))
            before, known = int(data["records_per_partition"]), dict(data["inputs"])
        except (ValueError, KeyError, TypeError) as exc:
            raise ValueError(f"{marker} is damaged ({exc}); use a new output folder") from None
        if before != size:
            raise ValueError(f"{out} was written with {before} records per partition, not "
                             f"{size}; pass the same, or use a new output folder")
        for path, now in sizes.items():
            if path in known and known[path] != now:
                raise ValueError(f"{path} changed since {out} was written ({known[path]:,} "
                                 f"bytes, now {now:,}); use a new output folder")
    elif parquet_files(out):
        raise ValueError(f"{out} already holds Parquet files not written by a run; use a new "
                         "or empty output folder")
    marker.write_text(json.dumps({"format": MARKER_FORMAT, "records_per_partition": size,
                                  "inputs": {**known, **sizes}}, indent=1), encoding="utf-8")


@contextlib.contextmanager
def _connected(client: Any, workers: int) -> Iterator[Any]:
    """The client given, one for a scheduler address, or a local cluster of ``workers``
    processes of one thread each (closed afterwards)."""
    from distributed import Client, LocalCluster

    if client is not None and not isinstance(client, str):
        yield client
        return
    if isinstance(client, str):
        with Client(client) as connected:
            yield connected
        return
    with LocalCluster(n_workers=workers, threads_per_worker=1, processes=True,
                      dashboard_address=None) as cluster, Client(cluster) as local:
        yield local


def _repeated_ids(out: Path) -> list[dict[str, Any]]:
    """Article ids written in more than one partition (load_annotations keeps the first)."""
    repeated = {i: first for _, _, skipped in partitions(out, ["article_id"])
                for i, first in skipped.items()}
    return [{"id": i, "where": RUN_MARKER, "reason": f"duplicate id {i!r}, first written in "
             f"{first}; kept there only"} for i, first in repeated.items()]


def annotate_files(
    paths: str | Path | Iterable[str | Path],
    out_dir: str | Path,
    client: Any = None,
    *,
    workers: int = 2,
    records_per_partition: int = RECORDS_PER_PARTITION,
    annotator_options: Mapping[str, Any] | None = None,
    batch_size: int = 16,
    max_record_bytes: int = MAX_RECORD_BYTES,
    progress: bool = True,
    on_error: Any = None,
) -> ClusterResult:
    """Annotate JSONL, Parquet (columns id, text, outlet, title) or .txt/.html files into a
    folder of Parquet partitions, resuming a previous run into the same folder.

    ``paths``: files, folders or glob patterns. ``client``: a ``distributed.Client``, a
    scheduler address ("tcp://host:8786"), or None for a local cluster of ``workers``
    processes of one thread each. Every worker builds one Annotator from
    ``annotator_options`` (its keyword arguments). ``on_error`` is called with a one-line
    description of each document or partition that failed. A script that starts a local
    cluster must call this under ``if __name__ == "__main__":`` (workers are spawned).
    """
    needs("dask", "a corpus run on Dask")
    from distributed import as_completed
    from tqdm import tqdm

    if workers < 1:
        raise ValueError(f"workers must be at least 1, not {workers}")
    if batch_size < 1:
        raise ValueError(f"batch_size must be at least 1, not {batch_size}")
    if records_per_partition < 1:
        raise ValueError(f"records_per_partition must be at least 1, not "
                         f"{records_per_partition}")
    options = json.dumps({"batch_size": batch_size, **dict(annotator_options or {})},
                         sort_keys=True)
    raw = [str(paths)] if isinstance(paths, (str, Path)) else [str(p) for p in paths]
    out = Path(out_dir)
    if out.exists() and not out.is_dir():
        raise ValueError(f"the output {out} is a file; name a folder")
    out.mkdir(parents=True, exist_ok=True)
    items = [i for i in expand(raw)
             if not (isinstance(i, InputFile) and Path(i.path).resolve().is_relative_to(
                 out.resolve()))]
    inputs = [i for i in items if isinstance(i, InputFile)]
    _check_marker(out, records_per_partition, fingerprint(inputs))
    planned, unreadable = plan(inputs, records_per_partition)
    input_errors = [i for i in items if isinstance(i, InputError)] + unreadable
    todo = [p for p in planned if not (out / f"{p.key}{PARQUET_SUFFIX}").exists()]

    def report(line: str) -> None:
        if on_error is not None:
            on_error(line)

    run_errors = [{"id": e.id, "where": e.where, "reason": e.reason} for e in input_errors]
    for error in input_errors:
        report(str(error))
    start = time.perf_counter()
    annotated = failed = written = 0
    lost: list[tuple[str, str]] = []
    with _connected(client, workers) as connected, tqdm(
            total=len(todo), desc="partitions", unit="part", disable=not progress,
            file=sys.stderr) as bar:
        job = {"out_dir": str(out), "options": options, "batch_size": batch_size,
               "max_record_bytes": max_record_bytes}
        futures = connected.map(annotate_partition, todo, job=job, pure=False)
        key_of = {future.key: part.key for future, part in zip(futures, todo, strict=True)}
        for future in as_completed(futures):
            try:
                result = future.result()
            except Exception as exc:  # the partition is lost this time, not the run
                reason = f"{type(exc).__name__}: {exc}"
                lost.append((key_of[future.key], reason))
                report(f"partition {key_of[future.key]} failed ({reason}); rerun to retry")
            else:
                annotated += result["annotated"]
                failed += result["failed"]
                written += result["written"]
                for failure in result.get("failures", []):
                    report(f"{failure['where']}: {failure['reason']}")
            finally:
                future.release()
            bar.update(1)
    repeated = _repeated_ids(out)
    for row in repeated:
        report(f"{row['id']}: {row['reason']}")
    run_errors.extend(repeated)
    run_file = out / ERRORS / "_run.jsonl"
    if run_errors:
        _write_lines(run_file, run_errors)
    else:
        run_file.unlink(missing_ok=True)
    return ClusterResult(len(planned), len(planned) - len(todo), written, annotated,
                         failed + len(run_errors), time.perf_counter() - start, out, lost)
