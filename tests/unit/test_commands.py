"""Docker command lines: splitting them, and where the course adds --dns 127.0.0.1. No engine."""
from __future__ import annotations

import pytest

from dockerlab import errors
from dockerlab.engine import command_line as commands


def test_split_drops_docker_and_keeps_quoted_words():
    assert commands.split("docker exec c1 sh -c 'echo $((6 * 7))'") == ["exec", "c1", "sh", "-c", "echo $((6 * 7))"]
    assert commands.split("network ls") == ["network", "ls"]


@pytest.mark.parametrize("command", ["", "   ", "docker", "run 'oops", 'exec c1 sh -c "echo', "exec c1 a\x00b",
                                     "run \ud800"])
def test_unreadable_or_empty_command_lines_are_course_errors(command):
    with pytest.raises(errors.UnsupportedCommand) as raised:
        commands.split(command)
    assert raised.value.key in ("command-empty", "command-unparsable")


@pytest.mark.parametrize("typed, ran", [
    ("run -d --name c1 dockerlab/busybox sleep 1d", "run --dns 127.0.0.1 -d --name c1 dockerlab/busybox sleep 1d"),
    ("docker run -dit --name a1 dockerlab/busybox sh",
     "docker run --dns 127.0.0.1 -dit --name a1 dockerlab/busybox sh"),
    ("container create --network=mynet img", "container create --dns 127.0.0.1 --network=mynet img"),
    ("run --rm -p8080:80 --net lbnet img wget --network host",
     "run --dns 127.0.0.1 --rm -p8080:80 --net lbnet img wget --network host"),
])
def test_the_course_adds_its_dns_setting_where_a_container_would_ask_the_machines_dns(typed, ran):
    assert commands.with_contained_dns(typed) == ran


@pytest.mark.parametrize("typed", [
    "run --dns 8.8.8.8 -d img", "run -d --dns=127.0.0.1 img", "run --rm --network host img ip link",
    "run --network=none img", "run -d --net container:app img", "exec c1 run", "network create run",
    "runner -d img", "ps",
])
def test_the_course_leaves_other_commands_as_typed(typed):
    assert commands.with_contained_dns(typed) == typed


def test_one_rule_decides_the_dns_setting():
    assert commands.wants_contained_dns("", None)
    assert commands.wants_contained_dns("mynet", [])
    assert not commands.wants_contained_dns("bridge", ["1.1.1.1"])
    assert not commands.wants_contained_dns("container:app", None)


def test_nslookup_addresses_skip_the_server_and_sort():
    output = "Server:\t\t127.0.0.11\nAddress:\t127.0.0.11:53\n\nName:\tweb\nAddress: 10.0.0.3\nAddress: 10.0.0.2\n"
    assert commands.nslookup_addresses(output) == ["10.0.0.2", "10.0.0.3"]
