"""Run every benchmark in this folder, one after the other, and print what each prints.

Run: python benchmarks/run_all.py [NAME ...]   (names filter, e.g. "ingest")
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

HERE = Path(__file__).parent


def main() -> int:
    wanted = sys.argv[1:]
    failed = 0
    for script in sorted(HERE.glob("bench_*.py")):
        if wanted and not any(name in script.stem for name in wanted):
            continue
        print(f"== {script.name}", flush=True)
        result = subprocess.run([sys.executable, str(script)], check=False)  # noqa: S603  # our own scripts
        failed += result.returncode != 0
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
