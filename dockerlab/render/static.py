"""A static drawing of a topology with matplotlib: PNG and SVG, one colour per network.

Uses matplotlib's object API (``Figure`` + ``FigureCanvasAgg``), never pyplot,
so it is safe to call from the live diagram's background thread.
"""
from __future__ import annotations

import io
import threading
from pathlib import Path

import matplotlib
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.collections import LineCollection
from matplotlib.figure import Figure

from ..topology import Path as PacketPath
from ..topology import Topology
from .layout import COLUMN, layout

COLUMN_WIDTH = 2.35  # inches per layer
ROW_HEIGHT = 0.52    # inches per row: two lines of 8-point text and a gap
FONT_SIZE = 8
HEADINGS = {"uplink": "host uplink", "bridge": "bridges", "veth": "host-side veths",
            "interface": "container interfaces", "container": "containers"}
MARKERS = {"uplink": "s", "bridge": "s", "veth": "o", "interface": "o", "container": "D"}
HOST_GREY = "#7f7f7f"
HIGHLIGHT = "#d62728"
_RENDER_LOCK = threading.Lock()  # matplotlib's text engine is not thread-safe


def network_colours(topology: Topology) -> dict[str, str]:
    """One colour per network, stable for a given set of network names."""
    tab10 = matplotlib.colormaps["tab10"]
    palette = [matplotlib.colors.to_hex(tab10(i)) for i in range(tab10.N) if i != 3]  # red means "the path"
    return {name: palette[i % len(palette)]
            for i, name in enumerate(sorted(topology.networks))}


def _label(topology: Topology, node: str, data: dict) -> str:
    layer = data["layer"]
    if layer == "bridge":
        network = topology.networks.get(data.get("network") or "")
        if network:
            return f"{data['label']}\n{network.name} {network.subnet or ''}".rstrip()
    if layer == "interface" and data.get("ipv4"):
        return f"{data['label']}\n{data['ipv4']}"
    if layer == "container":
        mode = data.get("mode", "")
        return data["label"] if mode in ("bridge", "") else f"{data['label']}\n--network {mode}"
    return data["label"]


def export(figure: Figure, fmt: str = "png") -> bytes:
    """A figure as PNG or SVG bytes: the one way every drawing of the course is written out.

    SVG keeps its labels as ``<text>`` and carries no date, so the same picture gives the same bytes.
    """
    buffer = io.BytesIO()
    with _RENDER_LOCK, matplotlib.rc_context({"svg.fonttype": "none", "svg.hashsalt": "dockerlab"}):
        figure.savefig(buffer, format=fmt, dpi=100, metadata={"Date": None} if fmt == "svg" else None)
    return buffer.getvalue()


class Picture:
    """A matplotlib figure that shows as PNG in Jupyter and as its text form where pictures are not compared."""

    def __init__(self, figure: Figure, text: str):
        self.figure, self.text = figure, text

    def _repr_png_(self) -> bytes:
        return export(self.figure)

    def __repr__(self) -> str:
        return self.text


class Diagram:
    """A drawn topology: shows as a picture in Jupyter, and as a text summary where pictures are not compared."""

    def __init__(self, topology: Topology, figure: Figure, highlight: PacketPath | None = None):
        self.topology = topology
        self.figure = figure
        self.highlight = highlight

    def png(self) -> bytes:
        """The drawing as PNG bytes."""
        return export(self.figure)

    def svg(self) -> str:
        """The drawing as SVG text, with real ``<text>`` labels (searchable, testable in a browser)."""
        return export(self.figure, "svg").decode("utf-8")

    def save(self, path: str | Path) -> Path:
        """Write the drawing as SVG or PNG, by the file's extension."""
        path = Path(path)
        path.write_bytes(export(self.figure, path.suffix.lstrip(".").lower() or "png"))
        return path

    def _repr_png_(self) -> bytes:
        return self.png()

    def __repr__(self) -> str:
        return summary(self.topology, self.highlight)


def summary(topology: Topology, highlight: PacketPath | None = None) -> str:
    """The drawing in words: each bridge, its veths and the container interfaces behind them."""
    lines = [f"Diagram: {len(topology.containers)} container(s), {len(topology.networks)} network(s)"]
    for network in topology.networks.values():
        if network.driver in ("host", "null"):
            continue
        where = network.bridge or network.parent or network.driver
        lines.append(f"  {network.name} ({network.driver}, {network.subnet or 'no subnet'}) on {where}")
        for container in topology.containers.values():
            if container.shares_stack_of:
                continue
            interface = container.interface_on(network.name)
            if interface:
                via = f"{interface.host_peer} <-> " if interface.host_peer else ""
                lines.append(f"    {via}{container.name}:{interface.name} {interface.ipv4 or ''}".rstrip())
    for container in topology.containers.values():
        if container.network_mode in ("host", "none") or container.shares_stack_of:
            lines.append(f"  {container.name}: --network {container.network_mode}")
    if highlight is not None:
        lines.append(f"  highlighted: {' -> '.join(h.split(':', 1)[1] for h in highlight.hops) or highlight.reason}")
    return "\n".join(lines)


def draw(topology: Topology, highlight: PacketPath | None = None, title: str | None = None) -> Diagram:
    """Draw ``topology`` (optionally with a packet path in red). Like ``ip -o link`` as a picture."""
    placed = layout(topology)
    graph = topology.graph
    colours = network_colours(topology)
    width = COLUMN_WIDTH * len(COLUMN) + 0.4
    height = ROW_HEIGHT * (placed.rows + 1) + 1.1
    figure = Figure(figsize=(width, height))
    FigureCanvasAgg(figure)
    axes = figure.add_axes((0, 0, 1, 1))
    axes.set_xlim(-0.15, len(COLUMN) - 0.05)
    axes.set_ylim(placed.rows - 0.3, -1.6 - (0.6 if title else 0))
    axes.axis("off")
    on_path = set(highlight.hops) if highlight and highlight.exists else set()
    path_edges = {frozenset(pair) for pair in zip(highlight.hops, highlight.hops[1:], strict=False)} \
        if highlight and on_path else set()

    def colour_of(node: str) -> str:
        return colours.get(graph.nodes[node].get("network") or "", HOST_GREY)

    # Artists are batched (one collection per style) so that a redraw stays fast with many containers.
    edge_groups: dict[tuple, list] = {}
    for a, b, data in sorted(graph.edges(data=True)):
        highlighted = frozenset((a, b)) in path_edges
        style = "--" if data["kind"] in ("routes", "host-stack", "shares") else "-"
        colour = HIGHLIGHT if highlighted else (HOST_GREY if data["kind"] == "routes" else colour_of(
            b if graph.nodes[b]["layer"] != "container" else a))
        key = (style, colour, 3 if highlighted else 1.2, 1 if highlighted or not on_path else 0.35)
        edge_groups.setdefault(key, []).append([placed.positions[a], placed.positions[b]])
    for (style, colour, width, alpha), segments in sorted(edge_groups.items()):
        axes.add_collection(LineCollection(segments, linestyles="dashed" if style == "--" else "solid",
                                           colors=colour, linewidths=width, alpha=alpha, zorder=1,
                                           gid=f"edges-{colour}-{style}"))
    node_groups: dict[tuple, list] = {}
    for node, data in sorted(graph.nodes(data=True)):
        x, y = placed.positions[node]
        highlighted = node in on_path
        face = HIGHLIGHT if highlighted else (colour_of(node) if data["layer"] != "container" else "white")
        look = (MARKERS[data["layer"]], 90 if data["layer"] in ("bridge", "container") else 55, face,
                "black" if highlighted else colour_of(node), 1 if highlighted or not on_path else 0.45)
        node_groups.setdefault(look, []).append((x, y))
        axes.text(x + 0.07, y, _label(topology, node, data), fontsize=FONT_SIZE, va="center", ha="left",
                  fontweight="bold" if highlighted else "normal", zorder=4,
                  color="black" if highlighted or not on_path else "#555555", gid=f"label-{node}",
                  bbox={"facecolor": "white", "edgecolor": "none", "alpha": 0.85, "pad": 0.6})
    for (marker, size, face, edge, alpha), points in sorted(node_groups.items()):
        xs, ys = zip(*points, strict=True)
        axes.scatter(xs, ys, s=size, marker=marker, color=face, edgecolors=edge, linewidths=1.2, zorder=3,
                     alpha=alpha)
    for layer, column in COLUMN.items():
        axes.text(column, -1.0, HEADINGS[layer], fontsize=FONT_SIZE + 1, fontweight="bold", ha="left",
                  va="center", color="#333333")
    if title:
        axes.text(-0.1, -1.9, title, fontsize=FONT_SIZE + 3, fontweight="bold", ha="left", va="center")
    return Diagram(topology, figure, highlight)
