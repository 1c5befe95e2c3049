"""A session with no engine replays the recording of a real run; a regen run records one.

``DOCKERLAB_REPLAY=1``, or a Binder session (:mod:`dockerlab.engine.binder`), replays: the lesson's
first cell loads ``notebooks/recordings/<lesson>.json.gz`` (``exercises/recordings/`` for a sheet),
says under a banner that it is a recording (engine, kernel, date), and every later call gets the
recorded answer (:mod:`dockerlab.replay.tape`). ``DOCKERLAB_RECORD=1`` (set by ``./lab regen``) records
while the lesson runs on the real engine. ``DOCKERLAB_RECORDINGS`` chooses another folder.
"""
from __future__ import annotations

import os
from pathlib import Path

from .. import errors
from ..engine.binder import in_binder
from ..engine.client import Engine
from ..text import say
from . import tape

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


def connect(lab_id: str) -> Engine:
    """The engine a lesson's first cell uses: the real one (recorded under ``./lab regen``), or a recording."""
    if wanted():
        return _replaying(lab_id)
    engine = Engine.connect()
    if os.environ.get("DOCKERLAB_RECORD") == "1":
        tape.record(lab_id, recording_path(lab_id), tape.engine_facts_of(engine.version()))
    return engine


def _replaying(lab_id: str) -> Engine:
    path = recording_path(lab_id)
    if not path.exists():
        raise errors.NotRecorded("replay-no-recording", lesson=lab_id, path=path.relative_to(ROOT)
                                 if path.is_relative_to(ROOT) else path)
    played = tape.play(path)
    engine = Engine.__new__(Engine)
    engine.client = engine.api = None
    engine.url = f"unix:///dockerlab-recording/{lab_id}"  # no engine there: the proxy never forwards
    Engine.connect = classmethod(lambda cls, url=None, timeout=60: engine)  # type: ignore[method-assign,assignment]
    show_banner(say("replay-banner", **{key: played.engine.get(key, "?")
                                        for key in ("version", "api", "kernel", "os", "date")}))
    return engine


def show_banner(text: str) -> None:
    """Show the banner as an output of its own (marked, so a test can tell it from the recorded ones)."""
    from IPython import get_ipython
    from IPython.display import display

    if get_ipython() is not None:
        display({"text/plain": text, "text/markdown": f"**{text}**"}, raw=True, metadata={BANNER: True})
    else:
        print(text)


def refuse_check(task: str, number: str) -> None:
    """An exercise's check in a replaying session: say that it needs a real engine."""
    if tape.playing():
        raise errors.NeedsEngine("replay-check-needs-engine", task=task, n=number)
