"""`lab.docker(...)` runs the real docker CLI through the course's proxy: labelled, with clear refusals."""
from __future__ import annotations

import ipaddress
import re
import time

import pytest

from dockerlab import errors
from dockerlab.lessons.lesson import Lab


@pytest.fixture
def lab(engine, lesson_id):
    made = Lab(engine, lesson_id)
    yield made
    made.engine.close()  # the lesson's own session: its proxy stops


def test_run_exec_inspect_and_labels(lab, lesson_id, capsys):
    lab.docker("run -d --name h1 dockerlab/busybox sleep 1d")
    shown = capsys.readouterr().out.splitlines()
    assert shown[0] == "$ docker run --dns 127.0.0.1 -d --name h1 dockerlab/busybox sleep 1d"
    assert len(shown[-1]) == 64
    result = lab.docker("inspect --format '{{.Name}} {{json .Config.Labels}} {{.HostConfig.Dns}}' h1")
    assert result.output.startswith("/h1 {") and result.output.strip().endswith("[127.0.0.1]")
    assert lab.container("h1")["Config"]["Labels"]["io.dockerlab.lesson"] == lesson_id
    echoed = lab.docker("exec h1 sh -c 'echo $((6 * 7))'")
    assert echoed.output.strip() == "42"


def test_foreground_run_returns_output_and_removes_with_rm(lab, engine, lesson_id):
    result = lab.docker("run --rm --network none dockerlab/busybox ip -o link")
    assert "lo" in result.output and "eth0" not in result.output
    assert engine.labelled(lesson_id)["containers"] == []


def test_failing_exec_is_an_error_unless_expected(lab):
    lab.docker("run -d --name h2 dockerlab/busybox sleep 1d", quiet=True)
    with pytest.raises(errors.CommandRefused) as failed:
        lab.docker("exec h2 false")
    assert "exited with code 1" in str(failed.value)
    assert lab.docker("exec h2 false", should_fail=True).exit_code == 1
    with pytest.raises(errors.CommandRefused) as surprised:
        lab.docker("exec h2 true", should_fail=True)
    assert "expected to be refused" in str(surprised.value)


def test_ip_on_default_bridge_is_refused_as_in_a_terminal(lab, engine, lesson_id):
    """Docker 20.10 refuses at start and leaves the container created; from 25 the create itself is refused
    (lesson 04 shows both)."""
    docker0 = ipaddress.ip_network(lab.network("bridge")["IPAM"]["Config"][0]["Subnet"])
    result = lab.docker(f"run -d --name fixed --ip {docker0[50]} dockerlab/busybox sleep 1d", should_fail=True)
    assert "user defined networks only" in result.output
    left = lab.docker("ps -a --filter name=^/fixed$ --format '{{.Status}}'", quiet=True).output.strip()
    if int(lab.engine_version.split(".")[0]) < 25:
        assert left == "Created", left
        lab.docker("rm fixed")
    else:
        assert left == "", left
    assert engine.labelled(lesson_id)["containers"] == []


def test_user_network_fixed_ip_connect_disconnect(lab):
    lab.docker("network create --subnet 10.207.0.0/24 --gateway 10.207.0.254 helper-net", quiet=True)
    assert lab.network("helper-net")["IPAM"]["Config"][0]["Gateway"] == "10.207.0.254"
    lab.docker("run -d --name h3 --network helper-net --ip 10.207.0.9 --network-alias web dockerlab/busybox sleep 1d")
    assert lab.ip("h3", "helper-net") == "10.207.0.9"
    assert "web" in lab.container("h3")["NetworkSettings"]["Networks"]["helper-net"]["Aliases"]
    lab.docker("network connect bridge h3")
    links = lab.docker("exec h3 ip -o -4 addr").output
    assert "eth1" in links and ipaddress.ip_address(lab.ip("h3", "bridge")) in ipaddress.ip_network("172.17.0.0/16")
    lab.docker("network disconnect bridge h3")
    assert "eth1" not in lab.docker("exec h3 ip -o -4 addr").output


def test_overlapping_subnet_is_explained(lab):
    lab.docker("network create --subnet 10.206.0.0/24 first-net", quiet=True)
    with pytest.raises(errors.CommandRefused) as overlap:
        lab.docker("network create --subnet 10.206.0.0/16 second-net")
    assert "overlaps" in str(overlap.value)


def test_typo_in_name_is_explained(lab):
    with pytest.raises(errors.CommandRefused) as missing:
        lab.docker("exec no-such-container true")
    assert "No such container: no-such-container" in str(missing.value)


def test_published_port_is_reachable_from_the_host_on_localhost(lab):
    lab.docker("run -d --name pub -p 127.0.0.1:18080:80 dockerlab/busybox "
               "sh -c 'echo published > /var/www/index.html; httpd -f -p 80 -h /var/www'", quiet=True)
    assert lab.container("pub")["NetworkSettings"]["Ports"]["80/tcp"] == [{"HostIp": "127.0.0.1", "HostPort": "18080"}]
    reply = lab.docker("run --rm --network host dockerlab/busybox timeout 2 wget -qO- http://127.0.0.1:18080/")
    assert reply.output.strip() == "published"


def test_leftover_of_another_lesson_is_named(engine, lesson_id):
    other = Lab(engine, lesson_id + "-earlier")
    try:
        other.docker("run -d --name shared-name dockerlab/busybox sleep 1d", quiet=True)
        with pytest.raises(errors.CommandRefused) as taken:
            Lab(engine, lesson_id).docker("run -d --name shared-name dockerlab/busybox sleep 1d")
        assert f"lesson {lesson_id}-earlier left behind" in str(taken.value)
    finally:
        other.clean()


def test_run_detached_with_rm_keeps_running_until_it_exits(lab, engine, lesson_id):
    lab.docker("run -d --rm --name brief dockerlab/busybox sleep 2", quiet=True)
    assert lab.container("brief")["State"]["Running"]
    for _ in range(50):
        if "brief" not in engine.labelled(lesson_id)["containers"]:
            break
        time.sleep(0.2)
    assert "brief" not in engine.labelled(lesson_id)["containers"]


def test_rm_without_force_is_refused_by_the_engine_and_stop_uses_the_clis_timeout(lab):
    lab.docker("run -d --name busy dockerlab/busybox sleep 1d", quiet=True)
    refused = lab.docker("rm busy", should_fail=True)
    # 20.10: "You cannot remove a running container ID. Stop the container before attempting removal or force
    # remove"; from 25 (moby daemon/delete.go): 'cannot remove container "busy": container is running: stop ...'
    assert re.search(r"cannot remove a running container|container is running: stop the container", refused.output), \
        refused.output
    started = time.monotonic()
    lab.docker("stop busy")  # sleep as PID 1 ignores SIGTERM: the CLI's default 10 s, then SIGKILL
    assert 9 <= time.monotonic() - started < 30
    assert lab.docker("rm busy").output.strip() == "busy"


def test_the_learners_own_objects_are_refused_with_the_course_message(lab, learner):
    learner.container("own-box")
    learner.network("own-net")
    for command in ["stop own-box", "rm -f own-box", "exec own-box true", "kill own-box", "rename own-box x",
                    "network rm own-net", "network connect own-net own-box", "network disconnect bridge own-box",
                    "run --rm --network own-net dockerlab/busybox true"]:
        refused = lab.docker(command, should_fail=True, quiet=True)
        assert "is not the course's, so the course will not" in refused.output, command
    assert learner.client.containers.get("own-box").status == "running"
    lab.docker("run -d --name ours dockerlab/busybox sleep 1d", quiet=True)
    lab.docker("network connect bridge ours", should_fail=True, quiet=True)  # already there: the engine says so
    lab.docker("container prune -f", quiet=True)
    learner.client.containers.get("own-box")


def test_a_name_the_learner_uses_is_answered_by_the_engine_and_their_object_left_alone(lab, learner):
    learner.container("web1")
    learner.network("labnet")
    taken = lab.docker("run -d --name web1 dockerlab/busybox sleep 1d", should_fail=True)
    assert '"/web1" is already in use' in taken.output
    assert "already exists" in lab.docker("network create labnet", should_fail=True).output
    assert learner.client.containers.get("web1").labels.get("io.dockerlab.managed") is None


def test_streams_pass_through_the_proxy(lab):
    lab.docker("run -d --name talker dockerlab/busybox sh -c 'for i in 1 2 3; do echo line $i; sleep 0.2; done'",
               quiet=True)
    followed = lab.docker("logs -f talker")
    assert followed.output.split() == ["line", "1", "line", "2", "line", "3"]
    attached = lab.docker("run --rm -i dockerlab/busybox sh -c 'cat; echo end'")
    assert attached.output.splitlines()[-1] == "end" and "Localhost DNS" in attached.output  # the CLI warns


@pytest.mark.parametrize("command, says", [
    ("run -p abc:80 dockerlab/busybox true", "invalid"),
    ("stop -t soon nothing", 'invalid argument "soon"'),
    ("run --frobnicate dockerlab/busybox", "unknown flag: --frobnicate"),
    ("connect bridge c1", "unknown command"),
    ("network create --subnet 10.1.2.300/24 bad", "invalid"),
    ("run -it dockerlab/busybox sh", "not a TTY"),
    ("inspect --format '{{.Nope' x", "template"),
])
def test_malformed_commands_give_a_course_error_carrying_the_clis_message(lab, command, says):
    with pytest.raises(errors.LabError) as refused:
        lab.docker(command, quiet=True)
    assert says in str(refused.value)


def test_lab_end_raises_a_course_error_when_something_stays(lab, monkeypatch):
    lab.docker("run -d --name stays dockerlab/busybox sleep 1d", quiet=True)
    monkeypatch.setattr(lab, "clean", dict)
    with pytest.raises(errors.LabError, match="stays"):
        lab.end()


def test_dockers_tutorial_networking_with_standalone_containers(lab, capsys):
    """docs.docker.com "Networking with standalone containers", as written, with dockerlab/busybox for alpine
    (``sh`` for ``ash``). What the tutorial types after ``docker attach`` runs with ``docker exec``, and the
    pings to google.com are left out: nothing of the course leaves this machine."""
    lab.docker("network ls")
    lab.docker("run -dit --name alpine1 dockerlab/busybox sh")
    lab.docker("run -dit --name alpine2 dockerlab/busybox sh")
    assert {"alpine1", "alpine2"} <= set(lab.docker("container ls").output.split())
    bridge = lab.docker("network inspect bridge").output
    assert '"Name": "alpine1"' in bridge and '"Name": "alpine2"' in bridge
    assert f"inet {lab.ip('alpine1')}/16" in lab.docker("exec alpine1 ip addr show").output
    assert "2 packets received" in lab.docker(f"exec alpine1 ping -c 2 {lab.ip('alpine2')}").output
    assert "bad address 'alpine2'" in lab.docker("exec alpine1 ping -c 2 alpine2", should_fail=True).output
    lab.docker("container stop alpine1 alpine2")
    lab.docker("container rm alpine1 alpine2")

    lab.docker("network create --driver bridge alpine-net")
    assert "alpine-net" in lab.docker("network ls").output
    lab.docker("network inspect alpine-net")
    lab.docker("run -dit --name alpine1 --network alpine-net dockerlab/busybox sh")
    lab.docker("run -dit --name alpine2 --network alpine-net dockerlab/busybox sh")
    lab.docker("run -dit --name alpine3 dockerlab/busybox sh")
    lab.docker("run -dit --name alpine4 --network alpine-net dockerlab/busybox sh")
    lab.docker("network connect bridge alpine4")
    assert len(lab.docker("container ls --filter name=alpine").output.splitlines()) == 5
    lab.docker("network inspect bridge")
    lab.docker("network inspect alpine-net")
    for name in ("alpine2", "alpine4", "alpine1"):
        assert "2 packets received" in lab.docker(f"container exec alpine1 ping -c 2 {name}").output
    assert "bad address 'alpine3'" in lab.docker("exec alpine1 ping -c 2 alpine3", should_fail=True).output
    alpine3 = lab.ip("alpine3")
    assert "0 packets received" in lab.docker(f"exec alpine1 ping -c 2 -W 1 {alpine3}", should_fail=True).output
    for name in ("alpine1", "alpine2"):
        assert "2 packets received" in lab.docker(f"container exec alpine4 ping -c 2 {name}").output
    assert "bad address 'alpine3'" in lab.docker("exec alpine4 ping -c 2 alpine3", should_fail=True).output
    assert "2 packets received" in lab.docker(f"exec alpine4 ping -c 2 {alpine3}").output
    assert "2 packets received" in lab.docker("exec alpine4 ping -c 2 alpine4").output
    lab.docker("container stop alpine1 alpine2 alpine3 alpine4")
    lab.docker("container rm alpine1 alpine2 alpine3 alpine4")
    lab.docker("network rm alpine-net")
    assert "Error" not in capsys.readouterr().out
