"""Korean particles (조사) chosen by how the word before them is read, as a Korean reader reads it aloud.

    attach("c3", "을")                 # "c3을"   (씨삼: ends in ㅁ)
    attach("01-default-bridge", "을")  # "01-default-bridge를"  (…브리지: no final consonant)
    attach("node1", "으로")            # "node1로"  (노드일: ㄹ takes 로)
    ending("10.0.0.1")                 # "rieul"  (…점 일)

A message template names the particle after its field, and :func:`dockerlab.text.say` fills it in:
``"{name:을} 지웁니다"`` says "c3을 지웁니다" or "bridge를 지웁니다". Either form may be written
(``{name:를}`` is the same); the pairs are 이/가, 을/를, 은/는, 과/와, (으)로 (and 으로는, 으로도 …),
(이)나, (이)라는, (이)라고, (이)라면.

How a word is read: Hangul by its last syllable; numbers in Sino-Korean (1 일, 3 삼, 10 십, 100 백,
``10.0.0.1`` … 일; a run with a leading zero digit by digit, ``02`` 영이); letters as an English word
(``web`` 웹, ``bridge`` 브리지, ``welcome`` 웰컴), or letter by letter when they have no vowel, are one or
two letters, or are up to three capitals (``tcp`` 티씨피, ``lo`` 엘오, ``VIP`` 브이아이피, ``br-3f2a``'s ``a``
에이); a table holds the words these rules read wrong (``ipv6`` 아이피브이식스, ``check`` 체크). Closing
quotes, brackets and a trailing gloss in parentheses do not count: ``"브리지(bridge)"`` is read 브리지.
"""
from __future__ import annotations

import re
import string

VOWEL, RIEUL, CONSONANT = "vowel", "rieul", "consonant"
"""How a reading ends: no final consonant (받침), the final ㄹ, or another final consonant."""

# particle -> (after a final consonant, after no final consonant); ㄹ counts as a consonant except for (으)로
_PAIRS = {"이": ("이", "가"), "을": ("을", "를"), "은": ("은", "는"), "과": ("과", "와"),
          "이나": ("이나", "나"), "이라는": ("이라는", "라는"), "이라고": ("이라고", "라고"),
          "이라면": ("이라면", "라면")}
PARTICLES = {**_PAIRS, **{pair[1]: pair for pair in _PAIRS.values()}}

_DIGITS = {"0": CONSONANT, "1": RIEUL, "2": VOWEL, "3": CONSONANT, "4": VOWEL,  # 영 일 이 삼 사
           "5": VOWEL, "6": CONSONANT, "7": RIEUL, "8": RIEUL, "9": VOWEL}      # 오 육 칠 팔 구
_LETTERS = {"l": RIEUL, "m": CONSONANT, "n": CONSONANT, "r": RIEUL}  # 엘 엠 엔 알; every other name ends in a vowel
_VOWEL_LETTERS = set("aeiouy")
KNOWN = {
    # words the spelling rules below read wrong, as Korean technical writing reads them
    "ipv4": VOWEL, "ipv6": VOWEL,            # 아이피브이포, 아이피브이식스
    "mac": CONSONANT, "nat": CONSONANT, "dnat": CONSONANT, "snat": CONSONANT,  # 맥, 냇, 디냇, 스냇
    "lan": CONSONANT, "vlan": CONSONANT, "wan": CONSONANT, "nic": CONSONANT, "ram": CONSONANT,  # 랜 … 닉 램
    "ipsec": CONSONANT, "cidr": VOWEL,  # 아이피섹, 사이더
    "check": VOWEL, "hub": VOWEL, "bit": VOWEL, "type": CONSONANT, "up": CONSONANT,
    "sleep": CONSONANT, "keep": CONSONANT, "book": CONSONANT, "look": CONSONANT,
}
_CLOSERS = set(")]}>\"'`”’」』.,;:!?…·")


def _hangul(char: str) -> str | None:
    code = ord(char) - 0xAC00
    if not 0 <= code < 11172:
        return None
    final = code % 28
    return VOWEL if final == 0 else RIEUL if final == 8 else CONSONANT


def _number(run: str) -> str:
    """A run of digits read as a Sino-Korean number (``10`` 십, ``1000`` 천), or digit by digit if it starts with 0."""
    digits = run.replace(",", "")
    if len(digits) > 1 and digits.startswith("0"):
        return _DIGITS[digits[-1]]
    zeros = len(digits) - len(digits.rstrip("0"))
    if zeros == 0 or int(digits) == 0:
        return _DIGITS[digits[-1]]
    if zeros % 4:
        return CONSONANT  # 십, 백, 천
    return VOWEL if zeros // 4 == 3 else CONSONANT  # 만, 억, 조 (ends in a vowel), 경


def _letters_one_by_one(letters: str) -> str:
    return _LETTERS.get(letters[-1].lower(), VOWEL)


def _english(word: str) -> str:
    """A lower-case English word, by how it is written in Hangul (web 웹, bridge 브리지, small 스몰, none 논)."""
    if word.endswith("ng") or word.endswith(("m", "me", "n", "ne")):
        return CONSONANT
    if word.endswith(("l", "le")):
        return RIEUL
    if word.endswith("ck"):
        return CONSONANT
    stem = word[:-1] if len(word) > 2 and word[-1] == word[-2] else word  # app -> ap
    if stem[-1] in "pbtkc" and len(stem) >= 2 and stem[-2] in "aeiou" and (len(stem) == 2 or stem[-3] not in
                                                                          _VOWEL_LETTERS):
        return CONSONANT  # a short vowel, then p, b, t, k or c: 앱, 웹, 넷, 백, 맥
    return VOWEL


def _word(letters: str) -> str:
    lower = letters.lower()
    if lower in KNOWN:
        return KNOWN[lower]
    if len(letters) <= 2 or not set(lower) & _VOWEL_LETTERS:
        return _letters_one_by_one(letters)
    if letters.isupper() and len(letters) <= 3:
        return _letters_one_by_one(letters)  # TCP, VIP, MTU: said letter by letter (USER, DROP: as words)
    return _english(lower)


def _strip(word: str) -> str:
    """The word without what is not read before a particle: closing quotes and brackets, a trailing gloss."""
    while True:
        word = word.rstrip()
        if word.endswith(")") and "(" in word:
            before = word[:word.rindex("(")]
            if before.strip():
                word = before
                continue
        if word and (word[-1] in _CLOSERS or word[-1] in "/-_*#=+~^|\\"):
            word = word[:-1]
            continue
        return word


def ending(word: object) -> str:
    """How the reading of ``word`` ends: ``VOWEL``, ``RIEUL`` or ``CONSONANT`` (VOWEL when nothing is readable)."""
    text = _strip(str(word))
    if not text:
        return VOWEL
    last = text[-1]
    if _hangul(last):
        return _hangul(last)  # type: ignore[return-value]
    if last == "%":
        return VOWEL  # 퍼센트
    if last.isdigit():
        run = re.search(r"\d[\d,]*$", text).group()  # type: ignore[union-attr]
        token = re.search(r"[A-Za-z]+\d+$", text)
        if token and token.group().lower() in KNOWN:
            return KNOWN[token.group().lower()]
        return _number(run.lstrip(","))
    if last.isalpha():
        return _word(re.search(r"[^\W\d_]+$", text).group())  # type: ignore[union-attr]
    return VOWEL


def particle(word: object, which: str) -> str:
    """The form of particle ``which`` (이, 가, 을, 를, 은, 는, 과, 와, 으로, 로, …) that follows ``word``."""
    if which.startswith(("으로", "로")):
        rest = which[2:] if which.startswith("으로") else which[1:]
        return ("으로" if ending(word) == CONSONANT else "로") + rest
    if which not in PARTICLES:
        raise ValueError(f"{which!r} is not a particle the course chooses: one of {', '.join(sorted(PARTICLES))}, "
                         "으로")
    after_consonant, after_vowel = PARTICLES[which]
    return after_vowel if ending(word) == VOWEL else after_consonant


def attach(word: object, which: str) -> str:
    """``word`` followed by the right form of particle ``which``: ``attach("c3", "을") == "c3을"``."""
    return f"{word}{particle(word, which)}"


def is_particle(spec: str) -> bool:
    """Whether a template's format spec (``{name:을}``) names a particle."""
    return spec in PARTICLES or (spec.startswith(("으로", "로")) and all("가" <= c <= "힣" for c in spec))


class ParticleFormatter(string.Formatter):
    """``str.format`` that reads ``{field:을}`` as "the value and its particle"; every other spec as usual."""

    def format_field(self, value: object, format_spec: str) -> str:
        if format_spec and is_particle(format_spec):
            return attach(value, format_spec)
        return super().format_field(value, format_spec)


FORMATTER = ParticleFormatter()
