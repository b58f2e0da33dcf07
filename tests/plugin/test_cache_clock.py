"""Cache TTLs are judged against the recorded clock: an old golden replays the same today."""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any

from tests.plugin.support import WfPytester

CACHE = {
    "nodes": [
        {"id": "v", "data": {"value": 7}},
        {"id": "set", "type": "cache", "data": {"cache_op": "set", "cache_key": "k", "ttl": "1h"}},
        {"id": "get", "type": "cache", "data": {"cache_op": "get", "cache_key": "k"}},
    ],
    "edges": [{"source": "v", "target": "set"}, {"source": "set", "target": "get"}],
}
TEST = """
import pytest

@pytest.mark.wf_snapshot(workflow="workflows/cache.json", start_after="set")
def test_cached(wf_snapshot):
    assert wf_snapshot.run().final_output["found"] is True
"""
GOLDEN = "test_cache/test_cached.golden.json"


def shift_times(value: Any, delta: timedelta) -> Any:
    """Every RFC 3339 time in a golden moved by ``delta`` (as if recorded at another time)."""
    if isinstance(value, dict):
        return {k: shift_times(v, delta) for k, v in value.items()}
    if isinstance(value, list):
        return [shift_times(v, delta) for v in value]
    if isinstance(value, str) and value.endswith("Z") and "T" in value:
        try:
            moment = datetime.fromisoformat(value.replace("Z", "+00:00"))
        except ValueError:
            return value
        return (moment + delta).isoformat().replace("+00:00", "Z")
    return value


def test_golden_recorded_a_month_ago_replays(wf: WfPytester, mode: str) -> None:
    wf.write_workflow("cache", CACHE)
    wf.write_test("test_cache", TEST)
    wf.run("--wf-record").assert_outcomes(passed=1)
    golden = wf.golden(GOLDEN)
    assert golden["start_states"]["set"]["cache"]["k"]["value"] == 7.0
    old = shift_times(golden, timedelta(days=-30))
    assert old["clock"] != golden["clock"]
    wf.write_golden(GOLDEN, old)
    # the cached entry expired 30 days ago by the wall clock, not by the recorded clock
    wf.run_mode(mode).assert_outcomes(passed=1)


def test_expired_by_the_recorded_clock_is_drift(wf: WfPytester) -> None:
    wf.write_workflow("cache", CACHE)
    wf.write_test("test_cache", TEST)
    wf.run("--wf-record").assert_outcomes(passed=1)
    golden = wf.golden(GOLDEN)
    # move only the recording clock two hours on: the 1h entry is expired at restore
    clock = datetime.fromisoformat(golden["clock"].replace("Z", "+00:00"))
    golden["clock"] = (clock + timedelta(hours=2)).isoformat().replace("+00:00", "Z")
    wf.write_golden(GOLDEN, golden)
    result = wf.run()
    result.assert_outcomes(failed=1)
    result.stdout.fnmatch_lines(["*node get:*", "*$.results.get.found: true -> false*"])
