"""Corrupted, truncated and hostile inputs to decode_snapshot: only SnapshotError comes out."""

from __future__ import annotations

import base64
import json
from typing import Any

import msgspec
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from pytest_wfsnap.errors import SnapshotError
from pytest_wfsnap.snapshot import (
    BINARY_MAGIC,
    Snapshot,
    decode_snapshot,
    encode_snapshot,
    serialize_snapshot,
)
from pytest_wfsnap.snapshot.compression import compress
from tests.snapshot.support import GO_SNAPSHOTS, rich_snapshot

KEY = base64.b64encode(bytes(range(32))).decode()
SNAP = rich_snapshot()
VALID = [
    serialize_snapshot(SNAP),
    encode_snapshot(SNAP, format="msgpack"),
    encode_snapshot(SNAP, compression="zstd"),
    encode_snapshot(SNAP, format="msgpack", compression="gzip"),
    encode_snapshot(SNAP, compression="zstd", encryption_keys=KEY),
    (GO_SNAPSHOTS / "mid_run_orders.json").read_bytes(),
]
DOC = json.loads(VALID[0])
GO_DOC = json.loads(VALID[-1])
SETTINGS = settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])

json_values = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats() | st.text(max_size=8),
    lambda inner: (
        st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=6), inner, max_size=4)
    ),
    max_leaves=20,
)
packable = st.recursive(
    st.none()
    | st.booleans()
    | st.integers(min_value=-(2**63), max_value=2**64 - 1)
    | st.floats()
    | st.text(max_size=8)
    | st.binary(max_size=8),
    lambda inner: (
        st.lists(inner, max_size=4)
        | st.dictionaries(st.text(max_size=6) | st.integers(-5, 5), inner, max_size=4)
    ),
    max_leaves=20,
)


def decode_or_snapshot_error(data: bytes) -> None:
    try:
        result = decode_snapshot(data, keys=KEY, max_size=1 << 22)
    except SnapshotError as exc:
        assert str(exc).startswith("failed to deserialize snapshot: ")
    else:
        assert isinstance(result, Snapshot)


@SETTINGS
@given(st.binary(max_size=300))
def test_random_bytes(data: bytes) -> None:
    decode_or_snapshot_error(data)


@SETTINGS
@given(
    st.binary(max_size=200),
    st.sampled_from([b"{", b"WFSB\x01", b"WFSE\x01", b"\x28\xb5\x2f\xfd", b"\x1f\x8b"]),
)
def test_random_bytes_after_magic(data: bytes, magic: bytes) -> None:
    decode_or_snapshot_error(magic + data)


@SETTINGS
@given(st.sampled_from(VALID), st.data())
def test_mutated_valid_snapshots(original: bytes, data: st.DataObject) -> None:
    mutated = bytearray(original)
    for _ in range(data.draw(st.integers(1, 4))):
        action = data.draw(st.sampled_from(["flip", "cut", "insert", "delete"]))
        index = data.draw(st.integers(0, max(len(mutated) - 1, 0)))
        if action == "flip" and mutated:
            mutated[index] ^= data.draw(st.integers(1, 255))
        elif action == "cut":
            del mutated[index:]
        elif action == "insert":
            mutated[index:index] = data.draw(st.binary(min_size=1, max_size=8))
        elif mutated:
            del mutated[index : index + data.draw(st.integers(1, 16))]
    decode_or_snapshot_error(bytes(mutated))


@SETTINGS
@given(st.sampled_from([DOC, GO_DOC]), st.sampled_from(sorted(DOC)), json_values)
def test_fields_replaced_by_anything(doc: dict[str, Any], field: str, value: Any) -> None:
    bad = {**doc, field: value}
    decode_or_snapshot_error(json.dumps(bad, allow_nan=True).encode())
    try:
        packed = msgspec.msgpack.encode(bad)
    except OverflowError:
        return
    decode_or_snapshot_error(BINARY_MAGIC + packed)
    decode_or_snapshot_error(compress(BINARY_MAGIC + packed, "zstd"))


@SETTINGS
@given(
    st.sampled_from(["results", "variables", "cache", "nodes", "config", "http_recordings"]),
    packable,
)
def test_hostile_binary_values(field: str, value: Any) -> None:
    bad = {**DOC, field: {"x": value} if field != "nodes" else [{"id": "n", "data": value}]}
    decode_or_snapshot_error(BINARY_MAGIC + msgspec.msgpack.encode(bad))


@SETTINGS
@given(json_values)
def test_random_documents(value: Any) -> None:
    decode_or_snapshot_error(json.dumps(value).encode())
    if isinstance(value, dict):
        decode_or_snapshot_error(json.dumps({**value, "version": "1.0.0"}).encode())
        decode_or_snapshot_error(json.dumps({**value, "version": "2.0.0"}).encode())
