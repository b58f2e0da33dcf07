"""Fixtures of the plugin tests (helpers in support.py)."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from tests.plugin.support import WfPytester


@pytest.fixture
def wf(pytester: pytest.Pytester, monkeypatch: pytest.MonkeyPatch) -> Iterator[WfPytester]:
    yield WfPytester(pytester, monkeypatch)


@pytest.fixture(params=["serial", "xdist"])
def mode(request: pytest.FixtureRequest) -> str:
    value: str = request.param
    return value
