"""Where each node of a topology goes: a deterministic, layered layout.

Columns, left to right, are the layers the packet crosses: the host's
uplink, bridges, host-side veths, container interfaces, containers. Rows
follow the bridges, then the container names, so the same topology always
gives the same picture, and one row holds one label per column at most.
"""
from __future__ import annotations

from dataclasses import dataclass

from ..topology import LAYERS, Topology

COLUMN = {layer: index for index, layer in enumerate(LAYERS)}


@dataclass
class Layout:
    """Node positions: ``x`` is the column (layer), ``y`` the row (0 at the top)."""

    positions: dict[str, tuple[float, float]]
    rows: int


def _spread(values: list[float]) -> float:
    return sum(values) / len(values) if values else 0.0


def layout(topology: Topology) -> Layout:
    """Place every node of ``topology.graph``."""
    graph = topology.graph
    positions: dict[str, tuple[float, float]] = {}
    row = 0

    def ordered_bridges() -> list[str]:
        bridges = [n for n, d in graph.nodes(data=True) if d["layer"] == "bridge"]
        return sorted(bridges, key=lambda n: (n != "host:docker0", graph.nodes[n].get("network") or "", n))

    def interface_behind(node: str) -> str | None:
        return next((m for m in graph.neighbors(node) if graph.nodes[m]["layer"] == "interface"), None)

    placed_containers: set[str] = set()

    def place_interface(inode: str, y: float) -> None:
        positions[inode] = (COLUMN["interface"], y)
        container = next(m for m in graph.neighbors(inode) if graph.nodes[m]["layer"] == "container"
                         and graph.edges[inode, m]["kind"] == "has")
        if container not in placed_containers:
            positions[container] = (COLUMN["container"], y)
            placed_containers.add(container)

    for bridge in ordered_bridges():
        first = row
        members = sorted((m for m in graph.neighbors(bridge) if graph.nodes[m]["layer"] in ("veth", "interface")),
                         key=lambda m: (interface_behind(m) or m) if graph.nodes[m]["layer"] == "veth" else m)
        for member in members:
            if graph.nodes[member]["layer"] == "veth":
                positions[member] = (COLUMN["veth"], row)
                behind = interface_behind(member)
                if behind:
                    place_interface(behind, row)
            else:  # a macvlan interface hangs off its parent directly
                place_interface(member, row)
            row += 1
        positions[bridge] = (COLUMN["bridge"], _spread([float(first), float(max(first, row - 1))]))
        row = max(row, first + 1)
    # interfaces with no bridge (overlay, none's lo), then containers with no interface of their own
    for node in sorted(n for n, d in graph.nodes(data=True) if d["layer"] == "interface" and n not in positions):
        place_interface(node, row)
        row += 1
    for node in sorted(n for n, d in graph.nodes(data=True) if d["layer"] == "container" and n not in positions):
        positions[node] = (COLUMN["container"], row)
        row += 1
    for node in sorted(n for n, d in graph.nodes(data=True) if d["layer"] == "veth" and n not in positions):
        positions[node] = (COLUMN["veth"], row)
        row += 1
    uplinks = [n for n, d in graph.nodes(data=True) if d["layer"] == "uplink"]
    bridge_rows = [positions[b][1] for b in ordered_bridges()]
    for node in uplinks:
        positions[node] = (COLUMN["uplink"], _spread(bridge_rows))
    return Layout(positions, max(row, 1))
