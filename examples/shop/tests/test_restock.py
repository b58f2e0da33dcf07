"""The restock workflow, tested with the fixture's building blocks instead of the marker."""

import pytest


def test_restock_routes_low_stock(wf_snapshot):
    result = wf_snapshot.run(workflow="workflows/restock.json")
    assert result.node_results["stock_band"]["output_path"] == "low"
    assert "log_ok" not in result.node_results  # the "ok" branch was skipped


@pytest.mark.wf_snapshot(workflow="workflows/restock.json", states=["stock_band"])
def test_resume_from_recorded_state(wf_snapshot):
    result = wf_snapshot.run()
    # The recorded "state after stock_band" is an ordinary snapshot: restore it and finish the
    # run by hand; it must reach the recorded final state.
    start = wf_snapshot.start_state(after="stock_band")
    assert start.completed_nodes[-1] == "stock_band"
    resumed = wf_snapshot.engine_from(start).execute()
    assert resumed.node_results == result.node_results
    wf_snapshot.assert_matches(resumed)
