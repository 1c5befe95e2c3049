"""The whole engine, shown: one section per Compose project (and lesson, and the rest), drawn as the lessons draw,
with a text listing that names every network and container.

Only reads an :class:`~dockerlab.model.enginemap.EngineMap`; never calls the engine. Big engines stay
readable by folding: in the picture, a Compose service with many replicas (or many containers with one name
pattern on the same networks) shows its first few and a count; the listing folds the same way unless asked
for everything. Each section is the lessons' own drawing (:func:`dockerlab.render.static.draw`): the host
with its bridges (subnet, gateway, way out or ``--internal``), macvlan and ipvlan parents, host-mode
containers inside the host, each container a box of its interfaces with its Compose service and the names
Docker's DNS answers for it, and its published ports.
"""
from __future__ import annotations

import html
import math
import re
from dataclasses import dataclass

from ..model.enginemap import LAYER_DRIVERS, EngineMap, Group, Member, Net
from ..model.topology import Topology
from ..text import count, say
from .scene import Scene, text_width
from .static import Diagram, draw, fit_width

FOLD = 3           # containers shown of a folded kind
FOLD_FROM = 5      # a kind with more containers than this is folded
TITLE = 15          # a section's heading
_DIGITS = re.compile(r"[-_]?\d+$")


def fold_key(member: Member) -> tuple:
    """Containers alike: one Compose service, or one name pattern (``worker-1``, ``worker-2``) on the same networks."""
    stem = member.service or _DIGITS.sub("", member.name)
    return (stem, member.network_mode, tuple(sorted(e.network for e in member.endpoints)))


def folded(emap: EngineMap, names: list[str], shown: int = FOLD, fold_from: int = FOLD_FROM) \
        -> list[tuple[list[str], list[str]]]:
    """``names`` in kinds: (the ones to show, the ones folded away) for each kind, in name order."""
    kinds: dict[tuple, list[str]] = {}
    for name in sorted(names):
        kinds.setdefault(fold_key(emap.members[name]), []).append(name)
    return [(members, []) if len(members) <= fold_from else (members[:shown], members[shown:])
            for members in sorted(kinds.values(), key=lambda m: m[0])]


def group_title(group: Group, emap: EngineMap) -> str:
    """``Compose project shop: 5 containers, 2 networks`` (as the listing and the picture head each section)."""
    key = {"compose": "explain-group-compose", "course": "explain-group-course", "own": "explain-group-own"}
    return say(key[group.kind], name=group.name, containers=count("containers", len(group.containers)),
               networks=count("networks", len(group.networks)))


def _network_line(net: Net) -> str:
    where = net.bridge or (say("explain-parent", parent=net.parent) if net.parent else net.driver)
    line = say("explain-network", name=net.name, driver=net.driver, where=where, subnet=net.subnet or "-",
               gateway=net.gateway or "-")
    if net.compose_name and net.project:
        line += " · " + say("explain-network-compose", compose_name=net.compose_name, project=net.project)
    flags = []
    if net.internal:
        flags.append(say("explain-flag-internal"))
    if not net.icc:
        flags.append(say("explain-flag-no-icc"))
    if net.gateway_mode == "isolated":
        flags.append(say("explain-flag-isolated-gateway"))
    if net.driver == "overlay":
        flags.append(say("explain-flag-overlay", scope=net.scope))
    if net.driver in LAYER_DRIVERS:
        flags.append(say("explain-flag-layer", driver=net.driver))
    if flags:
        line += " · " + ", ".join(flags)
    return line


def _names(member: Member, network: str) -> list[str]:
    """The names Docker's DNS answers for ``member`` on ``network`` (besides its container name)."""
    endpoint = member.endpoint(network)
    if endpoint is None:
        return []
    short = member.id[:12]
    return sorted({*endpoint.aliases, *endpoint.dns_names} - {member.name, short})


def _member_lines(emap: EngineMap, member: Member) -> list[str]:
    head = member.name
    if member.service:
        head += " " + say("explain-service", service=member.service)
    if member.shares_stack_of:
        return [head + ": " + say("explain-mode-container", owner=member.shares_stack_of)]
    if member.network_mode in ("host", "none"):
        return [head + ": " + say(f"explain-mode-{member.network_mode}")]
    lines = [head]
    for endpoint in member.endpoints:
        names = _names(member, endpoint.network)
        net = emap.networks.get(endpoint.network)
        text = say("explain-endpoint", interface=endpoint.interface or "?",
                   address=f"{endpoint.ipv4}/{endpoint.prefix}" if endpoint.ipv4 else "-", network=endpoint.network)
        if net and net.default_bridge:
            text += " · " + say("explain-no-dns-names")
        elif names:
            text += " · " + say("explain-aliases", names=", ".join(names))
        if endpoint.links:
            text += " · " + say("explain-links", links=", ".join(f"{alias} → {target}" for alias, target
                                                         in sorted(endpoint.links.items())))
        lines.append("    " + text)
    if member.hosts_links:
        lines.append("    " + say("explain-hosts-links", links=", ".join(
            f"{alias} → {target}" for alias, target in sorted(member.hosts_links.items()))))
    for port in member.ports:
        lines.append("    " + say("drawing-port", **port))
    return lines


def listing(emap: EngineMap, everything: bool = False) -> str:
    """The engine in words: each group with its networks and containers (folded unless ``everything``)."""
    groups = emap.groups()
    lines = [say("explain-title", version=emap.version or "?", networks=count("networks", len(emap.networks)),
                 containers=count("containers", len(emap.members)), where=say(f"explain-host-{emap.host or 'here'}"))]
    grouped = set()
    for group in groups:
        lines += ["", group_title(group, emap)]
        nets = [emap.networks[n] for n in group.networks if n in emap.networks]
        for net in nets:
            lines.append("  " + _network_line(net))
            grouped.add(net.name)
        for shown, hidden in folded(emap, group.containers, *((10**9, 10**9) if everything else ())):
            for name in shown:
                lines += ["  " + line for line in _member_lines(emap, emap.members[name])]
            if hidden:
                lines.append("  " + say("explain-folded", count=len(hidden), first=hidden[0], last=hidden[-1]))
    rest = [n for n in emap.networks.values() if n.name not in grouped and n.driver not in ("host", "null")]
    if rest:
        lines += ["", say("explain-other-networks")]
        lines += ["  " + _network_line(net) for net in rest]
    return "\n".join(lines)


@dataclass
class Section:
    """One part of the picture: a group's containers (folded) and the networks they use."""

    title: str
    topology: Topology
    notes: dict[str, str]
    hidden: int


def _notes(emap: EngineMap, names: list[str]) -> dict[str, str]:
    notes = {}
    services: dict[str, list[str]] = {}
    for name in names:
        member = emap.members[name]
        if member.service:
            services.setdefault(emap.stack_of(name).name, []).append(member.service)
    for owner_name, found in services.items():
        notes[owner_name] = say("explain-drawn-service", services=", ".join(sorted(set(found))))
    for name in names:
        owner = emap.stack_of(name)
        for endpoint in owner.endpoints:
            aliases = _names(owner, endpoint.network)
            if aliases and endpoint.interface:
                notes[f"{owner.name}/{endpoint.interface}"] = say("explain-drawn-names", names=", ".join(aliases))
    return notes


def sections(emap: EngineMap, everything: bool = False) -> list[Section]:
    """The picture's parts: one per group, then the networks no running container uses."""
    found = []
    used: set[str] = set()
    for group in emap.groups():
        kinds = folded(emap, group.containers, *((10**9, 10**9) if everything else ()))
        shown = [name for chosen, _ in kinds for name in chosen]
        hidden = sum(len(rest) for _, rest in kinds)
        topology = emap.topology.focus(shown) if shown else None
        if topology is None:
            continue
        used.update(topology.networks)
        found.append(Section(group_title(group, emap), topology, _notes(emap, shown), hidden))
    idle = [n for n in emap.topology.networks.values() if n.name not in used and n.driver not in ("host", "null")]
    if idle:
        bridges = {n.bridge for n in idle if n.bridge} | {n.parent for n in idle if n.parent}
        topology = Topology(emap.topology.uplink, [h for h in emap.topology.host_interfaces.values()
                                                   if h.name in bridges], idle, [])
        found.append(Section(say("explain-idle-networks"), topology, {}, 0))
    return found


class EnginePicture(Diagram):
    """The engine's picture (sections one under the other) with its listing beside it; the listing is its text."""

    def __init__(self, emap: EngineMap, everything: bool = False):
        scene = Scene(0, 0)
        y = 8.0
        for section in sections(emap, everything):
            folded_away = say("explain-drawn-folded", hidden=section.hidden) if section.hidden else ""
            heading = f"{section.title} {folded_away}".strip()
            scene.text(10, y + 10, heading, size=TITLE, bold=True, kind="section")
            y += 24
            diagram = draw(section.topology, book="explain", notes=section.notes)
            scene.place(diagram.scene, 0, y)
            scene.width = max(scene.width, diagram.scene.width, text_width(heading, TITLE) + 20)
            y += diagram.scene.height + 14
        scene.width, scene.height = math.ceil(max(scene.width, 200)), math.ceil(y)
        super().__init__(emap.topology, scene)
        self.emap = emap
        self.everything = everything

    @property
    def text(self) -> str:
        """The listing: every network and container in words."""
        return listing(self.emap, self.everything)

    def html(self) -> str:
        """The picture with the listing beside it (side by side where the page is wide enough)."""
        return ('<div style="display:flex;flex-wrap:wrap;gap:16px;align-items:flex-start">'
                f'<div style="flex:1 1 560px;min-width:320px">{fit_width(self.svg())}</div>'
                f'<pre style="flex:1 1 420px;min-width:320px;font-size:12px;overflow-x:auto">'
                f'{html.escape(self.text)}</pre></div>')

    def _repr_html_(self) -> str:
        return self.html()

    def _repr_png_(self):
        """None: a notebook shows the SVG with its listing (:meth:`html`); a PNG of a big engine takes long to make.
        ``save("engine.png")`` still writes one."""
        return None

    def __repr__(self) -> str:
        return self.text
