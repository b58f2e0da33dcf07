"""The one contract every snapshot store passes; MemoryStore is the reference."""

from __future__ import annotations

import multiprocessing
import threading
from collections.abc import Callable
from datetime import UTC, datetime, timedelta, timezone
from pathlib import Path
from typing import Any

import pytest

from pytest_wfsnap.errors import (
    SnapshotNotFoundError,
    SnapshotTooLargeError,
    StorageError,
)
from pytest_wfsnap.storage import SnapshotMeta, SnapshotRef, SnapshotStore
from tests.storage.support import (
    T0,
    FakeClock,
    StoreFactory,
    check_blob,
    make_blob,
    make_meta,
    open_store,
)

# --- basic history -----------------------------------------------------------------------------


def test_store_satisfies_the_protocol(store: SnapshotStore) -> None:
    assert isinstance(store, SnapshotStore)


def test_put_assigns_consecutive_sequence_numbers_per_execution(store: SnapshotStore) -> None:
    refs = [store.put("run-a", f"a{i}".encode(), make_meta()) for i in range(3)]
    other = store.put("run-b", b"b0", make_meta())
    assert [r.seq for r in refs] == [1, 2, 3]
    assert all(r.execution_id == "run-a" for r in refs)
    assert (other.execution_id, other.seq) == ("run-b", 1)


def test_list_returns_history_oldest_first_with_full_metadata(store: SnapshotStore) -> None:
    paris = timezone(timedelta(hours=2))
    meta = SnapshotMeta(
        created_at=datetime(2025, 11, 1, 19, 30, 15, 123456, tzinfo=paris),
        label="after:fetch orders",
        node_count=12,
        completed_count=5,
        size=999,  # ignored: the store records the real size
        format="json+zstd",
        status="paused",
        workflow_id="orders",
    )
    store.put("run-1", b"first", make_meta("auto"))
    ref = store.put("run-1", b"second!", meta)
    listed = store.list("run-1")
    assert [r.seq for r in listed] == [1, 2]
    assert listed[1] == ref
    got = listed[1].meta
    assert got.created_at == datetime(2025, 11, 1, 17, 30, 15, 123456, tzinfo=UTC)
    assert got.created_at.tzinfo == UTC
    assert (got.label, got.node_count, got.completed_count) == ("after:fetch orders", 12, 5)
    assert (got.size, got.format, got.status, got.workflow_id) == (
        7,
        "json+zstd",
        "paused",
        "orders",
    )
    assert listed[0].size == 5 and listed[0].label == "auto"


def test_get_and_load_return_the_exact_bytes(store: SnapshotStore) -> None:
    store.put("run-1", b"one", make_meta("a"))
    store.put("run-1", b"two", make_meta("b"))
    assert store.get("run-1") == b"two"
    assert store.get("run-1", 1) == b"one"
    assert store.get("run-1", seq=2) == b"two"
    ref, data = store.load("run-1", 1)
    assert (ref.seq, ref.label, data) == (1, "a", b"one")
    ref, data = store.load("run-1")
    assert (ref.seq, ref.label, data) == (2, "b", b"two")
    latest = store.latest("run-1")
    assert latest is not None and latest.seq == 2 and latest == ref


def test_binary_and_empty_payloads_round_trip(store: SnapshotStore) -> None:
    every_byte = bytes(range(256)) * 3
    store.put("bin", every_byte, make_meta())
    store.put("bin", b"", make_meta())
    mutable: Any = bytearray(b"\x00\xff")  # bytes-like data is accepted too
    store.put("bin", mutable, make_meta())
    assert store.get("bin", 1) == every_byte
    assert store.get("bin", 2) == b""
    assert store.get("bin", 3) == b"\x00\xff"
    assert [r.size for r in store.list("bin")] == [768, 0, 2]


def test_unknown_execution_is_empty_not_an_error_for_queries(store: SnapshotStore) -> None:
    assert store.list("nobody") == []
    assert store.latest("nobody") is None
    assert store.status("nobody") is None
    assert store.executions() == []
    with pytest.raises(SnapshotNotFoundError, match="nobody"):
        store.get("nobody")
    store.put("somebody", b"x", make_meta())
    with pytest.raises(SnapshotNotFoundError, match=r"#7.*somebody"):
        store.get("somebody", 7)
    with pytest.raises(SnapshotNotFoundError):
        store.load("nobody", 1)


def test_executions_are_sorted_and_only_those_holding_snapshots(store: SnapshotStore) -> None:
    for eid in ["zeta", "Alpha", "m.1", "m-2", "m_3"]:
        store.put(eid, b"x", make_meta())
    assert store.executions() == sorted(["zeta", "Alpha", "m.1", "m-2", "m_3"])
    store.delete("zeta", 1)
    assert "zeta" not in store.executions()


# --- delete ----------------------------------------------------------------------------------


def test_delete_removes_one_snapshot_and_numbers_are_never_reused(store: SnapshotStore) -> None:
    for i in range(3):
        store.put("run", f"v{i}".encode(), make_meta())
    store.delete("run", 3)
    store.delete("run", 1)
    assert [r.seq for r in store.list("run")] == [2]
    with pytest.raises(SnapshotNotFoundError):
        store.get("run", 1)
    assert store.put("run", b"v3", make_meta()).seq == 4
    store.delete("run", 2)
    store.delete("run", 4)
    assert store.list("run") == []
    assert store.latest("run") is None
    assert store.put("run", b"v4", make_meta()).seq == 5


def test_delete_of_a_missing_snapshot_raises(store: SnapshotStore) -> None:
    with pytest.raises(SnapshotNotFoundError):
        store.delete("run", 1)
    store.put("run", b"x", make_meta())
    with pytest.raises(SnapshotNotFoundError, match="#2"):
        store.delete("run", 2)
    store.delete("run", 1)
    with pytest.raises(SnapshotNotFoundError):
        store.delete("run", 1)


def test_delete_execution_removes_everything_and_restarts_numbering(store: SnapshotStore) -> None:
    for i in range(3):
        store.put("gone", f"{i}".encode(), make_meta())
    store.put("kept", b"k", make_meta())
    assert store.delete_execution("gone") == 3
    assert store.executions() == ["kept"]
    assert store.list("gone") == [] and store.status("gone") is None
    assert store.delete_execution("gone") == 0
    assert store.delete_execution("never-seen") == 0
    assert store.put("gone", b"again", make_meta()).seq == 1
    assert store.get("kept") == b"k"


# --- rollback --------------------------------------------------------------------------------


def test_rollback_appends_a_tagged_copy_and_keeps_history(factory: StoreFactory) -> None:
    clock = FakeClock(T0 + timedelta(hours=1))
    store = factory.make(clock=clock)
    store.put("run", b"state-1", make_meta("after:a", node_count=3, completed_count=1))
    store.put("run", b"state-2", make_meta("after:b", node_count=3, completed_count=2))
    store.put("run", b"state-3", make_meta("complete", status="completed", completed_count=3))
    ref = store.rollback("run", 1)
    assert ref.seq == 4
    assert ref.label == "rollback:1" and ref.meta.rollback_of == 1
    assert ref.created_at == clock.now
    assert (ref.meta.node_count, ref.meta.completed_count, ref.size) == (3, 1, 7)
    assert store.get("run") == b"state-1"
    assert store.latest("run") == ref
    assert [r.label for r in store.list("run")] == ["after:a", "after:b", "complete", "rollback:1"]
    assert store.status("run") == "running"  # the rolled-back state resumes
    clock.advance(60)
    again = store.rollback("run", 4)
    assert (again.seq, again.label, store.get("run", 5)) == (5, "rollback:4", b"state-1")
    assert again.created_at == T0 + timedelta(hours=1, minutes=1)
    store.close()


def test_rollback_to_a_missing_snapshot_raises_and_writes_nothing(store: SnapshotStore) -> None:
    with pytest.raises(SnapshotNotFoundError):
        store.rollback("run", 1)
    store.put("run", b"x", make_meta())
    store.delete("run", 1)
    store.put("run", b"y", make_meta())
    with pytest.raises(SnapshotNotFoundError, match="#1"):
        store.rollback("run", 1)
    assert [r.seq for r in store.list("run")] == [2]


# --- status ----------------------------------------------------------------------------------


def test_status_follows_puts_and_set_status(store: SnapshotStore) -> None:
    store.put("run", b"x", make_meta(status="running"))
    assert store.status("run") == "running"
    store.put("run", b"y", make_meta(status="paused"))
    assert store.status("run") == "paused"
    store.set_status("run", "completed")
    assert store.status("run") == "completed"
    assert store.latest("run") is not None
    assert store.list("run")[-1].meta.status == "paused"  # snapshots are not rewritten
    store.put("run", b"z", make_meta(status="failed"))
    assert store.status("run") == "failed"


def test_set_status_needs_a_known_execution_and_a_valid_status(store: SnapshotStore) -> None:
    with pytest.raises(SnapshotNotFoundError):
        store.set_status("nobody", "completed")
    store.put("run", b"x", make_meta())
    with pytest.raises(StorageError, match="invalid execution status 'done'"):
        store.set_status("run", "done")  # type: ignore[arg-type]
    assert store.status("run") == "running"


# --- limits and validation -------------------------------------------------------------------


def test_size_limit_is_enforced_before_anything_is_written(factory: StoreFactory) -> None:
    store = factory.make(max_snapshot_size=10)
    assert store.put("run", b"0123456789", make_meta()).seq == 1
    with pytest.raises(SnapshotTooLargeError, match=r"11 bytes.*limit of 10.*max_snapshot_size"):
        store.put("run", b"0123456789A", make_meta())
    assert [r.seq for r in store.list("run")] == [1]
    assert store.put("run", b"ok", make_meta()).seq == 2  # no number was consumed
    store.close()
    unlimited = factory.make(max_snapshot_size=None)
    big = b"x" * 100_000
    assert unlimited.get("run", unlimited.put("run", big, make_meta()).seq) == big
    unlimited.close()


def test_invalid_size_limit_is_refused(factory: StoreFactory) -> None:
    for bad in (-1, "10", 1.5, True):
        with pytest.raises(StorageError, match="max_snapshot_size"):
            factory.make(max_snapshot_size=bad)


BAD_IDS = [
    "",
    ".",
    "..",
    "../escape",
    "a/b",
    "a\\b",
    "/abs",
    ".hidden",
    "-dash",
    "sp ace",
    "nul\x00",
]
BAD_IDS += ["x" * 129, "é", "a:b"]


def _calls(execution_id: Any) -> list[Callable[[SnapshotStore], object]]:
    return [
        lambda s: s.put(execution_id, b"x", make_meta()),
        lambda s: s.list(execution_id),
        lambda s: s.get(execution_id),
        lambda s: s.load(execution_id, 1),
        lambda s: s.latest(execution_id),
        lambda s: s.delete(execution_id, 1),
        lambda s: s.rollback(execution_id, 1),
        lambda s: s.status(execution_id),
        lambda s: s.set_status(execution_id, "completed"),
        lambda s: s.delete_execution(execution_id),
    ]


@pytest.mark.parametrize("bad_id", [*BAD_IDS, None, 42])
def test_unsafe_execution_ids_are_refused_by_every_method(
    store: SnapshotStore, bad_id: Any
) -> None:
    for call in _calls(bad_id):
        with pytest.raises(StorageError, match="execution id"):
            call(store)
    assert store.executions() == []


def test_longest_safe_execution_id_is_accepted(store: SnapshotStore) -> None:
    eid = "A" + "b.-_9" * 25 + "xy"
    assert len(eid) == 128
    store.put(eid, b"x", make_meta())
    assert store.executions() == [eid] and store.get(eid) == b"x"


@pytest.mark.parametrize("bad_seq", [0, -1, True, 1.0, "1"])
def test_invalid_sequence_numbers_are_refused(store: SnapshotStore, bad_seq: Any) -> None:
    store.put("run", b"x", make_meta())
    for call in (store.get, store.load, store.delete, store.rollback):
        with pytest.raises(StorageError, match="sequence number"):
            call("run", bad_seq)


def test_delete_and_rollback_need_a_sequence_number_not_none(store: SnapshotStore) -> None:
    store.put("run", b"x", make_meta())
    for call in (store.delete, store.rollback):
        with pytest.raises(StorageError, match="sequence number None"):
            call("run", None)  # type: ignore[arg-type]
    assert [ref.seq for ref in store.list("run")] == [1]


def test_data_and_meta_types_are_checked(store: SnapshotStore) -> None:
    bad_data: Any = "text, not bytes"
    with pytest.raises(StorageError, match="must be bytes, got str"):
        store.put("run", bad_data, make_meta())
    bad_meta: Any = {"label": "auto"}
    with pytest.raises(StorageError, match="SnapshotMeta"):
        store.put("run", b"x", bad_meta)
    assert store.executions() == []


def test_closed_store_refuses_work(factory: StoreFactory) -> None:
    store = factory.make()
    store.put("run", b"x", make_meta())
    store.close()
    with pytest.raises(StorageError, match="closed"):
        store.put("run", b"y", make_meta())
    with pytest.raises(StorageError, match="closed"):
        store.list("run")


def test_compact_leaves_stored_snapshots_alone(store: SnapshotStore) -> None:
    store.put("run", b"x", make_meta())
    store.put("run", b"y", make_meta())
    assert store.compact() == 0
    assert [store.get("run", r.seq) for r in store.list("run")] == [b"x", b"y"]


# --- persistence -----------------------------------------------------------------------------


def test_history_survives_reopening(persistent_factory: StoreFactory) -> None:
    first = persistent_factory.make()
    first.put("run", b"one", make_meta("after:a", status="paused", workflow_id="wf"))
    first.put("run", b"two", make_meta("after:b", status="paused"))
    first.delete("run", 2)
    expected = first.list("run")
    first.close()
    second = persistent_factory.make()
    assert second.list("run") == expected
    assert second.get("run") == b"one"
    assert second.status("run") == "paused"
    assert second.put("run", b"three", make_meta()).seq == 3  # the deleted 2 stays unused
    second.close()


def test_two_open_instances_see_each_others_writes(persistent_factory: StoreFactory) -> None:
    a, b = persistent_factory.make(), persistent_factory.make()
    a.put("run", b"from-a", make_meta())
    assert b.put("run", b"from-b", make_meta()).seq == 2
    assert a.get("run") == b"from-b" and b.get("run", 1) == b"from-a"
    b.rollback("run", 1)
    assert a.latest("run") == b.latest("run")
    a.close()
    b.close()


# --- concurrency -----------------------------------------------------------------------------

WRITERS = 4
PUTS_PER_WRITER = 15


def _writer_process(kind: str, location: str, writer: int, start: Any) -> None:
    store = open_store(kind, Path(location))
    start.wait()
    for index in range(PUTS_PER_WRITER):
        store.put("shared", make_blob(writer, index), make_meta(f"w{writer}-{index}"))
    store.close()


def _assert_complete_history(store: SnapshotStore) -> None:
    refs = store.list("shared")
    total = WRITERS * PUTS_PER_WRITER
    assert [r.seq for r in refs] == list(range(1, total + 1))
    seen: set[tuple[int, int]] = set()
    for ref in refs:
        data = store.get("shared", ref.seq)
        writer, index = check_blob(data)
        assert ref.label == f"w{writer}-{index}" and ref.size == len(data)
        seen.add((writer, index))
    assert seen == {(w, i) for w in range(WRITERS) for i in range(PUTS_PER_WRITER)}
    # each writer's own puts keep their order
    for w in range(WRITERS):
        own = [r.seq for r in refs if r.label.startswith(f"w{w}-")]
        assert own == sorted(own)
        assert [int(r.label.split("-")[1]) for r in refs if r.label.startswith(f"w{w}-")] == list(
            range(PUTS_PER_WRITER)
        )


def test_writers_in_separate_processes_never_lose_or_duplicate(
    persistent_factory: StoreFactory,
) -> None:
    store = persistent_factory.make()  # creates the layout/schema before the race
    ctx = multiprocessing.get_context("fork")
    start = ctx.Barrier(WRITERS + 1)
    location = str(persistent_factory.location)
    procs = [
        ctx.Process(target=_writer_process, args=(persistent_factory.kind, location, w, start))
        for w in range(WRITERS)
    ]
    for proc in procs:
        proc.start()
    start.wait()
    # Read while the others write: whatever is visible is complete.
    while any(proc.is_alive() for proc in procs):
        latest = store.latest("shared")
        if latest is not None:
            check_blob(store.get("shared", latest.seq))
    for proc in procs:
        proc.join(timeout=60)
        assert proc.exitcode == 0
    _assert_complete_history(store)
    store.close()


def test_writers_in_threads_share_one_store(store: SnapshotStore) -> None:
    start = threading.Barrier(WRITERS)
    errors: list[BaseException] = []

    def write(writer: int) -> None:
        try:
            start.wait()
            for index in range(PUTS_PER_WRITER):
                store.put("shared", make_blob(writer, index), make_meta(f"w{writer}-{index}"))
        except BaseException as exc:  # reported below
            errors.append(exc)

    threads = [threading.Thread(target=write, args=(w,)) for w in range(WRITERS)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    _assert_complete_history(store)


def test_refs_are_frozen_values(store: SnapshotStore) -> None:
    ref = store.put("run", b"x", make_meta())
    assert isinstance(ref, SnapshotRef)
    with pytest.raises(AttributeError):
        ref.seq = 9  # type: ignore[misc]
