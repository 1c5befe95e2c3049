"""How a question's answer is read: every form a teacher would accept, and why a wrong one is wrong.

An address is accepted with or without its prefix length, alone or in a sentence, in any spelling of
the same address (``fd23::2``, ``FD23:0::2``); a choice by its key or by its text in any language the
course speaks, in any case and spacing, alone or in a sentence. Anything else is judged *not yet*
with what was read and why it is not the answer, from the catalogue (``ex-<id>-wrong-<key>``).
"""
from __future__ import annotations

import ipaddress
import re
import unicodedata

from ..text import in_every_language, say
from .verdict import NotYet

_ADDRESS_LIKE = re.compile(r"[0-9A-Fa-f:.]*[.:][0-9A-Fa-f:.]*(?:%\w+)?(?:/\d{1,3})?")

Address = ipaddress.IPv4Address | ipaddress.IPv6Address


def words(text: str) -> str:
    """``text`` as plain words: no case, accents of width, punctuation or extra spaces."""
    folded = unicodedata.normalize("NFKC", str(text)).casefold().replace("/udp", " udp")
    return " ".join("".join(ch if ch.isalnum() else " " for ch in folded).split())


def addresses(text: str) -> list[tuple[Address, int | None]]:
    """Each distinct address named in ``text`` (with its prefix length, if one was written), in order."""
    found: list[tuple[Address, int | None]] = []
    for match in _ADDRESS_LIKE.finditer(unicodedata.normalize("NFKC", str(text))):
        candidate, _, length = match.group(0).partition("/")
        candidate = candidate.split("%")[0].rstrip(".")
        if candidate.count(":") < 2:
            candidate = candidate.strip(":")
        try:
            address = ipaddress.ip_address(candidate)
        except ValueError:
            continue
        if all(address != seen for seen, _ in found):
            found.append((address, int(length) if length else None))
    return found


def judge_address(task_id: str, given: str, expected: str, subnet: str | None, known: dict[str, str]) -> None:
    """``given`` names exactly the ``expected`` address (prefix length optional); else why not.

    ``known`` maps an address a learner may give to the catalogue key that says why it is wrong
    (``ex-<id>-wrong-<key>``); an address outside ``subnet`` gets the shared reason.
    """
    named = addresses(given)
    if not named:
        raise NotYet("no-address", hint="wrong", given=given)
    if len(named) > 1:
        raise NotYet("several-addresses", hint="wrong", given=given,
                     found=", ".join(str(address) for address, _ in named))
    address, length = named[0]
    network = ipaddress.ip_network(subnet) if subnet else None
    if address == ipaddress.ip_address(expected):
        if length is not None and network is not None and length != network.prefixlen:
            raise NotYet("prefix", hint="wrong", given=given, length=length, subnet=subnet)
        return
    if str(address) in known:
        raise NotYet(f"wrong-{known[str(address)]}", hint="wrong", given=str(address))
    if network is not None and address not in network:
        raise NotYet("outside", hint="wrong", given=str(address), subnet=subnet)
    raise NotYet("wrong", given=str(address))


def choice_of(task_id: str, given: str, choices: list[str]) -> str | None:
    """The choice ``given`` names: its key, or its text in any language (alone, or within a sentence)."""
    said = words(given)
    for key in choices:
        if said == words(key):
            return key
    texts = {key: [words(text) for text in in_every_language(f"ex-{task_id}-choice-{key}")] for key in choices}
    for key, spelled in texts.items():
        if said in spelled:
            return key
    within = [key for key, spelled in texts.items() if any(f" {text} " in f" {said} " for text in spelled)]
    return within[0] if len(within) == 1 else None


def judge_choice(task_id: str, given: str, expected: str, choices: list[str]) -> None:
    """``given`` names the ``expected`` choice; else which choice it named and why that one is wrong."""
    chosen = choice_of(task_id, given, choices)
    if chosen is None:
        raise NotYet("not-a-choice", hint="wrong", given=given)
    if chosen != expected:
        raise NotYet(f"wrong-{chosen}", hint="wrong", given=say(f"ex-{task_id}-choice-{chosen}"))
