"""``wfsnap migrate FILE...``: rewrite snapshots and golden files in the current format version.

Each file (any supported version: Go engine 1.0.0 snapshots included) is read, validated,
migrated and written back atomically, in place unless ``--output PATH`` (one FILE only).
The layers of the file are kept unless asked otherwise: ``--format json|binary``,
``--compress zstd|gzip|none``, ``--encrypt`` (with the first ``--key``/``$WFSNAP_SNAPSHOT_KEY``)
or ``--decrypt``. A file already current with the same layers is left untouched.
``--check`` only reports which files need migrating (exit 1 if any).

Golden files of the pytest plugin (JSON objects with a ``format`` key) are migrated too: the
golden format and every snapshot inside it (what ``pytest --wf-migrate-goldens`` does). A
directory stands for every golden file (``*.golden.json``) under it.

Exit status 0 on success, 1 when ``--check`` finds files to migrate, 2 when a file cannot be
read or is not a valid snapshot (the other files are still processed).
"""

from __future__ import annotations

import argparse
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import msgspec

from pytest_wfsnap.cli.common import (
    UsageError,
    add_key_option,
    cli_errors,
    error,
    keys_from_args,
    read_file,
)
from pytest_wfsnap.engine.snapshots import deserialize_snapshot, serialize_snapshot
from pytest_wfsnap.errors import SnapshotError, WfsnapError, describe
from pytest_wfsnap.plugin.golden import CURRENT_FORMAT, load_golden
from pytest_wfsnap.plugin.paths import GOLDEN_SUFFIX
from pytest_wfsnap.snapshot import (
    BINARY_MAGIC,
    COMPRESSIONS,
    DEFAULT_MAX_SIZE,
    FORMAT_VERSION,
    detect_compression,
    detect_format,
    keys_from_env,
)
from pytest_wfsnap.snapshot.codecs import Format
from pytest_wfsnap.snapshot.compression import Compression, decompress
from pytest_wfsnap.snapshot.encryption import ENCRYPTION_MAGIC, KeyLike, decrypt
from pytest_wfsnap.storage import atomic_write_bytes


@dataclass(frozen=True, slots=True)
class Layers:
    """How a snapshot file is stored, and the format version inside."""

    format: Format
    compression: Compression | None
    encrypted: bool
    version: str

    def describe(self) -> str:
        tag: str = "binary" if self.format == "msgpack" else "json"
        if self.compression:
            tag += f"+{self.compression}"
        if self.encrypted:
            tag += "+encrypted"
        return tag


def inspect_layers(data: bytes, keys: list[KeyLike]) -> Layers:
    """The layers and version of snapshot bytes (the snapshot itself is validated elsewhere)."""
    encrypted = data.startswith(ENCRYPTION_MAGIC)
    if encrypted:
        data = decrypt(data, keys)
    compression = detect_compression(data)
    if compression is not None:
        data = decompress(data, compression, max_size=DEFAULT_MAX_SIZE)
    fmt = detect_format(data) or "json"
    try:
        if fmt == "msgpack":
            doc = msgspec.msgpack.decode(data[len(BINARY_MAGIC) :])
        else:
            doc = msgspec.json.decode(data)
    except (msgspec.DecodeError, ValueError):
        doc = None
    version = doc.get("version") if isinstance(doc, dict) else None
    return Layers(fmt, compression, encrypted, str(version) if version else "?")


def register(subparsers: Any) -> None:
    parser = subparsers.add_parser(
        "migrate",
        help="rewrite snapshot files in the current format version",
        description=__doc__,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.add_argument(
        "files",
        metavar="FILE",
        nargs="+",
        help="snapshot or golden files; a directory: every golden file under it",
    )
    parser.add_argument("--output", "-o", metavar="PATH", help="write here (one FILE only)")
    parser.add_argument("--format", choices=("json", "binary"), help="output format")
    parser.add_argument("--compress", choices=(*COMPRESSIONS, "none"), help="output compression")
    crypt = parser.add_mutually_exclusive_group()
    crypt.add_argument("--encrypt", action="store_true", help="encrypt the output")
    crypt.add_argument("--decrypt", action="store_true", help="write the output unencrypted")
    parser.add_argument("--check", action="store_true", help="only report what would change")
    add_key_option(parser)
    parser.set_defaults(handler=migrate)


def _target(source: Layers, args: argparse.Namespace) -> Layers:
    fmt: Format = source.format
    if args.format is not None:
        fmt = "msgpack" if args.format == "binary" else "json"
    compression = source.compression
    if args.compress is not None:
        compression = None if args.compress == "none" else args.compress
    encrypted = (source.encrypted or args.encrypt) and not args.decrypt
    return Layers(fmt, compression, encrypted, FORMAT_VERSION)


def is_golden(data: bytes) -> bool:
    """True for a JSON object with a ``format`` key (a golden file; snapshots have none)."""
    if data.lstrip()[:1] != b"{":
        return False
    try:
        doc = msgspec.json.decode(data)
    except (msgspec.DecodeError, ValueError):
        return False
    return isinstance(doc, dict) and "format" in doc


def migrate_golden(path: str, output: str, args: argparse.Namespace, data: bytes) -> bool:
    """Migrate one golden file; returns whether it needed (or, with --check, needs) rewriting."""
    layers = [
        flag
        for flag, given in (
            ("--format", args.format),
            ("--compress", args.compress),
            ("--encrypt", args.encrypt),
            ("--decrypt", args.decrypt),
        )
        if given
    ]
    if layers:
        raise UsageError(
            f"{path} is a golden file (plain JSON); {', '.join(layers)} can only be used with "
            "snapshot files"
        )
    loaded = load_golden(data, Path(path))
    if not loaded.migrated and output == path:
        print(f"up to date: {path} ({CURRENT_FORMAT})")
        return False
    if args.check:
        print(f"needs migration: {path} ({loaded.source})")
        return True
    Path(output).parent.mkdir(parents=True, exist_ok=True)
    atomic_write_bytes(output, loaded.current_bytes())
    where = path if output == path else f"{path} -> {output}"
    print(f"migrated: {where} ({loaded.source} -> {CURRENT_FORMAT})")
    return True


def expand(path: str) -> list[str]:
    """The files a FILE argument stands for: itself, or the golden files under a directory."""
    directory = Path(path)
    if not directory.is_dir():
        return [path]
    found = sorted(
        str(file)
        for file in directory.rglob(f"*{GOLDEN_SUFFIX}")
        if file.is_file()
        and not any(part.startswith(".") for part in file.relative_to(directory).parts)
    )
    if not found:
        raise UsageError(f"{path}: no golden files (*{GOLDEN_SUFFIX}) in this directory")
    return found


def migrate_file(path: str, output: str, args: argparse.Namespace, keys: list[KeyLike]) -> bool:
    """Migrate one file; returns whether it needed (or, with --check, needs) rewriting."""
    data = read_file(path)
    if is_golden(data):
        return migrate_golden(path, output, args, data)
    try:
        snap = deserialize_snapshot(data, keys=keys or None)
        source = inspect_layers(data, keys)
    except SnapshotError as exc:
        raise type(exc)(f"{path}: {describe(exc)}") from None
    target = _target(source, args)
    unchanged = source == target and output == path
    if unchanged:
        print(f"up to date: {path} ({FORMAT_VERSION}, {source.describe()})")
        return False
    if args.check:
        print(f"needs migration: {path} ({source.version}, {source.describe()})")
        return True
    if target.encrypted and not keys:
        raise UsageError(f"{path}: --encrypt needs a key (--key or $WFSNAP_SNAPSHOT_KEY)")
    encoded = serialize_snapshot(
        snap,
        format=target.format,
        compression=target.compression,
        encryption_keys=keys if target.encrypted else None,
    )
    Path(output).parent.mkdir(parents=True, exist_ok=True)
    atomic_write_bytes(output, encoded)
    where = path if output == path else f"{path} -> {output}"
    print(
        f"migrated: {where} ({source.version}, {source.describe()} -> "
        f"{FORMAT_VERSION}, {target.describe()})"
    )
    return True


@cli_errors
def migrate(args: argparse.Namespace) -> int:
    if args.output is not None and (len(args.files) != 1 or Path(args.files[0]).is_dir()):
        raise UsageError("--output needs exactly one FILE")
    keys: list[KeyLike] = list(keys_from_args(args) or keys_from_env())
    failures = 0
    pending = 0
    for path in args.files:
        try:
            files = expand(path)
        except UsageError as exc:
            error(describe(exc))
            failures += 1
            continue
        for file in files:
            outcome = _migrate_one(file, args.output or file, args, keys)
            failures += outcome is None
            pending += bool(outcome)
    if failures:
        return 2
    return 1 if args.check and pending else 0


def _migrate_one(
    path: str, output: str, args: argparse.Namespace, keys: list[KeyLike]
) -> bool | None:
    """Whether ``path`` needed rewriting; ``None`` (reported) when it could not be migrated."""
    try:
        return migrate_file(path, output, args, keys)
    except WfsnapError as exc:
        error(describe(exc))
    except OSError as exc:
        error(f"{path}: {exc.strerror or exc}")
    return None


__all__ = [
    "Layers",
    "expand",
    "inspect_layers",
    "is_golden",
    "migrate",
    "migrate_file",
    "migrate_golden",
    "register",
]
