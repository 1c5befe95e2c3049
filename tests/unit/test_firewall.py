"""Which rule dropped a packet, found by counters: the same code on 20.10-, 28- and 29-shaped firewalls."""
from dockerlab.host.firewall import backend, drop_counters, labelled_rules, rose, rule_counters


def fill(text: str, **counts: int) -> str:
    """The firewall text with its ``{name}`` counters set (nft's own braces left alone)."""
    for name, count in counts.items():
        text = text.replace("{" + name + "}", str(count))
    return text


ENGINE_20_10 = """*filter
:INPUT ACCEPT [10:600]
:FORWARD DROP [0:0]
:OUTPUT ACCEPT [12:700]
[40:3360] -A FORWARD -j DOCKER-USER
[40:3360] -A FORWARD -j DOCKER-ISOLATION-STAGE-1
[3:252] -A DOCKER-ISOLATION-STAGE-1 -i br-aaaaaaaaaaaa ! -o br-aaaaaaaaaaaa -j DOCKER-ISOLATION-STAGE-2
[{stage2}:252] -A DOCKER-ISOLATION-STAGE-2 -o br-bbbbbbbbbbbb -j DROP
COMMIT
#nft
"""

ENGINE_28 = """*raw
:PREROUTING ACCEPT [90:7000]
:OUTPUT ACCEPT [80:6000]
[{raw}:252] -A PREROUTING -d 172.19.0.2/32 ! -i br-bbbbbbbbbbbb -j DROP
COMMIT
*filter
:INPUT ACCEPT [0:0]
:FORWARD DROP [{policy}:0]
:OUTPUT ACCEPT [0:0]
[0:0] -A DOCKER ! -i br-bbbbbbbbbbbb -o br-bbbbbbbbbbbb -j DROP
[0:0] -A DOCKER-ISOLATION-STAGE-2 -o br-bbbbbbbbbbbb -j DROP
COMMIT
#nft
table ip raw {
	chain PREROUTING {
		type filter hook prerouting priority raw; policy accept;
		ip daddr 172.19.0.2 iifname != "br-bbbbbbbbbbbb" counter packets {raw} bytes 252 drop
	}
}
"""

# Docker 29 with its nftables backend: iptables-save shows nothing of Docker's, the docker-bridges table does
ENGINE_29_NFTABLES = """#nft
table ip docker-bridges {
	chain raw-PREROUTING {
		type filter hook prerouting priority raw; policy accept;
		ip daddr 192.0.2.2 iifname != "bridge1" counter packets {raw} bytes 252 drop comment "DROP DIRECT ACCESS"
	}
	chain filter-forward-in__bridge1 {
		ct state established,related counter packets 9 bytes 900 accept
		iifname "bridge1" counter packets 4 bytes 336 accept comment "ICC"
		counter packets {unpublished} bytes 0 drop comment "UNPUBLISHED PORT DROP"
	}
}
"""


def test_stage_two_drops_on_20_10():
    grown = rose(drop_counters(fill(ENGINE_20_10, stage2=0)), drop_counters(fill(ENGINE_20_10, stage2=3)))
    assert grown == {"filter: -A DOCKER-ISOLATION-STAGE-2 -o br-bbbbbbbbbbbb -j DROP": 3}


def test_raw_prerouting_drops_on_28_and_the_nft_view_of_iptables_is_not_counted_twice():
    before = drop_counters(fill(ENGINE_28, raw=0, policy=0))
    after = drop_counters(fill(ENGINE_28, raw=3, policy=0))
    assert rose(before, after) == {"raw: -A PREROUTING -d 172.19.0.2/32 ! -i br-bbbbbbbbbbbb -j DROP": 3}


def test_a_dropping_chain_policy_counts_too():
    grown = rose(drop_counters(fill(ENGINE_28, raw=0, policy=1)), drop_counters(fill(ENGINE_28, raw=0, policy=5)))
    assert grown == {"filter: -P FORWARD DROP": 4}


def test_nftables_backend_of_29():
    before = drop_counters(fill(ENGINE_29_NFTABLES, raw=0, unpublished=0))
    after = drop_counters(fill(ENGINE_29_NFTABLES, raw=2, unpublished=1))
    raw = ('nft ip docker-bridges raw-PREROUTING: '
           'ip daddr 192.0.2.2 iifname != "bridge1" drop comment "DROP DIRECT ACCESS"')
    unpublished = 'nft ip docker-bridges filter-forward-in__bridge1: drop comment "UNPUBLISHED PORT DROP"'
    assert rose(before, after) == {raw: 2, unpublished: 1}


def test_accepting_rules_and_unchanged_counters_are_not_reported():
    same = drop_counters(fill(ENGINE_20_10, stage2=7))
    assert rose(same, same) == {}
    assert all("ACCEPT" not in rule for rule in same)


def test_backend_is_read_from_where_the_rules_are():
    assert backend(fill(ENGINE_20_10, stage2=0).replace("*filter", "*filter\n:DOCKER - [0:0]")) == "iptables"
    assert backend(fill(ENGINE_29_NFTABLES, raw=0, unpublished=0)) == "nftables"
    assert backend("*filter\n:INPUT ACCEPT [0:0]\nCOMMIT\n#nft\n") == "none"


NAT_20_10 = """*nat
:PREROUTING ACCEPT [5:300]
:OUTPUT ACCEPT [7:420]
[2:120] -A OUTPUT ! -d 127.0.0.0/8 -m addrtype --dst-type LOCAL -j DOCKER
[{loopback}:0] -A DOCKER -d 127.0.0.1/32 ! -i docker0 -p tcp -m tcp --dport 8080 -j DNAT --to-destination 172.17.0.2:80
[{visitor}:60] -A DOCKER -d 203.0.113.1/32 ! -i docker0 -p tcp -m tcp --dport 8081 \
-j DNAT --to-destination 172.17.0.3:80
COMMIT
*filter
[{user}:180] -A DOCKER-USER -s 203.0.113.10/32 -m comment --comment "dockerlab:08-ports-and-nat" -j DROP
[0:0] -A INPUT -s 203.0.113.10/32 -p tcp -m tcp --dport 8081 -m comment --comment "dockerlab:08-ports-and-nat" -j DROP
[0:0] -A INPUT -p tcp --dport 22 -m comment --comment "ssh for the admins" -j ACCEPT
[0:0] -A INPUT -m comment --comment "dockerlab:09-three-tier" -j DROP
COMMIT
#nft
"""


def test_rule_counters_show_rules_that_counted_nothing():
    counted = rule_counters(fill(NAT_20_10, loopback=0, visitor=1, user=0), "DNAT")
    rule = "nat: -A DOCKER -d {} ! -i docker0 -p tcp -m tcp --dport {} -j DNAT --to-destination {}:80"
    assert counted == {rule.format("127.0.0.1/32", 8080, "172.17.0.2"): 0,
                       rule.format("203.0.113.1/32", 8081, "172.17.0.3"): 1}


def test_labelled_rules_are_the_lessons_own_and_nobody_elses():
    saved = fill(NAT_20_10, loopback=0, visitor=0, user=3)
    lesson_08 = labelled_rules(saved, "08-ports-and-nat")
    assert [(table, rule.split()[1]) for table, rule in lesson_08] == [("filter", "DOCKER-USER"), ("filter", "INPUT")]
    assert all('"dockerlab:08-ports-and-nat"' in rule and not rule.startswith("[") for _, rule in lesson_08)
    everything = labelled_rules(saved)
    assert len(everything) == 3 and not any("ssh for the admins" in rule for _, rule in everything)
