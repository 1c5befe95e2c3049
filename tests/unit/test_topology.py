"""The topology model, its JSON and packet paths, on recorded engine facts (no engine)."""
from __future__ import annotations

import json
from pathlib import Path

import networkx as nx
import pytest

from dockerlab.model.topology import LAYERS, Topology
from tests.unit.fakes import bridge_facts

RECORDED = json.loads((Path(__file__).parent / "data" / "rich-topology.json").read_text())


@pytest.fixture(scope="module")
def rich() -> Topology:
    return Topology.from_facts(RECORDED)


def test_network_modes_for_every_driver(rich):
    modes = {name: c.network_mode for name, c in rich.containers.items()}
    assert modes == {"r-a1": "bridge", "r-ab": "bridge", "r-b1": "bridge", "r-d1": "bridge", "r-hst": "host",
                     "r-mv1": "macvlan", "r-mv2": "macvlan", "r-non": "none", "r-shr": "container:r-a1"}


def test_veth_pairs_come_from_ifindex_and_iflink(rich):
    host = {link["name"]: link for link in RECORDED["host_links"]}
    for container in rich.containers.values():
        for interface in container.interfaces:
            if interface.host_peer:
                peer = host[interface.host_peer]
                assert peer["ifindex"] == interface.iflink and peer["iflink"] == interface.ifindex
                assert rich.host_interfaces[interface.host_peer].kind == "veth"


def test_multi_homed_container_has_one_interface_per_network(rich):
    ab = rich.containers["r-ab"]
    assert ab.networks == ["r-net-a", "r-net-b"]
    on = {i.name: (i.network, i.ipv4) for i in ab.interfaces if i.type == "veth"}
    assert on == {"eth0": ("r-net-a", "10.210.1.3/24"), "eth1": ("r-net-b", "10.210.2.3/24")}
    bridges = {rich.host_interfaces[i.host_peer].master for i in ab.interfaces if i.host_peer}
    assert bridges == {rich.networks["r-net-a"].bridge, rich.networks["r-net-b"].bridge}


def test_shared_stack_none_host_and_macvlan(rich):
    assert rich.containers["r-shr"].interfaces == rich.containers["r-a1"].interfaces
    assert rich.containers["r-shr"].shares_stack_of == "r-a1"
    assert [(i.name, i.ipv4) for i in rich.containers["r-non"].interfaces] == [("lo", "127.0.0.1/8")]
    assert rich.containers["r-hst"].interfaces == []
    mv1 = rich.containers["r-mv1"].interface_on("r-mac")
    assert mv1.type == "macvlan" and mv1.host_peer is None and mv1.ipv4 == "10.210.3.2/24"
    assert rich.networks["r-mac"].parent == "dl-mvp0r"


def test_json_format_is_documented_and_stable(rich):
    data = rich.to_dict()
    assert set(data) == {"version", "uplink", "host_interfaces", "networks", "containers"}
    assert data["version"] == 1 and data["uplink"] == "eth0"
    for host in data["host_interfaces"]:
        assert {"name", "kind", "master"} <= set(host) and host["kind"] in ("bridge", "veth", "other")
    for network in data["networks"]:
        assert {"name", "driver", "subnet", "gateway", "bridge"} <= set(network)
    for container in data["containers"]:
        assert {"name", "network_mode", "interfaces"} <= set(container)
        for interface in container["interfaces"]:
            assert {"name", "mac", "ipv4", "network", "host_peer"} <= set(interface)
    assert json.loads(json.dumps(data)) == data
    assert [c["name"] for c in data["containers"]] == sorted(c["name"] for c in data["containers"])
    default = next(n for n in data["networks"] if n["name"] == "bridge")
    assert default == {"name": "bridge", "driver": "bridge", "subnet": "172.17.0.0/16", "gateway": "172.17.0.1",
                       "bridge": "docker0", "parent": None, "internal": False}


def test_graph_layers_and_edges(rich):
    graph = rich.graph
    assert {data["layer"] for _, data in graph.nodes(data=True)} == set(LAYERS)
    a1 = rich.containers["r-a1"].interface_on("r-net-a")
    bridge = rich.networks["r-net-a"].bridge
    assert graph.edges[f"host:{bridge}", f"host:{a1.host_peer}"]["kind"] == "port"
    assert graph.edges[f"host:{a1.host_peer}", "if:r-a1/eth0"]["kind"] == "veth-pair"
    assert graph.edges["if:r-a1/eth0", "container:r-shr"]["kind"] == "shares"
    assert graph.edges["host:dl-mvp0r", "if:r-mv1/eth0"]["kind"] == "macvlan"
    assert nx.has_path(graph, "container:r-d1", "host:eth0")


def test_paths_and_why_there_is_none(rich):
    path = rich.path("r-a1", "r-ab")
    a1, ab = rich.containers["r-a1"].interfaces[0], rich.containers["r-ab"].interfaces[0]
    assert path.hops == ["container:r-a1", "if:r-a1/eth0", f"host:{a1.host_peer}",
                         f"host:{rich.networks['r-net-a'].bridge}", f"host:{ab.host_peer}", "if:r-ab/eth0",
                         "container:r-ab"]
    assert "veth pair" in str(path)
    assert rich.path("r-mv1", "r-mv2").hops == ["container:r-mv1", "if:r-mv1/eth0", "host:dl-mvp0r",
                                                "if:r-mv2/eth0", "container:r-mv2"]
    assert rich.path("r-ab", "r-b1").network == "r-net-b"
    for a, b, reason in [("r-a1", "r-b1", "no network in common"), ("r-non", "r-a1", "only lo"),
                         ("r-a1", "ghost", "not a running container")]:
        missing = rich.path(a, b)
        assert not missing.exists and reason in missing.reason and reason in str(missing)


def test_a_shared_stack_talks_over_lo_and_host_mode_through_the_bridge(rich):
    shared = rich.path("r-shr", "r-a1")
    assert shared.exists and shared.network == "lo" and shared.hops[1] == "if:r-a1/lo"
    assert "over lo" in str(shared)
    d1 = rich.containers["r-d1"].interface_on("bridge")
    out = rich.path("r-hst", "r-d1")  # the host's stack owns docker0: its address is the gateway
    assert out.hops == ["container:r-hst", "host:docker0", f"host:{d1.host_peer}", "if:r-d1/eth0", "container:r-d1"]
    assert "172.17.0.1" in str(out) and "docker0" in str(out)
    back = rich.path("r-d1", "r-hst")
    assert back.hops == ["container:r-d1", "if:r-d1/eth0", f"host:{d1.host_peer}", "host:docker0",
                         "container:r-hst"]
    assert rich.path("r-hst", "r-hst").network == "lo"


def test_a_topology_comes_back_from_its_json(rich):
    again = Topology.from_dict(rich.to_dict())
    assert again.to_dict() == rich.to_dict() and again.path("r-a1", "r-ab").hops == rich.path("r-a1", "r-ab").hops


def test_focus_keeps_only_what_leads_to_the_chosen_containers(rich):
    focused = rich.focus(["r-shr", "r-b1"])
    assert sorted(focused.containers) == ["r-a1", "r-b1", "r-shr"]
    assert sorted(focused.networks) == ["r-net-a", "r-net-b"]
    kinds = sorted(h.kind for h in focused.host_interfaces.values())
    assert kinds == ["bridge", "bridge", "other", "veth", "veth"]


def test_a_stopped_container_takes_its_stack_and_the_host_ends_of_its_veths_with_it(rich):
    ab = rich.containers["r-ab"]
    peers = {i.host_peer for i in ab.interfaces if i.host_peer}
    assert len(peers) == 2 and peers <= set(rich.host_interfaces)
    smaller = rich.without("r-ab")
    assert "r-ab" not in smaller.containers and not peers & set(smaller.host_interfaces)
    assert set(smaller.containers) == set(rich.containers) - {"r-ab"}
    assert set(smaller.host_interfaces) == set(rich.host_interfaces) - peers
    assert smaller.networks == rich.networks  # a network outlives its containers
    assert rich.without("not-there") is rich


def test_large_made_up_topology():
    topology = Topology.from_facts(bridge_facts(100, networks=5))
    assert len(topology.containers) == 100
    assert all(c.interfaces[0].host_peer for c in topology.containers.values())
    assert topology.path("c01", "c06").exists and not topology.path("c01", "c02").exists
