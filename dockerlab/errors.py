"""One error hierarchy, each with a message a learner can act on.

Every error says what happened and what to do next. The CLI prints
``str(error)`` and exits non-zero; notebooks show it without a traceback
(see :func:`dockerlab.lessons.lesson.install_error_display`).
"""
from __future__ import annotations

from .text import say


class LabError(Exception):
    """Base of every error the course reports to a learner."""

    exit_code = 2

    def __init__(self, key: str, **fields: object):
        self.key = key
        self.fields = fields
        super().__init__(say(key, **fields))


class EngineUnreachable(LabError):
    """No Docker engine answers at the address the course uses."""


class SocketPermissionDenied(LabError):
    """An engine is there, but this user may not use its socket."""


class EngineInstallFailed(LabError):
    """The course could not install or start an engine on this machine."""


class NameInUse(LabError):
    """A container or network name is already taken."""


class SubnetOverlap(LabError):
    """The subnet asked for overlaps a network that already exists."""


class NotFound(LabError):
    """A container, network or image the command names does not exist."""


class NotTheLabs(LabError):
    """The object belongs to the learner, so the course will not touch it."""


class CommandRefused(LabError):
    """The engine refused a command; the message is the engine's own."""


class UnsupportedCommand(LabError):
    """The lesson helper does not know this docker command or option."""


class CliMissing(LabError):
    """The learner's ``docker`` command is not installed (or cannot be started)."""


class DiskFull(LabError):
    """The engine has no space left where it keeps images, containers and volumes."""


class ImageUnavailable(LabError):
    """A lab image could be neither built nor pulled."""


class NotRecorded(LabError):
    """A session that replays a recording was asked something the recording does not hold."""


class NeedsEngine(LabError):
    """Something that must read a real engine (an exercise's check) in a session that replays a recording."""


class ClaimFailed(LabError):
    """A lesson's claim did not hold on the learner's engine: what was expected, what was seen, how to report it."""
