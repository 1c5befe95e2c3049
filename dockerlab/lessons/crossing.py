"""A ping across two networks, and what makes its failure a proof of isolation: a control, the rule that dropped it.

A ping that gets no answer proves no isolation by itself: a wrong address, no route, or a container without IPv6
fail the same way. :meth:`~dockerlab.lessons.lesson.Lab.ping_across` makes the failure name its cause, as one
would by hand:

1. a control: a fresh container on the target's network pings the same address and is answered (the address is
   right, the target answers): ``docker run --rm --network NET dockerlab/busybox ping -6 -c 3 -W 1 ADDRESS``;
2. the ping across, with the host's dropping rules read before and after (``sudo ip6tables-save -c`` and
   ``sudo nft list ruleset``; ``iptables-save -c`` for IPv4).

Its outcome (:func:`outcome`) is ``reached`` (any answer), ``isolated`` (no answer, the control answered, and a
dropping rule on one of the two networks' bridges, or the host's ``FORWARD`` policy DROP, counted the packet) or
``failed`` (no answer, for any other reason). No case of :mod:`~dockerlab.lessons.claims` allows ``failed``: a
failure that proves nothing never passes as isolation.
"""
from __future__ import annotations

import re
from dataclasses import dataclass

from ..text import say

POLICY_DROP = "filter: -P FORWARD DROP"
"""The key :func:`~dockerlab.host.firewall.drop_counters` gives the ``FORWARD`` chain's policy DROP."""


@dataclass(frozen=True)
class Crossing:
    """What a ping across showed: ``seen`` (``reached``, ``isolated`` or ``failed``) and its evidence in words."""

    seen: str
    evidence: str

    def _ipython_display_(self) -> None:
        """Show nothing more: :meth:`~dockerlab.lessons.lesson.Lab.ping_across` already printed each step."""


PINGS = 3
"""Echo requests a ping sends: on an engine that forwards between the networks, the first can be lost while the
host still resolves the target on its brand-new bridge (its IPv6 addresses there are tentative for a second)."""


def answered(output: str) -> bool:
    """Whether a busybox ``ping -c N`` got any answer (``N packets transmitted, M packets received``, M > 0)."""
    found = re.search(r"(\d+) packets received", output)
    return found is not None and int(found.group(1)) > 0


def proving(dropped: dict[str, int], bridges: list[str]) -> dict[str, int]:
    """The rules among ``dropped`` (rules whose counters rose) that stand between ``bridges``: a rule that names one
    of them (iptables' ``-o br-…``/``! -i br-…``, an nftables chain ``filter-forward-in__br-…``), or ``FORWARD``'s
    policy DROP. A drop anywhere else on the host proves nothing about these two networks."""
    return {rule: packets for rule, packets in dropped.items()
            if rule == POLICY_DROP or any(bridge in rule for bridge in bridges)}


def outcome(reached: bool, control: bool, proof: dict[str, int]) -> str:
    """``reached`` if the ping was answered; ``isolated`` only if the control was answered and a rule between the two
    networks counted the ping's packet; otherwise ``failed``."""
    if reached:
        return "reached"
    return "isolated" if control and proof else "failed"


def evidence(control: bool, ping_output: str, proof: dict[str, int]) -> str:
    """The outcome's evidence in one line: the control, the ping's last line, the rules that counted it."""
    last = next((line.strip() for line in reversed(ping_output.splitlines()) if line.strip()), "-")
    rules = "; ".join(f"+{packets} {rule}" for rule, packets in proof.items()) or say("lab-none-dropped")
    return say("crossing-evidence", control=say("crossing-answered" if control else "crossing-unanswered"),
               ping=last, rules=rules)
