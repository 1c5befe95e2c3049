"""The firewall readers on Docker 29's own rules: moby's golden test data at docker-v29.1.0 (nftables and iptables).

The goldens are what ``nft list table ip docker-bridges`` and ``iptables-save`` print for one bridge network
``br-dummy`` (192.168.0.0/24) with a container 192.168.0.2 whose port 80 is published on 8080; see
``tests/unit/data/moby-docker-v29.1.0/README.md`` for their paths in moby.
"""
from __future__ import annotations

import re
from pathlib import Path

from dockerlab.host.firewall import backend, counted_between, dns_nat, drop_counters, rose, rule_counters

DATA = Path(__file__).parent / "data"
MOBY = DATA / "moby-docker-v29.1.0"
PUBLISHED_ON_LOOPBACK = "hairpin=false,internal=false,icc=true,masq=true,snat=false,gwm=nat,bindlh=true"
INTERNAL = "hairpin=false,internal=true,icc=true"


def nft(name: str) -> str:
    """What READ_COUNTERS prints on an engine with the nftables backend: nothing of Docker's in iptables-save."""
    return "#nft\n" + (MOBY / "nftabler" / f"{name}__ip.golden").read_text()


def iptables(name: str) -> str:
    """An iptables golden as ``iptables-save -c`` prints it (the goldens are written without counters)."""
    text = (MOBY / "iptabler" / f"{name}__iptables.golden").read_text()
    return re.sub(r"^-A ", "[0:0] -A ", text, flags=re.MULTILINE) + "#nft\n"


def counted(text: str, rule_holds: str, packets: int) -> str:
    """``text`` with the counter of the nft rule holding ``rule_holds`` set to ``packets``."""
    lines = [re.sub(r"counter packets \d+", f"counter packets {packets}", line) if rule_holds in line else line
             for line in text.splitlines()]
    assert lines != text.splitlines(), f"no rule holds {rule_holds!r}"
    return "\n".join(lines)


DNAT = ('nft ip docker-bridges nat-prerouting-and-output: iifname != "br-dummy" ip daddr 127.0.0.1 tcp dport 8080 '
        'dnat to 192.168.0.2:80 comment "DNAT"')


def test_a_published_port_s_dnat_rule_and_its_counter():
    before = nft(PUBLISHED_ON_LOOPBACK)
    after = counted(before, "dnat to 192.168.0.2:80", 1)
    assert rule_counters(before, "DNAT") == {DNAT: 0}
    assert rule_counters(after, "DNAT") == {DNAT: 1}


def test_the_word_is_looked_for_in_the_rule_not_in_its_table_or_chain():
    # every chain of the nat hook is called nat-...; only the rules that masquerade hold "masquerade"
    assert list(rule_counters(nft(PUBLISHED_ON_LOOPBACK), "MASQUERADE")) == [
        'nft ip docker-bridges nat-postrouting-out__br-dummy: oifname != "br-dummy" ip saddr 192.168.0.0/24 '
        'masquerade comment "MASQUERADE"']


def test_the_drop_rules_of_a_network_with_a_published_port():
    drops = drop_counters(nft(PUBLISHED_ON_LOOPBACK))
    assert sorted(rule.rsplit("comment ", 1)[1] for rule in drops) == [
        '"DROP DIRECT ACCESS"', '"DROP REMOTE LOOPBACK"', '"UNPUBLISHED PORT DROP"']
    assert set(drops.values()) == {0}


def test_which_drop_rule_counted_a_packet():
    before = nft(PUBLISHED_ON_LOOPBACK)
    after = counted(before, "DROP DIRECT ACCESS", 2)
    assert rose(drop_counters(before), drop_counters(after)) == {
        'nft ip docker-bridges raw-PREROUTING: ip daddr 192.168.0.2 iifname != "br-dummy" drop '
        'comment "DROP DIRECT ACCESS"': 2}


def test_an_internal_network_drops_both_ways():
    drops = drop_counters(nft(INTERNAL))
    assert set(drops) == {
        'nft ip docker-bridges filter-forward-in__br-dummy: iifname != "br-dummy" drop '
        'comment "INTERNAL NETWORK INGRESS"',
        'nft ip docker-bridges filter-forward-out__br-dummy: oifname != "br-dummy" drop '
        'comment "INTERNAL NETWORK EGRESS"'}


def test_accept_rules_whose_comment_says_drop_are_not_drops():
    text = nft(PUBLISHED_ON_LOOPBACK).replace('accept comment "ICC"', 'accept comment "drop"')
    assert not any("ICC" in rule or rule.endswith('accept comment "drop"') for rule in drop_counters(text))


def test_the_backend_is_nftables_where_docker_bridges_is():
    assert backend(nft(PUBLISHED_ON_LOOPBACK)) == "nftables"
    assert backend(nft("cleaned,hairpin=false")) == "nftables"  # no network yet: the table is there, empty


def test_a_docker_user_chain_left_by_the_iptables_backend_does_not_fool_the_detector():
    # docs, firewall-nftables "Migrating DOCKER-USER": starting with nftables does not remove the jump
    leftover = ("*filter\n:INPUT ACCEPT [0:0]\n:FORWARD DROP [0:0]\n:OUTPUT ACCEPT [0:0]\n:DOCKER-USER - [0:0]\n"
                "[0:0] -A FORWARD -j DOCKER-USER\nCOMMIT\n")
    assert backend(leftover + nft(PUBLISHED_ON_LOOPBACK)) == "nftables"
    assert backend(leftover + "#nft\n") == "none"


def test_docker_29_with_iptables():
    saved = iptables(PUBLISHED_ON_LOOPBACK)
    assert backend(saved) == "iptables"
    assert "-A DOCKER-FORWARD -j DOCKER-INTERNAL" in saved and "ISOLATION" not in saved
    assert set(drop_counters(saved)) == {
        "raw: -A PREROUTING -d 192.168.0.2/32 ! -i br-dummy -j DROP",
        "raw: -A PREROUTING -d 127.0.0.1/32 ! -i lo -p tcp -m tcp --dport 8080 -j DROP",
        "filter: -A DOCKER ! -i br-dummy -o br-dummy -j DROP"}
    assert list(rule_counters(saved, "DNAT")) == [
        "nat: -A DOCKER -d 127.0.0.1/32 ! -i br-dummy -p tcp -m tcp --dport 8080 -j DNAT "
        "--to-destination 192.168.0.2:80"]


def test_iptables_nft_s_own_tables_are_read_once_but_a_table_of_the_learner_s_is_read():
    saved = (DATA / "host-facts" / "sid-28.5-defaults.txt").read_text()
    saved = saved.split("@@dockerlab iptables\n", 1)[1].split("@@dockerlab ip6tables", 1)[0]
    drops = drop_counters(saved)
    assert drops and all(not rule.startswith("nft ") for rule in drops)
    mine = "table inet filter {\n\tchain forward {\n\t\ttype filter hook forward priority filter; policy accept;\n" \
           '\t\tiifname "eth1" counter packets 4 bytes 240 drop\n\t}\n}\n'
    assert drop_counters(saved + mine)['nft inet filter forward: iifname "eth1" drop'] == 4


def test_the_embedded_dns_nat_with_iptables_and_with_nftables():
    recorded = (DATA / "host-facts" / "sid-28.5-dns-nat.txt").read_text()  # nsenter --net=SANDBOX on 28.5
    assert dns_nat(recorded) == {"tcp": "127.0.0.11:35035", "udp": "127.0.0.11:37069"}
    table = (MOBY / "made-here" / "docker-dns.nft.txt").read_text()
    assert dns_nat("#nft\n" + table) == {"udp": "127.0.0.11:40117", "tcp": "127.0.0.11:36121"}
    assert dns_nat("*nat\n:OUTPUT ACCEPT [0:0]\nCOMMIT\n#nft\n") == {}


def test_counters_the_kernel_kept_on_moby_s_rules_after_one_visit():
    golden = "hairpin=false,internal=false,icc=true,masq=true,snat=false,gwm=nat,bindlh=false"
    before = nft(golden)
    after = "#nft\n" + (MOBY / "made-here" / "after-one-visit.nft.txt").read_text()
    dnat = ('nft ip docker-bridges nat-prerouting-and-output: iifname != "br-dummy" tcp dport 8080 '
            'dnat to 192.168.0.2:80 comment "DNAT"')
    assert counted_between(before, after, "DNAT") == {dnat: 1}  # NAT sees a connection's first packet only
    assert rose(drop_counters(before), drop_counters(after)) == {}  # the visit was allowed, nothing dropped
