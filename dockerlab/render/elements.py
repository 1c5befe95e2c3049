"""A topology's drawing, one step per element: each step places the shapes of one thing the lessons name.

:func:`lay_out` decides where everything goes (a :class:`Layout`: the host's column, the bridges' bars,
the containers' boxes, top to bottom); then each step of :data:`STEPS` adds its shapes to the scene —
the title, the host, its uplink, ``--network host`` containers, the isolation between bridges, the
bridges' bars with their labels, the container boxes, their interfaces, the veth pairs, the path's
marks, the legend. Labels are placed where no bar, line or other label runs (the drawing's tests
read the shapes to hold this). Colours come in with the :class:`Ink`; labels from the locale.
"""
from __future__ import annotations

import itertools
from collections.abc import Callable
from dataclasses import dataclass, field

from ..model.topology import Container, Interface, Network, Topology
from ..model.topology import Path as PacketPath
from ..text import say
from .scene import Scene, text_width

FONT = 12
SMALL = 10.5
ROW = 17          # one interface line in a container box
HEADER = 20       # a container box's name line
LANE = 16         # distance between two bridges' bars
CABLE = 130       # room between the host and the containers, for the veth names
HOP = 7           # a path mark's radius


@dataclass(frozen=True)
class Ink:
    """The colours a drawing uses: one per network, and the fixed ones (see ``render.static``'s palette)."""

    networks: dict[str, str]
    grey: str
    path: str
    wall: str
    bridge: str

    def of(self, network: str | None) -> str:
        return self.networks.get(network or "", self.grey)


@dataclass(frozen=True)
class Lane:
    """One bar in the host: a bridge (``docker0``, ``br-…``), a macvlan or ipvlan network's parent link, or
    an overlay's VXLAN tunnel (where its containers on this host meet)."""

    kind: str  # "bridge", "parent" or "overlay"
    link: str
    network: Network
    x: float
    top: float = 0.0
    labels: tuple[str, ...] = ()


@dataclass
class Box:
    """One container box: the containers sharing its stack, where it is, where each interface's line is."""

    container: Container
    names: list[str]
    y: float
    height: float
    rows: dict[str, float]  # interface name -> y of its line
    note: str = ""  # words added to its name line (a Compose service...)

    @property
    def title(self) -> str:
        if len(self.names) > 1:
            name = say("drawing-shared", names=", ".join(self.names))
        elif self.container.network_mode == "none":
            name = say("drawing-none", name=self.container.name)
        else:
            name = say("drawing-container", name=self.container.name)
        return f"{name} · {self.note}" if self.note else name


@dataclass
class Layout:
    """Where everything goes; the steps read it and add shapes."""

    topology: Topology
    ink: Ink
    highlight: PacketPath | None
    title: str | None
    notes: dict[str, str] = field(default_factory=dict)  # container or container/interface -> words added
    host_x: float = 10.0
    host_w: float = 0.0
    box_x: float = 0.0
    box_w: float = 0.0
    title_y: float = 0.0
    host_y: float = 0.0
    host_bottom: float = 0.0
    uplink_y: float = 0.0
    host_mode_y: dict[str, float] = field(default_factory=dict)
    lanes: list[Lane] = field(default_factory=list)
    boxes: list[Box] = field(default_factory=list)
    walls: list[tuple[float, str, str]] = field(default_factory=list)  # (y, one bridge's network, the next's)
    legend_y: float = 0.0
    positions: dict[str, tuple[float, float]] = field(default_factory=dict)  # hop name -> where it is drawn
    hop_names: list[str] = field(default_factory=list)

    @property
    def bars_right(self) -> float:
        """Right of every bar: where the host's labels start, so that no bar runs through them."""
        return self.host_x + 16 + LANE * max(len(self.lanes), 1) - LANE / 2 + 6

    @property
    def edge(self) -> float:
        """The host's right edge: where each veth's host end sits."""
        return self.host_x + self.host_w

    def lane_of(self, network: str | None) -> Lane | None:
        return next((lane for lane in self.lanes if lane.network.name == network), None)


# -- what goes where ----------------------------------------------------------------------------------
def _lane_labels(kind: str, link: str, network: Network, uplink: str | None) -> tuple[str, ...]:
    if kind == "parent":
        return (say("drawing-parent", parent=link, network=network.name),
                say("drawing-parent-note", subnet=network.subnet or ""))
    if kind == "overlay":
        return (say("drawing-overlay", network=network.name),
                say("drawing-overlay-note", subnet=network.subnet or ""))
    lines = [say("drawing-bridge", bridge=link, network=network.name),
             say("drawing-subnet", subnet=network.subnet or "", gateway=network.gateway) if network.gateway else
             say("drawing-subnet-no-address", subnet=network.subnet or "")]
    if network.internal:
        lines.append(say("drawing-internal-host", gateway=network.gateway) if network.gateway else
                     say("drawing-internal-host-unnamed"))
    elif uplink:  # a host with no uplink of its own: no way out to draw, but the network is not internal
        lines.append(say("drawing-way-out", uplink=uplink))
    return tuple(lines)


def _lanes(topology: Topology, host_x: float) -> list[Lane]:
    """The bars drawn in the host: bridges first (docker0 first), then macvlan and ipvlan parents, then the
    overlays that have a container on this host."""
    found = [("bridge", n.bridge, n) for n in sorted(topology.networks.values(),
                                                      key=lambda n: (n.bridge != "docker0", n.name)) if n.bridge]
    found += [("parent", n.parent, n) for n in topology.networks.values()
              if n.driver in ("macvlan", "ipvlan") and n.parent]
    found += [("overlay", f"vxlan:{n.name}", n) for n in topology.networks.values() if n.driver == "overlay" and
              any(i.network == n.name for c in topology.containers.values() for i in c.interfaces)]
    return [Lane(kind, link, network, host_x + 16 + LANE * index, labels=_lane_labels(kind, link, network,
                                                                                       topology.uplink))
            for index, (kind, link, network) in enumerate(found)]


def _owners(topology: Topology, lanes: list[Lane]) -> list[tuple[Container, list[str]]]:
    """Containers in drawing order (by their first bar, then name), with the names sharing each stack."""
    sharing: dict[str, list[str]] = {}
    for container in topology.containers.values():
        if container.shares_stack_of:
            sharing.setdefault(container.shares_stack_of, []).append(container.name)
    order = {lane.network.name: index for index, lane in enumerate(lanes)}
    owners = [c for c in topology.containers.values() if not c.shares_stack_of and c.network_mode != "host"]
    owners.sort(key=lambda c: (min([order.get(i.network or "", 99) for i in c.interfaces] + [99]), c.name))
    return [(c, [c.name, *sorted(sharing.get(c.name, []))]) for c in owners]


def interface_line(interface: Interface, note: str = "") -> str:
    """An interface's label in its container's box (with its note: a network alias...)."""
    if interface.type == "loopback":
        return say("drawing-loopback", ipv4=interface.ipv4 or "127.0.0.1/8")
    line = say("drawing-interface", name=interface.name, ipv4=interface.ipv4 or "", network=interface.network or "")
    line = line if interface.network else line.rstrip(" ·")  # a cable made by hand belongs to no network
    return f"{line} · {note}" if note else line


def _interface_note(plan: Layout, container: Container, interface: Interface) -> str:
    return plan.notes.get(f"{container.name}/{interface.name}", "")


def _box_lines(plan: Layout, container: Container) -> list[str]:
    return [interface_line(i, _interface_note(plan, container, i)) for i in container.interfaces] + \
        [say("drawing-port-dnat", **p) for p in container.ports]


def _stacked(plan: Layout, container: Container, names: list[str], y: float) -> Box:
    top = y + 6
    ordered = sorted(container.interfaces, key=lambda i: (i.type != "loopback", i.name))  # lo, eth0, eth1...
    rows = {interface.name: top + HEADER + ROW * index + ROW / 2 - 2 for index, interface in enumerate(ordered)}
    return Box(container, names, top, HEADER + ROW * (len(container.interfaces) + len(container.ports)) + 6, rows,
               plan.notes.get(container.name, ""))


def lay_out(topology: Topology, ink: Ink, highlight: PacketPath | None = None, title: str | None = None,
            notes: dict[str, str] | None = None) -> Layout:
    """Where each element goes: the columns from the widest labels, then the rows, top to bottom.

    ``notes`` adds words to a container's name line (key: its name) or to an interface's line (key:
    ``container/interface``), such as a Compose service or a network alias.
    """
    plan = Layout(topology, ink, highlight, title, dict(notes or {}))
    plan.lanes = _lanes(topology, plan.host_x)
    owners = _owners(topology, plan.lanes)
    host_mode = [c for c in topology.containers.values() if c.network_mode == "host"]
    host_texts = [line for lane in plan.lanes for line in lane.labels]
    host_texts += [say("drawing-host-mode", name=c.name) for c in host_mode]
    host_texts += [say("drawing-uplink", name=topology.uplink)] if topology.uplink else []
    bridges = [lane.network.name for lane in plan.lanes if lane.kind == "bridge"]
    host_texts += ["✕ " + say("drawing-isolated", a=a, b=b) for a, b in itertools.pairwise(bridges)]
    bold = [lane.labels[0] for lane in plan.lanes]  # each bar's first label is bold
    widest = max([text_width(t, SMALL, t in bold) for t in host_texts] + [text_width(say("drawing-host"), FONT, True)])
    plan.host_w = plan.bars_right - plan.host_x + widest + 12
    plan.box_x = plan.edge + CABLE
    boxes = [_stacked(plan, c, names, 0) for c, names in owners]
    plan.box_w = max([text_width(line, SMALL) + 20 for box in boxes for line in _box_lines(plan, box.container)] +
                     [text_width(box.title, FONT, True) + 16 for box in boxes] + [120])

    y = 12.0
    if title:
        plan.title_y, y = y + 8, y + 26
    plan.host_y = y
    y += 26  # the host's own name
    if topology.uplink:
        plan.uplink_y, y = y + 10, y + 30
    for container in host_mode:
        plan.host_mode_y[container.name], y = y + 10, y + 28
    pending = list(owners)
    previous: Lane | None = None
    for index, lane in enumerate(plan.lanes):
        if lane.kind == "bridge" and previous is not None:
            plan.walls.append((y + 6, previous.network.name, lane.network.name))
            y += 18
        if lane.kind == "bridge":
            previous = lane
        plan.lanes[index] = lane = Lane(lane.kind, lane.link, lane.network, lane.x, y + 6, lane.labels)
        y += 6 + 15 * len(lane.labels) + 6
        for entry in [e for e in pending if any(i.network == lane.network.name for i in e[0].interfaces)]:
            pending.remove(entry)
            plan.boxes.append(box := _stacked(plan, *entry, y))
            y = box.y + box.height
    for entry in pending:  # no bar: --network none, overlay...
        plan.boxes.append(box := _stacked(plan, *entry, y))
        y = box.y + box.height
    plan.host_bottom = y + 8
    plan.legend_y = plan.host_bottom + 18
    return plan


# -- the steps, in drawing order ------------------------------------------------------------------------
def title(scene: Scene, plan: Layout) -> None:
    """The picture's title (a frame's number and its change, in a strip)."""
    if plan.title:
        scene.text(plan.host_x, plan.title_y, plan.title, size=FONT + 3, bold=True, kind="title")


def host(scene: Scene, plan: Layout) -> None:
    """The host: one box, its own network stack."""
    scene.rect(plan.host_x, plan.host_y, plan.host_w, plan.host_bottom - plan.host_y, fill="#f6f6f6",
               stroke="#555555", width=1.2, radius=6, kind="host")
    scene.text(plan.host_x + 10, plan.host_y + 13, say("drawing-host"), size=FONT, bold=True, kind="host-name")


def uplink(scene: Scene, plan: Layout) -> None:
    """The host's uplink, named as the kernel names it, with its cable out."""
    name = plan.topology.uplink
    if not name:
        return
    y = plan.uplink_y
    scene.rect(plan.host_x + 10, y - 10, plan.host_w - 20, 20, fill="white", stroke=plan.ink.grey, radius=3,
               kind="uplink")
    scene.text(plan.host_x + 16, y, say("drawing-uplink", name=name), size=SMALL, kind="uplink")
    scene.line([(plan.host_x - 8, y), (plan.host_x + 10, y)], plan.ink.grey, 2.5, kind="uplink")


def host_mode(scene: Scene, plan: Layout) -> None:
    """Containers with ``--network host``: a dashed box in the host, no stack of their own."""
    for name, y in plan.host_mode_y.items():
        scene.rect(plan.host_x + 10, y - 10, plan.host_w - 20, 20, fill="white", stroke="#333333", dash=True,
                   radius=3, kind="container")
        scene.text(plan.host_x + 16, y, say("drawing-host-mode", name=name), size=SMALL, kind="container")


def isolation(scene: Scene, plan: Layout) -> None:
    """Between two bridges, a wall: the host drops what one forwards to the other.

    The line runs right of the bridges' bars (a bar reaching a container above its own section passes by
    it, never through it), its words there too.
    """
    for y, a, b in plan.walls:
        scene.line([(plan.bars_right - 6, y), (plan.edge - 4, y)], plan.ink.wall, 1.6, dash=True, kind="isolation")
        scene.text(plan.bars_right, y + 8, "✕ " + say("drawing-isolated", a=a, b=b), size=SMALL - 1,
                   colour=plan.ink.wall, kind="isolation")


def _rows_on(plan: Layout, lane: Lane) -> list[float]:
    return [box.rows[i.name] for box in plan.boxes for i in box.container.interfaces
            if i.network == lane.network.name and i.name in box.rows]


def bridge_bars(scene: Scene, plan: Layout) -> None:
    """Each bridge (or macvlan parent) a bar in its network's colour, from its labels to its last interface.

    A macvlan or ipvlan parent is a link, not a switch: drawn dashed, as are its children's lines (no veth,
    no port).
    """
    for lane in plan.lanes:
        rows = _rows_on(plan, lane)
        bottom = max([*rows, lane.top + 15 * len(lane.labels)])
        scene.line([(lane.x, min([*rows, lane.top]) - 4), (lane.x, bottom + 4)], plan.ink.of(lane.network.name),
                   5 if lane.kind == "bridge" else 3, dash=lane.kind == "parent", halo=True, kind=lane.kind)
        if lane.kind == "bridge" and lane.network.internal:
            scene.line([(lane.x - 7, lane.top - 3), (lane.x + 7, lane.top - 3)], plan.ink.wall, 3, kind="no-way-out")
        plan.positions[f"host:{lane.link}"] = (lane.x, lane.top + 4)


def bridge_labels(scene: Scene, plan: Layout) -> None:
    """Each bar's name, subnet and way out, right of every bar, tied to its own bar by a short stub."""
    for lane in plan.lanes:
        first = lane.top + 7
        scene.line([(lane.x, first), (plan.bars_right - 4, first)], plan.ink.of(lane.network.name), 1, kind="stub")
        for index, line in enumerate(lane.labels):
            colour = "#222222" if index == 0 else "#a33" if lane.network.internal and index == 2 else "#444444"
            scene.text(plan.bars_right, first + 15 * index, line, size=SMALL, bold=index == 0, colour=colour,
                       kind=f"{lane.kind}-label")


def container_boxes(scene: Scene, plan: Layout) -> None:
    """Each container a box (its own network stack), named, with its published ports at the bottom."""
    for box in plan.boxes:
        scene.rect(plan.box_x, box.y, plan.box_w, box.height, fill="white", stroke="#333333", width=1.2, radius=5,
                   kind="container")
        scene.text(plan.box_x + 8, box.y + 11, box.title, size=FONT, bold=True, kind="container-name")
        for shared in box.names:
            plan.positions[f"container:{shared}"] = (plan.box_x + plan.box_w - 8, box.y + 11)
        ports = box.container.ports
        for index, port in enumerate(ports):
            y = box.y + box.height - 10 - ROW * (len(ports) - 1 - index)
            scene.text(plan.box_x + 10, y, say("drawing-port-dnat", **port), size=SMALL, colour="#7a4d00", kind="port")


def interfaces(scene: Scene, plan: Layout) -> None:
    """Each interface a dot on its box's edge (the container end of its cable) and its line of words."""
    for box in plan.boxes:
        for interface in box.container.interfaces:
            y = box.rows.get(interface.name)
            if y is None:
                continue
            colour = plan.ink.grey if interface.type == "loopback" else plan.ink.of(interface.network)
            scene.dot(plan.box_x, y, 4, colour, "#333333", kind="interface")
            scene.text(plan.box_x + 10, y, interface_line(interface, _interface_note(plan, box.container, interface)),
                       size=SMALL, kind="interface")
            plan.positions[f"if:{box.container.name}/{interface.name}"] = (plan.box_x, y)


def veths(scene: Scene, plan: Layout) -> None:
    """Each veth pair one cable from its host end (○, on the bridge) to its container end; macvlan straight.

    A cable made by hand (no network: ``ip link add … type veth`` and an address on the host's end) ends
    at the host's edge, with its host end's name and address.
    """
    for box in plan.boxes:
        for interface in box.container.interfaces:
            y, lane = box.rows.get(interface.name), plan.lane_of(interface.network)
            if y is not None and lane is None and interface.host_address:
                scene.line([(plan.edge, y), (plan.box_x, y)], plan.ink.grey, 1.6, kind="veth")
                scene.dot(plan.edge, y, 4, "white", plan.ink.grey, kind="veth")
                scene.text(plan.edge - 8, y - 8, f"{interface.host_peer} {interface.host_address}", size=SMALL - 1,
                           colour="#444444", anchor="end", kind="veth")
                plan.positions[f"host:{interface.host_peer}"] = (plan.edge, y)
            if y is None or lane is None:
                continue
            colour = plan.ink.of(interface.network)
            if not interface.host_peer:  # macvlan: straight from the parent link, no veth
                scene.line([(lane.x, y), (plan.box_x, y)], colour, 1.6, dash=True, halo=True, kind="macvlan")
                continue
            scene.line([(lane.x, y), (plan.edge, y)], colour, 1.6, halo=True, kind="bridge-port")
            scene.line([(plan.edge, y), (plan.box_x, y)], colour, 1.6, kind="veth")
            scene.dot(plan.edge, y, 4, "white", colour, kind="veth")
            scene.text(plan.edge + 8, y - 8, interface.host_peer, size=SMALL - 1, colour="#444444", kind="veth")
            plan.positions[f"host:{interface.host_peer}"] = (plan.edge, y)


def path_marks(scene: Scene, plan: Layout) -> None:
    """A packet's path in red, each hop numbered in a circle on the path, beside (never on) the dot it names."""
    path = plan.highlight
    if path is None or not path.exists:
        return
    marks: list[tuple[float, float]] = []
    route: list[tuple[float, float]] = []
    hops = [hop for hop in path.hops if not hop.startswith("container:")]
    for index, hop in enumerate(hops):
        name = hop.split(":", 1)[1]
        lane = next((lane for lane in plan.lanes if lane.link == name), None) if hop.startswith("host:") else None
        if lane is not None:  # along the bar, from the row the packet comes in on to the row it leaves on
            around = [plan.positions.get(hops[i]) for i in (index - 1, index + 1) if 0 <= i < len(hops)]
            ys = [p[1] for p in around if p] or [plan.positions.get(hop, (0, 0))[1]]
            route += [(lane.x, ys[0]), (lane.x, ys[-1])]
            mark = (plan.bars_right + HOP, ys[0])  # on the way in, just right of every bar
        else:
            found = plan.positions.get(hop)
            if found is None:
                continue
            route.append(found)
            mark = (found[0] - 4 - 3 - HOP, found[1])  # on the cable, just left of the dot it names
        marks.append(mark)
        plan.hop_names.append(name)
    if len(route) > 1:
        scene.line(route, plan.ink.path, 3, kind="path")
    for number, (x, y) in enumerate(marks, start=1):
        scene.dot(x, y, HOP, plan.ink.path, "white", kind="hop")
        scene.text(x, y, str(number), size=9, colour="white", bold=True, anchor="middle", kind="hop")


def _bar_mark(scene: Scene, plan: Layout, x: float, y: float) -> float:
    scene.line([(x, y - 6), (x, y + 6)], plan.ink.bridge, 5, kind="legend")
    return 10


def _veth_mark(scene: Scene, plan: Layout, x: float, y: float) -> float:
    scene.dot(x + 4, y, 4, "white", plan.ink.grey, kind="legend")
    scene.line([(x + 8, y), (x + 22, y)], plan.ink.grey, 1.6, kind="legend")
    scene.dot(x + 26, y, 4, plan.ink.grey, "#333333", kind="legend")
    return 36


def _wall_mark(scene: Scene, plan: Layout, x: float, y: float) -> float:
    scene.line([(x, y), (x + 18, y)], plan.ink.wall, 1.6, dash=True, kind="legend")
    return 26


def _hop_mark(scene: Scene, plan: Layout, x: float, y: float) -> float:
    scene.dot(x + HOP, y, HOP, plan.ink.path, "white", kind="legend")
    scene.text(x + HOP, y, "1", size=9, colour="white", bold=True, anchor="middle", kind="legend")
    return 2 * HOP + 6


def legend(scene: Scene, plan: Layout) -> None:
    """Under the host: what each mark means, and the path's hops in words."""
    x, y = plan.host_x, plan.legend_y
    scene.text(x, y, say("drawing-legend"), size=SMALL, bold=True, kind="legend")
    x += text_width(say("drawing-legend"), SMALL, True) + 14
    items = [(_bar_mark, say("drawing-legend-bridge")), (_veth_mark, say("drawing-legend-veth"))]
    if plan.walls:
        items.append((_wall_mark, say("drawing-legend-isolated")))
    if plan.hop_names:
        items.append((_hop_mark, say("drawing-legend-path")))
    for mark, text in items:
        x += mark(scene, plan, x, y)
        scene.text(x, y, text, size=SMALL, kind="legend")
        x += text_width(text, SMALL) + 18
    path = plan.highlight
    if path is None:
        return
    if plan.hop_names:
        numbered = "  ".join(f"{number}. {hop}" for number, hop in enumerate(plan.hop_names, start=1))
        words = say("drawing-path", source=path.source, target=path.target, hops=numbered)
    else:
        words = say("drawing-no-path", source=path.source, target=path.target, reason=path.reason)
    scene.text(plan.host_x, y + 20, words, size=SMALL, colour=plan.ink.path, kind="path")


STEPS: list[Callable[[Scene, Layout], None]] = [title, host, uplink, host_mode, isolation, bridge_bars, bridge_labels,
                                                container_boxes, interfaces, veths, path_marks, legend]
"""Drawing order: what comes later is drawn over what came before."""


def picture(plan: Layout) -> Scene:
    """Every step's shapes, in :data:`STEPS` order, on a scene fitted to them."""
    scene = Scene(0, 0)
    for step in STEPS:
        step(scene, plan)
    scene.fit(margin=10)
    return scene
