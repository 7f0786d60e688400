"""Time and peak memory on adversarial articles of 10 kB, 100 kB and 1 MB.

Each kind of article stresses one path (quotation pairing, sentence splitting, speaker
linking, pronoun look-back, the models' windows). Every case runs in a fresh process, so its
peak resident memory is its own. The ratios 100 kB / 10 kB and 1 MB / 100 kB stay near 10
when a path is linear. Run by hand and record the figures in docs/robustness.md. Usage:

    python benchmarks/adversarial.py [--kinds a,b] [--sizes 10000,100000,1000000]
        [--models] [--models-max 100000] [--timeout 600]
"""

from __future__ import annotations

import argparse
import json
import platform
import subprocess
import sys
from collections.abc import Callable

SEED = (
    "Officials said the bridge would reopen on Monday. \"We are ready,\" Mayor Ann Cole "
    "said. She added that repairs had cost more than expected. According to the ministry, "
    "40 people were hurt. The storm hit the coast overnight. "
)


def _repeat(unit: str | Callable[[int], str], size: int) -> str:
    """Units joined until the text reaches ``size`` characters."""
    parts: list[str] = []
    total = i = 0
    while total < size:
        piece = unit(i) if callable(unit) else unit
        parts.append(piece)
        total += len(piece)
        i += 1
    return "".join(parts)[:size]


def _mixed(i: int) -> str:
    marks = ['"', "“", "”", "«", "»", "‘", "’", "„", "'", "‹", "›"]
    return f"{marks[i % len(marks)]}word{i % 7} {marks[(i * 3) % len(marks)]}"


KINDS: dict[str, Callable[[int], str]] = {
    # '"a," he said. "b," she said. ...' on one line
    "quoted_pairs": lambda n: _repeat(
        lambda i: f'"Part {i}," {"he" if i % 2 else "she"} said. ', n),
    # quotation marks of every style, alternating, with words between
    "mixed_marks": lambda n: _repeat(_mixed, n),
    # one sentence with no punctuation at all
    "unpunctuated": lambda n: _repeat(lambda i: f"word{i % 97} ", n),
    # 'Smith said she said they said ...'
    "said_chain": lambda n: "Smith said " + _repeat(
        lambda i: ("she said ", "they said ", "he said ")[i % 3], n - 11),
    # an ordinary article flattened to one line
    "one_line": lambda n: _repeat(SEED, n),
    # an ordinary article after one quotation mark that never closes, one line
    "unclosed": lambda n: "\u201c" + _repeat(SEED.replace('"', ""), n - 1),
    # a transcript: a quotation mark opening every line
    "transcript": lambda n: _repeat(
        lambda i: f'"SPEAKER {i % 3}: this is line {i} of the hearing\n', n),
    # ordinary paragraphs (the baseline every other kind is compared with)
    "paragraphs": lambda n: _repeat(SEED + "\n", n),
}

CHILD = """
import json, resource, sys, time, warnings
warnings.simplefilter("ignore")
from benchmarks.adversarial import KINDS
kind, size, models = sys.argv[1], int(sys.argv[2]), sys.argv[3] == "1"
text = KINDS[kind](size)
from attribution import Annotator
annotator = Annotator(sourcing=None if models else False, stance=None if models else False)
annotator.annotate("Warm up, officials said.")
start = time.perf_counter()
article = annotator.annotate(text)
seconds = time.perf_counter() - start
rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
print(json.dumps({"seconds": seconds, "rss_mb": rss, "sentences": len(article.sentences)}))
"""


def run_case(kind: str, size: int, models: bool, timeout: float) -> dict[str, float] | None:
    """Seconds, peak RSS and sentences for one case in a fresh process; None if it timed out."""
    try:
        done = subprocess.run(
            [sys.executable, "-c", CHILD, kind, str(size), "1" if models else "0"],
            capture_output=True, text=True, timeout=timeout, check=True,
        )
    except subprocess.TimeoutExpired:
        return None
    except subprocess.CalledProcessError as exc:
        raise SystemExit(f"{kind} {size}: {exc.stderr.strip().splitlines()[-1]}") from None
    return json.loads(done.stdout.strip().splitlines()[-1])


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--kinds", default=",".join(KINDS))
    parser.add_argument("--sizes", default="10000,100000,1000000")
    parser.add_argument("--models", action="store_true", help="also with both models on")
    parser.add_argument("--models-max", type=int, default=100_000,
                        help="largest size run with the models (default: 100000)")
    parser.add_argument("--timeout", type=float, default=600)
    args = parser.parse_args()
    sizes = [int(s) for s in args.sizes.split(",")]
    print(f"# {platform.processor() or platform.machine()}, Python {platform.python_version()}")
    print(f"{'kind':<14} {'mode':<7} {'size':>9} {'sentences':>9} {'seconds':>9} "
          f"{'ratio':>6} {'peak MB':>8}")
    for kind in args.kinds.split(","):
        for models in (False, True) if args.models else (False,):
            previous = None
            for size in sizes:
                if models and size > args.models_max:
                    continue
                got = run_case(kind, size, models, args.timeout)
                mode = "models" if models else "rules"
                if got is None:
                    print(f"{kind:<14} {mode:<7} {size:>9} {'-':>9} {'>' + str(args.timeout):>9}")
                    break
                ratio = f"{got['seconds'] / previous:.1f}" if previous else "-"
                print(f"{kind:<14} {mode:<7} {size:>9} {got['sentences']:>9} "
                      f"{got['seconds']:>9.2f} {ratio:>6} {got['rss_mb']:>8.0f}", flush=True)
                previous = max(got["seconds"], 1e-3)


if __name__ == "__main__":
    main()
