"""``dockerlab explain`` with no engine: the map's groups and JSON, folding for big engines, and the host's facts."""
from __future__ import annotations

import json

from dockerlab.model import netfilter
from dockerlab.model.enginemap import EngineMap
from dockerlab.model.hostview import parse_host_view, parse_proc_routes, parse_proc_sockets, parse_ss
from dockerlab.model.naming import resolve
from dockerlab.model.topology import Container, Interface, Network, Topology
from dockerlab.render.enginemap import EnginePicture, folded, listing, sections
from tests.unit.test_why_verdicts import recorded


def test_compose_projects_are_grouped_and_named_as_compose_names_them():
    emap, _, _ = recorded("28.5")
    groups = {(g.kind, g.name): g for g in emap.groups()}
    shop = groups[("compose", "lshop")]
    assert shop.containers == ["lshop-api-1", "lshop-cache-1", "lshop-db-1", "lshop-sidecar-1", "lshop-web-1"]
    assert shop.networks == ["lshop_back", "lshop_front"]
    assert emap.networks["lshop_back"].compose_name == "back" and emap.networks["lshop_back"].internal
    assert emap.members["lshop-api-1"].service == "api"
    assert set(groups[("own", "")].containers) >= {"lplain1", "lhostsvc", "llonely", "lmv1", "lq1"}
    kinds = [kind for kind, _ in groups]
    assert kinds[0] == "compose" and kinds[-1] == "own"


def test_the_json_is_the_snapshots_with_more_keys():
    emap, _, _ = recorded("26.1")
    data = json.loads(json.dumps(emap.to_dict()))
    snapshot = emap.topology.to_dict()
    for key in ("version", "uplink", "host_interfaces"):
        assert data[key] == snapshot[key]
    for kind in ("networks", "containers"):
        mine = {item["name"]: item for item in data[kind]}
        for item in snapshot[kind]:
            assert {k: mine[item["name"]][k] for k in item} == item  # nothing of the snapshot changed
    api = next(c for c in data["containers"] if c["name"] == "lshop-api-1")
    front = next(e for e in api["endpoints"] if e["network"] == "lshop_front")
    assert "backend" in front["aliases"] and front["interface"] and front["host_peer"]
    sidecar = next(c for c in data["containers"] if c["name"] == "lshop-sidecar-1")
    assert sidecar["shares_stack_of"] == "lshop-api-1" and sidecar["service"] == "sidecar"
    plain2 = next(c for c in data["containers"] if c["name"] == "lplain2")
    assert plain2["hosts_links"] == {"olddb": "lplain1"}
    quiet = next(n for n in data["networks"] if n["name"] == "lquiet")
    assert quiet["icc"] is False and next(n for n in data["networks"] if n["name"] == "llan")["parent"] == "dl-lmvp0"
    assert {g["name"] for g in data["groups"]} == {"lshop", "lblog", ""}
    assert data["explain_version"] == 1 and data["engine"]["version"].startswith("26.1")


def test_the_listing_names_every_network_and_container():
    emap, _, _ = recorded("20.10")
    text = listing(emap)
    for name in list(emap.members) + [n for n in emap.networks if n not in ("host", "none")]:
        assert name in text, name
    assert "--internal" in text and "enable_icc=false" in text and "macvlan" in text
    assert "--network container:lshop-api-1" in text and "olddb → lplain1" in text
    assert '"front" in project lshop' in text


def _big_engine(replicas: int = 15, services: int = 4, projects: int = 5, workers: int = 50) -> EngineMap:
    """An engine of ``projects * services * replicas + workers`` containers (300 by default), from facts alone."""
    networks, containers, details, facts_networks = [], [], {}, []
    for p in range(projects):
        net = f"p{p}_default"
        networks.append(Network(net, "bridge", f"10.{p}.0.0/16", f"10.{p}.0.1", f"br-{p:012d}"))
        facts_networks.append({"Name": net, "Driver": "bridge", "Labels": {
            "com.docker.compose.project": f"p{p}", "com.docker.compose.network": "default"}})
        for s in range(services):
            for r in range(1, replicas + 1):
                name, address = f"p{p}-svc{s}-{r}", f"10.{p}.{s}.{r}"
                containers.append(Container(name, net, [net], [Interface("eth0", "02:00", f"{address}/16", net,
                                                                         f"veth{p}{s}{r}", "veth", 2, 3)]))
                details[name] = {"Id": f"{p}{s}{r}".ljust(64, "0"), "Labels": {
                    "com.docker.compose.project": f"p{p}", "com.docker.compose.service": f"svc{s}"},
                    "Networks": {net: {"IPAddress": address, "IPPrefixLen": 16, "Aliases": [name, f"svc{s}"]}}}
    for w in range(workers):
        name = f"worker-{w}"
        containers.append(Container(name, "bridge", ["bridge"], []))
        details[name] = {"Id": f"w{w}".ljust(64, "0"), "Networks": {"bridge": {"IPAddress": f"172.17.1.{w}"}}}
    networks.append(Network("bridge", "bridge", "172.17.0.0/16", "172.17.0.1", "docker0"))
    facts_networks.append({"Name": "bridge", "Driver": "bridge"})
    return EngineMap.build(Topology("eth0", [], networks, containers), facts_networks, details, "28.5.2", "here")


def test_hundreds_of_containers_fold_by_service_and_name_pattern():
    emap = _big_engine()
    assert len(emap.members) == 350
    kinds = folded(emap, [m for m in emap.members if m.startswith("p0-")])
    assert [(len(shown), len(hidden)) for shown, hidden in kinds] == [(3, 12)] * 4
    text = listing(emap)
    assert text.count("... and 12 more like these") == 20 and "... and 47 more like these" in text
    assert len(text.splitlines()) < 250
    everything = listing(emap, everything=True)
    assert all(name in everything for name in emap.members) and "more like these" not in everything
    drawn = sections(emap)
    assert sum(len(s.topology.containers) for s in drawn) == 5 * 4 * 3 + 3
    assert sum(s.hidden for s in drawn) == 350 - 63


def test_the_picture_shows_sections_and_the_listing_is_its_text():
    emap, _, _ = recorded("28.5")
    picture = EnginePicture(emap)
    svg = picture.svg()
    assert "Compose project lshop" in svg and "service api" in svg and "names: api, backend" in svg
    assert "parent link of macvlan network llan" in svg and "--network host" in svg
    assert repr(picture) == listing(emap) and "<pre" in picture._repr_html_()


def test_name_lookups_follow_the_embedded_dns_rules():
    emap, _, _ = recorded("28.5")
    assert resolve(emap, "lshop-web-1", "backend").owners == ["lshop-api-1"]
    assert resolve(emap, "lshop-api-1", "db.lshop_back").addresses == \
        [emap.members["lshop-db-1"].endpoint("lshop_back").ipv4]  # NAME.NETWORK asks that network only
    assert not resolve(emap, "lshop-api-1", "db.lshop_front").known
    away = resolve(emap, "lshop-web-1", "database")
    assert not away.known and away.elsewhere == {"lshop_back": ["lshop-db-1"]}
    assert resolve(emap, "lplain2", "olddb").source == "hosts"
    assert resolve(emap, "lplain1", "lplain2").resolver == "hosts-only"
    assert resolve(emap, "lhostsvc", "lshop-web-1").resolver == "host"
    assert resolve(emap, "lshop-sidecar-1", "database").network == "lshop_back"


def test_proc_sockets_routes_and_ss_are_read_as_the_kernel_writes_them():
    tcp = ("  sl  local_address rem_address   st tx_queue\n"
           "   0: 0100007F:18EB 00000000:0000 0A 00000000:00000000\n"
           "   1: 00000000:0050 00000000:0000 0A 00000000:00000000\n"
           "   2: 0200A8C0:0050 0300A8C0:D431 01 00000000:00000000\n")
    found = parse_proc_sockets(tcp, "tcp", ipv6=False)
    assert [(s.address, s.port) for s in found] == [("127.0.0.1", 6379), ("0.0.0.0", 80)]
    assert found[0].loopback_only and found[1].everywhere and found[1].takes("10.0.0.2")
    tcp6 = ("  sl  local_address                         remote_address                        st\n"
            "   0: 00000000000000000000000000000000:1F90 00000000000000000000000000000000:0000 0A\n"
            "   1: 0000000000000000FFFF00000100007F:0050 00000000000000000000000000000000:0000 0A\n")
    six = parse_proc_sockets(tcp6, "tcp", ipv6=True)
    assert [(s.address, s.port) for s in six] == [("::", 8080), ("::ffff:127.0.0.1", 80)]
    assert six[1].takes("127.0.0.1") and not six[1].takes("10.0.0.2")
    routes = parse_proc_routes("Iface\tDestination\tGateway\tFlags\tRefCnt\tUse\tMetric\tMask\n"
                               "eth0\t00000000\t010012AC\t0003\t0\t0\t0\t00000000\n"
                               "eth0\t000012AC\t00000000\t0001\t0\t0\t0\t0000FFFF\n")
    assert [(r.destination, r.gateway, r.interface) for r in routes] == [("0.0.0.0/0", "172.18.0.1", "eth0"),
                                                                          ("172.18.0.0/16", None, "eth0")]
    ss = parse_ss('tcp LISTEN 0 4096 127.0.0.1:18080 0.0.0.0:* users:(("docker-proxy",pid=9,fd=7))\n'
                  "udp UNCONN 0 0 [::]:53 [::]:*\n")
    assert [(s.protocol, s.address, s.port, s.program) for s in ss] == [("tcp", "127.0.0.1", 18080, "docker-proxy"),
                                                                          ("udp", "::", 53, "")]
    view = parse_host_view("#firewall\n*filter\n:FORWARD DROP [0:0]\nCOMMIT\n#addresses\n"
                           "3: docker0    inet 172.17.0.1/16 brd 172.17.255.255 scope global docker0\n"
                           "#bridge-nf\n1\n#proc\n/proc/42/net/route:Iface\tDestination\tGateway\tFlags\n"
                           "/proc/42/net/tcp:  sl  local_address rem_address   st\n"
                           "/proc/42/net/tcp:   0: 00000000:0050 00000000:0000 0A\n#end\n")
    assert view.local_addresses() == {"172.17.0.1", "127.0.0.1"} and view.bridge_nf is True
    assert view.routes == {42: []} and view.route_for(42, "10.0.0.1") is None
    assert [(s.address, s.port) for s in view.listening[42]] == [("0.0.0.0", 80)]


RULES = """*filter
:FORWARD DROP [7:420]
:DOCKER-USER - [0:0]
:DOCKER-ISOLATION-STAGE-1 - [0:0]
:DOCKER-ISOLATION-STAGE-2 - [0:0]
[0:0] -A FORWARD -j DOCKER-USER
[0:0] -A FORWARD -j DOCKER-ISOLATION-STAGE-1
[0:0] -A FORWARD -o br-b -m conntrack --ctstate RELATED,ESTABLISHED -j ACCEPT
[0:0] -A FORWARD -i br-a -o br-a -j ACCEPT
[5:300] -A DOCKER-USER -m physdev --physdev-in veth1 -j DROP
[0:0] -A DOCKER-USER -j RETURN
[0:0] -A DOCKER-ISOLATION-STAGE-1 -i br-a ! -o br-a -j DOCKER-ISOLATION-STAGE-2
[0:0] -A DOCKER-ISOLATION-STAGE-1 -j RETURN
[3:180] -A DOCKER-ISOLATION-STAGE-2 -o br-b -j DROP
[0:0] -A DOCKER-ISOLATION-STAGE-2 -j RETURN
COMMIT
"""


def test_the_rule_walk_follows_jumps_and_passes_rules_it_cannot_judge():
    tables = netfilter.parse(RULES)
    journey = netfilter.follow(tables, netfilter.Packet("10.1.0.2", "10.2.0.2", "tcp", 80, inbound="br-a"),
                               route=lambda address: "br-b")
    assert journey.stopped.label == "filter: -A DOCKER-ISOLATION-STAGE-2 -o br-b -j DROP"
    assert journey.stopped.packets == 3
    assert [rule.text for rule in journey.unsure] == ["-A DOCKER-USER -m physdev --physdev-in veth1 -j DROP"]
    within = netfilter.follow(tables, netfilter.Packet("10.1.0.2", "10.1.0.3", "tcp", 80, inbound="br-a"),
                              route=lambda address: "br-a")
    assert within.stopped is None and within.decisions[-1][1].rule.text == "-A FORWARD -i br-a -o br-a -j ACCEPT"
    stray = netfilter.follow(tables, netfilter.Packet("10.9.0.2", "10.2.0.2", "tcp", 80, inbound="eth0"),
                             route=lambda address: "br-b")
    assert stray.stopped.label == "filter: -P FORWARD DROP"


def test_an_overlay_network_is_a_tunnel_its_containers_meet_on():
    from dockerlab.model.reach import Reasoner

    net = Network("ovl", "overlay", "10.232.0.0/24", "10.232.0.1", None)
    containers = [Container(name, "overlay", ["ovl"], [Interface("eth0", f"02:42:0a:e8:00:0{n}", f"10.232.0.{n}/24",
                                                                 "ovl", None, "veth", 30 + n, 40 + n)])
                  for n, name in ((2, "o1"), (4, "o2"))]
    details = {c.name: {"Id": c.name.ljust(64, "0"), "Networks": {"ovl": {
        "IPAddress": c.interfaces[0].ipv4.split("/")[0], "IPPrefixLen": 24, "DNSNames": [c.name]}}} for c in containers}
    emap = EngineMap.build(Topology(None, [], [net], containers),
                           [{"Name": "ovl", "Driver": "overlay", "Scope": "swarm", "Attachable": True}], details)
    verdict = Reasoner(emap, None).why("o2", "o1")
    assert (verdict.reachable, verdict.stop) == (True, "reached-overlay") and "VXLAN" in str(verdict)
    svg = EnginePicture(emap).svg()
    assert "ovl: an overlay network&#x27;s VXLAN tunnel" in svg and 'class="macvlan"' in svg
    assert "VXLAN between the hosts of a swarm (scope swarm)" in listing(emap)
