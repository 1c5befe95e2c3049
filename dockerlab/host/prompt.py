"""How a command on the engine's host is shown: as the learner would type it in a terminal on this machine.

The engine's host is not always this machine's own network stack (see :mod:`dockerlab.host.enginehost`),
so the words before the command depend on where it is and who the learner is:

- here, as root: the command itself (``ip -o link show docker0``);
- here, as anyone else: ``sudo`` first;
- a rootless engine: inside its namespaces, as Docker's rootless guide says
  (``nsenter -U --preserve-credentials -n -m -t $(cat $XDG_RUNTIME_DIR/docker.pid)``; ``docker info``
  lists ``rootless`` in its security options);
- an engine in its own namespaces on this machine: ``nsenter`` into its dockerd's mount and network
  namespaces (with ``sudo`` unless root);
- an engine in a VM (Docker Desktop): a throwaway privileged container that enters the VM's own
  namespaces (``docker run --rm --privileged --pid host dockerlab/busybox nsenter -t 1 -m -n --``).
"""
from __future__ import annotations

import os

from .. import labels
from ..engine.client import Engine
from .enginehost import HELPER_LESSON, engine_host

ROOTLESS = ("nsenter", "-U", "--preserve-credentials", "-n", "-m", "-t", "$(cat $XDG_RUNTIME_DIR/docker.pid)")
IN_THE_VM = ("docker", "run", "--rm", "--privileged", "--pid", "host", labels.BUSYBOX_IMAGE,
             "nsenter", "-t", "1", "-m", "-n", "--")
_OWN_DOCKERD = """me=$(stat -L -c %i /proc/self/ns/net)
for p in $(pidof dockerd); do
  [ "$(stat -L -c %i /proc/$p/ns/net 2>/dev/null)" = "$me" ] && echo $p && exit 0
done"""

_known: dict[str, list[str]] = {}


def words_before(engine: Engine) -> list[str]:
    """What comes before a host command, typed on this machine (see the module's docstring). Asked once per engine."""
    if engine.url in _known:
        return _known[engine.url]
    root = os.geteuid() == 0
    sudo = [] if root else ["sudo"]
    security = " ".join(engine.info().get("SecurityOptions") or [])
    host = engine_host(engine)
    if "rootless" in security:
        words = list(ROOTLESS)
    elif host.here:
        words = sudo
    elif host.same_kernel:
        _, output = engine.run(labels.BUSYBOX_IMAGE, ["sh", "-c", _OWN_DOCKERD], lesson=HELPER_LESSON,
                               network="host", pid_mode="host", cap_add=["SYS_PTRACE"],
                               security_opt=["apparmor=unconfined"], detach=False, remove=True)
        pid = output.strip().split()[0] if output.strip() else ""
        words = [*sudo, "nsenter", "-t", pid, "-m", "-n"] if pid.isdigit() else sudo
    else:
        words = list(IN_THE_VM)
    _known[engine.url] = words
    return words


def typed(words_first: list[str], command: str) -> str:
    """``command`` as typed, after ``words_first`` (which may hold a ``$(...)`` to be left as it is)."""
    return " ".join([*words_first, command]) if words_first else command
