"""Suite-wide guard: while the tests and lessons run, no container traffic leaves through the uplink.

Once the tests are collected, if any of them uses the engine (anything outside the unit tier), a
counting rule is put in front of Docker's forwarding rules for packets leaving through the machine's
uplink (see ``tests/uplink_watch.py``; it changes nothing). At the end the count is read and the rule
removed; any packet counted fails the run. The unit tier alone touches nothing on the machine.
"""
from __future__ import annotations

from pathlib import Path

from dockerlab.host.kernel import default_route_interface
from tests import uplink_watch

UNIT_TIER = Path(__file__).resolve().parent / "tests" / "unit"

_watched: list[str] = []


def uses_the_engine(items) -> bool:
    """Whether any collected test is outside the unit tier (which needs no engine)."""
    return any(not Path(item.path).resolve().is_relative_to(UNIT_TIER) for item in items)


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
