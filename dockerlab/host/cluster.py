"""A lab cluster: several Docker hosts on this machine, joined into a swarm.

Each node is a container running its own, complete Docker engine (Docker-in-Docker), with its own
hostname and an address on a lab "underlay" network of the main engine — the same picture as
servers on a LAN. Similar to ``docker swarm init`` on one server and ``docker swarm join`` on the
others. Everything it makes carries the course's labels, so :func:`down` (and ``dockerlab reset``)
removes it all — also after an ``up`` that failed or was interrupted half-way.
"""
from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from .. import errors, labels
from ..engine.calls import EngineCalls
from ..text import say
from . import cleanup

if TYPE_CHECKING:
    from .session import Session

UNDERLAY = "dl-underlay"
UNDERLAY_SUBNET = "10.199.0.0/24"
NODE_PREFIX = "dl-node"
DEFAULT_LESSON = labels.CLUSTER
NODE_RIGHTS: dict[str, dict[str, Any]] = {
    "privileged": {"privileged": True},
    # Where privileged containers are refused (a bounding set without CAP_SYS_RESOURCE), every other
    # capability and no seccomp/AppArmor filter is enough for a nested engine.
    "capabilities": {"cap_add": ["ALL"], "cap_drop": ["SYS_RESOURCE"],
                     "security_opt": ["seccomp=unconfined", "apparmor=unconfined"]},
}


@dataclass
class Node:
    """One lab Docker host."""

    name: str
    hostname: str
    address: str
    role: str = "?"
    ready: bool = False


HOSTNAME_PREFIX = "node"


def node_name(index: int) -> str:
    """The container of node ``index``: ``dl-node1``."""
    return f"{NODE_PREFIX}{index}"


def node_hostname(index: int) -> str:
    """The hostname of node ``index``, as ``docker node ls`` shows it: ``node1``."""
    return f"{HOSTNAME_PREFIX}{index}"


def node_index(node: str) -> int | None:
    """Which node ``node1`` or ``dl-node1`` (its hostname or its container) is; ``None`` if neither."""
    for prefix in (NODE_PREFIX, HOSTNAME_PREFIX):
        number = node.removeprefix(prefix)
        if number != node and number.isdigit() and int(number) > 0:
            return int(number)
    return None


def node_container(node: str) -> str:
    """The container of a node named by its hostname (``node1``) or its container (``dl-node1``)."""
    index = node_index(node)
    if index is None:
        raise errors.NotFound("cluster-unknown-node", node=node)
    return node_name(index)


def node_address(index: int) -> str:
    return f"10.199.0.{10 + index}"


def node_rights(engine: EngineCalls) -> str | None:
    """``privileged`` where the engine allows it, else ``capabilities`` if that works, else ``None``."""
    return next((how for how, rights in NODE_RIGHTS.items()
                 if engine.can_start(labels.BUSYBOX_IMAGE, lesson=labels.DOCTOR, **rights)), None)


def choose_rights(engine: EngineCalls, progress: Callable[[str], None]) -> str:
    """How the nodes get the rights a nested engine needs; says which."""
    how = node_rights(engine)
    if how is None:
        raise errors.CommandRefused("cluster-no-rights")
    progress(say(f"cluster-rights-{how}"))
    return how


def _wait_for_engine(engine: EngineCalls, node: str, timeout: float = 60) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if engine.exec(node, ["docker", "version", "--format", "{{.Server.Version}}"])[0] == 0:
            return
        if not engine.container(node)["State"]["Running"]:
            break
        time.sleep(0.25)
    raise errors.CommandRefused("cluster-node-failed", node=node, log=engine.logs(node)[-1500:])


def up(engine: Session, nodes: int = 3, lesson: str = DEFAULT_LESSON,
       progress: Callable[[str], None] = print) -> list[Node]:
    """Start ``nodes`` lab Docker hosts and join them into a swarm (node 1 is the manager)."""
    from ..engine.images import NODE_IMAGE, ensure_node_image

    if nodes < 1:
        raise errors.CommandRefused("cluster-size", nodes=nodes)
    ensure_node_image(engine, progress=progress)
    try:
        if any(engine.labelled(lesson).values()):  # also what an interrupted `up` left: a network, a volume
            progress(say("cluster-removing-previous", lesson=lesson))
            cleanup.remove(engine, lesson)
        how = choose_rights(engine, progress)
        progress(f"$ docker network create --subnet {UNDERLAY_SUBNET} {UNDERLAY}")
        engine.create_network(UNDERLAY, lesson=lesson, subnet=UNDERLAY_SUBNET)
        started = []
        for index in range(1, nodes + 1):
            name = node_name(index)
            progress(say("cluster-starting-node", name=name, hostname=node_hostname(index),
                         address=node_address(index)))
            engine.create_volume(f"{name}-data", lesson=lesson)
            # --dns 127.0.0.1 for the node and for its engine's containers: no name lookup leaves the machine
            engine.run(NODE_IMAGE, ["dockerd", "--host", "unix:///var/run/docker.sock",
                                    *(arg for server in labels.CONTAINED_DNS for arg in ("--dns", server))],
                       lesson=lesson, name=name, dns=list(labels.CONTAINED_DNS),
                       hostname=node_hostname(index), network=UNDERLAY, ip=node_address(index),
                       volumes={f"{name}-data": "/var/lib/docker", "/sys/fs/cgroup": "/sys/fs/cgroup"},
                       tmpfs={"/run": ""}, unmasked_paths=True, **NODE_RIGHTS[how])
            started.append(name)
        image = engine.save_image(labels.BUSYBOX_IMAGE)
        for name in started:
            _wait_for_engine(engine, name)
            progress(say("cluster-node-ready", name=name, image=labels.BUSYBOX_IMAGE))
            code, _ = engine.exec(name, ["docker", "load", "-q"], stdin=image)
            if code != 0:
                raise errors.CommandRefused("cluster-node-failed", node=name, log="docker load failed")
        manager = started[0]
        progress(f"{manager}: $ docker swarm init --advertise-addr {node_address(1)}")
        _must(engine, manager, ["docker", "swarm", "init", "--advertise-addr", node_address(1)])
        token = _must(engine, manager, ["docker", "swarm", "join-token", "-q", "worker"]).strip()
        for name in started[1:]:
            progress(f"{name}: $ docker swarm join --token ... {node_address(1)}:2377")
            _must(engine, name, ["docker", "swarm", "join", "--token", token, f"{node_address(1)}:2377"])
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            current = status(engine, lesson)
            if len(current) == nodes and all(node.ready for node in current):
                progress(say("cluster-swarm-ready", nodes=nodes))
                return current
            time.sleep(0.5)
        raise errors.CommandRefused("cluster-not-ready", nodes=nodes)
    except KeyboardInterrupt:  # a notebook's "interrupt kernel", or Ctrl-C
        _undo(engine, lesson, progress, say("cluster-why-interrupted"))
        raise errors.CommandRefused("cluster-interrupted") from None
    except BaseException:
        _undo(engine, lesson, progress, say("cluster-why-failed"))
        raise


def _undo(engine: Session, lesson: str, progress: Callable[[str], None], why: str) -> None:
    """Remove what a half-way ``up`` made; an interrupt meanwhile leaves the rest to ``down`` or the next ``up``."""
    progress(say("cluster-undoing", why=why))
    try:
        cleanup.remove(engine, lesson)
    except KeyboardInterrupt:
        raise errors.CommandRefused("cluster-undo-interrupted") from None


def _must(engine: EngineCalls, node: str, command: list[str]) -> str:
    code, output = engine.exec(node, command)
    if code != 0:
        raise errors.CommandRefused("cluster-command-failed", node=node, command=" ".join(command),
                                    output=output.strip())
    return output


def status(engine: EngineCalls, lesson: str | None = None) -> list[Node]:
    """The lab nodes, their underlay addresses, swarm roles and readiness (``docker node ls``)."""
    found = []
    for listed in engine.containers(all=True, label=f"{labels.LESSON}={lesson}" if lesson else labels.MANAGED):
        name = labels.container_name(listed)
        index = node_index(name)
        if index is None or name != node_name(index):
            continue
        found.append(Node(name, node_hostname(index), node_address(index)))
    found.sort(key=lambda node: node_index(node.name) or 0)
    if not found:
        return found
    code, output = engine.exec(found[0].name, ["docker", "node", "ls", "--format",
                                               "{{.Hostname}} {{.Status}} {{.ManagerStatus}}"])
    roles = {}
    if code == 0:
        for line in output.splitlines():
            words = line.split()
            if len(words) >= 2:
                roles[words[0]] = ("manager" if len(words) > 2 else "worker", words[1] == "Ready")
    for node in found:
        node.role, node.ready = roles.get(node.hostname, ("?", False))
    return found


def down(engine: Session, lesson: str = DEFAULT_LESSON) -> dict[str, list[str]]:
    """Remove the nodes, their volumes and the underlay network. Similar to ``docker rm -f`` of each node."""
    return cleanup.remove(engine, lesson)


_INNER = ("docker ps -q | xargs -r docker inspect --format "
          "'{{.Name}}{{range $n, $e := .NetworkSettings.Networks}} {{$n}}={{$e.IPAddress}}{{end}}'")


def inner_view(engine: EngineCalls, lesson: str = DEFAULT_LESSON) -> dict[str, dict]:
    """Each node's own containers and their addresses per network (``docker inspect`` on each node)."""
    view = {}
    for node in status(engine, lesson):
        code, output = engine.exec(node.name, ["sh", "-c", _INNER])
        containers = {}
        for line in output.splitlines() if code == 0 else []:
            name, *pairs = line.split()
            containers[name.lstrip("/")] = dict(pair.split("=", 1) for pair in pairs)
        _, bridges = engine.exec(node.name, ["sh", "-c", "ip -o link show type bridge | cut -d: -f2"])
        _, veths = engine.exec(node.name, ["sh", "-c", "ip -o link show type veth | wc -l"])
        view[node.hostname] = {"address": node.address, "role": node.role, "containers": containers,
                               "bridges": sorted(b.strip() for b in bridges.split() if b.strip()),
                               "veths": int(veths.strip() or 0)}
    return view


def on_node(engine: EngineCalls, node: str, command: str) -> tuple[int, str]:
    """Run a shell command on a lab host. Similar to ``ssh node1 COMMAND`` (``docker exec dl-node1 sh -c``)."""
    return engine.exec(node_container(node), ["sh", "-c", command])


def capture(engine: EngineCalls, node: str, packet_filter: str, while_running: tuple[str, str],
            count: int = 2) -> tuple[int, str]:
    """Capture packets on ``node``'s underlay interface while a command runs on another node.

    Similar to ``tcpdump -ni eth0 -c COUNT -vv FILTER`` on ``node`` while ``ssh OTHER COMMAND`` runs.
    Returns tcpdump's exit code and what it printed.
    """
    import threading

    captured: dict[str, tuple[int, str]] = {}
    listen = f"timeout 8 tcpdump -ni eth0 -c {count} -vv {packet_filter} 2>/dev/null"
    listener = threading.Thread(target=lambda: captured.update(result=on_node(engine, node, listen)))
    listener.start()
    time.sleep(1.0)  # tcpdump is listening before the traffic starts
    on_node(engine, *while_running)
    listener.join()
    return captured["result"]
