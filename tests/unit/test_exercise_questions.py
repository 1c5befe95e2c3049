"""The questions accept every form of the right answer a teacher would accept, and say why a wrong one is wrong."""
from __future__ import annotations

import pytest

from dockerlab.exercises import all_tasks, find
from dockerlab.exercises.answering import addresses, words
from dockerlab.exercises.state import State
from dockerlab.exercises.task import Question
from dockerlab.exercises.verdict import Outcome
from dockerlab.model.topology import Topology
from dockerlab.text import in_every_language, say

QUESTIONS = [task for task in all_tasks() if isinstance(task, Question)]


def judged(task_id: str, given: str):
    return find(task_id).verdict(State(Topology(None, [], [], []), {}, None, {task_id: given}))


@pytest.mark.parametrize("given", [
    "10.112.0.1", "10.112.0.1/24", " 10.112.0.1 ", "The first container gets 10.112.0.1.",
    "10.112.0.1 — the gateway took .254", "첫 컨테이너는 10.112.0.1을 받습니다",
])
def test_the_address_question_accepts_the_address_in_any_form(given):
    assert judged("01.3", given).correct, given


@pytest.mark.parametrize("given, reason", [
    ("10.112.0.254", "the gateway's address"),
    ("10.112.0.0", "the network's own address"),
    ("10.112.0.255", "broadcast address"),
    ("10.112.0.2", "when the gateway takes .1"),
    ("10.112.0.7", "not the first address handed out"),
    ("10.113.0.1", "not in the network 10.112.0.0/24"),
    ("10.112.0.1/16", "/16 is not the prefix length"),
    ("10.112.0.1 or 10.112.0.2", "several addresses (10.112.0.1, 10.112.0.2)"),
    ("the first free one", "names no address"),
])
def test_a_wrong_address_says_why_it_is_wrong(given, reason):
    verdict = judged("01.3", given)
    assert verdict.outcome is Outcome.NOT_YET and verdict.hint == "wrong"
    assert reason in verdict.reason and "{" not in verdict.reason, verdict.reason


def test_addresses_are_read_in_every_spelling_of_ipv4_and_ipv6():
    assert [str(a) for a, _ in addresses("FD23:0::B0/64, and fe80::1%eth0 then 10.0.0.1.")] == \
        ["fd23::b0", "fe80::1", "10.0.0.1"]
    assert [length for _, length in addresses("fd23::b0/64 10.0.0.1")] == [64, None]
    assert addresses("version 1.2, at 10:30, pi 3.14, cafe") == []


@pytest.mark.parametrize("task", [q for q in QUESTIONS if q.choices], ids=lambda task: task.id)
def test_a_choice_is_accepted_by_its_key_or_its_text_in_either_language(task):
    right = [task.expected, task.expected.upper(), f"  {task.expected} "]
    right += in_every_language(f"ex-{task.id}-choice-{task.expected}")
    english = say(f"ex-{task.id}-choice-{task.expected}")
    right += [english.upper(), f"I think: {english}.", f"“{english.lower()}”"]
    for given in right:
        assert judged(task.id, given).correct, given


@pytest.mark.parametrize("task", [q for q in QUESTIONS if q.choices], ids=lambda task: task.id)
def test_every_wrong_choice_says_why_it_is_wrong(task):
    for key in task.choices:
        if key == task.expected:
            continue
        for given in (key, *in_every_language(f"ex-{task.id}-choice-{key}")):
            verdict = judged(task.id, given)
            assert verdict.outcome is Outcome.NOT_YET and verdict.hint == "wrong", given
            assert verdict.reason.startswith(f"“{say(f'ex-{task.id}-choice-{key}')}”: no"), verdict.reason
    verdict = judged(task.id, "something else entirely")
    assert verdict.outcome is Outcome.NOT_YET and "none of the choices" in verdict.reason


def test_words_ignore_case_spacing_and_punctuation():
    assert words("  The PORT is published on 127.0.0.1 — only! ") == "the port is published on 127 0 0 1 only"
    assert words("ＣＡＣＨＥＤ") == "cached"


def test_a_sentence_naming_two_choices_is_not_taken_for_either():
    task = find("07.3")
    both = " and ".join(say(f"ex-07.3-choice-{key}") for key in ("cached", "dns-still"))
    assert judged(task.id, both).outcome is Outcome.NOT_YET
