"""Where the course keeps what it must remember between sessions, on the learner's or instructor's machine."""
from __future__ import annotations

import os
from pathlib import Path


def state() -> Path:
    """The course's state folder: ``$XDG_STATE_HOME/dockerlab``, else ``~/.local/state/dockerlab``."""
    return Path(os.environ.get("XDG_STATE_HOME") or Path.home() / ".local" / "state") / "dockerlab"
