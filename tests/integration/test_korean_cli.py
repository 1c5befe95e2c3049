"""In Korean on the real engine: a task that is not done yet is judged, explained and hinted in Korean."""
from __future__ import annotations

import json
from pathlib import Path

from tests.conftest import run_cli

KOREAN = json.loads((Path(__file__).resolve().parents[2] / "dockerlab" / "locale" / "ko.json").read_text("utf-8"))


def test_a_failing_check_answers_in_korean(engine):
    assert not [c for c in engine.containers(all=True) if c["Names"][0] in ("/ex-a", "/ex-b")], \
        "task 01.1 is done on this engine already: remove ex-a and ex-b (dockerlab reset --lesson exercises)"
    result = run_cli("check", "01.1", env={"DOCKERLAB_LANG": "ko"})
    assert result.returncode == 1, result.stderr
    said = result.stdout
    assert KOREAN["outcome-not-attempted"] in said and KOREAN["ex-01.1-title"] in said, said
    assert KOREAN["ex-01.1-nudge"] in said, said  # the first hint, in Korean
    english = run_cli("check", "01.1", env={"DOCKERLAB_LANG": "en"})
    assert "not attempted" in english.stdout and "시도 전" not in english.stdout
