"""A captured VXLAN packet as a picture of its headers: outer IP and UDP, VXLAN, the inner packet."""
from __future__ import annotations

import re
from dataclasses import dataclass

from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.figure import Figure
from matplotlib.patches import Rectangle

from ..text import say
from .fonts import learners_fonts
from .static import export

_OUTER = re.compile(r"(\d+\.\d+\.\d+\.\d+)\.(\d+) > (\d+\.\d+\.\d+\.\d+)\.(\d+):.*VXLAN.*vni (\d+)")
_INNER = re.compile(r"^\s*(\d+\.\d+\.\d+\.\d+) > (\d+\.\d+\.\d+\.\d+): (ICMP echo (?:request|reply))", re.M)


@dataclass
class VxlanPacket:
    """The fields of one captured VXLAN packet (``tcpdump -vv`` on the underlay)."""

    outer_source: str
    outer_destination: str
    udp_port: int
    vni: int
    inner_source: str
    inner_destination: str
    inner: str

    @classmethod
    def parse(cls, capture: str) -> VxlanPacket:
        outer, inner = _OUTER.search(capture), _INNER.search(capture)
        if not outer or not inner:
            raise ValueError("no VXLAN packet with an inner ICMP packet in this capture")
        return cls(outer.group(1), outer.group(3), int(outer.group(4)), int(outer.group(5)),
                   inner.group(1), inner.group(2), inner.group(3))

    def layers(self) -> list[tuple[str, str, str]]:
        """(header, what it says, colour), outermost first."""
        return [(say("vxlan-outer-ip"), say("vxlan-host-to-host", source=self.outer_source,
                                            destination=self.outer_destination), "#bbbbbb"),
                (say("vxlan-outer-udp"), say("vxlan-port", port=self.udp_port), "#cccccc"),
                ("VXLAN", say("vxlan-vni", vni=self.vni), "#ffbb78"),
                (say("vxlan-inner"), say("vxlan-container-to-container", source=self.inner_source,
                                         destination=self.inner_destination), "#aec7e8"),
                (say("vxlan-payload"), self.inner, "#c5e1a5")]

    def _repr_png_(self):
        return export(self.figure()), {"width": 800, "height": 300}

    def figure(self) -> Figure:
        """The headers drawn nested, outermost first."""
        with learners_fonts():
            figure = Figure(figsize=(8, 3.0))
            FigureCanvasAgg(figure)
            axes = figure.add_axes((0, 0, 1, 1))
            axes.set_xlim(0, 10)
            axes.set_ylim(0, 6)
            axes.axis("off")
            for depth, (name, text, colour) in enumerate(self.layers()):
                axes.add_patch(Rectangle(
                    (0.2 + depth * 0.35, 0.3 + depth * 0.5), 9.6 - depth * 0.7, 5.3 - depth * 1.0,
                    facecolor=colour, edgecolor="#444444"))
                axes.text(0.35 + depth * 0.35, 5.3 - depth * 0.5, f"{name}: {text}", fontsize=9, va="center")
        return figure

    def __repr__(self) -> str:
        return "\n".join(f"{name:<20} {text}" for name, text, _ in self.layers())
