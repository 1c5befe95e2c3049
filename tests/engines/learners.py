"""A learner's own things on an engine of the matrix, made before the lessons and checked after them.

The course promises never to touch what it did not make. An engine with ``learners_own`` gets, before
its tests, what a learner typically has already: a container on the default bridge (docker0) with a
published port, and a network of their own (which takes the first free address pool). After the tests,
both must still be there, untouched: the same container, running since the same moment, with the same
address, MAC and endpoint on docker0, still answering; the same network with the same subnet.

    docker network create my-net
    docker run -d --name my-web --restart unless-stopped -p 127.0.0.1:3000:80 dockerlab/busybox \\
        sh -c 'mkdir -p /www && echo mine > /www/index.html && exec httpd -f -p 80 -h /www'
"""
from __future__ import annotations

import json
import subprocess

CONTAINER = "my-web"
NETWORK = "my-net"
PORT = "127.0.0.1:3000:80"
PAGE = "mine"
IMAGE = "dockerlab/busybox:latest"  # a lab image: its containers carry no course label (labels are never on images)
SERVE = f"mkdir -p /www && echo {PAGE} > /www/index.html && exec httpd -f -p 80 -h /www"


def _docker(url: str, *args: str, check: bool = True) -> str:
    done = subprocess.run(["docker", "-H", url, *args], capture_output=True, text=True)
    if check and done.returncode != 0:
        raise SystemExit(f"docker {' '.join(args)} failed: {done.stderr.strip()}")
    return done.stdout


def make(url: str) -> None:
    """Make the learner's own network and container on the engine at ``url``."""
    _docker(url, "network", "create", NETWORK)
    _docker(url, "run", "-d", "--name", CONTAINER, "--restart", "unless-stopped", "-p", PORT, IMAGE,
            "sh", "-c", SERVE)


def record(url: str) -> dict:
    """What identifies the learner's things and their state now (``{}`` for one that is gone)."""
    found: dict = {"container": {}, "network": {}}
    listed = _docker(url, "container", "inspect", CONTAINER, check=False)
    if listed.strip():
        container = json.loads(listed)[0]
        found["container"] = container_facts(container)
        found["container"]["answers"] = _docker(url, "exec", CONTAINER, "wget", "-qO-", "http://127.0.0.1/",
                                                check=False).strip()
    listed = _docker(url, "network", "inspect", NETWORK, check=False)
    if listed.strip():
        found["network"] = network_facts(json.loads(listed)[0])
    return found


def container_facts(inspected: dict) -> dict:
    """The facts of ``docker container inspect`` that change if anyone stopped, restarted, moved or relabelled it."""
    state = inspected.get("State") or {}
    settings = inspected.get("NetworkSettings") or {}
    return {
        "id": inspected.get("Id"),
        "running": state.get("Running"),
        "started": state.get("StartedAt"),
        "restarts": inspected.get("RestartCount"),
        "labels": (inspected.get("Config") or {}).get("Labels") or {},
        "networks": {name: {key: endpoint.get(key) for key in ("EndpointID", "IPAddress", "MacAddress")}
                     for name, endpoint in (settings.get("Networks") or {}).items()},
        "ports": settings.get("Ports") or {},
    }


def network_facts(inspected: dict) -> dict:
    """The facts of ``docker network inspect`` that change if anyone removed, re-made or relabelled it."""
    return {"id": inspected.get("Id"), "subnets": [entry.get("Subnet") for entry in
                                                   (inspected.get("IPAM") or {}).get("Config") or []],
            "labels": inspected.get("Labels") or {}}


def changes(before: dict, after: dict) -> list[str]:
    """What differs between two records, one line each (empty: untouched)."""
    found = []
    for kind, name in (("container", CONTAINER), ("network", NETWORK)):
        was, now = before.get(kind) or {}, after.get(kind) or {}
        if was and not now:
            found.append(f"the learner's {kind} {name} is gone")
            continue
        found += [f"the learner's {kind} {name}: {key} was {was.get(key)!r}, now {now.get(key)!r}"
                  for key in was if was.get(key) != now.get(key)]
    return found
