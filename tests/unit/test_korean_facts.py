"""No Korean message drops a fact of its English one: its numbers, options, commands and capitalised names.

A translation may reword freely, but a hint that loses "(lesson 08, section 6)", an option or a version
number loses what the learner needed. Each English fact must be somewhere in the Korean message.
"""
from __future__ import annotations

import json
import re
from collections import Counter
from pathlib import Path

import pytest

from dockerlab import text

LOCALE = Path(text.__file__).parent / "locale"
ENGLISH = json.loads((LOCALE / "en.json").read_text("utf-8"))
KOREAN = json.loads((LOCALE / "ko.json").read_text("utf-8"))

ASCII = "0-9A-Za-z"
SAID_ANOTHER_WAY = {
    ("replay-banner", "RECORDING"): "capitals for emphasis in English; the Korean opens with 녹화본입니다",
    ("probe-disagrees", "NOT"): "capitals for emphasis in English; the Korean says 다른 결과를 보였습니다",
}
"""(key, fact): where the Korean says the same thing without the English token, and how."""


def facts(template: str) -> Counter:
    """What must survive a translation: `code`, numbers (08, 28.0, 127.0.0.1), options (-p, --internal), CAPITALS."""
    found: Counter = Counter()
    template = re.sub(r"(?<!\{)\{[^{}]*\}(?!\})", "\x00", template)  # fields are compared by their own test
    for code in re.findall(r"`([^`]+)`", template):
        found[code] += 1
    prose = re.sub(r"`[^`]+`", " ", template)
    found.update(re.findall(rf"(?<![{ASCII}.-])\d+(?:\.\d+)*(?![{ASCII}])", prose))
    found.update(re.findall(rf"(?<![{ASCII}-])--?[A-Za-z][A-Za-z0-9-]*", prose))
    found.update(re.findall(rf"(?<![{ASCII}_-])[A-Z][A-Z0-9_-]*[A-Z0-9](?![{ASCII}_-])", prose))
    return found


@pytest.mark.parametrize("key", sorted(ENGLISH))
def test_the_korean_message_keeps_every_fact_of_the_english_one(key):
    korean = facts(KOREAN.get(key, ""))
    dropped = [fact for fact in facts(ENGLISH[key]) if fact not in korean and (key, fact) not in SAID_ANOTHER_WAY]
    assert not dropped, (f"ko.json's {key!r} leaves out {dropped} of the English:\n  {ENGLISH[key]}\n"
                         f"  {KOREAN.get(key)}")


def test_facts_finds_what_a_shortened_hint_loses():
    english = ("`-p 8090:80` listens on every address of the host, the LAN's too — and a host firewall's INPUT rules "
               "do not stop it (lesson 08, section 6).")
    shortened = "`-p 8090:80`은 호스트의 모든 주소에서 수신 대기합니다. LAN 쪽 주소도 포함입니다."
    assert set(facts(english)) - set(facts(shortened)) == {"INPUT", "08", "6"}
    assert facts("{name:을} 28.0부터 `--ip`와 -p를 NAT에서") == Counter({"--ip": 1, "28.0": 1, "-p": 1, "NAT": 1})


def test_every_exception_is_still_needed():
    for key, fact in SAID_ANOTHER_WAY:
        assert fact in facts(ENGLISH[key]) and fact not in facts(KOREAN[key]), (key, fact)
