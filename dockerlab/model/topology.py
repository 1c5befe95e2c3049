"""What Docker really built, as a model: host interfaces, networks, containers.

Pure data, built from the facts :mod:`dockerlab.host.probe` gathers (the engine's
JSON and the kernel's links); it never talks to the engine, so it can be
built from recorded facts. Veth pairs come from the kernel's own numbers:
a container interface whose ``iflink`` is a host veth's ``ifindex``, and
whose ``ifindex`` is that veth's ``iflink``, is that veth's other end.

``Topology.to_dict()`` (and ``dockerlab snapshot --json``) give this stable
JSON, version 1::

    {"version": 1, "uplink": "eth0",
     "host_interfaces": [{"name", "kind": "bridge|veth|other", "type", "master", "ifindex", "iflink", "mac"}],
     "networks": [{"name", "driver", "subnet", "gateway", "bridge", "parent", "internal"}],
     "containers": [{"name", "network_mode", "networks", "shares_stack_of", "lesson", "ports",
                     "interfaces": [{"name", "mac", "ipv4", "network", "host_peer", "type", "ifindex", "iflink"}]}]}

``network_mode`` is ``bridge``, ``host``, ``none``, ``container:NAME``, or the
driver of the network the container was started on (``macvlan``,
``overlay``...). ``ipv4`` is CIDR (``172.17.0.2/16``); ``host_peer`` is the
name of the host-side veth, or ``null`` when the interface is not a veth
whose other end is on the host. A host-mode container has no interfaces of
its own (it uses the host's); a ``container:NAME`` one lists NAME's.
"""
from __future__ import annotations

from dataclasses import asdict, dataclass, field
from functools import cached_property

import networkx as nx

from ..labels import CABLE, container_name, lesson_of
from ..text import say

FORMAT_VERSION = 1
LAYERS = ("uplink", "bridge", "veth", "interface", "container")


@dataclass(frozen=True)
class HostInterface:
    """A link in the host's own network namespace (``ip -o link`` on the host)."""

    name: str
    kind: str  # bridge, veth or other
    type: str  # the precise kind: bridge, veth, macvlan, vxlan, loopback, other
    master: str | None
    ifindex: int
    iflink: int
    mac: str


@dataclass(frozen=True)
class Network:
    """A Docker network (``docker network inspect``): its range and, for bridges, its Linux bridge."""

    name: str
    driver: str
    subnet: str | None
    gateway: str | None
    """The gateway address (``docker network inspect``'s, else a container's), else the bridge's own address on the
    host: on an ``--internal`` network the engine reports none (from 25 its containers get no default route, moby
    v28.5.2 ``bridge_linux.go`` ``Join``; ``--subnet`` alone leaves ``IPAM.Config`` without one), yet the bridge
    still holds it, the host's address there (``setupBridgeIPv4``); ``None`` where the bridge has none (28's
    gateway mode ``isolated``)."""
    bridge: str | None
    parent: str | None = None  # a macvlan network's parent link on the host
    internal: bool = False     # created with --internal: no way out


@dataclass(frozen=True)
class Interface:
    """A link inside a container (``docker exec C ip -o link``)."""

    name: str
    mac: str
    ipv4: str | None
    network: str | None
    host_peer: str | None
    type: str
    ifindex: int
    iflink: int
    host_address: str | None = None  # the address of the host's end of a cable made by hand (labels.CABLE)


@dataclass(frozen=True)
class Container:
    """A running container and the network stack it uses."""

    name: str
    network_mode: str
    networks: list[str]
    interfaces: list[Interface]
    shares_stack_of: str | None = None
    lesson: str | None = None  # the course lesson that made it; None for the learner's own
    ports: list[dict] = field(default_factory=list)  # published: {"host_ip", "host_port", "container_port", "protocol"}

    def interface_on(self, network: str) -> Interface | None:
        """This container's interface on ``network``, if it has one."""
        return next((i for i in self.interfaces if i.network == network), None)


@dataclass
class Path:
    """The hops a packet takes between two containers, or why there is none."""

    source: str
    target: str
    hops: list[str] = field(default_factory=list)
    network: str | None = None
    reason: str = ""
    explained: list[str] = field(default_factory=list)

    @property
    def exists(self) -> bool:
        return bool(self.hops)

    def __str__(self) -> str:
        if not self.exists:
            return say("path-missing", source=self.source, target=self.target, reason=self.reason)
        title = say("path-title-lo" if self.network == "lo" else "path-title", source=self.source,
                    target=self.target, network=self.network)
        return title + "\n  " + "\n  ".join(self.explained)


def _name(container: dict) -> str:
    return container_name(container)


def _address_only(cidr: str | None) -> str | None:
    """``10.209.2.1`` from ``10.209.2.1/24``."""
    return cidr.split("/")[0] if cidr else None


def bridge_of(network: dict) -> str | None:
    """A bridge network's Linux bridge on the host (``docker0``, ``br-`` and 12 hex of its ID); else ``None``."""
    if network["Driver"] != "bridge":
        return None
    return (network.get("Options") or {}).get("com.docker.network.bridge.name") or f"br-{network['Id'][:12]}"


def _public_kind(kind: str) -> str:
    return kind if kind in ("bridge", "veth") else "other"


class Topology:
    """A snapshot of what the engine and the kernel have. Build it with :meth:`from_facts`."""

    def __init__(self, uplink: str | None, host_interfaces: list[HostInterface], networks: list[Network],
                 containers: list[Container]):
        self.uplink = uplink
        self.host_interfaces = {h.name: h for h in sorted(host_interfaces, key=lambda h: h.name)}
        self.networks = {n.name: n for n in sorted(networks, key=lambda n: n.name)}
        self.containers = {c.name: c for c in sorted(containers, key=lambda c: c.name)}

    # -- building ----------------------------------------------------------------------
    @classmethod
    def from_facts(cls, facts: dict) -> Topology:
        """Build the model from :func:`dockerlab.host.probe.gather` output (live or recorded)."""
        host_links = facts["host_links"]
        host = [HostInterface(link["name"], _public_kind(link["kind"]), link["kind"], link["master"],
                              link["ifindex"], link["iflink"], link["mac"]) for link in host_links]
        veth_by_index = {link["ifindex"]: link for link in host_links if link["kind"] == "veth"}
        engine_networks = {n["Name"]: n for n in facts["networks"]}
        gateways = {name: ep.get("Gateway") for c in facts["containers"]
                    for name, ep in (c.get("Networks") or {}).items() if ep.get("Gateway")}
        on_bridges = facts.get("bridge_addresses") or {}  # absent from facts recorded before it was read
        networks = []
        for name, net in engine_networks.items():
            config = (net.get("IPAM") or {}).get("Config") or [{}]
            ipv4 = next((c for c in config if ":" not in (c.get("Subnet") or "")), config[0])
            bridge = bridge_of(net)
            gateway = ipv4.get("Gateway") or gateways.get(name) or _address_only(on_bridges.get(bridge or ""))
            networks.append(Network(name, net["Driver"], ipv4.get("Subnet"), gateway, bridge,
                                    (net.get("Options") or {}).get("parent"), bool(net.get("Internal"))))
        network_ids = {n["Id"]: n["Name"] for n in facts["networks"]}
        drivers = {n["Name"]: n["Driver"] for n in facts["networks"]}
        by_id = {c["Id"]: c for c in facts["containers"]}
        containers = []
        for raw in facts["containers"]:
            mode, owner = raw["NetworkMode"], raw
            shares = None
            if mode.startswith("container:"):
                target = mode.split(":", 1)[1]
                owner = by_id.get(target) or next((c for cid, c in by_id.items() if cid.startswith(target)
                                                   or _name(c) == target), raw)
                shares = _name(owner)
                mode = f"container:{shares}"
            elif mode == "default":
                mode = "bridge"
            elif mode not in ("host", "none", "bridge"):
                mode = engine_networks.get(mode, {}).get("Driver", mode)
            endpoints = {ep.get("MacAddress"): (name, ep) for name, ep in (owner.get("Networks") or {}).items()
                         if ep.get("MacAddress")}
            interfaces = []
            cable = (lambda text: text.split(",") if text.count(",") == 1 else None)(
                (raw.get("Labels") or {}).get(CABLE, ""))
            ns = facts["container_netns"].get(owner["Id"])
            if ns is not None and ns != facts.get("host_netns"):
                for link in facts["namespaces"].get(ns, []):
                    network, endpoint = endpoints.get(link["mac"], (None, None))
                    ipv4 = None
                    if endpoint and endpoint.get("IPAddress"):
                        ipv4 = f"{endpoint['IPAddress']}/{endpoint['IPPrefixLen']}"
                    elif link["kind"] == "loopback":
                        ipv4 = "127.0.0.1/8"
                    elif cable and endpoint is None:
                        ipv4 = cable[0]
                    network = network_ids.get((endpoint or {}).get("NetworkID"), network)
                    peer = veth_by_index.get(link["iflink"]) if link["kind"] == "veth" else None
                    host_peer = peer["name"] if peer and peer["iflink"] == link["ifindex"] else None
                    kind = link["kind"]
                    if kind == "veth" and host_peer is None and drivers.get(network) == "macvlan":
                        kind = "macvlan"  # its parent lives in the host's namespace, so sysfs here shows no lower_
                    interfaces.append(Interface(link["name"], link["mac"], ipv4, network, host_peer, kind,
                                                link["ifindex"], link["iflink"],
                                                cable[1] if cable and endpoint is None and host_peer else None))
            interfaces.sort(key=lambda i: i.name)
            lesson = lesson_of(raw.get("Labels"))
            ports = [{"host_ip": p["IP"], "host_port": p["PublicPort"], "container_port": p["PrivatePort"],
                      "protocol": p["Type"]} for p in raw.get("Ports") or []]
            containers.append(Container(_name(raw), mode, sorted(owner.get("Networks") or {}),
                                        interfaces, shares, lesson, ports))
        return cls(facts.get("uplink"), host, networks, containers)

    @classmethod
    def from_dict(cls, data: dict) -> Topology:
        """The model back from :meth:`to_dict`'s JSON (a recorded frame, ``dockerlab snapshot --json``)."""
        return cls(data.get("uplink"), [HostInterface(**h) for h in data["host_interfaces"]],
                   [Network(**n) for n in data["networks"]],
                   [Container(**{**c, "interfaces": [Interface(**i) for i in c["interfaces"]]})
                    for c in data["containers"]])

    def focus(self, containers: list[str]) -> Topology:
        """Only these containers, the networks they use, and the host links that lead to them."""
        chosen = [self.containers[name] for name in containers if name in self.containers]
        owners = {c.shares_stack_of for c in chosen if c.shares_stack_of} - {c.name for c in chosen}
        chosen += [self.containers[name] for name in sorted(owners)]
        networks = {n for c in chosen for n in c.networks}
        bridges = {self.networks[n].bridge for n in networks if n in self.networks and self.networks[n].bridge}
        parents = {self.networks[n].parent for n in networks if n in self.networks and self.networks[n].parent}
        peers = {i.host_peer for c in chosen for i in c.interfaces if i.host_peer}
        keep = bridges | parents | peers | ({self.uplink} if self.uplink else set())
        return Topology(self.uplink, [h for h in self.host_interfaces.values() if h.name in keep],
                        [n for n in self.networks.values() if n.name in networks], chosen)

    def without(self, name: str) -> Topology:
        """The topology once container ``name`` has stopped (``docker stop``, ``docker rm -f``).

        Its stack goes, and with it the host ends of its veth pairs: the kernel deletes a veth pair
        when the namespace holding one end goes away.
        """
        gone = self.containers.get(name)
        if gone is None:
            return self
        peers = {i.host_peer for i in gone.interfaces if i.host_peer}
        return Topology(self.uplink, [h for h in self.host_interfaces.values() if h.name not in peers],
                        list(self.networks.values()), [c for c in self.containers.values() if c.name != name])

    def of_lesson(self, lesson: str) -> Topology:
        """Only what one lesson made (see :meth:`focus`)."""
        return self.focus([c.name for c in self.containers.values() if c.lesson == lesson])

    # -- views -------------------------------------------------------------------------
    def to_dict(self) -> dict:
        """The documented JSON (version 1); ``dockerlab snapshot --json`` prints the same."""
        return {
            "version": FORMAT_VERSION,
            "uplink": self.uplink,
            "host_interfaces": [asdict(h) for h in self.host_interfaces.values()],
            "networks": [asdict(n) for n in self.networks.values()],
            "containers": [asdict(c) for c in self.containers.values()],
        }

    def bridges(self) -> list[str]:
        """Host bridges in use by a Docker network or with ports, in a stable order."""
        return [h.name for h in self.host_interfaces.values() if h.kind == "bridge"]

    def network_of_bridge(self, bridge: str) -> str | None:
        """The Docker network whose Linux bridge is ``bridge``."""
        return next((n.name for n in self.networks.values() if n.bridge == bridge), None)

    @cached_property
    def graph(self) -> nx.Graph:
        """A networkx graph: uplink -> bridges -> veths -> container interfaces -> containers.

        Node attributes: ``layer`` (one of :data:`LAYERS`), ``label``, ``network``.
        Edge attribute ``kind``: ``routes`` (uplink-bridge), ``port`` (bridge-veth),
        ``veth-pair``, ``macvlan`` (parent-interface), ``has`` (interface-container),
        ``shares`` (a ``container:`` container to the stack it uses), ``host-stack``.
        """
        graph = nx.Graph()
        if self.uplink:
            graph.add_node(f"host:{self.uplink}", layer="uplink", label=self.uplink, network=None)
        for host in self.host_interfaces.values():
            if host.kind == "bridge":
                network = self.network_of_bridge(host.name)
                graph.add_node(f"host:{host.name}", layer="bridge", label=host.name, network=network)
                if self.uplink:
                    graph.add_edge(f"host:{self.uplink}", f"host:{host.name}", kind="routes")
        for host in self.host_interfaces.values():
            if host.kind == "veth" and host.master and f"host:{host.master}" in graph:
                graph.add_node(f"host:{host.name}", layer="veth", label=host.name,
                               network=self.network_of_bridge(host.master))
                graph.add_edge(f"host:{host.master}", f"host:{host.name}", kind="port")
        for container in self.containers.values():
            node = f"container:{container.name}"
            graph.add_node(node, layer="container", label=container.name, network=None, mode=container.network_mode)
            if container.shares_stack_of:
                continue
            if container.network_mode == "host" and self.uplink:
                graph.add_edge(node, f"host:{self.uplink}", kind="host-stack")
            for interface in container.interfaces:
                if interface.type == "loopback" and container.network_mode != "none":
                    continue
                inode = f"if:{container.name}/{interface.name}"
                graph.add_node(inode, layer="interface", label=interface.name, network=interface.network,
                               ipv4=interface.ipv4, mac=interface.mac)
                graph.add_edge(inode, node, kind="has")
                if interface.host_peer:
                    peer = f"host:{interface.host_peer}"
                    if peer not in graph:
                        graph.add_node(peer, layer="veth", label=interface.host_peer, network=interface.network)
                    graph.add_edge(peer, inode, kind="veth-pair")
                elif interface.type == "macvlan":
                    macvlan = self.networks.get(interface.network or "")
                    parent = macvlan.parent if macvlan else None
                    if parent:
                        pnode = f"host:{parent}"
                        graph.add_node(pnode, layer="bridge", label=parent, network=interface.network)
                        graph.add_edge(pnode, inode, kind="macvlan")
        for container in self.containers.values():
            if container.shares_stack_of:
                for interface in self.containers[container.shares_stack_of].interfaces:
                    inode = f"if:{container.shares_stack_of}/{interface.name}"
                    if inode in graph:
                        graph.add_edge(inode, f"container:{container.name}", kind="shares")
        return graph

    # -- packet paths ----------------------------------------------------------------
    def stack_of(self, name: str) -> Container:
        """The container whose network stack ``name`` uses (itself, or its ``container:`` owner)."""
        container = self.containers[name]
        return self.containers[container.shares_stack_of] if container.shares_stack_of else container

    def path(self, source: str, target: str) -> Path:
        """The hops from ``source``'s interface to ``target``'s, or the reason there is none.

        Two containers sharing one stack (``--network container:NAME``) talk over its ``lo``; a
        ``--network host`` container uses the host's own stack, which owns every bridge: it reaches a
        container on a bridge through that bridge (its address is the network's gateway).
        """
        for name in (source, target):
            if name not in self.containers:
                return Path(source, target, reason=say("path-not-running", name=name))
        a, b = self.stack_of(source), self.stack_of(target)
        for end in (a, b):
            if end.network_mode == "none" and a.name != b.name:
                return Path(source, target, reason=say("path-none", name=end.name))
        if a.name == b.name:
            lo = next((i for i in a.interfaces if i.type == "loopback"), None)
            hops = [f"container:{source}"] + ([f"if:{a.name}/{lo.name}"] if lo else []) + [f"container:{target}"]
            return Path(source, target, hops, "lo", explained=[say("path-shared-hop", source=source, target=target)])
        if a.network_mode == "host" and b.network_mode == "host":
            return Path(source, target, [f"container:{source}", f"container:{target}"], "lo",
                        explained=[say("path-host-both", source=source, target=target)])
        if "host" in (a.network_mode, b.network_mode):
            return self._path_through_the_host(source, target, a, b)
        shared = [n for n in a.networks if n in b.networks]
        if not shared:
            return Path(source, target, reason=say(
                "path-apart", source=source, target=target,
                source_networks=", ".join(a.networks) or say("path-no-network"),
                target_networks=", ".join(b.networks) or say("path-no-network")))
        network = shared[0]
        ia, ib = a.interface_on(network), b.interface_on(network)
        if ia is None or ib is None:
            return Path(source, target, reason=say("path-no-kernel-interface", network=network))
        bridge = self.networks[network].bridge if network in self.networks else None
        hops = [f"container:{source}", f"if:{a.name}/{ia.name}"]
        explained = [say("path-sends", source=source, interface=ia.name, ipv4=ia.ipv4)]
        if ia.host_peer and ib.host_peer and bridge:
            hops += [f"host:{ia.host_peer}", f"host:{bridge}", f"host:{ib.host_peer}"]
            explained += [say("path-veth-out", veth=ia.host_peer), say("path-bridge", bridge=bridge, mac=ib.mac),
                          say("path-veth-in", veth=ib.host_peer, target=target)]
        elif ia.type == ib.type == "macvlan" and network in self.networks and self.networks[network].parent:
            parent = self.networks[network].parent
            hops += [f"host:{parent}"]
            explained += [say("path-macvlan", parent=parent, mac=ib.mac)]
        else:
            driver = self.networks[network].driver if network in self.networks else "?"
            explained += [say("path-other-driver", driver=driver, network=network)]
        hops += [f"if:{b.name}/{ib.name}", f"container:{target}"]
        explained += [say("path-receives", target=target, interface=ib.name, ipv4=ib.ipv4)]
        return Path(source, target, hops, network, explained=explained)

    def _path_through_the_host(self, source: str, target: str, a: Container, b: Container) -> Path:
        """One end uses the host's stack: it meets the other end's bridge, whose address is the gateway."""
        host_end, other = (a, b) if a.network_mode == "host" else (b, a)
        interface = next((i for i in other.interfaces if i.host_peer and i.network in self.networks
                          and self.networks[i.network].bridge), None)
        if interface is None:
            return Path(source, target, reason=say("path-host-no-bridge", name=host_end.name, other=other.name))
        network = self.networks[interface.network or ""]
        bridge = network.bridge or ""
        side = [f"if:{other.name}/{interface.name}", f"host:{interface.host_peer}", f"host:{bridge}"]
        if host_end is a:
            hops = [f"container:{source}", *reversed(side), f"container:{target}"]
            explained = [say("path-host-source", source=source, bridge=bridge, gateway=network.gateway),
                         say("path-veth-in", veth=interface.host_peer, target=target),
                         say("path-receives", target=target, interface=interface.name, ipv4=interface.ipv4)]
        else:
            hops = [f"container:{source}", *side, f"container:{target}"]
            explained = [say("path-sends", source=source, interface=interface.name, ipv4=interface.ipv4),
                         say("path-veth-out", veth=interface.host_peer),
                         say("path-host-target", target=target, bridge=bridge, gateway=network.gateway)]
        return Path(source, target, hops, network.name, explained=explained)
