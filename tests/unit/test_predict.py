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
    assert capsys.readouterr().out == "The engine's answer: 2. the new one.\nYou did not predict this one.\n"


def test_a_locked_guess_is_kept_and_compared(guess, tmp_path, capsys):
    guess.lock("old")
    assert json.loads((tmp_path / "answers.json").read_text()) == {"predict:99-test:restart": "old"}
    guess.reveal("new")
    out = capsys.readouterr().out
    assert "You guessed 1 (the old one): the engine says otherwise" in out
    guess.lock("new")
    guess.reveal("new")
    assert capsys.readouterr().out.endswith("You guessed 2: right.\n")


@pytest.mark.parametrize("bad", ["newest", "", "3", 0])
def test_a_choice_that_is_not_offered_says_which_are(guess, bad):
    with pytest.raises(errors.LabError) as refused:
        guess.lock(bad)
    assert "from 1 to 2" in str(refused.value)
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
    assert "Locked in: 2. the new one." in capsys.readouterr().out


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


def test_in_korean_a_choice_is_named_by_its_number_and_text_never_by_its_code_word(guess, monkeypatch, capsys):
    monkeypatch.setenv("DOCKERLAB_LANG", "ko")
    monkeypatch.setitem(_catalog("ko"), "x", "x")
    for key, text in {"predict-99-test-restart-old": "예전 주소", "predict-99-test-restart-new": "새 주소"}.items():
        monkeypatch.setitem(_catalog("ko"), key, text)
    guess.lock(1)
    guess.reveal("new")
    out = capsys.readouterr().out
    assert "확정했습니다: 1번, 예전 주소." in out and "엔진의 답: 2번, 새 주소." in out
    assert "1번(“예전 주소”)이었습니다" in out
    assert "old" not in out and "new" not in out


def test_a_guess_kept_from_choices_the_lesson_no_longer_offers_counts_as_none(guess, tmp_path, capsys):
    (tmp_path / "answers.json").write_text(json.dumps({"predict:99-test:restart": "older"}))
    guess.reveal("new")
    assert capsys.readouterr().out == "The engine's answer: 2. the new one.\nYou did not predict this one.\n"


def test_the_review_puts_each_guess_beside_the_engines_answer(guess, tmp_path):
    from dockerlab.lessons.review import review

    other = Prediction("99-test", "restart", ["old", "new"])     # asked twice in one run: reviewed once
    assert review([]) == ""
    guess.reveal("new")
    assert review([guess, other]).startswith("No predictions this time (1 asked in this lesson).")
    guess.lock("old")   # after the answer: a late guess, not a prediction
    assert review([guess]).startswith("No predictions this time")
    (tmp_path / "answers.json").write_text(json.dumps({"predict:99-test:restart": "old",
                                                       "shown:99-test:restart": "new"}))
    assert review([guess]) == ("Your predictions beside the engine's answers (0 of 1 right):\n"
                               "  ✗ After a restart, which address?\n      you: 1. the old one\n"
                               "      the engine: 2. the new one")
    (tmp_path / "answers.json").write_text(json.dumps({"predict:99-test:restart": "new",
                                                       "shown:99-test:restart": "new"}))
    assert review([guess]).endswith("(1 of 1 right):\n  ✓ After a restart, which address?\n"
                                    "      you and the engine: 2. the new one")
    (tmp_path / "answers.json").write_text(json.dumps({"predict:99-test:restart": "new"}))
    assert review([guess]).endswith("  ? After a restart, which address?\n      you: 2. the new one\n"
                                    "      the engine: not shown yet (its cell has not run)")
