"""Exercises for lesson 05, connect and disconnect. The sheet sets up e5-front, e5-back, e5-app, e5-db."""
from ..task import NotAttempted, NotYet, Task
from .common import address, off, on, shared_networks

SETUP = ["docker network create --subnet 10.130.1.0/24 e5-front",
         "docker network create --subnet 10.130.2.0/24 e5-back",
         "docker run -d --name e5-app --network e5-front dockerlab/busybox sleep 1d",
         "docker run -d --name e5-db --network e5-back dockerlab/busybox sleep 1d"]


def _untouched(state) -> bool:
    """The set-up state exactly: the task has not been tried yet."""
    app, db = state.topology.containers.get("e5-app"), state.topology.containers.get("e5-db")
    return bool(app and db and app.networks == ["e5-front"] and db.networks == ["e5-back"])


def _reach(state):
    if _untouched(state):
        raise NotAttempted()
    off(state, "e5-db", "e5-front", "db-moved")
    on(state, "e5-app", "e5-front", "keep-front")
    if not shared_networks(state, "e5-app", "e5-db"):
        raise NotYet("apart", hint="connect", app=", ".join(state.running("e5-app").networks),
                     db=", ".join(state.running("e5-db").networks))


q1 = Task("05.1", _reach, ["docker network connect e5-back e5-app"], ["e5-app", "e5-db"])


def _chosen(state):
    if _untouched(state):
        raise NotAttempted()
    address(state, "e5-app", "e5-back", "10.130.2.50")


q2 = Task("05.2", _chosen,
          ["docker network disconnect e5-back e5-app", "docker network connect --ip 10.130.2.50 e5-back e5-app"],
          ["e5-app"], needs=["05.1"])

TASKS = [q1, q2]
