"""Project-wide test hooks.

The conformance tally lives here (not in tests/conformance/) because under pytest-xdist only
initial conftests are loaded by the controller, which is where the session summary is printed.
"""

from __future__ import annotations

import pytest

CONFORMANCE_TEST = "conformance/test_cases.py::test_case["
NOT_COVERED = "not yet covered"


class ConformanceTally:
    """Counts conformance case outcomes and prints one summary line."""

    def __init__(self) -> None:
        self.outcomes: dict[str, str] = {}

    def pytest_runtest_logreport(self, report: pytest.TestReport) -> None:
        if CONFORMANCE_TEST not in report.nodeid:
            return
        if report.failed:
            self.outcomes[report.nodeid] = "failed"
        elif report.skipped and NOT_COVERED in str(report.longrepr):
            self.outcomes[report.nodeid] = "not covered"
        elif report.passed and report.when == "call":
            self.outcomes.setdefault(report.nodeid, "passed")

    def pytest_terminal_summary(self, terminalreporter: pytest.TerminalReporter) -> None:
        if not self.outcomes:
            return
        counts = {kind: 0 for kind in ("passed", "failed", "not covered")}
        for outcome in self.outcomes.values():
            counts[outcome] += 1
        terminalreporter.write_line(
            f"conformance: {counts['passed']} passed, {counts['failed']} failed, "
            f"{counts['not covered']} not yet covered"
        )


def pytest_configure(config: pytest.Config) -> None:
    config.pluginmanager.register(ConformanceTally(), "wfsnap-conformance-tally")
