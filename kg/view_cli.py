"""``kg view`` and ``kg stats``: the interactive HTML view and the network figures of a graph."""

from __future__ import annotations

import argparse
from pathlib import Path
from typing import Any

from rdflib import Dataset, Graph

from kg.errors import CoopkgError

DEFAULT_GRAPH = Path("outputs") / "graph.ttl"
LANGS = ("en", "fr")


def _flatten(ds: Dataset) -> Graph:
    """The union of a dataset's graphs as one graph."""
    g = Graph()
    for s, p, o, _ in ds.quads((None, None, None, None)):
        g.add((s, p, o))
    for prefix, ns in ds.namespaces():
        g.bind(prefix, ns, override=False)
    return g


def read_graph_file(path: str | Path) -> Graph:
    """A graph file (Turtle, TriG, N-Triples, N-Quads, JSON-LD, RDF/XML) or a build folder as one graph,
    read as kg export and kg validate read it (kg.export.read_graph_file)."""
    from kg.export import read_graph_file as read_dataset

    path = Path(path)
    if not path.exists():
        raise CoopkgError(f"no graph file at {path} (kg build PATH -o OUTDIR writes OUTDIR/graph.ttl)")
    return _flatten(read_dataset(path))


def read_store(directory: str | Path) -> Graph:
    """Everything in the graph store at ``directory`` as one graph (the only coupling to kg.store).

    A folder that is not an Oxigraph store but holds graph.trig or graph.ttl (a build's
    output folder) is read from those files.
    """
    from kg.store import GraphStore, is_store

    directory = Path(directory)
    if not is_store(directory):
        for name in ("graph.trig", "graph.ttl"):
            if (directory / name).is_file():
                return read_graph_file(directory / name)
    with GraphStore(directory, read_only=True) as store:
        data = store.export()
    assert data is not None
    return _flatten(Dataset().parse(data=data, format="trig"))


def load(args: argparse.Namespace) -> Graph:
    """The graph named on the command line: ``--store DIR``, a GRAPH file, or outputs/graph.ttl."""
    if args.store and args.graph:
        raise CoopkgError("give either --store DIR or a GRAPH file, not both")
    if args.store:
        return read_store(args.store)
    return read_graph_file(args.graph or DEFAULT_GRAPH)


def _cmd_view(args: argparse.Namespace) -> int:
    from kg.view import write_view

    if args.hops < 0:
        raise CoopkgError(f"--hops must be 0 or more, not {args.hops}")
    path = write_view(load(args), args.output, lang=args.lang, focus=args.focus, hops=args.hops)
    print(f"wrote      {path}")
    return 0


def _cmd_stats(args: argparse.Namespace) -> int:
    from kg.stats import format_json, format_table, stats_report
    from kg.view import user_lang

    if args.top < 1:
        raise CoopkgError(f"--top must be 1 or more, not {args.top}")
    report = stats_report(load(args), lang=args.lang or user_lang(), top=args.top,
                          path=tuple(args.path) if args.path else None)
    print(format_json(report) if args.format == "json" else format_table(report))
    return 1 if "path" in report and not report["path"]["found"] else 0


def _source_arguments(p: argparse.ArgumentParser) -> None:
    p.add_argument("graph", nargs="?", metavar="GRAPH",
                   help=f"graph file (.ttl, .trig, .nt, .nq, .jsonld; default {DEFAULT_GRAPH})")
    p.add_argument("--store", metavar="DIR", help="read the graph store in DIR instead of a file")
    p.add_argument("--lang", choices=LANGS, help="language of names and labels (default: from the locale)")


def register(subparsers: Any) -> None:
    """Add the ``view`` and ``stats`` subcommands."""
    v = subparsers.add_parser(
        "view", help="write the interactive HTML view of the graph",
        description="Write one self-contained HTML page (no network needed) showing the graph: entities "
                    "coloured by type, sized by PageRank, relations named in your language, with search, "
                    "filters and, for every link, the quotes that support it.")
    _source_arguments(v)
    v.add_argument("-o", "--output", default=str(Path("outputs") / "graph.html"), metavar="HTML",
                   help="page to write (default: outputs/graph.html)")
    v.add_argument("--focus", metavar="NAME", help="show only the neighbourhood of the entity named NAME")
    v.add_argument("--hops", type=int, default=2, metavar="N",
                   help="with --focus: how many links away from it to show (default: 2)")
    v.set_defaults(func=_cmd_view)

    s = subparsers.add_parser(
        "stats", help="counts, central institutions and officials, communities, paths",
        description="Counts by class and relation; the most central institutions and officials (degree, "
                    "betweenness, PageRank) and the communities of the cooperation network; with --path, "
                    "the shortest cooperation path between two named entities (exit 1 if there is none).")
    _source_arguments(s)
    s.add_argument("--format", choices=("table", "json"), default="table", help="output format (default: table)")
    s.add_argument("--top", type=int, default=10, metavar="N", help="how many to list (default: 10)")
    s.add_argument("--path", nargs=2, metavar=("FROM", "TO"),
                   help="shortest cooperation path between two organisations or persons")
    s.set_defaults(func=_cmd_stats)
