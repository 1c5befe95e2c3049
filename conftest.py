"""Suite-wide guard: while the tests and lessons run, no container traffic leaves through the uplink.

At the start of the session a counting rule is put in front of Docker's forwarding rules for packets
leaving through the machine's uplink (see ``tests/uplink_watch.py``; it changes nothing). At the end
the count is read and the rule removed; any packet counted fails the run.
"""
from __future__ import annotations

from dockerlab.kernel import default_route_interface
from tests import uplink_watch

_watched: list[str] = []


def pytest_sessionstart(session):
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
