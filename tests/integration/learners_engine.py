"""A learner's own engine, as no lesson builds it: what ``dockerlab explain`` and ``dockerlab why`` are tested on.

Everything here is made the way a learner's tools make it — no label of the course — except the veth pair
that stands in for a LAN card (a host link the course makes and labels, so nothing touches the machine's
own network):

- a Compose project ``<p>shop`` built with Compose's own labels and names: networks ``<p>shop_front`` and
  ``<p>shop_back`` (``--internal``); services ``web`` (published on 127.0.0.1), ``api`` (on both networks,
  alias ``backend`` on front), ``db`` (alias ``database``), ``cache`` (listening on its own 127.0.0.1 only)
  and ``sidecar`` (``network_mode: service:api``, i.e. ``--network container:``);
- a second project ``<p>blog`` whose ``app`` is published on an address the course gives the host;
- on the default bridge, ``<p>plain1`` and ``<p>plain2`` (``--link <p>plain1:olddb``);
- ``<p>hostsvc`` with ``--network host`` (listening on 127.0.0.1 only), ``<p>lonely`` with ``--network none``;
- a macvlan network ``<p>lan`` on a parent the test makes, with ``<p>mv1`` (a web server) and ``<p>mv2``;
- a network ``<p>quiet`` created with ``enable_icc=false``, with ``<p>q1`` and ``<p>q2`` (a web server).

Servers are busybox ``httpd`` (TCP), so a probe's connection is answered or refused by a real program.
``python -m tests.integration.learners_engine FILE`` builds it, records what ``dockerlab why`` reads (the
engine's facts, each container's details, the host's firewall, sockets and routes) for the unit tests, and
takes it down again.
"""
from __future__ import annotations

import contextlib
from dataclasses import dataclass, field

import docker

from dockerlab import labels
from dockerlab.engine.client import Engine
from dockerlab.host import hostlinks
from dockerlab.host.session import LiveSession, Session

IMAGE = labels.BUSYBOX_IMAGE
LESSON = "test-learners-engine"  # the label of the one thing the course makes here: the macvlan parent
SHOP_PORT, BLOG_PORT, HOST_PORT = 18080, 13000, 17000
HOST_ADDRESS = "198.18.7.1"  # an address the test gives the host (198.18.0.0/15: for benchmarking, never routed)


def httpd(port: int | str) -> list[str]:
    return ["httpd", "-f", "-p", str(port), "-h", "/var/www"]


@dataclass
class LearnersEngine:
    """What was built: names by role, and the SDK objects to remove."""

    prefix: str
    made: list = field(default_factory=list)

    def name(self, role: str) -> str:
        return f"{self.prefix}{role}"


def _compose_labels(project: str, service: str, number: int = 1) -> dict[str, str]:
    return {"com.docker.compose.project": project, "com.docker.compose.service": service,
            "com.docker.compose.container-number": str(number), "com.docker.compose.oneoff": "False",
            "com.docker.compose.version": "2.40.3"}


def _network(client, built: LearnersEngine, project: str | None, key: str, **options):
    name = f"{project}_{key}" if project else built.name(key)
    made = client.networks.create(name, check_duplicate=True, labels={
        "com.docker.compose.project": project, "com.docker.compose.network": key} if project else {}, **options)
    built.made.append(made)
    return name


def _service(client, built: LearnersEngine, project: str, service: str, command: list[str],
             networks: dict[str, list[str]], **options):
    """A container as Compose makes it: ``PROJECT-SERVICE-1``, aliases ``[container, service, extra...]``."""
    name = f"{project}-{service}-1"
    first, *others = list(networks.items()) or [(None, [])]
    kwargs = dict(options)
    if first[0] is not None:
        kwargs["network"] = first[0]
        kwargs["networking_config"] = {first[0]: client.api.create_endpoint_config(
            aliases=[name, service, *first[1]])}
    made = client.containers.run(IMAGE, command, name=name, detach=True, labels=_compose_labels(project, service),
                                 dns=["127.0.0.1"] if "network_mode" not in options else None, **kwargs)
    built.made.append(made)
    for network, extra in others:
        client.networks.get(network).connect(made, aliases=[name, service, *extra])
    return name


def _plain(client, built: LearnersEngine, role: str, command: list[str] | None = None, **options):
    made = client.containers.run(IMAGE, command or ["sleep", "1d"], name=built.name(role), detach=True, **options)
    built.made.append(made)
    return made


def build(engine: LiveSession, prefix: str = "l") -> LearnersEngine:
    """Build the learner's engine (see the module's docstring); ``remove`` takes it down again. A build that
    fails half-way takes down what it made."""
    built = LearnersEngine(prefix)
    try:
        _build(engine, built)
    except BaseException:
        remove(engine, built)
        raise
    return built


def _build(engine: LiveSession, built: LearnersEngine) -> None:
    client, prefix = engine.client, built.prefix
    shop, blog = f"{prefix}shop", f"{prefix}blog"
    front = _network(client, built, shop, "front")
    back = _network(client, built, shop, "back", internal=True)
    _service(client, built, shop, "web", httpd(80), {front: []}, ports={"80/tcp": ("127.0.0.1", SHOP_PORT)})
    api = _service(client, built, shop, "api", httpd(8000), {front: ["backend"], back: []})
    _service(client, built, shop, "db", httpd(5432), {back: ["database"]})
    _service(client, built, shop, "cache", httpd("127.0.0.1:6379"), {back: []})
    _service(client, built, shop, "sidecar", ["sleep", "1d"], {}, network_mode=f"container:{api}")
    hostlinks.add_veth_pair(engine, f"dl-{prefix}hst0", f"dl-{prefix}hst1", LESSON)
    engine.host(["ip", "addr", "add", f"{HOST_ADDRESS}/32", "dev", f"dl-{prefix}hst0"])
    blog_default = _network(client, built, blog, "default")
    _service(client, built, blog, "app", httpd(3000), {blog_default: []}, ports={"3000/tcp": (HOST_ADDRESS, BLOG_PORT)})
    _plain(client, built, "plain1", httpd(80), dns=["127.0.0.1"])
    _plain(client, built, "plain2", links={built.name("plain1"): "olddb"}, dns=["127.0.0.1"])
    _plain(client, built, "hostsvc", httpd(f"127.0.0.1:{HOST_PORT}"), network_mode="host")
    _plain(client, built, "lonely", network_mode="none")
    hostlinks.add_veth_pair(engine, f"dl-{prefix}mvp0", f"dl-{prefix}mvp1", LESSON)
    lan = _network(client, built, None, "lan", driver="macvlan", options={"parent": f"dl-{prefix}mvp0"},
                   ipam=docker.types.IPAMConfig(pool_configs=[docker.types.IPAMPool(subnet="10.231.7.0/24")]))
    _plain(client, built, "mv1", httpd(80), network=lan, dns=["127.0.0.1"])
    _plain(client, built, "mv2", network=lan, dns=["127.0.0.1"])
    quiet = _network(client, built, None, "quiet", options={"com.docker.network.bridge.enable_icc": "false"})
    _plain(client, built, "q1", network=quiet, dns=["127.0.0.1"])
    _plain(client, built, "q2", httpd(80), network=quiet, dns=["127.0.0.1"])


def remove(engine: Session, built: LearnersEngine) -> None:
    """Take it all down by ID (containers first), and the host links the course made for it."""
    from dockerlab.host import cleanup

    for thing in reversed(built.made):
        with contextlib.suppress(docker.errors.NotFound, docker.errors.APIError):
            if isinstance(thing, docker.models.containers.Container):
                thing.remove(force=True, v=True)
    for thing in reversed(built.made):
        with contextlib.suppress(docker.errors.NotFound, docker.errors.APIError):
            if isinstance(thing, docker.models.networks.Network):
                thing.remove()
    cleanup.remove(engine, LESSON)


def record(engine: LiveSession) -> dict:
    """What ``dockerlab explain`` and ``dockerlab why`` read of this engine, as JSON-able data."""
    from dockerlab.explain import reading
    from dockerlab.host.enginehost import engine_host
    from dockerlab.model.topology import Topology

    facts = engine.snapshot_facts()
    details = reading.details(engine, sorted(Topology.from_facts(facts).containers))
    return {"version": str(engine.version().get("Version", "")), "where": engine_host(engine).where,
            "facts": facts, "details": details,
            "host": reading.host_text(engine, sorted({d["Pid"] for d in details.values() if d["Pid"]}))}


if __name__ == "__main__":
    import json
    import sys

    engine = LiveSession(Engine.connect(), labels.TESTS)
    built = build(engine)
    try:
        with open(sys.argv[1], "w") as out:
            json.dump(record(engine), out, indent=1, sort_keys=True)
    finally:
        remove(engine, built)


# The questions ``dockerlab why`` is tested on, and the answer for each: (source, target, port) -> (reachable,
# where it stops or how it arrives). ``{db@back}`` stands for that container's address on that network of the
# project (``<p>shop-db-1`` on ``<p>shop_back``), ``{front-gateway}`` for the network's gateway. Where engines
# differ, the answer names the first version it holds from.
QUESTIONS = [
    (("shop-web-1", "backend", "8000"), (True, "reached-bridge")),
    (("shop-web-1", "db", "5432"), (False, "name-unknown")),
    (("shop-web-1", "{db@back}:5432", None), (False, "internal")),
    (("shop-api-1", "db", "5432"), (True, "reached-bridge")),
    (("shop-api-1", "shop-cache-1", "6379"), (False, "listening-loopback")),
    (("shop-db-1", "{web@front}:80", None), (False, "internal")),
    (("shop-sidecar-1", "database", "5432"), (True, "reached-bridge")),
    (("shop-web-1", "shop-api-1", "9999"), (False, "not-listening")),
    (("plain2", "olddb", "80"), (True, "reached-bridge")),
    (("plain1", "plain2", None), (False, "name-default-bridge")),
    (("plain1", "{plain2@bridge}", None), (True, "reached-bridge")),
    (("mv1", "mv2", None), (True, "reached-layer")),
    (("mv2", "mv1", "80"), (True, "reached-layer")),
    (("host", "mv1", "80"), (False, "macvlan-host")),
    (("q1", "q2", "80"), (False, "icc-off")),
    (("hostsvc", "shop-web-1", "80"), (False, "name-host-mode")),
    (("shop-web-1", "{front-gateway}:17000", None), (False, "listening-loopback")),
    (("host", "hostsvc", "17000"), (True, "same-stack")),
    (("host", "shop-web-1", "18080"), (True, "reached-published")),
    (("host", "shop-db-1", "5432"), (False, "not-published")),
    (("outside", "shop-web-1", "18080"), {"20": (True, "reached-published"), "26": (True, "reached-published"),
                                          "28": (False, "published-loopback")}),
    (("outside", "blog-app-1", "13000"), (True, "reached-published")),
    (("outside", "shop-db-1", "5432"), (False, "not-published")),
    (("lonely", "plain1", "80"), (False, "none-mode")),
    (("shop-web-1", "blog-app-1", "3000"), (False, "name-unknown")),
]
_ROLES = {"db": "shop-db-1", "web": "shop-web-1", "plain2": "plain2"}
_NETWORKS = {"back": "shop_back", "front": "shop_front", "bridge": None}


def question(emap, prefix: str, asked: tuple) -> tuple[str, str, str | None]:
    """One of :data:`QUESTIONS` in the names and addresses of the engine ``emap`` maps (built with ``prefix``)."""
    source, target, port = asked
    source = source if source in ("host", "outside") else prefix + source

    def address(match) -> str:
        role, _, network = match.group(1).partition("@")
        if role.endswith("gateway"):
            return emap.networks[f"{prefix}shop_{role.split('-')[0]}"].gateway
        net = f"{prefix}{_NETWORKS[network]}" if _NETWORKS[network] else network
        return emap.members[prefix + _ROLES[role]].endpoint(net).ipv4

    import re
    target = re.sub(r"\{([^}]+)\}", address, target)
    if not target[0].isdigit() and target.split(":")[0] not in ("backend", "db", "database", "olddb"):
        target = prefix + target
    return source, target, port


def answer(expected, version: str) -> tuple[bool, str]:
    """The expected answer on an engine of ``version`` (``28.5.2``)."""
    if isinstance(expected, tuple):
        return expected
    major = int(version.split(".")[0])
    return next(expected[key] for key in sorted(expected, key=int, reverse=True) if major >= int(key))
