"""Entry point of the ``feedback-core`` command."""

from __future__ import annotations

import argparse
import sys
from typing import TYPE_CHECKING

from feedback_core.cli import erase, lake, package, report, sentiment, serve
from feedback_core.cli.backup import add_backup_commands

if TYPE_CHECKING:
    from collections.abc import Sequence


def main(argv: Sequence[str] | None = None) -> int:
    """Run the command; return its exit status."""
    parser = argparse.ArgumentParser(
        prog="feedback-core",
        description="Run the feedback_core platform locally on an embedded AWS emulator (moto).",
    )
    commands = parser.add_subparsers(dest="command", required=True)
    demo = commands.add_parser("demo", help="deploy the sample stacks locally and drive traffic")
    demo.add_argument("--requests", type=int, default=300, help="how many requests (default 300)")
    demo.add_argument("--seed", type=int, default=7, help="seed of the generated traffic")
    demo.add_argument("--verbose", action="store_true", help="show the handlers' JSON logs")
    erase.register(commands)
    add_backup_commands(commands)
    report.register(commands)
    lake.register(commands)
    package.register(commands)
    serve.register(commands)
    sentiment.register(commands)
    args = parser.parse_args(argv)
    if "run" in args:  # a command module's own runner (erase, backup, report, sentiment)
        return int(args.run(args))

    if args.command == "demo":
        try:
            from feedback_core.cli.demo import run_demo  # needs the [local] extra
        except ImportError as exc:  # pragma: no cover - depends on the installation
            print(f"feedback-core demo needs: pip install 'feedback-core[local]' ({exc})")
            return 2
        summary = run_demo(
            requests=args.requests, seed=args.seed, log_level=None if args.verbose else "WARNING"
        )
        print("\n".join(summary.lines()))
        return 0 if summary.ok else 1
    return 2  # pragma: no cover - argparse rejects unknown commands


if __name__ == "__main__":
    sys.exit(main())
