"""Whether A reaches B, worked out from what the engine and the host say, and where it stops if not.

Pure reasoning on an :class:`~dockerlab.model.enginemap.EngineMap` and a
:class:`~dockerlab.model.hostview.HostView`; nothing is sent. Each step of a :class:`Verdict` says how the
course knows it: *read* (the engine or the host's kernel says so), *inferred* (worked out from what was
read, as the lessons teach it) or *probed* (a probe of the course showed it, see
:mod:`dockerlab.explain.probing`). Where it stops, it names the lesson that explains it.

The stops, in the order a packet meets them: the asking container has no network (``none``); the name is
not known where it asks (the default bridge, an alias on another network); no route (an ``--internal``
network has no default route from Docker 25); no network in common, where a firewall rule of the engine
drops what would cross (found in the rules themselves, as :mod:`dockerlab.model.netfilter` follows them);
``enable_icc=false``; a macvlan child the host cannot reach through the parent; a port not published, or
published on 127.0.0.1 only; and at the end, nothing listening on the port — or listening on the
container's own 127.0.0.1 only.
"""
from __future__ import annotations

import ipaddress
from dataclasses import asdict, dataclass, field

from .. import errors
from ..text import say
from . import netfilter
from .enginemap import LAYER_DRIVERS, EngineMap, Member, Net
from .hostview import HostView
from .naming import Resolution, resolve

HOST = "host"
OUTSIDE = "outside"
LESSONS = {
    "none-mode": ["03-drivers"], "same-stack": ["03-drivers", "12-namespaces"],
    "name-unknown": ["06-dns", "05-connect"], "name-default-bridge": ["06-dns"], "name-host-mode": ["03-drivers"],
    "no-shared-network": ["04-user-networks", "05-connect"], "internal": ["09-three-tier"],
    "no-route": ["09-three-tier"], "firewall": ["04-user-networks"], "icc-off": ["04-user-networks"],
    "macvlan-host": ["03-drivers"], "not-published": ["08-ports-and-nat"], "published-loopback": ["08-ports-and-nat"],
    "not-listening": ["12-namespaces"], "listening-loopback": ["12-namespaces"], "listening-elsewhere": [],
    "no-such-address": [], "not-this-engine": [],
    "reached-bridge": ["02-veth-pairs", "04-user-networks"], "reached-published": ["08-ports-and-nat"],
    "reached-layer": ["03-drivers"], "reached-host": ["09-three-tier", "12-namespaces"],
    "reached-overlay": ["11-overlay"], "reached-forwarded": ["04-user-networks"],
}


@dataclass
class Step:
    """One thing the verdict rests on, and how the course knows it: read, inferred or probed."""

    how: str
    text: str


@dataclass(repr=False)
class Verdict:
    """The answer to ``dockerlab why SOURCE TARGET [PORT]``: yes, no, or cannot tell — and why."""

    source: str
    target: str
    port: int | None = None
    protocol: str = "tcp"
    target_port: int | None = None  # the port at the container, once a published port's DNAT rewrote it
    target_address: str | None = None  # the container's address, once a published port's DNAT rewrote it
    resolved_by: str | None = None  # how the asker's name lookup answers: dns, hosts (/etc/hosts), link
    by_address: bool | None = None  # when the name is not known: whether the address would arrive
    reachable: bool | None = None
    stop: str | None = None         # where it stops (a key of LESSONS), or how it arrives
    because: str = ""
    steps: list[Step] = field(default_factory=list)
    advice: list[str] = field(default_factory=list)
    address: str | None = None      # where the packet is sent
    target_container: str | None = None
    network: str | None = None      # the network it leaves on (for a probe)
    rule: str | None = None         # the firewall rule that drops it
    probe: dict | None = None       # what a probe showed, once one ran

    def read(self, key: str, **fields: object) -> None:
        self.steps.append(Step("read", say(key, **fields)))

    def inferred(self, key: str, **fields: object) -> None:
        self.steps.append(Step("inferred", say(key, **fields)))

    def answer(self, reachable: bool | None, stop: str, key: str, **fields: object) -> Verdict:
        self.reachable, self.stop, self.because = reachable, stop, say(key, **fields)
        return self

    @property
    def arrival_port(self) -> int | None:
        """The port the packet arrives on at the end: the container's port of a published one, else the one asked."""
        return self.target_port or self.port

    @property
    def lessons(self) -> list[str]:
        return LESSONS.get(self.stop or "", [])

    @property
    def question(self) -> str:
        port = f"{self.port}/{self.protocol}" if self.port else ""
        key = {HOST: "why-question-host", OUTSIDE: "why-question-outside"}.get(self.source, "why-question")
        return say(key + ("-port" if port else ""), source=self.source, target=self.target, port=port)

    def to_dict(self) -> dict:
        data = asdict(self)
        data["steps"] = [asdict(step) for step in self.steps]
        data["lessons"] = self.lessons
        data["question"] = self.question
        return data

    def __repr__(self) -> str:
        return str(self)

    def __str__(self) -> str:
        answer = {True: "why-yes", False: "why-no", None: "why-unsure"}[self.reachable]
        lines = [self.question, say(answer, because=self.because), ""]
        width = max(len(say(f"why-how-{step.how}")) for step in self.steps) if self.steps else 0
        lines += [f"  {say('why-how-' + step.how):<{width}}  {step.text}" for step in self.steps]
        if self.lessons:
            lines += ["", say("why-lessons", lessons=", ".join(say(f"why-lesson-{lesson[:2]}")
                                                                 for lesson in self.lessons))]
        if self.advice:
            lines += [say("why-advice")] + [f"  {line}" for line in self.advice]
        return "\n".join(lines)


def parse_target(target: str, port: str | int | None = None) -> tuple[str, int | None, str]:
    """``db``, ``db:5432``, ``172.18.0.2:80``, with ``port`` (``5432`` or ``53/udp``) -> (name, port, protocol)."""
    name, protocol = target, "tcp"
    if port is None and target.count(":") == 1:
        name, port = target.split(":")
    if port is not None:
        text = str(port)
        number, _, protocol = text.partition("/")
        protocol = protocol or "tcp"
        if not number.isdigit() or not 0 < int(number) < 65536 or protocol not in ("tcp", "udp"):
            raise errors.UnsupportedCommand("why-bad-port", port=text)
        return name, int(number), protocol
    return name, None, protocol


def _is_address(text: str) -> bool:
    try:
        return isinstance(ipaddress.ip_address(text), ipaddress.IPv4Address)
    except ValueError:
        return False


class Reasoner:
    """Works out verdicts on one engine map and host view (``view`` None: the host could not be read)."""

    def __init__(self, emap: EngineMap, view: HostView | None):
        self.emap = emap
        self.view = view
        self.tables = netfilter.parse(view.firewall) if view and view.backend == "iptables" else None
        self.uplink = emap.topology.uplink or "uplink"

    # -- helpers ----------------------------------------------------------------------
    def member(self, name: str) -> Member:
        found = self.emap.find(name)
        if found is None:
            raise errors.NotFound("why-unknown-container", name=name,
                                  known=", ".join(list(self.emap.members)[:12]) or say("why-none-running"))
        return found

    def local(self, address: str) -> bool:
        """Whether ``address`` is the engine host's own (a gateway, an address of its links, 127.0.0.0/8)."""
        if address.startswith("127."):
            return True
        if self.view is not None and address in self.view.local_addresses():
            return True
        return any(n.gateway == address and n.bridge for n in self.emap.networks.values())

    def route_out(self, address: str) -> str | None:
        """The host link a packet for ``address`` leaves by: a network's bridge or parent, lo, or the uplink."""
        if self.local(address):
            return "lo"
        net = self.emap.network_of_address(address)
        if net is not None:
            return net.bridge or net.parent
        return self.uplink

    def _networks_of(self, member: Member) -> str:
        return ", ".join(e.network for e in member.endpoints) or say("path-no-network")

    def _follow(self, verdict: Verdict, packet: netfilter.Packet) -> netfilter.Journey | None:
        """Follow ``packet`` through the host's rules; say which rule decided, and any rule the walk could not judge."""
        if self.tables is None:
            return None
        packet.local = self.local
        journey = netfilter.follow(self.tables, packet, self.route_out)
        for rule in journey.unsure:
            verdict.inferred("why-rule-unsure", rule=rule.label)
        return journey

    # -- the question ------------------------------------------------------------------
    def why(self, source: str, target: str, port: int | None = None, protocol: str = "tcp") -> Verdict:
        """The verdict for one question. ``source``: a container, :data:`HOST` or :data:`OUTSIDE`."""
        verdict = Verdict(source, target, port, protocol)
        if self.view is None:
            verdict.inferred("why-host-not-read")
        elif self.view.backend != "iptables":
            verdict.inferred("why-backend-not-followed", backend=self.view.backend)
        if source not in (HOST, OUTSIDE):
            return self._from_container(verdict, self.member(source))
        named, given = self._named_target(verdict)
        if named is None:
            verdict.read("why-read-not-this-engine", address=given)
            return verdict.answer(None, "not-this-engine", "why-because-not-followed", address=given)
        verdict.target_container = named.name
        return (self._from_host if source == HOST else self._from_outside)(verdict, named, given)

    # -- from a container ------------------------------------------------------------------
    def _from_container(self, verdict: Verdict, asker: Member) -> Verdict:
        stack = self.emap.stack_of(asker.name)
        if asker.shares_stack_of:
            verdict.read("why-read-shares", name=asker.name, owner=stack.name)
        if stack.network_mode == "none":
            target = self.emap.find(verdict.target)
            verdict.address = verdict.target if _is_address(verdict.target) else \
                next(iter(target.addresses()), None) if target else None
            verdict.read("why-read-none", name=stack.name)
            return verdict.answer(False, "none-mode", "why-because-none", name=asker.name)
        if stack.network_mode == "host":
            verdict.read("why-read-host-mode", name=asker.name)
        else:
            verdict.read("why-read-networks", name=asker.name, networks=self._networks_of(stack))
        address, target = self._target(verdict, stack, verdict.target)
        if verdict.stop is not None:  # the name is not known where it asks: say what its address would do
            verdict.address, verdict.target_container = address, target.name if target else None
            if address is not None:
                self._aside(verdict, address, self._path_from(self._scratch(verdict), stack, address, target))
            return verdict
        if address is None:
            return verdict
        verdict.address = address
        verdict.target_container = target.name if target else None
        return self._path_from(verdict, stack, address, target)

    def _scratch(self, verdict: Verdict) -> Verdict:
        return Verdict(verdict.source, verdict.target, verdict.port, verdict.protocol)

    def _aside(self, verdict: Verdict, address: str, other: Verdict) -> None:
        """What the way to ``address`` would give, said in one step of ``verdict``."""
        key = {True: "why-by-address-yes", False: "why-by-address-no", None: "why-by-address-unsure"}[other.reachable]
        verdict.by_address = other.reachable
        verdict.inferred(key, address=f"{address}:{other.port}" if other.port else address, because=other.because)

    def _target(self, verdict: Verdict, asker: Member, target: str) -> tuple[str | None, Member | None]:
        """The address the asker sends to (after its name lookup) and the container that has it."""
        if _is_address(target):
            owner = self.emap.owner_of(target)
            return target, owner[0] if owner else None
        named = self.emap.find(target)
        resolution = resolve(self.emap, verdict.source, target)
        if resolution.known:
            self._say_resolution(verdict, resolution)
            owner = self.emap.owner_of(resolution.addresses[0])
            return resolution.addresses[0], owner[0] if owner else named
        self._say_unresolved(verdict, resolution, named)
        if named is None:  # a name of another network: what the address of its first owner would do
            owners = [self.emap.members[o] for net in sorted(resolution.elsewhere) for o in resolution.elsewhere[net]]
            named = owners[0] if owners else None
        if named is None:
            return None, None
        # what its address would do: the one on a network they share, else the first
        shared = [e for e in named.endpoints if asker.endpoint(e.network) and e.ipv4]
        chosen = (shared or [e for e in named.endpoints if e.ipv4])[:1]
        return (chosen[0].ipv4, named) if chosen else (None, None)

    def _say_resolution(self, verdict: Verdict, found: Resolution) -> None:
        addresses = ", ".join(found.addresses)
        verdict.resolved_by = found.source
        if found.source == "hosts":
            verdict.read("why-read-name-hosts", name=found.name, asker=found.asker, addresses=addresses)
        elif found.source == "link":
            verdict.read("why-read-name-link", name=found.name, asker=found.asker, addresses=addresses,
                         network=found.network, owner=", ".join(found.owners))
        else:
            verdict.read("why-read-name-dns", name=found.name, asker=found.asker, addresses=addresses,
                         network=found.network, owners=", ".join(found.owners))
            if len(found.owners) > 1:
                verdict.inferred("why-round-robin", name=found.name, count=len(found.owners))

    def _say_unresolved(self, verdict: Verdict, found: Resolution, named: Member | None) -> None:
        elsewhere = "; ".join(f"{net}: {', '.join(owners)}" for net, owners in sorted(found.elsewhere.items()))
        if found.resolver == "host":
            verdict.read("why-read-name-host-mode", asker=found.asker)
            verdict.inferred("why-name-host-resolver", name=found.name)
            verdict.answer(False, "name-host-mode", "why-because-name-host-mode", name=found.name,
                           asker=found.asker)
        elif found.resolver == "hosts-only":
            verdict.read("why-read-name-default-bridge", asker=found.asker)
            verdict.inferred("why-name-your-dns", name=found.name)
            verdict.answer(False, "name-default-bridge", "why-because-name-default-bridge", name=found.name,
                           asker=found.asker)
            verdict.advice.append(say("why-advice-user-network"))
        else:
            if elsewhere:
                verdict.read("why-read-name-elsewhere", name=found.name, elsewhere=elsewhere, asker=found.asker)
            elif named is not None:
                verdict.read("why-read-name-not-on", name=found.name, asker=found.asker)
            else:
                verdict.read("why-read-name-nowhere", name=found.name)
            verdict.inferred("why-name-your-dns", name=found.name)
            verdict.answer(False, "name-unknown", "why-because-name-unknown", name=found.name, asker=found.asker)
            for net in sorted(found.elsewhere) or []:
                verdict.advice.append(say("why-advice-connect", network=net, name=found.asker))
                break

    # -- the way from a container's stack to an address ------------------------------------
    def _path_from(self, verdict: Verdict, asker: Member, address: str, target: Member | None) -> Verdict:
        if (target is not None and self.emap.stack_of(target.name).name == asker.name) or address.startswith("127."):
            verdict.read("why-read-same-stack", source=verdict.source, target=(target or asker).name)
            verdict.answer(True, "same-stack", "why-because-same-stack")
            return self._listening(verdict, asker, address if not address.startswith("127.") else "127.0.0.1")
        if asker.network_mode == "host":
            return self._from_the_host_stack(verdict, address, target, forwarded=False)
        for endpoint in asker.endpoints:
            net = self.emap.networks.get(endpoint.network)
            if net is None or not net.has_address(address):
                continue
            verdict.network = net.name
            there = target.endpoint(net.name) if target is not None else None
            if target is not None and there is not None and there.ipv4 == address:
                return self._same_network(verdict, asker, target, net)
            if address == net.gateway:
                verdict.read("why-read-gateway", address=address, network=net.name)
                return self._to_the_host(verdict, asker, endpoint.ipv4 or "", address, net)
            verdict.read("why-read-no-such-address", address=address, network=net.name)
            return verdict.answer(False, "no-such-address", "why-because-no-such-address", address=address,
                                  network=net.name)
        return self._routed(verdict, asker, address, target)

    def _same_network(self, verdict: Verdict, asker: Member, target: Member, net: Net) -> Verdict:
        verdict.read("why-read-shared", source=asker.name, target=target.name, network=net.name, driver=net.driver)
        if net.driver in LAYER_DRIVERS:
            verdict.read("why-read-layer", network=net.name, parent=net.parent or "?", driver=net.driver)
            verdict.answer(True, "reached-layer", "why-because-layer", network=net.name, driver=net.driver)
            return self._listening(verdict, target, verdict.address or "")
        if net.driver == "overlay":
            verdict.inferred("why-overlay", network=net.name)
            verdict.answer(True, "reached-overlay", "why-because-overlay", network=net.name)
            return self._listening(verdict, target, verdict.address or "")
        if net.bridge and not net.icc:
            verdict.read("why-read-icc", network=net.name)
        if net.bridge and self.view is not None and self.view.bridge_nf is False and net.icc:
            verdict.read("why-read-no-bridge-nf", bridge=net.bridge)
        elif net.bridge:
            source_address = (asker.endpoint(net.name) or asker.endpoints[0]).ipv4 or ""
            journey = self._follow(verdict, netfilter.Packet(
                source_address, verdict.address or "", verdict.protocol if verdict.port else "icmp", verdict.port,
                inbound=net.bridge))
            if journey is not None and journey.stopped is not None:
                return self._dropped(verdict, journey.stopped, "icc-off" if not net.icc else "firewall")
            if journey is None and not net.icc:
                verdict.inferred("why-icc-drops", bridge=net.bridge)
                return verdict.answer(False, "icc-off", "why-because-icc", network=net.name)
        verdict.read("why-read-bridge-path", bridge=net.bridge or net.driver, source=asker.name, target=target.name)
        verdict.answer(True, "reached-bridge", "why-because-bridge", network=net.name)
        return self._listening(verdict, target, verdict.address or "")

    def _dropped(self, verdict: Verdict, decision: netfilter.Decision, stop: str) -> Verdict:
        verdict.rule = decision.label
        verdict.read("why-read-rule", rule=decision.label, packets=decision.packets)
        if stop == "firewall" and "ISOLATION" not in decision.label and "raw" not in decision.label \
                and "DOCKER-USER" in decision.label:
            verdict.inferred("why-rule-yours")
        return verdict.answer(False, stop, "why-because-rule", rule=decision.label)

    def _routed(self, verdict: Verdict, asker: Member, address: str, target: Member | None) -> Verdict:
        """The address is on none of the asker's networks: the packet needs a route, through the host."""
        route = self.view.route_for(asker.pid, address) if self.view and asker.pid in self.view.routes else None
        internal = [e.network for e in asker.endpoints if self.emap.networks.get(e.network)
                    and self.emap.networks[e.network].internal]
        if self.view is not None and asker.pid in self.view.routes:
            if route is None:
                verdict.read("why-read-no-route", name=asker.name, address=address)
                if internal:
                    verdict.inferred("why-internal-no-route", network=internal[0])
                    return verdict.answer(False, "internal", "why-because-internal", network=internal[0])
                return verdict.answer(False, "no-route", "why-because-no-route", name=asker.name, address=address)
            verdict.read("why-read-route", name=asker.name, address=address, gateway=route.gateway or "-",
                         interface=route.interface)
            leaving = next((e for e in asker.endpoints if e.interface == route.interface), None)
        else:
            order = [e for e in self.emap.resolver_order(asker) if self.emap.networks.get(e.network)
                     and not self.emap.networks[e.network].internal]
            leaving = order[0] if order else None
            if leaving is None:
                verdict.inferred("why-internal-no-route", network=internal[0] if internal else "?")
                return verdict.answer(False, "internal", "why-because-internal",
                                      network=internal[0] if internal else "?")
            verdict.inferred("why-default-route", name=asker.name, network=leaving.network)
        net = self.emap.networks.get(leaving.network) if leaving else None
        verdict.network = net.name if net else None
        if net is None or not net.bridge:
            verdict.inferred("why-not-through-host", network=net.name if net else "?")
            return verdict.answer(None, "not-this-engine", "why-because-not-followed", address=address)
        source_address = (leaving.ipv4 or "") if leaving else ""
        if self.local(address):
            return self._to_the_host(verdict, asker, source_address, address, net)
        return self._forwarded(verdict, source_address, net.bridge, address, target, asker)

    def _forwarded(self, verdict: Verdict, source_address: str, inbound: str, address: str,
                   target: Member | None, asker: Member | None) -> Verdict:
        """The host passes the packet on (FORWARD) to the network that holds ``address``."""
        destination = self.emap.network_of_address(address)
        if destination is None or target is None:
            verdict.read("why-read-not-this-engine", address=address)
            return verdict.answer(None, "not-this-engine", "why-because-not-followed", address=address)
        if destination.driver in LAYER_DRIVERS:
            verdict.read("why-read-layer-host", target=target.name, network=destination.name,
                         parent=destination.parent or "?")
            return verdict.answer(False, "macvlan-host", "why-because-macvlan-host", target=target.name,
                                  driver=destination.driver)
        if asker is not None:
            verdict.read("why-read-apart", source=asker.name, target=target.name,
                         source_networks=self._networks_of(asker), target_networks=self._networks_of(target))
        journey = self._follow(verdict, netfilter.Packet(
            source_address, address, verdict.protocol if verdict.port else "icmp", verdict.port, inbound=inbound))
        if journey is None:
            if asker is not None:
                verdict.inferred("why-isolated-inferred")
                return verdict.answer(False, "no-shared-network", "why-because-apart", source=asker.name,
                                      target=target.name)
            verdict.inferred("why-forward-inferred")
            return self._listening(verdict.answer(True, "reached-forwarded", "why-because-forwarded"),
                                   target, address)
        stopped = journey.stopped
        if stopped is not None:
            stop = "internal" if destination.internal or (asker and any(
                self.emap.networks[e.network].internal for e in asker.endpoints
                if e.network in self.emap.networks)) else ("firewall" if asker is None else "no-shared-network")
            self._dropped(verdict, stopped, stop)
            if asker is not None and stop == "no-shared-network":
                verdict.because = say("why-because-apart-rule", source=asker.name, target=target.name,
                                      rule=stopped.label)
                verdict.advice.append(say("why-advice-connect", network=destination.name, name=asker.name))
            return verdict
        verdict.read("why-read-forward-accepted", rule=journey.decisions[-1][1].label if journey.decisions else "-")
        verdict.answer(True, "reached-forwarded", "why-because-forwarded")
        return self._listening(verdict, target, address)

    def _to_the_host(self, verdict: Verdict, asker: Member, source_address: str, address: str, net: Net) -> Verdict:
        """A container sends to one of the host's own addresses: INPUT — or a published port's DNAT."""
        journey = self._follow(verdict, netfilter.Packet(
            source_address, address, verdict.protocol if verdict.port else "icmp", verdict.port, inbound=net.bridge))
        if journey is not None and journey.stopped is not None:
            return self._dropped(verdict, journey.stopped, "firewall")
        if journey is not None and journey.destination != address:
            verdict.read("why-read-dnat", address=address, port=verdict.port,
                         to=f"{journey.destination}:{journey.port}")
            owner = self.emap.owner_of(journey.destination)
            verdict.target_port, verdict.target_address = journey.port, journey.destination
            if owner is None:
                return verdict.answer(None, "not-this-engine", "why-because-not-followed", address=address)
            verdict.target_container = owner[0].name
            verdict.answer(True, "reached-published", "why-because-published")
            return self._listening(verdict, owner[0], journey.destination)
        verdict.read("why-read-host-input", address=address)
        host_member = next((m for m in self.emap.members.values() if m.network_mode == "host"
                            and m.name == verdict.target_container), None)
        verdict.answer(True, "reached-host", "why-because-host", address=address)
        return self._listening_on_host(verdict, address, host_member)

    # -- listening ---------------------------------------------------------------------
    def _listening(self, verdict: Verdict, target: Member, address: str) -> Verdict:
        """At the end of the way: does anything in ``target`` listen on the port, at that address?"""
        if not verdict.port or verdict.reachable is False:
            return verdict
        stack = self.emap.stack_of(target.name)
        if stack.network_mode == "host":
            return self._listening_on_host(verdict, address, stack)
        sockets = self.view.listening.get(stack.pid) if self.view else None
        if sockets is None:
            verdict.inferred("why-sockets-not-read", target=target.name)
            return verdict
        return self._judge_sockets(verdict, [s for s in sockets if s.protocol == verdict.protocol
                                             and s.port == verdict.arrival_port], address, target.name)

    def _listening_on_host(self, verdict: Verdict, address: str, member: Member | None) -> Verdict:
        if not verdict.port or verdict.reachable is False:
            return verdict
        if self.view is None:
            verdict.inferred("why-sockets-not-read", target=say("why-the-host"))
            return verdict
        pid = member.pid if member else 0
        sockets = self.view.listening.get(pid) if pid else None
        if sockets is None:
            sockets = self.view.sockets
        found = [s for s in sockets if s.protocol == verdict.protocol and s.port == verdict.arrival_port]
        return self._judge_sockets(verdict, found, address, member.name if member else say("why-the-host"))

    def _judge_sockets(self, verdict: Verdict, found: list, address: str, name: str) -> Verdict:
        port = f"{verdict.arrival_port}/{verdict.protocol}"
        taking = [s for s in found if s.takes(address)]
        if taking:
            program = f" ({taking[0].program})" if taking[0].program else ""
            verdict.read("why-read-listening", target=name, port=port, where=f"{taking[0].address}{program}")
            return verdict
        if found and all(s.loopback_only for s in found):
            verdict.read("why-read-listening-loopback", target=name, port=port, where=found[0].address)
            verdict.advice.append(say("why-advice-listen-everywhere"))
            return verdict.answer(False, "listening-loopback", "why-because-listening-loopback", target=name,
                                  port=port)
        if found:
            verdict.read("why-read-listening-elsewhere", target=name, port=port,
                         where=", ".join(s.address for s in found), address=address)
            return verdict.answer(False, "listening-elsewhere", "why-because-listening-elsewhere", target=name,
                                  port=port, address=address)
        verdict.read("why-read-not-listening", target=name, port=port)
        return verdict.answer(False, "not-listening", "why-because-not-listening", target=name, port=port)

    # -- from the host, and from another machine ----------------------------------------------
    def _binding(self, target: Member, port: int, protocol: str) -> dict | None:
        return next((p for p in target.ports if p["host_port"] == port and p["protocol"] == protocol), None)

    def _named_target(self, verdict: Verdict) -> tuple[Member | None, str | None]:
        """The container a host-side question is about, and the address given (if one was)."""
        if _is_address(verdict.target):
            owner = self.emap.owner_of(verdict.target)
            if owner:
                return owner[0], verdict.target
            if verdict.port:
                published = [m for m in self.emap.members.values() if self._binding(m, verdict.port, verdict.protocol)]
                return (published[0] if published else None), verdict.target
            return None, verdict.target
        return self.member(verdict.target), None

    def _from_host(self, verdict: Verdict, target: Member, given: str | None) -> Verdict:
        stack = self.emap.stack_of(target.name)
        if stack.network_mode == "host":
            verdict.read("why-read-target-host-mode", target=target.name)
            verdict.address = "127.0.0.1"
            verdict.answer(True, "same-stack", "why-because-host-both", target=target.name)
            return self._listening_on_host(verdict, "127.0.0.1", stack)
        binding = None
        if verdict.port and (given is None or self.local(given)):
            binding = self._binding(target, verdict.port, verdict.protocol)
        if binding is not None:
            return self._host_to_published(verdict, target, binding, given)
        if given is not None and self.local(given):
            verdict.read("why-read-not-published", target=target.name, port=verdict.port)
            return verdict.answer(False, "not-published", "why-because-not-published", target=target.name,
                                  port=verdict.port)
        return self._from_the_host_stack(verdict, given or "", target, forwarded=True)

    def _from_the_host_stack(self, verdict: Verdict, address: str, target: Member | None, forwarded: bool) \
            -> Verdict:
        """The host's own stack (the host, or a ``--network host`` container) sends to a container's address."""
        if target is None:
            verdict.read("why-read-not-this-engine", address=address)
            return verdict.answer(None, "not-this-engine", "why-because-not-followed", address=address)
        stack = self.emap.stack_of(target.name)
        reachable = [e for e in stack.endpoints if e.ipv4 and (not address or e.ipv4 == address)]
        bridged = [e for e in reachable if self.emap.networks.get(e.network) and self.emap.networks[e.network].bridge]
        if verdict.port and forwarded and not address:
            verdict.read("why-read-not-published", target=target.name, port=verdict.port)
        if not bridged:
            layer = next((self.emap.networks[e.network] for e in reachable if e.network in self.emap.networks
                          and self.emap.networks[e.network].driver in LAYER_DRIVERS), None)
            if layer is not None:
                verdict.address = next((e.ipv4 for e in reachable if e.network == layer.name), None)
                verdict.read("why-read-layer-host", target=target.name, network=layer.name, parent=layer.parent or "?")
                return verdict.answer(False, "macvlan-host", "why-because-macvlan-host", target=target.name,
                                      driver=layer.driver)
            verdict.read("why-read-no-bridge", target=target.name)
            return verdict.answer(None, "not-this-engine", "why-because-not-followed", address=address or "-")
        endpoint = bridged[0]
        net = self.emap.networks[endpoint.network]
        verdict.address, verdict.network = endpoint.ipv4, net.name
        verdict.read("why-read-host-owns-bridge", bridge=net.bridge, network=net.name, address=endpoint.ipv4)
        journey = self._follow(verdict, netfilter.Packet(
            net.gateway or "", endpoint.ipv4 or "", verdict.protocol if verdict.port else "icmp", verdict.port))
        if journey is not None and journey.stopped is not None:
            return self._dropped(verdict, journey.stopped, "firewall")
        if verdict.port and forwarded and not address:
            direct = self._listening(self._scratch(verdict).answer(True, "reached-bridge", "why-because-host-bridge",
                                                                   address=endpoint.ipv4), target, endpoint.ipv4 or "")
            verdict.answer(False, "not-published", "why-because-not-published-host", target=target.name,
                           port=verdict.port)
            self._aside(verdict, endpoint.ipv4 or "", direct)
            verdict.advice.append(say("why-advice-publish", port=verdict.port))
            return verdict
        verdict.answer(True, "reached-bridge", "why-because-host-bridge", address=endpoint.ipv4)
        return self._listening(verdict, target, endpoint.ipv4 or "")

    def _host_to_published(self, verdict: Verdict, target: Member, binding: dict, given: str | None) -> Verdict:
        host_ip = binding["host_ip"] or "0.0.0.0"
        verdict.read("why-read-published", target=target.name, host_ip=host_ip, host_port=binding["host_port"],
                     container_port=binding["container_port"], protocol=binding["protocol"])
        address = given or ("127.0.0.1" if host_ip in ("0.0.0.0", "::", "") else host_ip)
        verdict.address = address
        proxy = [s for s in (self.view.sockets if self.view else []) if s.port == binding["host_port"]
                 and s.protocol == binding["protocol"] and s.takes(address)]
        if proxy:
            verdict.read("why-read-proxy", where=f"{proxy[0].address}:{proxy[0].port}",
                         program=proxy[0].program or "?")
        elif self.view is not None:
            journey = self._follow(verdict, netfilter.Packet(address, address, binding["protocol"],
                                                             binding["host_port"]))
            if journey is None or journey.destination == address:
                verdict.read("why-read-nothing-on-host-port", port=binding["host_port"], address=address)
                return verdict.answer(False, "not-published", "why-because-no-proxy", port=binding["host_port"])
            verdict.read("why-read-dnat", address=address, port=binding["host_port"],
                         to=f"{journey.destination}:{journey.port}")
        inside = next((e.ipv4 for e in self.emap.stack_of(target.name).endpoints if e.ipv4), "")
        verdict.target_port = binding["container_port"]
        verdict.answer(True, "reached-published", "why-because-published")
        return self._listening(verdict, target, inside)

    def _from_outside(self, verdict: Verdict, target: Member, given: str | None) -> Verdict:
        if not self.emap.topology.uplink:
            verdict.read("why-read-no-uplink")
        if not verdict.port:
            verdict.inferred("why-outside-needs-port")
            return verdict.answer(False, "not-published", "why-because-outside-no-port", target=target.name)
        binding = self._binding(target, verdict.port, verdict.protocol)
        stack = self.emap.stack_of(target.name)
        if binding is None and stack.network_mode == "host":
            verdict.read("why-read-target-host-mode", target=target.name)
            verdict.address = given or say("why-the-hosts-address")
            verdict.answer(True, "reached-host", "why-because-host-mode-outside", target=target.name)
            return self._listening_on_host(verdict, "0.0.0.0", stack)
        if binding is None:
            verdict.read("why-read-not-published", target=target.name, port=verdict.port)
            verdict.advice.append(say("why-advice-publish", port=verdict.port))
            return verdict.answer(False, "not-published", "why-because-not-published-outside", target=target.name,
                                  port=verdict.port)
        host_ip = binding["host_ip"] or "0.0.0.0"
        verdict.read("why-read-published", target=target.name, host_ip=host_ip, host_port=binding["host_port"],
                     container_port=binding["container_port"], protocol=binding["protocol"])
        everywhere = host_ip in ("0.0.0.0", "::")
        address = given or (self._host_address() if everywhere else host_ip)
        verdict.address = address
        journey = self._follow(verdict, netfilter.Packet(
            "198.51.100.10", address, binding["protocol"], binding["host_port"], inbound=self.uplink))
        loopback = host_ip.startswith("127.") or host_ip == "::1"
        if journey is None:
            if loopback:
                verdict.inferred("why-loopback-inferred")
                return verdict.answer(False, "published-loopback", "why-because-published-loopback",
                                      target=target.name, port=verdict.port)
            verdict.inferred("why-published-inferred")
            verdict.target_port = binding["container_port"]
            verdict.answer(True, "reached-published", "why-because-published")
            return self._listening(verdict, target, next(iter(target.addresses()), ""))
        if journey.stopped is not None:
            self._dropped(verdict, journey.stopped, "published-loopback" if loopback else "firewall")
            if loopback:
                verdict.because = say("why-because-published-loopback-rule", target=target.name,
                                      port=verdict.port, rule=journey.stopped.label)
                verdict.advice.append(say("why-advice-publish-everywhere", port=verdict.port))
            return verdict
        if journey.destination == address:
            verdict.read("why-read-no-dnat", address=address, port=verdict.port)
            return verdict.answer(False, "not-published", "why-because-no-dnat", port=verdict.port)
        verdict.read("why-read-dnat", address=address, port=binding["host_port"],
                     to=f"{journey.destination}:{journey.port}")
        verdict.target_port, verdict.target_address = journey.port, journey.destination
        if loopback:
            verdict.inferred("why-loopback-segment")
            verdict.answer(True, "reached-published", "why-because-published-loopback-segment", target=target.name,
                           port=verdict.port)
        else:
            verdict.answer(True, "reached-published", "why-because-published")
        return self._listening(verdict, target, journey.destination)

    def _host_address(self) -> str:
        """The host's address another machine would use: its uplink's first address (a stand-in if none)."""
        if self.view is not None and self.emap.topology.uplink:
            found = self.view.addresses.get(self.emap.topology.uplink) or []
            if found:
                return found[0].split("/")[0]
        return "198.51.100.1"
