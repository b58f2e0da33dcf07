"""Golden-file migrations: a table of pure ``dict -> dict`` steps for the envelope, and the
migration of the snapshot documents a golden holds.

Reading a golden walks :data:`GOLDEN_MIGRATIONS` from the file's ``version`` up to the current
one (:data:`~pytest_wfsnap.plugin.golden.GOLDEN_VERSION`); steps never change their input. Then
every snapshot document inside (the start states, the final state, the named snapshots) that is
not in the current snapshot format is migrated by the snapshot package's own migrations (Go
engine 1.0.0 documents included), validated, and stored in its current form, with HTTP secrets
redacted as in a recording.

Golden versions:

* ``1``: the envelope ``format``, ``version``, ``test``, ``workflow``, ``config``, ``seed``,
  ``clock``, ``start_states``, ``final``, ``result``, ``snapshots``.
* ``2``: adds ``written_by`` (``"pytest-wfsnap <version>"``, the release that wrote the content;
  ``null`` when migrated from version 1 in memory, stamped when the golden is rewritten) and
  ``snapshot_version`` (the snapshot format version of the documents inside; the oldest one if a
  golden mixes versions), so a reader can tell an outdated golden from its envelope.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from pytest_wfsnap.errors import GoldenFileError, SnapshotError
from pytest_wfsnap.plugin.normalize import redact_nodes
from pytest_wfsnap.snapshot.document import snapshot_from_document, snapshot_to_document
from pytest_wfsnap.snapshot.migrations import SUPPORTED_VERSIONS, migrate
from pytest_wfsnap.snapshot.version import FORMAT_VERSION

GoldenDoc = dict[str, Any]
GoldenMigration = Callable[[GoldenDoc], GoldenDoc]

# The named parts holding snapshot documents, and how messages name one of their entries.
_NAMED_PARTS = (("start_states", "the state after {!r}"), ("snapshots", "snapshot {!r}"))


@dataclass(frozen=True, slots=True)
class GoldenStep:
    source: int
    target: int
    migrate: GoldenMigration
    summary: str


def documents(golden: GoldenDoc) -> Iterator[tuple[str, Any]]:
    """Every snapshot document of a golden, with how messages name it.

    Parts of the wrong shape are skipped: validation of the envelope reports them."""
    final = golden.get("final")
    if final is not None:
        yield "the final state", final
    for key, what in _NAMED_PARTS:
        part = golden.get(key)
        if isinstance(part, dict):
            for name, doc in part.items():
                yield what.format(name), doc


def oldest_snapshot_version(golden: GoldenDoc) -> str:
    """The oldest supported snapshot version among the golden's documents (current if none)."""
    found = {doc.get("version") for _, doc in documents(golden) if isinstance(doc, dict)}
    return next((version for version in SUPPORTED_VERSIONS if version in found), FORMAT_VERSION)


def v1_to_v2(golden: GoldenDoc) -> GoldenDoc:
    """1 -> 2: ``written_by`` (unknown: null) and ``snapshot_version`` added."""
    out = dict(golden)
    out["version"] = 2
    out["written_by"] = None
    out["snapshot_version"] = oldest_snapshot_version(golden)
    return out


GOLDEN_MIGRATIONS: dict[int, GoldenStep] = {
    1: GoldenStep(
        1,
        2,
        v1_to_v2,
        "written_by (the pytest-wfsnap release that wrote the golden) and snapshot_version "
        "(the snapshot format of its documents) added",
    ),
}


def migrate_envelope(golden: GoldenDoc, version: int, current: int) -> GoldenDoc:
    """``golden`` (at ``version``, a key of the table or ``current``) walked to ``current``."""
    while version != current:
        step = GOLDEN_MIGRATIONS[version]
        golden = step.migrate(golden)
        version = step.target
    return golden


def _current_document(doc: dict[str, Any], path: Path, what: str) -> dict[str, Any]:
    """An older snapshot document migrated, validated, and in its current form."""
    try:
        snap = snapshot_from_document(migrate(doc))
    except SnapshotError as exc:
        raise GoldenFileError(
            f"golden file {path}: {what} is not a valid snapshot: {exc}"
        ) from None
    current = snapshot_to_document(snap)
    return {**current, "nodes": redact_nodes(list(current["nodes"]))}


def migrate_documents(golden: GoldenDoc, path: Path) -> tuple[GoldenDoc, tuple[str, ...]]:
    """Every snapshot document of ``golden`` in the current snapshot format.

    Returns the golden (``golden`` itself when nothing changed) and the older versions found,
    oldest first. Documents already current are kept as they are (validated when used), and so
    are parts that are not JSON objects (validation of the envelope reports them)."""
    found: set[str] = set()

    def current(what: str, doc: Any) -> Any:
        if not isinstance(doc, dict) or doc.get("version") == FORMAT_VERSION:
            return doc
        migrated = _current_document(doc, path, what)
        found.add(str(doc.get("version")))
        return migrated

    out = dict(golden)
    if out.get("final") is not None:
        out["final"] = current("the final state", out["final"])
    for key, what in _NAMED_PARTS:
        part = out.get(key)
        if isinstance(part, dict):
            out[key] = {name: current(what.format(name), doc) for name, doc in part.items()}
    if not found:
        return golden, ()
    ordered = [version for version in SUPPORTED_VERSIONS if version in found]
    return out, tuple(ordered)


__all__ = [
    "GOLDEN_MIGRATIONS",
    "GoldenStep",
    "documents",
    "migrate_documents",
    "migrate_envelope",
    "oldest_snapshot_version",
    "v1_to_v2",
]
