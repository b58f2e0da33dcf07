"""pytest-wfsnap's pytest plugin: hooks and fixture wiring only.

Registered through the ``pytest11`` entry point ``wfsnap``. Every hook delegates to the
:class:`~pytest_wfsnap.plugin.session.WfsnapSession` kept in ``config.stash``; the work lives in
the sibling modules (options, validation, golden files, record, replay, compare, report, xdist).
The engine is imported only when a test uses the fixture.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from typing import TYPE_CHECKING

import pytest

from pytest_wfsnap.plugin import options, report, xdist
from pytest_wfsnap.plugin.session import SESSION_KEY, WfsnapSession, get_session
from pytest_wfsnap.plugin.validation import MARKER_LINE

if TYPE_CHECKING:  # pragma: no cover - the engine is imported when a test uses the fixture
    from pytest_wfsnap.plugin.fixture import WfSnapshot


def pytest_addoption(parser: pytest.Parser) -> None:
    options.add_options(parser)


@pytest.hookimpl(tryfirst=True)
def pytest_load_initial_conftests(early_config: pytest.Config, args: list[str]) -> None:
    options.normalise_record_flag(args)


def pytest_configure(config: pytest.Config) -> None:
    config.addinivalue_line("markers", MARKER_LINE)
    wf = WfsnapSession.from_config(config)
    config.stash[SESSION_KEY] = wf
    config.pluginmanager.register(_CollectReports(wf), "wfsnap-collect")
    xdist.register(config)


def pytest_report_header(config: pytest.Config) -> str:
    return report.header_line(get_session(config))


class _CollectReports:
    """Collect reports carry no config: this per-config instance forwards them."""

    def __init__(self, wf: WfsnapSession) -> None:
        self.wf = wf

    def pytest_collectreport(self, report: pytest.CollectReport) -> None:
        self.wf.on_collectreport(report)


def pytest_deselected(items: Sequence[pytest.Item]) -> None:
    if items:
        get_session(items[0].config).on_deselected(items)


def pytest_collection_finish(session: pytest.Session) -> None:
    get_session(session.config).on_collection_finish(session.items)


def pytest_sessionfinish(session: pytest.Session) -> None:
    get_session(session.config).finish(session)


def pytest_terminal_summary(terminalreporter: pytest.TerminalReporter) -> None:
    report.write_summary(get_session(terminalreporter.config), terminalreporter)


@pytest.fixture
def wf_snapshot(request: pytest.FixtureRequest) -> Iterator[WfSnapshot]:
    """Record (``--wf-record``) or replay and check a workflow run against its golden file."""
    from pytest_wfsnap.plugin.fixture import WfSnapshot

    snap = WfSnapshot(get_session(request.config), request.node)
    yield snap
    snap.finalise()
