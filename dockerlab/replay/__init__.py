"""The session a lesson's first cell opens: the real engine, the real engine recorded, or a recording played.

``DOCKERLAB_REPLAY=1``, or a Binder session (:mod:`dockerlab.engine.binder`), plays: the lesson's
first cell loads ``notebooks/recordings/<lesson>.json.gz`` (``exercises/recordings/`` for a sheet),
says under a banner that it is a recording (engine, kernel, date), and every later call gets the
recorded answer (:class:`~dockerlab.replay.player.Player`). ``DOCKERLAB_RECORD=1`` (set by
``./lab regen``) records while the lesson runs on the real engine
(:class:`~dockerlab.replay.recorder.Recorder`). ``DOCKERLAB_RECORDINGS`` chooses another folder.
Nothing else in the course knows which of the three it has: all are a
:class:`~dockerlab.host.session.Session`.
"""
from __future__ import annotations

import os
from pathlib import Path
from typing import cast

from .. import errors
from ..engine.binder import in_binder
from ..engine.client import Engine
from ..host.session import LiveSession, Session
from ..shell import ipython_shell
from ..text import say
from . import tape
from .player import Player
from .recorder import Recorder

ROOT = Path(__file__).resolve().parents[2]
BANNER = "dockerlab-recording"
"""The banner's output metadata key: what tells it apart from the recorded outputs."""


def wanted() -> bool:
    """Whether this session replays: ``DOCKERLAB_REPLAY=1``, or a Binder session (no engine there)."""
    return os.environ.get("DOCKERLAB_REPLAY") == "1" or in_binder()


def recording_path(lab_id: str) -> Path:
    """Where the recording of a lesson (``01-default-bridge``) or a sheet (``ex04``) lives."""
    folder = os.environ.get("DOCKERLAB_RECORDINGS")
    if folder:
        return Path(folder) / f"{lab_id}.json.gz"
    return ROOT / ("exercises" if lab_id.startswith("ex") else "notebooks") / "recordings" / f"{lab_id}.json.gz"


def open_session(lab_id: str) -> Session:
    """The session a lesson's (or a sheet's) first cell uses: live, recorded under ``./lab regen``, or played."""
    if wanted():
        return _playing(lab_id)
    live = LiveSession(Engine.connect(), lab_id)
    if os.environ.get("DOCKERLAB_RECORD") != "1":
        return live
    if lab_id not in _RECORDERS:  # a sheet's first cell of each task opens its session again: one recording
        recording = tape.Tape(lab_id, tape.engine_facts_of(live.version()))
        _RECORDERS[lab_id] = Recorder(live, recording, recording_path(lab_id))
    return cast(Session, _RECORDERS[lab_id])


_RECORDERS: dict[str, Recorder] = {}
"""This kernel's recorders, one per lesson or sheet (a new one would write over what the first kept)."""


def _playing(lab_id: str) -> Session:
    path = recording_path(lab_id)
    if not path.exists():
        raise errors.NotRecorded("replay-no-recording", lesson=lab_id, path=path.relative_to(ROOT)
                                 if path.is_relative_to(ROOT) else path)
    played = tape.Tape.load(path)
    show_banner(say("replay-banner", **{key: played.engine.get(key, "?")
                                        for key in ("version", "api", "kernel", "os", "date")}))
    return cast(Session, Player(played))


def show_banner(text: str) -> None:
    """Show the banner as an output of its own (marked, so a test can tell it from the recorded ones)."""
    from IPython.display import display

    if ipython_shell() is not None:
        display({"text/plain": text, "text/markdown": f"**{text}**"}, raw=True, metadata={BANNER: True})
    else:
        print(text)
