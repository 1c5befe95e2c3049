"""What the engine's host says about reaching a container: its firewall, addresses, sockets and routes.

Pure parsing of the text :func:`dockerlab.explain.reading.host_view` reads on the engine's host
(``iptables-save -c``, ``ip -o -4 addr``, ``ss -ltnup``, and ``/proc/PID/net/{tcp,tcp6,udp,udp6,route}``
for the containers, each line after its file's name as ``grep -H`` prints it). No engine here: tests feed it
recorded text.
"""
from __future__ import annotations

import ipaddress
import socket
import struct
from dataclasses import dataclass, field

_TCP_LISTEN, _UDP_UNCONNECTED = "0A", "07"


@dataclass(frozen=True)
class Socket:
    """A socket that waits for others: ``tcp 0.0.0.0:80`` (``ss -ltn``), and the program that holds it if known."""

    protocol: str   # tcp or udp
    address: str    # 0.0.0.0, ::, 127.0.0.1, 172.18.0.2...
    port: int
    program: str = ""

    @property
    def everywhere(self) -> bool:
        """Listening on every address of its namespace (``0.0.0.0`` or ``::``)."""
        return self.address in ("0.0.0.0", "::", "*")

    @property
    def loopback_only(self) -> bool:
        """Listening only on the namespace's own loopback (``127.0.0.1``, ``::1``): nobody else reaches it."""
        try:
            return ipaddress.ip_address(self.address).is_loopback
        except ValueError:
            return False

    def takes(self, address: str) -> bool:
        """Whether a connection to ``address`` on this port would reach this socket."""
        if self.everywhere:
            return True
        if self.address.startswith("::ffff:"):
            return self.address[7:] == address
        return self.address == address


@dataclass(frozen=True)
class Route:
    """One line of a namespace's IPv4 routing table (``ip route``)."""

    destination: str  # CIDR
    gateway: str | None
    interface: str

    def holds(self, address: str) -> bool:
        return ipaddress.ip_address(address) in ipaddress.ip_network(self.destination)


@dataclass
class HostView:
    """The engine host's facts that decide whether a packet arrives (see the module's docstring)."""

    firewall: str = ""                                   # iptables-save -c, then '#nft', then nft list ruleset
    backend: str = ""                                    # iptables, nftables or none (set by the reader)
    addresses: dict[str, list[str]] = field(default_factory=dict)  # host interface -> its IPv4 addresses (CIDR)
    sockets: list[Socket] = field(default_factory=list)  # the host's own listening sockets
    bridge_nf: bool | None = None                        # frames crossing a bridge pass iptables
    forward: bool | None = None                          # the host routes between its interfaces
    listening: dict[int, list[Socket]] = field(default_factory=dict)  # PID -> its namespace's listening sockets
    routes: dict[int, list[Route]] = field(default_factory=dict)      # PID -> its namespace's routes

    def local_addresses(self) -> set[str]:
        """Every IPv4 address of the host (without prefix), loopback included."""
        return {a.split("/")[0] for found in self.addresses.values() for a in found} | {"127.0.0.1"}

    def route_for(self, pid: int, address: str) -> Route | None:
        """The route a process's namespace takes to ``address`` (the longest prefix), or ``None``: no route."""
        candidates = [r for r in self.routes.get(pid, []) if r.holds(address)]
        return max(candidates, key=lambda r: ipaddress.ip_network(r.destination).prefixlen, default=None)


def _hex_ipv4(text: str) -> str:
    return socket.inet_ntoa(struct.pack("<I", int(text, 16)))


def _hex_ipv6(text: str) -> str:
    words = [struct.pack("<I", int(text[i:i + 8], 16)) for i in range(0, 32, 8)]
    address = ipaddress.IPv6Address(b"".join(words))
    return str((address.ipv4_mapped and f"::ffff:{address.ipv4_mapped}") or address)


def parse_proc_sockets(text: str, protocol: str, ipv6: bool) -> list[Socket]:
    """Listening sockets from ``/proc/PID/net/tcp`` (or ``tcp6``, ``udp``, ``udp6``)."""
    found = []
    wanted = _TCP_LISTEN if protocol == "tcp" else _UDP_UNCONNECTED
    for line in text.splitlines()[1:]:
        fields = line.split()
        if len(fields) < 4 or fields[3] != wanted:
            continue
        address, _, port = fields[1].partition(":")
        found.append(Socket(protocol, _hex_ipv6(address) if ipv6 else _hex_ipv4(address), int(port, 16)))
    return found


def parse_proc_routes(text: str) -> list[Route]:
    """Routes from ``/proc/PID/net/route`` (what ``ip route`` shows for IPv4)."""
    found = []
    for line in text.splitlines()[1:]:
        fields = line.split()
        if len(fields) < 8 or not int(fields[3], 16) & 1:  # RTF_UP
            continue
        destination, gateway, mask = _hex_ipv4(fields[1]), _hex_ipv4(fields[2]), _hex_ipv4(fields[7])
        network = ipaddress.ip_network(f"{destination}/{mask}", strict=False)
        found.append(Route(str(network), None if gateway == "0.0.0.0" else gateway, fields[0]))
    return found


def parse_ss(text: str) -> list[Socket]:
    """Listening sockets from ``ss -Hltnup``, with the program that holds each (``docker-proxy``)."""
    found = []
    for line in text.splitlines():
        fields = line.split()
        if len(fields) < 5 or fields[0] not in ("tcp", "udp"):
            continue
        address, _, port = fields[4].rpartition(":")
        address = address.strip("[]").split("%")[0]
        program = ""
        if fields[-1].startswith("users:((\""):
            program = fields[-1].split('"')[1]
        if port.isdigit():
            found.append(Socket(fields[0], address, int(port), program))
    return found


def parse_host_view(output: str) -> HostView:
    """The :class:`HostView` from the text the reader prints (sections headed ``#firewall``, ``#proc``...)."""
    sections: dict[str, list[str]] = {}
    current = None
    for line in output.splitlines():
        if line.startswith("#") and line[1:] in ("firewall", "addresses", "sockets", "bridge-nf", "forward", "proc",
                                                 "end"):
            current = line[1:]
            sections[current] = []
        elif current is not None:
            sections[current].append(line)
    view = HostView(firewall="\n".join(sections.get("firewall", [])))
    for line in sections.get("addresses", []):
        fields = line.split()
        if len(fields) >= 4 and fields[2] == "inet":
            view.addresses.setdefault(fields[1].split("@")[0], []).append(fields[3])
    view.sockets = parse_ss("\n".join(sections.get("sockets", [])))
    flag = "".join(sections.get("bridge-nf", [])).strip()
    view.bridge_nf = None if not flag else flag == "1"
    flag = "".join(sections.get("forward", [])).strip()
    view.forward = None if not flag else flag == "1"
    files: dict[tuple[int, str], list[str]] = {}
    for line in sections.get("proc", []):  # /proc/PID/net/FILE:LINE, as grep -H prints it
        name, _, content = line.partition(":")
        parts = name.split("/")
        if len(parts) == 5 and parts[2].isdigit():
            files.setdefault((int(parts[2]), parts[4]), []).append(content)
    for (pid, kind), lines in files.items():
        text = "\n".join(lines)
        if kind == "route":
            view.routes[pid] = parse_proc_routes(text)
        else:
            view.listening.setdefault(pid, []).extend(parse_proc_sockets(text, kind.rstrip("6"), kind.endswith("6")))
    return view
