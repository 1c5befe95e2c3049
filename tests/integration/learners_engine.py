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
"""
from __future__ import annotations

import contextlib
from dataclasses import dataclass, field

import docker

from dockerlab import labels
from dockerlab.engine.client import Engine
from dockerlab.host import hostlinks, hostshell

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


def build(engine: Engine, prefix: str = "l") -> LearnersEngine:
    """Build the learner's engine (see the module's docstring); ``remove`` takes it down again."""
    client = engine.client
    built = LearnersEngine(prefix)
    shop, blog = f"{prefix}shop", f"{prefix}blog"
    front = _network(client, built, shop, "front")
    back = _network(client, built, shop, "back", internal=True)
    _service(client, built, shop, "web", httpd(80), {front: []}, ports={"80/tcp": ("127.0.0.1", SHOP_PORT)})
    api = _service(client, built, shop, "api", httpd(8000), {front: ["backend"], back: []})
    _service(client, built, shop, "db", httpd(5432), {back: ["database"]})
    _service(client, built, shop, "cache", httpd("127.0.0.1:6379"), {back: []})
    _service(client, built, shop, "sidecar", ["sleep", "1d"], {}, network_mode=f"container:{api}")
    hostlinks.add_veth_pair(engine, f"dl-{prefix}hst0", f"dl-{prefix}hst1", LESSON)
    hostshell.run(engine, ["ip", "addr", "add", f"{HOST_ADDRESS}/32", "dev", f"dl-{prefix}hst0"])
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
    return built


def remove(engine: Engine, built: LearnersEngine) -> None:
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
