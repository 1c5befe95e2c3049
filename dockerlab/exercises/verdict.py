"""A check's answer: *not attempted*, *not yet* (and why) or *correct* — and what a judge raises to say so."""
from __future__ import annotations

import enum
from dataclasses import dataclass, field

from ..text import say


class Outcome(str, enum.Enum):
    """The three answers a check can give."""

    NOT_ATTEMPTED = "not attempted"
    NOT_YET = "not yet"
    CORRECT = "correct"

    @property
    def text(self) -> str:
        return say({"NOT_ATTEMPTED": "outcome-not-attempted", "NOT_YET": "outcome-not-yet",
                    "CORRECT": "outcome-correct"}[self.name])


MARKS = {Outcome.NOT_ATTEMPTED: "○", Outcome.NOT_YET: "✘", Outcome.CORRECT: "✔"}


@dataclass
class Verdict:
    """A check's answer: the outcome, why, and which hint ladder fits."""

    outcome: Outcome
    reason: str = ""
    hint: str = ""  # which hint ladder fits
    fields: dict = field(default_factory=dict)  # the facts the reason names, for the hints too
    settling: bool = False  # not yet, but on its way (see NotYet)

    @property
    def correct(self) -> bool:
        return self.outcome is Outcome.CORRECT

    def _ipython_display_(self) -> None:
        """Nothing more to show: :meth:`Attempt.check` already said it."""


class NotYet(Exception):
    """Raised inside a judge: the task is not done yet. ``key`` names the reason (and its hints);
    ``settling``: what was done is on its way (a service's replicas starting), so the same check a moment
    later may find it done."""

    def __init__(self, key: str, hint: str | None = None, settling: bool = False, **fields: object):
        super().__init__(key)
        self.key, self.hint, self.settling, self.fields = key, hint or key, settling, fields


class NotAttempted(Exception):
    """Raised inside a judge: nothing of the task exists yet."""
