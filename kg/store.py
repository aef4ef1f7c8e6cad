"""The graph store: a persistent Oxigraph dataset holding one named graph per article.

Builds replace article graphs in one transaction; queries run on Oxigraph's SPARQL engine
over the union of the article graphs. A lock file beside the data lets many readers
(``kg query``, ``kg push``, the snapshot ``kg serve`` takes) or one writer (``kg build``,
``kg remove``, ``kg serve --writable``) use a store at a time, since RocksDB must not be
read by one process while another writes it.
"""

from __future__ import annotations

import fcntl
import itertools
import multiprocessing
import os
import re
import shutil
import sys
import time
from collections.abc import Iterable, Mapping, Sequence
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO, TYPE_CHECKING, Any, Literal, TypeAlias

import pyoxigraph as ox

from kg.errors import QuerySyntaxError, QueryTimeout, StoreError
from kg.vocab import GRAPH, PREFIXES

if TYPE_CHECKING:
    from multiprocessing.connection import Connection

    from rdflib import Graph
    from rdflib.term import Node

Term: TypeAlias = ox.NamedNode | ox.BlankNode | ox.Literal | ox.Triple
Binding: TypeAlias = "Term | str | Node"

DEFAULT_STORE = Path("outputs") / "store"
LOCK_FILE = ".coopkg-lock"
DEFAULT_WAIT = 10.0  # seconds to wait for a lock another coopkg process holds
PREFIX_IRIS: dict[str, str] = {name: str(ns) for name, ns in PREFIXES.items()}
_ERROR_AT = re.compile(r"^error at (\d+):(\d+):\s*(.*)$", re.S)
_CHAR_CLASS = re.compile(r",?\s*\[[^\[\]]*\]")
NAME_PROBE = ("ASK { { ?x <http://www.w3.org/2000/01/rdf-schema#label> ?name } "
              "UNION { ?x <http://www.w3.org/2004/02/skos/core#altLabel> ?name } "
              "UNION { ?x <http://www.w3.org/2004/02/skos/core#prefLabel> ?name } }")
_UNPROJECTED = re.compile(r"does not contains? variable \?(\w+) in its SELECT projection")


@dataclass
class QueryResult:
    """What a query returned: solutions (SELECT), a boolean (ASK) or triples (CONSTRUCT, DESCRIBE)."""

    kind: Literal["bindings", "boolean", "graph"]
    variables: list[str] = field(default_factory=list)
    rows: list[tuple[Term | None, ...]] = field(default_factory=list)
    boolean: bool | None = None
    triples: list[ox.Triple] = field(default_factory=list)
    seconds: float = 0.0
    bound: dict[str, Term] = field(default_factory=dict)  # the label each name parameter was found as

    def __len__(self) -> int:
        return len(self.triples) if self.kind == "graph" else len(self.rows)


def article_graph(article_id: str) -> ox.NamedNode:
    """The named graph of one article (``https://w3id.org/coopkg/graph/<id>``)."""
    try:
        return ox.NamedNode(str(GRAPH[article_id]))
    except ValueError as e:
        raise StoreError(f"article id {article_id!r} does not make a valid graph IRI: {e}") from e


def article_id_of(graph: ox.NamedNode | ox.BlankNode | ox.DefaultGraph) -> str | None:
    """The article id of a named graph, or None for a graph coopkg did not write."""
    if isinstance(graph, ox.NamedNode) and graph.value.startswith(str(GRAPH)):
        return graph.value[len(str(GRAPH)):]
    return None


BULK_LOAD_LINES = 100_000  # quads per bulk load (about 550 articles, 20 MB): flat memory, 10k articles 1.4x slower


def is_new_store_path(path: str | Path) -> bool:
    """Whether ``path`` is free for a new store: nothing there, or an empty folder."""
    dest = Path(path)
    return not dest.exists() or (dest.is_dir() and not any(dest.iterdir()))


def has_blank_nodes(nquads: Path) -> bool:
    """Whether an N-Quads file holds a blank node (the bulk loader would merge two files' ``_:b0``)."""
    with nquads.open(encoding="utf-8") as fh:
        return any(" _:" in line or line.startswith("_:") for line in fh)


class NewStoreLoader:
    """A new store bulk-loaded from N-Quads files while the build goes on, then put in place.

    Each file is loaded in a background thread (Oxigraph's loader releases the GIL, so it uses
    a core spaCy leaves free), BULK_LOAD_LINES quads at a time: Oxigraph's loader holds what it
    is given (1.2 GB for 1.8 million quads at once, 180 MB a chunk). The store is made in a
    sibling folder and renamed into place by ``commit``: a crash leaves no half-made store, and
    no transaction is held in memory. The store is opened by the first load, never before the
    build's worker processes are forked.
    """

    def __init__(self, path: str | Path) -> None:
        self.dest = Path(path)
        if not is_new_store_path(self.dest):
            raise StoreError(f"{self.dest} already exists: the bulk loader only makes new stores")
        for stale in self.dest.parent.glob(f".{self.dest.name}.loading-*"):  # left by a build that was killed
            shutil.rmtree(stale, ignore_errors=True)
        self.work = self.dest.parent / f".{self.dest.name}.loading-{os.getpid()}"
        self.blank_nodes = False
        self._store: ox.Store | None = None
        self._pool = ThreadPoolExecutor(1, thread_name_prefix="coopkg-store-loader")
        self._pending: list[Future[None]] = []

    def add(self, nquads: Path) -> None:
        """Load an N-Quads file into the new store, in the background."""
        self._pending.append(self._pool.submit(self._load, nquads))

    def _load(self, nquads: Path) -> None:
        if self.blank_nodes:
            return
        if has_blank_nodes(nquads):  # the store is then made the transactional way
            self.blank_nodes = True
            return
        if self._store is None:
            self._store = ox.Store(str(self.work))
        with nquads.open("rb") as fh:
            while chunk := b"".join(itertools.islice(fh, BULK_LOAD_LINES)):
                self._store.bulk_load(chunk, format=ox.RdfFormat.N_QUADS)

    def commit(self) -> bool:
        """Wait for the loads and rename the store into place. False, and nothing made, when a
        file held blank nodes or something took the store's path in the meantime."""
        try:
            for done in self._pending:
                done.result()
            if self.blank_nodes or not is_new_store_path(self.dest):
                self.discard()
                return False
            self._pool.shutdown()
            store = self._store or ox.Store(str(self.work))  # no file: an empty store
            store.flush()
            del store
            self._store = None  # the last reference: the store is closed before the rename
            if self.dest.exists():
                self.dest.rmdir()
            os.rename(self.work, self.dest)
        except (OSError, SyntaxError, ValueError) as e:
            self.discard()
            raise StoreError(f"cannot create store {self.dest}: {e}") from e
        return True

    def discard(self) -> None:
        """Stop loading and remove what was loaded (nothing if the store was committed)."""
        for pending in self._pending:
            pending.cancel()
        self._pool.shutdown(wait=True)
        self._store = None
        shutil.rmtree(self.work, ignore_errors=True)


def is_store(path: str | Path) -> bool:
    """Whether ``path`` holds an Oxigraph (RocksDB) store."""
    return (Path(path) / "CURRENT").is_file()


def to_term(value: Binding) -> Term:
    """A pyoxigraph term for a binding: pyoxigraph and rdflib terms as they are, a str as a plain literal."""
    if isinstance(value, ox.NamedNode | ox.BlankNode | ox.Literal | ox.Triple):
        return value
    if type(value) is str:
        return ox.Literal(value)
    return _rdflib_term(value)  # type: ignore[arg-type]


def _rdflib_term(value: Node) -> ox.NamedNode | ox.BlankNode | ox.Literal:
    """The pyoxigraph term of an rdflib term; ValueError for an invalid IRI or language tag."""
    from rdflib import BNode, URIRef
    from rdflib import Literal as RdfLiteral

    if isinstance(value, URIRef):
        return ox.NamedNode(str(value))
    if isinstance(value, BNode):
        return ox.BlankNode(str(value))
    if isinstance(value, RdfLiteral):
        if value.language:
            return ox.Literal(str(value), language=value.language)
        return ox.Literal(str(value), datatype=ox.NamedNode(str(value.datatype)) if value.datatype else None)
    raise TypeError(f"cannot turn a {type(value).__name__} into an RDF term")


def canonical_ntriples(graph: Graph | Iterable[ox.Triple]) -> str:
    """An rdflib graph or pyoxigraph triples as N-Triples parsed and re-written by Oxigraph.

    Parsing checks every term (an invalid IRI raises SyntaxError) and blank nodes get fresh
    ids, so the text can go into a SPARQL update whatever the input held.
    """
    from rdflib import Graph

    if isinstance(graph, Graph):
        try:
            raw = graph.serialize(format="nt", encoding="utf-8")
        except Exception as e:  # rdflib raises a bare Exception for an IRI it cannot write
            raise SyntaxError(str(e)) from e
    else:
        raw = ox.serialize(graph, format=ox.RdfFormat.N_TRIPLES) or b""
    quads = ox.parse(raw, format=ox.RdfFormat.N_TRIPLES, rename_blank_nodes=True)
    return (ox.serialize(quads, format=ox.RdfFormat.N_QUADS) or b"").decode("utf-8")


def syntax_error(exc: SyntaxError | str) -> QuerySyntaxError:
    """A QuerySyntaxError with the line and column Oxigraph's message gives (``error at L:C: ...``)."""
    text = str(exc)
    m = _ERROR_AT.match(text)
    if not m:
        return QuerySyntaxError(text)
    detail = " ".join(_CHAR_CLASS.sub("", m.group(3)).split()).rstrip(",") or " ".join(m.group(3).split())
    if "Prefix not found" in detail:
        detail = "undeclared prefix (add a PREFIX line)"
    # Oxigraph gives the position just past the character where parsing failed: point at that character
    return QuerySyntaxError(detail, int(m.group(1)), max(1, int(m.group(2)) - 1))


def query_failure(message: str) -> StoreError:
    """A StoreError for a query Oxigraph could not run, in words a user can act on."""
    m = _UNPROJECTED.search(message)
    if m:
        return StoreError(f"cannot bind ?{m.group(1)}: the query must SELECT ?{m.group(1)} "
                          "(Oxigraph binds parameters only to variables the query returns)")
    return StoreError(f"query failed: {message}")


def check_query(text: str, prefixes: Mapping[str, str] | None = None) -> None:
    """Raise QuerySyntaxError if ``text`` is not a SPARQL 1.1 query; never evaluates it."""
    try:
        ox.Store().query(text, prefixes=dict(prefixes) if prefixes else None)
    except SyntaxError as e:
        if _is_update(text, prefixes):
            raise QuerySyntaxError("this is a SPARQL update (INSERT, DELETE, LOAD, CLEAR, DROP, ...), and queries "
                                   "only read; the store changes through kg build, kg push and kg remove") from None
        raise _unknown_form(text) or syntax_error(e) from None


_PROLOGUE = re.compile(r"(?:\s+|#[^\n]*|(?i:PREFIX)\s*[\w\-.]*:\s*<[^>]*>|(?i:BASE)\s*<[^>]*>)*")


def _unknown_form(text: str) -> QuerySyntaxError | None:
    """"SELEC ?s ...": the word after the prologue is no query form (Oxigraph's own message,
    "expected CONSTRUCT", names only the last form it tried)."""
    start = _PROLOGUE.match(text)
    m = re.compile(r"[A-Za-z]+").match(text, start.end() if start else 0)
    if m is None or m.group().upper() in ("SELECT", "CONSTRUCT", "DESCRIBE", "ASK"):
        return None
    line = text.count("\n", 0, m.start()) + 1
    column = m.start() - (text.rfind("\n", 0, m.start()) + 1) + 1
    return QuerySyntaxError(f"a query starts with SELECT, CONSTRUCT, DESCRIBE or ASK, not {m.group()!r}", line, column)


def _is_update(text: str, prefixes: Mapping[str, str] | None) -> bool:
    """Whether ``text`` parses as a SPARQL update (tried on an empty store of its own, so it changes nothing)."""
    try:
        ox.Store().update(text, prefixes=dict(prefixes) if prefixes else None)
    except (SyntaxError, OSError, ValueError):
        return False
    return True


def _held_message(path: str | Path | None) -> str:
    """What to tell when another program has the store open for writing."""
    return (f"store {path} is locked by another program (an `oxigraph serve` or `kg serve --writable` on it?); "
            "stop it first")


def check_store_not_held(path: str | Path) -> None:
    """StoreError if another process has the store open for writing (an `oxigraph serve`, a
    `kg serve --writable`): Oxigraph's RocksDB holds a POSIX lock on ``<store>/LOCK`` while open.

    Tries that lock without waiting and gives it up at once; no byte of the store changes. Call it only
    while this process does not have the store open (closing the file would drop its own lock).
    """
    lock = Path(path) / "LOCK"
    try:
        fd = os.open(lock, os.O_RDWR)
    except OSError:
        return  # no store yet, or nothing to check: opening the store will say what is wrong
    try:
        fcntl.lockf(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
    except OSError:
        raise StoreError(_held_message(path)) from None
    finally:
        os.close(fd)


class _Lock:
    """An advisory lock on ``<store>/.coopkg-lock``: shared for readers, exclusive for a writer."""

    def __init__(self, path: Path, exclusive: bool, wait: float) -> None:
        self.fd = os.open(path / LOCK_FILE, os.O_RDWR | os.O_CREAT, 0o644)
        mode = (fcntl.LOCK_EX if exclusive else fcntl.LOCK_SH) | fcntl.LOCK_NB
        deadline = time.monotonic() + wait
        while True:
            try:
                fcntl.flock(self.fd, mode)
                break
            except BlockingIOError:
                if time.monotonic() >= deadline:
                    holder = os.pread(self.fd, 200, 0).decode("utf-8", "replace").strip()
                    os.close(self.fd)
                    if exclusive:  # readers leave no name; the file names the last writer only
                        raise StoreError(f"store {path} is in use by another process (kg query, kg push, "
                                         f"kg serve --writable, or kg serve taking its snapshot); waited "
                                         f"{wait:g} s, try again when it has finished") from None
                    who = holder or "a build or kg remove"
                    raise StoreError(f"store {path} is being written by another process ({who}); waited "
                                     f"{wait:g} s, try again when it has finished") from None
                time.sleep(0.05)
        if exclusive:
            os.ftruncate(self.fd, 0)
            os.pwrite(self.fd, f"pid {os.getpid()}: kg {' '.join(sys.argv[1:2])}".encode(), 0)

    def release(self) -> None:
        """Give the lock up (closing the file releases it)."""
        if self.fd >= 0:
            os.close(self.fd)
            self.fd = -1


class GraphStore:
    """A persistent Oxigraph store (or an in-memory one) holding one named graph per article."""

    def __init__(self, path: str | Path | None = None, *, read_only: bool = False,
                 wait: float = DEFAULT_WAIT) -> None:
        self.path = Path(path) if path is not None else None
        self.read_only = read_only
        self._store: ox.Store | None = None
        self._lock: _Lock | None = None
        if self.path is None:
            if read_only:
                raise StoreError("an in-memory store cannot be opened read-only")
            self._store = ox.Store()
            return
        if read_only and not is_store(self.path):
            raise StoreError(f"no graph store at {self.path} (kg build PATH -o OUTDIR creates OUTDIR/store)")
        if not read_only:
            try:
                self.path.mkdir(parents=True, exist_ok=True)
            except OSError as e:
                raise StoreError(f"cannot create store folder {self.path}: {e.strerror or e}") from e
            if any(self.path.iterdir()) and not is_store(self.path) and not (self.path / LOCK_FILE).exists():
                raise StoreError(f"{self.path} is a folder that is not a graph store; choose another --store")
        try:
            self._lock = _Lock(self.path, exclusive=not read_only, wait=wait)
        except OSError as e:
            raise StoreError(f"cannot lock store {self.path}: {e.strerror or e}") from e
        if not read_only:
            try:
                self._store = ox.Store(str(self.path))
            except OSError as e:
                self._lock.release()
                raise StoreError(self._open_failure(e)) from e

    def _open_failure(self, e: OSError) -> str:
        msg = str(e)
        if "LOCK" in msg or "lock" in msg:
            return _held_message(self.path)
        return f"cannot open store {self.path}: {msg}"

    @property
    def store(self) -> ox.Store:
        """The pyoxigraph store (a read-only instance is opened on first use)."""
        if self._store is None:
            if self._lock is None:
                raise StoreError("store is closed")
            try:
                self._store = ox.Store.read_only(str(self.path))
            except OSError as e:
                raise StoreError(self._open_failure(e)) from e
        return self._store

    def close(self) -> None:
        """Flush, close the store and release the lock."""
        if self._store is not None and not self.read_only and self.path is not None:
            self._store.flush()
        self._store = None
        if self._lock is not None:
            self._lock.release()
            self._lock = None

    def __enter__(self) -> GraphStore:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def _writable(self) -> ox.Store:
        if self.read_only:
            raise StoreError(f"store {self.path} is open read-only")
        return self.store

    def _update(self, text: str) -> None:
        """Run one SPARQL update: Oxigraph applies all its operations in one transaction."""
        store = self._writable()
        try:
            store.update(text)
        except SyntaxError as e:
            raise StoreError(f"the graph could not be written to the store: {e}") from e
        except (OSError, RuntimeError) as e:
            raise StoreError(f"store {self.path or '(memory)'}: {e}") from e
        if self.path is not None:
            store.flush()  # into SST files, so a read-only snapshot (kg serve) sees it

    def replace_article_graphs(self, graphs: Mapping[str, Graph | Iterable[ox.Triple]]) -> None:
        """Put each article's graph in its named graph, dropping what was there: all or nothing.

        A graph is an rdflib Graph or pyoxigraph triples; every term is checked (an invalid IRI
        is refused) and written by Oxigraph's serialiser, so no input can alter the update.
        The update is one SPARQL request: one DELETE of the graphs the store holds already and
        one INSERT DATA of every graph (a DROP per graph cost 5 ms each, even of an absent graph;
        blank nodes are renamed apart, so graphs cannot share one).
        """
        bodies: list[tuple[ox.NamedNode, str]] = []
        for article_id in sorted(graphs):
            g = article_graph(article_id)
            try:
                bodies.append((g, canonical_ntriples(graphs[article_id])))
            except SyntaxError as e:
                raise StoreError(f"article {article_id}: the graph holds an invalid RDF term ({e})") from e
        if not bodies:
            return
        store = self._writable()
        present = [(g, body) for g, body in bodies if store.contains_named_graph(g)]  # we hold the writer's lock
        ops = [f"DROP GRAPH {g}" for g, body in present if not body]  # an empty graph is no longer listed
        if refilled := [str(g) for g, body in present if body]:
            ops.append(f"DELETE {{ GRAPH ?g {{ ?s ?p ?o }} }} WHERE {{ VALUES ?g {{ {' '.join(refilled)} }} "
                       "GRAPH ?g { ?s ?p ?o } }")
        if filled := [f"GRAPH {g} {{\n{body}}}" for g, body in bodies if body]:
            ops.append("INSERT DATA {\n" + "\n".join(filled) + "\n}")
        if ops:
            self._update(" ;\n".join(ops))

    def replace_article_graph(self, article_id: str, graph: Graph | Iterable[ox.Triple]) -> None:
        """Put one article's graph in its named graph, dropping what was there (one transaction)."""
        self.replace_article_graphs({article_id: graph})

    def remove_articles(self, article_ids: Iterable[str]) -> list[str]:
        """Drop the named graphs of these articles in one transaction; returns the ids that were there."""
        present = [a for a in dict.fromkeys(article_ids) if self.store.contains_named_graph(article_graph(a))]
        if present:
            self._update(" ;\n".join(f"DROP GRAPH {article_graph(a)}" for a in present))
        return present

    def remove_article(self, article_id: str) -> bool:
        """Drop one article's named graph; False if the store did not hold it."""
        return bool(self.remove_articles([article_id]))

    def article_ids(self) -> list[str]:
        """The ids of the articles in the store, sorted."""
        return sorted(a for g in self.store.named_graphs() if (a := article_id_of(g)) is not None)

    def __len__(self) -> int:
        return len(self.store)

    def article_quads(self, article_id: str) -> list[ox.Quad]:
        """The quads of one article's graph."""
        return list(self.store.quads_for_pattern(None, None, None, article_graph(article_id)))

    def dump_article(self, article_id: str, format: ox.RdfFormat = ox.RdfFormat.TURTLE) -> bytes:
        """One article's graph serialised (Turtle with coopkg's prefixes by default)."""
        data = self.store.dump(format=format, from_graph=article_graph(article_id), prefixes=PREFIX_IRIS)
        assert data is not None
        return data

    def export(self, output: str | Path | IO[bytes] | None = None,
               format: ox.RdfFormat = ox.RdfFormat.TRIG) -> bytes | None:
        """The whole dataset (TriG by default, one named graph per article) to a file, a stream or bytes."""
        target = str(output) if isinstance(output, Path) else output
        return self.store.dump(target, format=format, prefixes=PREFIX_IRIS)

    def snapshot(self, target: str | Path) -> Path:
        """A consistent copy of the store in ``target`` (hard links where it can), for a server to read."""
        if self.path is None:
            raise StoreError("an in-memory store has no snapshot")
        try:
            if not self.read_only:
                self.store.flush()  # what the write-ahead log holds goes into the copy too
            self.store.backup(str(target))
        except OSError as e:
            raise StoreError(f"cannot snapshot store {self.path} into {target}: {e}") from e
        return Path(target)

    def query(self, text: str, bindings: Mapping[str, Binding] | None = None, timeout: float | None = None,
              *, names: Mapping[str, Sequence[Term]] | None = None, union: bool = True,
              prefixes: Mapping[str, str] | None = None) -> QueryResult:
        """Run a SPARQL query; ``bindings`` are bound to variables, never pasted into the text.

        ``names`` maps a variable to candidate literals (a name as typed, capitalised, in each
        language...): the first that is some node's label is bound, found by index lookups.
        With ``union`` the default graph is the union of the article graphs (a triple stated
        by k articles is seen k times: use DISTINCT). ``prefixes`` (coopkg's by default) may
        be used without PREFIX lines. With ``timeout`` (seconds) the query runs in a child
        process that is killed when time is up, and QueryTimeout is raised.
        """
        subs = {ox.Variable(k.lstrip("?$")): to_term(v) for k, v in (bindings or {}).items()}
        cands = {ox.Variable(k.lstrip("?$")): list(v) for k, v in (names or {}).items() if v}
        pfx = dict(PREFIX_IRIS if prefixes is None else prefixes)
        started = time.perf_counter()
        if timeout is None:
            result = _evaluate(self.store, text, subs, cands, pfx, union)
        else:
            result = self._query_in_child(text, subs, cands, pfx, union, timeout)
        result.seconds = time.perf_counter() - started
        return result

    def _query_in_child(self, text: str, subs: dict[ox.Variable, Term], cands: dict[ox.Variable, list[Term]],
                        pfx: dict[str, str], union: bool, timeout: float) -> QueryResult:
        check_query(text, pfx)
        # fork is cheap and safe while this process has no RocksDB instance open (read-only
        # stores open lazily) or holds an in-memory store; otherwise start a fresh interpreter.
        opened_on_disk = self._store is not None and self.path is not None
        can_fork = "fork" in multiprocessing.get_all_start_methods()
        method = "fork" if can_fork and not opened_on_disk else "spawn"
        if self.path is None and method != "fork":
            raise StoreError("a time limit on an in-memory store needs the fork start method")
        inherited = self._store if self.path is None else None
        ctx: Any = multiprocessing.get_context(method)
        receiver, sender = ctx.Pipe(duplex=False)
        path = str(self.path) if self.path is not None else None
        args = (sender, path, text, subs, cands, pfx, union) if method == "spawn" else \
            (sender, path, text, subs, cands, pfx, union, inherited)
        proc = ctx.Process(target=_query_worker, args=args, daemon=True)
        proc.start()
        sender.close()
        try:
            if not receiver.poll(timeout):  # waits for the first byte of the answer
                raise QueryTimeout(f"query stopped after {timeout:g} s (its time limit); narrow it, add a "
                                   "LIMIT, or allow more time with --timeout")
            try:
                kind, payload, bound = receiver.recv()
            except EOFError:
                raise StoreError(f"the query process ended without an answer (exit code "
                                 f"{proc.exitcode})") from None
        finally:
            if proc.is_alive():
                proc.kill()
            proc.join(5)
            receiver.close()
        result = _decode(kind, payload)
        result.bound = bound
        return result


def resolve_names(store: ox.Store, cands: Mapping[ox.Variable, Sequence[Term]]) -> dict[ox.Variable, Term]:
    """For each variable, the first candidate that is some node's label; variables with none are left out."""
    out: dict[ox.Variable, Term] = {}
    for var, terms in cands.items():
        for t in terms:
            if bool(store.query(NAME_PROBE, use_default_graph_as_union=True,
                                substitutions={ox.Variable("name"): t})):
                out[var] = t
                break
    return out


def _with_names(subs: dict[ox.Variable, Term], cands: Mapping[ox.Variable, Sequence[Term]],
                resolved: dict[ox.Variable, Term]) -> dict[ox.Variable, Term]:
    """The substitutions: the bindings, each name as resolved, or as first given when nothing has it."""
    return {**subs, **{v: ts[0] for v, ts in cands.items()}, **resolved}


def _materialise(res: ox.QuerySolutions | ox.QueryBoolean | ox.QueryTriples) -> QueryResult:
    if isinstance(res, ox.QueryBoolean):
        return QueryResult("boolean", boolean=bool(res))
    if isinstance(res, ox.QueryTriples):
        return QueryResult("graph", triples=list(res))
    variables = [v.value for v in res.variables]
    width = len(variables)
    rows = [tuple(sol[i] for i in range(width)) for sol in res]
    return QueryResult("bindings", variables=variables, rows=rows)


def _run(store: ox.Store, text: str, subs: dict[ox.Variable, Term], pfx: dict[str, str],
         union: bool) -> ox.QuerySolutions | ox.QueryBoolean | ox.QueryTriples:
    return store.query(text, use_default_graph_as_union=union, substitutions=subs or None,
                       prefixes=pfx or None)


def _evaluate(store: ox.Store, text: str, subs: dict[ox.Variable, Term], cands: dict[ox.Variable, list[Term]],
              pfx: dict[str, str], union: bool) -> QueryResult:
    try:
        resolved = resolve_names(store, cands)
        result = _materialise(_run(store, text, _with_names(subs, cands, resolved), pfx, union))
    except SyntaxError as e:
        raise syntax_error(e) from None
    except (OSError, RuntimeError) as e:
        raise query_failure(str(e)) from e
    result.bound = {v.value: t for v, t in resolved.items()}
    return result


def _query_worker(conn: Connection, path: str | None, text: str, subs: dict[ox.Variable, Term],
                  cands: dict[ox.Variable, list[Term]], pfx: dict[str, str], union: bool,
                  inherited: ox.Store | None = None) -> None:
    """Child process: evaluate, serialise the answer, send it back (killed if it takes too long)."""
    resolved: dict[ox.Variable, Term] = {}
    try:
        store = inherited if inherited is not None else ox.Store.read_only(str(path))
        resolved = resolve_names(store, cands)
        res = _run(store, text, _with_names(subs, cands, resolved), pfx, union)
        payload: tuple[str, Any]
        if isinstance(res, ox.QueryBoolean):
            payload = ("boolean", bool(res))
        elif isinstance(res, ox.QueryTriples):
            payload = ("graph", ox.serialize(res, format=ox.RdfFormat.N_TRIPLES))
        else:
            payload = ("bindings", res.serialize(format=ox.QueryResultsFormat.JSON))
    except SyntaxError as e:
        payload = ("syntax", str(e))
    except Exception as e:
        payload = ("error", f"{e}")
    conn.send((*payload, {v.value: t for v, t in resolved.items()}))
    conn.close()


def _decode(kind: str, payload: Any) -> QueryResult:
    if kind == "syntax":
        raise syntax_error(payload)
    if kind == "error":
        raise query_failure(str(payload))
    if kind == "boolean":
        return QueryResult("boolean", boolean=bool(payload))
    if kind == "graph":
        quads = ox.parse(payload, format=ox.RdfFormat.N_TRIPLES)
        return QueryResult("graph", triples=[q.triple for q in quads])
    return _materialise(ox.parse_query_results(payload, format=ox.QueryResultsFormat.JSON))
