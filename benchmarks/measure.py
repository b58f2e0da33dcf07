"""Measuring: interleaved rounds with medians, allocation peaks, and the machine description.

Every comparison is measured side by side: in each round every case of a group runs once, in
the same order, so a slow moment of a shared machine hits the figure and its baseline alike;
the reported value of a case is the median over the rounds. A case is a *prepare* callable
returning the thunk to time, so per-round set-up (a fresh engine, say) stays outside the timer.
"""

from __future__ import annotations

import gc
import os
import platform
import statistics
import sys
import time
import tracemalloc
from collections.abc import Callable
from dataclasses import dataclass

Thunk = Callable[[], object]
Prepare = Callable[[], Thunk]

CLOCKS: dict[str, Callable[[], float]] = {
    "cpu": time.process_time,
    "wall": time.perf_counter,
}


@dataclass(frozen=True)
class Case:
    """One measured callable of a side-by-side group."""

    name: str
    prepare: Prepare


def same(thunk: Thunk) -> Prepare:
    """A prepare for a thunk that needs no per-round set-up."""
    return lambda: thunk


MAX_ROUNDS = 100


def interleaved(
    cases: list[Case], rounds: int, clock: str = "cpu", *, budget: float = 0.0
) -> dict[str, float]:
    """Median seconds per case over the rounds, cases alternating within each round.

    At least ``rounds`` rounds; more while the group has run for less than ``budget`` seconds
    of wall time in all (set-up included), up to :data:`MAX_ROUNDS`: a case of a few
    milliseconds needs many samples for a steady median, one of a second does not.
    """
    timer = CLOCKS[clock]
    samples: dict[str, list[float]] = {case.name: [] for case in cases}
    began = time.perf_counter()
    done = 0
    while done < rounds or (time.perf_counter() - began < budget and done < MAX_ROUNDS):
        for case in cases:
            thunk = case.prepare()
            gc.collect()
            start = timer()
            thunk()
            samples[case.name].append(timer() - start)
        done += 1
    return {name: statistics.median(values) for name, values in samples.items()}


def allocation_peak(prepare: Prepare) -> int:
    """Peak bytes allocated (and still alive at the peak) while the thunk runs.

    Measured in a separate, untimed call: tracemalloc slows Python code down severalfold.
    """
    thunk = prepare()
    gc.collect()
    tracemalloc.start()
    try:
        thunk()
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    return peak


def cpu_model() -> str:
    try:
        with open("/proc/cpuinfo", encoding="utf-8") as info:
            for line in info:
                if line.startswith("model name"):
                    return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return platform.processor() or platform.machine()


def load_average() -> str:
    """1, 5 and 15-minute load: other processes competing for the CPUs skew every figure."""
    if not hasattr(os, "getloadavg"):
        return "?"
    return ", ".join(f"{x:.2f}" for x in os.getloadavg())


def machine_description(clock: str) -> dict[str, str]:
    """CPU, cores, Python and load: printed above the table and stored in the JSON output."""
    usable = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count()
    return {
        "cpu": cpu_model(),
        "cores": f"{os.cpu_count()} logical, {usable} usable",
        "python": f"{platform.python_implementation()} {sys.version.split()[0]}",
        "platform": platform.platform(),
        "load average": load_average(),
        "clock": "process CPU time" if clock == "cpu" else "wall clock (perf_counter)",
    }


__all__ = [
    "CLOCKS",
    "MAX_ROUNDS",
    "Case",
    "Prepare",
    "Thunk",
    "allocation_peak",
    "interleaved",
    "load_average",
    "machine_description",
    "same",
]
