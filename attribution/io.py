"""Reading articles from files (.txt, .html, .jsonl, stdin) and writing annotations.

Readers yield either a record to annotate or an ``InputError`` naming what was wrong with one
document, so a corpus run reports a bad document and goes on with the rest.
"""

from __future__ import annotations

import csv
import json
import sys
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import IO, Any

from .document import Article

TEXT_SUFFIXES = (".txt",)
HTML_SUFFIXES = (".html", ".htm")
JSONL_SUFFIXES = (".jsonl",)
SUFFIXES = TEXT_SUFFIXES + HTML_SUFFIXES + JSONL_SUFFIXES


@dataclass(frozen=True)
class InputError:
    """One document that could not be read: where it is and why, in one line."""

    where: str
    reason: str

    def __str__(self) -> str:
        return f"{self.where}: {self.reason}"


Record = dict[str, Any]


def expand_paths(paths: Iterable[str]) -> list[str]:
    """Files to read: each path as given, a folder's readable files in name order, '-' for stdin.

    Raises FileNotFoundError naming the first path that does not exist.
    """
    out: list[str] = []
    for raw in paths:
        if raw == "-":
            out.append(raw)
            continue
        path = Path(raw)
        if path.is_dir():
            out.extend(str(p) for p in sorted(path.iterdir()) if p.suffix.lower() in SUFFIXES)
        elif path.exists():
            out.append(raw)
        else:
            raise FileNotFoundError(f"no such file or folder: {raw}")
    return out


def _decode(data: bytes, where: str) -> str | InputError:
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        return InputError(where, f"not valid UTF-8 text (byte {exc.start})")


def html_to_text(html: str) -> str | None:
    """The main text of an HTML page (trafilatura), or None if it finds none."""
    import trafilatura

    return trafilatura.extract(html, include_comments=False, include_tables=False)


def _jsonl_records(data: str, where: str) -> Iterator[Record | InputError]:
    stem = Path(where).stem
    for lineno, line in enumerate(data.splitlines(), 1):
        if not line.strip():
            continue
        here = f"{where}:{lineno}"
        try:
            item = json.loads(line)
        except json.JSONDecodeError as exc:
            yield InputError(here, f"malformed JSON ({exc.msg})")
            continue
        if not isinstance(item, dict):
            yield InputError(here, f"expected a JSON object, got {type(item).__name__}")
            continue
        if not isinstance(item.get("text"), str):
            yield InputError(here, "record has no string 'text' field")
            continue
        record = {k: item.get(k) for k in ("text", "id", "outlet", "title")}
        record["id"] = str(record["id"]) if record["id"] is not None else f"{stem}:{lineno}"
        yield record


def read_records(
    paths: Iterable[str], stdin: IO[bytes] | None = None
) -> Iterator[Record | InputError]:
    """Records ``{"text", "id", "outlet"?, "title"?}`` from files; an InputError per bad one."""
    for where in paths:
        if where == "-":
            stream = stdin if stdin is not None else sys.stdin.buffer
            text = _decode(stream.read(), "<stdin>")
            yield text if isinstance(text, InputError) else {"text": text, "id": "stdin"}
            continue
        path = Path(where)
        try:
            data = path.read_bytes()
        except OSError as exc:
            yield InputError(where, exc.strerror or "cannot be read")
            continue
        text = _decode(data, where)
        if isinstance(text, InputError):
            yield text
            continue
        suffix = path.suffix.lower()
        if suffix in JSONL_SUFFIXES:
            yield from _jsonl_records(text, where)
        elif suffix in HTML_SUFFIXES:
            main = html_to_text(text)
            if main is None:
                yield InputError(where, "no main text found in the HTML page")
            else:
                yield {"text": main, "id": path.stem}
        else:
            yield {"text": text, "id": path.stem}


def write_jsonl(articles: Iterable[Article], out: IO[str]) -> None:
    """One article per line, as ``Article.to_dict()``."""
    for article in articles:
        out.write(json.dumps(article.to_dict(), ensure_ascii=False) + "\n")
        out.flush()


def write_json(articles: Iterable[Article], out: IO[str]) -> None:
    """A JSON list of articles."""
    json.dump([a.to_dict() for a in articles], out, ensure_ascii=False, indent=2)
    out.write("\n")


CSV_COLUMNS = [
    "article_id", "outlet", "sentence", "start", "end", "kind", "label", "confidence",
    "quote_form", "source", "source_resolved", "source_named", "cue", "quotes", "text",
]  # fmt: skip


def write_csv(articles: Iterable[Article], out: IO[str]) -> None:
    """One row per sentence; quoted spans joined with ' | '."""
    writer = csv.DictWriter(out, fieldnames=CSV_COLUMNS, extrasaction="ignore")
    writer.writeheader()
    for article in articles:
        for row in article.to_frame().to_dict("records"):
            row["quotes"] = " | ".join(row["quotes"])
            writer.writerow(row)


def _cell(value: str | None, width: int) -> str:
    value = "-" if not value else " ".join(value.split())
    return value if len(value) <= width else value[: width - 1] + "…"


def write_text(articles: Iterable[Article], out: IO[str], width: int = 60) -> None:
    """A readable table per article: label, confidence, source, cue and the sentence."""
    for article in articles:
        name = article.id or "article"
        if article.outlet:
            name += f" ({article.outlet})"
        out.write(f"== {name}: {len(article.sentences)} sentences ==\n")
        out.write(f"{'label':<16} {'conf':>4}  {'kind':<8} {'source':<28} {'cue':<14} sentence\n")
        for s in article.sentences:
            source = s.source.text if s.source else None
            if s.source_resolved is not None:
                source = f"{source} (= {s.source_resolved.text})"
            out.write(
                f"{s.label.value:<16} {s.confidence:>4.2f}  {s.kind.value:<8} "
                f"{_cell(source, 28):<28} "
                f"{_cell(s.cue.text if s.cue else None, 14):<14} {_cell(s.text, width)}\n"
            )
        out.write("\n")
        out.flush()


def write_html(articles: Iterable[Article], out: IO[str]) -> None:
    """A standalone HTML page showing every article coloured by label."""
    from .render import page_html

    out.write(page_html(list(articles)))
