"""Where the time goes: ``python -m benchmarks.profile [--sizes 10000,100000] [--top 15]
[--only engine,snapshot,plugin]``.

* engine: phase timings without a profiler (payload decoding, engine construction, plan, run
  loop), then cProfile of ``engine.new(payload).execute()``;
* snapshot: per-step timings and cProfile of save + serialize + deserialize + load;
* plugin: cProfile of a pytest session replaying 1,000-node goldens (in a subprocess), limited
  to the package's functions.

cProfile adds a fixed cost per Python call, so it inflates code made of many small calls;
compare its shares with the phase timings, which are measured without it.
"""

from __future__ import annotations

import argparse
import cProfile
import gc
import io
import os
import pstats
import subprocess
import sys
import sysconfig
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

from benchmarks.inputs import bench_config, workload
from benchmarks.plugin_project import Project, plugin_via_entry_point
from pytest_wfsnap import engine

REPO = Path(__file__).resolve().parent.parent


def timed(fn: Callable[[], Any], rounds: int = 3) -> tuple[float, Any]:
    """Best-of-``rounds`` seconds of ``fn`` (process CPU time) and its last value."""
    best, value = float("inf"), None
    for _ in range(rounds):
        gc.collect()
        start = time.process_time()
        value = fn()
        best = min(best, time.process_time() - start)
    return best, value


def top(profile: cProfile.Profile | str, limit: int, sort: str, restrict: str = "") -> str:
    out = io.StringIO()
    stats = pstats.Stats(profile, stream=out)
    stats.sort_stats(sort)
    if restrict:
        stats.print_stats(restrict, limit)
    else:
        stats.print_stats(limit)
    text = out.getvalue()
    start = text.find("   ncalls")
    text = text[start:] if start >= 0 else text
    for prefix in (sysconfig.get_paths()["purelib"], str(REPO)):
        text = text.replace(prefix + os.sep, "")
    return text.rstrip()


def profiled(fn: Callable[[], Any]) -> cProfile.Profile:
    profile = cProfile.Profile()
    gc.collect()
    profile.enable()
    fn()
    profile.disable()
    return profile


def engine_report(n: int, limit: int) -> str:
    payload = workload(n).payload
    config = bench_config()
    lines = [f"== engine, {n:,} nodes (process CPU time, best of 3)"]
    decode, decoded = timed(lambda: engine.decode_payload(payload))
    build, eng = timed(lambda: engine.Engine(decoded, config))
    plan_fn = getattr(eng, "_ensure_plan", None)
    plan = timed(plan_fn, rounds=1)[0] if plan_fn is not None else None
    run, _ = timed(eng.execute, rounds=1)  # the plan is built: this is the run loop
    whole, _ = timed(lambda: engine.new(payload, config).execute())
    lines.append(f"decode_payload   {decode * 1000:9.1f} ms")
    lines.append(f"Engine(...)      {build * 1000:9.1f} ms")
    if plan is not None:
        lines.append(f"build plan       {plan * 1000:9.1f} ms")
    lines.append(f"run loop         {run * 1000:9.1f} ms  ({run / n * 1e6:.2f} us per node)")
    lines.append(f"new()+execute()  {whole * 1000:9.1f} ms")
    prof = profiled(lambda: engine.new(payload, config).execute())
    lines += ["", "cProfile, by own time:", top(prof, limit, "tottime")]
    return "\n".join(lines)


def snapshot_report(n: int, limit: int) -> str:
    eng = engine.new(workload(n).payload, bench_config())
    eng.execute()
    snap = engine.save_snapshot(eng)
    data = engine.serialize_snapshot(snap)
    loaded = engine.deserialize_snapshot(data)
    steps: dict[str, Callable[[], Any]] = {
        "save_snapshot": lambda: engine.save_snapshot(eng),
        "serialize_snapshot": lambda: engine.serialize_snapshot(snap),
        "deserialize_snapshot": lambda: engine.deserialize_snapshot(data),
        "load_snapshot": lambda: engine.load_snapshot(loaded),
        "execute() of the loaded run (nothing left)": lambda: engine.load_snapshot(
            loaded
        ).execute(),
    }
    lines = [f"== snapshot round trip, {n:,} nodes, {len(data) / 1e6:.1f} MB JSON"]
    for name, fn in steps.items():
        lines.append(f"{name:44s} {timed(fn)[0] * 1000:9.1f} ms")
    prof = profiled(
        lambda: engine.load_snapshot(
            engine.deserialize_snapshot(engine.serialize_snapshot(engine.save_snapshot(eng)))
        ).execute()
    )
    lines += ["", "cProfile of the round trip + execute(), by own time:"]
    lines.append(top(prof, limit, "tottime"))
    return "\n".join(lines)


def plugin_report(limit: int, nodes: int = 1_000, tests: int = 20) -> str:
    with tempfile.TemporaryDirectory(prefix="wfsnap-profile-") as tmp:
        project = Project(Path(tmp), nodes, tests, 1)
        recorded = project.pytest("test_wf.py", "--wf-record")
        if recorded.returncode != 0:
            return f"== plugin: recording failed\n{recorded.output[-2000:]}"
        out = Path(tmp) / "replay.prof"
        plugin = [] if plugin_via_entry_point() else ["-p", "pytest_wfsnap.plugin.plugin"]
        command = [sys.executable, "-m", "cProfile", "-o", str(out), "-m", "pytest", "-q"]
        command += ["-p", "no:cacheprovider", *plugin, "test_wf.py"]
        proc = subprocess.run(
            command, cwd=tmp, env=project.env(), capture_output=True, text=True, timeout=900
        )
        if proc.returncode != 0 or not out.exists():
            return f"== plugin: replay failed\n{(proc.stdout + proc.stderr)[-2000:]}"
        lines = [f"== plugin: {tests} wf_snapshot replays of a {nodes:,}-node golden (cProfile)"]
        lines += ["by cumulative time (package functions):"]
        lines.append(top(str(out), limit, "cumulative", "pytest_wfsnap"))
        lines += ["", "by own time (package functions):"]
        lines.append(top(str(out), limit, "tottime", "pytest_wfsnap"))
        return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m benchmarks.profile", description=__doc__)
    parser.add_argument("--sizes", default="10000,100000")
    parser.add_argument("--top", type=int, default=15)
    parser.add_argument("--only", default="engine,snapshot,plugin")
    args = parser.parse_args(argv)
    sizes = [int(x) for x in args.sizes.split(",") if x.strip()]
    groups = {g.strip() for g in args.only.split(",")}
    reports: list[str] = []
    for n in sizes:
        if "engine" in groups:
            reports.append(engine_report(n, args.top))
        if "snapshot" in groups:
            reports.append(snapshot_report(n, args.top))
    if "plugin" in groups:
        reports.append(plugin_report(args.top))
    print("\n\n".join(reports))
    return 0


if __name__ == "__main__":
    sys.exit(main())
