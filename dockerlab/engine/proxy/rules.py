"""What the course's proxy does with one engine API request: label it, refuse it, or pass it on.

Pure: the engine is asked only through the ``lookup`` function given in, so
the rules are tested without an engine.

- ``docker run/create``, ``docker network create``, ``docker volume create``: the
  course's labels are added; a container also gets ``--dns 127.0.0.1`` when it
  has no DNS server of its own and its own network stack (see lesson 00).
- stop, kill, restart, start, pause, rm, exec, attach, rename, update, cp into a
  container, connect/disconnect, rm of a network or volume: refused unless the
  object is the course's (the built-in networks bridge, host and none may be joined).
- prune: limited to the course's objects; removing images or changing the swarm: refused.
- everything else passes untouched.
"""
from __future__ import annotations

import json
import re
from collections.abc import Callable
from dataclasses import dataclass
from urllib.parse import parse_qsl, quote, unquote, urlencode

from ... import labels
from ...text import say
from .. import command_line as commands
from ..client import labels_of

Lookup = Callable[[str, str], "dict | None"]
"""``lookup("container" | "network" | "volume", name)``: the object's JSON, or ``None`` if there is none."""


@dataclass
class Verdict:
    """Refuse with ``status`` and ``message``, or pass on (with a new ``body`` or ``query`` if given)."""

    status: int = 0
    message: str = ""
    body: bytes | None = None
    query: str | None = None

    @property
    def refused(self) -> bool:
        return bool(self.status)


PASS = Verdict()
_VERSION = re.compile(r"^/v[0-9.]+(?=/)")
_CONTAINER_ACTION = re.compile(
    r"^/containers/([^/]+)/(stop|kill|restart|start|pause|unpause|rename|update|attach|exec|archive|attach/ws)$")
_ACTION_WORDS = {"archive": "copy-into", "attach/ws": "attach"}  # the message proxy-action-<word> says it
_NETWORK_ACTION = re.compile(r"^/networks/([^/]+)/(connect|disconnect)$")
_PRUNE = re.compile(r"^/(containers|networks|volumes)/prune$")
_LABELLED_CREATE = {"/networks/create": "network", "/volumes/create": "volume"}


def api_path(path: str) -> str:
    """The path without its API version: ``/v1.41/containers/json`` -> ``/containers/json``."""
    return _VERSION.sub("", path)


def needs_body(method: str, path: str) -> bool:
    """Whether :func:`judge` reads this request's body (the others are relayed as they stream)."""
    path = api_path(path)
    return method == "POST" and (path == "/containers/create" or path in _LABELLED_CREATE
                                 or bool(_NETWORK_ACTION.match(path)))


def judge(method: str, path: str, query: str, body: bytes, lesson: str, lookup: Lookup) -> Verdict:
    """Decide about one request; ``body`` is read only where :func:`needs_body` says so."""
    path = api_path(path)
    if method == "POST" and path == "/containers/create":
        return _create_container(query, _json(body), lesson, lookup)
    if method == "POST" and path in _LABELLED_CREATE:
        return _labelled(_json(body), lesson)
    found = _CONTAINER_ACTION.match(path)
    if found and (method == "POST" or (method == "PUT" and found.group(2) == "archive")
                  or found.group(2) == "attach/ws"):
        action = found.group(2)
        return _own("container", unquote(found.group(1)), _ACTION_WORDS.get(action, action), lookup)
    if method == "DELETE" and path.count("/") == 2 and path.split("/")[1] in ("containers", "networks", "volumes"):
        kind = path.split("/")[1][:-1]
        return _own(kind, unquote(path.split("/")[2]), "remove", lookup)
    found = _NETWORK_ACTION.match(path)
    if found and method == "POST":
        network, action = unquote(found.group(1)), found.group(2)
        refusal = _own("network", network, f"{action}-containers", lookup, built_in_ok=True)
        container = str(_json(body).get("Container") or "")
        return refusal if refusal.refused else _own("container", container, action, lookup)
    found = _PRUNE.match(path)
    if found and method == "POST":
        return Verdict(query=_only_the_courses(query))
    if (method == "DELETE" and path.startswith("/images/")) or (method == "POST" and path in (
            "/images/prune", "/build/prune")):
        return Verdict(403, say("proxy-images"))
    if method == "POST" and path.startswith("/swarm/"):
        return Verdict(403, say("proxy-swarm"))
    return PASS


def _json(body: bytes) -> dict:
    try:
        document = json.loads(body or b"{}")
    except ValueError:
        return {}
    return document if isinstance(document, dict) else {}


def _labelled(document: dict, lesson: str) -> Verdict:
    document["Labels"] = {**(document.get("Labels") or {}), **labels.labels_for(lesson)}
    return Verdict(body=json.dumps(document).encode())


def _create_container(query: str, document: dict, lesson: str, lookup: Lookup) -> Verdict:
    name = dict(parse_qsl(query)).get("name", "")
    if name:
        existing = lookup("container", name)
        theirs = labels_of(existing or {})
        if existing and labels.is_managed(theirs) and theirs.get(labels.LESSON) != lesson:
            return Verdict(409, say("name-in-use-by-lesson", name=name, lesson=theirs.get(labels.LESSON)))
    host = document.setdefault("HostConfig", {}) or {}
    document["HostConfig"] = host
    mode = str(host.get("NetworkMode") or "")
    if mode.startswith("container:"):
        refusal = _own("container", mode.split(":", 1)[1], "share-stack", lookup)
        if refusal.refused:
            return refusal
    endpoints = (document.get("NetworkingConfig") or {}).get("EndpointsConfig") or {}
    for network in {mode, *endpoints} - {"", "default"}:
        if not network.startswith("container:"):
            refusal = _own("network", network, "connect-to", lookup, built_in_ok=True)
            if refusal.refused:
                return refusal
    for link in host.get("Links") or []:
        refusal = _own("container", str(link).split(":")[0].strip("/"), "link", lookup)
        if refusal.refused:
            return refusal
    if commands.wants_contained_dns(mode, host.get("Dns")):
        host["Dns"] = list(commands.CONTAINED_DNS)
    return _labelled(document, lesson)


def _own(kind: str, name: str, action: str, lookup: Lookup, built_in_ok: bool = False) -> Verdict:
    """Pass if the object is the course's (or missing: then the engine answers as usual).

    ``action`` names the message ``proxy-action-<action>`` that says what was refused, e.g. ``remove``.
    """
    if built_in_ok and name in commands.BUILT_IN_NETWORKS:
        return PASS
    found = lookup(kind, name)
    if found is None or labels.is_managed(labels_of(found)):
        return PASS
    if built_in_ok and found.get("Name") in commands.BUILT_IN_NETWORKS:
        return PASS
    return Verdict(403, refusal(kind, name, action))


def refusal(kind: str, name: str, action: str) -> str:
    """What the proxy answers when asked to ``action`` (e.g. ``remove``) a ``kind`` (``network``) not the course's."""
    return say("proxy-not-the-courses", kind=say(f"kind-{kind}s-one"), name=name, action=say(f"proxy-action-{action}"))


def _only_the_courses(query: str) -> str:
    """A prune's ``filters`` with the course's label added, so only the course's objects go."""
    pairs = parse_qsl(query, keep_blank_values=True)
    filters: dict = {}
    for key, value in pairs:
        if key == "filters":
            try:
                filters = json.loads(value) or {}
            except ValueError:
                filters = {}
    wanted = filters.setdefault("label", {})
    for entry in labels.label_filter()["label"]:
        if isinstance(wanted, list):
            wanted.append(entry)
        else:
            wanted[entry] = True
    rest = [(key, value) for key, value in pairs if key != "filters"]
    return urlencode([*rest, ("filters", json.dumps(filters))], quote_via=quote)
