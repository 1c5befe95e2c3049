"""The Korean catalogue: every English message, with the same fields; and how the language is chosen."""
from __future__ import annotations

import json
import os
import string
import subprocess
import sys
from pathlib import Path

import pytest

from dockerlab import text
from tests.conftest import ROOT

LOCALE = Path(text.__file__).parent / "locale"
ENGLISH = json.loads((LOCALE / "en.json").read_text("utf-8"))
KOREAN = json.loads((LOCALE / "ko.json").read_text("utf-8"))


def fields(template: str) -> set[str]:
    return {name for _, name, _, _ in string.Formatter().parse(template) if name is not None}


def test_every_english_message_is_in_korean():
    missing = sorted(set(ENGLISH) - set(KOREAN))
    assert not missing, f"dockerlab/locale/ko.json lacks {len(missing)} message(s): {', '.join(missing)}"
    unknown = sorted(set(KOREAN) - set(ENGLISH))
    assert not unknown, f"dockerlab/locale/ko.json has keys en.json does not: {', '.join(unknown)}"


@pytest.mark.parametrize("key", sorted(ENGLISH))
def test_korean_message_has_the_same_fields(key):
    assert fields(KOREAN.get(key, ENGLISH[key])) == fields(ENGLISH[key]), \
        f"ko.json's {key!r} must use exactly the fields {sorted(fields(ENGLISH[key]))}"


def test_korean_messages_are_korean_and_trimmed():
    for key, template in KOREAN.items():
        assert template.strip() == template, key
    hangul = [key for key, template in KOREAN.items() if any("가" <= char <= "힣" for char in template)]
    assert len(hangul) > 0.9 * len(KOREAN)  # the rest are names and commands, as doctor-title is


@pytest.fixture
def no_language(monkeypatch, tmp_path):
    for variable in ("DOCKERLAB_LANG", "LC_ALL", "LC_MESSAGES", "LANG"):
        monkeypatch.delenv(variable, raising=False)
    monkeypatch.chdir(tmp_path)
    return tmp_path


def test_english_by_default(no_language):
    assert text.language() == "en"
    assert text.count("containers", 3) == "3 containers"


def test_dockerlab_lang_chooses_korean(no_language, monkeypatch):
    monkeypatch.setenv("DOCKERLAB_LANG", "ko")
    assert text.say("outcome-correct") == "정답"
    assert text.count("containers", 3) == "컨테이너 3개"


def test_a_korean_locale_chooses_korean(no_language, monkeypatch):
    monkeypatch.setenv("LANG", "ko_KR.UTF-8")
    assert text.language() == "ko"
    monkeypatch.setenv("LANG", "de_DE.UTF-8")  # a language the course does not have: English
    assert text.language() == "en"
    monkeypatch.setenv("LC_ALL", "ko_KR.UTF-8")  # LC_ALL wins over LANG, as for every program
    assert text.language() == "ko"


def test_a_korean_notebook_folder_speaks_korean_whatever_the_environment_says(no_language, monkeypatch):
    (no_language / text.LANGUAGE_FILE).write_text("ko\n")
    monkeypatch.setenv("DOCKERLAB_LANG", "en")
    assert text.language() == "ko"


def run_cli(*args: str, **language: str) -> subprocess.CompletedProcess:
    """``dockerlab ARGS`` in a terminal whose only language settings are ``language``."""
    env = {key: value for key, value in os.environ.items()
           if key not in ("DOCKERLAB_LANG", "LC_ALL", "LC_MESSAGES", "LANG")}
    return subprocess.run([sys.executable, "-m", "dockerlab", *args], capture_output=True, text=True, cwd=ROOT,
                          env={**env, "DOCKER_HOST": "unix:///nowhere", **language}, timeout=120)


def test_check_list_answers_in_korean():
    for env in ({"DOCKERLAB_LANG": "ko"}, {"LANG": "ko_KR.UTF-8"}):
        result = run_cli("check", "--list", **env)
        assert result.returncode == 0, result.stderr
        assert f"01.1  {KOREAN['ex-01.1-title']}" in result.stdout.splitlines()


def test_an_unknown_task_is_refused_in_korean():
    result = run_cli("check", "99.9", DOCKERLAB_LANG="ko")
    assert result.returncode == 2
    assert "연습 문제 99.9는 없습니다" in result.stderr + result.stdout
