"""`dockerlab doctor --report`: what the file holds, and that nothing private gets into it."""
from __future__ import annotations

import socket
from pathlib import Path

from dockerlab.host import enginehost, report
from tests.unit.fake_engine import fake_engine

RECORDED = Path(__file__).parent / "data" / "host-facts"


def test_addresses_outside_docker_s_networks_are_taken_out():
    text = "bridge 192.168.200.1/24, pool 172.30.4.0/24, visitor 203.0.113.10, uplink 10.0.2.15, dns 8.8.8.8, " \
           "loopback 127.0.0.1:8080, v6 2001:db8::1 and fd13::2 and fe80::1, a time 05:40:12, a version 28.5.2"
    scrubbed = report.scrub(text, docker_networks=["192.168.200.1/24", "172.30.0.0/16", "fd13::/64"])
    assert scrubbed == ("bridge 192.168.200.1/24, pool 172.30.4.0/24, visitor 203.0.113.10, uplink <address>, "
                        "dns <address>, loopback 127.0.0.1:8080, v6 <address> and fd13::2 and fe80::1, "
                        "a time 05:40:12, a version 28.5.2")


def test_private_words_are_taken_out_as_whole_words():
    text = "host alice-laptop, user alice, home /home/alice/x, container alice-db, not malice, rootless as root"
    scrubbed = report.scrub(text, private_words=["alice-laptop", "alice", "/home/alice", "alice-db", "root"])
    assert scrubbed == "host <name>, user <name>, home <name>/x, container <name>, not malice, rootless as root"


def test_settings_are_networking_only():
    text = (RECORDED / "sid-28.5-defaults.txt").read_text()
    text = text.replace("@@dockerlab daemon.json\n{}", '@@dockerlab daemon.json\n{"bip": "192.168.200.1/24", '
                        '"registry-mirrors": ["https://mirror.corp.example"], "dns": ["10.0.0.53"], '
                        '"default-address-pools": [{"base": "172.30.0.0/16", "size": 24}]}')
    text = text.replace("--dns\n127.0.0.1", "--userland-proxy=false\n--ip6tables\n--data-root\n/home/alice/docker")
    settings = report._settings(text)
    assert settings == {"bip": "192.168.200.1/24", "default-address-pools": [{"base": "172.30.0.0/16", "size": 24}],
                        "userland-proxy": "false", "ip6tables": True}
    assert report._configured_networks(settings) == ["192.168.200.1/24", "172.30.0.0/16"]


def on_a_fake_engine_elsewhere(facts_text: str):
    """A fake engine whose host is another machine (so host views go through the helper) and prints ``facts_text``."""
    def answer(image: str, command: list[str]):
        script = " ".join(command)
        if "boot_id" in script:
            return 0, "another-kernel 4026532999"
        if "@@dockerlab" in script:
            return 0, facts_text
        return None

    enginehost.forget()
    return fake_engine(prepare=lambda api: setattr(api, "run_handler", answer))


def test_the_report_of_an_engine_with_a_learner_s_own_things(tmp_path, monkeypatch):
    monkeypatch.setattr(socket, "gethostname", lambda: "alice-laptop")
    engine = on_a_fake_engine_elsewhere((RECORDED / "sid-28.5-custom.txt").read_text())
    engine.client.api.create_network("alice-project", driver="bridge")
    engine.client.api.create_container("dockerlab/busybox:latest", ["sleep", "1d"], name="alices-db")
    try:
        path = report.write(["expected: DNAT counted 1 packet", "seen: 0 (from 10.0.2.15 on alice-laptop)"],
                            path=tmp_path / "r.txt", engine=engine)
    finally:
        enginehost.forget()
    text = path.read_text()
    assert "alice" not in text and "10.0.2.15" not in text
    assert "seen: 0 (from <address> on <name>)" in text
    assert "(yours): driver bridge" in text and "yours: 1" in text
    assert "bridge_nf_call_iptables: False" in text and "bridge_traffic_filtered: False" in text
    assert "where: elsewhere (host views through the helper)" in text
    assert text.startswith("# dockerlab report\ncourse: dockerlab ")


def test_without_an_engine_the_report_still_says_what_it_can(tmp_path, monkeypatch):
    monkeypatch.setenv("DOCKER_HOST", "unix:///nowhere")
    text = report.write(["seen: a traceback"], path=tmp_path / "r.txt").read_text()
    assert "engine found by: DOCKER_HOST (unix)" in text and "could not be read: " in text
    assert text.rstrip().endswith("seen: a traceback")
