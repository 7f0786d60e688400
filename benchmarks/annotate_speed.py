"""Annotation speed and peak memory on seeds/ and, when present, the PolNeAR dev texts.

Prints sentences/s, characters/s and peak resident memory; run by hand and record the
figures in README.md. Usage:

    python benchmarks/annotate_speed.py [--data DIR] [--repeat N] [--big-mb MB] [--no-stance]
        [--rules-only] [--stance fast|accurate]

``--big-mb`` also times one article of that many megabytes (the seed text repeated), to
show that memory stays bounded on very long input.
"""

from __future__ import annotations

import argparse
import os
import platform
import resource
import time
from pathlib import Path

from attribution import Annotator

ROOT = Path(__file__).resolve().parent.parent


def peak_rss_mb() -> float:
    """Peak resident set size of this process so far, in MB (Linux reports KiB)."""
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def data_dir(arg: str | None) -> Path:
    if arg:
        return Path(arg)
    if os.environ.get("ATTRIBUTION_DATA"):
        return Path(os.environ["ATTRIBUTION_DATA"])
    return ROOT.parent / "shared" / "data"


def measure(annotator: Annotator, name: str, texts: list[str], repeat: int) -> None:
    list(annotator.pipe(texts[:1]))  # warm up
    start = time.perf_counter()
    sentences = 0
    for _ in range(repeat):
        sentences += sum(len(a.sentences) for a in annotator.pipe(texts))
    seconds = time.perf_counter() - start
    chars = sum(len(t) for t in texts) * repeat
    print(
        f"{name:<22} docs={len(texts) * repeat:>5} sentences={sentences:>6} "
        f"time={seconds:7.2f}s  {sentences / seconds:7.1f} sentences/s  "
        f"{chars / seconds / 1000:7.1f} kchars/s  peak RSS={peak_rss_mb():7.1f} MB"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data", help="data folder (default: ATTRIBUTION_DATA, ../shared/data)")
    parser.add_argument("--repeat", type=int, default=3, help="passes over each set")
    parser.add_argument("--big-mb", type=float, default=0, help="also time one article this big")
    parser.add_argument("--no-stance", action="store_true", help="time without the stance model")
    parser.add_argument("--stance", choices=("fast", "accurate"), default="fast",
                        help="the stance tier to time (default: fast)")
    parser.add_argument("--rules-only", action="store_true",
                        help="time without the sourcing model (labels from the rules alone)")
    args = parser.parse_args()

    print(f"python {platform.python_version()} on {platform.machine()}, {os.cpu_count()} CPUs")
    start = time.perf_counter()
    annotator = Annotator(stance=False if args.no_stance else
                          (None if args.stance == "fast" else "accurate"),
                          sourcing=False if args.rules_only else None)
    print(f"load: {time.perf_counter() - start:.2f}s (stance "
          f"{args.stance if annotator.stance is not None else 'off'}, sourcing model "
          f"{'on' if annotator.sourcing is not None else 'off'}), "
          f"peak RSS={peak_rss_mb():.1f} MB")

    seeds = [p.read_text(encoding="utf-8") for p in sorted((ROOT / "seeds").glob("*.txt"))]
    measure(annotator, "seeds/", seeds, args.repeat)

    dev = data_dir(args.data) / "polnear" / "dev" / "text"
    if dev.is_dir():
        texts = [p.read_text(encoding="utf-8") for p in sorted(dev.glob("*.txt"))]
        measure(annotator, "polnear dev", texts, 1)
    else:
        print(f"polnear dev: not found under {dev.parent.parent}, skipped")

    if args.big_mb:
        seed = seeds[0] + "\n"
        big = seed * int(args.big_mb * 1_000_000 / len(seed))
        measure(annotator, f"one {len(big) / 1e6:.1f} MB article", [big], 1)


if __name__ == "__main__":
    main()
