"""From validated arguments to a complete run specification (workflow file, config, options)."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from pytest_wfsnap.engine.config import Config
from pytest_wfsnap.errors import PluginUsageError, describe
from pytest_wfsnap.plugin.options import Settings, resolve
from pytest_wfsnap.plugin.validation import ACCEPTED, WfArgs

DEFAULT_SEED = 0


@dataclass(frozen=True, slots=True)
class RunSpec:
    """Everything one recorded or replayed run needs, with every precedence rule applied."""

    workflow_path: Path
    workflow_ref: str  # as written in the golden: relative to the rootdir when possible
    payload: bytes
    config: Config
    seed: int
    start_after: str | None
    states: tuple[str, ...]
    float_tolerance: float
    ignore: tuple[str, ...]
    compare: tuple[str, ...]

    @property
    def requested_states(self) -> tuple[str, ...]:
        """Node ids whose "state after" the golden must hold, without duplicates."""
        wanted = ([self.start_after] if self.start_after else []) + list(self.states)
        return tuple(dict.fromkeys(wanted))


def resolve_workflow(workflow: str, test_dir: Path, rootpath: Path) -> Path:
    """The workflow file: absolute as given, else the test file's directory, then the rootdir."""
    given = Path(workflow)
    candidates = [given] if given.is_absolute() else [test_dir / given, rootpath / given]
    for candidate in candidates:
        if candidate.is_file():
            return candidate.resolve()
    looked = ", ".join(str(c) for c in candidates)
    raise PluginUsageError(f"workflow file {workflow!r} not found (looked in: {looked})")


def workflow_ref(path: Path, rootpath: Path) -> str:
    try:
        return path.relative_to(rootpath.resolve()).as_posix()
    except ValueError:
        return path.as_posix()


def build_spec(args: WfArgs, settings: Settings, test_path: Path, rootpath: Path) -> RunSpec:
    """Apply the precedence rules (command line > marker/keywords > ini) to one run."""
    if args.workflow is None:
        raise PluginUsageError(
            "wf_snapshot: no workflow given; pass workflow=... to @pytest.mark.wf_snapshot or "
            f"as a keyword (workflow: {ACCEPTED['workflow']})"
        )
    path = resolve_workflow(args.workflow, test_path.parent, rootpath)
    try:
        payload = path.read_bytes()
    except OSError as exc:
        raise PluginUsageError(f"cannot read workflow file {path}: {describe(exc)}") from exc
    return RunSpec(
        workflow_path=path,
        workflow_ref=workflow_ref(path, rootpath),
        payload=payload,
        config=args.config if args.config is not None else Config(),
        seed=args.seed if args.seed is not None else DEFAULT_SEED,
        start_after=args.start_after,
        states=args.states,
        float_tolerance=resolve(
            settings.cli_float_tolerance, args.float_tolerance, settings.ini_float_tolerance
        ),
        ignore=resolve(settings.cli_ignore, args.ignore, settings.ini_ignore),
        compare=resolve(settings.cli_compare, args.compare, settings.ini_compare),
    )


__all__ = ["DEFAULT_SEED", "RunSpec", "build_spec", "resolve_workflow", "workflow_ref"]
