"""Korean particles follow how the word before them is read; the Korean messages let the code choose them."""
from __future__ import annotations

import json
import re
import string
from pathlib import Path

import pytest

from dockerlab import particles, text
from dockerlab.particles import CONSONANT, RIEUL, VOWEL, attach, ending

KOREAN = json.loads((Path(text.__file__).parent / "locale" / "ko.json").read_text("utf-8"))

# Words of the course, with how a Korean reader reads them aloud and how that reading ends.
READINGS = [
    # Hangul: the last syllable's final consonant (ㄹ apart, for (으)로)
    ("브리지", VOWEL), ("엔진", CONSONANT), ("파일", RIEUL), ("네트워크", VOWEL), ("브리지(bridge)", VOWEL),
    ("“도커 너무 어렵습니다!!!”", VOWEL),
    # the lessons' names, as lesson-ready and the reset messages show them
    ("00-welcome", CONSONANT),             # 웰컴
    ("01-default-bridge", VOWEL),          # 브리지
    ("02-veth-pairs", VOWEL),              # 페어스
    ("05-connect", VOWEL),                 # 커넥트
    ("07-dns-load-balancing", CONSONANT),  # 밸런싱
    ("08-ports-and-nat", CONSONANT),       # 냇
    ("11-overlay", VOWEL),                 # 오버레이
    ("13-ipv6", VOWEL),                    # 아이피브이식스
    # interfaces, bridges, containers and networks the lessons make
    ("eth0", CONSONANT), ("docker0", CONSONANT), ("lo", VOWEL), ("br-3f2a", VOWEL), ("vethab12cd", VOWEL),
    ("c1", RIEUL), ("c2", VOWEL), ("c3", CONSONANT), ("c4", VOWEL), ("node1", RIEUL), ("node3", CONSONANT),
    ("mv1", RIEUL), ("dl-parent0", CONSONANT), ("dl-mvshim", CONSONANT), ("e11-a", VOWEL),
    ("bridge", VOWEL), ("host", VOWEL), ("none", CONSONANT), ("null", RIEUL), ("macvlan", CONSONANT),
    ("overlay", VOWEL), ("first", VOWEL), ("second", VOWEL), ("third", VOWEL), ("custom", CONSONANT),
    ("front", VOWEL), ("back", CONSONANT), ("web", CONSONANT), ("app", CONSONANT), ("shop", CONSONANT),
    ("db", VOWEL), ("api", VOWEL), ("client", VOWEL), ("outside", VOWEL), ("legacy-app", CONSONANT),
    ("lbnet", CONSONANT), ("ov-small", RIEUL), ("ov-secret", CONSONANT), ("e11-web", CONSONANT),
    ("dockerlab/busybox:latest", VOWEL),
    # addresses, ports, numbers
    ("10.0.0.1", RIEUL), ("172.17.0.0/16", CONSONANT), ("10.0.0.0/24", VOWEL), ("203.0.113.1:8081", RIEUL),
    ("80/tcp", VOWEL), ("8080", CONSONANT), ("100", CONSONANT), ("1000", CONSONANT), ("10000", CONSONANT),
    ("65,536", CONSONANT), ("02:42:ac:11:00:02", VOWEL), ("fd13::1", RIEUL), ("0", CONSONANT),
    # words said letter by letter, and the firewall's words
    ("tcp", VOWEL), ("IPAM", CONSONANT), ("VIP", VOWEL), ("NAT", CONSONANT), ("DNAT", CONSONANT),
    ("MASQUERADE", VOWEL), ("INPUT", CONSONANT), ("FORWARD", VOWEL), ("DOCKER-USER", VOWEL), ("VXLAN", CONSONANT),
    # commands and what a learner may type
    ("remove", VOWEL), ("exec", CONSONANT), ("stop", CONSONANT), ("'d2'", VOWEL), ("", VOWEL),
]


@pytest.mark.parametrize(("word", "reading"), READINGS, ids=[word or "empty" for word, _ in READINGS])
def test_a_word_is_read_as_a_korean_reader_reads_it(word, reading):
    assert ending(word) == reading


@pytest.mark.parametrize(("word", "which", "written"), [
    ("01-default-bridge", "을", "01-default-bridge를"), ("00-welcome", "를", "00-welcome을"),
    ("c3", "이", "c3이"), ("c2", "이", "c2가"), ("eth0", "은", "eth0은"), ("bridge", "은", "bridge는"),
    ("first", "과", "first와"), ("custom", "와", "custom과"),
    ("node1", "으로", "node1로"), ("c3", "으로", "c3으로"), ("bridge", "로", "bridge로"),
    ("eth0", "으로도", "eth0으로도"),
    ("10.0.0.1", "으로는", "10.0.0.1로는"), ("node3", "이라는", "node3이라는"), ("web1", "이라는", "web1이라는"),
    ("api", "이라는", "api라는"),
])
def test_attach_writes_the_particle_the_reading_takes(word, which, written):
    assert attach(word, which) == written


def test_an_unknown_particle_is_refused():
    with pytest.raises(ValueError, match="not a particle"):
        attach("c1", "의")


def test_say_fills_a_particle_after_a_field(monkeypatch, tmp_path):
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("DOCKERLAB_LANG", "ko")
    assert text.say("lesson-ready", lesson="01-default-bridge").startswith("01-default-bridge 레슨을")
    assert text.say("path-missing", source="a1", target="b1", reason="-") == "a1에서 b1로 가는 경로가 없습니다: -"
    assert text.say("path-missing", source="a1", target="c3", reason="-").startswith("a1에서 c3으로 ")
    assert text.say("predict-unknown-choice", given="maybe", last=2).startswith("'maybe'는 ")
    monkeypatch.setenv("DOCKERLAB_LANG", "en")
    assert text.say("command-failed", command="docker ps", code=1, output="x") == "`docker ps` exited with code 1: x"


PAIR = re.compile(r"이\(가\)|가\(이\)|을\(를\)|를\(을\)|은\(는\)|는\(은\)|와\(과\)|과\(와\)|\(으\)로|\(이\)[가-힣]")
"""A particle written both ways, as "이(가)", for the reader to pick: the code picks it."""

FIXED_AFTER_FIELD = re.compile(r"(?<!\})\}[`'\"”’]*(이|가|을|를|은|는|와|과|으로|로|이나|나)(?![가-힣])"
                               r"|(?<!\})\}[`'\"”’]*(으로|로)(?=[서써는도])")
"""A particle fixed after a field ("{name}이", "`{command}`가"): wrong whenever the value ends the other way.
(After a field in parentheses the particle follows the word before them: "대상({names})이" is right.)"""


def test_no_korean_message_offers_a_particle_both_ways():
    both = {key: template for key, template in KOREAN.items() if PAIR.search(template)}
    assert not both, "write the particle after the field, as {name:을}, so that it is chosen: " + repr(both)


def test_no_korean_message_fixes_a_particle_after_a_field():
    fixed = {key: template for key, template in KOREAN.items() if FIXED_AFTER_FIELD.search(template)}
    assert not fixed, ("a particle right after a field is chosen by the code: write {name:이}, {name:을} ... "
                       "(or put a fixed word between, as `{command}` 명령이): " + repr(fixed))


def test_the_checks_see_the_faults_they_look_for():
    assert PAIR.search("{name}을(를) 지웁니다") and PAIR.search("{b}(으)로 넘기는")
    assert FIXED_AFTER_FIELD.search("{name}이 없습니다") and FIXED_AFTER_FIELD.search("`{command}`가 실패")
    assert FIXED_AFTER_FIELD.search("{url}로는 전달하지")
    assert not FIXED_AFTER_FIELD.search("{name:이} 없습니다 {n}개 {x}의 {y}에서 {z}입니다 {lesson} 레슨을")
    assert not FIXED_AFTER_FIELD.search("대상({names})이 없습니다, `--format '{{{{.Name}}}}'`로")


@pytest.mark.parametrize("key", sorted(KOREAN))
def test_every_particle_a_korean_message_names_is_one_the_code_chooses(key):
    for _, field, spec, _ in string.Formatter().parse(KOREAN[key]):
        if field is not None and spec and any("가" <= char <= "힣" for char in spec):
            assert particles.is_particle(spec), f"{key}: {{{field}:{spec}}} is not a particle the course chooses"
