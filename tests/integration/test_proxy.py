"""The course's proxy on the real engine: one request per connection, and `dockerlab proxy` for a terminal."""
from __future__ import annotations

import os
import socket
import subprocess
import sys

import pytest

from dockerlab import labels
from dockerlab.engine.proxy import Proxy
from tests.conftest import ROOT


@pytest.fixture
def proxy(engine, lesson_id):
    started = Proxy(lesson_id, upstream=engine.url).start()
    yield started
    started.stop()


def _exchange(path: str, payload: bytes) -> bytes:
    with socket.socket(socket.AF_UNIX) as connection:
        connection.connect(path)
        connection.sendall(payload)
        connection.settimeout(15)
        answer = b""
        while block := connection.recv(65536):
            answer += block
    return answer


def test_a_request_kept_alive_behind_another_never_reaches_the_engine_uninspected(proxy, learner):
    own = learner.container("kept-alive-own")
    answer = _exchange(proxy.path, b"GET /_ping HTTP/1.1\r\nHost: docker\r\n\r\n"
                       b"POST /containers/kept-alive-own/kill HTTP/1.1\r\nHost: docker\r\nContent-Length: 0\r\n\r\n")
    assert answer.startswith(b"HTTP/1.1 200") and answer.count(b"HTTP/1.1") == 1
    assert b"Connection: close" in answer
    own.reload()
    assert own.status == "running"
    refused = _exchange(proxy.path, b"POST /containers/kept-alive-own/kill HTTP/1.1\r\nHost: docker\r\n\r\n")
    assert refused.startswith(b"HTTP/1.1 403") and b"not the course's" in refused


def test_garbage_on_the_socket_gets_an_error_answer(proxy):
    assert _exchange(proxy.path, b"hello there\r\n\r\n").startswith(b"HTTP/1.1 400")


def test_dockerlab_proxy_serves_a_terminal_and_labels_what_it_makes(engine, lesson_id, tmp_path):
    path = str(tmp_path / "course.sock")
    server = subprocess.Popen([sys.executable, "-m", "dockerlab", "proxy", "--lesson", lesson_id, "--socket", path],
                              cwd=ROOT, stdout=subprocess.PIPE, text=True)
    try:
        said = [server.stdout.readline(), server.stdout.readline()]
        assert said[1].strip() == f"export DOCKER_HOST=unix://{path}"
        terminal = {**os.environ, "DOCKER_HOST": f"unix://{path}"}
        made = subprocess.run(["docker", "run", "-d", "--name", "from-terminal", "dockerlab/busybox", "sleep", "1d"],
                              env=terminal, capture_output=True, text=True, timeout=60, check=False)
        assert made.returncode == 0, made.stderr
        own = engine.container("from-terminal")
        assert labels.is_managed(own["Config"]["Labels"], lesson_id)
        assert own["HostConfig"]["Dns"] == ["127.0.0.1"]  # added by the proxy: nothing was printed here
    finally:
        server.terminate()
        server.wait(timeout=10)
