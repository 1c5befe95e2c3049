"""The lab cluster: real Docker hosts in a swarm, an overlay across them, and no trace after `down`."""
from __future__ import annotations

import json

import pytest

from dockerlab import errors
from dockerlab.host import cluster
from tests.conftest import run_cli
from tests.integration.conftest import host_changes


def test_three_nodes_overlay_ping_by_name_then_no_trace(engine, host_without_cluster):
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
    assert host_changes(engine, host_without_cluster)  # the cluster really changed the host

    down = run_cli("cluster", "down")
    assert down.returncode == 0 and "Removed 7 object(s)" in down.stdout
    assert host_changes(engine, host_without_cluster) == {}


def test_a_failed_up_leaves_no_trace(engine, host_without_cluster, monkeypatch):
    real = cluster._must

    def refuse_join(engine, node, command):
        if "join" in command:
            raise errors.CommandRefused("cluster-command-failed", node=node, command=" ".join(command),
                                        output="refused by the test")
        return real(engine, node, command)

    monkeypatch.setattr(cluster, "_must", refuse_join)
    with pytest.raises(errors.CommandRefused):
        cluster.up(engine, nodes=2, progress=lambda line: None)
    assert host_changes(engine, host_without_cluster) == {}


def test_unknown_node_and_bad_size_are_explained(engine, host_without_cluster):
    done = run_cli("cluster", "exec", "node7", "--", "true")
    assert done.returncode == 2 and "There is no lab node node7" in done.stderr
    done = run_cli("cluster", "up", "--nodes", "0")
    assert done.returncode == 2 and "at least one node" in done.stderr
