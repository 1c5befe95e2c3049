"""Finding the engine as the docker CLI does, on fake homes: DOCKER_HOST, DOCKER_CONTEXT, the current
context's meta.json, then the default socket, then rootless, Docker Desktop, Colima and OrbStack sockets."""
from __future__ import annotations

import hashlib
import json
import socket
from pathlib import Path

import pytest

from dockerlab.engine import where


def make_context(config_dir: Path, name: str, host: str) -> None:
    """What ``docker context create NAME --docker host=HOST`` writes."""
    folder = config_dir / "contexts" / "meta" / hashlib.sha256(name.encode()).hexdigest()
    folder.mkdir(parents=True)
    (folder / "meta.json").write_text(json.dumps(
        {"Name": name, "Metadata": {}, "Endpoints": {"docker": {"Host": host, "SkipTLSVerify": False}}}))


def use_context(config_dir: Path, name: str) -> None:
    """What ``docker context use NAME`` writes."""
    config_dir.mkdir(parents=True, exist_ok=True)
    (config_dir / "config.json").write_text(json.dumps({"auths": {}, "currentContext": name}))


def sockets(*paths: str):
    """A stand-in for the socket test: exactly these paths are sockets."""
    return lambda path: str(path) in {str(p) for p in paths}


NONE = sockets()


def test_docker_host_comes_first_even_with_a_context(tmp_path):
    use_context(tmp_path / ".docker", "colima")
    make_context(tmp_path / ".docker", "colima", "unix:///somewhere/else.sock")
    found = where.find({"DOCKER_HOST": "tcp://127.0.0.1:2375", "DOCKER_CONTEXT": "colima"}, tmp_path, NONE)
    assert (found.url, found.how) == ("tcp://127.0.0.1:2375", "DOCKER_HOST")


def test_docker_context_names_a_context_over_the_config(tmp_path):
    use_context(tmp_path / ".docker", "desktop-linux")
    make_context(tmp_path / ".docker", "desktop-linux", "unix:///home/me/.docker/desktop/docker.sock")
    make_context(tmp_path / ".docker", "rootless", "unix:///run/user/1000/docker.sock")
    found = where.find({"DOCKER_CONTEXT": "rootless"}, tmp_path, NONE)
    assert (found.url, found.how, found.source) == ("unix:///run/user/1000/docker.sock", "DOCKER_CONTEXT", "rootless")


def test_the_current_context_of_config_json(tmp_path):
    use_context(tmp_path / ".docker", "desktop-linux")
    make_context(tmp_path / ".docker", "desktop-linux", "unix:///home/me/.docker/desktop/docker.sock")
    found = where.find({}, tmp_path, NONE)
    assert (found.url, found.how, found.source) == (
        "unix:///home/me/.docker/desktop/docker.sock", "context", "desktop-linux")


def test_docker_config_moves_the_folder(tmp_path):
    elsewhere = tmp_path / "cfg"
    use_context(elsewhere, "orbstack")
    make_context(elsewhere, "orbstack", "unix:///Users/me/.orbstack/run/docker.sock")
    assert where.find({"DOCKER_CONFIG": str(elsewhere)}, tmp_path / "home", NONE).how == "context"


def test_the_default_context_is_the_default_socket(tmp_path):
    use_context(tmp_path / ".docker", "default")
    found = where.find({}, tmp_path, sockets(where.DEFAULT_SOCKET))
    assert (found.url, found.how, found.problem) == ("unix:///var/run/docker.sock", "default", "")


def test_a_context_that_cannot_be_read_is_said_and_the_search_goes_on(tmp_path):
    use_context(tmp_path / ".docker", "gone")
    found = where.find({}, tmp_path, sockets(where.DEFAULT_SOCKET))
    assert (found.how, found.problem) == ("default", "gone")
    (tmp_path / ".docker" / "config.json").write_text("{not json")
    assert where.find({}, tmp_path, sockets(where.DEFAULT_SOCKET)).how == "default"


@pytest.mark.parametrize(("kind", "path"), [
    ("rootless", "{runtime}/docker.sock"),
    ("desktop", "{home}/.docker/run/docker.sock"),
    ("colima", "{home}/.colima/default/docker.sock"),
    ("orbstack", "{home}/.orbstack/run/docker.sock"),
])
def test_without_the_default_socket_the_well_known_ones_are_tried(tmp_path, kind, path):
    runtime = tmp_path / "run-user-1000"
    socket_path = path.format(runtime=runtime, home=tmp_path)
    found = where.find({"XDG_RUNTIME_DIR": str(runtime)}, tmp_path, sockets(socket_path))
    assert (found.url, found.how, found.source) == (f"unix://{socket_path}", kind, socket_path)


def test_the_default_socket_wins_over_a_rootless_one_as_in_the_cli(tmp_path):
    runtime = tmp_path / "run"
    found = where.find({"XDG_RUNTIME_DIR": str(runtime)}, tmp_path,
                       sockets(where.DEFAULT_SOCKET, f"{runtime}/docker.sock"))
    assert found.how == "default"


def test_nothing_anywhere_is_the_default_socket(tmp_path):
    assert where.find({}, tmp_path, NONE) == where.Where("unix:///var/run/docker.sock", "default",
                                                         "/var/run/docker.sock")


def test_the_real_socket_test_knows_a_socket_from_a_file(tmp_path):
    listening = socket.socket(socket.AF_UNIX)
    listening.bind(str(tmp_path / "docker.sock"))
    (tmp_path / "plain").write_text("")
    try:
        assert where._is_socket(str(tmp_path / "docker.sock"))
        assert not where._is_socket(str(tmp_path / "plain")) and not where._is_socket(str(tmp_path / "none"))
    finally:
        listening.close()
