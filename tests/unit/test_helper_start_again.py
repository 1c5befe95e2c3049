"""The course's host helper is started again once when runc could not start it; other refusals stand."""
from __future__ import annotations

import pytest

from dockerlab import errors
from dockerlab.host import hostshell

HICCUP = ("failed to create task for container: failed to create shim task: OCI runtime create failed: runc create "
          "failed: unable to start container process: waiting for init preliminary setup: read init-p: connection "
          "reset by peer: unknown")


class Engine:
    def __init__(self, refusals: list[str]):
        self.refusals, self.started = list(refusals), 0

    def run(self, image, command, **options):
        self.started += 1
        if self.refusals:
            raise errors.CommandRefused("engine-refused", message=self.refusals.pop(0))
        return {"State": {"ExitCode": 0}}, "ok\n"


def test_a_runc_hiccup_starts_the_helper_again(monkeypatch):
    monkeypatch.setattr(hostshell.time, "sleep", lambda seconds: None)
    engine = Engine([HICCUP])
    assert hostshell._helper_run(engine, ["ip", "netns", "list"]) == ({"State": {"ExitCode": 0}}, "ok\n")
    assert engine.started == 2


def test_a_second_hiccup_or_another_refusal_is_said(monkeypatch):
    monkeypatch.setattr(hostshell.time, "sleep", lambda seconds: None)
    with pytest.raises(errors.CommandRefused):
        hostshell._helper_run(Engine([HICCUP, HICCUP]), ["true"])
    other = Engine(["No such image: dockerlab/busybox:latest"])
    with pytest.raises(errors.CommandRefused):
        hostshell._helper_run(other, ["true"])
    assert other.started == 1
