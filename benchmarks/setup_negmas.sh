#!/usr/bin/env bash
# Create a separate virtual environment with NegMAS for the comparison in bench_analysis.py.
#
# NegMAS is AGPL-licensed. It is NEVER a dependency of accord: it lives only in
# benchmarks/.negmas-venv and is run as a separate process (benchmarks/negmas_runner.py) on
# utilities passed through a temporary .npy file.
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
venv="$here/.negmas-venv"
python="${PYTHON:-python3}"
if [ ! -x "$venv/bin/python" ]; then
    "$python" -m venv "$venv"
fi
"$venv/bin/python" -m pip install --quiet --upgrade pip
"$venv/bin/python" -m pip install --quiet negmas numpy
"$venv/bin/python" -c "import negmas; print('negmas', negmas.__version__, 'ready in $venv')"
