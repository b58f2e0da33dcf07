"""The plugin against syrupy, and the plugin's suite under pytest-xdist, in real pytest runs."""

from __future__ import annotations

import importlib.util
import statistics
import tempfile
from pathlib import Path

from benchmarks.plugin_project import Project, Session
from benchmarks.settings import BenchmarkError, Settings
from benchmarks.table import Row, Target, unavailable

XDIST = Target("<=", 1 / 1.6, meaning=">= 1.6x faster with -n 2")
PER_TEST = Target("<=", 0.25, meaning="at most a quarter of syrupy's JSON assert")


class PluginUnusable(Exception):
    """The plugin (or syrupy, or xdist) cannot run the generated project yet."""


def _require(session: Session, what: str, tests: int) -> Session:
    if session.returncode != 0 or session.passed() != tests:
        tail = "\n".join(session.output.strip().splitlines()[-15:])
        raise PluginUnusable(
            f"{what}: exit code {session.returncode}, {session.passed()}/{tests} passed: {tail}"
        )
    return session


def labels(settings: Settings) -> dict[str, str]:
    n = settings.plugin_nodes
    return {
        "plugin.per_test": f"wf_snapshot replay+check {n:,} nodes vs syrupy JSON, per test",
        "plugin.session": f"  whole session of {settings.plugin_cases} such tests vs syrupy",
        f"plugin.xdist.{settings.suite_tests}": (
            f"suite of {settings.suite_tests} wf_snapshot tests: -n 2 vs serial"
        ),
    }


def plugin_rows(settings: Settings) -> list[Row]:
    names = labels(settings)
    for module in ("pytest_wfsnap.plugin.plugin", "syrupy", "xdist"):
        if importlib.util.find_spec(module) is None:
            return [
                unavailable(k, v, "time", f"{module} is not importable") for k, v in names.items()
            ]
    with tempfile.TemporaryDirectory(prefix="wfsnap-bench-plugin-") as tmp:
        project = Project(
            Path(tmp), settings.plugin_nodes, settings.plugin_cases, settings.suite_tests
        )
        try:
            return measure(project, settings, names)
        except PluginUnusable as exc:
            return [unavailable(k, v, "time", str(exc)) for k, v in names.items()]


def measure(project: Project, settings: Settings, names: dict[str, str]) -> list[Row]:
    cases, suite = settings.plugin_cases, settings.suite_tests
    workers = ("-n", "2") if suite >= 20 else ()  # recording is not measured
    recorded = project.pytest("test_wf.py", "suite", *workers, "--wf-record")
    _require(recorded, "recording the goldens", cases + suite)
    _require(project.pytest("test_syrupy.py", "--snapshot-update"), "syrupy update", cases)
    goldens = project.goldens()
    if len(goldens) != cases + suite:
        raise BenchmarkError(f"expected {cases + suite} golden files, found {len(goldens)}")

    per_test: dict[str, list[float]] = {"wf": [], "syrupy": []}
    session_wall: dict[str, list[float]] = {"wf": [], "syrupy": []}
    first_test: dict[str, list[float]] = {"wf": [], "syrupy": []}
    for _ in range(settings.plugin_rounds):
        for side, target in (("wf", "test_wf.py"), ("syrupy", "test_syrupy.py")):
            run = _require(project.pytest(target), f"replaying {target}", cases)
            if len(run.durations) != cases:
                raise BenchmarkError(f"{target}: {len(run.durations)} test durations recorded")
            # the first test of a session pays one-time imports and warm-up: left out
            per_test[side] += list(run.durations.values())[1:]
            first_test[side].append(next(iter(run.durations.values())))
            session_wall[side].append(run.wall)
    if [p.read_bytes() for p in goldens] != [p.read_bytes() for p in project.goldens()]:
        raise BenchmarkError("a replay session changed a golden file")

    walls: dict[str, list[float]] = {"serial": [], "n2": []}
    cpus: dict[str, list[float]] = {"serial": [], "n2": []}
    for _ in range(settings.suite_rounds):
        for side, extra in (("serial", ()), ("n2", ("-n", "2"))):
            run = _require(project.pytest("suite", *extra), f"suite {side}", suite)
            walls[side].append(run.wall)
            cpus[side].append(run.cpu)

    wf_test, syrupy_test = statistics.median(per_test["wf"]), statistics.median(per_test["syrupy"])
    serial, parallel = statistics.median(walls["serial"]), statistics.median(walls["n2"])
    serial_cpu, parallel_cpu = statistics.median(cpus["serial"]), statistics.median(cpus["n2"])
    # with two idle cores, -n 2 could at best spread its CPU time evenly over both
    ideal = serial_cpu / (parallel_cpu / 2)
    golden_kb = goldens[0].stat().st_size / 1e3
    return [
        Row(
            key="plugin.per_test",
            label=names["plugin.per_test"],
            unit="time",
            figure=wf_test,
            baseline=syrupy_test,
            target=PER_TEST,
            note=(
                "setup+call+teardown wall time, median of "
                f"{len(per_test['wf'])} tests (each session's first test left out: "
                f"{statistics.median(first_test['wf']) * 1000:.0f} ms vs "
                f"{statistics.median(first_test['syrupy']) * 1000:.0f} ms); "
                f"golden {golden_kb:.0f} kB"
            ),
        ),
        Row(
            key="plugin.session",
            label=names["plugin.session"],
            unit="time",
            figure=statistics.median(session_wall["wf"]),
            baseline=statistics.median(session_wall["syrupy"]),
            note="wall time of the pytest process, interpreter start-up included",
        ),
        Row(
            key=f"plugin.xdist.{suite}",
            label=names[f"plugin.xdist.{suite}"],
            unit="time",
            figure=parallel,
            baseline=serial,
            target=XDIST,
            note=f"speed-up {serial / parallel:.2f}x; wall time, median of "
            f"{settings.suite_rounds} session(s) per side; CPU time (all processes) serial "
            f"{serial_cpu:.1f} s, -n 2 {parallel_cpu:.1f} s: on two idle cores the speed-up "
            f"could reach at most {ideal:.2f}x",
            extra={"serial_cpu_s": serial_cpu, "n2_cpu_s": parallel_cpu, "ideal_speedup": ideal},
        ),
    ]


__all__ = ["plugin_rows"]
