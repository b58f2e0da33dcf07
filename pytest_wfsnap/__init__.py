"""pytest-wfsnap: workflow engine with snapshot/restore, and its pytest plugin.

.. code-block:: python

    from pytest_wfsnap import engine

    result = engine.new(payload).execute()

Every error the package raises derives from :class:`WfsnapError`; the whole tree lives in
:mod:`pytest_wfsnap.errors`. Engine and snapshot names are imported on first use, so loading
the pytest plugin (which imports this package) stays cheap.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

from pytest_wfsnap.errors import (
    ConfigError,
    ExecutionError,
    ExpressionError,
    GraphError,
    HTTPNodeError,
    LimitError,
    NodeError,
    PayloadError,
    PluginUsageError,
    RegistryError,
    SnapshotError,
    StorageError,
    WfsnapError,
    WorkflowTimeoutError,
)

if TYPE_CHECKING:  # pragma: no cover
    from pytest_wfsnap import engine
    from pytest_wfsnap.engine import Config, Engine, Registry, Result
    from pytest_wfsnap.engine.snapshots import (
        deserialize_snapshot,
        enable_checkpoints,
        execute_from_snapshot,
        load_snapshot,
        recover,
        save_snapshot,
        serialize_snapshot,
    )
    from pytest_wfsnap.snapshot import Snapshot

# name -> module it comes from, imported on first use.
_LAZY = {
    "engine": "pytest_wfsnap.engine",
    "Config": "pytest_wfsnap.engine",
    "Engine": "pytest_wfsnap.engine",
    "Registry": "pytest_wfsnap.engine",
    "Result": "pytest_wfsnap.engine",
    "Snapshot": "pytest_wfsnap.snapshot",
    "deserialize_snapshot": "pytest_wfsnap.engine.snapshots",
    "enable_checkpoints": "pytest_wfsnap.engine.snapshots",
    "execute_from_snapshot": "pytest_wfsnap.engine.snapshots",
    "load_snapshot": "pytest_wfsnap.engine.snapshots",
    "recover": "pytest_wfsnap.engine.snapshots",
    "save_snapshot": "pytest_wfsnap.engine.snapshots",
    "serialize_snapshot": "pytest_wfsnap.engine.snapshots",
}


def __getattr__(name: str) -> Any:
    module_name = _LAZY.get(name)
    if module_name is None:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    module = importlib.import_module(module_name)
    value = module if name == "engine" else getattr(module, name)
    globals()[name] = value
    return value


__all__ = [
    "Config",
    "ConfigError",
    "Engine",
    "ExecutionError",
    "ExpressionError",
    "GraphError",
    "HTTPNodeError",
    "LimitError",
    "NodeError",
    "PayloadError",
    "PluginUsageError",
    "Registry",
    "RegistryError",
    "Result",
    "Snapshot",
    "SnapshotError",
    "StorageError",
    "WfsnapError",
    "WorkflowTimeoutError",
    "deserialize_snapshot",
    "enable_checkpoints",
    "engine",
    "execute_from_snapshot",
    "load_snapshot",
    "recover",
    "save_snapshot",
    "serialize_snapshot",
]
