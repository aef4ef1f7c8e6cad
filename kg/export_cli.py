"""``kg export`` and ``kg validate``: argument parsing over kg.export and kg.validate.

Both read a graph file (ttl, trig, nt, nq, jsonld; or a build folder) or a graph store
(``--store DIR``, by default outputs/store). Exit codes: 0 done (export written; graph
conforms), 1 done with problems (SHACL violations; inconsistencies the reasoner found),
2 could not run (missing store or file, unknown format, unwritable destination).
"""

from __future__ import annotations

import argparse
import sys
from typing import Any

EXIT_OK, EXIT_PROBLEMS, EXIT_FAILED = 0, 1, 2
FORMAT_HELP = ("ttl (Turtle), trig (TriG), nt (N-Triples), nq (N-Quads), jsonld (JSON-LD), "
               "graphml, gexf (entity network for Gephi), csv (nodes and edges tables)")


def _source(p: argparse.ArgumentParser) -> None:
    p.add_argument("graph", nargs="?", metavar="GRAPH_FILE",
                   help="a graph file (.ttl, .trig, .nt, .nq, .jsonld) or a build folder (its graph.trig)")
    p.add_argument("--store", metavar="DIR",
                   help="read the graph store in DIR (default: outputs/store, when no GRAPH_FILE is given)")


def _cmd_export(args: argparse.Namespace) -> int:
    from kg.export import export, format_of, load_source

    fmt = args.format.lower() if args.format else format_of(args.output)
    ds = load_source(args.graph, args.store)
    progress = None if args.quiet else (lambda msg: print(msg, file=sys.stderr))
    result = export(ds, fmt, args.output, with_ontology=args.with_ontology, infer_triples=args.infer,
                    on_progress=progress)
    for note in result.notes:
        print(f"note: {note}", file=sys.stderr)
    if not args.quiet:
        if args.infer:
            print(f"inferred   {result.inferred} triples")
        for path in result.outputs:
            print(f"wrote      {path}")
    broken = any(n.startswith("the ontology's rules are broken") for n in result.notes)
    return EXIT_PROBLEMS if broken else EXIT_OK


def _cmd_validate(args: argparse.Namespace) -> int:
    from kg.export import load_source
    from kg.validate import shapes_graph, validate_dataset

    shapes = shapes_graph(args.shapes) if args.shapes else None
    report = validate_dataset(load_source(args.graph, args.store), shapes)
    shown = report.violations if args.quiet else report.problems
    for problem in shown:
        print(problem)
    if not args.quiet:
        print(report.summary())
    return EXIT_OK if report.conforms else EXIT_PROBLEMS


def register(subparsers: Any) -> None:
    """Add the ``export`` and ``validate`` subcommands."""
    e = subparsers.add_parser(
        "export", help="write the graph for other tools (Turtle, TriG, JSON-LD, GraphML, GEXF, CSV, ...)",
        description="Write the graph in another format: " + FORMAT_HELP + ". RDF exports are "
                    "deterministic (sorted), so two exports of one graph are byte-identical.")
    _source(e)
    e.add_argument("-f", "--format", metavar="FORMAT",
                   help="one of ttl, trig, nt, nq, jsonld, graphml, gexf, csv (default: from -o's suffix)")
    e.add_argument("-o", "--output", required=True, metavar="FILE",
                   help="file to write (csv writes FILE-stem.nodes.csv and FILE-stem.edges.csv)")
    e.add_argument("--with-ontology", choices=("inline", "separate"), default=None,
                   help="add the ontology and topic thesaurus: inline (in the file; its own named graphs "
                        "in trig/nq) or separate (FILE-stem.ontology.EXT beside it)")
    e.add_argument("--infer", action="store_true",
                   help="add what the ontology implies (OWL 2 RL: symmetric and inverse relations, "
                        "superclasses, super-properties); in trig/nq in the named graph "
                        "<https://w3id.org/coopkg/inferred>")
    e.add_argument("-q", "--quiet", action="store_true", help="print nothing but problems")
    e.set_defaults(func=_cmd_export)

    v = subparsers.add_parser(
        "validate", help="check the graph against the SHACL shapes (ontology/shapes.ttl)",
        description="Check the graph against the SHACL shapes (ontology/shapes.ttl: what every entity, post, relation, "
                    "event and piece of evidence must carry) and the ontology, and "
                    "print each problem in plain words. Exit 0 when it conforms (warnings allowed), "
                    "1 when it has violations, 2 when validation could not run.")
    _source(v)
    v.add_argument("--shapes", metavar="FILE", help="other SHACL shapes (default: ontology/shapes.ttl)")
    v.add_argument("-q", "--quiet", action="store_true", help="print violations only, no warnings or summary")
    v.set_defaults(func=_cmd_validate)
