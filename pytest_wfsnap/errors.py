"""The whole exception tree of pytest-wfsnap, in one place.

Every error the package raises derives from :class:`WfsnapError`. Each message says what was
wrong and where, and, where it helps, which setting or command fixes it.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:  # pragma: no cover
    from pytest_wfsnap.engine.result import Result


class WfsnapError(Exception):
    """Base class of every error raised by pytest-wfsnap."""


# --- engine -------------------------------------------------------------------------------


class ConfigError(WfsnapError):
    """An engine configuration value or preset name is invalid."""


class RegistryError(WfsnapError):
    """A node executor is registered twice, or a registration is malformed."""


class PayloadError(WfsnapError):
    """A workflow payload could not be decoded (``failed to parse payload: ...``)."""


class NodeError(WfsnapError):
    """Raised by a node executor; the engine wraps it as ``error executing node <id>: ...``."""


class ExpressionError(NodeError):
    """An expression could not be evaluated (raised by the expression interpreter)."""


class ExecutionError(WfsnapError):
    """A workflow run failed. ``result`` is the partial :class:`Result` (status ``failed``)."""

    def __init__(self, message: str, result: Result | None = None, node_id: str | None = None):
        super().__init__(message)
        self.result = result
        self.node_id = node_id


class GraphError(ExecutionError):
    """The graph cannot be ordered (cycle, duplicate id, edge to an unknown node)."""


class WorkflowTimeoutError(ExecutionError):
    """The whole run exceeded ``Config.max_execution_time``."""


class LimitError(NodeError):
    """A runtime protection limit was exceeded (node executions, HTTP calls, values)."""


class HTTPNodeError(NodeError):
    """An HTTP node failed: not allowed, blocked URL, network error, bad status, too large."""


# --- snapshots -----------------------------------------------------------------------------


class SnapshotError(WfsnapError):
    """Base class of snapshot problems."""


class SnapshotDecodeError(SnapshotError):
    """The snapshot is not valid JSON/binary, or a field has the wrong type or is missing."""


class SnapshotEncodeError(SnapshotError):
    """A snapshot cannot be written: a value is not JSON-representable (NaN, infinity, bytes,
    non-string keys, integers beyond 64 bits, nesting deeper than 254 levels) or a time is naive."""


class SnapshotVersionError(SnapshotError):
    """The snapshot's format version is missing or not one this release reads."""


class SnapshotIntegrityError(SnapshotError):
    """The snapshot was tampered with, truncated, or decrypted with the wrong key."""


class SnapshotTooLargeError(SnapshotError):
    """A snapshot (or its decompressed form) exceeds the configured size limit."""


class SnapshotLoadError(SnapshotError):
    """A decoded snapshot cannot be turned back into an engine (e.g. unknown node type)."""


# --- storage and plugin -------------------------------------------------------------------


class StorageError(WfsnapError):
    """A snapshot store or golden file could not be read or written."""


class SnapshotNotFoundError(StorageError):
    """A snapshot store holds no snapshot for the requested execution id / sequence number."""


class GoldenFileError(StorageError):
    """A golden file is missing, unreadable, or invalid."""


class PluginUsageError(WfsnapError):
    """The ``wf_snapshot`` marker or fixture was used with invalid arguments."""


def describe(exc: BaseException) -> str:
    """One-line description of an exception for messages that wrap it."""
    text = str(exc)
    return text if text else type(exc).__name__


__all__ = [
    "ConfigError",
    "ExecutionError",
    "ExpressionError",
    "GoldenFileError",
    "GraphError",
    "HTTPNodeError",
    "LimitError",
    "NodeError",
    "PayloadError",
    "PluginUsageError",
    "RegistryError",
    "SnapshotDecodeError",
    "SnapshotEncodeError",
    "SnapshotError",
    "SnapshotIntegrityError",
    "SnapshotLoadError",
    "SnapshotNotFoundError",
    "SnapshotTooLargeError",
    "SnapshotVersionError",
    "StorageError",
    "WfsnapError",
    "describe",
]
