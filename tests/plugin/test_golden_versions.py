"""Golden format versions: old goldens replay as they are, ``--wf-migrate-goldens`` and
``wfsnap migrate`` rewrite them in the current format, a newer format is refused clearly.

The samples are frozen (``tests/data/goldens``, see its README): one per golden version, and one
holding the Go engine's 1.0.0 snapshot documents.
"""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

import pytest

from pytest_wfsnap.cli import main
from pytest_wfsnap.snapshot import FORMAT_VERSION
from tests.plugin.support import ROOT, WfPytester

DATA = ROOT / "tests" / "data" / "goldens"
V1, V1_GO, V2 = "v1.golden.json", "v1-go-snapshots.golden.json", "v2.golden.json"
V2_1 = "v2-snapshots-2.1.0.golden.json"  # the current format
SHOWN = "fixtures/{module}/test_calc.golden.json"
OLDER_FORMAT_LINE = (
    "*{n} golden file(s) in an older format were read as they are; rewrite them in the current "
    "format with: pytest --wf-migrate-goldens"
)


def install(wf: WfPytester, sample: str, module: str = "test_calc") -> Path:
    """The sample's test module, workflow and golden in the pytester project."""
    wf.write_workflow("calc", json.loads((DATA / "workflows" / "calc.json").read_text()))
    wf.write_test(module, (DATA / "test_calc.py.txt").read_text())
    path = wf.path / SHOWN.format(module=module)
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes((DATA / sample).read_bytes())
    return path


def state(path: Path) -> tuple[bytes, int]:
    return path.read_bytes(), path.stat().st_mtime_ns


def load(path: Path) -> dict[str, Any]:
    data: dict[str, Any] = json.loads(path.read_text())
    return data


def documents(golden: dict[str, Any]) -> list[dict[str, Any]]:
    return [golden["final"], *golden["start_states"].values(), *golden["snapshots"].values()]


def sample(name: str) -> dict[str, Any]:
    return load(DATA / name)


# --- transparent reading -------------------------------------------------------------------------


def test_the_samples_are_what_their_readme_says() -> None:
    v1, go, v2 = sample(V1), sample(V1_GO), sample(V2)
    assert v1["version"] == 1 and "written_by" not in v1 and "snapshot_version" not in v1
    assert {doc["version"] for doc in documents(v1)} == {"2.0.0"}
    assert go["version"] == 1 and {doc["version"] for doc in documents(go)} == {"1.0.0"}
    assert "AllowHTTP" in go["final"]["config"] and "status" not in go["final"]
    assert v2["version"] == 2 and v2["snapshot_version"] == "2.0.0"
    assert v2["written_by"].startswith("pytest-wfsnap ")
    v2_1 = sample(V2_1)
    assert v2_1["version"] == 2 and v2_1["snapshot_version"] == "2.1.0"
    assert {doc["version"] for doc in documents(v2_1)} == {"2.1.0"}
    assert v2_1["start_states"]["sum"]["pending_nodes"] == ["total", "acc", "count"]
    assert v2_1 == {
        **v2,
        "snapshot_version": "2.1.0",
        **{
            part: {
                name: {
                    **doc,
                    "version": "2.1.0",
                    "pending_nodes": v2_1[part][name]["pending_nodes"],
                }
                for name, doc in v2[part].items()
            }
            for part in ("start_states", "snapshots")
        },
        "final": {**v2["final"], "version": "2.1.0", "pending_nodes": []},
    }
    for golden in (v1, go, v2, v2_1):
        assert set(golden["start_states"]) == {"sum", "total"}
        assert set(golden["snapshots"]) == {"after_sum", "resumed_end"}


@pytest.mark.parametrize("name", [V1, V1_GO, V2, V2_1])
def test_every_sample_replays_without_writing(wf: WfPytester, name: str) -> None:
    path = install(wf, name)
    before = state(path)
    result = wf.run()
    result.assert_outcomes(passed=1)
    result.stdout.fnmatch_lines(["*golden files: *, 1 checked, 0 failed, 0 unused"])
    if name == V2_1:
        assert "older format" not in result.stdout.str()
    else:
        result.stdout.fnmatch_lines([OLDER_FORMAT_LINE.format(n=1)])
    assert state(path) == before


def test_drift_is_still_caught_in_an_old_golden(wf: WfPytester) -> None:
    path = install(wf, V1_GO)
    golden = load(path)
    golden["final"]["results"]["sum"] = 16
    wf.write_golden("test_calc/test_calc.golden.json", golden)
    result = wf.run()
    result.assert_outcomes(failed=1)
    result.stdout.fnmatch_lines(["*workflow run drifted from the recording*", "*sum*16*15*"])


def test_ci_rewrites_old_goldens_only_with_the_flag(
    wf: WfPytester, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("CI", "true")
    path = install(wf, V1)
    before = state(path)
    plain = wf.run()
    plain.assert_outcomes(passed=1)
    plain.stdout.fnmatch_lines(["*CI set: no writes without --wf-record*"])
    assert state(path) == before
    asked = wf.run("--wf-migrate-goldens")
    asked.assert_outcomes(passed=1)
    asked.stdout.fnmatch_lines(
        [
            "wfsnap: replay (writes only goldens in an older format, rewritten by "
            "--wf-migrate-goldens); CI set: no recording without --wf-record*",
            "*golden files: *, 1 checked, 0 failed, 0 unused, 1 migrated",
        ]
    )
    assert load(path)["version"] == 2


# --- --wf-migrate-goldens ------------------------------------------------------------------------


def test_migration_writes_what_a_fresh_recording_writes(wf: WfPytester, mode: str) -> None:
    path = install(wf, V1)
    migrated = wf.run_mode(mode, "--wf-migrate-goldens")
    migrated.assert_outcomes(passed=1)
    migrated.stdout.fnmatch_lines(["*golden files: *, 1 checked, 0 failed, 0 unused, 1 migrated"])
    assert "older format were read" not in migrated.stdout.str()
    data = path.read_bytes()
    golden = json.loads(data)
    assert golden["version"] == 2 and golden["snapshot_version"] == FORMAT_VERSION
    assert golden["written_by"].startswith("pytest-wfsnap ")
    # the content of the current sample, which was migrated from the same recording
    old = sample(V1)
    assert golden == {**sample(V2_1), "written_by": golden["written_by"]}
    # a recording over it (which keeps the recorded clock) writes exactly these bytes
    rerecorded = wf.run("--wf-record")
    rerecorded.stdout.fnmatch_lines(["*golden files: 0 recorded, 0 updated, 1 unchanged*"])
    assert path.read_bytes() == data
    # and so does a recording from scratch, once its clock (the volatile value) is the same
    wf.run("--wf-record", "--wf-fixtures-dir=fresh").assert_outcomes(passed=1)
    fresh = (wf.path / "fresh" / "test_calc" / "test_calc.golden.json").read_text()
    fresh_clock = json.loads(fresh)["clock"]
    assert re.fullmatch(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ", fresh_clock)
    assert fresh.replace(fresh_clock, old["clock"]).encode() == data
    # a current golden is not rewritten
    before = state(path)
    again = wf.run_mode(mode, "--wf-migrate-goldens")
    again.assert_outcomes(passed=1)
    again.stdout.fnmatch_lines(["*, 0 unused, 0 migrated"])
    assert state(path) == before


def test_recording_over_an_old_golden_updates_it(wf: WfPytester) -> None:
    path = install(wf, V1)
    result = wf.run("--wf-record")
    result.stdout.fnmatch_lines(["*golden files: 0 recorded, 1 updated, 0 unchanged*"])
    golden = load(path)
    assert golden["version"] == 2 and golden["clock"] == sample(V1)["clock"]


def test_go_snapshot_documents_are_migrated(wf: WfPytester, mode: str) -> None:
    plain_path = install(wf, V1)
    go_path = install(wf, V1_GO, module="test_go")
    before = state(plain_path), state(go_path)
    replayed = wf.run_mode(mode)
    replayed.assert_outcomes(passed=2)
    replayed.stdout.fnmatch_lines([OLDER_FORMAT_LINE.format(n=2)])
    assert (state(plain_path), state(go_path)) == before
    migrated = wf.run_mode(mode, "--wf-migrate-goldens")
    migrated.assert_outcomes(passed=2)
    migrated.stdout.fnmatch_lines(["*golden files: *, 2 checked, 0 failed, 0 unused, 2 migrated"])
    golden = load(go_path)
    assert golden["snapshot_version"] == FORMAT_VERSION
    assert {doc["version"] for doc in documents(golden)} == {FORMAT_VERSION}
    # the Go documents now say what this release's recording says, except the seed Go lacks
    recorded = load(plain_path)
    for part in ("start_states", "snapshots"):
        for name, doc in recorded[part].items():
            assert golden[part][name] == {**doc, "random_seed": None}
    assert golden["final"] == {**recorded["final"], "random_seed": None}
    assert golden["final"]["completed_nodes"] == ["a", "b", "sum", "total", "acc", "count"]
    assert golden["final"]["results"]["sum"] == 15.0
    assert isinstance(golden["final"]["results"]["sum"], float)
    wf.run_mode(mode).assert_outcomes(passed=2)


# --- newer formats are refused --------------------------------------------------------------------


def test_a_newer_golden_version_is_refused(wf: WfPytester) -> None:
    path = install(wf, V2)
    golden = load(path)
    golden.update(version=3, written_by="pytest-wfsnap 9.0.0")
    wf.write_golden("test_calc/test_calc.golden.json", golden)
    before = state(path)
    result = wf.run("--wf-migrate-goldens")
    result.assert_outcomes(failed=1)
    result.stdout.fnmatch_lines(
        [
            "*golden file fixtures/test_calc/test_calc.golden.json has format version 3 "
            "(written by pytest-wfsnap 9.0.0); this release (pytest-wfsnap *) reads golden "
            "format versions 1, 2; it comes from a newer release: upgrade pytest-wfsnap to "
            "read it",
            "*re-record this test with: pytest --wf-record 'test_calc.py::test_calc'",
        ]
    )
    assert state(path) == before


def test_a_newer_snapshot_format_is_refused(wf: WfPytester) -> None:
    path = install(wf, V2_1)
    golden = load(path)
    wf.write_golden("test_calc/test_calc.golden.json", {**golden, "snapshot_version": "3.0.0"})
    result = wf.run()
    result.assert_outcomes(failed=1)
    result.stdout.fnmatch_lines(
        [
            "*golden file fixtures/test_calc/test_calc.golden.json holds snapshots of format "
            "version '3.0.0'; this release (pytest-wfsnap *) reads snapshot format versions "
            "1.0.0, 2.0.0, 2.1.0: upgrade pytest-wfsnap to read it"
        ]
    )
    golden["start_states"]["sum"]["version"] = "3.0.0"
    wf.write_golden("test_calc/test_calc.golden.json", golden)
    result = wf.run("--wf-migrate-goldens")
    result.assert_outcomes(failed=1)
    result.stdout.fnmatch_lines(
        [
            "*golden file fixtures/test_calc/test_calc.golden.json: the state after 'sum' is "
            "not a valid snapshot: unsupported snapshot version: 3.0.0*a newer version needs a "
            "newer pytest-wfsnap"
        ]
    )
    assert load(path)["start_states"]["sum"]["version"] == "3.0.0"


def test_rerecording_ignores_a_different_writer(wf: WfPytester) -> None:
    path = install(wf, V2_1)
    golden = load(path)
    wf.write_golden("test_calc/test_calc.golden.json", {**golden, "written_by": "pytest-wfsnap 0"})
    before = state(path)
    result = wf.run("--wf-record")
    result.stdout.fnmatch_lines(["*golden files: 0 recorded, 0 updated, 1 unchanged*"])
    assert state(path) == before


# --- wfsnap migrate ----------------------------------------------------------------------------


def wfsnap(capsys: pytest.CaptureFixture[str], *args: str | Path) -> tuple[int, str, str]:
    code = main([str(arg) for arg in args])
    out, err = capsys.readouterr()
    return code, out, err


def test_wfsnap_migrate_a_goldens_directory(
    wf: WfPytester, capsys: pytest.CaptureFixture[str]
) -> None:
    plain_path = install(wf, V1)
    go_path = install(wf, V1_GO, module="test_go")
    fixtures = wf.path / "fixtures"
    (fixtures / "notes.json").write_text('{"not": "a golden"}')
    before = state(plain_path), state(go_path)
    code, out, _ = wfsnap(capsys, "migrate", fixtures, "--check")
    assert code == 1
    assert out.splitlines() == [
        f"needs migration: {plain_path} (golden version 1, snapshot format 2.0.0)",
        f"needs migration: {go_path} (golden version 1, snapshot format 1.0.0)",
    ]
    assert (state(plain_path), state(go_path)) == before
    code, out, _ = wfsnap(capsys, "migrate", fixtures)
    assert code == 0
    current = f"golden version 2, snapshot format {FORMAT_VERSION}"
    assert out.splitlines() == [
        f"migrated: {plain_path} (golden version 1, snapshot format 2.0.0 -> {current})",
        f"migrated: {go_path} (golden version 1, snapshot format 1.0.0 -> {current})",
    ]
    code, out, _ = wfsnap(capsys, "migrate", fixtures)
    assert code == 0 and out.count("up to date: ") == 2
    # the command wrote what the plugin writes: the plugin finds nothing left to migrate,
    # and a recording writes the same bytes
    replayed = wf.run("--wf-migrate-goldens")
    replayed.assert_outcomes(passed=2)
    replayed.stdout.fnmatch_lines(["*, 2 checked, 0 failed, 0 unused, 0 migrated"])
    data = plain_path.read_bytes()
    wf.run("--wf-record", "test_calc.py").stdout.fnmatch_lines(["*0 updated, 1 unchanged*"])
    assert plain_path.read_bytes() == data


def test_wfsnap_migrate_golden_errors(wf: WfPytester, capsys: pytest.CaptureFixture[str]) -> None:
    path = install(wf, V1)
    before = state(path)
    code, _, err = wfsnap(capsys, "migrate", path, "--format", "binary", "--decrypt")
    assert code == 2
    assert (
        f"{path} is a golden file (plain JSON); --format, --decrypt can only be used with " in err
    )
    code, _, err = wfsnap(capsys, "migrate", wf.path / "workflows")
    assert code == 2 and "no golden files (*.golden.json) in this directory" in err
    code, _, err = wfsnap(capsys, "migrate", wf.path / "fixtures", "--output", wf.path / "x")
    assert code == 2 and "--output needs exactly one FILE" in err
    newer = wf.path / "newer.golden.json"
    newer.write_text(json.dumps({**sample(V2), "version": 7}))
    code, out, err = wfsnap(capsys, "migrate", newer, path)
    assert code == 2
    assert "has format version 7" in err and "upgrade pytest-wfsnap" in err
    assert f"migrated: {path}" in out  # the other files are still migrated
    assert state(path) != before
    target = wf.path / "copy" / "v2.golden.json"
    code, out, _ = wfsnap(capsys, "migrate", DATA / V1, "--output", target)
    assert code == 0 and f"-> {target}" in out
    assert target.read_bytes() == path.read_bytes()
