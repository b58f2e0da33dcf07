"""Atomic writes: the target is always the old or the new complete content, never torn."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from pytest_wfsnap.errors import SnapshotTooLargeError, StorageError
from pytest_wfsnap.storage.atomic import (
    atomic_write_bytes,
    atomic_write_text,
    is_temp_name,
    read_bytes_limited,
    temp_name_for,
)
from tests.storage.support import check_blob

REPO = Path(__file__).resolve().parents[2]


def _names(directory: Path) -> list[str]:
    return sorted(os.listdir(directory))


def test_write_creates_and_replaces_the_file(tmp_path: Path) -> None:
    target = tmp_path / "golden.json"
    atomic_write_bytes(target, b"first")
    assert target.read_bytes() == b"first"
    atomic_write_bytes(str(target), b"second, longer")
    assert target.read_bytes() == b"second, longer"
    atomic_write_bytes(target, b"")
    assert target.read_bytes() == b""
    assert _names(tmp_path) == ["golden.json"]


def test_write_text_encodes_without_newline_translation(tmp_path: Path) -> None:
    target = tmp_path / "t.txt"
    atomic_write_text(target, "héllo\r\nwörld\n")
    assert target.read_bytes() == "héllo\r\nwörld\n".encode()
    atomic_write_text(target, "é", encoding="latin-1", fsync=False)
    assert target.read_bytes() == b"\xe9"


def test_new_files_get_the_usual_permissions(tmp_path: Path) -> None:
    old = os.umask(0o027)
    try:
        atomic_write_bytes(tmp_path / "f", b"x")
    finally:
        os.umask(old)
    assert (tmp_path / "f").stat().st_mode & 0o777 == 0o640


def test_failed_replace_keeps_the_old_content_and_removes_the_temp_file(tmp_path: Path) -> None:
    target = tmp_path / "occupied"
    target.mkdir()
    (target / "inside").write_text("keep")
    with pytest.raises(StorageError, match=r"cannot write .*occupied"):
        atomic_write_bytes(target, b"new")
    assert (target / "inside").read_text() == "keep"
    assert _names(tmp_path) == ["occupied"]


def test_missing_directory_is_a_storage_error(tmp_path: Path) -> None:
    with pytest.raises(StorageError, match="no-such-dir"):
        atomic_write_bytes(tmp_path / "no-such-dir" / "f", b"x")


def test_interrupt_during_write_removes_the_temp_file(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    target = tmp_path / "f"
    target.write_bytes(b"old")

    def interrupted(fd: int) -> None:
        raise KeyboardInterrupt

    monkeypatch.setattr(os, "fsync", interrupted)
    with pytest.raises(KeyboardInterrupt):
        atomic_write_bytes(target, b"new")
    assert target.read_bytes() == b"old"
    assert _names(tmp_path) == ["f"]


def test_temp_names_are_hidden_and_recognisable() -> None:
    name = temp_name_for("index.json")
    assert name.startswith(".index.json.") and is_temp_name(name)
    assert temp_name_for("a") != temp_name_for("a")
    for ordinary in ["index.json", ".lock", "00000001-auto.snap", ".tmp", "x.tmp"]:
        assert not is_temp_name(ordinary)


def test_read_bytes_limited(tmp_path: Path) -> None:
    target = tmp_path / "snap"
    target.write_bytes(b"0123456789")
    assert read_bytes_limited(target, 10) == b"0123456789"
    assert read_bytes_limited(target, None) == b"0123456789"
    with pytest.raises(SnapshotTooLargeError, match=r"10 bytes, more than the limit of 9"):
        read_bytes_limited(target, 9)
    with pytest.raises(StorageError, match=r"cannot read .*missing") as info:
        read_bytes_limited(tmp_path / "missing", 10)
    assert isinstance(info.value.__cause__, FileNotFoundError)
    with pytest.raises(StorageError, match="max_size"):
        read_bytes_limited(target, -1)


# --- a writer killed with SIGKILL ------------------------------------------------------------

_WRITER = """
import sys
from pytest_wfsnap.storage.atomic import atomic_write_bytes
from tests.storage.support import make_blob
target, round_ = sys.argv[1], int(sys.argv[2])
# sizes from 64 KiB to ~1 MiB, made up front so that the loop spends its time writing
blobs = [make_blob(round_, i, 65536 + (i * 389_017) % 983_040) for i in range(8)]
i = 0
while True:
    atomic_write_bytes(target, blobs[i % 8])
    i += 1
"""


@pytest.mark.skipif(sys.platform == "win32", reason="SIGKILL is POSIX")
def test_a_writer_killed_mid_write_never_leaves_a_torn_file(tmp_path: Path) -> None:
    target = tmp_path / "snapshot.bin"
    env = {**os.environ, "PYTHONPATH": str(REPO)}
    for round_, changes_before_kill in enumerate([3, 17, 41]):
        child = subprocess.Popen(
            [sys.executable, "-c", _WRITER, str(target), str(round_)], env=env, cwd=REPO
        )
        try:
            deadline = time.monotonic() + 30
            changes, previous = 0, (-1, -1)
            while changes < changes_before_kill:  # read concurrently: always complete
                assert time.monotonic() < deadline, "the writer made no progress"
                assert child.poll() is None, "the writer died on its own"
                if target.exists():
                    seen = check_blob(target.read_bytes())
                    if seen[0] == round_ and seen != previous:
                        changes, previous = changes + 1, seen
            os.kill(child.pid, signal.SIGKILL)
        finally:
            child.kill()
            child.wait()
        assert child.returncode == -signal.SIGKILL
        writer, index = check_blob(target.read_bytes())
        assert writer == round_ and 0 <= index < 8
        leftovers = [n for n in _names(tmp_path) if n != target.name]
        assert all(is_temp_name(n) for n in leftovers), leftovers
