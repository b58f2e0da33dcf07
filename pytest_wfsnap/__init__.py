"""pytest-wfsnap: workflow engine with snapshot/restore, and its pytest plugin.

.. code-block:: python

    from pytest_wfsnap import engine

    result = engine.new(payload).execute()

Every error the package raises derives from :class:`WfsnapError`; the whole tree lives in
:mod:`pytest_wfsnap.errors`.
"""

from pytest_wfsnap import engine
from pytest_wfsnap.engine import Config, Engine, Registry, Result
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
    "SnapshotError",
    "StorageError",
    "WfsnapError",
    "WorkflowTimeoutError",
    "engine",
]
