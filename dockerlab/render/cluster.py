"""Two levels at once: the lab hosts on their underlay, and inside each host its containers, with the
overlay network drawn spanning the hosts."""
from __future__ import annotations

from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.figure import Figure
from matplotlib.patches import FancyBboxPatch

from ..text import say
from .fonts import learners_fonts, text_size
from .static import HOST_GREY, Picture

NETWORK_COLOURS = ["#0072b2", "#e69f00", "#009e73", "#cc79a7", "#56b4e9"]  # as render.static.PALETTE


def draw_cluster(view: dict[str, dict], overlay: str, underlay: str = "10.199.0.0/24") -> Picture:
    """Draw the nodes (boxes) on the underlay (bottom line) and the ``overlay`` spanning their containers."""
    with learners_fonts():
        return _draw_cluster(view, overlay, underlay)


def _draw_cluster(view: dict[str, dict], overlay: str, underlay: str) -> Picture:
    hosts = sorted(view)
    rows = max([len(view[h]["containers"]) for h in hosts] + [1])
    figure = Figure(figsize=(3.2 * len(hosts) + 0.6, 1.0 * rows + 2.6))
    FigureCanvasAgg(figure)
    axes = figure.add_axes((0, 0, 1, 1))
    axes.set_xlim(0, 3.2 * len(hosts) + 0.6)
    axes.set_ylim(-1.6, rows + 1.5)
    axes.axis("off")
    axes.plot([0.3, 3.2 * len(hosts) + 0.3], [-1.0, -1.0], color=HOST_GREY, linewidth=3)
    axes.text(0.3, -1.45, say("cluster-underlay", subnet=underlay), fontsize=8, color=HOST_GREY)
    lines = [say("cluster-summary", hosts=len(hosts), overlay=overlay)]
    overlay_points = []
    for column, host in enumerate(hosts):
        x = 0.4 + 3.2 * column
        info = view[host]
        axes.add_patch(FancyBboxPatch((x, -0.4), 2.8, rows + 1.1, boxstyle="round,pad=0.05", facecolor="#f7f7f7",
                                      edgecolor="#555555"))
        role = say(f"cluster-role-{info['role']}") if info["role"] in ("manager", "worker") else info["role"]
        axes.text(x + 0.1, rows + 0.45, f"{host} ({role})", fontsize=9, fontweight="bold")
        axes.text(x + 0.1, -0.25, f"eth0 {info['address']}", fontsize=8, color=HOST_GREY)
        if info.get("bridges"):
            bridges = say("cluster-bridges", bridges=", ".join(info["bridges"]), veths=info["veths"])
            room = 2.8 - 1.3 - 0.05  # inches from the label's start to the box's edge (100 pixels an inch)
            axes.text(x + 1.3, -0.25, bridges, fontsize=min(7.0, 7.0 * room * 100 / text_size(bridges, 7.0)[0]),
                      color="#555555", va="center")
        axes.plot([x + 1.4, x + 1.4], [-0.4, -1.0], color=HOST_GREY, linewidth=2)
        for row, (name, networks) in enumerate(sorted(info["containers"].items())):
            y = rows - 0.3 - row
            label = name + "".join(f"\n  {net}: {ip}" for net, ip in sorted(networks.items()) if ip)
            axes.text(x + 0.25, y, label, fontsize=7.5, va="center")
            if networks.get(overlay):
                overlay_points.append((x, y))
                axes.scatter([x + 0.15], [y], s=50, color=NETWORK_COLOURS[0], zorder=3)
                lines.append(f"  {host}: {name} {networks[overlay]}")
    if len(overlay_points) > 1:
        # from each container out of its own host's box, up to a rail above the hosts: the overlay joins hosts,
        # never passing through a host that has no container on it
        rail = rows + 1.0
        for x, y in overlay_points:
            axes.plot([x + 0.15, x - 0.12, x - 0.12], [y, y, rail], "-", color=NETWORK_COLOURS[0], linewidth=2.5,
                      alpha=0.6, zorder=2)
        sides = [x - 0.12 for x, _ in overlay_points]
        axes.plot([min(sides), max(sides)], [rail, rail], "-", color=NETWORK_COLOURS[0], linewidth=2.5, alpha=0.6,
                  zorder=2)
        axes.text(min(sides) + 0.1, rail + 0.12, say("cluster-overlay", overlay=overlay), fontsize=8,
                  color=NETWORK_COLOURS[0])
    return Picture(figure, "\n".join(lines))
