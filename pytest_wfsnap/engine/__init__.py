"""The workflow engine: run thaiyyal payloads, pause, snapshot and resume.

.. code-block:: python

    from pytest_wfsnap import engine

    eng = engine.new(payload)              # bytes, str or dict; raises PayloadError
    result = eng.execute()                 # Result; raises ExecutionError on failure
    result.node_results, result.final_output, result.status
"""

from __future__ import annotations

import importlib
from collections.abc import Mapping
from typing import Any

from pytest_wfsnap.engine.config import Config, make_config, preset, preset_names
from pytest_wfsnap.engine.decode import Edge, Payload, decode_payload
from pytest_wfsnap.engine.engine import Engine
from pytest_wfsnap.engine.engine_state import EngineState
from pytest_wfsnap.engine.nodes.base import Executor, NodeSpec
from pytest_wfsnap.engine.observers import Event, Observer
from pytest_wfsnap.engine.registry import NodeContext, Registry, default_registry
from pytest_wfsnap.engine.result import Result


def new(
    payload: bytes | bytearray | str | Mapping[str, Any] | Payload,
    config: Config | None = None,
    registry: Registry | None = None,
    **options: Any,
) -> Engine:
    """Decode ``payload`` and build an engine for it (Go ``engine.New``).

    ``config`` defaults to the Go engine default; ``registry`` to :func:`default_registry`.
    Keyword options: ``clock`` (a callable returning an aware datetime), ``seed`` (random
    sources), ``sleep``/``timer`` (waiting and the run deadline), ``observers``,
    ``replay_results`` (recorded HTTP node results), ``http_clients``, ``execution_id``.
    Raises :class:`~pytest_wfsnap.errors.PayloadError` with the Go decode message.
    """
    decoded = payload if isinstance(payload, Payload) else decode_payload(payload)
    return Engine(decoded, config, registry, **options)


# The snapshot API lives in ``pytest_wfsnap.engine.snapshots``; its names are offered here
# and imported on first use, so importing the engine stays light. The package root offers
# the same names but ``CheckpointObserver``.
SNAPSHOT_API = frozenset(
    {
        "CheckpointObserver",
        "Snapshot",
        "deserialize_snapshot",
        "enable_checkpoints",
        "execute_from_snapshot",
        "load_snapshot",
        "recover",
        "save_snapshot",
        "serialize_snapshot",
    }
)


def __getattr__(name: str) -> Any:
    if name in SNAPSHOT_API:
        return getattr(importlib.import_module("pytest_wfsnap.engine.snapshots"), name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


__all__ = [
    "Config",
    "Edge",
    "Engine",
    "EngineState",
    "Event",
    "Executor",
    "NodeContext",
    "NodeSpec",
    "Observer",
    "Payload",
    "Registry",
    "Result",
    "decode_payload",
    "default_registry",
    "make_config",
    "new",
    "preset",
    "preset_names",
]
