"""Docker's firewall rule that a lesson's claim rests on, listed where the learner's engine keeps it.

The engine writes its rules with iptables (every engine up to 28, and 29 by default) or, with Docker 29's
``firewall-backend: nftables``, in nftables tables of its own (``ip docker-bridges``, ``ip6 docker-bridges``, and
``ip docker-dns`` in each container's namespace). A lesson does not branch on that: it names the rule
(:data:`RULES`), and :meth:`~dockerlab.lessons.lesson.Lab.rule` says which case the engine is in, runs the command
that lists the rule there, and keeps the lines that prove the claim::

    dnat = lab.rule("published-port", port=8080, to="172.17.0.2:80")
    # iptables: … the rule is in the nat table's DOCKER chain
    # $ sudo iptables -t nat -S DOCKER    (nftables: sudo nft list chain ip docker-bridges nat-prerouting-and-output)
    # -A DOCKER -d 127.0.0.1/32 ! -i docker0 -p tcp -m tcp --dport 8080 -j DNAT --to-destination 172.17.0.2:80
    dnat.check()                                # the rule is there, or ClaimFailed says what is missing

Each entry of :data:`RULES` is a pure function of the backend and the rule's details (tested without an engine),
giving a :class:`Listing`: the command, the word that keeps a line of its output (as ``| grep WORD``), and the
parts one line must hold. Their words are ``rule-TOPIC-BACKEND`` in ``dockerlab/locale/en.json``.
"""
from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from .. import errors
from ..text import say

BACKENDS = ("iptables", "nftables")


@dataclass(frozen=True)
class Listing:
    """Where one rule is listed on one backend: ``command`` (run on the engine's host as root), ``grep`` (the word a
    shown line holds), ``wanted`` (for each line the claim needs, the parts that line holds together; none: every
    shown line counts, as in a count), and whether the command may fail (a table that does not exist)."""

    command: str
    grep: str
    wanted: tuple[tuple[str, ...], ...] = ()
    may_fail: bool = False


@dataclass(frozen=True)
class Shown:
    """A rule's listing as it ran: the case in words, the command, the lines it showed, and which were wanted."""

    topic: str
    backend: str
    words: str
    listing: Listing
    output: str

    def _ipython_display_(self) -> None:
        """Show nothing more: :meth:`~dockerlab.lessons.lesson.Lab.rule` already printed the case and the listing."""

    @property
    def lines(self) -> list[str]:
        """The shown lines that hold all the parts of a wanted line (every shown line when none is wanted)."""
        shown = [line for line in self.output.splitlines() if line.strip()]
        if not self.listing.wanted:
            return shown
        return [line for line in shown if any(all(part in line for part in parts) for parts in self.listing.wanted)]

    @property
    def found(self) -> bool:
        """Whether every wanted line is there (with none wanted: whether anything was shown)."""
        shown = self.output.splitlines()
        return all(any(all(part in line for part in parts) for line in shown) for parts in self.listing.wanted) \
            if self.listing.wanted else bool(self.lines)

    @property
    def summary(self) -> str:
        """How many lines the listing showed, with the first: ``18 lines, e.g. -N DOCKER``."""
        return say("rule-count", count=len(self.lines), example=self.lines[0].strip() if self.lines else "-")

    @property
    def evidence(self) -> str:
        """The lines that prove it, else what was shown, else that nothing was."""
        return "; ".join(line.strip() for line in self.lines) or self.output.strip() or say("rule-none-shown")

    def check(self, present: bool = True) -> None:
        """Raise :class:`~dockerlab.errors.ClaimFailed` unless the rule is there (``present=False``: unless not)."""
        if self.found != present:
            expected = " + ".join(" … ".join(parts) for parts in self.listing.wanted) or self.listing.grep
            raise errors.ClaimFailed("claim-failed", expected=say("rule-expected" if present else "rule-expected-none",
                                                                   rule=expected, command=self.listing.command),
                                     seen=self.evidence, case=self.words, evidence=self.backend)


def published_port(backend: str, port: int, to: str) -> Listing:
    """``-p ...:PORT:...``'s DNAT rule, sending the port to ``to`` (the container's ``ADDRESS:PORT``)."""
    if backend == "nftables":
        return Listing("nft list chain ip docker-bridges nat-prerouting-and-output", str(port),
                       ((f"tcp dport {port} counter ", f"dnat to {to}"),))
    return Listing("iptables -t nat -S DOCKER", str(port), ((f"--dport {port} -j DNAT --to-destination {to}",),))


def loopback_exception(backend: str) -> Listing:
    """The jump from the host's own ``OUTPUT`` to Docker's DNAT rules, and its exception for ``127.0.0.0/8``."""
    if backend == "nftables":
        return Listing("nft list chain ip docker-bridges nat-OUTPUT", "jump", (("ip daddr != 127.0.0.0/8",),))
    return Listing("iptables -t nat -S OUTPUT", "DOCKER", (("! -d 127.0.0.0/8",),))


def loopback_guard(backend: str, port: int) -> Listing:
    """From 28.0: the ``raw`` rule dropping packets for a port published on 127.0.0.1 unless they arrive on ``lo``."""
    if backend == "nftables":
        return Listing("nft list chain ip docker-bridges raw-PREROUTING", str(port),
                       (('iifname != "lo"', "ip daddr 127.0.0.1 ", f"dport {port} ", " drop "),))
    return Listing("iptables -t raw -S PREROUTING", str(port), (("-d 127.0.0.1/32", "! -i lo", f"--dport {port}",
                                                                 "-j DROP"),))


def masquerade(backend: str, sources: tuple[tuple[str, str], ...]) -> Listing:
    """The MASQUERADE rule for each ``(subnet, bridge)``: from the subnet, leaving by any interface but the bridge."""
    if backend == "nftables":
        return Listing("nft list ruleset", "masquerade", tuple(
            (f'oifname != "{bridge}"', f"ip saddr {subnet} ", " counter ", " masquerade")
            for subnet, bridge in sources))
    return Listing("iptables -t nat -S POSTROUTING", "MASQUERADE", tuple(
        (f"-A POSTROUTING -s {subnet} ! -o {bridge} ", "-j MASQUERADE") for subnet, bridge in sources))


def embedded_dns(backend: str, sandbox: str = "") -> Listing:
    """The NAT that sends DNS for 127.0.0.11 to dockerd's own ports: in a container's namespace (``sandbox``, its
    ``SandboxKey``, read with ``nsenter --net=``), or on the host (``sandbox`` empty)."""
    inside = f"nsenter --net={sandbox} " if sandbox else ""
    if backend == "nftables":
        return Listing(f"{inside}nft list {'table ip docker-dns' if sandbox else 'ruleset'}", "127.0.0.11",
                       (("dnat to 127.0.0.11:",),), may_fail=True)
    return Listing(f"{inside}iptables -t nat -S", "127.0.0.11", (("DNAT --to-destination 127.0.0.11:",),))


def ipv6_rules(backend: str) -> Listing:
    """Every IPv6 rule of Docker's: ``ip6tables``' ``DOCKER`` chains, or the nftables table ``ip6 docker-bridges``
    (absent where Docker writes no IPv6 rule)."""
    if backend == "nftables":
        return Listing("nft list table ip6 docker-bridges", "counter ", may_fail=True)
    return Listing("ip6tables -S", "DOCKER")


RULES: dict[str, Callable[..., Listing]] = {
    "published-port": published_port,
    "loopback-exception": loopback_exception,
    "loopback-guard": loopback_guard,
    "masquerade": masquerade,
    "embedded-dns": embedded_dns,
    "ipv6-rules": ipv6_rules,
}
"""Every rule a lesson can list by name, with what else it needs (``lab.rule("published-port", port=8080, to=...)``)."""


def listing(topic: str, backend: str, **given: object) -> Listing:
    """Where ``topic``'s rule is listed on ``backend`` (``none``, an engine writing no rules, reads as iptables)."""
    return RULES[topic](backend if backend in BACKENDS else "iptables", **given)


def words(topic: str, backend: str, **given: object) -> str:
    """The learner's case for ``topic``'s rule, in words: the backend and where the rule is."""
    return say(f"rule-{topic}-{backend if backend in BACKENDS else 'iptables'}",
               **{key: value for key, value in given.items() if isinstance(value, (str, int))})
