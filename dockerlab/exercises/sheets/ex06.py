"""Exercises for lesson 06, the embedded DNS. The sheet sets up the network e6-dns (10.150.0.0/24)."""
from ..task import NotYet, Task
from .common import ipv4, on

SETUP = ["docker network create --subnet 10.150.0.0/24 e6-dns"]


def _named(container, name, network="e6-dns"):
    """``name``, asked on ``network``, answers ``container``'s address there and nothing else."""
    def judge(state):
        state.network(network)
        target = state.running(container)
        linked = "bridge" in target.networks and network not in target.networks
        on(state, container, network, "link" if linked else "network")
        answers, mine = state.resolve(network, name), ipv4(state, container, network)
        if mine not in answers:
            raise NotYet("no-answer" if not answers else "other-answer", hint="alias", name=name,
                         container=container, mine=mine, answers=", ".join(answers))
        if len(answers) > 1:
            raise NotYet("several", name=name, container=container,
                         others=", ".join(a for a in answers if a != mine))
    return judge


q1 = Task("06.1", _named("e6-web", "shop"),
          ["docker run -d --name e6-web --network e6-dns --network-alias shop dockerlab/busybox sleep 1d"],
          ["e6-web"])

q2 = Task("06.2", _named("e6-db", "database"),
          ["docker run -d --name e6-db --network e6-dns --network-alias database dockerlab/busybox sleep 1d"],
          ["e6-db"])

TASKS = [q1, q2]
