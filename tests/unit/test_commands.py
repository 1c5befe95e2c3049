"""Parsing the docker commands lessons show, with no engine."""
from __future__ import annotations

import pytest

from dockerlab import commands, errors


def test_run_options_and_the_command_inside():
    parsed = commands.parse("docker run -d --name c1 --network=labnet --network-alias web --net-alias www "
                            "-p 8080:80 --ip 10.0.0.5 dockerlab/busybox ping -c 1 -W 1 c2")
    assert parsed.verb == "run"
    assert parsed.options == {"detach": True, "name": "c1", "network": "labnet", "alias": ["web", "www"],
                              "publish": ["8080:80"], "ip": "10.0.0.5"}
    assert parsed.arguments == ["dockerlab/busybox", "ping", "-c", "1", "-W", "1", "c2"]


def test_exec_keeps_options_of_the_inner_command():
    parsed = commands.parse("exec c1 ip -o -4 addr show eth0")
    assert parsed.verb == "exec" and parsed.arguments == ["c1", "ip", "-o", "-4", "addr", "show", "eth0"]


def test_network_subcommands():
    parsed = commands.parse("docker network create -d bridge --subnet 10.1.0.0/24 -o a=b --internal n1")
    assert parsed.verb == "network create"
    assert parsed.options == {"driver": "bridge", "subnet": "10.1.0.0/24", "opt": ["a=b"], "internal": True}
    assert commands.parse("network connect --ip 10.1.0.9 --alias db n1 c1").options == {"ip": "10.1.0.9",
                                                                                        "alias": ["db"]}


@pytest.mark.parametrize("command, key, fragment", [
    ("docker frobnicate", "command-unknown", "docker run"),
    ("docker network", "command-unknown", "docker network create"),
    ("docker run --privileged busybox", "option-unknown", "--name"),
    ("docker run -it busybox sh", "command-interactive", "terminal"),
    ("docker exec -it c1 sh", "command-interactive", "terminal"),
    ("docker run --name", "option-needs-value", "--name"),
    ("", "command-empty", "docker run"),
])
def test_unsupported_commands_say_what_to_do(command, key, fragment):
    with pytest.raises(errors.UnsupportedCommand) as refused:
        commands.parse(command)
    assert refused.value.key == key and fragment in str(refused.value)


def test_publish_links_and_options():
    assert commands.parse_publish(["8080:80", "127.0.0.1:8081:81/udp", "90", "127.0.0.1::91"]) == {
        "80/tcp": 8080, "81/udp": ("127.0.0.1", 8081), "90/tcp": None, "91/tcp": ("127.0.0.1",)}
    assert commands.parse_links(["db:database", "cache"]) == {"db": "database", "cache": "cache"}
    assert commands.parse_options(["com.docker.network.bridge.name=br-lab"]) == {
        "com.docker.network.bridge.name": "br-lab"}
    with pytest.raises(errors.UnsupportedCommand):
        commands.parse_options(["no-equals"])


def test_format_templates_like_the_cli():
    document = {"Name": "/c1", "NetworkSettings": {"IPAddress": "172.17.0.2", "Ports": {}},
                "State": {"Running": True}, "IPAM": {"Config": [{"Subnet": "172.17.0.0/16"}]}}
    assert commands.render_format("{{.Name}} {{.NetworkSettings.IPAddress}}", document) == "/c1 172.17.0.2"
    assert commands.render_format("{{json .IPAM.Config}}", document) == '[{"Subnet":"172.17.0.0/16"}]'
    assert commands.render_format("{{.State.Running}} {{.Missing.Field}}", document) == "true <no value>"
    assert commands.render_format("{{range .IPAM.Config}}{{.Subnet}} {{end}}", document) == "172.17.0.0/16 "
    containers = {"Containers": {"ab": {"Name": "c1"}, "cd": {"Name": "c2"}}}
    assert commands.render_format("{{range .Containers}}{{.Name}},{{end}}", containers) == "c1,c2,"
    with pytest.raises(errors.UnsupportedCommand) as refused:
        commands.render_format("{{if .State.Running}}up{{end}}", document)
    assert "json .Field" in str(refused.value)
