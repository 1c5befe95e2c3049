"""Benchmark: from an engine event to the live diagram's new picture, with 50 running containers all drawn.

    .venv/bin/python benchmarks/bench_live.py [--containers 50] [--events 40] [--out benchmarks/results/live.json]

Runs ``--containers`` containers on 5 networks, watches all of them (``LiveDiagram`` on the
``bench`` lesson, so every one is drawn), starts and removes one more container ``--events`` times,
and reports p50/p95 of event -> redrawn picture (the watcher's own measure: engine event time to
the picture set on the widget), and the drawing alone (topology -> SVG) for the same topology.
A container's death is drawn from its event; starts wait for a snapshot (50 ms here at 51 containers).
Target: p95 at most 200 ms. Everything it makes is labelled ``io.dockerlab.lesson=bench`` and
removed at the end.
"""
from __future__ import annotations

import argparse
import json
import os
import platform
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench_snapshot import LESSON, NETWORKS, event_latencies, grow, percentile

from dockerlab.engine.client import Engine
from dockerlab.host import cleanup
from dockerlab.host.session import LiveSession
from dockerlab.lessons.lesson import snapshot
from dockerlab.render.static import draw


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--containers", type=int, default=50)
    parser.add_argument("--events", type=int, default=40)
    parser.add_argument("--out", type=Path, default=Path(__file__).parent / "results" / "live.json")
    args = parser.parse_args()
    engine = LiveSession(Engine.connect())
    load = os.getloadavg()[0]  # the figures depend on what else the machine is doing: say it
    cleanup.remove(engine, LESSON)
    try:
        for index, network in enumerate(NETWORKS):
            engine.create_network(network, lesson=LESSON, subnet=f"10.220.{index}.0/24")
        grow(engine, args.containers)
        topology = snapshot(engine, LESSON)
        draws = []
        for _ in range(20):
            started = time.perf_counter()
            draw(topology).svg()
            draws.append(time.perf_counter() - started)
        latencies = event_latencies(engine, LESSON, args.events)
    finally:
        cleanup.remove(engine, LESSON)
    result = {"machine": f"{platform.node()} {platform.machine()}, {platform.python_version()}",
              "engine": engine.version().get("Version"), "load_average_1m_at_start": round(load, 2),
              "containers_drawn": args.containers + 1,
              "event_to_picture": {"p50_ms": percentile(latencies, 0.5) * 1000,
                                   "p95_ms": percentile(latencies, 0.95) * 1000, "samples": len(latencies)},
              "draw_svg_ms": {"median": statistics.median(draws) * 1000, "max": max(draws) * 1000},
              "target_p95_ms": 200}
    print(json.dumps(result, indent=2))
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(json.dumps(result, indent=2) + "\n")
    return 0


if __name__ == "__main__":
    sys.exit(main())
