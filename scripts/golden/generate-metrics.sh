#!/usr/bin/env bash
# Regenerates test/fixtures/golden-metrics.json from scikit-learn, statsmodels, scipy and
# fairlearn, installed (pinned) into the project's git-ignored .venv on first use.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
python="$(bash "$root/examples/python-common/ensure-venv.sh" "$root/scripts/golden/requirements-metrics.txt" | tail -n 1)"
exec "$python" "$root/scripts/golden/metrics_cases.py" "$@"
