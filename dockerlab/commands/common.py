"""What every ``dockerlab`` sub-command shares: the engine it talks to, and how it shows progress."""
from __future__ import annotations

from ..engine.client import Engine
from ..host.session import LiveSession


def connected() -> LiveSession:
    """The engine and its host, answering (else the error that says how to start one). Similar to ``docker version``."""
    session = LiveSession(Engine.connect())
    session.version()
    return session


def progress_line(line: str) -> None:
    """Show one line of a long job's progress at once."""
    print(line, flush=True)
