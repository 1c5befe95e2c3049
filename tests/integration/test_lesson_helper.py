"""`lab.docker(...)` runs real docker commands on the engine, labelled, with clear refusals."""
from __future__ import annotations

import ipaddress

import pytest

from dockerlab import errors
from dockerlab.lesson import Lab


@pytest.fixture
def lab(engine, lesson_id):
    return Lab(engine, lesson_id)


def test_run_exec_inspect_and_labels(lab, lesson_id, capsys):
    lab.docker("run -d --name h1 dockerlab/busybox sleep 1d")
    shown = capsys.readouterr().out.splitlines()
    assert shown[0] == "$ docker run -d --name h1 dockerlab/busybox sleep 1d"
    assert len(shown[1]) == 64
    result = lab.docker("inspect --format '{{.Name}} {{json .Config.Labels}}' h1")
    assert result.output.startswith("/h1 {")
    assert result.data["Config"]["Labels"]["io.dockerlab.lesson"] == lesson_id
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


def test_ip_on_default_bridge_refused_and_leaves_nothing(lab, engine, lesson_id):
    result = lab.docker("run -d --name fixed --ip 172.17.0.50 dockerlab/busybox sleep 1d", should_fail=True)
    assert "user defined networks only" in result.output
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
    with pytest.raises(errors.SubnetOverlap) as overlap:
        lab.docker("network create --subnet 10.206.0.0/16 second-net")
    assert "overlaps" in str(overlap.value) and "Pick another subnet" in str(overlap.value)


def test_typo_in_name_is_explained(lab):
    with pytest.raises(errors.NotFound) as missing:
        lab.docker("exec no-such-container true")
    assert "Check the name for typos" in str(missing.value)


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
        with pytest.raises(errors.NameInUse) as taken:
            Lab(engine, lesson_id).docker("run -d --name shared-name dockerlab/busybox sleep 1d")
        assert f"lesson {lesson_id}-earlier left behind" in str(taken.value)
        assert f"dockerlab reset --lesson {lesson_id}-earlier" in str(taken.value)
    finally:
        other.clean()
