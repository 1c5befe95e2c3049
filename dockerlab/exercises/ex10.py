"""Exercises for lesson 10, myths and facts."""
from ..checks import NotYet, Task
from .common import address, on, subnet


def _second_card(state):
    state.network("ex-m-net")
    on(state, "ex-m", "ex-m-net", "connect")
    names = sorted(i.name for i in state.running("ex-m").interfaces if i.type != "loopback")
    if len(names) < 2:
        raise NotYet(f"ex-m has only {', '.join(names)}", "connect")


q1 = Task("10.1", "The real connect command",
          "Run `ex-m` on the default bridge, then give it a second network card on a network `ex-m-net` "
          "(the notes called this `docker connect`).", _second_card,
          {"start": "The command is `docker network connect ex-m-net ex-m`.",
           "missing": "ex-m and the network ex-m-net must exist.", "stopped": "Start ex-m.",
           "connect": "`docker network connect ex-m-net ex-m` adds eth1 to the running container."},
          ["docker network create ex-m-net", "docker run -d --name ex-m dockerlab/busybox sleep 1d",
           "docker network connect ex-m-net ex-m"], ["ex-m", "ex-m-net"])


def _chosen(state):
    subnet(state, "ex-c-net", "10.170.0.0/24")
    address(state, "ex-c", "ex-c-net", "10.170.0.7")


q2 = Task("10.2", "Choosing an address, where it is allowed",
          "Run `ex-c` with the address `10.170.0.7` on a network `ex-c-net` (`10.170.0.0/24`).", _chosen,
          {"start": "Create ex-c-net with `--subnet 10.170.0.0/24`, then `docker run --ip 10.170.0.7 ...`.",
           "missing": "ex-c and ex-c-net must exist.", "stopped": "Start ex-c.",
           "subnet": "ex-c-net's subnet must be 10.170.0.0/24.",
           "network": "ex-c must be on ex-c-net.",
           "address": "`--ip 10.170.0.7` — on run, or on `docker network connect`."},
          ["docker network create --subnet 10.170.0.0/24 ex-c-net",
           "docker run -d --name ex-c --network ex-c-net --ip 10.170.0.7 dockerlab/busybox sleep 1d"],
          ["ex-c", "ex-c-net"])

TASKS = [q1, q2]
