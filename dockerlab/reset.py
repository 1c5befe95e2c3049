"""``dockerlab reset``: remove what the course made, and only that."""
from __future__ import annotations

from .engine import Engine


def reset(lesson: str | None = None, dry_run: bool = False, engine: Engine | None = None) -> dict[str, list[str]]:
    """Remove the course's containers, networks and volumes (of one lesson, if given).

    Similar to ``docker rm -f $(docker ps -aq --filter label=io.dockerlab.managed=true)``
    and the same for networks and volumes. With ``dry_run`` it only lists them.
    """
    engine = engine or Engine.connect()
    return engine.labelled(lesson) if dry_run else engine.remove_labelled(lesson)
