"""The store's subcommands: ``kg query``, ``kg remove``, ``kg serve``, ``kg push``.

Each returns an exit code (0 done, 1 done with problems) and raises CoopkgError for a clear
message (exit 2). Heavy imports happen inside the commands, so ``kg --help`` stays quick.
"""

from __future__ import annotations

import argparse
import sys
from typing import Any

DEFAULT_STORE = "outputs/store"
FORMATS = ("table", "csv", "tsv", "json", "turtle")  # kg.query.FORMATS, kept here so --help imports nothing
STORE_HELP = f"the graph store folder (default: {DEFAULT_STORE}; kg build -o OUTDIR writes OUTDIR/store)"


def _seconds(text: str) -> float:
    """A --timeout value: a number of seconds, 0 or more."""
    try:
        value = float(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"expected a number of seconds, not {text!r}") from None
    if not value >= 0:  # also refuses nan
        raise argparse.ArgumentTypeError(f"must be 0 or more, not {text}")
    return value


def _positive_seconds(text: str) -> float:
    """A --timeout value that cannot be 0 (a request without time cannot be sent)."""
    value = _seconds(text)
    if value == 0:
        raise argparse.ArgumentTypeError("must be more than 0")
    return value


def _cmd_query(args: argparse.Namespace) -> int:
    from kg.errors import CoopkgError
    from kg.query import describe_canned, query_store

    if args.list:
        sys.stdout.write(describe_canned())
        return 0
    if args.prefixes:
        from kg.vocab import PREFIXES

        sys.stdout.write("".join(f"PREFIX {p}: <{ns}>\n" for p, ns in PREFIXES.items()))
        return 0
    if not args.query:
        raise CoopkgError("give a query: SPARQL text, a .rq file or a canned query name (kg query --list)")
    text, _, hints = query_store(args.store, args.query, args.param, args.format,
                                 args.timeout if args.timeout > 0 else None, args.max_width)
    sys.stdout.write(text)
    for hint in hints:
        print(f"kg query: {hint}", file=sys.stderr)
    return 0


def _cmd_remove(args: argparse.Namespace) -> int:
    from kg.errors import StoreError
    from kg.store import GraphStore, is_store

    if not is_store(args.store):
        raise StoreError(f"no graph store at {args.store}")
    with GraphStore(args.store) as store:
        removed = store.remove_articles(args.article_ids)
        left = len(store.article_ids())
    for a in removed:
        print(f"removed    {a}")
    missing = [a for a in args.article_ids if a not in removed]
    for a in dict.fromkeys(missing):
        print(f"not found  {a} (the store has no graph for it)", file=sys.stderr)
    print(f"store      {args.store}: {left} article{'s' if left != 1 else ''}")
    return 1 if missing else 0


def _cmd_serve(args: argparse.Namespace) -> int:
    from kg.serve import serve

    return serve(args.store, args.host, args.port, writable=args.writable,
                 timeout=args.timeout if args.timeout > 0 else None)


def _cmd_push(args: argparse.Namespace) -> int:
    from kg.push import push

    report = push(args.store, args.endpoint, args.article or None, timeout=args.timeout)
    print(report.summary())
    return 1 if report.failed else 0


def register(subparsers: Any) -> None:
    """Add the query, remove, serve and push subcommands."""
    q = subparsers.add_parser(
        "query", help="run a SPARQL query on the graph store",
        description="Run a SPARQL 1.1 query on the graph store: QUERY is the query text, a .rq file or the "
                    "name of a canned query (--list). The default graph is the union of the article "
                    "graphs (GRAPH ?g reaches each article's own); coopkg's prefixes (coop:, id:, org:, "
                    "rdfs:, skos:, ...) need no PREFIX line. Parameters are bound, never pasted into the "
                    "text. A syntax error is reported with its line and column and the query is not run.")
    q.add_argument("query", nargs="?", metavar="QUERY", help="SPARQL text, a .rq file, or a canned query name")
    q.add_argument("-p", "--param", action="append", default=[], metavar="NAME=VALUE",
                   help="bind ?NAME: <IRI>, http(s)://..., or prefix:name is an IRI, anything else a string")
    q.add_argument("-f", "--format", choices=FORMATS, default=None,
                   help="table (default), csv, tsv or json (SPARQL 1.1 results) for SELECT/ASK; turtle "
                        "(default) for CONSTRUCT/DESCRIBE")
    q.add_argument("--store", default=DEFAULT_STORE, metavar="DIR", help=STORE_HELP)
    q.add_argument("--timeout", type=_seconds, default=60.0, metavar="SECONDS",
                   help="stop the query after this long (default 60; 0: no limit)")
    q.add_argument("--max-width", type=int, default=60, metavar="N",
                   help="cut table cells to N characters (default 60; 0: no limit)")
    q.add_argument("--list", action="store_true", help="list the canned queries and what each answers")
    q.add_argument("--prefixes", action="store_true",
                   help="print coopkg's prefixes as PREFIX lines, for queries sent to kg serve or another "
                        "endpoint (which, unlike kg query, know none)")
    q.set_defaults(func=_cmd_query)

    r = subparsers.add_parser(
        "remove", help="retract articles from the graph store",
        description="Drop the named graph of each article (in one transaction). Entities other articles "
                    "also mention keep what those articles say about them.")
    r.add_argument("article_ids", nargs="+", metavar="ARTICLE_ID")
    r.add_argument("--store", default=DEFAULT_STORE, metavar="DIR", help=STORE_HELP)
    r.set_defaults(func=_cmd_remove)

    s = subparsers.add_parser(
        "serve", help="serve the graph store as a SPARQL endpoint (Oxigraph server)",
        description="Start Oxigraph's SPARQL 1.1 Protocol server over the store: queries at /query and "
                    "/sparql, a query page at /. Read-only by default, on a snapshot of the store taken at "
                    "start (kg build and kg query keep working; restart to serve later builds).")
    s.add_argument("--store", default=DEFAULT_STORE, metavar="DIR", help=STORE_HELP)
    s.add_argument("--host", default="127.0.0.1", help="address to listen on (default 127.0.0.1)")
    s.add_argument("--port", type=int, default=7878, help="port (default 7878)")
    s.add_argument("--timeout", type=_seconds, default=60.0, metavar="SECONDS",
                   help="stop a query after this long (default 60; 0: no limit)")
    s.add_argument("--writable", action="store_true",
                   help="serve the store itself read-write (SPARQL Update, Graph Store Protocol); locks it")
    s.set_defaults(func=_cmd_serve)

    p = subparsers.add_parser(
        "push", help="send the article graphs to another triple store (Graph Store Protocol)",
        description="PUT each article's named graph to a SPARQL 1.1 Graph Store Protocol endpoint "
                    "(Oxigraph http://HOST:7878/store, Fuseki http://HOST:3030/DATASET/data, GraphDB "
                    "http://HOST:7200/repositories/REPO/rdf-graphs/service, Virtuoso "
                    "http://HOST:8890/sparql-graph-crud); pushing again replaces each graph.")
    p.add_argument("--endpoint", required=True, metavar="URL", help="the Graph Store Protocol endpoint")
    p.add_argument("--store", default=DEFAULT_STORE, metavar="DIR", help=STORE_HELP)
    p.add_argument("--article", action="append", default=[], metavar="ARTICLE_ID",
                   help="push only this article (repeatable; default: all)")
    p.add_argument("--timeout", type=_positive_seconds, default=30.0, metavar="SECONDS",
                   help="per request (default 30)")
    p.set_defaults(func=_cmd_push)
