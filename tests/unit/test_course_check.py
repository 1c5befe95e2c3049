"""The course check: the same questions before and after the course, kept with the answers, compared after."""
from __future__ import annotations

import json
import re

import pytest

from dockerlab.lessons import coursecheck
from dockerlab.lessons.coursecheck import QUESTIONS, Check
from dockerlab.text import in_every_language

ASKED = len(QUESTIONS)


@pytest.fixture
def kept(tmp_path, monkeypatch):
    """The answers file, read back."""
    path = tmp_path / "answers.json"
    monkeypatch.setenv("DOCKERLAB_ANSWERS", str(path))
    monkeypatch.setenv("DOCKERLAB_LANG", "en")
    return lambda: json.loads(path.read_text()) if path.exists() else {}


def typing(*answers: str):
    """A learner typing ``answers`` one by one into the boxes; the prompts they saw."""
    given, prompts = iter(answers), []
    return (lambda prompt: prompts.append(prompt) or next(given)), prompts


def test_every_question_has_its_messages_and_a_why_for_each_wrong_choice():
    for name, (choices, right) in QUESTIONS.items():
        assert right in choices and len(choices) >= 3
        wanted = [f"check-{name}", f"check-{name}-read"] + [f"check-{name}-{choice}" for choice in choices]
        wanted += [f"check-{name}-{choice}-why" for choice in choices if choice != right]
        for key in wanted:
            assert all(in_every_language(key)), key
        assert not any(f"check-{name}-{right}-why" in message for message in in_every_language(f"check-{name}")), name
    assert {right for _, right in QUESTIONS.values()} and len({choices.index(right) for choices, right
                                                               in QUESTIONS.values()}) > 1  # not always the 1st


def test_each_why_points_to_a_lesson_to_read_again():
    from dockerlab.text import say

    for name in QUESTIONS:
        assert re.search(r"lesson \d\d", say(f"check-{name}-read")), name


def test_typed_answers_are_kept_by_check_and_question(kept, capsys):
    read, prompts = typing("2", "x", "9", "2", "", "1", "3", "2", "2", "3")
    assert Check("before").ask(read=read)
    names = list(QUESTIONS)
    assert kept()[f"check:before:{names[0]}"] == QUESTIONS[names[0]][0][1]
    assert f"check:before:{names[2]}" not in kept()  # Enter alone: left unanswered, nothing kept
    assert all(key.startswith("check:before:") for key in kept())
    assert "'x' is not one of the choices" in prompts[2] and "'9' is not one of the choices" in prompts[3]
    out = capsys.readouterr().out
    assert "Question 3 is left unanswered." in out and f"Kept: {ASKED - 1} of {ASKED} answers. No score now" in out
    assert "✓" not in out and "✗" not in out  # before the course: no score, no right or wrong


def test_a_choice_is_shown_by_its_number_and_text_never_its_code_word(kept):
    from dockerlab.text import say

    lines = repr(Check("before")).splitlines()
    for name, (choices, _) in QUESTIONS.items():
        for number, choice in enumerate(choices, start=1):
            assert f"  {number}. {say(f'check-{name}-{choice}')}" in lines
    assert coursecheck.named("names", "no") == f"3. {say('check-names-no')}"


@pytest.mark.parametrize("number, choice, said", [
    (0, 1, "0 is not a question of this check: give its number, from 1 to 7."),
    ("two", 1, "'two' is not a question of this check"),
    (1, 4, "4 is not one of this question's choices: give its number, from 1 to 3."),
    (1, "yes", "'yes' is not one of this question's choices"),
])
def test_bad_input_is_a_course_message_never_a_traceback_and_nothing_is_lost(kept, capsys, number, choice, said):
    check = Check("after")
    check.keep(2, 1)
    check.keep(number, choice)
    assert said in capsys.readouterr().out
    assert kept() == {f"check:after:{list(QUESTIONS)[1]}": QUESTIONS[list(QUESTIONS)[1]][0][0]}


def test_where_no_one_can_type_the_forms_are_shown_and_nothing_waits(kept):
    from IPython.core.error import StdinNotImplementedError

    def refuse(prompt):
        raise StdinNotImplementedError("raw_input was called, but this frontend does not support input requests.")

    assert Check("before").ask(read=refuse) is False
    bundle = Check("before")._repr_mimebundle_()
    assert bundle["text/plain"].startswith("A check before you start")
    assert "application/vnd.jupyter.widget-view+json" in bundle


def answer(when: str, numbers: list[int | None]) -> None:
    for number, choice in enumerate(numbers, start=1):
        if choice is not None:
            Check(when).keep(number, choice)


def test_after_the_course_each_answer_is_beside_the_one_before_and_a_miss_says_what_to_read(kept):
    right = [QUESTIONS[name][0].index(QUESTIONS[name][1]) + 1 for name in QUESTIONS]
    wrong = [1 if number != 1 else 2 for number in right]
    answer("before", wrong)
    assert repr(Check("after").compare()).startswith("No answers after the course yet")
    answer("after", [*right[:-1], wrong[-1]])
    text = repr(Check("after").compare())
    assert text.splitlines()[0] == f"Before and after the course: 0 of {ASKED} right before, {ASKED - 1} of {ASKED} " \
                                   "right after."
    first = next(iter(QUESTIONS))
    assert f"  ✓ 1. {coursecheck.question(first)}" in text
    assert f"before: {coursecheck.named(first, QUESTIONS[first][0][wrong[0] - 1])} ✗" in text
    last = list(QUESTIONS)[-1]
    assert f"  ✗ {ASKED}. {coursecheck.question(last)}" in text
    tail = text.split(f"{ASKED}. ")[-1]
    assert "why not: " in tail and "the answer: " in tail and "read again: lesson 11" in tail
    assert text.count("read again:") == 1  # only the miss


def test_no_answers_before_is_said_and_scores_count_only_known_choices(kept):
    answer("after", [1] * ASKED)
    assert "(No answers from before the course" in repr(Check("after").compare())
    assert coursecheck.right({"names": "no", "dns": "docker0", "gone": "x"}) == 1
    assert coursecheck.given("after", {"check:after:names": "maybe"}) == {}


def test_again_forgets_only_its_own_answers(kept):
    answer("before", [1] * ASKED)
    answer("after", [2] * ASKED)
    Check("after").again()
    assert set(kept()) == {f"check:before:{name}" for name in QUESTIONS}
    assert coursecheck.kept() == {"before": {name: QUESTIONS[name][0][0] for name in QUESTIONS}, "after": {}}


def test_a_korean_check_speaks_korean(kept, monkeypatch):
    monkeypatch.setenv("DOCKERLAB_LANG", "ko")
    text = repr(Check("before"))
    assert "점수도 부담도 없습니다" in text and "\n  1. 닿는다." in text
    assert coursecheck.named("names", "no").startswith("3번, ")


def test_the_browser_test_knows_a_check_question_by_its_prompt_in_both_languages():
    """tests/browser answers the course check's boxes apart from the predictions' by a piece of ``check-type``."""
    from tests.browser.conftest import CHECK

    for language, piece in CHECK.items():
        from dockerlab.text import _catalog

        assert piece in _catalog(language)["check-type"]
        assert piece not in _catalog(language)["predict-type"]


def test_the_first_typed_question_says_what_the_check_is(kept):
    read, prompts = typing(*[""] * ASKED)
    assert Check("before").ask(read=read)
    assert prompts[0].startswith("A check before you start") and "No score, no stakes" in prompts[0]
    assert prompts[1].startswith("2/7. ") and kept() == {}


def test_the_korean_check_has_no_english_sentence():
    """What the Korean check prints (questions, choices, whys, where to read) reads as Korean: a command in code."""
    from dockerlab.text import _catalog
    from tests.prose import english_prose

    korean = {key: text for key, text in _catalog("ko").items() if key.startswith("check-")}
    assert len(korean) > 5 * ASKED
    assert {key: english_prose(text) for key, text in korean.items() if english_prose(text)} == {}
