"""Benchmark: from `up` to a ready 3-node swarm, the images already built (target: at most 45 s).

    .venv/bin/python benchmarks/bench_cluster.py [--runs 3] [--nodes 3]
"""
from __future__ import annotations

import argparse
import json
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from dockerlab.engine.client import Engine
from dockerlab.engine.images import ensure_images, ensure_node_image
from dockerlab.host import cluster
from dockerlab.host.session import LiveSession


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--nodes", type=int, default=3)
    parser.add_argument("--out", type=Path, default=Path(__file__).parent / "results" / "cluster.json")
    args = parser.parse_args()
    engine = LiveSession(Engine.connect())
    ensure_images(engine)
    ensure_node_image(engine)
    samples = []
    for run in range(args.runs):
        cluster.down(engine)
        started = time.perf_counter()
        cluster.up(engine, nodes=args.nodes, progress=lambda line: None)
        samples.append(time.perf_counter() - started)
        print(f"run {run + 1}: {samples[-1]:.1f} s to a ready {args.nodes}-node swarm", flush=True)
        cluster.down(engine)
    result = {"nodes": args.nodes, "runs_s": samples, "median_s": statistics.median(samples),
              "target_s": 45}
    print(f"median {result['median_s']:.1f} s (target: at most 45 s)")
    args.out.write_text(json.dumps(result, indent=2) + "\n")
    return 0


if __name__ == "__main__":
    sys.exit(main())
