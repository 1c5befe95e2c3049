"""What a sheet's tasks start from: its set-up, made again only where something is missing.

Similar to the ``docker`` commands of a sheet's ``SETUP``, skipping what is already there.
"""
from __future__ import annotations

from types import ModuleType

from .. import errors
from ..engine.command_line import split


def made_by(command: str) -> tuple[str, str] | None:
    """What a set-up command makes: ``("network", NAME)`` for ``network create ... NAME``,
    ``("container", NAME)`` for ``run ... --name NAME``, else ``None``."""
    words = split(command)
    if words[:2] == ["network", "create"] and len(words) > 2:
        return "network", words[-1]
    if words[:1] == ["run"]:
        for index, word in enumerate(words):
            if word == "--name" and index + 1 < len(words):
                return "container", words[index + 1]
            if word.startswith("--name="):
                return "container", word.split("=", 1)[1]
    return None


def _existing(lab, command: str) -> str | None:
    """The name a set-up command makes, if something by that name is already there."""
    made = made_by(command)
    if made is None:
        return None
    kind, name = made
    try:
        lab.engine.network(name) if kind == "network" else lab.engine.container(name)
    except errors.NotFound:
        return None
    return name


def set_up(lab, sheet_module: ModuleType) -> None:
    """Make what the sheet's tasks start from, skipping what is there already.

    Similar to the ``docker`` commands of the sheet's SETUP.
    """
    if hasattr(sheet_module, "set_up"):
        sheet_module.set_up(lab)
        return
    for command in getattr(sheet_module, "SETUP", []):
        if _existing(lab, command) is None:
            lab.docker(command, quiet=True)
