"""What a benchmark run measures: sizes, rounds and the plugin suite's dimensions."""

from __future__ import annotations

from dataclasses import asdict, dataclass, replace
from typing import Any


class BenchmarkError(Exception):
    """A correctness check failed: the benchmark refuses to time a wrong computation."""


@dataclass(frozen=True)
class Settings:
    sizes: tuple[int, ...] = (1_000, 10_000, 100_000)  # engine overhead rows
    rounds: int = 5  # in-process measurements: median of at least this many rounds
    budget: float = 3.0  # ... and of more rounds while a group has taken less (seconds)
    clock: str = "cpu"  # "cpu" (process time) or "wall"
    plugin_nodes: int = 1_000  # nodes of the plugin benchmark's workflow
    plugin_cases: int = 5  # tests per session in the per-test comparison with syrupy
    plugin_rounds: int = 3  # sessions per side in that comparison
    suite_tests: int = 200  # tests of the xdist suite
    suite_rounds: int = 3  # serial and -n 2 sessions of the suite
    peaks: bool = True  # also measure allocation peaks (untimed extra call)

    @property
    def snapshot_sizes(self) -> tuple[int, ...]:
        """Snapshot rows run at 10k nodes and more (or the largest size, for small runs)."""
        big = tuple(n for n in self.sizes if n >= 10_000)
        return big or (max(self.sizes),)

    @property
    def resume_size(self) -> int:
        return max(self.sizes)

    @property
    def memory_size(self) -> int:
        return max(self.sizes)

    def describe(self) -> dict[str, Any]:
        return asdict(self)


FULL = Settings()
QUICK = Settings(
    sizes=(1_000, 10_000),
    rounds=3,
    budget=1.0,
    plugin_cases=6,
    plugin_rounds=1,
    suite_tests=40,
    suite_rounds=1,
)
# The smoke test: every row and every correctness check, on small inputs, timing not judged.
SMOKE = replace(
    QUICK,
    sizes=(100, 1_000),
    rounds=1,
    budget=0.0,
    plugin_nodes=200,
    plugin_cases=2,
    plugin_rounds=1,
    suite_tests=4,
    peaks=True,
)

__all__ = ["FULL", "QUICK", "SMOKE", "BenchmarkError", "Settings"]
