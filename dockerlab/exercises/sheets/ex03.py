"""Exercises for lesson 03, the drivers."""
from ..task import NotYet, Task
from .common import mode


def _only_lo(state):
    stack = state.topology.stack_of(state.running("ex-none").name)
    if stack.network_mode == "host":
        raise NotYet("host-not-none", hint="none")
    others = sorted(i.name for i in stack.interfaces if i.type != "loopback")
    if others:
        raise NotYet("has-interfaces", hint="none", interfaces=", ".join(others),
                     networks=", ".join(stack.networks) or "-")


q1 = Task("03.1", _only_lo, ["docker run -d --name ex-none --network none dockerlab/busybox sleep 1d"], ["ex-none"])


def _shared(state):
    state.running("ex-main")
    side = state.running("ex-side")
    if side.shares_stack_of != "ex-main":
        raise NotYet("separate", mode=side.network_mode)


q2 = Task("03.2", _shared,
          ["docker run -d --name ex-main dockerlab/busybox sleep 1d",
           "docker run -d --name ex-side --network container:ex-main dockerlab/busybox sleep 1d"],
          ["ex-main", "ex-side"])


def _host(state):
    container = state.running("ex-h")
    if container.ports and container.network_mode != "host":
        raise NotYet("ports-not-host")
    mode(state, "ex-h", "host", "host")


q3 = Task("03.3", _host, ["docker run -d --name ex-h --network host dockerlab/busybox sleep 1d"], ["ex-h"])

TASKS = [q1, q2, q3]
