"""Golden files: the model, where a test's golden lives, and how it is read and written.

A golden file is one JSON document per test (per parametrized case) at
``<fixtures dir>/<test file path without .py>/<test name>.golden.json``. It holds the recorded
run: the workflow reference and fingerprint, the config, seed and clock of the recording, the
requested starting states and the final state (snapshots in this project's format, kept as JSON
objects) and the final ``Result``. The encoding is canonical (sorted keys, two-space indent), so a
re-recording of an unchanged workflow produces the same bytes.
"""

from __future__ import annotations

import hashlib
import json
import re
from datetime import datetime
from pathlib import Path, PurePosixPath
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, ValidationError

from pytest_wfsnap.errors import GoldenFileError, StorageError, describe
from pytest_wfsnap.storage.atomic import atomic_write_bytes

GOLDEN_FORMAT: Literal["pytest-wfsnap golden"] = "pytest-wfsnap golden"
GOLDEN_VERSION = 1
GOLDEN_SUFFIX = ".golden.json"

_SAFE = re.compile(r"[^A-Za-z0-9_.\-\[\]]")
_MAX_SEGMENT = 100
_HASH_LEN = 8
_HASHED = re.compile(r"-[0-9a-f]{8}$")


class WorkflowRef(BaseModel):
    """Which workflow the golden was recorded from."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    path: str
    fingerprint: str
    workflow_id: str | None = None


class Golden(BaseModel):
    """One test's golden file. Snapshots and the result are kept as their JSON objects."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    format: Literal["pytest-wfsnap golden"] = GOLDEN_FORMAT
    version: int = GOLDEN_VERSION
    test: str
    workflow: WorkflowRef | None = None
    config: dict[str, Any] | None = None
    seed: int | None = None
    clock: datetime
    start_states: dict[str, dict[str, Any]] = {}
    final: dict[str, Any] | None = None
    result: dict[str, Any] | None = None
    snapshots: dict[str, dict[str, Any]] = {}


# --- paths ------------------------------------------------------------------------------------


def _short_hash(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()[:_HASH_LEN]


def sanitise_segment(text: str) -> str:
    """A file-name-safe form of one path segment; changed or long names get a hash suffix."""
    clean = _SAFE.sub("_", text)
    if clean.startswith("."):
        clean = "_" + clean[1:]
    if not clean:
        clean = "_"
    if clean != text or len(clean) > _MAX_SEGMENT:
        clean = f"{clean[: _MAX_SEGMENT - _HASH_LEN - 1]}-{_short_hash(text)}"
    return clean


def file_key(test_path: Path, rootpath: Path) -> str:
    """The directory (posix, relative to the fixtures dir) holding a test file's goldens."""
    try:
        rel = test_path.resolve().relative_to(rootpath.resolve())
        parts = list(rel.parts)
    except ValueError:
        parts = ["_outside_rootdir", f"{test_path.stem}-{_short_hash(str(test_path))}"]
    if parts and parts[-1].endswith(".py"):
        parts[-1] = parts[-1][: -len(".py")]
    return str(PurePosixPath(*(sanitise_segment(p) for p in parts)))


def name_in_file(nodeid: str) -> str:
    """The test's name in its file: ``Class.test_x[p]`` for ``file::Class::test_x[p]``."""
    _, _, name = nodeid.partition("::")
    return name.replace("::", ".") if name else nodeid


def golden_relpath(test_path: Path, rootpath: Path, nodeid: str) -> str:
    """Path of a test's golden, posix, relative to the fixtures dir."""
    name = sanitise_segment(name_in_file(nodeid))
    return f"{file_key(test_path, rootpath)}/{name}{GOLDEN_SUFFIX}"


def key_is_reversible(key: str) -> bool:
    """True when no segment of a test-file key was hashed (the key names the file exactly)."""
    return not any(_HASHED.search(part) for part in key.split("/"))


# --- encoding ---------------------------------------------------------------------------------


def encode_golden(golden: Golden) -> bytes:
    """Canonical bytes of a golden: sorted keys, two-space indent, trailing newline."""
    data = golden.model_dump(mode="json")
    text = json.dumps(data, indent=2, sort_keys=True, ensure_ascii=False)
    return (text + "\n").encode("utf-8")


def decode_golden(data: bytes, path: Path) -> Golden:
    """Parse and validate a golden; every problem names the file."""
    try:
        raw = json.loads(data.decode("utf-8"))
    except UnicodeDecodeError as exc:
        raise GoldenFileError(f"golden file {path} is not UTF-8 text: {exc}") from None
    except json.JSONDecodeError as exc:
        raise GoldenFileError(
            f"golden file {path} is not valid JSON (line {exc.lineno}, column {exc.colno}: "
            f"{exc.msg}); it may have been edited by hand"
        ) from None
    if not isinstance(raw, dict):
        raise GoldenFileError(
            f"golden file {path} must hold a JSON object, not {type(raw).__name__}"
        )
    if raw.get("format") != GOLDEN_FORMAT:
        raise GoldenFileError(
            f"golden file {path} is not a pytest-wfsnap golden (format {raw.get('format')!r})"
        )
    version = raw.get("version")
    if version != GOLDEN_VERSION:
        raise GoldenFileError(
            f"golden file {path} has format version {version!r}; this release reads version "
            f"{GOLDEN_VERSION}"
        )
    try:
        return Golden.model_validate(raw)
    except ValidationError as exc:
        problems = "; ".join(
            f"{'.'.join(str(p) for p in err['loc']) or '<root>'}: {err['msg']}"
            for err in exc.errors()
        )
        raise GoldenFileError(f"golden file {path} is invalid: {problems}") from None


def read_bytes(path: Path) -> bytes | None:
    """The golden's bytes, or ``None`` when the file does not exist."""
    try:
        return path.read_bytes()
    except FileNotFoundError:
        return None
    except OSError as exc:
        raise GoldenFileError(f"cannot read golden file {path}: {describe(exc)}") from exc


def read_golden(path: Path) -> Golden | None:
    data = read_bytes(path)
    return None if data is None else decode_golden(data, path)


def write_if_changed(path: Path, data: bytes) -> bool:
    """Write ``data`` atomically unless the file already holds exactly these bytes.

    Returns True when the file was written.
    """
    current = read_bytes(path)
    if current == data:
        return False
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        atomic_write_bytes(path, data)
    except (OSError, StorageError) as exc:
        raise GoldenFileError(f"cannot write golden file {path}: {describe(exc)}") from exc
    return True


__all__ = [
    "GOLDEN_FORMAT",
    "GOLDEN_SUFFIX",
    "GOLDEN_VERSION",
    "Golden",
    "WorkflowRef",
    "decode_golden",
    "encode_golden",
    "file_key",
    "golden_relpath",
    "key_is_reversible",
    "name_in_file",
    "read_bytes",
    "read_golden",
    "sanitise_segment",
    "write_if_changed",
]
