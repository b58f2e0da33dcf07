"""Automatic checkpoints: policy decisions and the Checkpointer's writes."""

from __future__ import annotations

from typing import Any

import pytest

from pytest_wfsnap.errors import ConfigError, SnapshotTooLargeError, StorageError
from pytest_wfsnap.storage import (
    Checkpointer,
    CheckpointPolicy,
    MemoryStore,
    SnapshotMeta,
    SnapshotRef,
    SnapshotStore,
)
from tests.storage.support import make_meta


class Ticks:
    """A monotonic clock moved by hand."""

    def __init__(self) -> None:
        self.now = 100.0

    def __call__(self) -> float:
        return self.now


class Encoder:
    """Stands in for the engine's snapshot encoder; counts how often it runs."""

    def __init__(self) -> None:
        self.calls = 0

    def __call__(self) -> tuple[bytes, SnapshotMeta]:
        self.calls += 1
        return f"state-{self.calls}".encode(), make_meta("ignored", node_count=4, workflow_id="wf")


def _labels(store: SnapshotStore, eid: str = "run") -> list[str]:
    return [r.label for r in store.list(eid)]


@pytest.mark.parametrize(
    ("policy", "nodes", "seconds", "due"),
    [
        (CheckpointPolicy(), 1, 0.0, True),
        (CheckpointPolicy(), 0, 999.0, False),
        (CheckpointPolicy(every_nodes=3), 2, 0.0, False),
        (CheckpointPolicy(every_nodes=3), 3, 0.0, True),
        (CheckpointPolicy(every_nodes=3), 4, 0.0, True),
        (CheckpointPolicy(every_nodes=None, every_seconds=5), 1, 4.99, False),
        (CheckpointPolicy(every_nodes=None, every_seconds=5), 1, 5.0, True),
        (CheckpointPolicy(every_nodes=None, every_seconds=5), 0, 50.0, False),
        (CheckpointPolicy(every_nodes=10, every_seconds=2.5), 1, 3.0, True),
        (CheckpointPolicy(every_nodes=10, every_seconds=2.5), 10, 0.0, True),
        (CheckpointPolicy(every_nodes=10, every_seconds=2.5), 9, 2.0, False),
        (CheckpointPolicy(every_nodes=None, every_seconds=None), 1000, 1e9, False),
    ],
)
def test_should_checkpoint(policy: CheckpointPolicy, nodes: int, seconds: float, due: bool) -> None:
    assert policy.should_checkpoint(nodes, seconds) is due


@pytest.mark.parametrize(
    ("options", "message"),
    [
        ({"every_nodes": 0}, "every_nodes must be an int >= 1"),
        ({"every_nodes": True}, "every_nodes"),
        ({"every_nodes": 1.5}, "every_nodes"),
        ({"every_seconds": 0}, "every_seconds must be a number > 0"),
        ({"every_seconds": float("nan")}, "every_seconds"),
        ({"every_seconds": float("inf")}, "every_seconds"),
        ({"every_seconds": "5"}, "every_seconds"),
    ],
)
def test_invalid_policies_are_refused(options: dict[str, Any], message: str) -> None:
    with pytest.raises(ConfigError, match=message):
        CheckpointPolicy(**options)


def test_every_node_by_default_labelled_after_the_node() -> None:
    store, encode = MemoryStore(), Encoder()
    cp = Checkpointer(store, "run")
    refs = [cp.after_node(node, encode) for node in ["fetch", "price", "total"]]
    assert all(isinstance(r, SnapshotRef) for r in refs)
    assert _labels(store) == ["after:fetch", "after:price", "after:total"]
    assert store.get("run") == b"state-3"
    meta = store.list("run")[0].meta
    assert (meta.node_count, meta.workflow_id, meta.status) == (4, "wf", "running")
    assert cp.written == 3 and cp.last == refs[-1]


def test_every_n_nodes_encodes_only_when_due() -> None:
    store, encode = MemoryStore(), Encoder()
    cp = Checkpointer(store, "run", CheckpointPolicy(every_nodes=3))
    results = [cp.after_node(f"n{i}", encode) for i in range(7)]
    assert [r is not None for r in results] == [False, False, True, False, False, True, False]
    assert encode.calls == 2
    assert _labels(store) == ["after:n2", "after:n5"]
    assert cp.nodes_since_last == 1


def test_every_seconds_uses_the_injected_clock() -> None:
    store, encode, ticks = MemoryStore(), Encoder(), Ticks()
    cp = Checkpointer(
        store, "run", CheckpointPolicy(every_nodes=None, every_seconds=10), clock=ticks
    )
    ticks.now += 4
    assert cp.after_node("a", encode) is None
    ticks.now += 6
    assert cp.seconds_since_last == 10
    assert cp.after_node("b", encode) is not None
    assert cp.seconds_since_last == 0
    ticks.now += 9.5
    assert cp.after_node("c", encode) is None
    ticks.now += 100
    assert cp.after_node("d", encode) is not None
    assert _labels(store) == ["after:b", "after:d"]


def test_events_write_with_their_label_and_status() -> None:
    store, encode = MemoryStore(), Encoder()
    cp = Checkpointer(store, "run", CheckpointPolicy(every_nodes=None))
    pause = cp.on_pause(encode)
    assert pause is not None and pause.meta.status == "paused"
    assert store.status("run") == "paused"
    fail = cp.on_failure(encode)
    assert fail is not None and fail.meta.status == "failed"
    done = cp.on_complete(encode)
    assert done is not None and done.meta.status == "completed"
    assert _labels(store) == ["pause", "failure", "complete"]
    assert store.status("run") == "completed"


def test_disabled_events_still_record_the_status() -> None:
    store, encode = MemoryStore(), Encoder()
    policy = CheckpointPolicy(on_pause=False, on_failure=False, on_complete=False)
    cp = Checkpointer(store, "run", policy)
    assert cp.on_complete(encode) is None  # nothing stored yet: nothing to mark
    assert store.status("run") is None
    cp.after_node("a", encode)
    assert cp.on_pause(encode) is None
    assert store.status("run") == "paused"
    assert cp.on_failure(encode) is None
    assert store.status("run") == "failed"
    assert cp.on_complete(encode) is None
    assert store.status("run") == "completed"
    assert encode.calls == 1 and _labels(store) == ["after:a"]


def test_manual_checkpoint_ignores_the_policy_and_resets_counters() -> None:
    store, encode = MemoryStore(), Encoder()
    cp = Checkpointer(store, "run", CheckpointPolicy(every_nodes=2))
    cp.after_node("a", encode)
    ref = cp.checkpoint(encode)
    assert ref.label == "manual" and cp.nodes_since_last == 0
    assert cp.after_node("b", encode) is None
    assert cp.checkpoint(encode, label="before deploy").label == "before deploy"


def test_odd_node_ids_still_make_valid_labels() -> None:
    store, encode = MemoryStore(), Encoder()
    cp = Checkpointer(store, "run")
    cp.after_node("line\nbreak", encode)
    cp.after_node("n" * 500, encode)
    labels = _labels(store)
    assert labels[0] == "after:line?break"
    assert labels[1] == ("after:" + "n" * 500)[:200]


class _FailingStore(MemoryStore):
    def __init__(self) -> None:
        super().__init__()
        self.fail = True

    def put(self, execution_id: str, data: bytes, meta: SnapshotMeta) -> SnapshotRef:
        if self.fail:
            raise StorageError("disk full")
        return super().put(execution_id, data, meta)


def test_store_errors_propagate_and_the_next_node_retries() -> None:
    store, encode = _FailingStore(), Encoder()
    cp = Checkpointer(store, "run", CheckpointPolicy(every_nodes=2))
    cp.after_node("a", encode)
    with pytest.raises(StorageError, match="disk full"):
        cp.after_node("b", encode)
    assert cp.nodes_since_last == 2 and cp.written == 0 and cp.last is None
    store.fail = False
    assert cp.after_node("c", encode) is not None
    assert _labels(store) == ["after:c"]


def test_size_limits_of_the_store_apply() -> None:
    store = MemoryStore(max_snapshot_size=3)
    cp = Checkpointer(store, "run")
    with pytest.raises(SnapshotTooLargeError, match="limit of 3 bytes"):
        cp.after_node("a", Encoder())
    assert store.list("run") == [] and cp.nodes_since_last == 1


def test_the_execution_id_is_validated_up_front() -> None:
    with pytest.raises(StorageError, match="execution id"):
        Checkpointer(MemoryStore(), "../x")
