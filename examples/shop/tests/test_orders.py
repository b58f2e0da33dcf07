"""The orders workflow: totals of in-stock order lines, with the run's state checked too."""

import pytest


@pytest.mark.wf_snapshot(workflow="workflows/orders.json")
def test_orders_total(wf_snapshot):
    result = wf_snapshot.run()  # record: live run, golden written; replay: checked run
    assert result.final_output == {"total": 150}


@pytest.mark.wf_snapshot(workflow="workflows/orders.json", start_after="fetch_orders")
def test_pricing_from_recorded_fetch(wf_snapshot):
    # Replay starts from the state recorded right after fetch_orders: the nodes before it are
    # not run again, the rest runs for real and is checked against the recorded final state.
    result = wf_snapshot.run()
    assert result.node_results["in_stock"]["output_count"] == 2
