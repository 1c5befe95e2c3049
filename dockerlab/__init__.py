"""dockerlab: learn Docker networking on a real engine, from Jupyter.

    import dockerlab
    lab = dockerlab.lesson("01-default-bridge")
    lab.docker("run -d --name c1 dockerlab/busybox sleep 1d")
    lab.end()
"""
from .errors import LabError
from .lessons.lesson import Lab, lesson
from .version import __version__


def course_check(when: str):
    """The course check's questions, asked ``"before"`` the course (lesson 00) or ``"after"`` it
    (course-check.ipynb); shown, it asks those not answered yet. ``.compare()``: the two side by side."""
    from .lessons.coursecheck import Check

    return Check(when)


def explain(everything: bool = False):
    """Your whole engine: every network and container, grouped by Compose project. Similar to ``dockerlab explain``."""
    from .explain import explain as read_and_draw

    return read_and_draw(everything=everything)


def why(source: str, target: str, port: str | int | None = None, probe: bool = False):
    """Can ``source`` reach ``target`` (on ``port``), and if not, where it stops. Similar to ``dockerlab why``."""
    from .explain import why as work_out

    return work_out(source, target, port, probe=probe, show=print)


def doctor():
    """Check that the course can run here. Similar to ``dockerlab doctor``."""
    from .host.health import diagnose

    return diagnose()


def reset(lesson: str | None = None, dry_run: bool = False) -> dict[str, list[str]]:
    """Remove everything the course made (of one lesson, if given), and nothing else; ``dry_run`` only lists it.

    Similar to ``dockerlab reset [--lesson LESSON] [--dry-run]``.
    """
    from .engine.client import Engine
    from .host.cleanup import reset as remove
    from .host.session import LiveSession

    return remove(LiveSession(Engine.connect()), lesson, dry_run)


def snapshot(lesson: str | None = None):
    """What the engine and the kernel really have now (only ``lesson``'s part, if given).

    Similar to ``dockerlab snapshot [--lesson LESSON]``.
    """
    from .host.probe import snapshot as taken

    return taken(None, lesson)


__all__ = ["Lab", "LabError", "__version__", "doctor", "explain", "lesson", "reset", "snapshot", "why"]
