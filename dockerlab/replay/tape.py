"""What the engine and the host answered a lesson, recorded at the course's boundary and played back.

Everything a lesson asks the engine or the host goes through a few functions: the
:class:`~dockerlab.engine.client.Engine`'s methods, :func:`dockercli.run` (the learner's ``docker``),
:func:`hostshell.run` (``sudo CMD`` on the engine's host), :func:`probe.gather` (a snapshot's
facts), :func:`cluster.capture` and :func:`health.diagnose` (``dockerlab doctor``). While a tape
records, each call a cell makes (the outermost one: what it calls inside is not kept) is written
down with its arguments and what came back, under that cell (a hash of its source, so the same
cell is found again in any frontend). While a tape plays, the same call in the same cell gets the
recorded answer back, in call order, and nothing reaches an engine. Similar to a ``docker`` CLI
whose answers come from a transcript.
"""
from __future__ import annotations

import contextlib
import dataclasses
import functools
import gzip
import hashlib
import inspect
import json
import threading
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

from .. import errors

ENGINE_METHODS = ("version", "info", "container", "containers", "run", "can_start", "exec", "logs",
                  "remove_container", "network", "networks", "create_network", "remove_network",
                  "create_volume", "labelled", "remove_labelled", "image", "build", "save_image",
                  "import_image", "pull")
"""The :class:`Engine` methods a recording keeps (``events`` only feeds live diagrams: see ``frames``)."""

_NOT_KEPT = ("self", "engine", "docker_host", "progress")
"""Arguments that say where a call went, not what it asked: left out of its key."""

_LARGE = 4096
"""Bytes longer than this are recorded as their length and digest: the answer stays small."""

_HOST_PATHS = frozenset({"GraphDriver", "LogPath", "ResolvConfPath", "HostnamePath", "HostsPath"})
"""Fields of ``docker inspect`` that only name paths in the engine's data root: not kept (nothing reads them;
``SandboxKey``, the path of a container's network namespace, is kept: lesson 12 reads it)."""

_local = threading.local()


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
    """The key of the cell being run: a hash of its source (``-`` outside a notebook)."""
    return hashlib.sha1(source.encode()).hexdigest()[:12] if source is not None else "-"


@dataclasses.dataclass
class Tape:
    """One lesson's recording: the engine it ran on, and per cell run, the calls and their answers."""

    lesson: str
    engine: dict = dataclasses.field(default_factory=dict)
    cells: list[dict] = dataclasses.field(default_factory=list)
    frames: list[dict] = dataclasses.field(default_factory=list)
    playing: bool = False
    _cell: str = dataclasses.field(default="-", init=False, repr=False)
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
        self._cell, self._cursor, self._begun = key, {}, True
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
        """A live diagram starts: the frames that follow are its own. Returns its number (0, 1...)."""
        self._lives += 1
        return self._lives - 1

    def keep_frame(self, facts: dict, lesson: str | None) -> None:
        """Keep what the latest live diagram drew (a snapshot's facts), unless it is the same as its last one."""
        frame = {"live": max(self._lives - 1, 0), "lesson": lesson, "facts": _plain(facts)}
        with self._lock:
            if not self.frames or self.frames[-1] != frame:
                self.frames.append(frame)

    def live_frames(self) -> list[dict]:
        """Playing: the frames of the next live diagram the lesson starts, in the order they were drawn."""
        number = self.new_live()
        return [frame for frame in self.frames if frame.get("live", 0) == number]

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


# -- the boundary -------------------------------------------------------------------------
_tape: Tape | None = None


def current() -> Tape | None:
    """The tape recording or playing in this process, if any."""
    return _tape


def playing() -> bool:
    """Whether this process plays a recording (no engine is asked anything)."""
    return _tape is not None and _tape.playing


@contextlib.contextmanager
def framing(lesson: str | None) -> Iterator[None]:
    """Snapshots taken inside (a live diagram's first picture) are kept as frames, not as calls."""
    _local.framing = lesson
    if _tape is not None:
        _tape.new_live()
    try:
        yield
    finally:
        del _local.framing


def _boundary(name: str, function: Callable, rebuild: Callable[[Any], Any] | None = None) -> Callable:
    """``function``, recorded or played back as ``name``; ``rebuild`` turns a played answer back into its type."""
    signature = inspect.signature(function)

    @functools.wraps(function)
    def at_the_boundary(*args: Any, **kwargs: Any) -> Any:
        tape = _tape
        if tape is None:
            return function(*args, **kwargs)
        bound = signature.bind(*args, **kwargs)
        bound.apply_defaults()
        call: dict[str, Any] = {"call": name, "with": {key: _plain(value) for key, value in bound.arguments.items()
                                                       if key not in _NOT_KEPT}}
        if tape.playing:
            answer = tape.answer(call)
            return rebuild(answer) if rebuild else answer
        depth = getattr(_local, "depth", 0)
        in_main = threading.current_thread() is threading.main_thread()
        framing_lesson = getattr(_local, "framing", False)
        if depth or not in_main or framing_lesson is not False:
            result = function(*args, **kwargs)
            if name == "snapshot-facts" and depth == 0:  # what a live diagram drew
                tape.keep_frame(result, call["with"].get("lesson"))
            return result
        _local.depth = 1
        try:
            result = function(*args, **kwargs)
        except errors.LabError as refused:
            tape.keep(call, raised=refused)
            raise
        finally:
            _local.depth = 0
        tape.keep(call, result)
        return result

    at_the_boundary.__wrapped_by_tape__ = True  # type: ignore[attr-defined]
    return at_the_boundary


def _install() -> None:
    """Put the boundary around the functions that reach the engine or the host (once per process)."""
    from ..engine import dockercli
    from ..engine.client import Engine
    from ..host import cluster, health, hostshell, probe

    if getattr(dockercli.run, "__wrapped_by_tape__", False):
        return
    for method in ENGINE_METHODS:
        setattr(Engine, method, _boundary(f"engine.{method}", getattr(Engine, method)))
    dockercli.run = _boundary("docker", dockercli.run)
    hostshell.run = _boundary("host", hostshell.run)
    probe.gather = _boundary("snapshot-facts", probe.gather)
    cluster.capture = _boundary("capture", cluster.capture)
    health.diagnose = _boundary("doctor", health.diagnose, lambda report: health.Report(
        [health.Check(**check) for check in report["checks"]]))


def _follow_cells(tape: Tape) -> None:
    """In IPython, tell the tape when a cell starts, and save a recording after each cell."""
    with contextlib.suppress(ImportError):
        from IPython import get_ipython

        shell = get_ipython()
        if shell is None:
            return
        shell.events.register("pre_run_cell", lambda info: tape.begin_cell(info.raw_cell))
        raw = shell.history_manager.input_hist_raw
        tape.begin_cell(raw[-1] if len(raw) > 1 else None)  # the cell that started the tape


def record(lesson: str, path: Path, engine_facts: dict) -> Tape:
    """Start recording ``lesson`` into ``path`` (saved after every cell and at exit)."""
    global _tape
    import atexit

    _install()
    tape = _tape = Tape(lesson, engine_facts)
    _follow_cells(tape)
    with contextlib.suppress(ImportError):
        from IPython import get_ipython

        shell = get_ipython()
        if shell is not None:
            shell.events.register("post_run_cell", lambda result: tape.save(path))
    atexit.register(tape.save, path)
    return tape


def play(path: Path) -> Tape:
    """Start playing the recording at ``path``: from now on no call reaches an engine or the host."""
    global _tape
    _install()
    tape = _tape = Tape.load(path)
    _follow_cells(tape)
    return tape


def stop() -> None:
    """Neither record nor play any more (tests)."""
    global _tape
    _tape = None


def engine_facts_of(version: dict) -> dict:
    """What a recording says about its engine: from ``docker version``'s server part, and the date."""
    import datetime

    return {"version": version.get("Version", "?"), "api": version.get("ApiVersion", "?"),
            "kernel": version.get("KernelVersion", "?"), "os": version.get("Os", "?"),
            "date": datetime.datetime.now(datetime.timezone.utc).strftime("%Y-%m-%d")}

