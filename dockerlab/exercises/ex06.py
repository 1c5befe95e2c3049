"""Exercises for lesson 06, the embedded DNS. The notebook creates the network e6-dns (10.150.0.0/24)."""
from ..checks import NotYet, Task

SETUP = ["docker network create --subnet 10.150.0.0/24 e6-dns"]


def _named(container, name, network="e6-dns"):
    def judge(state):
        if "e6-dns" not in state.topology.networks:
            raise NotYet("there is no network e6-dns: run the set-up cell", "missing")
        target = state.running(container)
        if network not in target.networks:
            hint = "link" if "bridge" in target.networks and target.network_mode == "bridge" else "network"
            raise NotYet(f"{container} is not on {network} (it is on {', '.join(target.networks)})", hint)
        answers = state.resolve(network, name)
        mine = target.interface_on(network).ipv4.split("/")[0]
        if mine not in answers:
            where = f"answers {', '.join(answers)}" if answers else "has no answer"
            raise NotYet(f"on {network}, the name {name} {where}, not {container}'s {mine}", "alias")
    return judge


q1 = Task("06.1", "A second name",
          "Make the container `e6-web`, on `e6-dns`, answer to the name `shop` for every container on e6-dns.",
          _named("e6-web", "shop"),
          {"start": "`--network-alias shop` when you run e6-web on e6-dns (or `--alias` on connect).",
           "missing": "e6-web must exist, and the network e6-dns (set-up cell).", "stopped": "Start e6-web.",
           "network": "Run e6-web on e6-dns: names are per network.",
           "link": "`--link` only writes /etc/hosts of one container on the default bridge; use e6-dns.",
           "alias": "Give e6-web the alias on e6-dns itself: `--network-alias shop` (the alias is per network)."},
          ["docker run -d --name e6-web --network e6-dns --network-alias shop dockerlab/busybox sleep 1d"],
          ["e6-web"])

q2 = Task("06.2", "Find the database",
          "Run a container `e6-db` that every container on `e6-dns` finds under the name `database`.",
          _named("e6-db", "database"),
          {"start": "Run e6-db on e6-dns with `--network-alias database`.",
           "missing": "e6-db must exist, and the network e6-dns.", "stopped": "Start e6-db.",
           "network": "e6-db must be on e6-dns.",
           "link": "`--link e6-db:database` is the legacy way and works only for one container on the default "
                   "bridge: put e6-db on e6-dns with an alias instead.",
           "alias": "Add the alias `database` on e6-dns: `--network-alias database`."},
          ["docker run -d --name e6-db --network e6-dns --network-alias database dockerlab/busybox sleep 1d"],
          ["e6-db"])

TASKS = [q1, q2]
