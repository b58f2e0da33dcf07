"""What the plugin prints: the report header line and the terminal summary."""

from __future__ import annotations

import pytest

from pytest_wfsnap.plugin.session import OUTCOMES, WfsnapSession

_MAX_LISTED = 20


def header_line(wf: WfsnapSession) -> str:
    settings = wf.settings
    mode = settings.record_mode
    if mode == "none" and settings.migrate_goldens:
        what = "replay (writes only goldens in an older format, rewritten by --wf-migrate-goldens)"
    elif mode == "none":
        what = "replay (never writes)"
    elif mode == "new":
        what = "record new goldens (--wf-record=new)"
    else:
        what = "record all goldens (--wf-record=all)"
    if settings.migrate_goldens and mode == "new":
        what += "; replayed goldens in an older format are rewritten (--wf-migrate-goldens)"
    if settings.in_ci and not settings.record_explicit:
        writes = "recording" if settings.migrate_goldens else "writes"
        what += f"; CI set: no {writes} without --wf-record"
    return f"wfsnap: {what}, fixtures dir: {wf.relpath(settings.fixtures_dir)}"


def summary_lines(wf: WfsnapSession) -> list[str]:
    """The summary: counts, then the unused goldens (capped) and what was done with them."""
    counts = wf.counts()
    unused = wf.unused
    n_unused = len(unused.unused) - len(unused.deleted) if unused else 0
    if not wf.outcomes and not (unused and unused.unused):
        return []
    parts = [f"{counts.get(name, 0)} {name}" for name in OUTCOMES]
    parts.append(f"{n_unused} unused")
    if wf.settings.migrate_goldens:
        parts.append(f"{len(wf.migrated)} migrated")
    lines = ["golden files: " + ", ".join(parts)]
    not_migrated = len(wf.outdated - wf.migrated)
    if not_migrated:
        lines.append(
            f"{not_migrated} golden file(s) in an older format were read as they are; "
            "rewrite them in the current format with: pytest --wf-migrate-goldens"
        )
    if unused is None:
        return lines
    fixtures = wf.settings.fixtures_dir
    if unused.deleted:
        lines.append(f"deleted {len(unused.deleted)} unused golden file(s):")
        lines.extend(f"  {wf.relpath(fixtures / rel)}" for rel in unused.deleted[:_MAX_LISTED])
    remaining = [rel for rel in unused.unused if rel not in set(unused.deleted)]
    if remaining:
        lines.append(f"{len(remaining)} unused golden file(s) (no selected test uses them):")
        lines.extend(f"  {wf.relpath(fixtures / rel)}" for rel in remaining[:_MAX_LISTED])
        if len(remaining) > _MAX_LISTED:
            lines.append(f"  ... and {len(remaining) - _MAX_LISTED} more")
        if unused.deletion_refused:
            lines.append(f"not deleted: {unused.deletion_refused}")
        elif not wf.settings.delete_unused:
            lines.append("delete them with: pytest --wf-delete-unused (whole suite only)")
        if wf.settings.fail_on_unused:
            lines.append("session failed: unused golden files (--wf-fail-on-unused)")
    return lines


def write_summary(wf: WfsnapSession, terminalreporter: pytest.TerminalReporter) -> None:
    lines = summary_lines(wf)
    if not lines:
        return
    terminalreporter.section("wfsnap", sep="-")
    for line in lines:
        terminalreporter.line(line)


__all__ = ["header_line", "summary_lines", "write_summary"]
