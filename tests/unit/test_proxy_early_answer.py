"""A refusal reaches a client that is still sending its request's body (no engine: a fake one answers lookups).

The docker CLI sends ``docker exec``'s body after the head; a proxy that answered and closed at once made the
CLI print "write: broken pipe" instead of the course's message, one run in a few.
"""
from __future__ import annotations

import json
import os
import socket
import socketserver
import tempfile
import threading
from http.server import BaseHTTPRequestHandler

import pytest

from dockerlab.engine.proxy import Proxy

BODY_SIZES = [2, 4 * 1024 * 1024]
"""A small body, and one far larger than a socket's buffers (the client is still writing when the answer goes)."""


class _Engine(BaseHTTPRequestHandler):
    """Knows one container, ``own``, without the course's labels: every change to it is refused."""

    def do_GET(self):
        found = self.path.endswith("/containers/own/json")
        body = json.dumps({"Name": "/own", "Config": {"Labels": {}}} if found else {"message": "no such"}).encode()
        self.send_response(200 if found else 404)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *args):
        pass


class _UnixServer(socketserver.ThreadingMixIn, socketserver.UnixStreamServer):
    daemon_threads = True

    def get_request(self):
        connection, _ = super().get_request()
        return connection, ("engine", 0)


@pytest.fixture
def proxy():
    folder = tempfile.mkdtemp(prefix="dockerlab-test-")
    engine_path = os.path.join(folder, "engine.sock")
    engine = _UnixServer(engine_path, _Engine)
    threading.Thread(target=engine.serve_forever, daemon=True).start()
    running = Proxy("05-connect", upstream=f"unix://{engine_path}").start()
    yield running
    running.stop()
    engine.shutdown()
    engine.server_close()
    os.unlink(engine_path)
    os.rmdir(folder)


def _send(path: str, head: bytes, body: bytes) -> bytes:
    with socket.socket(socket.AF_UNIX, socket.SOCK_STREAM) as client:
        client.settimeout(30)
        client.connect(path)
        client.sendall(head)
        client.sendall(body)  # raises BrokenPipeError if the proxy closed without reading
        answer = b""
        while block := client.recv(65536):
            answer += block
    return answer


@pytest.mark.parametrize("size", BODY_SIZES)
def test_a_refused_exec_is_answered_after_its_body_is_read(proxy, size):
    body = b"{" + b" " * (size - 2) + b"}"
    head = (f"POST /v1.50/containers/own/exec HTTP/1.1\r\nHost: docker\r\nContent-Type: application/json\r\n"
            f"Content-Length: {len(body)}\r\n\r\n").encode()
    answer = _send(proxy.path, head, body)
    status, _, message = answer.partition(b"\r\n\r\n")
    assert status.startswith(b"HTTP/1.1 403 ")
    assert "is not the course's" in json.loads(message)["message"]


def test_a_refused_body_in_chunks_is_read_too(proxy):
    chunk = b" " * 65536
    body = b"".join(b"%x\r\n%s\r\n" % (len(chunk), chunk) for _ in range(64)) + b"0\r\n\r\n"
    head = b"POST /v1.50/containers/own/exec HTTP/1.1\r\nHost: docker\r\nTransfer-Encoding: chunked\r\n\r\n"
    assert _send(proxy.path, head, body).startswith(b"HTTP/1.1 403 ")
