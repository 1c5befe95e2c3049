"""What a lesson's cells call: start clean, run docker commands, end clean.

    lab = dockerlab.lesson("01-default-bridge")   # first cell
    lab.docker("run -d --name c1 dockerlab/busybox sleep 1d")
    lab.end()                                      # last cell
"""
from __future__ import annotations

import json
import shlex
import sys
import time
from dataclasses import dataclass

from . import cleanup, commands, errors, firewall, hostlinks, hostshell, labels, probe
from .engine import Engine
from .images import ensure_images
from .render.static import draw
from .probe import snapshot  # noqa: F401 - dockerlab.snapshot, re-exported
from .topology import Topology
from .text import count, say


@dataclass
class Result:
    """What one docker command did: its text output, exit code, JSON or error."""

    command: str
    output: str = ""
    exit_code: int = 0
    data: object = None
    error: errors.LabError | None = None

    def __str__(self) -> str:
        return self.output

    def _ipython_display_(self) -> None:
        """Show nothing more: :meth:`Lab.docker` already printed the command and its output."""


def install_error_display() -> None:
    """In IPython, show a :class:`LabError` as its message, not as a traceback."""
    try:
        from IPython import get_ipython
    except ImportError:  # pragma: no cover - IPython is a dependency
        return
    shell = get_ipython()
    if shell is None:
        return

    def show(shell, etype, value, tb, tb_offset=None):
        print(f"{etype.__name__}: {value}", file=sys.stderr)
        return []

    shell.set_custom_exc((errors.LabError,), show)


CONTAINED_DNS = ("127.0.0.1",)
"""The course's containers get ``--dns 127.0.0.1``: a name Docker's DNS cannot answer is then
asked of nobody, instead of your real DNS server, so no lookup ever leaves the machine."""

_REFUSALS = (errors.CommandRefused, errors.NameInUse, errors.SubnetOverlap, errors.NotFound)


def _expect(command: str, exit_code: int, should_fail: bool) -> None:
    """A command that was to be refused must fail, and any other must succeed."""
    if should_fail and exit_code == 0:
        raise errors.CommandRefused("expected-failure", command=command)
    if not should_fail and exit_code != 0:
        raise errors.CommandRefused("command-failed", command=command, code=exit_code)


class Lab:
    """One lesson's session with the engine; everything it makes carries the lesson's label."""

    def __init__(self, engine: Engine, lesson_id: str):
        self.engine = engine
        self.lesson_id = lesson_id
        self._live: list = []

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
        left = cleanup.find(self.engine, self.lesson_id)
        assert not any(left.values()), left

    # -- looking things up (for the lesson's assertions) ---------------------------------
    def container(self, name: str) -> dict:
        """A container's JSON. Similar to ``docker inspect NAME``."""
        return self.engine.container(name)

    def network(self, name: str) -> dict:
        """A network's JSON. Similar to ``docker network inspect NAME``."""
        return self.engine.network(name)

    def ip(self, container: str, network: str = "bridge") -> str:
        """A container's IPv4 address on one network."""
        endpoint = self.container(container)["NetworkSettings"]["Networks"].get(network)
        return endpoint["IPAddress"] if endpoint else ""

    # -- seeing what was built -------------------------------------------------------
    def snapshot(self, everything: bool = False) -> Topology:
        """What this lesson's containers really have (``everything=True``: the whole engine)."""
        return probe.snapshot(self.engine, None if everything else self.lesson_id)

    def draw(self, path: tuple[str, str] | None = None, title: str | None = None, everything: bool = False):
        """Draw what this lesson built; ``path=("c1", "c2")`` highlights the hops of a packet."""
        topology = self.snapshot(everything)
        highlight = topology.path(*path) if path else None
        return draw(topology, highlight=highlight, title=title)

    def path(self, source: str, target: str):
        """The hops a packet takes from ``source`` to ``target``, or why there is no path."""
        return probe.snapshot(self.engine).path(source, target)

    def live(self, everything: bool = False):
        """A diagram that redraws itself as this lesson's containers start, stop, connect and disconnect."""
        from .render.live import LiveDiagram

        diagram = LiveDiagram(self.engine, lesson=None if everything else self.lesson_id)
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

    # -- several Docker hosts (lesson 11) ----------------------------------------------------
    def cluster(self, nodes: int = 3) -> list:
        """Start ``nodes`` lab Docker hosts joined into a swarm. Similar to ``dockerlab cluster up``."""
        from . import cluster

        return cluster.up(self.engine, nodes=nodes, lesson=self.lesson_id)

    def on(self, node: str, command: str, should_fail: bool = False, quiet: bool = False,
           silent: bool = False) -> Result:
        """Run a command on a lab host and show it as ``node1$ docker ...``. Similar to ``ssh node1 CMD``.

        ``quiet`` hides the output, ``silent`` the command too (for polling in a loop).
        """
        from . import cluster

        quiet = quiet or silent
        if not silent:
            print(f"{node}$ {command}")
        code, output = self.engine.exec(cluster.NODE_PREFIX + node.removeprefix("node"), ["sh", "-c", command])
        if not quiet and output:
            print(output.rstrip("\n"))
        _expect(command, code, should_fail)
        return Result(command, output, code)

    def capture(self, node: str, packet_filter: str, while_running: tuple[str, str], count: int = 2) -> Result:
        """Capture packets on a lab host's underlay interface while a command runs on another host.

        Similar to ``tcpdump -ni eth0 -c COUNT -vv FILTER`` on ``node``.
        """
        import threading

        captured: dict = {}
        probe_command = f"timeout 8 tcpdump -ni eth0 -c {count} -vv {packet_filter} 2>/dev/null"
        print(f"{node}$ tcpdump -ni eth0 -c {count} -vv {packet_filter}   # while {while_running[0]} runs:")
        print(f"{while_running[0]}$ {while_running[1]}")
        listener = threading.Thread(target=lambda: captured.update(result=self.on(node, probe_command, silent=True)))
        listener.start()
        time.sleep(1.0)
        self.on(*while_running, silent=True)
        listener.join()
        return captured["result"]

    def cluster_picture(self, overlay: str):
        """The lab hosts on the underlay, their containers inside, and ``overlay`` spanning them."""
        from . import cluster
        from .render.cluster import draw_cluster

        return draw_cluster(cluster.inner_view(self.engine, self.lesson_id), overlay)

    # -- the host ---------------------------------------------------------------------
    def host(self, command: str, grep: str | list[str] | None = None, quiet: bool = False) -> Result:
        """Run a command on the engine's host as root and show it, e.g. ``iptables -t nat -S``.

        ``grep`` keeps only the output lines that contain one of these words.
        """
        print(f"$ sudo {command}")
        code, output = hostshell.run(self.engine, shlex.split(command))
        if grep:
            words = [grep] if isinstance(grep, str) else grep
            output = "".join(line for line in output.splitlines(keepends=True) if any(w in line for w in words))
        if not quiet and output:
            print(output.rstrip("\n"))
        return Result(f"sudo {command}", output, code)

    @property
    def engine_version(self) -> str:
        """The engine's version, as ``docker version --format '{{.Server.Version}}'`` prints it."""
        return str(self.engine.version().get("Version", "?"))

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
        print("$ sudo iptables-save -c   # before and after: the dropping rules whose counters rose")
        for rule, packets in grown.items():
            print(f"  +{packets} packets  {rule}")
        if not grown:
            print("  (no dropping rule counted a packet)")
        return grown

    def host_link_pair(self, name: str, peer: str) -> None:
        """Make a veth pair on the host (e.g. a macvlan parent), labelled with this lesson."""
        print(f"$ sudo ip link add {name} type veth peer name {peer}")
        hostlinks.add_veth_pair(self.engine, name, peer, self.lesson_id)

    def outside_world(self, name: str = "outside", address: str = "203.0.113.10/24",
                      gateway: str = "203.0.113.1/24") -> Result:
        """Build a stand-in for the internet on this machine: a web server at ``address``.

        A container with ``--network none`` gets one end of a veth pair the
        course makes on the host; the host end gets ``gateway``. The host then
        routes to it like to any outside network — but the packets never leave
        the machine.
        """
        started = self.docker(f"run -d --name {name} --network none dockerlab/busybox httpd -f -v -p 80 -h /var/www",
                              quiet=True)
        pid = self.container(name)["State"]["Pid"]
        host_end, far_end = f"dl-{name[:8]}-h", f"dl-{name[:8]}-c"
        hostlinks.add_veth_pair(self.engine, host_end, far_end, self.lesson_id)
        hostshell.run(self.engine, ["ip", "addr", "add", gateway, "dev", host_end])
        hostshell.run(self.engine, ["ip", "link", "set", "dev", far_end, "netns", str(pid)])
        inside = ["nsenter", "-t", str(pid), "-n", "ip"]
        hostshell.run(self.engine, [*inside, "link", "set", "dev", far_end, "name", "eth0"])
        hostshell.run(self.engine, [*inside, "addr", "add", address, "dev", "eth0"])
        hostshell.run(self.engine, [*inside, "link", "set", "dev", "eth0", "up"])
        hostshell.run(self.engine, [*inside, "route", "add", "default", "via", gateway.split("/")[0]])
        return started

    # -- docker commands ------------------------------------------------------------
    def docker(self, command: str, should_fail: bool = False, quiet: bool = False) -> Result:
        """Show ``$ docker COMMAND``, run it through the course, and show its output.

        With ``should_fail=True`` the command is expected to be refused by the
        engine (or to exit non-zero); the refusal is shown, and success is an
        error. ``quiet=True`` shows the command but not its output.
        """
        shown = command if command.startswith("docker ") else f"docker {command}"
        print(f"$ {shown}")
        parsed = commands.parse(shown)
        result = Result(shown)
        try:
            getattr(self, "_" + parsed.verb.replace(" ", "_"))(parsed.options, parsed.arguments, result)
        except _REFUSALS as error:
            if not should_fail:
                raise
            result.error, result.exit_code = error, 125
            result.output = f"Error response from daemon: {error.fields.get('message', error)}"
        if not quiet and result.output:
            print(result.output.rstrip("\n"))
        _expect(shown, result.exit_code, should_fail)
        return result

    def _refuse_leftover(self, name: str) -> None:
        """A name taken by another lesson's leftover gets a message naming that lesson."""
        try:
            own = self.engine.container(name).get("Config", {}).get("Labels") or {}
        except errors.NotFound:
            return
        if labels.is_managed(own) and own.get(labels.LESSON) != self.lesson_id:
            raise errors.NameInUse("name-in-use-by-lesson", name=name, lesson=own.get(labels.LESSON))

    def _own(self, kind: str, name: str) -> None:
        if kind == "network" and name in commands.BUILT_IN_NETWORKS:
            return
        self.engine.assert_lab_owned(kind, name)

    @staticmethod
    def _require(arguments: list[str], count: int, usage: str) -> None:
        if len(arguments) < count:
            raise errors.UnsupportedCommand("command-usage", usage=usage)

    def _run(self, options: dict, arguments: list[str], result: Result) -> None:
        self._require(arguments, 1, "docker run [OPTIONS] IMAGE [COMMAND...]")
        network = options.get("network")
        if network and network.startswith("container:"):
            self._own("container", network.split(":", 1)[1])
        elif network:
            self._own("network", network)
        links = commands.parse_links(options.get("link", []))
        for linked in links:
            self._own("container", linked)
        if options.get("name"):
            self._refuse_leftover(options["name"])
        detach = bool(options.get("detach"))
        dns = options.get("dns")
        if dns is None and not (network or "").startswith("container:") and network != "host":
            dns = list(CONTAINED_DNS)
        info, output = self.engine.run(
            arguments[0], arguments[1:] or None, lesson=self.lesson_id, name=options.get("name"),
            network=network, ip=options.get("ip"), aliases=options.get("alias"), links=links or None,
            ports=commands.parse_publish(options.get("publish", [])) or None, dns=dns,
            hostname=options.get("hostname"), environment=options.get("env"),
            cap_add=options.get("cap_add"), detach=detach, remove=bool(options.get("rm")))
        result.data = info
        result.output = info["Id"] if detach else output
        result.exit_code = 0 if detach else info["State"]["ExitCode"]

    def _exec(self, options: dict, arguments: list[str], result: Result) -> None:
        self._require(arguments, 2, "docker exec CONTAINER COMMAND...")
        self._own("container", arguments[0])
        result.exit_code, result.output = self.engine.exec(arguments[0], arguments[1:])

    def _each_container(self, arguments: list[str], usage: str, action) -> None:
        self._require(arguments, 1, usage)
        for name in arguments:
            self._own("container", name)
        for name in arguments:
            action(name)

    def _logs(self, options: dict, arguments: list[str], result: Result) -> None:
        self._require(arguments, 1, "docker logs CONTAINER")
        self._own("container", arguments[0])
        result.output = self.engine.logs(arguments[0])

    def _rm(self, options: dict, arguments: list[str], result: Result) -> None:
        self._each_container(arguments, "docker rm -f CONTAINER...", self.engine.remove_container)
        result.output = "\n".join(arguments)

    def _stop(self, options: dict, arguments: list[str], result: Result) -> None:
        timeout = int(options.get("time", 1))
        self._each_container(arguments, "docker stop CONTAINER...", lambda n: self.engine.stop(n, timeout))
        result.output = "\n".join(arguments)

    def _start(self, options: dict, arguments: list[str], result: Result) -> None:
        self._each_container(arguments, "docker start CONTAINER...", self.engine.start)
        result.output = "\n".join(arguments)

    def _show(self, documents: list[dict], options: dict, result: Result) -> None:
        result.data = documents[0] if len(documents) == 1 else documents
        template = options.get("format")
        if template:
            result.output = "\n".join(commands.render_format(template, d) for d in documents)
        else:
            result.output = json.dumps(documents, indent=4)

    def _inspect(self, options: dict, arguments: list[str], result: Result) -> None:
        self._require(arguments, 1, "docker inspect [--format TEMPLATE] NAME...")
        documents = []
        for name in arguments:
            try:
                documents.append(self.engine.container(name))
            except errors.NotFound:
                documents.append(self.engine.network(name))
        self._show(documents, options, result)

    def _network_inspect(self, options: dict, arguments: list[str], result: Result) -> None:
        self._require(arguments, 1, "docker network inspect [--format TEMPLATE] NETWORK...")
        self._show([self.engine.network(name) for name in arguments], options, result)

    def _network_create(self, options: dict, arguments: list[str], result: Result) -> None:
        self._require(arguments, 1, "docker network create [OPTIONS] NETWORK")
        info = self.engine.create_network(
            arguments[0], lesson=self.lesson_id, driver=options.get("driver", "bridge"),
            subnet=options.get("subnet"), gateway=options.get("gateway"), ip_range=options.get("ip_range"),
            options=commands.parse_options(options.get("opt", [])) or None,
            internal=bool(options.get("internal")), attachable=bool(options.get("attachable")))
        result.data, result.output = info, info["Id"]

    def _network_connect(self, options: dict, arguments: list[str], result: Result) -> None:
        self._require(arguments, 2, "docker network connect [OPTIONS] NETWORK CONTAINER")
        network, container = arguments[:2]
        self._own("network", network)
        self._own("container", container)
        self.engine.connect_network(network, container, ip=options.get("ip"), aliases=options.get("alias"))

    def _network_disconnect(self, options: dict, arguments: list[str], result: Result) -> None:
        self._require(arguments, 2, "docker network disconnect NETWORK CONTAINER")
        network, container = arguments[:2]
        self._own("network", network)
        self._own("container", container)
        self.engine.disconnect_network(network, container)

    def _network_rm(self, options: dict, arguments: list[str], result: Result) -> None:
        self._require(arguments, 1, "docker network rm NETWORK...")
        for name in arguments:
            self._own("network", name)
            if name in commands.BUILT_IN_NETWORKS:
                raise errors.NotTheLabs("not-the-labs", kind="network", name=name)
        for name in arguments:
            self.engine.remove_network(name)
        result.output = "\n".join(arguments)


def lesson(lesson_id: str) -> Lab:
    """A lesson's first cell: check the engine, make the images, remove leftovers.

    Similar to ``dockerlab doctor && dockerlab setup`` followed by removing
    everything labelled ``io.dockerlab.lesson=LESSON_ID``.
    """
    install_error_display()
    engine = Engine.connect()
    engine.version()
    ensure_images(engine)
    lab = Lab(engine, lesson_id)
    lab.clean()
    print(say("lesson-ready", lesson=lesson_id))
    return lab
