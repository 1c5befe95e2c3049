"""Follow one packet through the host's iptables rules, as the kernel would — on paper, sending nothing.

Parses ``iptables-save -c`` text into tables and chains, then walks a packet through the hooks the
kernel passes it through (``raw``, then ``nat``, then ``filter``; ``PREROUTING`` then ``INPUT`` or
``FORWARD`` for a packet that arrives, ``OUTPUT`` for one the host sends), following jumps, ``RETURN``
and the chains' policies, and names the rule that decides. It knows the matches Docker's rules use
(``-i``, ``-o``, ``-s``, ``-d``, ``-p``, ``--dport``, ``--ctstate``, ``--dst-type LOCAL``, comments); a
rule with any other match (one of yours in ``DOCKER-USER``, say) is *unsure*: the walk passes it as not
matching and says so. Only the first packet of a connection is followed (conntrack state ``NEW``).

Similar to reading ``sudo iptables-save -c`` from ``*raw`` down, by hand, for one packet.
"""
from __future__ import annotations

import ipaddress
import re
import shlex
from collections.abc import Callable
from dataclasses import dataclass, field

_COUNTED = re.compile(r"^\[(\d+):\d+\] (-A .*)$")
_POLICY = re.compile(r"^:(\S+) (\S+) \[(\d+):\d+\]$")
TERMINAL = {"ACCEPT", "DROP", "REJECT"}
_KNOWN_WITH_VALUE = {"-i", "-o", "-s", "-d", "-p", "--dport", "--sport", "--ctstate", "--dst-type", "--src-type",
                     "--comment", "--dports", "--sports", "--state"}
_NO_VALUE = {"--ctdir"}


@dataclass(frozen=True)
class Rule:
    """One rule: where it sits, its text as ``iptables-save`` prints it, and the packets it has counted."""

    table: str
    chain: str
    text: str
    packets: int
    matches: tuple[tuple[str, bool, str], ...]  # (option, negated, value)
    unknown: tuple[str, ...]                    # options this walker does not evaluate
    target: str
    target_args: tuple[str, ...]
    goto: bool = False

    @property
    def label(self) -> str:
        """``filter: -A DOCKER-ISOLATION-STAGE-2 -o br-1 -j DROP``: the table and the rule, as the lessons show it."""
        return f"{self.table}: {self.text}"


@dataclass
class Chain:
    name: str
    policy: str | None  # a built-in chain's policy (ACCEPT, DROP); None for a chain of Docker's or yours
    policy_packets: int = 0
    rules: list[Rule] = field(default_factory=list)


Tables = dict[str, dict[str, Chain]]


def _parse_rule(table: str, text: str, packets: int) -> Rule:
    words = shlex.split(text)
    chain = words[1]
    matches, unknown, target, args, goto = [], [], "", [], False
    index, negate = 2, False
    while index < len(words):
        word = words[index]
        if word == "!":
            negate = True
            index += 1
            continue
        if word in ("-j", "-g"):
            target, args, goto = words[index + 1], words[index + 2:], word == "-g"
            break
        if word == "-m":
            index += 2
            continue
        value = words[index + 1] if index + 1 < len(words) else ""
        if word in _KNOWN_WITH_VALUE:
            matches.append((word, negate, value))
            index += 2
        elif word in _NO_VALUE:
            unknown.append(word)
            index += 2
        else:
            unknown.append(word)
            index += 2 if value and not value.startswith("-") else 1
        negate = False
    return Rule(table, chain, text, packets, tuple(matches), tuple(unknown), target, tuple(args), goto)


def parse(saved: str) -> Tables:
    """Tables -> chains -> rules, from ``iptables-save -c`` text (anything after a ``#nft`` line is left out)."""
    tables: Tables = {}
    table = ""
    for raw_line in saved.partition("#nft")[0].splitlines():
        line = raw_line.strip()
        if line.startswith("*"):
            table = line[1:]
            tables[table] = {}
        elif (policy := _POLICY.match(line)) and table:
            name, value = policy.group(1), policy.group(2)
            tables[table][name] = Chain(name, None if value == "-" else value, int(policy.group(3)))
        elif (rule := _COUNTED.match(line)) and table:
            parsed = _parse_rule(table, rule.group(2), int(rule.group(1)))
            tables[table].setdefault(parsed.chain, Chain(parsed.chain, None)).rules.append(parsed)
        elif line.startswith("-A ") and table:  # iptables-save without -c
            parsed = _parse_rule(table, line, 0)
            tables[table].setdefault(parsed.chain, Chain(parsed.chain, None)).rules.append(parsed)
    return tables


@dataclass
class Packet:
    """The first packet of a connection, as the host sees it at one hook."""

    source: str
    destination: str
    protocol: str = "tcp"          # tcp, udp or icmp
    port: int | None = None        # destination port
    inbound: str | None = None     # the interface it came in on; None: the host itself sends it
    outbound: str | None = None    # the interface it leaves by (set once routed)
    local: Callable[[str], bool] = lambda address: False  # is this address the host's own
    dnat: bool = False             # its destination was rewritten (conntrack state DNAT)


def _interface_matches(pattern: str, name: str | None) -> bool | None:
    if name is None:
        return False
    if pattern.endswith("+"):
        return name.startswith(pattern[:-1])
    return name == pattern


def _address_matches(pattern: str, address: str) -> bool:
    try:
        return ipaddress.ip_address(address) in ipaddress.ip_network(pattern, strict=False)
    except ValueError:
        return False


def _port_matches(pattern: str, port: int | None) -> bool:
    if port is None:
        return False
    for part in pattern.split(","):
        low, _, high = part.partition(":")
        if int(low or 0) <= port <= int(high or low or 65535):
            return True
    return False


def _one(option: str, value: str, packet: Packet) -> bool | None:
    if option == "-i":
        return _interface_matches(value, packet.inbound)
    if option == "-o":
        return _interface_matches(value, packet.outbound)
    if option == "-s":
        return _address_matches(value, packet.source)
    if option == "-d":
        return _address_matches(value, packet.destination)
    if option == "-p":
        return value == packet.protocol or value == "all"
    if option in ("--dport", "--dports"):
        return _port_matches(value, packet.port)
    if option in ("--sport", "--sports"):
        return None
    if option in ("--ctstate", "--state"):
        states = {"NEW"} | ({"DNAT"} if packet.dnat else set())
        return bool(states & set(value.split(",")))
    if option == "--dst-type":
        return packet.local(packet.destination) if value == "LOCAL" else None
    if option == "--src-type":
        return (packet.inbound is None or packet.local(packet.source)) if value == "LOCAL" else None
    if option == "--comment":
        return True
    return None


def matches(rule: Rule, packet: Packet) -> bool | None:
    """Whether ``rule`` takes ``packet``: True, False, or None when it holds a match the walker cannot judge."""
    for option, negated, value in rule.matches:
        result = _one(option, value, packet)
        if result is None:
            return None
        if result == negated:
            return False
    return None if rule.unknown else True


@dataclass
class Decision:
    """Where a packet's fate was decided: the rule (or a chain's policy) and the verdict."""

    verdict: str                         # ACCEPT, DROP, REJECT, or DNAT (nat table)
    rule: Rule | None = None             # None: the chain's policy decided
    chain: str = ""                      # the chain whose policy decided
    table: str = ""
    to: str | None = None                # DNAT: the new destination (172.18.0.2:80)
    unsure: list[Rule] = field(default_factory=list)

    @property
    def label(self) -> str:
        if self.rule is not None:
            return self.rule.label
        return f"{self.table}: -P {self.chain} {self.verdict}"

    @property
    def packets(self) -> int:
        return self.rule.packets if self.rule is not None else 0


def _walk(tables: Tables, table: str, chain: str, packet: Packet, unsure: list[Rule], depth: int = 0) \
        -> Decision | None:
    """The decision in ``chain`` (and the chains it jumps to), or None: it fell off the end (or RETURNed)."""
    found = tables.get(table, {}).get(chain)
    if found is None or depth > 30:
        return None
    for rule in found.rules:
        verdict = matches(rule, packet)
        if verdict is None:
            unsure.append(rule)
            continue
        if not verdict:
            continue
        if rule.target in TERMINAL:
            return Decision(rule.target, rule, table=table, unsure=unsure)
        if rule.target == "RETURN":
            return None
        if rule.target == "DNAT":
            to = next((a for i, a in enumerate(rule.target_args) if i and rule.target_args[i - 1] ==
                       "--to-destination"), None)
            return Decision("DNAT", rule, table=table, to=to, unsure=unsure)
        if rule.target in tables.get(table, {}):
            decided = _walk(tables, table, rule.target, packet, unsure, depth + 1)
            if decided is not None or rule.goto:
                return decided
        # LOG, MARK, MASQUERADE, CT...: not a verdict for this packet here; go on
    if found.policy and depth == 0:
        return Decision(found.policy, None, chain, table, unsure=unsure)
    return None


@dataclass
class Journey:
    """A packet's way through the host's hooks: each decision in order, and the one that ends it."""

    decisions: list[tuple[str, Decision]] = field(default_factory=list)  # (hook, decision)
    destination: str = ""                # after DNAT
    port: int | None = None
    delivered: str = ""                  # local (to the host) or forwarded

    @property
    def stopped(self) -> Decision | None:
        """The decision that dropped or refused the packet, if one did."""
        return next((d for _, d in self.decisions if d.verdict in ("DROP", "REJECT")), None)

    @property
    def unsure(self) -> list[Rule]:
        seen: dict[str, Rule] = {}
        for _, decision in self.decisions:
            for rule in decision.unsure:
                seen.setdefault(rule.label, rule)
        return list(seen.values())


def _hook(tables: Tables, table: str, chain: str, packet: Packet, journey: Journey) -> Decision | None:
    unsure: list[Rule] = []
    decision = _walk(tables, table, chain, packet, unsure)
    if decision is None:
        if not unsure:
            return None
        decision = Decision("ACCEPT", None, chain, table, unsure=unsure)
    journey.decisions.append((f"{table} {chain}", decision))
    return decision


def _apply_dnat(packet: Packet, decision: Decision | None, journey: Journey) -> None:
    if decision is not None and decision.verdict == "DNAT" and decision.to:
        address, _, port = decision.to.partition(":")
        packet.destination, packet.port, packet.dnat = address, int(port) if port else packet.port, True


def follow(tables: Tables, packet: Packet, route: Callable[[str], str | None]) -> Journey:
    """The packet's way through the host: ``route(address)`` names the interface the host sends it out of.

    A packet that arrives (``packet.inbound`` set) passes ``raw PREROUTING``, ``nat PREROUTING`` (where a
    published port's DNAT rewrites its destination), then ``filter INPUT`` if it is for the host or
    ``filter FORWARD`` if the host passes it on. One the host sends passes ``raw OUTPUT``, ``nat OUTPUT``
    and ``filter OUTPUT``.
    """
    journey = Journey()
    stages = (["raw PREROUTING", "nat PREROUTING"] if packet.inbound is not None
              else ["raw OUTPUT", "nat OUTPUT"])
    for stage in stages:
        table, chain = stage.split()
        decision = _hook(tables, table, chain, packet, journey)
        if decision is not None and decision.verdict in ("DROP", "REJECT"):
            journey.destination, journey.port = packet.destination, packet.port
            return journey
        _apply_dnat(packet, decision, journey)
    journey.destination, journey.port = packet.destination, packet.port
    if packet.inbound is None:
        packet.outbound = route(packet.destination)
        journey.delivered = "local" if packet.local(packet.destination) else "sent"
        _hook(tables, "filter", "OUTPUT", packet, journey)
        return journey
    if packet.local(packet.destination):
        journey.delivered = "local"
        _hook(tables, "filter", "INPUT", packet, journey)
    else:
        journey.delivered = "forwarded"
        packet.outbound = route(packet.destination)
        _hook(tables, "filter", "FORWARD", packet, journey)
    return journey
