"""What a judge may look at: the engine's topology, every container's status, and probes.

Similar to ``docker ps -a``, ``docker network inspect`` and a throwaway ``docker run --rm ...`` that
asks DNS, fetches a page or runs a command on a lab host: the probes run from the course's own
containers, never inside the learner's.
"""
from __future__ import annotations

from .. import labels
from ..engine.command_line import nslookup_addresses
from ..host.session import Session, snapshot
from ..lessons import answers
from ..model.topology import Container, Network, Topology
from .verdict import NotAttempted, NotYet


class LiveProbes:
    """Probes on the real engine, from the course's own throwaway containers."""

    def __init__(self, engine: Session):
        self.engine = engine

    def resolve(self, network: str, name: str) -> list[str]:
        """The addresses ``name`` has for a container on ``network``.

        Similar to ``docker run --rm --network NETWORK dockerlab/busybox nslookup NAME``.
        """
        _, output = self.engine.run(labels.BUSYBOX_IMAGE, ["nslookup", name], lesson=labels.CHECKS,
                                    network=network, dns=["127.0.0.1"], detach=False, remove=True)
        return nslookup_addresses(output)

    def fetch(self, url: str) -> str | None:
        """What ``wget`` gets from ``url`` in the host's network namespace, or ``None``."""
        info, output = self.engine.run(labels.BUSYBOX_IMAGE, ["timeout", "3", "wget", "-qO-", url],
                                       lesson=labels.CHECKS, network="host", detach=False, remove=True)
        return output if info["State"]["ExitCode"] == 0 else None

    def ping(self, network: str, target: str, version: int = 4) -> bool:
        """Whether ``target`` answers a ping from a throwaway container on ``network``.

        Similar to ``docker run --rm --network NETWORK dockerlab/busybox ping -4|-6 -c 1 -W 2 TARGET``.
        """
        info, _ = self.engine.run(labels.BUSYBOX_IMAGE, ["ping", f"-{version}", "-c", "1", "-W", "2", target],
                                  lesson=labels.CHECKS, network=network, dns=["127.0.0.1"], detach=False, remove=True)
        return info["State"]["ExitCode"] == 0

    def inspect(self, name: str) -> dict:
        """What a judge reads of ``docker inspect NAME`` (see :func:`inspected`), or ``{}`` if nothing has that name."""
        from ..errors import NotFound

        for kind, look in (("container", self.engine.container), ("network", self.engine.network)):
            try:
                return inspected(kind, look(name))
            except NotFound:
                continue
        return {}

    def host(self, command: str) -> tuple[int, str]:
        """A shell command on the engine's host, as root. Similar to ``sudo sh -c COMMAND``."""
        return self.engine.host(["sh", "-c", command], check=False)

    def node(self, node: str, command: str) -> tuple[int, str]:
        """A command on a lab host of the cluster (``docker`` there is that host's own engine)."""
        from ..errors import LabError
        from ..host import cluster

        try:
            return self.engine.exec(cluster.NODE_PREFIX + node.removeprefix("node"), ["sh", "-c", command])
        except LabError:  # no such node (no cluster up): the command did not run
            return -1, ""


def inspected(kind: str, found: dict) -> dict:
    """The facts of a container's or network's JSON that judges read (and that a recorded state keeps)."""
    if kind == "network":
        return {"kind": kind, "ipv6": bool(found.get("EnableIPv6")), "ipv4": found.get("EnableIPv4", True) is not False,
                "subnets": [c.get("Subnet") for c in (found.get("IPAM") or {}).get("Config") or [] if c.get("Subnet")],
                "solved": (found.get("Labels") or {}).get(labels.SOLVED, "")}
    host_config, settings = found.get("HostConfig") or {}, (found.get("NetworkSettings") or {}).get("Networks") or {}
    links = [*(host_config.get("Links") or []), *(link for endpoint in settings.values()
                                                   for link in endpoint.get("Links") or [])]
    return {"kind": kind, "hostname": (found.get("Config") or {}).get("Hostname", ""),
            "extra_hosts": host_config.get("ExtraHosts") or [], "links": links,
            "ipv6": {network: endpoint.get("GlobalIPv6Address") or "" for network, endpoint in settings.items()},
            "solved": ((found.get("Config") or {}).get("Labels") or {}).get(labels.SOLVED, "")}


class RecordedProbes:
    """Probe answers recorded earlier (for the fast tests): the same questions get the same answers."""

    def __init__(self, recorded: dict):
        self.recorded = recorded

    def ping(self, network: str, target: str, version: int = 4) -> bool:
        return bool(self.recorded.get("ping", {}).get(f"{network} {target} {version}", False))

    def inspect(self, name: str) -> dict:
        return self.recorded.get("inspect", {}).get(name, {})

    def host(self, command: str) -> tuple[int, str]:
        code, output = self.recorded.get("host", {}).get(command, (-1, ""))
        return code, output

    def resolve(self, network: str, name: str) -> list[str]:
        return self.recorded.get("resolve", {}).get(f"{network} {name}", [])

    def fetch(self, url: str) -> str | None:
        return self.recorded.get("fetch", {}).get(url)

    def node(self, node: str, command: str) -> tuple[int, str]:
        code, output = self.recorded.get("node", {}).get(f"{node} {command}", (-1, ""))
        return code, output


def marks_of(containers: list[dict]) -> dict[str, str]:
    """Each container's identity and endpoints (``docker ps -a`` with its ID and each network's endpoint ID):
    the same marks mean the same container, on the same endpoints, untouched since they were read."""
    return {labels.container_name(c): " ".join([c["Id"], *sorted(
        f"{network}={endpoint.get('EndpointID') or ''}"
        for network, endpoint in ((c.get("NetworkSettings") or {}).get("Networks") or {}).items())])
        for c in containers}


def fingerprint(marks: dict[str, str], networks: set[str], names: list[str]) -> dict[str, str]:
    """``names`` as they are: a container's marks (:func:`marks_of`), ``network`` for a network, ``""`` for nothing."""
    return {name: marks.get(name) or ("network" if name in networks else "") for name in names}


def fingerprint_now(engine: Session, names: list[str]) -> dict[str, str]:
    """:func:`fingerprint` of ``names`` on the engine now (``docker ps -a``, ``docker network ls``)."""
    return fingerprint(marks_of(engine.containers(all=True)), {n["Name"] for n in engine.networks()}, names)


class State:
    """What a judge may look at: the live topology, every container (stopped too), and probes."""

    def __init__(self, topology: Topology, statuses: dict[str, str], probes, answers: dict | None = None,
                 marks: dict[str, str] | None = None):
        self.topology, self.statuses, self.probes = topology, statuses, probes
        self.answers = answers if answers is not None else {}
        self.marks = marks  # see marks_of; None for a recorded state
        self.asked: dict[str, dict] = {"resolve": {}, "fetch": {}, "node": {}, "host": {}, "inspect": {}, "ping": {}}

    @classmethod
    def of(cls, engine: Session) -> State:
        """The engine as it is now."""
        topology = snapshot(engine)
        # read after the snapshot: a container that was stopping while it was read counts as stopped
        containers = engine.containers(all=True)
        statuses = {labels.container_name(c): c["State"] for c in containers}
        return cls(topology, statuses, LiveProbes(engine), answers.load(), marks_of(containers))

    @classmethod
    def answered(cls, given: dict[str, str]) -> State:
        """Only the answers given to the questions (a question's judge looks at nothing else)."""
        return cls(Topology(None, [], [], []), {}, None, given)

    @classmethod
    def recorded(cls, record: dict) -> State:
        """A state recorded from the engine earlier (see :meth:`record`)."""
        return cls(Topology.from_facts(record["facts"]), record["statuses"], RecordedProbes(record),
                   record.get("answers", {}))

    # -- looking ------------------------------------------------------------------------
    def exists(self, name: str) -> bool:
        return name in self.statuses or name in self.topology.networks

    def running(self, name: str) -> Container:
        """The running container ``name``; not there or stopped is a clear reason."""
        if name not in self.statuses:
            raise NotYet("missing", name=name)
        if name not in self.topology.containers or self.statuses[name] not in ("running", "paused"):
            raise NotYet("stopped", name=name, status=self.statuses[name])
        return self.topology.containers[name]

    def network(self, name: str) -> Network:
        if name not in self.topology.networks:
            raise NotYet("absent", name=name)
        return self.topology.networks[name]

    def fingerprint(self, names: list[str]) -> dict[str, str] | None:
        """The marks of ``names`` (a network: whether it is there), to compare with an earlier state; ``None``
        when this state was recorded without them."""
        return None if self.marks is None else fingerprint(self.marks, set(self.topology.networks), names)

    def attempted(self, *names: str) -> None:
        """Nothing of the task exists: not attempted."""
        if not any(self.exists(name) for name in names):
            raise NotAttempted()

    # -- probing (answers are kept, so a state can be recorded) ----------------------------
    def resolve(self, network: str, name: str) -> list[str]:
        found = self.probes.resolve(network, name)
        self.asked["resolve"][f"{network} {name}"] = found
        return found

    def fetch_from_host(self, url: str) -> str | None:
        found = self.probes.fetch(url)
        self.asked["fetch"][url] = found
        return found

    def on_node(self, node: str, command: str) -> tuple[int, str]:
        found = self.probes.node(node, command)
        self.asked["node"][f"{node} {command}"] = list(found)
        return found

    def on_host(self, command: str) -> tuple[int, str]:
        """A shell command on the engine's host (the judges of the namespaces made by hand)."""
        found = self.probes.host(command)
        self.asked["host"][command] = list(found)
        return found

    def inspect(self, name: str) -> dict:
        """What a judge reads of ``docker inspect NAME`` (``{}`` if nothing has that name)."""
        if name not in self.asked["inspect"]:
            self.asked["inspect"][name] = self.probes.inspect(name)
        return self.asked["inspect"][name]

    def ping(self, network: str, target: str, version: int = 4) -> bool:
        """Whether ``target`` answers a ping from a throwaway container of the course on ``network``."""
        found = self.probes.ping(network, target, version)
        self.asked["ping"][f"{network} {target} {version}"] = found
        return found


