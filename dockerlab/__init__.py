"""dockerlab: learn Docker networking on a real engine, from Jupyter.

    import dockerlab
    lab = dockerlab.lesson("01-default-bridge")
    lab.docker("run -d --name c1 dockerlab/busybox sleep 1d")
    lab.end()
"""
try:  # written by setuptools-scm from the git tag when the package is built or installed
    from ._version import __version__
except ImportError:  # a source tree that was never installed
    __version__ = "0+unknown"

from .cleanup import reset
from .errors import LabError
from .lesson import Lab, lesson, snapshot


def doctor():
    """Check that the course can run here. Similar to ``dockerlab doctor``."""
    from .health import diagnose

    return diagnose()


__all__ = ["Lab", "LabError", "__version__", "doctor", "lesson", "reset", "snapshot"]
