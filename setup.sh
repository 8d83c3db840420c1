#!/usr/bin/env bash
# Quick start, step 1: install everything, then render the default lecture (config/lecture.yaml).
# Pass render options through, e.g. ./setup.sh -q low
set -euo pipefail
cd "$(dirname "$0")"
bash scripts/install.sh
echo "setup.sh: rendering config/lecture.yaml; the videos' paths follow" >&2
.venv/bin/loss-scenes render config/lecture.yaml "$@"
