"""The Snapshot model and its conversions to and from the engine's state."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta, timezone

import pytest
from pydantic import ValidationError

from pytest_wfsnap.engine.config import Config
from pytest_wfsnap.engine.engine_state import CachedValue, EngineState
from pytest_wfsnap.errors import SnapshotDecodeError, SnapshotEncodeError
from pytest_wfsnap.snapshot import (
    FORMAT_VERSION,
    Snapshot,
    snapshot_from_document,
    snapshot_from_state,
    snapshot_to_document,
    state_from_snapshot,
)
from pytest_wfsnap.snapshot.model import (
    DATA_FIELDS,
    config_from_document,
    config_to_document,
    format_time,
    ns_to_timedelta,
)
from tests.snapshot.support import T0, rich_snapshot

SEED_FIELDS = [
    "version",
    "snapshot_time",
    "workflow_id",
    "execution_id",
    "nodes",
    "edges",
    "results",
    "completed_nodes",
    "current_level",
    "variables",
    "accumulator",
    "counter",
    "cache",
    "context_vars",
    "context_consts",
    "node_execution_count",
    "http_call_count",
    "config",
]


def make_state() -> EngineState:
    return EngineState(
        workflow_id="wf",
        execution_id="feedface00000001",
        nodes=[{"id": "a", "type": "number", "data": {"value": 1.0}}],
        edges=[],
        config=Config(allow_http=True),
        results={"a": 1.0},
        completed_nodes=["a"],
        skipped_nodes=[],
        current_level=1,
        pending_nodes=[],
        status="paused",
        variables={"v": [1, 2]},
        accumulator=3,
        counter=4.0,
        cache={
            "k": CachedValue("x", datetime(2026, 1, 1, 12, tzinfo=timezone(timedelta(hours=2))))
        },
        context_vars={"c": 1},
        context_consts={"d": 2.0},
        node_execution_count=1,
        http_call_count=0,
        random_seed=7,
        http_recordings={"a": {"status": 200}},
    )


def test_model_has_the_seed_fields_and_the_resume_fields() -> None:
    fields = set(Snapshot.model_fields)
    assert set(SEED_FIELDS) <= fields
    extra = {
        "skipped_nodes",
        "pending_nodes",
        "failed_node",
        "status",
        "random_seed",
        "http_recordings",
    }
    assert fields == set(SEED_FIELDS) | extra
    assert set(EngineState.__dataclass_fields__) <= fields  # everything the engine resumes from
    assert FORMAT_VERSION == "2.1.0"


def test_every_field_is_converted_by_exactly_one_rule() -> None:
    # DATA_FIELDS are copied as they are; these three each have their own conversion.
    converted = {"counter", "cache", "config"}
    assert len(set(DATA_FIELDS)) == len(DATA_FIELDS)
    assert set(DATA_FIELDS).isdisjoint(converted)
    assert set(Snapshot.model_fields) == set(DATA_FIELDS) | converted | {"version", "snapshot_time"}
    assert set(EngineState.__dataclass_fields__) == set(DATA_FIELDS) | converted


def test_state_round_trip_is_exact() -> None:
    state = make_state()
    snap = snapshot_from_state(state, T0)
    assert snap.version == FORMAT_VERSION
    assert snap.snapshot_time == T0
    back = state_from_snapshot(snap)
    expected = make_state()
    # the cache expiration comes back in UTC: the same instant
    assert back.cache["k"].expiration == expected.cache["k"].expiration
    assert back.cache["k"].expiration.tzinfo is UTC
    assert back == expected


def test_conversions_do_not_share_containers() -> None:
    state = make_state()
    snap = snapshot_from_state(state, T0)
    state.results["b"] = 2.0
    state.completed_nodes.append("b")
    state.variables["w"] = 1
    assert "b" not in snap.results and snap.completed_nodes == ["a"] and "w" not in snap.variables
    back = state_from_snapshot(snap)
    back.results["c"] = 3.0
    back.http_recordings.clear()
    assert "c" not in snap.results and snap.http_recordings == {"a": {"status": 200}}


def test_snapshot_time_must_be_aware_and_is_stored_in_utc() -> None:
    with pytest.raises(SnapshotEncodeError, match="snapshot_time must be a timezone-aware"):
        snapshot_from_state(make_state(), datetime(2026, 1, 1))
    local = datetime(2026, 1, 1, 10, tzinfo=timezone(timedelta(hours=-5)))
    snap = snapshot_from_state(make_state(), local)
    assert snap.snapshot_time == datetime(2026, 1, 1, 15, tzinfo=UTC)
    assert snap.snapshot_time.tzinfo is UTC


def test_naive_cache_expiration_is_refused() -> None:
    state = make_state()
    state.cache["bad"] = CachedValue(1, datetime(2026, 1, 1))
    with pytest.raises(SnapshotEncodeError, match="cache entry 'bad' expiration"):
        snapshot_from_state(state, T0)


def test_pydantic_validation_of_a_document() -> None:
    snap = rich_snapshot()
    doc = snapshot_to_document(snap)
    assert Snapshot.model_validate(doc) == snap
    assert snapshot_from_document(doc) == snap
    with pytest.raises(ValidationError, match=r"holds format 2\.1\.0"):
        Snapshot.model_validate({**doc, "version": "1.0.0"})
    with pytest.raises(ValidationError):
        Snapshot.model_validate({**doc, "snapshot_time": "2026-01-01T00:00:00"})
    with pytest.raises(ValidationError):
        Snapshot.model_validate({**doc, "execution_id": ""})


def test_model_dump_json_mode_writes_config_in_document_form() -> None:
    dumped = rich_snapshot().model_dump(mode="json")
    assert dumped["config"]["max_execution_time"] == 90_000_000_000
    assert dumped["config"]["allow_http"] is True


def test_config_document_names_and_nanoseconds() -> None:
    config = Config(max_execution_time=timedelta(minutes=2), allowed_domains=None)
    doc = config_to_document(config)
    assert doc["max_execution_time"] == 120_000_000_000
    assert doc["default_backoff"] == 1_000_000_000
    assert doc["allowed_domains"] is None
    assert list(doc) == list(Config.model_fields)
    assert config_from_document(doc) == config
    assert config_from_document({}) == Config()  # missing fields take the engine default


@pytest.mark.parametrize(
    ("fields", "message"),
    [
        ({"max_execution_time": "5m"}, r"config\.max_execution_time: expected a duration"),
        ({"max_execution_time": 1.5}, r"config\.max_execution_time: expected a duration"),
        ({"http_timeout": True}, r"config\.http_timeout: expected a duration"),
        ({"http_timeout": 2**70}, r"config\.http_timeout: .* out of range"),
        ({"max_nodes": "many"}, r"max_nodes"),
        ({"no_such_field": 1}, r"unknown config field\(s\) no_such_field"),
    ],
)
def test_bad_config_documents_name_the_field(fields: dict[str, object], message: str) -> None:
    with pytest.raises(SnapshotDecodeError, match=message):
        config_from_document(fields)


def test_nanoseconds_round_half_to_even_to_microseconds() -> None:
    assert ns_to_timedelta(1_499) == timedelta(microseconds=1)
    assert ns_to_timedelta(1_500) == timedelta(microseconds=2)
    assert ns_to_timedelta(2_500) == timedelta(microseconds=2)
    assert ns_to_timedelta(2_501) == timedelta(microseconds=3)
    assert ns_to_timedelta(-1_500) == timedelta(microseconds=-2)


def test_format_time_is_rfc3339_utc() -> None:
    assert format_time(datetime(2026, 1, 2, 3, 4, 5, tzinfo=UTC)) == "2026-01-02T03:04:05Z"
    moment = datetime(2026, 1, 2, 3, 4, 5, 60, tzinfo=timezone(timedelta(hours=1)))
    assert format_time(moment) == "2026-01-02T02:04:05.000060Z"
