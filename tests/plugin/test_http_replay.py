"""An HTTP node recorded against a local server replays with the network blocked."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from tests.plugin.support import JsonServer, WfPytester

SECRET = "s3cr3t-token-value"
TEST = """
import pytest

CONFIG = {"allow_http": True, "allow_localhost": True}

@pytest.mark.wf_snapshot(workflow="workflows/orders.json", config=CONFIG)
def test_orders(wf_snapshot):
    result = wf_snapshot.run()
    assert result.final_output == {"field": "total", "value": 150}

@pytest.mark.wf_snapshot(workflow="workflows/orders.json", config=CONFIG, start_after="fetch")
def test_from_fetch(wf_snapshot):
    assert wf_snapshot.run().final_output["value"] == 150
"""
NO_NETWORK = """
import socket

_connect, _connect_ex = socket.socket.connect, socket.socket.connect_ex

def _blocked(self, *args, **kwargs):
    raise OSError("network access during replay")

def pytest_configure(config):
    socket.socket.connect = _blocked
    socket.socket.connect_ex = _blocked

def pytest_unconfigure(config):
    socket.socket.connect, socket.socket.connect_ex = _connect, _connect_ex
"""


@pytest.fixture
def server() -> Iterator[JsonServer]:
    srv = JsonServer(lambda calls: {"orders": [100, 50], "total": 150})
    yield srv
    srv.close()


@pytest.fixture
def orders(wf: WfPytester, server: JsonServer) -> WfPytester:
    wf.write_workflow(
        "orders",
        {
            "nodes": [
                {
                    "id": "fetch",
                    "type": "http",
                    "data": {
                        "url": f"{server.url}?api_key={SECRET}&page=1",
                        "headers": {"Authorization": f"Bearer {SECRET}", "Accept": "json"},
                    },
                },
                {"id": "total", "type": "extract", "data": {"field": "total"}},
            ],
            "edges": [{"source": "fetch", "target": "total"}],
        },
    )
    wf.write_test("test_orders", TEST)
    return wf


def test_record_live_then_replay_without_network(
    orders: WfPytester, server: JsonServer, mode: str
) -> None:
    orders.run_mode(mode, "--wf-record").assert_outcomes(passed=2)
    # real execution, twice per test (the reproducibility check)
    assert len(server.requests) == 4
    recorded = orders.golden("test_orders/test_orders.golden.json")
    assert recorded["final"]["http_recordings"]["fetch"] == {"orders": [100, 50], "total": 150}
    assert recorded["final"]["http_call_count"] == 1

    orders.pytester.makeconftest(NO_NETWORK)
    result = orders.run_mode(mode)
    result.assert_outcomes(passed=2)
    result.stdout.fnmatch_lines(["*golden files: 0 recorded, 0 updated, 0 unchanged, 2 checked*"])
    assert len(server.requests) == 4  # the replay did not reach the server


def test_network_block_is_effective(orders: WfPytester, server: JsonServer) -> None:
    """Without goldens the live run meets the blocked network: the block is real."""
    orders.pytester.makeconftest(NO_NETWORK)
    result = orders.run("--wf-record")
    result.assert_outcomes(failed=2)
    result.stdout.fnmatch_lines(
        [
            "*no state after node(s) fetch can be recorded: the node did not run in the recorded "
            "run of workflows/orders.json (the run failed first: error executing node fetch: "
            "*network access during replay)*"
        ]
    )
    assert server.requests == []


def test_goldens_hold_no_secrets(orders: WfPytester) -> None:
    orders.run("--wf-record").assert_outcomes(passed=2)
    for name, data in orders.goldens().items():
        text = data.decode()
        assert SECRET not in text, name
        assert '"Authorization": "[REDACTED]"' in text
        assert "api_key=%5BREDACTED%5D&page=1" in text
        assert '"Accept": "json"' in text
