"""What every ``dockerlab`` sub-command shares: the engine it talks to, and how it shows progress."""
from __future__ import annotations

from ..engine.client import Engine


def connected() -> Engine:
    """The engine, answering (else the error that says how to start one). Similar to ``docker version``."""
    engine = Engine.connect()
    engine.version()
    return engine


def progress_line(line: str) -> None:
    """Show one line of a long job's progress at once."""
    print(line, flush=True)
