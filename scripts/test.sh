#!/usr/bin/env bash
# The project's test command: lint, type-check, then the whole test suite on 2 workers.
set -euo pipefail
cd "$(dirname "$0")/.."
if [ ! -x .venv/bin/python ]; then
    python3 -m venv .venv
    .venv/bin/pip install -q --upgrade pip
    .venv/bin/pip install -q -e '.[dev]'
fi
echo "== ruff"
.venv/bin/ruff check .
.venv/bin/ruff format --check .
echo "== mypy (strict)"
.venv/bin/mypy
echo "== example project: replay its committed goldens (never writes)"
(cd examples/shop && ../../.venv/bin/python -m pytest -q -p no:cacheprovider)
echo "== pytest"
.venv/bin/python -m pytest -n 2 -q -p no:cacheprovider "$@"
