"""Fixtures of the storage tests: one store of each kind (see support.py)."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from pytest_wfsnap.storage import SnapshotStore
from tests.storage.support import PERSISTENT_KINDS, STORE_KINDS, StoreFactory


@pytest.fixture(params=STORE_KINDS)
def factory(request: pytest.FixtureRequest, tmp_path: Path) -> StoreFactory:
    return StoreFactory(str(request.param), tmp_path)


@pytest.fixture(params=PERSISTENT_KINDS)
def persistent_factory(request: pytest.FixtureRequest, tmp_path: Path) -> StoreFactory:
    return StoreFactory(str(request.param), tmp_path)


@pytest.fixture
def store(factory: StoreFactory) -> Iterator[SnapshotStore]:
    opened = factory.make()
    yield opened
    opened.close()
