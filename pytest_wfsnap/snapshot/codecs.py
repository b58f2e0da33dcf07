"""Snapshot codecs: JSON and binary, with compression and encryption layers that wrap them.

A codec has a ``name`` and turns a :class:`Snapshot` into bytes and back (``dumps``/``loads``).

* :class:`JsonCodec` (``json``): pretty, stable JSON. UTF-8 written raw, 2-space indent, keys
  sorted at every level, a trailing newline. Ints stay ints and floats stay floats (``10.0`` is
  written ``10.0``), so a value's type survives the round trip. Times are RFC 3339 in UTC.
* :class:`MsgpackCodec` (``msgpack``): the same document as MessagePack after the magic bytes
  ``WFSB\\x01``; round-trips exactly, int/float distinction included.
* :class:`CompressedCodec` (``<inner>+zstd`` / ``<inner>+gzip``) and :class:`EncryptedCodec`
  (``<inner>+aesgcm``) wrap any codec and compose: ``json+zstd+aesgcm``.

:func:`decode_snapshot` recognises every layer and the codec from the bytes themselves.
Both codecs refuse values outside the JSON value model (NaN and infinities included, as the Go
engine does) with :class:`SnapshotEncodeError`; every decoding problem is a
:class:`SnapshotError` subclass whose message starts ``failed to deserialize snapshot:``.
"""

from __future__ import annotations

import gc
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from typing import Any, Literal, Protocol

import msgspec
import orjson

from pytest_wfsnap.errors import (
    SnapshotDecodeError,
    SnapshotEncodeError,
    SnapshotError,
    SnapshotTooLargeError,
)
from pytest_wfsnap.snapshot.compression import Compression, compress, decompress, detect_compression
from pytest_wfsnap.snapshot.document import (
    CHECKED_WHEN_DECODED,
    SnapshotDoc,
    find_invalid_value,
    has_non_finite_float,
    json_value_problem,
    mark_checked,
    raise_invalid_value,
    reject_value,
    snapshot_from_struct,
    snapshot_to_document,
    struct_from_document,
    unchecked_parts,
    verify_decoded_values,
)
from pytest_wfsnap.snapshot.encryption import (
    ENCRYPTION_MAGIC,
    KeyLike,
    decrypt,
    encrypt,
    keys_from_env,
)
from pytest_wfsnap.snapshot.model import Snapshot
from pytest_wfsnap.snapshot.version import FORMAT_VERSION

Format = Literal["json", "msgpack"]
FORMATS: tuple[Format, ...] = ("json", "msgpack")
BINARY_MAGIC = b"WFSB\x01"
DEFAULT_MAX_SIZE = 256 * 1024 * 1024
"""Default limit on the bytes read, and on every decompressed layer, when decoding."""
_MAX_LAYERS = 4
_JSON_OPTIONS = (
    orjson.OPT_INDENT_2
    | orjson.OPT_SORT_KEYS
    | orjson.OPT_APPEND_NEWLINE
    | orjson.OPT_PASSTHROUGH_DATETIME
    | orjson.OPT_PASSTHROUGH_DATACLASS
    | orjson.OPT_PASSTHROUGH_SUBCLASS
)
_JSON_DECODER = msgspec.json.Decoder(SnapshotDoc)
_BINARY_DECODER = msgspec.msgpack.Decoder(SnapshotDoc)
_BINARY_ENCODER = msgspec.msgpack.Encoder(order="sorted")
_WHITESPACE = b" \t\r\n"
Buffer = bytes | memoryview


class SnapshotCodec(Protocol):
    """Turns snapshots into bytes and back; ``name`` tags the format (e.g. ``json+zstd``)."""

    @property
    def name(self) -> str: ...

    def dumps(self, snap: Snapshot) -> bytes: ...

    def loads(self, data: bytes) -> Snapshot: ...


@contextmanager
def gc_paused() -> Iterator[None]:
    """Pause the cyclic garbage collector while many objects are built at once."""
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()


def _decode_failure(what: str, exc: BaseException) -> SnapshotDecodeError:
    if isinstance(exc, RecursionError):
        return SnapshotDecodeError(f"{what}: nested too deeply")
    return SnapshotDecodeError(f"{what}: {exc}")


def _refuse_non_finite(doc: dict[str, Any]) -> None:
    """Raise for a NaN or infinity in ``doc``; the byte scan that led here may be a false alarm."""
    problem = find_invalid_value(doc)
    if problem is not None:
        raise SnapshotEncodeError(f"cannot encode snapshot: {problem[0]} {problem[1]}")


class JsonCodec:
    """Pretty, stable JSON (see the module documentation)."""

    name = "json"

    def dumps(self, snap: Snapshot) -> bytes:
        doc = snapshot_to_document(snap)
        try:
            data = orjson.dumps(doc, option=_JSON_OPTIONS, default=reject_value)
        except TypeError as exc:
            raise_invalid_value(doc, fallback=str(exc))
        # orjson writes NaN and infinities as null: look for them in a fast binary encoding
        # (of the parts not checked already).
        unknown = unchecked_parts(snap, doc)
        if has_non_finite_float(msgspec.msgpack.encode(unknown), float32=False):
            _refuse_non_finite(doc)
        return data

    def loads(self, data: bytes) -> Snapshot:
        with gc_paused():
            doc = _decode_doc(_JSON_DECODER.decode, msgspec.json.decode, data, "not valid JSON")
            return _decoded(snapshot_from_struct(doc))


def _decoded(snap: Snapshot) -> Snapshot:
    """``snap``, recorded as holding JSON values only (the decoders refuse the others)."""
    mark_checked(snap, CHECKED_WHEN_DECODED)
    return snap


def _decode_doc(
    typed: Callable[[Buffer], SnapshotDoc],
    plain: Callable[[Buffer], Any],
    body: Buffer,
    what: str,
) -> SnapshotDoc:
    """The current-version document in ``body``.

    ``typed`` decodes straight into the schema (the fast path); when that fails validation or
    finds an older version, ``plain`` decodes the data as it is and the document is migrated
    and validated (which also reports the type errors of a current-version document).
    Malformed data is a SnapshotDecodeError starting with ``what``.
    """
    doc: SnapshotDoc | None
    try:
        doc = typed(body)
    except msgspec.ValidationError:
        doc = None  # an older version, or a type error: reported by the path below
    except (msgspec.DecodeError, ValueError, RecursionError) as exc:
        raise _decode_failure(what, exc) from None
    if doc is None or doc.version != FORMAT_VERSION:
        try:
            obj = plain(body)
        except (msgspec.DecodeError, ValueError, RecursionError) as exc:
            raise _decode_failure(what, exc) from None
        try:
            doc = struct_from_document(obj)
        except RecursionError:
            raise SnapshotDecodeError("invalid snapshot: nested too deeply") from None
    return doc


class MsgpackCodec:
    """Binary MessagePack, prefixed by the magic bytes ``WFSB\\x01``."""

    name = "msgpack"

    def dumps(self, snap: Snapshot) -> bytes:
        doc = snapshot_to_document(snap)
        problem = json_value_problem(unchecked_parts(snap, doc))
        if problem is not None:
            raise SnapshotEncodeError(f"cannot encode snapshot: {problem[0]} {problem[1]}")
        buffer = bytearray(BINARY_MAGIC)
        try:
            _BINARY_ENCODER.encode_into(doc, buffer, len(BINARY_MAGIC))
        except (TypeError, ValueError, OverflowError) as exc:  # pragma: no cover - checked above
            raise_invalid_value(doc, fallback=str(exc))
        if has_non_finite_float(buffer, float32=False):
            _refuse_non_finite(doc)
        return bytes(buffer)

    def loads(self, data: bytes) -> Snapshot:
        if not data.startswith(BINARY_MAGIC):
            raise SnapshotDecodeError("not a binary snapshot (missing the WFSB magic bytes)")
        body = memoryview(data)[len(BINARY_MAGIC) :]
        with gc_paused():
            doc = _decode_doc(
                _BINARY_DECODER.decode,
                msgspec.msgpack.decode,
                body,
                "not valid binary snapshot data",
            )
            verify_decoded_values(doc, body)
            return _decoded(snapshot_from_struct(doc))


class CompressedCodec:
    """Compresses what ``inner`` writes; reading refuses more than ``max_size`` bytes."""

    def __init__(
        self,
        inner: SnapshotCodec,
        method: Compression = "zstd",
        *,
        level: int | None = None,
        max_size: int = DEFAULT_MAX_SIZE,
    ) -> None:
        self.inner = inner
        self.method: Compression = method
        self.level = level
        self.max_size = max_size
        compress(b"", method)  # rejects an unknown method now, not at the first dumps

    @property
    def name(self) -> str:
        return f"{self.inner.name}+{self.method}"

    def dumps(self, snap: Snapshot) -> bytes:
        return compress(self.inner.dumps(snap), self.method, level=self.level)

    def loads(self, data: bytes) -> Snapshot:
        if detect_compression(data) != self.method:
            raise SnapshotDecodeError(f"not {self.method}-compressed data")
        return self.inner.loads(decompress(data, self.method, max_size=self.max_size))


class EncryptedCodec:
    """Encrypts what ``inner`` writes with AES-256-GCM (first key); reads with any key."""

    def __init__(self, inner: SnapshotCodec, keys: Sequence[KeyLike] | KeyLike) -> None:
        self.inner = inner
        self.keys = keys

    @property
    def name(self) -> str:
        return f"{self.inner.name}+aesgcm"

    def dumps(self, snap: Snapshot) -> bytes:
        return encrypt(self.inner.dumps(snap), self.keys)

    def loads(self, data: bytes) -> Snapshot:
        return self.inner.loads(decrypt(data, self.keys))


def make_codec(
    format: Format = "json",
    *,
    compression: Compression | None = None,
    encryption_keys: Sequence[KeyLike] | KeyLike | None = None,
    max_size: int = DEFAULT_MAX_SIZE,
) -> SnapshotCodec:
    """The codec for a format, wrapped in compression, then encryption, as asked."""
    codec: SnapshotCodec
    if format == "json":
        codec = JsonCodec()
    elif format == "msgpack":
        codec = MsgpackCodec()
    else:
        raise SnapshotEncodeError(
            f"unknown snapshot format {format!r}; choose one of: {', '.join(FORMATS)}"
        )
    if compression is not None:
        codec = CompressedCodec(codec, compression, max_size=max_size)
    if encryption_keys is not None:
        codec = EncryptedCodec(codec, encryption_keys)
    return codec


def encode_snapshot(
    snap: Snapshot,
    *,
    format: Format = "json",
    compression: Compression | None = None,
    encryption_keys: Sequence[KeyLike] | KeyLike | None = None,
    max_size: int | None = None,
) -> bytes:
    """``snap`` as bytes. ``max_size`` limits the result (checked before anything is returned,
    so nothing oversized is ever written)."""
    data = make_codec(format, compression=compression, encryption_keys=encryption_keys).dumps(snap)
    if max_size is not None and len(data) > max_size:
        raise SnapshotTooLargeError(
            f"snapshot too large: {len(data)} bytes encoded, limit {max_size} "
            "(raise max_size, or write it compressed or in the binary format)"
        )
    return data


def detect_format(data: bytes) -> Format | None:
    """``json`` or ``msgpack`` from the first bytes of an unwrapped snapshot, else None."""
    if data.startswith(BINARY_MAGIC):
        return "msgpack"
    head = data[:64].lstrip(_WHITESPACE)
    if head[:1] in (b"{", b"["):
        return "json"
    return None


def _unwrap(data: bytes, keys: Sequence[KeyLike] | KeyLike | None, max_size: int) -> bytes:
    for _ in range(_MAX_LAYERS):
        if data.startswith(ENCRYPTION_MAGIC):
            data = decrypt(data, keys_from_env() if keys is None else keys)
            continue
        method = detect_compression(data)
        if method is None:
            return data
        data = decompress(data, method, max_size=max_size)
    raise SnapshotDecodeError(f"more than {_MAX_LAYERS} nested compression/encryption layers")


def decode_snapshot(
    data: bytes | bytearray | memoryview | str,
    *,
    keys: Sequence[KeyLike] | KeyLike | None = None,
    max_size: int = DEFAULT_MAX_SIZE,
) -> Snapshot:
    """A snapshot from bytes in any format this release writes or reads (Go snapshots too).

    Encryption and compression layers and the codec are recognised from the content. ``keys``
    decrypt (default: the ``WFSNAP_SNAPSHOT_KEY`` environment variable); ``max_size`` bounds
    the input and every decompressed layer.
    """
    try:
        if isinstance(data, str):
            data = data.encode("utf-8")
        elif not isinstance(data, bytes):
            data = bytes(data)
        if len(data) > max_size:
            raise SnapshotTooLargeError(
                f"snapshot too large: {len(data)} bytes, limit {max_size} "
                "(raise max_size if the snapshot is trusted)"
            )
        data = _unwrap(data, keys, max_size)
        detected = detect_format(data)
        if detected is None:
            raise SnapshotDecodeError(
                f"not a snapshot: starts with {bytes(data[:8])!r}; expected JSON, a binary "
                "snapshot (WFSB), zstd, gzip or an encrypted snapshot (WFSE)"
            )
        codec: SnapshotCodec = JsonCodec() if detected == "json" else MsgpackCodec()
        return codec.loads(data)
    except SnapshotError as exc:
        raise type(exc)(f"failed to deserialize snapshot: {exc}") from None


def serialize_snapshot(snap: Snapshot) -> bytes:
    """``snap`` as pretty, stable JSON bytes (the default snapshot file format)."""
    return JsonCodec().dumps(snap)


def deserialize_snapshot(data: bytes | bytearray | memoryview | str) -> Snapshot:
    """A snapshot from bytes of any supported format (see :func:`decode_snapshot`)."""
    return decode_snapshot(data)


__all__ = [
    "BINARY_MAGIC",
    "DEFAULT_MAX_SIZE",
    "FORMATS",
    "CompressedCodec",
    "EncryptedCodec",
    "Format",
    "JsonCodec",
    "MsgpackCodec",
    "SnapshotCodec",
    "decode_snapshot",
    "detect_format",
    "encode_snapshot",
    "gc_paused",
    "make_codec",
    "serialize_snapshot",
]
