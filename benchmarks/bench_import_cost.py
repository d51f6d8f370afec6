"""Cold-start import cost of feedback_core.ingest against the Powertools parser equivalent.

Each side is imported in a fresh interpreter (as on a Lambda cold start), many times, alternating;
the median wall time of the import statements is compared. The peer is what a Powertools user
imports to do the same job: the pydantic-based parser, its API Gateway envelopes and pydantic.

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
TIMER = "import time\nstart = time.perf_counter()\n{code}\nprint(time.perf_counter() - start)\n"


# Installed packages have their bytecode compiled (pip does it); so must ours, or the
# comparison would time the compiler rather than the import.
ENV = {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}


def import_seconds(code: str) -> float:
    """Time ``code`` in a fresh interpreter; return seconds spent importing."""
    result = subprocess.run(  # noqa: S603  # our own interpreter and our own code
        [sys.executable, "-c", TIMER.format(code=code)],
        capture_output=True,
        text=True,
        check=True,
        env=ENV,
    )
    return float(result.stdout.strip())


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--runs", type=int, default=21)
    args = parser.parse_args()
    import feedback_core

    compileall.compile_dir(os.path.dirname(feedback_core.__file__), quiet=1)
    ours, peer = [], []
    for _ in range(args.runs):
        ours.append(import_seconds(OURS))
        peer.append(import_seconds(PEER))
    ours_ms, peer_ms = statistics.median(ours) * 1000, statistics.median(peer) * 1000
    boto3_loaded = subprocess.run(  # noqa: S603  # our own interpreter and our own code
        [sys.executable, "-c", OURS + "\nimport sys\nprint('boto3' in sys.modules)"],
        capture_output=True,
        text=True,
        check=True,
    ).stdout.strip()
    print(f"runs: {args.runs} fresh interpreters per side (median)")
    print(f"feedback_core.ingest: {ours_ms:8.1f} ms (boto3 imported: {boto3_loaded})")
    print(f"Powertools parser + pydantic: {peer_ms:8.1f} ms")
    print(f"ratio ours/peer (import time): {ours_ms / peer_ms:.2f}")


if __name__ == "__main__":
    main()
