"""Reading the host links' labels (their ifalias) from ``ip -o link show``."""
from __future__ import annotations

from dockerlab.host.hostlinks import parse_aliases

IP_O_LINK = """\
1: lo: <LOOPBACK,UP,LOWER_UP> mtu 65536 qdisc noqueue state UNKNOWN mode DEFAULT group default qlen 1000\\    link/loopback 00:00:00:00:00:00 brd 00:00:00:00:00:00
3: docker0: <NO-CARRIER,BROADCAST,MULTICAST,UP> mtu 1500 qdisc noqueue state DOWN mode DEFAULT group default \\    link/ether 02:42:ca:ee:a8:1d brd ff:ff:ff:ff:ff:ff
37: dl-parent1@dl-parent0: <BROADCAST,MULTICAST,UP,LOWER_UP> mtu 1500 qdisc noqueue state UP mode DEFAULT group default qlen 1000\\    link/ether b6:c8:d8:b1:8e:d5 brd ff:ff:ff:ff:ff:ff\\    alias dockerlab:03-drivers
38: dl-parent0@dl-parent1: <BROADCAST,MULTICAST,UP,LOWER_UP> mtu 1500 qdisc noqueue state UP mode DEFAULT group default qlen 1000\\    link/ether 0a:eb:ee:a1:db:65 brd ff:ff:ff:ff:ff:ff\\    alias dockerlab:03-drivers
40: eth0@if41: <BROADCAST,MULTICAST,UP,LOWER_UP> mtu 1500 qdisc noqueue state UP mode DEFAULT group default \\    link/ether 52:54:00:12:34:56 brd ff:ff:ff:ff:ff:ff link-netnsid 0\\    alias uplink to the lab switch
"""


def test_aliases_are_read_per_link_and_only_where_set():
    assert parse_aliases(IP_O_LINK) == {
        "lo": "", "docker0": "", "dl-parent1": "dockerlab:03-drivers", "dl-parent0": "dockerlab:03-drivers",
        "eth0": "uplink to the lab switch"}
