"""A workshop for a room, tried as its learners, its instructor and a hostile learner would: one 2-learner room.

The room runs on the workshop's own engine (user namespaces remapped, its own network namespace), never on
the machine's. Learners log in through the hub's login form; "in their terminal" is ``docker exec`` into their
environment, done by the test as the learner would type it. Each hostile probe asserts that the attempt fails
and that the room carries on; none sends a packet off this machine.
"""
from __future__ import annotations

import hashlib
import ipaddress
import json
import os
import re
import socket
import ssl
import subprocess
import tarfile
import time
from pathlib import Path

import pytest
import requests

from dockerlab.engine.client import Engine
from dockerlab.workshop import container_name, disk, engine
from dockerlab.workshop.engine import REMAP_BASE
from tests.conftest import run_cli

LEARNERS = ["learner1", "learner2"]
pytestmark = pytest.mark.filterwarnings("ignore::urllib3.exceptions.InsecureRequestWarning")
NAVIGATE = {"Sec-Fetch-Mode": "navigate"}  # opening a page: servers send the browser through the hub's OAuth


def own_address() -> str:
    """This machine's address on its default route's interface (the room is reached there; nothing leaves)."""
    device = subprocess.run(["ip", "-4", "-o", "route", "show", "default"], capture_output=True,
                            text=True).stdout.split("dev ")[1].split()[0]
    return subprocess.run(["ip", "-4", "-o", "addr", "show", "dev", device], capture_output=True,
                          text=True).stdout.split("inet ")[1].split("/")[0]


def free_port() -> int:
    """A free port whose next port is free too (the room's page is served there)."""
    for _ in range(50):
        with socket.socket() as probe:
            probe.bind(("127.0.0.1", 0))
            port = probe.getsockname()[1]
        with socket.socket() as probe:
            try:
                probe.bind(("127.0.0.1", port + 1))
                return port
            except OSError:
                continue
    raise AssertionError("no two free ports")


def log_in(url: str, name: str, password: str, expect: int = 302) -> requests.Session:
    """Log in through the hub's login page, as a browser does (its _xsrf cookie, then the form)."""
    session = requests.Session()
    session.verify = False  # the room's self-signed certificate (its fingerprint is checked in the room fixture)
    session.trust_env = False  # no CA bundle or proxy from the environment: straight to this machine
    session.get(f"{url}/hub/login", timeout=30)
    answer = session.post(f"{url}/hub/login", data={"username": name, "password": password,
                                                    "_xsrf": session.cookies.get("_xsrf")},
                          allow_redirects=False, timeout=60)
    assert answer.status_code == expect, (name, answer.status_code, answer.text[-400:])
    session.landing = answer.headers.get("Location", "")
    if expect == 302:
        session.get(f"{url}/hub/home", headers=NAVIGATE, timeout=30)
        session.headers["X-XSRFToken"] = session.cookies.get("_xsrf", path="/hub/") or ""
    return session


def lab() -> Engine:
    return Engine.connect(engine.places().url)


def on(learner: str, command: str, ok: bool = True) -> str:
    """A command in the learner's terminal (``docker exec dl-workshop-NAME sh -c``)."""
    code, output = lab().exec(container_name(learner), ["sh", "-c", command])
    if ok:
        assert code == 0, (learner, command, output)
    return output.strip()


def refused(learner: str, command: str) -> str:
    """The command fails in the learner's terminal; returns what it said."""
    code, output = lab().exec(container_name(learner), ["sh", "-c", command])
    assert code != 0, (learner, command, output)
    return output.strip()


def host_traces() -> dict:
    """What a workshop leaves on the host if ``down`` forgets it: its namespace, uplink, cgroups, mounts,
    loop devices, processes."""
    where = engine.places()
    mounts = [line.split()[1] for line in Path("/proc/self/mounts").read_text().splitlines()]
    loops = subprocess.run(["losetup", "-a"], capture_output=True, text=True).stdout
    return {"netns": Path(f"/run/netns/{where.netns}").exists(),
            "uplink": Path(f"/sys/class/net/{where.uplink}").exists(),
            "cgroups": sorted(str(c) for c in Path("/sys/fs/cgroup").glob(f"*/{where.cgroup_parent.lstrip('/')}")),
            "mounts": [m for m in mounts if "workshop" in m and "learners" in m],
            "loops": [line for line in loops.splitlines() if "learners" in line and ".img" in line],
            "engine": engine.pid() is not None}


@pytest.fixture(scope="module")
def room(tmp_path_factory):
    state = tmp_path_factory.mktemp("workshop") / "state"
    env = {"DOCKERLAB_WORKSHOP_DIR": str(state)}
    run_cli("workshop", "down", "--yes", env=env)
    before = host_traces()
    port, address = free_port(), own_address()
    done = run_cli("workshop", "up", "--learners", "2", "--lazy", "--listen", address, "--port", str(port),
                   "--memory", "768m", "--disk", "1g", "--pids", "700", env=env, timeout=1200)
    try:
        assert done.returncode == 0, done.stdout[-2000:] + done.stderr[-2000:]
        passwords = dict(re.findall(r"^  (\w+) +([a-z2-9]{10})$", done.stdout, re.M))
        printed = re.search(r"^  ([0-9A-F:]{95})$", done.stdout, re.M).group(1)
        served = ssl.get_server_certificate((address, port))
        assert hashlib.sha256(ssl.PEM_cert_to_DER_cert(served)).hexdigest().upper() == printed.replace(":", "")
        yield {"env": env, "state": state, "url": f"https://{address}:{port}",
               "room": f"https://{address}:{port + 1}/services/progress/", "passwords": passwords,
               "before": before, "settings": json.loads((state / "settings.json").read_text()), "sessions": {}}
    finally:
        run_cli("workshop", "down", "--yes", "--to", str(state.parent), env=env)  # even when a test failed


def test_learners_log_in_once_and_each_gets_their_own_engine(room):
    url, passwords = room["url"], room["passwords"]
    assert sorted(passwords) == ["instructor", "learner1", "learner2"]
    assert (room["state"] / "roster.csv").stat().st_mode & 0o777 == 0o600
    log_in(url, "learner1", "wrong-one", expect=403)
    sessions = room["sessions"]
    for name in LEARNERS:
        sessions[name] = log_in(url, name, passwords[name])
        assert sessions[name].landing.endswith("/hub/spawn"), sessions[name].landing
    log_in(url, "learner1", passwords["learner1"], expect=403)  # a password opens its account once
    for name, session in sessions.items():
        assert session.post(f"{url}/hub/api/users/{name}/server", timeout=30).status_code in (201, 202)
    deadline = time.monotonic() + 300
    while not all(((s.get(f"{url}/hub/api/users/{n}", timeout=30).json().get("servers") or {}).get("") or {})
                  .get("ready") for n, s in sessions.items()):
        assert time.monotonic() < deadline, "the learners' servers did not become ready"
        time.sleep(1)
    for name, session in sessions.items():  # their JupyterLab answers them, through the front door and the proxy
        page = session.get(f"{url}/user/{name}/lab", headers=NAVIGATE, timeout=60)
        assert page.status_code == 200 and "JupyterLab" in page.text, (name, page.status_code, page.url)
    other = sessions["learner1"].get(f"{url}/user/learner2/lab", headers=NAVIGATE, timeout=60)
    assert other.status_code == 403 and "belongs to another account" in other.text, other.status_code

    # Lesson 01 in each: their own docker0, the first container at .2 of it, nobody else's containers
    for name in LEARNERS:
        docker0 = ipaddress.ip_interface(on(name, "ip -4 -o addr show docker0").split()[3])
        assert str(docker0.network) == on(name, "docker network inspect bridge -f '{{(index .IPAM.Config 0).Subnet}}'")
        on(name, "docker run -d --name c1 dockerlab/busybox sleep 1d")
        assert on(name, "docker inspect -f '{{.NetworkSettings.IPAddress}}' c1") == str(docker0.ip + 1)
    on("learner2", "docker run -d --name only-in-2 dockerlab/busybox sleep 1d")
    assert "only-in-2" not in on("learner1", "docker ps -a --format '{{.Names}}'").split()
    work = disk.mountpoint(room["state"], "learner1") / "work"
    assert (work / "notebooks/pictures/01-default-bridge.svg").exists()
    lesson11 = json.loads((work / "notebooks/11-overlay.ipynb").read_text())
    assert "not available in this workshop" in lesson11["cells"][0]["source"]


def test_lesson_01_and_its_sheet_run_in_a_learners_environment(room):
    solved = Path(__file__).parents[2] / "exercises/01-default-bridge.ipynb"
    target = disk.mountpoint(room["state"], "learner1") / "work/solved-01.ipynb"
    target.write_bytes(solved.read_bytes())
    os.chown(target, REMAP_BASE, REMAP_BASE)
    on("learner1", "docker rm -f c1 >/dev/null")
    for notebook in ("notebooks/01-default-bridge.ipynb", "solved-01.ipynb"):
        on("learner1", f"cd /root/work && jupyter nbconvert --execute --to notebook --output /tmp/run.ipynb "
                       f"--ExecutePreprocessor.timeout=300 {notebook} >/tmp/run.log 2>&1 "
                       "|| (tail -40 /tmp/run.log; false)")
    # the room sees it, read from learner1's own report (no command runs in their container to learn it)
    on("learner1", "python3 -c 'from dockerlab.workshop import learner; learner.write_report(learner.reading())'")
    done = json.loads(run_cli("workshop", "progress", "--json", env=room["env"]).stdout)
    assert done["learner1"]["tasks"]["01.3"] == "correct", done["learner1"]  # the sheet's own clean-up removed the rest


def test_a_learner_has_no_capability_on_the_host(room):
    # their root is an unprivileged uid on the host: its user namespace maps 0 to REMAP_BASE
    assert on("learner1", "cat /proc/self/uid_map").split() == ["0", str(REMAP_BASE), "65536"]
    pid = lab().container(container_name("learner1"))["State"]["Pid"]
    status = Path(f"/proc/{pid}/status").read_text()
    assert re.search(rf"^Uid:\s+{REMAP_BASE}\s", status, re.M), status
    assert os.stat(f"/proc/{pid}/ns/user").st_ino != os.stat("/proc/self/ns/user").st_ino
    core_pattern = Path("/proc/sys/kernel/core_pattern").read_text()
    # E1, E2: a fresh procfs or their own /proc/sys: core_pattern and the other host-global knobs refuse them
    refused("learner1", "mkdir -p /tmp/p && mount -t proc proc /tmp/p && echo '|/x' > /tmp/p/sys/kernel/core_pattern")
    refused("learner1", "echo '|/x' > /proc/sys/kernel/core_pattern")
    refused("learner1", "echo 1 > /proc/sys/kernel/sysrq")
    refused("learner1", "echo /x > /proc/sys/kernel/modprobe")
    assert Path("/proc/sys/kernel/core_pattern").read_text() == core_pattern
    # E5, E16: cgroups: no new hierarchy, no release_agent, their own limits not writable
    refused("learner1", "mkdir -p /tmp/cg && mount -t cgroup -o none,name=x cgroup /tmp/cg")
    on("learner1", "test ! -e /sys/fs/cgroup/memory/release_agent")
    refused("learner1", "echo -1 > /sys/fs/cgroup/memory/memory.limit_in_bytes")
    refused("learner1", "echo max > /sys/fs/cgroup/pids/pids.max")
    # E6: no device nodes, no device cgroup to widen
    refused("learner1", "mknod /tmp/disk b 8 0")
    refused("learner1", "echo a > /sys/fs/cgroup/devices/devices.allow")
    # E7: sysfs: host-global knobs refuse writes
    refused("learner1", "echo 0 > /sys/kernel/mm/transparent_hugepage/enabled")
    refused("learner1", "mkdir -p /tmp/s && mount -t sysfs sysfs /tmp/s && echo 0 > /tmp/s/kernel/mm/ksm/run")
    # E8-E11: the keyring answers ENOSYS, bpf() and system-wide perf events are refused, no tracefs/debugfs
    probe = ("import ctypes, os; libc = ctypes.CDLL(None, use_errno=True); "
             "calls = {'keyctl': (250, 0, -4, 0, 0, 0), 'bpf_next_prog': (321, 11, 0, 0, 0, 0), "
             "'perf_all_cpus': (298, 0, -1, 0, -1, 0)}; "
             "print({n: (libc.syscall(*a), ctypes.get_errno()) for n, a in calls.items()})")
    answers = on("learner1", f'python3 -c "{probe}"')
    assert answers == "{'keyctl': (-1, 38), 'bpf_next_prog': (-1, 1), 'perf_all_cpus': (-1, 14)}" or \
        all(result == "-1" for result in re.findall(r"\((-?\d+), \d+\)", answers)), answers
    refused("learner1", "mkdir -p /tmp/t && mount -t tracefs nodev /tmp/t")
    refused("learner1", "mkdir -p /tmp/d && mount -t debugfs nodev /tmp/d")
    # E13: no host process in sight
    processes = on("learner1", "ps -eo args")
    assert "jupyterhub-singleuser" in processes
    assert not any(word in processes for word in ("hub_config.py", "caddy", "configurable-http-proxy", "--data-root"))
    assert on("learner2", "echo alive") == "alive"


def test_a_learner_reaches_no_one_else_and_nothing_off_the_machine(room):
    chosen, where = room["settings"], engine.places()
    learner2 = on("learner2", "hostname -i")
    closed = "timeout 3 bash -c '</dev/tcp/{}/{}' 2>/dev/null && echo open || echo closed"
    assert on("learner1", closed.format("10.196.0.2", chosen["hub_port"])) == "open"  # their server needs it
    for address, port in ((learner2, 8888), ("10.196.0.2", chosen["proxy_port"]), ("10.196.0.1", 22),
                          ("127.0.0.1", chosen["proxy_api_port"]), ("10.196.0.2", chosen["view_port"])):
        assert on("learner1", closed.format(address, port)) == "closed", (address, port)
    # one learner a bridge, nothing forwarded, no route off the machine (nor to the metadata address)
    enter = where.enter
    for index in (1, 2):
        ports = subprocess.run([*enter, "ip", "-o", "link", "show", "master", f"dlw{index}"], capture_output=True,
                               text=True)
        assert len(ports.stdout.splitlines()) == 1, ports
    assert subprocess.run([*enter, "sysctl", "-n", "net.ipv4.ip_forward"], capture_output=True,
                          text=True).stdout.strip() == "0"
    for outside in ("192.0.2.1", "169.254.169.254"):
        route = subprocess.run([*enter, "ip", "route", "get", outside], capture_output=True, text=True)
        assert route.returncode != 0 and "unreachable" in route.stderr, route
    # the hub's API answers a learner's server with its own token only
    token = on("learner1", "cat /proc/1/environ | tr '\\0' '\\n' | sed -n 's/^JUPYTERHUB_API_TOKEN=//p'")
    api = f"http://10.196.0.2:{chosen['hub_port']}/hub/api"
    listed = on("learner1", f"python3 -c \"import urllib.request as u; r=u.Request('{api}/users', headers="
                            f"{{'Authorization': 'token {token}'}});\ntry: u.urlopen(r)\nexcept Exception as e: "
                            f"print(getattr(e, 'code', e))\"")
    assert listed == "403", listed


def test_a_fork_bomb_and_a_disk_filler_stop_at_the_learners_limits(room):
    assert room["settings"]["pids"] == 700
    on("learner1", "docker run -d --name bomb dockerlab/busybox sh -c "
                   "'i=0; while [ $i -lt 1000 ]; do sleep 300 & i=$((i + 1)); done; echo all 1000 started; wait'")
    deadline = time.monotonic() + 180
    while on("learner1", "docker inspect -f '{{.State.Running}}' bomb") == "true" and \
            "can't fork" not in on("learner1", "docker logs bomb 2>&1"):
        assert time.monotonic() < deadline
        time.sleep(2)
    logs = on("learner1", "docker logs bomb 2>&1")
    assert "can't fork" in logs and "all 1000 started" not in logs, logs  # 1000 processes do not fit in 700
    assert on("learner2", "echo alive") == "alive"
    on("learner1", "docker rm -f bomb >/dev/null")
    assert on("learner1", "echo alive") == "alive"
    full = on("learner1", "dd if=/dev/zero of=/root/work/fill bs=1M count=2000 2>&1", ok=False)
    assert "No space left" in full, full
    on("learner1", "rm -f /root/work/fill")
    tmp = on("learner1", "dd if=/dev/zero of=/tmp/fill bs=1M count=400 2>&1; rm -f /tmp/fill", ok=False)
    assert "No space left" in tmp, tmp
    assert on("learner2", "echo alive") == "alive"


def test_the_instructors_room(room):
    url, rooms = room["url"], room["room"]
    instructor = log_in(url, "instructor", room["passwords"]["instructor"])
    assert instructor.landing == rooms  # the room's page, on an origin of its own
    page = instructor.get(rooms, headers=NAVIGATE, timeout=60)
    assert page.status_code == 200 and page.url.startswith(rooms), (page.status_code, page.url)
    assert "learner1" in page.text and "learner2" in page.text
    assert "default-src 'none'" in page.headers["Content-Security-Policy"]
    # in the hub's origin (where learners serve their own pages) the room is only a redirect away
    moved = log_in(url, "nobody", "x", expect=403).get(f"{url}/services/progress/", allow_redirects=False, timeout=30)
    assert moved.status_code in (301, 302, 308) and moved.headers["Location"].startswith(rooms.split("/services")[0])
    # a learner cannot open it, nor can a token
    assert room["sessions"]["learner1"].get(rooms + "api", timeout=30, headers=NAVIGATE).status_code != 200
    token = {"Authorization": f"token {room['settings']['token']}"}
    assert log_in(url, "nobody", "x", expect=403).get(rooms + "api", headers=token, allow_redirects=False,
                                                      timeout=30).status_code != 200
    # a hostile report is read, allow-listed and escaped (the learner stops their own reporter first)
    on("learner2", "kill $(pgrep -f 'dockerlab[.]workshop[.]learner report')")
    on("learner2", "printf '%s' '{\"time\": 1, \"notebook\": \"<script>x</script>\", \"tasks\": "
                   "{\"01.1\": \"<img src=x onerror=alert(1)>\", \"01.2\": \"correct\"}}' "
                   "> /var/lib/dockerlab-report/progress.json")
    deadline = time.monotonic() + 60
    while True:
        reading = instructor.get(rooms + "api", timeout=30).json()["learners"]
        if reading["learner2"]["tasks"].get("01.2") == "correct":
            break
        assert time.monotonic() < deadline, reading
        time.sleep(2)
    assert reading["learner2"]["tasks"] == {"01.2": "correct"} and reading["learner2"]["lesson"] == "01"
    page = instructor.get(rooms, timeout=30).text
    assert "<script>x" not in page and "onerror" not in page
    grades = instructor.get(rooms + "grades.csv", timeout=30)
    header = grades.text.splitlines()[0].split(",")
    tasks = [column for column in header if re.fullmatch(r"\d\d\.\d", column)]
    assert header[:4] == ["learner", "correct", "tasks", "01.1"] and len(tasks) >= 24, header
    assert f"learner2,1,{len(tasks)}," in grades.text  # one task of them all correct
    assert "need a hand" in instructor.get(rooms + "projector", timeout=30).text
    # reset: asked first, done at once; a new password: the old is refused, the new opens it, the work stays
    on("learner2", "docker run -d --name c2 dockerlab/busybox sleep 1d")
    ask = instructor.get(rooms + "reset/learner2", timeout=30)
    assert "Empty the engine of learner2?" in ask.text and on("learner2", "docker ps -q") != ""
    xsrf = re.search(r'name="_xsrf" value="([^"]+)"', ask.text).group(1)
    forged = instructor.post(rooms + "reset/learner2", data={"_xsrf": xsrf}, timeout=60,
                             headers={"Origin": url})  # a form from a page in the hub's origin
    assert forged.status_code == 403 and on("learner2", "docker ps -q") != ""
    instructor.headers["Origin"] = rooms.split("/services")[0]  # as the browser says for the room's own forms
    done = instructor.post(rooms + "reset/learner2", data={"_xsrf": xsrf}, timeout=120)
    assert "is empty (0 containers left)" in done.text and on("learner2", "docker ps -aq") == ""
    done = instructor.post(rooms + "password/learner2", data={"_xsrf": xsrf}, timeout=60)
    password = re.search(r"New password for learner2: ([a-z2-9]{10})", done.text).group(1)
    log_in(url, "learner2", password)
    # restart: their environment stops and starts again; their work, their engine's images stay
    on("learner2", "echo mine > /root/work/notes.txt && echo edited >> /root/work/notebooks/02-veth-pairs.ipynb")
    before = lab().container(container_name("learner2"))["Id"]
    done = instructor.post(rooms + "restart/learner2", data={"_xsrf": xsrf}, timeout=300)
    assert "is restarting" in done.text, done.text
    deadline = time.monotonic() + 240
    while True:
        try:
            if lab().container(container_name("learner2"))["Id"] != before and \
                    on("learner2", "docker info -f ok") == "ok":
                break
        except Exception:  # noqa: BLE001 - not there yet
            pass
        assert time.monotonic() < deadline, "learner2's environment did not come back"
        time.sleep(2)
    assert on("learner2", "cat /root/work/notes.txt") == "mine"
    assert on("learner2", "tail -c 7 /root/work/notebooks/02-veth-pairs.ipynb") == "edited"  # kept, not replaced
    assert on("learner2", "docker image inspect dockerlab/busybox -f ok") == "ok"


def test_no_command_runs_in_a_learners_container_to_read_the_room(room):
    """The room is read from each learner's report: no `docker exec` in two rounds of the view's reading."""
    start = int(time.time()) + 1  # the events of whole seconds: none of the test before this one's last second
    time.sleep(start - time.time() + 25)
    events = lab().api.events(since=start, until=int(time.time()), decode=True,
                              filters={"type": "container", "event": "exec_create"})
    assert list(events) == []


def test_guessing_passwords_is_slowed_down(room):
    """Five failed logins from one browser in five minutes, then a page that says to wait (the room is done with
    logins by now: this address is refused for a while)."""
    for _ in range(6):
        session = requests.Session()
        session.verify, session.trust_env = False, False
        session.get(f"{room['url']}/hub/login", timeout=30)
        answer = session.post(f"{room['url']}/hub/login", timeout=60, allow_redirects=False,
                              data={"username": "ghost", "password": "guess", "_xsrf": session.cookies.get("_xsrf")})
        if answer.status_code == 429:
            break
        assert answer.status_code == 403, answer.status_code
    assert answer.status_code == 429 and "Too many failed logins" in answer.text, answer.text[-500:]


def test_collect_then_down_leaves_the_work_in_an_archive_and_the_host_as_before(room):
    on("learner1", "echo '{\"cells\": []}' > /root/work/mine.ipynb && ln -sf /etc/shadow /root/work/shadow.ipynb")
    out = room["state"].parent / "collected"
    done = run_cli("workshop", "collect", "--to", str(out), env=room["env"])
    assert done.returncode == 0, done.stderr
    archive = next(out.glob("workshop-*.tar.gz"))
    with tarfile.open(archive) as bundle:
        names = bundle.getnames()
    assert "learner1/mine.ipynb" in names and "learner1/notebooks/01-default-bridge.ipynb" in names
    assert not any("shadow" in name for name in names)
    done = run_cli("workshop", "down", env=room["env"])  # no terminal to ask in: refused
    assert done.returncode == 2 and "--yes" in done.stderr
    done = run_cli("workshop", "down", "--yes", "--to", str(out), env=room["env"])
    assert done.returncode == 0, done.stderr
    assert host_traces() == room["before"]
    done = run_cli("workshop", "status", env=room["env"])
    assert done.returncode == 2 and "No workshop is running here" in done.stderr


def test_commands_without_a_workshop_are_explained(tmp_path):
    env = {"DOCKERLAB_WORKSHOP_DIR": str(tmp_path / "none")}
    done = run_cli("workshop", "exec", "learner9", "--", "true", env=env)
    assert done.returncode == 2 and "No workshop is running here" in done.stderr
    done = run_cli("workshop", "up", "--learners", "0", env=env)
    assert done.returncode == 2 and "1 to 200 learners" in done.stderr
    done = run_cli("workshop", "up", "--learners", "2", "--memory", "100m", env=env)
    assert done.returncode == 2 and "at least 256 MB" in done.stderr
