"""Crash-safe file writes and size-limited reads.

``atomic_write_bytes`` writes to a fresh temporary file in the target's directory, flushes it to
disk, renames it over the target with ``os.replace`` and flushes the directory entry. Readers
therefore always see either the previous complete content or the new complete content, even
if the writing process is killed half-way. A temporary file is removed when the write fails
with an exception; only a hard kill (SIGKILL, power loss) can leave one behind, and such
leftovers are recognisable by :func:`is_temp_name` (``.<target>.<random>.tmp``).
"""

from __future__ import annotations

import contextlib
import os
import secrets
from pathlib import Path

from pytest_wfsnap.errors import SnapshotTooLargeError, StorageError, describe

StrPath = str | os.PathLike[str]

TEMP_SUFFIX = ".tmp"
_MAX_NAME_ATTEMPTS = 100


def temp_name_for(target_name: str) -> str:
    """A new hidden temporary file name for writing ``target_name`` in the same directory."""
    return f".{target_name}.{secrets.token_hex(8)}{TEMP_SUFFIX}"


def is_temp_name(name: str) -> bool:
    """True for names made by :func:`temp_name_for` (leftovers of interrupted writes)."""
    return name.startswith(".") and name.endswith(TEMP_SUFFIX) and name.count(".") >= 3


def fsync_directory(directory: StrPath) -> None:
    """Flush a directory entry (a rename or unlink in it) to disk, where the OS allows it."""
    if os.name != "posix":  # Windows cannot open directories; NTFS journals renames itself.
        return
    fd = os.open(directory, os.O_RDONLY | getattr(os, "O_DIRECTORY", 0))
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def _open_temp(directory: Path, target_name: str) -> tuple[int, Path]:
    flags = os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_BINARY", 0)
    for _ in range(_MAX_NAME_ATTEMPTS):
        tmp = directory / temp_name_for(target_name)
        try:
            # 0o666 filtered by the umask: the same permissions as a plain open(path, "wb").
            return os.open(tmp, flags, 0o666), tmp
        except FileExistsError:
            continue
    raise StorageError(f"could not create a temporary file next to {directory / target_name}")


def atomic_write_bytes(path: StrPath, data: bytes, *, fsync: bool = True) -> None:
    """Replace the file at ``path`` with ``data`` atomically (never a torn file).

    The parent directory must exist. With ``fsync`` (the default) the content and the rename
    are flushed to disk before returning, so the new content survives a power loss.
    Raises :class:`StorageError` naming the path when the write fails.
    """
    target = Path(path)
    directory = target.parent
    try:
        fd, tmp = _open_temp(directory, target.name)
    except OSError as exc:
        raise StorageError(f"cannot write {target}: {describe(exc)}") from exc
    try:
        try:
            view = memoryview(data)
            while view:
                written = os.write(fd, view)
                view = view[written:]
            if fsync:
                os.fsync(fd)
        finally:
            os.close(fd)
        os.replace(tmp, target)
    except BaseException as exc:
        with contextlib.suppress(OSError):
            os.unlink(tmp)
        if isinstance(exc, OSError):
            raise StorageError(f"cannot write {target}: {describe(exc)}") from exc
        raise
    if fsync:
        try:
            fsync_directory(directory)
        except OSError as exc:
            raise StorageError(f"cannot flush directory {directory}: {describe(exc)}") from exc


def atomic_write_text(
    path: StrPath, text: str, *, encoding: str = "utf-8", fsync: bool = True
) -> None:
    """Like :func:`atomic_write_bytes` for text (no newline translation)."""
    atomic_write_bytes(path, text.encode(encoding), fsync=fsync)


def read_bytes_limited(path: StrPath, max_size: int | None) -> bytes:
    """Read a whole file, refusing files larger than ``max_size`` bytes (``None``: no limit).

    Raises :class:`SnapshotTooLargeError` before reading an oversized file (and also if the
    file grows past the limit while being read), and :class:`StorageError` when the file
    cannot be read; a missing file raises :class:`StorageError` whose ``__cause__`` is the
    ``FileNotFoundError``.
    """
    target = Path(path)
    if max_size is not None and max_size < 0:
        raise StorageError(f"max_size must be >= 0 bytes, got {max_size} (reading {target})")
    try:
        with open(target, "rb") as handle:
            if max_size is None:
                return handle.read()
            size = os.fstat(handle.fileno()).st_size
            if size > max_size:
                raise SnapshotTooLargeError(_too_large(target, size, max_size))
            data = handle.read(max_size + 1)
    except OSError as exc:
        raise StorageError(f"cannot read {target}: {describe(exc)}") from exc
    if len(data) > max_size:
        raise SnapshotTooLargeError(_too_large(target, len(data), max_size))
    return data


def _too_large(target: Path, size: int, max_size: int) -> str:
    return (
        f"{target} is {size} bytes, more than the limit of {max_size} bytes "
        "(raise max_snapshot_size to read it)"
    )


__all__ = [
    "atomic_write_bytes",
    "atomic_write_text",
    "fsync_directory",
    "is_temp_name",
    "read_bytes_limited",
    "temp_name_for",
]
