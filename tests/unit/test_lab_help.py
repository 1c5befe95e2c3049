"""``./lab --help`` and ``./lab test --help``: every command, tier and lane (its time), exit 0, nothing installed."""
from __future__ import annotations

import re
import subprocess
from pathlib import Path

from tests.engines.lanes import ALL, TIERS

ROOT = Path(__file__).resolve().parents[2]


def _help(*words: str) -> str:
    done = subprocess.run(["bash", str(ROOT / "lab"), *words], capture_output=True, text=True, timeout=30,
                          env={"PATH": "/usr/bin:/bin", "DOCKERLAB_VENV": "/nonexistent-venv"})
    assert done.returncode == 0, done.stderr
    assert "Installing" not in done.stdout  # help is read, not acted on
    return done.stdout


def test_the_test_help_names_every_tier_and_lane_with_a_time():
    said = _help("test", "--help")
    for tier in TIERS:
        line = next((line for line in said.splitlines() if line.strip().startswith(tier)), "")
        assert re.search(r"\d+ min", line), (tier, line)
    for lane in ALL:
        assert lane in said, lane


def test_the_help_lists_every_command():
    said = _help("--help")
    for command in ("open", "setup", "doctor", "test", "regen", "translate", "site"):
        assert f"./lab {command}" in said, command
