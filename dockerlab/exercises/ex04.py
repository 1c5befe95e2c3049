"""Exercises for lesson 04, user-defined networks."""
from ..checks import NotYet, Task
from .common import subnet

q1 = Task("04.1", "A network of your own",
          "Create a network `ex-net` with the subnet `10.120.0.0/24` and the gateway `10.120.0.254`.",
          lambda state: subnet(state, "ex-net", "10.120.0.0/24", "10.120.0.254"),
          {"start": "`docker network create --subnet ... --gateway ... ex-net`.",
           "missing": "Name the network ex-net.",
           "subnet": "The subnet must be 10.120.0.0/24: `docker network rm ex-net` and create it again.",
           "gateway": "Give `--gateway 10.120.0.254` when creating the network (it cannot be changed later)."},
          ["docker network create --subnet 10.120.0.0/24 --gateway 10.120.0.254 ex-net"], ["ex-net"])


def _isolated(state):
    subnet(state, "ex-net2", "10.121.0.0/24")
    for name, network in (("ex-i1", "ex-net"), ("ex-i2", "ex-net2")):
        if network not in state.running(name).networks:
            raise NotYet(f"{name} is not on {network}", "network")
    shared = set(state.running("ex-i1").networks) & set(state.running("ex-i2").networks)
    if shared:
        raise NotYet(f"ex-i1 and ex-i2 share {', '.join(sorted(shared))}: they can reach each other", "shared")


q2 = Task("04.2", "Kept apart",
          "Run `ex-i1` on `ex-net` and `ex-i2` on a new network `ex-net2` (`10.121.0.0/24`), so that they "
          "cannot reach each other.", _isolated,
          {"start": "Create ex-net2, then run one container on each network.",
           "missing": "ex-net2, ex-i1 and ex-i2 must all exist (ex-net from 04.1 too).",
           "stopped": "Both containers must be running.",
           "subnet": "ex-net2's subnet must be 10.121.0.0/24.",
           "network": "Put ex-i1 on ex-net and ex-i2 on ex-net2 with `--network`.",
           "shared": "Containers on a common network reach each other: disconnect the one that is on both."},
          ["docker network create --subnet 10.121.0.0/24 ex-net2",
           "docker run -d --name ex-i1 --network ex-net dockerlab/busybox sleep 1d",
           "docker run -d --name ex-i2 --network ex-net2 dockerlab/busybox sleep 1d"],
          ["ex-net2", "ex-i1", "ex-i2"])

TASKS = [q1, q2]
