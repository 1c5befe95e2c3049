"""Which cell is running: IPython tells a recording or a playback when each cell starts (and ends)."""
from __future__ import annotations

import contextlib
from collections.abc import Callable

from ..shell import ipython_shell
from .tape import Tape

_hooks: list[tuple[str, Callable]] = []
"""The hooks this process registered last (a new session replaces them: one recording at a time)."""


def follow_cells(tape: Tape, after_each: Callable[[], None] | None = None) -> None:
    """Tell ``tape`` when a cell starts (and call ``after_each`` when it ends), in the IPython shell if any."""
    shell = ipython_shell()
    if shell is None:
        return
    for event, hook in _hooks:
        with contextlib.suppress(ValueError):
            shell.events.unregister(event, hook)
    _hooks.clear()
    _hooks.append(("pre_run_cell", lambda info: tape.begin_cell(info.raw_cell)))
    if after_each is not None:
        _hooks.append(("post_run_cell", lambda result: after_each()))
    for event, hook in _hooks:
        shell.events.register(event, hook)
    raw = shell.history_manager.input_hist_raw
    tape.begin_cell(raw[-1] if len(raw) > 1 else None)  # the cell that opened the session
