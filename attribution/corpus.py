"""Corpus runs that lose nothing: streaming, resumable, one bad document never stops the run.

Each annotated article is appended to a JSONL file and flushed at once; re-running with the
same output skips the ids already written, so a crash loses at most the documents in flight.
Every document read ends exactly once in the output or in the errors file, with its reason:
a duplicate id, a record that cannot be read, or one that fails to annotate. One run owns an
output at a time (a lock beside it); resuming first checks every line of the output and sets
corrupt or repeated lines aside in a named file.
"""

from __future__ import annotations

import contextlib
import json
import os
import re
import sys
import tempfile
import time
from collections.abc import Callable, Iterable, Iterator, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO, Any

from .io import (
    MAX_RECORD_BYTES,
    InputError,
    Record,
    expand_inputs,
    overwritten_input,
    read_records,
)
from .pipeline import Annotator, _as_record, batched

try:  # POSIX; elsewhere a run takes no lock
    import fcntl
except ImportError:  # pragma: no cover
    fcntl = None  # type: ignore[assignment]


class OutputInUse(RuntimeError):
    """Another run is writing to the same output file."""


@dataclass
class Repair:
    """What checking an existing output found: lines kept, and lines set aside (corrupt, cut
    off by a crash, or repeating an id already in the file) with where they went."""

    kept: int = 0
    set_aside: int = 0
    aside: Path | None = None
    reasons: dict[str, int] = field(default_factory=dict)

    def __str__(self) -> str:
        if not self.set_aside:
            return f"{self.kept} lines checked, all sound"
        why = ", ".join(f"{n} {reason}" for reason, n in sorted(self.reasons.items()))
        return f"{self.set_aside} line(s) set aside in {self.aside} ({why}); {self.kept} kept"


@dataclass
class CorpusResult:
    """What a corpus run did: documents annotated now, skipped as already done, and failed.

    ``read == written + skipped + failed``: every document read is in one of the three.
    """

    written: int
    skipped: int
    failed: int
    seconds: float
    out: Path
    errors: Path
    repair: Repair = field(default_factory=Repair)

    @property
    def read(self) -> int:
        return self.written + self.skipped + self.failed

    @property
    def docs_per_second(self) -> float:
        return self.written / self.seconds if self.seconds else 0.0


def errors_path_for(out: Path) -> Path:
    """The errors file beside an output: ``a.jsonl`` -> ``a.errors.jsonl``."""
    return out.with_name(out.name.removesuffix(".jsonl") + ".errors.jsonl")


def aside_path_for(out: Path) -> Path:
    """Where lines of an output that fail the check on resume go: ``a.rejected.jsonl``."""
    return out.with_name(out.name.removesuffix(".jsonl") + ".rejected.jsonl")


def lock_path_for(out: Path) -> Path:
    """The lock file that marks an output as owned by a running corpus run."""
    return out.with_name(out.name + ".lock")


@contextlib.contextmanager
def output_lock(out: Path) -> Iterator[None]:
    """Hold the output for this run; OutputInUse if another run holds it. The lock is the
    operating system's, so it ends with the process, even one killed with -9."""
    if fcntl is None:  # pragma: no cover
        yield
        return
    lock = lock_path_for(out).open("a")
    try:
        try:
            fcntl.flock(lock.fileno(), fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            raise OutputInUse(f"another run is writing to {out}; wait for it to finish, or "
                              "write to another file") from None
        yield
    finally:
        lock.close()


# An output line opens with its article's id: ``Article.to_dict`` puts "id" first.
_ID_AT_START = re.compile(rb'\{"id": ("(?:[^"\\\n]|\\.)*")')


def line_id(raw: bytes) -> tuple[str | None, str | None]:
    """(id, None) for a whole output line, (None, reason) for one to set aside: read from the
    line's opening bytes and its end, without parsing the article it holds."""
    if not raw.endswith(b"\n"):
        return None, "cut off"
    match = _ID_AT_START.match(raw)
    if match is None or not raw.rstrip().endswith(b"]}"):
        return None, "not an annotated article"
    try:
        return json.loads(match.group(1)), None
    except ValueError:
        return None, "not an annotated article"


def repair_output(out: str | Path) -> Repair:
    """Set aside (into ``<out>.rejected.jsonl``) every line of an existing output that is cut
    off (a crash in mid-write), not an annotated article, or repeats an id already above
    it; the output is then rewritten without them (atomically: a crash leaves the old file
    or the new one). Lines are checked as ``line_id`` reads them."""
    out = Path(out)
    repair = Repair(aside=aside_path_for(out))
    if not out.exists():
        return repair
    ids: set[str] = set()
    bad: list[tuple[int, str, bytes]] = []
    with out.open("rb") as handle:
        for lineno, raw in enumerate(handle, 1):
            doc_id, reason = line_id(raw)
            if reason is None and doc_id in ids:
                reason = "repeated id"
            if reason is not None:
                bad.append((lineno, reason, raw))
                repair.reasons[reason] = repair.reasons.get(reason, 0) + 1
            else:
                ids.add(doc_id)  # type: ignore[arg-type]
                repair.kept += 1
    if not bad:
        return repair
    repair.set_aside = len(bad)
    with repair.aside.open("a", encoding="utf-8") as aside:  # type: ignore[union-attr]
        for lineno, reason, raw in bad:
            line = raw.decode("utf-8", "replace").rstrip("\n")
            aside.write(json.dumps({"line": lineno, "reason": reason, "content": line}) + "\n")
    skip = {lineno for lineno, _, _ in bad}
    fd, temp = tempfile.mkstemp(dir=out.parent, prefix=f".{out.name}.", suffix=".tmp")
    try:
        with os.fdopen(fd, "wb") as fresh, out.open("rb") as old:
            for lineno, raw in enumerate(old, 1):
                if lineno not in skip:
                    fresh.write(raw)
            fresh.flush()
            os.fsync(fresh.fileno())
        os.replace(temp, out)
    except BaseException:
        Path(temp).unlink(missing_ok=True)
        raise
    return repair


def done_ids(out: str | Path) -> set[str]:
    """Where a run stopped: the ids of the articles already in an output, read from the
    start of each line (``line_id``), not by parsing the articles. Run ``repair_output``
    first; a line whose id cannot be read is not counted as done."""
    out = Path(out)
    if not out.exists():
        return set()
    with out.open("rb") as handle:
        return {doc_id for doc_id, _ in map(line_id, handle) if doc_id is not None}


def _records(source: Iterable[Any]) -> Iterator[Record | InputError]:
    """Records, each with an id and the place it came from, from an iterable of texts,
    mappings (a record read from a file keeps its ``where``) or InputErrors."""
    for position, item in enumerate(source):
        if isinstance(item, InputError):
            yield item
            continue
        where = f"record {position}"
        if isinstance(item, Mapping) and item.get("where"):
            where = str(item["where"])
        try:
            record = _as_record(item, position)
        except (TypeError, ValueError) as exc:
            yield InputError(where, str(exc))
            continue
        yield {
            "text": record.text,
            "id": record.id if record.id is not None else str(position),
            "outlet": record.outlet,
            "title": record.title,
            "where": where,
        }


class Ledger:
    """Accounting of one run: which ids it met where, and what became of each document."""

    def __init__(self, done: set[str], fail: Callable[[str, str, str | None], None]) -> None:
        self.done = done
        self.fail = fail
        self.met: dict[str, str] = {}
        self.skipped = 0

    def fresh(self, items: Iterable[Record | InputError]) -> Iterator[Record]:
        """The records still to annotate: an InputError or a second record with an id already
        met in this run is a failure, an id already in the output is skipped."""
        for item in items:
            if isinstance(item, InputError):
                self.fail(item.where, item.reason, item.id)
                continue
            doc_id, where = str(item["id"]), str(item.get("where", item["id"]))
            if doc_id in self.met:
                self.fail(where, f"duplicate id {doc_id!r}, first met at {self.met[doc_id]}",
                          doc_id)
                continue
            self.met[doc_id] = where
            if doc_id in self.done:
                self.skipped += 1
            else:
                yield item


def annotate_records(
    records: Iterable[Record], annotator: Annotator, batch_size: int,
    fail: Callable[[str, str, str | None], None],
) -> Iterator[Any]:
    """Annotated articles, in order; a batch that fails is redone one record at a time, so
    one bad document is reported through ``fail`` and the others are kept."""
    for batch in batched(records, batch_size):
        try:
            articles = list(annotator.pipe(batch, batch_size=len(batch)))
        except Exception:  # one bad document: redo the batch one by one
            articles = []
            for record in batch:
                try:
                    articles.extend(annotator.pipe([record], batch_size=1))
                except Exception as exc:  # reported, never fatal
                    fail(str(record.get("where", record["id"])),
                         f"{type(exc).__name__}: {exc}", str(record["id"]))
        yield from articles


def _line(article: Any) -> bytes:
    """One output line; UnicodeEncodeError if anything in it cannot be written."""
    return (json.dumps(article.to_dict(), ensure_ascii=False) + "\n").encode("utf-8")


# (id, the article's output line) or (id, None, where, reason) for one that failed
Outcome = tuple[str, bytes | None, str, str]


def _outcomes(records: Iterable[Record], annotator: Annotator,
              batch_size: int) -> Iterator[Outcome]:
    """Each record's output line, or why it has none, in order."""
    failures: list[Outcome] = []

    def fail(where: str, reason: str, doc_id: str | None) -> None:
        failures.append((str(doc_id), None, where, reason))

    for article in annotate_records(records, annotator, batch_size, fail):
        yield from failures
        failures.clear()
        try:
            yield str(article.id), _line(article), "", ""
        except (UnicodeEncodeError, ValueError) as exc:
            yield str(article.id), None, str(article.id), f"cannot be written: {exc}"
    yield from failures


_WORKER: dict[str, Any] = {}


def _start_worker(options: dict[str, Any], threads: int) -> None:
    """In a worker process: one Annotator, loaded once, on its share of the CPU threads."""
    import torch

    torch.set_num_threads(threads)
    _WORKER["annotator"] = Annotator(**options)
    _WORKER["batch_size"] = options.get("batch_size", 16)


def _work(batch: list[Record]) -> list[Outcome]:
    return list(_outcomes(batch, _WORKER["annotator"], _WORKER["batch_size"]))


def _parallel_outcomes(records: Iterable[Record], workers: int, batch_size: int,
                       options: dict[str, Any]) -> Iterator[Outcome]:
    """``_outcomes`` from ``workers`` processes, each with its own Annotator; in input order,
    with at most two batches per worker in flight, so memory stays bounded."""
    import multiprocessing
    from collections import deque

    threads = max(1, (os.cpu_count() or 1) // workers)
    context = multiprocessing.get_context("spawn")
    with context.Pool(workers, _start_worker, ({**options, "batch_size": batch_size},
                                               threads)) as pool:
        pending: deque[Any] = deque()
        for batch in batched(records, batch_size):
            pending.append(pool.apply_async(_work, (batch,)))
            if len(pending) >= 2 * workers:
                yield from pending.popleft().get()
        while pending:
            yield from pending.popleft().get()


def annotate_corpus(
    records_or_path: str | Path | Iterable[str | Mapping[str, Any] | InputError],
    out: str | Path,
    *,
    errors: str | Path | None = None,
    annotator: Annotator | None = None,
    batch_size: int = 16,
    progress: bool = True,
    on_error: Callable[[str], None] | None = None,
    on_repair: Callable[[Repair], None] | None = None,
    max_record_bytes: int = MAX_RECORD_BYTES,
    overwrite: bool = False,
    workers: int = 1,
    annotator_options: Mapping[str, Any] | None = None,
) -> CorpusResult:
    """Annotate a corpus into ``out`` (JSONL, one article a line), resuming a previous run.

    ``records_or_path`` is a .jsonl/.txt/.html file or folder, or an iterable of texts or
    ``{"id", "text", "outlet"?, "title"?}`` records (a record with no id gets its position).
    Documents whose id is already in ``out`` are skipped; bad ones (unreadable, over
    ``max_record_bytes``, a repeated id, failing to annotate) are written to ``errors``
    (default ``<out>.errors.jsonl``, rewritten by each run that meets one) with their reason,
    and the run goes on; ``on_error``, if given, is also called with a one-line description
    of each. The existing output is checked first (see ``repair_output``); ``on_repair`` is
    told what was set aside. ``overwrite`` starts afresh: the output and errors files are
    emptied first. OutputInUse if another run is writing to ``out``.

    ``workers`` > 1 annotates in that many processes, each loading its own Annotator from
    ``annotator_options`` (the Annotator's keyword arguments) on its share of the CPU
    threads; the output is the same, in the same order, and resumes the same way. The
    workers are spawned, so a script that calls this must do so under
    ``if __name__ == "__main__":``, as with any multiprocessing.
    """
    if batch_size < 1:
        raise ValueError(f"batch_size must be at least 1, not {batch_size}")
    from tqdm import tqdm

    out = Path(out)
    errors_path = Path(errors) if errors is not None else errors_path_for(out)
    if isinstance(records_or_path, (str, Path)):
        inputs = expand_inputs([str(records_or_path)],
                               exclude=[out, errors_path, aside_path_for(out)])
        clash = overwritten_input(inputs, [out, errors_path])
        if clash is not None:
            raise ValueError(f"the output {clash[1]} is also the input; write somewhere else")
        source: Iterable[Any] = read_records(inputs, max_record_bytes=max_record_bytes)
    elif isinstance(records_or_path, (Mapping, bytes)):
        raise TypeError("annotate_corpus() takes a path or an iterable of texts or records")
    else:
        source = records_or_path
    out.parent.mkdir(parents=True, exist_ok=True)
    with output_lock(out):
        if overwrite:
            out.unlink(missing_ok=True)
            errors_path.unlink(missing_ok=True)
        repair = repair_output(out)  # a cut-off last line, a damaged or repeated one
        if repair.set_aside and on_repair is not None:
            on_repair(repair)
        seen = done_ids(out)  # where the last run stopped
        if workers < 1:
            raise ValueError(f"workers must be at least 1, not {workers}")
        if workers > 1 and annotator is not None:
            raise ValueError("with workers, pass annotator_options (each worker builds its "
                             "own Annotator), not an annotator")
        if workers == 1:
            annotator = annotator or Annotator(**dict(annotator_options or {}))
        written = failed = 0
        start = time.perf_counter()
        error_sink: IO[str] | None = None

        def fail(where: str, reason: str, doc_id: str | None = None) -> None:
            nonlocal error_sink, failed
            if error_sink is None:  # failures are retried on resume: list this run's only
                error_sink = errors_path.open("w", encoding="utf-8")
            error_sink.write(json.dumps({"id": doc_id, "where": where, "reason": reason}) + "\n")
            error_sink.flush()
            failed += 1
            if on_error is not None:
                on_error(f"{where}: {reason}")

        ledger = Ledger(seen, fail)
        with out.open("ab") as sink, tqdm(
            desc="annotating", unit="doc", disable=not progress, file=sys.stderr
        ) as bar:
            try:
                records = ledger.fresh(_records(source))
                outcomes = (_outcomes(records, annotator, batch_size) if annotator is not None
                            else _parallel_outcomes(records, workers, batch_size,
                                                    dict(annotator_options or {})))
                for doc_id, line, where, reason in outcomes:
                    if line is None:
                        fail(where, reason, doc_id)
                        continue
                    sink.write(line)
                    sink.flush()
                    written += 1
                    bar.update(1)
                    bar.set_postfix(skipped=ledger.skipped, failed=failed, refresh=False)
            finally:
                if error_sink is not None:
                    error_sink.close()
    return CorpusResult(written, ledger.skipped, failed, time.perf_counter() - start, out,
                        errors_path, repair)


def load_annotations(path: str | Path, *, strict: bool = False) -> Any:
    """One pandas row per sentence of annotated articles: a JSONL file written by
    annotate_corpus, or a Parquet folder (or file) written by ``attribution.dask``.

    Columns (``tables.COLUMNS``, with fixed types): article_id, outlet, title, sentence,
    kind, label, confidence, quote_form, source, source_resolved, speaker, source_named, cue,
    words, stance (a list of dicts per sentence), text. An article id met before is skipped,
    as is a JSONL line that is not an annotated article; each is listed in
    ``df.attrs["skipped"]`` as (line number or partition file, reason). With ``strict`` it
    raises ValueError naming the line or file instead.
    """
    from .document import Article
    from .tables import PARQUET_SUFFIX, load_parquet, sentence_table

    path = Path(path)
    if not path.exists():
        raise FileNotFoundError(f"no such annotations file or folder: {path}")
    if path.is_dir() or path.suffix == PARQUET_SUFFIX:
        return load_parquet(path, strict=strict)
    articles = []
    skipped: list[tuple[int, str]] = []
    ids: set[str] = set()
    with path.open("rb") as handle:
        for lineno, raw in enumerate(handle, 1):
            if not raw.strip():
                continue
            try:
                article = Article.from_dict(json.loads(raw))
                if str(article.id) in ids:
                    raise ValueError(f"repeats article id {article.id!r}")
            except (ValueError, RecursionError) as exc:
                reason = f"not an annotated article ({exc})"
                if strict:
                    raise ValueError(f"{path}:{lineno}: {reason}") from None
                skipped.append((lineno, reason))
                continue
            ids.add(str(article.id))
            articles.append(article)
    df = sentence_table(articles)
    df.attrs["skipped"] = skipped
    return df
