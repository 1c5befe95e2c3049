"""CI's lanes: which tests run on which engine, side by side, each on an engine of its own (or none).

    python -m tests.engines lanes                 # every lane, side by side (what ./lab test runs)
    python -m tests.engines lanes reference trixie  # some of them
    python -m tests.engines lanes sid-custom      # a lane run only when named (see OPT_IN)

The **reference** engine is the newest of the matrix (Debian sid's Docker 28.5, run in its own
namespaces): its outputs are the ones stored in the notebooks, recorded for replay and published, so
only there are outputs compared (``tests/notebooks/sanitize.cfg`` masks what varies from run to run,
cells carry masks of their own). Every other engine runs every lesson and sheet with its assertions
(``--nbval-lax``: a cell that raises fails), the exercises' judges, the snapshot truth test and the live
diagram. Each lane's output goes to ``/tmp/dockerlab-lane-NAME.log``; a lane that fails is printed whole.

The workshop's tests (``WORKSHOP``) are in no lane: each brings up a room on the workshop's own engine (a
2-learner room over TLS, a 1-learner room in a browser), minutes of both CPUs that would lengthen the
reference lane past CI's budget (the 2-learner room's ten tests: 19 min 8 s on a loaded 2-CPU machine,
12 min 35 s of it ``up`` making the learner image again, which every change to the package's files causes).
They are a tier of their own, ``./lab test workshop``, run before a change to ``dockerlab/workshop/`` is
merged and before a workshop day.
"""
from __future__ import annotations

import os
import subprocess
import sys
import tempfile
import time
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path

from . import learners
from .matrix import ENGINES, ROOT, load_lab_images, say, start, stop

NBVAL = ["--nbval", "--nbval-current-env"]
COMPARED = [*NBVAL, "--nbval-sanitize-with", "tests/notebooks/sanitize.cfg"]
ASSERTED = ["--nbval-lax", "--nbval-current-env"]
"""On every engine but the reference: each cell runs and its assertions hold; outputs are not compared."""

LESSONS_AND_SHEETS = ["notebooks", "exercises", "--ignore=exercises/student"]
KOREAN = ["ko/notebooks", "ko/exercises", "--ignore=ko/exercises/student"]
WORKSHOP = ["tests/integration/test_workshop.py", "tests/browser/test_workshop_login.py"]
"""A room brought up as an instructor would: ``./lab test workshop`` (see above)."""
NOT_WORKSHOP = [f"--ignore={path}" for path in WORKSHOP]
ON_EVERY_ENGINE = ["tests/integration/test_snapshot_truth.py", "tests/integration/test_live_diagram.py",
                   "tests/integration/test_exercises.py", "tests/integration/test_images_and_doctor.py"]


@dataclass(frozen=True)
class Step:
    """One pytest run of a lane: what it is, and its arguments."""

    what: str
    args: list[str]
    env: dict[str, str] = field(default_factory=dict)
    engine: str = ""
    """A matrix engine of the step's own, started for it and stopped after it (``""``: the lane's engine)."""


@dataclass(frozen=True)
class Lane:
    """Tests run one after the other on one engine: ``engine`` is a matrix engine, ``machine`` the
    machine's own (``/var/run/docker.sock``), or ``None`` for none at all."""

    name: str
    engine: str | None
    steps: list[Step]


REFERENCE_ENGINE = "sid"
KOREAN_ENGINE = "sid-ko"
"""Docker 28.5 with the defaults, like the reference, in namespaces of its own: the Korean edition's outputs
are compared there, and every lesson is run in a browser, in the no-engine lane, so they do not lengthen the
reference lane (the longest)."""
NO_ENGINE = {"DOCKER_HOST": "unix:///nowhere"}
WEBSITE = "tests/browser/test_site.py"
RUN_ALL = "tests/browser/test_lessons_run_all.py"
LANES = {lane.name: lane for lane in (
    Lane("reference", REFERENCE_ENGINE, [
        Step("integration, browser, every lesson and sheet (outputs compared)",
             ["tests/integration", "--ignore=tests/integration/test_non_root_user.py", "tests/browser",
              f"--ignore={WEBSITE}", f"--ignore={RUN_ALL}", *NOT_WORKSHOP, *LESSONS_AND_SHEETS, *COMPARED]),
    ]),
    Lane("no-engine", None, [
        Step("unit, stored outputs, replay", ["tests/unit", "tests/notebooks"], NO_ENGINE),
        Step("the website, built and read in a browser", [WEBSITE], NO_ENGINE),
        Step("a learner's settings (sid-custom): the host facts, the doctor and its report, the lab image; "
             "the learner's own container untouched", ["tests/integration/test_images_and_doctor.py"],
             engine="sid-custom"),
        Step("the Korean edition on the reference engine's twin (outputs compared)", [*KOREAN, *COMPARED],
             engine=KOREAN_ENGINE),
        Step("every lesson in JupyterLab in a browser, Run All, on the reference engine's twin: predictions "
             "before answers, live pictures equal to the engine, nothing left", [RUN_ALL], engine=KOREAN_ENGINE),
    ]),
    Lane("bookworm", "machine", [
        Step("Docker 20.10: every lesson and sheet with its assertions, judges, snapshot, live diagram, doctor",
             [*ON_EVERY_ENGINE, *LESSONS_AND_SHEETS, *ASSERTED]),
        Step("a learner who is not root (in the docker group): setup, doctor, Korean lessons 01-10",
             ["tests/integration/test_non_root_user.py"]),
    ]),
    Lane("trixie", "trixie", [
        Step("Docker 26.1: every lesson and sheet with its assertions, judges, snapshot, live diagram, doctor",
             [*ON_EVERY_ENGINE, *LESSONS_AND_SHEETS, *ASSERTED]),
    ]),
)}
"""What ``./lab test`` runs side by side. The no-engine lane, the shortest (unit and replay tests 127 s, the
website 55 s in a full run), goes on with a short check on sid-custom (its settings are what lessons read from
the host: a custom ``bip`` and pools, ``bridge-nf-call-iptables=0``, a learner's own container; 14 s of tests),
the Korean edition (420 s of notebooks) and every lesson run in a browser, which the reference lane ran before
(a recorded run without the browser's Run All: reference 1456 s of tests, trixie 982 s, bookworm 779 s and 217 s,
no-engine 667 s)."""

def whole_course(engine: str, what: str) -> Lane:
    """An opt-in lane of one engine's own: every lesson and sheet with its assertions, judges, snapshot, live
    diagram, doctor (what the trixie lane runs), ``what`` saying which engine it is."""
    return Lane(engine, engine, [Step(f"{what}: every lesson and sheet with its assertions, judges, snapshot, "
                                      "live diagram, doctor", [*ON_EVERY_ENGINE, *LESSONS_AND_SHEETS, *ASSERTED])])


OPT_IN = {lane.name: lane for lane in (
    whole_course("sid-custom", "Docker 28.5 with a learner's settings"),
    whole_course("sid-rootless", "rootless Docker 28.5"),
    whole_course("resolute", "Docker 29.1 (Ubuntu 26.04's docker.io, the iptables backend)"),
    whole_course("resolute-nft", "Docker 29.1 with the nftables backend"),
    Lane("compose", REFERENCE_ENGINE, [
        Step("docker compose up: the course in one container, a lesson through it", ["tests/compose"])]),
    Lane("release", None, [
        Step("a wheel built from a fresh clone, installed into an empty folder", ["tests/release"], NO_ENGINE)]),
    Lane("lite", None, [
        Step("the website with JupyterLite: lesson 02 replayed in the browser", ["tests/lite"], NO_ENGINE)]),
)}
"""Lanes run only when named (``python -m tests.engines lanes sid-custom``, ``./lab test --lane sid-rootless``):
each, beside the default lanes, would take CI past its 45 minutes. Measured alone on this 2-CPU machine while other
work shared it: sid-custom 2203 s, sid-rootless 2966 s (slirp4netns, no cgroups), where the default lanes
side by side took 1921 s; resolute 573 s and resolute-nft 1087 s (743 tests each, beside another CI run).
compose, release and lite (also ``./lab test compose|release|lite``) spend minutes
building what they test (an image, a wheel and a venv, JupyterLite and Pyodide): run them before a release or
after changing what they cover."""
ALL = {**LANES, **OPT_IN}

TIERS = {
    "engine": ["tests/integration", *NOT_WORKSHOP],
    "notebooks": ["tests/notebooks", *LESSONS_AND_SHEETS, *KOREAN, *COMPARED],
    "browser": ["tests/browser", *NOT_WORKSHOP],
    "workshop": WORKSHOP,  # in no lane: see above
}
"""``./lab test TIER``: one tier on the reference engine."""

def log_of(lane: Lane) -> Path:
    return Path(tempfile.gettempdir()) / f"dockerlab-lane-{lane.name}.log"


def _on_engine(engine: str | None, output, tests) -> int:
    """``tests(url)`` on ``engine`` (``None``: no engine, ``machine``: the machine's own, else a matrix engine,
    started first and stopped after); their exit code. On an engine with ``learners_own``, the learner's own
    container and network are made first, and the exit code is 1 unless both are untouched after the tests."""
    if engine is None:
        return tests(None)
    if engine == "machine":
        return tests("unix:///var/run/docker.sock")
    matrix_engine = ENGINES[engine]
    try:
        url = start(matrix_engine)
        load_lab_images(matrix_engine)
        if not matrix_engine.learners_own:
            return tests(url)

        def tell(line: str) -> None:
            print(f"[engines] {line}", file=output or sys.stdout, flush=True)

        learners.make(url)
        before = learners.record(url)
        tell(f"the learner's own {learners.CONTAINER} (on docker0, -p {learners.PORT}) and network "
             f"{learners.NETWORK} ({', '.join(before['network'].get('subnets') or [])}) are there")
        code = tests(url)
        changed = learners.changes(before, learners.record(url))
        for line in changed:
            tell(f"  FAILED: {line}")
        if not changed:
            tell(f"the learner's own {learners.CONTAINER} and {learners.NETWORK} are still there, untouched")
        return code or (1 if changed else 0)
    finally:
        stop(matrix_engine)


def run(lane: Lane, pytest_args: list[str], output=None) -> int:
    """Run ``lane``'s steps one after the other (all of them, even after a failure); the worst exit code."""
    started = time.monotonic()
    state = Path(tempfile.mkdtemp(prefix=f"dockerlab-lane-{lane.name}-"))

    def step_on(number: int, step: Step, url: str | None) -> int:
        print(f"[lane {lane.name}] {step.what}", file=output or sys.stdout, flush=True)
        env = {**os.environ, **step.env, "DOCKERLAB_TEST_STATE": str(state / f"step-{number}")}
        if url:
            env["DOCKER_HOST"] = url
        command = [sys.executable, "-m", "pytest", *step.args, "-p", "no:cacheprovider", "--durations=15",
                   *pytest_args]
        return subprocess.run(command, env=env, cwd=ROOT, stdout=output, stderr=subprocess.STDOUT).returncode

    def steps_on_lane_engine(url: str | None) -> int:
        worst = 0
        for number, step in enumerate(lane.steps, start=1):
            if step.engine:
                code = _on_engine(step.engine, output,
                                  lambda own_url, number=number, step=step: step_on(number, step, own_url))
            else:
                code = step_on(number, step, url)
            worst = max(worst, code)
        return worst

    worst = _on_engine(lane.engine, output, steps_on_lane_engine)
    say(f"lane {lane.name}: {'passed' if worst == 0 else 'FAILED'} in {time.monotonic() - started:.0f} s")
    return worst


def _last_line(path: Path) -> str:
    try:
        lines = [line for line in path.read_text(errors="replace").splitlines() if line.strip()]
    except OSError:
        return ""
    return lines[-1][-100:] if lines else ""


def run_side_by_side(lanes: list[Lane], pytest_args: list[str]) -> int:
    """Every lane at once, each in its own log, with a progress line a minute; the worst exit code."""
    logs = {lane.name: log_of(lane) for lane in lanes}
    with ThreadPoolExecutor(len(lanes)) as pool:
        handles = {lane.name: logs[lane.name].open("w") for lane in lanes}
        futures = {lane.name: pool.submit(run, lane, pytest_args, handles[lane.name]) for lane in lanes}
        while not all(future.done() for future in futures.values()):
            time.sleep(60)
            for name, future in futures.items():
                if not future.done():
                    say(f"  {name}: {_last_line(logs[name])}")
        codes = {name: future.result() for name, future in futures.items()}
        for handle in handles.values():
            handle.close()
    for name, log in logs.items():
        text = log.read_text(errors="replace")
        print(f"\n========== lane {name}: {'passed' if codes[name] == 0 else 'FAILED'} ==========", flush=True)
        if codes[name] == 0:
            print("\n".join(line for line in text.splitlines()
                            if line.startswith("[lane ") or " passed" in line or "uplink watch" in line), flush=True)
        else:
            print(text, flush=True)
    return max(codes.values(), default=0)
