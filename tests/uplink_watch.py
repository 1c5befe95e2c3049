"""Count packets that containers send out through one host interface (an iptables rule that only counts).

The rule goes first in Docker's DOCKER-USER chain (which FORWARD jumps to before anything else) and
ends in ``RETURN``, so it changes nothing; its packet counter is the measurement.
"""
from __future__ import annotations

import os
import shutil
import subprocess

COMMENT = "dockerlab-uplink-watch"


def _iptables(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run(["iptables", "-w", *args], capture_output=True, text=True)


def _rule(interface: str) -> list[str]:
    return ["-o", interface, "-m", "comment", "--comment", COMMENT, "-j", "RETURN"]


def available() -> bool:
    """Whether this process can watch (root, iptables, Docker's DOCKER-USER chain present)."""
    return os.geteuid() == 0 and shutil.which("iptables") is not None and \
        _iptables("-S", "DOCKER-USER").returncode == 0


def start(interface: str) -> None:
    """Start counting packets forwarded out of ``interface`` (an earlier run's rule is replaced)."""
    stop(interface)
    _iptables("-I", "DOCKER-USER", "1", *_rule(interface)).check_returncode()


def count(interface: str) -> int:
    """Packets counted so far for ``interface``."""
    listing = _iptables("-L", "DOCKER-USER", "-v", "-x", "-n").stdout
    return sum(int(line.split()[0]) for line in listing.splitlines()
               if COMMENT in line and f" {interface} " in f" {line} ")


def stop(interface: str) -> None:
    """Remove the counting rule(s) for ``interface``."""
    while _iptables("-D", "DOCKER-USER", *_rule(interface)).returncode == 0:
        pass
