"""Corpus runs that lose nothing: streaming, resumable, one bad document never stops the run.

Each annotated article is appended to a JSONL file and flushed at once; re-running with the
same output skips the ids already written, so a crash loses at most the documents in flight.
Documents that cannot be read or annotated go to an errors file with their reason.
"""

from __future__ import annotations

import json
import sys
import time
from collections.abc import Callable, Iterable, Iterator, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from .io import InputError, expand_paths, read_records
from .pipeline import Annotator, _as_record, batched


@dataclass
class CorpusResult:
    """What a corpus run did: documents annotated now, skipped as already done, and failed."""

    written: int
    skipped: int
    failed: int
    seconds: float
    out: Path
    errors: Path

    @property
    def docs_per_second(self) -> float:
        return self.written / self.seconds if self.seconds else 0.0


def errors_path_for(out: Path) -> Path:
    """The errors file beside an output: ``a.jsonl`` -> ``a.errors.jsonl``."""
    return out.with_name(out.name.removesuffix(".jsonl") + ".errors.jsonl")


def done_ids(out: Path) -> set[str]:
    """Ids already in an output file. A last line cut short by a crash is removed first."""
    if not out.exists():
        return set()
    data = out.read_bytes()
    if data and not data.endswith(b"\n"):
        keep = data.rfind(b"\n") + 1
        with out.open("r+b") as handle:
            handle.truncate(keep)
        data = data[:keep]
    ids = set()
    for line in data.splitlines():
        try:
            ids.add(str(json.loads(line)["id"]))
        except (ValueError, KeyError, TypeError):
            continue
    return ids


def _records(source: Any) -> Iterator[dict[str, Any] | InputError]:
    """Records, each with an id, from a path or an iterable of texts, mappings or InputErrors."""
    if isinstance(source, (str, Path)):
        yield from read_records(expand_paths([str(source)]))
        return
    if isinstance(source, (Mapping, bytes)):
        raise TypeError("annotate_corpus() takes a path or an iterable of texts or records")
    for position, item in enumerate(source):
        if isinstance(item, InputError):
            yield item
            continue
        try:
            record = _as_record(item, position)
        except TypeError as exc:
            yield InputError(f"record {position}", str(exc))
            continue
        yield {
            "text": record.text,
            "id": record.id if record.id is not None else str(position),
            "outlet": record.outlet,
            "title": record.title,
        }


def annotate_corpus(
    records_or_path: str | Path | Iterable[str | Mapping[str, Any]],
    out: str | Path,
    *,
    errors: str | Path | None = None,
    annotator: Annotator | None = None,
    batch_size: int = 16,
    progress: bool = True,
    on_error: Callable[[str], None] | None = None,
) -> CorpusResult:
    """Annotate a corpus into ``out`` (JSONL, one article a line), resuming a previous run.

    ``records_or_path`` is a .jsonl/.txt/.html file or folder, or an iterable of texts or
    ``{"id", "text", "outlet"?, "title"?}`` records (a record with no id gets its position).
    Documents whose id is already in ``out`` are skipped; bad ones are written to ``errors``
    (default ``<out>.errors.jsonl``, rewritten by each run that meets one) with their reason,
    and the run goes on; ``on_error``, if
    given, is also called with a one-line description of each.
    """
    if batch_size < 1:
        raise ValueError(f"batch_size must be at least 1, not {batch_size}")
    from tqdm import tqdm

    out = Path(out)
    errors_path = Path(errors) if errors is not None else errors_path_for(out)
    out.parent.mkdir(parents=True, exist_ok=True)
    seen = done_ids(out)
    annotator = annotator or Annotator()
    written = skipped = failed = 0
    start = time.perf_counter()

    with out.open("a", encoding="utf-8") as sink, tqdm(
        desc="annotating", unit="doc", disable=not progress, file=sys.stderr
    ) as bar:
        error_sink = None

        def fail(where: str, reason: str, doc_id: str | None = None) -> None:
            nonlocal error_sink, failed
            if error_sink is None:  # failures are retried on resume: list this run's only
                error_sink = errors_path.open("w", encoding="utf-8")
            error_sink.write(json.dumps({"id": doc_id, "where": where, "reason": reason}) + "\n")
            error_sink.flush()
            failed += 1
            if on_error is not None:
                on_error(f"{where}: {reason}")

        def emit(article: Any) -> None:
            nonlocal written
            sink.write(json.dumps(article.to_dict(), ensure_ascii=False) + "\n")
            sink.flush()
            seen.add(str(article.id))
            written += 1
            bar.update(1)

        def fresh(items: Iterable[dict[str, Any] | InputError]) -> Iterator[dict[str, Any]]:
            nonlocal skipped
            for item in items:
                if isinstance(item, InputError):
                    fail(item.where, item.reason)
                elif str(item["id"]) in seen:
                    skipped += 1
                else:
                    seen.add(str(item["id"]))  # a repeated id later in the input is skipped too
                    yield item

        try:
            for batch in batched(fresh(_records(records_or_path)), batch_size):
                try:
                    articles = list(annotator.pipe(batch, batch_size=len(batch)))
                except Exception:  # one bad document: redo the batch one by one
                    articles = []
                    for record in batch:
                        try:
                            articles.extend(annotator.pipe([record], batch_size=1))
                        except Exception as exc:  # reported in the errors file, never fatal
                            fail(str(record["id"]), f"{type(exc).__name__}: {exc}", record["id"])
                for article in articles:
                    emit(article)
                    bar.set_postfix(skipped=skipped, failed=failed, refresh=False)
        finally:
            if error_sink is not None:
                error_sink.close()
    return CorpusResult(written, skipped, failed, time.perf_counter() - start, out, errors_path)


def load_annotations(path: str | Path) -> Any:
    """One pandas row per sentence of an annotations JSONL file (as written by annotate_corpus).

    Columns: article_id, outlet, title, sentence, kind, label, confidence, quote_form, source,
    source_resolved, speaker, source_named, cue, words, stance (a list of dicts per sentence).
    """
    import pandas as pd

    from .document import Article

    path = Path(path)
    if not path.exists():
        raise FileNotFoundError(f"no such annotations file: {path}")
    frames = []
    with path.open(encoding="utf-8") as handle:
        for lineno, line in enumerate(handle, 1):
            if not line.strip():
                continue
            try:
                article = Article.from_dict(json.loads(line))
            except ValueError as exc:
                raise ValueError(f"{path}:{lineno}: not an annotated article ({exc})") from None
            frame = article.to_frame()
            frame["title"] = article.title
            frames.append(frame)
    columns = [
        "article_id", "outlet", "title", "sentence", "kind", "label", "confidence",
        "quote_form", "source", "source_resolved", "speaker", "source_named", "cue", "words",
        "stance", "text",
    ]  # fmt: skip
    if not frames:
        return pd.DataFrame(columns=columns)
    df = pd.concat(frames, ignore_index=True)
    df["words"] = df["text"].str.split().str.len().astype(int)
    df["article_id"] = df["article_id"].astype(str)
    return df[columns]
