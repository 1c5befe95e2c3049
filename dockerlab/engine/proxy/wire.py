"""HTTP/1.1 on a socket, as far as a relay needs it: one request's head and body, and a refusal.

The engine's API is HTTP over a unix socket; the docker CLI sends one request
at a time and reads its answer before the next one.
"""
from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import BinaryIO
from urllib.parse import urlsplit

_MAX_HEAD = 64 * 1024


class Malformed(Exception):
    """The bytes on the socket are not an HTTP request the relay can read."""


@dataclass
class Request:
    """One API request: ``POST /v1.41/containers/create?name=c1`` and its headers."""

    method: str
    target: str
    version: str
    headers: list[tuple[str, str]] = field(default_factory=list)

    @property
    def path(self) -> str:
        return urlsplit(self.target).path

    @property
    def query(self) -> str:
        return urlsplit(self.target).query

    def header(self, name: str) -> str | None:
        """The value of one header (case-insensitive), or ``None``."""
        name = name.lower()
        return next((value for key, value in self.headers if key.lower() == name), None)

    def without(self, *names: str) -> list[tuple[str, str]]:
        drop = {name.lower() for name in names}
        return [(key, value) for key, value in self.headers if key.lower() not in drop]

    def head(self, headers: list[tuple[str, str]], target: str | None = None) -> bytes:
        """The request line and these headers, as bytes to send."""
        lines = [f"{self.method} {target or self.target} {self.version}"]
        lines += [f"{key}: {value}" for key, value in headers]
        return ("\r\n".join(lines) + "\r\n\r\n").encode("latin-1")

    @property
    def chunked(self) -> bool:
        return "chunked" in (self.header("Transfer-Encoding") or "").lower()

    @property
    def length(self) -> int:
        try:
            return int(self.header("Content-Length") or 0)
        except ValueError:
            raise Malformed("Content-Length is not a number") from None


def read_request(reader: BinaryIO) -> Request | None:
    """Read one request's head; ``None`` when the client closed the connection first."""
    line = reader.readline(_MAX_HEAD)
    while line in (b"\r\n", b"\n"):
        line = reader.readline(_MAX_HEAD)
    if not line:
        return None
    parts = line.decode("latin-1").split()
    if len(parts) != 3 or not parts[2].startswith("HTTP/"):
        raise Malformed(f"not an HTTP request line: {line[:80]!r}")
    request = Request(parts[0], parts[1], parts[2])
    size = len(line)
    while True:
        line = reader.readline(_MAX_HEAD)
        size += len(line)
        if not line or size > _MAX_HEAD:
            raise Malformed("the request's headers never end")
        if line in (b"\r\n", b"\n"):
            return request
        key, sep, value = line.decode("latin-1").partition(":")
        if not sep:
            raise Malformed(f"not a header: {line[:80]!r}")
        request.headers.append((key.strip(), value.strip()))


def relay_body(request: Request, reader: BinaryIO, send: Callable[[bytes], None]) -> None:
    """Pass the request's body on exactly as it came (by Content-Length or in chunks)."""
    if request.chunked:
        while True:
            size_line = reader.readline(_MAX_HEAD)
            send(size_line)
            try:
                size = int(size_line.split(b";")[0].strip() or b"x", 16)
            except ValueError:
                raise Malformed("bad chunk size") from None
            if size == 0:
                while True:  # trailers, then the empty line
                    trailer = reader.readline(_MAX_HEAD)
                    send(trailer)
                    if trailer in (b"\r\n", b"\n", b""):
                        return
            _copy(reader, size + 2, send)
    else:
        _copy(reader, request.length, send)


def read_body(request: Request, reader: BinaryIO) -> bytes:
    """The whole body, decoded from chunks if it came in chunks."""
    if not request.chunked:
        return _read_exactly(reader, request.length)
    parts: list[bytes] = []
    while True:
        try:
            size = int(reader.readline(_MAX_HEAD).split(b";")[0].strip() or b"x", 16)
        except ValueError:
            raise Malformed("bad chunk size") from None
        if size == 0:
            while reader.readline(_MAX_HEAD) not in (b"\r\n", b"\n", b""):
                pass
            return b"".join(parts)
        parts.append(_read_exactly(reader, size))
        reader.readline(_MAX_HEAD)


def discard_body(request: Request, reader: BinaryIO, limit: int) -> None:
    """Read the request's body and drop it (``Malformed`` past ``limit`` bytes). A refusal is sent after it: a
    client still writing its body to a closed connection reports "broken pipe" instead of the refusal."""
    seen = 0

    def drop(block: bytes) -> None:
        nonlocal seen
        seen += len(block)
        if seen > limit:
            raise Malformed("the body is too long to read before answering")

    relay_body(request, reader, drop)


def _copy(reader: BinaryIO, size: int, send: Callable[[bytes], None]) -> None:
    while size > 0:
        block = reader.read(min(size, 65536))
        if not block:
            raise Malformed("the body ended early")
        send(block)
        size -= len(block)


def _read_exactly(reader: BinaryIO, size: int) -> bytes:
    parts: list[bytes] = []
    _copy(reader, size, parts.append)
    return b"".join(parts)


_REASONS = {400: "Bad Request", 403: "Forbidden", 409: "Conflict", 502: "Bad Gateway"}


def error_response(status: int, message: str) -> bytes:
    """An answer the docker CLI prints as ``Error response from daemon: MESSAGE``."""
    body = json.dumps({"message": message}).encode()
    head = (f"HTTP/1.1 {status} {_REASONS.get(status, 'Error')}\r\nContent-Type: application/json\r\n"
            f"Content-Length: {len(body)}\r\nConnection: close\r\n\r\n")
    return head.encode("latin-1") + body
