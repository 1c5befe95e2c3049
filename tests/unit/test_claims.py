"""A lesson's claim on the learner's own host: every case, from the host's facts alone (no engine)."""
from __future__ import annotations

import ipaddress

import pytest

from dockerlab import errors
from dockerlab.host.netfacts import NetFacts, parse, parse_flags
from dockerlab.lessons import claims
from dockerlab.lessons.lesson import failed_check_message
from dockerlab.model import pools

# What the reader's script prints on three hosts seen here: Debian's 28.5 with defaults (br_netfilter
# on, as this kernel has it built in); the same engine in a namespace with bridge-nf-call-iptables=0 and
# a custom bip and pool; a 20.10 host (no ip6tables rules).
SID_DEFAULT = """net.ipv4.ip_forward=1
net.bridge.bridge-nf-call-iptables=1
net.bridge.bridge-nf-call-ip6tables=1
iptables-forward=-P FORWARD DROP
iptables-input=-P INPUT ACCEPT
ip6tables-forward=-P FORWARD ACCEPT
ip6tables-docker=9
dockerd=dockerd --data-root /var/lib/docker -H unix:///run/dockerlab-engine.sock --dns 127.0.0.1
"""
SID_CUSTOM = SID_DEFAULT.replace("bridge-nf-call-iptables=1", "bridge-nf-call-iptables=0").replace(
    "--dns 127.0.0.1", "--dns 127.0.0.1 --bip 10.99.0.1/24 --default-address-pool base=10.98.0.0/16,size=24")
OLD_HOST = """net.ipv4.ip_forward=1
net.bridge.bridge-nf-call-iptables=absent
net.bridge.bridge-nf-call-ip6tables=absent
iptables-forward=-P FORWARD ACCEPT
iptables-input=-P INPUT DROP
ip6tables-forward=-P FORWARD ACCEPT
ip6tables-docker=0
dockerd=/usr/bin/dockerd -H fd:// --containerd=/run/containerd/containerd.sock
"""
NFT_RULESET = "#nft\ntable ip docker-bridges {\n}\n"


def test_the_reader_parses_what_the_host_printed():
    facts = parse(SID_CUSTOM, '{"userland-proxy": false, "ip6tables": true}',
                  {"SecurityOptions": ["name=seccomp,profile=builtin"], "OperatingSystem": "Debian GNU/Linux"})
    assert (facts.ip_forward, facts.bridge_nf_call_iptables, facts.forward_policy, facts.input_policy) == \
        (True, False, "DROP", "ACCEPT")
    assert facts.ip6tables and not facts.rootless and not facts.desktop and not facts.userland_proxy
    assert facts.settings["bip"] == "10.99.0.1/24" and facts.settings["ip6tables"] is True
    old = parse(OLD_HOST)
    assert old.bridge_nf_call_iptables is None and not old.ip6tables and old.userland_proxy


def test_flags_win_over_the_config_file_and_repeat_into_lists():
    flags = parse_flags("dockerd --userland-proxy=false --ip6tables --default-address-pool base=10.1.0.0/16,size=24 "
                        "--default-address-pool base=10.2.0.0/16,size=24 -H fd://")
    assert flags == {"userland-proxy": "false", "ip6tables": "true",
                     "default-address-pool": ["base=10.1.0.0/16,size=24", "base=10.2.0.0/16,size=24"]}
    assert not parse("dockerd=dockerd --userland-proxy=false", '{"userland-proxy": true}').userland_proxy


def test_rootless_and_docker_desktop_are_recognised_from_docker_info():
    assert parse("", info={"SecurityOptions": ["name=seccomp,profile=builtin", "name=rootless"]}).rootless
    assert parse("", info={"OperatingSystem": "Docker Desktop"}).desktop
    assert parse("", info={"Warnings": ["WARNING: DOCKER_INSECURE_NO_IPTABLES_RAW is set"]}).raw_rules_off


@pytest.mark.parametrize(("facts", "expected", "words"), [
    (parse(SID_DEFAULT), "dropped", "bridge-nf-call-iptables = 1"),
    (parse(SID_CUSTOM), "passed", "bridge-nf-call-iptables = 0"),
    (parse(OLD_HOST), "passed", "br_netfilter"),
    (parse(SID_DEFAULT.replace("-P FORWARD DROP", "-P FORWARD ACCEPT")), "passed", "ACCEPT"),
    (parse(SID_DEFAULT, saved=NFT_RULESET), "passed", "nftables"),
])
def test_bridged_frames_follow_br_netfilter_the_forward_policy_and_the_backend(facts, expected, words):
    case = claims.bridged_frames(facts)
    assert case.expected == expected and words in case.words


def test_a_case_that_holds_is_quiet_and_one_that_does_not_says_what_to_report():
    case = claims.bridged_frames(parse(SID_DEFAULT))
    case.check("dropped")
    with pytest.raises(errors.ClaimFailed) as failed:
        case.check("passed", evidence="64 bytes from 10.212.0.3")
    message = str(failed.value)
    assert "red's ping to blue is dropped" in message and "red's ping to blue is answered" in message
    assert "dockerlab doctor --report" in message and "64 bytes from 10.212.0.3" in message
    assert "bridge-nf-call-iptables = 1" in str(case) and "DROP" in str(case)


def test_the_userland_proxy_decides_who_answers_the_hosts_loopback_request():
    assert claims.loopback_port(parse(SID_DEFAULT)).expected == "proxy"
    assert claims.loopback_port(parse(SID_DEFAULT, '{"userland-proxy": false}')).expected == "dnat"


def test_the_loopback_guard_comes_with_28_unless_the_raw_rules_are_off():
    assert claims.loopback_guard(parse(SID_DEFAULT), version="28.5.2").expected == "dropped"
    assert claims.loopback_guard(parse(SID_DEFAULT), version="20.10.24").expected == "open"
    off = parse(SID_DEFAULT, info={"Warnings": ["WARNING: DOCKER_INSECURE_NO_IPTABLES_RAW is set"]})
    assert claims.loopback_guard(off, version="28.5.2").expected == "open"


def test_the_nftables_backend_writes_its_loopback_guard_whatever_the_raw_variable_says():
    """docker-v29.1.3 nftabler/port.go filterPortMappedOnLoopback reads no DOCKER_INSECURE_NO_IPTABLES_RAW."""
    off = parse(SID_DEFAULT, info={"Warnings": ["WARNING: DOCKER_INSECURE_NO_IPTABLES_RAW is set"]}, saved=NFT_RULESET)
    guard = claims.loopback_guard(off, version="29.1.3")
    assert guard.expected == "dropped" and "raw-PREROUTING" in guard.words


def test_a_default_deny_input_lets_either_outcome_stand():
    assert claims.host_input(parse(SID_DEFAULT)).allowed == ()
    strict = claims.host_input(parse(OLD_HOST))
    assert strict.holds("reached") and strict.holds("blocked")


def test_ip6tables_follows_the_daemons_setting_and_its_default_by_version():
    assert claims.ip6tables_rules(parse(SID_DEFAULT), version="28.5.2").expected == "rules"
    assert claims.ip6tables_rules(parse(OLD_HOST), version="20.10.24").expected == "none"
    assert claims.ip6tables_rules(parse(OLD_HOST, '{"ip6tables": true}'), version="26.1.5").expected == "rules"
    assert claims.ip6tables_rules(parse("dockerd=dockerd --ip6tables=false"), version="28.5.2").expected == "none"
    nft = claims.ip6tables_rules(parse(SID_DEFAULT, saved=NFT_RULESET), version="29.1.0")
    assert nft.expected == "rules" and "ip6 docker-bridges" in nft.words  # the same setting, written in nft
    nft_off = claims.ip6tables_rules(parse("dockerd=dockerd --ip6tables=false", saved=NFT_RULESET), version="29.1.0")
    assert nft_off.expected == "none"


def test_ipv6_networks_are_kept_apart_only_by_ip6tables_rules_or_the_hosts_policy():
    assert claims.ipv6_isolation(parse(SID_DEFAULT)).expected == "isolated"
    assert claims.ipv6_isolation(parse(OLD_HOST)).expected == "reached"
    dropping = parse(OLD_HOST.replace("ip6tables-forward=-P FORWARD ACCEPT", "ip6tables-forward=-P FORWARD DROP"))
    assert claims.ipv6_isolation(dropping).expected == "isolated"
    nft = claims.ipv6_isolation(parse(OLD_HOST, saved=NFT_RULESET))  # no ip6tables chains: nft's table instead
    assert nft.expected == "isolated" and "ip6 docker-bridges" in nft.words


def test_host_gateway_is_docker0s_address_unless_the_daemon_sets_its_own():
    assert claims.host_gateway(parse(SID_DEFAULT), docker0="10.99.0.1").expected == "10.99.0.1"
    assert claims.host_gateway(parse(SID_DEFAULT, '{"host-gateway-ip": "192.0.2.5"}'), docker0="172.17.0.1").expected \
        == "192.0.2.5"
    both = parse(SID_DEFAULT, '{"host-gateway-ips": ["fd00::1", "198.51.100.7"]}')
    assert claims.host_gateway(both, docker0="172.17.0.1").expected == "198.51.100.7"
    with pytest.raises(errors.ClaimFailed):
        claims.host_gateway(parse(SID_DEFAULT), docker0="172.17.0.1").check("10.250.0.1")


def test_the_engine_host_is_named_in_the_learners_words():
    assert claims.engine_host(parse(SID_DEFAULT)).expected == "rootful"
    assert claims.engine_host(parse("", info={"OperatingSystem": "Docker Desktop"})).expected == "vm"
    rootless = claims.engine_host(parse("", info={"SecurityOptions": ["name=rootless"]}))
    assert rootless.expected == "rootless" and "RootlessKit" in rootless.words


def test_every_case_is_reachable_by_name():
    facts = NetFacts()
    for topic, case in claims.CASES.items():
        assert case(facts).topic == topic


def test_a_failed_assert_reads_as_a_claim_to_report():
    try:
        assert 1 + 1 == 3, "the engine gave 2"
    except AssertionError as failed:
        message = failed_check_message(failed, failed.__traceback__)
    assert "assert 1 + 1 == 3" in message and "the engine gave 2" in message and "dockerlab doctor --report" in message


def test_pools_come_from_docker_info_or_are_dockers_own():
    own, configured = pools.from_info({"DefaultAddressPools": [{"Base": "10.98.0.0/16", "Size": 24}]})
    assert configured and own[0].holds(ipaddress.ip_network("10.98.3.0/24"))
    assert not own[0].holds(ipaddress.ip_network("10.98.0.0/16"))
    built_in, configured = pools.from_info({})
    assert not configured and any(pool.holds(ipaddress.ip_network("192.168.240.0/20")) for pool in built_in)
    assert any(pool.holds(ipaddress.ip_network("172.18.0.0/16")) for pool in built_in)
