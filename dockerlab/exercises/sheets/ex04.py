"""Exercises for lesson 04, user-defined networks."""
from ..task import NotYet, Task
from .common import on, shared_networks, subnet

q1 = Task("04.1", lambda state: subnet(state, "ex-net", "10.120.0.0/24", "10.120.0.254"),
          ["docker network create --subnet 10.120.0.0/24 --gateway 10.120.0.254 ex-net"], ["ex-net"])


def _isolated(state):
    subnet(state, "ex-net2", "10.121.0.0/24")
    on(state, "ex-i1", "ex-net")
    on(state, "ex-i2", "ex-net2")
    shared = shared_networks(state, "ex-i1", "ex-i2")
    if shared:
        raise NotYet("shared", networks=", ".join(shared))


q2 = Task("04.2", _isolated,
          ["docker network create --subnet 10.121.0.0/24 ex-net2",
           "docker run -d --name ex-i1 --network ex-net dockerlab/busybox sleep 1d",
           "docker run -d --name ex-i2 --network ex-net2 dockerlab/busybox sleep 1d"],
          ["ex-net2", "ex-i1", "ex-i2"], needs=["04.1"])

TASKS = [q1, q2]
