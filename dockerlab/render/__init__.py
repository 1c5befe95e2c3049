"""Drawings of a :class:`~dockerlab.topology.Topology`; they read the model and never call the engine."""
from .layout import Layout, layout
from .static import Diagram, draw

__all__ = ["Diagram", "Layout", "draw", "layout"]
