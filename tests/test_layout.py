"""The package follows its data: one subpackage per stage, imports only from earlier stages,
no import cycle, a docstring per stage, and a public API a notebook can use.

Imports are read with ``ast`` from the source (imports inside functions count too), so a
lazy import cannot hide a dependency that runs the wrong way.
"""

from __future__ import annotations

import ast
import importlib
from pathlib import Path

import pytest

import aandacht

ROOT = Path(__file__).resolve().parent.parent
PACKAGE = ROOT / "src" / "aandacht"
NOTEBOOK = ROOT / "notebooks" / "herijking_walkthrough.py"
# The stages in the order data flows; a module may import from its own stage or an earlier one.
STAGES = ["base", "config", "inputs", "scoring", "decide", "rounds", "present", "archive", "top"]
BASE = {"errors", "resources", "dutch", "text", "digest", "_lazy"}
FLOW = ["inputs", "scoring", "decide", "rounds", "present", "archive"]


def module_name(path: Path) -> str:
    parts = list(path.relative_to(PACKAGE.parent).with_suffix("").parts)
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def is_package(name: str) -> bool:
    return (PACKAGE.parent / name.replace(".", "/") / "__init__.py").is_file()


def is_module(name: str) -> bool:
    return is_package(name) or (PACKAGE.parent / (name.replace(".", "/") + ".py")).is_file()


def imports_of(path: Path) -> set[str]:
    """Every aandacht module that ``path`` imports, anywhere in the file."""
    name = module_name(path)
    package = name if path.name == "__init__.py" else name.rpartition(".")[0]
    found = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            found |= {alias.name for alias in node.names if alias.name.startswith("aandacht")}
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                base = package.split(".")[: len(package.split(".")) - (node.level - 1)]
                target = ".".join(base + ([node.module] if node.module else []))
            elif node.module and node.module.startswith("aandacht"):
                target = node.module
            else:
                continue
            submodules = {f"{target}.{alias.name}" for alias in node.names if is_module(f"{target}.{alias.name}")}
            found |= submodules or {target}
    return found


def stage(name: str) -> str:
    parts = name.split(".")
    if len(parts) == 1 or parts[1] in ("cli", "__main__"):
        return "top"
    return "base" if parts[1] in BASE else parts[1]


GRAPH = {module_name(p): imports_of(p) for p in sorted(PACKAGE.rglob("*.py"))}


def test_every_module_belongs_to_a_known_stage():
    unknown = sorted(m for m in GRAPH if stage(m) not in STAGES)
    assert not unknown, f"modules outside the stages {STAGES}: {unknown}"


def test_imports_flow_from_later_stages_to_earlier_ones():
    upward = [f"{m} ({stage(m)}) imports {t} ({stage(t)})" for m, targets in GRAPH.items() for t in targets
              if STAGES.index(stage(t)) > STAGES.index(stage(m))]
    assert not upward, "imports against the flow of data:\n" + "\n".join(upward)


def test_no_import_cycle():
    state: dict[str, str] = {}
    cycles = []

    def visit(node: str, path: list[str]) -> None:
        state[node] = "open"
        for target in sorted(GRAPH.get(node, ())):
            if target == node or target not in GRAPH:
                continue
            if state.get(target) == "open":
                cycles.append(" -> ".join(path[path.index(target):] + [target]))
            elif target not in state:
                visit(target, path + [target])
        state[node] = "done"

    for module in sorted(GRAPH):
        if module not in state:
            visit(module, [module])
    assert not cycles, "import cycles:\n" + "\n".join(cycles)


def test_the_graph_sees_imports_inside_functions():
    """Self-check of the walker: the CLI imports the stages only inside its commands."""
    assert {"aandacht.scoring.run", "aandacht.archive.output", "aandacht.config.choices"} <= GRAPH["aandacht.cli"]


@pytest.mark.parametrize("name", FLOW)
def test_each_stage_says_what_it_takes_and_hands_on(name):
    doc = importlib.import_module(f"aandacht.{name}").__doc__ or ""
    assert len(doc.strip().splitlines()) >= 3
    assert "Takes" in doc and "Hands on" in doc


def test_public_api_is_importable_from_the_package():
    for name in aandacht.__all__:
        assert getattr(aandacht, name) is not None, name
    for needed in ("load_config", "run_score", "run_herijking", "render_maps", "render_html", "ReportData"):
        assert needed in aandacht.__all__
    with pytest.raises(AttributeError):
        aandacht.no_such_function  # noqa: B018


def test_the_notebook_uses_only_the_public_api():
    tree = ast.parse(NOTEBOOK.read_text(encoding="utf-8"))
    modules = {node.module for node in ast.walk(tree) if isinstance(node, ast.ImportFrom)
               and node.module and node.module.startswith("aandacht")}
    assert modules == {"aandacht"}


def test_the_dependencies_are_declared_exactly_as_imported():
    """Every third-party package the code imports is declared in pyproject.toml, and every declared one
    is imported (``requests`` was imported but not declared, ``pyproj`` declared but not imported).
    XlsxWriter is imported by pandas as the workbook engine; the optional extras are imported inside the
    commands that need them."""
    import ast
    import re
    import sys
    import tomllib
    from pathlib import Path

    root = Path(__file__).resolve().parent.parent
    project = tomllib.loads((root / "pyproject.toml").read_text(encoding="utf-8"))["project"]
    import_name = {"scikit-learn": "sklearn", "pyyaml": "yaml", "python-calamine": "python_calamine", "pillow": "PIL"}

    def names(requirements):
        found = set()
        for requirement in requirements:
            name = re.match(r"[A-Za-z0-9_.-]+", requirement).group().lower()
            found.add(import_name.get(name, name))
        return found

    declared = names(project["dependencies"]) - {"xlsxwriter"}
    optional = names(project["optional-dependencies"]["spatial"])
    imported = set()
    for path in (root / "src" / "aandacht").rglob("*.py"):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Import):
                imported |= {alias.name.split(".")[0] for alias in node.names}
            elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
                imported.add(node.module.split(".")[0])
    imported = {name for name in imported if name not in sys.stdlib_module_names and name != "aandacht"}
    assert imported - optional == declared
