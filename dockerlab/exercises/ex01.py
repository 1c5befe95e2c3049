"""Exercises for lesson 01, the default bridge."""
from ..checks import NotYet, Task
from .common import address, mode, subnet


def _two_on_bridge(state):
    for name in ("ex-a", "ex-b"):
        mode(state, name, "bridge", "default-bridge")
        if "bridge" not in state.running(name).networks:
            raise NotYet(f"{name} is on {', '.join(state.running(name).networks)}, not on the default bridge",
                         "default-bridge")


q1 = Task("01.1", "Two containers on the default bridge",
          "Start two containers named `ex-a` and `ex-b` on the default bridge (`dockerlab/busybox sleep 1d` "
          "will do).", _two_on_bridge,
          {"start": "`docker run -d --name ex-a dockerlab/busybox sleep 1d`, and the same for ex-b.",
           "missing": "Both containers must exist: check the names with `docker ps -a`.",
           "stopped": "A stopped container has no address: `docker start NAME`.",
           "default-bridge": "Leave out `--network`: without it, a container joins the default bridge."},
          ["docker run -d --name ex-a dockerlab/busybox sleep 1d",
           "docker run -d --name ex-b dockerlab/busybox sleep 1d"], ["ex-a", "ex-b"])


def _fixed(state):
    subnet(state, "ex-fixed-net", "10.110.0.0/24")
    address(state, "ex-fixed", "ex-fixed-net", "10.110.0.50")


q2 = Task("01.2", "A chosen address",
          "Give a container `ex-fixed` the address `10.110.0.50`. The default bridge refuses `--ip`, so first "
          "create a network `ex-fixed-net` with the subnet `10.110.0.0/24`.", _fixed,
          {"start": "`docker network create --subnet 10.110.0.0/24 ex-fixed-net`, then `docker run --ip ...`.",
           "missing": "Both the network ex-fixed-net and the container ex-fixed must exist.",
           "stopped": "Start ex-fixed again: `docker start ex-fixed`.",
           "subnet": "The network's subnet must be exactly 10.110.0.0/24: remove it and create it again.",
           "network": "ex-fixed must be attached to ex-fixed-net: `--network ex-fixed-net`.",
           "address": "Ask for the address with `--ip 10.110.0.50` (on run, or on `docker network connect`)."},
          ["docker network create --subnet 10.110.0.0/24 ex-fixed-net",
           "docker run -d --name ex-fixed --network ex-fixed-net --ip 10.110.0.50 dockerlab/busybox sleep 1d"],
          ["ex-fixed", "ex-fixed-net"])

TASKS = [q1, q2]
