"""Prove a verdict: a throwaway container of the course tries the same packet, and the firewall's counters say
which rule dropped it (as lesson 04 does). Never inside your containers.

Similar to ``docker run --rm --network NET --dns 127.0.0.1 busybox nc -w 3 ADDRESS PORT`` with
``sudo iptables-save -c`` before and after. The probe:

- stands in for the asking container on the same networks (so it asks the same DNS, and takes the same
  default route), and says first what it will attach: each network, the range it takes an address from,
  and the Compose project that network belongs to;
- for the host, runs with ``--network host``; for another machine, is a stand-in machine cabled to the
  engine's host by a veth pair of the course (``198.51.100.0/24``, a range for documentation), as lesson 08
  builds one — the packets never leave the machine;
- refuses a macvlan or ipvlan network whose parent is a real network card (it would put a new MAC address
  on your LAN), and names nothing outside this engine;
- carries the course's label (``io.dockerlab.lesson=why``) and is removed, with everything it made, by
  that label, whatever happens.
"""
from __future__ import annotations

import secrets
from collections.abc import Callable
from dataclasses import dataclass, field

from .. import labels
from ..engine.command_line import nslookup_addresses
from ..host import firewall, hostlinks
from ..host.session import Session
from ..model.enginemap import LAYER_DRIVERS, EngineMap, Net
from ..model.reach import HOST, OUTSIDE, Step, Verdict
from ..text import say

LESSON = labels.WHY_PROBE
NONE = "none"
STAND_IN = "198.51.100.10/24"
STAND_IN_GATEWAY = "198.51.100.1/24"
_WAIT = 2  # seconds a probe waits for an answer


@dataclass
class Plan:
    """What a probe will do, said before it does it."""

    kind: str                          # container, host or outside
    networks: list[Net] = field(default_factory=list)
    left_out: list[Net] = field(default_factory=list)
    address: str | None = None         # where it sends
    port: int | None = None
    protocol: str = "tcp"
    name: str | None = None            # the name it looks up first, if the question used one
    unasked: str | None = None         # a name the probe cannot ask as the container would (its /etc/hosts...)
    loopback: bool = False             # the stand-in machine sends to 127.0.0.1 through the host
    refused: str | None = None         # why it will not run (a sentence), if it will not

    def lines(self) -> list[str]:
        """The plan in words, one line each: what is attached where, and what is sent."""
        if self.refused:
            return [self.refused]
        said = []
        if self.kind == HOST:
            said.append(say("probe-plan-host"))
        elif self.kind == NONE:
            said.append(say("probe-plan-none"))
        elif self.kind == OUTSIDE:
            said.append(say("probe-plan-outside", address=STAND_IN, gateway=STAND_IN_GATEWAY))
            if self.loopback:
                said.append(say("probe-plan-loopback"))
        for net in self.networks:
            project = " " + say("probe-plan-project", project=net.project) if net.project else ""
            said.append(say("probe-plan-network", network=net.name, subnet=net.subnet or "?") + project)
        for net in self.left_out:
            said.append(say("probe-plan-left-out", network=net.name, parent=net.parent or "?"))
        if self.name:
            said.append(say("probe-plan-lookup", name=self.name))
        if self.unasked:
            said.append(say("probe-plan-unasked", name=self.unasked))
        if self.address:
            if self.port and self.protocol == "tcp":
                said.append(say("probe-plan-send-port", address=self.address, port=self.port, seconds=_WAIT))
            else:
                said.append(say("probe-plan-send", address=self.address))
        said.append(say("probe-plan-removed"))
        return said


def _real_parent(emap: EngineMap, net: Net) -> bool:
    """Whether a macvlan/ipvlan network's parent is a real network card (anything but a veth or a bridge)."""
    if net.driver not in LAYER_DRIVERS or not net.parent:
        return False  # no parent given: the engine made a dummy link of its own, on no LAN
    link = emap.topology.host_interfaces.get(net.parent)
    return link is None or link.kind not in ("veth", "bridge")


def plan(emap: EngineMap, verdict: Verdict) -> Plan:
    """The probe that would prove ``verdict`` (or why none will run)."""
    found = Plan(verdict.source if verdict.source in (HOST, OUTSIDE) else "container",
                 address=verdict.address, port=verdict.port, protocol=verdict.protocol)
    if verdict.stop == "none-mode":
        found.kind = NONE  # nothing to stand in for: a probe with no network shows that nothing leaves
        return found
    if verdict.stop == "same-stack" and found.kind != HOST:
        found.refused = say("probe-same-stack")
        return found
    if verdict.stop == "not-this-engine" or (found.kind != OUTSIDE and verdict.address is None
                                             and not (verdict.stop or "").startswith("name-")):
        found.refused = say("probe-nowhere")
        return found
    if found.kind == OUTSIDE:
        binding = _binding(emap, verdict)
        if not verdict.port:
            found.refused = say("probe-not-needed-outside")
        elif binding is None or binding["host_ip"] in ("0.0.0.0", "::", ""):
            found.address = STAND_IN_GATEWAY.split("/")[0]  # the host's address as the stand-in machine sees it
        elif binding["host_ip"].startswith("127."):
            found.loopback = True  # sent to 127.0.0.1 through the host, as a machine on its segment can
        return found
    if found.kind == HOST:
        if verdict.stop in ("not-published", "same-stack"):
            found.address = "127.0.0.1"  # where the host asks for a published port, or its own one
        return found
    stack = emap.stack_of(verdict.source)
    if verdict.target and not _is_address(verdict.target):
        if stack.network_mode == "host" or verdict.resolved_by in ("hosts", "link"):
            found.unasked = verdict.target  # only the container itself has that answer: the probe sends to the address
        else:
            found.name = verdict.target
    if stack.network_mode == "host":
        found.kind = HOST
        return found
    for endpoint in emap.resolver_order(stack):
        net = emap.networks.get(endpoint.network)
        if net is None:
            continue
        if _real_parent(emap, net):
            if net.name == verdict.network:
                found.refused = say("probe-real-parent", network=net.name, parent=net.parent)
                return found
            found.left_out.append(net)
        elif net.driver == "overlay" and not net.attachable:
            found.refused = say("probe-not-attachable", network=net.name)
            return found
        else:
            found.networks.append(net)
    if not found.networks:
        found.refused = say("probe-no-network")
    return found


def _binding(emap: EngineMap, verdict: Verdict) -> dict | None:
    """The published port the question is about (``-p HOST_IP:PORT:CONTAINER_PORT``), if there is one."""
    member = emap.members.get(verdict.target_container or "")
    return next((p for p in (member.ports if member else []) if p["host_port"] == verdict.port
                 and p["protocol"] == verdict.protocol), None)


def _is_address(text: str) -> bool:
    return text.count(".") == 3 and all(part.isdigit() for part in text.split("."))


def _try(engine: Session, container: str, found: Plan) -> tuple[str, str]:
    """Send the packet from ``container``; return what happened (connected, refused, timeout, unreachable) and
    what the program printed."""
    if found.port and found.protocol == "tcp":
        command = ["sh", "-c", f"nc -w {_WAIT} {found.address} {found.port} </dev/null"]
    else:
        command = ["ping", "-c", "1", "-W", str(_WAIT), found.address or ""]
    code, output = engine.exec(container, command)
    text = output.lower()
    if code == 0:
        return "connected", output
    if "refused" in text:
        return "refused", output
    if "unreachable" in text or "no route" in text:
        return "unreachable", output
    return "timeout", output


def _start(engine: Session, found: Plan) -> str:
    """Start the probe (or the stand-in machine); return the container to send from."""
    name = f"dockerlab-why-{secrets.token_hex(3)}"
    if found.kind in (HOST, NONE):
        engine.run(labels.BUSYBOX_IMAGE, ["sleep", "120"], lesson=LESSON, name=name, network=found.kind)
        return name
    if found.kind == OUTSIDE:
        short = f"dl-why{secrets.token_hex(1)}"
        info, _ = engine.run(labels.BUSYBOX_IMAGE, ["sleep", "120"], lesson=LESSON, name=short, network="none")
        pid = info["State"]["Pid"]
        hostlinks.cable_outside_world(engine, short, pid, LESSON, STAND_IN, STAND_IN_GATEWAY, at_once=True)
        if found.loopback:  # its own 127.0.0.1 out of the way, a route for it through the host
            inside = f"nsenter -t {pid} -n"
            engine.host(["sh", "-ec", f"{inside} sysctl -qw net.ipv4.conf.eth0.route_localnet=1\n"
                                   f"{inside} ip route del table local 127.0.0.0/8\n"
                                   f"{inside} ip route del table local 127.0.0.1\n"
                                   f"{inside} ip route add 127.0.0.1/32 via {STAND_IN_GATEWAY.split('/')[0]}"])
        return short
    first, *others = found.networks
    engine.run(labels.BUSYBOX_IMAGE, ["sleep", "120"], lesson=LESSON, name=name, network=first.name,
               dns=list(labels.CONTAINED_DNS))
    for net in others:
        engine.connect_network(net.name, name)
    return name


def run(engine: Session, emap: EngineMap, verdict: Verdict, found: Plan,
        show: Callable[[str], None] = lambda line: None) -> Verdict:
    """Run the probe ``found`` describes, add what it showed to ``verdict`` (probed steps), and remove it.

    ``show`` hears each line of the plan before anything is attached.
    """
    for line in found.lines():
        show(line)
    if found.refused:
        verdict.steps.append(Step("probed", found.refused))
        return verdict
    try:
        container = _start(engine, found)
        probe_address = _probe_address(engine, container, found)
        if probe_address:
            verdict.steps.append(Step("probed", say("probe-attached", address=probe_address)))
        looked_up: list[str] | None = None
        if found.name:
            _, answer = engine.exec(container, ["nslookup", found.name])
            looked_up = nslookup_addresses(answer)
            verdict.steps.append(Step("probed", say("probe-lookup", name=found.name,
                                                    addresses=", ".join(looked_up) or say("probe-no-answer"))))
        outcome, grown = "skipped", {}
        if found.address:
            if verdict.reachable:  # a connection that is made was dropped by no rule: count only if it is not
                outcome = _try(engine, container, found)[0]
            passed: dict[str, int] = {}
            if outcome != "connected":
                before = firewall.saved(engine)
                outcome = _try(engine, container, found)[0]
                after = firewall.saved(engine)
                grown = firewall.rose(firewall.drop_counters(before), firewall.drop_counters(after))
                passed = firewall.rose(firewall.rule_counters(before, "DNAT"), firewall.rule_counters(after, "DNAT"))
            target = f"{found.address}:{found.port}" if found.port else found.address
            if found.loopback and outcome == "timeout" and not grown and any(
                    f"--dport {found.port} " in rule for rule in passed):
                outcome = "forwarded"  # the host passed it on; the stand-in's own stack does not take the answer
            verdict.steps.append(Step("probed", say(f"probe-{outcome}", target=target, seconds=_WAIT)))
            for rule, packets in passed.items():
                verdict.steps.append(Step("probed", say("probe-dnat-counted", rule=rule, packets=packets)))
            for rule, packets in grown.items():
                verdict.steps.append(Step("probed", say("probe-counted", rule=rule, packets=packets)))
    finally:
        remove(engine, found)
    verdict.probe = {"outcome": outcome, "lookup": looked_up, "dropped_by": grown,
                     "agrees": _agrees(verdict, outcome, looked_up, grown)}
    verdict.steps.append(Step("probed", say("probe-agrees" if verdict.probe["agrees"] else "probe-disagrees")))
    return verdict


def remove(engine: Session, found: Plan) -> None:
    """Remove the probe and what it made, by the course's label: the container, and the stand-in's cable."""
    engine.remove_labelled(LESSON)
    if found.kind == OUTSIDE:
        hostlinks.remove_labelled(engine, LESSON)


def _probe_address(engine: Session, container: str, found: Plan) -> str:
    if found.kind != "container":
        return ""
    networks = (engine.container(container).get("NetworkSettings") or {}).get("Networks") or {}
    return ", ".join(f"{settings.get('IPAddress')} ({name})" for name, settings in sorted(networks.items()))


def _agrees(verdict: Verdict, outcome: str, looked_up: list[str] | None, grown: dict[str, int]) -> bool:
    """Whether what the probe saw is what the verdict said."""
    if (verdict.stop or "").startswith("name-"):
        name_unknown = looked_up == [] if looked_up is not None else True  # not asked: only the address is probed
        by_address = outcome == "connected" if outcome != "skipped" else verdict.by_address
        return name_unknown and by_address == verdict.by_address
    if looked_up is not None and verdict.address and verdict.address not in looked_up:
        return False
    if verdict.reachable:
        return outcome in ("connected", "forwarded")
    if verdict.rule:
        return outcome in ("timeout", "refused", "unreachable") and verdict.rule in grown
    if verdict.stop in ("not-listening", "listening-loopback", "listening-elsewhere"):
        return outcome == "refused"
    if verdict.stop in ("internal", "no-route"):
        return outcome in ("unreachable", "timeout") and not grown
    return outcome != "connected"


def prove(engine: Session, emap: EngineMap, verdict: Verdict, show: Callable[[str], None] = lambda line: None) \
        -> Verdict:
    """Plan the probe for ``verdict``, say the plan, run it, and add what it showed."""
    return run(engine, emap, verdict, plan(emap, verdict), show)
