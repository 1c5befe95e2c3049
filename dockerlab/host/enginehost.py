"""Where the engine's host is, decided from facts — and so how host views are taken.

The engine's host is the machine (or VM, or network namespace) whose kernel
and network stack dockerd uses: its bridges, veths and firewall rules live
there. With Docker Desktop that is a VM; with ``DOCKER_HOST`` pointing at an
engine in its own namespaces it is that namespace. A socket path that exists
on this machine proves nothing about it.

The course asks the engine: a throwaway helper container started with
``--network host`` shares the engine host's network namespace, and reports
the kernel's boot ID and that namespace's inode. When both equal this
process's own, the engine's host *is* here. Similar to comparing
``docker run --rm --network host busybox stat -L -c %i /proc/self/ns/net``
with ``stat -L -c %i /proc/self/ns/net``.
"""
from __future__ import annotations

import os
import shutil
from dataclasses import dataclass
from pathlib import Path

from .. import labels
from ..engine.client import Engine

HELPER_LESSON = labels.HOST_HELPER
BOOT_ID = Path("/proc/sys/kernel/random/boot_id")
_REPORT = "cat /proc/sys/kernel/random/boot_id; stat -L -c %i /proc/self/ns/net"


@dataclass(frozen=True)
class EngineHost:
    """The facts about the engine's host, as seen from this process.

    ``same_kernel``: the engine runs on this machine's kernel (not a VM or another machine).
    ``same_network``: its host network namespace is this process's own.
    ``direct``: host views are taken by this process itself (root, here, ``ip`` present);
    otherwise through a helper container that enters the engine's own dockerd.
    """

    same_kernel: bool
    same_network: bool
    direct: bool

    @property
    def here(self) -> bool:
        """The engine's host is this machine's own network stack."""
        return self.same_kernel and self.same_network

    @property
    def where(self) -> str:
        """``here``, ``namespace`` (this kernel, another network namespace) or ``elsewhere``."""
        if self.here:
            return "here"
        return "namespace" if self.same_kernel else "elsewhere"


def own_facts() -> tuple[str, str]:
    """This process's kernel boot ID and network namespace inode (empty when unreadable)."""
    try:
        boot_id = BOOT_ID.read_text().strip()
    except OSError:
        boot_id = ""
    try:
        netns = str(os.stat("/proc/self/ns/net").st_ino)
    except OSError:
        netns = ""
    return boot_id, netns


def decide(engine_boot_id: str, engine_netns: str, mine: tuple[str, str], *, root: bool, has_ip: bool) -> EngineHost:
    """The decision itself, from the facts alone (no engine): see :class:`EngineHost`."""
    boot_id, netns = mine
    same_kernel = bool(boot_id) and boot_id == engine_boot_id
    same_network = same_kernel and bool(netns) and netns == engine_netns
    return EngineHost(same_kernel, same_network, direct=same_network and root and has_ip)


_decided: dict[str, EngineHost] = {}


def engine_host(engine: Engine) -> EngineHost:
    """Where ``engine``'s host is (asked once per engine address, then remembered).

    ``DOCKERLAB_HOST_VIEWS=helper`` forces host views through the helper container.
    """
    if engine.url not in _decided:
        _, output = engine.run(labels.BUSYBOX_IMAGE, ["sh", "-c", _REPORT], lesson=HELPER_LESSON,
                               network="host", detach=False, remove=True)
        words = output.split()
        engine_boot_id, engine_netns = ([*words, "", ""])[:2]
        _decided[engine.url] = decide(engine_boot_id, engine_netns, own_facts(), root=os.geteuid() == 0,
                                      has_ip=shutil.which("ip") is not None)
    host = _decided[engine.url]
    if os.environ.get("DOCKERLAB_HOST_VIEWS") == "helper" and host.direct:
        return EngineHost(host.same_kernel, host.same_network, direct=False)
    return host


def forget() -> None:
    """Ask again next time (after the engine moved, in tests)."""
    _decided.clear()
