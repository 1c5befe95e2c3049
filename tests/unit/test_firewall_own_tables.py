"""A table of the course's own on an engine with Docker 29's nftables backend (no DOCKER-USER there): found by
its name, ``dockerlab-LESSON``, its rules' counters read, and deleted whole; samples are what nft printed here
(``tests/unit/data/resolute-29.1.3/README.md``)."""
from __future__ import annotations

from pathlib import Path

from dockerlab.host import firewall
from dockerlab.host.firewall import drop_counters, labelled_rules, nft_table, rule_counters

OWN = (Path(__file__).parent / "data" / "resolute-29.1.3" / "own-tables.nft.txt").read_text()
SAVED = "*filter\n:INPUT ACCEPT [0:0]\n[3:180] -A INPUT -s 203.0.113.10/32 -p tcp -m tcp --dport 8081 " \
        '-m comment --comment dockerlab:08-ports-and-nat -j DROP\nCOMMIT\n#nft\n' + OWN


def test_the_course_s_tables_are_found_by_their_name():
    assert nft_table("08-ports-and-nat") == "dockerlab-08-ports-and-nat"
    assert labelled_rules(SAVED, "12-namespaces") == [("nft", "table ip dockerlab-12-namespaces")]
    assert labelled_rules(SAVED, "08-ports-and-nat") == [
        ("filter", "-A INPUT -s 203.0.113.10/32 -p tcp -m tcp --dport 8081 -m comment --comment "
                   "dockerlab:08-ports-and-nat -j DROP"),
        ("nft", "table ip dockerlab-08-ports-and-nat")]
    assert labelled_rules("#nft\ntable ip dockerlab {\n}\ntable inet mine-dockerlab-08 {\n}\n") == []


def test_the_learner_s_forward_rule_is_counted_like_docker_user_s():
    counted = rule_counters(SAVED.replace("counter packets 0 bytes 0 drop", "counter packets 2 bytes 120 drop"),
                            "dockerlab:08-ports-and-nat")
    assert counted == {
        "filter: -A INPUT -s 203.0.113.10/32 -p tcp -m tcp --dport 8081 -m comment --comment "
        "dockerlab:08-ports-and-nat -j DROP": 3,
        'nft ip dockerlab-08-ports-and-nat forward: ip saddr 203.0.113.10 drop comment "dockerlab:08-ports-and-nat"':
            2}
    assert 'nft ip dockerlab-08-ports-and-nat forward: ip saddr 203.0.113.10 drop comment ' \
           '"dockerlab:08-ports-and-nat"' in drop_counters(SAVED)
    assert rule_counters(SAVED, "masquerade") == {
        'nft ip dockerlab-12-namespaces postrouting: ip saddr 10.212.0.0/24 oifname != "dl-br12" masquerade': 0}


class _Host:
    """An engine host that has SAVED as its firewall and records the commands run on it."""

    def __init__(self):
        self.ran: list[list[str]] = []

    def host(self, command, check=True):
        if command[:2] == ["sh", "-c"]:
            return 0, SAVED
        self.ran.append(command)
        return 0, ""


def test_a_lesson_s_table_is_deleted_whole_and_nobody_else_s():
    host = _Host()
    removed = firewall.remove_labelled(host, "12-namespaces")
    assert host.ran == [["nft", "delete", "table", "ip", "dockerlab-12-namespaces"]]
    assert removed == ["nft: table ip dockerlab-12-namespaces"]
