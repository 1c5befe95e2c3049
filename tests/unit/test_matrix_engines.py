"""The engine matrix's definitions (tests/engines): each engine's settings in one place, engines sharing one
Debian root never sharing a socket or data, and the check that a learner's own things were left alone."""
from __future__ import annotations

import ipaddress
import json

from tests.engines import learners
from tests.engines.lanes import LANES, OPT_IN
from tests.engines.matrix import DEBIAN, ENGINES, PACKAGES, UBUNTU, MatrixEngine


def test_every_engine_has_its_own_socket_data_namespace_and_log():
    for attribute in ("socket", "pidfile", "netns", "log", "cgroup_parent", "config_file"):
        values = [str(getattr(engine, attribute)) for engine in ENGINES.values()]
        assert len(set(values)) == len(values), attribute
    sharing = [engine for engine in ENGINES.values() if engine.suite == "sid"]
    assert len(sharing) >= 2 and len({(e.data_root, e.exec_root) for e in sharing}) == len(sharing)


def test_the_engine_named_like_its_suite_keeps_the_paths_it_always_had():
    assert str(ENGINES["sid"].socket).endswith("/sid/run/dockerlab-engine.sock")
    assert ENGINES["sid"].data_root == "/var/lib/docker"


def test_the_lanes_run_on_engines_of_the_matrix():
    for lane in [*LANES.values(), *OPT_IN.values()]:
        assert lane.engine in {None, "machine", *ENGINES}, lane.name
        assert all(step.engine in {"", *ENGINES} for step in lane.steps), lane.name


def test_the_long_engines_are_opt_in_lanes_not_ci_s():
    """sid-custom, sid-rootless and Docker 29's two engines each take longer alone (2203 s, 2966 s...) than CI's
    45 minutes allow beside the other lanes: reachable by name, never a whole lane of ./lab test."""
    opt_in = ("sid-custom", "sid-rootless", "resolute", "resolute-nft")
    assert {OPT_IN[name].engine for name in opt_in} == set(opt_in)
    assert not set(opt_in) & {lane.engine for lane in LANES.values()}
    assert not {"resolute", "resolute-nft"} & {step.engine for lane in LANES.values() for step in lane.steps}
    assert not set(OPT_IN) & set(LANES)


def test_ci_checks_a_learner_s_settings_in_a_short_step():
    short = [step for lane in LANES.values() for step in lane.steps if step.engine == "sid-custom"]
    assert [step.args for step in short] == [["tests/integration/test_images_and_doctor.py"]]


def test_the_custom_engine_is_a_fresh_27_3_host_with_a_learner_s_settings():
    custom = ENGINES["sid-custom"]
    assert custom.sysctls["net.bridge.bridge-nf-call-iptables"] == "0"
    assert custom.sysctls["net.ipv4.ip_forward"] == "0"  # a fresh host: dockerd turns it on (and FORWARD to DROP)
    assert custom.learners_own
    bridge = ipaddress.ip_interface(custom.daemon["bip"]).network
    pools = [ipaddress.ip_network(pool["base"]) for pool in custom.daemon["default-address-pools"]]
    docker_default = ipaddress.ip_network("172.17.0.0/16")
    assert not bridge.overlaps(docker_default) and all(not pool.overlaps(docker_default) for pool in pools)
    assert "bip" in custom.settings() and "bridge-nf-call-iptables=0" in custom.settings()
    json.dumps(dict(custom.daemon))  # what start() writes as its daemon.json


def test_an_engine_with_defaults_says_so():
    plain = MatrixEngine("x", "sid", "28.5")
    assert plain.settings() == "daemon.json defaults; sysctls net.ipv4.ip_forward=0"


def inspected(started="2026-01-01T00:00:00Z", ip="192.168.200.2", labels=None) -> dict:
    return {"Id": "c0ffee", "RestartCount": 0, "State": {"Running": True, "StartedAt": started},
            "Config": {"Labels": labels or {}},
            "NetworkSettings": {"Networks": {"bridge": {"EndpointID": "e1", "IPAddress": ip, "MacAddress": "m"}},
                                "Ports": {"80/tcp": [{"HostIp": "127.0.0.1", "HostPort": "3000"}]}}}


def record(**changes) -> dict:
    network = {"Id": "n1", "IPAM": {"Config": [{"Subnet": "172.30.0.0/24"}]}, "Labels": {}}
    return {"container": {**learners.container_facts(inspected(**changes)), "answers": "mine"},
            "network": learners.network_facts(network)}


def test_untouched_things_have_no_changes():
    assert learners.changes(record(), record()) == []


def test_a_restart_a_move_a_label_or_a_removal_is_seen():
    assert learners.changes(record(), record(started="2026-01-01T00:05:00Z")) == [
        "the learner's container my-web: started was '2026-01-01T00:00:00Z', now '2026-01-01T00:05:00Z'"]
    assert "networks" in learners.changes(record(), record(ip="192.168.200.3"))[0]
    assert "labels" in learners.changes(record(), record(labels={"io.dockerlab.managed": "true"}))[0]
    gone = {**record(), "container": {}}
    assert learners.changes(record(), gone) == ["the learner's container my-web is gone"]
    silent = record()
    silent["container"]["answers"] = ""
    assert learners.changes(record(), silent) == ["the learner's container my-web: answers was 'mine', now ''"]


def test_the_rootless_engine_runs_as_a_user_with_its_own_runtime_folder():
    rootless = ENGINES["sid-rootless"]
    assert rootless.rootless and "rootless" in rootless.settings()
    assert str(rootless.socket).endswith("/sid/run/user/1500/docker.sock")
    assert rootless.data_root.startswith("/home/learner/") and rootless.exec_root == "/run/user/1500"


def test_docker_29_is_ubuntu_s_docker_io_made_as_the_debian_engines_are():
    """One root of Ubuntu 26.04 "resolute" for both Docker 29 engines; debootstrap told the mirror, the components
    (docker.io is in universe), the script (Debian 12 has no "resolute" one) and Ubuntu's keyring, which is
    trusted only with the archive key's fingerprint pinned; a Debian suite's command is what it always was."""
    plain, nft = ENGINES["resolute"], ENGINES["resolute-nft"]
    assert plain.distro is nft.distro is UBUNTU and plain.root == nft.root and plain.version == "29.1"
    assert plain.daemon == {} and nft.daemon == {"firewall-backend": "nftables"}
    command = UBUNTU.debootstrap("resolute", PACKAGES, plain.root)
    assert command[-4:] == ["resolute", str(plain.root), "http://archive.ubuntu.com/ubuntu",
                            "/usr/share/debootstrap/scripts/gutsy"]
    assert "--components=main,universe" in command and f"--keyring={UBUNTU.keyring}" in command
    assert len(UBUNTU.key_fingerprint) == 40 and UBUNTU.keyring_deb.endswith("_all.deb")
    assert DEBIAN.debootstrap("sid", PACKAGES, ENGINES["sid"].root) == [
        "debootstrap", "--variant=minbase", "--components=main", f"--include={PACKAGES}", "sid",
        str(ENGINES["sid"].root)]


def test_both_docker_29_engines_stand_for_a_fresh_host_as_their_backend_needs_it():
    """br_netfilter on demand only (27.3+). With iptables, dockerd turns forwarding on itself (from 0); the nftables
    backend refuses to start until the host's owner has turned IPv4 (and, for IPv6 networks, IPv6) forwarding on."""
    plain, nft = ENGINES["resolute"].sysctls, ENGINES["resolute-nft"].sysctls
    assert plain["net.ipv4.ip_forward"] == "0" and plain["net.bridge.bridge-nf-call-iptables"] == "0"
    assert nft["net.ipv4.ip_forward"] == "1" and nft["net.bridge.bridge-nf-call-iptables"] == "0"
    assert nft["net.ipv6.conf.all.forwarding"] == nft["net.ipv6.conf.default.forwarding"] == "1"
