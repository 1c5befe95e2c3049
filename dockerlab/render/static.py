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
import itertools
import math
import re
import threading
from dataclasses import dataclass
from pathlib import Path

from ..model.topology import Container, Topology
from ..model.topology import Path as PacketPath
from ..text import say
from .scene import Scene, can_draw_png, text_width

FONT = 12
SMALL = 10.5
ROW = 17          # one interface line in a container box
HEADER = 20       # a container box's name line
LANE = 16         # distance between two bridges' bars
CABLE = 130       # room between the host and the containers, for the veth names
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


@dataclass
class _Box:
    container: Container
    names: list[str]
    y: float
    height: float
    rows: dict[str, float]  # interface name -> y of its line


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
            line += say("drawing-summary-internal-host")
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


def _lanes(topology: Topology) -> list[tuple[str, str, str]]:
    """(kind, host link, network) for each bar drawn in the host: bridges first (docker0 first), then parents."""
    lanes = []
    for network in sorted(topology.networks.values(), key=lambda n: (n.bridge != "docker0", n.name)):
        if network.bridge:
            lanes.append(("bridge", network.bridge, network.name))
    for network in topology.networks.values():
        if network.driver in ("macvlan", "ipvlan") and network.parent:
            lanes.append(("parent", network.parent, network.name))
    for network in topology.networks.values():  # an overlay's VXLAN tunnel, where its containers on this host meet
        if network.driver == "overlay" and any(i.network == network.name for c in topology.containers.values()
                                               for i in c.interfaces):
            lanes.append(("overlay", f"vxlan:{network.name}", network.name))
    return lanes


def _boxes(topology: Topology, lanes: list[tuple[str, str, str]]) -> list[tuple[Container, list[str]]]:
    """Containers in drawing order (by their first bar, then name), with the names sharing each stack."""
    sharing: dict[str, list[str]] = {}
    for container in topology.containers.values():
        if container.shares_stack_of:
            sharing.setdefault(container.shares_stack_of, []).append(container.name)
    order = {network: index for index, (_, _, network) in enumerate(lanes)}
    owners = [c for c in topology.containers.values() if not c.shares_stack_of and c.network_mode != "host"]
    owners.sort(key=lambda c: (min([order.get(i.network or "", 99) for i in c.interfaces] + [99]), c.name))
    return [(c, [c.name, *sorted(sharing.get(c.name, []))]) for c in owners]


def _interface_line(container: Container, interface, notes: dict[str, str] | None = None) -> str:
    if interface.type == "loopback":
        return say("drawing-loopback", ipv4=interface.ipv4 or "127.0.0.1/8")
    line = say("drawing-interface", name=interface.name, ipv4=interface.ipv4 or "", network=interface.network or "")
    line = line if interface.network else line.rstrip(" ·")  # a cable made by hand belongs to no network
    note = (notes or {}).get(f"{container.name}/{interface.name}")
    return f"{line} · {note}" if note else line


def _box_name(container: Container, names: list[str], notes: dict[str, str] | None = None) -> str:
    name = say("drawing-shared", names=", ".join(names)) if len(names) > 1 else \
        say("drawing-none", name=container.name) if container.network_mode == "none" else \
        say("drawing-container", name=container.name)
    note = (notes or {}).get(container.name)
    return f"{name} · {note}" if note else name


def draw(topology: Topology, highlight: PacketPath | None = None, title: str | None = None,
         book: str | None = None, notes: dict[str, str] | None = None) -> Diagram:
    """Draw ``topology`` (optionally a packet's numbered path). Like ``ip -o link`` everywhere, as a picture.

    ``notes`` adds words to a container's name line (key: its name) or to an interface's line (key:
    ``container/interface``), such as a Compose service or a network alias.
    """
    colours = network_colours(topology, book)
    lanes = _lanes(topology)
    uplink = topology.uplink
    drawn_boxes = _boxes(topology, lanes)
    host_mode = [c for c in topology.containers.values() if c.network_mode == "host"]
    networks = topology.networks

    # -- the host's column: its width from its longest label ---------------------------------
    headers: dict[str, list[str]] = {}
    for kind, link, network_name in lanes:
        network = networks[network_name]
        if kind == "bridge":
            lines = [say("drawing-bridge", bridge=link, network=network_name),
                     say("drawing-subnet", subnet=network.subnet or "", gateway=network.gateway or "?")]
            if network.internal:
                lines.append(say("drawing-internal-host", gateway=network.gateway) if network.gateway else
                             say("drawing-internal-host-unnamed"))
            elif uplink:  # a host with no uplink of its own: no way out to draw, but the network is not internal
                lines.append(say("drawing-way-out", uplink=uplink))
        elif kind == "overlay":
            lines = [say("drawing-overlay", network=network_name),
                     say("drawing-overlay-note", subnet=network.subnet or "")]
        else:
            lines = [say("drawing-parent", parent=link, network=network_name),
                     say("drawing-parent-note", subnet=network.subnet or "")]
        headers[link] = lines
    host_texts = [line for lines in headers.values() for line in lines]
    host_texts += [say("drawing-host-mode", name=c.name) for c in host_mode]
    if uplink:
        host_texts.append(say("drawing-uplink", name=uplink))
    bridges = [network_name for kind, _, network_name in lanes if kind == "bridge"]
    host_texts += ["✕ " + say("drawing-isolated", a=a, b=b) for a, b in itertools.pairwise(bridges)]
    lanes_width = LANE * max(len(lanes), 1)
    host_x, host_w = 10.0, max([text_width(t, SMALL) for t in host_texts] + [200]) + lanes_width + 34
    box_x = host_x + host_w + CABLE
    box_texts = []
    for container, names in drawn_boxes:
        header = say("drawing-shared", names=", ".join(names)) if len(names) > 1 else \
            say("drawing-container", name=container.name)
        note = (notes or {}).get(container.name)
        box_texts += [f"{header} · {note}" if note else header]
        box_texts += [_interface_line(container, i, notes) for i in container.interfaces]
        box_texts += [say("drawing-port-dnat", **p) for p in container.ports]
    box_w = max([text_width(t, SMALL) for t in box_texts] + [160]) + 30
    box_w = max([box_w] + [text_width(t, FONT) * 1.1 + 20 for t in box_texts[:1]] + [
        text_width(say("drawing-shared", names=", ".join(names)), FONT) * 1.1 + 20 for _, names in drawn_boxes] + [
        text_width(_box_name(container, names, notes), FONT) * 1.1 + 20 for container, names in drawn_boxes
        if (notes or {}).get(container.name)])

    # -- rows, top to bottom ------------------------------------------------------------------
    y = 12.0
    title_y = None
    if title:
        title_y, y = y + 8, y + 26
    host_y = y
    y += 26  # the host's own name
    uplink_y = None
    if uplink:
        uplink_y, y = y + 10, y + 30
    host_mode_y = {}
    for container in host_mode:
        host_mode_y[container.name], y = y + 10, y + 28
    lane_x = {link: host_x + 16 + LANE * index for index, (_, link, _) in enumerate(lanes)}
    header_y: dict[str, float] = {}
    boxes: list[_Box] = []
    pending = list(drawn_boxes)
    walls: list[tuple[float, str, str]] = []
    previous_bridge = None
    for kind, link, network_name in lanes:
        if kind == "bridge" and previous_bridge is not None:
            walls.append((y + 4, previous_bridge, network_name))
            y += 14
        if kind == "bridge":
            previous_bridge = network_name
        header_y[link] = y + 6
        y += 6 + 15 * len(headers[link]) + 6
        mine = [entry for entry in pending if any(i.network == network_name for i in entry[0].interfaces)]
        for entry in mine:
            pending.remove(entry)
            y = _stack_box(boxes, entry, y)
    for entry in pending:  # no bar: --network none, overlay...
        y = _stack_box(boxes, entry, y)
    host_bottom = y + 8
    y = host_bottom + 18

    scene = Scene(0, 0)
    if title and title_y is not None:
        scene.text(host_x, title_y, title, size=FONT + 3, bold=True, kind="title")
    # the host
    scene.rect(host_x, host_y, host_w, host_bottom - host_y, fill="#f6f6f6", stroke="#555555", width=1.2,
               radius=6, kind="host")
    scene.text(host_x + 10, host_y + 13, say("drawing-host"), size=FONT, bold=True, kind="host-name")
    if uplink and uplink_y is not None:
        scene.rect(host_x + 10, uplink_y - 10, host_w - 20, 20, fill="white", stroke=HOST_GREY, radius=3,
                   kind="uplink")
        scene.text(host_x + 16, uplink_y, say("drawing-uplink", name=uplink), size=SMALL, kind="uplink")
        scene.line([(host_x - 8, uplink_y), (host_x + 10, uplink_y)], HOST_GREY, 2.5, kind="uplink")
    for container in host_mode:
        my = host_mode_y[container.name]
        scene.rect(host_x + 10, my - 10, host_w - 20, 20, fill="white", stroke="#333333", dash=True, radius=3,
                   kind="container")
        scene.text(host_x + 16, my, say("drawing-host-mode", name=container.name), size=SMALL, kind="container")
    # an isolation line runs right of the bridges' bars (a bar reaching a container above its own section
    # passes by it, never through it), its words there too
    wall_x = host_x + 16 + LANE * (len(lanes) - 1) + 8 if lanes else host_x + 4
    for wall_y, a, b in walls:
        scene.line([(wall_x, wall_y), (host_x + host_w - 4, wall_y)], WALL, 1.6, dash=True, kind="isolation")
        scene.text(wall_x + 4, wall_y + 8, "✕ " + say("drawing-isolated", a=a, b=b), size=SMALL - 1, colour=WALL,
                   kind="isolation")
    # where each bar is needed: from its header to the last interface on it
    positions: dict[str, tuple[float, float]] = {}
    rows_on: dict[str, list[float]] = {link: [] for link in lane_x}
    link_of = {network_name: link for _, link, network_name in lanes}
    for box in boxes:
        for interface in box.container.interfaces:
            bar = link_of.get(interface.network or "")
            if bar and interface.name in box.rows:
                rows_on[bar].append(box.rows[interface.name])
    for kind, link, network_name in lanes:
        colour = colours.get(network_name, HOST_GREY)
        x, top = lane_x[link], header_y[link]
        bottom = max(rows_on[link] + [top + 15 * len(headers[link])])
        # a macvlan parent is a link, not a switch: drawn dashed, as are its children's lines (no veth, no port)
        scene.line([(x, min(rows_on[link] + [top]) - 4), (x, bottom + 4)], colour, 5 if kind == "bridge" else 3,
                   dash=kind == "parent", halo=True, kind=kind)
        for index, line in enumerate(headers[link]):
            scene.text(x + 10, top + 7 + 15 * index, line, size=SMALL, bold=index == 0,
                       colour="#222222" if index == 0 else ("#a33" if networks[network_name].internal and index == 2
                                                            else "#444444"), kind=f"{kind}-label")
        if kind == "bridge" and networks[network_name].internal:
            scene.line([(x - 7, top - 3), (x + 7, top - 3)], WALL, 3, kind="no-way-out")
        positions[f"host:{link}"] = (x, top + 4)
    # the containers and their cables
    edge = host_x + host_w
    for box in boxes:
        container = box.container
        scene.rect(box_x, box.y, box_w, box.height, fill="white", stroke="#333333", width=1.2, radius=5,
                   kind="container")
        scene.text(box_x + 8, box.y + 11, _box_name(container, box.names, notes), size=FONT, bold=True,
                   kind="container-name")
        for shared in box.names:
            positions[f"container:{shared}"] = (box_x + box_w - 8, box.y + 11)
        for interface in container.interfaces:
            iy = box.rows.get(interface.name)
            if iy is None:
                continue
            colour = HOST_GREY if interface.type == "loopback" else colours.get(interface.network or "", HOST_GREY)
            scene.dot(box_x, iy, 4, colour, "#333333", kind="interface")
            scene.text(box_x + 10, iy, _interface_line(container, interface, notes), size=SMALL, kind="interface")
            positions[f"if:{container.name}/{interface.name}"] = (box_x, iy)
            bar = link_of.get(interface.network or "")
            if bar is None and interface.host_address:  # a cable made by hand: its host end, and both addresses
                scene.line([(edge, iy), (box_x, iy)], HOST_GREY, 1.6, kind="veth")
                scene.dot(edge, iy, 4, "white", HOST_GREY, kind="veth")
                scene.text(edge - 8, iy - 7, f"{interface.host_peer} {interface.host_address}", size=SMALL - 1,
                           colour="#444444", anchor="end", kind="veth")
                positions[f"host:{interface.host_peer}"] = (edge, iy)
            if bar is None:
                continue
            x = lane_x[bar]
            if interface.host_peer:
                scene.line([(x, iy), (edge, iy)], colour, 1.6, halo=True, kind="bridge-port")
                scene.line([(edge, iy), (box_x, iy)], colour, 1.6, kind="veth")
                scene.dot(edge, iy, 4, "white", colour, kind="veth")
                scene.text(edge + 8, iy - 7, interface.host_peer, size=SMALL - 1, colour="#444444", kind="veth")
                positions[f"host:{interface.host_peer}"] = (edge, iy)
            else:  # macvlan: straight from the parent link, no veth
                scene.line([(x, iy), (box_x, iy)], colour, 1.6, dash=True, halo=True, kind="macvlan")
        for index, port in enumerate(container.ports):
            py = box.y + box.height - 10 - ROW * (len(container.ports) - 1 - index)
            scene.text(box_x + 10, py, say("drawing-port-dnat", **port), size=SMALL, colour="#7a4d00", kind="port")
    # the path, hop by hop
    hop_lines = []
    if highlight is not None and highlight.exists:
        points: list[tuple[float, float]] = []  # where each hop's number goes
        route: list[tuple[float, float]] = []
        hops = [hop for hop in highlight.hops if not hop.startswith("container:")]
        for index, hop in enumerate(hops):
            name = hop.split(":", 1)[1]
            if hop.startswith("host:") and name in lane_x:
                before = positions.get(hops[index - 1]) if index else None
                after = positions.get(hops[index + 1]) if index + 1 < len(hops) else None
                ys = [p[1] for p in (before, after) if p] or [positions.get(hop, (0, 0))[1]]
                place = (lane_x[name], ys[0])
                route += [place, (lane_x[name], ys[-1])]
            else:
                place = positions.get(hop)  # type: ignore[assignment]
                if place:
                    route.append(place)
            if place:
                points.append(place)
                hop_lines.append(name)
        if len(route) > 1:
            scene.line(route, HIGHLIGHT, 3, kind="path")
        for number, (x, py) in enumerate(points, start=1):
            scene.dot(x - 9, py - 9, 7, HIGHLIGHT, "white", kind="hop")
            scene.text(x - 9, py - 9, str(number), size=9, colour="white", bold=True, anchor="middle", kind="hop")
    # the legend
    legend_x = host_x
    scene.text(legend_x, y, say("drawing-legend"), size=SMALL, bold=True, kind="legend")
    legend_x += text_width(say("drawing-legend"), SMALL) + 14
    items = [("bridge", say("drawing-legend-bridge")), ("veth", say("drawing-legend-veth"))]
    if walls:
        items.append(("isolation", say("drawing-legend-isolated")))
    if hop_lines:
        items.append(("path", say("drawing-legend-path")))
    for kind, text in items:
        if kind == "bridge":
            scene.line([(legend_x, y - 6), (legend_x, y + 6)], PALETTE[0], 5, kind="legend")
        elif kind == "veth":
            scene.dot(legend_x - 4, y, 4, "white", HOST_GREY, kind="legend")
            scene.line([(legend_x, y), (legend_x + 14, y)], HOST_GREY, 1.6, kind="legend")
            scene.dot(legend_x + 18, y, 4, HOST_GREY, "#333333", kind="legend")
            legend_x += 20
        elif kind == "isolation":
            scene.line([(legend_x - 4, y), (legend_x + 14, y)], WALL, 1.6, dash=True, kind="legend")
            legend_x += 16
        else:
            scene.dot(legend_x + 2, y, 7, HIGHLIGHT, "white", kind="legend")
            scene.text(legend_x + 2, y, "1", size=9, colour="white", bold=True, anchor="middle", kind="legend")
        scene.text(legend_x + 10, y, text, size=SMALL, kind="legend")
        legend_x += 10 + text_width(text, SMALL) + 18
    y += 14
    if hop_lines and highlight is not None:
        numbered = "  ".join(f"{number}. {hop}" for number, hop in enumerate(hop_lines, start=1))
        scene.text(host_x, y + 6, say("drawing-path", source=highlight.source, target=highlight.target,
                                      hops=numbered),
                   size=SMALL, colour=HIGHLIGHT, kind="path")
        y += 20
    elif highlight is not None:
        scene.text(host_x, y + 6, say("drawing-no-path", source=highlight.source, target=highlight.target,
                                      reason=highlight.reason), size=SMALL, colour=HIGHLIGHT, kind="path")
        y += 20
    scene.width = max(box_x + box_w + 12, legend_x, host_x + 20 + max(
        [text_width(s[3], s[4]) for s in scene.shapes if s[0] == "text" and s[-1] == "path"] + [0]))
    scene.width, scene.height = math.ceil(scene.width), math.ceil(y + 6)
    return Diagram(topology, scene, highlight)


def _stack_box(boxes: list[_Box], entry: tuple[Container, list[str]], y: float) -> float:
    container, names = entry
    top = y + 6
    rows = {}
    ordered = sorted(container.interfaces, key=lambda i: (i.type != "loopback", i.name))  # lo, eth0, eth1...
    for index, interface in enumerate(ordered):
        rows[interface.name] = top + HEADER + ROW * index + ROW / 2 - 2
    height = HEADER + ROW * (len(container.interfaces) + len(container.ports)) + 6
    boxes.append(_Box(container, names, top, height, rows))
    return top + height
