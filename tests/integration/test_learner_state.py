"""No test touches the learner's own state: a sheet run by the suite answers its questions elsewhere.

The learner keeps answers and predictions in ``~/.local/state/dockerlab`` (or where their own
``DOCKERLAB_ANSWERS`` and ``XDG_STATE_HOME`` say). Here a learner's home holds a sentinel answers file and
their environment points at it; an exercise sheet that answers questions runs through the suite's own
machinery (pytest with nbval, as CI runs it); afterwards the sentinel is byte for byte what it was and
nothing else appeared in the learner's state folder.
"""
from __future__ import annotations

import os
import subprocess
import sys

from tests.conftest import ROOT

SHEET = "exercises/01-default-bridge.ipynb"  # answers question 01.3 with q3.answer(...)
SENTINEL = '{"01.3": "the learner\'s own answer"}'


def test_a_sheet_run_by_the_suite_leaves_the_learners_answers_alone(tmp_path):
    home = tmp_path / "home"
    state = home / ".local" / "state"
    answers = state / "dockerlab" / "answers.json"
    answers.parent.mkdir(parents=True)
    answers.write_text(SENTINEL)
    before = answers.stat().st_mtime_ns
    env = {key: value for key, value in os.environ.items() if key != "DOCKERLAB_TEST_STATE"}
    env.update(HOME=str(home), DOCKERLAB_ANSWERS=str(answers), XDG_STATE_HOME=str(state))
    done = subprocess.run([sys.executable, "-m", "pytest", SHEET, "--nbval-lax", "--nbval-current-env",
                           "-p", "no:cacheprovider", "-q"], cwd=ROOT, env=env, capture_output=True, text=True,
                          timeout=900)
    assert done.returncode == 0, done.stdout[-3000:] + done.stderr[-2000:]
    assert answers.read_text() == SENTINEL and answers.stat().st_mtime_ns == before
    assert sorted(path.name for path in state.rglob("*")) == ["answers.json", "dockerlab"]
