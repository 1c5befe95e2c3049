"""The course's labelling proxy in front of the engine (the design of Docker's Labspaces).

``rules`` decides what happens to one API request, ``wire`` reads and writes
HTTP on a socket, ``server`` listens on the course's own socket and relays.
"""
from .server import Proxy

__all__ = ["Proxy"]
