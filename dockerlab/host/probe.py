"""Gather the facts a topology is built from: the engine's view and the kernel's.

One call of :func:`gather` asks the engine for its running containers and
its networks (two list calls), and reads every network namespace's links
from the kernel. The result is plain JSON-able data ("facts"), so that
:mod:`dockerlab.model.topology` can build a model from it with no engine — and so
tests can replay recorded facts.

Reading the kernel: as root when the engine's host is this machine's own
network stack (decided from facts by :mod:`dockerlab.host.enginehost`),
directly (see :mod:`dockerlab.host.kernel`); anywhere else (Docker Desktop's VM,
an engine in its own namespaces, a user in the docker group), through one
``docker exec`` into a helper container that shares the engine host's PID
and network namespaces.
"""
from __future__ import annotations

import contextlib
import os
import shlex
import threading
from pathlib import Path
from typing import Any

from .. import errors, labels
from ..engine.client import Engine
from ..model.topology import Topology
from . import kernel
from .enginehost import engine_host

HELPER_NAME = "dockerlab-probe"
HELPER_LESSON = labels.SNAPSHOT_HELPER
_CONTAINER_FIELDS = ("Id", "Names", "Image", "Labels", "State")
_NETWORK_FIELDS = ("Id", "Name", "Driver", "Scope", "Internal", "Attachable", "Options", "Labels")


def _container_facts(container: dict) -> dict:
    facts = {key: container.get(key) for key in _CONTAINER_FIELDS}
    facts["NetworkMode"] = container.get("HostConfig", {}).get("NetworkMode", "default")
    facts["Ports"] = sorted(({key: port.get(key) for key in ("IP", "PrivatePort", "PublicPort", "Type")}
                             for port in container.get("Ports") or [] if port.get("PublicPort")),
                            key=lambda port: (port["PrivatePort"], port["IP"] or "", port["PublicPort"]))
    facts["Networks"] = {
        name: {key: endpoint.get(key) for key in ("NetworkID", "IPAddress", "IPPrefixLen", "MacAddress", "Gateway")}
        for name, endpoint in (container.get("NetworkSettings", {}).get("Networks") or {}).items()}
    return facts


def _network_facts(network: dict) -> dict:
    facts = {key: network.get(key) for key in _NETWORK_FIELDS}
    facts["IPAM"] = {"Config": (network.get("IPAM") or {}).get("Config") or []}
    return facts


def engine_facts(engine: Engine) -> tuple[list[dict], list[dict]]:
    """Running containers and all networks, trimmed to what a topology needs."""
    containers = [_container_facts(c) for c in engine.containers(all=False)]
    networks = [_network_facts(n) for n in engine.networks()]
    return containers, networks


def _local_kernel_facts(container_ids: list[str]) -> dict | None:
    """Kernel facts read in this process, or ``None`` if this process may not read them."""
    pids = kernel.container_pids()
    if any(cid not in pids for cid in container_ids):
        return None  # not seen from here (or stopped meanwhile): the helper reader asks the engine
    if any(not kernel.readable(pids[cid]) for cid in container_ids):
        return None
    namespaces: dict[str, list[dict]] = {}
    container_netns: dict[str, str] = {}
    for cid in container_ids:
        ns = str(kernel.netns_id(pids[cid]))
        container_netns[cid] = ns
        if ns not in namespaces:
            namespaces[ns] = kernel.read_links(Path(f"/proc/{pids[cid]}/root/sys/class/net"))
    host_links = kernel.read_links()
    return {"reader": "local", "host_netns": str(kernel.netns_id()), "host_links": host_links,
            "bridge_addresses": kernel.bridge_addresses(host_links), "uplink": kernel.default_route_interface(),
            "namespaces": namespaces, "container_netns": container_netns}


_HELPER_SCRIPT = r"""
link() {
  d=$1; n=${d##*/}; read i < $d/ifindex; read l < $d/iflink; read a < $d/address; read t < $d/type
  read u < $d/mtu; m=-; [ -L $d/master ] && m=$(readlink $d/master) && m=${m##*/}
  lw=-; for x in $d/lower_*; do [ -e "$x" ] && lw=${x##*/lower_}; done
  dt=-; while read kv; do case $kv in DEVTYPE=*) dt=${kv#DEVTYPE=};; esac; done < $d/uevent
  dv=0; [ -e $d/device ] && dv=1
  echo "$2 $n $i $l $a $t $m $lw $dt $dv $u"
}
echo "host $(stat -L -c %i /proc/self/ns/net) $(awk '$2=="00000000"{print $1; exit}' /proc/net/route)"
for d in /sys/class/net/*; do link $d H; done
ip -o -4 addr show 2>/dev/null | while read i n f a r; do echo "A ${n%%@*} $a"; done
for p in $PIDS; do
  echo "pid $p $(stat -L -c %i /proc/$p/ns/net)"
  for d in /proc/$p/root/sys/class/net/*; do link $d L; done
done
echo end
"""
"""Prints the host's links, then each container's, then ``end``: a read without it was cut short (the engine gives
an ended exec's output 2 s to arrive, moby v28.5.2 ``daemon/monitor.go``) and is made again. ``A NAME CIDR`` lines
are the host's IPv4 addresses (``ip -o -4 addr``): a bridge's is the host's own on its network."""


def _parse_helper(output: str, pid_to_id: dict[int, str]) -> dict:
    facts: dict[str, Any] = {"reader": "helper", "host_links": [], "namespaces": {}, "container_netns": {}}
    addresses: dict[str, str] = {}
    current: list[dict] | None = None
    for line in output.splitlines():
        words = line.split()
        if not words:
            continue
        if words[0] == "host":
            facts["host_netns"], facts["uplink"] = words[1], (words[2] if len(words) > 2 else None)
        elif words[0] == "A" and len(words) == 3:
            addresses.setdefault(words[1], words[2])  # the first, as ip -o -4 addr lists them
        elif words[0] == "pid" and len(words) < 3:  # the container stopped while it was read
            current = None
        elif words[0] == "pid":
            ns = words[2]
            facts["container_netns"][pid_to_id[int(words[1])]] = ns
            current = facts["namespaces"].setdefault(ns, []) if ns not in facts["namespaces"] else None
        elif words[0] in ("H", "L") and len(words) == 11:
            _, name, ifindex, iflink, mac, link_type, master, lower, devtype, has_device, mtu = words
            link = {"name": name, "ifindex": int(ifindex), "iflink": int(iflink), "mac": mac,
                    "kind": kernel.classify(devtype=devtype, link_type=link_type, has_lower=lower != "-",
                                            has_device=has_device == "1", ifindex=int(ifindex), iflink=int(iflink)),
                    "master": None if master == "-" else master, "parent": None if lower == "-" else lower,
                    "mtu": int(mtu)}
            if words[0] == "H":
                facts["host_links"].append(link)
            elif current is not None:
                current.append(link)
    bridges = {link["name"] for link in facts["host_links"] if link["kind"] == "bridge"}
    facts["bridge_addresses"] = {name: address for name, address in addresses.items() if name in bridges}
    return facts


_HELPER_IN_USE = threading.Lock()
"""One read at a time looks at, makes and uses the helper: the live diagram's watcher reads in a thread of its
own while a cell draws, and each, finding no helper running, removed the one the other had just made."""


def _helper_kernel_facts(engine: Engine, container_ids: list[str]) -> dict:
    """Kernel facts read by one ``docker exec`` in a helper container on the host's namespaces."""
    pid_to_id = {engine.container(cid)["State"]["Pid"]: cid for cid in container_ids}
    pids = " ".join(str(pid) for pid in pid_to_id)
    output = ""
    with _HELPER_IN_USE:
        for fresh in (False, True):  # a helper that cannot run the read (stopping, gone) is made again, once
            try:
                running = not fresh and engine.container(HELPER_NAME)["State"]["Running"]
            except Exception:  # noqa: BLE001 - absent: start it below
                running = False
            if not running:
                engine.remove_labelled(HELPER_LESSON)
                with contextlib.suppress(errors.NameInUse):  # another kernel made it meanwhile: read with it
                    engine.run(labels.BUSYBOX_IMAGE, ["sleep", "1d"], lesson=HELPER_LESSON, name=HELPER_NAME,
                               network="host", pid_mode="host", cap_add=["SYS_PTRACE"],
                               security_opt=["apparmor=unconfined"])
            code, output = engine.exec(HELPER_NAME, ["sh", "-c", f"PIDS={shlex.quote(pids)}\n{_HELPER_SCRIPT}"])
            # the script itself always ends well, with its line "end" (a container that ended meanwhile adds
            # error lines, before or after it): anything else is an exec that could not run it, or a cut read
            if code == 0 and "end" in output.splitlines():
                return _parse_helper(output, pid_to_id)
    raise errors.CommandRefused("host-command-failed", command="docker exec " + HELPER_NAME + " sh -c ...",
                                output=output.strip()[-500:] or "-")


def _of_lesson(containers: list[dict], lesson: str) -> list[dict]:
    chosen = [c for c in containers if labels.is_managed(c.get("Labels"), lesson)]
    wanted = {c["NetworkMode"].split(":", 1)[1] for c in chosen if c["NetworkMode"].startswith("container:")}
    owners = [c for c in containers if c not in chosen and (c["Id"] in wanted or labels.container_name(c) in wanted)]
    return chosen + owners


def gather(engine: Engine, reader: str | None = None, lesson: str | None = None, attempts: int = 3) -> dict:
    """Everything a :class:`~dockerlab.model.topology.Topology` is made from, as plain data.

    Similar to ``docker ps`` + ``docker network ls`` + ``ip -o link`` on the
    host and in every container. ``reader`` forces ``local`` or ``helper``
    (default: ``DOCKERLAB_PROBE``, else local when allowed, else helper).
    With ``lesson``, only that lesson's containers (and the ones whose stack
    they share) are read. A container that stops while it is being read
    (someone else's, on a busy engine) means a fresh look, up to ``attempts`` times.
    """
    for _ in range(attempts - 1):
        with contextlib.suppress(errors.NotFound):  # a container went away meanwhile: look again
            return _gather_once(engine, reader, lesson)
    try:
        return _gather_once(engine, reader, lesson)
    except errors.NotFound:
        raise errors.CommandRefused("snapshot-busy", attempts=attempts) from None


def _gather_once(engine: Engine, reader: str | None, lesson: str | None) -> dict:
    containers, networks = engine_facts(engine)
    containers = [c for c in containers if labels.container_name(c) != HELPER_NAME]
    if lesson is not None:
        containers = _of_lesson(containers, lesson)
    ids = [c["Id"] for c in containers]
    reader = reader or os.environ.get("DOCKERLAB_PROBE", "auto")
    facts = None
    if reader == "local" or (reader == "auto" and engine_host(engine).direct):
        facts = _local_kernel_facts(ids)
    if facts is None:
        facts = _helper_kernel_facts(engine, ids)
    return {"containers": containers, "networks": networks, **facts}


def snapshot(engine: Engine | None = None, lesson: str | None = None) -> Topology:
    """What the engine and the kernel really have now (only ``lesson``'s part, if given).

    Similar to ``dockerlab snapshot [--lesson LESSON]``.
    """
    engine = engine or Engine.connect()
    return topology_of(gather(engine, lesson=lesson), lesson)


def topology_of(facts: dict, lesson: str | None = None) -> Topology:
    """The model made from a snapshot's facts (only ``lesson``'s part, if given)."""
    topology = Topology.from_facts(facts)
    return topology.of_lesson(lesson) if lesson else topology
