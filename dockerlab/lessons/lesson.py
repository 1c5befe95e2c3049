"""What a lesson's cells call: start clean, run docker commands, end clean.

    lab = dockerlab.lesson("01-default-bridge")   # first cell
    lab.docker("run -d --name c1 dockerlab/busybox sleep 1d")
    lab.end()                                      # last cell
"""
from __future__ import annotations

import os
import shlex
import sys
from dataclasses import dataclass
from pathlib import Path

from .. import errors, labels, replay
from ..engine import command_line as commands
from ..engine.images import ensure_images
from ..host import cleanup, firewall, hostlinks, netfacts, probe, prompt
from ..host.session import Session, snapshot
from ..model import pools
from ..model.topology import Topology, bridge_of
from ..render.figures import show_figures
from ..render.static import draw, export
from ..shell import ipython_shell
from ..text import count, say
from . import chains, claims, crossing, neighbours, ownrules, rules
from .listing import Found
from .predict import Prediction
from .review import review


@dataclass
class Result:
    """What one command did: the command as it ran, everything it printed, and its exit code."""

    command: str
    output: str = ""
    exit_code: int = 0

    def __str__(self) -> str:
        return self.output

    def _ipython_display_(self) -> None:
        """Show nothing more: :meth:`Lab.docker` already printed the command and its output."""


def install_error_display() -> None:
    """In IPython, show a :class:`LabError` as its message, and a lesson's failed check as a claim to report.

    A lesson's ``assert`` that fails means the engine did not do what the lesson says: the learner reads
    the check, what it saw, and how to report it (``dockerlab doctor --report``), not a traceback. A name
    a cell above defines (``live``, ``guess``) but that was not run yet — a cell run out of order, or after
    a restart — is said as what to do.
    """
    shell = ipython_shell()
    if shell is None:
        return

    def show(shell, etype, value, tb, tb_offset=None):
        if issubclass(etype, AssertionError):
            print(failed_check_message(value, tb), file=sys.stderr)
        elif issubclass(etype, NameError):
            print(say("lesson-name-not-defined", error=value), file=sys.stderr)
        else:
            print(f"{etype.__name__}: {value}", file=sys.stderr)
        return []

    shell.set_custom_exc((errors.LabError, AssertionError, NameError), show)


def failed_check_message(value: BaseException, tb) -> str:
    """What a learner reads when a lesson's ``assert`` fails: the check, what the engine gave, what to do."""
    import traceback

    frames = traceback.extract_tb(tb) if tb is not None else []
    check = next((frame.line for frame in reversed(frames) if frame.line and "assert" in frame.line), "") or "?"
    return say("check-failed", check=check.strip(), seen=str(value) or say("check-failed-nothing-said"))


def _expect(command: str, exit_code: int, should_fail: bool, output: str) -> None:
    """A command that was to be refused must fail, and any other must succeed."""
    if should_fail and exit_code == 0:
        raise errors.CommandRefused("expected-failure", command=command)
    if not should_fail and exit_code != 0:
        said = " ".join(_what_went_wrong(output)) or "no output"
        raise errors.CommandRefused("command-failed", command=command, code=exit_code, output=said)


LOCAL_DNS_WARNING = "WARNING: Localhost DNS"
"""How the docker CLI's warning about ``--dns 127.0.0.1`` starts (docker/cli ``opts``: "may fail in containers")."""

_ERROR_WORDS = ("error", "docker:", "invalid", "unknown", "no such", "cannot")


def _what_went_wrong(output: str) -> list[str]:
    """The lines of a failed command's output that say why (the CLI's error), else its last lines."""
    lines = [line.strip() for line in output.splitlines() if line.strip() and not line.startswith("WARNING")]
    said = [line for line in lines if any(word in line.lower() for word in _ERROR_WORDS)]
    return said[:2] or lines[-2:]


class Lab:
    """One lesson's work with the engine; everything it makes carries the lesson's label.

    ``engine`` is the lesson's :class:`~dockerlab.host.session.Session`: the real engine, recorded or
    not, or a recording played back — the lesson does not need to know which.
    """

    def __init__(self, engine: Session, lesson_id: str):
        self.engine = engine.for_lesson(lesson_id)  # what the docker CLI creates carries this lesson's label
        self.lesson_id = lesson_id
        self._live: list = []
        self._predictions: list[Prediction] = []
        self._dns_explained = False

    # -- start and end ----------------------------------------------------------------
    def clean(self) -> dict[str, list[str]]:
        """Remove this lesson's leftovers, and nothing else."""
        return cleanup.remove(self.engine, self.lesson_id)

    def end(self) -> None:
        """Remove everything this lesson made, and say what was removed."""
        for live in self._live:
            live.stop()
        cleanup.remove(self.engine, probe.HELPER_LESSON)
        removed = self.clean()
        parts = [count(kind, len(names)) for kind, names in removed.items() if names]
        print(say("lesson-cleaned", what=", ".join(parts) or say("nothing")))
        summary = review(self._predictions)
        if summary:
            print(summary)
        self.engine.close()
        left = {kind: names for kind, names in cleanup.find(self.engine, self.lesson_id).items() if names}
        if left:
            raise errors.CommandRefused("lesson-not-clean", lesson=self.lesson_id,
                                        left="; ".join(f"{kind}: {', '.join(names)}" for kind, names in left.items()))

    # -- looking things up (for the lesson's assertions) ---------------------------------
    def container(self, name: str) -> dict:
        """A container's JSON. Similar to ``docker inspect NAME``."""
        return self.engine.container(name)

    def network(self, name: str) -> dict:
        """A network's JSON. Similar to ``docker network inspect NAME``."""
        return self.engine.network(name)

    def address_pools(self) -> list[pools.Pool]:
        """The pools new networks take their ranges from; shown, and returned. Similar to ``docker info``.

        ``docker info`` lists the daemon's own ``default-address-pools``; when it lists none, the engine
        uses Docker's built-in ones (:data:`dockerlab.model.pools.BUILT_IN`).
        """
        found, configured = pools.from_info(self.engine.info())
        print(say("pools-configured" if configured else "pools-built-in", pools=", ".join(map(str, found))))
        return found

    def ip(self, container: str, network: str = "bridge") -> str:
        """A container's IPv4 address on one network."""
        endpoint = self.container(container)["NetworkSettings"]["Networks"].get(network)
        return endpoint["IPAddress"] if endpoint else ""

    # -- seeing what was built -------------------------------------------------------
    def snapshot(self, everything: bool = False) -> Topology:
        """What this lesson's containers really have (``everything=True``: the whole engine)."""
        return snapshot(self.engine, None if everything else self.lesson_id)

    def draw(self, path: tuple[str, str] | None = None, title: str | None = None, everything: bool = False,
             goal: bool = False):
        """Draw what this lesson built; ``path=("c1", "c2")`` highlights the hops of a packet.

        ``goal=True`` marks the picture of where the lesson ends: ``./lab regen`` keeps it as
        ``notebooks/pictures/<lesson>.svg``, which the lesson's first cell shows.
        """
        topology = self.snapshot(everything)
        highlight = topology.path(*path) if path else None
        diagram = draw(topology, highlight=highlight, title=title)
        if goal:
            self._keep_goal_picture(diagram.svg())
        return diagram

    def _keep_goal_picture(self, svg: str) -> None:
        """Under ``./lab regen``, keep the picture ``svg`` as ``notebooks/pictures/<lesson>.svg``."""
        pictures = os.environ.get("DOCKERLAB_GOAL_PICTURES")
        if pictures:
            Path(pictures).mkdir(parents=True, exist_ok=True)
            (Path(pictures) / f"{self.lesson_id}.svg").write_text(svg, "utf-8")

    def predict(self, key: str, choices: list[str]) -> Prediction:
        """Ask the learner to guess before the next cell shows the engine's answer (``guess.reveal(seen)``)."""
        prediction = Prediction(self.lesson_id, key, choices)
        self._predictions.append(prediction)
        return prediction

    def path(self, source: str, target: str):
        """The hops a packet takes from ``source`` to ``target``, or why there is no path."""
        return snapshot(self.engine).path(source, target)

    def live(self, everything: bool = False):
        """A diagram that redraws itself as this lesson's containers start, stop, connect and disconnect."""
        from ..render.live import LiveDiagram

        diagram = LiveDiagram(self.engine.follow(None if everything else self.lesson_id))
        self._live.append(diagram)
        return diagram

    def lookup(self, container: str, name: str) -> list[str]:
        """Ask DNS for ``name`` from inside ``container``; show and return the addresses, sorted.

        Similar to ``docker exec CONTAINER nslookup NAME``. The answer is shown
        in a fixed order (nslookup's own order varies from run to run).
        """
        answer = self.docker(f"exec {container} nslookup {name}", quiet=True).output
        lines = answer.splitlines()
        server = next((line.split()[-1] for line in lines if line.startswith("Server:")), "?")
        addresses = commands.nslookup_addresses(answer)
        print(f"Server:  {server}")
        print(f"Name:    {name}")
        for address in addresses:
            print(f"Address: {address}")
        return addresses

    # -- your own engine, explained -----------------------------------------------------------
    def explain(self, everything: bool = False, live: bool = False):
        """The whole engine, yours included: every network and container, grouped by Compose project, with a
        listing beside the picture; it only reads. ``live=True`` shows it again after every change.

        Similar to ``dockerlab explain [--all] [--live]``.
        """
        from ..explain import explain

        if live:
            from ..explain.live import LiveExplanation

            shown = LiveExplanation(self.engine, everything)
            self._live.append(shown)
            return shown
        return explain(self.engine, everything)

    def why(self, source: str, target: str, port: str | int | None = None, probe: bool = False):
        """Can ``source`` reach ``target`` (on ``port``)? If not, where it stops, and the lesson that explains it.

        ``source`` is a container, ``"host"`` or ``"outside"``. With ``probe=True`` a throwaway container of
        the course tries it too (it says first what it will attach). Similar to ``dockerlab why A B [PORT]``.
        """
        from ..explain import why

        return why(source, target, port, engine=self.engine, probe=probe, show=print)

    # -- several Docker hosts (lesson 11) ----------------------------------------------------
    def cluster(self, nodes: int = 3) -> list:
        """Start ``nodes`` lab Docker hosts joined into a swarm. Similar to ``dockerlab cluster up``."""
        from ..host import cluster

        return cluster.up(self.engine, nodes=nodes, lesson=self.lesson_id)

    def on(self, node: str, command: str, should_fail: bool = False, quiet: bool = False,
           silent: bool = False, may_fail: bool = False) -> Result:
        """Run a command on a lab host and show it as ``node1$ docker ...``. Similar to ``ssh node1 CMD``.

        ``quiet`` hides the output, ``silent`` the command too (for polling in a loop); ``should_fail``
        and ``may_fail`` as for :meth:`docker`.
        """
        from ..host import cluster

        quiet = quiet or silent
        if not silent:
            print(f"{node}$ {command}")
        code, output = cluster.on_node(self.engine, node, command)
        if not quiet and output:
            print(output.rstrip("\n"))
        if not may_fail:
            _expect(command, code, should_fail, output)
        return Result(command, output, code)

    def capture(self, node: str, packet_filter: str, while_running: tuple[str, str], count: int = 2) -> Result:
        """Capture packets on a lab host's underlay interface while a command runs on another host.

        Similar to ``tcpdump -ni eth0 -c COUNT -vv FILTER`` on ``node``.
        """

        print(f"{node}$ tcpdump -ni eth0 -c {count} -vv {packet_filter}   # "
              + say("lab-capture-while", node=while_running[0]))
        print(f"{while_running[0]}$ {while_running[1]}")
        code, output = self.engine.capture(node, packet_filter, while_running, count)
        return Result(f"tcpdump -ni eth0 -c {count} -vv {packet_filter}", output, code)

    def cluster_picture(self, overlay: str, goal: bool = False):
        """The lab hosts on the underlay, their containers inside, and ``overlay`` spanning them.

        ``goal=True`` marks the picture of where the lesson ends, as for :meth:`draw`.
        """
        from ..host import cluster
        from ..render.cluster import draw_cluster

        picture = draw_cluster(cluster.inner_view(self.engine, self.lesson_id), overlay)
        if goal:
            self._keep_goal_picture(export(picture.figure, "svg").decode("utf-8"))
        return picture

    # -- the host ---------------------------------------------------------------------
    def host(self, command: str, grep: str | list[str] | None = None, quiet: bool = False,
             may_fail: bool = False) -> Result:
        """Run a command on the engine's host as root and show it, e.g. ``iptables -t nat -S``.

        ``grep`` keeps only the output lines that contain one of these words; ``may_fail=True`` returns a
        failed command's output and exit code (a ping that gets no answer) instead of stopping the cell.
        """
        print(f"$ {self.typed(command)}")
        code, output = self.engine.host(shlex.split(command), check=not may_fail)
        if grep:
            words = [grep] if isinstance(grep, str) else grep
            output = "".join(line for line in output.splitlines(keepends=True) if any(w in line for w in words))
        if not quiet and output:
            print(output.rstrip("\n"))
        return Result(self.typed(command), output, code)

    def typed(self, command: str) -> str:
        """``command`` on the engine's host as the learner would type it here (``sudo ...`` where needed)."""
        try:
            words = self.engine.host_prompt()
        except errors.NotRecorded:  # a recording made before it was kept
            words = ["sudo"]
        return prompt.typed(words, command)

    @property
    def engine_version(self) -> str:
        """The engine's version, as ``docker version --format '{{.Server.Version}}'`` prints it."""
        return str(self.engine.version().get("Version", "?"))

    def case(self, topic: str, **given: str) -> claims.Case:
        """Your host's case for one of the lesson's claims (``claims.CASES``): its facts, in words; check with it.

        Similar to reading ``sysctl net.bridge.bridge-nf-call-iptables``, ``iptables -S FORWARD``,
        ``ip6tables -S`` and dockerd's settings on the engine's host, and working out what follows.
        """
        found = claims.CASES[topic](netfacts.read(self.engine), **given)
        print(found)
        return found

    def rule(self, topic: str, quiet: bool = False, **given: object) -> rules.Shown:
        """Docker's firewall rule ``topic`` (``rules.RULES``), listed where your engine keeps it; check with it.

        Your engine's case first (iptables, or Docker 29's nftables backend), then the command that lists the rule
        there, e.g. ``sudo iptables -t nat -S DOCKER | grep 8080`` or ``sudo nft list chain ip docker-bridges
        nat-prerouting-and-output | grep 8080``. ``quiet=True`` shows how many lines it listed instead of them.
        """
        backend = self.firewall_backend
        words = rules.words(topic, backend, **given)
        print("# " + words)
        listing = rules.listing(topic, backend, **given)
        result = self.host(listing.command, grep=listing.grep, quiet=quiet, may_fail=listing.may_fail)
        shown = rules.Shown(topic, backend, words, listing, result.output)
        if quiet:
            print(shown.summary)
        return shown

    def own_rules(self) -> ownrules.OwnRules:
        """Rules of your own, where your engine's firewall leaves room for them: ``DOCKER-USER`` (iptables), or a table
        of the lesson's own (Docker 29's nftables backend). Similar to ``sudo iptables -I DOCKER-USER ...``."""
        return ownrules.OwnRules(self)

    def forward_chains(self) -> None:
        """Where your engine hangs its filter rules for forwarded packets; says so in one line, and checks that your
        own rules go first. Similar to ``sudo iptables -S FORWARD`` (``sudo nft list chain ip docker-bridges
        filter-FORWARD`` with Docker 29's nftables backend)."""
        nft = self.firewall_backend == "nftables"
        print("# " + say("chains-case-nftables" if nft else "chains-case-iptables"))
        if nft:
            forward = self.host("nft list chain ip docker-bridges filter-FORWARD", grep="hook")
            docker_user = self.host("nft list ruleset", grep="DOCKER-USER", quiet=True)
            chains.nftables_hook(forward.output, docker_user.output)
            line = say("chains-forward-nftables", version=self.engine_version)
        else:
            forward = self.host("iptables -S FORWARD", grep="-j DOCKER-")
            inner = self.host("iptables -S DOCKER-FORWARD", grep="-j DOCKER-").output \
                if "DOCKER-FORWARD" in chains.jumps(forward.output) else ""
            line = say("chains-forward-iptables", version=self.engine_version,
                       chains=", ".join(chains.iptables_order(forward.output, inner)))
        print(line)

    @property
    def firewall_backend(self) -> str:
        """Where the engine writes its firewall rules: ``iptables`` (up to 28, and 29 by default) or ``nftables``."""
        return firewall.read_backend(self.engine)

    def dropped_while(self, command: str) -> dict[str, int]:
        """Run a docker command whose packets should be dropped; name the firewall rules that dropped them.

        Similar to ``sudo iptables-save -c`` before and after the command: the dropping
        rules (and ``nft`` rules) whose packet counters rose, with how many packets.
        """
        grown = firewall.dropped_while(self.engine, lambda: self.docker(command, should_fail=True))
        print(f"$ {self._counters_read(grown)}   # " + say("lab-dropped-heading"))
        for rule, packets in grown.items():
            print("  " + say("lab-packets", packets=packets, rule=rule))
        if not grown:
            print("  " + say("lab-none-dropped"))
        return grown

    def counted_while(self, rule: str, command: str, should_fail: bool = False) -> dict[str, int]:
        """Run a docker command; show how many packets each firewall rule holding ``rule`` (e.g. ``DNAT``) counted.

        Similar to ``sudo iptables-save -c | grep RULE`` before and after the command; rules that counted
        nothing are shown too (``+0``): a rule that stayed still did not handle the traffic.
        ``should_fail=True``: the command is expected to fail (its packets dropped), as in :meth:`docker`.
        """
        grown = firewall.counted_while(self.engine, rule, lambda: self.docker(command, should_fail=should_fail))
        print(f"$ {self._counters_read(grown, rule)}   # " + say("lab-counted-heading"))
        for text, packets in grown.items():
            print("  " + say("lab-packets", packets=packets, rule=text))
        return grown

    def ping_across(self, source: str, target: str, network: str, ipv6: bool = False) -> crossing.Crossing:
        """Ping ``target`` on ``network`` from ``source`` (on another network); prove why it fails, if it does.

        Similar to ``docker run --rm --network NETWORK dockerlab/busybox ping -c 3 ADDRESS`` (a control: the address
        is right and the target answers), then ``docker exec SOURCE ping -c 3 ADDRESS`` between two reads of
        ``sudo ip6tables-save -c`` (``iptables-save -c`` for IPv4) and ``sudo nft list ruleset``: the rules on the
        two networks' bridges whose counters rose. The outcome is in :mod:`~dockerlab.lessons.crossing`.
        """
        address = self.container(target)["NetworkSettings"]["Networks"][network][
            "GlobalIPv6Address" if ipv6 else "IPAddress"]
        ping = f"ping {'-6 ' if ipv6 else ''}-c {crossing.PINGS} -W 1 {address}"
        print("# " + say("crossing-control", network=network, target=target))
        control = crossing.answered(self.docker(f"run --rm --network {network} dockerlab/busybox {ping}",
                                                may_fail=True).output)
        print("# " + say("crossing-across", source=source, network=network))
        pinged: list[Result] = []
        dropped = firewall.dropped_while(self.engine, lambda: pinged.append(self.docker(f"exec {source} {ping}",
                                                                                           may_fail=True)), ipv6)
        networks = [*self.container(source)["NetworkSettings"]["Networks"], network]
        proof = crossing.proving(dropped, [bridge for bridge in map(bridge_of, map(self.network, networks)) if bridge])
        print(f"$ {self._counters_read(proof, ipv6=ipv6)}   # " + say("crossing-heading"))
        for rule, packets in proof.items():
            print("  " + say("lab-packets", packets=packets, rule=rule))
        if not proof:
            print("  " + say("lab-none-dropped"))
        return crossing.Crossing(crossing.outcome(crossing.answered(pinged[0].output), control, proof),
                                 crossing.evidence(control, pinged[0].output, proof))

    def _counters_read(self, rules: dict[str, int], word: str = "", ipv6: bool = False) -> str:
        """What the learner types to read those counters: ``iptables-save -c`` (``ip6tables-save -c`` for IPv6), or
        ``nft list ruleset`` where they are nftables rules (Docker 29's nftables backend, a table of the learner's
        own), or both."""
        typed = []
        if not rules or any(not rule.startswith("nft ") for rule in rules):
            saving = "ip6tables-save -c" if ipv6 else "iptables-save -c"
            typed.append(self.typed(saving) + (f" | grep -- '{word}'" if word else ""))
        if any(rule.startswith("nft ") for rule in rules):
            typed.append(self.typed("nft list ruleset") + (f" | grep -i -- '{word}'" if word else ""))
        return "; ".join(typed)

    def host_link_pair(self, name: str, peer: str) -> None:
        """Make a veth pair on the host (e.g. a macvlan parent), labelled with this lesson."""
        print(f"$ {self.typed(f'ip link add {name} type veth peer name {peer}')}")
        hostlinks.add_veth_pair(self.engine, name, peer, self.lesson_id)

    def outside_world(self, name: str = "outside", address: str = "203.0.113.10/24",
                      gateway: str = "203.0.113.1/24") -> Result:
        """Build a stand-in for the internet on this machine: a web server at ``address``.

        A container with ``--network none`` gets one end of a veth pair the
        course makes on the host; the host end gets ``gateway``. The host then
        routes to it like to any outside network — but the packets never leave
        the machine.
        """
        started = self.docker(f"run -d --name {name} --network none --label {labels.CABLE}={address},{gateway} "
                              "dockerlab/busybox httpd -f -v -p 80 -h /var/www", quiet=True)
        hostlinks.cable_outside_world(self.engine, name, self.container(name)["State"]["Pid"], self.lesson_id,
                                      address, gateway)
        return started

    # -- docker commands ------------------------------------------------------------
    def docker(self, command: str, should_fail: bool = False, quiet: bool = False, may_fail: bool = False) -> Result:
        """Run ``docker COMMAND`` with your own docker CLI, through the course's proxy; show what it prints.

        Any docker command and option works, as in a terminal; what it creates
        carries this lesson's labels. ``run`` and ``create`` get ``--dns 127.0.0.1``
        unless given a DNS server or another stack (shown in the printed command;
        lesson 00 says why). With ``should_fail=True`` the command is expected to
        fail (exit non-zero), and success is an error; ``may_fail=True`` accepts either (the cell
        after it checks which). ``quiet=True`` hides the output.
        """
        commands.split(command)  # a command that is not text or cannot be split is refused here, with what to do
        command = command.strip()
        commands.split(command)  # e.g. a trailing backslash, once the spaces after it are gone
        command = commands.with_contained_dns(command)
        shown = command if command.startswith("docker ") else f"docker {command}"
        print(f"$ {shown}")
        code, output = self.engine.docker(commands.split(command))
        if not quiet and output:
            print(self._folded(output).rstrip("\n"))
        if not may_fail:
            _expect(shown, code, should_fail, output)
        return Result(shown, output, code)

    def _folded(self, output: str) -> str:
        """The CLI's local-DNS warning explained where it first appears, then left out (the output is kept whole)."""
        shown = []
        for line in output.splitlines(keepends=True):
            if not line.startswith(LOCAL_DNS_WARNING):
                shown.append(line)
            elif not self._dns_explained:
                self._dns_explained = True
                shown += [line, say("dns-warning-explained") + "\n"]
        return "".join(shown)

    def doctor(self):
        """Check that the course can run on this lesson's engine. Similar to ``dockerlab doctor``."""
        return self.engine.doctor()

    def reset(self, dry_run: bool = False) -> Found:
        """What ``dockerlab reset --lesson LESSON`` removes for this lesson (``dry_run=True``: only list it)."""
        return Found(cleanup.reset(self.engine, self.lesson_id, dry_run), self.lesson_id, removed=not dry_run)

    @staticmethod
    def addresses(answer: str) -> list[str]:
        """The addresses an ``nslookup`` answer gives for the name asked, sorted (the server's left out)."""
        return commands.nslookup_addresses(answer)


def lesson(lesson_id: str) -> Lab:
    """A lesson's first cell: check the engine, make the images, say what an earlier run left, remove it.

    Similar to ``dockerlab doctor && dockerlab setup`` followed by removing
    everything labelled ``io.dockerlab.lesson=LESSON_ID``.
    """
    install_error_display()
    show_figures()
    engine = replay.open_session(lesson_id)
    engine.version()
    ensure_images(engine)
    lab = Lab(engine, lesson_id)
    left = {kind: names for kind, names in cleanup.find(engine, lesson_id).items() if names}
    if left:
        listing = "; ".join(f"{say('kind-' + kind)} {', '.join(names)}" for kind, names in left.items())
        print(say("lesson-removing", lesson=lesson_id, what=listing))
    lab.clean()
    print(say("lesson-ready", lesson=lesson_id))
    others = neighbours.left_by_others(engine, lesson_id)
    if others:
        neighbours.offer_to_clear(engine, others)
    return lab
