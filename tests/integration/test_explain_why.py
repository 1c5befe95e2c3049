"""``dockerlab explain`` and ``dockerlab why`` on a learner's engine that no lesson builds: each verdict proven by a
real probe of the course, and the learner's objects exactly as they were.

The engine is built by :mod:`tests.integration.learners_engine` (a Compose project with an internal network and
aliases, a second project published on an address of the host, the default bridge with ``--link``, a host-mode
and a ``--network none`` container, a macvlan network on a parent the test makes, a network with
``enable_icc=false``, a container sharing another's stack). The same answers are worked out with no engine in
``tests/unit/test_why_verdicts.py``.
"""
from __future__ import annotations

import json

import pytest

from dockerlab import labels
from dockerlab.explain import host_view_of, probing, reading, verdict_for
from dockerlab.host import cleanup
from tests.conftest import run_cli
from tests.integration import learners_engine
from tests.integration.learners_engine import QUESTIONS, answer, question

PREFIX = "x"


@pytest.fixture(scope="module")
def built(engine):
    cleanup.remove(engine, learners_engine.LESSON)
    probing.remove(engine, probing.Plan(probing.OUTSIDE))
    made = learners_engine.build(engine, PREFIX)
    try:
        yield made
    finally:
        learners_engine.remove(engine, made)


def learners_state(engine) -> dict:
    """Everything of the learner's objects a look, a question or a probe could change (the course's own left out)."""
    containers = {}
    for listed in engine.containers(all=True):
        if labels.is_managed(listed.get("Labels")):
            continue
        found = engine.container(listed["Id"])
        containers[found["Name"]] = {
            "id": found["Id"], "running": found["State"]["Running"], "pid": found["State"]["Pid"],
            "started": found["State"]["StartedAt"], "labels": found["Config"]["Labels"],
            "host_config": {k: found["HostConfig"].get(k) for k in ("NetworkMode", "PortBindings", "Links", "Dns")},
            "networks": {name: {k: settings.get(k) for k in ("EndpointID", "IPAddress", "MacAddress", "Aliases")}
                         for name, settings in found["NetworkSettings"]["Networks"].items()}}
    networks = {}
    for listed in engine.networks():
        if labels.is_managed(listed.get("Labels")):
            continue
        found = engine.network(listed["Id"])
        networks[found["Name"]] = {"id": found["Id"], "internal": found["Internal"], "options": found["Options"],
                                   "labels": found["Labels"], "containers": {
                                       cid: member["EndpointID"] for cid, member in (found["Containers"] or {}).items()
                                       if not member["Name"].startswith("dockerlab-")}}
    return {"containers": containers, "networks": networks}


@pytest.fixture(scope="module")
def before(engine, built):
    return learners_state(engine)


@pytest.fixture(scope="module")
def emap(engine, built, before):
    return reading.engine_map(engine)


@pytest.fixture(scope="module")
def view(engine, emap):
    return host_view_of(engine, emap)


def test_explain_json_lists_what_the_engine_and_the_kernel_have(engine, built, before):
    done = run_cli("explain", "--json")
    assert done.returncode == 0, done.stderr
    data = json.loads(done.stdout)
    snapshot = json.loads(run_cli("snapshot", "--json").stdout)
    kernel = {c["name"]: c["interfaces"] for c in snapshot["containers"]}
    containers = {c["name"]: c for c in data["containers"]}
    for name, state in before["containers"].items():
        name = name.lstrip("/")
        mine = containers[name]
        assert mine["interfaces"] == kernel[name], name  # the kernel's links, as the snapshot reads them
        for network, settings in state["networks"].items():
            endpoint = next(e for e in mine["endpoints"] if e["network"] == network)
            assert endpoint["ipv4"] == (settings["IPAddress"] or None), (name, network)
            assert set(endpoint["aliases"]) == set(settings["Aliases"] or []), (name, network)
            if endpoint["interface"]:
                interface = next(i for i in mine["interfaces"] if i["name"] == endpoint["interface"])
                assert interface["mac"] == settings["MacAddress"] and interface["network"] == network
    shop = next(g for g in data["groups"] if g["name"] == f"{PREFIX}shop")
    assert shop["kind"] == "compose" and shop["networks"] == [f"{PREFIX}shop_back", f"{PREFIX}shop_front"]
    networks = {n["name"]: n for n in data["networks"]}
    assert networks[f"{PREFIX}shop_back"]["internal"] and networks[f"{PREFIX}shop_back"]["compose_name"] == "back"
    assert networks[f"{PREFIX}quiet"]["icc"] is False and networks[f"{PREFIX}lan"]["parent"] == f"dl-{PREFIX}mvp0"
    assert containers[f"{PREFIX}shop-sidecar-1"]["network_mode"] == f"container:{PREFIX}shop-api-1"
    assert containers[f"{PREFIX}hostsvc"]["network_mode"] == "host"
    assert containers[f"{PREFIX}shop-web-1"]["ports"][0]["host_port"] == learners_engine.SHOP_PORT


def test_explain_only_reads(engine, built, before, tmp_path):
    for args in (["explain"], ["explain", "--all", "--save", str(tmp_path / "engine.svg")]):
        done = run_cli(*args)
        assert done.returncode == 0, done.stderr
    assert f"Compose project {PREFIX}shop" in done.stdout and f"{PREFIX}shop-db-1" in done.stdout
    assert f"{PREFIX}shop-web-1" in (tmp_path / "engine.svg").read_text()
    assert learners_state(engine) == before


@pytest.mark.parametrize("asked, expected", QUESTIONS, ids=[" ".join(x for x in q if x) for q, _ in QUESTIONS])
def test_each_verdict_is_the_one_a_real_probe_shows(engine, emap, view, asked, expected):
    source, target, port = question(emap, PREFIX, asked)
    verdict = verdict_for(engine, emap, source, target, port, view)
    assert (verdict.reachable, verdict.stop) == answer(expected, emap.version), str(verdict)
    probing.prove(engine, emap, verdict)
    assert verdict.probe is not None, str(verdict)  # each of these questions can be probed
    assert verdict.probe["agrees"], str(verdict)
    assert engine.labelled(probing.LESSON) == {"containers": [], "networks": [], "volumes": []}


def test_why_on_the_command_line(built):
    no = run_cli("why", f"{PREFIX}shop-web-1", "db", "5432")
    assert no.returncode == 1 and "No: the name db is not known" in no.stdout and "lesson 06" in no.stdout
    yes = run_cli("why", f"{PREFIX}shop-web-1", "backend:8000", "--json")
    assert yes.returncode == 0, yes.stderr
    said = json.loads(yes.stdout)
    assert said["reachable"] is True and said["stop"] == "reached-bridge" and said["lessons"]
    unknown = run_cli("why", "no-such-container", "db")
    assert unknown.returncode == 2 and "No running container is called 'no-such-container'" in unknown.stderr


def test_live_explanations_follow_a_change(engine, built):
    """``dockerlab explain --live`` and ``lab.explain(live=True)`` show a container the moment it starts."""
    import threading
    import time

    from dockerlab.explain import live_listing
    from dockerlab.explain.live import LiveExplanation

    shown: list[str] = []
    stop = threading.Event()
    following = threading.Thread(target=live_listing, args=(engine,), kwargs={"show": shown.append, "stop": stop})
    following.start()
    widget = LiveExplanation(engine)
    newcomer = f"{PREFIX}newcomer"
    try:
        deadline = time.monotonic() + 30
        while not shown and time.monotonic() < deadline:
            time.sleep(0.2)
        assert shown and newcomer not in shown[-1] and newcomer not in widget.view.value
        started = engine.client.containers.run(labels.BUSYBOX_IMAGE, ["sleep", "1d"], name=newcomer, detach=True)
        try:
            deadline = time.monotonic() + 30
            while (newcomer not in shown[-1] or newcomer not in widget.view.value) and time.monotonic() < deadline:
                time.sleep(0.2)
            assert newcomer in shown[-1] and newcomer in widget.view.value and newcomer in repr(widget)
        finally:
            started.remove(force=True)
    finally:
        stop.set()
        widget.stop()
        following.join(10)
    assert not following.is_alive()


def test_the_learners_objects_are_as_they_were(engine, built, before):
    """Last: after every look, question and probe above."""
    assert learners_state(engine) == before
    assert not engine.labelled(probing.LESSON)["containers"]
