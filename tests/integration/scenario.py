"""A topology with every kind of attachment, built with the plain docker CLI.

Default bridge, two user networks, a multi-homed container, ``container:``,
none, host and macvlan (on a veth pair the test makes on the host). Every
object carries the course's labels for the given lesson id, so cleanup by
label removes it all. ``python -m tests.integration.scenario FILE`` records
its facts for the unit tests.
"""
from __future__ import annotations

import json
import subprocess
import sys

from dockerlab.engine.client import Engine
from dockerlab.host import hostlinks, probe
from dockerlab.host.session import LiveSession

IMAGE = "dockerlab/busybox"
PARENT, PARENT_PEER = "dl-mvp0", "dl-mvp1"


def docker(*args: str) -> str:
    done = subprocess.run(["docker", *args], capture_output=True, text=True, timeout=60)
    if done.returncode != 0:
        raise RuntimeError(f"docker {' '.join(args)}: {done.stderr.strip()}")
    return done.stdout


def build(lesson: str, prefix: str = "t") -> dict[str, str]:
    """Build the scenario; returns container name -> what it demonstrates."""
    label = ["--label", "io.dockerlab.managed=true", "--label", f"io.dockerlab.lesson={lesson}"]
    hostlinks.add_veth_pair(LiveSession(Engine.connect()), f"{PARENT}{prefix}", f"{PARENT_PEER}{prefix}", lesson)
    docker("network", "create", *label, "--subnet", "10.210.1.0/24", f"{prefix}-net-a")
    docker("network", "create", *label, "--subnet", "10.210.2.0/24", f"{prefix}-net-b")
    docker("network", "create", *label, "-d", "macvlan", "-o", f"parent={PARENT}{prefix}",
           "--subnet", "10.210.3.0/24", f"{prefix}-mac")
    run = ["run", "-d", *label]
    containers = {
        f"{prefix}-d1": ([], "default bridge"),
        f"{prefix}-a1": (["--network", f"{prefix}-net-a"], "user network"),
        f"{prefix}-ab": (["--network", f"{prefix}-net-a"], "multi-homed"),
        f"{prefix}-b1": (["--network", f"{prefix}-net-b"], "second user network"),
        f"{prefix}-shr": (["--network", f"container:{prefix}-a1"], "shares a1's stack"),
        f"{prefix}-non": (["--network", "none"], "none"),
        f"{prefix}-hst": (["--network", "host"], "host"),
        f"{prefix}-mv1": (["--network", f"{prefix}-mac"], "macvlan"),
        f"{prefix}-mv2": (["--network", f"{prefix}-mac"], "macvlan"),
    }
    for name, (options, _) in containers.items():
        docker(*run, "--name", name, *options, IMAGE, "sleep", "1d")
    docker("network", "connect", f"{prefix}-net-b", f"{prefix}-ab")
    return {name: what for name, (_, what) in containers.items()}


if __name__ == "__main__":
    from dockerlab.host import cleanup


    engine = LiveSession(Engine.connect())
    build("recording", prefix="r")
    try:
        facts = probe.gather(engine)
        facts["containers"] = [c for c in facts["containers"] if (c.get("Labels") or {}).get(
            "io.dockerlab.lesson") == "recording"]
        with open(sys.argv[1], "w") as out:
            json.dump(facts, out, indent=1, sort_keys=True)
    finally:
        cleanup.remove(engine, "recording")
