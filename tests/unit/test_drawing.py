"""The static drawing and the layout, on recorded and made-up topologies (no engine)."""
from __future__ import annotations

import itertools
import json
from pathlib import Path

import matplotlib
import pytest
from matplotlib.collections import LineCollection

from dockerlab.render import draw, layout
from dockerlab.render.static import summary
from dockerlab.topology import Topology
from tests.unit.fakes import bridge_facts

RECORDED = Topology.from_facts(json.loads((Path(__file__).parent / "data" / "rich-topology.json").read_text()))


def overlapping_labels(diagram) -> list[tuple[str, str]]:
    figure = diagram.figure
    renderer = figure.canvas.get_renderer()
    figure.draw(renderer)
    boxes = [(text.get_text(), text.get_window_extent(renderer)) for text in figure.axes[0].texts]
    return [(a, b) for (a, box_a), (b, box_b) in itertools.combinations(boxes, 2) if box_a.overlaps(box_b)]


@pytest.mark.parametrize("containers, networks", [(1, 1), (40, 4), (40, 1)])
def test_no_label_overlaps(containers, networks):
    diagram = draw(Topology.from_facts(bridge_facts(containers, networks)), title="made up")
    assert overlapping_labels(diagram) == []
    assert len(diagram.figure.axes[0].texts) >= 3 * containers + 5  # veth, interface, container; headings


def test_no_label_overlaps_on_the_recorded_topology():
    assert overlapping_labels(draw(RECORDED, highlight=RECORDED.path("r-a1", "r-ab"))) == []


def test_layout_is_layered_and_deterministic():
    first, second = layout(RECORDED), layout(Topology.from_facts(json.loads(
        (Path(__file__).parent / "data" / "rich-topology.json").read_text())))
    assert first.positions == second.positions
    column = {node: x for node, (x, _) in first.positions.items()}
    assert column["host:eth0"] == 0 and column["host:docker0"] == 1
    peer = RECORDED.containers["r-d1"].interfaces[0].host_peer
    assert column[f"host:{peer}"] == 2 and column["if:r-d1/eth0"] == 3 and column["container:r-d1"] == 4
    rows = {}
    for node, (x, y) in first.positions.items():
        assert (x, y) not in rows, f"{node} and {rows.get((x, y))} share a place"
        rows[(x, y)] = node
    # a veth sits on the row of the interface it is paired with
    assert first.positions[f"host:{peer}"][1] == first.positions["if:r-d1/eth0"][1]


def test_svg_has_real_text_labels_and_png_exports(tmp_path):
    diagram = draw(RECORDED)
    svg = diagram.svg()
    assert svg.lstrip().startswith("<?xml") and "<text" in svg
    for label in ["docker0", "r-ab", "10.210.2.3/24", RECORDED.containers["r-b1"].interfaces[0].host_peer]:
        assert label in svg
    assert "dc:date" not in svg  # no timestamp: the same topology gives the same SVG
    assert diagram.svg() == svg
    png = diagram.save(tmp_path / "topology.png").read_bytes()
    assert png[:8] == b"\x89PNG\r\n\x1a\n" and diagram._repr_png_()[:4] == b"\x89PNG"
    assert diagram.save(tmp_path / "topology.svg").read_text() == svg


def test_one_colour_per_network_and_the_path_in_red():
    from dockerlab.render.static import HIGHLIGHT, network_colours

    colours = network_colours(RECORDED)
    assert len(set(colours.values())) == len(colours) and HIGHLIGHT not in colours.values()
    path = RECORDED.path("r-a1", "r-ab")
    diagram = draw(RECORDED, highlight=path)
    red = [c for c in diagram.figure.axes[0].collections
           if isinstance(c, LineCollection) and matplotlib.colors.to_hex(c.get_colors()[0]) == HIGHLIGHT]
    assert sum(len(c.get_segments()) for c in red) == len(path.hops) - 1


def test_summary_is_the_text_form():
    text = summary(RECORDED, RECORDED.path("r-mv1", "r-mv2"))
    assert text.splitlines()[0] == "Diagram: 9 container(s), 6 network(s)"
    assert "  r-mac (macvlan, 10.210.3.0/24) on dl-mvp0r" in text
    assert "  r-shr: --network container:r-a1" in text
    assert text.endswith("highlighted: r-mv1 -> r-mv1/eth0 -> dl-mvp0r -> r-mv2/eth0 -> r-mv2")
    assert repr(draw(RECORDED)) == summary(RECORDED)
