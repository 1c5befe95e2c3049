"""Every sentence the course shows a learner, looked up by key.

Messages live in ``locale/<lang>.json`` so that a second language is a new
file, not a code change. The language comes from ``DOCKERLAB_LANG``
(default ``en``); a key missing in that language falls back to English.
"""
from __future__ import annotations

import functools
import json
import os
from importlib import resources

DEFAULT_LANGUAGE = "en"


@functools.cache
def _catalog(language: str) -> dict[str, str]:
    try:
        raw = resources.files("dockerlab").joinpath(f"locale/{language}.json").read_text("utf-8")
    except FileNotFoundError:
        return {}
    return json.loads(raw)


def language() -> str:
    """The language the course speaks, from ``DOCKERLAB_LANG``."""
    return os.environ.get("DOCKERLAB_LANG", DEFAULT_LANGUAGE)


def say(key: str, **fields: object) -> str:
    """The message ``key`` in the learner's language, with ``fields`` filled in."""
    template = _catalog(language()).get(key) or _catalog(DEFAULT_LANGUAGE).get(key)
    if template is None:
        raise KeyError(f"no message {key!r} in locale/{DEFAULT_LANGUAGE}.json")
    return template.format(**fields)


def count(kind: str, number: int) -> str:
    """``"1 container"``, ``"3 networks"``: a number with its noun in the learner's language."""
    return f"{number} {say(f'kind-{kind}-one' if number == 1 else f'kind-{kind}')}"
