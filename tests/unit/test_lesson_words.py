"""Words a learner reads from a lesson's helpers: labels on values, sentences for dicts, a warning explained once."""
from __future__ import annotations

import pytest

from dockerlab.host import prompt
from dockerlab.host.enginehost import EngineHost
from dockerlab.lessons.lesson import Lab
from dockerlab.lessons.listing import Found

WARNING = "WARNING: Localhost DNS (127.0.0.1) may fail in containers.\n"


def test_a_dry_run_clean_up_reads_as_a_sentence_and_stays_a_dict():
    found = Found({"containers": ["hello"], "networks": [], "volumes": []}, "00-welcome", removed=False)
    assert repr(found) == "`dockerlab reset --lesson 00-welcome` would remove: 1 container (hello)."
    assert found["containers"] == ["hello"]
    assert repr(Found({"containers": []}, "00-welcome", removed=True)) == \
        "`dockerlab reset --lesson 00-welcome` removed: nothing to remove."


class _Session:
    """Answers ``docker`` with the CLI's local-DNS warning, as the CLI prints it for ``--dns 127.0.0.1``."""

    lesson = "01-default-bridge"

    def for_lesson(self, lesson):
        return self

    def docker(self, words):
        return 0, WARNING + "f00d\n"


def test_the_local_dns_warning_is_explained_once_then_folded(capsys):
    lab = Lab(_Session(), "01-default-bridge")  # type: ignore[arg-type]
    first = lab.docker("run -d --name c1 dockerlab/busybox sleep 1d")
    second = lab.docker("run -d --name c2 dockerlab/busybox sleep 1d")
    out = capsys.readouterr().out
    assert out.count("WARNING: Localhost DNS") == 1 and out.count("lesson 00 explains it") == 1
    assert out.endswith("--name c2 dockerlab/busybox sleep 1d\nf00d\n")
    assert first.output == second.output == WARNING + "f00d\n"  # what the engine said is kept whole


class _Engine:
    url = "unix:///fake-prompt.sock"

    def __init__(self, security=(), pid="4242"):
        self.security, self.pid = list(security), pid

    def info(self):
        return {"SecurityOptions": self.security}

    def run(self, image, command, **options):
        return {}, self.pid + "\n"


@pytest.mark.parametrize("root, host, security, expected", [
    (True, EngineHost(True, True, True), [], []),
    (False, EngineHost(True, True, False), [], ["sudo"]),
    (True, EngineHost(True, False, False), [], ["nsenter", "-t", "4242", "-m", "-n"]),
    (False, EngineHost(True, False, False), [], ["sudo", "nsenter", "-t", "4242", "-m", "-n"]),
    (False, EngineHost(True, False, False), ["name=seccomp", "name=rootless"], list(prompt.ROOTLESS)),
    (False, EngineHost(False, False, False), [], list(prompt.IN_THE_VM)),
])
def test_host_commands_are_shown_as_typed_here(monkeypatch, root, host, security, expected):
    monkeypatch.setattr(prompt.os, "geteuid", lambda: 0 if root else 1000)
    monkeypatch.setattr(prompt, "engine_host", lambda engine: host)
    prompt._known.clear()
    assert prompt.words_before(_Engine(security)) == expected  # type: ignore[arg-type]
    assert prompt.typed(expected, "ip -o link show docker0").endswith("ip -o link show docker0")
    prompt._known.clear()


def test_a_lesson_finds_what_other_lessons_left():
    from dockerlab import labels
    from dockerlab.lessons import neighbours
    from tests.unit.fake_engine import fake_engine

    engine = fake_engine()
    engine.run(labels.BUSYBOX_IMAGE, ["sleep", "1d"], lesson="02-veth-pairs", name="c1")
    engine.run(labels.BUSYBOX_IMAGE, ["sleep", "1d"], lesson="probe", name="dockerlab-probe")
    engine.create_network("second", lesson="02-veth-pairs")
    found = neighbours.left_by_others(engine, "01-default-bridge")
    assert found == {"02-veth-pairs": {"containers": ["c1"], "networks": ["second"]}}
    assert "dockerlab reset --lesson 02-veth-pairs" in neighbours.describe(found)
    assert neighbours.left_by_others(engine, "02-veth-pairs") == {}
