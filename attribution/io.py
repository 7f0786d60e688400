"""Reading articles from files (.txt, .html, .jsonl, stdin) and writing annotations.

Readers yield either a record to annotate or an ``InputError`` naming what was wrong with one
document, so a corpus run reports a bad document and goes on with the rest. Every record
carries ``where`` (the file, or file and line) so that messages can name it.
"""

from __future__ import annotations

import contextlib
import csv
import errno
import hashlib
import json
import os
import stat
import sys
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import IO, Any

from .clean import for_spreadsheet, for_terminal, replace_in_fields, warn_replaced
from .document import Article, id_text, optional_text
from .extras import MissingExtra, needs

TEXT_SUFFIXES = (".txt",)
HTML_SUFFIXES = (".html", ".htm")
JSONL_SUFFIXES = (".jsonl",)
SUFFIXES = TEXT_SUFFIXES + HTML_SUFFIXES + JSONL_SUFFIXES
# Files a corpus run writes beside its output; never read back as input from a folder.
OUTPUT_SUFFIXES = (".errors.jsonl", ".rejected.jsonl")
# The largest document (or JSONL line) read, in bytes; larger ones are error records.
MAX_RECORD_BYTES = 5_000_000


@dataclass(frozen=True)
class InputError:
    """One document that could not be read: where it is and why, in one line."""

    where: str
    reason: str
    id: str | None = None

    def __str__(self) -> str:
        return f"{self.where}: {self.reason}"


@dataclass(frozen=True)
class InputFile:
    """A file to read and the id its document gets: the path as named, with its extension
    (a file found in a folder: the folder as named, or its name if named by an absolute
    path, then the path inside it)."""

    path: str
    name: str


Record = dict[str, Any]


def _why(exc: OSError) -> str:
    """A one-line reason for an OSError met while opening an input."""
    if exc.errno == errno.ELOOP:
        return "symbolic link loop"
    if exc.errno == errno.ENOENT:
        return "no such file or folder"
    return exc.strerror or "cannot be read"


def _folder_files(raw: str, skip: set[tuple[int, int]]) -> Iterator[InputFile]:
    """Readable files under a folder, in name order, subfolders included (links to folders
    are not followed, so a loop cannot trap the walk)."""
    base = os.path.normpath(raw)
    prefix = os.path.basename(base) if os.path.isabs(base) else ("" if base == "." else base)
    for folder, subfolders, files in os.walk(base):
        subfolders.sort()
        for name in sorted(files):
            low = name.lower()
            if not low.endswith(SUFFIXES) or low.endswith(OUTPUT_SUFFIXES):
                continue
            path = os.path.join(folder, name)
            if _identity(path) in skip:
                continue
            rel = os.path.relpath(path, base)
            yield InputFile(path, Path(prefix, rel).as_posix() if prefix else Path(rel).as_posix())


def _identity(path: str | Path) -> tuple[int, int] | None:
    """(device, inode) of an existing file, for telling whether two paths are one file."""
    try:
        info = os.stat(path)
    except OSError:
        return None
    return info.st_dev, info.st_ino


def same_file(a: str | Path, b: str | Path) -> bool:
    """Whether two paths name one existing file."""
    ident = _identity(a)
    return ident is not None and ident == _identity(b)


def expand_inputs(
    paths: Iterable[str], exclude: Iterable[str | Path] = ()
) -> list[InputFile | InputError]:
    """Files to read: each path as given, a folder's readable files (subfolders included) in
    name order, '-' for stdin; an InputError for a path that is missing or unreadable.

    Files in ``exclude`` (a run's own output and errors files) and files named
    ``*.errors.jsonl`` or ``*.rejected.jsonl`` are never taken from a folder.
    """
    skip = {ident for ident in map(_identity, exclude) if ident is not None}
    out: list[InputFile | InputError] = []
    for raw in paths:
        if raw == "-":
            out.append(InputFile("-", "stdin"))
            continue
        try:
            info = os.stat(raw)
        except OSError as exc:
            out.append(InputError(raw, _why(exc)))
            continue
        if stat.S_ISDIR(info.st_mode):
            out.extend(_folder_files(raw, skip))
        else:
            out.append(InputFile(raw, Path(os.path.normpath(raw)).as_posix()))
    return out


def overwritten_input(inputs: Iterable[InputFile | InputError],
                     outputs: Iterable[str | Path]) -> tuple[str, Path] | None:
    """(input path, output) of the first output that is one of the input files, or None:
    a run must refuse to start rather than write over what it reads."""
    paths = [Path(out) for out in outputs]
    for item in inputs:
        if isinstance(item, InputFile) and item.path != "-":
            for out in paths:
                if same_file(item.path, out):
                    return str(item.path), out
    return None


def clean_record(record: Record, where: str) -> Record:
    """The record with lone surrogates in its text and metadata replaced (U+FFFD, offsets
    kept), warning once with the document's name when any were."""
    replaced = replace_in_fields(record)
    if replaced:
        warn_replaced(f"{where} (id {record.get('id')!r})", replaced)
    return record


def _decode(data: bytes, where: str) -> str | InputError:
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        return InputError(where, f"not valid UTF-8 text (byte {exc.start})")


def html_to_text(html: str) -> str | None:
    """The main text of an HTML page (trafilatura), or None if it finds none; MissingExtra
    without the 'html' extra."""
    needs("html", "reading HTML pages")
    import trafilatura

    return trafilatura.extract(html, include_comments=False, include_tables=False)


def _too_big(size: int, limit: int) -> str:
    return f"{size:,} bytes, over the limit of {limit:,} (max_record_bytes)"


def json_record(line: str, where: str, default_id: str) -> Record | InputError:
    """One JSONL line as a record, or an InputError saying what is wrong with it."""
    try:
        item = json.loads(line)
    except json.JSONDecodeError as exc:
        return InputError(where, f"malformed JSON ({exc.msg})")
    except RecursionError:
        return InputError(where, "JSON nested too deeply")
    return mapping_record(item, where, default_id)


def mapping_record(item: Any, where: str, default_id: str) -> Record | InputError:
    """A record from one ``{"id"?, "text", "outlet"?, "title"?}`` mapping (a JSONL line, a
    Parquet row), or an InputError saying what is wrong with it."""
    if not isinstance(item, dict):
        return InputError(where, f"expected a JSON object, got {type(item).__name__}")
    try:
        doc_id = id_text(item.get("id"))
    except ValueError as exc:
        return InputError(where, str(exc))
    if doc_id is None:
        doc_id = default_id
    if not isinstance(item.get("text"), str):
        return InputError(where, "record has no string 'text' field", doc_id)
    try:
        meta = {key: optional_text(item, key) for key in ("outlet", "title")}
    except ValueError as exc:
        return InputError(where, str(exc), doc_id)
    return clean_record({"text": item["text"], "id": doc_id, **meta, "where": where}, where)


def jsonl_records(lines: Iterable[bytes], where: str, name: str, limit: int,
                  first: int = 1) -> Iterator[Record | InputError]:
    """Records of JSONL lines (raw bytes, numbered from ``first``); lines end at "\\n" only
    (a raw U+2028 inside a JSON string is part of the string). A record without an id gets
    ``name:line``."""
    for lineno, raw in enumerate(lines, first):
        here = f"{where}:{lineno}"
        if len(raw) > limit:
            yield InputError(here, _too_big(len(raw), limit))
            continue
        line = _decode(raw, here)
        if isinstance(line, InputError):
            yield line
        elif line.strip():
            yield json_record(line, here, f"{name}:{lineno}")


def _read_file(item: InputFile, limit: int) -> Iterator[Record | InputError]:
    where = item.path
    try:
        # Checked before opening: opening a FIFO would wait for a writer forever.
        info = os.stat(where)
        if not stat.S_ISREG(info.st_mode):
            yield InputError(where, "not a regular file", item.name)
            return
        handle = open(where, "rb", buffering=1 << 16)  # noqa: SIM115 - closed below
    except OSError as exc:
        yield InputError(where, _why(exc), item.name)
        return
    with handle:
        if where.lower().endswith(JSONL_SUFFIXES):
            yield from jsonl_records(handle, where, item.name, limit)
            return
        if info.st_size > limit:
            yield InputError(where, _too_big(info.st_size, limit), item.name)
            return
        try:
            data = handle.read()
        except OSError as exc:
            yield InputError(where, _why(exc), item.name)
            return
    text = _decode(data, where)
    if isinstance(text, InputError):
        yield InputError(text.where, text.reason, item.name)
        return
    if where.lower().endswith(HTML_SUFFIXES):
        try:
            main = html_to_text(text)
        except MissingExtra as exc:
            yield InputError(where, str(exc), item.name)
            return
        except Exception as exc:  # whatever a page holds, it is one error record
            yield InputError(where, f"HTML could not be read ({type(exc).__name__}: {exc})",
                             item.name)
            return
        if main is None:
            yield InputError(where, "no main text found in the HTML page", item.name)
            return
        text = main
    yield clean_record({"text": text, "id": item.name, "where": where}, where)


def read_records(
    paths: Iterable[str | InputFile | InputError], stdin: IO[bytes] | None = None,
    *, max_record_bytes: int = MAX_RECORD_BYTES,
) -> Iterator[Record | InputError]:
    """Records ``{"text", "id", "outlet"?, "title"?, "where"}`` from files; an InputError per
    bad one. Plain strings are expanded first (a folder gives its files); JSONL is streamed
    line by line. Standard input ('-') is one document whose id holds a hash of its text, so
    two different texts piped in two runs never share an id."""
    items: list[InputFile | InputError] = []
    for path in paths:
        items.extend(expand_inputs([path]) if isinstance(path, str) else [path])
    for item in items:
        if isinstance(item, InputError):
            yield item
        elif item.path == "-":
            stream = stdin if stdin is not None else sys.stdin.buffer
            text = _decode(stream.read(), "<stdin>")
            if isinstance(text, InputError):
                yield text
                continue
            # Text decoded strictly from UTF-8 holds no lone surrogate: nothing to clean.
            digest = hashlib.sha256(text.encode("utf-8")).hexdigest()[:16]
            yield {"text": text, "id": f"stdin:{digest}", "where": "<stdin>"}
        else:
            yield from _read_file(item, max_record_bytes)


@contextlib.contextmanager
def written_atomically(path: Path) -> Iterator[Path]:
    """A temporary path beside ``path`` to write to; renamed onto ``path`` when the block ends
    without error and removed otherwise, so ``path`` is always whole or as it was."""
    temporary = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    try:
        yield temporary
        os.replace(temporary, path)
    finally:
        temporary.unlink(missing_ok=True)


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
    """One row per sentence; quoted spans joined with ' | '. A text cell that starts like a
    spreadsheet formula ("=", "+", "-", "@") gets a leading apostrophe."""
    writer = csv.DictWriter(out, fieldnames=CSV_COLUMNS, extrasaction="ignore")
    writer.writeheader()
    for article in articles:
        for row in article.to_frame().to_dict("records"):
            row["quotes"] = " | ".join(row["quotes"])
            writer.writerow({key: for_spreadsheet(value) for key, value in row.items()})


def _cell(value: str | None, width: int) -> str:
    value = "-" if not value else " ".join(for_terminal(" ".join(value.split())).split())
    return value if len(value) <= width else value[: width - 1] + "…"


def write_text(articles: Iterable[Article], out: IO[str], width: int = 60) -> None:
    """A readable table per article: label, confidence, source, cue and the sentence; control
    characters from the articles are left out, so none reaches the terminal."""
    for article in articles:
        name = article.id or "article"
        if article.outlet:
            name += f" ({article.outlet})"
        name = for_terminal(name)
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
