"""The annotator against the limit set by its own encoder: on the same sentences, the full
pipeline (both models), the rules alone, and one bare fp32 forward pass of the base encoder
over every sentence (sorted by length, batches of 32). Passes are interleaved and the best
of ``--passes`` is kept. Prints sentences/s for each, the ratio full / bare, the load time
of each and the peak resident memory of each (every measurement runs in a fresh process).

    python benchmarks/encoder_limit.py [--data DIR] [--passes 2] [--articles N]

The sentences are those of the PolNeAR dev texts when the data folder has them, else the
seed article repeated. Record the figures in docs/speed.md with the machine.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import resource
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def texts(data: str | None, articles: int) -> list[str]:
    """PolNeAR dev texts when present, else the seed repeated to about as many sentences."""
    folder = Path(data or os.environ.get("ATTRIBUTION_DATA") or ROOT.parent / "shared" / "data")
    dev = folder / "polnear" / "dev" / "text"
    if dev.is_dir():
        found = [p.read_text(encoding="utf-8") for p in sorted(dev.glob("*.txt"))]
        return found[:articles] if articles else found
    seed = (ROOT / "seeds" / "putin_allies_bloomberg.txt").read_text(encoding="utf-8")
    return [seed] * (articles or 100)


def run_one(kind: str, data: str | None, articles: int, sentences_file: str) -> dict[str, float]:
    """Load, then time one pass of ``kind`` (full, rules or bare) in this process."""
    import warnings

    warnings.simplefilter("ignore")
    sentences = json.loads(Path(sentences_file).read_text(encoding="utf-8"))
    if kind == "bare":
        import torch

        from attribution.encoder import load_base

        torch.set_grad_enabled(False)
        load_start = time.perf_counter()
        tokenizer, encoder = load_base()
        encoder.eval()
        loaded = time.perf_counter() - load_start
        order = sorted(sentences, key=len)
        begin = time.perf_counter()
        for i in range(0, len(order), 32):
            batch = tokenizer(order[i : i + 32], truncation=True, max_length=256,
                              padding=True, return_tensors="pt")
            encoder(**batch)
        seconds = time.perf_counter() - begin
    else:
        from attribution import Annotator

        docs = texts(data, articles)
        load_start = time.perf_counter()
        annotator = (Annotator() if kind == "full"
                     else Annotator(sourcing=False, stance=False))
        loaded = time.perf_counter() - load_start
        begin = time.perf_counter()
        count = sum(len(a.sentences) for a in annotator.pipe(docs))
        seconds = time.perf_counter() - begin
        assert count == len(sentences)
    return {"sentences": len(sentences), "seconds": seconds, "load_s": loaded,
            "peak_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data", help="data folder (default: ATTRIBUTION_DATA, ../shared/data)")
    parser.add_argument("--passes", type=int, default=2, help="interleaved passes (best kept)")
    parser.add_argument("--articles", type=int, default=0, help="first N texts only")
    parser.add_argument("--one", choices=("full", "rules", "bare"), help=argparse.SUPPRESS)
    parser.add_argument("--sentences", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.one:
        print(json.dumps(run_one(args.one, args.data, args.articles, args.sentences)))
        return
    print(f"machine: {platform.machine()}, {os.cpu_count()} CPUs, Python "
          f"{platform.python_version()}")
    import tempfile
    import warnings

    from attribution import Annotator

    warnings.simplefilter("ignore")
    docs = texts(args.data, args.articles)
    sentences = [s.text for a in Annotator(sourcing=False, stance=False).pipe(docs)
                 for s in a.sentences]  # the same sentences for every kind
    handle = tempfile.NamedTemporaryFile("w", suffix=".json", delete=False)  # noqa: SIM115
    with handle:
        json.dump(sentences, handle)
    best: dict[str, dict[str, float]] = {}
    for _ in range(args.passes):
        for kind in ("full", "rules", "bare"):  # interleaved
            command = [sys.executable, __file__, "--one", kind, "--articles",
                       str(args.articles), "--sentences", handle.name] + (
                ["--data", args.data] if args.data else [])
            done = subprocess.run(command, capture_output=True, text=True, check=True)
            result = json.loads(done.stdout.strip().splitlines()[-1])
            if kind not in best or result["seconds"] < best[kind]["seconds"]:
                best[kind] = result
    for kind, r in best.items():
        print(f"{kind:<6} {r['sentences']:>6} sentences  {r['sentences'] / r['seconds']:8.1f} "
              f"sentences/s  load {r['load_s']:5.2f} s  peak RSS {r['peak_mb']:7.1f} MB")
    ratio = best["bare"]["seconds"] / best["full"]["seconds"]
    print(f"full / bare encoder pass: {ratio:.2f}x the speed")
    os.unlink(handle.name)


if __name__ == "__main__":
    main()
