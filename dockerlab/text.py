"""Every sentence the course shows a learner, looked up by key.

Messages live in ``locale/<lang>.json`` so that a second language is a new
file, not a code change. The language comes from a ``.dockerlab-language``
file in the working folder (the Korean edition's folders carry one, so a
notebook run there speaks Korean whatever the environment says), else from
``DOCKERLAB_LANG``, else from the locale (``LC_ALL``, ``LC_MESSAGES``,
``LANG``: ``ko_KR.UTF-8`` chooses ``ko``) when the course has that language;
otherwise English. A key missing in that language falls back to English.

A Korean template writes its particle after a field's name, ``"{name:을} 지웁니다"``, and
:func:`say` chooses 을 or 를 by how the value is read (:mod:`dockerlab.particles`).
"""
from __future__ import annotations

import functools
import json
import os
import unicodedata
from importlib import resources
from pathlib import Path

from .particles import FORMATTER

DEFAULT_LANGUAGE = "en"
LANGUAGE_FILE = ".dockerlab-language"


@functools.cache
def _catalog(language: str) -> dict[str, str]:
    try:
        raw = resources.files("dockerlab").joinpath(f"locale/{language}.json").read_text("utf-8")
    except FileNotFoundError:
        return {}
    return json.loads(raw)


def _from_folder() -> str | None:
    """The language named by ``.dockerlab-language`` in the working folder, if there is one."""
    try:
        return (Path.cwd() / LANGUAGE_FILE).read_text("utf-8").strip() or None
    except OSError:
        return None


def _from_locale() -> str | None:
    """``ko`` for ``ko_KR.UTF-8``: the locale's language, when the course speaks it."""
    for variable in ("LC_ALL", "LC_MESSAGES", "LANG"):
        value = os.environ.get(variable)
        if value:
            code = value.split(".")[0].split("_")[0].split("@")[0].lower()
            return code if code != DEFAULT_LANGUAGE and _catalog(code) else None
    return None


def language() -> str:
    """The language the course speaks: the notebook's folder, ``DOCKERLAB_LANG``, or the locale."""
    return _from_folder() or os.environ.get("DOCKERLAB_LANG") or _from_locale() or DEFAULT_LANGUAGE


def say(key: str, **fields: object) -> str:
    """The message ``key`` in the learner's language, with ``fields`` filled in (and their particles)."""
    template = _catalog(language()).get(key) or _catalog(DEFAULT_LANGUAGE).get(key)
    if template is None:
        raise KeyError(f"no message {key!r} in locale/{DEFAULT_LANGUAGE}.json")
    return FORMATTER.format(template, **fields)


def count(kind: str, number: int) -> str:
    """``"1 container"``, ``"3 networks"``: a number with its noun in the learner's language."""
    return say("count-format", number=number, noun=say(f"kind-{kind}-one" if number == 1 else f"kind-{kind}"))


def pad(text: str, width: int) -> str:
    """``text`` padded with spaces to ``width`` terminal columns (Hangul takes two), as ``str.ljust`` for English."""
    used = sum(2 if unicodedata.east_asian_width(char) in ("W", "F") else 1 for char in text)
    return text + " " * max(width - used, 0)


def in_every_language(key: str) -> list[str]:
    """The message ``key`` as each language of the course has it (its template, fields unfilled)."""
    folder = resources.files("dockerlab").joinpath("locale")
    languages = sorted(entry.name.removesuffix(".json") for entry in folder.iterdir() if entry.name.endswith(".json"))
    return [text for language in languages if (text := _catalog(language).get(key))]
