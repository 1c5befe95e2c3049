"""The exercise judges with no engine: states recorded on a real engine (tests/unit/data/exercise-states.json,
written by tests/integration/test_exercises.py with DOCKERLAB_RECORD), canned cluster answers, and answers
to the questions — each judged as a careful instructor would."""
from __future__ import annotations

import json
from pathlib import Path

import pytest

from dockerlab.exercises import Attempt, all_tasks, find
from dockerlab.exercises.progress import table
from dockerlab.exercises.state import State
from dockerlab.exercises.task import HINT_STEPS, Question
from dockerlab.exercises.verdict import Outcome
from dockerlab.lessons import answers
from dockerlab.model.topology import Topology
from dockerlab.text import say

RECORDED = json.loads((Path(__file__).parent / "data" / "exercise-states.json").read_text())


@pytest.fixture(autouse=True)
def own_answers(tmp_path, monkeypatch):
    """Answers go to a file of the test's own."""
    monkeypatch.setenv("DOCKERLAB_ANSWERS", str(tmp_path / "answers.json"))


def empty(given: dict | None = None, probes=None) -> State:
    return State(Topology(None, [], [], []), {}, probes, given or {})


@pytest.mark.parametrize("record", RECORDED, ids=lambda r: f"{r['task']}-{r['case']}")
def test_a_recorded_state_gets_the_instructors_verdict(record):
    task = find(record["task"])
    verdict = task.verdict(State.recorded(record))
    assert verdict.outcome.value == record["outcome"], verdict.reason
    if record["hint"]:
        assert verdict.hint == record["hint"], verdict.reason
    assert verdict.reason and "{" not in verdict.reason
    ladder = task.hint_ladder()
    assert len(ladder) == 3 and all(step and "{" not in step for step in ladder)


def test_the_records_cover_every_engine_task_right_and_wrong():
    engine_tasks = {task.id for task in all_tasks() if task.names}
    for outcome in ("correct", "not yet"):
        assert engine_tasks <= {r["task"] for r in RECORDED if r["outcome"] == outcome}, outcome


def test_07_2_disconnecting_ex_api2_takes_it_out_of_the_rotation():
    """The verdict the issue names: `docker network disconnect ex-lb ex-api2` is a correct answer."""
    disconnected = [r for r in RECORDED if r["task"] == "07.2" and r["case"] == "right-0"]
    assert disconnected and find("07.2").verdict(State.recorded(disconnected[0])).correct
    assert "ex-api2" in disconnected[0]["statuses"]  # kept, running, just not behind the name


def test_09_2_tries_the_reach_that_shared_networks_only_suggest():
    """e9-db on e9-back alone, yet answering from e9-front (an engine without its isolation rules, an ACCEPT
    in DOCKER-USER): the database is not out of the web tier's reach, whatever the model says."""
    right = next(r for r in RECORDED if r["task"] == "09.2" and r["outcome"] == "correct")
    db = State.recorded(right).running("e9-db").interface_on("e9-back").ipv4.split("/")[0]
    reached = {**right, "ping": {**(right.get("ping") or {}), f"e9-front {db} 4": True}}
    verdict = find("09.2").verdict(State.recorded(reached))
    assert verdict.outcome is Outcome.NOT_YET and verdict.hint == "db-answers", verdict.reason
    assert db in verdict.reason
    # the throwaway container answers its own loopback, as every container does: e9-db's lo is not e9-db
    itself = {**right, "ping": {**(right.get("ping") or {}), "e9-front 127.0.0.1 4": True}}
    assert find("09.2").verdict(State.recorded(itself)).correct, find("09.2").verdict(State.recorded(itself)).reason


@pytest.mark.parametrize("task", [t for t in all_tasks() if isinstance(t, Question)], ids=lambda t: t.id)
def test_a_question_is_judged_by_its_answer(task):
    assert task.verdict(empty()).outcome is Outcome.NOT_ATTEMPTED
    assert task.verdict(empty({task.id: task.expected.upper()})).correct
    wrong = next(choice for choice in task.choices) if task.choices and task.choices[0] != task.expected \
        else (task.choices[1] if task.choices else "10.112.0.2")
    verdict = task.verdict(empty({task.id: wrong}))
    assert verdict.outcome is Outcome.NOT_YET and verdict.hint == "wrong"
    for key in task.choices:
        assert say(f"ex-{task.id}-choice-{key}")


def test_an_answer_given_is_kept_for_the_terminal_and_forgotten_on_reset(capsys):
    question = Attempt(find("01.3"), engine=None)
    assert question.answer("10.112.0.1").correct
    assert answers.load() == {"01.3": "10.112.0.1"} and question.verdict().correct
    question.reset()
    assert answers.load() == {} and question.verdict().outcome is Outcome.NOT_ATTEMPTED
    assert "forgotten" in capsys.readouterr().out


def test_the_hint_ladder_climbs_and_starts_again_for_a_new_verdict(capsys):
    task = Attempt(find("05.1"), engine=None)
    wrong = [r for r in RECORDED if r["task"] == "05.1" and r["outcome"] == "not yet"]
    by_hint = {r["hint"]: r for r in wrong}
    task.verdict(State.recorded(by_hint["db-moved"]))
    for _step in range(4):
        task.hint()
    said = capsys.readouterr().out.splitlines()
    shown = [line for line in said if line.startswith("Hint")]
    assert [line.split()[1] for line in shown] == ["1/3", "2/3", "3/3", "3/3"]
    assert "docker network disconnect e5-front e5-db" in shown[2]
    assert any("solution()" in line for line in said)
    task.verdict(State.recorded(by_hint["connect"]))
    task.hint()
    assert capsys.readouterr().out.startswith("Hint 1/3")


def test_every_task_speaks_from_the_catalogue():
    for task in all_tasks():
        assert task.title and task.statement, task.id
        for step in HINT_STEPS:
            assert say(f"ex-{task.id}-{step}"), (task.id, step)


class Nodes:
    """Canned answers of the lab cluster's engines: (node, words in the command) -> (exit code, output)."""

    def __init__(self, **answers):
        self.answers = answers

    def node(self, node: str, command: str) -> tuple[int, str]:
        for key, answer in self.answers.items():
            where, what = key.split("__")
            if where == node and all(word in command for word in what.split("_")):
                return answer
        return 1, ""


OVERLAY = {"node1__network inspect_Driver": (0, "overlay true 10.211.0.0/24\n")}
PLACED = {"node1__ps -a_e11-a": (0, "running e11-net\n"), "node3__ps -a_e11-b": (0, "running e11-net\n")}
SWAPPED = {"node3__ps -a_e11-a": (0, "running e11-net\n"), "node1__ps -a_e11-b": (0, "running e11-net\n")}
SERVICE = {"node1__service inspect_Replicas": (0, "3 vip\n"), "node1__network inspect_.Id": (0, "n1\n"),
           "node1__service inspect_VirtualIPs": (0, "ing=10.0.0.5/24 n1=10.211.0.9/24 \n"),
           "node1__service ps": (0, "Running 3 seconds ago\nRunning 2 seconds ago\nRunning 2 seconds ago\n"),
           "node1__nslookup e11-web": (0, "Server: 127.0.0.11\nAddress: 127.0.0.11:53\n\nName: e11-web\n"
                                          "Address: 10.211.0.9\n")}


@pytest.mark.parametrize("task_id, answers_, outcome, hint", [
    ("11.1", {}, Outcome.NOT_ATTEMPTED, "start"),
    ("11.1", OVERLAY, Outcome.CORRECT, ""),
    ("11.1", {"node1__network inspect": (0, "overlay false 10.211.0.0/24\n")}, Outcome.NOT_YET, "attachable"),
    ("11.1", {"node1__network inspect": (0, "bridge false 10.211.0.0/24\n")}, Outcome.NOT_YET, "driver"),
    ("11.1", {"node1__network inspect": (0, "overlay true 10.0.1.0/24\n")}, Outcome.NOT_YET, "subnet"),
    ("11.1", {"node3__network inspect_.Driver": (0, "bridge\n")}, Outcome.NOT_YET, "elsewhere"),
    ("11.2", {}, Outcome.NOT_ATTEMPTED, "start"),
    ("11.2", {**PLACED, "node1__ping": (0, "")}, Outcome.CORRECT, ""),
    ("11.2", {**PLACED, "node1__ping": (1, "")}, Outcome.NOT_YET, "no-reply"),
    ("11.2", {"node1__ps -a_e11-a": (0, "running e11-net\n")}, Outcome.NOT_YET, "not-on-node"),
    ("11.2", SWAPPED, Outcome.NOT_YET, "elsewhere"),
    ("11.2", {**PLACED, "node3__ps -a_e11-b": (0, "running ingress\n")}, Outcome.NOT_YET, "network"),
    ("11.2", {**PLACED, "node3__ps -a_e11-b": (0, "exited e11-net\n")}, Outcome.NOT_YET, "stopped-on-node"),
    ("11.3", {}, Outcome.NOT_ATTEMPTED, "start"),
    ("11.3", SERVICE, Outcome.CORRECT, ""),
    ("11.3", {**SERVICE, "node1__service inspect_Replicas": (0, "global vip\n")}, Outcome.CORRECT, ""),
    ("11.3", {**SERVICE, "node1__service inspect_Replicas": (0, "1 vip\n")}, Outcome.NOT_YET, "replicas"),
    ("11.3", {**SERVICE, "node1__service inspect_Replicas": (0, "3 dnsrr\n")}, Outcome.NOT_YET, "endpoint-mode"),
    ("11.3", {**SERVICE, "node1__service ps": (0, "Running 1 second ago\nPreparing\n")}, Outcome.NOT_YET, "starting"),
    ("11.3", {**SERVICE, "node1__service inspect_Replicas": (0, "global vip\n"),
              "node1__service ps": (0, "Running 1 second ago\nRunning 1 second ago\n")},
     Outcome.NOT_YET, "global-starting"),
    ("11.3", {**SERVICE, "node1__service inspect_VirtualIPs": (0, "ing=10.0.0.5/24 \n")}, Outcome.NOT_YET, "network"),
    ("11.3", {"node2__ps -a_e11-web": (0, "running bridge\n")}, Outcome.NOT_YET, "not-service"),
])
def test_the_cluster_tasks_read_the_nodes_engines(task_id, answers_, outcome, hint):
    verdict = find(task_id).verdict(empty(probes=Nodes(**answers_)))
    assert (verdict.outcome, verdict.hint if outcome is not Outcome.CORRECT else "") == (outcome, hint), verdict.reason
    assert "{" not in verdict.reason
    if outcome is Outcome.NOT_YET:
        assert len(set(find(task_id).hint_ladder(verdict, hint))) == 3, hint


def test_a_cluster_task_with_its_containers_on_other_nodes_says_where_they_are():
    """The verdict the issue names: e11-a and e11-b running, but on swapped nodes, is not "not attempted"."""
    verdict = find("11.2").verdict(empty(probes=Nodes(**SWAPPED)))
    assert verdict.reason == "e11-a runs on node3; the task asks for node1"


def test_the_progress_table_has_a_summary_and_a_row_per_task():
    report = {"learner": "ana", "host": "pc1", "tasks": [
        {"id": "01.1", "title": "Two", "outcome": "correct", "reason": "well done"},
        {"id": "01.2", "title": "A chosen address", "outcome": "not yet", "reason": "ex-fixed has 10.110.0.2"}]}
    lines = table(report).splitlines()
    assert lines[0].startswith("Exercises on this engine: 1 correct, 1 not yet, 0 not attempted, of 2")
    assert lines[2].split() == ["task", "title", "state", "why"]
    assert lines[3].startswith("01.1  Two               ✔ correct") and lines[4].endswith("ex-fixed has 10.110.0.2")


def test_the_answer_widget_gives_the_answer_it_shows(capsys):
    """The widget's state, asserted without a browser: pick, press, and the answer is kept and checked."""
    for task_id, given in (("07.3", "cached"), ("01.3", "10.112.0.1")):
        form = Attempt(find(task_id)).widget()
        field_, button, _ = form.children
        if task_id == "07.3":
            assert [key for _, key in field_.options] == find(task_id).choices and field_.value is None
        field_.value = given
        button.click()
        assert answers.load()[task_id] == given and Attempt(find(task_id)).verdict().correct
