"""Memory while loading a large snapshot, measured in fresh child processes."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import tempfile
from pathlib import Path
from typing import Any

from benchmarks.inputs import bench_config, workload
from benchmarks.settings import BenchmarkError, Settings
from benchmarks.snapshot_api import SnapshotApi
from benchmarks.table import Row, Target, unavailable
from pytest_wfsnap import engine

REPO = Path(__file__).resolve().parent.parent
LOAD_MEMORY = Target("<", 4, meaning="peak below 4x the JSON file size")


NOTES = {
    "tracemalloc": "deserialize_snapshot + load_snapshot in a fresh process, after a warm-up",
    "json": "the document's plain Python objects: a floor for any loader that builds them",
    "orjson": "orjson's peak includes its parse buffer",
}


def child_env() -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("PYTEST_")}
    env["PYTHONPATH"] = os.pathsep.join(filter(None, [str(REPO), env.get("PYTHONPATH")]))
    return env


def measure_child(path: Path, mode: str, what: str) -> dict[str, Any]:
    proc = subprocess.run(
        [sys.executable, "-m", "benchmarks.memory_child", str(path), mode, what],
        capture_output=True,
        text=True,
        env=child_env(),
        cwd=REPO,
        timeout=600,
    )
    if proc.returncode != 0:
        raise BenchmarkError(f"memory child ({mode}, {what}) failed:\n{proc.stderr[-2000:]}")
    result: dict[str, Any] = json.loads(proc.stdout.strip().splitlines()[-1])
    return result


def memory_rows(settings: Settings, api: SnapshotApi) -> list[Row]:
    n = settings.memory_size
    labels = {
        "tracemalloc": f"load {n:,}-node snapshot: tracemalloc peak vs file",
        "rss": f"load {n:,}-node snapshot: RSS growth vs file",
        "json": "  json.loads of the same file: tracemalloc peak vs file",
        "orjson": "  orjson.loads of the same file: tracemalloc peak vs file",
    }
    missing = api.missing("save_snapshot", "serialize_snapshot")
    if missing:
        return [unavailable(f"memory.{k}.{n}", v, "B", missing) for k, v in labels.items()]
    work = workload(n)
    eng = engine.new(work.payload, bench_config())
    eng.execute()
    data: bytes = api.serialize_snapshot(api.save_snapshot(eng))
    measured: dict[str, dict[str, Any]] = {}
    with tempfile.TemporaryDirectory(prefix="wfsnap-bench-") as tmp:
        path = Path(tmp) / f"snapshot-{n}.json"
        path.write_bytes(data)
        for key, mode, what in (
            ("tracemalloc", "tracemalloc", "snapshot"),
            ("rss", "rss", "snapshot"),
            ("json", "tracemalloc", "json"),
            ("orjson", "tracemalloc", "orjson"),
        ):
            measured[key] = measure_child(path, mode, what)
            if measured[key]["results"] != len(work.expected):
                raise BenchmarkError(
                    f"the memory child loaded {measured[key]['results']} results, "
                    f"expected {len(work.expected)}"
                )
    return [
        Row(
            key=f"memory.{key}.{n}",
            label=labels[key],
            unit="B",
            figure=measured[key]["peak"],
            baseline=len(data),
            target=LOAD_MEMORY if key in ("tracemalloc", "rss") else None,
            note=NOTES.get(key, ""),
        )
        for key in labels
    ]


__all__ = ["memory_rows"]
