"""Shared helpers for every tier of tests."""
from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def run_cli(*args: str, env: dict[str, str] | None = None, prefix: list[str] | None = None,
            timeout: int = 300) -> subprocess.CompletedProcess:
    """Run ``dockerlab ARGS`` in a subprocess, as a learner would in a terminal."""
    return subprocess.run([*(prefix or []), sys.executable, "-m", "dockerlab", *args],
                          env={**os.environ, **(env or {})}, capture_output=True, text=True,
                          timeout=timeout, cwd=ROOT)
