"""Engine overhead: ``engine.new(payload)`` + ``execute()`` against the bare loop, per size."""

from __future__ import annotations

from typing import Any

from benchmarks.inputs import bench_config, workload
from benchmarks.measure import Case, allocation_peak, interleaved, same
from benchmarks.settings import Settings
from benchmarks.table import Row, Target
from benchmarks.workloads import baseline
from pytest_wfsnap import engine
from pytest_wfsnap.engine.config import Config

LINEARITY = Target("<=", 12, on="figure", meaning="time grows at most 12x per 10x nodes")
OVERHEAD = Target("<=", 3, meaning="executing costs at most 3x the bare loop")


def engine_cases(payload: dict[str, Any], config: Config) -> list[Case]:
    """The bare loop; execute() of an engine built outside the timer; new() + execute()."""
    return [
        Case("bare", same(lambda: baseline(payload))),
        Case("execute", lambda: engine.new(payload, config).execute),
        Case("decode+execute", same(lambda: engine.new(payload, config).execute())),
    ]


def engine_rows(settings: Settings) -> list[Row]:
    config = bench_config()
    times: dict[int, dict[str, float]] = {}
    rows: list[Row] = []
    for n in settings.sizes:
        cases = engine_cases(workload(n).payload, config)
        medians = interleaved(cases, settings.rounds, settings.clock, budget=settings.budget)
        peaks = {c.name: allocation_peak(c.prepare) for c in cases} if settings.peaks else {}
        times[n] = medians
        bare = medians["bare"]
        for name in ("execute", "decode+execute"):
            rows.append(
                Row(
                    key=f"engine.{name.replace('+', '_')}.{n}",
                    label=f"engine {name} {n:,} nodes vs bare loop",
                    unit="time",
                    figure=medians[name],
                    baseline=bare,
                    target=OVERHEAD if name == "execute" else None,
                    peak_figure=peaks.get(name),
                    peak_baseline=peaks.get("bare"),
                    extra={
                        "us_per_node": medians[name] / n * 1e6,
                        "bare_us_per_node": bare / n * 1e6,
                    },
                )
            )
    rows += linearity_rows(times)
    return rows


def linearity_rows(times: dict[int, dict[str, float]]) -> list[Row]:
    """time(10n)/time(n) for each pair of measured sizes a decade apart."""
    rows: list[Row] = []
    for small in sorted(times):
        big = small * 10
        if big not in times:
            continue
        bare = times[big]["bare"] / times[small]["bare"]
        for name in ("execute", "decode+execute"):
            rows.append(
                Row(
                    key=f"engine.linearity.{name.replace('+', '_')}.{small}-{big}",
                    label=f"linearity {name} time({big:,})/time({small:,})",
                    unit="x",
                    figure=times[big][name] / times[small][name],
                    baseline=bare,
                    target=LINEARITY,
                    note=(
                        f"baseline column: the bare loop's own growth ({bare:.1f}x); "
                        "ratio = engine growth / bare-loop growth"
                    )
                    if name == "execute"
                    else "",
                )
            )
    return rows


__all__ = ["engine_cases", "engine_rows", "linearity_rows"]
