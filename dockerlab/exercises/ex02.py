"""Exercises for lesson 02, veth pairs."""
from ..checks import NotYet, Task
from .common import on


def _two_pairs(state):
    for network in ("bridge", "ex-v-net"):
        on(state, "ex-v1", network, "second")
    pairs = [i for i in state.running("ex-v1").interfaces if i.host_peer]
    if len(pairs) < 2:
        raise NotYet(f"ex-v1 has {len(pairs)} veth pair(s) with a host end, not 2", "second")


q1 = Task("02.1", "Two cables",
          "Make a container `ex-v1` that has two veth pairs: one to the default bridge and one to a network "
          "`ex-v-net` (create it; any subnet).", _two_pairs,
          {"start": "Start ex-v1 on the default bridge, create ex-v-net, then `docker network connect`.",
           "missing": "Both ex-v1 and the network ex-v-net must exist.",
           "stopped": "Start ex-v1 again: `docker start ex-v1`.",
           "second": "Each network a container joins gives it one more veth pair: connect ex-v1 to both "
                     "`bridge` and `ex-v-net`."},
          ["docker network create ex-v-net", "docker run -d --name ex-v1 dockerlab/busybox sleep 1d",
           "docker network connect ex-v-net ex-v1"], ["ex-v1", "ex-v-net"])


def _through_ex_v_net(state):
    first, second = state.running("ex-v1"), state.running("ex-v2")
    if second.shares_stack_of:
        raise NotYet(f"ex-v2 shares {second.shares_stack_of}'s stack: no packet crosses a bridge", "shares")
    on(state, "ex-v2", "ex-v-net", "same-network")
    ends = [container.interface_on("ex-v-net") for container in (first, second)]
    if not all(end and end.host_peer for end in ends):  # both cabled by a veth pair to ex-v-net's bridge
        path = state.topology.path("ex-v1", "ex-v2")
        raise NotYet(f"a ping from ex-v1 would not cross ex-v-net's bridge ({path.reason or path.network})",
                     "same-network")


q2 = Task("02.2", "Across the right bridge",
          "Start a container `ex-v2` so that a ping from `ex-v1` to `ex-v2` can cross the bridge of `ex-v-net` "
          "(through two veth pairs).", _through_ex_v_net,
          {"start": "Put ex-v2 on ex-v-net: `docker run -d --name ex-v2 --network ex-v-net ...`.",
           "missing": "Do task 02.1 first; then start ex-v2.",
           "stopped": "Start the container again with `docker start`.",
           "shares": "`--network container:...` shares a stack: give ex-v2 a network of its own.",
           "same-network": "Both containers must be on ex-v-net; `lab.path('ex-v1', 'ex-v2')` shows the way."},
          ["docker run -d --name ex-v2 --network ex-v-net dockerlab/busybox sleep 1d"], ["ex-v2"])

TASKS = [q1, q2]
