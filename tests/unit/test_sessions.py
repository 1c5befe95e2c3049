"""Record and replay as sessions: one interface, answered live, recorded, or played with no engine.

See dockerlab/host/session.py (the interface and the live session), dockerlab/replay/ (recorder, player,
the recording's file). Nothing here needs an engine: the live session runs on the fake engine.
"""
from __future__ import annotations

import ast
import inspect
from pathlib import Path
from typing import cast

import pytest

from dockerlab import errors, replay
from dockerlab.engine import dockercli
from dockerlab.engine.calls import EngineCalls
from dockerlab.engine.client import Engine
from dockerlab.exercises import Attempt, all_tasks
from dockerlab.host.session import LiveSession, Session
from dockerlab.labels import BUSYBOX_IMAGE
from dockerlab.model.topology import Topology
from dockerlab.replay import tape
from dockerlab.replay.player import Player
from dockerlab.replay.recorder import Recorder
from tests.unit.fake_engine import answer_as_the_host, fake_engine

PACKAGE = Path(__file__).resolve().parents[2] / "dockerlab"
LESSON = "04-user-networks"


@pytest.fixture
def recording(tmp_path, monkeypatch):
    monkeypatch.setattr(dockercli, "run", lambda words, docker_host: (0, f"ran {' '.join(words)}\n"))
    return tmp_path / f"{LESSON}.json.gz"


def recorder(path: Path, engine: Engine | None = None, facts: dict | None = None) -> Session:
    live = cast(LiveSession, engine or fake_engine())
    live.lesson = LESSON
    return cast(Session, Recorder(live, tape.Tape(LESSON, facts or {}), path))


def player(path: Path) -> Session:
    return cast(Session, Player(tape.Tape.load(path)))


def test_the_interface_is_the_engines_calls_exactly():
    """EngineCalls (and so Session) declares each of Engine's calls with Engine's own signature."""
    declared = {name for name, _ in inspect.getmembers(EngineCalls, inspect.isfunction) if not name.startswith("_")}
    assert declared == set(tape.ENGINE_METHODS)
    for name in declared:
        assert inspect.signature(getattr(EngineCalls, name)) == inspect.signature(getattr(Engine, name)), name


def test_every_session_answers_every_call_of_the_interface(recording):
    calls = {name for name, _ in inspect.getmembers(Session, inspect.isfunction) if not name.startswith("_")}
    assert calls == set(tape.RECORDED) | {"follow", "judging", "close", "for_lesson"}
    tape.Tape(LESSON).save(recording)
    for session in (fake_engine(), recorder(recording), player(recording)):
        assert all(callable(getattr(session, name)) for name in calls), type(session).__name__
        assert session.lesson and session.url


def test_what_the_engine_answered_comes_back_with_no_engine(recording):
    session = recorder(recording, facts={"version": "28.5.2"})
    session.run(BUSYBOX_IMAGE, ["sleep", "1d"], lesson=LESSON, name="c1")
    inspected = session.container("c1")
    said = session.docker(["network", "ls"])
    with pytest.raises(errors.NotFound):
        session.container("c9")
    cast(Recorder, session).save()

    played = player(recording)
    assert cast(Player, played).tape.engine == {"version": "28.5.2"}
    kept = {key: value for key, value in inspected.items() if key not in ("LogPath", "ResolvConfPath",
                                                                          "HostnamePath", "HostsPath", "GraphDriver")}
    assert played.container("c1") == kept  # the engine's own paths on its host are not kept
    assert list(played.docker(["network", "ls"])) == list(said)
    with pytest.raises(errors.NotFound):
        played.container("c9")
    with pytest.raises(errors.NotRecorded, match="docker network rm x"):
        played.docker(["network", "rm", "x"])


def test_the_same_call_twice_in_a_cell_gets_its_two_answers_in_order(recording):
    session = recorder(recording)
    recorded = cast(Recorder, session).tape
    recorded.begin_cell("lab.draw()")
    before = session.containers()
    session.run(BUSYBOX_IMAGE, ["sleep", "1d"], lesson=LESSON, name="c1")
    after = session.containers()
    assert before != after
    recorded.save(recording)

    played = player(recording)
    cast(Player, played).tape.begin_cell("lab.draw()")
    assert played.containers() == before
    assert played.containers() == after
    cast(Player, played).tape.begin_cell("lab.draw()")  # the cell run again: its answers again
    assert played.containers() == before
    cast(Player, played).tape.begin_cell("lab.draw()\n")  # as JupyterLite's Pyodide kernel hands it to IPython
    assert played.containers() == before
    assert played.containers() == after


def test_what_the_live_session_does_inside_a_call_is_not_kept(recording):
    engine = fake_engine()
    engine.run(BUSYBOX_IMAGE, ["sleep", "1d"], lesson=LESSON, name="c1")
    session = recorder(recording, engine)
    session.remove_labelled(LESSON)  # which asks the engine for the labelled objects first
    kept = [call["call"] for cell in cast(Recorder, session).tape.cells for call in cell["calls"]]
    assert kept == ["engine.remove_labelled"]


def test_a_session_replays_in_binder_or_when_asked(monkeypatch):
    monkeypatch.delenv("DOCKERLAB_REPLAY", raising=False)
    for name in ("BINDER_REQUEST", "BINDER_REPO_URL", "BINDER_REF_URL", "BINDER_LAUNCH_HOST",
                 "BINDER_PERSISTENT_REQUEST", "BINDER_SERVICE_HOST"):
        monkeypatch.delenv(name, raising=False)
    assert not replay.wanted()
    monkeypatch.setenv("BINDER_REQUEST", "v2/gh/owner/dockerlab/HEAD")
    assert replay.wanted()
    monkeypatch.delenv("BINDER_REQUEST")
    monkeypatch.setenv("DOCKERLAB_REPLAY", "1")
    assert replay.wanted()


def test_a_lesson_with_no_recording_says_how_to_make_one(monkeypatch, tmp_path):
    monkeypatch.setenv("DOCKERLAB_REPLAY", "1")
    monkeypatch.setenv("DOCKERLAB_RECORDINGS", str(tmp_path))
    with pytest.raises(errors.NotRecorded, match=r"\./lab regen"):
        replay.open_session(LESSON)


def test_a_check_in_a_replayed_session_says_it_needs_a_real_engine(recording):
    tape.Tape("ex04").save(recording)
    task = Attempt(next(t for t in all_tasks() if t.id == "04.1"), player(recording))
    with pytest.raises(errors.NeedsEngine, match="needs a real Docker engine"):
        task.check()


def test_a_snapshot_in_a_cell_that_took_none_gets_the_latest_one_taken(recording):
    recorded = tape.Tape("02-veth-pairs")
    cells = (("lab.draw()", ["c1"]), ("lab.docker('run c2')", None), ("lab.draw(path)", ["c1", "c2"]))
    for source, containers in cells:
        recorded.begin_cell(source)
        if containers:
            recorded.keep({"call": "snapshot-facts", "with": {"lesson": "02-veth-pairs"}}, {"containers": containers})
    recorded.save(recording)

    played = tape.Tape.load(recording)
    played.begin_cell("lab.draw()")
    played.begin_cell("lab.draw(path)")
    played.begin_cell("lab.path('c1', 'c2')")  # a cell of the learner's own, asking for everything
    assert played.answer({"call": "snapshot-facts", "with": {"lesson": None}}) == {"containers": ["c1", "c2"]}
    with pytest.raises(errors.NotRecorded, match="docker ps"):
        played.answer({"call": "docker", "with": {"words": ["ps"]}})


def test_an_image_tar_is_kept_as_its_digest_and_still_matches(recording):
    engine = fake_engine()
    engine.run(BUSYBOX_IMAGE, ["sleep", "1d"], lesson="11-overlay", name="node1")
    archive = bytes(range(256)) * 200  # 51 kB, like an image's tar
    session = recorder(recording, engine)
    loaded = session.exec("node1", ["docker", "load"], stdin=archive)
    cast(Recorder, session).save()
    assert recording.stat().st_size < 2000

    played = player(recording)
    assert played.exec("node1", ["docker", "load"], stdin=archive) == list(loaded)
    with pytest.raises(errors.NotRecorded):
        played.exec("node1", ["docker", "load"], stdin=archive[:-1])


def _topology(*names: str) -> Topology:
    return Topology.from_dict({"host_interfaces": [], "networks": [], "containers": [
        {"name": name, "network_mode": "none", "networks": [], "interfaces": [], "lesson": LESSON} for name in names]})


def test_a_played_live_diagram_shows_each_picture_after_the_cell_it_was_drawn_in(recording):
    recorded = tape.Tape(LESSON)
    live = recorded.new_live()
    for source, names in (("live = lab.live()", ["c1"]), ("lab.docker('run c2')", ["c1", "c2"]),
                          ("lab.docker('rm -f c1')", ["c2"])):
        recorded.begin_cell(source)
        recorded.keep_frame(live, LESSON, _topology(*names).to_dict())
    recorded.save(recording)

    played = cast(Player, player(recording))
    played.tape.begin_cell("live = lab.live()")
    feed = played.follow(LESSON)
    seen: list[list[str]] = []
    feed.subscribe(lambda topology: seen.append(sorted(topology.containers)))
    feed.start()
    assert seen == [["c1"]]
    played.tape.begin_cell("lab.docker('run c2')")
    played._catch_up()  # what the end of the cell does
    assert seen[-1] == ["c1", "c2"]
    assert feed.wait(lambda topology: "c1" not in topology.containers, timeout=0)  # the recording holds it
    assert seen[-1] == ["c2"] and not feed.wait(lambda topology: "c9" in topology.containers, timeout=0)


def test_a_recorded_live_diagram_keeps_each_picture_with_its_cell(recording):
    session = recorder(recording, fake_engine(prepare=answer_as_the_host))
    recorded = cast(Recorder, session).tape
    recorded.begin_cell("live = lab.live()")
    feed = session.follow(LESSON)
    feed.refresh()  # a first picture, taken by the live session's watcher
    assert [(frame["live"], frame["cell"]) for frame in recorded.frames] == [(0, 0)]
    assert Topology.from_dict(recorded.frames[0]["topology"]).containers == feed.topology.containers


def test_nothing_outside_the_tests_rewires_the_engine():
    """No monkeypatching: no module assigns attributes of Engine (or of another module's functions)."""
    for path in PACKAGE.rglob("*.py"):
        for node in ast.walk(ast.parse(path.read_text())):
            if isinstance(node, ast.Call) and ast.unparse(node.func) == "setattr":
                assert "Engine" not in ast.unparse(node.args[0]), path
            if isinstance(node, (ast.Assign, ast.AnnAssign)):
                targets = node.targets if isinstance(node, ast.Assign) else [node.target]
                for target in targets:
                    text = ast.unparse(target)
                    assert not text.startswith("Engine."), (path, text)
                    assert not (isinstance(target, ast.Attribute) and isinstance(target.value, ast.Name)
                                and target.value.id in {"dockercli", "hostshell", "probe", "cluster", "health"}), \
                        (path, text)
