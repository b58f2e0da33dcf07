"""The snapshot format imports neither pytest/syrupy nor the engine runtime."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest_wfsnap.snapshot

ALLOWED_PACKAGE_IMPORTS = {
    "pytest_wfsnap.errors",
    "pytest_wfsnap.engine.config",
    "pytest_wfsnap.engine.engine_state",
}


def imported_modules(path: Path) -> set[str]:
    names: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text())):
        if isinstance(node, ast.Import):
            names.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module:
            names.add(node.module)
    return names


def test_import_arrows() -> None:
    package = Path(pytest_wfsnap.snapshot.__file__).parent
    files = sorted(package.glob("*.py"))
    assert len(files) >= 9
    for path in files:
        for name in imported_modules(path):
            root = name.split(".")[0]
            assert root not in {"pytest", "_pytest", "syrupy"}, f"{path.name} imports {name}"
            if root == "pytest_wfsnap" and not name.startswith("pytest_wfsnap.snapshot"):
                assert name in ALLOWED_PACKAGE_IMPORTS, f"{path.name} imports {name}"
