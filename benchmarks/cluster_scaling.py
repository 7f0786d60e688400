"""A corpus run on a local Dask cluster with 1 worker and with N workers (one thread each),
on the same documents: documents/s and sentences/s of each (the workers' model loading
included, the cluster's start not), the speed-up, and each worker's peak resident memory.

    python benchmarks/cluster_scaling.py [--data DIR] [--workers 2] [--copies 2] [--rules]

The documents are the PolNeAR dev texts (``--copies`` times, each copy under new ids) when
the data folder has them, else the seed article repeated. Record the figures in
docs/cluster.md with the machine.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import resource
import tempfile
import time
from pathlib import Path

from encoder_limit import texts


def peak_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def run(corpus: Path, out: Path, workers: int, options: dict[str, object],
        size: int) -> dict[str, float]:
    from distributed import Client, LocalCluster

    from attribution.corpus import load_annotations
    from attribution.dask import annotate_files

    with LocalCluster(n_workers=workers, threads_per_worker=1, processes=True,
                      dashboard_address=None) as cluster, Client(cluster) as client:
        start = time.perf_counter()
        result = annotate_files(corpus, out, client, records_per_partition=size,
                                annotator_options=options, progress=False)
        seconds = time.perf_counter() - start
        memory = client.run(peak_mb)
    assert result.complete, result
    sentences = len(load_annotations(out))
    return {"workers": workers, "docs": result.annotated, "sentences": sentences,
            "seconds": seconds, "docs_per_s": result.annotated / seconds,
            "sentences_per_s": sentences / seconds, "worker_peak_mb": max(memory.values())}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data", help="data folder (default: ATTRIBUTION_DATA, ../shared/data)")
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--copies", type=int, default=2, help="times the texts are repeated")
    parser.add_argument("--size", type=int, default=8, help="documents per partition")
    parser.add_argument("--rules", action="store_true", help="the rules alone, no models")
    args = parser.parse_args()
    docs = texts(args.data, 0)
    options: dict[str, object] = {"sourcing": False, "stance": False} if args.rules else {}
    with tempfile.TemporaryDirectory() as tmp:
        corpus = Path(tmp) / "corpus.jsonl"
        with corpus.open("w", encoding="utf-8") as sink:
            for copy in range(args.copies):
                for k, text in enumerate(docs):
                    sink.write(json.dumps({"id": f"{copy}-{k}", "text": text}) + "\n")
        rows = [run(corpus, Path(tmp) / f"out{n}", n, options, args.size)
                for n in (1, args.workers)]
    print(f"machine: {platform.machine()}, {os.cpu_count()} CPUs, {platform.platform()}")
    print(f"pipeline: {'rules alone' if args.rules else 'rules + both models'}, "
          f"{args.size} documents a partition")
    for row in rows:
        print(f"{row['workers']} worker(s): {row['docs']} docs, {row['sentences']} sentences "
              f"in {row['seconds']:.1f} s = {row['docs_per_s']:.2f} docs/s, "
              f"{row['sentences_per_s']:.1f} sentences/s; worker peak RSS "
              f"{row['worker_peak_mb']:.0f} MB")
    print(f"speed-up {args.workers} vs 1: {rows[0]['seconds'] / rows[1]['seconds']:.2f}x")


if __name__ == "__main__":
    main()
