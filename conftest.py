"""Suite-wide guards: no test touches the learner's own state, and no container traffic leaves the machine.

Whatever the environment says, every test and every lesson or sheet run by the tests keeps its answers,
predictions and other state in a folder of the run's own (``DOCKERLAB_TEST_STATE``, else a new temporary
folder): ``DOCKERLAB_ANSWERS`` and ``XDG_STATE_HOME`` point there, so the learner's
``~/.local/state/dockerlab`` is never written (``tests/integration/test_learner_state.py`` checks it).

Once the tests are collected, if any of them uses the engine (anything outside the unit tier), a
counting rule is put in front of Docker's forwarding rules for packets leaving through the machine's
uplink (see ``tests/uplink_watch.py``; it changes nothing). At the end the count is read and the rule
removed; any packet counted fails the run. The unit tier alone touches nothing on the machine.
"""
from __future__ import annotations

import os
import re
import tempfile
from pathlib import Path

from dockerlab.host.kernel import default_route_interface
from tests import uplink_watch

UNIT_TIER = Path(__file__).resolve().parent / "tests" / "unit"

STATE = Path(os.environ.get("DOCKERLAB_TEST_STATE") or tempfile.mkdtemp(prefix="dockerlab-test-state-"))
"""Where this run keeps what a learner would keep at home (set before any test, lesson or kernel starts)."""
os.environ["DOCKERLAB_TEST_STATE"] = str(STATE)
os.environ["DOCKERLAB_ANSWERS"] = str(STATE / "answers.json")
os.environ["XDG_STATE_HOME"] = str(STATE / "state")

_watched: list[str] = []


def uses_the_engine(items) -> bool:
    """Whether any collected test is outside the unit tier (which needs no engine)."""
    return any(not Path(item.path).resolve().is_relative_to(UNIT_TIER) for item in items)


def pytest_collection_modifyitems(items):
    """A lesson cell's own masks (its metadata ``"dockerlab": {"masks": [...]}``) apply to that cell only.

    Each mask is ``{"regex", "replace", "why"}``, applied after ``tests/notebooks/sanitize.cfg``: what
    varies from run to run in one cell is masked there, not for every cell of every lesson.
    """
    for item in items:
        cell = getattr(item, "cell", None)
        masks = (cell.get("metadata", {}).get("dockerlab", {}).get("masks") or []) if cell is not None else []
        if masks:
            item.sanitize = _masked(item.sanitize, [(re.compile(m["regex"]), m["replace"]) for m in masks])


def _masked(sanitize, masks):
    def sanitized(text):
        text = sanitize(text)
        if isinstance(text, str):
            for pattern, replace in masks:
                text = pattern.sub(replace, text)
        return text

    return sanitized


def pytest_collection_finish(session):
    if not uses_the_engine(session.items):
        return
    uplink = default_route_interface()
    if uplink and uplink_watch.available():
        uplink_watch.start(uplink)
        _watched.append(uplink)


def pytest_sessionfinish(session, exitstatus):
    if not _watched:
        return
    uplink = _watched.pop()
    packets = uplink_watch.count(uplink)
    uplink_watch.stop(uplink)
    reporter = session.config.pluginmanager.get_plugin("terminalreporter")
    if packets:
        if reporter:
            reporter.write_line(f"FAILED uplink watch: {packets} packet(s) from containers left through {uplink}",
                                red=True)
        session.exitstatus = 1
    elif reporter:
        reporter.write_line(f"uplink watch: no container traffic left through {uplink}")
