"""pytest-xdist support: workers hand their outcomes and selection to the controller.

Each worker records and checks its own tests (a golden file belongs to exactly one test id, so no
two workers ever write the same file). At the end of its session a worker puts its report into
``config.workeroutput``; the controller merges every report in ``pytest_testnodedown`` and then
judges unused goldens once, with the whole picture.
"""

from __future__ import annotations

from typing import Any

import pytest

from pytest_wfsnap.plugin.session import get_session

WORKEROUTPUT_KEY = "wfsnap"


class XdistHooks:
    """Registered only when pytest-xdist is installed (its hooks are optional)."""

    def __init__(self, config: pytest.Config) -> None:
        self.config = config

    @pytest.hookimpl
    def pytest_sessionfinish(self, session: pytest.Session) -> None:
        workeroutput: dict[str, Any] | None = getattr(self.config, "workeroutput", None)
        if workeroutput is not None:
            workeroutput[WORKEROUTPUT_KEY] = get_session(self.config).worker_report()

    @pytest.hookimpl(optionalhook=True)
    def pytest_testnodedown(self, node: Any, error: object | None) -> None:
        workeroutput: dict[str, Any] | None = getattr(node, "workeroutput", None)
        if workeroutput and WORKEROUTPUT_KEY in workeroutput:
            get_session(self.config).merge_worker(workeroutput[WORKEROUTPUT_KEY])


def register(config: pytest.Config) -> None:
    if config.pluginmanager.hasplugin("xdist"):
        config.pluginmanager.register(XdistHooks(config), "wfsnap-xdist")


__all__ = ["WORKEROUTPUT_KEY", "XdistHooks", "register"]
