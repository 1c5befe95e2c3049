"""Benchmark: how fast the course sees what the engine built.

    .venv/bin/python benchmarks/bench_snapshot.py [--sizes 10 50 100] [--out benchmarks/results/snapshot.json]

For 10, 50 and 100 running containers on 5 networks, in the same run:
- ``snapshot``: one ``dockerlab.snapshot()`` (engine lists + kernel links of every namespace), median of 7;
- ``one exec per container``: ``docker exec C ip -o link`` for every container, the obvious way, median of 3;
and, for the live diagram, the time from an engine event to the redrawn picture (p50/p95 over 40
events) for a lesson-sized diagram (10 containers) and for one with all 50.

Targets: at 50 containers the snapshot is at least 15x faster than one exec per container and at
most 150 ms; from 50 to 100 containers it grows at most about 2x; event-to-redraw p95 at most 300 ms.
Everything it makes is labelled ``io.dockerlab.lesson=bench`` and removed at the end.
"""
from __future__ import annotations

import argparse
import json
import platform
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from dockerlab import labels
from dockerlab.engine.client import Engine
from dockerlab.host import cleanup
from dockerlab.host.session import LiveSession
from dockerlab.host.watch import Watcher
from dockerlab.lessons.lesson import snapshot
from dockerlab.render.live import LiveDiagram

LESSON = "bench"
NETWORKS = [f"bench-net{i}" for i in range(5)]


def timed(function, repeat: int) -> list[float]:
    samples = []
    for _ in range(repeat):
        started = time.perf_counter()
        function()
        samples.append(time.perf_counter() - started)
    return samples


def grow(engine: Engine, count: int) -> list[str]:
    names = [labels.container_name(c) for c in engine.containers(all=False, label=f"{labels.LESSON}={LESSON}")]
    for index in range(len(names), count):
        name = f"bench-c{index:03d}"
        engine.run(labels.BUSYBOX_IMAGE, ["sleep", "1d"], lesson=LESSON, name=name,
                   network=NETWORKS[index % len(NETWORKS)])
        names.append(name)
        if (index + 1) % 10 == 0:
            print(f"  {index + 1} containers running", flush=True)
    return sorted(names)


def exec_each(engine: Engine, names: list[str]) -> None:
    for name in names:
        engine.exec(name, ["ip", "-o", "link"])


def event_latencies(engine: Engine, lesson: str, events: int = 40) -> list[float]:
    live = LiveDiagram(Watcher(engine, lesson))
    try:
        for index in range(events):
            name = f"bench-live{index:02d}"
            before = live.redraws
            engine.run(labels.BUSYBOX_IMAGE, ["sleep", "1d"], lesson=lesson, name=name)
            live.wait_for(lambda t, name=name: name in t.containers, timeout=10)
            deadline = time.monotonic() + 2
            while live.redraws == before and time.monotonic() < deadline:
                time.sleep(0.01)
            engine.remove_container(name)
            live.wait_for(lambda t, name=name: name not in t.containers, timeout=10)
            time.sleep(0.3)
    finally:
        live.stop()
    return live.latencies


def percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(share * (len(ordered) - 1)))]


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[10, 50, 100])
    parser.add_argument("--out", type=Path, default=Path(__file__).parent / "results" / "snapshot.json")
    args = parser.parse_args()
    engine = LiveSession(Engine.connect())
    cleanup.remove(engine, LESSON)
    results: dict = {"machine": f"{platform.node()} {platform.machine()}, {platform.python_version()}",
                     "engine": engine.version().get("Version"), "sizes": {}}
    try:
        for index, network in enumerate(NETWORKS):
            engine.create_network(network, lesson=LESSON, subnet=f"10.220.{index}.0/24")
        for size in sorted(args.sizes):
            print(f"{size} containers:", flush=True)
            names = grow(engine, size)
            snapshot(engine)  # warm up
            fast = timed(lambda: snapshot(engine), 7)
            slow = timed(lambda names=names: exec_each(engine, names), 3)
            row = {"snapshot_ms": statistics.median(fast) * 1000, "exec_each_ms": statistics.median(slow) * 1000}
            row["speedup"] = row["exec_each_ms"] / row["snapshot_ms"]
            results["sizes"][size] = row
            print(f"  snapshot {row['snapshot_ms']:.1f} ms, one exec per container {row['exec_each_ms']:.0f} ms, "
                  f"{row['speedup']:.0f}x faster", flush=True)
            if size == 50 or size == max(args.sizes):
                for label, lesson in (("lesson-sized (10)", "bench-live"), (f"all {size}", LESSON)):
                    if label.startswith("lesson"):
                        for i in range(10):
                            engine.run(labels.BUSYBOX_IMAGE, ["sleep", "1d"], lesson=lesson, name=f"bench-l{i}")
                    latencies = event_latencies(engine, lesson)
                    results.setdefault("event_to_redraw", {})[f"{label} at {size}"] = {
                        "p50_ms": percentile(latencies, 0.5) * 1000, "p95_ms": percentile(latencies, 0.95) * 1000,
                        "samples": len(latencies)}
                    print(f"  event -> redrawn diagram, {label}: p50 {percentile(latencies, 0.5) * 1000:.0f} ms, "
                          f"p95 {percentile(latencies, 0.95) * 1000:.0f} ms", flush=True)
                    cleanup.remove(engine, "bench-live")
    finally:
        cleanup.remove(engine, LESSON)
        cleanup.remove(engine, "bench-live")
    sizes = results["sizes"]
    if 50 in sizes and 100 in sizes:
        results["growth_50_to_100"] = sizes[100]["snapshot_ms"] / sizes[50]["snapshot_ms"]
        print(f"snapshot grows {results['growth_50_to_100']:.2f}x from 50 to 100 containers")
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(json.dumps(results, indent=2) + "\n")
    print(f"written to {args.out}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
