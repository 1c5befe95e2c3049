"""Messages, labels and error translation, with no engine."""
from __future__ import annotations

import json
import re
import string
from pathlib import Path

import docker.errors
import pytest
import requests

from dockerlab import errors, labels, text
from dockerlab.engine import client as engine

PACKAGE = Path(engine.__file__).parents[1]
CATALOG = json.loads((PACKAGE / "locale" / "en.json").read_text())


def _keys_used_in_code() -> set[str]:
    used = set()
    for source in PACKAGE.glob("*.py"):
        code = source.read_text()
        used |= set(re.findall(r'(?:say|\b(?!Check\()[A-Z][A-Za-z]+)\("([a-z][a-z0-9-]+)"', code))
    return {key for key in used if "-" in key or key in CATALOG}


def test_every_message_the_code_uses_exists():
    missing = _keys_used_in_code() - set(CATALOG)
    assert not missing, f"add these to locale/en.json: {sorted(missing)}"


def test_messages_are_valid_templates():
    for key, template in CATALOG.items():
        list(string.Formatter().parse(template))  # raises on a broken template
        assert template.strip() == template, key


def test_count_and_language_fallback(monkeypatch):
    assert text.count("containers", 1) == "1 container"
    assert text.count("networks", 3) == "3 networks"
    monkeypatch.setenv("DOCKERLAB_LANG", "xx")  # a language with no file yet falls back to English
    assert text.say("nothing") == CATALOG["nothing"]


def test_label_filters_and_ownership():
    assert labels.label_filter() == {"label": ["io.dockerlab.managed=true"]}
    assert labels.label_filter("01-default-bridge") == {
        "label": ["io.dockerlab.managed=true", "io.dockerlab.lesson=01-default-bridge"]}
    assert labels.is_managed(labels.labels_for("01"), "01")
    assert not labels.is_managed(labels.labels_for("01"), "02")
    assert not labels.is_managed({"io.dockerlab.managed": "false"})
    assert not labels.is_managed(None)


def _connection_error(cause: BaseException) -> docker.errors.DockerException:
    try:
        try:
            raise requests.exceptions.ConnectionError("Connection aborted.") from cause
        except requests.exceptions.ConnectionError as inner:
            raise docker.errors.DockerException("Error while fetching server API version") from inner
    except docker.errors.DockerException as outer:
        return outer


def test_connection_failures_become_actionable_errors():
    missing = engine.unreachable_error(_connection_error(FileNotFoundError(2, "No such file")), "unix:///x.sock")
    assert isinstance(missing, errors.EngineUnreachable) and "unix:///x.sock" in str(missing)
    denied = engine.unreachable_error(_connection_error(PermissionError(13, "Permission denied")))
    assert isinstance(denied, errors.SocketPermissionDenied) and "docker group" in str(denied)


class _Response:
    def __init__(self, status):
        self.status_code = status
        self.reason = "x"


@pytest.mark.parametrize("status, explanation, expected, fragment", [
    (409, 'Conflict. The container name "/web1" is already in use by container "abc".', errors.NameInUse, "web1"),
    (409, "network with name labnet already exists", errors.NameInUse, "labnet"),
    (403, "Pool overlaps with other one on this address space", errors.SubnetOverlap, "Pick another"),
    (400, "user specified IP address is supported on user defined networks only", errors.CommandRefused,
     "user defined networks only"),
    (500, "Error processing tar file(exit status 1): write /busybox: no space left on device", errors.DiskFull,
     "docker system df"),
])
def test_engine_refusals_are_translated(status, explanation, expected, fragment):
    error = engine._api_error(docker.errors.APIError("x", response=_Response(status), explanation=explanation))
    assert isinstance(error, expected) and fragment in str(error)


def test_not_found_is_translated():
    error = engine._api_error(docker.errors.NotFound("x", response=_Response(404), explanation="No such container: c9"))
    assert isinstance(error, errors.NotFound) and "typos" in str(error)


def test_socket_path():
    assert engine.socket_path("unix:///var/run/docker.sock") == "/var/run/docker.sock"
    assert engine.socket_path("tcp://10.0.0.1:2375") is None


def test_binder_sessions_are_told_there_is_no_engine(monkeypatch):
    monkeypatch.setenv("BINDER_SERVICE_HOST", "10.0.0.1")
    error = engine.unreachable_error(_connection_error(FileNotFoundError(2, "No such file")))
    assert isinstance(error, errors.EngineUnreachable) and "stored outputs" in str(error)


def test_container_name_ignores_link_names():
    assert labels.container_name({"Names": ["/app/database", "/db"]}) == "db"
    assert labels.container_name({"Names": ["/web"]}) == "web"
