"""Offline sentiment against VADER in instructions executed: a speed ratio that load cannot move.

Run from the repository root (needs ``valgrind``; a few minutes)::

    python benchmarks/bench_sentiment_instructions.py             # every 10th text
    python benchmarks/bench_sentiment_instructions.py --every 1 --data DIR

CPU time on a shared machine still moves between runs (other processes share the caches and
cores). Valgrind's callgrind counts the instructions a process executes, whatever the load.
Each analyzer runs in its own interpreter three times, each after one short text (which loads
the lexicon and the model): with no pass over the texts, with one, and with 1 + :data:`PASSES`.
The last two differ by :data:`PASSES` warm passes (our memos know every word): the cost of
one warm pass. The first two differ by the *first* pass of a fresh analyzer, every word new to
its memos: the case of a new process reading texts it has never seen. The texts are every
``--every``-th text of the project's set and of the development sets (see
``bench_sentiment.py``), the same for both analyzers. Last, each analyzer's first result in a
fresh process (import, tables, one short text; :func:`first_result_instructions`), the cost a
Lambda function's cold start pays. Instructions are not time: per instruction,
dictionary-heavy code (ours) runs slower than arithmetic-heavy code.
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
label(["A first short text loads the lexicon and the model."])
for _ in range({passes}):
    label(texts)
print(len(texts), file=sys.stderr)
"""


def instructions(
    valgrind: str, who: str, passes: int, every: int, data: str | None
) -> tuple[int, int]:
    """Return (instructions, texts) for one interpreter running ``passes`` passes."""
    code = CHILD.format(
        src=str(HERE.parent / "src"), here=str(HERE), data=data, every=every, who=who, passes=passes
    )
    stderr = callgrind(valgrind, code)
    texts = re.search(r"^(\d+)$", stderr, re.MULTILINE)
    if texts is None:
        raise RuntimeError(f"no text count from the child:\n{stderr[-2000:]}")
    return collected(stderr), int(texts.group(1))


def callgrind(valgrind: str, code: str, env: dict[str, str] | None = None) -> str:
    """Run ``code`` in a fresh interpreter under callgrind and return its standard error."""
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
            env=env,
        )
    return completed.stderr


def collected(stderr: str) -> int:
    """The instruction count callgrind reports in ``stderr``."""
    found = re.search(r"Collected : (\d+)", stderr)
    if found is None:
        raise RuntimeError(f"no instruction count from callgrind:\n{stderr[-2000:]}")
    return int(found.group(1))


def first_result_instructions(valgrind: str, who: str) -> int:
    """Instructions of a fresh process's first result: import, tables, one short text.

    ``attrs`` is imported first, as in every ``feedback_core`` handler (the same start for
    VADER); the count is the difference with a process that stops there. Bytecode is written
    by one run first, as an installed package has it.
    """
    from bench_sentiment import FIRST_OURS, FIRST_VADER, _child_env  # beside this script

    setup = f"import sys; sys.path.insert(0, {str(HERE.parent / 'src')!r}); import attrs"
    code = f"{setup}; {FIRST_OURS if who == 'ours' else FIRST_VADER}"
    env = _child_env()
    subprocess.run([sys.executable, "-c", code], check=True, env=env)  # noqa: S603  # fixed code
    return collected(callgrind(valgrind, code, env)) - collected(callgrind(valgrind, setup, env))


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--every", type=int, default=10, help="take every N-th text")
    parser.add_argument("--data", help="folder of the public development sets")
    args = parser.parse_args()
    valgrind = shutil.which("valgrind")
    if valgrind is None:
        print("valgrind not found: nothing measured (install valgrind to count instructions)")
        return 0
    per_pass, first_pass = {}, {}
    for who in ("ours", "VADER"):
        none, texts = instructions(valgrind, who, 0, args.every, args.data)
        one, _ = instructions(valgrind, who, 1, args.every, args.data)
        total, _ = instructions(valgrind, who, 1 + PASSES, args.every, args.data)
        per_pass[who] = (total - one) / PASSES
        first_pass[who] = one - none
        print(
            f"{who:<6} {per_pass[who] / 1e6:8.1f} million instructions a pass over {texts} texts,"
            f" {first_pass[who] / 1e6:8.1f} million on a fresh analyzer's first pass"
        )
    print(f"ratio VADER/ours (instructions): {per_pass['VADER'] / per_pass['ours']:.2f}x")
    print(f"first pass (instructions): {first_pass['VADER'] / first_pass['ours']:.2f}x")
    first = {who: first_result_instructions(valgrind, who) for who in ("ours", "VADER")}
    print(
        f"first result of a fresh process, attrs imported: ours {first['ours'] / 1e6:.1f} million"
        f" instructions, VADER {first['VADER'] / 1e6:.1f} million,"
        f" ratio VADER/ours {first['VADER'] / first['ours']:.2f}x"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
