"""Faults a learner meets: two dockerd processes, a lesson and a sheet open at once, a re-run first cell,
the engine gone and back, the kernel interrupted during `cluster up`, a full disk during an image build."""
from __future__ import annotations

import contextlib
import os
import shutil
import signal
import subprocess
import sys
import time

import pytest

import dockerlab
from dockerlab import errors
from dockerlab.engine.client import Engine
from dockerlab.host import cleanup, cluster, hostshell
from dockerlab.host.session import LiveSession
from tests.conftest import ROOT, run_cli
from tests.integration.conftest import host_changes


@pytest.fixture
def second_dockerd(tmp_path):
    """Another process named dockerd on the machine (as a second engine or a lab node would be)."""
    impostor = tmp_path / "dockerd"
    shutil.copy("/bin/sleep", impostor)
    process = subprocess.Popen([str(impostor), "300"])
    yield process
    process.kill()
    process.wait()


def test_host_commands_through_the_helper_work_while_another_dockerd_runs(engine, second_dockerd, monkeypatch):
    monkeypatch.setattr(hostshell, "runs_here", lambda engine: False)  # the way a non-root learner runs them
    code, output = hostshell.run(engine, ["ip", "-o", "link", "show", "lo"])
    assert code == 0 and "lo:" in output


@pytest.fixture
def two_ids(engine, lesson_id):
    ids = (lesson_id, f"{lesson_id}-ex")
    yield ids
    for each in ids:
        cleanup.remove(engine, each)


def test_a_lesson_and_its_sheet_open_at_once_leave_each_other_alone(two_ids, capsys):
    lesson_id, sheet_id = two_ids
    lesson = dockerlab.lesson(lesson_id)
    sheet = dockerlab.lesson(sheet_id)
    lesson.docker("network create shared-l-net", quiet=True)
    lesson.docker("run -d --name in-lesson --network shared-l-net dockerlab/busybox sleep 1d", quiet=True)
    sheet.docker("run -d --name in-sheet dockerlab/busybox sleep 1d", quiet=True)
    capsys.readouterr()

    again = dockerlab.lesson(lesson_id)  # the lesson's first cell, run again
    said = capsys.readouterr().out
    removing = [line for line in said.splitlines() if f"Removing what an earlier run of {lesson_id} left" in line]
    assert len(removing) == 1, said
    assert "in-lesson" in removing[0] and "shared-l-net" in removing[0] and "in-sheet" not in removing[0]
    assert f"dockerlab reset --lesson {sheet_id}" in said  # the sheet's container is named, with its clear-up
    assert sheet.container("in-sheet")["State"]["Running"]

    again.docker("run -d --name in-lesson dockerlab/busybox sleep 1d", quiet=True)
    sheet.end()
    assert again.container("in-lesson")["State"]["Running"]
    again.end()
    assert not any(cleanup.find(again.engine, lesson_id).values())


def test_a_first_cell_with_nothing_left_says_only_that_it_is_ready(lesson_id, capsys):
    dockerlab.lesson(lesson_id)
    assert "Removing" not in capsys.readouterr().out


def test_the_engine_gone_and_back_mid_lesson(engine, lesson_id, tmp_path):
    """While the engine is away the CLI prints the course's message; the next command after it is back works."""
    from dockerlab.engine.client import socket_path
    from dockerlab.lessons.lesson import Lab
    from tests.integration.proxy import EngineProxy

    engine_side = EngineProxy(str(tmp_path / "engine.sock"), target=socket_path(engine.url))
    lab = Lab(LiveSession(Engine.connect(engine_side.url), lesson_id), lesson_id)
    try:
        lab.docker("run -d --name survivor dockerlab/busybox sleep 1d", quiet=True)
        engine_side.cut()
        gone = lab.docker("ps", should_fail=True)
        assert "No Docker engine answers" in gone.output
        engine_side.restore()
        assert "survivor" in lab.docker("ps --format '{{.Names}}'").output
    finally:
        lab.engine.proxy().stop()
        engine_side.cut()


def test_cluster_up_interrupted_while_joining_leaves_nothing(engine, host_without_cluster):
    """Ctrl-C (a notebook's "interrupt kernel" is the same SIGINT) while the nodes join the swarm."""
    # Ctrl-C as a terminal gives it: a run started in the background of a shell without job control inherits
    # SIGINT ignored, and Python then keeps ignoring it (CI runs launched so saw the swarm form, exit 0)
    up = subprocess.Popen([sys.executable, "-m", "dockerlab", "cluster", "up", "--nodes", "2"], cwd=ROOT,
                          env={**os.environ, "PYTHONUNBUFFERED": "1"}, stdout=subprocess.PIPE,
                          stderr=subprocess.PIPE, text=True,
                          preexec_fn=lambda: signal.signal(signal.SIGINT, signal.SIG_DFL))
    for line in up.stdout or ():
        if "docker swarm join" in line:
            up.send_signal(signal.SIGINT)
            break
    said, complaint = up.communicate(timeout=120)
    assert up.returncode == 2, (said, complaint)
    assert "Interrupted: removing what was made" in said
    assert "Starting the lab cluster was interrupted" in complaint and "Traceback" not in complaint
    assert host_changes(engine, host_without_cluster) == {}


def test_interrupt_kernel_during_cluster_up_shows_the_message_and_leaves_nothing(engine, host_without_cluster):
    """A notebook's "interrupt kernel" while `lab.cluster()` has the nodes join the swarm."""
    from jupyter_client.manager import start_new_kernel

    manager, client = start_new_kernel(kernel_name="python3", cwd=str(ROOT))
    try:
        cell = client.execute(f"import dockerlab\nlab = dockerlab.lesson({cluster.DEFAULT_LESSON!r})\nlab.cluster(2)")
        said, interrupted = [], False
        while True:
            message = client.get_iopub_msg(timeout=120)
            if message["parent_header"].get("msg_id") != cell:
                continue
            content = message["content"]
            if message["msg_type"] == "stream":
                said.append(content["text"])
                if "docker swarm join" in content["text"] and not interrupted:
                    manager.interrupt_kernel()
                    interrupted = True
            elif message["msg_type"] == "error":
                said.append("\n".join(content["traceback"]))
            elif message["msg_type"] == "status" and content["execution_state"] == "idle":
                break
    finally:
        client.stop_channels()
        manager.shutdown_kernel(now=True)
    shown = "".join(said)
    assert interrupted and "Starting the lab cluster was interrupted" in shown, shown
    assert "Traceback" not in shown and "KeyboardInterrupt" not in shown
    assert host_changes(engine, host_without_cluster) == {}


def test_an_interrupt_during_the_undo_is_finished_by_the_next_up(engine, host_without_cluster, monkeypatch):
    """Interrupted twice: once while starting the first node, again while removing what was made."""
    def interrupt(line):
        if line.startswith("Starting dl-node1"):
            raise KeyboardInterrupt

    real_remove = cleanup.remove

    def interrupted_remove(engine, lesson):
        monkeypatch.setattr(cleanup, "remove", real_remove)  # the next removal runs
        raise KeyboardInterrupt

    monkeypatch.setattr(cleanup, "remove", interrupted_remove)
    with pytest.raises(errors.CommandRefused, match="`dockerlab cluster down` removes it"):
        cluster.up(engine, nodes=1, progress=interrupt)
    assert engine.labelled(cluster.DEFAULT_LESSON) == {"containers": [], "networks": [cluster.UNDERLAY],
                                                       "volumes": []}
    said: list[str] = []
    assert [node.ready for node in cluster.up(engine, nodes=1, progress=said.append)] == [True]
    assert "Removing the previous lab cluster of cluster" in said
    cluster.down(engine)
    assert host_changes(engine, host_without_cluster) == {}


FULL_ROOT, FULL_RUN, FULL_NETNS = "/var/lib/dl-full", "/run/dl-full", "dlfull"


@pytest.fixture
def engine_with_full_disk():
    """An engine of its own whose data root is a 64 MB tmpfs, filled up; in its own network namespace.

    Started with this machine's dockerd, stopped and unmounted afterwards, leaving no trace.
    """
    if os.path.exists(FULL_ROOT) or os.path.exists(f"/run/netns/{FULL_NETNS}"):
        pytest.fail(f"{FULL_ROOT} or netns {FULL_NETNS} is left from an earlier run: remove it first", pytrace=False)
    socket = f"{FULL_RUN}/docker.sock"
    subprocess.run(["ip", "netns", "add", FULL_NETNS], check=True)
    subprocess.run(["nsenter", f"--net=/run/netns/{FULL_NETNS}", "ip", "link", "set", "lo", "up"], check=True)
    os.makedirs(FULL_ROOT)
    subprocess.run(["mount", "-t", "tmpfs", "-o", "size=64m", "tmpfs", FULL_ROOT], check=True)
    daemon = subprocess.Popen(
        ["nsenter", f"--net=/run/netns/{FULL_NETNS}", "dockerd", "--data-root", FULL_ROOT,
         "--exec-root", FULL_RUN, "--pidfile", f"{FULL_RUN}/pid", "-H", f"unix://{socket}",
         "--iptables=false", "--bridge=none", "--storage-driver", "vfs",
         "--containerd-namespace", "dlfull", "--containerd-plugins-namespace", "dlfull-plugins"],
        stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, start_new_session=True)
    try:
        deadline = time.monotonic() + 20
        while not os.path.exists(socket) and daemon.poll() is None and time.monotonic() < deadline:
            time.sleep(0.1)
        assert os.path.exists(socket), "the full-disk engine did not start"
        # fill the disk: everything but a few hundred kB, less than the build context
        subprocess.run(["fallocate", "-l", "63M", f"{FULL_ROOT}/filler"], check=True)
        yield f"unix://{socket}"
    finally:
        daemon.terminate()  # dockerd stops its own containerd
        try:
            daemon.wait(timeout=20)
        except subprocess.TimeoutExpired:
            daemon.kill()
            daemon.wait()
        subprocess.run(["umount", FULL_ROOT], check=False)
        with contextlib.suppress(OSError):
            os.rmdir(FULL_ROOT)
        shutil.rmtree(FULL_RUN, ignore_errors=True)
        subprocess.run(["ip", "netns", "delete", FULL_NETNS], check=False)


def test_a_full_disk_during_setup_says_what_is_full_and_tags_nothing(engine_with_full_disk):
    done = run_cli("setup", "--source", "build", env={"DOCKER_HOST": engine_with_full_disk}, timeout=60)
    assert done.returncode == 2, (done.stdout, done.stderr)
    assert "Traceback" not in done.stderr
    assert "The Docker engine's disk is full" in done.stderr and "no space left on device" in done.stderr
    assert "docker system df" in done.stderr
    full = Engine.connect(engine_with_full_disk)
    assert full.image("dockerlab/busybox") is None
    tags = [tag for image in full.api.images(all=True) for tag in image.get("RepoTags") or []]
    assert set(tags) <= {"<none>:<none>"}, tags  # no half-built image tagged
