"""Run every benchmark in this folder, one process each, and print their tables.

Benchmarks print ratios against baselines measured in the same run; they are not tests.
`make bench` runs this; `benchmarks/setup_negmas.sh` first adds the NegMAS comparisons.
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path


def main() -> int:
    """Run each ``bench_*.py`` with this interpreter; return the number that failed."""
    here = Path(__file__).resolve().parent
    failed = 0
    for script in sorted(here.glob("bench_*.py")):
        print(f"=== {script.name}", flush=True)
        failed += subprocess.call([sys.executable, str(script)]) != 0
    return failed


if __name__ == "__main__":
    sys.exit(main())
