"""What a lesson's predictions came to: each guess beside the engine's answer, shown as the lesson ends.

``lab.end()`` prints it for the questions this run of the lesson asked (``lab.predict``); the guesses and
the answers are the ones kept with the exercises' answers (``dockerlab.exercises.answers``), so a lesson
run again shows the guesses made the first time. Similar to reading your notes back after a lab.
"""
from __future__ import annotations

from collections.abc import Iterable

from ..text import say
from .predict import Prediction


def review(predictions: Iterable[Prediction]) -> str:
    """The predictions' review, a line or a few per question; empty when the lesson asked none."""
    asked = list({prediction.id: prediction for prediction in predictions}.values())
    if not asked:
        return ""
    guessed = [prediction for prediction in asked if prediction.guessed() in prediction.choices]
    if not guessed:
        return say("review-none", asked=len(asked))
    right = sum(prediction.guessed() == prediction.seen() for prediction in guessed)
    lines = [say("review-heading", right=right, asked=len(asked))]
    for prediction in asked:
        lines.append(_one(prediction))
    return "\n".join(lines)


def _one(prediction: Prediction) -> str:
    """``✓`` right, ``✗`` wrong, ``·`` not predicted, ``?`` not shown yet: the question, then the two answers."""
    guess, seen = prediction.guessed(), prediction.seen()
    guess = guess if guess in prediction.choices else None
    seen = seen if seen in prediction.choices else None
    mark = "?" if seen is None else "·" if guess is None else "✓" if guess == seen else "✗"
    answer = say("review-not-shown") if seen is None else prediction.named(seen)
    if mark == "✓":
        answers = [say("review-both", answer=answer)]
    else:
        answers = [say("review-you", guess=say("review-no-guess") if guess is None else prediction.named(guess)),
                   say("review-engine", answer=answer)]
    return "\n".join([f"  {mark} {prediction.question}", *(f"      {line}" for line in answers)])
