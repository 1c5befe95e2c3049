"""What a gradebook needs, kept beside the answers; the progress and its CSV; how a solve runs and is labelled."""
from __future__ import annotations

import csv
import io
import json

import pytest

from dockerlab import labels, waiting
from dockerlab.exercises import Attempt, all_tasks, find, gradebook
from dockerlab.exercises.hostwork import _parse, look_command
from dockerlab.exercises.progress import CSV_COLUMNS, csv_rows, progress, room_csv, table, to_csv
from dockerlab.exercises.solving import creates, labelled, steps
from dockerlab.exercises.state import RecordedProbes, State
from dockerlab.lessons import answers
from dockerlab.model.topology import Topology


@pytest.fixture(autouse=True)
def own_answers(tmp_path, monkeypatch):
    """Answers and the record go to a folder of the test's own."""
    monkeypatch.setenv("DOCKERLAB_ANSWERS", str(tmp_path / "answers.json"))


def nothing_on_the_engine() -> State:
    return State(Topology(None, [], [], []), {}, RecordedProbes({}), answers.load())


def test_the_record_sits_beside_the_answers_and_nowhere_else(tmp_path):
    gradebook.checked("04.1", correct=False)
    answers.save("01.3", "10.112.0.1")
    assert sorted(path.name for path in tmp_path.iterdir()) == ["answers.attempts.json", "answers.json"]
    assert json.loads((tmp_path / "answers.attempts.json").read_text())["04.1"]["attempts"] == 1


def test_attempts_are_counted_and_the_first_correct_one_is_dated():
    gradebook.checked("04.1", correct=False)
    gradebook.checked("04.1", correct=True)
    first = gradebook.entry("04.1")["first_correct"]
    gradebook.checked("04.1", correct=True)
    assert gradebook.entry("04.1") == {"attempts": 3, "first_correct": first, "solved_by_course": None}
    assert first.endswith("Z") and len(first) == 20


def test_a_solve_is_recorded_until_the_task_starts_again_or_the_learner_changes_it():
    gradebook.solved("05.1")
    gradebook.checked("05.1", correct=True)
    assert gradebook.entry("05.1")["solved_by_course"] and not gradebook.entry("05.1")["first_correct"]
    gradebook.checked("05.1", correct=False)  # changed since: a later correct check is the learner's
    assert gradebook.entry("05.1")["solved_by_course"] is None
    gradebook.solved("05.2")
    gradebook.started_again("05.2")
    assert gradebook.entry("05.2")["solved_by_course"] is None


def test_a_question_checked_and_solved_shows_in_the_progress_and_its_csv(capsys):
    question = Attempt(find("07.3"))
    question.answer("dns-still")
    question.answer("The client kept the old answer and does not ask DNS again")
    Attempt(find("01.3")).solve()
    report = progress(None, nothing_on_the_engine())
    by_id = {task["id"]: task for task in report["tasks"]}
    assert [task["id"] for task in report["tasks"]] == [task.id for task in all_tasks()]
    assert by_id["07.3"]["attempts"] == 2 and by_id["07.3"]["first_correct"]
    assert not by_id["07.3"]["solved_by_course"] and by_id["01.3"]["solved_by_course"]
    assert "1 of the correct ones were solved by the course" in table(report).splitlines()[0]
    rows = list(csv.DictReader(io.StringIO(to_csv(csv_rows(report)))))
    graded = {row["task"]: row for row in rows}
    assert list(rows[0]) == CSV_COLUMNS and len(rows) == len(all_tasks())
    assert (graded["07.3"]["outcome"], graded["07.3"]["attempts"]) == ("correct", "2")
    assert (graded["01.3"]["outcome"], graded["01.3"]["attempts"], graded["01.3"]["first_correct"]) == \
        ("solved by the course", "0", "")
    assert graded["04.1"]["outcome"] == "not attempted"
    assert "Task 01.3, answered by the course: 10.112.0.1" in capsys.readouterr().out


def test_a_rooms_csv_names_each_learner_once_per_task_with_one_header():
    ana = {"learner": "jovyan", "tasks": [{"id": "01.1", "title": "Two, on the bridge", "outcome": "correct",
                                          "attempts": 2, "first_correct": "2025-05-01T09:30:00Z"}]}
    ben = {"learner": "jovyan", "tasks": [{"id": "01.1", "title": "Two, on the bridge", "outcome": "not yet"}]}
    text = room_csv({"ana": ana, "ben": ben})
    assert text.splitlines()[0] == ",".join(CSV_COLUMNS) and "\r\n" in text
    assert list(csv.reader(io.StringIO(text)))[1:] == [
        ["ana", "01.1", "Two, on the bridge", "correct", "2", "2025-05-01T09:30:00Z"],
        ["ben", "01.1", "Two, on the bridge", "not yet", "0", ""]]
    assert [row["learner"] for row in csv.DictReader(io.StringIO(room_csv([ana, ben])))] == ["jovyan", "jovyan"]


def test_a_solve_runs_the_solution_labelled_as_the_courses():
    assert steps(find("11.1"))[0][::2] == ("node", "node1")
    assert [where for where, _, _ in steps(find("12.1"))] == ["host"] * len(find("12.1").commands)
    assert steps(find("01.3")) == []
    assert labelled("docker run -d --name ex-a dockerlab/busybox sleep 1d", "01.1") == \
        f"docker run --label {labels.SOLVED}=01.1 -d --name ex-a dockerlab/busybox sleep 1d"
    assert labelled("network create --subnet 10.0.0.0/24 x", "04.1").startswith(
        f"network create --label {labels.SOLVED}=04.1 --subnet")
    assert labelled("network connect e5-back e5-app", "05.1") == "network connect e5-back e5-app"
    assert [task.id for task in all_tasks() if task.reads_engine and not creates(task)] == \
        ["05.1", "05.2", "07.2", "09.2"]


HOST_VIEW = "\n".join([
    "@ns dockerlab-ex12-red",
    "1: lo: <LOOPBACK,UP,LOWER_UP> mtu 65536 qdisc noqueue state UNKNOWN mode DEFAULT group default qlen 1000",
    "2: eth0@if9: <BROADCAST,MULTICAST,UP,LOWER_UP> mtu 1500 qdisc noqueue state UP mode DEFAULT group default"
    " qlen 1000\\    link/ether 6a:1b:2c:3d:4e:5f brd ff:ff:ff:ff:ff:ff link-netnsid 0",
    "@addr",
    "2: eth0    inet 10.222.2.2/24 scope global eth0\\       valid_lft forever preferred_lft forever",
    "@routes",
    "default via 10.222.2.1 dev eth0",
    "10.222.2.0/24 dev eth0 proto kernel scope link src 10.222.2.2",
    "@host",
    "8: dl-ex12-br: <BROADCAST,MULTICAST,UP,LOWER_UP> mtu 1500 qdisc noqueue state UP mode DEFAULT group default"
    " qlen 1000\\    link/ether 1a:2b:3c:4d:5e:6f brd ff:ff:ff:ff:ff:ff\\    alias dockerlab:ex12",
    "9: dl-ex12-red@if2: <BROADCAST,MULTICAST,UP,LOWER_UP> mtu 1500 qdisc noqueue master dl-ex12-br state UP"
    " mode DEFAULT group default qlen 1000\\    link/ether 2a:2b:3c:4d:5e:6f brd ff:ff:ff:ff:ff:ff"
    " link-netns dockerlab-ex12-red",
    "@host-addr",
    "8: dl-ex12-br    inet 10.222.2.1/24 scope global dl-ex12-br\\       valid_lft forever preferred_lft forever",
    "@bridges",
    " docker0",
    " dl-ex12-br",
    "@rules",
    "-P DOCKER-USER ACCEPT",
    '-A DOCKER-USER -i dl-ex12-br -o dl-ex12-br -m comment --comment "dockerlab:ex12" -j ACCEPT',
    "@forward",
    "-P FORWARD DROP",
    "-A FORWARD -j DOCKER-USER",
])


def test_the_host_view_reads_namespaces_links_addresses_routes_and_rules():
    view = _parse(HOST_VIEW)
    red = view.spaces["dockerlab-ex12-red"]
    assert red.having("10.222.2.2") == "eth0" and red.links["eth0"].peer == "if9" and red.links["eth0"].up
    assert red.routes[0].startswith("default via 10.222.2.1 ")
    bridge, port = view.host.links["dl-ex12-br"], view.host.links["dl-ex12-red"]
    assert (bridge.kind, bridge.alias, view.host.having("10.222.2.1")) == ("bridge", "dockerlab:ex12", "dl-ex12-br")
    assert (port.index, port.master, port.kind) == (9, "dl-ex12-br", "")
    assert view.rules[1].endswith("-j ACCEPT") and len(view.rules) == 2 and view.forward_policy == "DROP"
    assert "grep '^dockerlab-ex12-'" in look_command("ex12")


class _Node:
    """A lab cluster's node engine that refuses ``docker network rm`` while a removed service's tasks shut down."""

    def __init__(self, busy_for: int):
        self.busy_for, self.ran = busy_for, []

    def exec(self, node, command):
        self.ran.append((node, command[-1]))
        if command[-1].startswith("docker network rm") and self.busy_for > 0:
            self.busy_for -= 1
            return 1, ("Error response from daemon: rpc error: code = FailedPrecondition desc = "
                       "network x is in use by task y")
        return 0, ""


def test_a_cluster_task_starts_again_once_the_service_it_removed_has_let_go_of_its_network(monkeypatch):
    from dockerlab.exercises import attempt
    from dockerlab.exercises.sheets import ex11

    clock = [0.0]
    monkeypatch.setattr(attempt, "_until_gone", lambda task, engine: None)
    monkeypatch.setattr(waiting.time, "monotonic", lambda: clock[0])
    monkeypatch.setattr(waiting.time, "sleep", lambda seconds: clock.__setitem__(0, clock[0] + seconds))
    node = _Node(busy_for=3)
    attempt.reset_task(ex11.q1, node)
    removals = [command for name, command in node.ran if name == "dl-node1" and command.startswith("docker network rm")]
    assert removals == ["docker network rm e11-net"] * 4  # refused three times, then removed
    never = _Node(busy_for=10**6)
    attempt.reset_task(ex11.q1, never)  # gives up after 30 s a node, does not hang
    assert 3 * 60 <= sum(command.startswith("docker network rm") for _, command in never.ran) <= 3 * 62


def test_a_cluster_task_reset_does_not_retry_what_failed_for_another_reason(monkeypatch):
    from dockerlab.exercises import attempt
    from dockerlab.exercises.sheets import ex11

    class Gone(_Node):
        def exec(self, node, command):
            self.ran.append((node, command[-1]))
            return 1, "Error response from daemon: network e11-net not found"

    monkeypatch.setattr(attempt, "_until_gone", lambda task, engine: None)
    node = Gone(busy_for=0)
    attempt.reset_task(ex11.q1, node)
    assert len(node.ran) == len(ex11.q1.undo)


def _state_with(containers: list[dict], networks: list[str]):
    from dockerlab.exercises.state import State, marks_of
    from dockerlab.model.topology import Network, Topology

    topology = Topology(None, [Network(name, "bridge", None, None, None) for name in networks], [], [])
    return State(topology, {c["Names"][0].lstrip("/"): c["State"] for c in containers}, None, {},
                 marks_of(containers))


def _container(name: str, cid: str, endpoints: dict[str, str]) -> dict:
    return {"Id": cid, "Names": [f"/{name}"], "State": "running",
            "NetworkSettings": {"Networks": {net: {"EndpointID": ep} for net, ep in endpoints.items()}}}


def test_a_task_prepared_by_the_course_is_not_attempted_until_its_objects_change(monkeypatch):
    """05.2 starts from 05.1's result, which its judge alone calls not yet (the address is not .50)."""
    from dockerlab.exercises import prepared
    from dockerlab.exercises.sheets import ex05
    from dockerlab.exercises.verdict import NotYet, Outcome

    def not_50(state, *args):
        raise NotYet("address")

    monkeypatch.setattr(ex05, "address", not_50)
    as_left = [_container("e5-app", "a1", {"e5-front": "ep1", "e5-back": "ep2"}),
               _container("e5-db", "d1", {"e5-back": "ep3"})]
    networks = ["e5-front", "e5-back"]
    prepared.forget("05.2")
    assert ex05.q2.verdict(_state_with(as_left, networks)).outcome is Outcome.NOT_YET  # never prepared
    prepared.remember("05.2", _state_with(as_left, networks).fingerprint(ex05.q2.names))
    try:
        untouched = ex05.q2.verdict(_state_with(as_left, networks))
        assert untouched.outcome is Outcome.NOT_ATTEMPTED and "prepared" in untouched.reason
        reconnected = [_container("e5-app", "a1", {"e5-front": "ep1", "e5-back": "ep9"}), as_left[1]]
        assert ex05.q2.verdict(_state_with(reconnected, networks)).outcome is Outcome.NOT_YET  # the learner's try
        made_again = [_container("e5-app", "a2", {"e5-front": "ep1", "e5-back": "ep2"}), as_left[1]]
        assert ex05.q2.verdict(_state_with(made_again, networks)).outcome is Outcome.NOT_YET
        recorded = _state_with(as_left, networks)
        recorded.marks = None  # a recorded state has no marks: judged as always
        assert ex05.q2.verdict(recorded).outcome is Outcome.NOT_YET
    finally:
        prepared.forget("05.2")


def test_a_cluster_task_reset_waits_until_its_check_finds_nothing_of_it(monkeypatch):
    """A swarm network removed with ``docker network rm`` is still listed on a node for a few seconds."""
    from dockerlab.exercises import attempt
    from dockerlab.exercises.verdict import Outcome, Verdict

    clock = [0.0]
    monkeypatch.setattr(waiting.time, "monotonic", lambda: clock[0])
    monkeypatch.setattr(waiting.time, "sleep", lambda seconds: clock.__setitem__(0, clock[0] + seconds))
    monkeypatch.setattr(attempt.State, "of", classmethod(lambda cls, engine: None))

    class Lingering:
        def __init__(self, for_seconds):
            self.until = for_seconds

        def verdict(self, state):
            return Verdict(Outcome.CORRECT if clock[0] < self.until else Outcome.NOT_ATTEMPTED)

    attempt._until_gone(Lingering(5), engine=None)
    assert clock[0] == 5
    clock[0] = 0.0
    attempt._until_gone(Lingering(10**6), engine=None)  # gives up
    assert 30 <= clock[0] <= 31


def test_a_solve_waits_while_the_check_says_what_it_started_is_on_its_way(monkeypatch):
    """``docker service create -d`` returns before the replicas run: the check after a solve waits for them."""
    from dockerlab.exercises import solving
    from dockerlab.exercises.verdict import Outcome, Verdict

    clock = [0.0]
    monkeypatch.setattr(waiting.time, "monotonic", lambda: clock[0])
    monkeypatch.setattr(waiting.time, "sleep", lambda seconds: clock.__setitem__(0, clock[0] + seconds))
    starting = Verdict(Outcome.NOT_YET, "only 1 of 3 replicas", "starting", {"up": 1}, settling=True)
    wrong = Verdict(Outcome.NOT_YET, "not on the overlay", "network")
    answers = iter([starting, starting, Verdict(Outcome.CORRECT)])
    monkeypatch.setattr(solving, "_verdict", lambda task, lab: next(answers))
    assert solving._settled(None, None).correct and clock[0] == 2
    clock[0] = 0.0
    monkeypatch.setattr(solving, "_verdict", lambda task, lab: wrong)
    assert solving._settled(None, None) is wrong and clock[0] == 0  # a wrong state is not waited on
    monkeypatch.setattr(solving, "_verdict", lambda task, lab: starting)
    assert solving._settled(None, None).settling and 60 <= clock[0] <= 61  # gives up
