"""Garbage collection: keep_last / older_than rules, live executions protected, dry runs."""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any

import pytest

from pytest_wfsnap.errors import SnapshotNotFoundError, StorageError
from pytest_wfsnap.storage import MemoryStore, SnapshotStore, collect_garbage
from pytest_wfsnap.storage.stores import ExecutionStatus
from tests.storage.support import T0, make_meta

NOW = T0 + timedelta(days=10)


def _fill(store: SnapshotStore, eid: str, days_ago: list[int], status: ExecutionStatus) -> None:
    """One snapshot per entry, taken that many days before NOW (oldest first)."""
    for i, days in enumerate(days_ago):
        store.put(eid, f"{eid}-{i}".encode(), make_meta(f"s{i}", at=NOW - timedelta(days=days)))
    store.set_status(eid, status)


def _seqs(store: SnapshotStore, eid: str) -> list[int]:
    return [r.seq for r in store.list(eid)]


def test_keep_last_keeps_the_newest_of_each_execution(store: SnapshotStore) -> None:
    _fill(store, "a", [5, 4, 3, 2, 1], "completed")
    _fill(store, "b", [2, 1], "completed")
    report = collect_garbage(store, keep_last=2, now=NOW)
    assert _seqs(store, "a") == [4, 5] and _seqs(store, "b") == [1, 2]
    assert [(r.execution_id, r.seq) for r in report.removed] == [("a", 1), ("a", 2), ("a", 3)]
    assert report.kept == 4 and report.protected == () and not report.dry_run
    assert report.freed_bytes == sum(len(f"a-{i}") for i in range(3))


def test_older_than_removes_only_old_snapshots(store: SnapshotStore) -> None:
    _fill(store, "a", [9, 7, 3, 1], "completed")
    report = collect_garbage(store, older_than=timedelta(days=3), now=NOW)
    assert _seqs(store, "a") == [3, 4]  # exactly 3 days old is not older than 3 days
    assert [r.seq for r in report.removed] == [1, 2]


def test_everything_of_a_finished_execution_may_go(store: SnapshotStore) -> None:
    _fill(store, "done", [9, 8], "completed")
    _fill(store, "broke", [9, 8], "failed")
    report = collect_garbage(store, older_than=timedelta(days=1), now=NOW)
    assert store.executions() == []
    assert len(report.removed) == 4 and report.kept == 0


@pytest.mark.parametrize("status", ["pending", "running", "paused"])
def test_the_latest_snapshot_of_a_live_execution_is_never_removed(
    store: SnapshotStore, status: ExecutionStatus
) -> None:
    _fill(store, "live", [9, 8, 7], status)
    report = collect_garbage(store, keep_last=0, older_than=timedelta(0), now=NOW)
    assert _seqs(store, "live") == [3]
    assert [r.seq for r in report.protected] == [3]
    assert [r.seq for r in report.removed] == [1, 2]
    assert report.kept == 1
    assert "protected" in report.summary()


def test_both_rules_keep_what_either_rule_keeps(store: SnapshotStore) -> None:
    _fill(store, "a", [30, 20, 10, 2, 1], "completed")
    collect_garbage(store, keep_last=3, older_than=timedelta(days=5), now=NOW)
    assert _seqs(store, "a") == [3, 4, 5]  # 3 newest (one of them 10 days old)
    collect_garbage(store, keep_last=1, older_than=timedelta(days=5), now=NOW)
    assert _seqs(store, "a") == [4, 5]  # 2 recent ones, although keep_last is 1


def test_dry_run_reports_the_same_and_removes_nothing(store: SnapshotStore) -> None:
    _fill(store, "a", [5, 4, 3], "completed")
    _fill(store, "b", [5, 4], "running")
    before = {eid: store.list(eid) for eid in store.executions()}
    dry = collect_garbage(store, keep_last=1, now=NOW, dry_run=True)
    assert {eid: store.list(eid) for eid in store.executions()} == before
    assert dry.dry_run and dry.summary().startswith("would remove 3 snapshot(s)")
    real = collect_garbage(store, keep_last=1, now=NOW)
    assert real.removed == dry.removed and real.kept == dry.kept
    assert real.summary().startswith("removed 3 snapshot(s) (9 B), kept 2")


def test_execution_filter_limits_the_collection(store: SnapshotStore) -> None:
    _fill(store, "a", [5, 4], "completed")
    _fill(store, "b", [5, 4], "completed")
    collect_garbage(store, keep_last=0, now=NOW, execution_ids=["b", "unknown"])
    assert store.executions() == ["a"]
    with pytest.raises(StorageError, match="execution id"):
        collect_garbage(store, keep_last=0, execution_ids=["../a"])


def test_rolled_back_executions_become_live_again(store: SnapshotStore) -> None:
    _fill(store, "a", [5, 4], "completed")
    store.rollback("a", 1)
    assert store.status("a") == "running"
    collect_garbage(store, keep_last=0, now=NOW + timedelta(days=1))
    assert [r.label for r in store.list("a")] == ["rollback:1"]


def test_the_default_clock_is_now(store: SnapshotStore) -> None:
    store.put("a", b"x", make_meta(at=datetime(2000, 1, 1, tzinfo=T0.tzinfo), status="failed"))
    assert len(collect_garbage(store, older_than=timedelta(days=365)).removed) == 1


@pytest.mark.parametrize(
    ("options", "message"),
    [
        ({}, "needs a rule"),
        ({"keep_last": -1}, "keep_last must be an int >= 0"),
        ({"keep_last": True}, "keep_last"),
        ({"older_than": timedelta(seconds=-1)}, "older_than must be a timedelta >= 0"),
        ({"older_than": 3600}, "older_than"),
        ({"keep_last": 1, "now": datetime(2025, 1, 1)}, "timezone-aware"),
    ],
)
def test_invalid_rules_are_refused(options: dict[str, Any], message: str) -> None:
    store = MemoryStore()
    store.put("a", b"x", make_meta(status="completed"))
    with pytest.raises(StorageError, match=message):
        collect_garbage(store, **options)
    assert store.list("a") != []


class _RacingStore(MemoryStore):
    """Another collector removes a snapshot between our listing and our delete."""

    def delete(self, execution_id: str, seq: int) -> None:
        if seq == 1:
            super().delete(execution_id, seq)  # the other collector wins
            raise SnapshotNotFoundError("already removed")
        super().delete(execution_id, seq)


def test_snapshots_removed_concurrently_are_skipped() -> None:
    store = _RacingStore()
    _fill(store, "a", [5, 4, 3], "completed")
    report = collect_garbage(store, keep_last=1, now=NOW)
    assert [r.seq for r in report.removed] == [2]
    assert _seqs(store, "a") == [3]
