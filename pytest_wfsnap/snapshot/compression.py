"""Compression layers: zstd and gzip, recognised on read by their standard magic bytes.

A compressed snapshot is a plain zstd frame or gzip member around the inner bytes, so the usual
command-line tools (``zstd -d``, ``gunzip``) open it too.

Decompression is always bounded: output is produced in steps and the read stops with
:class:`SnapshotTooLargeError` as soon as it passes ``max_size``, so a decompression bomb never
allocates more than about twice the limit. A stream that ends early or is corrupt raises
:class:`SnapshotIntegrityError`.
"""

from __future__ import annotations

import zlib
from typing import Literal

import zstandard

from pytest_wfsnap.errors import SnapshotEncodeError, SnapshotIntegrityError, SnapshotTooLargeError

Compression = Literal["zstd", "gzip"]
COMPRESSIONS: tuple[Compression, ...] = ("zstd", "gzip")

ZSTD_MAGIC = b"\x28\xb5\x2f\xfd"
GZIP_MAGIC = b"\x1f\x8b"
# zstd blocks hold at most 128 KiB and an RLE block takes 4 bytes: at most 32768x expansion.
_ZSTD_MAX_RATIO = 32768


def detect_compression(data: bytes) -> Compression | None:
    """The compression whose magic bytes start ``data``, or None."""
    if data.startswith(ZSTD_MAGIC):
        return "zstd"
    if data.startswith(GZIP_MAGIC):
        return "gzip"
    return None


def compress(data: bytes, method: Compression, *, level: int | None = None) -> bytes:
    """``data`` compressed (zstd default level 3, gzip default level 6)."""
    if method == "zstd":
        compressor = zstandard.ZstdCompressor(level=3 if level is None else level)
        return compressor.compress(data)
    if method == "gzip":
        compressor_obj = zlib.compressobj(6 if level is None else level, zlib.DEFLATED, 31)
        return compressor_obj.compress(data) + compressor_obj.flush()
    raise SnapshotEncodeError(
        f"unknown compression {method!r}; choose one of: {', '.join(COMPRESSIONS)}"
    )


def _too_large(method: str, max_size: int) -> SnapshotTooLargeError:
    return SnapshotTooLargeError(
        f"snapshot too large: its {method} data decompresses to more than {max_size} bytes "
        "(raise max_size if the snapshot is trusted)"
    )


def _unzstd(data: bytes, max_size: int) -> bytes:
    out = bytearray()
    pos = 0
    try:
        while True:  # one iteration per zstd frame
            decompressor = zstandard.ZstdDecompressor().decompressobj()
            while not decompressor.eof and pos < len(data):
                # Feed little enough input that one step cannot expand far beyond the limit.
                room = max(max_size - len(out), 0)
                step = min(max(room // (2 * _ZSTD_MAX_RATIO), 64), 1 << 16)
                out += decompressor.decompress(data[pos : pos + step])
                pos += step
                if len(out) > max_size:
                    raise _too_large("zstd", max_size)
            if not decompressor.eof:
                raise SnapshotIntegrityError("zstd data is truncated (the frame does not end)")
            rest = decompressor.unused_data + data[pos:]
            if not rest:
                return bytes(out)
            if not rest.startswith(ZSTD_MAGIC):
                raise SnapshotIntegrityError("unexpected bytes after the zstd data")
            data = rest
            pos = 0
    except zstandard.ZstdError as exc:
        raise SnapshotIntegrityError(f"zstd data is corrupt: {exc}") from None


def _gunzip(data: bytes, max_size: int) -> bytes:
    out = bytearray()
    try:
        while True:  # one iteration per gzip member
            decompressor = zlib.decompressobj(31)
            pending = data
            while pending and not decompressor.eof:
                out += decompressor.decompress(pending, max_size - len(out) + 1)
                if len(out) > max_size:
                    raise _too_large("gzip", max_size)
                pending = decompressor.unconsumed_tail
            if not decompressor.eof:
                raise SnapshotIntegrityError("gzip data is truncated (the stream does not end)")
            rest = decompressor.unused_data
            if not rest:
                return bytes(out)
            if not rest.startswith(GZIP_MAGIC):
                raise SnapshotIntegrityError("unexpected bytes after the gzip data")
            data = rest
    except zlib.error as exc:
        raise SnapshotIntegrityError(f"gzip data is corrupt: {exc}") from None


def decompress(data: bytes, method: Compression, *, max_size: int) -> bytes:
    """``data`` decompressed, refusing more than ``max_size`` bytes of output."""
    if method == "zstd":
        return _unzstd(data, max_size)
    if method == "gzip":
        return _gunzip(data, max_size)
    raise SnapshotIntegrityError(f"unknown compression {method!r}")


__all__ = [
    "COMPRESSIONS",
    "GZIP_MAGIC",
    "ZSTD_MAGIC",
    "Compression",
    "compress",
    "decompress",
    "detect_compression",
]
