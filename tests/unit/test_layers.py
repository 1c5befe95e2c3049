"""The model and the drawings never reach the engine: they are handed what they show."""
from __future__ import annotations

import ast
from pathlib import Path

import pytest

PACKAGE = Path(__file__).resolve().parents[2] / "dockerlab"
ENGINE_SIDE = {"docker", "requests", "dockerlab.engine", "dockerlab.probe", "dockerlab.watch", "dockerlab.kernel",
               "dockerlab.hostshell"}
HANDED_THEIR_DATA = [PACKAGE / "topology.py", *sorted((PACKAGE / "render").glob("*.py"))]


def _imports_at_run_time(path: Path) -> set[str]:
    """Modules imported when ``path`` is imported (``if TYPE_CHECKING:`` blocks and function bodies left out)."""
    package = "dockerlab.render" if path.parent.name == "render" else "dockerlab"
    found = set()
    for node in ast.parse(path.read_text()).body:
        if isinstance(node, ast.Import):
            found |= {alias.name for alias in node.names}
        elif isinstance(node, ast.ImportFrom):
            base = package.rsplit(".", node.level - 1)[0] if node.level else ""
            module = ".".join(part for part in (base, node.module or "") if part)
            found |= {module} | {f"{module}.{alias.name}" for alias in node.names}
    return found


@pytest.mark.parametrize("path", HANDED_THEIR_DATA, ids=lambda path: path.relative_to(PACKAGE).as_posix())
def test_never_imports_the_engine_side(path):
    imported = _imports_at_run_time(path)
    assert not {name for name in imported if name in ENGINE_SIDE or name.split(".")[0] == "docker"}


def test_the_check_sees_imports():
    assert "dockerlab.topology.Topology" in _imports_at_run_time(PACKAGE / "render" / "live.py")
    assert "dockerlab.render.static.draw" in _imports_at_run_time(PACKAGE / "render" / "live.py")
    assert "dockerlab.engine.Engine" in _imports_at_run_time(PACKAGE / "watch.py")
