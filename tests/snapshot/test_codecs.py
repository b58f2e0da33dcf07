"""Codecs and layers: exact round trips, detection, limits, bombs, tampering, keys."""

from __future__ import annotations

import base64
import json
import os
import tracemalloc
import zlib
from typing import Any

import msgspec
import pytest
import zstandard

from pytest_wfsnap.errors import (
    SnapshotDecodeError,
    SnapshotEncodeError,
    SnapshotError,
    SnapshotIntegrityError,
    SnapshotTooLargeError,
)
from pytest_wfsnap.snapshot import (
    BINARY_MAGIC,
    FORMAT_VERSION,
    KEY_ENV_VAR,
    CompressedCodec,
    EncryptedCodec,
    JsonCodec,
    MsgpackCodec,
    decode_snapshot,
    deserialize_snapshot,
    detect_compression,
    detect_format,
    encode_snapshot,
    generate_key,
    make_codec,
    serialize_snapshot,
    snapshot_to_document,
)
from pytest_wfsnap.snapshot.compression import compress, decompress
from pytest_wfsnap.snapshot.encryption import decrypt, encrypt, keys_from_env, parse_key
from tests.snapshot.support import assert_same, rich_snapshot

KEY_A = base64.b64encode(bytes(range(32))).decode()
KEY_B = base64.b64encode(bytes(range(100, 132))).decode()
FORMATS = ["json", "msgpack"]
COMPRESSIONS = [None, "zstd", "gzip"]
KEYS: list[Any] = [None, [KEY_A]]


@pytest.mark.parametrize("keys", KEYS, ids=["plain", "aesgcm"])
@pytest.mark.parametrize("compression", COMPRESSIONS)
@pytest.mark.parametrize("fmt", FORMATS)
def test_round_trip_every_combination(fmt: Any, compression: Any, keys: Any) -> None:
    snap = rich_snapshot()
    data = encode_snapshot(snap, format=fmt, compression=compression, encryption_keys=keys)
    assert_same(decode_snapshot(data, keys=keys), snap)
    codec = make_codec(fmt, compression=compression, encryption_keys=keys)
    assert codec.name == "+".join(
        [fmt] + ([compression] if compression else []) + (["aesgcm"] if keys else [])
    )
    assert_same(codec.loads(codec.dumps(snap)), snap)
    if keys is None:  # plaintext layers are deterministic
        again = encode_snapshot(snap, format=fmt, compression=compression)
        assert again == data


def test_layers_wrap_any_codec_and_compose() -> None:
    snap = rich_snapshot()
    codec = EncryptedCodec(CompressedCodec(MsgpackCodec(), "gzip"), [KEY_B, KEY_A])
    assert codec.name == "msgpack+gzip+aesgcm"
    data = codec.dumps(snap)
    assert data.startswith(b"WFSE")
    assert detect_compression(decrypt(data, KEY_B)) == "gzip"
    assert_same(decode_snapshot(data, keys=[KEY_A, KEY_B]), snap)
    # a compressed layer twice is still read (each layer bounded)
    double = compress(compress(serialize_snapshot(snap), "zstd"), "gzip")
    assert_same(decode_snapshot(double), snap)


def test_too_many_layers_are_refused() -> None:
    data = serialize_snapshot(rich_snapshot())
    for _ in range(5):
        data = compress(data, "zstd")
    with pytest.raises(SnapshotDecodeError, match="more than 4 nested"):
        decode_snapshot(data)


def test_detection_from_content() -> None:
    snap = rich_snapshot()
    pretty = serialize_snapshot(snap)
    binary = encode_snapshot(snap, format="msgpack")
    assert detect_format(pretty) == "json"
    assert detect_format(b"  \n" + pretty) == "json"
    assert detect_format(binary) == "msgpack" and binary.startswith(BINARY_MAGIC)
    assert detect_format(b"hello") is None
    assert detect_compression(encode_snapshot(snap, compression="zstd")) == "zstd"
    assert detect_compression(encode_snapshot(snap, compression="gzip")) == "gzip"
    assert detect_compression(pretty) is None
    assert_same(decode_snapshot(pretty.decode()), snap)  # text is accepted too
    assert_same(decode_snapshot(bytearray(binary)), snap)
    with pytest.raises(SnapshotDecodeError, match="not a snapshot: starts with b'hello"):
        decode_snapshot(b"hello world")
    # compressed files open with the standard tools' formats
    assert zlib.decompress(encode_snapshot(snap, compression="gzip"), 31) == pretty
    assert zstandard.ZstdDecompressor().decompress(encode_snapshot(snap, compression="zstd")) == (
        pretty
    )


def test_pretty_json_layout() -> None:
    snap = rich_snapshot(results={"a": 10.0, "b": 10, "c": 1e-7, "d": 1e22, "z": "ü€"})
    text = serialize_snapshot(snap)
    assert text.endswith(b"}\n") and not text.endswith(b"\n\n")
    assert b'\n  "accumulator": [\n    1.5,' in text  # 2-space indent
    assert "ü€".encode() in text  # raw UTF-8, no \u escapes
    doc = json.loads(text)
    assert list(doc) == sorted(doc)  # keys sorted at every level
    assert list(doc["config"]) == sorted(doc["config"])
    assert b'"a": 10.0' in text and b'"b": 10,' in text
    assert doc["snapshot_time"] == "2026-03-01T09:30:00.250000Z"
    decoded = deserialize_snapshot(text)
    assert type(decoded.results["a"]) is float and type(decoded.results["b"]) is int
    assert decoded.results["c"] == 1e-7 and decoded.results["d"] == 1e22
    assert serialize_snapshot(decoded) == text


def test_binary_is_smaller_and_exact() -> None:
    snap = rich_snapshot()
    binary = encode_snapshot(snap, format="msgpack")
    assert len(binary) < 0.7 * len(serialize_snapshot(snap))
    assert msgspec.msgpack.decode(binary[len(BINARY_MAGIC) :])["version"] == FORMAT_VERSION


@pytest.mark.parametrize("fmt", FORMATS)
@pytest.mark.parametrize(
    ("value", "message"),
    [
        (float("nan"), r"\$\.results\.bad\[1\] is nan"),
        (float("inf"), r"\$\.results\.bad\[1\] is inf"),
        (-float("inf"), r"\$\.results\.bad\[1\] is -inf"),
        (b"raw", r"\$\.results\.bad\[1\] is a bytes"),
        ({1: "x"}, r"\$\.results\.bad\[1\] has a non-string key 1"),
        (2**70, r"\$\.results\.bad\[1\] is an integer outside the 64-bit range"),
        ({"s": {1, 2}}, r"\$\.results\.bad\[1\]\.s is a set"),
    ],
)
def test_values_outside_json_are_refused(fmt: Any, value: Any, message: str) -> None:
    snap = rich_snapshot(results={"ok": 1.0, "bad": [0, value]})
    with pytest.raises(SnapshotEncodeError, match=message):
        encode_snapshot(snap, format=fmt)


@pytest.mark.parametrize("fmt", FORMATS)
def test_tuples_are_written_as_arrays(fmt: Any) -> None:
    snap = rich_snapshot(results={"t": (1, (2.0, "x"))})
    assert decode_snapshot(encode_snapshot(snap, format=fmt)).results == {"t": [1, [2.0, "x"]]}


@pytest.mark.parametrize("fmt", FORMATS)
def test_nesting_limit(fmt: Any) -> None:
    def nest(depth: int) -> Any:
        value: Any = 1
        for _ in range(depth):
            value = [value]
        return value

    # document (1) -> results (2) -> value: 252 more levels are the most a document holds
    ok = rich_snapshot(results={"deep": nest(252)})
    assert_same(decode_snapshot(encode_snapshot(ok, format=fmt)), ok)
    too_deep = rich_snapshot(results={"deep": nest(253)})
    with pytest.raises(SnapshotEncodeError, match="nested deeper than 254 levels"):
        encode_snapshot(too_deep, format=fmt)


def test_wrong_field_types_name_the_path() -> None:
    doc = json.loads(serialize_snapshot(rich_snapshot()))
    cases = [
        ("node_execution_count", "five", r"\$\.node_execution_count: expected `int`, got `str`"),
        ("current_level", -1, r"\$\.current_level: expected `int` >= 0"),
        ("status", "sleeping", r"\$\.status: invalid enum value 'sleeping'"),
        ("completed_nodes", ["a", 1], r"\$\.completed_nodes\[1\]: expected `str`"),
        ("cache", {"k": {"value": 1}}, r"\$\.cache\[\.\.\.\]: object missing required field"),
        ("snapshot_time", "2026-01-01T00:00:00", r"\$\.snapshot_time: expected `datetime` with a"),
        ("nodes", [{"type": "number"}], r"\$\.nodes\[0\]\.id: expected a string node id"),
        ("edges", [{"source": "a", "target": 3}], r"\$\.edges\[0\]\.target: expected a string"),
        ("surprise", 1, r"unknown field `surprise`"),
    ]
    for field, value, message in cases:
        bad = {**doc, field: value}
        for fmt_data in (json.dumps(bad).encode(), BINARY_MAGIC + msgspec.msgpack.encode(bad)):
            with pytest.raises(SnapshotDecodeError, match=message):
                decode_snapshot(fmt_data)


@pytest.mark.parametrize(
    ("data", "message"),
    [
        (b"{", "not valid JSON"),
        (b'{"version": "2.0.0",}', "not valid JSON"),
        (b"[1, 2]", "expected an object at the top, got array"),
        (b'{"a": "\xff"}', "not valid JSON"),
        (b"[" * 5000 + b"]" * 5000, "nested too deeply"),
        (BINARY_MAGIC + b"\xc1", "not valid binary snapshot data"),
        (BINARY_MAGIC + b"\x93\x01\x02\x03", "expected an object at the top, got array"),
    ],
)
def test_undecodable_input(data: bytes, message: str) -> None:
    with pytest.raises(SnapshotDecodeError, match=message) as info:
        decode_snapshot(data)
    assert str(info.value).startswith("failed to deserialize snapshot: ")


def hostile_binary(value: Any) -> bytes:
    doc = snapshot_to_document(rich_snapshot())
    doc["results"] = {"x": {"inner": value}}
    return BINARY_MAGIC + msgspec.msgpack.encode(doc)


@pytest.mark.parametrize(
    ("value", "message"),
    [
        (b"bytes", r"\$\.results\.x\.inner is a bytes"),
        (msgspec.msgpack.Ext(5, b"x"), r"\$\.results\.x\.inner is a Ext"),
        ({7: 1}, r"\$\.results\.x\.inner has a non-string key 7"),
        (float("nan"), r"\$\.results\.x\.inner is nan"),
    ],
)
def test_binary_values_are_checked_on_read(value: Any, message: str) -> None:
    with pytest.raises(SnapshotDecodeError, match=message):
        decode_snapshot(hostile_binary(value))


def test_binary_float32_nan_is_refused() -> None:
    data = hostile_binary(0.5)
    # 0.5 is written as float64 cb 3fe0000000000000; rewrite it as a float32 NaN
    index = data.index(b"\xcb\x3f\xe0" + b"\x00" * 6)
    forged = data[:index] + b"\xca\x7f\xc0\x00\x00" + data[index + 9 :]
    with pytest.raises(SnapshotDecodeError, match="is nan"):
        decode_snapshot(forged)


def test_size_limits() -> None:
    snap = rich_snapshot()
    size = len(serialize_snapshot(snap))
    assert encode_snapshot(snap, max_size=size) == serialize_snapshot(snap)
    with pytest.raises(SnapshotTooLargeError, match=rf"{size} bytes encoded, limit {size - 1}"):
        encode_snapshot(snap, max_size=size - 1)
    with pytest.raises(SnapshotTooLargeError, match="raise max_size"):
        decode_snapshot(serialize_snapshot(snap), max_size=size - 1)
    small = encode_snapshot(snap, compression="zstd")
    with pytest.raises(SnapshotTooLargeError, match="zstd data decompresses to more than"):
        decode_snapshot(small, max_size=size - 1)


def zstd_bomb(total: int) -> bytes:
    compressor = zstandard.ZstdCompressor().compressobj()
    chunk = b"\x00" * (1 << 20)
    parts = [compressor.compress(chunk) for _ in range(total >> 20)]
    return b"".join(parts) + compressor.flush()


def gzip_bomb(total: int) -> bytes:
    compressor = zlib.compressobj(9, zlib.DEFLATED, 31)
    chunk = b"\x00" * (1 << 20)
    parts = [compressor.compress(chunk) for _ in range(total >> 20)]
    return b"".join(parts) + compressor.flush()


@pytest.mark.parametrize(
    ("make", "total"), [(zstd_bomb, 1 << 30), (gzip_bomb, 64 << 20)], ids=["zstd", "gzip"]
)
def test_decompression_bomb_is_refused_with_bounded_memory(make: Any, total: int) -> None:
    bomb = make(total)
    assert len(bomb) < total / 500
    limit = 4 << 20
    tracemalloc.start()
    try:
        with pytest.raises(SnapshotTooLargeError, match=f"more than {limit} bytes"):
            decode_snapshot(bomb, max_size=limit)
        with pytest.raises(SnapshotTooLargeError):
            decode_snapshot(encrypt(bomb, KEY_A), keys=KEY_A, max_size=limit)
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    assert peak < 4 * limit, f"peak {peak} bytes while refusing a {total}-byte bomb"


@pytest.mark.parametrize("method", ["zstd", "gzip"])
def test_truncated_or_corrupt_compression(method: Any) -> None:
    data = encode_snapshot(rich_snapshot(), compression=method)
    with pytest.raises(SnapshotIntegrityError, match=r"truncated|corrupt"):
        decode_snapshot(data[: len(data) // 2])
    flipped = bytearray(data)
    flipped[len(data) // 2] ^= 0xFF
    with pytest.raises(SnapshotError):
        decode_snapshot(bytes(flipped))
    with pytest.raises(SnapshotIntegrityError, match="unexpected bytes after"):
        decode_snapshot(data + b"trailing")
    assert decompress(data + data, method, max_size=1 << 24).count(b'"version"') == 2


def test_tampered_truncated_wrong_key() -> None:
    data = encode_snapshot(rich_snapshot(), compression="zstd", encryption_keys=KEY_A)
    for index in (4, 6, 20, 30, len(data) // 2, len(data) - 1):
        tampered = bytearray(data)
        tampered[index] ^= 0x01
        with pytest.raises(SnapshotIntegrityError):
            decode_snapshot(bytes(tampered), keys=KEY_A)
    for cut in (10, 40, len(data) - 1):
        with pytest.raises(SnapshotIntegrityError):
            decode_snapshot(data[:cut], keys=KEY_A)
    with pytest.raises(SnapshotIntegrityError, match="none of the 1 given key"):
        decode_snapshot(data, keys=KEY_B)
    with pytest.raises(SnapshotIntegrityError, match=f"no key was given.*{KEY_ENV_VAR}"):
        decode_snapshot(data, keys=[])
    assert decode_snapshot(data, keys=KEY_A).execution_id == "a1b2c3d4e5f60708"


def test_key_rotation() -> None:
    snap = rich_snapshot()
    old = encode_snapshot(snap, encryption_keys=[KEY_A])
    new = encode_snapshot(snap, encryption_keys=[KEY_B, KEY_A])  # encrypts with the first
    with pytest.raises(SnapshotIntegrityError):
        decode_snapshot(new, keys=[KEY_A])
    rotated = [KEY_B, KEY_A]
    assert_same(decode_snapshot(old, keys=rotated), snap)
    assert_same(decode_snapshot(new, keys=rotated), snap)
    assert_same(decode_snapshot(new, keys=[base64.b64decode(KEY_B)]), snap)  # raw bytes too


def test_key_from_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    snap = rich_snapshot()
    data = encode_snapshot(snap, encryption_keys=KEY_B)
    monkeypatch.delenv(KEY_ENV_VAR, raising=False)
    with pytest.raises(SnapshotIntegrityError, match="no key was given"):
        decode_snapshot(data)
    monkeypatch.setenv(KEY_ENV_VAR, f" {KEY_A} , {KEY_B} ")
    assert keys_from_env() == [base64.b64decode(KEY_A), base64.b64decode(KEY_B)]
    assert_same(decode_snapshot(data), snap)
    assert_same(deserialize_snapshot(data), snap)


def test_key_formats() -> None:
    raw = os.urandom(32)
    assert parse_key(raw) == raw
    assert parse_key(base64.b64encode(raw).decode()) == raw
    assert parse_key(base64.urlsafe_b64encode(raw).decode().rstrip("=")) == raw
    assert len(parse_key(generate_key())) == 32
    with pytest.raises(SnapshotError, match="expected 32 bytes, got 16"):
        parse_key(base64.b64encode(b"x" * 16).decode())
    with pytest.raises(SnapshotError, match="not base64"):
        parse_key("not a key!")
    with pytest.raises(SnapshotError, match="key #2 in WFSNAP_SNAPSHOT_KEY"):
        keys_from_env({KEY_ENV_VAR: f"{KEY_A},short"})


def test_nonces_differ() -> None:
    snap = rich_snapshot()
    assert encode_snapshot(snap, encryption_keys=KEY_A) != encode_snapshot(
        snap, encryption_keys=KEY_A
    )


def test_unknown_names_are_refused() -> None:
    with pytest.raises(SnapshotEncodeError, match="unknown snapshot format 'yaml'"):
        encode_snapshot(rich_snapshot(), format="yaml")  # type: ignore[arg-type]
    with pytest.raises(SnapshotEncodeError, match="unknown compression 'lz4'"):
        encode_snapshot(rich_snapshot(), compression="lz4")  # type: ignore[arg-type]


def test_layer_codecs_refuse_other_layers() -> None:
    data = serialize_snapshot(rich_snapshot())
    with pytest.raises(SnapshotDecodeError, match="not zstd-compressed"):
        CompressedCodec(JsonCodec(), "zstd").loads(data)
    with pytest.raises(SnapshotDecodeError, match="missing the WFSB magic"):
        MsgpackCodec().loads(data)
