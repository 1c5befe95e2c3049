"""A lesson's claim on the learner's own host: which case they are in, in words, and what follows.

Where Docker's behaviour depends on the engine's host (is ``br_netfilter`` filtering bridged frames?
is the ``FORWARD`` policy DROP? does Docker write ip6tables rules? is the userland proxy on? iptables
or nftables?), a lesson does not branch: it asks for the learner's case and checks the outcome against it::

    case = lab.case("bridged-frames")   # prints the host's facts and what follows from them
    ...                                 # the cell that shows what really happened
    case.check(seen)                    # the outcome this host should give, or a message to report

Each case is a pure function of :class:`~dockerlab.host.netfacts.NetFacts` (see :data:`CASES`), so every
branch is tested without an engine. A check that fails raises :class:`~dockerlab.errors.ClaimFailed`:
what the lesson expected, what the engine did, and how to report it.
"""
from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from .. import errors
from ..host.netfacts import NetFacts
from ..text import say


@dataclass(frozen=True)
class Case:
    """The learner's case for one claim: the facts it rests on, in words, and the outcome they predict.

    ``expected`` is one word (``dropped``, ``passed``...); ``allowed`` lists every outcome that would
    not contradict the lesson (usually just ``expected``; more where the host's own rules decide).
    """

    topic: str
    expected: str
    words: str
    facts: tuple[tuple[str, str], ...] = ()
    allowed: tuple[str, ...] = ()

    def __str__(self) -> str:
        lines = [f"{name}: {value}" for name, value in self.facts]
        return "\n".join([*lines, "→ " + self.words])

    def _ipython_display_(self) -> None:
        """Show nothing more: :meth:`~dockerlab.lessons.lesson.Lab.case` already printed the case."""

    def holds(self, seen: str) -> bool:
        """Whether the outcome ``seen`` agrees with this case."""
        return seen in (self.allowed or (self.expected,))

    def check(self, seen: str, evidence: str = "") -> None:
        """Raise :class:`ClaimFailed` unless ``seen`` is what this case predicts."""
        if not self.holds(seen):
            raise errors.ClaimFailed("claim-failed", expected=_describe(self.topic, self.expected),
                                     seen=_describe(self.topic, seen), case=self.words, evidence=evidence or "-")


def _describe(topic: str, outcome: str) -> str:
    """An outcome in words (``outcome-TOPIC-OUTCOME``), or as it is (an address, say)."""
    try:
        return say(f"outcome-{topic}-{outcome}")
    except KeyError:
        return outcome


def _sysctl(value: bool | None) -> str:
    return say("fact-absent") if value is None else ("1" if value else "0")


def bridged_frames(facts: NetFacts) -> Case:
    """Do frames between two ports of a bridge the course makes by hand pass the host's firewall and get dropped?

    Only with the iptables backend, ``bridge-nf-call-iptables = 1`` (br_netfilter loaded: 20.10 to 27.2
    always, from 27.3 only on demand) and the ``FORWARD`` policy DROP (set by dockerd when it turned
    ``ip_forward`` on itself); Docker 29's nftables chains accept what is not Docker's.
    """
    shown = (("net.bridge.bridge-nf-call-iptables", _sysctl(facts.bridge_nf_call_iptables)),
             (say("fact-forward-policy"), facts.forward_policy or "?"),
             (say("fact-backend"), facts.backend))
    if facts.backend == "nftables":
        return Case("bridged-frames", "passed", say("case-bridged-frames-nftables"), shown)
    if not facts.bridged_frames_filtered:
        key = "case-bridged-frames-unfiltered-absent" if facts.bridge_nf_call_iptables is None else \
            "case-bridged-frames-unfiltered"
        return Case("bridged-frames", "passed", say(key), shown)
    if facts.forward_policy == "DROP":
        return Case("bridged-frames", "dropped", say("case-bridged-frames-dropped"), shown)
    return Case("bridged-frames", "passed", say("case-bridged-frames-accept", policy=facts.forward_policy or "?"),
                shown)


def loopback_port(facts: NetFacts) -> Case:
    """Who carries the host's own request to a port published on 127.0.0.1: docker-proxy or the DNAT rule."""
    shown = (("userland-proxy", "true" if facts.userland_proxy else "false"),)
    if facts.userland_proxy:
        return Case("loopback-port", "proxy", say("case-loopback-port-proxy"), shown)
    return Case("loopback-port", "dnat", say("case-loopback-port-dnat"), shown)


def loopback_guard(facts: NetFacts, version: str = "0") -> Case:
    """Is a port published on 127.0.0.1 closed to other machines of the host's network segment?

    From 28.0 the engine adds a ``raw`` ``PREROUTING`` rule dropping packets for such a port unless they
    arrive on ``lo`` (moby v28.5.2 ``iptabler/port.go``), unless the daemon runs with
    ``DOCKER_INSECURE_NO_IPTABLES_RAW=1``; before 28.0 there is none. Docker 29's nftables backend writes its
    own (``raw-PREROUTING``, comment ``DROP REMOTE LOOPBACK``) whatever that variable says: docker-v29.1.3
    ``daemon/libnetwork/drivers/bridge/internal/nftabler/port.go`` ``filterPortMappedOnLoopback`` reads none.
    """
    major = int(version.split(".")[0]) if version.split(".")[0].isdigit() else 0
    if facts.backend == "nftables":  # the nftables backend reads no such variable: its rule is always written
        return Case("loopback-guard", "dropped", say("case-loopback-guard-nftables"),
                    (("Docker", version), (say("fact-backend"), facts.backend)))
    shown = (("Docker", version), ("DOCKER_INSECURE_NO_IPTABLES_RAW", say("fact-yes") if facts.raw_rules_off
                                     else say("fact-no")))
    if major >= 28 and not facts.raw_rules_off:
        return Case("loopback-guard", "dropped", say("case-loopback-guard-raw"), shown)
    if major >= 28:
        return Case("loopback-guard", "open", say("case-loopback-guard-off"), shown)
    return Case("loopback-guard", "open", say("case-loopback-guard-old"), shown)


def host_input(facts: NetFacts) -> Case:
    """Does a service on the host, listening on a bridge's gateway address, answer a container there?

    The engine writes no ``INPUT`` rule for its networks; the host's own ``INPUT`` policy decides.
    """
    shown = ((say("fact-input-policy"), facts.input_policy or "?"),)
    if facts.input_policy == "DROP":
        return Case("host-input", "reached", say("case-host-input-drop"), shown, allowed=("reached", "blocked"))
    return Case("host-input", "reached", say("case-host-input-accept"), shown)


def ip6tables_rules(facts: NetFacts, version: str = "0") -> Case:
    """Does the engine write ip6tables rules? Its ``ip6tables`` setting, whose default is on from 27.

    moby ``cmd/dockerd/config_unix.go``: ``false`` at v26.1.5 (and accepted only with experimental
    features, ``daemon/daemon_unix.go``), ``true`` at v28.5.2. The nftables backend obeys the same setting and
    writes those rules in the table ``ip6 docker-bridges`` (docker-v29.1.3
    ``daemon/libnetwork/drivers/bridge/bridge_linux.go``: the firewaller's ``IPv6`` is ``EnableIP6Tables``;
    ``internal/nftabler/nftabler.go`` makes the ``ip6`` table only then).
    """
    major = int(version.split(".")[0]) if version.split(".")[0].isdigit() else 0
    setting = facts.settings.get("ip6tables")
    shown = (("ip6tables", str(setting) if setting is not None else say("fact-default")),
             (say("fact-backend"), facts.backend))
    where = " " + say("case-ip6tables-nftables") if facts.backend == "nftables" else ""
    if setting is not None:
        on = str(setting).lower() not in ("false", "0")
        words = say("case-ip6tables-set-on" if on else "case-ip6tables-set-off")
        return Case("ip6tables", "rules" if on else "none", words + where, shown)
    if major >= 27:
        return Case("ip6tables", "rules", say("case-ip6tables-default-on") + where, shown)
    return Case("ip6tables", "none", say("case-ip6tables-default-off") + where, shown)


def ipv6_isolation(facts: NetFacts) -> Case:
    """Do two IPv6 networks of one engine reach each other over IPv6?

    Docker isolates them only where it writes ip6tables rules (``--ip6tables``: on by default from 27,
    experimental-only and off by default up to 26); otherwise the host forwards IPv6 between them,
    unless its own ip6tables ``FORWARD`` policy drops it.
    """
    shown = ((say("fact-ip6tables-rules"), say("fact-yes") if facts.ip6tables else say("fact-no")),
             (say("fact-ip6-forward-policy"), facts.ip6_forward_policy or "?"))
    if facts.backend == "nftables":
        return Case("ipv6-isolation", "isolated", say("case-ipv6-isolation-nftables"),
                    ((say("fact-backend"), facts.backend),))
    if facts.ip6tables:
        return Case("ipv6-isolation", "isolated", say("case-ipv6-isolation-rules"), shown)
    if facts.ip6_forward_policy == "DROP":
        return Case("ipv6-isolation", "isolated", say("case-ipv6-isolation-policy"), shown)
    return Case("ipv6-isolation", "reached", say("case-ipv6-isolation-none"), shown)


def firewall_chains(facts: NetFacts) -> Case:
    """Where a rule of the learner's own goes: ``DOCKER-USER`` (iptables) or an nftables table of their own."""
    shown = ((say("fact-backend"), facts.backend),)
    if facts.backend == "nftables":
        return Case("firewall-chains", "nftables", say("case-firewall-chains-nftables"), shown)
    return Case("firewall-chains", "docker-user", say("case-firewall-chains-iptables"), shown)


def host_gateway(facts: NetFacts, docker0: str = "") -> Case:
    """The address ``--add-host NAME:host-gateway`` writes: the daemon's ``host-gateway-ip(s)``, else docker0's.

    moby v20.10.24 ``daemon/daemon_unix.go`` (the default bridge's address when none is set), the same in
    v28.5.2 ``setHostGatewayIP``; for a container on any network.
    """
    configured = facts.settings.get("host-gateway-ips") or facts.settings.get("host-gateway-ip")
    listed = configured if isinstance(configured, list) else [configured] if configured else []
    ipv4 = [str(address) for address in listed if ":" not in str(address)]
    if ipv4:
        return Case("host-gateway", ipv4[0], say("case-host-gateway-set", address=ipv4[0]),
                    (("host-gateway-ip", ", ".join(map(str, listed))),))
    return Case("host-gateway", docker0, say("case-host-gateway-docker0", address=docker0),
                (("host-gateway-ip", say("fact-not-set")),))


def engine_host(facts: NetFacts) -> Case:
    """Which machine "the host" is in these lessons: where the engine runs as root, a VM (Docker Desktop), or
    RootlessKit's namespace (rootless Docker): ``docker info``'s security options and operating system."""
    if facts.rootless:
        return Case("engine-host", "rootless", say("case-engine-host-rootless"), (("rootless", say("fact-yes")),))
    if facts.desktop:
        return Case("engine-host", "vm", say("case-engine-host-desktop"), (("Docker Desktop", say("fact-yes")),))
    return Case("engine-host", "rootful", say("case-engine-host-rootful"), (("rootless", say("fact-no")),))


CASES: dict[str, Callable[..., Case]] = {
    "bridged-frames": bridged_frames,
    "loopback-port": loopback_port,
    "loopback-guard": loopback_guard,
    "host-input": host_input,
    "ip6tables": ip6tables_rules,
    "ipv6-isolation": ipv6_isolation,
    "firewall-chains": firewall_chains,
    "host-gateway": host_gateway,
    "engine-host": engine_host,
}
"""Every case a lesson can ask for by name, with what else it needs (``lab.case("host-gateway", docker0=...)``)."""
