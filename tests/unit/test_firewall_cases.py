"""The firewall's branching that lessons no longer carry: Docker's rules and the learner's own, per backend; the
FORWARD chains; the proof that a failed ping is isolation. All pure: no engine."""
from __future__ import annotations

import pytest

from dockerlab import errors
from dockerlab.lessons import chains, crossing, ownrules, rules

IPTABLES_DNAT = ("-A DOCKER -d 127.0.0.1/32 ! -i docker0 -p tcp -m tcp --dport 8080 "
                 "-j DNAT --to-destination 172.17.0.2:80")
NFT_DNAT = ('iifname != "docker0" ip daddr 127.0.0.1 tcp dport 8080 counter packets 0 bytes 0 dnat to 172.17.0.2:80 '
            'comment "DNAT"')   # docker-v29.1.3 nftabler testdata, bindlh=true__ip.golden's shape


def shown(topic: str, backend: str, output: str, **given) -> rules.Shown:
    return rules.Shown(topic, backend, rules.words(topic, backend, **given), rules.listing(topic, backend, **given),
                       output)


@pytest.mark.parametrize("backend, line", [("iptables", IPTABLES_DNAT), ("nftables", NFT_DNAT)])
def test_a_published_port_s_rule_is_found_in_either_backend_s_listing(backend, line):
    found = shown("published-port", backend, line + "\n", port=8080, to="172.17.0.2:80")
    found.check()
    assert found.lines == [line]
    with pytest.raises(errors.ClaimFailed):   # another container's address is not this rule
        shown("published-port", backend, line.replace("172.17.0.2", "172.17.0.3"), port=8080,
              to="172.17.0.2:80").check()


def test_each_rule_is_listed_where_its_backend_keeps_it():
    assert rules.listing("published-port", "iptables", port=8080, to="x").command == "iptables -t nat -S DOCKER"
    assert rules.listing("published-port", "nftables", port=8080, to="x").command == \
        "nft list chain ip docker-bridges nat-prerouting-and-output"
    assert rules.listing("published-port", "none", port=8080, to="x").command == "iptables -t nat -S DOCKER"
    assert rules.listing("embedded-dns", "nftables", sandbox="/run/docker/netns/ab").command == \
        "nsenter --net=/run/docker/netns/ab nft list table ip docker-dns"
    assert rules.listing("embedded-dns", "iptables").command == "iptables -t nat -S"
    assert rules.listing("ipv6-rules", "nftables").may_fail   # the table is absent where Docker writes no IPv6 rule
    for topic, given in [("published-port", {"port": 8080, "to": "x"}), ("loopback-exception", {}),
                         ("loopback-guard", {"port": 8080}), ("masquerade", {"sources": (("s", "b"),)}),
                         ("embedded-dns", {}), ("ipv6-rules", {})]:
        for backend in rules.BACKENDS:   # every case has its words, in English and Korean
            assert rules.words(topic, backend, **given).startswith(backend)


def test_the_loopback_exception_can_be_checked_absent():
    with_proxy = shown("loopback-exception", "iptables",
                       "-A OUTPUT ! -d 127.0.0.0/8 -m addrtype --dst-type LOCAL -j DOCKER")
    with_proxy.check()
    without = shown("loopback-exception", "nftables", "fib daddr type local counter packets 0 bytes 0 jump "
                                                       "nat-prerouting-and-output")
    without.check(present=False)
    with pytest.raises(errors.ClaimFailed):
        without.check()


def test_every_masquerade_rule_asked_for_must_be_there_whatever_the_order_of_its_parts():
    sources = (("172.17.0.0/16", "docker0"), ("10.212.0.0/24", "dl-br12"))
    nft = ('oifname != "docker0" ip saddr 172.17.0.0/16 counter packets 0 bytes 0 masquerade comment "MASQUERADE"\n'
           'ip saddr 10.212.0.0/24 oifname != "dl-br12" counter packets 3 bytes 180 masquerade\n')
    shown("masquerade", "nftables", nft, sources=sources).check()
    only_docker = nft.splitlines()[0]
    with pytest.raises(errors.ClaimFailed):
        shown("masquerade", "nftables", only_docker, sources=sources).check()
    iptables = ("-A POSTROUTING -s 172.17.0.0/16 ! -o docker0 -j MASQUERADE\n"
                '-A POSTROUTING -s 10.212.0.0/24 ! -o dl-br12 -m comment --comment "dockerlab:12-namespaces" '
                "-j MASQUERADE")
    shown("masquerade", "iptables", iptables, sources=sources).check()


def test_a_count_listing_counts_every_shown_line():
    found = shown("ipv6-rules", "iptables", "-N DOCKER\n-N DOCKER-USER\n")
    assert found.found and len(found.lines) == 2 and found.summary.startswith("2 ")
    assert not shown("ipv6-rules", "nftables", "").found


@pytest.mark.parametrize("backend", ["iptables", "nftables"])
def test_own_rules_are_removed_exactly_as_they_were_added(backend):
    added = ownrules.drop_from(backend, "08-ports-and-nat", "203.0.113.10")
    undone = ownrules.undo(backend, "08-ports-and-nat", added)
    if backend == "iptables":
        assert added == ["iptables -I DOCKER-USER -s 203.0.113.10 -m comment --comment dockerlab:08-ports-and-nat "
                         "-j DROP"]
        assert undone == [added[0].replace(" -I ", " -D ")]
    else:
        assert "priority filter - 1;" in added[1] and 'comment "dockerlab:08-ports-and-nat"' in added[2]
        assert undone == ["nft delete table ip dockerlab-08-ports-and-nat"]
        assert ownrules.left(backend, "08-ports-and-nat")[-1] == ("nft list tables", "dockerlab-")


def test_a_bridge_made_by_hand_is_routed_as_docker_routes_its_own():
    iptables = ownrules.route_bridge("iptables", "12-namespaces", "dl-br12", "10.212.0.0/24")
    assert [command.split(" -j ")[-1] for command in iptables] == ["ACCEPT", "ACCEPT", "MASQUERADE"]
    assert ownrules.undo("iptables", "12-namespaces", iptables)[0].startswith("iptables -t nat -D POSTROUTING ")
    nft = ownrules.route_bridge("nftables", "12-namespaces", "dl-br12", "10.212.0.0/24")
    assert any("hook postrouting priority srcnat" in command for command in nft) and nft[-1].endswith("masquerade'")
    assert ownrules.accept_within("nftables", "ex12", "dl-ex12-br") == []   # Docker's nft chains let them pass
    assert "--comment dockerlab:ex12" in ownrules.accept_within("iptables", "ex12", "dl-ex12-br")[0]


def test_forward_chains_put_docker_user_first_or_say_what_they_saw():
    forward = "-A FORWARD -j DOCKER-USER\n-A FORWARD -j DOCKER-FORWARD\n"
    inner = "-A DOCKER-FORWARD -j DOCKER-CT\n-A DOCKER-FORWARD -j DOCKER-ISOLATION-STAGE-1\n"
    assert chains.iptables_order(forward, inner) == ["DOCKER-USER", "DOCKER-FORWARD",
                                                     "(DOCKER-CT, DOCKER-ISOLATION-STAGE-1)"]
    with pytest.raises(errors.ClaimFailed):
        chains.iptables_order("-A FORWARD -j DOCKER-FORWARD\n-A FORWARD -j DOCKER-USER\n")
    chains.nftables_hook("type filter hook forward priority filter; policy accept;", "")
    with pytest.raises(errors.ClaimFailed):   # a DOCKER-USER left behind by an iptables engine is reported
        chains.nftables_hook("type filter hook forward priority filter; policy accept;", "chain DOCKER-USER {")


BRIDGES = ["br-c805c93d2cb0", "br-effcb1cb78b8"]


@pytest.mark.parametrize("dropped", [
    {"raw: -A PREROUTING -d fd14::2/128 ! -i br-effcb1cb78b8 -j DROP": 1},                       # 28 (iptables)
    {"filter: -A DOCKER-ISOLATION-STAGE-2 -o br-effcb1cb78b8 -j DROP": 1},                        # 20.10-27
    {'nft ip6 docker-bridges filter-forward-in__br-effcb1cb78b8: drop comment "UNPUBLISHED PORT DROP"': 1},  # 29 nft
    {crossing.POLICY_DROP: 1},                                                                      # no rules: policy
])
def test_a_failed_ping_is_isolation_only_with_the_control_answered_and_a_drop_between_the_two(dropped):
    proof = crossing.proving(dropped, BRIDGES)
    assert proof == dropped
    assert crossing.outcome(False, True, proof) == "isolated"
    assert crossing.outcome(False, False, proof) == "failed"    # a wrong address: the control gets no answer either


def test_a_failed_ping_without_a_drop_between_the_two_networks_is_no_isolation():
    elsewhere = {"filter: -A DOCKER-ISOLATION-STAGE-2 -o br-000000000009 -j DROP": 4}   # another network's rule
    assert crossing.proving(elsewhere, BRIDGES) == {}
    assert crossing.outcome(False, True, {}) == "failed"          # no route, no IPv6: nothing counted it
    assert crossing.outcome(True, True, {}) == "reached"
    assert "ping: sendto: Network unreachable" in crossing.evidence(True, "ping: sendto: Network unreachable\n", {})


def test_any_answer_is_an_answer_and_no_answer_is_none():
    assert crossing.answered("3 packets transmitted, 2 packets received, 33% packet loss")   # the first one lost
    assert not crossing.answered("3 packets transmitted, 0 packets received, 100% packet loss")
    assert not crossing.answered("ping: sendto: Network unreachable")
