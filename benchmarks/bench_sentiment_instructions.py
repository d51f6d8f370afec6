"""Offline sentiment against VADER in instructions executed: a speed ratio that load cannot move.

Run from the repository root (needs ``valgrind``; a few minutes)::

    python benchmarks/bench_sentiment_instructions.py             # every 10th text
    python benchmarks/bench_sentiment_instructions.py --every 1 --data DIR

CPU time on a shared machine still moves between runs (other processes share the caches and
cores). Valgrind's callgrind counts the instructions a process executes, whatever the load.
Each analyzer runs in its own interpreter, twice: with a warm-up pass over the texts only, and
with the warm-up and then :data:`PASSES` more passes; the difference divided by :data:`PASSES`
is the cost of one pass, with start-up, imports and first use left out. The texts are every
``--every``-th text of the project's set and of the development sets (see
``bench_sentiment.py``), the same for both analyzers. Instructions are not time: per
instruction, dictionary-heavy code (ours) runs slower than arithmetic-heavy code.
"""

from __future__ import annotations

import argparse
import re
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

HERE = Path(__file__).resolve().parent
PASSES = 4

CHILD = """
import sys
sys.path[:0] = [{src!r}, {here!r}]
import bench_sentiment as bench
texts = [row[3] for row in bench.load_set()]
folder = bench.find_dev_data({data!r})
if folder is not None and folder.is_dir():
    for pairs in bench.load_dev_sets(folder).values():
        texts += [text for text, _ in pairs]
texts = texts[::{every}]
label = bench.ours_labeler() if {who!r} == "ours" else bench.vader_labeler()
for _ in range(1 + {passes}):
    label(texts)
print(len(texts), file=sys.stderr)
"""


def instructions(
    valgrind: str, who: str, passes: int, every: int, data: str | None
) -> tuple[int, int]:
    """Return (instructions, texts) for one interpreter running ``1 + passes`` passes."""
    code = CHILD.format(
        src=str(HERE.parent / "src"), here=str(HERE), data=data, every=every, who=who, passes=passes
    )
    with tempfile.TemporaryDirectory() as scratch:
        completed = subprocess.run(  # noqa: S603  # valgrind on our own interpreter, fixed code
            [
                valgrind,
                "--tool=callgrind",
                f"--callgrind-out-file={scratch}/callgrind.out",
                sys.executable,
                "-c",
                code,
            ],
            check=True,
            capture_output=True,
            text=True,
        )
    collected = re.search(r"Collected : (\d+)", completed.stderr)
    texts = re.search(r"^(\d+)$", completed.stderr, re.MULTILINE)
    if collected is None or texts is None:
        raise RuntimeError(f"no instruction count from callgrind:\n{completed.stderr[-2000:]}")
    return int(collected.group(1)), int(texts.group(1))


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--every", type=int, default=10, help="take every N-th text")
    parser.add_argument("--data", help="folder of the public development sets")
    args = parser.parse_args()
    valgrind = shutil.which("valgrind")
    if valgrind is None:
        print("valgrind not found: nothing measured (install valgrind to count instructions)")
        return 0
    per_pass = {}
    for who in ("ours", "VADER"):
        base, texts = instructions(valgrind, who, 0, args.every, args.data)
        total, _ = instructions(valgrind, who, PASSES, args.every, args.data)
        per_pass[who] = (total - base) / PASSES
        print(f"{who:<6} {per_pass[who] / 1e6:8.1f} million instructions a pass over {texts} texts")
    print(f"ratio VADER/ours (instructions): {per_pass['VADER'] / per_pass['ours']:.2f}x")
    return 0


if __name__ == "__main__":
    sys.exit(main())
