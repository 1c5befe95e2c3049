"""Run a command on the engine's host, as root, in the host's namespaces.

Similar to ``sudo CMD`` on the machine where dockerd runs. As root on that
machine (see :mod:`dockerlab.host.enginehost`) the command runs directly;
anywhere else (a user in the docker group, Docker Desktop's VM, an engine in
its own namespaces) it runs through a throwaway helper container that
enters the mount and network namespaces of *the engine's own* dockerd — the
one whose network namespace the helper shares, never "the" dockerd by name,
since a machine may run several (the lab's cluster nodes are dockerds too) —
so ``iptables`` and ``ip`` are the engine host's own.
"""
from __future__ import annotations

import shlex
import subprocess
import time

from .. import errors, labels
from ..engine.client import ContainerSpec, Engine
from .enginehost import HELPER_LESSON, engine_host

NO_OWN_DOCKERD = "dockerlab: no dockerd in this network namespace"
HELPER = ContainerSpec(network="host", pid_mode="host",
                       cap_add=["SYS_ADMIN", "SYS_PTRACE", "SYS_CHROOT", "NET_ADMIN", "NET_RAW"],
                       security_opt=["apparmor=unconfined", "seccomp=unconfined"])
"""The helper's rights: the host's network and PIDs, and what ``nsenter`` needs to enter dockerd's namespaces."""


FIND_OWN_DOCKERD = """me=$(stat -L -c %i /proc/self/ns/net); own=""
for p in $(pidof dockerd); do
  [ "$(cat /proc/$p/comm 2>/dev/null)" = dockerd ] || continue
  [ "$(stat -L -c %i /proc/$p/ns/net 2>/dev/null)" = "$me" ] && own=$p && break
done"""
"""Shell that sets ``$own`` to the PID of the dockerd whose network namespace this shell shares: the engine's
own. busybox's ``pidof`` also names dockerd's short-lived re-executed children, newest first: their
``/proc/PID/exe`` is dockerd too (``libnetwork-setkey``, run by runc for every container that starts, in the
engine's namespaces; ``docker-untar`` in a chroot of its own), but their ``comm`` is ``exe``. Entering one that
ends first fails (``nsenter: ... No such file``): only a process named ``dockerd`` is the engine."""

_ENTER_OWN_DOCKERD = FIND_OWN_DOCKERD + """
[ -n "$own" ] && exec nsenter -t $own -m -n /bin/sh -c "$1"
echo "dockerlab: no dockerd in this network namespace" >&2; exit 97"""


RUNC_HICCUP = "OCI runtime create failed"
"""What the engine says when runc could not start a container's first process (``read init-p: connection reset
by peer`` on a loaded machine): the course's own helper is started again, once; a learner's command is not."""


def _helper_run(engine: Engine, command: list[str]) -> tuple[dict, str]:
    """The helper container that runs ``command`` on the engine's host (``docker run --rm --privileged
    --pid host --network host ...``); started again once if runc could not start it."""
    for attempt in (1, 2):
        try:
            return engine.run(labels.BUSYBOX_IMAGE, command, lesson=HELPER_LESSON, spec=HELPER, detach=False,
                              remove=True)
        except errors.CommandRefused as refused:
            if attempt == 2 or RUNC_HICCUP not in str(refused):
                raise
            time.sleep(1)
    raise AssertionError("unreachable")


def runs_here(engine: Engine) -> bool:
    """Whether this process acts on the engine's host itself (root, and the engine's host is here)."""
    return engine_host(engine).direct


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
        info, output = _helper_run(engine, ["sh", "-c", _ENTER_OWN_DOCKERD, "sh", shlex.join(command)])
        code = info["State"]["ExitCode"]
        if code == 97 and NO_OWN_DOCKERD in output:
            raise errors.CommandRefused("host-no-own-dockerd", command=shlex.join(command))
    if check and code != 0:
        raise errors.CommandRefused("host-command-failed", command=shlex.join(command), output=output.strip())
    return code, output
