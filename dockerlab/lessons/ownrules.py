"""Firewall rules of the learner's own, put where their engine's firewall leaves room for them.

With iptables (every engine up to 28, and 29 by default) that is ``DOCKER-USER``, the chain ``FORWARD`` visits first
and the engine never rewrites; each rule carries the comment ``dockerlab:LESSON``, the course's label. With Docker 29's
nftables backend there is no ``DOCKER-USER``: Docker's documentation (*Docker with nftables*) has you make a table of
your own, with a chain on the ``forward`` hook at priority ``filter - 1``, just before Docker's; the course names it
``dockerlab-LESSON`` (its name is its label). A lesson asks for what the rule should do, not where it goes::

    mine = lab.own_rules()
    mine.drop_from("203.0.113.10")   # prints the case and each command it runs, as you would type them
    ...
    mine.remove()                    # exactly what was added: iptables -D ..., or nft delete table ...

The commands are pure functions of the backend (:func:`commands`), tested without an engine.
"""
from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

from ..host import firewall
from ..labels import RULE_COMMENT_PREFIX, rule_comment
from ..text import say

if TYPE_CHECKING:
    from .lesson import Lab


def _table(lesson: str) -> str:
    return f"ip {firewall.nft_table(lesson)}"


def _nft_forward_chain(lesson: str) -> list[str]:
    """A table of the lesson's own, and its chain on the ``forward`` hook just before Docker's (``filter - 1``)."""
    return [f"nft add table {_table(lesson)}",
            f"nft 'add chain {_table(lesson)} forward {{ type filter hook forward priority filter - 1; }}'"]


def drop_from(backend: str, lesson: str, source: str) -> list[str]:
    """Drop what ``source`` sends through the host (to a published port, say): ``iptables -I DOCKER-USER -s SOURCE
    ... -j DROP``, or an nftables rule ``ip saddr SOURCE counter drop`` in the lesson's own table."""
    if backend == "nftables":
        return [*_nft_forward_chain(lesson),
                f"nft 'add rule {_table(lesson)} forward ip saddr {source} counter drop "
                f"comment \"{rule_comment(lesson)}\"'"]
    return [f"iptables -I DOCKER-USER -s {source} -m comment --comment {rule_comment(lesson)} -j DROP"]


def route_bridge(backend: str, lesson: str, bridge: str, subnet: str) -> list[str]:
    """What Docker does for each of its bridges, for a bridge made by hand: accept what comes from it, let the
    replies back in, and masquerade what leaves it for elsewhere."""
    if backend == "nftables":
        return [*_nft_forward_chain(lesson),
                f"nft 'add rule {_table(lesson)} forward iifname \"{bridge}\" counter accept'",
                f"nft 'add rule {_table(lesson)} forward oifname \"{bridge}\" ct state related,established "
                "counter accept'",
                f"nft 'add chain {_table(lesson)} postrouting {{ type nat hook postrouting priority srcnat; }}'",
                f"nft 'add rule {_table(lesson)} postrouting ip saddr {subnet} oifname != \"{bridge}\" "
                "counter masquerade'"]
    label = f"-m comment --comment {rule_comment(lesson)}"
    return [f"iptables -I DOCKER-USER -i {bridge} {label} -j ACCEPT",
            f"iptables -I DOCKER-USER -o {bridge} -m conntrack --ctstate RELATED,ESTABLISHED {label} -j ACCEPT",
            f"iptables -t nat -A POSTROUTING -s {subnet} ! -o {bridge} {label} -j MASQUERADE"]


def accept_within(backend: str, lesson: str, bridge: str) -> list[str]:
    """Let frames cross a bridge made by hand, port to port: with iptables, ``br_netfilter`` may hand them to
    ``FORWARD``, whose policy may be DROP; Docker's nftables chains accept what is not Docker's (nothing to add)."""
    if backend == "nftables":
        return []
    return [f"iptables -I DOCKER-USER -i {bridge} -o {bridge} -m comment --comment {rule_comment(lesson)} -j ACCEPT"]


def undo(backend: str, lesson: str, added: list[str]) -> list[str]:
    """The commands that remove what ``added`` added: each iptables rule with ``-D`` (last first), the lesson's
    nftables table with ``nft delete table``."""
    undone = [command.replace(" -I ", " -D ", 1).replace(" -A ", " -D ", 1)
              for command in reversed(added) if command.startswith("iptables ")]
    if any(command.startswith("nft ") for command in added):
        undone.append(f"nft delete table {_table(lesson)}")
    return undone


def left(backend: str, lesson: str) -> list[tuple[str, str]]:
    """The listings that show what is left of the course's rules (with the word that marks them): ``iptables-save``,
    and with nftables also ``nft list tables``."""
    shown = [("iptables-save", RULE_COMMENT_PREFIX)]
    return [*shown, ("nft list tables", firewall.NFT_TABLE_PREFIX)] if backend == "nftables" else shown


COMMANDS: dict[str, Callable[..., list[str]]] = {
    "drop-from": drop_from,
    "route-bridge": route_bridge,
    "accept-within": accept_within,
}
"""What a lesson may ask of its own rules, by name."""


class OwnRules:
    """The rules one lesson adds of its own: added where the engine's firewall leaves room, removed exactly."""

    def __init__(self, lab: Lab):
        self.lab = lab
        self.backend = lab.firewall_backend
        self.added: list[str] = []
        print("# " + say(f"own-rules-{self._case}", table=firewall.nft_table(lab.lesson_id)))

    @property
    def _case(self) -> str:
        return "nftables" if self.backend == "nftables" else "iptables"

    def _run(self, what: str, **given: str) -> None:
        commands = COMMANDS[what](self._case, self.lab.lesson_id, **given)
        if not commands:
            print("# " + say(f"own-rules-{what}-nothing"))
        for command in commands:
            self.lab.host(command)
            if command not in self.added:
                self.added.append(command)

    def drop_from(self, source: str) -> None:
        """Drop what ``source`` sends through the host. Like ``sudo iptables -I DOCKER-USER -s SOURCE -j DROP``."""
        self._run("drop-from", source=source)

    def route_bridge(self, bridge: str, subnet: str) -> None:
        """Accept, let back and masquerade a bridge made by hand, as Docker does its own. Similar to ``sudo iptables
        -I DOCKER-USER -i BRIDGE -j ACCEPT`` (and the replies, and ``-t nat -A POSTROUTING ... -j MASQUERADE``)."""
        self._run("route-bridge", bridge=bridge, subnet=subnet)

    def accept_within(self, bridge: str) -> None:
        """Let frames cross ``bridge`` port to port. Similar to ``sudo iptables -I DOCKER-USER -i BRIDGE -o BRIDGE
        -j ACCEPT`` (nothing, with Docker 29's nftables backend)."""
        self._run("accept-within", bridge=bridge)

    def holds(self, rule: str) -> bool:
        """Whether ``rule`` (a key of :meth:`~dockerlab.lessons.lesson.Lab.counted_while`) is one of these."""
        if self._case == "nftables":
            return rule.startswith(f"nft {_table(self.lab.lesson_id)} ")
        return any(rule.endswith(text) for text in ("-j DROP", "-j ACCEPT")) and "-A DOCKER-USER " in rule

    def remove(self) -> None:
        """Remove what was added, exactly. Similar to ``sudo iptables -D ...`` for each rule (``nft delete table``)."""
        for command in undo(self._case, self.lab.lesson_id, self.added):
            self.lab.host(command)
        self.added = []

    def left(self) -> str:
        """What is left of the course's rules: nothing, after :meth:`remove`. Similar to ``sudo iptables-save | grep
        dockerlab:`` (and ``sudo nft list tables | grep dockerlab-``)."""
        return "".join(self.lab.host(command, grep=word).output for command, word in left(self._case,
                                                                                          self.lab.lesson_id))
