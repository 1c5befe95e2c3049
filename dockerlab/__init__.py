"""dockerlab: learn Docker networking on a real engine, from Jupyter.

    import dockerlab
    lab = dockerlab.lesson("01-default-bridge")
    lab.docker("run -d --name c1 dockerlab/busybox sleep 1d")
    lab.end()
"""
from .errors import LabError
from .host.cleanup import reset
from .lessons.lesson import Lab, lesson, snapshot
from .version import __version__


def doctor():
    """Check that the course can run here. Similar to ``dockerlab doctor``."""
    from .host.health import diagnose

    return diagnose()


__all__ = ["Lab", "LabError", "__version__", "doctor", "lesson", "reset", "snapshot"]
