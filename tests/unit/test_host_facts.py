"""The engine host's facts, parsed from what the facts script printed on real engines (and Docker 29's goldens)."""
from __future__ import annotations

from pathlib import Path

import pytest

from dockerlab.host import facts

DATA = Path(__file__).parent / "data"
RECORDED = DATA / "host-facts"


def recorded(name: str) -> str:
    return (RECORDED / f"{name}.txt").read_text()


def replaced(text: str, section: str, body: str) -> str:
    """``text`` with the body of one ``@@dockerlab SECTION`` replaced."""
    parts = facts.sections(text)
    parts[section] = body
    return "".join(f"@@dockerlab {name}\n{value}\n" for name, value in parts.items())


def test_the_reference_engine_20_10():
    host = facts.parse(recorded("reference-20.10"))  # its docker info has no FirewallBackend
    assert (host.firewall, host.forward_policy, host.docker_user, host.ip6tables) == ("iptables", "DROP", True, False)
    assert host.bridge_traffic_filtered and host.ip_forward and host.userland_proxy
    assert host.iptables_variant == "nf_tables"


def test_debian_sid_28_5_with_defaults():
    host = facts.parse(recorded("sid-28.5-defaults"), {"FirewallBackend": {"Driver": "iptables"}})
    assert host.ip6tables  # on by default from 27
    assert host.bridge_netfilter and host.bridge_traffic_filtered and host.forward_drops
    assert not host.firewalld


def test_a_fresh_27_3_plus_host_whose_bridged_frames_skip_iptables():
    host = facts.parse(recorded("sid-28.5-custom"), {"FirewallBackend": {"Driver": "iptables"}})
    assert host.bridge_netfilter and not host.bridge_nf_call_iptables and not host.bridge_traffic_filtered
    assert host.forward_drops and host.docker_user  # FORWARD still drops what is routed, not what is bridged


def test_without_br_netfilter_there_is_no_bridge_sysctl_at_all():
    text = replaced(recorded("sid-28.5-defaults"), "bridge-sysctls", "no")
    text = replaced(text, "bridge-nf-call-iptables", "")
    host = facts.parse(text)
    assert not host.bridge_netfilter and not host.bridge_nf_call_iptables and not host.bridge_traffic_filtered


def docker_29_nftables() -> str:
    """A Docker 29 host moved from iptables to nftables: a DOCKER-USER jump left behind, moby's nft tables."""
    golden = DATA / "moby-docker-v29.1.0" / "nftabler"
    ip = (golden / "hairpin=false,internal=false,icc=true,masq=true,snat=false,gwm=nat,bindlh=true__ip.golden")
    ip6 = (golden / "hairpin=false,internal=false,icc=true,masq=true,snat=false,gwm=nat,bindlh=false__ip6.golden")
    leftover = ("*filter\n:INPUT ACCEPT [0:0]\n:FORWARD DROP [0:0]\n:OUTPUT ACCEPT [0:0]\n:DOCKER-USER - [0:0]\n"
                "[0:0] -A FORWARD -j DOCKER-USER\nCOMMIT\n")
    text = replaced(recorded("sid-28.5-defaults"), "iptables", leftover + "#nft\n" + ip.read_text() + ip6.read_text())
    text = replaced(text, "ip6tables", "")
    return replaced(text, "dockerd", "dockerd\n--firewall-backend=nftables")


def test_docker_29_with_nftables_has_no_docker_user_even_with_one_left_behind():
    host = facts.parse(docker_29_nftables(), {"FirewallBackend": {"Driver": "nftables"}})
    assert host.firewall == "nftables" and not host.docker_user
    assert host.ip6tables  # the ip6 docker-bridges table
    assert host.forward_drops  # the policy iptables kept: it drops what Docker's nftables accepted (docs)


def test_the_engine_s_own_word_on_its_backend_wins():
    assert facts.parse(docker_29_nftables()).firewall == "nftables"  # from the tables alone
    host = facts.parse(recorded("sid-28.5-defaults"), {"FirewallBackend": {"Driver": "nftables+firewalld"}})
    assert host.firewall == "nftables" and host.firewalld and not host.docker_user


@pytest.mark.parametrize(("arguments", "daemon_json", "proxy"), [
    ("dockerd", "{}", True),
    ("dockerd\n--userland-proxy=false", "{}", False),
    ("dockerd\n--userland-proxy\nfalse", "", False),
    ("dockerd\n--userland-proxy", "", True),
    ("dockerd", '{"userland-proxy": false, "bip": "10.9.0.1/24"}', False),
    ("dockerd", "not json", True),
])
def test_userland_proxy_from_dockerd_s_arguments_then_its_daemon_json(arguments, daemon_json, proxy):
    text = replaced(replaced(recorded("sid-28.5-defaults"), "dockerd", arguments), "daemon.json", daemon_json)
    assert facts.parse(text).userland_proxy is proxy


def test_an_unreadable_host_gives_the_safe_answers():
    host = facts.parse("")
    assert (host.firewall, host.forward_policy, host.iptables_variant) == ("none", "", "")
    assert not (host.bridge_traffic_filtered or host.ip_forward or host.docker_user)


def test_every_fact_is_in_the_report_form():
    values = facts.parse(recorded("sid-28.5-custom")).as_dict()
    assert values["bridge_traffic_filtered"] is False and values["firewall"] == "iptables"
    assert set(values) >= {"bridge_netfilter", "bridge_nf_call_iptables", "ip_forward", "forward_policy",
                           "firewall", "ip6tables", "userland_proxy", "docker_user"}


def test_a_rootless_engine_does_not_keep_a_visitor_s_address():
    info = {"SecurityOptions": ["name=seccomp,profile=builtin", "name=rootless"]}
    host = facts.parse(recorded("sid-28.5-defaults"), info)
    assert host.rootless and not host.visitor_address_kept
    assert facts.parse(recorded("sid-28.5-defaults")).visitor_address_kept


def test_debian_trixie_26_1_writes_no_ipv6_rules_by_default():
    host = facts.parse(recorded("trixie-26.1"))  # its docker info has no FirewallBackend
    assert (host.firewall, host.ip6tables, host.docker_user, host.forward_policy) == ("iptables", False, True, "DROP")
