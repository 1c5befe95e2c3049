"""The lab cluster: real Docker hosts in a swarm, an overlay across them, and no trace after `down`."""
from __future__ import annotations

import json
import re
import subprocess

import pytest

from dockerlab import cluster, errors
from tests.conftest import run_cli


def host_state(engine) -> dict:
    """Everything of the host that `up` and `down` could change."""
    rules = subprocess.run(["iptables-save"], capture_output=True, text=True).stdout
    for table in ("nat", "filter"):
        rules += subprocess.run(["iptables", "-t", table, "-S"], capture_output=True, text=True).stdout
    rules = [re.sub(r"\[\d+:\d+\]", "", line) for line in rules.splitlines() if not line.startswith("#")]
    links = subprocess.run(["ip", "-o", "link"], capture_output=True, text=True).stdout
    return {"rules": sorted(rules),
            "links": sorted(line.split(":")[1].strip() for line in links.splitlines()),
            "containers": sorted(c["Id"] for c in engine.containers(all=True)),
            "networks": sorted(n["Id"] for n in engine.networks()),
            "volumes": sorted(v["Name"] for v in engine.api.volumes().get("Volumes") or [])}


@pytest.fixture
def before(engine):
    cluster.down(engine)
    state = host_state(engine)
    yield state
    cluster.down(engine)  # even when the test failed


def test_three_nodes_overlay_ping_by_name_then_no_trace(engine, before):
    done = run_cli("cluster", "up", "--nodes", "3")
    assert done.returncode == 0, done.stderr
    assert "Swarm ready: 3 node(s)" in done.stdout
    status = json.loads(run_cli("cluster", "status", "--json").stdout)
    assert status == {"nodes": [
        {"name": "dl-node1", "address": "10.199.0.11", "role": "manager", "ready": True},
        {"name": "dl-node2", "address": "10.199.0.12", "role": "worker", "ready": True},
        {"name": "dl-node3", "address": "10.199.0.13", "role": "worker", "ready": True}]}
    assert run_cli("cluster", "exec", "node2", "--", "hostname").stdout.strip() == "node2"

    def on(node, command):
        done = run_cli("cluster", "exec", node, "--", "sh", "-c", command)
        assert done.returncode == 0, (command, done.stdout, done.stderr)
        return done.stdout

    on("node1", "docker network create -d overlay --attachable --subnet 10.197.0.0/24 test-ov")
    on("node1", "docker run -d --name t1 --network test-ov dockerlab/busybox sleep 1d")
    on("node3", "docker run -d --name t3 --network test-ov dockerlab/busybox sleep 1d")
    assert "2 packets received" in on("node1", "docker exec t1 ping -c 2 t3")
    assert "2 packets received" in on("node3", "docker exec t3 ping -c 2 t1")
    assert host_state(engine) != before  # the cluster really changed the host

    down = run_cli("cluster", "down")
    assert down.returncode == 0 and "Removed 7 object(s)" in down.stdout
    assert host_state(engine) == before


def test_a_failed_up_leaves_no_trace(engine, before, monkeypatch):
    real = cluster._must

    def refuse_join(engine, node, command):
        if "join" in command:
            raise errors.CommandRefused("cluster-command-failed", node=node, command=" ".join(command),
                                        output="refused by the test")
        return real(engine, node, command)

    monkeypatch.setattr(cluster, "_must", refuse_join)
    with pytest.raises(errors.CommandRefused):
        cluster.up(engine, nodes=2, progress=lambda line: None)
    assert host_state(engine) == before


def test_unknown_node_and_bad_size_are_explained(engine, before):
    done = run_cli("cluster", "exec", "node7", "--", "true")
    assert done.returncode == 2 and "There is no lab node node7" in done.stderr
    done = run_cli("cluster", "up", "--nodes", "0")
    assert done.returncode == 2 and "at least one node" in done.stderr
