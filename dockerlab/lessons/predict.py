"""Predict, then see: a question a lesson asks just before the cell that shows the engine's answer.

The question and its choices are messages (``predict-<lesson>-<key>`` and
``predict-<lesson>-<key>-<choice>``), so a translated edition asks them in its
own language while both editions run the same code. A guess is kept with the
exercises' answers (``dockerlab.exercises.answers``) under ``predict:<lesson>:<key>``;
the revealing cell passes what the engine did, never a fixed answer.

In JupyterLab the question waits for its answer (a box to type in, as ``input()`` gives), so
that neither "Run All" nor running on cell after cell can show the answer first: the cells after
it run once the learner has predicted, or chosen to see the answer without predicting. Where no
one can type an answer (a test run, ``./lab regen``), it shows the choices and a "Lock in" button
instead. A guess locked in after the answer was shown is kept apart, as a late guess
(``late:<lesson>:<key>``), never as a prediction.
"""
from __future__ import annotations

from IPython.core.error import StdinNotImplementedError

from .. import errors
from ..text import say
from . import answers
from .form import answer_form, text_and_widget, typed


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

    def named(self, choice: str) -> str:
        """One choice as the learner saw it listed: ``"2. the new address"``."""
        return self._said("predict-named", choice)

    def seen(self) -> str | None:
        """The choice the engine showed to be true, once the revealing cell ran."""
        return answers.load().get(self._shown_id)

    def _said(self, key: str, choice: str) -> str:
        """Message ``key`` about one choice, named as the learner saw it: its number and its text
        (the choice's own word, e.g. ``new``, is the code's, not the learner's language)."""
        return say(key, number=self.choices.index(choice) + 1, text=self.choice(choice))

    def _unknown(self, given: object) -> errors.LabError:
        return errors.LabError("predict-unknown-choice", given=given, last=len(self.choices))

    def guessed(self) -> str | None:
        """The choice locked in before the answer was shown, if any."""
        return answers.load().get(self.id)

    @property
    def _shown_id(self) -> str:
        return f"shown:{self.lesson_id}:{self.key}"

    def shown(self) -> bool:
        """Whether the engine's answer has been shown (the revealing cell ran)."""
        return self.seen() is not None

    def lock(self, choice: str | int) -> None:
        """Lock in a guess without the widget: ``guess.lock(2)`` (its number) or ``guess.lock("new")``.

        After the answer was shown, the choice is kept as a late guess, and said to be one.
        """
        chosen = self._chosen(str(choice))
        if chosen is None:
            raise self._unknown(choice)
        choice = chosen
        if self.shown() and self.guessed() is None:
            answers.save(f"late:{self.lesson_id}:{self.key}", choice)
            print(self._said("predict-late", choice))
            return
        answers.save(self.id, choice)
        print(self._said("predict-locked", choice))

    def reveal(self, seen: str) -> None:
        """Say which choice the engine just showed to be true, and how the guess compares.

        ``seen`` must be worked out from the engine in the revealing cell, never written in.
        """
        if seen not in self.choices:
            raise self._unknown(seen)
        answers.save(self._shown_id, seen)
        print(self._said("predict-answer", seen))
        guess = self.guessed()
        if guess in self.choices:  # (a guess kept from an older edition's choices counts as none)
            print(self._said("predict-right" if guess == seen else "predict-wrong", guess))
        else:
            print(say("predict-none"))

    def text(self) -> str:
        lines = [say("predict-question", question=self.question)]
        lines += self._numbered()
        lines.append(say("predict-how"))
        return "\n".join(lines)

    def __repr__(self) -> str:
        return self.text()

    def ask(self, read=input) -> bool:
        """Ask in a box to type in, and wait; whether it could be asked (no one can type in a test run).

        A choice's number or its word locks it in; an empty answer shows the answer without predicting.
        """
        prompt = "\n".join([say("predict-question", question=self.question), *self._numbered(),
                            say("predict-type", last=len(self.choices)), ""])
        try:
            chosen = typed(prompt, self._chosen, lambda given: say("predict-again", given=given,
                                                                   last=len(self.choices)), read)
        except StdinNotImplementedError:  # the kernel's client takes no input (a test run, ./lab regen)
            return False
        if chosen is None:
            print(say("predict-skipped"))
        else:
            self.lock(chosen)
        return True

    def _numbered(self) -> list[str]:
        return [f"  {number}. {self.choice(choice)}" for number, choice in enumerate(self.choices, start=1)]

    def _chosen(self, given: str) -> str | None:
        if given.isdigit() and 1 <= int(given) <= len(self.choices):
            return self.choices[int(given) - 1]
        return given if given in self.choices else None

    def widget(self):
        """Options to pick from and a button that locks the guess in."""
        import html

        return answer_form([(self.choice(choice), choice) for choice in self.choices],
                           say("predict-button"), self.lock, value=self.guessed(),
                           heading=html.escape(say("predict-question", question=self.question)))

    def _ipython_display_(self) -> None:
        """In JupyterLab: ask and wait (unless already answered); where no one can type, the widget."""
        from IPython.display import display

        if self.guessed() is None and not self.shown() and self.ask():
            return
        display(self._repr_mimebundle_(), raw=True)

    def _repr_mimebundle_(self, include=None, exclude=None):
        return text_and_widget(self.text(), self.widget)
