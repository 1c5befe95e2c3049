"""Which firewall rule dropped a packet: found by the rules' own packet counters, on any engine.

Engines differ in where they drop traffic between networks (the
``DOCKER-ISOLATION-STAGE-2`` chain on 20.10 and 26, a ``raw`` ``PREROUTING``
rule per container on 28, an nftables table when the engine uses the
nftables backend). Rather than knowing each version's rules, the course
reads every dropping rule's counter before and after an action, and names
the rules whose counters rose. Similar to ``sudo iptables-save -c`` (and
``sudo nft list ruleset``) before and after, compared by hand.
"""
from __future__ import annotations

import re
from collections.abc import Callable

from . import hostshell
from .engine import Engine

READ_COUNTERS = "iptables-save -c 2>/dev/null; echo '#nft'; nft list ruleset 2>/dev/null || true"
_RULE = re.compile(r"^\[(\d+):\d+\] (.*)$")
_POLICY = re.compile(r"^:(\S+) (\S+) \[(\d+):\d+\]$")
_NFT_COUNTER = re.compile(r"counter packets (\d+) bytes \d+ ?")
IPTABLES_TABLES = {"filter", "nat", "raw", "mangle", "security"}
"""nftables tables that iptables-nft itself keeps: already read through ``iptables-save``."""


def drop_counters(saved: str) -> dict[str, int]:
    """Dropping rules and policies -> packets counted, from ``iptables-save -c`` and ``nft list ruleset`` text.

    Keys read like the rule itself, prefixed by its table: ``raw: -A PREROUTING -d 10.1.0.2/32 ... -j DROP``.
    """
    found: dict[str, int] = {}
    table, nft_table, nft_chain, in_nft = "", "", "", False
    for raw_line in saved.splitlines():
        line = raw_line.strip()
        if line == "#nft":
            in_nft = True
            continue
        if not in_nft:
            if line.startswith("*"):
                table = line[1:]
            elif (policy := _POLICY.match(line)) and policy.group(2) == "DROP":
                found[f"{table}: -P {policy.group(1)} DROP"] = int(policy.group(3))
            elif (rule := _RULE.match(line)) and re.search(r"-j DROP\b", rule.group(2)):
                found[f"{table}: {rule.group(2)}"] = int(rule.group(1))
            continue
        if line.startswith("table "):
            nft_table = line.removeprefix("table ").removesuffix("{").strip()
        elif line.startswith("chain "):
            nft_chain = line.removeprefix("chain ").removesuffix("{").strip()
        elif nft_table and nft_table.split()[-1] in IPTABLES_TABLES:
            continue
        elif (counter := _NFT_COUNTER.search(line)) and re.search(r"\bdrop\b", line):
            found[f"nft {nft_table} {nft_chain}: {_NFT_COUNTER.sub('', line).strip()}"] = int(counter.group(1))
    return found


def backend(saved: str) -> str:
    """``iptables`` or ``nftables`` (Docker 29's optional native backend): where the engine wrote its rules.

    ``saved`` is the text :data:`READ_COUNTERS` prints. ``none`` when neither holds Docker's rules
    (an engine started with ``--iptables=false``).
    """
    iptables, _, nft = saved.partition("#nft")
    if re.search(r"^:DOCKER", iptables, re.MULTILINE):
        return "iptables"
    if re.search(r"^table ip docker-bridges\b", nft, re.MULTILINE):
        return "nftables"
    return "none"


def rose(before: dict[str, int], after: dict[str, int]) -> dict[str, int]:
    """The rules whose counters rose, and by how much (most first)."""
    grown = {rule: count - before.get(rule, 0) for rule, count in after.items() if count > before.get(rule, 0)}
    return dict(sorted(grown.items(), key=lambda item: -item[1]))


def _saved(engine: Engine) -> str:
    return hostshell.run(engine, ["sh", "-c", READ_COUNTERS], check=False)[1]


def read(engine: Engine) -> dict[str, int]:
    """Every dropping rule's counter on the engine's host, now."""
    return drop_counters(_saved(engine))


def read_backend(engine: Engine) -> str:
    """Where the engine keeps its firewall rules: ``iptables``, ``nftables`` or ``none``."""
    return backend(_saved(engine))


def dropped_while(engine: Engine, action: Callable[[], object]) -> dict[str, int]:
    """Run ``action``; return the dropping rules whose counters rose meanwhile, by how many packets."""
    before = read(engine)
    action()
    return rose(before, read(engine))
