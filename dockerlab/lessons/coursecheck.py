"""The course check: the same few questions before the course (end of lesson 00) and after it (course-check.ipynb).

Before, no score and no stakes: the answers are only kept. After, each question shows both answers side by side,
and each miss says why and which lesson to read again. The questions and their choices are messages
(``check-<q>``, ``check-<q>-<choice>``, ``check-<q>-<choice>-why`` for a wrong one, ``check-<q>-read``), so each
edition asks in its own language. The answers are kept with the exercises' (``answers.py``) under
``check:before:<q>`` and ``check:after:<q>``, and nowhere else; a workshop's room counts them from the report
the learner's environment writes (``workshop/learner.py``).

Asked like a prediction (``predict.py``): in JupyterLab a box to type a number in, per question; where no one
can type (a test run, ``./lab regen``) a form per question, so that Run All never waits.
"""
from __future__ import annotations

from functools import partial

from IPython.core.error import StdinNotImplementedError

from ..text import say
from . import answers
from .form import answer_form, text_and_widget, typed

WHEN = ("before", "after")
QUESTIONS: dict[str, tuple[tuple[str, ...], str]] = {  # question: its choices, as listed, and the right one
    "names": (("yes", "unreachable", "no"), "no"),
    "dns": (("docker0", "embedded", "host"), "embedded"),
    "publish": (("host-8080", "host-80", "listen"), "host-8080"),
    "isolation": (("yes", "by-name", "no"), "no"),
    "internal": (("everything", "way-out", "names"), "way-out"),
    "veth": (("shared", "cable", "bridges"), "cable"),
    "overlay": (("nothing", "dhcp", "swarm"), "swarm"),
}


def key(when: str, question: str) -> str:
    """Where an answer is kept: ``check:before:names``."""
    return f"check:{when}:{question}"


def given(when: str, stored: dict[str, str] | None = None) -> dict[str, str]:
    """The answers given ``when`` (``before`` or ``after``), by question; a choice the course no longer has is
    left out. ``stored``: the answers file's content, if already read."""
    stored = answers.load() if stored is None else stored
    return {question: stored[key(when, question)] for question, (choices, _) in QUESTIONS.items()
            if stored.get(key(when, question)) in choices}


def kept() -> dict[str, dict[str, str]]:
    """Both checks' answers, as the learner's environment reports them to a workshop's room:
    ``{"before": {question: choice}, "after": {...}}``."""
    everything = answers.load()
    return {when: given(when, everything) for when in WHEN}


def right(chosen: dict[str, str]) -> int:
    """How many of ``chosen`` (question: choice) are right."""
    return sum(QUESTIONS[question][1] == choice for question, choice in chosen.items() if question in QUESTIONS)


def question(name: str) -> str:
    return say(f"check-{name}")


def named(name: str, choice: str) -> str:
    """A choice as the learner saw it listed: ``"3. No: …"``."""
    choices = QUESTIONS[name][0]
    return say("predict-named", number=choices.index(choice) + 1, text=say(f"check-{name}-{choice}"))


def _picked(name: str, given_text: str) -> str | None:
    """The choice a typed number names, or None."""
    choices = QUESTIONS[name][0]
    return choices[int(given_text) - 1] if given_text.isdigit() and 1 <= int(given_text) <= len(choices) else None


def _again(name: str, given_text: str) -> str:
    """What to type instead of ``given_text``."""
    return say("check-again", given=given_text, last=len(QUESTIONS[name][0]))


class Check:
    """The questions asked ``when`` ("before" or "after"): shown, they ask those not answered yet, and wait."""

    def __init__(self, when: str):
        if when not in WHEN:
            raise ValueError(f"when is one of {WHEN}, not {when!r}")
        self.when = when

    def keep(self, number: int, choice: int | str) -> None:
        """Keep an answer without the form: ``check.keep(1, 3)`` (question 1, choice 3). Bad input: a message."""
        names = list(QUESTIONS)
        if not (isinstance(number, int) and 1 <= number <= len(names)):
            print(say("check-unknown-question", given=number, last=len(names)))
            return
        name = names[number - 1]
        chosen = _picked(name, str(choice).strip())
        if chosen is None:
            print(say("check-unknown-choice", given=choice, last=len(QUESTIONS[name][0])))
            return
        self._keep(name, chosen)

    def _keep(self, name: str, choice: str) -> None:
        answers.save(key(self.when, name), choice)
        print(say("check-kept", number=list(QUESTIONS).index(name) + 1, choice=named(name, choice)))

    def again(self) -> Check:
        """Forget this check's answers, to answer it once more (shown, it asks again)."""
        for name in QUESTIONS:
            answers.forget(key(self.when, name))
        return self

    def ask(self, read=input) -> bool:
        """Ask each question not answered yet in a box to type in; whether it could (no one types in a test run)."""
        heading = say(f"check-{self.when}-heading", asked=len(QUESTIONS))
        for number, name in enumerate(QUESTIONS, start=1):
            if name in given(self.when):
                continue
            choices = QUESTIONS[name][0]
            prompt = "\n".join([*([heading, ""] if heading else []), self._heading(number, name), *self._numbered(name),
                                say("check-type", last=len(choices)), ""])
            try:
                chosen = typed(prompt, partial(_picked, name), partial(_again, name), read)
            except StdinNotImplementedError:
                return False
            heading = ""
            if chosen is None:
                print(say("check-skipped", number=number))
            else:
                self._keep(name, chosen)
        print(self._done())
        return True

    def _done(self) -> str:
        answered = len(given(self.when))
        return say(f"check-{self.when}-done", answered=answered, asked=len(QUESTIONS))

    def _heading(self, number: int, name: str) -> str:
        return say("check-question", number=number, asked=len(QUESTIONS), question=question(name))

    @staticmethod
    def _numbered(name: str) -> list[str]:
        return [f"  {number}. {say(f'check-{name}-{choice}')}" for number, choice in enumerate(QUESTIONS[name][0], 1)]

    def text(self) -> str:
        lines = [say(f"check-{self.when}-heading", asked=len(QUESTIONS))]
        chosen = given(self.when)
        for number, name in enumerate(QUESTIONS, start=1):
            lines += ["", self._heading(number, name), *self._numbered(name)]
            if name in chosen:
                lines.append("  " + say("check-your-answer", choice=named(name, chosen[name])))
        lines += ["", say("check-how")]
        return "\n".join(lines)

    def __repr__(self) -> str:
        return self.text()

    def widget(self):
        """A form per question: its choices, and a button that keeps the answer."""
        import html

        import ipywidgets as widgets

        chosen = given(self.when)
        return widgets.VBox([answer_form([(say(f"check-{name}-{choice}"), choice) for choice in choices],
                                         say("check-button"), partial(self._keep, name),
                                         value=chosen.get(name), heading=html.escape(self._heading(number, name)))
                             for number, (name, (choices, _)) in enumerate(QUESTIONS.items(), start=1)])

    def _ipython_display_(self) -> None:
        """In JupyterLab: ask what is not answered yet, and wait; where no one can type, the forms."""
        from IPython.display import display

        if len(given(self.when)) < len(QUESTIONS) and self.ask():
            return
        if len(given(self.when)) == len(QUESTIONS):
            print(self._done())
            print(say("check-answered-how"))
            return
        display(self._repr_mimebundle_(), raw=True)

    def _repr_mimebundle_(self, include=None, exclude=None):
        return text_and_widget(self.text(), self.widget)

    def compare(self) -> Compared:
        """Before beside after, question by question, and what to read again for each miss."""
        return Compared(answers.load())


class Compared:
    """The two checks side by side, printed as lines a learner reads."""

    def __init__(self, stored: dict[str, str]):
        self.before, self.after = given("before", stored), given("after", stored)

    def __repr__(self) -> str:
        if not self.after:
            return say("check-compare-no-after")
        lines = [say("check-compare-heading", before=right(self.before), after=right(self.after),
                     asked=len(QUESTIONS))]
        if not self.before:
            lines.append(say("check-compare-no-before"))
        for number, (name, (_, correct)) in enumerate(QUESTIONS.items(), start=1):
            after = self.after.get(name)
            mark = "✓" if after == correct else "✗" if after else "·"
            lines.append(f"  {mark} {number}. {question(name)}")
            for when, chosen in (("before", self.before.get(name)), ("after", after)):
                shown = say("check-no-answer") if chosen is None else \
                    f"{named(name, chosen)} {'✓' if chosen == correct else '✗'}"
                lines.append("      " + say(f"check-compare-{when}", answer=shown))
            if after != correct:
                if after:
                    lines.append("      " + say("check-why", why=say(f"check-{name}-{after}-why")))
                lines.append("      " + say("check-right", answer=named(name, correct)))
                lines.append("      " + say("check-read", read=say(f"check-{name}-read")))
        return "\n".join(lines)

    def _repr_pretty_(self, printer, cycle) -> None:
        printer.text(repr(self))
