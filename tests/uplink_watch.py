"""Count packets that containers send out through one host interface (an iptables rule that only counts).

The rule goes first in Docker's DOCKER-USER chain (which FORWARD jumps to before anything else) and
ends in ``RETURN``, so it changes nothing; its packet counter is the measurement. Each test run has a rule
of its own (its comment names the run's process), so that runs side by side never remove or read another's;
a rule left by a run that no longer exists is removed when the next run starts.

Without ``engine`` the rule is this machine's (the uplink of the machine's own engine); with one, it is in
the engine's host, where its dockerd runs (a matrix engine's network namespace, through
``dockerlab.host.hostshell``).
"""
from __future__ import annotations

import os
import shlex
import shutil
import subprocess

PREFIX = "dockerlab-uplink-watch"
COMMENT = f"{PREFIX}:{os.getpid()}"


def _iptables(*args: str, engine=None) -> subprocess.CompletedProcess:
    command = ["iptables", "-w", *args]
    if engine is None:
        return subprocess.run(command, capture_output=True, text=True)
    from dockerlab.host import hostshell

    code, output = hostshell.run(engine, command, check=False)
    return subprocess.CompletedProcess(command, code, output, "")


def _rule(interface: str) -> list[str]:
    return ["-o", interface, "-m", "comment", "--comment", COMMENT, "-j", "RETURN"]


def available(engine=None) -> bool:
    """Whether this process can watch (root, iptables, Docker's DOCKER-USER chain present)."""
    return os.geteuid() == 0 and shutil.which("iptables") is not None and \
        _iptables("-S", "DOCKER-USER", engine=engine).returncode == 0


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


def start(interface: str, engine=None) -> None:
    """Start counting packets forwarded out of ``interface`` (rules of runs that ended are removed first)."""
    for rule in _iptables("-S", "DOCKER-USER", engine=engine).stdout.splitlines():
        owner = rule.partition(f"{PREFIX}:")[2].split()[0].strip('"') if f"{PREFIX}:" in rule else ""
        if owner.isdigit() and not _alive(int(owner)):
            _iptables(*shlex.split(rule.replace("-A ", "-D ", 1)), engine=engine)
    stop(interface, engine)
    _iptables("-I", "DOCKER-USER", "1", *_rule(interface), engine=engine).check_returncode()


def count(interface: str, engine=None) -> int:
    """Packets counted so far for ``interface``."""
    listing = _iptables("-L", "DOCKER-USER", "-v", "-x", "-n", engine=engine).stdout
    return sum(int(line.split()[0]) for line in listing.splitlines()
               if COMMENT in line and f" {interface} " in f" {line} ")


def stop(interface: str, engine=None) -> None:
    """Remove the counting rule(s) for ``interface``."""
    while _iptables("-D", "DOCKER-USER", *_rule(interface), engine=engine).returncode == 0:
        pass
