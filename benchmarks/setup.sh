#!/usr/bin/env bash
# Installs the pinned peers of `benchmarks/compare.py` (never part of bnnc's own install):
#   - hls4ml 1.3.0 with its dependencies and qonnx, into the project's venv (.venv, or $VENV);
#   - TensorFlow, Larq and Larq Compute Engine into a venv of their own inside it
#     (.venv/peers/lce, or $BNNC_LCE_VENV), since TensorFlow 2.15 needs numpy < 2.
# A peer that does not install is reported by the benchmark as absent, with the reason.
set -euo pipefail
cd "$(dirname "$0")/.."
VENV=${VENV:-.venv}
LCE_VENV=${BNNC_LCE_VENV:-$VENV/peers/lce}
if [ ! -x "$VENV/bin/python" ]; then
    echo "setup.sh: no venv at $VENV (make it as the README says, or set VENV)" >&2
    exit 1
fi
"$VENV/bin/pip" install --quiet -r benchmarks/requirements-peers.txt
echo "setup.sh: hls4ml $("$VENV/bin/python" -c 'import importlib.metadata as m; print(m.version("hls4ml"))') in $VENV"
if "$VENV/bin/python" -m venv "$LCE_VENV" \
    && "$LCE_VENV/bin/pip" install --quiet --upgrade pip \
    && "$LCE_VENV/bin/pip" install --quiet -r benchmarks/requirements-lce.txt; then
    echo "setup.sh: Larq Compute Engine in $LCE_VENV"
else
    echo "setup.sh: Larq Compute Engine did not install; the benchmark will say so" >&2
fi
