"""The whole engine as a learner's projects see it: every network and container, grouped as Compose groups them.

Pure data, built from a :class:`~dockerlab.model.topology.Topology` (what the engine and the kernel
have) and each running container's ``docker inspect`` details (names, aliases, links), which
:mod:`dockerlab.explain.reading` gathers. It never talks to the engine.

Groups: a Compose project (containers and networks labelled ``com.docker.compose.project``, named
as Compose names them: service ``web`` of project ``shop`` is the container ``shop-web-1``, network
``front`` of ``shop`` is ``shop_front``), a lesson of the course (labelled ``io.dockerlab.lesson``),
and the rest: your other containers.

``EngineMap.to_dict()`` (and ``dockerlab explain --json``) give the snapshot's JSON (see
``docs/topology-format.md``) with more keys; see ``docs/explain-format.md``.
"""
from __future__ import annotations

import ipaddress
from dataclasses import asdict, dataclass, field

from .. import labels
from .topology import Container, Interface, Topology

FORMAT_VERSION = 1
PROJECT = "com.docker.compose.project"
SERVICE = "com.docker.compose.service"
COMPOSE_NETWORK = "com.docker.compose.network"
ONEOFF = "com.docker.compose.oneoff"
ICC = "com.docker.network.bridge.enable_icc"
GATEWAY_MODE = "com.docker.network.bridge.gateway_mode_ipv4"
LAYER_DRIVERS = ("macvlan", "ipvlan")
"""Drivers whose containers get a link of their own on a parent link of the host: no bridge, no veth."""


@dataclass(frozen=True)
class Endpoint:
    """A container on one network (``docker inspect`` ``NetworkSettings.Networks.NAME``) and its interface there."""

    network: str
    ipv4: str | None               # without the prefix: 172.18.0.2
    prefix: int | None
    mac: str | None
    interface: str | None          # its name inside the container (eth0), from the kernel
    host_peer: str | None          # the host end of its veth, from the kernel
    aliases: list[str] = field(default_factory=list)    # --network-alias (and Compose's service name)
    dns_names: list[str] = field(default_factory=list)  # every name Docker's DNS answers for it here (25+)
    links: dict[str, str] = field(default_factory=dict)  # --link on this network: the name it knows -> container
    gw_priority: int = 0


@dataclass(frozen=True)
class Member:
    """A running container with what a learner asks about it: its names, networks, ports and stack."""

    name: str
    id: str
    network_mode: str              # bridge, host, none, container:NAME, or the driver it started on
    shares_stack_of: str | None
    project: str | None            # Compose project
    service: str | None            # Compose service
    lesson: str | None             # the course's lesson that made it
    hostname: str
    pid: int
    endpoints: list[Endpoint]
    ports: list[dict]              # published: host_ip, host_port, container_port, protocol
    exposed: list[str]             # EXPOSE / --expose: "80/tcp"
    hosts_links: dict[str, str]    # --link on the default bridge: the name in /etc/hosts -> container
    extra_hosts: list[str]         # --add-host NAME:ADDRESS
    dns: list[str]                 # --dns servers

    def endpoint(self, network: str) -> Endpoint | None:
        """This container's endpoint on ``network``, if it is on it."""
        return next((e for e in self.endpoints if e.network == network), None)

    def addresses(self) -> list[str]:
        """Its IPv4 addresses, one per network."""
        return [e.ipv4 for e in self.endpoints if e.ipv4]


@dataclass(frozen=True)
class Net:
    """A Docker network with what explains its behaviour: its range, bridge or parent, and its switches."""

    name: str
    driver: str
    scope: str
    subnet: str | None
    gateway: str | None
    bridge: str | None
    parent: str | None             # macvlan/ipvlan: the host link its containers hang from
    internal: bool
    icc: bool                      # containers on it may talk to each other (enable_icc, on by default)
    gateway_mode: str | None       # Docker 28: ``isolated`` leaves the bridge without an address
    attachable: bool
    project: str | None
    compose_name: str | None       # the network's name in the Compose file (``front`` for ``shop_front``)
    lesson: str | None
    members: list[str] = field(default_factory=list)

    def has_address(self, address: str) -> bool:
        """Whether ``address`` lies in this network's subnet."""
        if not self.subnet:
            return False
        try:
            return ipaddress.ip_address(address) in ipaddress.ip_network(self.subnet, strict=False)
        except ValueError:
            return False

    @property
    def default_bridge(self) -> bool:
        """The network called ``bridge`` (docker0): no DNS for names on it."""
        return self.name == "bridge" and self.driver == "bridge"


@dataclass(frozen=True)
class Group:
    """Containers (and networks) that belong together: a Compose project, a lesson, or the rest."""

    kind: str                      # compose, course or own
    name: str
    containers: list[str]
    networks: list[str]


def _endpoints(container: Container, detail: dict) -> list[Endpoint]:
    found = []
    by_network = {i.network: i for i in container.interfaces if i.network}
    for network, settings in sorted((detail.get("Networks") or {}).items()):
        interface: Interface | None = by_network.get(network)
        links = {}
        for link in settings.get("Links") or []:  # "web2:backend"
            target, _, alias = link.partition(":")
            links[alias or target] = target
        found.append(Endpoint(network, settings.get("IPAddress") or None, settings.get("IPPrefixLen") or None,
                              settings.get("MacAddress") or None, interface.name if interface else None,
                              interface.host_peer if interface else None,
                              sorted(set(settings.get("Aliases") or [])), list(settings.get("DNSNames") or []),
                              links, int(settings.get("GwPriority") or 0)))
    return found


def _hosts_links(detail: dict) -> dict[str, str]:
    """``--link`` on the default bridge: ``/db:/app/database`` -> {"database": "db"}."""
    found = {}
    for link in detail.get("Links") or []:
        target, _, alias = link.partition(":")
        found[alias.rsplit("/", 1)[-1]] = target.lstrip("/")
    return found


class EngineMap:
    """Every network and running container of an engine, with names, aliases and groups. See :meth:`build`."""

    def __init__(self, topology: Topology, networks: list[Net], members: list[Member], version: str = "",
                 host: str = ""):
        self.topology = topology
        self.version = version
        self.host = host  # here, namespace or elsewhere: where the engine's host is
        self.networks = {n.name: n for n in sorted(networks, key=lambda n: n.name)}
        self.members = {m.name: m for m in sorted(members, key=lambda m: m.name)}

    # -- building ----------------------------------------------------------------------
    @classmethod
    def build(cls, topology: Topology, network_facts: list[dict], details: dict[str, dict], version: str = "",
              host: str = "") -> EngineMap:
        """The map from a snapshot, the engine's networks (``docker network ls`` entries) and each container's
        details (name -> the trimmed ``docker inspect`` that :func:`dockerlab.explain.reading.details` reads)."""
        members = []
        for container in topology.containers.values():
            detail = details.get(container.name, {})
            owner = topology.containers.get(container.shares_stack_of or "", container)
            owner_detail = details.get(owner.name, detail)
            container_labels = detail.get("Labels") or {}
            members.append(Member(
                container.name, detail.get("Id", ""), container.network_mode, container.shares_stack_of,
                container_labels.get(PROJECT), container_labels.get(SERVICE), labels.lesson_of(container_labels),
                detail.get("Hostname", ""), int(detail.get("Pid") or 0),
                _endpoints(owner, owner_detail), container.ports, sorted(detail.get("ExposedPorts") or []),
                _hosts_links(owner_detail), list(owner_detail.get("ExtraHosts") or []),
                list(owner_detail.get("Dns") or [])))
        on_network: dict[str, list[str]] = {}
        for member in members:
            if not member.shares_stack_of:
                for endpoint in member.endpoints:
                    on_network.setdefault(endpoint.network, []).append(member.name)
        networks = []
        for raw in network_facts:
            known = topology.networks.get(raw["Name"])
            options, net_labels = raw.get("Options") or {}, raw.get("Labels") or {}
            networks.append(Net(
                raw["Name"], raw["Driver"], raw.get("Scope") or "local", known.subnet if known else None,
                known.gateway if known else None, known.bridge if known else None,
                options.get("parent") if raw["Driver"] in LAYER_DRIVERS else None, bool(raw.get("Internal")),
                options.get(ICC, "true").lower() != "false", options.get(GATEWAY_MODE),
                bool(raw.get("Attachable")), net_labels.get(PROJECT), net_labels.get(COMPOSE_NETWORK),
                labels.lesson_of(net_labels), sorted(on_network.get(raw["Name"], []))))
        return cls(topology, networks, members, version, host)

    # -- questions -----------------------------------------------------------------------
    def groups(self) -> list[Group]:
        """Compose projects first (by name), then the course's lessons, then your other containers."""
        buckets: dict[tuple[str, str], tuple[list[str], set[str]]] = {}
        for member in self.members.values():
            key = ("compose", member.project) if member.project else \
                ("course", member.lesson) if member.lesson else ("own", "")
            names, used = buckets.setdefault(key, ([], set()))
            names.append(member.name)
            used.update(e.network for e in member.endpoints
                        if e.network not in self.networks or self.networks[e.network].driver not in ("host", "null"))
        for net in self.networks.values():
            if net.project:
                buckets.setdefault(("compose", net.project), ([], set()))[1].add(net.name)
            elif net.lesson:
                buckets.setdefault(("course", net.lesson), ([], set()))[1].add(net.name)
        order = {"compose": 0, "course": 1, "own": 2}
        return [Group(kind, name, sorted(names), sorted(used))
                for (kind, name), (names, used) in sorted(buckets.items(), key=lambda i: (order[i[0][0]], i[0][1]))]

    def stack_of(self, name: str) -> Member:
        """The container whose network stack ``name`` uses (itself, or its ``container:`` owner)."""
        member = self.members[name]
        return self.members.get(member.shares_stack_of or "", member)

    def find(self, name: str) -> Member | None:
        """A running container by its name, or by its ID or an ID prefix (as ``docker inspect`` finds it)."""
        if name in self.members:
            return self.members[name]
        matches = [m for m in self.members.values() if len(name) >= 4 and m.id.startswith(name.lower())]
        return matches[0] if len(matches) == 1 else None

    def owner_of(self, address: str) -> tuple[Member, Endpoint] | None:
        """The container (and its endpoint) that has the IPv4 ``address``."""
        for member in self.members.values():
            if member.shares_stack_of:
                continue
            for endpoint in member.endpoints:
                if endpoint.ipv4 == address:
                    return member, endpoint
        return None

    def gateway_network(self, address: str) -> Net | None:
        """The network whose gateway (its bridge's address on the host) is ``address``."""
        return next((n for n in self.networks.values() if n.gateway == address and n.bridge), None)

    def network_of_address(self, address: str) -> Net | None:
        """The network whose subnet holds ``address``."""
        return next((n for n in self.networks.values() if n.has_address(address)), None)

    def names_on(self, network: str) -> dict[str, list[str]]:
        """Every name Docker's DNS answers on ``network``, and the containers each one names (several: round robin)."""
        answers: dict[str, list[str]] = {}
        for member in self.members.values():
            if member.shares_stack_of:
                continue
            endpoint = member.endpoint(network)
            if endpoint is None or not endpoint.ipv4:
                continue
            for name in {member.name, *endpoint.aliases, *endpoint.dns_names}:
                answers.setdefault(name, []).append(member.name)
        return {name: sorted(owners) for name, owners in sorted(answers.items())}

    def resolver_order(self, member: Member) -> list[Endpoint]:
        """A container's networks in the order Docker's DNS asks them: higher ``--gw-priority`` first, networks
        with a way out before ``--internal`` ones, then by name (moby v28.5.2 ``libnetwork/sandbox.go``,
        ``Endpoint.Less`` and ``Sandbox.ResolveName``)."""
        def key(endpoint: Endpoint) -> tuple:
            net = self.networks.get(endpoint.network)
            return (-endpoint.gw_priority, bool(net and net.internal), endpoint.network)
        return sorted(member.endpoints, key=key)

    # -- views ------------------------------------------------------------------------
    def to_dict(self) -> dict:
        """``dockerlab explain --json``: the snapshot's JSON, with names, aliases, groups and switches added."""
        data = self.topology.to_dict()
        data["explain_version"] = FORMAT_VERSION
        data["engine"] = {"version": self.version, "host": self.host}
        extra_networks = {name: asdict(net) for name, net in self.networks.items()}
        data["networks"] = [{**network, **{k: v for k, v in extra_networks.get(network["name"], {}).items()
                                           if k not in network}} for network in data["networks"]]
        known = {n["name"] for n in data["networks"]}
        data["networks"] += [asdict(n) for n in self.networks.values() if n.name not in known]
        for container in data["containers"]:
            member = self.members.get(container["name"])
            if member is not None:
                extra = asdict(member)
                container.update({k: v for k, v in extra.items() if k not in container})
        data["groups"] = [asdict(group) for group in self.groups()]
        return data
