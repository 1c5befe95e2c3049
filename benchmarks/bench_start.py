"""Benchmark: how long ``./lab open`` takes to answer with a working address, fresh and on the next start.

    .venv/bin/python benchmarks/bench_start.py [--ref HEAD] [--out benchmarks/results/start.json]

What "fresh" covers: a fresh clone of ``--ref`` in a temporary folder, with no Python environment of its
own, empty pip and uv caches (``PIP_CACHE_DIR``, ``UV_CACHE_DIR``) and an engine without the course's
images (the benchmark removes ``dockerlab/busybox`` and ``dockerlab/node`` from the engine ``DOCKER_HOST``
names first: give it an engine of your own). What it does not cover: Debian's packages (Python's venv,
docker.io, fonts) and the engine itself, already installed and running, as on a machine of this kind.

Each start is timed from ``./lab open`` to the moment the last line it printed is an address that
answers (JupyterLab's ``/api/status`` with the printed token); then JupyterLab is stopped. Targets: at
most 90 s fresh, at most 10 s on the next start. Older versions that print no address with a token are
timed to the moment their JupyterLab answers on the port (``answered``), with ``address`` left empty.
"""
from __future__ import annotations

import argparse
import json
import os
import platform
import re
import signal
import socket
import subprocess
import sys
import tempfile
import threading
import time
import urllib.error
import urllib.parse
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
ADDRESS = re.compile(r"(http://127\.0\.0\.1:\d+/\S*token=\S+)")


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def answers(url: str, refused_counts: bool = False) -> bool:
    """Whether ``url`` answers 200 (or, with ``refused_counts``, answers at all: 403 without a token)."""
    try:
        with urllib.request.urlopen(url, timeout=2) as response:
            return response.status == 200
    except urllib.error.HTTPError as refused:
        return refused_counts and refused.code == 403
    except OSError:
        return False


def status_of(address: str) -> str:
    """JupyterLab's ``/api/status`` on the server of ``address``, with its token (``…/lab/tree/X?reset&token=T``)."""
    parts = urllib.parse.urlsplit(address)
    token = urllib.parse.parse_qs(parts.query, keep_blank_values=True).get("token", [""])[0]
    return f"{parts.scheme}://{parts.netloc}/api/status?token={token}"


def start(clone: Path, env: dict[str, str], port: int, limit: float) -> dict:
    """One ``./lab open``: seconds until a working address is the last line printed (or the port answers)."""
    lines: list[str] = []
    started = time.monotonic()
    env = {**env, "DOCKERLAB_PORT": str(port)}  # how versions without --port are told the port
    process = subprocess.Popen(["./lab", "open", "--no-browser", "--port", str(port)], cwd=clone, env=env,
                               stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True, start_new_session=True)
    threading.Thread(target=lambda: lines.extend(process.stdout or ()), daemon=True).start()
    result: dict = {"seconds": None, "address": "", "answered": None}
    try:
        while time.monotonic() - started < limit and process.poll() is None:
            last = next((line.strip() for line in reversed(lines) if line.strip()), "")
            found = ADDRESS.search(last)
            if found and answers(status_of(found.group(1))):
                result.update(seconds=round(time.monotonic() - started, 1), address=found.group(1))
                break
            if result["answered"] is None and answers(f"http://127.0.0.1:{port}/api/status", refused_counts=True):
                result["answered"] = round(time.monotonic() - started, 1)
            if result["answered"] is not None and time.monotonic() - started > result["answered"] + 10:
                break  # a version that prints no working address as its last line: timed by its port
            time.sleep(0.2)
    finally:
        os.killpg(process.pid, signal.SIGTERM)
        try:
            process.wait(20)
        except subprocess.TimeoutExpired:
            os.killpg(process.pid, signal.SIGKILL)
    result["output"] = [line.rstrip() for line in lines][-40:]
    return result


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--ref", default="HEAD", help="the commit to clone (default: HEAD)")
    parser.add_argument("--limit", type=float, default=900, help="give up on a start after this many seconds")
    parser.add_argument("--starts", type=int, default=2, help="how many starts in a row (the first is fresh)")
    parser.add_argument("--out", type=Path, default=ROOT / "benchmarks" / "results" / "start.json")
    args = parser.parse_args()
    if "DOCKER_HOST" not in os.environ:
        print("Set DOCKER_HOST to an engine of your own: the benchmark removes the course's images from it.")
        return 2
    commit = subprocess.run(["git", "rev-parse", args.ref], cwd=ROOT, capture_output=True, text=True,
                            check=True).stdout.strip()
    with tempfile.TemporaryDirectory(prefix="dockerlab-start-") as work:
        work_path = Path(work)
        clone = work_path / "dockerlab"
        subprocess.run(["git", "clone", "--quiet", "--no-checkout", str(ROOT), str(clone)], check=True)
        subprocess.run(["git", "checkout", "--quiet", commit], cwd=clone, check=True)
        for image in ("dockerlab/busybox:latest", "dockerlab/node:latest"):
            subprocess.run(["docker", "image", "rm", "-f", image], capture_output=True)
        env = {**os.environ, "PIP_CACHE_DIR": str(work_path / "pip-cache"), "UV_CACHE_DIR": str(work_path / "uv-cache"),
               "HOME": str(work_path / "home"), "XDG_CACHE_HOME": str(work_path / "cache"),
               "DOCKERLAB_ANSWERS": str(work_path / "answers.json"), "PYTHONDONTWRITEBYTECODE": "1"}
        env.pop("VIRTUAL_ENV", None)
        env.pop("DOCKERLAB_VENV", None)
        env["PATH"] = os.pathsep.join(p for p in env["PATH"].split(os.pathsep) if ".venv" not in p)
        (work_path / "home").mkdir()
        runs = {}
        for name in ["fresh", "next", *[f"start {n}" for n in range(3, args.starts + 1)]]:
            print(f"==> ./lab open, {name} start of {commit[:10]}", flush=True)
            runs[name] = start(clone, env, free_port(), args.limit)
            print(f"    {runs[name]['seconds']} s to a working address (port answered at {runs[name]['answered']} s)",
                  flush=True)
    report = {"commit": commit, "machine": f"{platform.node()} ({os.cpu_count()} CPUs)",
              "python": sys.version.split()[0], "load average": os.getloadavg()[0], "date": time.strftime("%Y-%m-%d"),
              **runs}
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(json.dumps(report, indent=1) + "\n")
    print(json.dumps({name: {k: v for k, v in run.items() if k != "output"} for name, run in runs.items()}))
    return 0


if __name__ == "__main__":
    sys.exit(main())
