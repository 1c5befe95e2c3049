"""Exercises for lesson 07, DNS load balancing. The notebook creates the network ex-lb."""
from ..checks import NotYet, Task

BACKENDS = ("ex-api1", "ex-api2", "ex-api3")
SETUP = ["docker network create --subnet 10.155.0.0/24 ex-lb"]


def _answers(state):
    state.network("ex-lb")
    return state.resolve("ex-lb", "api")


def _three(state):
    running = [name for name in BACKENDS if name in state.topology.containers]
    answers = _answers(state)
    if len(answers) < 3:
        raise NotYet(f"the name api has {len(answers)} address(es) on ex-lb, not 3 "
                     f"(running backends: {', '.join(running) or 'none'})", "three")
    for name in BACKENDS:
        interface = state.running(name).interface_on("ex-lb")
        if interface is None or interface.ipv4.split("/")[0] not in answers:
            raise NotYet(f"{name} is not behind the name api on ex-lb", "alias")


q1 = Task("07.1", "Three behind one name",
          "Run `ex-api1`, `ex-api2` and `ex-api3` on `ex-lb`, all three answering to the name `api`.", _three,
          {"start": "Three `docker run` with `--network ex-lb --network-alias api`.",
           "missing": "The three containers must exist (and ex-lb: set-up cell).",
           "stopped": "A stopped container leaves DNS: start it again.",
           "three": "Every backend needs the same `--network-alias api`, and must be running.",
           "alias": "Give that container the alias api on ex-lb (disconnect, then connect with `--alias api`)."},
          [f"docker run -d --name {name} --network ex-lb --network-alias api dockerlab/busybox sleep 1d"
           for name in BACKENDS], list(BACKENDS))


def _two_left(state):
    if "ex-api2" not in state.statuses:
        raise NotYet("ex-api2 was removed; the task asks to keep it (stopped)", "keep")
    if "ex-api2" in state.topology.containers:
        raise NotYet("ex-api2 is still running, so it is still behind the name api", "still-there")
    answers = _answers(state)
    if len(answers) != 2:
        raise NotYet(f"the name api has {len(answers)} address(es) on ex-lb, not 2", "still-there")


q2 = Task("07.2", "Out of the rotation",
          "Take `ex-api2` out of the rotation behind `api` without deleting it.", _two_left,
          {"start": "A stopped container leaves DNS: `docker stop ex-api2`.",
           "missing": "Do task 07.1 first.", "keep": "Run ex-api2 again (07.1), then stop it instead of removing it.",
           "still-there": "Stop ex-api2: `docker stop ex-api2`."},
          ["docker stop ex-api2"], list(BACKENDS))

TASKS = [q1, q2]
