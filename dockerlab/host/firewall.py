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
READ_COUNTERS_IPV6 = "ip6tables-save -c 2>/dev/null; echo '#nft'; nft list ruleset 2>/dev/null || true"
"""The same for IPv6: ``ip6tables`` (Docker's IPv6 rules where it writes them), and nftables (where Docker 29's
nftables backend keeps them, in the table ``ip6 docker-bridges``)."""
_RULE = re.compile(r"^\[(\d+):\d+\] (.*)$")
_POLICY = re.compile(r"^:(\S+) (\S+) \[(\d+):\d+\]$")
_NFT_COUNTER = re.compile(r"counter packets (\d+) bytes \d+ ?")
_NFT_COMMENT = re.compile(r'\s*comment "[^"]*"$')
IPTABLES_TABLES = {"filter", "nat", "raw", "mangle", "security"}
"""nftables tables that iptables-nft itself keeps (family ``ip`` or ``ip6``): already read through ``iptables-save``."""


def nft_rules(saved: str) -> list[tuple[str, int]]:
    """Every counted rule of ``nft list ruleset`` (after the ``#nft`` line of ``saved``) -> packets counted.

    Keys read like the rule without its counter, prefixed by its table and chain:
    ``nft ip docker-bridges nat-prerouting-and-output: ... tcp dport 8080 dnat to 192.168.0.2:80 comment "DNAT"``.
    The tables iptables-nft keeps for ``iptables`` are left out (``iptables-save`` shows them).
    """
    found: list[tuple[str, int]] = []
    table, chain = "", ""
    for raw_line in saved.partition("#nft")[2].splitlines():
        line = raw_line.strip()
        if line.startswith("table "):
            table, chain = line.removeprefix("table ").removesuffix("{").strip(), ""
        elif line.startswith("chain "):
            chain = line.removeprefix("chain ").removesuffix("{").strip()
        elif (counter := _NFT_COUNTER.search(line)) and chain and not _kept_by_iptables(table):
            found.append((f"nft {table} {chain}: {_NFT_COUNTER.sub('', line).strip()}", int(counter.group(1))))
    return found


def _kept_by_iptables(table: str) -> bool:
    family, _, name = table.partition(" ")
    return family in ("ip", "ip6") and name in IPTABLES_TABLES


def _nft_verdict(rule: str) -> str:
    """The last statement of an nft rule, its comment left out (``drop``, ``accept``, ``masquerade``...)."""
    words = _NFT_COMMENT.sub("", rule).split()
    return words[-1] if words else ""


def drop_counters(saved: str) -> dict[str, int]:
    """Dropping rules and policies -> packets counted, from ``iptables-save -c`` and ``nft list ruleset`` text.

    Keys read like the rule itself, prefixed by its table: ``raw: -A PREROUTING -d 10.1.0.2/32 ... -j DROP``,
    ``nft ip docker-bridges raw-PREROUTING: ip daddr 192.168.0.2 iifname != "br-dummy" drop comment "..."``.
    """
    found: dict[str, int] = {}
    table = ""
    for raw_line in saved.partition("#nft")[0].splitlines():
        line = raw_line.strip()
        if line.startswith("*"):
            table = line[1:]
        elif (policy := _POLICY.match(line)) and policy.group(2) == "DROP":
            found[f"{table}: -P {policy.group(1)} DROP"] = int(policy.group(3))
        elif (rule := _RULE.match(line)) and re.search(r"-j DROP\b", rule.group(2)):
            found[f"{table}: {rule.group(2)}"] = int(rule.group(1))
    for text, packets in nft_rules(saved):
        if _nft_verdict(text) == "drop":
            found[text] = packets
    return found


def backend(saved: str) -> str:
    """``iptables`` or ``nftables`` (Docker 29's optional native backend): where the engine wrote its rules.

    ``saved`` is the text :data:`READ_COUNTERS` prints. ``none`` when neither holds Docker's rules
    (an engine started with ``--iptables=false``). A ``DOCKER-USER`` chain alone is no sign of the iptables
    backend: an engine moved to nftables leaves it behind (docs: firewall-nftables, "Migrating DOCKER-USER").
    """
    iptables, _, nft = saved.partition("#nft")
    if re.search(r"^:DOCKER(?!-USER\b)", iptables, re.MULTILINE):
        return "iptables"
    if re.search(r"^table ip docker-bridges\b", nft, re.MULTILINE):
        return "nftables"
    return "none"


def rose(before: dict[str, int], after: dict[str, int]) -> dict[str, int]:
    """The rules whose counters rose, and by how much (most first)."""
    grown = {rule: count - before.get(rule, 0) for rule, count in after.items() if count > before.get(rule, 0)}
    return dict(sorted(grown.items(), key=lambda item: -item[1]))


def saved(engine: Session, ipv6: bool = False) -> str:
    """The firewall as ``sudo iptables-save -c; sudo nft list ruleset`` print it on the engine's host
    (``ipv6=True``: ``sudo ip6tables-save -c`` instead of ``iptables-save``)."""
    return engine.host(["sh", "-c", READ_COUNTERS_IPV6 if ipv6 else READ_COUNTERS], check=False)[1]


def read(engine: Session, ipv6: bool = False) -> dict[str, int]:
    """Every dropping rule's counter on the engine's host, now (IPv6's with ``ipv6=True``)."""
    return drop_counters(saved(engine, ipv6))


def read_backend(engine: Session) -> str:
    """Where the engine keeps its firewall rules: ``iptables``, ``nftables`` or ``none``."""
    return backend(saved(engine))


def dropped_while(engine: Session, action: Callable[[], object], ipv6: bool = False) -> dict[str, int]:
    """Run ``action``; return the dropping rules whose counters rose meanwhile, by how many packets
    (IPv6's rules with ``ipv6=True``)."""
    before = read(engine, ipv6)
    action()
    return rose(before, read(engine, ipv6))


_LABELLED = re.compile(rf'^(-A \S+ .*--comment "?{re.escape(labels.RULE_COMMENT_PREFIX)}([\w.-]+)"?.*)$')
"""A rule the course added: its comment is ``labels.rule_comment(LESSON)``."""


def rule_counters(saved: str, word: str) -> dict[str, int]:
    """Rules whose text holds ``word`` (e.g. ``DNAT``) -> packets counted, from ``iptables-save -c`` and ``nft``.

    Keys read like the rule itself, prefixed by its table: ``nat: -A DOCKER -d 127.0.0.1/32 ... -j DNAT ...``;
    for nftables (where statements are written in lower case: ``dnat to``, ``masquerade``) the word is
    matched whatever its case: ``nft ip docker-bridges nat-prerouting-and-output: ... dnat to 192.168.0.2:80``.
    """
    found: dict[str, int] = {}
    table = ""
    for raw_line in saved.partition("#nft")[0].splitlines():
        line = raw_line.strip()
        if line.startswith("*"):
            table = line[1:]
        elif (rule := _RULE.match(line)) and word in rule.group(2):
            found[f"{table}: {rule.group(2)}"] = int(rule.group(1))
    found.update((rule, packets) for rule, packets in nft_rules(saved)
                 if word.lower() in rule.partition(": ")[2].lower())
    return found


def counted_while(engine: Session, word: str, action: Callable[[], object]) -> dict[str, int]:
    """Run ``action``; return every rule holding ``word`` with how many packets it counted meanwhile (0 included)."""
    before = saved(engine)
    action()
    return counted_between(before, saved(engine), word)


def counted_between(before: str, after: str, word: str) -> dict[str, int]:
    """Every rule holding ``word`` in ``after`` with how many packets it counted since ``before`` (0 included);
    both are :data:`READ_COUNTERS` text."""
    was = rule_counters(before, word)
    return {rule: count - was.get(rule, 0) for rule, count in rule_counters(after, word).items()}


NFT_TABLE_PREFIX = "dockerlab-"
"""An nftables table the course makes (on an engine with the nftables backend, where ``DOCKER-USER`` does not
exist) is named ``dockerlab-LESSON``: its name is its label, as a rule's comment is in iptables."""
_NFT_LABELLED = re.compile(rf"^table (ip|ip6|inet) ({re.escape(NFT_TABLE_PREFIX)}([\w.-]+)) \{{$")


def nft_table(lesson: str) -> str:
    """The name of the nftables table of the course's own for ``lesson``: ``dockerlab-08-ports-and-nat``."""
    return NFT_TABLE_PREFIX + lesson


def labelled_rules(saved: str, lesson: str | None = None) -> list[tuple[str, str]]:
    """(table, rule) for each rule the course added (of one lesson, if given), from ``iptables-save`` text;
    and ``("nft", "table ip dockerlab-LESSON")`` for each nftables table of the course's in the ``nft`` part."""
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
    for line in saved.partition("#nft")[2].splitlines():
        if (own := _NFT_LABELLED.match(line.strip())) and lesson in (None, own.group(3)):
            found.append(("nft", f"table {own.group(1)} {own.group(2)}"))
    return found


def remove_labelled(engine: Session, lesson: str | None = None) -> list[str]:
    """Delete the rules the course added (of one lesson, if given), found by their comment (or name).

    Similar to ``sudo iptables -t TABLE -D CHAIN ...`` for each rule ``iptables-save`` shows with
    ``--comment dockerlab:LESSON``, and ``sudo nft delete table ip dockerlab-LESSON``; nobody else's rule is
    touched.
    """
    removed = []
    for table, rule in labelled_rules(saved(engine), lesson):
        if table == "nft":
            command = ["nft", "delete", *rule.split()]
        else:
            command = ["iptables", "-t", table, "-D", *shlex.split(rule)[1:]]
        if engine.host(command, check=False)[0] == 0:
            removed.append(f"{table}: {rule}")
    return removed


_DNS_NAT = (re.compile(r"-d 127\.0\.0\.11/32 -p (udp|tcp) .*--dport 53 -j DNAT --to-destination (\S+)"),
            re.compile(r"ip daddr 127\.0\.0\.11 (udp|tcp) dport 53 .*dnat to (\S+)"))
READ_DNS_NAT = "iptables-save -t nat 2>/dev/null; echo '#nft'; nft list table ip docker-dns 2>/dev/null || true"
"""What a container's namespace holds of the embedded DNS's NAT: iptables' ``DOCKER_OUTPUT`` chain, or, on an
engine with the nftables backend, the table ``ip docker-dns`` (moby docker-v29.1.0
``daemon/libnetwork/resolver_unix.go`` ``setupNftablesNAT``). Run it with ``nsenter --net=SANDBOX``."""


def dns_nat(saved: str) -> dict[str, str]:
    """Where the NAT in a container's namespace sends its DNS questions to 127.0.0.11:53, by protocol.

    ``{"udp": "127.0.0.11:37069", "tcp": "127.0.0.11:35035"}``: the ports where dockerd's embedded DNS
    server listens in that namespace, read from ``iptables-save -t nat`` or ``nft list table ip docker-dns``
    text (both: :data:`READ_DNS_NAT`). Empty when the namespace has no such rule.
    """
    found: dict[str, str] = {}
    for line in saved.splitlines():
        for pattern in _DNS_NAT:
            if rule := pattern.search(line):
                found.setdefault(rule.group(1), rule.group(2))
    return found


def read_dns_nat(engine: Session, sandbox: str) -> dict[str, str]:
    """:func:`dns_nat` in the network namespace ``sandbox`` (a container's ``NetworkSettings.SandboxKey``).

    Similar to ``sudo nsenter --net=SANDBOX iptables -t nat -S`` (or ``nft list table ip docker-dns``).
    """
    return dns_nat(engine.host(["nsenter", f"--net={sandbox}", "sh", "-c", READ_DNS_NAT], check=False)[1])
