"""Which golden files no selected test uses: one pass over the tests, one over the files.

A golden is *owned* by a selected test that requests the ``wf_snapshot`` fixture, whatever the
test's outcome (a skipped test still owns its golden). A golden is *judged* only when the
session saw its whole test file:

* the test file was collected without error, none of its tests was deselected (by ``-k``,
  ``-m``, ``--deselect``, ``--lf``, ...) and it was not narrowed to node ids on the command
  line; or
* its test file no longer exists and lies under a directory given to (or found by) pytest.

A judged golden that no selected test owns is *unused*. Goldens of test files outside the
selection, or only partly selected, are never judged: a partial run reports nothing of theirs.
Deletion (``--wf-delete-unused``) additionally requires a complete session: no ``-k``/``-m``
expression, no deselection, no node-id arguments, no collection error, not interrupted.
"""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from pytest_wfsnap.plugin.paths import GOLDEN_SUFFIX, file_key, key_is_reversible


@dataclass(slots=True)
class Selection:
    """What collection decided, in terms of golden files (mergeable across xdist workers)."""

    owned: set[str] = field(default_factory=set)  # golden relpaths of selected tests
    collected: set[str] = field(default_factory=set)  # file keys collected without error
    protected: set[str] = field(default_factory=set)  # file keys with deselection/errors/skips
    deselected: bool = False
    collection_errors: bool = False

    def merge(self, other: Selection) -> None:
        self.owned |= other.owned
        self.collected |= other.collected
        self.protected |= other.protected
        self.deselected = self.deselected or other.deselected
        self.collection_errors = self.collection_errors or other.collection_errors

    def to_json(self) -> dict[str, Any]:
        return {
            "owned": sorted(self.owned),
            "collected": sorted(self.collected),
            "protected": sorted(self.protected),
            "deselected": self.deselected,
            "collection_errors": self.collection_errors,
        }

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> Selection:
        return cls(
            owned=set(data.get("owned", ())),
            collected=set(data.get("collected", ())),
            protected=set(data.get("protected", ())),
            deselected=bool(data.get("deselected", False)),
            collection_errors=bool(data.get("collection_errors", False)),
        )


@dataclass(frozen=True, slots=True)
class Scope:
    """The command-line arguments, seen as golden scopes."""

    directories: tuple[Path, ...]
    narrowed_keys: frozenset[str]  # test files given with ::node ids
    filtered: bool = False  # a -k or -m expression was given

    @classmethod
    def from_args(
        cls, args: list[str], invocation_dir: Path, rootpath: Path, *, filtered: bool = False
    ) -> Scope:
        dirs: list[Path] = []
        narrowed: set[str] = set()
        for arg in args:
            part, sep, _ = arg.partition("::")
            path = (invocation_dir / part).resolve()
            if sep:
                narrowed.add(file_key(path, rootpath))
            elif path.is_dir():
                dirs.append(path)
        return cls(tuple(dirs), frozenset(narrowed), filtered)

    def covers(self, path: Path) -> bool:
        return any(path.is_relative_to(d) for d in self.directories)


def find_goldens(fixtures_dir: Path) -> list[str]:
    """Every golden file under the fixtures dir, as posix paths relative to it (one walk)."""
    found: list[str] = []
    if not fixtures_dir.is_dir():
        return found
    for dirpath, _dirnames, filenames in os.walk(fixtures_dir):
        rel_dir = Path(dirpath).relative_to(fixtures_dir).as_posix()
        for name in filenames:
            if name.endswith(GOLDEN_SUFFIX) and not name.startswith("."):
                found.append(name if rel_dir == "." else f"{rel_dir}/{name}")
    found.sort()
    return found


def judge_unused(
    goldens: list[str], selection: Selection, scope: Scope, rootpath: Path
) -> list[str]:
    """The goldens (relpaths) that are judged and owned by no selected test."""
    unused: list[str] = []
    for rel in goldens:
        if rel in selection.owned:
            continue
        key = rel.rpartition("/")[0]
        if key in selection.protected or key in scope.narrowed_keys:
            continue
        if key in selection.collected:
            unused.append(rel)
            continue
        if not key or not key_is_reversible(key):
            continue
        *dirs, stem = key.split("/")
        test_file = rootpath.joinpath(*dirs, stem + ".py")
        if not test_file.exists() and scope.covers(test_file):
            unused.append(rel)
    return unused


def complete_selection(selection: Selection, scope: Scope) -> bool:
    """True when nothing narrowed the session (the only case where deletion is allowed)."""
    return not (
        selection.deselected or selection.collection_errors or scope.narrowed_keys or scope.filtered
    )


def delete_goldens(fixtures_dir: Path, relpaths: list[str]) -> list[str]:
    """Delete the given goldens, then directories left empty; returns the deleted relpaths."""
    deleted: list[str] = []
    for rel in relpaths:
        path = fixtures_dir / rel
        try:
            path.unlink()
        except FileNotFoundError:
            continue
        deleted.append(rel)
        parent = path.parent
        while parent != fixtures_dir and parent.is_relative_to(fixtures_dir):
            try:
                parent.rmdir()
            except OSError:
                break
            parent = parent.parent
    return deleted


__all__ = [
    "Scope",
    "Selection",
    "complete_selection",
    "delete_goldens",
    "find_goldens",
    "judge_unused",
]
