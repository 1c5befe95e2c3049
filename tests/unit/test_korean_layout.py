"""Pictures laid out for Korean: every label inside its box, measured in the font it is drawn with, and the
isolation label clear of the bridges' bars."""
from __future__ import annotations

import json
from pathlib import Path

import pytest

from dockerlab.model.topology import Topology
from dockerlab.render import draw
from dockerlab.render.fonts import text_size
from dockerlab.render.shapes import Line, Rect, Text
from tests.unit.fakes import bridge_facts

DATA = Path(__file__).parent / "data" / "rich-topology.json"
HOST_KINDS = {"host-name", "uplink", "bridge-label", "parent-label", "isolation"}
BOX_KINDS = {"container-name", "interface", "port"}


@pytest.fixture(params=["en", "ko"])
def language(request, monkeypatch, tmp_path):
    monkeypatch.chdir(tmp_path)  # no .dockerlab-language here
    monkeypatch.setenv("DOCKERLAB_LANG", request.param)
    return request.param


def topologies() -> list[Topology]:
    return [Topology.from_facts(json.loads(DATA.read_text())), Topology.from_facts(bridge_facts(6, 3))]


def rects(scene, kind: str) -> list[tuple[float, float, float, float]]:
    return [(r.x, r.y, r.x + r.w, r.y + r.h) for r in scene.of_kind(Rect, kind)]


def test_every_label_stays_inside_its_box(language):
    for topology in topologies():
        scene = draw(topology, title="그림").scene
        [host] = rects(scene, "host")
        boxes = rects(scene, "container")
        for label in scene.of_kind(Text):
            right = scene.bounds(label).right  # measured in the font it is drawn with
            if label.kind in HOST_KINDS:
                assert right <= host[2], (language, label.text)
            elif label.kind in BOX_KINDS:
                box = next(b for b in boxes if b[0] <= label.x <= b[2] and b[1] <= label.y <= b[3])
                assert right <= box[2], (language, label.text)


def test_the_isolation_label_is_right_of_every_bridge_bar(language):
    scene = draw(Topology.from_facts(bridge_facts(4, 3))).scene
    bars = [x for line in scene.of_kind(Line, "bridge") + scene.of_kind(Line, "parent") for x, _ in line.points]
    labels = scene.of_kind(Text, "isolation")
    assert len(labels) == 2 and all(label.x > max(bars) + 4 for label in labels)


def test_a_measured_label_is_wider_in_hangul_than_the_same_count_of_latin_letters(language):
    if language == "ko":
        assert text_size("브리지 브리지", 10)[0] > text_size("bridge bri", 10)[0]


def test_the_cluster_pictures_bridge_label_fits_its_node(language):
    from dockerlab.render.cluster import draw_cluster

    view = {name: {"address": f"10.199.0.1{i}", "role": "worker", "containers": {},
                   "bridges": ["docker0", "docker_gwbridge"], "veths": 12} for i, name in enumerate(["node1", "node2"])}
    figure = draw_cluster(view, "ov").figure
    [axes] = figure.axes
    labels = [t for t in axes.texts if "docker_gwbridge" in t.get_text()]
    assert labels
    for label in labels:
        x, _ = label.get_position()
        node_right = max(p.get_x() + p.get_width() for p in axes.patches if p.get_x() <= x)
        assert x + text_size(label.get_text(), label.get_fontsize())[0] / 100 <= node_right, label.get_text()


def test_a_lesson_starts_where_matplotlib_is_missing(monkeypatch):
    """A browser's Python (the replay in JupyterLite) has no matplotlib: a lesson's first cell teaches IPython the
    figures all the same, and the labels are estimated."""
    import sys

    from IPython.core.interactiveshell import InteractiveShell

    from dockerlab.render import figures, fonts

    monkeypatch.setitem(sys.modules, "matplotlib", None)   # import matplotlib: ImportError
    fonts.use_korean_fallback.cache_clear()
    monkeypatch.setattr(figures, "ipython_shell", InteractiveShell.instance)
    try:
        figures.show_figures()
        assert fonts.use_korean_fallback() is None
        assert fonts.text_size("docker0", 10) == fonts._estimated("docker0", 10, False)
    finally:
        fonts.use_korean_fallback.cache_clear()
        InteractiveShell.clear_instance()
