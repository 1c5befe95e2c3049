"""Exercises for lesson 07, DNS load balancing. The sheet sets up the network ex-lb."""
from ..task import NotYet, Question, Task
from .common import ipv4

BACKENDS = ("ex-api1", "ex-api2", "ex-api3")
SETUP = ["docker network create --subnet 10.155.0.0/24 ex-lb"]


def _behind_api(state, names, answers):
    """Each of ``names`` runs, is on ex-lb, and its address there is one of ``answers``."""
    for name in names:
        have = ipv4(state, name, "ex-lb")
        if have is None or have not in answers:
            raise NotYet("not-behind", name=name, have=have or "-", answers=", ".join(answers) or "-")


def _three(state):
    state.network("ex-lb")
    _behind_api(state, BACKENDS, state.resolve("ex-lb", "api"))


q1 = Task("07.1", _three,
          [f"docker run -d --name {name} --network ex-lb --network-alias api dockerlab/busybox sleep 1d"
           for name in BACKENDS], list(BACKENDS))


def _two_left(state):
    if "ex-api2" not in state.statuses:
        raise NotYet("removed", hint="keep")
    state.network("ex-lb")
    answers = state.resolve("ex-lb", "api")
    _behind_api(state, ("ex-api1", "ex-api3"), answers)
    still_up = state.statuses["ex-api2"] in ("running", "paused") and "ex-api2" in state.topology.containers
    if still_up and ipv4(state, "ex-api2", "ex-lb") in answers:
        raise NotYet("still-there", address=ipv4(state, "ex-api2", "ex-lb"))


q2 = Task("07.2", _two_left, ["docker stop ex-api2"], list(BACKENDS), makes=[], builds_on="07.1")

q3 = Question("07.3", None, ["q3.answer('cached')"], expected="cached",
              choices=["dns-still", "cached", "alias-gone", "address-reused"])

TASKS = [q1, q2, q3]
