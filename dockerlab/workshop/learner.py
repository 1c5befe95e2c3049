"""What runs inside a learner's environment besides JupyterLab: the course copied in, their progress reported.

``python -m dockerlab.workshop.learner course`` copies the course into ``~/work`` without overwriting what the
learner changed (a file they edited is kept; one they did not is brought up to date), like nbgitpuller's merge.
``python -m dockerlab.workshop.learner report --every 30`` writes, every 30 s, their exercises' outcomes,
the notebook they worked on last and when, and their answers to the course check (``lessons/coursecheck.py``),
to a small file the host reads (``progress.json``): the host never runs a command in their container to learn it.
"""
from __future__ import annotations

import argparse
import hashlib
import json
import os
import shutil
import time
from pathlib import Path

COURSE = Path("/opt/dockerlab/course")
WORK = Path("/root/work")
MANIFEST = WORK / ".dockerlab" / "course.json"
REPORT = Path("/var/lib/dockerlab-report/progress.json")
NOTEBOOK_FOLDERS = ("notebooks", "exercises/student")


def _digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def merge_course(course: Path = COURSE, work: Path = WORK, manifest: Path = MANIFEST) -> dict[str, list[str]]:
    """Bring ``work`` up to date with ``course``; returns the files added, updated and kept (changed by the
    learner). Similar to ``nbgitpuller``'s merge, without git."""
    known = json.loads(manifest.read_text()) if manifest.exists() else {}
    done: dict[str, list[str]] = {"added": [], "updated": [], "kept": []}
    for source in sorted(p for p in course.rglob("*") if p.is_file()):
        relative = str(source.relative_to(course))
        target, wanted = work / relative, _digest(source)
        if target.is_symlink() or (target.exists() and not target.is_file()):
            done["kept"].append(relative)
            continue
        if not target.exists():
            done["added"].append(relative)
        elif _digest(target) == wanted:
            known[relative] = wanted
            continue
        elif known.get(relative) == _digest(target):
            done["updated"].append(relative)
        else:
            done["kept"].append(relative)
            continue
        target.parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(source, target)
        known[relative] = wanted
    manifest.parent.mkdir(parents=True, exist_ok=True)
    manifest.write_text(json.dumps(known, indent=1))
    return done


def last_notebook(work: Path = WORK) -> tuple[str, float]:
    """The notebook saved last (``04-user-networks``, from notebooks/ or exercises/) and when (0 if none)."""
    newest, when = "", 0.0
    for folder in NOTEBOOK_FOLDERS:
        for path in (work / folder).glob("*.ipynb"):
            mtime = path.stat().st_mtime
            if mtime > when:
                newest, when = path.stem, mtime
    return newest, when


def reading() -> dict:
    """One report: every exercise's outcome in the learner's engine, the last notebook and its time, and the
    course check's answers before and after."""
    from ..engine.client import Engine
    from ..exercises.progress import progress
    from ..host.session import LiveSession
    from ..lessons import coursecheck

    tasks = {task["id"]: task["outcome"] for task in progress(LiveSession(Engine.connect()))["tasks"]}
    notebook, saved = last_notebook()
    return {"time": time.time(), "tasks": tasks, "notebook": notebook, "saved": saved, "check": coursecheck.kept()}


def write_report(report: dict, path: Path = REPORT) -> None:
    temporary = path.with_suffix(".tmp")
    temporary.write_text(json.dumps(report))
    os.replace(temporary, path)


def main(argv: list[str] | None = None) -> int:
    options = argparse.ArgumentParser(prog="python -m dockerlab.workshop.learner")
    options.add_argument("action", choices=["course", "report"])
    options.add_argument("--every", type=float, default=30)
    args = options.parse_args(argv)
    if args.action == "course":
        done = merge_course()
        print(json.dumps({key: len(value) for key, value in done.items()}))
        return 0
    while True:
        try:
            write_report(reading())
        except Exception as problem:  # noqa: BLE001 - the next reading may work; the reason is in the log
            from ..text import say

            print(say("workshop-no-reading", time=time.strftime("%H:%M:%S"),
                      problem=f"{type(problem).__name__}: {problem}"), flush=True)
        time.sleep(args.every)


if __name__ == "__main__":
    raise SystemExit(main())
