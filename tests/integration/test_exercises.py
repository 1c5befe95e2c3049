"""Every exercise: its solution is correct, realistic wrong states get the matching hint, and another
correct way (the plain docker CLI, other orders and options) is accepted too."""
from __future__ import annotations

import importlib
import shlex
import subprocess

import pytest

from dockerlab import cleanup
from dockerlab.checks import Outcome
from dockerlab.exercises import all_tasks, find
from dockerlab.lesson import Lab

SERVE = "sh -c 'echo hi > /var/www/index.html; httpd -f -p 80 -h /var/www'"
SLEEP = "dockerlab/busybox sleep 1d"

# task id -> (wrong states: [(commands, expected hint)], alternative correct solutions: [commands])
CASES = {
    "01.1": ([(["run -d --name ex-a " + SLEEP], "missing"),
              (["network create ex-other", "run -d --name ex-a " + SLEEP,
                "run -d --name ex-b --network ex-other " + SLEEP], "default-bridge"),
              (["run -d --name ex-a " + SLEEP, "run -d --name ex-b " + SLEEP, "stop ex-b"], "stopped")],
             [["run -d --name ex-b --network bridge " + SLEEP, "run -d --name ex-a --network bridge " + SLEEP]]),
    "01.2": ([(["network create --subnet 10.111.0.0/24 ex-fixed-net",
                "run -d --name ex-fixed --network ex-fixed-net --ip 10.111.0.50 " + SLEEP], "subnet"),
              (["network create --subnet 10.110.0.0/24 ex-fixed-net",
                "run -d --name ex-fixed --network ex-fixed-net " + SLEEP], "address")],
             [["network create --subnet 10.110.0.0/24 --ip-range 10.110.0.128/25 ex-fixed-net",
               "run -d --name ex-fixed " + SLEEP, "network connect --ip 10.110.0.50 ex-fixed-net ex-fixed"]]),
    "02.1": ([(["network create ex-v-net", "run -d --name ex-v1 " + SLEEP], "second"),
              (["network create ex-v-net", "run -d --name ex-v1 --network ex-v-net " + SLEEP], "second")],
             [["network create --subnet 10.180.0.0/24 ex-v-net", "run -d --name ex-v1 --network ex-v-net " + SLEEP,
               "network connect bridge ex-v1"]]),
    "02.2": ([(["network create ex-v-net", "run -d --name ex-v1 --network ex-v-net " + SLEEP,
                "run -d --name ex-v2 " + SLEEP], "same-network"),
              (["network create ex-v-net", "run -d --name ex-v1 --network ex-v-net " + SLEEP,
                "run -d --name ex-v2 --network container:ex-v1 " + SLEEP], "shares")],
             [["network create ex-v-net", "run -d --name ex-v1 " + SLEEP, "network connect ex-v-net ex-v1",
               "run -d --name ex-v2 " + SLEEP, "network connect ex-v-net ex-v2"]]),
    "03.1": ([(["run -d --name ex-none " + SLEEP], "none"),
              (["run -d --name ex-none --network none " + SLEEP, "stop ex-none"], "stopped")],
             [["run -d --name ex-none --network none dockerlab/busybox sh -c 'sleep 1d'"]]),
    "03.2": ([(["run -d --name ex-main " + SLEEP, "run -d --name ex-side " + SLEEP], "separate"),
              (["run -d --name ex-side " + SLEEP], "missing")],
             [["network create ex-n", "run -d --name ex-main --network ex-n " + SLEEP,
               "run -d --name ex-side --network container:ex-main " + SLEEP]]),
    "03.3": ([(["run -d --name ex-h -p 127.0.0.1:18111:80 " + SERVE.replace("sh -c", "dockerlab/busybox sh -c")],
               "ports-not-host"),
              (["run -d --name ex-h --network none " + SLEEP], "host")],
             [["run -d --name ex-h --network host dockerlab/busybox sh -c 'sleep 1d'"]]),
    "04.1": ([(["network create --subnet 10.122.0.0/24 ex-net"], "subnet"),
              (["network create --subnet 10.120.0.0/24 ex-net"], "gateway")],
             [["network create --driver bridge --gateway 10.120.0.254 --subnet 10.120.0.0/24 "
               "--ip-range 10.120.0.0/25 ex-net"]]),
    "04.2": ([(["network create --subnet 10.120.0.0/24 ex-net", "network create --subnet 10.121.0.0/24 ex-net2",
                "run -d --name ex-i1 --network ex-net " + SLEEP, "run -d --name ex-i2 --network ex-net2 " + SLEEP,
                "network connect ex-net ex-i2"], "shared"),
              (["network create --subnet 10.120.0.0/24 ex-net", "network create --subnet 10.121.0.0/24 ex-net2",
                "run -d --name ex-i1 --network ex-net " + SLEEP, "run -d --name ex-i2 --network ex-net " + SLEEP],
               "network")],
             [["network create --subnet 10.120.0.0/24 ex-net", "network create --subnet 10.121.0.0/24 ex-net2",
               "run -d --name ex-i2 " + SLEEP, "network connect ex-net2 ex-i2", "network disconnect bridge ex-i2",
               "run -d --name ex-i1 --network ex-net " + SLEEP]]),
    "05.1": ([(["network create --subnet 10.130.3.0/24 e5-third", "network connect e5-third e5-app"], "connect"),
              (["network connect e5-back e5-app", "network disconnect e5-front e5-app"], "keep-front"),
              (["network connect e5-back e5-app", "network connect e5-front e5-db"], "db-moved")],
             [["network disconnect e5-front e5-app", "network connect e5-back e5-app",
               "network connect e5-front e5-app"]]),
    "05.2": ([(["network connect e5-back e5-app"], "address"),
              (["network create --subnet 10.130.3.0/24 e5-third", "network connect e5-third e5-app"], "network")],
             [["network connect --ip 10.130.2.50 e5-back e5-app"]]),
    "06.1": ([(["run -d --name e6-web --network e6-dns " + SLEEP], "alias"),
              (["network create --subnet 10.151.0.0/24 e6-other",
                "run -d --name e6-web --network e6-other --network-alias shop " + SLEEP], "network")],
             [["run -d --name e6-web " + SLEEP, "network connect --alias shop e6-dns e6-web"]]),
    "06.2": ([(["run -d --name e6-db " + SLEEP, "run -d --name e6-app --link e6-db:database " + SLEEP], "link"),
              (["run -d --name e6-db --network e6-dns " + SLEEP], "alias")],
             [["run -d --name database-server --network e6-dns " + SLEEP,
               "run -d --name e6-db --network e6-dns --network-alias database --network-alias db " + SLEEP]]),
    "07.1": ([(["run -d --name ex-api1 --network ex-lb --network-alias api " + SLEEP,
                "run -d --name ex-api2 --network ex-lb --network-alias api " + SLEEP], "three"),
              ([f"run -d --name ex-api{i} --network ex-lb --network-alias api " + SLEEP for i in (1, 2, 3)]
               + ["stop ex-api3"], "three")],
             [[f"run -d --name ex-api{i} " + SLEEP for i in (1, 2, 3)]
              + [f"network connect --alias api ex-lb ex-api{i}" for i in (3, 2, 1)]]),
    "07.2": ([([f"run -d --name ex-api{i} --network ex-lb --network-alias api " + SLEEP for i in (1, 2, 3)],
               "still-there"),
              ([f"run -d --name ex-api{i} --network ex-lb --network-alias api " + SLEEP for i in (1, 2, 3)]
               + ["rm -f ex-api2"], "keep")],
             [[f"run -d --name ex-api{i} --network ex-lb --network-alias api " + SLEEP for i in (1, 2, 3)]
              + ["stop -t 0 ex-api2"]]),
    "08.1": ([(["run -d --name ex-site -p 18090:80 dockerlab/busybox " + SERVE], "all-addresses"),
              (["run -d --name ex-site -p 127.0.0.1:8090:80 " + SLEEP], "serve"),
              (["run -d --name ex-site -p 127.0.0.1:8091:80 dockerlab/busybox " + SERVE], "port")],
             [["run -d --name ex-site --publish 127.0.0.1:8090:80/tcp dockerlab/busybox "
               "sh -c 'echo other > /var/www/index.html && exec httpd -f -p 80 -h /var/www'"]]),
    "08.2": ([(["run -d --name ex-site2 " + SLEEP], "publish"),
              (["run -d --name ex-site2 -p 80 dockerlab/busybox " + SERVE], "all-addresses")],
             [["run -d --name ex-site2 -p 127.0.0.1:18092:80 dockerlab/busybox " + SERVE]]),
    "09.1": ([(["network create --subnet 10.160.1.0/24 e9-front", "network create --subnet 10.160.2.0/24 e9-back",
                "run -d --name e9-db --network e9-back " + SLEEP, "run -d --name e9-api --network e9-back " + SLEEP,
                "network connect e9-front e9-api", "run -d --name e9-web --network e9-front " + SLEEP], "missing"),
              (["network create --subnet 10.160.1.0/24 e9-front",
                "network create --subnet 10.160.2.0/24 --internal e9-back",
                "run -d --name e9-db --network e9-back " + SLEEP, "network connect e9-front e9-db",
                "run -d --name e9-api --network e9-back " + SLEEP, "network connect e9-front e9-api",
                "run -d --name e9-web --network e9-front " + SLEEP], "extra")],
             [["network create --internal --subnet 10.160.2.0/24 e9-back",
               "network create --subnet 10.160.1.0/24 e9-front",
               "run -d --name e9-web --network e9-front " + SLEEP,
               "run -d --name e9-api --network e9-front " + SLEEP, "network connect e9-back e9-api",
               "run -d --name e9-db --network e9-back " + SLEEP]]),
    "09.2": ([(["network create e9-front", "run -d --name e9-web --network e9-front " + SLEEP,
                "run -d --name e9-db --network e9-front " + SLEEP], "isolate"),
              (["run -d --name e9-web " + SLEEP, "run -d --name e9-db " + SLEEP], "isolate")],
             [["run -d --name e9-web --network none " + SLEEP, "run -d --name e9-db " + SLEEP]]),
    "10.1": ([(["network create ex-m-net", "run -d --name ex-m " + SLEEP], "connect"),
              (["run -d --name ex-m " + SLEEP], "missing")],
             [["network create ex-m-net", "run -d --name ex-m --network ex-m-net " + SLEEP,
               "network connect bridge ex-m"]]),
    "10.2": ([(["network create --subnet 10.170.0.0/24 ex-c-net", "run -d --name ex-c --network ex-c-net " + SLEEP],
               "address"),
              (["network create --subnet 10.170.0.0/16 ex-c-net",
                "run -d --name ex-c --network ex-c-net --ip 10.170.0.7 " + SLEEP], "subnet")],
             [["network create --subnet 10.170.0.0/24 ex-c-net", "run -d --name ex-c " + SLEEP,
               "network connect --ip 10.170.0.7 ex-c-net ex-c"]]),
}


def setup_commands(task_id: str) -> list[str]:
    sheet = importlib.import_module(f"dockerlab.exercises.ex{task_id.split('.')[0]}")
    return [command.removeprefix("docker ") for command in getattr(sheet, "SETUP", [])]


def with_cli_labels(command: str, lesson: str) -> list[str]:
    """The plain docker CLI, as a learner types it — plus the course's labels so the test can clean up."""
    words = shlex.split(command)
    label = ["--label", "io.dockerlab.managed=true", "--label", f"io.dockerlab.lesson={lesson}"]
    if words[0] == "run":
        return ["docker", "run", *label, *words[1:]]
    if words[:2] == ["network", "create"]:
        return ["docker", "network", "create", *label, *words[2:]]
    return ["docker", *words]


@pytest.fixture
def fresh(engine, lesson_id):
    """A clean slate for one case; everything made is removed afterwards, by label."""
    cleanup.remove(engine, lesson_id)
    yield Lab(engine, lesson_id)
    cleanup.remove(engine, "checks")


def judge(engine, task_id):
    task = find(task_id)
    task.engine = engine
    return task.verdict()


@pytest.mark.parametrize("task_id", sorted(CASES))
def test_the_set_up_alone_is_not_attempted(engine, fresh, task_id):
    for command in setup_commands(task_id):
        fresh.docker(command, quiet=True)
    assert judge(engine, task_id).outcome is Outcome.NOT_ATTEMPTED


def test_every_task_has_cases_and_there_are_enough_tasks():
    ids = [task.id for task in all_tasks()]
    assert len(ids) >= 15 and set(CASES) == set(ids)
    for task_id, (wrong, alternatives) in CASES.items():
        assert len(wrong) >= 2 and len(alternatives) >= 1, task_id
        for _, hint in wrong:
            assert hint in find(task_id).hints, (task_id, hint)


@pytest.mark.parametrize("task_id", sorted(CASES))
def test_solution_is_correct(engine, fresh, task_id):
    for command in setup_commands(task_id):
        fresh.docker(command, quiet=True)
    prerequisites = {"02.2": "02.1", "04.2": "04.1", "05.2": "05.1", "07.2": "07.1", "09.2": "09.1"}
    if task_id in prerequisites:
        for command in find(prerequisites[task_id]).commands:
            if not command.startswith("#"):
                fresh.docker(command, quiet=True)
    for command in find(task_id).commands:
        if not command.startswith("#"):
            fresh.docker(command, quiet=True)
    verdict = judge(engine, task_id)
    assert verdict.outcome is Outcome.CORRECT, verdict.reason


@pytest.mark.parametrize("task_id, case", [(t, i) for t, (wrong, _) in sorted(CASES.items())
                                          for i in range(len(wrong))])
def test_wrong_state_gets_the_matching_hint(engine, fresh, task_id, case):
    commands, hint = CASES[task_id][0][case]
    for command in setup_commands(task_id) + commands:
        fresh.docker(command, quiet=True)
    verdict = judge(engine, task_id)
    assert (verdict.outcome, verdict.hint) == (Outcome.NOT_YET, hint), verdict.reason
    assert verdict.reason


@pytest.mark.parametrize("task_id", sorted(CASES))
def test_another_correct_way_is_accepted(engine, fresh, task_id):
    for command in setup_commands(task_id) + CASES[task_id][1][0]:
        done = subprocess.run(with_cli_labels(command, fresh.lesson_id), capture_output=True, text=True)
        assert done.returncode == 0, done.stderr
    verdict = judge(engine, task_id)
    assert verdict.outcome is Outcome.CORRECT, verdict.reason


def test_cli_on_a_clean_engine_says_not_yet_for_every_exercise(engine):
    from tests.conftest import run_cli

    for sheet in [f"ex{n:02d}" for n in range(1, 11)]:
        cleanup.remove(engine, sheet)
    listed = run_cli("check", "--list")
    assert listed.returncode == 0
    ids = [line.split()[0] for line in listed.stdout.splitlines()]
    assert ids == [task.id for task in all_tasks()] and all(len(line.split(None, 1)) == 2
                                                             for line in listed.stdout.splitlines())
    for task_id in ids:
        done = run_cli("check", task_id)
        assert done.returncode == 1, (task_id, done.stdout, done.stderr)
        assert "not attempted" in done.stdout and "Hint:" in done.stdout and "Traceback" not in done.stderr


def test_cli_after_a_solution_says_correct_and_errors_exit_2(engine, fresh):
    from tests.conftest import run_cli

    for command in find("04.1").commands:
        fresh.docker(command, quiet=True)
    done = run_cli("check", "04.1")
    assert done.returncode == 0 and "04.1 A network of your own: correct" in done.stdout
    unknown = run_cli("check", "4.1")
    assert unknown.returncode == 2 and "There is no exercise 4.1" in unknown.stderr
    down = run_cli("check", "04.1", env={"DOCKER_HOST": "unix:///nonexistent/engine.sock"})
    assert down.returncode == 2 and "No Docker engine answers" in down.stderr and "Traceback" not in down.stderr
