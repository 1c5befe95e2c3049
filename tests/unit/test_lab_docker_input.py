"""Whatever is typed into ``lab.docker()``, the learner gets its output or a course error, nothing else.

A stub ``docker`` stands in for the CLI (it prints its words and fails on some),
so no engine is needed; the real CLI on the engine is in tests/integration.
"""
from __future__ import annotations

import os
import stat
import types

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from dockerlab import errors
from dockerlab.engine.client import Engine
from dockerlab.host.session import LiveSession
from dockerlab.lessons.lesson import Lab, Result

STUB = """#!/bin/sh
printf '%s\\n' "$DOCKER_HOST" "$@"
case "$1" in fail|connect|frobnicate) echo "docker: unknown command: docker $1" >&2; exit 1;; esac
exit 0
"""
WORDS = ["run", "-d", "--rm", "-dit", "--name", "c1", "-p", "abc:80", "stop", "-t", "soon", "network", "connect",
         "fail", "frobnicate", "'", '"', "\\", "--dns", "127.0.0.1", "--network", "host", "container:x", "=", "$(x)",
         ";", "|", "#", "\x00", "\ud800", "docker", "exec", "create", "-", "--", "\n", "é"]


@pytest.fixture
def lab(tmp_path, monkeypatch):
    cli = tmp_path / "docker"
    cli.write_text(STUB)
    cli.chmod(cli.stat().st_mode | stat.S_IEXEC)
    monkeypatch.setenv("PATH", f"{tmp_path}{os.pathsep}{os.environ.get('PATH', '')}")
    engine = Engine.__new__(Engine)
    engine.client, engine.url = types.SimpleNamespace(api=None), "unix:///nonexistent/docker.sock"
    made = Lab(LiveSession(engine, "unit"), "unit")
    yield made
    made.engine.close()


def _typed(words: list[str], glue: list[str]) -> str:
    return "".join(word + sep for word, sep in zip(words, glue, strict=False))


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(st.one_of(st.text(max_size=40),
                 st.lists(st.sampled_from(WORDS), max_size=8).flatmap(
                     lambda words: st.tuples(st.just(words), st.lists(st.sampled_from([" ", "", "  ", "="]),
                                                                      min_size=len(words), max_size=len(words))))
                 .map(lambda pair: _typed(*pair))),
       st.booleans())
def test_only_output_or_a_course_error_comes_back(lab, command, should_fail):
    try:
        result = lab.docker(command, should_fail=should_fail, quiet=True)
    except errors.LabError as error:
        assert str(error)
    else:
        assert isinstance(result, Result) and result.command.startswith("docker ")
        assert (result.exit_code != 0) == should_fail


def test_the_cli_runs_against_the_courses_proxy_and_its_words_are_kept(lab, capsys):
    result = lab.docker("exec c1 sh -c 'echo $((6 * 7))'")
    assert result.output.splitlines() == [lab.engine.proxy().url, "exec", "c1", "sh", "-c", "echo $((6 * 7))"]
    assert capsys.readouterr().out.startswith("$ docker exec c1 sh -c 'echo $((6 * 7))'\n")


def test_the_added_dns_setting_is_shown_and_passed(lab, capsys):
    result = lab.docker("run -d --name c1 dockerlab/busybox sleep 1d")
    assert result.command == "docker run --dns 127.0.0.1 -d --name c1 dockerlab/busybox sleep 1d"
    assert result.output.splitlines()[1:4] == ["run", "--dns", "127.0.0.1"]
    assert capsys.readouterr().out.startswith(f"$ {result.command}\n")


def test_a_failed_command_carries_the_clis_message(lab):
    with pytest.raises(errors.CommandRefused, match="unknown command: docker connect"):
        lab.docker("connect bridge c1")
    assert lab.docker("connect bridge c1", should_fail=True).exit_code == 1
    with pytest.raises(errors.CommandRefused, match="expected to be refused"):
        lab.docker("ps", should_fail=True)


@pytest.mark.parametrize("given", [None, 42, ["ps"], b"ps"])
def test_a_command_that_is_not_text_is_a_course_error(lab, given):
    with pytest.raises(errors.UnsupportedCommand, match="as text"):
        lab.docker(given)


def test_an_interrupted_command_is_a_course_error(lab, monkeypatch):
    def interrupted(*args, **kwargs):
        raise KeyboardInterrupt
    monkeypatch.setattr("subprocess.run", interrupted)
    with pytest.raises(errors.CommandRefused, match="stopped by the interrupt"):
        lab.docker("logs -f c1")


def test_no_docker_command_says_what_to_install(lab, monkeypatch):
    monkeypatch.setenv("PATH", "/nonexistent")
    with pytest.raises(errors.CliMissing, match=r"apt-get install docker\.io"):
        lab.docker("ps")
