"""What a clean-up found or removed, printed as a sentence a learner reads, still usable as a dict.

    >>> lab.reset(dry_run=True)
    dockerlab reset --lesson 00-welcome would remove: 1 container (hello).
"""
from __future__ import annotations

from ..text import count, say


class Found(dict):
    """Names of the lesson's objects, by kind (``{"containers": ["hello"], "networks": []}``), shown in words."""

    def __init__(self, names: dict[str, list[str]], lesson: str, removed: bool):
        super().__init__(names)
        self.lesson, self.removed = lesson, removed

    def __repr__(self) -> str:
        parts = [f"{count(kind, len(names))} ({', '.join(names)})" for kind, names in self.items() if names]
        what = ", ".join(parts) or say("nothing")
        key = "lesson-reset-removed" if self.removed else "lesson-reset-would-remove"
        return say(key, lesson=self.lesson, what=what)

    def _repr_pretty_(self, printer, cycle) -> None:
        printer.text(repr(self))
