"""The import arrows of the package: ``snapshot format <- engine <- plugin`` and
``snapshot format <- storage <- plugin`` (STYLE.md).

The engine, the snapshot format and the storage run without pytest or syrupy (a server can use
them with neither installed) and never reach into the plugin; the storage does not depend on
the engine; nothing in the package imports pytest's private ``_pytest``; modules stay small.

Each rule is checked twice where it can be: statically, over every import statement (also
those inside functions and ``TYPE_CHECKING`` blocks, and ``importlib.import_module("...")``
calls with a literal name), and at run time, by importing every module of the three packages
in a fresh interpreter and looking at ``sys.modules``.
"""

from __future__ import annotations

import ast
import json
import subprocess
import sys
from functools import cache
from pathlib import Path

import pytest

import pytest_wfsnap

PACKAGE_DIR = Path(pytest_wfsnap.__file__).parent
REPO_ROOT = PACKAGE_DIR.parent
CORE_PACKAGES = ("engine", "snapshot", "storage")
FORBIDDEN_IN_CORE = ("pytest", "_pytest", "syrupy", "pytest_wfsnap.plugin")
MAX_MODULE_LINES = 450


def module_name(path: Path) -> str:
    parts = list(path.relative_to(REPO_ROOT).with_suffix("").parts)
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)


def package_files(subpackage: str | None = None) -> list[Path]:
    root = PACKAGE_DIR if subpackage is None else PACKAGE_DIR / subpackage
    return sorted(root.rglob("*.py"))


@cache
def all_module_names() -> frozenset[str]:
    return frozenset(module_name(path) for path in package_files())


def _resolve_relative(path: Path, module: str | None, level: int) -> str:
    package = module_name(path).split(".")
    if path.name != "__init__.py":
        package.pop()  # a module's relative imports start from its package
    if level > 1:
        package = package[: len(package) - (level - 1)]
    return ".".join([*package, module] if module else package)


def _is_type_checking(test: ast.expr) -> bool:
    return (isinstance(test, ast.Name) and test.id == "TYPE_CHECKING") or (
        isinstance(test, ast.Attribute) and test.attr == "TYPE_CHECKING"
    )


@cache
def imports_of(path: Path, *, runtime_only: bool = False) -> frozenset[str]:
    """Every module name ``path`` imports, at any depth of its code; with ``runtime_only``,
    leaving out the imports under ``if TYPE_CHECKING:`` (for type checkers only)."""
    tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
    typing_only: set[int] = set()
    if runtime_only:
        for node in ast.walk(tree):
            if isinstance(node, ast.If) and _is_type_checking(node.test):
                typing_only.update(id(inner) for stmt in node.body for inner in ast.walk(stmt))
    names: set[str] = set()
    for node in ast.walk(tree):
        if id(node) in typing_only:
            continue
        if isinstance(node, ast.Import):
            names.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                base = _resolve_relative(path, node.module, node.level)
            names.add(base)
            for alias in node.names:  # ``from pkg import submodule``
                candidate = f"{base}.{alias.name}"
                if candidate in all_module_names():
                    names.add(candidate)
        elif (
            isinstance(node, ast.Call)
            and isinstance(node.func, ast.Attribute | ast.Name)
            and (node.func.attr if isinstance(node.func, ast.Attribute) else node.func.id)
            == "import_module"
            and node.args
            and isinstance(node.args[0], ast.Constant)
            and isinstance(node.args[0].value, str)
        ):
            names.add(node.args[0].value)
    return frozenset(names)


def is_within(name: str, prefix: str) -> bool:
    return name == prefix or name.startswith(prefix + ".")


def violations(files: list[Path], forbidden: tuple[str, ...]) -> list[str]:
    return [
        f"{path.relative_to(REPO_ROOT)} imports {name}"
        for path in files
        for name in sorted(imports_of(path))
        if any(is_within(name, prefix) for prefix in forbidden)
    ]


# --- static checks ------------------------------------------------------------------------


def test_the_scan_sees_every_kind_of_import() -> None:
    sample = PACKAGE_DIR / "engine" / "__init__.py"
    found = imports_of(sample)
    assert "pytest_wfsnap.engine.config" in found  # absolute ``from ... import``
    assert "pytest_wfsnap.engine.snapshots" in found  # importlib.import_module("...")
    assert "importlib" in found  # plain ``import``
    nested = PACKAGE_DIR / "storage" / "fs_store.py"
    assert "fcntl" in imports_of(nested)  # inside an ``if`` block
    errors = PACKAGE_DIR / "errors.py"  # imports the engine's Result for type checkers only
    assert "pytest_wfsnap.engine.result" in imports_of(errors)
    assert "pytest_wfsnap.engine.result" not in imports_of(errors, runtime_only=True)


@pytest.mark.parametrize("subpackage", CORE_PACKAGES)
def test_core_packages_never_import_pytest_syrupy_or_the_plugin(subpackage: str) -> None:
    files = package_files(subpackage)
    assert len(files) >= 5, f"expected the {subpackage} package at {PACKAGE_DIR / subpackage}"
    assert violations(files, FORBIDDEN_IN_CORE) == []


def test_storage_does_not_depend_on_the_engine() -> None:
    """Not directly, and not through anything it imports at run time (imports for type
    checkers only, and the package root's re-exports, which are the public facade, aside)."""
    seen: set[str] = set()
    pending = [module_name(path) for path in package_files("storage")]
    while pending:
        name = pending.pop()
        if name in seen:
            continue
        seen.add(name)
        parts = name.split(".")
        parents = [".".join(parts[:i]) for i in range(2, len(parts))]  # their __init__ runs too
        pending.extend(parent for parent in parents if parent in all_module_names())
        path = REPO_ROOT.joinpath(*parts)
        source = path / "__init__.py" if path.is_dir() else path.with_suffix(".py")
        if source.exists():
            pending.extend(
                imported
                for imported in imports_of(source, runtime_only=True)
                if imported in all_module_names() and imported != "pytest_wfsnap"
            )
    reached = sorted(name for name in seen if is_within(name, "pytest_wfsnap.engine"))
    assert reached == [], f"the storage reaches the engine: {reached}"
    assert "pytest_wfsnap.storage.stores" in seen  # the walk did run


def test_no_module_imports_private_pytest() -> None:
    assert violations(package_files(), ("_pytest",)) == []


def test_no_module_exceeds_the_size_limit() -> None:
    too_long = {
        str(path.relative_to(REPO_ROOT)): count
        for path in package_files()
        if (count := len(path.read_text(encoding="utf-8").splitlines())) > MAX_MODULE_LINES
    }
    assert too_long == {}, f"split these modules (limit {MAX_MODULE_LINES} lines): {too_long}"


# --- run-time checks ----------------------------------------------------------------------

_PROBE = """
import importlib, json, pkgutil, sys, types

sys.path.insert(0, {repo_root!r})
if {bare_root}:
    # An empty package root: only what the imported package itself pulls in gets loaded.
    root = types.ModuleType("pytest_wfsnap")
    root.__path__ = [{package_dir!r}]
    sys.modules["pytest_wfsnap"] = root
imported = []
for name in {packages!r}:
    package = importlib.import_module(name)
    imported.append(name)
    if {walk}:
        for info in pkgutil.walk_packages(package.__path__, name + "."):
            importlib.import_module(info.name)
            imported.append(info.name)
print(json.dumps({{"imported": imported, "loaded": sorted(sys.modules)}}))
"""


def probe(
    packages: list[str], *, bare_root: bool = False, walk: bool = True
) -> tuple[list[str], list[str]]:
    """Import ``packages`` (and, with ``walk``, all their modules) in a fresh, isolated
    interpreter; return what was imported and every module then loaded."""
    code = _PROBE.format(
        repo_root=str(REPO_ROOT),
        bare_root=bare_root,
        package_dir=str(PACKAGE_DIR),
        packages=packages,
        walk=walk,
    )
    completed = subprocess.run(
        [sys.executable, "-I", "-c", code],
        cwd=REPO_ROOT,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert completed.returncode == 0, completed.stderr
    report = json.loads(completed.stdout)
    return report["imported"], report["loaded"]


def test_importing_every_core_module_loads_no_pytest_syrupy_or_plugin() -> None:
    packages = [f"pytest_wfsnap.{name}" for name in CORE_PACKAGES]
    imported, loaded = probe(packages)
    assert "pytest_wfsnap.engine.snapshots" in imported  # the lazy modules were imported too
    assert "pytest_wfsnap.storage.sqlite_store" in imported
    found = [name for name in loaded if any(is_within(name, p) for p in FORBIDDEN_IN_CORE)]
    assert found == []


def test_importing_the_storage_alone_loads_no_engine() -> None:
    imported, loaded = probe(["pytest_wfsnap.storage"], bare_root=True)
    assert "pytest_wfsnap.storage.fs_store" in imported
    assert [name for name in loaded if is_within(name, "pytest_wfsnap.engine")] == []
    assert [name for name in loaded if any(is_within(name, p) for p in FORBIDDEN_IN_CORE)] == []


def test_the_probe_can_see_a_forbidden_import() -> None:
    # The probe itself does not load pytest; a module that does is reported.
    _, loaded = probe(["pytest_wfsnap.errors"], walk=False)
    assert "pytest_wfsnap.errors" in loaded and "pytest" not in loaded
    _, loaded = probe(["pytest_wfsnap.errors", "_pytest.outcomes"], walk=False)
    assert "_pytest.outcomes" in loaded
