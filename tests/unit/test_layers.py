"""The package's folders are its layers: a module imports only from its own layer or the ones below it.

Every import counts, also the ones inside functions (a late import is still a dependency); only
``if TYPE_CHECKING:`` blocks are left out. Within a layer, no two modules import each other, directly
or round a longer loop.
"""
from __future__ import annotations

import ast
from pathlib import Path

import pytest

PACKAGE = Path(__file__).resolve().parents[2] / "dockerlab"

LAYERS = [
    # _version.py: written by setuptools-scm
    ("base", {"dockerlab.errors", "dockerlab.folders", "dockerlab.labels", "dockerlab.text", "dockerlab.particles",
              "dockerlab.shell", "dockerlab.processes", "dockerlab.waiting", "dockerlab.version",
              "dockerlab._version"}),
    ("model", {"dockerlab.model"}),
    ("engine", {"dockerlab.engine"}),
    ("host", {"dockerlab.host"}),
    ("replay", {"dockerlab.replay"}),
    ("render", {"dockerlab.render"}),
    ("explain", {"dockerlab.explain"}),
    ("lessons", {"dockerlab.lessons"}),
    ("exercises", {"dockerlab.exercises"}),
    ("workshop", {"dockerlab.workshop"}),
    ("commands", {"dockerlab.commands"}),
    ("entry", {"dockerlab", "dockerlab.__main__"}),
]
"""Lowest first: engine access, the host and its facts, replay, drawings, explanations of your own engine,
lessons, exercises, commands."""


def module_name(path: Path) -> str:
    parts = list(path.relative_to(PACKAGE.parent).with_suffix("").parts)
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def layer_of(module: str) -> int:
    for index, (_, roots) in enumerate(LAYERS):
        if any(module == root or (root != "dockerlab" and module.startswith(root + ".")) for root in roots):
            return index
    raise AssertionError(f"{module} is in no layer: add its folder to LAYERS")


def _type_checking_only(node: ast.AST) -> bool:
    return isinstance(node, ast.If) and "TYPE_CHECKING" in ast.unparse(node.test)


def imports_of(path: Path) -> dict[str, int]:
    """Every dockerlab module ``path`` imports (at the top or in a function), with the line of the import."""
    module = module_name(path)
    package = module if path.name == "__init__.py" else module.rsplit(".", 1)[0]
    found: dict[str, int] = {}

    def visit(node: ast.AST) -> None:
        if _type_checking_only(node):
            return
        if isinstance(node, ast.Import):
            for alias in node.names:
                if alias.name.split(".")[0] == "dockerlab":
                    found.setdefault(alias.name, node.lineno)
        elif isinstance(node, ast.ImportFrom):
            base = package.rsplit(".", node.level - 1)[0] if node.level > 1 else package
            target = ".".join(p for p in (base if node.level else "", node.module or "") if p)
            if target.split(".")[0] == "dockerlab":
                for alias in node.names:  # ``from . import tape`` imports the module dockerlab.replay.tape
                    candidate = f"{target}.{alias.name}"
                    known = PACKAGE.parent / Path(*candidate.split("."))
                    is_module = known.with_suffix(".py").exists() or (known / "__init__.py").exists()
                    found.setdefault(candidate if is_module else target, node.lineno)
        for child in ast.iter_child_nodes(node):
            visit(child)

    visit(ast.parse(path.read_text()))
    found.pop(module, None)
    return found


MODULES = sorted(PACKAGE.rglob("*.py"))


@pytest.mark.parametrize("path", MODULES, ids=lambda path: path.relative_to(PACKAGE).as_posix())
def test_imports_only_downwards(path):
    here = layer_of(module_name(path))
    upward = {name: line for name, line in imports_of(path).items() if layer_of(name) > here}
    assert not upward, (f"{module_name(path)} ({LAYERS[here][0]}) imports from a higher layer: "
                        + ", ".join(f"{name} ({LAYERS[layer_of(name)][0]}, line {line})"
                                    for name, line in upward.items()))


def test_no_import_loops():
    graph = {module_name(path): set(imports_of(path)) for path in MODULES}
    loops = []
    state: dict[str, str] = {}

    def walk(module: str, trail: list[str]) -> None:
        state[module] = "open"
        for imported in sorted(graph.get(module, ())):
            if imported == "dockerlab" or imported not in graph:
                continue  # the package's entry point re-exports; nothing below imports it
            if state.get(imported) == "open":
                loops.append(" -> ".join([*trail[trail.index(imported):], imported]))
            elif imported not in state:
                walk(imported, [*trail, imported])
        state[module] = "done"

    for module in sorted(graph):
        if module not in state:
            walk(module, [module])
    assert not loops, "import loops:\n" + "\n".join(loops)


def test_the_check_sees_late_imports(tmp_path):
    late = imports_of(PACKAGE / "__init__.py")  # reset() imports the session it makes inside the function
    assert "dockerlab.host.session" in late
    assert layer_of("dockerlab.render.live") > layer_of("dockerlab.host.watch") > layer_of("dockerlab.engine.client")


def test_the_model_and_the_drawings_are_handed_their_data():
    """The model and every drawing import nothing that reaches the engine (the docker SDK, requests)."""
    for path in [*(PACKAGE / "model").glob("*.py"), *(PACKAGE / "render").glob("*.py")]:
        tree = ast.parse(path.read_text())
        outside = {alias.name.split(".")[0] for node in ast.walk(tree) if isinstance(node, ast.Import)
                   for alias in node.names}
        outside |= {node.module.split(".")[0] for node in ast.walk(tree)
                    if isinstance(node, ast.ImportFrom) and node.module and not node.level}
        assert not outside & {"docker", "requests"}, path
