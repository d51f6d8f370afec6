"""Cold-start import cost of feedback_core.ingest against the Powertools parser equivalent.

Each side is imported in a fresh interpreter (as on a Lambda cold start), many times, alternating;
the medians are compared. The peer is what a Powertools user imports to do the same job: the
pydantic-based parser, its API Gateway envelopes and pydantic.

The figure compared is the CPU time the import takes (user + system, ``time.process_time`` in
the child): on a shared machine the wall time of a 100 ms import also counts the time the
process waits for a core, which is other people's work. The wall-time medians are printed too.

Run: python benchmarks/bench_import_cost.py [--runs N]
"""

from __future__ import annotations

import argparse
import compileall
import os
import statistics
import subprocess
import sys

OURS = "import feedback_core.ingest"
PEER = (
    "from aws_lambda_powertools.utilities.parser import BaseModel, parse, envelopes\n"
    "from aws_lambda_powertools.utilities.parser.models import APIGatewayProxyEventModel\n"
    "from pydantic import Field"
)
TIMER = (
    "import time\n"
    "cpu, wall = time.process_time(), time.perf_counter()\n"
    "{code}\n"
    "print(time.process_time() - cpu, time.perf_counter() - wall)\n"
)


# Installed packages have their bytecode compiled (pip does it); so must ours, or the
# comparison would time the compiler rather than the import.
ENV = {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}


def import_seconds(code: str) -> tuple[float, float]:
    """Time ``code`` in a fresh interpreter; return (CPU, wall) seconds spent importing."""
    result = subprocess.run(  # noqa: S603  # our own interpreter and our own code
        [sys.executable, "-c", TIMER.format(code=code)],
        capture_output=True,
        text=True,
        check=True,
        env=ENV,
    )
    cpu, wall = result.stdout.split()
    return float(cpu), float(wall)


def compile_bytecode() -> None:
    """Compile our package's bytecode, as pip does for installed packages."""
    import feedback_core

    compileall.compile_dir(os.path.dirname(feedback_core.__file__), quiet=1)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--runs", type=int, default=31)
    args = parser.parse_args()
    compile_bytecode()
    ours, peer = [], []
    for _ in range(args.runs):
        ours.append(import_seconds(OURS))
        peer.append(import_seconds(PEER))
    ours_cpu = statistics.median(cpu for cpu, _ in ours) * 1000
    peer_cpu = statistics.median(cpu for cpu, _ in peer) * 1000
    ours_wall = statistics.median(wall for _, wall in ours) * 1000
    peer_wall = statistics.median(wall for _, wall in peer) * 1000
    boto3_loaded = subprocess.run(  # noqa: S603  # our own interpreter and our own code
        [sys.executable, "-c", OURS + "\nimport sys\nprint('boto3' in sys.modules)"],
        capture_output=True,
        text=True,
        check=True,
    ).stdout.strip()
    print(f"runs: {args.runs} fresh interpreters per side (median CPU time; wall time beside)")
    print(
        f"feedback_core.ingest: {ours_cpu:8.1f} ms CPU, {ours_wall:8.1f} ms wall"
        f" (boto3 imported: {boto3_loaded})"
    )
    print(f"Powertools parser + pydantic: {peer_cpu:8.1f} ms CPU, {peer_wall:8.1f} ms wall")
    ratio, wall_ratio = ours_cpu / peer_cpu, ours_wall / peer_wall
    print(f"ratio ours/peer (import time): {ratio:.2f} (wall: {wall_ratio:.2f})")


if __name__ == "__main__":
    main()
