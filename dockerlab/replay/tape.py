"""A recording of what the engine and the host answered a lesson: the file, and finding an answer in it.

A :class:`~dockerlab.replay.recorder.Recorder` writes each call a cell makes through its session (its name,
its arguments and what came back) under that cell (a hash of its source, so the same cell is found again in
any frontend), and the pictures each live diagram drew. A :class:`~dockerlab.replay.player.Player` gives the
same call in the same cell the recorded answer back, in call order, and nothing reaches an engine. Similar to
a ``docker`` CLI whose answers come from a transcript.
"""
from __future__ import annotations

import dataclasses
import gzip
import hashlib
import inspect
import json
import threading
from pathlib import Path
from typing import Any

from .. import errors

ENGINE_METHODS = ("version", "info", "container", "containers", "run", "can_start", "exec", "logs",
                  "remove_container", "network", "networks", "create_network", "connect_network", "remove_network",
                  "create_volume", "labelled", "remove_labelled", "image", "build", "save_image",
                  "import_image", "pull")
"""The engine's calls of a session that a recording keeps, each under ``engine.<name>``."""

OTHER_CALLS = {"docker": "docker", "host": "host", "host_prompt": "host-prompt", "snapshot_facts": "snapshot-facts",
               "capture": "capture", "doctor": "doctor"}
"""The session's other calls a recording keeps, and the name each is kept under."""

RECORDED = {**{name: f"engine.{name}" for name in ENGINE_METHODS}, **OTHER_CALLS}
"""Every call of a :class:`~dockerlab.host.session.Session` that a recording keeps, and its name there."""

_NOT_KEPT = ("self", "engine", "docker_host", "progress")
"""Arguments that say where a call went, not what it asked: left out of its key."""

_LARGE = 4096
"""Bytes longer than this are recorded as their length and digest: the answer stays small."""

_HOST_PATHS = frozenset({"GraphDriver", "LogPath", "ResolvConfPath", "HostnamePath", "HostsPath"})
"""Fields of ``docker inspect`` that only name paths in the engine's data root: not kept (nothing reads them;
``SandboxKey``, the path of a container's network namespace, is kept: lesson 12 reads it)."""

def _plain(value: Any) -> Any:
    """``value`` as JSON data (a spec's fields, a tuple as a list, bytes as text)."""
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        return _plain(dataclasses.asdict(value))
    if isinstance(value, dict):
        return {str(key): _plain(item) for key, item in value.items()}
    if isinstance(value, (list, tuple)):
        return [_plain(item) for item in value]
    if isinstance(value, bytes):  # an image's tar (docker save, docker exec -i < FILE) is kept as its digest
        if len(value) > _LARGE:
            return {"bytes": len(value), "sha256": hashlib.sha256(value).hexdigest()}
        return value.decode("utf-8", "replace")
    if isinstance(value, Path):
        return str(value)
    if value is None or isinstance(value, (str, int, float, bool)):
        return value
    return None  # an engine, a callback: where the call went, not what it asked


def cell_key(source: str | None) -> str:
    """The key of the cell being run: a hash of its source (``-`` outside a notebook).

    Trailing newlines do not count: JupyterLite's Pyodide kernel hands IPython a cell with one added.
    """
    return hashlib.sha1(source.rstrip("\n").encode()).hexdigest()[:12] if source is not None else "-"


@dataclasses.dataclass
class Tape:
    """One lesson's recording: the engine it ran on, and per cell run, the calls and their answers."""

    lesson: str
    engine: dict = dataclasses.field(default_factory=dict)
    cells: list[dict] = dataclasses.field(default_factory=list)
    frames: list[dict] = dataclasses.field(default_factory=list)
    playing: bool = False
    _cursor: dict[str, int] = dataclasses.field(default_factory=dict, init=False, repr=False)
    _calls: list[dict] = dataclasses.field(default_factory=list, init=False, repr=False)
    _runs_seen: dict[str, int] = dataclasses.field(default_factory=dict, init=False, repr=False)
    _begun: bool = dataclasses.field(default=False, init=False, repr=False)
    _lives: int = dataclasses.field(default=0, init=False, repr=False)
    _at: int = dataclasses.field(default=0, init=False, repr=False)
    _lock: threading.Lock = dataclasses.field(default_factory=threading.Lock, init=False, repr=False)

    # -- the cell being run -----------------------------------------------------------
    def begin_cell(self, source: str | None) -> None:
        """A cell starts: its calls go under it (recording) or come from its recorded run (playing)."""
        key = cell_key(source)
        self._cursor, self._begun = {}, True
        if not self.playing:
            self.cells.append({"cell": key, "calls": []})
            return
        runs = [index for index, cell in enumerate(self.cells) if cell["cell"] == key]
        seen = self._runs_seen
        if runs:  # the recorded run of this cell: the first time its first run, and so on
            self._at = runs[min(seen.get(key, 0), len(runs) - 1)]
        self._calls = self.cells[self._at]["calls"] if runs else []
        seen[key] = seen.get(key, 0) + 1

    def _current_calls(self) -> list[dict]:
        if not self._begun:
            self.begin_cell(None)
        return self.cells[-1]["calls"] if not self.playing else self._calls

    # -- recording ----------------------------------------------------------------------
    def keep(self, call: dict, result: Any = None, raised: errors.LabError | None = None) -> None:
        """Write down one call and what it gave (or the error it raised)."""
        entry = dict(call)
        if raised is not None:
            entry["raised"] = {"type": type(raised).__name__, "key": raised.key, "fields": _plain(raised.fields)}
        else:
            entry["gave"] = _without_host_paths(_plain(result))
        self._current_calls().append(entry)

    def new_live(self) -> int:
        """A live diagram starts: the frames it draws are its own. Returns its number (0, 1...)."""
        with self._lock:
            self._lives += 1
            return self._lives - 1

    def keep_frame(self, live: int, lesson: str | None, topology: dict) -> None:
        """Keep what live diagram number ``live`` drew (a topology's JSON), unless it is the same as its last one.

        The frame also keeps the cell being run when it was drawn, so that a player shows it there.
        """
        with self._lock:
            frame = {"live": live, "lesson": lesson, "cell": len(self.cells) - 1, "topology": topology}
            last = next((kept for kept in reversed(self.frames) if kept["live"] == live), None)
            if last is None or last["topology"] != topology:
                self.frames.append(frame)

    def live_frames(self, number: int) -> list[dict]:
        """The frames of live diagram ``number`` (0 = the lesson's first), in the order they were drawn."""
        return [frame for frame in self.frames if frame.get("live", 0) == number]

    @property
    def cell_index(self) -> int:
        """The index (in :attr:`cells`) of the cell being run, or being played back."""
        return len(self.cells) - 1 if not self.playing else self._at

    # -- playing ------------------------------------------------------------------------
    def answer(self, call: dict) -> Any:
        """The recorded answer to ``call``: the next one in this cell's run, else the nearest one.

        Nearest: the latest before this point of the lesson, else the first after it. A snapshot
        asked where none was taken (a new cell's ``lab.draw()`` or ``lab.path(a, b)``) gets the
        latest one taken, whichever containers it was asked for.
        """
        wanted = _same(call)
        here = [entry for entry in self._current_calls() if _same(entry) == wanted]
        if here:
            index = self._cursor.get(wanted, 0)
            self._cursor[wanted] = index + 1
            return _give(here[min(index, len(here) - 1)])
        order = [*range(self._at, -1, -1), *range(self._at + 1, len(self.cells))]
        alike = [lambda entry: _same(entry) == wanted]
        if call["call"] == "snapshot-facts":
            alike.append(lambda entry: entry["call"] == "snapshot-facts")
        for matches in alike:
            for index in order:
                found = [entry for entry in self.cells[index]["calls"] if matches(entry)]
                if found:
                    return _give(found[-1] if index <= self._at else found[0])
        raise errors.NotRecorded("replay-not-recorded", command=shown(call), lesson=self.lesson)

    # -- the file -----------------------------------------------------------------------
    def save(self, path: Path) -> None:
        """Write the recording (gzip when the name ends in ``.gz``), keys sorted, one value a line."""
        with self._lock:
            data = {"lesson": self.lesson, "engine": self.engine, "cells": self.cells, "frames": list(self.frames)}
            text = json.dumps(data, indent=1, sort_keys=True, ensure_ascii=False) + "\n"
        path.parent.mkdir(parents=True, exist_ok=True)
        written = path.with_name(path.name + ".part")
        if path.suffix == ".gz":
            written.write_bytes(gzip.compress(text.encode(), mtime=0))
        else:
            written.write_text(text)
        written.replace(path)

    @classmethod
    def load(cls, path: Path) -> Tape:
        """Read a recording for playing."""
        raw = path.read_bytes()
        data = json.loads(gzip.decompress(raw) if path.suffix == ".gz" else raw)
        return cls(data["lesson"], data.get("engine", {}), data.get("cells", []), data.get("frames", []),
                   playing=True)


def _without_host_paths(value: Any) -> Any:
    if isinstance(value, dict):
        return {key: _without_host_paths(item) for key, item in value.items() if key not in _HOST_PATHS}
    if isinstance(value, list):
        return [_without_host_paths(item) for item in value]
    return value


def _same(call: dict) -> str:
    return json.dumps({"call": call["call"], "with": call.get("with")}, sort_keys=True)


def _give(entry: dict) -> Any:
    raised = entry.get("raised")
    if raised:
        kind = getattr(errors, raised["type"], errors.CommandRefused)
        raise kind(raised["key"], **raised["fields"])
    return entry.get("gave")


def shown(call: dict) -> str:
    """A call as the learner would type it: ``docker ...``, ``sudo ...``, or the engine call."""
    import shlex

    given = call.get("with") or {}
    if call["call"] == "docker":
        return shlex.join(["docker", *given.get("words", [])])
    if call["call"] == "host":
        return shlex.join(["sudo", *given.get("command", [])])
    arguments = ", ".join(f"{key}={value!r}" for key, value in given.items() if value not in (None, False, [], {}))
    return f"{call['call']}({arguments})"


# -- a call, as a recording keeps it ------------------------------------------------------------
def call_of(name: str, signature: inspect.Signature, args: tuple, kwargs: dict) -> dict:
    """The call ``name(*args, **kwargs)`` as a recording keeps it: its name, and what it asked."""
    bound = signature.bind(None, *args, **kwargs)
    bound.apply_defaults()
    return {"call": name, "with": {key: _plain(value) for key, value in bound.arguments.items()
                                   if key not in _NOT_KEPT}}


def engine_facts_of(version: dict) -> dict:
    """What a recording says about its engine: from ``docker version``'s server part, and the date."""
    import datetime

    return {"version": version.get("Version", "?"), "api": version.get("ApiVersion", "?"),
            "kernel": version.get("KernelVersion", "?"), "os": version.get("Os", "?"),
            "date": datetime.datetime.now(datetime.timezone.utc).strftime("%Y-%m-%d")}

