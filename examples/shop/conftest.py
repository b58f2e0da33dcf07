"""Example project wiring: a local stand-in for the rates service, started only while recording.

Replays (plain ``pytest``) never start it: HTTP nodes are served from the golden files.
"""

from __future__ import annotations

from collections.abc import Iterator

import pytest
import rates_service


@pytest.fixture(scope="session", autouse=True)
def rates_service_while_recording(request: pytest.FixtureRequest) -> Iterator[None]:
    if request.config.getoption("wf_record") in (None, "none"):
        yield
        return
    server = rates_service.start()
    try:
        yield
    finally:
        server.shutdown()
        server.server_close()
