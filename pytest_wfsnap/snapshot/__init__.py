"""The snapshot format: model, version, migrations, codecs and diff.

This package never imports the engine runtime (only the engine's ``Config`` and ``EngineState``
definitions), nor pytest: a server can read and write snapshots with neither installed.
"""

from __future__ import annotations

from pytest_wfsnap.snapshot.codecs import (
    BINARY_MAGIC,
    DEFAULT_MAX_SIZE,
    FORMATS,
    CompressedCodec,
    EncryptedCodec,
    JsonCodec,
    MsgpackCodec,
    SnapshotCodec,
    decode_snapshot,
    deserialize_snapshot,
    detect_format,
    encode_snapshot,
    make_codec,
    serialize_snapshot,
)
from pytest_wfsnap.snapshot.compression import COMPRESSIONS, detect_compression
from pytest_wfsnap.snapshot.diff import (
    Change,
    SnapshotDiff,
    diff_snapshots,
    workflow_fingerprint,
)
from pytest_wfsnap.snapshot.document import snapshot_from_document, snapshot_to_document
from pytest_wfsnap.snapshot.encryption import KEY_ENV_VAR, generate_key, keys_from_env
from pytest_wfsnap.snapshot.migrations import MIGRATIONS, SUPPORTED_VERSIONS, migrate
from pytest_wfsnap.snapshot.model import (
    Snapshot,
    SnapshotCacheEntry,
    snapshot_from_state,
    state_from_snapshot,
)
from pytest_wfsnap.snapshot.version import FORMAT_VERSION, GO_FORMAT_VERSION

__all__ = [
    "BINARY_MAGIC",
    "COMPRESSIONS",
    "DEFAULT_MAX_SIZE",
    "FORMATS",
    "FORMAT_VERSION",
    "GO_FORMAT_VERSION",
    "KEY_ENV_VAR",
    "MIGRATIONS",
    "SUPPORTED_VERSIONS",
    "Change",
    "CompressedCodec",
    "EncryptedCodec",
    "JsonCodec",
    "MsgpackCodec",
    "Snapshot",
    "SnapshotCacheEntry",
    "SnapshotCodec",
    "SnapshotDiff",
    "decode_snapshot",
    "deserialize_snapshot",
    "detect_compression",
    "detect_format",
    "diff_snapshots",
    "encode_snapshot",
    "generate_key",
    "keys_from_env",
    "make_codec",
    "migrate",
    "serialize_snapshot",
    "snapshot_from_document",
    "snapshot_from_state",
    "snapshot_to_document",
    "state_from_snapshot",
    "workflow_fingerprint",
]
