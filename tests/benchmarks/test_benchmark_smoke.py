"""The benchmark suite's correctness checks on small inputs; no timing is judged here."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from benchmarks import inputs
from benchmarks.measure import MAX_ROUNDS, Case, interleaved, same
from benchmarks.plugin_project import Project
from benchmarks.run import GROUP_PREFIXES, GROUPS, collect, expected_keys, main
from benchmarks.settings import SMOKE, BenchmarkError
from benchmarks.table import render
from benchmarks.workloads import baseline, generate


def test_every_expected_row_belongs_to_a_group() -> None:
    prefixes = tuple(p for group in GROUPS for p in GROUP_PREFIXES[group])
    assert all(key.startswith(prefixes) for key in expected_keys(SMOKE))


@pytest.mark.parametrize("group", GROUPS)
def test_every_row_is_produced_with_checked_results(group: str) -> None:
    rows = collect(SMOKE, (group,))
    wanted = [k for k in expected_keys(SMOKE) if k.startswith(GROUP_PREFIXES[group])]
    assert [row.key for row in rows] == wanted, [row.note for row in rows]
    unavailable = {row.key: row.note for row in rows if not row.available}
    assert unavailable == {}
    for row in rows:
        assert row.figure is not None and row.figure > 0, row.key
        assert row.baseline is not None and row.baseline > 0, row.key
        assert row.verdict in ("PASS", "FAIL", "INFO"), row.key
    table = render(rows, {"cpu": "test"}, SMOKE.describe())
    for row in rows:
        assert row.label in table


def test_a_wrong_engine_result_aborts(monkeypatch: pytest.MonkeyPatch) -> None:
    def off_by_one(payload: dict[str, Any]) -> dict[str, Any]:
        results = baseline(payload)
        first = next(k for k, v in results.items() if isinstance(v, float))
        results[first] += 1
        return results

    monkeypatch.setattr(inputs, "baseline", off_by_one)
    monkeypatch.setattr(inputs, "_CACHE", {})
    with pytest.raises(BenchmarkError, match="differ from the bare loop's"):
        inputs.workload(50)


def test_the_bare_loop_matches_the_engine_on_every_node_kind() -> None:
    payload = generate(300)
    kinds = {node["type"] for node in payload["nodes"]}
    assert len(kinds) == 10
    work = inputs.workload(300)
    assert work.expected == baseline(payload)
    skipped = {node["id"] for node in payload["nodes"]} - set(work.expected)
    assert skipped  # the untaken condition branches really are skipped


def test_command_line_writes_the_rows_as_json(tmp_path: Path) -> None:
    out = tmp_path / "rows.json"
    status = main(["--sizes", "100,1000", "--rounds", "1", "--only", "engine", "--json", str(out)])
    assert status == 0
    document = json.loads(out.read_text())
    keys = [row["key"] for row in document["rows"]]
    assert keys == [key for key in expected_keys(SMOKE) if key.startswith("engine.")]
    assert {"cpu", "cores", "python"} <= set(document["machine"])


def test_plugin_sessions_keep_bytecode_caches(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("PYTHONDONTWRITEBYTECODE", "1")
    monkeypatch.setenv("PYTEST_ADDOPTS", "-x")
    env = Project(tmp_path / "project", nodes=20, cases=1, suite_tests=2).env()
    assert "PYTHONDONTWRITEBYTECODE" not in env  # else the cache below stays empty
    assert env["PYTHONPYCACHEPREFIX"] == str(tmp_path / "project" / ".pycache")
    assert "PYTEST_ADDOPTS" not in env


def test_fast_cases_get_more_rounds_within_the_budget() -> None:
    calls: list[str] = []
    cases = [Case(name, same(lambda name=name: calls.append(name))) for name in ("a", "b")]
    interleaved(cases, 2, budget=0.0)
    assert calls == ["a", "b", "a", "b"]  # exactly the rounds asked, alternating
    calls.clear()
    interleaved(cases, 2, budget=60.0)
    assert len(calls) == 2 * MAX_ROUNDS  # tiny cases: as many rounds as allowed
