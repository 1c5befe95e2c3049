"""Exercises for lesson 09, the three tiers: a task stated as a target topology, and a name for a tier."""
from ..task import NotYet, TargetTopology, Task
from .common import ipv4, on, shared_networks

PLAN = TargetTopology(
    networks={"e9-front": {"subnet": "10.160.1.0/24", "internal": False},
              "e9-back": {"subnet": "10.160.2.0/24", "internal": True}},
    containers={"e9-web": ["e9-front"], "e9-api": ["e9-back", "e9-front"], "e9-db": ["e9-back"]})

q1 = Task("09.1", PLAN.judge,
          ["docker network create --subnet 10.160.1.0/24 e9-front",
           "docker network create --subnet 10.160.2.0/24 --internal e9-back",
           "docker run -d --name e9-db --network e9-back dockerlab/busybox sleep 1d",
           "docker run -d --name e9-api --network e9-back dockerlab/busybox sleep 1d",
           "docker network connect e9-front e9-api",
           "docker run -d --name e9-web --network e9-front dockerlab/busybox sleep 1d"],
          ["e9-front", "e9-back", "e9-web", "e9-api", "e9-db"], target=PLAN)


def _only_for_web(state) -> str | None:
    """How e9-web alone was given the name ``backend`` (a link, or a line in its /etc/hosts), if it was."""
    facts = state.inspect("e9-web")
    if any(host.replace("=", ":").split(":")[0] == "backend" for host in facts.get("extra_hosts", [])):
        return "extra-host"
    if any(link.rsplit(":", 1)[-1].rsplit("/", 1)[-1] == "backend" for link in facts.get("links", [])):
        return "link"
    return None


def _db_answers_front(state) -> list[str]:
    """e9-db's addresses that answer a ping from a container on e9-front, where e9-web is.

    Similar to ``docker run --rm --network e9-front dockerlab/busybox ping -c 1 -W 2 ADDRESS`` for each
    address of ``docker inspect e9-db``: the judge tries the reach that shared networks only suggest.
    """
    db = state.topology.containers.get("e9-db")
    if not db:
        return []
    addresses = [found for network in db.networks if (found := ipv4(state, "e9-db", network))]  # not its lo
    return [address for address in addresses if state.ping("e9-front", address)]


def _backend(state):
    web = state.running("e9-web")
    extra = [n for n in web.networks if n != "e9-front"]
    if extra:
        raise NotYet("web-moved", networks=", ".join(extra))
    on(state, "e9-web", "e9-front", "front")
    if shared_networks(state, "e9-web", "e9-db"):
        raise NotYet("db-reachable", networks=", ".join(shared_networks(state, "e9-web", "e9-db")))
    on(state, "e9-api", "e9-front", "front")
    answers, mine = state.resolve("e9-front", "backend"), ipv4(state, "e9-api", "e9-front")
    if not answers and (how := _only_for_web(state)):
        raise NotYet(f"web-only-{how}", hint="web-only", mine=mine)
    if answers != [mine]:
        raise NotYet("backend-answers" if answers else "backend-unknown", hint="alias", mine=mine,
                     answers=", ".join(answers))
    if reached := _db_answers_front(state):
        raise NotYet("db-answers", addresses=", ".join(reached))


q2 = Task("09.2", _backend,
          ["docker network disconnect e9-front e9-api", "docker network connect --alias backend e9-front e9-api"],
          ["e9-web", "e9-api"], makes=[], builds_on="09.1")

TASKS = [q1, q2]
