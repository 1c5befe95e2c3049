"""A lesson's prediction: asked in the learner's words, kept with the answers, revealed from the engine."""
from __future__ import annotations

import json

import pytest

from dockerlab import errors
from dockerlab.lessons.predict import Prediction
from dockerlab.text import _catalog


@pytest.fixture
def guess(tmp_path, monkeypatch):
    monkeypatch.setenv("DOCKERLAB_ANSWERS", str(tmp_path / "answers.json"))
    messages = {"predict-99-test-restart": "After a restart, which address?",
                "predict-99-test-restart-old": "the old one", "predict-99-test-restart-new": "the new one"}
    monkeypatch.setitem(_catalog("en"), "x", "x")  # load the catalogue before patching it
    for key, text in messages.items():
        monkeypatch.setitem(_catalog("en"), key, text)
    return Prediction("99-test", "restart", ["old", "new"])


def test_the_question_and_its_choices_are_shown_as_text(guess):
    text = repr(guess)
    assert "Predict: After a restart, which address?" in text
    assert "  old: the old one" in text and "  new: the new one" in text
    assert 'guess.lock("old")' in text


def test_a_reveal_without_a_guess_says_only_the_engines_answer(guess, capsys):
    guess.reveal("new")
    assert capsys.readouterr().out == "The engine's answer: new (the new one).\n"


def test_a_locked_guess_is_kept_and_compared(guess, tmp_path, capsys):
    guess.lock("old")
    assert json.loads((tmp_path / "answers.json").read_text()) == {"predict:99-test:restart": "old"}
    guess.reveal("new")
    out = capsys.readouterr().out
    assert "You guessed old (the old one): the engine says otherwise" in out
    guess.lock("new")
    guess.reveal("new")
    assert capsys.readouterr().out.endswith("You guessed new: right.\n")


@pytest.mark.parametrize("bad", ["newest", ""])
def test_a_choice_that_is_not_offered_says_which_are(guess, bad):
    with pytest.raises(errors.LabError) as refused:
        guess.lock(bad)
    assert "'old', 'new'" in str(refused.value)
    with pytest.raises(errors.LabError):
        guess.reveal(bad)


def test_a_question_needs_two_choices():
    with pytest.raises(errors.LabError, match="at least two choices"):
        Prediction("99-test", "x", ["only"])


def test_the_widget_view_comes_with_the_text_form(guess):
    bundle = guess._repr_mimebundle_()
    assert bundle["text/plain"] == repr(guess)
    assert "application/vnd.jupyter.widget-view+json" in bundle
