"""The drawing, on recorded and made-up topologies (no engine): what it shows, and that it stays legible."""
from __future__ import annotations

import html
import json
import re
import sys
from pathlib import Path

import pytest

from dockerlab.model.topology import Topology
from dockerlab.render import draw
from dockerlab.render.overlaps import clashes
from dockerlab.render.scene import text_width
from dockerlab.render.shapes import Line, Rect, Text
from dockerlab.render.static import HIGHLIGHT, network_colours, summary
from dockerlab.text import say
from tests.unit.fakes import _link, bridge_facts

DATA = Path(__file__).parent / "data" / "rich-topology.json"
RECORDED = Topology.from_facts(json.loads(DATA.read_text()))


def texts(diagram, kind: str | None = None) -> list[Text]:
    return diagram.scene.of_kind(Text, kind)


@pytest.mark.parametrize("containers, networks", [(1, 1), (40, 4), (50, 5)])
def test_no_label_overlaps(containers, networks):
    diagram = draw(Topology.from_facts(bridge_facts(containers, networks)), title="made up")
    assert clashes(diagram.scene) == []
    assert len(texts(diagram, "container-name")) == containers  # all drawn


@pytest.mark.parametrize("path", [("r-a1", "r-ab"), ("r-mv1", "r-mv2"), ("r-a1", "r-non")])
def test_nothing_draws_over_a_label_on_the_recorded_topology(path):
    assert clashes(draw(RECORDED, highlight=RECORDED.path(*path), title="a long title " * 3).scene) == []


def test_every_container_is_a_box_holding_its_interfaces_lo_included():
    svg = draw(RECORDED).svg()
    for container in RECORDED.containers.values():
        if container.network_mode != "host" and not container.shares_stack_of:
            assert f"container {container.name}" in svg or f"{container.name}, " in svg
    assert svg.count(say("drawing-loopback", ipv4="127.0.0.1/8")) == 7  # every stack of its own, r-non too
    assert "--network none" in svg and "--network host: no stack of its own" in svg
    assert "containers r-a1, r-shr: one shared stack" in svg


def test_bridges_carry_their_gateway_and_the_uplink_its_own_name():
    diagram = draw(RECORDED)
    bridge_labels = " ".join(s.text for s in texts(diagram, "bridge-label"))
    for network in ("bridge", "r-net-a", "r-net-b"):
        gateway = RECORDED.networks[network].gateway
        assert f"gateway {gateway}" in bridge_labels
    uplink = [s.text for s in texts(diagram, "uplink")]
    assert uplink == [say("drawing-uplink", name="eth0")] and "not a container's eth0" in uplink[0]


def test_internal_networks_have_no_way_out_and_bridges_are_walled_apart():
    facts = bridge_facts(4, networks=2)
    facts["networks"][1]["Internal"] = True
    topology = Topology.from_facts(facts)
    internal = next(n for n in topology.networks.values() if n.internal)
    diagram = draw(topology)
    labels = [s.text for s in texts(diagram, "bridge-label")]
    assert say("drawing-internal-host", gateway=internal.gateway) in labels and \
        say("drawing-way-out", uplink="eth0") in labels   # no route out, and the host still reachable
    assert diagram.scene.of_kind(Line, "no-way-out")
    # no line joins a bridge to the uplink: the only thing between two bridges is the wall
    assert not [s for s in diagram.scene.of_kind(Line) if s.kind in ("routes", "nat")]
    walls = texts(diagram, "isolation")
    assert len(walls) == 1 and internal.name in walls[0].text


def _internal_as_25_and_later(bridge_address: str | None) -> dict:
    """Two bridge networks, the second ``--internal`` as Docker 25+ reports it: made with ``--subnet`` alone (no
    ``Gateway`` in ``IPAM.Config``) and no gateway on its containers' endpoints (no default route, moby v26.1.5 and
    v28.5.2 ``bridge_linux.go`` ``Join``); the host's bridge holds ``bridge_address`` (``None``: gateway mode
    ``isolated``, 28)."""
    facts = bridge_facts(4, networks=2)
    internal = facts["networks"][1]
    internal["Internal"] = True
    internal["IPAM"]["Config"] = [{"Subnet": "10.101.0.0/16"}]
    for container in facts["containers"]:
        for endpoint in container["Networks"].values():
            if endpoint["NetworkID"] == internal["Id"]:
                endpoint["Gateway"] = ""
    bridge = internal["Options"]["com.docker.network.bridge.name"]
    facts["bridge_addresses"] = {"docker0": "10.100.0.1/16", **({bridge: bridge_address} if bridge_address else {})}
    return facts


def test_an_internal_network_is_drawn_with_its_bridge_address_and_the_host_reachable_there():
    """Docker 25+ reports no gateway for it; the bridge still holds the host's address: drawn, never "gateway ?"."""
    topology = Topology.from_facts(_internal_as_25_and_later("10.101.0.1/16"))
    internal = topology.networks["net1"]
    assert internal.internal and internal.gateway == "10.101.0.1"
    diagram = draw(topology)
    labels = [s.text for s in texts(diagram, "bridge-label")]
    assert say("drawing-subnet", subnet="10.101.0.0/16", gateway="10.101.0.1") in labels
    assert say("drawing-internal-host", gateway="10.101.0.1") in labels   # no route out, the host still reachable
    assert not any("?" in text for text in labels), labels
    assert diagram.scene.of_kind(Line, "no-way-out")
    assert "net1 (bridge, 10.101.0.0/16) on br-000000000001" + say("drawing-summary-gateway", gateway="10.101.0.1") + \
        say("drawing-summary-internal-host") in summary(topology)


def test_an_internal_bridge_without_an_address_is_drawn_so():
    """28's gateway mode ``isolated``: the bridge has no address, so the host is not reachable there either."""
    topology = Topology.from_facts(_internal_as_25_and_later(None))
    assert topology.networks["net1"].gateway is None
    labels = [s.text for s in texts(draw(topology), "bridge-label")]
    assert say("drawing-subnet-no-address", subnet="10.101.0.0/16") in labels
    assert say("drawing-internal-host-unnamed") in labels and not any("?" in text for text in labels), labels
    assert say("drawing-summary-internal-isolated") in summary(topology)


def test_no_bridge_is_drawn_across_the_isolation_line():
    """A container on two networks makes one bar reach into the other's section: it passes by the line."""
    facts = bridge_facts(3, networks=2)
    second, first_container = facts["networks"][1], facts["containers"][0]
    first_container["Networks"]["net1"] = {"NetworkID": second["Id"], "IPAddress": "10.101.0.9", "IPPrefixLen": 16,
                                           "MacAddress": "02:42:0a:65:00:09", "Gateway": "10.101.0.1"}
    facts["host_links"].append(_link("veth00000ff", 1900, 3, "ee:00:00:00:0f:ff", "veth", "br-000000000001"))
    facts["namespaces"][facts["container_netns"][first_container["Id"]]].append(
        _link("eth1", 3, 1900, "02:42:0a:65:00:09", "veth"))
    topology = Topology.from_facts(facts)
    assert topology.containers["c01"].interface_on("net1") is not None
    diagram = draw(topology)
    bars = diagram.scene.of_kind(Line, "bridge")
    walls = diagram.scene.of_kind(Line, "isolation")
    assert walls and bars
    for wall in walls:
        (wall_start, _), (wall_end, _) = wall.points
        for bar in bars:
            (bar_x, _), _ = bar.points
            assert not wall_start <= bar_x <= wall_end, (wall, bar)
    for words in texts(diagram, "isolation"):
        assert all(words.x > bar.points[0][0] for bar in bars)   # the words start right of every bar, none overprinted


def test_a_macvlan_parent_is_drawn_as_a_link_not_a_switch():
    diagram = draw(RECORDED)
    parents = diagram.scene.of_kind(Line, "parent")
    children = diagram.scene.of_kind(Line, "macvlan")
    bridges = diagram.scene.of_kind(Line, "bridge")
    assert parents and children and bridges
    assert all(s.dash for s in parents + children) and not any(s.dash for s in bridges)   # dashed: no switch, no port


def test_a_cable_made_by_hand_is_drawn_with_both_addresses():
    facts = bridge_facts(1)
    facts["host_links"].append(_link("dl-outside-h", 900, 901, "aa:00:00:00:00:01", "veth"))
    outside = dict(facts["containers"][0], Id="f" * 64, Names=["/outside"], NetworkMode="none", Networks={},
                   Labels={**facts["containers"][0]["Labels"], "io.dockerlab.cable": "203.0.113.10/24,203.0.113.1/24"})
    facts["containers"].append(outside)
    facts["container_netns"][outside["Id"]] = "ns-outside"
    facts["namespaces"]["ns-outside"] = [_link("lo", 1, 1, "00:00:00:00:00:00", "loopback"),
                                         _link("eth0", 901, 900, "aa:00:00:00:00:02", "veth")]
    topology = Topology.from_facts(facts)
    eth0 = next(i for i in topology.containers["outside"].interfaces if i.name == "eth0")
    assert (eth0.ipv4, eth0.host_peer, eth0.host_address) == ("203.0.113.10/24", "dl-outside-h", "203.0.113.1/24")
    diagram = draw(topology)
    assert "dl-outside-h 203.0.113.1/24" in [s.text for s in texts(diagram, "veth")]
    assert "eth0 203.0.113.10/24" in " ".join(s.text for s in texts(diagram, "interface"))
    assert say("drawing-summary-cable", name="outside", interface="eth0", ipv4="203.0.113.10/24", veth="dl-outside-h",
               host_address="203.0.113.1/24") in str(diagram)


def test_published_ports_sit_on_their_container():
    facts = bridge_facts(1)
    facts["containers"][0]["Ports"] = [{"IP": "127.0.0.1", "PrivatePort": 80, "PublicPort": 8088, "Type": "tcp"}]
    diagram = draw(Topology.from_facts(facts))
    [port] = texts(diagram, "port")
    [box] = diagram.scene.of_kind(Rect, "container")
    assert port.text == "published: 127.0.0.1:8088 → 80/tcp (a DNAT rule on the host)"
    assert box.x < port.x < box.x + box.w and box.y < port.y < box.y + box.h


def test_the_path_is_numbered_hop_by_hop_in_red():
    path = RECORDED.path("r-a1", "r-ab")
    diagram = draw(RECORDED, highlight=path)
    numbers = [s.text for s in texts(diagram, "hop")]
    assert numbers == [str(n) for n in range(1, len(path.hops) - 1)]  # every hop but the two containers
    [line] = diagram.scene.of_kind(Line, "path")
    assert line.stroke == HIGHLIGHT
    assert "4. " + RECORDED.containers["r-ab"].interfaces[0].host_peer in texts(diagram, "path")[0].text
    assert say("drawing-legend-path") in [s.text for s in texts(diagram, "legend")]


def test_a_legend_explains_the_marks():
    legend = [s.text for s in texts(draw(RECORDED), "legend")]
    assert legend[0] == say("drawing-legend")
    assert say("drawing-legend-bridge") in legend and say("drawing-legend-veth") in legend
    assert say("drawing-legend-isolated") in legend


def test_colours_stay_with_a_network_for_the_whole_lesson():
    first = network_colours(RECORDED, book="test-lesson")
    assert len(set(first.values())) == len(first) and HIGHLIGHT not in first.values()
    assert first["bridge"] == network_colours(RECORDED.focus(["r-d1"]), book="another")["bridge"]
    later = network_colours(RECORDED.focus(["r-b1"]), book="test-lesson")  # a picture with fewer networks
    assert later["r-net-b"] == first["r-net-b"]


def test_svg_has_real_text_labels_and_png_is_twice_the_size(tmp_path):
    diagram = draw(RECORDED)
    svg = diagram.svg()
    assert svg.startswith("<svg") and "<text" in svg
    for label in ["docker0", "r-ab", "10.210.2.3/24", RECORDED.containers["r-b1"].interface_on("r-net-b").host_peer]:
        assert label in svg
    assert diagram.svg() == svg  # the same topology gives the same picture
    png, size = diagram._repr_png_()
    assert png[:8] == b"\x89PNG\r\n\x1a\n"
    width = int.from_bytes(png[16:20], "big")
    assert width == 2 * size["width"]  # drawn at 2x, shown at 1x: sharp on a HiDPI screen
    assert diagram.save(tmp_path / "topology.svg").read_text() == svg
    assert re.search(r'width="100%" style="max-width: \d+px"', diagram.html())


def test_labels_come_from_the_locale_and_a_cjk_font_can_be_named(monkeypatch):
    from dockerlab.render import fonts

    monkeypatch.setenv("DOCKERLAB_LANG", "ko")  # measured in the Korean font the drawing takes Hangul from
    assert text_width("네트워크", 10) > text_width("network", 10) * 0.6  # wide characters count as wide
    monkeypatch.setattr(fonts, "say", lambda key: "Noto Sans CJK KR, sans-serif")
    assert "font-family=\"&#x27;Noto Sans CJK KR&#x27;, sans-serif\"" in draw(RECORDED).svg()


def test_summary_is_the_text_form():
    text = summary(RECORDED, RECORDED.path("r-mv1", "r-mv2"))
    assert text.splitlines()[0] == "Diagram: 9 container(s), 6 network(s)"
    assert "  bridge (bridge, 172.17.0.0/16) on docker0, gateway 172.17.0.1" in text
    assert "  r-mac (macvlan, 10.210.3.0/24) on dl-mvp0r" in text
    assert "  r-shr: --network container:r-a1" in text
    assert text.endswith("highlighted: r-mv1 -> r-mv1/eth0 -> dl-mvp0r -> r-mv2/eth0 -> r-mv2")
    assert repr(draw(RECORDED)) == summary(RECORDED)


def test_an_svg_says_what_it_shows_to_a_screen_reader():
    path = RECORDED.path("r-mv1", "r-mv2")
    svg = draw(RECORDED, highlight=path, title="r-mv1 pings r-mv2").svg()
    assert svg.startswith("<svg") and 'role="img"' in svg.split(">", 1)[0]
    assert "<title>r-mv1 pings r-mv2</title>" in svg
    description = re.search(r"<desc>(.*?)</desc>", svg, re.S).group(1)
    assert description == html.escape(summary(RECORDED, path), quote=False)


def test_where_matplotlib_is_missing_a_drawing_shows_as_its_svg(monkeypatch):
    """A browser's Python (Pyodide: the course in JupyterLite) has no matplotlib; there the SVG is the picture."""
    from dockerlab.render.live import Frame, Frames

    diagram = draw(RECORDED, title="made up")
    frames = Frames([Frame("first", RECORDED, 0.0)], "test-lesson")
    assert diagram._repr_svg_() is None and frames._repr_svg_() is None  # JupyterLab shows the PNG alone
    assert diagram._repr_png_() is not None and frames._repr_png_() is not None
    monkeypatch.setitem(sys.modules, "matplotlib", None)  # import matplotlib fails, as in Pyodide
    with pytest.raises(ImportError):
        import matplotlib  # noqa: F401
    assert diagram._repr_png_() is None and frames._repr_png_() is None
    assert diagram._repr_svg_() == diagram.svg() and "<title>made up</title>" in diagram.svg()
    assert frames._repr_svg_().startswith("<svg") and "1. first" in frames._repr_svg_()
