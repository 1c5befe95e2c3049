"""What other lessons and sheets left on the engine, which can stand in this lesson's way.

Two lessons use the same names (``c1``, ``app``...): a container another lesson left running — still
open in another tab, or stopped half-way — makes ``docker run --name c1`` fail here (the course's proxy
then says whose it is). A lesson's first cell lists them by lesson before that happens, says how to
clear them (only by their lesson's label: ``dockerlab reset --lesson LESSON``), and offers a button
that does it.
"""
from __future__ import annotations

from .. import errors, labels
from ..host import cleanup
from ..host.enginehost import HELPER_LESSON as HOST_SHELL
from ..host.probe import HELPER_LESSON as PROBE
from ..host.session import Session
from ..text import count, say

HELPERS = {HOST_SHELL, PROBE}
"""The course's own helpers: never in a lesson's way (each lesson's clean-up removes them)."""


def left_by_others(engine: Session, lesson_id: str) -> dict[str, dict[str, list[str]]]:
    """Containers and networks of other lessons (and sheets), by lesson and kind. Similar to ``docker ps -a``
    and ``docker network ls`` with ``--filter label=io.dockerlab.managed=true``."""
    wanted = labels.label_filter()
    found: dict[str, dict[str, list[str]]] = {}
    try:
        listed = [("containers", c, labels.container_name(c)) for c in engine.containers(all=True, **wanted)]
        listed += [("networks", n, n["Name"]) for n in engine.networks(**wanted)]
    except errors.NotRecorded:  # a recording made before lessons looked for each other's leftovers
        return {}
    for kind, item, name in listed:
        owner = labels.lesson_of(labels.of(item))
        if owner and owner != lesson_id and owner not in HELPERS:
            found.setdefault(owner, {}).setdefault(kind, []).append(name)
    return found


def describe(found: dict[str, dict[str, list[str]]]) -> str:
    """One line per lesson: what it left, and the command that clears it."""
    lines = [say("lesson-others-left")]
    for lesson, kinds in sorted(found.items()):
        what = "; ".join(f"{count(kind, len(names))} ({', '.join(sorted(names))})" for kind, names in kinds.items())
        lines.append("  " + say("lesson-other-left", lesson=lesson, what=what))
    return "\n".join(lines)


def offer_to_clear(engine: Session, found: dict[str, dict[str, list[str]]]) -> None:
    """Print what other lessons left and show a button that removes it (by each lesson's label only)."""
    print(describe(found))
    try:
        import ipywidgets as widgets
        from IPython.display import display
    except ImportError:
        return
    button = widgets.Button(description=say("lesson-clear-others-button"), icon="trash",
                            layout=widgets.Layout(width="auto"))
    said = widgets.Output()

    def clear(_) -> None:
        with said:
            for lesson in sorted(found):
                removed = cleanup.remove(engine, lesson)
                parts = [count(kind, len(names)) for kind, names in removed.items() if names]
                print(say("lesson-other-cleared", lesson=lesson, what=", ".join(parts) or say("nothing")))
        button.disabled = True

    button.on_click(clear)
    display(widgets.VBox([button, said]))

