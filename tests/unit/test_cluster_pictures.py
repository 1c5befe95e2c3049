"""The multi-host pictures and the VXLAN header picture, from recorded command output (no engine)."""
from __future__ import annotations

import pytest

from dockerlab.exercises.task import TargetTopology
from dockerlab.model.topology import Topology
from dockerlab.render.cluster import draw_cluster
from dockerlab.render.difference import draw_difference
from dockerlab.render.vxlan import VxlanPacket
from tests.unit.fakes import bridge_facts

CAPTURE = """\
02:55:19.968199 IP (tos 0x0, ttl 64, id 43398, offset 0, flags [none], proto UDP (17), length 134)
    10.199.0.12.36751 > 10.199.0.11.4789: [bad udp cksum 0x1628 -> 0x1bfb!] VXLAN, flags [I] (0x08), vni 4097
IP (tos 0x0, ttl 64, id 31269, offset 0, flags [DF], proto ICMP (1), length 84)
    10.198.0.4 > 10.198.0.2: ICMP echo request, id 13, seq 0, length 64
"""


def test_vxlan_packet_from_tcpdump():
    packet = VxlanPacket.parse(CAPTURE)
    assert (packet.outer_source, packet.outer_destination, packet.udp_port, packet.vni) == (
        "10.199.0.12", "10.199.0.11", 4789, 4097)
    assert (packet.inner_source, packet.inner_destination, packet.inner) == (
        "10.198.0.4", "10.198.0.2", "ICMP echo request")
    assert [name for name, _, _ in packet.layers()] == ["outer IP", "outer UDP", "VXLAN", "inner Ethernet + IP",
                                                        "payload"]
    assert "VNI 4097" in repr(packet) and packet._repr_png_()[0][:4] == b"\x89PNG"
    with pytest.raises(ValueError):
        VxlanPacket.parse("10.0.0.1 > 10.0.0.2: ICMP echo request")


def test_cluster_picture_spans_the_overlay():
    view = {f"node{i}": {"address": f"10.199.0.1{i}", "role": "manager" if i == 1 else "worker",
                         "containers": {f"c{i}": {"ov": f"10.198.0.{i + 1}"}}, "bridges": ["docker0"], "veths": 1}
            for i in (1, 2, 3)}
    picture = draw_cluster(view, "ov")
    assert repr(picture).splitlines() == ["Cluster: 3 host(s); overlay ov spans:", "  node1: c1 10.198.0.2",
                                          "  node2: c2 10.198.0.3", "  node3: c3 10.198.0.4"]
    assert picture._repr_png_()[0][:4] == b"\x89PNG"


def test_difference_between_a_plan_and_the_engine():
    plan = TargetTopology(networks={"net1": {"subnet": "10.101.0.0/16"}, "ghost": {"subnet": "10.9.0.0/24"}},
                          containers={"c02": ["net1", "ghost"], "c09": ["net1"]})
    live = Topology.from_facts(bridge_facts(3, networks=2))
    differences = plan.differences(live)
    assert ("network ghost", "missing") in differences and ("container c09", "missing (or not running)") in differences
    assert ("c02 on ghost", "missing") in differences
    text = repr(draw_difference(plan, live))
    assert "c02 on net1: ok" in text and "c02 on ghost: missing" in text
    live_extra = Topology.from_facts(bridge_facts(2, networks=1))
    extra = TargetTopology(networks={"bridge": {}}, containers={"c01": [], "c02": ["bridge"]}).differences(live_extra)
    assert extra == [("c01 on bridge", "extra: not in the plan")]


def test_the_pictures_speak_korean_with_hangul_glyphs(monkeypatch):
    """The Korean edition's cluster, VXLAN and plan pictures: Korean words, drawn with no missing-glyph box."""
    import warnings

    from dockerlab.render.static import export

    monkeypatch.chdir("/")  # no .dockerlab-language here: the environment chooses
    monkeypatch.setenv("DOCKERLAB_LANG", "ko")
    view = {"node1": {"address": "10.199.0.11", "role": "manager", "containers": {"c1": {"ov": "10.198.0.2"}},
                      "bridges": ["docker0"], "veths": 1},
            "node2": {"address": "10.199.0.12", "role": "worker", "containers": {"c2": {"ov": "10.198.0.3"}},
                      "bridges": ["docker0"], "veths": 1}}
    plan = TargetTopology(networks={"net1": {"subnet": "10.101.0.0/16"}, "ghost": {"subnet": "10.9.0.0/24"}},
                          containers={"c02": ["net1", "ghost"], "c09": ["net1"]})
    cluster, packet = draw_cluster(view, "ov"), VxlanPacket.parse(CAPTURE)
    difference = draw_difference(plan, Topology.from_facts(bridge_facts(3, networks=2)))
    assert repr(cluster).startswith("클러스터: 호스트 2대")
    assert repr(packet).startswith("바깥 IP") and "컨테이너에서 컨테이너로" in repr(packet)
    assert repr(difference).startswith("계획과 엔진의 실제 비교:") and "ghost의 c02: 빠짐" in repr(difference)
    with warnings.catch_warnings():
        warnings.simplefilter("error")  # matplotlib warns "Glyph ... missing from font(s)" for each box
        for figure in (cluster.figure, packet.figure(), difference.figure):
            assert export(figure)[:4] == b"\x89PNG"
