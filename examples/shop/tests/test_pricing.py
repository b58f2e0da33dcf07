"""The pricing workflow calls the rates service over HTTP.

Recording needs the service (conftest.py starts a local one); replaying needs no network at all:
the HTTP node's response is served from the golden file.
"""

import pytest

LOCAL_HTTP = {"allow_http": True, "allow_localhost": True}


@pytest.mark.wf_snapshot(workflow="workflows/pricing.json", config=LOCAL_HTTP)
def test_price_in_euros(wf_snapshot):
    result = wf_snapshot.run()
    assert result.node_results["price_eur"] == pytest.approx(184.0)


@pytest.mark.wf_snapshot(
    workflow="workflows/pricing.json",
    config=LOCAL_HTTP,
    start_after="eur_rate",
    float_tolerance=1e-9,
)
def test_cache_and_variables_after_rate(wf_snapshot):
    result = wf_snapshot.run()
    assert result.node_results["rate_lookup"]["found"] is True
