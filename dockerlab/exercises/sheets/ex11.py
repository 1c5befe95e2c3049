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


def _overlay(state):
    code, output = state.on_node("node1", "docker network inspect e11-net --format "
                                          "'{{.Driver}} {{.Attachable}} {{range .IPAM.Config}}{{.Subnet}}{{end}}'")
    if code != 0:
        raise NotAttempted()
    words: list[str] = str(output).split()
    driver, attachable, *subnet = [*words, "", "", ""]
    if driver != "overlay":
        raise NotYet("driver", have=driver)
    if attachable != "true":
        raise NotYet("attachable")
    if subnet[0] != SUBNET:
        raise NotYet("subnet", network=NETWORK, have=subnet[0] or "-", want=SUBNET)


q1 = Task("11.1", _overlay, ["node1$ docker network create -d overlay --attachable --subnet 10.211.0.0/24 e11-net"],
          undo=["node1$ docker service rm e11-web", "node1$ docker rm -f e11-a", "node3$ docker rm -f e11-b",
                "node1$ docker network rm e11-net"])


def _where(state, name, node):
    """``name`` runs on ``node`` and is attached to e11-net."""
    _, output = state.on_node(node, f"docker ps --filter name=^{name}$ --format '{{{{.Networks}}}}'")
    if not output.strip():
        raise NotYet("not-on-node", name=name, node=node)
    if NETWORK not in output.strip().split(","):
        raise NotYet("not-on-overlay", hint="network", name=name, node=node, networks=output.strip())


def _across(state):
    seen = [state.on_node(node, f"docker ps -aq --filter name=^{name}$")[1].strip()
            for name, node in (("e11-a", "node1"), ("e11-b", "node3"))]
    if not any(seen):
        raise NotAttempted()
    _where(state, "e11-a", "node1")
    _where(state, "e11-b", "node3")
    code, _ = state.on_node("node1", f"{PROBE} ping -c 1 -W 3 e11-b")
    if code != 0:
        raise NotYet("no-reply")


q2 = Task("11.2", _across,
          ["node1$ docker run -d --name e11-a --network e11-net dockerlab/busybox sleep 1d",
           "node3$ docker run -d --name e11-b --network e11-net dockerlab/busybox sleep 1d"],
          undo=["node1$ docker rm -f e11-a", "node3$ docker rm -f e11-b"])


def _service(state):
    code, output = state.on_node("node1", "docker service inspect e11-web --format "
                                          "'{{.Spec.Mode.Replicated.Replicas}} {{.Endpoint.Spec.Mode}}'")
    if code != 0:
        raise NotAttempted()
    replicas, mode = ([*output.split(), "", ""])[:2]
    if replicas != "3":
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
        raise NotYet("starting", up=up)
    _, answer = state.on_node("node1", f"{PROBE} nslookup e11-web")
    if nslookup_addresses(answer) != [vip]:
        raise NotYet("vip-answer", vip=vip, answers=", ".join(nslookup_addresses(answer)) or "-")


q3 = Task("11.3", _service,
          ["node1$ docker service create -d --no-resolve-image --name e11-web --replicas 3 --network e11-net "
           "dockerlab/busybox httpd -f -p 80 -h /"], undo=["node1$ docker service rm e11-web"])

q4 = Question("11.4", None, ["q4.answer('vxlan')"], expected="vxlan", choices=["dns", "vxlan", "manager", "mtu"])

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
