"""Exercises for lesson 11, the overlay across hosts. The sheet starts the lab cluster (node1 to node3).

The judges look at the nodes' own engines (``docker`` on a node) and probe from throwaway containers
started there, as the sheet's cells do with ``lab.on("node1", ...)``.
"""
from ... import labels
from ...engine.command_line import nslookup_addresses
from ..task import NotAttempted, NotYet, Question, Task

NETWORK, SUBNET = "e11-net", "10.211.0.0/24"
PROBE = f"docker run --rm --label {labels.MANAGED}=true --network e11-net dockerlab/busybox"
RULE = "INPUT -p udp --dport 4789 -j DROP"
BLOCK = f"iptables -C {RULE} 2>/dev/null || iptables -I {RULE}"
UNBLOCK = f"while iptables -D {RULE} 2>/dev/null; do :; done"


NODES = ("node1", "node2", "node3")


def _elsewhere(state, what: str, look: str) -> list[str]:
    """The other nodes where ``look`` (a docker command) finds ``what``: ``node3 (bridge)``."""
    found = []
    for node in NODES[1:]:
        code, output = state.on_node(node, look)
        if code == 0 and output.strip():
            found.append(f"{node} ({output.strip()})")
    return found


def _overlay(state):
    code, output = state.on_node("node1", "docker network inspect e11-net --format "
                                          "'{{.Driver}} {{.Attachable}} {{range .IPAM.Config}}{{.Subnet}}{{end}}'")
    if code != 0:
        found = _elsewhere(state, NETWORK, "docker network inspect e11-net --format '{{.Driver}}'")
        if found:
            raise NotYet("elsewhere", where=", ".join(found))
        raise NotAttempted()
    words: list[str] = str(output).split()
    driver, attachable, *subnet = [*words, "", "", ""]
    if driver != "overlay":
        raise NotYet("driver", have=driver)
    if attachable != "true":
        raise NotYet("attachable")
    if subnet[0] != SUBNET:
        raise NotYet("subnet", network=NETWORK, have=subnet[0] or "-", want=SUBNET)


def _everywhere(command: str) -> list[str]:
    """``command`` on each node of the lab cluster (to start a task again wherever its objects are)."""
    return [f"{node}$ {command}" for node in NODES]


q1 = Task("11.1", _overlay, ["node1$ docker network create -d overlay --attachable --subnet 10.211.0.0/24 e11-net"],
          undo=["node1$ docker service rm e11-web", *_everywhere("docker rm -f e11-a e11-b"),
                "node1$ docker network rm e11-net", "node2$ docker network rm e11-net",
                "node3$ docker network rm e11-net"])


def _placed(state, name: str) -> dict[str, tuple[str, list[str]]]:
    """Each node where a container ``name`` is: its state and networks (``docker ps -a`` there)."""
    found = {}
    for node in NODES:
        look = f"docker ps -a --filter name=^{name}$ --format '{{{{.State}}}} {{{{.Networks}}}}'"
        code, output = state.on_node(node, look)
        if code != 0:  # the read itself failed (an exec into a busy node): not "no container there"; once more
            code, output = state.on_node(node, look)
        if code == 0 and output.strip():
            status, _, networks = output.strip().partition(" ")
            found[node] = (status, networks.split(","))
    return found


def _across(state):
    placed = {name: _placed(state, name) for name in ("e11-a", "e11-b")}
    if not any(placed.values()):
        raise NotAttempted()
    for name, node in (("e11-a", "node1"), ("e11-b", "node3")):
        where = placed[name]
        if node not in where:
            if where:
                raise NotYet("elsewhere", name=name, node=node, where=", ".join(where))
            raise NotYet("not-on-node", name=name, node=node)
        status, networks = where[node]
        if status != "running":
            raise NotYet("stopped-on-node", name=name, node=node, status=status)
        if NETWORK not in networks:
            raise NotYet("not-on-overlay", hint="network", name=name, node=node, networks=",".join(networks))
    code, _ = state.on_node("node1", f"{PROBE} ping -c 1 -W 3 e11-b")
    if code != 0:
        raise NotYet("no-reply")


q2 = Task("11.2", _across,
          ["node1$ docker run -d --name e11-a --network e11-net dockerlab/busybox sleep 1d",
           "node3$ docker run -d --name e11-b --network e11-net dockerlab/busybox sleep 1d"],
          undo=_everywhere("docker rm -f e11-a e11-b"), needs=["11.1"])


def _service(state):
    code, output = state.on_node("node1", "docker service inspect e11-web --format '{{if .Spec.Mode.Global}}global"
                                          "{{else}}{{.Spec.Mode.Replicated.Replicas}}{{end}} {{.Endpoint.Spec.Mode}}'")
    if code != 0:
        found = _placed(state, "e11-web")
        if found:
            raise NotYet("container-not-service", hint="not-service", where=", ".join(found))
        raise NotAttempted()
    replicas, mode = ([*output.split(), "", ""])[:2]
    if replicas not in ("3", "global"):
        raise NotYet("replicas", have=replicas or "-")
    if mode != "vip":
        raise NotYet("endpoint-mode", have=mode)
    _, ids = state.on_node("node1", "docker network inspect e11-net --format '{{.Id}}'")
    _, vips = state.on_node("node1", "docker service inspect e11-web --format "
                                     "'{{range .Endpoint.VirtualIPs}}{{.NetworkID}}={{.Addr}} {{end}}'")
    vip = dict(pair.split("=", 1) for pair in vips.split() if "=" in pair).get(ids.strip(), "").split("/")[0]
    if not vip:
        raise NotYet("not-on-overlay-service", hint="network")
    _, running = state.on_node("node1", "docker service ps e11-web --filter desired-state=running "
                                        "--format '{{.CurrentState}}'")
    up = sum(line.startswith("Running") for line in running.splitlines())
    if up < 3:
        raise NotYet("starting" if replicas == "3" else "global-starting", up=up, settling=True)
    _, answer = state.on_node("node1", f"{PROBE} nslookup e11-web")
    if nslookup_addresses(answer) != [vip]:
        raise NotYet("vip-answer", vip=vip, answers=", ".join(nslookup_addresses(answer)) or "-")


q3 = Task("11.3", _service,
          ["node1$ docker service create -d --no-resolve-image --name e11-web --replicas 3 --network e11-net "
           "dockerlab/busybox httpd -f -p 80 -h /"], undo=["node1$ docker service rm e11-web"], needs=["11.1"])

q4 = Question("11.4", None, ["q4.answer('vxlan')"], expected="vxlan", choices=["dns", "vxlan", "manager", "mtu"],
              needs=["11.2"])

TASKS = [q1, q2, q3, q4]


def set_up(lab) -> None:
    """Start the lab cluster for this sheet, unless it is up already (your work on it stays)."""
    from ...host import cluster

    nodes = cluster.status(lab.engine, lab.lesson_id)
    if len(nodes) == 3 and all(node.ready for node in nodes):
        return
    lab.cluster(nodes=3)


def break_overlay(lab) -> None:
    """Task 11.4's puzzle: node3 starts dropping something. Similar to an iptables rule on node3."""
    lab.on("node3", BLOCK, silent=True)


def repair_overlay(lab) -> None:
    """Undo :func:`break_overlay`."""
    lab.on("node3", UNBLOCK, silent=True)
