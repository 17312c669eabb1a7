"""The core's layers, read from its imports: each layer uses only the layers below it.

The order is the one docs/architecture.md draws (and each subpackage's
docstring states): base < records < model < site < views < outputs < staff.
The test reads every ``import`` of every module under core/ with ``ast`` —
function-level ones too, where circles used to hide — so a new import that
points up, or a circle between two modules, fails here with its file and line.
"""

from __future__ import annotations

import ast
from collections.abc import Iterator
from pathlib import Path

import pytest
from sitebuilder import REPO

CORE = REPO / "plugins" / "huiyin" / "core"
LAYERS = ("base", "records", "model", "site", "views", "outputs", "staff")
FORBIDDEN = ("mkdocs", "material", "properdocs")  # the core must outlive the generator


def module_name(path: Path) -> str:
    parts = path.relative_to(CORE.parent.parent).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def imports(path: Path) -> Iterator[tuple[int, str]]:
    """(line, absolute module name) of every import in a module."""
    package = module_name(path) if path.name == "__init__.py" else module_name(path).rpartition(".")[0]
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            yield from ((node.lineno, alias.name) for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            base = package.split(".")[: len(package.split(".")) - node.level + 1] if node.level else []
            target = ".".join([*base, node.module] if node.module else base)
            yield node.lineno, target
            for alias in node.names:  # `from . import schema` imports a module
                yield node.lineno, f"{target}.{alias.name}"


def layer_of(module: str) -> int | None:
    parts = module.split(".")
    if parts[:2] != ["huiyin", "core"] or len(parts) < 3 or parts[2] not in LAYERS:
        return None
    return LAYERS.index(parts[2])


def core_modules() -> list[Path]:
    return sorted(CORE.rglob("*.py"))


def test_every_core_module_sits_in_a_layer() -> None:
    outside = [str(p.relative_to(CORE)) for p in core_modules() if p.parent != CORE and layer_of(module_name(p)) is None]
    loose = [p.name for p in core_modules() if p.parent == CORE and p.name != "__init__.py"]
    assert not outside and not loose, f"modules outside the layers: {outside + loose}"


def test_imports_point_only_down() -> None:
    wrong = []
    for path in core_modules():
        own = layer_of(module_name(path))
        for line, target in imports(path):
            if target.split(".")[0] in FORBIDDEN:
                wrong.append(f"{path.relative_to(REPO)}:{line}: imports {target}: the core knows nothing of the generator")
            theirs = layer_of(target)
            if own is not None and theirs is not None and theirs > own:
                wrong.append(f"{path.relative_to(REPO)}:{line}: {LAYERS[own]} imports {target}, a layer above it")
    assert not wrong, "\n".join(wrong)


def test_no_module_imports_itself_round_a_circle() -> None:
    names = {module_name(p): p for p in core_modules()}
    graph = {name: {t for _, t in imports(path) if t in names and t != name} for name, path in names.items()}
    for package in [n for n in names if names[n].name == "__init__.py"]:
        graph[package] = set()  # a package's docstring module imports nothing; submodules import it implicitly
    circles = _cycles(graph)
    assert not circles, "import circles:\n" + "\n".join(" → ".join(c) for c in circles)


def _cycles(graph: dict[str, set[str]]) -> list[list[str]]:
    found: list[list[str]] = []
    state: dict[str, int] = {}  # 1 on the stack, 2 done

    def visit(node: str, stack: list[str]) -> None:
        state[node] = 1
        for target in sorted(graph[node]):
            if state.get(target) == 1:
                found.append(stack[stack.index(target):] + [target])
            elif target not in state:
                visit(target, [*stack, target])
        state[node] = 2

    for node in sorted(graph):
        if node not in state:
            visit(node, [node])
    return found


@pytest.mark.parametrize("layer", LAYERS)
def test_each_layer_says_what_it_may_use(layer: str) -> None:
    doc = ast.get_docstring(ast.parse((CORE / layer / "__init__.py").read_text(encoding="utf-8")))
    assert doc and "uses" in doc, f"core/{layer}/__init__.py should say in one line what the layer may use"
