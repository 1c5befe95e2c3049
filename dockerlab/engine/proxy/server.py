"""The proxy itself: a unix socket of the course's own that relays to the engine's socket.

Each connection carries one request: it is judged (:mod:`.rules`), sent on with
``Connection: close``, and the answer streams back until the engine closes, so
no request on a kept-alive connection can skip the rules. Attach and exec
connections (hijacked, or upgraded to a raw stream) are relayed both ways.
"""
from __future__ import annotations

import atexit
import contextlib
import http.client
import json
import os
import re
import socket
import tempfile
import threading
from urllib.parse import quote, urlparse

from ... import errors
from ...text import say
from ..client import engine_url
from . import rules, wire

_HIJACKED = re.compile(r"^/(containers/[^/]+/attach|exec/[^/]+/start|session|grpc)$")
"""Requests after which the connection becomes a raw stream both ways (attach, exec, build sessions)."""


class _UnixConnection(http.client.HTTPConnection):
    def __init__(self, path: str, timeout: float):
        super().__init__("localhost", timeout=timeout)
        self.unix_path = path

    def connect(self) -> None:
        self.sock = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
        self.sock.settimeout(self.timeout)
        self.sock.connect(self.unix_path)


class Proxy:
    """A labelling proxy for ``lesson`` in front of the engine. Similar to Docker's Labspaces socket proxy.

    ``Proxy("05-connect").start().url`` is a ``unix://`` address to give the docker CLI as ``DOCKER_HOST``.
    """

    def __init__(self, lesson: str, upstream: str | None = None, path: str | None = None):
        self.lesson = lesson
        self.upstream = upstream or engine_url()
        target = urlparse(self.upstream)
        if target.scheme not in ("unix", "tcp", "http", ""):
            raise errors.UnsupportedCommand("proxy-upstream", url=self.upstream)
        self._target = target
        self._own_folder = None if path else tempfile.mkdtemp(prefix="dockerlab-")
        self.path = path or os.path.join(self._own_folder or "", "docker.sock")
        self._listener: socket.socket | None = None

    @property
    def url(self) -> str:
        return f"unix://{self.path}"

    def start(self) -> Proxy:
        """Listen on the course's socket and relay in a background thread."""
        with contextlib.suppress(FileNotFoundError):
            os.unlink(self.path)
        listener = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
        listener.bind(self.path)
        os.chmod(self.path, 0o600)
        listener.listen(64)
        self._listener = listener
        threading.Thread(target=self._accept, args=(listener,), name="dockerlab-proxy", daemon=True).start()
        atexit.register(self.stop)
        return self

    def stop(self) -> None:
        """Stop listening and remove the socket (open streams end with their connections)."""
        listener, self._listener = self._listener, None
        if listener is not None:
            with contextlib.suppress(OSError):
                listener.shutdown(socket.SHUT_RDWR)
            listener.close()
        with contextlib.suppress(FileNotFoundError):
            os.unlink(self.path)
        if self._own_folder:
            with contextlib.suppress(OSError):
                os.rmdir(self._own_folder)

    @property
    def running(self) -> bool:
        return self._listener is not None

    def _accept(self, listener: socket.socket) -> None:
        while True:
            try:
                client, _ = listener.accept()
            except OSError:
                return
            threading.Thread(target=self._serve, args=(client,), daemon=True).start()

    # -- one connection -----------------------------------------------------------------
    def _connect_upstream(self, timeout: float | None = None) -> socket.socket:
        if self._target.scheme in ("unix", ""):
            upstream = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
            upstream.settimeout(timeout)
            upstream.connect(self._target.path)
        else:
            upstream = socket.create_connection((self._target.hostname, self._target.port or 2375), timeout)
        upstream.settimeout(None)
        return upstream

    def _serve(self, client: socket.socket) -> None:
        reader = client.makefile("rb")
        upstream = None
        try:
            request = wire.read_request(reader)
            if request is None:
                return
            body = wire.read_body(request, reader) if rules.needs_body(request.method, request.path) else None
            verdict = rules.judge(request.method, request.path, request.query, body or b"", self.lesson,
                                  self.lookup)
            if verdict.refused:
                _answer_now(client, reader, request, body, verdict.status, verdict.message)
                return
            try:
                upstream = self._connect_upstream(timeout=10)
            except OSError:
                _answer_now(client, reader, request, body, 502, say("engine-unreachable", url=self.upstream))
                return
            hijacked = bool(request.header("Upgrade")) or (
                request.method == "POST" and bool(_HIJACKED.search(rules.api_path(request.path))))
            headers = request.headers if hijacked else [*request.without("Connection"), ("Connection", "close")]
            target = request.target
            if verdict.query is not None:
                target = f"{request.path}?{verdict.query}"
            if verdict.body is not None:
                body = verdict.body
            if body is not None:
                headers = [*[(k, v) for k, v in headers if k.lower() not in ("content-length", "transfer-encoding")],
                           ("Content-Length", str(len(body)))]
                upstream.sendall(request.head(headers, target) + body)
            else:
                upstream.sendall(request.head(headers, target))
                wire.relay_body(request, reader, upstream.sendall)
            answer = threading.Thread(target=_pump_answer, args=(upstream, client, hijacked), daemon=True)
            answer.start()
            _pump_rest(reader, upstream, hijacked)
            answer.join()
        except (wire.Malformed, OSError) as problem:
            with contextlib.suppress(OSError):
                client.sendall(wire.error_response(400, say("proxy-malformed", problem=str(problem))))
        finally:
            for connection in (upstream, client):
                if connection is not None:
                    with contextlib.suppress(OSError):
                        connection.close()

    def lookup(self, kind: str, name: str) -> dict | None:
        """An object's JSON from the engine, or ``None`` if there is none. Similar to ``docker inspect``."""
        if not name:
            return None
        path = {"container": "/containers/{}/json", "network": "/networks/{}", "volume": "/volumes/{}"}[kind]
        if self._target.scheme in ("unix", ""):
            connection: http.client.HTTPConnection = _UnixConnection(self._target.path, timeout=30)
        else:
            connection = http.client.HTTPConnection(self._target.hostname or "localhost", self._target.port or 2375,
                                                    timeout=30)
        try:
            connection.request("GET", path.format(quote(name, safe="")))
            answer = connection.getresponse()
            content = answer.read()
        except OSError:
            return None
        finally:
            connection.close()
        if answer.status != 200:
            return None
        try:
            return json.loads(content)
        except ValueError:
            return None


_UNREAD_LIMIT = 64 * 1024 * 1024
_UNREAD_SECONDS = 10.0
"""A body not read before an early answer is read and dropped first, up to 64 MiB and 10 s (``docker cp``
into someone else's container can send more: then the connection is closed and the client may see a
broken pipe instead of the message)."""


def _answer_now(client: socket.socket, reader, request: wire.Request, body: bytes | None, status: int,
                message: str) -> None:
    """Answer without the engine (a refusal, an engine out of reach), after reading what the client sends."""
    if body is None:
        client.settimeout(_UNREAD_SECONDS)
        with contextlib.suppress(wire.Malformed, OSError):
            wire.discard_body(request, reader, _UNREAD_LIMIT)
        client.settimeout(None)
    client.sendall(wire.error_response(status, message))


def _pump_answer(upstream: socket.socket, client: socket.socket, hijacked: bool) -> None:
    """The engine's answer (and, when hijacked, its output stream) back to the client."""
    try:
        while True:
            block = upstream.recv(65536)
            if not block:
                break
            client.sendall(block)
    except OSError:
        pass
    with contextlib.suppress(OSError):
        client.shutdown(socket.SHUT_WR if hijacked else socket.SHUT_RDWR)


def _pump_rest(reader, upstream: socket.socket, hijacked: bool) -> None:
    """After the request: a hijacked stream's input goes on; otherwise nothing more is sent,
    and the client closing its end ends the answer (``docker logs -f``, ``docker events``)."""
    try:
        while True:
            block = reader.read1(65536)
            if not block:
                break
            if hijacked:
                upstream.sendall(block)
    except (OSError, ValueError):
        pass
    with contextlib.suppress(OSError):
        upstream.shutdown(socket.SHUT_WR if hijacked else socket.SHUT_RDWR)
