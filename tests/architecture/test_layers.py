"""The layering in docs/architecture.md, enforced: arrows one way, no cycles.

Every ``costwatch`` import in the package (at module level or inside a function) is read from
the source with ``ast`` and checked against the layer table. A new module must be placed in a
layer here; a new import that points upward, or closes a cycle, fails this test.
"""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

PACKAGE = Path(__file__).parents[2] / "costwatch"

#: Layer of each module, by the first matching prefix (longest first). Lower layers never
#: import higher ones; modules in one layer may import each other (without cycles).
LAYERS: dict[str, int] = {
    # 0: the neutral core: data types, units, config, the report and its JSON.
    "costwatch": 0,
    "costwatch.errors": 0,
    "costwatch.units": 0,
    "costwatch.billing": 0,
    "costwatch.model": 0,
    "costwatch.findings": 0,
    "costwatch.fixes": 0,
    "costwatch.fsio": 0,
    "costwatch.textsafe": 0,
    "costwatch.config": 0,
    "costwatch.report": 0,
    "costwatch.lock": 0,
    "costwatch.urls": 0,
    "costwatch.lazy": 0,
    "costwatch.objects_model": 0,
    "costwatch.objects_cache": 0,
    "costwatch.check_section": 0,
    "costwatch.capacity": 0,
    "costwatch.progress": 0,
    "costwatch.footprint": 0,
    # 1: sources read the world; rules judge. Neither knows the other.
    "costwatch.sources": 1,
    "costwatch.rules": 1,
    # 2: the engine wires sources to rules and builds reports.
    "costwatch.checks": 2,
    "costwatch.linkscan": 2,
    "costwatch.baseline": 2,
    # 2: the reports folder: its history, charts, writer, schedules and notifications.
    "costwatch.history": 2,
    "costwatch.charts": 2,
    "costwatch.reportdir": 2,
    "costwatch.schedule": 2,
    "costwatch.notify": 2,
    # 2: formats render a report (and read rule documentation).
    "costwatch.formats": 2,
    # 3: the demo drives the engine against emulators; the CLI wires everything.
    "costwatch.demo": 3,
    "costwatch.reportcli": 3,
    # 3: where a rendered report goes (stdout, or a file written atomically).
    "costwatch.output": 3,
    "costwatch.cli": 4,
    "costwatch.cli_startup": 4,
    "costwatch.__main__": 4,
}

#: Imports allowed across the same layer between different groups (sources and rules are
#: both layer 1 but must not import each other; formats may read the rule registry).
FORBIDDEN_PAIRS = {
    ("costwatch.sources", "costwatch.rules"),
    ("costwatch.rules", "costwatch.sources"),
    ("costwatch.checks", "costwatch.formats"),
    ("costwatch.formats", "costwatch.checks"),
    ("costwatch.formats", "costwatch.sources"),
    ("costwatch.formats", "costwatch.linkscan"),
}
#: Same-layer imports that are allowed only in one direction.
ALLOWED_UP = {("costwatch.formats", "costwatch.rules")}


def module_name(path: Path) -> str:
    parts = list(path.relative_to(PACKAGE.parent).with_suffix("").parts)
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)


def group(module: str) -> str:
    return max((p for p in LAYERS if module == p or module.startswith(p + ".")), key=len)


def imports(path: Path) -> set[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    found: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            if node.module.startswith("costwatch"):
                found.add(node.module)
                found.update(
                    f"{node.module}.{alias.name}"
                    for alias in node.names
                    if (PACKAGE.parent / f"{node.module}.{alias.name}".replace(".", "/")).exists()
                    or (
                        PACKAGE.parent / (f"{node.module}.{alias.name}".replace(".", "/") + ".py")
                    ).exists()
                )
        elif isinstance(node, ast.Import):
            found.update(a.name for a in node.names if a.name.startswith("costwatch"))
    return found


def graph() -> dict[str, set[str]]:
    return {module_name(p): imports(p) for p in PACKAGE.rglob("*.py")}


def test_every_module_has_a_layer() -> None:
    """A new top-level module is placed in the table on purpose, not by the package's row."""
    for module in graph():
        assert group(module) != "costwatch" or module == "costwatch", f"{module}: add a layer"


def test_no_upward_imports() -> None:
    problems = []
    for module, targets in graph().items():
        source = group(module)
        for target in targets:
            dest = group(target)
            if (source, dest) in FORBIDDEN_PAIRS:
                problems.append(f"{module} -> {target} (forbidden pair)")
            elif LAYERS[dest] > LAYERS[source]:
                problems.append(f"{module} -> {target} (layer {LAYERS[source]} -> {LAYERS[dest]})")
    assert problems == []


def test_no_import_cycles() -> None:
    edges = graph()
    # Edges to a package's __init__ are module edges too; only real modules take part.
    state: dict[str, int] = {}
    stack: list[str] = []
    cycles: list[list[str]] = []

    def visit(node: str) -> None:
        state[node] = 1
        stack.append(node)
        for target in sorted(edges.get(node, ())):
            if target not in edges or target == "costwatch":
                continue
            if state.get(target) == 1:
                cycles.append([*stack[stack.index(target) :], target])
            elif target not in state:
                visit(target)
        stack.pop()
        state[node] = 2

    for node in sorted(edges):
        if node not in state:
            visit(node)
    assert cycles == []


@pytest.mark.parametrize(
    ("source", "target", "bad"),
    [
        ("costwatch.rules.bucket_base", "costwatch.formats.base", True),
        ("costwatch.sources.gcs", "costwatch.rules.registry", True),
        ("costwatch.model", "costwatch.checks.audit", True),
        ("costwatch.checks.audit", "costwatch.sources.gcs", False),
        ("costwatch.formats.sarif", "costwatch.rules.registry", False),
    ],
)
def test_the_checker_itself(source: str, target: str, bad: bool) -> None:
    s, t = group(source), group(target)
    assert ((s, t) in FORBIDDEN_PAIRS or LAYERS[t] > LAYERS[s]) is bad
