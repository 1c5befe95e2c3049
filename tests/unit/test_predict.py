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
    assert "  1. the old one" in text and "  2. the new one" in text
    assert "guess.lock(1)" in text


def test_a_reveal_without_a_guess_says_only_the_engines_answer(guess, capsys):
    guess.reveal("new")
    assert capsys.readouterr().out == "The engine's answer: new (the new one).\nYou did not predict this one.\n"


def test_a_locked_guess_is_kept_and_compared(guess, tmp_path, capsys):
    guess.lock("old")
    assert json.loads((tmp_path / "answers.json").read_text()) == {"predict:99-test:restart": "old"}
    guess.reveal("new")
    out = capsys.readouterr().out
    assert "You guessed old (the old one): the engine says otherwise" in out
    guess.lock("new")
    guess.reveal("new")
    assert capsys.readouterr().out.endswith("You guessed new: right.\n")


@pytest.mark.parametrize("bad", ["newest", "", "3", 0])
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


def test_in_jupyterlab_the_question_waits_for_a_typed_answer(guess, tmp_path, capsys):
    """Run All cannot skip it: the cell asks (as input() does) and the next cells wait for the answer."""
    asked = []
    typed = iter(["3", "new"])
    assert guess.ask(read=lambda prompt: asked.append(prompt) or next(typed))
    assert "1. the old one" in asked[0] and "2. the new one" in asked[0] and "old: " not in asked[0]
    assert "'3' is not one of the choices" in asked[1]
    assert json.loads((tmp_path / "answers.json").read_text()) == {"predict:99-test:restart": "new"}
    assert "Locked in: new" in capsys.readouterr().out


def test_enter_alone_shows_the_answer_without_predicting(guess, capsys):
    assert guess.ask(read=lambda prompt: "")
    assert "No prediction this time" in capsys.readouterr().out and guess.guessed() is None


def test_where_no_one_can_type_the_widget_is_shown_instead(guess):
    from IPython.core.error import StdinNotImplementedError

    def refuse(prompt):
        raise StdinNotImplementedError("raw_input was called, but this frontend does not support input requests.")

    assert guess.ask(read=refuse) is False


def test_a_guess_after_the_answer_is_kept_as_late_never_as_a_prediction(guess, tmp_path, capsys):
    guess.reveal("new")
    assert "You did not predict this one." in capsys.readouterr().out
    guess.lock("new")
    kept = json.loads((tmp_path / "answers.json").read_text())
    assert "predict:99-test:restart" not in kept and kept["late:99-test:restart"] == "new"
    assert "kept as a late guess, not as a prediction" in capsys.readouterr().out
    assert guess.guessed() is None


def test_the_options_do_not_repeat_their_key(guess):
    form = guess.widget()
    options = form.children[1].options
    assert [text for text, _ in options] == ["the old one", "the new one"]


def test_lock_in_with_nothing_chosen_says_so(guess):
    from dockerlab.lessons import form as form_module

    button = guess.widget().children[2]

    printed = []
    form_module.print = printed.append  # type: ignore[attr-defined]
    try:
        button.click()
    finally:
        del form_module.print  # type: ignore[attr-defined]
    assert printed == ["Choose an answer first, then press the button."]
