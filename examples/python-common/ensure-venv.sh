#!/usr/bin/env bash
# Creates (once) the project's git-ignored Python virtualenv at .venv and installs the
# given requirements files into it. Prints the venv's python path on the last line.
# Used by golden-fixture generators, benchmarks against scipy/Evidently and the
# example trainers (examples/python-*, which `flywheel demo --model onnx-gbdt` also runs).
# It lives beside the examples because shipped code runs it: nothing shipped runs scripts/.
# Only PyPI is used.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
venv="${CT_FLYWHEEL_VENV:-$root/.venv}"
# Test files run in parallel and each may call this on a fresh clone: one at a time (a lock on
# this script itself), so two callers never create or pip-install into the same venv at once.
exec 9<"${BASH_SOURCE[0]}"
flock 9
if [ ! -x "$venv/bin/python" ]; then
  echo "ct-flywheel: creating Python virtualenv at $venv" >&2
  python3 -m venv "$venv"
  "$venv/bin/python" -m pip install --quiet --upgrade pip >&2
fi
for req in "$@"; do
  stamp="$venv/.installed-$(sha256sum "$req" | cut -c1-16)"
  if [ ! -f "$stamp" ]; then
    echo "ct-flywheel: installing $(basename "$req") into $venv (first time only)" >&2
    "$venv/bin/python" -m pip install --quiet -r "$req" >&2
    touch "$stamp"
  fi
done
echo "$venv/bin/python"
