"""Golden file paths: one per test and parametrized case, sanitised, long names hashed."""

from __future__ import annotations

from tests.plugin.support import WfPytester

SOURCE = """
import pytest

@pytest.mark.parametrize(
    "name",
    ["a/b", "a_b", "ünï", "..", "plain", pytest.param("long", id="y" * 150)],
)
@pytest.mark.wf_snapshot(workflow="workflows/calc.json")
def test_names(wf_snapshot, name):
    wf_snapshot.run()
"""


def test_paths_are_distinct_and_portable(wf: WfPytester, mode: str) -> None:
    (wf.path / "pkg").mkdir()
    wf.pytester.makepyfile(**{"pkg/test_names": SOURCE})
    wf.run_mode(mode, "--wf-record").assert_outcomes(passed=6)
    files = sorted(wf.goldens())
    assert len(files) == 6
    assert "pkg/test_names/test_names[plain].golden.json" in files
    long_names = [f for f in files if "yyyy" in f]
    assert len(long_names) == 1 and len(long_names[0].rsplit("/", 1)[1]) < 120
    for rel in files:
        directory, name = rel.rsplit("/", 1)
        assert directory == "pkg/test_names"
        assert len(name) <= 100 + len(".golden.json")
        assert all(c.isascii() and (c.isalnum() or c in "_.-[]") for c in name), name
        assert not name.startswith(".")
    wf.run_mode(mode).assert_outcomes(passed=6)
