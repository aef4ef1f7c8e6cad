"""Builds at scale: articles go through the pipeline in small tasks (in worker processes or here),
results are spilled to piece files in a temporary folder, and the outputs are assembled from
the pieces at the end, so memory stays flat however many articles a build reads.

Output never depends on the number of workers: tasks are cut from the input in order, results
come back in that order, and every output is sorted (articles by id, triples by subject,
predicate and object).
"""

from __future__ import annotations

import contextlib
import ctypes
import fcntl
import gc
import hashlib
import heapq
import multiprocessing
import os
import re
import shutil
import signal
import sys
import tempfile
from collections import deque
from collections.abc import Callable, Iterable, Iterator, Mapping
from concurrent.futures import Future, ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from dataclasses import dataclass, field
from functools import lru_cache
from itertools import groupby, islice
from pathlib import Path
from typing import IO, TYPE_CHECKING, Any

import pyoxigraph as ox
from rdflib import BNode, Graph, Literal, URIRef
from rdflib.namespace import RDF, RDFS, XSD

from kg.errors import CoopkgError
from kg.model import Article
from kg.vocab import GRAPH, PREFIXES

if TYPE_CHECKING:
    from kg.mapping import Triple

TASK_ARTICLES = 8  # articles per task: the unit of work of a worker, of spaCy's batch and of validation
VALIDATE_MODES = ("sample", "all", "none")
SAMPLE_ALL_UP_TO = 32  # "sample": every task of the first 32 articles, then one task in SAMPLE_EVERY
SAMPLE_EVERY = 64
PIECE_BYTES = 16_000_000  # N-Triples kept in memory before they are written to a piece file
IN_FLIGHT_PER_WORKER = 2  # tasks queued per worker: workers never wait, memory stays bounded
BUILD_DIR_PREFIX = ".coopkg-build-"  # temporary folder of a build, beside its outputs
LOCK_NAME = "lock"

_GRAPH_START = len(str(GRAPH)) + 1  # "<" + the graph namespace
_PREFIXES = sorted(((name, str(ns)) for name, ns in PREFIXES.items()), key=lambda p: -len(p[1]))
_LOCAL = re.compile(r"[A-Za-z0-9_](?:[A-Za-z0-9_.\-]*[A-Za-z0-9_\-])?")
_PREDICATE_RANK = {f"<{RDF.type}>": "0", f"<{RDFS.label}>": "1"}  # rdf:type, then rdfs:label, then by IRI
_INTEGER = re.compile(r'"[+-]?[0-9]+"')  # ASCII digits: \d would take other scripts' digits
_DECIMAL = re.compile(r'"[+-]?[0-9]*\.[0-9]+"')
_BARE = {f"<{XSD.integer}>": _INTEGER, f"<{XSD.decimal}>": _DECIMAL,
         f"<{XSD.boolean}>": re.compile(r'"(?:true|false)"')}


# --------------------------------------------------------------------------- one task of articles


@dataclass(frozen=True)
class ArticleResult:
    """What one article gave: its graph as N-Triples lines (sorted), counts, or why it failed."""

    id: str
    source: str
    lines: tuple[str, ...] = ()
    entities: tuple[tuple[str, str], ...] = ()  # (canonical key, type)
    posts: int = 0
    relations: int = 0
    events: int = 0
    error: str | None = None


@dataclass
class TaskResult:
    """The results of one task, in input order, and the SHACL problems of its graph."""

    articles: list[ArticleResult]
    problems: list[Any] = field(default_factory=list)  # kg.validate.Problem


def triple_key(line: str) -> tuple[str, str, str, str]:
    """The order of triples in the outputs: subject, rdf:type and rdfs:label first, predicate, object."""
    s, p, o = line.split(" ", 2)
    return s, _PREDICATE_RANK.get(p, "2"), p, o


@lru_cache(maxsize=1 << 12)
def _nt_term(term: Any) -> str:
    """The N-Triples form of an rdflib term, written by Oxigraph; ValueError for an invalid IRI or
    language tag. Cached: classes, predicates and the article's entities recur from triple to triple
    (a small cache: a build's memory must not grow with its articles)."""
    if isinstance(term, URIRef):
        made: Any = ox.NamedNode(str(term))
    elif isinstance(term, BNode):
        made = ox.BlankNode(str(term))
    elif isinstance(term, Literal):
        if term.language:
            made = ox.Literal(str(term), language=term.language)
        else:
            made = ox.Literal(str(term), datatype=ox.NamedNode(str(term.datatype)) if term.datatype else None)
    else:
        raise ValueError(f"cannot write a {type(term).__name__} in RDF")
    return str(made)


def ntriples_lines(graph: Iterable[tuple[Any, Any, Any]]) -> tuple[str, ...]:
    """A graph's triples as canonical N-Triples lines (Oxigraph's term syntax), unique, in output order.

    Every term is checked on the way: an invalid IRI (a URL with a space from a JSONL file)
    raises ValueError naming it.
    """
    lines = {f"{_nt_term(s)} {_nt_term(p)} {_nt_term(o)} .\n" for s, p, o in graph}
    return tuple(sorted(lines, key=triple_key))


def lines_of(text: str) -> list[str]:
    """N-Triples lines, split at "\\n" only: a literal may hold U+0085 or U+2028, which str.splitlines splits at."""
    return [line + "\n" for line in text.split("\n")[:-1]]


def process_task(articles: list[Article], min_confidence: float, validate: bool) -> TaskResult:
    """Parse, extract and map a few articles; an article that fails is reported, never raised."""
    from kg.mapping import merged
    from kg.nlp import coopkg_version

    version = coopkg_version()
    graphs: dict[str, set[Triple]] = {}
    results = [_process_article(article, doc, min_confidence, version, graphs) for article, doc in _parsed(articles)]
    problems: list[Any] = []
    if validate and graphs:
        from kg.validate import validate_graph

        problems = validate_graph(merged(graphs)).problems
    return TaskResult(results, problems)


def _parsed(articles: list[Article]) -> Iterator[tuple[Article, Any]]:
    """Articles with their spaCy Doc (or why spaCy failed on it, a str), batched per language."""
    from kg.nlp import load_pipeline, parse, parse_many

    too_long = [a for a in articles if len(a.text) > load_pipeline(a.lang).nlp.max_length]
    if not too_long:
        try:
            yield from list(parse_many(articles, batch_size=len(articles)))
            return
        except Exception:  # one text broke the batch: parse one by one to find it
            pass
    for article in articles:
        limit = load_pipeline(article.lang).nlp.max_length
        if len(article.text) > limit:
            yield article, (f"text too long for spaCy ({len(article.text):,} characters): the limit is "
                            f"nlp.max_length = {limit:,} characters")
            continue
        try:
            yield article, parse(article)
        except Exception as e:
            yield article, f"spaCy could not process the text ({type(e).__name__}: {e})"


def _process_article(article: Article, doc: Any, min_confidence: float, version: str,
                     graphs: dict[str, set[Triple]]) -> ArticleResult:
    """One article's result; a failure of spaCy, of a rule or of the mapping becomes its error."""
    from kg.mapping import map_triples
    from kg.nlp import load_pipeline
    from kg.pipeline import extract

    if isinstance(doc, str):
        return ArticleResult(article.id, article.source, error=doc)
    try:
        pipe = load_pipeline(article.lang)
        ex = extract(article, doc, f"{pipe.name}-{pipe.version}", min_confidence)
        graph = map_triples(ex, version)
    except Exception as e:  # a bug: the article is named and skipped, the build goes on
        return ArticleResult(article.id, article.source,
                             error=f"extraction failed ({type(e).__name__}: {e}); please report it")
    try:
        lines = ntriples_lines(graph)
    except (ValueError, UnicodeError) as e:
        return ArticleResult(article.id, article.source, error=f"the graph holds an invalid RDF term ({e})")
    graphs[article.id] = graph
    return ArticleResult(article.id, article.source, lines, tuple((e.key, e.type) for e in ex.entities),
                         len(ex.posts), len(ex.relations), len(ex.events))


def tasks(articles: Iterable[Article], validate: str = "all",
          size: int = TASK_ARTICLES) -> Iterator[tuple[list[Article], bool]]:
    """Articles cut into tasks of ``size``, in input order, each with whether its graph is checked.

    ``validate`` "all" checks every task, "none" none, "sample" the tasks of the first
    SAMPLE_ALL_UP_TO articles then one in SAMPLE_EVERY: SHACL costs about as much as spaCy.
    """
    if validate not in VALIDATE_MODES:
        raise CoopkgError(f"--validate must be one of {', '.join(VALIDATE_MODES)}, not {validate!r}")
    it = iter(articles)
    index = 0
    while chunk := list(islice(it, size)):
        check = validate == "all" or (validate == "sample" and (
            index * size < SAMPLE_ALL_UP_TO or index % SAMPLE_EVERY == 0))
        yield chunk, check
        index += 1


# --------------------------------------------------------------------------- workers


def _die_with_parent() -> None:
    """Worker start: die when the build process dies (even by SIGKILL); leave Ctrl-C to the build."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    if sys.platform.startswith("linux"):
        with contextlib.suppress(OSError, AttributeError):
            ctypes.CDLL(None, use_errno=True).prctl(1, signal.SIGKILL)  # PR_SET_PDEATHSIG


def run_tasks(chunks: Iterable[tuple[list[Article], bool]], workers: int,
              min_confidence: float) -> Iterator[TaskResult]:
    """Task results in input order, computed here (``workers`` <= 1) or by ``workers`` processes."""
    if workers <= 1:
        for chunk, validate in chunks:
            yield process_task(chunk, min_confidence, validate)
        return
    # fork shares the pipelines already loaded here; elsewhere each worker loads its own
    method = "fork" if "fork" in multiprocessing.get_all_start_methods() else "spawn"
    pool = ProcessPoolExecutor(workers, mp_context=multiprocessing.get_context(method),
                               initializer=_die_with_parent)
    pending: deque[Future[TaskResult]] = deque()
    # the collector of a forked worker would write to every object it inherited (the models'
    # hundreds of thousands), copying their pages into the worker: freeze them while it runs
    gc.freeze()
    try:
        for chunk, validate in chunks:
            pending.append(pool.submit(process_task, chunk, min_confidence, validate))
            while len(pending) >= workers * IN_FLIGHT_PER_WORKER or (pending and pending[0].done()):
                yield pending.popleft().result()
        while pending:
            yield pending.popleft().result()
    except BrokenProcessPool as e:
        _stop(pool, pending)
        raise CoopkgError("a worker process died (out of memory?); try fewer --workers") from e
    except BaseException:  # an error, Ctrl-C, or the build stopped reading: do not wait for running tasks
        _stop(pool, pending)
        raise
    finally:
        gc.unfreeze()
    pool.shutdown(wait=True)


def _stop(pool: ProcessPoolExecutor, pending: deque[Future[TaskResult]]) -> None:
    """Cancel queued tasks and end the workers now."""
    for fut in pending:
        fut.cancel()
    procs = getattr(pool, "_processes", None) or {}
    for proc in list(procs.values()):
        if proc.is_alive():
            proc.terminate()
    pool.shutdown(wait=True, cancel_futures=True)


# --------------------------------------------------------------------------- the temporary folder


class BuildDir:
    """A build's temporary folder beside its outputs, locked while the build runs.

    A build killed mid-way leaves its folder behind, unlocked: the next build into the same
    folder removes it. Outputs are written here and renamed into place at the end.
    """

    def __init__(self, outdir: Path) -> None:
        remove_stale_build_dirs(outdir)
        self.path = Path(tempfile.mkdtemp(prefix=BUILD_DIR_PREFIX, dir=outdir))
        self._fd = os.open(self.path / LOCK_NAME, os.O_RDWR | os.O_CREAT, 0o644)
        fcntl.flock(self._fd, fcntl.LOCK_EX)
        os.write(self._fd, f"pid {os.getpid()}\n".encode())

    def close(self) -> None:
        """Remove the folder and what is left in it."""
        shutil.rmtree(self.path, ignore_errors=True)
        if self._fd >= 0:
            os.close(self._fd)
            self._fd = -1

    def __enter__(self) -> BuildDir:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


def remove_stale_build_dirs(outdir: Path) -> list[Path]:
    """Remove the temporary folders of builds that are no longer running (killed); return them."""
    removed = []
    for folder in sorted(outdir.glob(BUILD_DIR_PREFIX + "*")):
        try:
            fd = os.open(folder / LOCK_NAME, os.O_RDWR)
        except FileNotFoundError:  # created but not yet locked, or half removed: old enough?
            if folder.is_dir() and not any(folder.iterdir()):
                shutil.rmtree(folder, ignore_errors=True)
            continue
        except OSError:
            continue
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:  # a build is running there
            os.close(fd)
            continue
        shutil.rmtree(folder, ignore_errors=True)
        os.close(fd)
        removed.append(folder)
    return removed


# --------------------------------------------------------------------------- spilling results


class Spill:
    """Article results written to piece files: N-Quads per article (for TriG, N-Quads and the
    store) and each piece's unique triples (for the merged Turtle), both sorted, merged at the end."""

    def __init__(self, folder: Path, piece_bytes: int | None = None,
                 on_quads: Callable[[Path], None] | None = None) -> None:
        self.folder = folder
        self.piece_bytes = PIECE_BYTES if piece_bytes is None else piece_bytes
        self.on_quads = on_quads  # told of each N-Quads piece once written (the new store loads it)
        self._articles: list[ArticleResult] = []
        self._size = 0
        self.pieces = 0
        self.ids: list[str] = []

    def add(self, result: ArticleResult) -> None:
        """Keep an article's lines; write a piece when enough are kept."""
        self._articles.append(result)
        self.ids.append(result.id)
        self._size += sum(map(len, result.lines))
        if self._size >= self.piece_bytes:
            self.flush()

    def flush(self) -> None:
        """Write what is kept as one piece."""
        if not self._articles:
            return
        self.pieces += 1
        quads = self.folder / f"quads-{self.pieces:05d}.nq"
        with quads.open("w", encoding="utf-8", newline="\n") as fh:
            for art in sorted(self._articles, key=lambda a: a.id):
                graph = f" <{GRAPH[art.id]}> .\n"
                fh.writelines(line[:-3] + graph for line in art.lines)
        if self.on_quads is not None:
            self.on_quads(quads)
        unique = {line for art in self._articles for line in art.lines}
        with (self.folder / f"triples-{self.pieces:05d}.nt").open("w", encoding="utf-8", newline="\n") as fh:
            fh.writelines(sorted(unique, key=triple_key))
        self._articles = []
        self._size = 0

    def _files(self, kind: str) -> list[IO[str]]:
        self.flush()
        suffix = "nq" if kind == "quads" else "nt"
        return [(self.folder / f"{kind}-{i:05d}.{suffix}").open(encoding="utf-8", newline="\n")
                for i in range(1, self.pieces + 1)]

    def triples(self) -> Iterator[str]:
        """Every distinct triple of the build as an N-Triples line, in output order."""
        files = self._files("triples")
        try:
            previous = None
            for line in heapq.merge(*files, key=triple_key):
                if line != previous:
                    yield line
                    previous = line
        finally:
            for fh in files:
                fh.close()

    def articles(self) -> Iterator[tuple[str, list[str]]]:
        """(article id, its N-Quads lines) for every article, by article id."""
        files = self._files("quads")
        try:
            blocks = [groupby(fh, key=article_of) for fh in files]
            for graph, lines in heapq.merge(*blocks, key=lambda block: block[0]):
                yield graph, list(lines)
        finally:
            for fh in files:
                fh.close()


def article_of(quad: str) -> str:
    """The article id of an N-Quads line of an article graph."""
    return quad.rstrip("\n")[:-2].rsplit(" ", 1)[1][_GRAPH_START:-1]


def quad_triple(quad: str) -> str:
    """An N-Quads line without its graph, as an N-Triples line."""
    return quad.rstrip("\n")[:-2].rsplit(" ", 1)[0] + " .\n"


# --------------------------------------------------------------------------- Turtle and TriG


@lru_cache(maxsize=1 << 13)
def _pname(iri: str) -> tuple[str, str] | None:
    """(prefixed name, prefix) of an IRI whose local part needs no escaping, else None."""
    for name, ns in _PREFIXES:
        if iri.startswith(ns):
            local = iri[len(ns):]
            return (f"{name}:{local}", name) if _LOCAL.fullmatch(local) else None
    return None


class TurtleWriter:
    """Turtle (or TriG) from N-Triples lines sorted by subject and predicate, written as it comes.

    The layout is rdflib's: ``a`` for rdf:type, one predicate per line, objects after commas,
    integers, decimals and booleans bare, prefixed names where an IRI allows one. The body is
    written first; ``finish`` puts the declarations of the prefixes used in front of it.
    """

    def __init__(self, out: IO[str], indent: str = "") -> None:
        self.out = out
        self.indent = indent
        self.used: set[str] = set()
        self.first = True  # no blank line before the first subject of a document or graph
        self._subject: str | None = None
        self._predicate: str | None = None

    def term(self, term: str, predicate: bool = False) -> str:
        """One N-Triples term in Turtle."""
        if term[0] == "<":
            if predicate and term == f"<{RDF.type}>":
                return "a"
            found = _pname(term[1:-1])
            if found is None:
                return term
            self.used.add(found[1])
            return found[0]
        if term[0] != '"':
            return term  # a blank node
        end = term.rindex('"')
        lexical, suffix = term[: end + 1], term[end + 1:]
        if not suffix.startswith("^^"):
            return term
        datatype = suffix[2:]
        bare = _BARE.get(datatype)
        if bare is not None and bare.fullmatch(lexical):
            return lexical[1:-1]
        return f"{lexical}^^{self.term(datatype)}"

    def triple(self, line: str) -> None:
        """Write one triple (N-Triples line), continuing the subject and predicate of the previous one."""
        s, p, o = line.rstrip("\n")[:-2].split(" ", 2)
        pad = self.indent
        if s != self._subject:
            self.end_subject()
            sep = "" if self.first else "\n"
            self.out.write(f"{sep}{pad}{self.term(s)} {self.term(p, True)} {self.term(o)}")
            self._subject, self._predicate, self.first = s, p, False
        elif p != self._predicate:
            self.out.write(f" ;\n{pad}    {self.term(p, True)} {self.term(o)}")
            self._predicate = p
        else:
            self.out.write(f",\n{pad}        {self.term(o)}")

    def end_subject(self) -> None:
        """Close the current subject's statement."""
        if self._subject is not None:
            self.out.write(" .\n")
        self._subject = self._predicate = None

    def prefixes(self) -> str:
        """The @prefix lines of the prefixes used so far."""
        ns = {name: iri for name, iri in _PREFIXES}
        return "".join(f"@prefix {name}: <{ns[name]}> .\n" for name in sorted(self.used))


def _with_prefixes(writer: TurtleWriter, body: Path, dest: Path) -> None:
    """dest = the prefix lines the writer used + the body file."""
    with dest.open("w", encoding="utf-8", newline="\n") as out, \
            body.open(encoding="utf-8", newline="\n") as src:
        out.write(writer.prefixes())
        shutil.copyfileobj(src, out, 1 << 20)
    body.unlink()


def write_turtle(lines: Iterable[str], dest: Path) -> None:
    """graph.ttl: triples (sorted N-Triples lines) as Turtle with prefixes."""
    body = dest.with_name(dest.name + ".body")
    with body.open("w", encoding="utf-8", newline="\n") as out:
        out.write("\n")
        writer = TurtleWriter(out)
        for line in lines:
            writer.triple(line)
        writer.end_subject()
    _with_prefixes(writer, body, dest)


def write_trig(articles: Iterable[tuple[str, list[str]]], dest: Path) -> None:
    """graph.trig: one named graph per article, triples sorted, prefixes in front."""
    body = dest.with_name(dest.name + ".body")
    with body.open("w", encoding="utf-8", newline="\n") as out:
        writer = TurtleWriter(out, indent="    ")
        for article_id, quads in articles:
            out.write(f"\n{writer.term(f'<{GRAPH[article_id]}>')} {{\n")
            writer.first = True
            for quad in quads:
                writer.triple(quad_triple(quad))
            writer.end_subject()
            out.write("}\n")
    _with_prefixes(writer, body, dest)


def write_nquads(articles: Iterable[tuple[str, list[str]]], dest: Path) -> None:
    """N-Quads, one named graph per article, by article id."""
    with dest.open("w", encoding="utf-8", newline="\n") as out:
        for _graph, quads in articles:
            out.writelines(quads)


class StreamedGraphs(Mapping[str, list[ox.Triple]]):
    """The spilled article graphs as GraphStore.replace_article_graphs reads them: by sorted id,
    each read once, parsed only when asked for (no rdflib graph is kept)."""

    def __init__(self, spill: Spill) -> None:
        self._ids = sorted(spill.ids)
        self._stream = spill.articles()

    def __getitem__(self, article_id: str) -> list[ox.Triple]:
        found, quads = next(self._stream)
        if found != article_id:
            raise KeyError(article_id)  # read out of order: not how the store reads it
        text = "".join(map(quad_triple, quads)).encode("utf-8")
        return [q.triple for q in ox.parse(text, format=ox.RdfFormat.N_TRIPLES)]

    def __iter__(self) -> Iterator[str]:
        return iter(self._ids)

    def __len__(self) -> int:
        return len(self._ids)


def rdflib_graph(lines: Iterable[str], chunk: int = 50_000) -> Graph:
    """An rdflib Graph of N-Triples lines (for the view and inference of builds small enough)."""
    from kg.vocab import bind_prefixes

    g = bind_prefixes(Graph())
    it = iter(lines)
    while block := "".join(islice(it, chunk)):
        g.parse(data=block, format="nt")
    return g


# --------------------------------------------------------------------------- shards


def parse_shard(text: str) -> tuple[int, int]:
    """``I/N`` (1 <= I <= N) as (I, N); CoopkgError otherwise."""
    m = re.fullmatch(r"\s*(\d+)\s*/\s*(\d+)\s*", text)
    if not m or not 1 <= int(m.group(1)) <= int(m.group(2)):
        raise CoopkgError(f"--shard must be I/N with 1 <= I <= N (e.g. 2/8), not {text!r}")
    return int(m.group(1)), int(m.group(2))


def shard_of(key: str, shards: int) -> int:
    """The shard (1..N) an article id (or an input's name) belongs to: stable across runs and machines."""
    return int(hashlib.sha1(key.encode("utf-8", "surrogatepass")).hexdigest(), 16) % shards + 1


def shard_file(shard: tuple[int, int]) -> str:
    """The file name of a shard's output."""
    return f"shard-{shard[0]}-of-{shard[1]}.nq"


def publish(files: Mapping[Path, Path], before: Callable[[], None] | None = None,
            stale: Iterable[Path] = ()) -> None:
    """Rename finished files over the outputs (after ``before``, e.g. the store's transaction), then
    remove the ``stale`` outputs this build replaces with nothing: all only once the build has succeeded."""
    if before is not None:
        before()
    for src, dest in files.items():
        os.replace(src, dest)
    for path in stale:
        path.unlink(missing_ok=True)
