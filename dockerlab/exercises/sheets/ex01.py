"""Exercises for lesson 01, the default bridge."""
from ..task import Question, Task
from .common import address, on, subnet


def _two_on_bridge(state):
    for name in ("ex-a", "ex-b"):
        on(state, name, "bridge", "default-bridge")


q1 = Task("01.1", _two_on_bridge,
          ["docker run -d --name ex-a dockerlab/busybox sleep 1d",
           "docker run -d --name ex-b dockerlab/busybox sleep 1d"], ["ex-a", "ex-b"])


def _fixed(state):
    subnet(state, "ex-fixed-net", "10.110.0.0/24")
    address(state, "ex-fixed", "ex-fixed-net", "10.110.0.50")


q2 = Task("01.2", _fixed,
          ["docker network create --subnet 10.110.0.0/24 ex-fixed-net",
           "docker run -d --name ex-fixed --network ex-fixed-net --ip 10.110.0.50 dockerlab/busybox sleep 1d"],
          ["ex-fixed", "ex-fixed-net"])

q3 = Question("01.3", None, ["# the gateway takes 10.112.0.254, so .1 is the first free address",
                             "q3.answer('10.112.0.1')"], expected="10.112.0.1", subnet="10.112.0.0/24",
              known={"10.112.0.254": "gateway", "10.112.0.0": "network", "10.112.0.2": "second",
                     "10.112.0.255": "broadcast"})

TASKS = [q1, q2, q3]
