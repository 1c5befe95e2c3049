"""The docker command lines a lesson shows: their words, and the one option the course adds.

``lab.docker("run -d --name c1 dockerlab/busybox sleep 1d")`` runs the learner's
own docker CLI (see :mod:`dockerlab.engine.dockercli`). The course adds one option,
``--dns 127.0.0.1``, to containers that would otherwise ask the machine's DNS
server, and shows it in the printed command.
"""
from __future__ import annotations

import os
import re
import shlex

from .. import errors

BUILT_IN_NETWORKS = ("bridge", "host", "none")

CONTAINED_DNS = ("127.0.0.1",)
"""The course's containers get ``--dns 127.0.0.1``: a name Docker's DNS cannot answer is then
asked of nobody, instead of your real DNS server, so no lookup ever leaves the machine."""

_CREATES = re.compile(r"^(\s*(?:docker\s+)?(?:container\s+)?(?:run|create))(?=\s|$)")
# docker run/create options that take no value (all others take one, as the CLI's flag set says).
_FLAGS_LONG = {"--detach", "--interactive", "--tty", "--rm", "--privileged", "--init", "--publish-all",
               "--read-only", "--no-healthcheck", "--oom-kill-disable", "--sig-proxy", "--help", "--quiet",
               "--disable-content-trust", "--use-api-socket"}
_FLAGS_SHORT = set("ditPq")


def split(command: str) -> list[str]:
    """The words of a docker command, without a leading ``docker``, as a shell splits them."""
    if not isinstance(command, str):
        raise errors.UnsupportedCommand("command-not-text", given=type(command).__name__)
    try:
        words = shlex.split(command)
    except ValueError as problem:
        raise errors.UnsupportedCommand("command-unparsable", command=command, reason=str(problem)) from None
    for word in words:
        try:
            if b"\x00" in os.fsencode(word):
                raise ValueError("a NUL character")
        except (UnicodeEncodeError, ValueError) as problem:
            raise errors.UnsupportedCommand("command-unparsable", command=command, reason=str(problem)) from None
    if words[:1] == ["docker"]:
        words = words[1:]
    if not words:
        raise errors.UnsupportedCommand("command-empty")
    return words


def wants_contained_dns(network_mode: str, dns: list[str] | None) -> bool:
    """Whether a new container gets the course's ``--dns 127.0.0.1``: it has no DNS server given,
    and a network of its own (not the host's, another container's, or none)."""
    return not dns and network_mode not in ("host", "none") and not network_mode.startswith("container:")


def with_contained_dns(command: str) -> str:
    """``run ...`` as the course runs it: with ``--dns 127.0.0.1`` after ``run`` when the container
    would otherwise get the machine's DNS server (see :func:`wants_contained_dns`)."""
    found = _CREATES.match(command)
    if not found:
        return command
    network, dns = _run_options(shlex.split(command[found.end():]))
    if not wants_contained_dns(network, dns):
        return command
    added = " ".join(f"--dns {server}" for server in CONTAINED_DNS)
    return f"{found.group(1)} {added}{command[found.end():]}"


def _run_options(words: list[str]) -> tuple[str, list[str]]:
    """The ``--network`` and ``--dns`` values among ``docker run`` options (up to the image)."""
    network, dns = "", []
    index = 0
    while index < len(words) and words[index].startswith("-") and words[index] != "-":
        word = words[index]
        name, has_value, value = word.partition("=")
        if word.startswith("--"):
            if not has_value and name not in _FLAGS_LONG:
                index += 1
                value = words[index] if index < len(words) else ""
        else:
            letters = word[1:]
            taking = next((i for i, letter in enumerate(letters) if letter not in _FLAGS_SHORT), None)
            name, value = "", ""
            if taking is not None:
                name = "-" + letters[taking]
                value = letters[taking + 1:].removeprefix("=")
                if not value:
                    index += 1
                    value = words[index] if index < len(words) else ""
        if name in ("--network", "--net"):
            network = value
        elif name == "--dns":
            dns.append(value)
        index += 1
    return network, dns


def nslookup_addresses(output: str) -> list[str]:
    """The addresses in busybox ``nslookup`` output, sorted (its own order changes from run to run)."""
    return sorted({line.split()[1] for line in output.splitlines()
                   if line.startswith("Address:") and not line.split()[1].endswith(":53")})
