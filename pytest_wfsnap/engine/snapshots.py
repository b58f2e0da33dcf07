"""Snapshot and restore of engine runs (ENGINE.md A2, A3): the seed document's Go API in Python.

.. code-block:: python

    from pytest_wfsnap import engine

    eng = engine.new(payload)
    eng.execute(stop_after="fetch")              # pause after a node (status "paused")
    snap = eng.save_snapshot()                   # Snapshot: a consistent deep copy
    data = engine.serialize_snapshot(snap)       # pretty, stable JSON bytes
    snap = engine.deserialize_snapshot(data)     # any supported version, Go's 1.0.0 included
    restored = engine.load_snapshot(snap)        # same execution_id; counters continue
    result = restored.execute()                  # completed nodes are not run again
    result = engine.execute_from_snapshot(snap)  # load + execute

Loading never widens security: the network-related settings (``config.NETWORK_FIELDS``:
allow_http, allowed domains, ...) come from the caller's ``config`` (default: the engine
default), every other setting from the snapshot, unless ``trust_snapshot_config=True``.
Cache entries keep their absolute expiration: an entry already expired by the engine's clock
is dropped, the others keep their remaining time to live.

Every problem is a :class:`~pytest_wfsnap.errors.SnapshotError` subclass:
``failed to deserialize snapshot: ...`` when reading bytes, ``snapshot cannot be nil`` /
``unsupported snapshot version: ...`` / ``invalid snapshot: ...`` when loading, wrapped as
``failed to load snapshot: ...`` by :func:`execute_from_snapshot`. Nothing is half-loaded:
a new engine is returned only when everything was restored.

What is done once is not done again. A snapshot read by :func:`deserialize_snapshot` (or made
by :func:`save_snapshot`) keeps its decoded nodes, so :func:`load_snapshot` does not decode
them a second time; a snapshot built any other way is decoded when loaded. A loaded engine
uses the snapshot's values as they are (snapshots are read-only), and plans only the nodes the
snapshot lists as pending (format 2.1.0), in any process, without ordering the whole graph
again; for an older snapshot, the same holds when its workflow was ordered before in this
process (e.g. by the run that was paused).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from pytest_wfsnap.engine.config import NETWORK_FIELDS, Config
from pytest_wfsnap.engine.copying import gc_paused
from pytest_wfsnap.engine.definitions import (
    Definition,
    decode_definition,
    progress_checked,
    recall,
    remember,
    remember_fitting_progress,
)
from pytest_wfsnap.engine.engine import Engine, StopAt
from pytest_wfsnap.engine.persist import restore_engine
from pytest_wfsnap.engine.plans import progress_fits
from pytest_wfsnap.engine.registry import Registry
from pytest_wfsnap.engine.result import Result
from pytest_wfsnap.engine.state import Clock
from pytest_wfsnap.errors import (
    ConfigError,
    PayloadError,
    SnapshotDecodeError,
    SnapshotError,
    SnapshotLoadError,
    SnapshotVersionError,
)
from pytest_wfsnap.snapshot import (
    DEFAULT_MAX_SIZE,
    FORMAT_VERSION,
    SUPPORTED_VERSIONS,
    Snapshot,
    decode_snapshot,
    encode_snapshot,
    snapshot_from_document,
    snapshot_from_state,
    state_from_snapshot,
)
from pytest_wfsnap.snapshot.codecs import Format
from pytest_wfsnap.snapshot.compression import Compression
from pytest_wfsnap.snapshot.document import mark_checked
from pytest_wfsnap.snapshot.encryption import KeyLike

_PAYLOAD_PREFIX = "failed to parse payload: "
_DESERIALIZE_PREFIX = "failed to deserialize snapshot: "

Keys = Sequence[KeyLike] | KeyLike


def save_snapshot(engine: Engine) -> Snapshot:
    """A :class:`Snapshot` of ``engine`` (Go ``SaveSnapshot``), safe from any thread.

    It can be taken before, during or after ``execute()``: it is one consistent moment of the
    run (taken under the engine's run lock) and a deep copy, so later progress never changes
    it. ``snapshot_time`` comes from the engine's clock.
    """
    if not isinstance(engine, Engine):
        raise SnapshotError(f"save_snapshot needs an Engine, got {type(engine).__name__}")
    state = engine._export_state(share_definition=True)
    snap = snapshot_from_state(state, engine.now(), copy=False)
    payload = engine.payload
    remember(snap, Definition.of(snap.nodes, snap.edges, payload.nodes, payload.edges))
    mark_checked(snap, ("nodes", "edges"))  # decoded by the engine: JSON values only
    return snap


def serialize_snapshot(
    snap: Snapshot,
    *,
    format: Format = "json",
    compression: Compression | None = None,
    encryption_keys: Keys | None = None,
    max_size: int | None = None,
) -> bytes:
    """``snap`` as bytes (Go ``SerializeSnapshot``): pretty, stable JSON by default.

    ``format="msgpack"`` writes the binary format; ``compression`` (``"zstd"``/``"gzip"``)
    and ``encryption_keys`` add those layers; ``max_size`` refuses a larger result.
    """
    if not isinstance(snap, Snapshot):
        raise SnapshotError(f"serialize_snapshot needs a Snapshot, got {type(snap).__name__}")
    return encode_snapshot(
        snap,
        format=format,
        compression=compression,
        encryption_keys=encryption_keys,
        max_size=max_size,
    )


def check_definition(snap: Snapshot, *, json_values: bool = False) -> Definition:
    """Decode the snapshot's nodes and edges with the payload rules (type inference, typed
    data, validation); raise :class:`SnapshotDecodeError` with the Go node message.

    ``json_values``: the snapshot was read from bytes, so its values are JSON values, which
    the decoder then need not copy or check again. The decoded definition is kept for the
    snapshot, so that loading it does not decode the nodes again.
    """
    try:
        definition = decode_definition(snap.nodes, snap.edges, json_values=json_values)
    except PayloadError as exc:
        message = str(exc).removeprefix(_PAYLOAD_PREFIX)
        raise SnapshotDecodeError(f"invalid snapshot: {message}") from None
    remember(snap, definition)
    return definition


def deserialize_snapshot(
    data: bytes | bytearray | memoryview | str,
    *,
    keys: Keys | None = None,
    max_size: int = DEFAULT_MAX_SIZE,
) -> Snapshot:
    """A snapshot from bytes (Go ``DeserializeSnapshot``).

    Reads every supported format and version (JSON or binary, compressed, encrypted; the Go
    engine's 1.0.0 documents are migrated), validates every field, and decodes the nodes with
    the engine's payload decoder, so a node that does not decode is a snapshot error. It also
    checks whether the recorded progress fits the workflow exactly (completed, skipped and
    pending nodes; see :func:`~pytest_wfsnap.engine.plans.progress_fits`), so that loading the
    snapshot costs in proportion to the nodes left.
    ``keys`` decrypt (default: the ``WFSNAP_SNAPSHOT_KEY`` environment variable).
    """
    if data is None:
        raise SnapshotDecodeError(f"{_DESERIALIZE_PREFIX}no data (got None)")
    if not isinstance(data, bytes | bytearray | memoryview | str):
        raise SnapshotDecodeError(
            f"{_DESERIALIZE_PREFIX}expected bytes or str, got {type(data).__name__}"
        )
    # One pause of the collector for reading and decoding: the objects built are collected
    # (and found alive) once, not once per step.
    with gc_paused():
        snap = decode_snapshot(data, keys=keys, max_size=max_size)
        try:
            definition = check_definition(snap, json_values=True)
        except SnapshotDecodeError as exc:
            raise SnapshotDecodeError(f"{_DESERIALIZE_PREFIX}{exc}") from None
        pending = snap.pending_nodes
        if pending is not None and progress_fits(
            len(definition.specs),
            snap.completed_nodes,
            snap.skipped_nodes,
            pending,
            snap.results,
            definition.positions(),
        ):
            remember_fitting_progress(snap)
    return snap


def _as_snapshot(snapshot: Any) -> Snapshot:
    if snapshot is None:
        raise SnapshotLoadError("snapshot cannot be nil")
    if isinstance(snapshot, Snapshot):
        return snapshot
    if isinstance(snapshot, bytes | bytearray | memoryview | str):
        return deserialize_snapshot(snapshot)
    if isinstance(snapshot, Mapping):
        return snapshot_from_document(dict(snapshot))
    raise SnapshotLoadError(
        f"cannot load a snapshot from {type(snapshot).__name__}; pass a Snapshot, its "
        "serialized bytes, or its document (a dict)"
    )


def effective_config(snap: Snapshot, config: Config | None, trust_snapshot_config: bool) -> Config:
    """The config a restored engine runs with (see the module documentation)."""
    if trust_snapshot_config:
        if config is not None:
            raise ConfigError(
                "load_snapshot: pass either config= (network settings from it) or "
                "trust_snapshot_config=True (every setting from the snapshot), not both"
            )
        return snap.config
    caller = config if config is not None else Config()
    if not isinstance(caller, Config):
        raise ConfigError(f"config must be a Config, got {type(caller).__name__}")
    network = {name: getattr(caller, name) for name in NETWORK_FIELDS}
    return snap.config.model_copy(update=network)


def load_snapshot(
    snapshot: Snapshot | bytes | str | Mapping[str, Any] | None,
    registry: Registry | None = None,
    *,
    config: Config | None = None,
    trust_snapshot_config: bool = False,
    clock: Clock | None = None,
    replay_results: Mapping[str, Any] | None = None,
    **options: Any,
) -> Engine:
    """An engine that resumes the run captured in ``snapshot`` (Go ``LoadSnapshot``).

    ``registry`` None means the default registry. The engine has the snapshot's execution_id
    and workflow_id, its results, progress, state and counters; ``execute()`` continues the
    run without re-running completed nodes. ``config``/``trust_snapshot_config``: see the
    module documentation. ``clock`` is the engine's clock (it decides which cache entries are
    still alive). ``options`` are the engine's keyword options (``sleep``, ``timer``,
    ``observers``, ``http_clients``).
    """
    snap = _as_snapshot(snapshot)
    if snap.version != FORMAT_VERSION:
        raise SnapshotVersionError(
            f"unsupported snapshot version: {snap.version} (expected {FORMAT_VERSION}; "
            f"deserialize_snapshot migrates documents of {', '.join(SUPPORTED_VERSIONS)})"
        )
    if not snap.execution_id:
        raise SnapshotLoadError("invalid snapshot: missing execution_id")
    run_config = effective_config(snap, config, trust_snapshot_config)
    # The engine takes the snapshot's values as they are (a snapshot is read-only, and the
    # engine never changes a stored value), and its decoded nodes when it has them.
    state = state_from_snapshot(snap, copy=False)
    options["replay_results"] = replay_results
    definition = recall(snap)
    try:
        return restore_engine(
            Engine,
            state,
            registry,
            run_config,
            clock,
            options,
            owned=True,
            definition=definition,
            progress_fits=definition is not None and progress_checked(snap),
        )
    except PayloadError as exc:
        message = str(exc).removeprefix(_PAYLOAD_PREFIX)
        raise SnapshotLoadError(f"invalid snapshot: {message}") from None


def execute_from_snapshot(
    snapshot: Snapshot | bytes | str | Mapping[str, Any] | None,
    registry: Registry | None = None,
    *,
    stop_after: StopAt = None,
    stop_before: StopAt = None,
    **load_options: Any,
) -> Result:
    """Load ``snapshot`` and resume its run (Go ``ExecuteFromSnapshot``).

    Load errors are wrapped as ``failed to load snapshot: ...`` (same error class); a failed
    run raises :class:`~pytest_wfsnap.errors.ExecutionError` as ``execute()`` does.
    ``load_options`` are those of :func:`load_snapshot`.
    """
    try:
        engine = load_snapshot(snapshot, registry, **load_options)
    except SnapshotError as exc:
        raise type(exc)(f"failed to load snapshot: {exc}") from None
    return engine.execute(stop_after=stop_after, stop_before=stop_before)


def __getattr__(name: str) -> Any:
    # Checkpointing lives in its own module; offered here so the whole snapshot API is in one
    # namespace.
    if name in ("CheckpointObserver", "enable_checkpoints", "recover"):
        from pytest_wfsnap.engine import checkpoints

        return getattr(checkpoints, name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


__all__ = [
    "Snapshot",
    "check_definition",
    "deserialize_snapshot",
    "effective_config",
    "execute_from_snapshot",
    "load_snapshot",
    "save_snapshot",
    "serialize_snapshot",
]
