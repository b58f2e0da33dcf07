"""The delay node waits through rt.sleep (recorded by the fake runtime, never real)."""

from __future__ import annotations

import pytest

from pytest_wfsnap.engine.nodes.delay import DelayExecutor
from pytest_wfsnap.errors import NodeError
from tests.engine.nodes.fakes import START, FakeRuntime, run


@pytest.mark.parametrize(
    ("duration", "seconds"),
    [
        ("10ms", 0.01),
        ("5", 0.005),  # a bare integer is milliseconds
        ("1.5s", 1.5),
        ("2h45m", 9900.0),
        ("1us", 1e-6),
        ("0", 0.0),
        ("-1s", 0.0),  # a negative wait returns at once
    ],
)
def test_delay_sleeps_the_parsed_duration(duration: str, seconds: float) -> None:
    rt = FakeRuntime()
    result = run(DelayExecutor, {"duration": duration}, [1.0], rt)
    assert result == {"value": 1.0, "duration": duration, "delayed": True}
    assert rt.sleeps == [pytest.approx(seconds)]


def test_delay_without_input_passes_null() -> None:
    rt = FakeRuntime()
    assert run(DelayExecutor, {"duration": "1s"}, [], rt) == {
        "value": None,
        "duration": "1s",
        "delayed": True,
    }
    assert rt.sleeps == [1.0]
    assert (rt.now() - START).total_seconds() == 1.0


@pytest.mark.parametrize("duration", ["soon", "", "5 s", "1d"])
def test_delay_invalid_duration_does_not_sleep(duration: str) -> None:
    rt = FakeRuntime()
    with pytest.raises(NodeError) as info:
        run(DelayExecutor, {"duration": duration}, [1.0], rt)
    assert str(info.value) == (
        f"invalid duration format: invalid duration format: {duration} "
        "(use formats like '5s', '10m', '1h')"
    )
    assert rt.sleeps == []
