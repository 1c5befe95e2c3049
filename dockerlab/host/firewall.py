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
import shlex
from collections.abc import Callable
from typing import TYPE_CHECKING

from .. import labels

if TYPE_CHECKING:
    from .session import Session

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


def saved(engine: Session) -> str:
    """The firewall as ``sudo iptables-save -c; sudo nft list ruleset`` print it on the engine's host."""
    return engine.host(["sh", "-c", READ_COUNTERS], check=False)[1]


def read(engine: Session) -> dict[str, int]:
    """Every dropping rule's counter on the engine's host, now."""
    return drop_counters(saved(engine))


def read_backend(engine: Session) -> str:
    """Where the engine keeps its firewall rules: ``iptables``, ``nftables`` or ``none``."""
    return backend(saved(engine))


def dropped_while(engine: Session, action: Callable[[], object]) -> dict[str, int]:
    """Run ``action``; return the dropping rules whose counters rose meanwhile, by how many packets."""
    before = read(engine)
    action()
    return rose(before, read(engine))


_LABELLED = re.compile(rf'^(-A \S+ .*--comment "?{re.escape(labels.RULE_COMMENT_PREFIX)}([\w.-]+)"?.*)$')
"""A rule the course added: its comment is ``labels.rule_comment(LESSON)``."""


def rule_counters(saved: str, word: str) -> dict[str, int]:
    """Rules whose text holds ``word`` (e.g. ``DNAT``) -> packets counted, from ``iptables-save -c`` text.

    Keys read like the rule itself, prefixed by its table: ``nat: -A DOCKER -d 127.0.0.1/32 ... -j DNAT ...``.
    """
    found: dict[str, int] = {}
    table = ""
    for raw_line in saved.partition("#nft")[0].splitlines():
        line = raw_line.strip()
        if line.startswith("*"):
            table = line[1:]
        elif (rule := _RULE.match(line)) and word in rule.group(2):
            found[f"{table}: {rule.group(2)}"] = int(rule.group(1))
    return found


def counted_while(engine: Session, word: str, action: Callable[[], object]) -> dict[str, int]:
    """Run ``action``; return every rule holding ``word`` with how many packets it counted meanwhile (0 included)."""
    before = rule_counters(saved(engine), word)
    action()
    after = rule_counters(saved(engine), word)
    return {rule: count - before.get(rule, 0) for rule, count in after.items()}


def labelled_rules(saved: str, lesson: str | None = None) -> list[tuple[str, str]]:
    """(table, rule) for each rule the course added (of one lesson, if given), from ``iptables-save`` text."""
    found, table = [], ""
    for raw_line in saved.partition("#nft")[0].splitlines():
        line = raw_line.strip()
        if line.startswith("*"):
            table = line[1:]
            continue
        rule = _RULE.match(line)
        text = rule.group(2) if rule else line
        if (labelled := _LABELLED.match(text)) and lesson in (None, labelled.group(2)):
            found.append((table, text))
    return found


def remove_labelled(engine: Session, lesson: str | None = None) -> list[str]:
    """Delete the rules the course added (of one lesson, if given), found by their comment.

    Similar to ``sudo iptables -t TABLE -D CHAIN ...`` for each rule ``iptables-save`` shows with
    ``--comment dockerlab:LESSON``; nobody else's rule is touched.
    """
    removed = []
    for table, rule in labelled_rules(saved(engine), lesson):
        command = ["iptables", "-t", table, "-D", *shlex.split(rule)[1:]]
        if engine.host(command, check=False)[0] == 0:
            removed.append(f"{table}: {rule}")
    return removed
