"""Snapshot codec timings: the whole save -> serialize -> deserialize -> load path, per format.

Run: ``PYTHONPATH=. .venv/bin/python benchmarks/snapshot_codecs.py [sizes...]`` (default 10000
and 100000 nodes). For each size it builds a synthetic engine state (nodes of several types with
data, a DAG of edges, a result per node mixing floats, ints, strings and objects, variables,
cache entries and context values), then prints the best of several runs of:

* the baseline: ``orjson.dumps`` + ``orjson.loads`` of the same snapshot document (compact,
  no validation), as is and with the garbage collector paused (the codecs pause it while they
  build objects, so the second is the like-for-like figure);
* save (``snapshot_from_state``) + serialize (pretty JSON) + deserialize (``decode_snapshot``,
  fully validated) + load (``state_from_snapshot``), and its ratio to the baseline;
* the same with the binary format, and binary against JSON: encode and decode speed-up, size;
* sizes with zstd and gzip.
"""

from __future__ import annotations

import random
import sys
import time
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from functools import partial
from typing import Any

import orjson

from pytest_wfsnap.engine.config import Config
from pytest_wfsnap.engine.engine_state import CachedValue, EngineState
from pytest_wfsnap.snapshot import (
    decode_snapshot,
    encode_snapshot,
    snapshot_from_state,
    snapshot_to_document,
    state_from_snapshot,
)
from pytest_wfsnap.snapshot.codecs import Format, gc_paused
from pytest_wfsnap.snapshot.compression import Compression

TYPES = ("number", "operation", "text_operation", "variable", "condition", "visualization")


def synthetic_state(n: int, seed: int = 1) -> EngineState:
    """An engine state of ``n`` completed nodes."""
    rng = random.Random(seed)
    nodes: list[dict[str, Any]] = []
    edges: list[dict[str, Any]] = []
    results: dict[str, Any] = {}
    for i in range(n):
        node_id = f"n{i:06d}"
        kind = TYPES[i % len(TYPES)]
        data: dict[str, Any]
        if kind == "number":
            data = {"value": rng.random() * 1000, "label": f"Number {i}"}
            result: Any = data["value"]
        elif kind == "operation":
            data = {"op": rng.choice(["add", "subtract", "multiply"]), "label": f"Op {i}"}
            result = rng.random() * 100
        elif kind == "text_operation":
            data = {"text_op": "uppercase", "label": f"Text {i}"}
            result = f"VALUE {i} ÄÖÜ"
        elif kind == "variable":
            data = {"var_name": f"v{i % 50}", "var_op": "set"}
            result = {"operation": "set", "value": rng.random(), "var_name": f"v{i % 50}"}
        elif kind == "condition":
            data = {"condition": ">50", "true_path": "yes", "false_path": "no"}
            result = {
                "condition_met": rng.random() > 0.5,
                "true_path": True,
                "false_path": False,
                "value": rng.randint(0, 100),
            }
        else:
            data = {"mode": "text"}
            result = {"mode": "text", "items": [1.5, 2, "three"], "count": 3}
        nodes.append({"id": node_id, "type": kind, "data": data, "position": {"x": i, "y": 0}})
        if i:
            source = f"n{rng.randrange(max(0, i - 20), i):06d}"
            edges.append({"id": f"e{i}", "source": source, "target": node_id})
        results[node_id] = result
    now = datetime(2026, 1, 1, tzinfo=UTC)
    return EngineState(
        workflow_id="synthetic",
        execution_id="0123456789abcdef",
        nodes=nodes,
        edges=edges,
        config=Config(),
        results=results,
        completed_nodes=list(results),
        current_level=n,
        status="completed",
        variables={f"v{i}": rng.random() for i in range(50)},
        accumulator=12.5,
        counter=3.0,
        cache={f"k{i}": CachedValue({"value": i}, now + timedelta(minutes=i)) for i in range(20)},
        context_vars={"env": "prod"},
        context_consts={"region": "eu"},
        node_execution_count=n,
        random_seed=42,
    )


def best(fn: Callable[[], Any], runs: int) -> float:
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        fn()
        times.append(time.perf_counter() - start)
    return min(times) * 1000


def measure(n: int) -> None:
    runs = 7 if n <= 20000 else 3
    state = synthetic_state(n)
    when = datetime(2026, 1, 1, 12, tzinfo=UTC)
    snap = snapshot_from_state(state, when)
    doc = snapshot_to_document(snap)
    compact = orjson.dumps(doc)
    baseline = best(lambda: orjson.loads(orjson.dumps(doc)), runs)
    with gc_paused():
        baseline_no_gc = best(lambda: orjson.loads(orjson.dumps(doc)), runs)

    def path(fmt: Any) -> None:
        data = encode_snapshot(snapshot_from_state(state, when), format=fmt)
        state_from_snapshot(decode_snapshot(data))

    pretty = encode_snapshot(snap)
    binary = encode_snapshot(snap, format="msgpack")
    full_json = best(lambda: path("json"), runs)
    full_binary = best(lambda: path("msgpack"), runs)
    enc_json = best(lambda: encode_snapshot(snap), runs)
    enc_binary = best(lambda: encode_snapshot(snap, format="msgpack"), runs)
    dec_json = best(lambda: decode_snapshot(pretty), runs)
    dec_binary = best(lambda: decode_snapshot(binary), runs)
    sizes = f"pretty JSON {len(pretty) / 1e6:.2f} MB, compact {len(compact) / 1e6:.2f} MB"
    print(f"--- {n} nodes: {sizes}")
    print(f"baseline orjson dumps+loads (compact, no validation): {baseline:8.1f} ms")
    print(f"  the same with the garbage collector paused:           {baseline_no_gc:8.1f} ms")
    print(
        f"save+serialize+deserialize+load, JSON:   {full_json:8.1f} ms  "
        f"= {full_json / baseline:.2f}x baseline ({full_json / baseline_no_gc:.2f}x paused)"
    )
    print(
        f"save+serialize+deserialize+load, binary: {full_binary:8.1f} ms  "
        f"= {full_binary / baseline:.2f}x baseline ({full_binary / baseline_no_gc:.2f}x paused)"
    )
    print(
        f"encode: JSON {enc_json:.1f} ms, binary {enc_binary:.1f} ms "
        f"(binary {enc_json / enc_binary:.2f}x faster)"
    )
    print(
        f"decode: JSON {dec_json:.1f} ms, binary {dec_binary:.1f} ms "
        f"(binary {dec_json / dec_binary:.2f}x faster)"
    )
    print(
        f"size: JSON {len(pretty)} B, binary {len(binary)} B "
        f"(binary {100 * (1 - len(binary) / len(pretty)):.0f}% smaller)"
    )
    compressions: tuple[Compression, ...] = ("zstd", "gzip")
    formats: tuple[Format, ...] = ("json", "msgpack")
    for compression in compressions:
        for fmt in formats:
            packed = encode_snapshot(snap, format=fmt, compression=compression)
            t_dec = best(partial(decode_snapshot, packed), runs)
            print(f"{fmt}+{compression}: {len(packed)} B, decode {t_dec:.1f} ms")


def main(argv: list[str]) -> None:
    sizes = [int(arg) for arg in argv] or [10_000, 100_000]
    for n in sizes:
        measure(n)


if __name__ == "__main__":
    main(sys.argv[1:])
