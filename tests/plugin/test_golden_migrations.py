"""The golden migration table and the in-memory reading of every golden version (no pytester)."""

from __future__ import annotations

import copy
import json
from pathlib import Path
from typing import Any

import pytest

from pytest_wfsnap.errors import GoldenFileError
from pytest_wfsnap.plugin.golden import (
    GOLDEN_VERSION,
    SUPPORTED_GOLDEN_VERSIONS,
    golden_bytes,
    load_golden,
    writer,
)
from pytest_wfsnap.plugin.golden_migrations import (
    GOLDEN_MIGRATIONS,
    migrate_documents,
    oldest_snapshot_version,
    v1_to_v2,
)
from pytest_wfsnap.snapshot import FORMAT_VERSION
from tests.plugin.support import ROOT

DATA = ROOT / "tests" / "data" / "goldens"
CURRENT = "v2-snapshots-2.1.0.golden.json"  # the current format
SHOWN = Path("fixtures/test_calc/test_calc.golden.json")


def raw(name: str) -> dict[str, Any]:
    data: dict[str, Any] = json.loads((DATA / name).read_text())
    return data


def test_the_table_leads_from_every_old_version_to_the_current_one() -> None:
    assert (*sorted(GOLDEN_MIGRATIONS), GOLDEN_VERSION) == SUPPORTED_GOLDEN_VERSIONS
    for version, step in GOLDEN_MIGRATIONS.items():
        assert step.source == version and step.target == version + 1 and step.summary
    assert GOLDEN_VERSION == 2


def test_v1_to_v2_is_pure() -> None:
    doc = raw("v1.golden.json")
    kept = copy.deepcopy(doc)
    out = v1_to_v2(doc)
    assert doc == kept
    assert out == {**kept, "version": 2, "written_by": None, "snapshot_version": "2.0.0"}


def test_snapshot_version_of_an_old_golden_is_its_oldest_document() -> None:
    go = raw("v1-go-snapshots.golden.json")
    assert oldest_snapshot_version(go) == "1.0.0"
    mixed = {**raw("v1.golden.json"), "snapshots": go["snapshots"]}
    assert oldest_snapshot_version(mixed) == "1.0.0"
    assert oldest_snapshot_version({"final": None}) == FORMAT_VERSION


def test_current_documents_are_left_alone() -> None:
    doc = raw(CURRENT)
    out, older = migrate_documents(doc, SHOWN)
    assert out is doc and older == ()
    mixed = {**doc, "snapshots": raw("v1-go-snapshots.golden.json")["snapshots"]}
    out, older = migrate_documents(mixed, SHOWN)
    assert older == ("1.0.0",)
    assert out["final"] is doc["final"]
    assert {d["version"] for d in out["snapshots"].values()} == {FORMAT_VERSION}


@pytest.mark.parametrize(
    ("name", "source", "migrated"),
    [
        ("v1.golden.json", "golden version 1, snapshot format 2.0.0", True),
        ("v1-go-snapshots.golden.json", "golden version 1, snapshot format 1.0.0", True),
        ("v2.golden.json", "golden version 2, snapshot format 2.0.0", True),
        (CURRENT, "golden version 2, snapshot format 2.1.0", False),
    ],
)
def test_every_sample_loads_in_the_current_format(name: str, source: str, migrated: bool) -> None:
    loaded = load_golden((DATA / name).read_bytes(), SHOWN)
    assert loaded.source == source and loaded.migrated is migrated
    golden = loaded.golden
    assert golden.version == GOLDEN_VERSION and golden.snapshot_version == FORMAT_VERSION
    assert golden.final is not None and golden.final["version"] == FORMAT_VERSION
    assert golden.final["completed_nodes"] == ["a", "b", "sum", "total", "acc", "count"]
    assert golden.start_states["sum"]["current_level"] == 3
    assert golden.written_by == raw(name).get("written_by")


def test_a_migrated_golden_encodes_like_the_current_sample() -> None:
    current = (DATA / CURRENT).read_bytes()
    expected = current.replace(
        json.dumps(raw(CURRENT)["written_by"]).encode(), json.dumps(writer()).encode()
    )
    for old in ("v1.golden.json", "v2.golden.json"):
        assert load_golden((DATA / old).read_bytes(), SHOWN).current_bytes() == expected
    assert load_golden(current, SHOWN).current_bytes() == current


@pytest.mark.parametrize("version", ["1", True, 0, None, 1.0])
def test_an_invalid_version_is_refused(version: object) -> None:
    doc = {**raw("v1.golden.json"), "version": version}
    with pytest.raises(GoldenFileError) as info:
        load_golden(json.dumps(doc).encode(), SHOWN)
    assert str(info.value) == (
        f"golden file {SHOWN} has format version {version!r}; this release ({writer()}) reads "
        "golden format versions 1, 2; it may have been edited by hand: record it again"
    )


def test_golden_bytes_keeps_a_file_differing_only_in_its_writer() -> None:
    loaded = load_golden((DATA / CURRENT).read_bytes(), SHOWN)
    golden = loaded.golden.model_copy(update={"written_by": "pytest-wfsnap 99"})
    original = (DATA / CURRENT).read_bytes()
    assert golden_bytes(golden, original) == original
    changed = golden.model_copy(update={"seed": 7})
    assert golden_bytes(changed, original) != original
    for name in ("v1.golden.json", "v2.golden.json"):
        old = (DATA / name).read_bytes()
        assert golden_bytes(golden, old) != old  # an older format is always rewritten
    reformatted = json.dumps(json.loads(original)).encode()
    assert golden_bytes(golden, reformatted) != reformatted  # so is a non-canonical file
