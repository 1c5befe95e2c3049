"""Run a command on the engine's host, as root, in the host's namespaces.

Similar to ``sudo CMD`` on the machine where dockerd runs. As root on that
machine the command runs directly; anywhere else (a user in the docker
group, Docker Desktop's VM) it runs through a throwaway helper container
that enters dockerd's own mount and network namespaces with ``nsenter`` —
so ``iptables`` and ``ip`` are the host's own.
"""
from __future__ import annotations

import os
import shlex
import shutil
import subprocess

from . import errors, labels
from .engine import Engine, socket_path

HELPER_LESSON = "host-shell"
HELPER_RIGHTS = {"network": "host", "pid_mode": "host",
                 "cap_add": ["SYS_ADMIN", "SYS_PTRACE", "SYS_CHROOT", "NET_ADMIN", "NET_RAW"],
                 "security_opt": ["apparmor=unconfined", "seccomp=unconfined"]}


def runs_here(engine: Engine) -> bool:
    """Whether this process is root on the engine's own machine (so it can act directly)."""
    path = socket_path(engine.url)
    return os.geteuid() == 0 and path is not None and os.path.exists(path) and shutil.which("ip") is not None


def run(engine: Engine, command: list[str], check: bool = True) -> tuple[int, str]:
    """Run ``command`` on the engine's host; return its exit code and output."""
    if runs_here(engine):
        try:
            done = subprocess.run(command, capture_output=True, text=True)
        except FileNotFoundError:
            raise errors.CommandRefused("host-command-missing", command=command[0]) from None
        code, output = done.returncode, done.stdout + done.stderr
    else:
        # /bin/sh with its full path, so that the host's own tools run, not busybox's applets
        script = f"nsenter -t $(pidof dockerd) -m -n /bin/sh -c {shlex.quote(shlex.join(command))}"
        info, output = engine.run(labels.BUSYBOX_IMAGE, ["sh", "-c", script], lesson=HELPER_LESSON,
                                  detach=False, remove=True, **HELPER_RIGHTS)
        code = info["State"]["ExitCode"]
    if check and code != 0:
        raise errors.CommandRefused("host-command-failed", command=shlex.join(command), output=output.strip())
    return code, output
