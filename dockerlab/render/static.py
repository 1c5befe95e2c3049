"""A drawing of a topology: the host with its uplink and bridges, each container a box of its interfaces.

What it shows, as the lessons say it: a container is a box (its own network stack) holding its
interfaces, ``lo`` included; each bridge carries its gateway address and says whether the network
has a way out (routed and NAT-ed through the host's uplink, named as the kernel names it) or none
(``--internal``); bridges are kept apart by the host (drawn as a wall, never as a cable); a veth
pair is one cable from the host end (○, on the bridge) to the container end (●); published ports
sit on their container; a packet's path is numbered hop by hop; a legend explains the marks.
Each network keeps one colour in every picture of a lesson. Labels come from the locale.
"""
from __future__ import annotations

import base64
import re
import threading
from pathlib import Path

from ..model.topology import Path as PacketPath
from ..model.topology import Topology
from ..text import say
from .elements import Ink, lay_out, picture
from .scene import Scene, can_draw_png

HOST_GREY = "#7f7f7f"
# Colours a reader with a colour-vision deficiency tells apart (Okabe and Ito's palette, then Paul Tol's), and
# never the only cue: a network's bar and its interfaces carry its name, a path its numbered hops, a wall its
# dashes and the words "isolated", a plan's missing part dashes and the word "missing".
HIGHLIGHT = "#b84a00"  # a dark vermillion: the path (5.2:1 on white, so its words are readable in it too)
WALL = "#882255"       # Tol's wine, dashed: networks kept apart
PALETTE = ["#0072b2", "#e69f00", "#009e73", "#cc79a7", "#56b4e9", "#332288", "#117733", "#aa4499", "#8c6d1f",
           "#999933"]  # no vermillion or red: that is the path
_BOOKS: dict[str, dict[str, str]] = {}
_BOOKS_LOCK = threading.Lock()


def network_colours(topology: Topology, book: str | None = None) -> dict[str, str]:
    """One colour per network, kept for the whole lesson: a network gets its colour when first drawn.

    ``book`` names whose colours these are (default: the lesson that made the containers);
    ``bridge`` (docker0) is always the first colour.
    """
    book = book or _lesson_of(topology)
    with _BOOKS_LOCK:
        colours = _BOOKS.setdefault(book, {"bridge": PALETTE[0]})
        for name in topology.networks:
            if name not in colours:
                taken = set(colours.values())
                free = [c for c in PALETTE if c not in taken] or PALETTE
                colours[name] = free[0] if free is not PALETTE else PALETTE[len(colours) % len(PALETTE)]
        return {name: colours[name] for name in topology.networks}


def _lesson_of(topology: Topology) -> str:
    lessons = {c.lesson for c in topology.containers.values() if c.lesson}
    return lessons.pop() if len(lessons) == 1 else "*"


class Diagram:
    """A drawn topology: a 2x PNG and SVG, with its text summary where pictures are not compared."""

    def __init__(self, topology: Topology, scene: Scene, highlight: PacketPath | None = None):
        self.topology = topology
        self.scene = scene
        self.highlight = highlight

    def png(self) -> bytes:
        """The drawing as PNG bytes, at twice its size (sharp on a HiDPI screen)."""
        return self.scene.png()

    def svg(self) -> str:
        """The drawing as SVG text, with real ``<text>`` labels and its text summary as its description."""
        return self.scene.svg(description=summary(self.topology, self.highlight))

    def save(self, path: str | Path) -> Path:
        """Write the drawing as SVG or PNG, by the file's extension."""
        path = Path(path)
        if path.suffix.lower() == ".svg":
            path.write_text(self.svg(), encoding="utf-8")
        else:
            path.write_bytes(self.png())
        return path

    def html(self) -> str:
        """The SVG as an HTML fragment that shrinks to the page's width."""
        return fit_width(self.svg())

    def _repr_png_(self):
        return self.scene.png_shown()

    def _repr_svg_(self):
        """The SVG only where no PNG can be drawn (the course in JupyterLite); elsewhere the PNG is the picture."""
        return None if can_draw_png() else self.svg()

    def __repr__(self) -> str:
        return summary(self.topology, self.highlight)


def export(figure, fmt: str = "png") -> bytes:
    """A matplotlib figure as PNG (at 2x) or SVG bytes, for the pictures drawn with matplotlib."""
    import io

    import matplotlib

    from .scene import _RENDER_LOCK

    buffer = io.BytesIO()
    with _RENDER_LOCK, matplotlib.rc_context({"svg.fonttype": "none", "svg.hashsalt": "dockerlab"}):
        figure.savefig(buffer, format=fmt, dpi=200 if fmt == "png" else 100,
                       metadata={"Date": None} if fmt == "svg" else None)
    return buffer.getvalue()


class Picture:
    """A matplotlib figure that shows as a 2x PNG in Jupyter and as its text form where pictures are not compared."""

    def __init__(self, figure, text: str):
        self.figure, self.text = figure, text

    def _repr_png_(self):
        width, height = self.figure.get_size_inches() * 100
        return export(self.figure), {"width": round(width), "height": round(height)}

    def __repr__(self) -> str:
        return self.text


def fit_width(svg: str) -> str:
    """Let the picture shrink to the page's width, never grow past its own (its viewBox keeps the proportions)."""
    return re.sub(r'(<svg\b[^>]*?) width="([^"]*)" height="[^"]*"', r'\1 width="100%" style="max-width: \2px"',
                  svg, count=1)


def png_data_url(png: bytes) -> str:
    """``data:image/png;base64,...`` for an ``<img>``."""
    return "data:image/png;base64," + base64.b64encode(png).decode("ascii")


def summary(topology: Topology, highlight: PacketPath | None = None) -> str:
    """The drawing in words: the uplink, each network with its gateway and the interfaces behind it."""
    lines = [say("drawing-summary", containers=len(topology.containers), networks=len(topology.networks))]
    for network in topology.networks.values():
        if network.driver in ("host", "null"):
            continue
        where = network.bridge or network.parent or network.driver
        line = "  " + say("drawing-summary-network", network=network.name, driver=network.driver,
                   subnet=network.subnet or say("drawing-no-subnet"), where=where)
        if network.bridge and network.gateway:
            line += say("drawing-summary-gateway", gateway=network.gateway)
        if network.internal:
            line += say("drawing-summary-internal-host" if network.gateway or not network.bridge else
                        "drawing-summary-internal-isolated")
        lines.append(line)
        for container in topology.containers.values():
            if container.shares_stack_of:
                continue
            interface = container.interface_on(network.name)
            if interface:
                via = f"{interface.host_peer} <-> " if interface.host_peer else ""
                lines.append(f"    {via}{container.name}:{interface.name} {interface.ipv4 or ''}".rstrip())
    for container in topology.containers.values():
        for interface in container.interfaces:
            if interface.host_address:
                lines.append("  " + say("drawing-summary-cable", name=container.name, interface=interface.name,
                                        ipv4=interface.ipv4 or "", veth=interface.host_peer,
                                        host_address=interface.host_address))
    for container in topology.containers.values():
        if container.network_mode in ("host", "none") or container.shares_stack_of:
            lines.append("  " + say("drawing-summary-mode", name=container.name, mode=container.network_mode))
        for port in container.ports:
            lines.append("  " + say("drawing-summary-port", name=container.name, **port))
    if highlight is not None:
        hops = " -> ".join(h.split(":", 1)[1] for h in highlight.hops) or highlight.reason
        lines.append("  " + say("drawing-summary-path", hops=hops))
    return "\n".join(lines)


def draw(topology: Topology, highlight: PacketPath | None = None, title: str | None = None,
         book: str | None = None, notes: dict[str, str] | None = None) -> Diagram:
    """Draw ``topology`` (optionally a packet's numbered path). Like ``ip -o link`` everywhere, as a picture.

    One step per element (:mod:`dockerlab.render.elements`), in this module's colours. ``notes`` adds words
    to a container's name line (key: its name) or to an interface's line (key: ``container/interface``),
    such as a Compose service or a network alias.
    """
    ink = Ink(network_colours(topology, book), grey=HOST_GREY, path=HIGHLIGHT, wall=WALL, bridge=PALETTE[0])
    return Diagram(topology, picture(lay_out(topology, ink, highlight, title, notes)), highlight)
