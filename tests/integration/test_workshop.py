"""A workshop for a room: a hub with 3 learners, two logged in and working on their own engines, no trace after.

The learners log in through the hub's login form and start their servers through its REST API, as
JupyterLab does; their commands run in their environments as in a terminal there.
"""
from __future__ import annotations

import json
import re
import socket
import time
from pathlib import Path

import pytest
import requests

from dockerlab.engine.client import Engine
from dockerlab.workshop import container_name
from tests.conftest import run_cli
from tests.integration.conftest import host_changes, host_state

LEARNERS = ["learner1", "learner2"]


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def log_in(url: str, name: str, password: str) -> requests.Session:
    """Log in through the hub's login page, as a browser does (its _xsrf cookie, then the form)."""
    session = requests.Session()
    session.get(f"{url}/hub/login", timeout=30)
    xsrf = session.cookies.get("_xsrf")
    answer = session.post(f"{url}/hub/login", data={"username": name, "password": password, "_xsrf": xsrf},
                          allow_redirects=False, timeout=30)
    assert answer.status_code == 302, (name, answer.status_code, answer.text[-300:])
    # the page a browser then opens sets the _xsrf cookie of the logged-in session, sent back on API calls
    session.get(f"{url}/hub/home", headers={"Sec-Fetch-Mode": "navigate"}, timeout=30)
    session.headers["X-XSRFToken"] = session.cookies.get("_xsrf", path="/hub/")
    return session


def on(learner: str, command: str) -> str:
    """A command in the learner's environment, as in their terminal (``docker exec dl-workshop-NAME sh -c``)."""
    code, output = Engine.connect().exec(container_name(learner), ["sh", "-c", command])
    assert code == 0, (learner, command, output)
    return output.strip()


@pytest.fixture(scope="module")
def workshop(engine, tmp_path_factory):
    env = {"DOCKERLAB_WORKSHOP_DIR": str(tmp_path_factory.mktemp("workshop") / "state")}
    run_cli("workshop", "down", env=env)
    before = host_state(engine)
    port = free_port()
    done = run_cli("workshop", "up", "--learners", "3", "--lazy", "--port", str(port), "--memory", "768m",
                   env=env, timeout=600)
    try:
        assert done.returncode == 0, done.stdout[-2000:] + done.stderr[-2000:]
        passwords = dict(re.findall(r"^  (\w+) +([a-z2-9]{10})$", done.stdout, re.M))
        yield {"env": env, "url": f"http://127.0.0.1:{port}", "passwords": passwords, "before": before,
               "settings": json.loads(Path(env["DOCKERLAB_WORKSHOP_DIR"], "settings.json").read_text())}
    finally:
        run_cli("workshop", "down", env=env)  # even when a test failed


def test_two_learners_each_on_their_own_engine(engine, workshop):
    url, env = workshop["url"], workshop["env"]
    assert sorted(workshop["passwords"]) == ["instructor", "learner1", "learner2", "learner3"]
    assert requests.post(f"{url}/hub/login", data={"username": "learner1", "password": "wrong"},
                         allow_redirects=False, timeout=30).status_code != 302
    sessions = {name: log_in(url, name, workshop["passwords"][name]) for name in LEARNERS}
    for name, session in sessions.items():
        assert session.post(f"{url}/hub/api/users/{name}/server", timeout=30).status_code in (201, 202)
    deadline = time.monotonic() + 180
    while not all(((s.get(f"{url}/hub/api/users/{n}", timeout=30).json().get("servers") or {}).get("") or {})
                  .get("ready") for n, s in sessions.items()):
        assert time.monotonic() < deadline, "the learners' servers did not become ready"
        time.sleep(1)
    navigate = {"Sec-Fetch-Mode": "navigate"}  # opening a page: the server sends them through the hub's OAuth
    for name, session in sessions.items():  # their JupyterLab answers them, through the hub's proxy
        page = session.get(f"{url}/user/{name}/lab", headers=navigate, timeout=60)
        assert page.status_code == 200 and "JupyterLab" in page.text, (name, page.status_code, page.url)
        assert session.get(f"{url}/user/{name}/api/status", timeout=30).status_code == 200
    other = sessions["learner1"].get(f"{url}/user/learner2/lab", headers=navigate, timeout=60)
    assert other.status_code == 403, (other.status_code, other.url)

    status = json.loads(run_cli("workshop", "status", "--json", env=env).stdout)
    assert status["hub"] == "running"
    assert {(one["name"], one["environment"], one["server"]) for one in status["learners"]} == {
        ("learner1", "running", "ready"), ("learner2", "running", "ready"), ("learner3", "not started", "stopped")}

    # Lesson 01 in each: docker0 at 172.17.0.1, the first container at 172.17.0.2
    ids = {}
    for name in LEARNERS:
        assert "inet 172.17.0.1/16" in on(name, "ip -4 addr show docker0")
        ids[name] = on(name, "docker run -d --name c1 --dns 127.0.0.1 dockerlab/busybox sleep 1d").split()[-1]
        assert on(name, "docker inspect -f '{{.NetworkSettings.IPAddress}}' c1") == "172.17.0.2"
        assert on(name, "docker exec c1 ip -4 route").startswith("default via 172.17.0.1")
    done = run_cli("workshop", "exec", "learner1", "--", "docker", "ps", "--format", "{{.Names}}", env=env)
    assert done.returncode == 0 and "c1" in done.stdout.split(), done.stderr  # the instructor's way in
    on("learner2", "docker run -d --name only-in-2 dockerlab/busybox sleep 1d")
    seen_by_1 = on("learner1", "docker ps -a --format '{{.Names}}'").split()
    assert "c1" in seen_by_1 and "only-in-2" not in seen_by_1
    assert ids["learner1"] not in on("learner2", "docker ps -aq --no-trunc")

    # The instructor's view: both learners, their environments and every exercise's state
    token = {"Authorization": f"token {workshop['settings']['token']}"}
    deadline = time.monotonic() + 90
    while True:
        answer = requests.get(f"{url}/services/progress/api", headers=token, timeout=30)
        assert answer.headers.get("Content-Type", "").startswith("application/json"), (answer.status_code,
                                                                                        answer.text[:1000])
        reading = answer.json()
        view = reading["learners"]
        if all(view.get(n, {}).get("exercises") for n in LEARNERS):
            break
        assert time.monotonic() < deadline, reading
        time.sleep(2)
    assert view["learner3"] == {"environment": "not started", "exercises": {}}
    for name in LEARNERS:
        assert view[name]["environment"] == "running"
        assert set(view[name]["exercises"].values()) <= {"correct", "not yet", "not attempted"}
    instructor = log_in(url, "instructor", workshop["passwords"]["instructor"])
    page = instructor.get(f"{url}/services/progress/", timeout=30)
    assert page.status_code == 200 and "learner1" in page.text and "learner2" in page.text
    assert sessions["learner1"].get(f"{url}/services/progress/api", allow_redirects=False,
                                    timeout=30).status_code in (302, 403)

    # Resetting one learner's engine leaves the other's alone
    done = run_cli("workshop", "reset", "learner2", env=env)
    assert done.returncode == 0 and "(0 containers left)" in done.stdout, done.stderr
    assert on("learner2", "docker ps -aq") == ""
    assert ids["learner1"] in on("learner1", "docker ps -q --no-trunc").split()


def test_a_hostile_learner_reaches_no_one_else(engine, workshop):
    env, settings = workshop["env"], workshop["settings"]
    addresses = {name: on(name, "hostname -i") for name in LEARNERS}
    # No host processes (own PID namespace), no hub database or state, no host engine
    processes = on("learner1", "ps -eo args")
    assert "jupyterhub-singleuser" in processes
    assert "hub_config.py" not in processes and "configurable-http-proxy" not in processes
    assert on("learner1", f"test -e {workshop['env']['DOCKERLAB_WORKSHOP_DIR']} && echo yes || echo no") == "no"
    assert on("learner1", "docker info --format '{{.Name}}'") == "learner1"
    # The hub's API answers them (their server needs it); another learner's server (inter-container
    # traffic is off on the workshop network) and the proxy's API are out of reach
    assert on("learner1", f"timeout 3 bash -c '</dev/tcp/10.196.0.1/{settings['hub_port']}' 2>/dev/null "
                          "&& echo open || echo closed") == "open"
    assert on("learner1", f"timeout 3 bash -c '</dev/tcp/{addresses['learner2']}/8888' 2>/dev/null "
                          "&& echo open || echo closed") == "closed"
    assert on("learner1", f"timeout 3 bash -c '</dev/tcp/10.196.0.1/{settings['proxy_api_port']}' 2>/dev/null "
                          "&& echo open || echo closed") == "closed"
    # Limits: a runaway loop (three, in containers of their own engine) gets at most the learner's one CPU
    on("learner1", "for i in 1 2 3; do docker run -d --name spin$i dockerlab/busybox sh -c 'while :; do :; done'"
                   " >/dev/null 2>&1; done")
    cpu = Path("/sys/fs/cgroup/cpuacct/docker") / engine.container("dl-workshop-learner1")["Id"] / "cpuacct.usage"
    used, started = int(cpu.read_text()), time.monotonic()
    time.sleep(5)
    cores = (int(cpu.read_text()) - used) / 1e9 / (time.monotonic() - started)
    assert 0.2 < cores < 1.1, cores
    on("learner1", "docker rm -f spin1 spin2 spin3 >/dev/null")
    # and the memory limit holds, also for containers the learner's own engine starts
    assert on("learner1", "cat /sys/fs/cgroup/memory/memory.limit_in_bytes") == str(768 * 2**20)
    eaten = run_cli("workshop", "exec", "learner1", "--", "docker", "run", "--rm", "dockerlab/busybox", "sh", "-c",
                    "dd if=/dev/zero bs=1M count=1500 | (sleep 2; tail > /dev/null)", env=env)
    assert eaten.returncode != 0  # killed by the learner's memory limit, not the machine's
    assert on("learner2", "echo alive") == "alive"


def test_down_leaves_no_trace(engine, workshop):
    env = workshop["env"]
    done = run_cli("workshop", "down", env=env)
    assert done.returncode == 0, done.stderr
    assert host_changes(engine, workshop["before"]) == {}
    done = run_cli("workshop", "status", env=env)
    assert done.returncode == 2 and "No workshop is running here" in done.stderr


def test_commands_without_a_workshop_are_explained(tmp_path):
    env = {"DOCKERLAB_WORKSHOP_DIR": str(tmp_path / "none")}
    done = run_cli("workshop", "exec", "learner9", "--", "true", env=env)
    assert done.returncode == 2 and "No workshop is running here" in done.stderr
    done = run_cli("workshop", "up", "--learners", "0", env=env)
    assert done.returncode == 2 and "1 to 200 learners" in done.stderr
    done = run_cli("workshop", "up", "--learners", "2", "--memory", "100m", env=env)
    assert done.returncode == 2 and "at least 256 MB" in done.stderr
