"""The Korean edition speaks one vocabulary: docs/glossary.ko.md's terms, in every lesson, sheet, page and message.

Each rule names the words the glossary replaced and what to write instead; quotations of the learner's
notes (“…”, "…" and > lines) keep the notes' own words (도커, 대역).
"""
from __future__ import annotations

import json
import re
from pathlib import Path

import nbformat
import pytest

ROOT = Path(__file__).resolve().parents[2]

RULES = [
    (r"(?:nat|filter|raw|mangle)`? ?표(?![가-힣]{2})|라우팅 표", "테이블: `nat` 테이블, 라우팅 테이블"),
    (r"에서 ?(?:기다리|기다립|기다릴|기다린|듣는|듣습|듣고)", "수신 대기하다 (listen)"),
    (r"포장", "캡슐화 (encapsulation)"),
    (r"붙잡", "캡처 (capture): \"패킷 캡처\""),
    (r"대역", "모의 바깥 세상 (stand-in outside world), 범위 (range)"),
    (r"도커", "Docker (도커 only in quotations of the notes)"),
    (r"(?<!뒷)정리(?!하면)", "요약 (summary) or 뒷정리 (clean up)"),
    (r"이 레슨이 끝나는 곳", "이 레슨이 끝나는 모습"),
    (r"\*\*이 레슨에서(?:는| 할 일)?\*\*", "**이 레슨에서 다루는 것**"),
    (r"여러분의 노트", "이 코스가 시작된 노트, 노트 (they are one learner's notes)"),
    (r"범위\(scope\)", "스코프(scope): 범위 is an address range"),
    (r"일하는|일하고 있", "동작하는, 제 역할을 하는"),
    (r"느슨한", "부정확한"),
    (r"십시오", "-세요 (실행하세요): every request to the learner in one voice"),
    (r"이\(가\)|을\(를\)|은\(는\)|와\(과\)|과\(와\)|\(으\)로", "a particle the code chooses: {name:을}"),
]
LOANWORDS = {
    "브리지": "bridge", "오버레이": "overlay", "인터페이스": "interface", "호스트": "host", "드라이버": "driver",
    "스웜": "swarm", "게이트웨이": "gateway", "레이블": "label", "레슨": "lesson", "서브넷": "subnet", "엔진": "engine",
    "네트워크 네임스페이스": "network namespace", "네트워크 스택": "network stack", "헤어핀": "hairpin",
    "언더레이": "underlay", "프록시": "proxy", "브로드캐스트": "broadcast", "루프백": "loopback", "리졸버": "resolver",
    "서비스": "service", "매니저": "manager", "업링크": "uplink", "페이로드": "payload", "마스커레이드": "masquerading",
    "라운드 로빈": "round-robin", "네트워크 모드": "network mode", "라우팅 메시": "routing mesh", "네트워크": "network",
    "컨테이너": "container", "패킷": "packet", "포트": "port",
}
"""Hangul spellings of English words: an English gloss after them says the same thing twice."""
GLOSSED_LOANWORD = re.compile(r"(?<![가-힣])(?:\*\*)?(" + "|".join(map(re.escape, LOANWORDS)) + r")(?:\*\*)?"
                              r"(?:\(([A-Za-z][A-Za-z -]*)\))")
QUOTED = re.compile(r"“[^”]*”|\"[^\"\n]*(?:\n[^\"\n]*)?\"|^>.*$", re.MULTILINE)


def korean_texts() -> list[tuple[str, str]]:
    """(where, text): every message, page and markdown cell of the Korean edition."""
    catalogue = json.loads((ROOT / "dockerlab" / "locale" / "ko.json").read_text("utf-8"))
    texts = [(f"ko.json:{key}", value) for key, value in catalogue.items()]
    pages = [ROOT / "README.ko.md", ROOT / "ko" / "notes-checked.md", *sorted((ROOT / "docs").glob("*.ko.md"))]
    texts += [(str(page.relative_to(ROOT)), page.read_text("utf-8"))
              for page in pages if page.name != "glossary.ko.md"]
    for notebook in sorted((ROOT / "ko").glob("*/*.ipynb")):
        for cell in nbformat.read(notebook, as_version=4).cells:
            if cell.cell_type == "markdown":
                texts.append((f"{notebook.relative_to(ROOT)}#{cell.id}", cell.source))
    return texts


TEXTS = korean_texts()


def breaches(text: str) -> list[str]:
    """What in ``text`` the glossary rules out, with what to write instead."""
    found = []
    unquoted = QUOTED.sub(" ", text)
    for pattern, instead in RULES:
        for match in re.finditer(pattern, unquoted, re.MULTILINE):
            context = unquoted[max(0, match.start() - 25):match.end() + 25].replace("\n", " ")
            found.append(f"“{match.group()}” (…{context}…): write {instead}")
    for match in GLOSSED_LOANWORD.finditer(text):
        if match.group(2).lower() == LOANWORDS[match.group(1)]:
            found.append(f"“{match.group()}”: {match.group(1)} is the English word spelled in Hangul; drop the gloss")
    return found


@pytest.mark.parametrize(("where", "text"), TEXTS, ids=[where for where, _ in TEXTS])
def test_the_korean_text_uses_the_glossarys_terms(where, text):
    found = breaches(text)
    assert not found, f"{where} (docs/glossary.ko.md):\n" + "\n".join(found)


def test_the_rules_find_what_the_review_found():
    review = ("`nat` 표에 엔진이 … 호스트의 모든 주소에서 기다리므로 … 포장 안에만 … 그것을 붙잡아 봅니다 … "
              "대역 바깥 세상 … 서로 다른 도커 호스트 … ## 정리 … 이 레슨이 끝나는 곳 … **이 레슨에서** … "
              "여러분의 노트에는 … 범위(scope) … 일하는 DNAT 규칙 … 느슨한 문장들 … {name}을(를) … "
              "숫자를 주십시오 … 레슨(lesson) … 호스트(host)")
    assert len(breaches(review)) == len(RULES) + 2
    quoted = "> 동일 대역의 IP\n\n노트가 말하는 “도커 데몬 간의 연결”, \"도커 너무 어렵습니다!!!\""
    assert breaches(quoted) == []
    assert breaches("격리(isolation), 별칭(alias), 그저 기다리기만 하는데, 정리하면, 뒷정리") == []


def lesson_titles() -> dict[str, str]:
    """Each Korean lesson's title, from its first line (``# 09 · 종합 과제: …``)."""
    titles = {}
    for notebook in sorted((ROOT / "ko" / "notebooks").glob("[0-9][0-9]-*.ipynb")):
        first = nbformat.read(notebook, as_version=4).cells[0].source.splitlines()[0]
        titles[notebook.stem[:2]] = first.split("·", 1)[1].strip()
    return titles


def names_used(text: str) -> list[tuple[str, str]]:
    """(lesson number, name) wherever a page names a lesson: a link to it, or a "| NN name |" row."""
    found = [(target[:2], name.split("·", 1)[-1].strip()) for name, target in
             re.findall(r"\[([^\]]+)\]\((?:[\w./]*/)?(\d\d-[\w-]+)\.ipynb\)", text)]
    found += re.findall(r"^\| (\d\d) ([^|]+?) \|", text, re.MULTILINE)
    return [(number, name) for number, name in found if not re.fullmatch(r"\d\d-[\w-]+", name)]


def test_a_lesson_has_one_title_everywhere():
    """README.ko.md, the instructor's guide, the course map and the lessons' links name a lesson by its own title.

    A short name is fine when every word of it is in the title ("기본 브리지" for "기본 브리지: docker0와 그 주소").
    """
    titles = lesson_titles()
    pages = [ROOT / "README.ko.md", ROOT / "docs" / "instructor-guide.ko.md",
             *sorted((ROOT / "ko" / "notebooks").glob("*.ipynb"))]
    wrong = []
    for page in pages:
        text = page.read_text("utf-8") if page.suffix == ".md" else "\n".join(
            cell.source for cell in nbformat.read(page, as_version=4).cells if cell.cell_type == "markdown")
        for number, name in names_used(text):
            words = [word.strip(":/,·`") for word in name.split()]
            if number in titles and not all(word in titles[number] for word in words if word):
                wrong.append(f"{page.relative_to(ROOT)}: “{name}” for lesson {number}, titled “{titles[number]}”")
    assert not wrong, "\n".join(wrong)
