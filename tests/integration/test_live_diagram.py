"""The live diagram follows the engine's events, survives an engine outage, and never prints."""
from __future__ import annotations

import time

import pytest

from dockerlab.engine.client import Engine
from dockerlab.host.watch import Watcher
from dockerlab.lessons.lesson import Lab
from dockerlab.render.live import LiveDiagram
from dockerlab.text import say
from tests.integration.proxy import EngineProxy


@pytest.fixture
def proxy(tmp_path):
    proxy = EngineProxy(str(tmp_path / "engine.sock"))
    yield proxy
    proxy.cut()


def wait_until(condition, timeout=10.0) -> bool:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if condition():
            return True
        time.sleep(0.05)
    return False


def test_live_diagram_follows_the_engine(engine, lesson_id, proxy, capfd):
    lab = Lab(engine, lesson_id)
    live = LiveDiagram(Watcher(Engine.connect(proxy.url), lesson_id))
    try:
        assert live.topology is not None and live.topology.containers == {}
        # its text form says what it is, for readers without the widget (never a bare "LiveDiagram(...)")
        assert repr(live).startswith(say("live-summary", lesson=lesson_id)) and "LiveDiagram(" not in repr(live)
        lab.docker("run -d --name w1 dockerlab/busybox sleep 1d", quiet=True)
        assert live.wait_for(lambda t: "w1" in t.containers)
        assert "w1" in live.picture.value and "docker0" in live.picture.value and "<svg" in live.picture.value

        engine.client.containers.get("w1").remove(force=True)  # removed outside the notebook
        assert live.wait_for(lambda t: "w1" not in t.containers)

        proxy.cut()  # the engine goes away
        assert wait_until(lambda: "not answering" in live.status.value)
        lab.docker("run -d --name w2 dockerlab/busybox sleep 1d", quiet=True)
        proxy.restore()  # ... and comes back: the diagram catches up
        assert live.wait_for(lambda t: "w2" in t.containers, timeout=15)

        lab.docker("network create --subnet 10.211.0.0/24 live-net", quiet=True)
        lab.docker("network connect live-net w2", quiet=True)
        assert live.wait_for(lambda t: len([i for i in t.containers["w2"].interfaces if i.name != "lo"]) == 2)
        lab.docker("network disconnect live-net w2", quiet=True)
        assert live.wait_for(lambda t: len([i for i in t.containers["w2"].interfaces if i.name != "lo"]) == 1)
        assert max(live.latencies) < 2.0
    finally:
        live.stop()
    assert wait_until(lambda: not any(thread.is_alive() for thread in live.watcher.threads))
    assert live.stop_button.disabled and "stopped" in live.status.value and not live.running
    out, err = capfd.readouterr()
    # only the main thread's own "$ docker ..." lines: the background threads printed nothing
    assert all(line.startswith("$ docker ") for line in out.splitlines()) and err == ""


def test_lesson_live_and_end_stop_it(engine, lesson_id, capsys):
    lab = Lab(engine, lesson_id)
    live = lab.live()
    lab.docker("run -d --name w3 dockerlab/busybox sleep 1d", quiet=True)
    assert live.wait_for(lambda t: list(t.containers) == ["w3"])
    lab.end()
    assert not live.running
