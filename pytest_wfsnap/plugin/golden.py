"""Golden files: the model, and how a golden is read and written (paths: ``paths.py``).

A golden file is one JSON document per test (per parametrized case). It holds the recorded
run: the workflow reference and fingerprint, the config, seed and clock of the recording, the
requested starting states and the final state (snapshots in this project's format, kept as JSON
objects) and the final ``Result``. The encoding is canonical (sorted keys, two-space indent), so a
re-recording of an unchanged workflow produces the same bytes.

Versions: :data:`GOLDEN_VERSION` is the format written by this release. A golden of an older
version, or holding snapshot documents of an older snapshot format (the Go engine's 1.0.0
included), is migrated in memory when read (:mod:`.golden_migrations`); ``pytest
--wf-migrate-goldens`` and ``wfsnap migrate`` write the migrated form back. A newer version is
refused with a message asking for a newer pytest-wfsnap. ``written_by`` names the release that
wrote the content: a re-recording that differs from the file only there leaves the file as it is.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import datetime
from functools import cache
from importlib.metadata import PackageNotFoundError, version
from pathlib import Path
from typing import Any, Literal

import msgspec
from pydantic import BaseModel, ConfigDict, Field, ValidationError

from pytest_wfsnap.errors import GoldenFileError, StorageError, describe
from pytest_wfsnap.plugin.golden_migrations import (
    GOLDEN_MIGRATIONS,
    migrate_documents,
    migrate_envelope,
)
from pytest_wfsnap.snapshot.migrations import SUPPORTED_VERSIONS
from pytest_wfsnap.snapshot.version import FORMAT_VERSION

GOLDEN_FORMAT: Literal["pytest-wfsnap golden"] = "pytest-wfsnap golden"
GOLDEN_VERSION = 2
"""The golden format version written by this release (changed only with a migration step)."""

SUPPORTED_GOLDEN_VERSIONS: tuple[int, ...] = (*GOLDEN_MIGRATIONS, GOLDEN_VERSION)
"""Every golden format version this release reads, oldest first."""


@cache
def writer() -> str:
    """``written_by`` of the goldens this release writes: ``pytest-wfsnap <version>``."""
    try:
        return f"pytest-wfsnap {version('pytest-wfsnap')}"
    except PackageNotFoundError:
        return "pytest-wfsnap (version unknown)"


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
    written_by: str | None = Field(default_factory=writer)
    snapshot_version: str = FORMAT_VERSION
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


def _canonical(data: dict[str, Any]) -> bytes:
    text = json.dumps(data, indent=2, sort_keys=True, ensure_ascii=False)
    return (text + "\n").encode("utf-8")


def encode_golden(golden: Golden) -> bytes:
    """Canonical bytes of a golden: sorted keys, two-space indent, trailing newline."""
    return _canonical(golden.model_dump(mode="json"))


def golden_bytes(golden: Golden, original: bytes | None) -> bytes:
    """The bytes to store for ``golden`` where the file holds ``original``.

    ``original`` itself when it is a current, canonical golden differing only in
    ``written_by`` (a newer release re-recording an unchanged run leaves no churn); else the
    encoding of ``golden``."""
    data = encode_golden(golden)
    if original is None or original == data:
        return data
    try:
        old = json.loads(original.decode("utf-8"))
    except (UnicodeDecodeError, json.JSONDecodeError):
        return data
    if not isinstance(old, dict) or not isinstance(old.get("written_by"), str):
        return data
    if _canonical({**old, "written_by": golden.written_by}) == data and _canonical(old) == original:
        return original
    return data


@dataclass(frozen=True, slots=True)
class LoadedGolden:
    """A golden as read: validated, in the current format, and what it was migrated from.

    ``finite``: the file was read by a strict JSON parser, which refuses ``NaN`` and
    ``Infinity``, so its snapshot documents need no search for non-finite numbers."""

    golden: Golden
    source_version: int
    source_snapshot_versions: tuple[str, ...]
    finite: bool = False

    @property
    def migrated(self) -> bool:
        """True when the file is in an older format than the one this release writes."""
        return self.source_version != GOLDEN_VERSION or bool(self.source_snapshot_versions)

    @property
    def source(self) -> str:
        """The file's format, as shown to users (``golden version 1, snapshot format 1.0.0``)."""
        snapshots = ", ".join(self.source_snapshot_versions) or FORMAT_VERSION
        return f"golden version {self.source_version}, snapshot format {snapshots}"

    def current_bytes(self) -> bytes:
        """The golden encoded in the current format, stamped with this release as its writer
        when it was migrated (what a fresh recording of the same run writes)."""
        if not self.migrated:
            return encode_golden(self.golden)
        return encode_golden(self.golden.model_copy(update={"written_by": writer()}))


CURRENT_FORMAT = f"golden version {GOLDEN_VERSION}, snapshot format {FORMAT_VERSION}"


def _version(raw: dict[str, Any], path: Path) -> int:
    """The file's golden version, checked: one this release reads, else a clear refusal."""
    found = raw.get("version")
    if type(found) is int and found in SUPPORTED_GOLDEN_VERSIONS:
        return found
    by = raw.get("written_by")
    written = f" (written by {by})" if isinstance(by, str) else ""
    if type(found) is int and found > GOLDEN_VERSION:
        advice = "it comes from a newer release: upgrade pytest-wfsnap to read it"
    else:
        advice = "it may have been edited by hand: record it again"
    versions = ", ".join(str(v) for v in SUPPORTED_GOLDEN_VERSIONS)
    raise GoldenFileError(
        f"golden file {path} has format version {found!r}{written}; this release "
        f"({writer()}) reads golden format versions {versions}; {advice}"
    )


def _snapshot_version(raw: dict[str, Any], path: Path) -> str | None:
    """The envelope's ``snapshot_version``, checked (``None`` when absent or not a string:
    validation reports it)."""
    stated = raw.get("snapshot_version")
    if not isinstance(stated, str) or stated in SUPPORTED_VERSIONS:
        return stated if isinstance(stated, str) else None
    raise GoldenFileError(
        f"golden file {path} holds snapshots of format version {stated!r}; this release "
        f"({writer()}) reads snapshot format versions {', '.join(SUPPORTED_VERSIONS)}: "
        "upgrade pytest-wfsnap to read it"
    )


def _parse(data: bytes, path: Path) -> tuple[Any, bool]:
    """The parsed file, and whether it holds only finite numbers.

    The strict parser (msgspec, in C) reads a well-formed file; what it refuses is read again
    by the standard library, which gives the messages (line and column) and still accepts the
    ``NaN``/``Infinity`` literals and lone surrogates it always accepted (snapshot validation
    then names such values)."""
    try:
        return msgspec.json.decode(data), True
    except (msgspec.DecodeError, ValueError, RecursionError):  # ValueError: not UTF-8
        pass
    try:
        return json.loads(data.decode("utf-8")), False
    except UnicodeDecodeError as exc:
        raise GoldenFileError(f"golden file {path} is not UTF-8 text: {exc}") from None
    except json.JSONDecodeError as exc:
        raise GoldenFileError(
            f"golden file {path} is not valid JSON (line {exc.lineno}, column {exc.colno}: "
            f"{exc.msg}); it may have been edited by hand"
        ) from None


def load_golden(data: bytes, path: Path) -> LoadedGolden:
    """Parse, migrate (in memory) and validate a golden; every problem names the file."""
    raw, finite = _parse(data, path)
    if not isinstance(raw, dict):
        raise GoldenFileError(
            f"golden file {path} must hold a JSON object, not {type(raw).__name__}"
        )
    if raw.get("format") != GOLDEN_FORMAT:
        raise GoldenFileError(
            f"golden file {path} is not a pytest-wfsnap golden (format {raw.get('format')!r})"
        )
    source = _version(raw, path)
    raw = migrate_envelope(raw, source, GOLDEN_VERSION)
    stated = _snapshot_version(raw, path)
    raw, older = migrate_documents(raw, path)
    if stated is not None and stated != FORMAT_VERSION:
        older = older or (stated,)
        raw = {**raw, "snapshot_version": FORMAT_VERSION}
    try:
        golden = Golden.model_validate(raw)
    except ValidationError as exc:
        problems = "; ".join(
            f"{'.'.join(str(p) for p in err['loc']) or '<root>'}: {err['msg']}"
            for err in exc.errors()
        )
        raise GoldenFileError(f"golden file {path} is invalid: {problems}") from None
    return LoadedGolden(golden, source, older, finite)


def decode_golden(data: bytes, path: Path) -> Golden:
    """The golden in ``data``, in the current format (see :func:`load_golden`)."""
    return load_golden(data, path).golden


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
    "CURRENT_FORMAT",
    "GOLDEN_FORMAT",
    "GOLDEN_VERSION",
    "SUPPORTED_GOLDEN_VERSIONS",
    "Golden",
    "LoadedGolden",
    "WorkflowRef",
    "decode_golden",
    "encode_golden",
    "golden_bytes",
    "load_golden",
    "read_bytes",
    "read_golden",
    "write_if_changed",
    "writer",
]
