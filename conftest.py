"""Suite-wide guard: while the tests and lessons run, no container traffic leaves through the uplink.

At the start of the session a counting rule goes first in Docker's DOCKER-USER chain for packets
forwarded out of the machine's uplink (``-j RETURN``: it changes nothing, it only counts). At the end
the rule is read and removed; any packet counted fails the run, with the count.
"""
from __future__ import annotations

import os
import shutil
import subprocess

from dockerlab.kernel import default_route_interface

COMMENT = "dockerlab-uplink-watch"
_watch: dict = {}


def _iptables(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run(["iptables", "-w", *args], capture_output=True, text=True)


def _rule(uplink: str) -> list[str]:
    return ["DOCKER-USER", "-o", uplink, "-m", "comment", "--comment", COMMENT, "-j", "RETURN"]


def pytest_sessionstart(session):
    uplink = default_route_interface()
    if os.geteuid() != 0 or not shutil.which("iptables") or not uplink:
        return
    while _iptables("-D", *_rule(uplink)).returncode == 0:  # an earlier run's leftover
        pass
    if _iptables("-I", *_rule(uplink)[:1], "1", *_rule(uplink)[1:]).returncode == 0:
        _watch["uplink"] = uplink


def pytest_sessionfinish(session, exitstatus):
    uplink = _watch.pop("uplink", None)
    if uplink is None:
        return
    listing = _iptables("-L", "DOCKER-USER", "-v", "-x", "-n").stdout
    _iptables("-D", *_rule(uplink))
    counted = [int(line.split()[0]) for line in listing.splitlines() if COMMENT in line]
    packets = sum(counted)
    reporter = session.config.pluginmanager.get_plugin("terminalreporter")
    if packets:
        if reporter:
            reporter.write_line(f"FAILED uplink watch: {packets} packet(s) from containers left through {uplink}",
                                red=True)
        session.exitstatus = 1
    elif reporter:
        reporter.write_line(f"uplink watch: no container traffic left through {uplink}")
