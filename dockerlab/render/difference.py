"""A task's plan against the live engine: networks on the left, containers on the right.

Attachments that are in place are drawn solid in bluish green, missing ones dashed in vermillion
(with the word "missing" beside missing networks and containers), and extra ones, which the plan
does not have, in faint grey.
"""
from __future__ import annotations

from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.figure import Figure

from ..model.topology import Topology
from ..text import say
from .fonts import learners_fonts
from .static import HIGHLIGHT, HOST_GREY, Picture

OK_GREEN = "#009e73"  # Okabe and Ito's bluish green, told apart from the vermillion HIGHLIGHT


def draw_difference(target, topology: Topology) -> Picture:
    """Draw ``target`` (a TargetTopology) against ``topology``: missing dashed in vermillion, extra dimmed."""
    with learners_fonts():
        return _draw_difference(target, topology)


def _draw_difference(target, topology: Topology) -> Picture:
    networks = sorted(set(target.networks) | {n for name in target.containers
                                              for n in (topology.containers[name].networks
                                                        if name in topology.containers else [])})
    networks = [n for n in networks if n in target.networks or n in topology.networks]
    containers = sorted(target.containers)
    rows = max(len(networks), len(containers), 1)
    figure = Figure(figsize=(7, 0.6 * rows + 1.2))
    FigureCanvasAgg(figure)
    axes = figure.add_axes((0, 0, 1, 1))
    axes.set_xlim(-0.2, 2.2)
    axes.set_ylim(rows, -1)
    axes.axis("off")
    axes.text(0, -0.6, say("difference-networks"), fontweight="bold", fontsize=9)
    axes.text(1.6, -0.6, say("difference-containers"), fontweight="bold", fontsize=9)
    ny = {name: i * (rows / max(len(networks), 1)) for i, name in enumerate(networks)}
    cy = {name: i * (rows / max(len(containers), 1)) for i, name in enumerate(containers)}
    lines = [say("difference-title")]
    for name in networks:
        present = name in topology.networks
        colour = "black" if present else HIGHLIGHT
        axes.text(0, ny[name], name + ("" if present else "  " + say("difference-missing")), color=colour, fontsize=9,
                  va="center", alpha=1 if name in target.networks else 0.4)
    for name in containers:
        present = name in topology.containers
        axes.text(1.6, cy[name], name + ("" if present else "  " + say("difference-missing")),
                  color="black" if present else HIGHLIGHT, fontsize=9, va="center")
        live = set(topology.containers[name].networks) if present else set()
        for network in sorted(set(target.containers[name]) | live):
            if network not in ny:
                continue
            if network in target.containers[name] and network in live:
                style, colour, alpha, state = "-", OK_GREEN, 1.0, say("difference-ok")
            elif network in target.containers[name]:
                style, colour, alpha, state = "--", HIGHLIGHT, 1.0, say("difference-absent")
            else:
                style, colour, alpha, state = "-", HOST_GREY, 0.35, say("difference-extra")
            axes.plot([0.75, 1.55], [ny[network], cy[name]], style, color=colour, alpha=alpha, linewidth=2)
            lines.append("  " + say("difference-line", name=name, network=network, state=state))
    return Picture(figure, "\n".join(lines))
