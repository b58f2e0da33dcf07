"""SQLiteStore specifics: WAL mode, schema version, connections across fork."""

from __future__ import annotations

import multiprocessing
import sqlite3
from pathlib import Path

import pytest

from pytest_wfsnap.errors import StorageError
from pytest_wfsnap.storage import SQLiteStore
from tests.storage.support import make_meta


def test_database_uses_wal_and_records_its_schema_version(tmp_path: Path) -> None:
    SQLiteStore(tmp_path / "s.db").close()
    conn = sqlite3.connect(tmp_path / "s.db")
    try:
        assert conn.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
        assert conn.execute("PRAGMA user_version").fetchone()[0] == 1
    finally:
        conn.close()


def test_a_database_from_a_newer_release_is_refused(tmp_path: Path) -> None:
    conn = sqlite3.connect(tmp_path / "s.db")
    conn.execute("PRAGMA user_version = 7")
    conn.close()
    with pytest.raises(StorageError, match=r"s\.db.*schema version 7"):
        SQLiteStore(tmp_path / "s.db")


def test_an_unopenable_path_is_a_storage_error(tmp_path: Path) -> None:
    with pytest.raises(StorageError, match="cannot open snapshot database"):
        SQLiteStore(tmp_path / "missing-dir" / "s.db")


def _put_from_child(store: SQLiteStore) -> None:
    store.put("run", b"from-child", make_meta("child"))


def test_a_forked_child_uses_its_own_connection(tmp_path: Path) -> None:
    store = SQLiteStore(tmp_path / "s.db")
    store.put("run", b"from-parent", make_meta("parent"))
    child = multiprocessing.get_context("fork").Process(target=_put_from_child, args=(store,))
    child.start()
    child.join(timeout=30)
    assert child.exitcode == 0
    assert [r.label for r in store.list("run")] == ["parent", "child"]
    assert store.get("run") == b"from-child"
    store.put("run", b"parent-again", make_meta("parent"))
    assert [r.seq for r in store.list("run")] == [1, 2, 3]
    store.close()


def test_a_non_durable_store_works_the_same(tmp_path: Path) -> None:
    with SQLiteStore(tmp_path / "s.db", durable=False) as store:
        store.put("run", b"x", make_meta())
        assert store.get("run") == b"x"
