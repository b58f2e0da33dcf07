"""The plugin's per-session state, kept in ``config.stash`` under :data:`SESSION_KEY`.

Hooks in ``plugin.py`` are thin: each one calls a method of :class:`WfsnapSession`. Under
pytest-xdist every worker holds its own session; at the end a worker sends its outcomes and its
view of the selection to the controller (``xdist.py``), which merges them and judges unused
goldens there.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Literal

import pytest

from pytest_wfsnap.plugin.options import Settings, load_settings
from pytest_wfsnap.plugin.paths import file_key, golden_relpath
from pytest_wfsnap.plugin.unused import (
    Scope,
    Selection,
    complete_selection,
    delete_goldens,
    find_goldens,
    judge_unused,
)

Outcome = Literal["recorded", "updated", "unchanged", "checked", "failed"]
OUTCOMES: tuple[Outcome, ...] = ("recorded", "updated", "unchanged", "checked", "failed")
FIXTURE = "wf_snapshot"


@dataclass(slots=True)
class UnusedResult:
    unused: list[str] = field(default_factory=list)
    deleted: list[str] = field(default_factory=list)
    deletion_refused: str | None = None


@dataclass(slots=True)
class WfsnapSession:
    settings: Settings
    rootpath: Path
    invocation_dir: Path
    args: list[str]
    is_worker: bool
    filtered: bool
    outcomes: dict[str, Outcome] = field(default_factory=dict)
    selection: Selection = field(default_factory=Selection)
    unused: UnusedResult | None = None
    messages: list[str] = field(default_factory=list)
    outdated: set[str] = field(default_factory=set)  # goldens read in an older format
    migrated: set[str] = field(default_factory=set)  # ... and rewritten (--wf-migrate-goldens)

    @classmethod
    def from_config(cls, config: pytest.Config) -> WfsnapSession:
        return cls(
            settings=load_settings(config),
            rootpath=config.rootpath,
            invocation_dir=config.invocation_params.dir,
            args=list(config.args),
            is_worker=hasattr(config, "workerinput"),
            filtered=bool(config.getoption("keyword", "") or config.getoption("markexpr", "")),
        )

    # --- paths -------------------------------------------------------------------------------
    def golden_path(self, item: pytest.Item) -> Path:
        return self.settings.fixtures_dir / golden_relpath(item.path, self.rootpath, item.nodeid)

    def relpath(self, path: Path) -> str:
        """A golden's path as shown to users: relative to the rootdir when possible."""
        try:
            return path.relative_to(self.rootpath).as_posix()
        except ValueError:
            return str(path)

    # --- collection --------------------------------------------------------------------------
    def on_collectreport(self, report: pytest.CollectReport) -> None:
        nodeid = report.nodeid
        if "::" in nodeid or not nodeid.endswith(".py"):
            return
        key = file_key(self.rootpath / nodeid, self.rootpath)
        if report.passed:
            self.selection.collected.add(key)
        else:
            self.selection.protected.add(key)
            if report.failed:
                self.selection.collection_errors = True

    def on_deselected(self, items: Sequence[pytest.Item]) -> None:
        if items:
            self.selection.deselected = True
        for item in items:
            self.selection.protected.add(file_key(item.path, self.rootpath))

    def on_collection_finish(self, items: Sequence[pytest.Item]) -> None:
        for item in items:
            if FIXTURE in getattr(item, "fixturenames", ()):
                self.selection.owned.add(golden_relpath(item.path, self.rootpath, item.nodeid))

    # --- outcomes ----------------------------------------------------------------------------
    def set_outcome(self, nodeid: str, outcome: Outcome) -> None:
        self.outcomes[nodeid] = outcome

    def note_outdated(self, path: Path, *, migrated: bool) -> None:
        """A golden in an older format was read (and rewritten in the current one)."""
        rel = self.relpath(path)
        self.outdated.add(rel)
        if migrated:
            self.migrated.add(rel)

    def counts(self) -> Counter[str]:
        return Counter(self.outcomes.values())

    def merge_worker(self, data: dict[str, Any]) -> None:
        """Fold one xdist worker's report into this (controller) session."""
        for nodeid, outcome in data.get("outcomes", {}).items():
            if outcome in OUTCOMES:
                self.outcomes[nodeid] = outcome
        self.selection.merge(Selection.from_json(data.get("selection", {})))
        self.outdated.update(data.get("outdated", ()))
        self.migrated.update(data.get("migrated", ()))

    def worker_report(self) -> dict[str, Any]:
        return {
            "outcomes": dict(self.outcomes),
            "selection": self.selection.to_json(),
            "outdated": sorted(self.outdated),
            "migrated": sorted(self.migrated),
        }

    # --- end of session ----------------------------------------------------------------------
    def finish(self, session: pytest.Session) -> None:
        """Judge unused goldens (controller or single process); delete or fail if asked."""
        if self.is_worker:
            return
        interrupted = session.exitstatus == pytest.ExitCode.INTERRUPTED
        scope = Scope.from_args(
            self.args, self.invocation_dir, self.rootpath, filtered=self.filtered
        )
        fixtures_dir = self.settings.fixtures_dir
        unused = judge_unused(find_goldens(fixtures_dir), self.selection, scope, self.rootpath)
        result = UnusedResult(unused=unused)
        if self.settings.delete_unused and unused:
            if interrupted:
                result.deletion_refused = "the session was interrupted"
            elif not complete_selection(self.selection, scope):
                result.deletion_refused = (
                    "the selection was partial (-k/-m, deselection, node ids, or collection "
                    "errors); run the whole suite to delete"
                )
            else:
                result.deleted = delete_goldens(fixtures_dir, unused)
        self.unused = result
        remaining = [u for u in unused if u not in result.deleted]
        if self.settings.fail_on_unused and remaining and not interrupted:
            session.exitstatus = pytest.ExitCode.TESTS_FAILED


SESSION_KEY = pytest.StashKey[WfsnapSession]()


def get_session(config: pytest.Config) -> WfsnapSession:
    return config.stash[SESSION_KEY]


__all__ = ["FIXTURE", "OUTCOMES", "SESSION_KEY", "Outcome", "WfsnapSession", "get_session"]
