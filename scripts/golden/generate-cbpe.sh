#!/usr/bin/env bash
# Regenerates test/fixtures/golden-cbpe-nannyml.json from NannyML's own CBPE. NannyML pins
# numpy/pandas/scikit-learn versions of its own, so it gets its own git-ignored venv
# (.venv-nannyml) rather than the project's shared .venv.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
python="$(CT_FLYWHEEL_VENV="$root/.venv-nannyml" bash "$root/examples/python-common/ensure-venv.sh" "$root/scripts/golden/requirements-nannyml.txt" | tail -n 1)"
exec "$python" "$root/scripts/golden/nannyml_cbpe.py" "$@"
