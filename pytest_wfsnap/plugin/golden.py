"""Golden files: the model, and how a golden is read and written (paths: ``paths.py``).

A golden file is one JSON document per test (per parametrized case). It holds the recorded
run: the workflow reference and fingerprint, the config, seed and clock of the recording, the
requested starting states and the final state (snapshots in this project's format, kept as JSON
objects) and the final ``Result``. The encoding is canonical (sorted keys, two-space indent), so a
re-recording of an unchanged workflow produces the same bytes.
"""

from __future__ import annotations

import json
from datetime import datetime
from pathlib import Path
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, ValidationError

from pytest_wfsnap.errors import GoldenFileError, StorageError, describe

GOLDEN_FORMAT: Literal["pytest-wfsnap golden"] = "pytest-wfsnap golden"
GOLDEN_VERSION = 1


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
    from pytest_wfsnap.storage.atomic import atomic_write_bytes

    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        atomic_write_bytes(path, data)
    except (OSError, StorageError) as exc:
        raise GoldenFileError(f"cannot write golden file {path}: {describe(exc)}") from exc
    return True


__all__ = [
    "GOLDEN_FORMAT",
    "GOLDEN_VERSION",
    "Golden",
    "WorkflowRef",
    "decode_golden",
    "encode_golden",
    "read_bytes",
    "read_golden",
    "write_if_changed",
]
