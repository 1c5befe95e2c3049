"""Benchmark: ``dockerlab explain`` and ``dockerlab why`` on an engine with hundreds of containers.

    .venv/bin/python benchmarks/bench_explain.py [--sizes 100 300] [--out benchmarks/results/explain.json]

The engine is filled with Compose-style projects (8 projects, each a ``default`` network and 3 services with
replicas, as ``docker compose up --scale`` makes them) and plain containers on the default bridge, until it
runs ``size`` containers. For each size, in the same run (median of 5):

- ``read``: reading the whole engine (:func:`dockerlab.explain.reading.engine_map`: the snapshot and one
  ``docker inspect`` per container);
- ``listing`` and ``picture``: the folded listing, and the picture as SVG and as PNG, from what was read;
- ``why``: one verdict without a probe (reading the engine and its host included);
- how readable it stays: the listing's lines and the picture's height, folded and with ``--all``.

Targets: at 300 containers, reading takes at most 3 s and grows at most about linearly from 100; the folded
listing stays under 200 lines and the folded picture under 8,000 px high whatever the size.
Everything it makes is labelled ``io.dockerlab.lesson=bench-explain`` and removed at the end.
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
from dockerlab.explain import reading, verdict_for
from dockerlab.host import cleanup
from dockerlab.host.session import LiveSession
from dockerlab.render.enginemap import EnginePicture, listing

LESSON = "bench-explain"
PROJECTS, SERVICES = 8, 3


def timed(function, repeat: int) -> tuple[float, object]:
    samples, result = [], None
    for _ in range(repeat):
        started = time.perf_counter()
        result = function()
        samples.append(time.perf_counter() - started)
    return statistics.median(samples), result


def grow(engine: LiveSession, count: int) -> None:
    """Start containers until ``count`` run: compose-style replicas first (two thirds), then plain ones."""
    running = {labels.container_name(c) for c in engine.containers(all=False, label=f"{labels.LESSON}={LESSON}")}
    for project in range(PROJECTS):
        network = f"bp{project}_default"
        if not engine.networks(name=network):
            created = engine.api.create_network(network, labels={
                **labels.labels_for(LESSON), "com.docker.compose.project": f"bp{project}",
                "com.docker.compose.network": "default"})
            assert created["Id"]
    replicas = max(1, (count * 2 // 3) // (PROJECTS * SERVICES))
    wanted = [(f"bp{p}-svc{s}-{r}", p, s) for r in range(1, replicas + 1) for p in range(PROJECTS)
              for s in range(SERVICES)]
    wanted += [(f"plain-{i}", None, None) for i in range(max(0, count - len(wanted)))]
    for name, project, service in wanted[:count]:
        if name in running:
            continue
        extra = {} if project is None else {"com.docker.compose.project": f"bp{project}",
                                            "com.docker.compose.service": f"svc{service}"}
        engine.run(labels.BUSYBOX_IMAGE, ["sleep", "1d"], lesson=LESSON, name=name, extra_labels=extra,
                   network=None if project is None else f"bp{project}_default",
                   aliases=None if project is None else [f"svc{service}"], dns=list(labels.CONTAINED_DNS))
        running.add(name)
        if len(running) % 50 == 0:
            print(f"  {len(running)} containers running", flush=True)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[100, 300])
    parser.add_argument("--out", type=Path, default=Path(__file__).parent / "results" / "explain.json")
    args = parser.parse_args()
    engine = LiveSession(Engine.connect(), labels.TESTS)
    cleanup.remove(engine, LESSON)
    results: dict = {"machine": f"{platform.node()} {platform.machine()}, {platform.python_version()}",
                     "engine": engine.version().get("Version"), "sizes": {}}
    try:
        for size in sorted(args.sizes):
            print(f"{size} containers:", flush=True)
            grow(engine, size)
            reading.engine_map(engine)  # warm up
            read, emap = timed(lambda: reading.engine_map(engine), 5)
            text_time, text = timed(lambda emap=emap: listing(emap), 5)
            picture_time, picture = timed(lambda emap=emap: EnginePicture(emap), 5)
            svg_time, _ = timed(picture.svg, 3)
            png_time, _ = timed(picture.png, 1)
            everything = EnginePicture(emap, everything=True)
            source = next(name for name in emap.members if name.startswith("bp0-svc0"))
            why_time, verdict = timed(lambda source=source: verdict_for(engine, reading.engine_map(engine), source,
                                                                          "svc1", "80"), 3)
            row = {"containers": len(emap.members), "read_s": read, "listing_ms": text_time * 1000,
                   "picture_ms": picture_time * 1000, "svg_ms": svg_time * 1000, "png_s": png_time,
                   "why_s": why_time, "listing_lines": len(text.splitlines()),
                   "listing_lines_all": len(listing(emap, everything=True).splitlines()),
                   "picture_height_px": picture.scene.height, "picture_height_all_px": everything.scene.height,
                   "json_kb": len(json.dumps(emap.to_dict())) / 1024, "why_answer": verdict.stop}
            results["sizes"][size] = row
            print("  " + ", ".join(f"{key} {value:.2f}" if isinstance(value, float) else f"{key} {value}"
                                   for key, value in row.items()), flush=True)
    finally:
        cleanup.remove(engine, LESSON)
    sizes = results["sizes"]
    if len(sizes) > 1:
        low, high = min(sizes), max(sizes)
        results["read_growth"] = sizes[high]["read_s"] / sizes[low]["read_s"]
        results["size_growth"] = high / low
        print(f"reading grows {results['read_growth']:.2f}x for {results['size_growth']:.1f}x the containers")
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(json.dumps(results, indent=2) + "\n")
    print(f"written to {args.out}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
