"""The firewall readers, and the lessons' nft matches, on what Docker 29.1.3's nftables backend really printed on
the matrix's resolute-nft engine (``tests/unit/data/resolute-29.1.3/README.md``): a published port, a user
network, the embedded DNS's NAT in a container's namespace."""
from __future__ import annotations

from pathlib import Path

from dockerlab.host.firewall import backend, counted_between, dns_nat, drop_counters, rule_counters

DATA = Path(__file__).parent / "data" / "resolute-29.1.3"
BRIDGES = (DATA / "docker-bridges.nft.txt").read_text()
IPTABLES_NFT = "*filter\n:INPUT ACCEPT [31:2773]\n:FORWARD ACCEPT [0:0]\n:OUTPUT ACCEPT [0:0]\nCOMMIT\n"
"""What iptables-save printed on that engine beside it: iptables-nft's empty filter table, nothing of Docker's."""
SAVED = IPTABLES_NFT + "#nft\n" + BRIDGES
DNAT = ('nft ip docker-bridges nat-prerouting-and-output: iifname != "docker0" ip daddr 127.0.0.1 tcp dport 8080 '
        'dnat to 172.17.0.2:80 comment "DNAT"')


def chain(name: str) -> list[str]:
    """The rules of one chain of the sample, as ``nft list chain ip docker-bridges NAME`` prints them."""
    text = BRIDGES.split(f"\tchain {name} {{\n", 1)[1].split("\n\t}", 1)[0]
    return [line.strip() for line in text.splitlines()]


def test_the_engine_s_backend_is_nftables_and_iptables_holds_nothing_of_docker_s():
    assert backend(SAVED) == "nftables"
    assert backend(IPTABLES_NFT + "#nft\n") == "none"


def test_the_published_port_s_dnat_rule_is_counted():
    assert rule_counters(SAVED, "DNAT") == {DNAT: 0}
    visited = SAVED.replace("dport 8080 counter packets 0 bytes 0 dnat", "dport 8080 counter packets 1 bytes 60 dnat")
    assert counted_between(SAVED, visited, "DNAT") == {DNAT: 1}


def test_the_drop_rules_of_a_port_published_on_loopback_and_two_networks():
    drops = drop_counters(SAVED)
    assert 'nft ip docker-bridges raw-PREROUTING: iifname != "lo" ip daddr 127.0.0.1 tcp dport 8080 drop comment ' \
           '"DROP REMOTE LOOPBACK"' in drops
    assert sorted(rule.rsplit("comment ", 1)[1] for rule in drops) == [
        '"DROP DIRECT ACCESS"', '"DROP DIRECT ACCESS"', '"DROP REMOTE LOOPBACK"', '"UNPUBLISHED PORT DROP"',
        '"UNPUBLISHED PORT DROP"']


def test_lesson_08_s_nft_matches_hold_on_what_the_engine_printed():
    """The lines lesson 08 looks for (cells c07, c948df65, 36145aef, c10, 16ee6db2) with the nftables backend."""
    assert any("tcp dport 8080 counter " in line and "dnat to 172.17.0.2:80" in line
               for line in chain("nat-prerouting-and-output"))
    assert any("ip daddr != 127.0.0.0/8" in line for line in chain("nat-OUTPUT"))  # the userland proxy is on
    raw = ('iifname != "lo"', "ip daddr 127.0.0.1 ", "dport 8080 ", " drop ")
    assert any(all(part in line for part in raw) for line in chain("raw-PREROUTING"))
    assert any('oifname != "docker0" ip saddr 172.17.0.0/16 counter ' in line and " masquerade " in line
               for line in chain("nat-postrouting-out__docker0"))
    assert "type filter hook forward priority filter; policy accept;" in chain("filter-FORWARD")
    assert "DOCKER-USER" not in BRIDGES


def test_the_embedded_dns_nat_in_a_container_s_namespace():
    table = (DATA / "docker-dns.nft.txt").read_text()
    assert dns_nat(table) == {"udp": "127.0.0.11:46656", "tcp": "127.0.0.11:41397"}
    assert "dnat to 127.0.0.11:" in table and dns_nat(BRIDGES) == {}  # lesson 12's n17: in the namespace only
