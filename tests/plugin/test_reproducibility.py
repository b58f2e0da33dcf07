"""Recording runs the workflow twice and refuses a golden when the runs differ."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from tests.plugin.support import JsonServer, WfPytester

TEST = """
import pytest

@pytest.mark.wf_snapshot(
    workflow="workflows/ticks.json",
    config={"allow_http": True, "allow_localhost": True},
)
def test_ticks(wf_snapshot):
    wf_snapshot.run()
"""


@pytest.fixture
def ticking(wf: WfPytester) -> Iterator[WfPytester]:
    server = JsonServer(lambda calls: {"tick": calls, "name": "clock"})
    wf.write_workflow(
        "ticks",
        {
            "nodes": [
                {"id": "fetch", "type": "http", "data": {"url": server.url}},
                {"id": "name", "type": "extract", "data": {"field": "name"}},
            ],
            "edges": [{"source": "fetch", "target": "name"}],
        },
    )
    yield wf
    server.close()


def test_differing_runs_refuse_the_golden(ticking: WfPytester, mode: str) -> None:
    ticking.write_test("test_ticks", TEST)
    result = ticking.run_mode(mode, "--wf-record")
    result.assert_outcomes(failed=1)
    result.stdout.fnmatch_lines(
        [
            "*recording refused for fixtures/test_ticks/test_ticks.golden.json: two runs of "
            "workflows/ticks.json differ (the workflow is not reproducible; pin what varies, "
            "or leave it out with ignore=...):",
            "*node fetch:",
            "*~ $.results.fetch.tick: 1.0 -> 2.0",
            "*re-record this test with: pytest --wf-record 'test_ticks.py::test_ticks'",
        ]
    )
    result.stdout.fnmatch_lines(["*golden files: 0 recorded, * 1 failed*"])
    assert ticking.goldens() == {}


def test_ignored_paths_make_it_recordable(ticking: WfPytester) -> None:
    ticking.write_test(
        "test_ticks",
        TEST.replace(
            "config={",
            'ignore=["$.results.fetch.tick", "$.http_recordings.fetch.tick"], config={',
        ),
    )
    ticking.run("--wf-record").assert_outcomes(passed=1)
    golden = ticking.golden("test_ticks/test_ticks.golden.json")
    assert golden["final"]["results"]["fetch"] == {"name": "clock", "tick": 2.0}
    ticking.run().assert_outcomes(passed=1)
