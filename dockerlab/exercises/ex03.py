"""Exercises for lesson 03, the drivers."""
from ..checks import NotYet, Task
from .common import mode

q1 = Task("03.1", "No network at all",
          "Run a container `ex-none` that has no network: only the loopback interface.",
          lambda state: mode(state, "ex-none", "none", "none"),
          {"start": "`docker run -d --name ex-none --network none dockerlab/busybox sleep 1d`.",
           "missing": "Name the container ex-none.", "stopped": "Start ex-none again.",
           "none": "Use `--network none`; a container with any other network gets an eth0."},
          ["docker run -d --name ex-none --network none dockerlab/busybox sleep 1d"], ["ex-none"])


def _shared(state):
    state.running("ex-main")
    side = state.running("ex-side")
    if side.shares_stack_of != "ex-main":
        raise NotYet(f"ex-side has a network stack of its own (--network {side.network_mode})", "separate")


q2 = Task("03.2", "One stack for two",
          "Run `ex-main` (on any network), then `ex-side` in ex-main's network stack: same IP, same MAC.",
          _shared,
          {"start": "`docker run -d --name ex-side --network container:ex-main ...`.",
           "missing": "Both ex-main and ex-side must exist.",
           "stopped": "Both must be running: a stopped ex-main has no stack to share.",
           "separate": "Start ex-side with `--network container:ex-main`."},
          ["docker run -d --name ex-main dockerlab/busybox sleep 1d",
           "docker run -d --name ex-side --network container:ex-main dockerlab/busybox sleep 1d"],
          ["ex-main", "ex-side"])


def _host(state):
    container = state.running("ex-h")
    if container.ports and container.network_mode != "host":
        raise NotYet("ex-h publishes ports, but it still has its own network: that is -p, not host mode",
                     "ports-not-host")
    mode(state, "ex-h", "host", "host")


q3 = Task("03.3", "The host's own network",
          "Run a container `ex-h` that uses the host's network directly (no isolation).", _host,
          {"start": "`docker run -d --name ex-h --network host dockerlab/busybox sleep 1d`.",
           "missing": "Name the container ex-h.", "stopped": "Start ex-h again.",
           "ports-not-host": "Publishing ports is not host mode: use `--network host`.",
           "host": "Use `--network host`."},
          ["docker run -d --name ex-h --network host dockerlab/busybox sleep 1d"], ["ex-h"])

TASKS = [q1, q2, q3]
