"""Benchmark: memory and CPU of one workshop learner, idle and while lesson 04 runs in their environment.

    .venv/bin/python benchmarks/bench_workshop.py LEARNER [--idle 60] [--out benchmarks/results/workshop.json]

Needs a running workshop (``dockerlab workshop up``). Reads the learner's cgroup on the host (cgroup v1:
``memory.usage_in_bytes``, ``memory.max_usage_in_bytes``, ``cpuacct.usage``), which also holds every
container their own engine starts. Lesson 04 runs as in JupyterLab: ``jupyter nbconvert --execute`` of
``notebooks/04-user-networks.ipynb`` in the learner's environment.
"""
from __future__ import annotations

import argparse
import json
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from dockerlab.engine.client import Engine
from dockerlab.workshop import container_name

CGROUPS = Path("/sys/fs/cgroup")


def reading(cid: str) -> dict[str, float]:
    memory = CGROUPS / "memory/docker" / cid
    stat = dict(line.split() for line in (memory / "memory.stat").read_text().splitlines())
    return {"memory_mib": int((memory / "memory.usage_in_bytes").read_text()) / 2**20,
            "rss_mib": int(stat["total_rss"]) / 2**20,
            "peak_mib": int((memory / "memory.max_usage_in_bytes").read_text()) / 2**20,
            "cpu_s": int((CGROUPS / "cpuacct/docker" / cid / "cpuacct.usage").read_text()) / 1e9,
            "at": time.monotonic()}


def main() -> None:
    options = argparse.ArgumentParser()
    options.add_argument("learner")
    options.add_argument("--idle", type=float, default=60)
    options.add_argument("--out", type=Path)
    args = options.parse_args()
    engine = Engine.connect()
    cid = engine.container(container_name(args.learner))["Id"]

    first = reading(cid)
    time.sleep(args.idle)
    idle = reading(cid)
    (CGROUPS / "memory/docker" / cid / "memory.max_usage_in_bytes").write_text("0")
    start = reading(cid)
    code, output = engine.exec(container_name(args.learner), [
        "jupyter", "nbconvert", "--execute", "--to", "notebook", "--output", "/tmp/lesson-04.ipynb",
        "/root/work/notebooks/04-user-networks.ipynb"])
    end = reading(cid)
    result = {
        "learner": args.learner, "lesson_04_exit": code,
        "idle": {"memory_mib": round(idle["memory_mib"]), "rss_mib": round(idle["rss_mib"]),
                 "cpu_percent": round(100 * (idle["cpu_s"] - first["cpu_s"]) / (idle["at"] - first["at"]), 1)},
        "lesson_04": {"seconds": round(end["at"] - start["at"], 1), "peak_memory_mib": round(end["peak_mib"]),
                      "cpu_s": round(end["cpu_s"] - start["cpu_s"], 1),
                      "cpu_percent": round(100 * (end["cpu_s"] - start["cpu_s"]) / (end["at"] - start["at"]), 1)},
    }
    if code != 0:
        result["output"] = output[-1500:]
    print(json.dumps(result, indent=2))
    if args.out:
        args.out.write_text(json.dumps(result, indent=2) + "\n")


if __name__ == "__main__":
    main()
