"""`dockerlab snapshot --json` says what `ip` and /sys/class/net say, for every kind of attachment."""
from __future__ import annotations

import json
import re

import pytest

from dockerlab.host import hostlinks, hostshell, probe
from dockerlab.host.enginehost import engine_host
from dockerlab.model.topology import Topology
from tests.conftest import run_cli
from tests.integration import scenario
from tests.integration.scenario import docker

LINK = re.compile(r"^(\d+): ([^:@]+)(?:@(\S+))?: .*?link/(?:ether|loopback) ([0-9a-f:]{17})")
ADDR = re.compile(r"^\d+: (\S+)\s+inet (\S+)")


def ip_view(container: str) -> dict[str, dict]:
    """What `ip -o link` and `ip -o -4 addr` say inside a container (numbers from its own sysfs).

    busybox's `ip` prints the other end's number as a name when a link of that number exists in the
    container too (`eth0@eth1`), so ifindex and iflink are read from the container's /sys/class/net.
    """
    links = {}
    for line in docker("exec", container, "ip", "-o", "link").splitlines():
        match = LINK.match(line)
        if match:
            ifindex, name, _, mac = match.groups()
            iflink = int(docker("exec", container, "cat", f"/sys/class/net/{name}/iflink"))
            links[name] = {"ifindex": int(ifindex), "iflink": iflink, "mac": mac, "ipv4": None}
    for line in docker("exec", container, "ip", "-o", "-4", "addr").splitlines():
        match = ADDR.match(line)
        if match:
            links[match.group(1)]["ipv4"] = match.group(2)
    return links


def sysfs(engine, name: str, attribute: str) -> str:
    """A link's sysfs attribute, read on the engine's host (which need not be this machine)."""
    return hostshell.run(engine, ["cat", f"/sys/class/net/{name}/{attribute}"])[1].strip()


def master_of(engine, name: str) -> str | None:
    """The bridge a link is plugged into, as the engine's host's sysfs says."""
    target = hostshell.run(engine, ["sh", "-c", f"readlink /sys/class/net/{name}/master || true"])[1].strip()
    return target.rsplit("/", 1)[-1] or None


@pytest.fixture(scope="module")
def built(engine):
    from dockerlab.host import cleanup

    lesson = "test-snapshot-truth"
    cleanup.remove(engine, lesson)
    try:
        yield scenario.build(lesson, prefix="s")
    finally:
        cleanup.remove(engine, lesson)


@pytest.fixture(scope="module")
def snapshot_json(built):
    done = run_cli("snapshot", "--json")
    assert done.returncode == 0, done.stderr
    return json.loads(done.stdout)


def test_every_container_interface_matches_ip(engine, built, snapshot_json):
    containers = {c["name"]: c for c in snapshot_json["containers"]}
    checked = 0
    for name in built:
        if containers[name]["network_mode"] == "host":
            continue
        seen = ip_view(name)
        listed = {i["name"]: i for i in containers[name]["interfaces"]}
        assert set(listed) == set(seen), name
        for interface, truth in seen.items():
            mine = listed[interface]
            assert mine["mac"] == truth["mac"], (name, interface)
            assert mine["ipv4"] == truth["ipv4"], (name, interface)
            assert (mine["ifindex"], mine["iflink"]) == (truth["ifindex"], truth["iflink"]), (name, interface)
            if mine["host_peer"]:
                # the host end: its ifindex is our iflink, its iflink our ifindex (what /sys/class/net says)
                assert int(sysfs(engine, mine["host_peer"], "ifindex")) == truth["iflink"]
                assert int(sysfs(engine, mine["host_peer"], "iflink")) == truth["ifindex"]
            checked += 1
    assert checked >= 15


def test_host_peers_exist_exactly_for_bridge_veths(built, snapshot_json):
    containers = {c["name"]: c for c in snapshot_json["containers"]}
    for name in ["s-d1", "s-a1", "s-ab", "s-b1"]:
        assert all(i["host_peer"] for i in containers[name]["interfaces"] if i["name"] != "lo"), name
    for name in ["s-mv1", "s-mv2", "s-non"]:
        assert not any(i["host_peer"] for i in containers[name]["interfaces"]), name
    assert containers["s-shr"]["network_mode"] == "container:s-a1"
    assert containers["s-shr"]["interfaces"] == containers["s-a1"]["interfaces"]
    assert containers["s-hst"]["network_mode"] == "host" and containers["s-hst"]["interfaces"] == []
    assert [i["name"] for i in containers["s-non"]["interfaces"]] == ["lo"]
    assert [i["network"] for i in containers["s-ab"]["interfaces"] if i["name"] != "lo"] == ["s-net-a", "s-net-b"]


def test_every_host_veth_master_matches_sysfs(engine, built, snapshot_json):
    veths = [h for h in snapshot_json["host_interfaces"] if h["kind"] == "veth"]
    assert len(veths) >= 6
    for veth in veths:
        assert veth["master"] == master_of(engine, veth["name"]), veth["name"]
    bridges = {h["name"] for h in snapshot_json["host_interfaces"] if h["kind"] == "bridge"}
    networks = {n["name"]: n for n in snapshot_json["networks"]}
    assert {"docker0", networks["s-net-a"]["bridge"], networks["s-net-b"]["bridge"]} <= bridges
    assert networks["s-mac"]["driver"] == "macvlan" and networks["s-mac"]["parent"] == "dl-mvp0s"


def test_helper_container_reader_agrees_with_local_reader(engine, built):
    helper = Topology.from_facts(probe.gather(engine, reader="helper")).to_dict()
    if engine_host(engine).direct:
        local = Topology.from_facts(probe.gather(engine, reader="local")).to_dict()
        assert helper == local
    else:
        # the engine's host is not this process's own: the host's own `ip` there is the other reader
        assert {link["name"] for link in helper["host_interfaces"]} == set(hostlinks.aliases(engine))
    engine.remove_container(probe.HELPER_NAME)


def test_the_snapshot_is_of_the_engines_host(engine, snapshot_json):
    """Its bridges are the engine's own: with an engine elsewhere, this machine's links are not in it."""
    assert {link["name"] for link in snapshot_json["host_interfaces"]} == set(hostlinks.aliases(engine))


def test_snapshot_of_one_lesson_and_drawing_files(built, tmp_path):
    done = run_cli("snapshot", "--lesson", "test-snapshot-truth", "--save", str(tmp_path / "t.svg"),
                   "--save", str(tmp_path / "t.png"))
    assert done.returncode == 0, done.stderr
    assert "s-ab" in (tmp_path / "t.svg").read_text()
    assert (tmp_path / "t.png").read_bytes()[:4] == b"\x89PNG"
    summary = run_cli("snapshot", "--lesson", "test-snapshot-truth").stdout
    assert summary.startswith("Diagram: 9 container(s)") and "s-mv1:eth0 10.210.3." in summary
