"""``kg export``: the graph as Turtle, TriG, N-Triples, N-Quads, JSON-LD, GraphML, GEXF or CSV.

RDF exports are deterministic (subjects, predicates, objects, graphs and lines sorted; the
ontology's blank nodes canonical), so two exports of the same graph are byte-identical and
a diff between two builds shows what changed. Triple formats (ttl, nt, jsonld) hold all
graphs merged; quad formats (trig, nq) keep one named graph per article, and put the
ontology, the thesaurus and inferred triples in named graphs of their own.
GraphML, GEXF and CSV hold the entity network (entities and events, with the relations,
posts and event links between them) for Gephi and spreadsheets.
"""

from __future__ import annotations

import csv
import io
import json
import os
import tempfile
from collections import defaultdict
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path
from typing import Any

import networkx as nx
from rdflib import BNode, Dataset, Graph, URIRef
from rdflib.namespace import ORG, OWL, PROV, RDF, RDFS, SKOS
from rdflib.plugins.serializers.trig import TrigSerializer
from rdflib.plugins.serializers.turtle import TurtleSerializer
from rdflib.term import Node

from kg.errors import CoopkgError, InputError, OutputError
from kg.infer import INFERRED_GRAPH, infer, ontology_graph
from kg.model import ENTITY_TYPES, EVENT_TYPES, RELATION_NAMES, SYMMETRIC_RELATIONS
from kg.resources import ONTOLOGY as ONTOLOGY_DIR
from kg.vocab import COOP, ONTOLOGY, TOPIC, WD, bind_prefixes

RDF_FORMATS: dict[str, str] = {
    "ttl": "Turtle", "trig": "TriG", "nt": "N-Triples", "nq": "N-Quads", "jsonld": "JSON-LD"}
NETWORK_FORMATS: dict[str, str] = {
    "graphml": "GraphML (entity network)", "gexf": "GEXF (entity network)",
    "csv": "CSV tables of nodes and edges"}
FORMATS: dict[str, str] = {**RDF_FORMATS, **NETWORK_FORMATS}
QUAD_FORMATS = frozenset({"trig", "nq"})
SUFFIXES: dict[str, str] = {"ttl": ".ttl", "trig": ".trig", "nt": ".nt", "nq": ".nq", "jsonld": ".jsonld",
                            "graphml": ".graphml", "gexf": ".gexf", "csv": ".csv"}
# What rdflib calls the formats it reads, by file suffix.
READ_FORMATS: dict[str, str] = {".ttl": "turtle", ".turtle": "turtle", ".trig": "trig", ".nt": "nt",
                                ".nq": "nquads", ".jsonld": "json-ld", ".json": "json-ld",
                                ".rdf": "xml", ".owl": "xml", ".xml": "xml"}
ONTOLOGY_MODES = ("inline", "separate")
THESAURUS_GRAPH = TOPIC["scheme"]  # named graph of ontology/topics.ttl, named after its skos:ConceptScheme
ONTOLOGY_GRAPH = ONTOLOGY  # named graph of ontology/coopkg.ttl
SPECIAL_GRAPHS = frozenset({ONTOLOGY_GRAPH, THESAURUS_GRAPH, INFERRED_GRAPH})
ENTITY_CLASSES: dict[URIRef, str] = {COOP[t]: t for t in ENTITY_TYPES}
EVENT_CLASSES: dict[URIRef, str] = {COOP[t]: t for t in EVENT_TYPES}
RELATIONS: dict[URIRef, str] = {COOP[r]: r for r in RELATION_NAMES}


# --------------------------------------------------------------------------- reading


def read_graph_file(path: str | Path) -> Dataset:
    """A graph file (ttl, trig, nt, nq, jsonld, rdf/xml) as a dataset; a build folder means its graph.trig."""
    from kg.store import is_store

    p = Path(path)
    if p.is_dir():
        if is_store(p):
            return read_store(p)
        for name in ("graph.trig", "graph.ttl"):
            if (p / name).is_file():
                return read_graph_file(p / name)
        raise InputError(str(p), "folder holds no graph.trig or graph.ttl "
                                 "(kg build PATH -o FOLDER writes them)")
    if not p.exists():
        raise InputError(str(p), "no such file")
    fmt = READ_FORMATS.get(p.suffix.lower())
    if fmt is None:
        raise InputError(str(p), f"unknown graph file type {p.suffix or '(no suffix)'!r}; "
                                 f"coopkg reads {', '.join(sorted(READ_FORMATS))}")
    ds = Dataset()
    try:
        ds.parse(p, format=fmt)
    except OSError as e:
        raise InputError(str(p), f"cannot read: {e.strerror or e}") from e
    except Exception as e:  # every rdflib parser raises its own exception types
        raise InputError(str(p), f"not valid {fmt}: {e}") from e
    return ds


def read_store(directory: str | Path) -> Dataset:
    """The dataset of a graph store (kg/store.py): the one place export and validate read a store."""
    import pyoxigraph as ox

    from kg.store import GraphStore

    with GraphStore(directory, read_only=True) as st:
        data = st.export(format=ox.RdfFormat.N_QUADS)
    ds = Dataset()
    ds.parse(data=data, format="nquads")
    return ds


def load_source(graph_file: str | Path | None = None, store: str | Path | None = None) -> Dataset:
    """The dataset a command reads: a graph file (or build folder), else a store (default outputs/store)."""
    if graph_file is not None and store is not None:
        raise CoopkgError("give a graph file or --store, not both")
    if graph_file is not None:
        return read_graph_file(graph_file)
    if store is None:
        from kg.store import DEFAULT_STORE

        store = DEFAULT_STORE
    return read_store(store)


def data_graphs(ds: Dataset) -> dict[Node, Graph]:
    """The graphs of the data (per article, or the default graph), without ontology and inferred ones."""
    out: dict[Node, Graph] = {}
    for g in ds.graphs():
        if g.identifier not in SPECIAL_GRAPHS and len(g):
            out[g.identifier] = g
    return out


def merge(graphs: Iterable[Graph]) -> Graph:
    """The union of some graphs in one graph, with coopkg's prefixes."""
    out = bind_prefixes(Graph())
    for g in graphs:
        for prefix, ns in g.namespaces():
            out.bind(prefix, ns, override=False)
        for t in g:
            out.add(t)
    return bind_prefixes(out)


@cache
def _thesaurus() -> Graph | None:
    path = ONTOLOGY_DIR / "topics.ttl"
    if not path.is_file():
        return None
    return bind_prefixes(Graph().parse(path, format="turtle"))


def ontology_graphs() -> dict[Node, Graph]:
    """The ontology and, when present, the topic thesaurus, by the named graph they go in."""
    out: dict[Node, Graph] = {ONTOLOGY_GRAPH: ontology_graph()}
    thesaurus = _thesaurus()
    if thesaurus is not None:
        out[THESAURUS_GRAPH] = merge([thesaurus])
    return out


# --------------------------------------------------------------------------- RDF writing


def _subject_order(node: Node) -> tuple[bool, str]:
    return isinstance(node, BNode), str(node)


class SortedTurtleSerializer(TurtleSerializer):
    """Turtle with subjects in IRI order (rdflib orders them by reference count)."""

    def orderSubjects(self) -> list[Any]:
        """Subjects sorted by IRI, blank nodes last."""
        return sorted(super().orderSubjects(), key=_subject_order)


class SortedTrigSerializer(TrigSerializer):
    """TriG with the default graph first, then named graphs by IRI, subjects sorted in each."""

    def __init__(self, store: Graph) -> None:
        super().__init__(store)
        self.contexts.sort(key=lambda g: (g.identifier != self.default_context, str(g.identifier)))

    def orderSubjects(self) -> list[Any]:
        """Subjects sorted by IRI, blank nodes last."""
        return sorted(super().orderSubjects(), key=_subject_order)


def _serialize(serializer: TurtleSerializer) -> bytes:
    buf = io.BytesIO()
    serializer.serialize(buf, encoding="utf-8")
    return buf.getvalue()


def turtle_bytes(graph: Graph) -> bytes:
    """Deterministic Turtle."""
    return _serialize(SortedTurtleSerializer(graph))


def trig_bytes(ds: Dataset) -> bytes:
    """Deterministic TriG."""
    return _serialize(SortedTrigSerializer(ds))


def _sorted_lines(data: bytes) -> bytes:
    lines = sorted({line for line in data.splitlines() if line.strip()})
    return b"".join(line + b"\n" for line in lines)


def ntriples_bytes(graph: Graph) -> bytes:
    """N-Triples, one triple a line, lines sorted."""
    return _sorted_lines(graph.serialize(format="nt", encoding="utf-8"))


def nquads_bytes(ds: Dataset) -> bytes:
    """N-Quads, one quad a line, lines sorted."""
    return _sorted_lines(ds.serialize(format="nquads", encoding="utf-8"))


def jsonld_context() -> dict[str, Any]:
    """The JSON-LD context of coopkg graphs (ontology/context.jsonld), the value of its @context."""
    path = ONTOLOGY_DIR / "context.jsonld"
    try:
        ctx = json.loads(path.read_text(encoding="utf-8"))["@context"]
    except (OSError, ValueError, KeyError) as e:
        raise CoopkgError(f"cannot read the JSON-LD context {path}: {e}") from e
    return dict(ctx)


def _sort_json(value: Any, key: str = "") -> Any:
    """Sort JSON-LD node arrays and value arrays (sets, in JSON-LD) but never an @list."""
    if isinstance(value, dict):
        return {k: _sort_json(v, k) for k, v in value.items()}
    if isinstance(value, list):
        items = [_sort_json(v) for v in value]
        if key == "@list":
            return items
        return sorted(items, key=lambda v: json.dumps(v, sort_keys=True, ensure_ascii=False))
    return value


def jsonld_bytes(graph: Graph) -> bytes:
    """JSON-LD compacted with coopkg's context (embedded, so the file stands alone), nodes sorted by @id."""
    ctx = jsonld_context()
    doc = json.loads(graph.serialize(format="json-ld", context=ctx, auto_compact=False))
    if isinstance(doc, list):  # nothing to compact: an empty graph
        doc = {"@graph": doc}
    if "@graph" not in doc:  # a single node object
        doc = {"@graph": [{k: v for k, v in doc.items() if k != "@context"}]}
    out = {"@context": ctx, "@graph": _sort_json(doc["@graph"])}
    return (json.dumps(out, indent=2, ensure_ascii=False, sort_keys=True) + "\n").encode("utf-8")


def rdf_bytes(ds: Dataset, fmt: str) -> bytes:
    """The dataset in one RDF format: quad formats keep named graphs, triple formats merge them."""
    if fmt == "trig":
        return trig_bytes(ds)
    if fmt == "nq":
        return nquads_bytes(ds)
    merged = merge(ds.graphs())
    if fmt == "ttl":
        return turtle_bytes(merged)
    if fmt == "nt":
        return ntriples_bytes(merged)
    if fmt == "jsonld":
        return jsonld_bytes(merged)
    raise CoopkgError(unknown_format(fmt))


def dataset_of(graphs: dict[Node, Graph]) -> Dataset:
    """A dataset holding these graphs under their names (the default graph's name puts them there)."""
    ds = Dataset()
    bind_prefixes(ds)
    default_id = ds.default_graph.identifier
    for name in sorted(graphs, key=str):
        target = ds.default_graph if name == default_id else ds.graph(name)  # type: ignore[arg-type]
        for prefix, ns in graphs[name].namespaces():
            ds.bind(prefix, ns, override=False)
        for t in graphs[name]:
            target.add(t)
    return ds


# --------------------------------------------------------------------------- entity network


def _label(g: Graph, node: Node) -> str:
    for p in (RDFS.label, SKOS.prefLabel):
        values = sorted(str(v) for v in g.objects(node, p))
        if values:
            return values[0]
    text = str(node)
    return text.rstrip("/#").rsplit("/", 1)[-1].rsplit("#", 1)[-1]


def _labels(g: Graph, node: Node) -> str:
    names = {str(v) for p in (RDFS.label, SKOS.prefLabel, SKOS.altLabel) for v in g.objects(node, p)}
    return " | ".join(sorted(names))


def _node_type(g: Graph, node: Node) -> str | None:
    types = set(g.objects(node, RDF.type))
    for cls, name in {**ENTITY_CLASSES, **EVENT_CLASSES}.items():
        if cls in types:
            return name
    return None


@dataclass
class _Support:
    """What backs one edge: the confidences and the articles of its evidence."""

    confidence: list[float] = field(default_factory=list)
    articles: set[Node] = field(default_factory=set)
    title: str = ""


def _statement_support(g: Graph) -> dict[tuple[Node, Node, Node], _Support]:
    support: dict[tuple[Node, Node, Node], _Support] = defaultdict(_Support)
    for st in g.subjects(RDF.type, RDF.Statement):
        key = (g.value(st, RDF.subject), g.value(st, RDF.predicate), g.value(st, RDF.object))
        if None in key:
            continue
        sup = support[key]  # type: ignore[index]
        for c in g.objects(st, COOP.confidence):
            sup.confidence.append(float(str(c)))
        for ev in g.objects(st, COOP.evidence):
            sup.articles.update(g.objects(ev, COOP.article))
    return support


def entity_network(graph: Graph) -> nx.MultiDiGraph:
    """Entities and events as nodes; relations, posts (person to organisation) and event links as edges.

    Node attributes: label, type, labels (all names, `` | ``-separated), canonical_key, wikidata,
    degree and pagerank. Edge attributes: relation, confidence (highest of its statements),
    articles (how many articles state it), weight (= articles, at least 1) and, for posts, title.
    """
    net = nx.MultiDiGraph()
    nodes = sorted({s for s in graph.subjects(RDF.type, None) if _node_type(graph, s)}, key=str)
    for n in nodes:
        attrs: dict[str, Any] = {"label": _label(graph, n), "type": _node_type(graph, n),
                                 "labels": _labels(graph, n)}
        key = graph.value(n, COOP.key)
        if key is not None:
            attrs["canonical_key"] = str(key)
        wikidata = sorted(str(o)[len(str(WD)):] for o in graph.objects(n, OWL.sameAs)
                          if str(o).startswith(str(WD)))
        if wikidata:
            attrs["wikidata"] = " ".join(wikidata)
        net.add_node(str(n), **attrs)
    support = _statement_support(graph)
    edges: list[tuple[str, str, dict[str, Any]]] = []

    def edge(s: Node, o: Node, relation: str, sup: _Support | None, **extra: Any) -> None:
        if str(s) not in net or str(o) not in net:
            return
        attrs: dict[str, Any] = {"relation": relation, **extra}
        if sup is not None and sup.confidence:
            attrs["confidence"] = max(sup.confidence)
        articles = len(sup.articles) if sup is not None else 0
        attrs["articles"] = articles
        attrs["weight"] = float(max(articles, 1))
        edges.append((str(s), str(o), attrs))

    for pred, name in RELATIONS.items():
        for s, o in graph.subject_objects(pred):
            edge(s, o, name, support.get((s, pred, o)), symmetric=name in SYMMETRIC_RELATIONS)
    for person, post in graph.subject_objects(ORG.holds):
        for org in graph.objects(post, ORG.postIn):
            edge(person, org, "post", support.get((person, ORG.holds, post)), title=_label(graph, post))
    for ev in (n for n in nodes if _node_type(graph, n) in EVENT_TYPES):
        sup = _Support([float(str(c)) for c in graph.objects(ev, COOP.confidence)],
                       {a for e in graph.objects(ev, COOP.evidence) for a in graph.objects(e, COOP.article)})
        if not sup.articles:
            sup.articles = set(graph.objects(ev, PROV.wasDerivedFrom))
        for prop in ("participant", "place", "topic"):
            for o in graph.objects(ev, COOP[prop]):
                edge(ev, o, prop, sup)
    for i, (source, target, attrs) in enumerate(sorted(edges, key=lambda e: (e[0], e[2]["relation"], e[1]))):
        net.add_edge(source, target, key=f"e{i}", **attrs)
    _add_centrality(net)
    return net


def _pagerank(net: nx.MultiDiGraph) -> dict[Any, float]:
    simple = nx.DiGraph(net)
    try:
        return dict(nx.pagerank(simple))
    except ModuleNotFoundError:  # networkx's default PageRank needs scipy; its pure-Python one does not
        from networkx.algorithms.link_analysis.pagerank_alg import _pagerank_python

        return dict(_pagerank_python(simple))


def _add_centrality(net: nx.MultiDiGraph) -> None:
    """Degree (edges in and out) and PageRank on every node."""
    ranks = _pagerank(net) if len(net) else {}
    for n in net.nodes:
        net.nodes[n]["degree"] = int(net.degree(n))
        net.nodes[n]["pagerank"] = round(float(ranks.get(n, 0.0)), 6)


def graphml_bytes(net: nx.MultiDiGraph) -> bytes:
    """GraphML of the network."""
    buf = io.BytesIO()
    nx.write_graphml(net, buf, encoding="utf-8", named_key_ids=True)
    return buf.getvalue()


def gexf_bytes(net: nx.MultiDiGraph) -> bytes:
    """GEXF 1.2 of the network."""
    buf = io.BytesIO()
    nx.write_gexf(net, buf, encoding="utf-8")
    return buf.getvalue()


NODE_COLUMNS = ("id", "label", "type", "labels", "canonical_key", "wikidata", "degree", "pagerank")
EDGE_COLUMNS = ("source", "source_label", "relation", "target", "target_label", "title", "confidence",
                "articles", "weight", "symmetric")


def _csv(rows: Iterable[dict[str, Any]], columns: tuple[str, ...]) -> bytes:
    buf = io.StringIO()
    w = csv.DictWriter(buf, fieldnames=columns, extrasaction="ignore", lineterminator="\r\n")
    w.writeheader()
    for row in rows:
        w.writerow(row)
    # UTF-8 with a byte order mark: what spreadsheet programs need to read accents right.
    return buf.getvalue().encode("utf-8-sig")


def csv_tables(net: nx.MultiDiGraph) -> tuple[bytes, bytes]:
    """The network as two CSV tables: nodes, and edges with both ends' labels."""
    nodes = ({"id": n, **attrs} for n, attrs in net.nodes(data=True))
    edges = ({"source": s, "source_label": net.nodes[s]["label"], "target": o,
              "target_label": net.nodes[o]["label"], **attrs} for s, o, attrs in net.edges(data=True))
    return _csv(nodes, NODE_COLUMNS), _csv(edges, EDGE_COLUMNS)


# --------------------------------------------------------------------------- files


def _umask() -> int:
    mask = os.umask(0)
    os.umask(mask)
    return mask


def write_bytes_atomic(path: Path, data: bytes) -> None:
    """Write through a temporary file in the same folder, then rename over ``path``."""
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    except FileExistsError as e:
        raise OutputError(f"cannot write {path}: {path.parent} is a file, not a folder") from e
    except OSError as e:
        raise OutputError(f"cannot write {path}: {e.strerror or e}") from e
    try:
        with os.fdopen(fd, "wb") as fh:
            fh.write(data)
        os.chmod(tmp, 0o666 & ~_umask())  # mkstemp makes the file private; give it the usual mode
        os.replace(tmp, path)
    except OSError as e:
        Path(tmp).unlink(missing_ok=True)
        raise OutputError(f"cannot write {path}: {e.strerror or e}") from e
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


INFERRED_FILE = "inferred.trig"


def write_inferred(graph: Graph, outdir: Path) -> tuple[Path, list[str]]:
    """``kg build --infer``: OUTDIR/inferred.trig (the inferred graph) and the inconsistencies found."""
    inference = infer(graph)
    path = outdir / INFERRED_FILE
    write_bytes_atomic(path, trig_bytes(dataset_of({INFERRED_GRAPH: inference.triples})))
    return path, [f"the ontology's rules are broken: {e}" for e in inference.errors]


def unknown_format(fmt: str) -> str:
    """The message for a format coopkg does not write."""
    return f"unknown format {fmt!r}; choose one of {', '.join(FORMATS)}"


def format_of(path: str | Path) -> str:
    """The export format a file name asks for, by its suffix."""
    if Path(path).is_dir():
        raise OutputError(f"{path} is a folder; give a file name, e.g. {Path(path) / 'graph.ttl'}")
    suffix = Path(path).suffix.lower()
    for fmt, s in SUFFIXES.items():
        if s == suffix:
            return fmt
    raise CoopkgError(f"cannot tell the format from {str(path)!r}; give --format ({', '.join(FORMATS)})")


def sibling(dest: Path, part: str, suffix: str | None = None) -> Path:
    """``graph.ttl`` -> ``graph.<part>.ttl``: a file written beside the destination."""
    return dest.with_name(f"{dest.stem}.{part}{suffix if suffix is not None else dest.suffix}")


@dataclass
class ExportResult:
    """What an export wrote and what it has to tell the user."""

    outputs: list[Path] = field(default_factory=list)
    inferred: int = 0
    notes: list[str] = field(default_factory=list)


def export(ds: Dataset, fmt: str, dest: str | Path, with_ontology: str | None = None,
           infer_triples: bool = False,
           on_progress: Callable[[str], None] | None = None) -> ExportResult:
    """Write the dataset to ``dest`` in ``fmt``, with the ontology and inferred triples if asked."""
    if fmt not in FORMATS:
        raise CoopkgError(unknown_format(fmt))
    if with_ontology is not None and with_ontology not in ONTOLOGY_MODES:
        raise CoopkgError(f"unknown --with-ontology {with_ontology!r}; choose {' or '.join(ONTOLOGY_MODES)}")
    dest = Path(dest)
    if dest.is_dir():
        raise OutputError(f"{dest} is a folder; give a file name, e.g. {dest / ('graph' + SUFFIXES[fmt])}")
    result = ExportResult()
    graphs = data_graphs(ds)
    if fmt in NETWORK_FORMATS:
        if with_ontology or infer_triples:
            raise CoopkgError(f"--with-ontology and --infer apply to RDF formats ({', '.join(RDF_FORMATS)}), "
                              f"not {fmt}")
        net = entity_network(merge(graphs.values()))
        if fmt == "csv":
            nodes, edges = csv_tables(net)
            files = {sibling(dest, "nodes", ".csv"): nodes, sibling(dest, "edges", ".csv"): edges}
        else:
            files = {dest: graphml_bytes(net) if fmt == "graphml" else gexf_bytes(net)}
        for path, data in files.items():
            write_bytes_atomic(path, data)
            result.outputs.append(path)
        return result
    # every graph of the input (ontology and inferred ones too); --infer, --with-ontology replace theirs
    out: dict[Node, Graph] = {g.identifier: g for g in ds.graphs() if len(g)}
    if infer_triples:
        if on_progress:
            on_progress("reasoning (OWL 2 RL)...")
        inference = infer(merge(graphs.values()))
        out[INFERRED_GRAPH] = inference.triples
        result.inferred = len(inference.triples)
        result.notes += [f"the ontology's rules are broken: {e}" for e in inference.errors]
        if fmt not in QUAD_FORMATS:
            result.notes.append(f"{RDF_FORMATS[fmt]} has no named graphs: the {result.inferred} inferred "
                                f"triples are merged with the data (trig or nq keep them in "
                                f"<{INFERRED_GRAPH}>)")
    onto = ontology_graphs() if with_ontology else {}
    if with_ontology == "inline":
        out.update(onto)
    files = {dest: rdf_bytes(dataset_of(out), fmt)}
    if with_ontology == "separate":
        files[sibling(dest, "ontology")] = rdf_bytes(dataset_of(dict(onto)), fmt)
    for path, data in files.items():
        write_bytes_atomic(path, data)
        result.outputs.append(path)
    return result
