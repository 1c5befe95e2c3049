"""Recording at the engine boundary and playing back with no engine (dockerlab/tape.py, replay.py)."""
from __future__ import annotations

import pytest

from dockerlab import errors, replay
from dockerlab.engine import dockercli
from dockerlab.engine.client import Engine
from dockerlab.labels import BUSYBOX_IMAGE
from dockerlab.replay import tape
from tests.unit.fake_engine import fake_engine


@pytest.fixture
def recording(tmp_path, monkeypatch):
    monkeypatch.setattr(dockercli, "run", lambda words, docker_host: (0, f"ran {' '.join(words)}\n"))
    yield tmp_path / "04-user-networks.json.gz"
    tape.stop()


def _no_engine() -> Engine:
    engine = Engine.__new__(Engine)
    engine.client = engine.api = None
    engine.url = "unix:///nowhere"
    return engine


def test_what_the_engine_answered_comes_back_with_no_engine(recording):
    engine = fake_engine()
    tape.record("04-user-networks", recording, {"version": "20.10.24"})
    engine.run(BUSYBOX_IMAGE, ["sleep", "1d"], lesson="04-user-networks", name="c1")
    inspected = engine.container("c1")
    said = dockercli.run(["network", "ls"], "unix:///proxy-1")
    with pytest.raises(errors.NotFound):
        engine.container("c9")
    tape.current().save(recording)
    tape.stop()

    played = tape.play(recording)
    nowhere = _no_engine()
    assert played.engine == {"version": "20.10.24"}
    kept = {key: value for key, value in inspected.items() if key not in ("LogPath", "ResolvConfPath",
                                                                          "HostnamePath", "HostsPath", "GraphDriver")}
    assert nowhere.container("c1") == kept  # the engine's own paths on its host are not kept
    assert list(dockercli.run(["network", "ls"], "unix:///proxy-2")) == list(said)  # where it went is not the key
    with pytest.raises(errors.NotFound):
        nowhere.container("c9")
    with pytest.raises(errors.NotRecorded, match="docker network rm x"):
        dockercli.run(["network", "rm", "x"], "unix:///proxy-2")


def test_the_same_call_twice_in_a_cell_gets_its_two_answers_in_order(recording):
    engine = fake_engine()
    tape.record("04-user-networks", recording, {})
    tape.current().begin_cell("lab.draw()")
    before = engine.containers()
    engine.run(BUSYBOX_IMAGE, ["sleep", "1d"], lesson="04-user-networks", name="c1")
    after = engine.containers()
    assert before != after
    tape.current().save(recording)
    tape.stop()

    tape.play(recording).begin_cell("lab.draw()")
    nowhere = _no_engine()
    assert nowhere.containers() == before
    assert nowhere.containers() == after
    tape.current().begin_cell("lab.draw()")  # the cell run again: its answers again
    assert nowhere.containers() == before


def test_calls_made_inside_a_recorded_call_are_not_kept(recording):
    engine = fake_engine()
    engine.run(BUSYBOX_IMAGE, ["sleep", "1d"], lesson="04-user-networks", name="c1")
    tape.record("04-user-networks", recording, {})
    engine.remove_labelled("04-user-networks")  # which asks engine.labelled first
    kept = [call["call"] for cell in tape.current().cells for call in cell["calls"]]
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
        replay.connect("04-user-networks")


def test_a_check_in_a_replayed_session_says_it_needs_a_real_engine(recording):
    from dockerlab.exercises import Attempt, all_tasks

    tape.Tape("ex04").save(recording)
    tape.play(recording)
    task = Attempt(next(t for t in all_tasks() if t.id == "04.1"), engine=None)
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

    played = tape.play(recording)
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
    tape.record("11-overlay", recording, {})
    loaded = engine.exec("node1", ["docker", "load"], stdin=archive)
    tape.current().save(recording)
    tape.stop()
    assert recording.stat().st_size < 2000

    tape.play(recording)
    assert _no_engine().exec("node1", ["docker", "load"], stdin=archive) == list(loaded)
    with pytest.raises(errors.NotRecorded):
        _no_engine().exec("node1", ["docker", "load"], stdin=archive[:-1] + b"x")
