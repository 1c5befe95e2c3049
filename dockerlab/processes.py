"""A daemon's process, found by its pid file (as ``kill -0 $(cat PIDFILE)`` does)."""
from __future__ import annotations

import os
from pathlib import Path


def live_pid(pidfile: Path) -> int | None:
    """The process id ``pidfile`` names, if that process still runs; else None."""
    try:
        number = int(pidfile.read_text().strip())
        os.kill(number, 0)
        return number
    except (OSError, ValueError):
        return None
