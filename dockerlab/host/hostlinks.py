"""Links the course makes on the host itself (a macvlan parent, a cable to an "outside world").

Similar to ``ip link add NAME type veth peer name PEER``. Every such link
carries ``dockerlab:<lesson>`` in its ``ifalias`` (``ip link set NAME alias``):
that is its label, and :func:`remove_labelled` deletes only links that have
it. The machine's own uplink is never used as a parent.
"""
from __future__ import annotations

import re
import shlex
from typing import TYPE_CHECKING

from .. import errors, labels
from ..labels import HOST_LINK_ALIAS_PREFIX

if TYPE_CHECKING:
    from .session import Session

# "38: dl-parent0@dl-parent1: <BROADCAST,...> ... \    link/ether ... \    alias dockerlab:03-drivers"
_ONE_LINE = re.compile(r"^\d+: ([^:@\s]+)(?:@\S+)?: .*?(?:\\\s+alias (.*))?$")


def parse_aliases(output: str) -> dict[str, str]:
    """Each link's ``ifalias`` from ``ip -o link show`` (empty for links nobody labelled)."""
    found = {}
    for line in output.splitlines():
        match = _ONE_LINE.match(line.strip())
        if match:
            found[match.group(1)] = (match.group(2) or "").strip()
    return found


def aliases(engine: Session) -> dict[str, str]:
    """Every host link's ``ifalias``. Similar to ``ip -o link show``.

    Asked of the kernel over netlink, never read from ``/sys/class/net``: that shows the links of the
    network namespace that mounted it, which is not the engine's when dockerd was started in a network
    namespace of its own but shares this machine's mounts.
    """
    _, output = engine.host(["ip", "-o", "link", "show"])
    return parse_aliases(output)


def alias_of(engine: Session, name: str) -> str:
    """A host link's ``ifalias`` (its label, for links the course made)."""
    return aliases(engine).get(name, "")


def labelled(engine: Session, lesson: str | None = None) -> list[str]:
    """Host links the course made (of one lesson, if given)."""
    wanted = labels.host_link_alias(lesson or "")
    return sorted(name for name, alias in aliases(engine).items()
                  if (alias == wanted if lesson else alias.startswith(HOST_LINK_ALIAS_PREFIX)))


def _veth_pair(name: str, peer: str, lesson: str) -> list[list[str]]:
    """The commands that make a labelled veth pair, both ends up."""
    commands = [["ip", "link", "add", name, "type", "veth", "peer", "name", peer]]
    for end in (name, peer):
        commands.append(["ip", "link", "set", "dev", end, "alias", labels.host_link_alias(lesson)])
        commands.append(["ip", "link", "set", "dev", end, "up"])
    return commands


def _run(engine: Session, commands: list[list[str]], at_once: bool = False) -> None:
    """Run ``commands`` on the engine's host, one by one — or ``at_once`` in one shell that stops at the first
    that fails (``sh -ec``): one helper container instead of one per command where the host is elsewhere."""
    if at_once:
        engine.host(["sh", "-ec", "\n".join(shlex.join(command) for command in commands)])
    else:
        for command in commands:
            engine.host(command)


def _free(engine: Session, *names: str) -> None:
    existing = aliases(engine)
    for end in names:
        if end in existing:
            raise errors.NameInUse("name-in-use", name=end, message="a host link with that name exists")


def add_veth_pair(engine: Session, name: str, peer: str, lesson: str) -> None:
    """Make a labelled veth pair on the host, both ends up. Similar to ``ip link add NAME type veth peer name PEER``."""
    _free(engine, name, peer)
    _run(engine, _veth_pair(name, peer, lesson))


def remove_labelled(engine: Session, lesson: str | None = None) -> list[str]:
    """Delete the course's host links (of one lesson, if given); a veth's peer goes with it."""
    removed = []
    for name in labelled(engine, lesson):
        if engine.host(["ip", "link", "del", "dev", name], check=False)[0] == 0:
            removed.append(name)
    return removed


def cable_outside_world(engine: Session, name: str, pid: int, lesson: str, address: str, gateway: str,
                        at_once: bool = False) -> None:
    """Cable the container ``name`` (process ``pid``, started with ``--network none``) to the host as an
    "outside world": a labelled veth pair, the host end at ``gateway``, the far end the container's eth0 at
    ``address`` with its default route via the host. Similar to ``ip link add`` + ``ip link set netns`` +
    ``nsenter -t PID -n ip addr add``. ``at_once``: all in one shell on the host."""
    host_end, far_end = f"dl-{name[:8]}-h", f"dl-{name[:8]}-c"
    _free(engine, host_end, far_end)
    inside = ["nsenter", "-t", str(pid), "-n", "ip"]
    _run(engine, [*_veth_pair(host_end, far_end, lesson),
                  ["ip", "addr", "add", gateway, "dev", host_end],
                  ["ip", "link", "set", "dev", far_end, "netns", str(pid)],
                  [*inside, "link", "set", "dev", far_end, "name", "eth0"],
                  [*inside, "addr", "add", address, "dev", "eth0"],
                  [*inside, "link", "set", "dev", "eth0", "up"],
                  [*inside, "route", "add", "default", "via", gateway.split("/")[0]]], at_once)
