"""The answers given to the exercises' questions, kept in a small JSON file between sessions.

The file is ``$DOCKERLAB_ANSWERS``, else ``~/.local/state/dockerlab/answers.json``, so that
``dockerlab check`` in a terminal sees an answer given in a notebook.
"""
from __future__ import annotations

import json
import os
from pathlib import Path

from .. import folders


def path() -> Path:
    """Where the answers are kept."""
    chosen = os.environ.get("DOCKERLAB_ANSWERS")
    if chosen:
        return Path(chosen)
    return folders.state() / "answers.json"


def load() -> dict[str, str]:
    """Every answer given so far, by task id."""
    try:
        return json.loads(path().read_text("utf-8"))
    except (FileNotFoundError, json.JSONDecodeError):
        return {}


def _write(given: dict[str, str]) -> None:
    path().parent.mkdir(parents=True, exist_ok=True)
    path().write_text(json.dumps(given, indent=1, sort_keys=True), "utf-8")


def save(task_id: str, answer: str) -> None:
    """Keep ``answer`` as the answer to ``task_id`` (replacing an earlier one)."""
    _write({**load(), task_id: answer})


def forget(task_id: str) -> None:
    """Forget the answer to ``task_id``."""
    given = load()
    if given.pop(task_id, None) is not None:
        _write(given)
