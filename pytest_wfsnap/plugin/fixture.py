"""The object the ``wf_snapshot`` fixture hands to a test.

``run()`` is the one-line path: in record mode it runs the workflow for real and the golden is
written when the test ends; in replay mode it restores the recorded start state, runs the rest
without network and fails the test on drift. The other methods are building blocks for custom
tests. Every method takes the marker's arguments as keywords; a keyword given to a call replaces
the marker's value for that call.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any, NoReturn

import pytest

from pytest_wfsnap.engine import Engine, Result
from pytest_wfsnap.engine.config import Config
from pytest_wfsnap.engine.copying import gc_paused
from pytest_wfsnap.errors import (
    ConfigError,
    ExecutionError,
    GoldenFileError,
    PayloadError,
    PluginUsageError,
    SnapshotError,
)
from pytest_wfsnap.plugin.compare import Drift, compare_results, compare_runs
from pytest_wfsnap.plugin.golden import (
    Golden,
    LoadedGolden,
    decode_golden,
    golden_bytes,
    load_golden,
    read_bytes,
)
from pytest_wfsnap.plugin.golden import write_if_changed as write_golden
from pytest_wfsnap.plugin.normalize import execution_id_for
from pytest_wfsnap.plugin.options import record_command, resolve
from pytest_wfsnap.plugin.record import record_golden, recording_time, snapshot_doc
from pytest_wfsnap.plugin.replay import check_fresh, golden_snapshot, recordings, replay
from pytest_wfsnap.plugin.replay import start_state as recorded_state
from pytest_wfsnap.plugin.runs import (
    RunOutcome,
    initial_snapshot,
    pinned_clock,
    restored_engine,
)
from pytest_wfsnap.plugin.session import Outcome, WfsnapSession
from pytest_wfsnap.plugin.validation import WfArgs, marker_args, validate_args
from pytest_wfsnap.plugin.workflow import RunSpec, build_spec
from pytest_wfsnap.snapshot import Snapshot

_USAGE_ERRORS = (GoldenFileError, PluginUsageError, PayloadError, ConfigError, SnapshotError)


class WfSnapshot:
    """Record or replay one test's workflow run against its golden file."""

    def __init__(self, wf: WfsnapSession, item: pytest.Item) -> None:
        self._wf = wf
        self.nodeid = item.nodeid
        self._test_path = item.path
        self.golden_path: Path = wf.golden_path(item)
        try:
            self._marker = marker_args(item)
        except PluginUsageError as exc:
            pytest.fail(str(exc), pytrace=False)
        self._original = read_bytes(self.golden_path)
        mode = wf.settings.record_mode
        self.recording = mode == "all" or (mode == "new" and self._original is None)
        self._golden: Golden | None = None  # replay: the loaded golden
        self._finite = False  # replay: the golden was read by a strict JSON parser
        self._pending: Golden | None = None  # record: the golden written at teardown
        self._states: list[str] = []
        self._snapshots: dict[str, dict[str, Any]] = {}
        self._outcome: Outcome | None = None

    # --- public API ------------------------------------------------------------------------------
    @property
    def mode(self) -> str:
        """``"record"`` or ``"replay"`` for this test."""
        return "record" if self.recording else "replay"

    @property
    def record_command(self) -> str:
        """The command that re-records this test's golden."""
        return record_command(self.nodeid, self._wf.settings)

    def run(self, **kwargs: Any) -> Result:
        """Record (live run) or replay and check; returns the run's Result.

        A run that fails raises :class:`~pytest_wfsnap.errors.ExecutionError`, in replay only
        after the failure was checked against the recorded one.
        """
        with self._guard():
            spec = self._spec(kwargs)
            if self.recording:
                outcome = self._record(spec)
                if outcome.error is not None:
                    raise outcome.error
                return outcome.result
            # Everything a replay allocates (the parsed golden, both final states) dies when it
            # ends and is released before the collector resumes: collections during it would
            # walk those objects for nothing and promote them to older generations, whose full
            # collections then walk the whole session's heap.
            with gc_paused():
                result, error, drift = self._replay(spec)
            self._check(drift)
            if error is not None:
                raise error
            return result

    def load_golden(self) -> Golden:
        """The golden file, validated (in record mode: the golden recorded by this test)."""
        with self._guard():
            if self.recording:
                if self._pending is None:
                    raise GoldenFileError(
                        f"nothing recorded yet for {self.nodeid}: call run() or start_state() first"
                    )
                return self._pending
            if self._golden is None:
                loaded = self._read_golden()
                self._golden = loaded.golden
                self._finite = loaded.finite
            return self._golden

    def start_state(self, after: str | None = None, **kwargs: Any) -> Snapshot:
        """The recorded state right after node ``after`` (``None``: the state before any node)."""
        with self._guard():
            spec = self._spec(kwargs)
            if self.recording:
                if after is not None and (
                    self._pending is None or after not in self._pending.start_states
                ):
                    self._states.append(after)
                    self._record(spec)
                at = recording_time(self._previous())
                initial = initial_snapshot(
                    spec, execution_id=execution_id_for(self.nodeid), clock=pinned_clock(at)
                )
                if after is None:
                    return initial
                assert self._pending is not None
                return recorded_state(self._pending, after, initial, self._shown_path)
            golden = self.load_golden()
            initial = check_fresh(golden, spec, self._shown_path)
            if after is None:
                return initial
            return recorded_state(golden, after, initial, self._shown_path, finite=self._finite)

    def engine_from(self, snapshot: Snapshot, **kwargs: Any) -> Engine:
        """An engine resuming ``snapshot`` under the recording's clock; in replay, HTTP nodes
        are served from the golden's recordings. The config comes from the marker/keywords."""
        with self._guard():
            args = self._args(kwargs)
            config = args.config if args.config is not None else Config()
            if self.recording:
                clock = pinned_clock(recording_time(self._pending or self._previous()))
                served: dict[str, Any] = {}
            else:
                golden = self.load_golden()
                clock = pinned_clock(golden.clock)
                served = recordings(golden)
            return restored_engine(snapshot, config, clock=clock, replay=served)

    def record_snapshot(self, name: str, snapshot: Snapshot, **kwargs: Any) -> None:
        """Record mode: store ``snapshot`` in the golden under ``name``. Replay: check that
        ``snapshot`` matches the one stored under ``name``."""
        with self._guard():
            if self.recording:
                self._snapshots[name] = snapshot_doc(snapshot)
                return
            golden = self.load_golden()
            stored = golden.snapshots.get(name)
            if stored is None:
                known = ", ".join(sorted(golden.snapshots)) or "none"
                raise GoldenFileError(
                    f"golden file {self._shown_path} holds no snapshot named {name!r} "
                    f"(stored: {known})"
                )
            old = golden_snapshot(
                stored, self._shown_path, f"snapshot {name!r}", finite=self._finite
            )
            tol, ignore, parts = self._comparison(kwargs)
            self._check(
                compare_runs(
                    old,
                    {},
                    snapshot,
                    {},
                    float_tolerance=tol,
                    ignore=ignore,
                    compare=parts,
                    old_plain=self._finite,
                )
            )

    def assert_matches(
        self, result: Result, snapshot: Snapshot | None = None, **kwargs: Any
    ) -> None:
        """Check ``result`` (and ``snapshot``, the engine's final state) against the recorded
        run; fails the test with a per-node diff on drift."""
        with self._guard():
            golden = self.load_golden()
            if golden.result is None or golden.final is None:
                raise GoldenFileError(f"golden file {self._shown_path} holds no recorded run")
            tol, ignore, parts = self._comparison(kwargs)
            new_result: dict[str, Any] = result.model_dump(mode="json")
            if snapshot is None:
                drift = compare_results(
                    golden.result, new_result, float_tolerance=tol, ignore=ignore, compare=parts
                )
            else:
                old = golden_snapshot(
                    golden.final, self._shown_path, "the final state", finite=self._finite
                )
                drift = compare_runs(
                    old,
                    golden.result,
                    snapshot,
                    new_result,
                    float_tolerance=tol,
                    ignore=ignore,
                    compare=parts,
                    old_plain=self._finite,
                )
            self._check(drift)

    # --- teardown --------------------------------------------------------------------------------
    def finalise(self) -> None:
        """Write the recorded golden (only in record mode) and report this test's outcome."""
        if self.recording and self._outcome != "failed":
            golden = self._pending
            if golden is None and self._snapshots:
                golden = Golden(test=self.nodeid, clock=recording_time(self._previous()))
            if golden is not None:
                golden = golden.model_copy(update={"snapshots": dict(self._snapshots)})
                data = golden_bytes(golden, self._original)
                write_golden(self.golden_path, data)
                if self._original is None:
                    self._outcome = "recorded"
                elif self._original == data:
                    self._outcome = "unchanged"
                else:
                    self._outcome = "updated"
        if self._outcome is not None:
            self._wf.set_outcome(self.nodeid, self._outcome)

    # --- internals -------------------------------------------------------------------------------
    @property
    def _shown_path(self) -> Path:
        return Path(self._wf.relpath(self.golden_path))

    def _args(self, kwargs: dict[str, Any]) -> WfArgs:
        if not kwargs:
            return self._marker
        return self._marker.merged(validate_args((), kwargs, "wf_snapshot"))

    def _spec(self, kwargs: dict[str, Any]) -> RunSpec:
        return build_spec(self._args(kwargs), self._wf.settings, self._test_path, self._wf.rootpath)

    def _comparison(self, kwargs: dict[str, Any]) -> tuple[float, tuple[str, ...], tuple[str, ...]]:
        args, settings = self._args(kwargs), self._wf.settings
        return (
            resolve(
                settings.cli_float_tolerance, args.float_tolerance, settings.ini_float_tolerance
            ),
            resolve(settings.cli_ignore, args.ignore, settings.ini_ignore),
            resolve(settings.cli_compare, args.compare, settings.ini_compare),
        )

    def _previous(self) -> Golden | None:
        if self._original is None:
            return None
        try:
            return decode_golden(self._original, self._shown_path)
        except GoldenFileError:
            return None  # re-recording replaces an unreadable golden

    def _read_golden(self) -> LoadedGolden:
        """Read and validate the golden (replay); an outdated format is noted, and rewritten
        when asked. Reading it again notes and rewrites nothing new."""
        if self._original is None:
            raise GoldenFileError(self._missing_message())
        loaded = load_golden(self._original, self._shown_path)
        if loaded.migrated:  # read as it is; rewritten only when asked
            rewrite = self._wf.settings.migrate_goldens
            if rewrite:
                write_golden(self.golden_path, loaded.current_bytes())
            self._wf.note_outdated(self.golden_path, migrated=rewrite)
        return loaded

    def _replay(self, spec: RunSpec) -> tuple[Result, ExecutionError | None, Drift]:
        """Replay and compare. The golden is read for this call only unless the test loaded
        it through :meth:`load_golden` (then that one is used)."""
        if self._golden is not None:
            golden, finite = self._golden, self._finite
        else:
            loaded = self._read_golden()
            golden, finite = loaded.golden, loaded.finite
        replayed = replay(golden, spec, self._shown_path, spec.start_after, finite=finite)
        return replayed.outcome.result, replayed.outcome.error, replayed.drift

    def _record(self, spec: RunSpec) -> RunOutcome:
        self._states.extend(s for s in spec.requested_states if s not in self._states)
        golden, outcome = record_golden(
            spec,
            test_id=self.nodeid,
            golden_path=self._shown_path,
            previous=self._previous(),
            extra_states=self._states,
        )
        self._pending = golden
        return outcome

    def _missing_message(self) -> str:
        ci = " (CI is set: golden files are only written with --wf-record)"
        return (
            f"golden file {self._shown_path} is missing for {self.nodeid}"
            f"{ci if self._wf.settings.in_ci else ''}"
        )

    def _check(self, drift: Drift) -> None:
        if drift:
            self._fail(
                f"workflow run drifted from the recording in {self._shown_path}:\n{drift.text()}"
            )
        if self._outcome is None:
            self._outcome = "checked"

    def _fail(self, message: str) -> NoReturn:
        self._outcome = "failed"
        pytest.fail(f"{message}\nre-record this test with: {self.record_command}", pytrace=False)

    @contextmanager
    def _guard(self) -> Iterator[None]:
        """Turn golden-file and usage problems into a clean test failure naming the fix."""
        try:
            yield
        except _USAGE_ERRORS as exc:
            message = str(exc)
        else:
            return
        try:
            self._fail(message)
        except pytest.fail.Exception as failure:
            raise failure from None  # the message says it all: no chained traceback


__all__ = ["WfSnapshot"]
