"""Looking again until what was started has finished: engines and swarms finish some work after they answer."""
from __future__ import annotations

import time
from collections.abc import Callable
from typing import TypeVar

Seen = TypeVar("Seen")


def until(look: Callable[[], Seen], again: Callable[[Seen], bool], wait: float, pause: float = 1) -> Seen:
    """``look()``, then again every ``pause`` seconds while ``again(what it saw)`` and ``wait`` seconds have not
    passed; what it saw last."""
    deadline = time.monotonic() + wait
    seen = look()
    while again(seen) and time.monotonic() < deadline:
        time.sleep(pause)
        seen = look()
    return seen
