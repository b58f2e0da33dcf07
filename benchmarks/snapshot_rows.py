"""Snapshot benchmarks: the engine-level round trip against orjson, the binary format against
JSON, and resuming a run paused at 99%."""

from __future__ import annotations

from typing import Any

import orjson

from benchmarks.inputs import bench_config, check_results, workload
from benchmarks.measure import Case, Thunk, allocation_peak, interleaved, same
from benchmarks.settings import BenchmarkError, Settings
from benchmarks.snapshot_api import SnapshotApi
from benchmarks.table import Row, Target, unavailable
from benchmarks.workloads import resume_point
from pytest_wfsnap import engine
from pytest_wfsnap.engine.plans import forget_plans

ROUND_TRIP = Target("<=", 2, meaning="at most 2x orjson dumps+loads")
FASTER = Target("<=", 0.5, meaning=">= 2x faster than JSON")
SMALLER = Target("<=", 0.7, meaning=">= 30% smaller than JSON")
RESUME = Target("<=", 0.05, meaning="<= 5% of the full run")
STEPS = ("save", "serialize", "deserialize", "load")


def completed_engine(n: int) -> Any:
    eng = engine.new(workload(n).payload, bench_config())
    eng.execute()
    return eng


def round_trip_rows(settings: Settings, api: SnapshotApi, n: int) -> list[Row]:
    key, label = f"snapshot.round_trip.{n}", f"snapshot round trip {n:,} nodes vs orjson"
    missing = api.missing("snapshot_to_document", *(f"{s}_snapshot" for s in STEPS))
    if missing:
        return [unavailable(key, label, "time", missing)]
    save, serialize = api.save_snapshot, api.serialize_snapshot
    deserialize, load = api.deserialize_snapshot, api.load_snapshot
    eng = completed_engine(n)
    snap = save(eng)
    data = serialize(snap)
    restored = load(deserialize(data))
    check_results(f"snapshot round trip at {n} nodes", restored.results, workload(n).expected)
    if restored.status != "completed":
        raise BenchmarkError(f"a loaded snapshot has status {restored.status!r}, not completed")
    document = api.snapshot_to_document(snap)
    loaded = deserialize(data)
    cases = [
        Case("orjson", same(lambda: orjson.loads(orjson.dumps(document)))),
        Case("round trip", same(lambda: load(deserialize(serialize(save(eng)))))),
        Case("save", same(lambda: save(eng))),
        Case("serialize", same(lambda: serialize(snap))),
        Case("deserialize", same(lambda: deserialize(data))),
        Case("load", same(lambda: load(loaded))),
    ]
    medians = interleaved(cases, settings.rounds, settings.clock, budget=settings.budget)
    peaks = {c.name: allocation_peak(c.prepare) for c in cases[:2]} if settings.peaks else {}
    steps = ", ".join(f"{s} {medians[s] * 1000:.1f} ms" for s in STEPS)
    return [
        Row(
            key=key,
            label=label,
            unit="time",
            figure=medians["round trip"],
            baseline=medians["orjson"],
            target=ROUND_TRIP,
            peak_figure=peaks.get("round trip"),
            peak_baseline=peaks.get("orjson"),
            note=f"steps: {steps}; JSON {len(data) / 1e6:.1f} MB",
            extra={f"{s}_s": medians[s] for s in STEPS} | {"json_bytes": len(data)},
        )
    ]


def format_rows(settings: Settings, api: SnapshotApi, n: int) -> list[Row]:
    labels = {
        "encode": f"binary vs JSON encode {n:,} nodes",
        "decode": f"binary vs JSON decode {n:,} nodes",
        "size": f"binary vs JSON size {n:,} nodes",
    }
    missing = api.missing("save_snapshot", "encode_snapshot", "decode_snapshot", "binary")
    if missing:
        return [
            unavailable(f"snapshot.binary.{k}.{n}", label, "B" if k == "size" else "time", missing)
            for k, label in labels.items()
        ]
    encode, decode, binary = api.encode_snapshot, api.decode_snapshot, api.binary_format
    to_doc = api.snapshot_to_document
    snap = api.save_snapshot(completed_engine(n))
    as_json = encode(snap, format="json")
    as_binary = encode(snap, format=binary)
    if to_doc(decode(as_binary)) != to_doc(decode(as_json)):
        raise BenchmarkError(f"{n} nodes: the binary and JSON snapshots decode differently")
    cases = [
        Case("encode json", same(lambda: encode(snap, format="json"))),
        Case("encode binary", same(lambda: encode(snap, format=binary))),
        Case("decode json", same(lambda: decode(as_json))),
        Case("decode binary", same(lambda: decode(as_binary))),
    ]
    medians = interleaved(cases, settings.rounds, settings.clock, budget=settings.budget)
    rows = [
        Row(
            key=f"snapshot.binary.{way}.{n}",
            label=labels[way],
            unit="time",
            figure=medians[f"{way} binary"],
            baseline=medians[f"{way} json"],
            target=FASTER,
            note=f"format {binary!r}; speed-up "
            f"{medians[f'{way} json'] / medians[f'{way} binary']:.2f}x",
        )
        for way in ("encode", "decode")
    ]
    rows.append(
        Row(
            key=f"snapshot.binary.size.{n}",
            label=labels["size"],
            unit="B",
            figure=len(as_binary),
            baseline=len(as_json),
            target=SMALLER,
            note=f"{100 * (1 - len(as_binary) / len(as_json)):.0f}% smaller than pretty JSON",
        )
    )
    return rows


def resume_rows(settings: Settings, api: SnapshotApi) -> list[Row]:
    n = settings.resume_size
    key, label = f"resume.{n}", f"resume at 99% of {n:,} nodes vs full run"
    dkey, dlabel = f"resume.deserialize.{n}", "  deserialize of that snapshot vs full run"
    missing = api.missing(*(f"{s}_snapshot" for s in STEPS))
    if missing:
        return [unavailable(key, label, "time", missing), unavailable(dkey, dlabel, "time", "")]
    save, serialize = api.save_snapshot, api.serialize_snapshot
    deserialize, load = api.deserialize_snapshot, api.load_snapshot
    work = workload(n)
    config = bench_config()
    stop = resume_point(work.payload, work.expected, 0.99)
    paused = engine.new(work.payload, config)
    if paused.execute(stop_after=stop).status != "paused":
        raise BenchmarkError(f"execute(stop_after={stop!r}) did not pause the run")
    done_at_pause = paused.node_execution_count
    data = serialize(save(paused))
    resumed = load(deserialize(data))
    result = resumed.execute()
    check_results(f"run resumed after {stop}", result.node_results, work.expected)
    rerun = resumed.node_execution_count - done_at_pause
    remaining = len(work.expected) - done_at_pause
    if rerun != remaining:
        raise BenchmarkError(f"the resumed run executed {rerun} nodes, {remaining} were left")

    def load_and_resume() -> Thunk:
        snapshot = deserialize(data)  # outside the timer
        forget_plans()  # as in a fresh process: no order of this workflow kept
        return lambda: load(snapshot).execute()

    cases = [
        Case("full run", same(lambda: engine.new(work.payload, config).execute())),
        Case("resume", lambda: load(deserialize(data)).execute),
        Case("load+resume", load_and_resume),
        Case("deserialize", same(lambda: deserialize(data))),
        Case("pause: save+serialize", same(lambda: serialize(save(paused)))),
    ]
    # "resume" times only the execution of the remaining nodes; "load+resume" adds load_snapshot,
    # with no order of the workflow kept in the process (as after a restart).
    medians = interleaved(cases, settings.rounds, settings.clock, budget=settings.budget)
    full = medians["full run"]
    return [
        Row(
            key=key,
            label=label,
            unit="time",
            figure=medians["load+resume"],
            baseline=full,
            target=RESUME,
            note=(
                f"paused after {stop} with {remaining} of {len(work.expected)} nodes left; "
                f"load_snapshot {(medians['load+resume'] - medians['resume']) * 1000:.1f} ms + "
                f"execute the rest {medians['resume'] * 1000:.1f} ms; saving at the pause "
                f"(save+serialize) {medians['pause: save+serialize'] * 1000:.1f} ms"
            ),
            extra={name: value for name, value in medians.items()},
        ),
        Row(
            key=dkey,
            label=dlabel,
            unit="time",
            figure=medians["deserialize"],
            baseline=full,
            note="reported apart from the resume cost, as asked",
        ),
    ]


def snapshot_rows(settings: Settings, api: SnapshotApi) -> list[Row]:
    rows: list[Row] = []
    for n in settings.snapshot_sizes:
        rows += round_trip_rows(settings, api, n)
        rows += format_rows(settings, api, n)
    rows += resume_rows(settings, api)
    return rows


__all__ = ["format_rows", "resume_rows", "round_trip_rows", "snapshot_rows"]
