"""The per-execution index file of the file-system store: format, parsing, file names.

``index.json`` holds the execution's next sequence number, its status, and one line per
snapshot (sequence number, file name, metadata). It is always replaced atomically.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from pytest_wfsnap.errors import StorageError
from pytest_wfsnap.storage.stores import ExecutionStatus, SnapshotMeta, validate_status

INDEX_NAME = "index.json"
LOCK_NAME = ".lock"
INDEX_FORMAT = "wfsnap-store-index"
INDEX_VERSION = 1

_SNAP_NAME_RE = re.compile(r"[0-9]{8,}-[A-Za-z0-9._-]+\.snap")
_SLUG_RE = re.compile(r"[^A-Za-z0-9._-]+")
_RUN_RE = re.compile(r"[._-]{2,}")


def snapshot_file_name(seq: int, label: str) -> str:
    """``<seq:08d>-<label made file-name safe>.snap``, e.g. ``00000003-after_fetch.snap``."""
    slug = _RUN_RE.sub("_", _SLUG_RE.sub("_", label)).strip("._-")[:48] or "snapshot"
    return f"{seq:08d}-{slug}.snap"


@dataclass(slots=True)
class Index:
    next_seq: int = 1
    status: ExecutionStatus = "running"
    entries: dict[int, tuple[str, SnapshotMeta]] = field(default_factory=dict)

    def to_json(self, execution_id: str) -> str:
        """The index document: a header, then one compact line per snapshot."""
        header = {
            "format": INDEX_FORMAT,
            "version": INDEX_VERSION,
            "execution_id": execution_id,
            "next_seq": self.next_seq,
            "status": self.status,
        }
        entries = [
            json.dumps(
                {"seq": seq, "file": name, "meta": meta.to_dict()},
                ensure_ascii=False,
                separators=(",", ":"),
            )
            for seq, (name, meta) in sorted(self.entries.items())
        ]
        head = json.dumps(header, ensure_ascii=False)[:-1]
        if not entries:
            return head + ', "snapshots": []}\n'
        return head + ', "snapshots": [\n' + ",\n".join(entries) + "\n]}\n"


def parse_index(raw: bytes, path: Path) -> Index:
    def corrupt(why: str) -> StorageError:
        return StorageError(
            f"snapshot index {path} is corrupt: {why} "
            "(restore it from a backup, or delete the execution's directory)"
        )

    try:
        document: Any = json.loads(raw)
    except ValueError as exc:
        raise corrupt(f"not valid JSON ({exc})") from exc
    if not isinstance(document, dict) or document.get("format") != INDEX_FORMAT:
        raise corrupt(f"not a {INDEX_FORMAT} document")
    if document.get("version") != INDEX_VERSION:
        raise corrupt(f"unsupported index version {document.get('version')!r}")
    next_seq = document.get("next_seq")
    snapshots = document.get("snapshots")
    if isinstance(next_seq, bool) or not isinstance(next_seq, int) or next_seq < 1:
        raise corrupt(f"bad next_seq {next_seq!r}")
    if not isinstance(snapshots, list):
        raise corrupt("'snapshots' is not a list")
    try:
        index = Index(next_seq=next_seq, status=validate_status(document.get("status")))
    except StorageError as exc:
        raise corrupt(str(exc)) from exc
    for entry in snapshots:
        if not isinstance(entry, dict):
            raise corrupt(f"bad snapshot entry {entry!r}")
        seq, name = entry.get("seq"), entry.get("file")
        if isinstance(seq, bool) or not isinstance(seq, int) or not 1 <= seq < next_seq:
            raise corrupt(f"bad sequence number {seq!r}")
        if not isinstance(name, str) or _SNAP_NAME_RE.fullmatch(name) is None:
            raise corrupt(f"bad snapshot file name {name!r}")
        meta = SnapshotMeta.from_dict(entry.get("meta") or {}, source=f"{path} (#{seq})")
        index.entries[seq] = (name, meta)
    return index


__all__ = ["INDEX_NAME", "LOCK_NAME", "Index", "parse_index", "snapshot_file_name"]
