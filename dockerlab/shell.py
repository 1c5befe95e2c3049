"""The IPython shell the course runs in, if any (the lessons' kernel; none in a plain Python)."""
from __future__ import annotations


def ipython_shell():
    """The running IPython shell, or ``None`` outside IPython."""
    try:
        from IPython import get_ipython
    except ImportError:  # pragma: no cover - IPython is a dependency
        return None
    return get_ipython()
