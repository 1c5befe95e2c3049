"""Links the course makes on the host itself (a macvlan parent, a cable to an "outside world").

Similar to ``ip link add NAME type veth peer name PEER``. Every such link
carries ``dockerlab:<lesson>`` in its ``ifalias`` (``ip link set NAME alias``):
that is its label, and :func:`remove_labelled` deletes only links that have
it. The machine's own uplink is never used as a parent.
"""
from __future__ import annotations

from . import errors, hostshell
from .engine import Engine
from .labels import HOST_LINK_ALIAS_PREFIX

_LIST = r'for d in /sys/class/net/*; do read a < $d/ifalias 2>/dev/null; echo "${d##*/} $a"; a=; done'


def aliases(engine: Engine) -> dict[str, str]:
    """Every host link's ``ifalias`` (empty for links nobody labelled)."""
    _, output = hostshell.run(engine, ["sh", "-c", _LIST])
    found = {}
    for line in output.splitlines():
        name, _, alias = line.partition(" ")
        if name:
            found[name] = alias.strip()
    return found


def alias_of(engine: Engine, name: str) -> str:
    """A host link's ``ifalias`` (its label, for links the course made)."""
    return aliases(engine).get(name, "")


def labelled(engine: Engine, lesson: str | None = None) -> list[str]:
    """Host links the course made (of one lesson, if given)."""
    wanted = HOST_LINK_ALIAS_PREFIX + (lesson or "")
    return sorted(name for name, alias in aliases(engine).items()
                  if (alias == wanted if lesson else alias.startswith(HOST_LINK_ALIAS_PREFIX)))


def add_veth_pair(engine: Engine, name: str, peer: str, lesson: str) -> None:
    """Make a labelled veth pair on the host, both ends up. Similar to ``ip link add NAME type veth peer name PEER``."""
    existing = aliases(engine)
    for end in (name, peer):
        if end in existing:
            raise errors.NameInUse("name-in-use", name=end, message="a host link with that name exists")
    hostshell.run(engine, ["ip", "link", "add", name, "type", "veth", "peer", "name", peer])
    for end in (name, peer):
        hostshell.run(engine, ["ip", "link", "set", "dev", end, "alias", HOST_LINK_ALIAS_PREFIX + lesson])
        hostshell.run(engine, ["ip", "link", "set", "dev", end, "up"])


def remove_labelled(engine: Engine, lesson: str | None = None) -> list[str]:
    """Delete the course's host links (of one lesson, if given); a veth's peer goes with it."""
    removed = []
    for name in labelled(engine, lesson):
        if hostshell.run(engine, ["ip", "link", "del", "dev", name], check=False)[0] == 0:
            removed.append(name)
    return removed
