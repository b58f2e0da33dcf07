"""Fixtures of the conformance harness."""

from __future__ import annotations

import pytest


@pytest.fixture(scope="session")
def httpserver_listen_address() -> tuple[str, int]:
    """Serve HTTP cases on 127.0.0.1 like Go's httptest server (any free port)."""
    return ("127.0.0.1", 0)
