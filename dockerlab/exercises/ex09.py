"""Exercises for lesson 09, the three tiers: a task stated as a target topology."""
from ..checks import NotYet, TargetTopology, Task

PLAN = TargetTopology(
    networks={"e9-front": {"subnet": "10.160.1.0/24", "internal": False},
              "e9-back": {"subnet": "10.160.2.0/24", "internal": True}},
    containers={"e9-web": ["e9-front"], "e9-api": ["e9-back", "e9-front"], "e9-db": ["e9-back"]})

q1 = Task("09.1", "Build the plan",
          "Build this: networks `e9-front` (10.160.1.0/24) and `e9-back` (10.160.2.0/24, internal); `e9-web` on "
          "e9-front, `e9-api` on both, `e9-db` on e9-back. The check draws what is missing and what is extra.",
          PLAN.judge,
          {"start": "Two `docker network create` (one with `--internal`), three `docker run`, one "
                    "`docker network connect`.",
           "missing": "Something of the plan is missing: the drawing shows it in red.",
           "extra": "Something is attached that the plan does not have: `docker network disconnect` it."},
          ["docker network create --subnet 10.160.1.0/24 e9-front",
           "docker network create --subnet 10.160.2.0/24 --internal e9-back",
           "docker run -d --name e9-db --network e9-back dockerlab/busybox sleep 1d",
           "docker run -d --name e9-api --network e9-back dockerlab/busybox sleep 1d",
           "docker network connect e9-front e9-api",
           "docker run -d --name e9-web --network e9-front dockerlab/busybox sleep 1d"],
          ["e9-front", "e9-back", "e9-web", "e9-api", "e9-db"], target=PLAN)


def _isolated(state):
    state.running("e9-web")
    state.running("e9-db")
    path = state.topology.path("e9-web", "e9-db")
    if path.exists:
        raise NotYet(f"e9-web reaches e9-db over {path.network}", "isolate")


q2 = Task("09.2", "Isolate the database",
          "Make sure `e9-web` has no path at all to `e9-db` (both running).", _isolated,
          {"start": "Do 09.1 first: then e9-web and e9-db share no network.",
           "missing": "Both e9-web and e9-db must exist.", "stopped": "Both must be running.",
           "isolate": "Disconnect e9-db from every network e9-web is on (or e9-web from e9-db's)."},
          ["# after 09.1 there is nothing left to do: e9-web and e9-db share no network.",
           "# if they do: docker network disconnect NETWORK e9-db"], ["e9-web", "e9-db"])

TASKS = [q1, q2]
