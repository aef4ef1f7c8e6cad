"""The ``kg`` command: thin argument parsing over the library.

Exit codes: 0 done; 1 done, but some inputs were skipped or problems found;
2 could not run (bad arguments, nothing readable, unwritable output).
"""

from __future__ import annotations

import argparse
import importlib
import os
import sys
from collections.abc import Sequence
from pathlib import Path

from kg import __version__
from kg.errors import CoopkgError

EXIT_OK, EXIT_PROBLEMS, EXIT_FAILED = 0, 1, 2
# Each module defines register(subparsers): adds its subcommand(s) with set_defaults(func=...),
# where func(args) -> exit code and raises CoopkgError for a clear message (exit 2).
COMMAND_MODULES = ("kg.store_cli", "kg.view_cli", "kg.export_cli")


def _cmd_build(args: argparse.Namespace) -> int:
    from kg.build import build
    from kg.progress import BuildProgress
    from kg.stream import parse_shard

    shard = parse_shard(args.shard) if args.shard else None
    if shard and (args.store or args.infer):
        raise CoopkgError("--shard writes N-Quads only: not with --store or --infer (load the shards, "
                          "see docs/scale.md)")
    store = None if args.no_store or shard else (args.store or Path(args.output) / "store")
    progress = None if args.quiet else BuildProgress(every=args.progress_every)
    try:
        report = build(args.paths, args.output, min_confidence=args.min_confidence, infer=args.infer, store=store,
                       workers=args.workers, shard=shard, progress=progress, validate=args.validate,
                       lang=args.lang)
    finally:
        if progress is not None:
            progress.close()
    if not args.quiet:
        print(report.summary())
    elif report.skipped:
        print("\n".join(f"skipped    {s}" for s in report.skipped), file=sys.stderr)
    return EXIT_PROBLEMS if report.skipped else EXIT_OK


def _positive_int(text: str) -> int:
    """An argparse type: a whole number of at least 1."""
    try:
        value = int(text)
    except ValueError:
        value = 0
    if value < 1:
        raise argparse.ArgumentTypeError(f"expected a whole number of at least 1, not {text!r}")
    return value


def make_parser() -> argparse.ArgumentParser:
    """The argument parser of every subcommand."""
    parser = argparse.ArgumentParser(
        prog="kg", description="Knowledge graphs of institutional cooperation from press releases.")
    parser.add_argument("--version", action="version", version=f"coopkg {__version__}")
    sub = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")

    b = sub.add_parser("build", help="read articles and write the graph (graph.ttl, graph.trig)",
                       description="Read articles (.txt, .md, .html, .jsonl or folders of them), extract "
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
    b.add_argument("--store", metavar="DIR",
                   help="graph store to add the articles to (default: OUTDIR/store); an article built "
                        "again replaces its graph there")
    b.add_argument("--no-store", action="store_true", help="write the graph files only, not the store")
    b.add_argument("-j", "--workers", type=int, default=0, metavar="N",
                   help="worker processes (default 0: one per CPU, at most 8); the output is the same for any N")
    b.add_argument("--shard", metavar="I/N",
                   help="build only the I-th of N slices of the articles (by id) into OUTDIR/shard-I-of-N.nq, "
                        "to spread a corpus over machines or jobs (see docs/scale.md)")
    b.add_argument("--validate", choices=("sample", "all", "none"), default="sample",
                   help="SHACL check of the graph: the first 32 articles, then about one in 64 (sample, the "
                        "default), every article (all: costs more than spaCy) or none")
    b.add_argument("--progress-every", type=_positive_int, default=100, metavar="N",
                   help="when stderr is not a terminal, a progress line every N articles (default 100)")
    b.add_argument("--lang", choices=("fr", "en"), default=None,
                   help="the language of articles that do not state theirs (a JSONL line's \"lang\" wins); "
                        "default: told from each text")
    b.add_argument("-q", "--quiet", action="store_true", help="print nothing but problems (no progress)")
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
        code = int(args.func(args))
        sys.stdout.flush()  # a closed pipe shows here, not in Python's own flush at exit
        return code
    except CoopkgError as e:
        print(f"kg {args.command}: {e}", file=sys.stderr)
        return EXIT_FAILED
    except KeyboardInterrupt:
        print(f"kg {args.command}: interrupted", file=sys.stderr)
        return 130
    except BrokenPipeError:  # "kg stats | head": the reader has what it wanted
        # Python would report the broken pipe again when it flushes stdout at exit
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        return EXIT_OK


if __name__ == "__main__":
    sys.exit(main())
