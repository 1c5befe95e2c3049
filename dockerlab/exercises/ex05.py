"""Exercises for lesson 05, connect and disconnect. The notebook sets up e5-front, e5-back, e5-app, e5-db."""
from ..checks import NotAttempted, NotYet, Task
from .common import address, on

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
    on(state, "e5-db", "e5-back")
    if "e5-front" in state.running("e5-db").networks:
        raise NotYet("e5-db was connected to e5-front: the task asks to keep the database off it", "db-moved")
    on(state, "e5-app", "e5-front", "keep-front")
    on(state, "e5-app", "e5-back", "connect")


q1 = Task("05.1", "Reach the database",
          "`e5-app` runs on `e5-front`, `e5-db` on `e5-back`. Let e5-app reach e5-db, keeping e5-app on e5-front "
          "and without connecting e5-db to e5-front.", _reach,
          {"start": "`docker network connect NETWORK CONTAINER` adds a network to a running container.",
           "missing": "Run the set-up cell first: it makes e5-front, e5-back, e5-app and e5-db.",
           "stopped": "Both containers must be running.",
           "network": "e5-db must stay on e5-back.",
           "connect": "Connect e5-app to e5-back: `docker network connect e5-back e5-app`.",
           "keep-front": "e5-app must stay on e5-front: connect it again with `docker network connect e5-front e5-app`.",
           "db-moved": "Disconnect e5-db from e5-front: `docker network disconnect e5-front e5-db`."},
          ["docker network connect e5-back e5-app"], ["e5-app", "e5-db"])

def _chosen(state):
    if _untouched(state):
        raise NotAttempted()
    address(state, "e5-app", "e5-back", "10.130.2.50")


q2 = Task("05.2", "A chosen address on connect",
          "Make e5-app's address on `e5-back` exactly `10.130.2.50`.", _chosen,
          {"start": "`docker network connect --ip 10.130.2.50 e5-back e5-app` (disconnect first if connected).",
           "missing": "Run the set-up cell first.", "stopped": "e5-app must be running.",
           "network": "Connect e5-app to e5-back.",
           "address": "Disconnect e5-app from e5-back, then connect it again with `--ip 10.130.2.50`."},
          ["docker network disconnect e5-back e5-app", "docker network connect --ip 10.130.2.50 e5-back e5-app"],
          ["e5-app"])

TASKS = [q1, q2]
