"""Command line: ``attribution annotate PATH... [-o OUT] [--format ...]``.

Bad input is reported in one line on stderr and the run goes on; the exit code is 2 if any
document could not be read, 0 otherwise.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Iterator, Sequence

from . import __version__
from .io import (
    InputError,
    expand_paths,
    read_records,
    write_csv,
    write_html,
    write_json,
    write_jsonl,
    write_text,
)

LABELS_HELP = """\
Every sentence gets one label, the first that applies:
  anonymous        content attributed to a source not identified by name
                   ("officials said", "sources familiar with the matter", "analysts say")
  direct_quote     a named source's words in quotation marks, full or partial
  reported_speech  a named source's claim in paraphrase ("Rubio said that ...",
                   "according to the ministry", "Bloomberg reports")
  editorial        everything else: the outlet's own voice

Named sources are people identified by name and institutions, outlets or documents
speaking for themselves; unnamed members of an institution and vague groups are anonymous.
Each sentence also carries its source, cue ("said", "according to"), quoted spans,
quote form (direct / partial / indirect / none) and a confidence.
"""

FORMATS = ("text", "json", "jsonl", "csv", "html")
WRITERS = {
    "text": write_text,
    "json": write_json,
    "jsonl": write_jsonl,
    "csv": write_csv,
    "html": write_html,
}


class _Fail(Exception):
    """A usage error reported as one line with exit code 2."""


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="attribution",
        description="Show how news articles are sourced, sentence by sentence.",
        formatter_class=argparse.RawDescriptionHelpFormatter,
        epilog=LABELS_HELP,
    )
    parser.add_argument("--version", action="version", version=f"attribution {__version__}")
    sub = parser.add_subparsers(dest="command", required=True)
    ann = sub.add_parser(
        "annotate",
        help="label every sentence of articles (.txt, .html, .jsonl, or - for stdin)",
        description="Label every sentence of one or more articles.",
        formatter_class=argparse.RawDescriptionHelpFormatter,
        epilog=LABELS_HELP
        + """
Inputs: .txt (one article), .html/.htm (main text extracted), .jsonl (one
{"id", "text", "outlet"?, "title"?} object per line), a folder (its files of
those kinds, in name order), or - for standard input.
""",
    )
    ann.add_argument("paths", nargs="+", metavar="PATH", help="files, folders, or - for stdin")
    ann.add_argument("-o", "--output", metavar="OUT", help="write here instead of stdout")
    ann.add_argument(
        "--format", choices=FORMATS, default="text", help="output format (default: text)"
    )
    ann.add_argument(
        "--batch-size", type=int, default=16, help="articles parsed together (default: 16)"
    )
    return parser


def _annotate(args: argparse.Namespace) -> int:
    from tqdm import tqdm

    from .pipeline import Annotator

    if args.batch_size < 1:
        raise _Fail(f"--batch-size must be at least 1, not {args.batch_size}")
    try:
        paths = expand_paths(args.paths)
    except FileNotFoundError as exc:
        raise _Fail(str(exc)) from None
    if not paths:
        raise _Fail("no .txt, .html or .jsonl files found in the given folders")
    errors: list[InputError] = []

    def good_records() -> Iterator[dict]:
        for item in read_records(paths):
            if isinstance(item, InputError):
                errors.append(item)
                tqdm.write(f"attribution: skipped {item}", file=sys.stderr)
            else:
                yield item

    several = len(paths) > 1 or any(p.endswith(".jsonl") for p in paths)
    annotator = Annotator(batch_size=args.batch_size)
    articles = annotator.pipe(good_records())
    articles = tqdm(articles, desc="articles", unit="doc", disable=not several, file=sys.stderr)
    if args.output:
        try:
            with open(args.output, "w", encoding="utf-8") as out:
                WRITERS[args.format](articles, out)
        except OSError as exc:
            raise _Fail(f"cannot write {args.output}: {exc.strerror}") from None
    else:
        WRITERS[args.format](articles, sys.stdout)
    return 2 if errors else 0


def main(argv: Sequence[str] | None = None) -> int:
    """Run the command line; returns the exit code."""
    parser = build_parser()
    args = parser.parse_args(argv)
    try:
        if args.command == "annotate":
            return _annotate(args)
    except _Fail as exc:
        print(f"attribution: error: {exc}", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        return 130
    except BrokenPipeError:  # output piped into a pager or head that closed early
        sys.stderr.close()
        return 0
    parser.error(f"unknown command {args.command}")
    return 2


if __name__ == "__main__":
    sys.exit(main())
