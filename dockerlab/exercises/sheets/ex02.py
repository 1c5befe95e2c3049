"""Exercises for lesson 02, veth pairs."""
from ..task import NotYet, Task
from .common import on


def _two_pairs(state):
    for network in ("bridge", "ex-v-net"):
        on(state, "ex-v1", network, "second")
    others = [network for network in state.running("ex-v1").networks if network not in ("bridge", "ex-v-net")]
    if others:
        raise NotYet("third", networks=", ".join(others))
    pairs = [i for i in state.running("ex-v1").interfaces if i.host_peer]
    if len(pairs) != 2:
        raise NotYet("pairs", hint="second", name="ex-v1", count=len(pairs))


q1 = Task("02.1", _two_pairs,
          ["docker network create ex-v-net", "docker run -d --name ex-v1 dockerlab/busybox sleep 1d",
           "docker network connect ex-v-net ex-v1"], ["ex-v1", "ex-v-net"])


def _through_ex_v_net(state):
    first, second = state.running("ex-v1"), state.running("ex-v2")
    if second.shares_stack_of:
        raise NotYet("shares", owner=second.shares_stack_of)
    on(state, "ex-v1", "ex-v-net", "same-network")
    on(state, "ex-v2", "ex-v-net", "same-network")
    ends = [container.interface_on("ex-v-net") for container in (first, second)]
    if not all(end and end.host_peer for end in ends):  # both cabled by a veth pair to ex-v-net's bridge
        path = state.topology.path("ex-v1", "ex-v2")
        raise NotYet("no-crossing", hint="same-network", why=path.reason or path.network)


q2 = Task("02.2", _through_ex_v_net,
          ["docker run -d --name ex-v2 --network ex-v-net dockerlab/busybox sleep 1d"], ["ex-v2"], needs=["02.1"])

TASKS = [q1, q2]
