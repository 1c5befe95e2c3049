"""The learner's own ``docker`` command, run for a lesson cell against the course's proxy.

Whatever the CLI prints (its output, warnings and errors, in order) and its exit
code come back unchanged: a cell shows what a terminal would.
"""
from __future__ import annotations

import os
import shlex
import shutil
import subprocess

from .. import errors

_NOT_PASSED_ON = ("DOCKER_CONTEXT", "DOCKER_TLS_VERIFY", "DOCKER_CERT_PATH")
"""Settings that would send the CLI elsewhere than ``DOCKER_HOST`` (the course's proxy)."""


def binary() -> str:
    """The path of the ``docker`` command, or a :class:`LabError` saying what to install."""
    found = shutil.which("docker")
    if not found:
        raise errors.CliMissing("cli-missing")
    return found


def run(words: list[str], docker_host: str) -> tuple[int, str]:
    """Run ``docker WORDS`` with ``DOCKER_HOST`` set; return its exit code and everything it printed."""
    environment = {key: value for key, value in os.environ.items() if key not in _NOT_PASSED_ON}
    environment["DOCKER_HOST"] = docker_host
    try:
        finished = subprocess.run([binary(), *words], env=environment, stdin=subprocess.DEVNULL,
                                  stdout=subprocess.PIPE, stderr=subprocess.STDOUT, check=False)
    except OSError as problem:
        raise errors.CliMissing("cli-failed", problem=str(problem)) from None
    except KeyboardInterrupt:  # the CLI is stopped, as Ctrl-C stops it in a terminal
        raise errors.CommandRefused("command-interrupted", command=shlex.join(["docker", *words])) from None
    return finished.returncode, finished.stdout.decode("utf-8", "replace")
