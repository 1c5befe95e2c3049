"""Your own engine, explained: the course's pictures and proofs for your real projects.

:func:`explain` reads the whole engine (it only reads) and gives its picture, grouped by Compose project,
with a listing of every network and container; :func:`why` answers whether one container (or the host,
or another machine) reaches another, and where it stops if not, with the lesson that explains it — and
with ``probe=True`` proves it with a throwaway container of the course. Similar to ``dockerlab explain``
and ``dockerlab why A B [PORT]``.
"""
from __future__ import annotations

import threading
from collections.abc import Callable

from .. import errors, labels
from ..engine.client import Engine
from ..engine.images import ensure_images
from ..host.session import LiveSession, Session
from ..model.enginemap import EngineMap
from ..model.hostview import HostView
from ..model.reach import HOST, OUTSIDE, Reasoner, Verdict, parse_target
from ..render.enginemap import EnginePicture, listing
from . import probing, reading

__all__ = ["HOST", "OUTSIDE", "explain", "live_listing", "why"]


def _ready(engine: Session | None) -> Session:
    """The engine and its host, with the course's small image there: its helper containers read the kernel with it."""
    engine = engine or LiveSession(Engine.connect(), labels.CLI)
    ensure_images(engine, progress=lambda line: None)
    return engine


def explain(engine: Session | None = None, everything: bool = False) -> EnginePicture:
    """The whole engine: its picture, grouped by Compose project, with a listing of every network and container.

    Similar to ``dockerlab explain`` (``everything=True``: ``--all``, nothing folded). Only reads.
    """
    return EnginePicture(reading.engine_map(_ready(engine)), everything)


def host_view_of(engine: Session, emap: EngineMap) -> HostView | None:
    """The engine host's firewall, sockets and routes for every container of ``emap`` (None: it could not be read)."""
    pids = [m.pid for m in emap.members.values() if not m.shares_stack_of]  # cheap: a few small files each
    try:
        return reading.host_view(engine, pids)
    except errors.LabError:  # the verdict says so, and reasons without it
        return None


def verdict_for(engine: Session, emap: EngineMap, source: str, target: str, port: str | int | None = None,
                view: HostView | None = None) -> Verdict:
    """The verdict on ``emap``, with the engine's host read (unless ``view`` is given) for sockets and routes."""
    name, number, protocol = parse_target(target, port)
    return Reasoner(emap, view or host_view_of(engine, emap)).why(source, name, number, protocol)


def why(source: str, target: str, port: str | int | None = None, engine: Session | None = None,
        probe: bool = False, show: Callable[[str], None] | None = None) -> Verdict:
    """Can ``source`` reach ``target`` (on ``port``)? Worked out from what the engine and its host say.

    Similar to ``dockerlab why SOURCE TARGET [PORT] [--probe]``. ``source`` is a running container, ``"host"``
    (the engine's host) or ``"outside"`` (another machine). With ``probe``, a throwaway container of the
    course tries it too; ``show`` hears, before it starts, what it will attach.
    """
    engine = _ready(engine)
    emap = reading.engine_map(engine)
    verdict = verdict_for(engine, emap, source, target, port)
    if probe:
        probing.prove(engine, emap, verdict, show or (lambda line: None))
    return verdict


def live_listing(engine: Session, everything: bool = False, show: Callable[[str], None] = print,
                 stop: threading.Event | None = None) -> int:
    """Show the listing, and again after every change of the engine, until interrupted (or ``stop`` is set).

    Similar to ``dockerlab explain --live``: ``docker events`` followed, each change read again.
    """
    shown: list[str] = []
    changed = threading.Event()
    watcher = engine.follow(None)
    watcher.subscribe(lambda topology: changed.set())
    watcher.start()
    stop = stop or threading.Event()
    try:
        changed.set()
        while not stop.is_set():
            if changed.wait(0.5):
                changed.clear()
                text = listing(reading.engine_map(engine), everything)
                if not shown or text != shown[-1]:
                    show(text if not shown else "\n" + "-" * 40 + "\n" + text)
                    shown.append(text)
    except KeyboardInterrupt:
        pass
    finally:
        watcher.stop()
    return 0
