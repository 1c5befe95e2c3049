"""The live picture is the engine's, in every order the engine may send its events (on the fake engine).

``docker rm -f`` on Docker 20.10 sends ``die`` before it updates the list ``docker ps`` reads and before it
disconnects the networks; Docker 28.5 disconnects and updates the list first (moby v20.10.24 and v28.5.2
``daemon/monitor.go``, ``handleContainerExit``). A snapshot may be taken between any two of these steps,
two snapshots may overlap, and the learner may stop the diagram while one is under way. Whatever the
order, the picture handed on last must be what a fresh snapshot (``lab.draw()``) shows once things settle.
"""
from __future__ import annotations

import threading

import pytest

from dockerlab import labels
from dockerlab.host import probe
from dockerlab.host.watch import Watcher, is_change
from dockerlab.model.topology import Topology
from dockerlab.render.static import draw
from tests.unit.fake_engine import answer_as_the_host, fake_engine

LESSON = "02-veth-pairs"


def picture(topology: Topology | None) -> str:
    """What the learner sees: the drawing's SVG (one book of colours, so two drawings compare)."""
    assert topology is not None
    return draw(topology, book="event-orders").svg()


@pytest.fixture
def engine(monkeypatch):
    monkeypatch.setenv("DOCKERLAB_PROBE", "helper")
    session = fake_engine(prepare=answer_as_the_host)
    monkeypatch.setattr("dockerlab.host.watch.Engine.connect", lambda url=None: session)
    for name in ("c1", "c3"):
        session.run(labels.BUSYBOX_IMAGE, ["sleep", "1d"], lesson=LESSON, name=name)
    return session


class Events:
    """Hands the watcher the engine's events since it last looked, as its event thread would."""

    def __init__(self, engine, watcher: Watcher):
        self.engine, self.watcher, self.seen = engine, watcher, len(engine.api.events_)

    def __call__(self) -> None:
        for event in self.engine.api.events_[self.seen:]:
            if is_change(event) and not self.watcher._container_event(event):
                self.watcher.changed(event["timeNano"] / 1e9)
        self.seen = len(self.engine.api.events_)


def fresh(engine) -> Topology:
    return probe.snapshot(engine, LESSON)


def slow_snapshots(monkeypatch) -> tuple[threading.Event, threading.Event]:
    """Snapshots taken on the thread ``slow-refresh`` read the engine, say so (``taken``), then wait for ``release``."""
    taken, release = threading.Event(), threading.Event()
    real = probe.snapshot

    def slow(engine_, lesson):
        facts = real(engine_, lesson)
        if threading.current_thread().name == "slow-refresh":
            taken.set()
            release.wait(5)
        return facts

    monkeypatch.setattr(probe, "snapshot", slow)
    return taken, release


@pytest.mark.parametrize("order", ["20.10", "28.5"])
def test_a_snapshot_between_any_two_steps_of_a_removal_never_brings_the_container_back(engine, order):
    watcher = Watcher(engine, LESSON, on_topology=(shown := []).append)
    events = Events(engine, watcher)
    watcher.refresh()
    assert "c3" in shown[-1].containers
    dead = False
    for step in engine.api.removal("c3", order):
        step()
        events()
        dead = dead or any(e["Action"] == "die" for e in engine.api.events_[-2:])
        watcher.refresh()
        if dead:
            assert "c3" not in shown[-1].containers, (order, step.__name__)
    assert picture(shown[-1]) == picture(fresh(engine)) and "c3" not in fresh(engine).containers


def test_the_cause_docker_20_10_lists_a_dead_container_as_running_with_no_interfaces(engine):
    """The positive control: between ``die`` and the list's update, a fresh snapshot still has c3, emptied."""
    kill, die, *_ = engine.api.removal("c3", "20.10")
    kill()
    die()
    stale = fresh(engine).containers["c3"]
    assert [i for i in stale.interfaces if i.network] == []


def test_what_follows_a_death_changes_nothing_and_a_restart_brings_it_back(engine):
    watcher = Watcher(engine, LESSON, on_topology=(shown := []).append)
    events = Events(engine, watcher)
    watcher.refresh()
    engine.api.stop("c3")  # docker stop: die, and no destroy
    events()
    assert "c3" not in shown[-1].containers
    count = len(shown)
    watcher.refresh()
    assert "c3" not in shown[-1].containers and len(shown) == count + 1
    engine.api.start("c3")  # docker start (or a restart policy): it is back
    events()
    watcher.refresh()
    assert "c3" in shown[-1].containers and picture(shown[-1]) == picture(fresh(engine))


def test_a_snapshot_begun_before_another_that_was_handed_on_is_dropped(engine, monkeypatch):
    """Two snapshots overlap: the one begun first answers last. It must not cover the newer picture."""
    watcher = Watcher(engine, LESSON, on_topology=(shown := []).append)
    watcher.refresh()
    taken, release = slow_snapshots(monkeypatch)
    older = threading.Thread(target=watcher.refresh, name="slow-refresh")
    older.start()
    assert taken.wait(5)
    engine.run(labels.BUSYBOX_IMAGE, ["sleep", "1d"], lesson=LESSON, name="c4")
    watcher.refresh()  # begun after c4 started
    assert "c4" in shown[-1].containers
    release.set()
    older.join(5)
    assert "c4" in shown[-1].containers
    assert picture(watcher.topology) == picture(fresh(engine))


def test_a_stop_racing_the_last_snapshot_keeps_the_picture_taken_at_the_stop(engine, monkeypatch):
    """lesson 02: rm -f c3, then live.stop() while the background snapshot of c3's death is still under way."""
    watcher = Watcher(engine, LESSON, on_topology=(shown := []).append)
    events = Events(engine, watcher)
    watcher.refresh()
    steps = engine.api.removal("c3", "20.10")
    for step in steps[:2]:  # kill, die: the list still says running
        step()
    events()
    taken, release = slow_snapshots(monkeypatch)
    background = threading.Thread(target=watcher.refresh, name="slow-refresh")
    background.start()
    assert taken.wait(5)
    for step in steps[2:]:  # disconnect, the list updated, destroy: `docker rm -f` returns
        step()
    events()
    watcher.refresh()  # live.stop(): a last look...
    watcher.stop()  # ...then stop
    release.set()  # the background snapshot answers after the stop
    background.join(5)
    assert "c3" not in shown[-1].containers and picture(watcher.topology) == picture(fresh(engine))


def test_nothing_is_handed_on_after_the_stop(engine):
    watcher = Watcher(engine, LESSON, on_topology=(shown := []).append)
    events = Events(engine, watcher)
    watcher.refresh()
    watcher.stop()
    count = len(shown)
    for step in engine.api.removal("c3", "20.10"):  # events arriving after the stop
        step()
    events()
    watcher.refresh()
    assert len(shown) == count and "c3" in shown[-1].containers  # the picture stays as it was at the stop


def test_a_stopped_watcher_still_answers_wait_from_the_engine(engine):
    """The learner pressed "Stop live updates" early; the lesson's next cell waits for a change."""
    watcher = Watcher(engine, LESSON, on_topology=(shown := []).append)
    watcher.refresh()
    watcher.stop()
    count = len(shown)
    engine.run(labels.BUSYBOX_IMAGE, ["sleep", "1d"], lesson=LESSON, name="c4")
    assert watcher.wait(lambda t: "c4" in t.containers, timeout=5)
    assert watcher.topology is not None and "c4" in watcher.topology.containers
    assert len(shown) == count  # the picture is left as the learner stopped it
    assert not watcher.wait(lambda t: "c9" in t.containers, timeout=0.3)


@pytest.mark.parametrize("order", ["20.10", "28.5"])
def test_the_live_diagram_ends_with_the_engines_picture(engine, order):
    """Lesson 02's end on the watcher's own threads: c3 removed, wait_for, stop; the widget shows the engine."""
    from dockerlab.render.live import LiveDiagram

    live = LiveDiagram(engine.follow(LESSON))
    try:
        assert live.wait_for(lambda t: "c3" in t.containers, timeout=5)
        for step in engine.api.removal("c3", order):
            step()
            threading.Event().wait(0.02)  # room for the background snapshot between two steps
        assert live.wait_for(lambda t: "c3" not in t.containers, timeout=5)
    finally:
        live.stop()
    engine_now = draw(fresh(engine), book=LESSON).svg()
    assert "c3" not in live.picture.value and "container c1" in live.picture.value
    assert live.picture.value.count("<text") == engine_now.count("<text")
