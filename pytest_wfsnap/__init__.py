"""pytest-wfsnap: workflow engine with snapshot/restore, and its pytest plugin.

.. code-block:: python

    from pytest_wfsnap import engine

    result = engine.new(payload).execute()

Every error the package raises derives from :class:`WfsnapError`; the whole tree lives in
:mod:`pytest_wfsnap.errors`.
"""

from typing import Any

from pytest_wfsnap import engine
from pytest_wfsnap.engine import SNAPSHOT_API, Config, Engine, Registry, Result
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

# The snapshot API (pytest_wfsnap.engine.snapshots), imported on first use.
_SNAPSHOT_API = SNAPSHOT_API - {"CheckpointObserver"}


def __getattr__(name: str) -> Any:
    if name in _SNAPSHOT_API:
        return getattr(engine, name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


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
