"""Garbage collection of stored snapshots.

Rules, per execution (works with any :class:`SnapshotStore`):

* ``keep_last=N`` keeps the N newest snapshots; ``older_than=T`` keeps those taken less than
  T before ``now``. A snapshot is removed only when every given rule lets it go (so with both
  rules, the N newest *and* the recent ones are kept).
* The latest snapshot of a live execution (status pending, running or paused) is never
  removed: it is what a paused or crashed run resumes from.
* With ``dry_run`` nothing is removed; the report lists what would be.

Snapshots removed concurrently by someone else are skipped, not reported.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime, timedelta

from pytest_wfsnap.errors import SnapshotNotFoundError, StorageError
from pytest_wfsnap.storage.stores import (
    LIVE_STATUSES,
    SnapshotRef,
    SnapshotStore,
    utc_now,
    validate_execution_id,
)


@dataclass(frozen=True, slots=True)
class GcReport:
    """What a garbage collection removed (or, in a dry run, would remove)."""

    dry_run: bool
    removed: tuple[SnapshotRef, ...]
    """Snapshots removed (dry run: that would be removed), by execution then sequence."""
    protected: tuple[SnapshotRef, ...]
    """Latest snapshots of live executions that the rules would have removed."""
    kept: int
    """Snapshots examined and kept (protected ones included)."""
    leftovers_removed: int = 0
    """Leftovers of interrupted writes removed by ``store.compact()``."""

    @property
    def freed_bytes(self) -> int:
        return sum(ref.size for ref in self.removed)

    def summary(self) -> str:
        """One line for a terminal, e.g. ``removed 3 snapshots (1.2 KiB), kept 5``."""
        verb = "would remove" if self.dry_run else "removed"
        text = (
            f"{verb} {len(self.removed)} snapshot(s) ({_human(self.freed_bytes)}), kept {self.kept}"
        )
        if self.protected:
            text += f" ({len(self.protected)} protected: latest of a live execution)"
        if self.leftovers_removed:
            text += f", cleaned {self.leftovers_removed} leftover file(s)"
        return text


def _human(size: int) -> str:
    value = float(size)
    for unit in ("B", "KiB", "MiB", "GiB"):
        if value < 1024 or unit == "GiB":
            return f"{size} B" if unit == "B" else f"{value:.1f} {unit}"
        value /= 1024
    raise AssertionError("unreachable")  # pragma: no cover


def _check_rules(
    older_than: timedelta | None, keep_last: int | None, now: datetime | None
) -> datetime:
    if older_than is None and keep_last is None:
        raise StorageError(
            "collect_garbage needs a rule: older_than (a timedelta) and/or keep_last (an int)"
        )
    if older_than is not None and (
        not isinstance(older_than, timedelta) or older_than < timedelta(0)
    ):
        raise StorageError(f"older_than must be a timedelta >= 0, got {older_than!r}")
    if keep_last is not None and (
        isinstance(keep_last, bool) or not isinstance(keep_last, int) or keep_last < 0
    ):
        raise StorageError(f"keep_last must be an int >= 0, got {keep_last!r}")
    if now is None:
        return utc_now()
    if not isinstance(now, datetime) or now.utcoffset() is None:
        raise StorageError(f"now must be a timezone-aware datetime, got {now!r}")
    return now


def collect_garbage(
    store: SnapshotStore,
    *,
    older_than: timedelta | None = None,
    keep_last: int | None = None,
    now: datetime | None = None,
    dry_run: bool = False,
    execution_ids: Iterable[str] | None = None,
    compact: bool = True,
) -> GcReport:
    """Remove old snapshots from ``store`` following the rules above.

    ``execution_ids`` limits the collection to those executions (default: all). With
    ``compact`` (and not ``dry_run``), leftovers of interrupted writes are removed too.
    """
    current = _check_rules(older_than, keep_last, now)
    cutoff = None if older_than is None else current - older_than
    targets = (
        store.executions()
        if execution_ids is None
        else sorted({validate_execution_id(eid) for eid in execution_ids})
    )
    removed: list[SnapshotRef] = []
    protected: list[SnapshotRef] = []
    kept = 0
    for execution_id in targets:
        refs = store.list(execution_id)
        if not refs:
            continue
        live = store.status(execution_id) in LIVE_STATUSES
        newest = {ref.seq for ref in refs[len(refs) - keep_last :]} if keep_last else set()
        for ref in refs:
            keep = (keep_last is not None and ref.seq in newest) or (
                cutoff is not None and ref.created_at >= cutoff
            )
            if keep:
                kept += 1
            elif live and ref is refs[-1]:
                protected.append(ref)
                kept += 1
            elif dry_run:
                removed.append(ref)
            else:
                try:
                    store.delete(execution_id, ref.seq)
                except SnapshotNotFoundError:
                    continue
                removed.append(ref)
    leftovers = store.compact() if compact and not dry_run else 0
    return GcReport(
        dry_run=dry_run,
        removed=tuple(removed),
        protected=tuple(protected),
        kept=kept,
        leftovers_removed=leftovers,
    )


__all__ = ["GcReport", "collect_garbage"]
