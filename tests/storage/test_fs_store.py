"""FileSystemStore specifics: layout, index, damage detection, leftovers of killed writers."""

from __future__ import annotations

import json
import multiprocessing
import os
from pathlib import Path
from typing import Any

import pytest

from pytest_wfsnap.errors import SnapshotNotFoundError, StorageError
from pytest_wfsnap.storage import FileSystemStore, collect_garbage
from pytest_wfsnap.storage.atomic import temp_name_for
from pytest_wfsnap.storage.fs_index import snapshot_file_name
from tests.storage.support import check_blob, make_blob, make_meta


@pytest.fixture
def fs(tmp_path: Path) -> FileSystemStore:
    return FileSystemStore(tmp_path / "store")


def test_layout_is_one_directory_per_execution_with_readable_names(fs: FileSystemStore) -> None:
    fs.put("run-1", b"a", make_meta("auto"))
    fs.put("run-1", b"b", make_meta("after:fetch orders/v2"))
    fs.rollback("run-1", 1)
    directory = fs.root / "run-1"
    assert sorted(os.listdir(directory)) == [
        ".lock",
        "00000001-auto.snap",
        "00000002-after_fetch_orders_v2.snap",
        "00000003-rollback_1.snap",
        "index.json",
    ]
    assert (directory / "00000002-after_fetch_orders_v2.snap").read_bytes() == b"b"
    index = json.loads((directory / "index.json").read_text())
    assert (index["execution_id"], index["next_seq"], index["status"]) == ("run-1", 4, "running")
    assert [e["file"] for e in index["snapshots"]] == [
        "00000001-auto.snap",
        "00000002-after_fetch_orders_v2.snap",
        "00000003-rollback_1.snap",
    ]
    assert index["snapshots"][1]["meta"]["label"] == "after:fetch orders/v2"


def test_file_names_are_safe_for_any_label() -> None:
    assert snapshot_file_name(7, "after:../../etc") == "00000007-after_etc.snap"
    assert snapshot_file_name(1, ":::") == "00000001-snapshot.snap"
    assert snapshot_file_name(123456789, "x" * 300) == "123456789-" + "x" * 48 + ".snap"


def test_the_root_is_created_and_an_unusable_root_is_reported(tmp_path: Path) -> None:
    FileSystemStore(tmp_path / "a" / "b")
    assert (tmp_path / "a" / "b").is_dir()
    (tmp_path / "file").write_text("x")
    with pytest.raises(StorageError, match="cannot create snapshot store directory"):
        FileSystemStore(tmp_path / "file" / "store")


def test_a_corrupt_index_is_reported_with_its_path(fs: FileSystemStore) -> None:
    fs.put("run", b"a", make_meta())
    index = fs.root / "run" / "index.json"
    index.write_text("{not json")
    with pytest.raises(StorageError, match=r"index .*run/index.json is corrupt: not valid JSON"):
        fs.list("run")
    document = {"format": "wfsnap-store-index", "version": 1, "next_seq": 2, "status": "running"}
    bad_entry = {"seq": 1, "file": "../../outside.snap", "meta": {}}
    index.write_text(json.dumps({**document, "snapshots": [bad_entry]}))
    with pytest.raises(StorageError, match=r"bad snapshot file name '\.\./\.\./outside\.snap'"):
        fs.get("run")
    index.write_text(json.dumps({**document, "version": 99, "snapshots": []}))
    with pytest.raises(StorageError, match="unsupported index version 99"):
        fs.latest("run")


def test_snapshot_files_modified_outside_the_store_are_detected(fs: FileSystemStore) -> None:
    fs.put("run", b"0123456789", make_meta())
    path = fs.root / "run" / "00000001-auto.snap"
    path.write_bytes(b"01234")
    with pytest.raises(StorageError, match="holds 5 bytes but the index records 10"):
        fs.get("run")
    path.write_bytes(b"0123456789-and-more")
    with pytest.raises(StorageError, match="larger than the 10 bytes recorded"):
        fs.get("run")
    path.unlink()
    with pytest.raises(SnapshotNotFoundError, match="deleted meanwhile"):
        fs.get("run", 1)


def test_compact_removes_what_killed_writers_leave_behind(fs: FileSystemStore) -> None:
    fs.put("run", b"a", make_meta())
    fs.put("run", b"b", make_meta())
    directory = fs.root / "run"
    # a writer killed after writing its snapshot file but before the index named it
    (directory / "00000003-after_x.snap").write_bytes(b"orphan")
    # writers killed inside atomic writes
    (directory / temp_name_for("index.json")).write_bytes(b"{")
    (directory / temp_name_for("00000003-after_x.snap")).write_bytes(b"half")
    # an execution directory whose first write never reached the index
    (fs.root / "never").mkdir()
    (fs.root / "never" / "00000001-auto.snap").write_bytes(b"orphan")
    # unrelated entries are ignored
    (fs.root / ".not-an-execution").mkdir()
    assert fs.compact() == 4
    assert sorted(os.listdir(directory)) == [
        ".lock",
        "00000001-auto.snap",
        "00000002-auto.snap",
        "index.json",
    ]
    assert not (fs.root / "never").exists()
    assert (fs.root / ".not-an-execution").is_dir()
    assert [fs.get("run", s) for s in (1, 2)] == [b"a", b"b"]
    assert fs.put("run", b"c", make_meta()).seq == 3


def test_gc_also_compacts(fs: FileSystemStore) -> None:
    fs.put("run", b"a", make_meta(status="completed"))
    (fs.root / "run" / temp_name_for("index.json")).write_bytes(b"{")
    report = collect_garbage(fs, keep_last=1)
    assert report.leftovers_removed == 1 and report.removed == ()


def test_delete_execution_removes_the_directory(fs: FileSystemStore) -> None:
    fs.put("run", b"a", make_meta())
    fs.put("other", b"b", make_meta())
    assert fs.delete_execution("run") == 1
    assert sorted(os.listdir(fs.root)) == ["other"]
    assert fs.put("run", b"again", make_meta()).seq == 1


def test_queries_do_not_create_directories(fs: FileSystemStore) -> None:
    fs.list("ghost")
    fs.latest("ghost")
    fs.status("ghost")
    for call in (lambda: fs.delete("ghost", 1), lambda: fs.rollback("ghost", 1)):
        with pytest.raises(SnapshotNotFoundError):
            call()
    with pytest.raises(SnapshotNotFoundError):
        fs.set_status("ghost", "completed")
    assert os.listdir(fs.root) == []


def test_without_fsync_the_store_behaves_the_same(tmp_path: Path) -> None:
    store = FileSystemStore(tmp_path, fsync=False)
    store.put("run", b"a", make_meta())
    assert store.get("run") == b"a"


def _churn(root: str, role: str, rounds: int, start: Any) -> None:
    store = FileSystemStore(root)
    start.wait()
    for i in range(rounds):
        if role == "deleter":
            store.delete_execution("x")
        else:
            store.put("x", make_blob(0, i), make_meta(f"{role}-{i}"))


def test_writers_and_a_deleter_in_separate_processes_stay_consistent(tmp_path: Path) -> None:
    ctx = multiprocessing.get_context("fork")
    start = ctx.Barrier(3)
    roles = [("writer1", 40), ("writer2", 40), ("deleter", 25)]
    procs = [ctx.Process(target=_churn, args=(str(tmp_path), role, n, start)) for role, n in roles]
    for proc in procs:
        proc.start()
    for proc in procs:
        proc.join(timeout=60)
        assert proc.exitcode == 0
    store = FileSystemStore(tmp_path)
    refs = store.list("x")
    assert [r.seq for r in refs] == sorted({r.seq for r in refs})
    for ref in refs:
        check_blob(store.get("x", ref.seq))
    leftovers = set(os.listdir(tmp_path / "x")) - {".lock", "index.json"} if refs else set()
    assert leftovers == {snapshot_file_name(r.seq, r.label) for r in refs}
    store.put("x", b"after", make_meta())
    assert store.get("x") == b"after"
