"""The ``kg`` command: thin argument parsing over the library.

Exit codes: 0 done; 1 done, but some inputs were skipped or problems found;
2 could not run (bad arguments, nothing readable, unwritable output).
"""

from __future__ import annotations

import argparse
import importlib
import sys
from collections.abc import Sequence

from kg import __version__
from kg.errors import CoopkgError

EXIT_OK, EXIT_PROBLEMS, EXIT_FAILED = 0, 1, 2
# Each module defines register(subparsers): adds its subcommand(s) with set_defaults(func=...),
# where func(args) -> exit code and raises CoopkgError for a clear message (exit 2).
COMMAND_MODULES = ("kg.store_cli", "kg.view_cli", "kg.export_cli")


def _cmd_build(args: argparse.Namespace) -> int:
    from kg.build import build

    report = build(args.paths, args.output, min_confidence=args.min_confidence, infer=args.infer)
    if not args.quiet:
        print(report.summary())
    elif report.skipped:
        print("\n".join(f"skipped    {s}" for s in report.skipped), file=sys.stderr)
    return EXIT_PROBLEMS if report.skipped else EXIT_OK


def make_parser() -> argparse.ArgumentParser:
    """The argument parser of every subcommand."""
    parser = argparse.ArgumentParser(
        prog="kg", description="Knowledge graphs of institutional cooperation from press releases.")
    parser.add_argument("--version", action="version", version=f"coopkg {__version__}")
    sub = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")

    b = sub.add_parser("build", help="read articles and write the graph (graph.ttl, graph.trig)",
                       description="Read articles (.txt, .html, .jsonl or folders of them), extract "
                                   "entities, posts, relations and events, and write OUTDIR/graph.ttl "
                                   "and OUTDIR/graph.trig.")
    b.add_argument("paths", nargs="+", metavar="PATH", help="article files or folders")
    b.add_argument("-o", "--output", default="outputs", metavar="OUTDIR",
                   help="output folder (default: outputs)")
    b.add_argument("--min-confidence", type=float, default=0.0, metavar="X",
                   help="drop relations and events whose confidence is below X (0..1)")
    b.add_argument("--infer", action="store_true",
                   help="also write OUTDIR/inferred.trig: what the ontology implies (OWL 2 RL), in its "
                        "own named graph")
    b.add_argument("-q", "--quiet", action="store_true", help="print nothing but problems")
    b.set_defaults(func=_cmd_build)
    for name in COMMAND_MODULES:
        try:
            module = importlib.import_module(name)
        except ModuleNotFoundError as e:
            if e.name != name:
                raise
            continue  # a command whose module is not written yet
        module.register(sub)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    """Entry point of the ``kg`` console script."""
    args = make_parser().parse_args(argv)
    try:
        return int(args.func(args))
    except CoopkgError as e:
        print(f"kg {args.command}: {e}", file=sys.stderr)
        return EXIT_FAILED
    except KeyboardInterrupt:
        print(f"kg {args.command}: interrupted", file=sys.stderr)
        return 130


if __name__ == "__main__":
    sys.exit(main())
