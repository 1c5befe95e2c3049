"""What a learner builds by hand on the engine's host (sheet 12): namespaces, links, firewall rules.

The judges read it with one shell command on the host (:func:`look`), as ``ip netns list``, ``ip -n NS
-o link``/``addr``/``route`` and ``iptables -S DOCKER-USER`` would show it; a reset removes the sheet's own
only: namespaces named ``dockerlab-<sheet>-...``, host links whose alias is ``dockerlab:<sheet>``, rules
whose comment is ``dockerlab:<sheet>`` (:mod:`dockerlab.host.netns`, :mod:`~dockerlab.host.hostlinks`,
:mod:`~dockerlab.host.firewall`).
"""
from __future__ import annotations

import re
import shlex
from dataclasses import dataclass, field

from ..host import firewall, hostlinks, netns
from ..host.session import Session
from ..labels import HOST_LINK_ALIAS_PREFIX

# "7: eth0@if8: <BROADCAST,MULTICAST,UP,LOWER_UP> mtu 1500 ... state UP ... \    link/ether ... alias dockerlab:ex12"
_LINK = re.compile(r"^(\d+): ([^:@\s]+)(?:@(\S+))?: <([^>]*)>(.*)$")
_ADDRESS = re.compile(r"^\d+: (\S+)\s+inet6? (\S+)")


@dataclass
class Link:
    """One interface as ``ip -o link`` shows it."""

    index: int
    name: str
    peer: str  # after the @: ``if8`` for a veth whose other end has index 8 (in another namespace too)
    up: bool
    master: str = ""
    kind: str = ""
    alias: str = ""


@dataclass
class Space:
    """One network namespace (or the host's own): its links, addresses (``10.0.0.1/24`` by link) and routes."""

    links: dict[str, Link] = field(default_factory=dict)
    addresses: dict[str, list[str]] = field(default_factory=dict)
    routes: list[str] = field(default_factory=list)

    def having(self, address: str) -> str | None:
        """The link that carries ``address`` (without its prefix length), or ``None``."""
        return next((link for link, found in self.addresses.items()
                     if any(a.split("/")[0] == address for a in found)), None)

    def all_addresses(self) -> list[str]:
        return [a for found in self.addresses.values() for a in found if not a.startswith(("127.", "::1", "fe80"))]


@dataclass
class HostView:
    """The sheet's namespaces by name, the host's own links and addresses, the ``DOCKER-USER`` rules and the
    ``FORWARD`` chain's policy (``DROP`` once Docker set it)."""

    spaces: dict[str, Space]
    host: Space
    rules: list[str]
    forward_policy: str = ""


def _parse_link(line: str) -> Link | None:
    found = _LINK.match(line.strip())
    if not found:
        return None
    index, name, peer, flags, rest = found.groups()
    words = rest.split()
    master = words[words.index("master") + 1] if "master" in words else ""
    alias = rest.split("alias ", 1)[1].strip() if "alias " in rest else ""
    return Link(int(index), name, peer or "", "UP" in flags.split(","), master, "", alias)


def _parse(output: str) -> HostView:
    """The output of :func:`look_command`, section by section (``@ns NAME``, ``@addr``, ``@routes``, ...)."""
    spaces: dict[str, Space] = {}
    host, rules, policy = Space(), [], ""
    current, section = host, ""
    for line in output.splitlines():
        words = line.split()
        if line.startswith("@"):
            marker = words[0][1:]
            if marker == "ns":
                current, section = spaces.setdefault(words[1], Space()), "links"
            elif marker in ("host", "host-addr"):
                current, section = host, "links" if marker == "host" else "addr"
            else:
                section = marker
        elif not words:
            continue
        elif section == "links":
            if (link := _parse_link(line)) is not None:
                current.links[link.name] = link
        elif section == "addr":
            if (address := _ADDRESS.match(line.strip())) is not None:
                current.addresses.setdefault(address.group(1).split("@")[0], []).append(address.group(2))
        elif section == "routes":
            current.routes.append(line.strip())
        elif section == "bridges" and words[0].split("@")[0] in host.links:
            host.links[words[0].split("@")[0]].kind = "bridge"
        elif section == "rules":
            rules.append(line.strip())
        elif section == "forward" and words[:2] == ["-P", "FORWARD"]:
            policy = words[2] if len(words) > 2 else ""
    return HostView(spaces, host, rules, policy)


def look_command(sheet: str) -> str:
    """The one shell command that reads what the sheet's judges need from the host."""
    prefix = netns.prefix(sheet)
    return (f"for ns in $(ip netns list | cut -d' ' -f1 | grep '^{prefix}'); do "
            "echo \"@ns $ns\"; ip -n $ns -o link show; echo @addr; ip -n $ns -o addr show; "
            "echo @routes; ip -n $ns route show; done; "
            "echo @host; ip -o link show; echo @host-addr; ip -o addr show; "
            "echo @bridges; ip -o link show type bridge | cut -d: -f2; "
            "echo @rules; iptables -S DOCKER-USER 2>/dev/null; echo @forward; iptables -S FORWARD 2>/dev/null; true")


def look(state, sheet: str) -> HostView:
    """What the sheet's namespaces, the host's links and ``DOCKER-USER`` hold now (one command on the host)."""
    _, output = state.on_host(look_command(sheet))
    return _parse(output)


NO_ROUTE, THROUGH_A_GATEWAY = 3, 4
"""Exit codes of :func:`ping_from`'s command when it sends no ping."""


def ping_from(state, space: str, address: str) -> tuple[int, str]:
    """Ping ``address`` from namespace ``space``, only if it is on one of the namespace's own links.

    Similar to ``sudo ip -n SPACE route get ADDRESS``, then ``sudo ip netns exec SPACE ping -c 1 -W 1
    ADDRESS`` when that route has no ``via``: the ping stays on the lab's own links, never goes out
    through a gateway. Returns the exit code (0: a reply; :data:`NO_ROUTE`, :data:`THROUGH_A_GATEWAY`:
    not sent) and the route.
    """
    space, address = shlex.quote(space), shlex.quote(address)
    code, output = state.on_host(
        f"route=$(ip -n {space} route get {address} 2>/dev/null) || exit {NO_ROUTE}; echo \"$route\"; "
        f"case \"$route\" in *' via '*) exit {THROUGH_A_GATEWAY};; esac; "
        f"P=ping; command -v ping >/dev/null || P='busybox ping'; "
        f"ip netns exec {space} $P -c 1 -W 1 {address} >/dev/null")
    return code, " ".join(output.split())


def remove(engine: Session, sheet: str, names: list[str]) -> tuple[list[str], list[str]]:
    """Remove the sheet's own among ``names`` (namespaces, host links) and its rules naming one of them.

    Returns what was removed and the names left alone (a link of that name without the sheet's label).
    Similar to ``ip netns delete``, ``ip link del`` and ``iptables -D`` of those.
    """
    removed, yours = [], []
    spaces = set(netns.namespaces(engine, sheet))
    aliases = hostlinks.aliases(engine)
    for table, rule in firewall.labelled_rules(firewall.saved(engine), sheet):
        if any(name in rule.split() for name in names):
            command = ["iptables", "-t", table, "-D", *shlex.split(rule)[1:]]
            if engine.host(command, check=False)[0] == 0:
                removed.append(rule)
    for name in names:
        if name in spaces:
            if netns.delete(engine, name):
                removed.append(name)
        elif name in aliases:
            if aliases[name] == HOST_LINK_ALIAS_PREFIX + sheet:
                if engine.host(["ip", "link", "del", "dev", name], check=False)[0] == 0:
                    removed.append(name)
            else:
                yours.append(name)
    return removed, yours
