"""Benchmark: a workshop room under load, and the whole course inside one learner's environment.

    .venv/bin/python benchmarks/bench_workshop.py room --learners 20 [--out benchmarks/results/workshop-20.json]
    .venv/bin/python benchmarks/bench_workshop.py course [--out benchmarks/results/workshop-course.json]

``room`` brings up N learners (``dockerlab workshop up``, each environment started), then runs lesson 01 and
its exercise sheet in every learner at once, each through a kernel in their own environment (``jupyter
nbconvert --execute``, as JupyterLab runs cells); it reports the time to bring the room up and down, each
learner's memory (their cgroup on the host, which also holds every container their engine starts) idle and at
peak, their filesystem's use, and the cells' latency (p50, p95, max, from the kernel's own timestamps).
``course`` runs every lesson and solved sheet that a room offers in one learner's environment, in order, and
reports each one's result and time: the instructor guide's timings and the proof that the course runs there.
Heavy (minutes to an hour): run it alone on the machine.
"""
from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from concurrent.futures import ThreadPoolExecutor
from datetime import datetime
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from dockerlab.engine.client import Engine
from dockerlab.workshop import NOT_IN_A_ROOM, container_name, disk, engine
from dockerlab.workshop.engine import REMAP_BASE

ROOT = Path(__file__).resolve().parent.parent
CGROUPS = Path("/sys/fs/cgroup")


def cli(*args: str, env: dict, timeout: int = 3600) -> subprocess.CompletedProcess:
    done = subprocess.run([sys.executable, "-m", "dockerlab", "workshop", *args], env={**os.environ, **env},
                          capture_output=True, text=True, timeout=timeout, cwd=ROOT)
    if done.returncode != 0:
        raise SystemExit(f"workshop {args[0]} failed:\n{done.stdout[-2000:]}\n{done.stderr[-2000:]}")
    return done


def memory(cid: str) -> dict[str, float]:
    folder = CGROUPS / "memory" / engine.places().cgroup_parent.lstrip("/") / cid
    return {"now_mib": int((folder / "memory.usage_in_bytes").read_text()) / 2**20,
            "peak_mib": int((folder / "memory.max_usage_in_bytes").read_text()) / 2**20}


def run_notebook(lab: Engine, learner: str, notebook: str, timeout: int = 1800) -> dict:
    """Execute a notebook in the learner's environment; its result, wall time and each cell's duration."""
    out = f"/tmp/bench-{Path(notebook).stem}.ipynb"
    started = time.monotonic()
    code, output = lab.exec(container_name(learner), [
        "jupyter", "nbconvert", "--execute", "--to", "notebook", "--output", out,
        f"--ExecutePreprocessor.timeout={timeout}", "--ExecutePreprocessor.record_timing=True",
        f"/root/work/{notebook}"])
    seconds = time.monotonic() - started
    cells = []
    if code == 0:
        _, text = lab.exec(container_name(learner), ["cat", out])
        for cell in json.loads(text)["cells"]:
            timing = cell.get("metadata", {}).get("execution", {})
            if "iopub.execute_input" in timing and "shell.execute_reply" in timing:
                begin, end = (datetime.fromisoformat(timing[k].replace("Z", "+00:00"))
                              for k in ("iopub.execute_input", "shell.execute_reply"))
                cells.append((end - begin).total_seconds())
    return {"notebook": notebook, "ok": code == 0, "seconds": round(seconds, 1), "cells": cells,
            **({} if code == 0 else {"output": output[-1500:]})}


def put_solved_sheets(state: Path, learner: str) -> list[str]:
    """The solved sheets into the learner's work folder (the room has the student copies), owned by them."""
    placed = []
    for sheet in sorted((ROOT / "exercises").glob("*.ipynb")):
        if sheet.name[:2] in NOT_IN_A_ROOM:
            continue
        target = disk.mountpoint(state, learner) / "work" / "solved" / sheet.name
        target.parent.mkdir(exist_ok=True)
        os.chown(target.parent, REMAP_BASE, REMAP_BASE)
        target.write_bytes(sheet.read_bytes())
        os.chown(target, REMAP_BASE, REMAP_BASE)
        placed.append(f"solved/{sheet.name}")
    return placed


def room(count: int) -> dict:
    state = Path(tempfile.mkdtemp(prefix="bench-workshop-")) / "state"
    env = {"DOCKERLAB_WORKSHOP_DIR": str(state)}
    started = time.monotonic()
    cli("up", "--learners", str(count), "--port", "28100", "--memory", "1g", "--disk", "2g", env=env)
    up_seconds = time.monotonic() - started
    settings = json.loads((state / "settings.json").read_text())
    lab = Engine.connect(settings["engine"])
    learners = settings["learners"]
    ids = {name: lab.container(container_name(name))["Id"] for name in learners}
    time.sleep(30)
    idle = {name: memory(cid)["now_mib"] for name, cid in ids.items()}
    for name in learners:
        put_solved_sheets(state, name)
    started = time.monotonic()

    def work(name: str) -> list[dict]:
        return [run_notebook(lab, name, "notebooks/01-default-bridge.ipynb"),
                run_notebook(lab, name, "solved/01-default-bridge.ipynb")]

    with ThreadPoolExecutor(max_workers=count) as pool:
        runs = dict(zip(learners, pool.map(work, learners), strict=True))
    busy_seconds = time.monotonic() - started
    peaks = {name: memory(cid)["peak_mib"] for name, cid in ids.items()}
    used = {name: disk.usage(state, name)["used"] / 2**20 for name in learners}
    cells = sorted(c for results in runs.values() for one in results for c in one["cells"])
    started = time.monotonic()
    cli("down", "--yes", "--to", str(state.parent), env=env)
    down_seconds = time.monotonic() - started
    return {"learners": count, "machine": {"cpus": os.cpu_count(), "load_before": os.getloadavg()[0]},
            "up_seconds": round(up_seconds, 1), "down_seconds": round(down_seconds, 1),
            "lesson_01_and_sheet_01_all_at_once_seconds": round(busy_seconds, 1),
            "all_ran": all(one["ok"] for results in runs.values() for one in results),
            "failures": {n: [one for one in r if not one["ok"]] for n, r in runs.items()
                         if not all(o["ok"] for o in r)},
            "memory_idle_mib": {"mean": round(statistics.mean(idle.values())), "max": round(max(idle.values()))},
            "memory_peak_mib": {"mean": round(statistics.mean(peaks.values())), "max": round(max(peaks.values()))},
            "disk_used_mib": {"mean": round(statistics.mean(used.values())), "max": round(max(used.values()))},
            "cell_seconds": {"count": len(cells), "p50": round(cells[len(cells) // 2], 2),
                             "p95": round(cells[int(len(cells) * 0.95)], 2), "max": round(cells[-1], 2)}}


def course() -> dict:
    state = Path(tempfile.mkdtemp(prefix="bench-workshop-")) / "state"
    env = {"DOCKERLAB_WORKSHOP_DIR": str(state)}
    started = time.monotonic()
    cli("up", "--learners", "1", "--port", "28100", "--memory", "1g", "--disk", "3g", env=env)
    up_seconds = time.monotonic() - started
    lab = Engine.connect(json.loads((state / "settings.json").read_text())["engine"])
    cid = lab.container(container_name("learner1"))["Id"]
    sheets = put_solved_sheets(state, "learner1")
    lessons = [f"notebooks/{p.name}" for p in sorted((ROOT / "notebooks").glob("[0-9][0-9]-*.ipynb"))
               if p.name[:2] not in NOT_IN_A_ROOM and p.name[:2] != "00"]
    results = []
    for lesson in lessons:
        results.append(run_notebook(lab, "learner1", lesson))
        sheet = [s for s in sheets if Path(s).name[:2] == Path(lesson).name[:2]]
        if sheet:
            results.append(run_notebook(lab, "learner1", sheet[0]))
        lab.exec(container_name("learner1"), ["sh", "-c", "docker ps -aq | xargs -r docker rm -f"])
    for one in results:
        one["cells"] = len(one["cells"])
    peak = memory(cid)["peak_mib"]
    used = disk.usage(state, "learner1")["used"] / 2**20
    cli("down", "--yes", "--to", str(state.parent), env=env)
    return {"up_seconds": round(up_seconds, 1), "all_ran": all(one["ok"] for one in results),
            "memory_peak_mib": round(peak), "disk_used_mib": round(used), "notebooks": results}


def main() -> None:
    options = argparse.ArgumentParser()
    options.add_argument("what", choices=["room", "course"])
    options.add_argument("--learners", type=int, default=20)
    options.add_argument("--out", type=Path)
    args = options.parse_args()
    result = room(args.learners) if args.what == "room" else course()
    print(json.dumps(result, indent=2))
    if args.out:
        args.out.write_text(json.dumps(result, indent=2) + "\n")


if __name__ == "__main__":
    main()
