"""Exercises for lesson 10, myths and facts."""
from ..task import NotYet, Task
from .common import address, on, subnet


def _second_card(state):
    state.network("ex-m-net")
    on(state, "ex-m", "bridge", "default-bridge")
    on(state, "ex-m", "ex-m-net", "connect")
    cards = sorted(i.name for i in state.running("ex-m").interfaces if i.type != "loopback")
    if len(cards) < 2:
        raise NotYet("one-card", hint="connect", cards=", ".join(cards) or "-")


q1 = Task("10.1", _second_card,
          ["docker network create ex-m-net", "docker run -d --name ex-m dockerlab/busybox sleep 1d",
           "docker network connect ex-m-net ex-m"], ["ex-m", "ex-m-net"])


def _chosen(state):
    subnet(state, "ex-c-net", "10.170.0.0/24")
    address(state, "ex-c", "ex-c-net", "10.170.0.7")


q2 = Task("10.2", _chosen,
          ["docker network create --subnet 10.170.0.0/24 ex-c-net",
           "docker run -d --name ex-c --network ex-c-net --ip 10.170.0.7 dockerlab/busybox sleep 1d"],
          ["ex-c", "ex-c-net"])

TASKS = [q1, q2]
