"""Drawings of a :class:`~dockerlab.model.topology.Topology`; they read the model and never call the engine."""
from .static import Diagram, draw

__all__ = ["Diagram", "draw"]
