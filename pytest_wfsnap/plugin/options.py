"""Command-line and ini options of the plugin, and the one place where their precedence is decided.

Precedence, for every setting that exists at more than one level:

    command line  >  marker (or keywords given to ``wf_snapshot.run()``)  >  ini file  >  default

* record mode: ``--wf-record[=all|new|none]`` > ini ``wf_record`` > ``none``. When the ``CI``
  environment variable is set, the ini value is ignored: only an explicit ``--wf-record`` on the
  command line writes anything.
* rewriting goldens of an older format: only ``--wf-migrate-goldens`` on the command line (no ini
  setting, so a CI run never rewrites them unless the flag is given).
* fixtures directory: ``--wf-fixtures-dir`` (relative to the current directory) > ini
  ``wf_fixtures_dir`` (relative to the rootdir) > ``fixtures`` under the rootdir.
* comparison: ``--wf-float-tolerance`` > marker ``float_tolerance`` > ini ``wf_float_tolerance``
  > ``0``; ``--wf-ignore`` > marker ``ignore`` > ini ``wf_ignore_paths`` > none;
  ``--wf-compare`` > marker ``compare`` > ini ``wf_compare`` > every part.
"""

from __future__ import annotations

import os
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Literal, TypeVar, cast

import pytest

RecordMode = Literal["all", "new", "none"]
RECORD_MODES: tuple[RecordMode, ...] = ("all", "new", "none")

# The parts of a run's final state that replay compares (``compare=`` selects a subset).
COMPARE_PARTS: tuple[str, ...] = (
    "status",
    "node_results",
    "final_output",
    "errors",
    "variables",
    "accumulator",
    "counter",
    "cache",
    "context",
    "counters",
    "progress",
)

_T = TypeVar("_T")


def add_options(parser: pytest.Parser) -> None:
    """Register the command-line options and ini settings."""
    group = parser.getgroup("wfsnap", "workflow golden files (pytest-wfsnap)")
    group.addoption(
        "--wf-record",
        action="store",
        nargs="?",
        const="all",
        default=None,
        metavar="MODE",
        dest="wf_record",
        help=(
            "record workflow golden files by running the workflows for real. MODE: all "
            "(default when the flag is given bare: record or refresh every selected golden), "
            "new (record only missing goldens), none (replay only; the default)."
        ),
    )
    group.addoption(
        "--wf-fixtures-dir",
        action="store",
        default=None,
        metavar="DIR",
        dest="wf_fixtures_dir",
        help="directory of the golden files (default: ini wf_fixtures_dir, else 'fixtures' "
        "under the rootdir).",
    )
    group.addoption(
        "--wf-float-tolerance",
        action="store",
        type=float,
        default=None,
        metavar="TOL",
        dest="wf_float_tolerance",
        help="absolute tolerance for float comparisons on replay (overrides markers and ini).",
    )
    group.addoption(
        "--wf-ignore",
        action="append",
        default=None,
        metavar="PATH",
        dest="wf_ignore",
        help="JSON path pattern left out of replay comparisons, e.g. '$.results.fetch.at' "
        "(repeatable; overrides markers and ini).",
    )
    group.addoption(
        "--wf-compare",
        action="store",
        default=None,
        metavar="PARTS",
        dest="wf_compare",
        help=f"comma-separated parts of the state compared on replay, from: "
        f"{', '.join(COMPARE_PARTS)} (default: all; overrides markers and ini).",
    )
    group.addoption(
        "--wf-migrate-goldens",
        action="store_true",
        default=False,
        dest="wf_migrate_goldens",
        help="rewrite every golden file the session reads that is in an older format, in the "
        "current format (content unchanged). Without it, old goldens are read as they are.",
    )
    group.addoption(
        "--wf-fail-on-unused",
        action="store_true",
        default=False,
        dest="wf_fail_on_unused",
        help="fail the session when golden files are unused by the selected tests.",
    )
    group.addoption(
        "--wf-delete-unused",
        action="store_true",
        default=False,
        dest="wf_delete_unused",
        help="delete unused golden files (only on a complete, unfiltered selection).",
    )
    parser.addini(
        "wf_fixtures_dir",
        "directory of workflow golden files, relative to the rootdir",
        default="fixtures",
    )
    parser.addini(
        "wf_record",
        "default record mode (all, new or none); ignored when the CI environment variable is set",
        default="none",
    )
    parser.addini(
        "wf_float_tolerance", "absolute float tolerance for replay comparisons", default="0"
    )
    parser.addini(
        "wf_ignore_paths", "JSON paths left out of replay comparisons", type="linelist", default=[]
    )
    parser.addini(
        "wf_compare",
        "parts of the state compared on replay (default: all)",
        type="args",
        default=[],
    )


def normalise_record_flag(args: list[str]) -> None:
    """Make a bare ``--wf-record`` mean ``--wf-record=all`` without swallowing the next argument.

    argparse would otherwise read ``pytest --wf-record tests/test_x.py::test_a`` as a record mode
    named after the node id. Edits ``args`` in place (the documented way for plugins to adjust
    arguments in ``pytest_load_initial_conftests``), before the final parse. The option has no
    argparse ``choices`` because an earlier, tolerant parse sees the unedited arguments; the
    mode is validated in :func:`load_settings`.
    """
    for index, arg in enumerate(args):
        if arg == "--":
            return
        if arg == "--wf-record":
            following = args[index + 1] if index + 1 < len(args) else None
            if following not in RECORD_MODES:
                args[index] = "--wf-record=all"


@dataclass(frozen=True, slots=True)
class Settings:
    """The session-wide settings, resolved once from the command line, ini and environment."""

    record_mode: RecordMode
    record_explicit: bool
    fixtures_dir: Path
    fixtures_dir_from_cli: str | None
    in_ci: bool
    fail_on_unused: bool
    delete_unused: bool
    migrate_goldens: bool
    cli_float_tolerance: float | None
    cli_ignore: tuple[str, ...] | None
    cli_compare: tuple[str, ...] | None
    ini_float_tolerance: float
    ini_ignore: tuple[str, ...]
    ini_compare: tuple[str, ...]


def resolve(cli: _T | None, marker: _T | None, ini: _T) -> _T:
    """The precedence rule: command line, then marker, then ini."""
    if cli is not None:
        return cli
    if marker is not None:
        return marker
    return ini


def parse_compare(parts: Sequence[str], where: str) -> tuple[str, ...]:
    """Validate a list of comparison parts (``all`` means every part)."""
    names: list[str] = []
    for raw in parts:
        names.extend(p.strip() for p in raw.split(",") if p.strip())
    if not names or names == ["all"]:
        return COMPARE_PARTS
    unknown = [n for n in names if n not in COMPARE_PARTS]
    if unknown:
        raise pytest.UsageError(
            f"{where}: unknown comparison part(s) {', '.join(unknown)}; "
            f"choose from: {', '.join(COMPARE_PARTS)} (or all)"
        )
    return tuple(n for n in COMPARE_PARTS if n in names)


def _float_setting(value: Any, where: str) -> float:
    try:
        number = float(value)
    except (TypeError, ValueError):
        raise pytest.UsageError(f"{where}: expected a number, got {value!r}") from None
    if number < 0 or number != number:
        raise pytest.UsageError(f"{where}: must be a non-negative number, got {value!r}")
    return number


def _record_mode(value: str, where: str) -> RecordMode:
    for mode in RECORD_MODES:
        if value == mode:
            return mode
    raise pytest.UsageError(
        f"{where}: invalid record mode {value!r}; choose from: {', '.join(RECORD_MODES)}"
    )


def load_settings(config: pytest.Config) -> Settings:
    """Resolve every option once, at configure time."""
    cli_mode = cast("str | None", config.getoption("wf_record"))
    in_ci = bool(os.environ.get("CI"))
    if cli_mode is not None:
        mode = _record_mode(cli_mode, "--wf-record")
    elif in_ci:
        mode = "none"
    else:
        mode = _record_mode(str(config.getini("wf_record")).strip() or "none", "ini wf_record")
    cli_dir = cast("str | None", config.getoption("wf_fixtures_dir"))
    raw_dir = cli_dir if cli_dir is not None else str(config.getini("wf_fixtures_dir"))
    base = config.invocation_params.dir if cli_dir is not None else config.rootpath
    fixtures_dir = (base / Path(raw_dir)).resolve()
    cli_tol = cast("float | None", config.getoption("wf_float_tolerance"))
    if cli_tol is not None:
        cli_tol = _float_setting(cli_tol, "--wf-float-tolerance")
    cli_ignore = cast("list[str] | None", config.getoption("wf_ignore"))
    cli_compare = cast("str | None", config.getoption("wf_compare"))
    return Settings(
        record_mode=mode,
        record_explicit=cli_mode is not None,
        fixtures_dir=fixtures_dir,
        fixtures_dir_from_cli=cli_dir,
        in_ci=in_ci,
        fail_on_unused=bool(config.getoption("wf_fail_on_unused")),
        delete_unused=bool(config.getoption("wf_delete_unused")),
        migrate_goldens=bool(config.getoption("wf_migrate_goldens")),
        cli_float_tolerance=cli_tol,
        cli_ignore=tuple(cli_ignore) if cli_ignore is not None else None,
        cli_compare=parse_compare([cli_compare], "--wf-compare") if cli_compare else None,
        ini_float_tolerance=_float_setting(
            config.getini("wf_float_tolerance"), "ini option wf_float_tolerance"
        ),
        ini_ignore=tuple(cast("list[str]", config.getini("wf_ignore_paths"))),
        ini_compare=parse_compare(cast("list[str]", config.getini("wf_compare")), "wf_compare"),
    )


def record_command(nodeid: str, settings: Settings) -> str:
    """The exact command that re-records one test."""
    extra = ""
    if settings.fixtures_dir_from_cli is not None:
        extra = f" --wf-fixtures-dir={_quote(settings.fixtures_dir_from_cli)}"
    return f"pytest --wf-record{extra} {_quote(nodeid)}"


def _quote(text: str) -> str:
    return "'" + text.replace("'", "'\"'\"'") + "'"


__all__ = [
    "COMPARE_PARTS",
    "RECORD_MODES",
    "RecordMode",
    "Settings",
    "add_options",
    "load_settings",
    "normalise_record_flag",
    "parse_compare",
    "record_command",
    "resolve",
]
