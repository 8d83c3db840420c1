#!/usr/bin/env bash
# Quick start, step 2: run the test suite (installs what is missing first).
# Extra arguments go to pytest, e.g. ./test.sh -m "not slow"
set -euo pipefail
cd "$(dirname "$0")"
bash scripts/install.sh
exec .venv/bin/python -m pytest -n 2 "$@"
