"""Snapshots, cleanup, image decisions, the lab cluster's helpers and the watcher, on the fake engine."""
from __future__ import annotations

import json
import re
import time
from pathlib import Path

import pytest

from dockerlab import errors, labels
from dockerlab.engine import images
from dockerlab.host import cleanup, cluster, probe
from dockerlab.host.watch import Watcher, is_change
from dockerlab.labels import HOST_LINK_ALIAS_PREFIX
from dockerlab.model.topology import Topology
from tests.unit.fake_engine import FakeAPIClient, answer_as_the_host, fake_engine

LESSON = "02-veth-pairs"


@pytest.fixture
def engine():
    return fake_engine(prepare=answer_as_the_host)


def test_engine_facts_are_trimmed_to_what_a_topology_needs(engine):
    engine.run(labels.BUSYBOX_IMAGE, ["sleep", "1d"], lesson=LESSON, name="c1", ports={"80/tcp": ("", 8080)})
    engine.api.create_container(labels.BUSYBOX_IMAGE, ["true"], name="stopped")
    containers, networks = probe.engine_facts(engine)
    assert [labels.container_name(c) for c in containers] == ["c1"]  # running ones only
    assert set(containers[0]) == {"Id", "Names", "Image", "Labels", "State", "NetworkMode", "Ports", "Networks"}
    assert containers[0]["Ports"] == [{"IP": "", "PrivatePort": 80, "PublicPort": 8080, "Type": "tcp"}]
    assert containers[0]["Networks"]["bridge"]["IPAddress"] == "172.17.0.2"
    assert {n["Name"] for n in networks} == {"bridge", "host", "none"}


def test_a_snapshot_through_the_helper_pairs_each_eth0_with_its_veth(engine):
    engine.run(labels.BUSYBOX_IMAGE, ["sleep", "1d"], lesson=LESSON, name="c1")
    engine.run(labels.BUSYBOX_IMAGE, ["sleep", "1d"], lesson=LESSON, name="c2")
    facts = probe.gather(engine, reader="helper")
    assert facts["reader"] == "helper" and facts["uplink"] == "eth0"
    assert probe.HELPER_NAME not in {labels.container_name(c) for c in facts["containers"]}
    assert engine.container(probe.HELPER_NAME)["Config"]["Labels"][labels.LESSON] == probe.HELPER_LESSON
    topology = Topology.from_facts(facts)
    assert sorted(topology.containers) == ["c1", "c2"]
    peers = {name: next(i.host_peer for i in container.interfaces if i.name == "eth0")
             for name, container in topology.containers.items()}
    assert peers == {"c1": "veth0000000", "c2": "veth0000001"}
    assert topology.containers["c1"].lesson == LESSON


def test_a_lessons_snapshot_leaves_other_containers_out(engine, monkeypatch):
    monkeypatch.setenv("DOCKERLAB_PROBE", "helper")
    engine.run(labels.BUSYBOX_IMAGE, ["sleep", "1d"], lesson=LESSON, name="mine")
    engine.api.create_container(labels.BUSYBOX_IMAGE, ["sleep", "1d"], name="learners")
    engine.api.start("learners")
    assert sorted(probe.snapshot(engine).containers) == ["learners", "mine"]
    assert sorted(probe.snapshot(engine, LESSON).containers) == ["mine"]


def _host_links(api: FakeAPIClient, links: dict[str, str]) -> None:
    """Host commands through the helper container answer as a host with these links (name: ifalias)."""
    def on_run(image: str, command: list[str]) -> tuple[int, str] | None:
        script = command[-1]
        if script == "ip -o link show":
            return 0, "".join(f"{index}: {name}: <BROADCAST,UP> mtu 1500 qdisc noqueue state UP \\"
                              f"    link/ether 02:42:0a:00:00:{index:02x} brd ff:ff:ff:ff:ff:ff"
                              + (f"\\    alias {alias}" if alias else "") + "\n"
                              for index, (name, alias) in enumerate(links.items(), start=1))
        deleted = re.search(r"ip link del dev (\S+)", script)
        if deleted:
            links.pop(deleted.group(1).strip("'"), None)
            return 0, ""
        return None
    api.run_handler = on_run


def test_cleanup_finds_and_removes_only_the_courses_objects(engine):
    links = {"eth0": "", "dl-out": HOST_LINK_ALIAS_PREFIX + LESSON, "dl-other": HOST_LINK_ALIAS_PREFIX + "08",
             "learners0": "mine"}
    _host_links(engine.api, links)
    engine.create_network("n1", lesson=LESSON)
    engine.run(labels.BUSYBOX_IMAGE, ["sleep", "1d"], lesson=LESSON, name="c1", network="n1")
    engine.api.create_container(labels.BUSYBOX_IMAGE, ["sleep", "1d"], name="learners")
    assert cleanup.find(engine, LESSON) == {"containers": ["c1"], "networks": ["n1"], "volumes": [],
                                            "host_links": ["dl-out"]}
    assert cleanup.reset(engine, LESSON, dry_run=True) == cleanup.find(engine, LESSON)
    assert cleanup.remove(engine, LESSON) == {"containers": ["c1"], "networks": ["n1"], "volumes": [],
                                              "host_links": ["dl-out"]}
    assert "dl-other" in links and "learners0" in links
    assert engine.container("learners")
    assert cleanup.find(engine, LESSON) == {"containers": [], "networks": [], "volumes": []}


def test_images_present_are_kept_and_a_learners_image_is_never_replaced():
    engine = fake_engine()
    assert images.ensure_images(engine, progress=print) == [images.Made(labels.BUSYBOX_IMAGE, "present")]
    learners = fake_engine(images=())
    learners.api.add_image(labels.BUSYBOX_IMAGE, {"maintainer": "me"})
    with pytest.raises(errors.NotTheLabs):
        images.ensure_images(learners, progress=print)


def test_an_old_recipe_is_rebuilt(monkeypatch):
    engine = fake_engine(images=())
    engine.api.add_image(labels.BUSYBOX_IMAGE, {labels.RECIPE: "busybox-0"})
    seen: list[str] = []
    made = images.ensure_images(engine, source="pull", progress=seen.append)
    assert made == [images.Made(labels.BUSYBOX_IMAGE, "pull")]
    assert seen[0] == f"$ docker pull {labels.PUBLIC_BUSYBOX}" and seen[-1].endswith("is ready (pull)")
    assert labels.of(engine.image(labels.BUSYBOX_IMAGE))[labels.RECIPE] == images.RECIPE_VERSION
    with pytest.raises(errors.ImageUnavailable):
        images.choose_source("ftp")


def test_the_node_image_comes_from_dind_where_it_cannot_be_built(monkeypatch):
    engine = fake_engine()
    made = images.ensure_node_image(engine, source="pull", progress=lambda line: None)
    assert made == images.Made(images.NODE_IMAGE, "pull")
    assert images.ensure_node_image(engine, progress=lambda line: None).how == "present"


def _swarm(api: FakeAPIClient, ready: set[str]) -> None:
    def on_exec(container: str, command: list[str]) -> tuple[int, str]:
        if command[:3] == ["docker", "node", "ls"]:
            return 0, "".join(f"{host} {'Ready' if host in ready else 'Down'} {'Leader' if host == 'node1' else ''}\n"
                              for host in ("node1", "node2"))
        return 0, ""
    api.exec_handler = on_exec


def test_cluster_status_reads_roles_and_readiness():
    engine = fake_engine(images=(labels.BUSYBOX_IMAGE, images.NODE_IMAGE), prepare=lambda api: _swarm(api, {"node1"}))
    for index in (2, 1):
        engine.run(images.NODE_IMAGE, ["dockerd"], lesson=cluster.DEFAULT_LESSON, name=cluster.node_name(index))
    engine.run(labels.BUSYBOX_IMAGE, ["sleep", "1d"], lesson=cluster.DEFAULT_LESSON, name="dl-nodes-helper")
    found = cluster.status(engine, cluster.DEFAULT_LESSON)
    assert [(n.name, n.hostname, n.address, n.role, n.ready) for n in found] == [
        ("dl-node1", "node1", "10.199.0.11", "manager", True), ("dl-node2", "node2", "10.199.0.12", "worker", False)]


def test_cluster_up_refuses_a_size_below_one():
    with pytest.raises(errors.CommandRefused):
        cluster.up(fake_engine(), nodes=0, progress=lambda line: None)


def test_a_cluster_that_cannot_start_leaves_nothing():
    engine = fake_engine(images=(labels.BUSYBOX_IMAGE, images.NODE_IMAGE))
    engine.api.run_handler = lambda image, command: (1, "") if command == ["true"] else None  # no rights at all
    with pytest.raises(errors.CommandRefused):
        cluster.up(engine, nodes=2, progress=lambda line: None)
    assert engine.labelled() == {"containers": [], "networks": [], "volumes": []}


def test_the_watcher_hands_on_a_topology_after_each_change(engine, monkeypatch):
    monkeypatch.setenv("DOCKERLAB_PROBE", "helper")
    monkeypatch.setattr("dockerlab.host.watch.Engine.connect", lambda url=None: engine)
    shown = []
    watcher = Watcher(engine, LESSON, on_topology=shown.append, debounce=0)
    assert watcher.refresh().containers == {} and watcher.refreshes == 1
    engine.run(labels.BUSYBOX_IMAGE, ["sleep", "1d"], lesson=LESSON, name="c1")
    watcher.start()
    deadline = time.monotonic() + 5
    while time.monotonic() < deadline and not (watcher.topology and "c1" in watcher.topology.containers):
        time.sleep(0.02)
    watcher.stop()
    assert "c1" in shown[-1].containers and not watcher.running
    assert watcher.latencies


def _event(kind: str, action: str, ident: str, **attributes: str) -> dict:
    return {"Type": kind, "Action": action, "Actor": {"ID": ident, "Attributes": attributes},
            "timeNano": time.time_ns()}


def test_a_death_is_drawn_from_its_event_and_a_snapshot_taken_meanwhile_does_not_bring_it_back(monkeypatch):
    """docker rm -f: the engine answers a snapshot only once the container is torn down; the picture need not wait."""
    rich = Topology.from_facts(json.loads((Path(__file__).parent / "data" / "rich-topology.json").read_text()))
    during: list[dict] = []
    watcher = Watcher(engine=None, on_topology=(shown := []).append)  # type: ignore[arg-type]

    def snapshot(engine, lesson):  # the engine's answer, read before the events in ``during`` arrived
        for event in during:
            watcher._container_event(event)
        return rich

    monkeypatch.setattr(probe, "snapshot", snapshot)
    watcher.refresh()
    assert "r-ab" in shown[-1].containers and not watcher.latencies
    assert watcher._container_event(_event("container", "die", "id-ab", name="r-ab"))
    assert "r-ab" not in shown[-1].containers and len(watcher.latencies) == 1 and watcher._dirty.is_set()
    count = len(shown)  # what follows a death changes nothing more, and is not timed
    assert watcher._container_event(_event("network", "disconnect", "net-a", container="id-ab"))
    assert watcher._container_event(_event("container", "destroy", "id-ab", name="r-ab"))
    assert len(shown) == count and len(watcher.latencies) == 1
    watcher.refresh()  # a snapshot begun after the death: its answer is drawn as it is
    assert "r-ab" in shown[-1].containers
    during[:] = [_event("container", "die", "id-b1", name="r-b1")]
    watcher.refresh()  # begun before the death, answered after it
    assert "r-b1" not in shown[-1].containers
    during[:] = [_event("container", "start", "id-b1", name="r-b1")]
    watcher.refresh()  # it started again
    assert "r-b1" in shown[-1].containers
    assert not watcher._container_event(_event("container", "die", "id-a1", name="r-a1"))  # r-shr shares its stack
    assert not watcher._container_event(_event("container", "start", "id-x", name="x"))


def test_which_events_change_the_picture():
    assert is_change({"Type": "container", "Action": "start"})
    assert is_change({"Type": "network", "Action": "connect"})
    assert not is_change({"Type": "container", "Action": "exec_create: sh"})
    assert not is_change({"Type": "image", "Action": "pull"})


def test_the_live_diagram_draws_what_the_watcher_hands_it(engine, monkeypatch):
    from dockerlab.render.live import LiveDiagram

    monkeypatch.setenv("DOCKERLAB_PROBE", "helper")
    monkeypatch.setattr("dockerlab.host.watch.Engine.connect", lambda url=None: engine)
    live = LiveDiagram(engine.follow(LESSON))
    try:
        assert live.topology is not None and live.topology.containers == {}
        assert "<svg" in live.picture.value and 'width="100%"' in live.picture.value
        engine.run(labels.BUSYBOX_IMAGE, ["sleep", "1d"], lesson=LESSON, name="c1")
        assert live.wait_for(lambda topology: "c1" in topology.containers, timeout=5)
        assert "c1" in live.picture.value and "1 container(s)" in live.status.value and live.redraws >= 2
    finally:
        live.stop()
    assert not live.running and live.stop_button.disabled and "stopped" in live.status.value
    assert repr(live).startswith(f"Live diagram of {LESSON}:") and "LiveDiagram(" not in repr(live)


def test_the_stop_button_leaves_the_strip_of_frames_in_place_of_the_live_picture(engine, monkeypatch):
    from dockerlab.render.live import LiveDiagram

    monkeypatch.setenv("DOCKERLAB_PROBE", "helper")
    monkeypatch.setattr("dockerlab.host.watch.Engine.connect", lambda url=None: engine)
    live = LiveDiagram(engine.follow(LESSON))
    try:
        engine.run(labels.BUSYBOX_IMAGE, ["sleep", "1d"], lesson=LESSON, name="c1")
        assert live.wait_for(lambda topology: "c1" in topology.containers, timeout=5)
        assert "dockerlab-frames" not in live.picture.value
        live.stop_button.click()
    finally:
        live.stop()
    assert not live.running and "dockerlab-frames" in live.picture.value
    assert len(live.frames) == 2 and live.picture.value.count("<svg") == 1  # one picture: every frame in it
    assert "1. " in live.picture.value and "2. container start: c1" in live.picture.value


def _nested_engines(api: FakeAPIClient) -> list[list[str]]:
    """Each node answers like a nested engine: it is ready, inits or joins a swarm, lists its nodes."""
    asked: list[list[str]] = []

    def on_exec(container: str, command: list[str]) -> tuple[int, str]:
        asked.append([container, *command])
        if command[:3] == ["docker", "swarm", "join-token"]:
            return 0, "SWMTKN-1-fake\n"
        if command[:3] == ["docker", "node", "ls"]:
            return 0, "node1 Ready Leader\nnode2 Ready\n"
        return 0, ""
    api.exec_handler = on_exec
    return asked


def test_cluster_up_starts_nodes_loads_the_lab_image_and_joins_them():
    engine = fake_engine(images=(labels.BUSYBOX_IMAGE, images.NODE_IMAGE))
    asked = _nested_engines(engine.api)
    seen: list[str] = []
    nodes = cluster.up(engine, nodes=2, lesson="11-overlay", progress=seen.append)
    assert [(n.name, n.role, n.ready) for n in nodes] == [("dl-node1", "manager", True), ("dl-node2", "worker", True)]
    node = engine.container("dl-node1")
    assert node["Config"]["Hostname"] == "node1" and node["HostConfig"]["Dns"] == list(labels.CONTAINED_DNS)
    assert node["Config"]["Cmd"][-2:] == ["--dns", "127.0.0.1"]  # the node's own containers ask nobody either
    assert node["NetworkSettings"]["Networks"][cluster.UNDERLAY]["IPAddress"] == "10.199.0.11"
    loaded = [state for state in engine.api.execs.values() if state["cmd"] == ["docker", "load", "-q"]]
    assert [state["stdin"] for state in loaded] == [b"fake image archive of dockerlab/busybox:latest"] * 2
    assert ["dl-node2", "docker", "swarm", "join", "--token", "SWMTKN-1-fake", "10.199.0.11:2377"] in asked
    assert seen[-1] == "Swarm ready: 2 node(s)"
    assert cluster.down(engine, "11-overlay")["containers"] == ["dl-node1", "dl-node2"]
    assert engine.labelled() == {"containers": [], "networks": [], "volumes": []}


def test_the_live_diagram_can_be_handed_a_watcher(engine, monkeypatch):
    from dockerlab.render.live import LiveDiagram

    monkeypatch.setenv("DOCKERLAB_PROBE", "helper")
    monkeypatch.setattr("dockerlab.host.watch.Engine.connect", lambda url=None: engine)
    watcher = Watcher(engine, LESSON)
    live = LiveDiagram(watcher, title="lesson 02")
    live.stop()
    assert live.watcher is watcher and watcher._subscribers == [live.show]
    assert repr(live).startswith(f"Live diagram of {LESSON}:") and "LiveDiagram(" not in repr(live)
    assert "lesson 02" in live.picture.value and not watcher.running
