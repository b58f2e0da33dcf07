"""The benchmark suite: ``python -m benchmarks.run [--quick] [--sizes 1000,10000,100000]
[--rounds 5] [--json out.json] [--clock cpu|wall] [--only engine,snapshot,memory,plugin]``.

Prints the machine, then one row per measurement: figure, baseline, ratio (figure/baseline),
target and verdict (PASS/FAIL; INFO where no target is set; N/A when the code under test does
not offer the piece yet). Every ratio compares two things measured side by side in this run on
the same data; in-process figures are medians of at least ``--rounds`` interleaved rounds
(more for fast cases, within ``--budget`` seconds per group). Correctness
is checked before anything is timed: a wrong result aborts the run (exit status 2).
Exit status 0 otherwise, whatever the verdicts: this is a measurement, not a gate.
"""

from __future__ import annotations

import argparse
import json
import sys
import time
import traceback
from collections.abc import Callable
from dataclasses import replace
from pathlib import Path
from typing import Any

from benchmarks.engine_rows import engine_rows
from benchmarks.measure import load_average, machine_description
from benchmarks.memory_rows import memory_rows
from benchmarks.plugin_rows import labels as plugin_labels
from benchmarks.plugin_rows import plugin_rows
from benchmarks.settings import FULL, QUICK, BenchmarkError, Settings
from benchmarks.snapshot_api import SnapshotApi, resolve
from benchmarks.snapshot_rows import snapshot_rows
from benchmarks.table import Row, render, unavailable

GROUPS = ("engine", "snapshot", "memory", "plugin")


def expected_keys(settings: Settings) -> list[str]:
    """Every row key a run with ``settings`` produces (measured, or marked not available)."""
    ways = ("execute", "decode_execute")
    keys = [f"engine.{way}.{n}" for n in settings.sizes for way in ways]
    keys += [
        f"engine.linearity.{way}.{n}-{n * 10}"
        for n in settings.sizes
        if n * 10 in settings.sizes
        for way in ways
    ]
    for n in settings.snapshot_sizes:
        keys.append(f"snapshot.round_trip.{n}")
        keys += [f"snapshot.binary.{k}.{n}" for k in ("encode", "decode", "size")]
    keys += [f"resume.{settings.resume_size}", f"resume.deserialize.{settings.resume_size}"]
    keys += [f"memory.{k}.{settings.memory_size}" for k in ("tracemalloc", "rss", "json", "orjson")]
    keys += list(plugin_labels(settings))
    return keys


GROUP_PREFIXES = {
    "engine": ("engine.",),
    "snapshot": ("snapshot.", "resume."),
    "memory": ("memory.",),
    "plugin": ("plugin.",),
}


def _group(name: str, build: Callable[[], list[Row]]) -> list[Row]:
    """Run one group; a crash of code still being written becomes a not-available row."""
    print(f"[benchmarks] {name} ...", file=sys.stderr, flush=True)
    start = time.perf_counter()
    try:
        rows = build()
        print(f"[benchmarks] {name}: {time.perf_counter() - start:.1f} s", file=sys.stderr)
        return rows
    except BenchmarkError:
        raise
    except Exception as exc:
        traceback.print_exc(file=sys.stderr)
        return [
            unavailable(f"{name}.error", f"{name} group", "time", f"{type(exc).__name__}: {exc}")
        ]


def collect(settings: Settings, groups: tuple[str, ...] = GROUPS) -> list[Row]:
    api: SnapshotApi = resolve()
    builders: dict[str, Callable[[], list[Row]]] = {
        "engine": lambda: engine_rows(settings),
        "snapshot": lambda: snapshot_rows(settings, api),
        "memory": lambda: memory_rows(settings, api),
        "plugin": lambda: plugin_rows(settings),
    }
    rows: list[Row] = []
    for name in groups:
        rows += _group(name, builders[name])
    return rows


def parse_args(argv: list[str]) -> tuple[Settings, tuple[str, ...], Path | None]:
    parser = argparse.ArgumentParser(prog="python -m benchmarks.run", description=__doc__)
    parser.add_argument("--quick", action="store_true", help="1k and 10k nodes, 3 rounds")
    parser.add_argument("--sizes", help="comma-separated node counts (default 1000,10000,100000)")
    parser.add_argument("--rounds", type=int, help="least rounds per in-process measurement")
    parser.add_argument(
        "--budget",
        type=float,
        help="more rounds while a group has run for less than this many seconds (default 3)",
    )
    parser.add_argument("--json", type=Path, help="also write the rows to this JSON file")
    parser.add_argument("--clock", choices=("cpu", "wall"), help="in-process clock (default cpu)")
    parser.add_argument("--only", help=f"comma-separated groups among {', '.join(GROUPS)}")
    parser.add_argument("--suite-tests", type=int, help="tests in the xdist suite")
    parser.add_argument("--no-peaks", action="store_true", help="skip allocation peaks")
    args = parser.parse_args(argv)
    settings = QUICK if args.quick else FULL
    changes: dict[str, Any] = {}
    if args.sizes:
        changes["sizes"] = tuple(sorted(int(x) for x in args.sizes.split(",") if x.strip()))
    if args.rounds:
        changes["rounds"] = args.rounds
    if args.budget is not None:
        changes["budget"] = args.budget
    if args.clock:
        changes["clock"] = args.clock
    if args.suite_tests:
        changes["suite_tests"] = args.suite_tests
    if args.no_peaks:
        changes["peaks"] = False
    groups = GROUPS
    if args.only:
        groups = tuple(g.strip() for g in args.only.split(","))
        unknown = sorted(set(groups) - set(GROUPS))
        if unknown:
            parser.error(f"unknown group(s) {', '.join(unknown)}; choose among {GROUPS}")
    return replace(settings, **changes), groups, args.json


def main(argv: list[str] | None = None) -> int:
    settings, groups, json_path = parse_args(sys.argv[1:] if argv is None else argv)
    machine = machine_description(settings.clock)
    try:
        rows = collect(settings, groups)
    except BenchmarkError as exc:
        print(f"\nBENCHMARK ABORTED: correctness check failed: {exc}", file=sys.stderr)
        return 2
    machine["load average"] += f" at start; {load_average()} at end"
    print(render(rows, machine, settings.describe()))
    if json_path is not None:
        document = {
            "machine": machine,
            "settings": settings.describe(),
            "rows": [row.as_dict() for row in rows],
        }
        json_path.write_text(json.dumps(document, indent=2) + "\n", encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
