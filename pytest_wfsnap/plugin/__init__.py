"""The pytest plugin of pytest-wfsnap (entry point ``wfsnap`` -> :mod:`.plugin`).

Public names, imported on first use: :class:`WfSnapshot` (the ``wf_snapshot`` fixture's type,
for annotations), :class:`Golden` (a golden file, as returned by ``load_golden()``) and
:class:`WorkflowSnapshotExtension` (the syrupy extension; importing it imports syrupy).
"""

from __future__ import annotations

import importlib
from typing import Any

_LAZY = {
    "WfSnapshot": "pytest_wfsnap.plugin.fixture",
    "Golden": "pytest_wfsnap.plugin.golden",
    "WorkflowSnapshotExtension": "pytest_wfsnap.plugin.syrupy_ext",
}


def __getattr__(name: str) -> Any:
    module = _LAZY.get(name)
    if module is None:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    return getattr(importlib.import_module(module), name)


__all__ = ["Golden", "WfSnapshot", "WorkflowSnapshotExtension"]
