"""Predict, then see: a question a lesson asks just before the cell that shows the engine's answer.

The question and its choices are messages (``predict-<lesson>-<key>`` and
``predict-<lesson>-<key>-<choice>``), so a translated edition asks them in its
own language while both editions run the same code. A guess is kept with the
exercises' answers (``dockerlab.exercises.answers``) under ``predict:<lesson>:<key>``;
the revealing cell passes what the engine did, never a fixed answer.
"""
from __future__ import annotations

from .. import errors
from ..text import say
from . import answers
from .form import answer_form


class Prediction:
    """One question to guess before a revealing cell: ``guess = lab.predict("restart", ["old", "new"])``."""

    def __init__(self, lesson_id: str, key: str, choices: list[str]):
        if len(choices) < 2:
            raise errors.LabError("predict-needs-choices", question=key)
        self.lesson_id, self.key, self.choices = lesson_id, key, list(choices)

    @property
    def id(self) -> str:
        return f"predict:{self.lesson_id}:{self.key}"

    @property
    def question(self) -> str:
        return say(f"predict-{self.lesson_id}-{self.key}")

    def choice(self, choice: str) -> str:
        """The text of one choice, e.g. ``"the new address"``."""
        return say(f"predict-{self.lesson_id}-{self.key}-{choice}")

    def option(self, choice: str) -> str:
        """How a choice is offered: its text and its key (``guess.lock(KEY)``), in the learner's language's order."""
        return say("predict-option", choice=choice, text=self.choice(choice))

    def guessed(self) -> str | None:
        """The choice locked in, if any."""
        return answers.load().get(self.id)

    def lock(self, choice: str) -> None:
        """Lock in a guess without the widget: ``guess.lock("new")``."""
        if choice not in self.choices:
            raise errors.LabError("predict-unknown-choice", given=choice,
                                        choices=", ".join(repr(known) for known in self.choices))
        answers.save(self.id, choice)
        print(say("predict-locked", choice=choice, text=self.choice(choice)))

    def reveal(self, seen: str) -> None:
        """Say which choice the engine just showed to be true, and how the guess compares.

        ``seen`` must be worked out from the engine in the revealing cell, never written in.
        """
        if seen not in self.choices:
            raise errors.LabError("predict-unknown-choice", given=seen,
                                        choices=", ".join(repr(known) for known in self.choices))
        print(say("predict-answer", choice=seen, text=self.choice(seen)))
        guess = self.guessed()
        if guess is not None:
            print(say("predict-right" if guess == seen else "predict-wrong", choice=guess, text=self.choice(guess)))

    def text(self) -> str:
        lines = [say("predict-question", question=self.question)]
        lines += ["  " + self.option(choice) for choice in self.choices]
        lines.append(say("predict-how", choice=self.choices[0]))
        return "\n".join(lines)

    def __repr__(self) -> str:
        return self.text()

    def widget(self):
        """Options to pick from and a button that locks the guess in."""
        import html

        return answer_form([(self.option(choice), choice) for choice in self.choices],
                           say("predict-button"), self.lock, value=self.guessed(),
                           heading=html.escape(say("predict-question", question=self.question)))

    def _repr_mimebundle_(self, include=None, exclude=None):
        bundle = {"text/plain": self.text()}
        try:
            view = self.widget()._repr_mimebundle_()
        except ImportError:  # no widget machinery (plain Python): the text form is the whole question
            return bundle
        if isinstance(view, dict) and "application/vnd.jupyter.widget-view+json" in view:
            bundle["application/vnd.jupyter.widget-view+json"] = view["application/vnd.jupyter.widget-view+json"]
        return bundle
