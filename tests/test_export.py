"""kg export: every RDF export re-read by a second parser (pyoxigraph) equals the store; the
network exports read back with networkx; JSON-LD loads with its context; errors are clear."""

from __future__ import annotations

import csv
import json
import os
import re
import subprocess
import sys
from pathlib import Path

import networkx as nx
import pyoxigraph as ox
import pytest
from rdflib import BNode, Dataset, Graph, Literal, URIRef
from rdflib.compare import graph_diff, isomorphic, to_isomorphic
from rdflib.namespace import RDF, XSD

from kg.build import BuildReport
from kg.cli import main
from kg.export import (
    EDGE_COLUMNS,
    FORMATS,
    NODE_COLUMNS,
    ONTOLOGY_GRAPH,
    RDF_FORMATS,
    data_graphs,
    entity_network,
    export,
    jsonld_context,
    merge,
    read_graph_file,
    read_store,
    turtle_bytes,
)
from kg.infer import INFERRED_GRAPH, ontology_graph
from kg.model import RELATION_NAMES
from kg.ontodoc import README, generated_section
from kg.store import GraphStore, article_id_of
from kg.vocab import COOP

OX_FORMATS = {"ttl": ox.RdfFormat.TURTLE, "trig": ox.RdfFormat.TRIG, "nt": ox.RdfFormat.N_TRIPLES,
              "nq": ox.RdfFormat.N_QUADS, "jsonld": ox.RdfFormat.JSON_LD}
QUADS = {"trig", "nq"}


# --------------------------------------------------------------------------- helpers


def _term(t: ox.NamedNode | ox.BlankNode | ox.Literal) -> URIRef | BNode | Literal:
    """A pyoxigraph term as an rdflib term (a plain xsd:string literal as rdflib writes it)."""
    if isinstance(t, ox.NamedNode):
        return URIRef(t.value)
    if isinstance(t, ox.BlankNode):
        return BNode(t.value)
    if t.language:
        return Literal(t.value, lang=t.language)
    dt = URIRef(t.datatype.value)
    return Literal(t.value, datatype=None if dt == XSD.string else dt)


def read_with_oxigraph(path: Path, fmt: str) -> dict[URIRef | None, Graph]:
    """The graphs pyoxigraph reads in a file, by name (None: the default graph)."""
    graphs: dict[URIRef | None, Graph] = {}
    for q in ox.parse(path=str(path), format=OX_FORMATS[fmt]):
        name = None if isinstance(q.graph_name, ox.DefaultGraph) else URIRef(q.graph_name.value)
        graphs.setdefault(name, Graph()).add((_term(q.subject), _term(q.predicate), _term(q.object)))
    return graphs


def assert_same_graph(actual: Graph, expected: Graph, what: str) -> None:
    """Isomorphic, or fail with the first differing triples in N-Triples."""
    if isomorphic(actual, expected):
        return
    _both, only_actual, only_expected = graph_diff(to_isomorphic(actual), to_isomorphic(expected))

    def nt(g: Graph) -> str:
        return "\n".join(sorted(g.serialize(format="nt").splitlines())[:15])

    pytest.fail(f"{what} differs: {len(only_expected)} triples missing, {len(only_actual)} unexpected\n"
                f"missing:\n{nt(only_expected)}\nunexpected:\n{nt(only_actual)}")


def run_kg(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    """Run ``kg ARGV`` in-process: exit code, stdout, stderr."""
    try:
        code = main(list(argv))
    except SystemExit as e:  # argparse's own errors
        code = int(e.code or 0)
    out = capsys.readouterr()
    return code, out.out, out.err


# --------------------------------------------------------------------------- fixtures


@pytest.fixture(scope="module")
def build_dir(example_build: BuildReport) -> Path:
    return example_build.outputs[0].parent


@pytest.fixture(scope="module")
def store_dir(build_dir: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A graph store holding the example build, one named graph per article."""
    ds = Dataset()
    ds.parse(build_dir / "graph.trig", format="trig")
    graphs = {aid: g for g in ds.graphs() if (aid := article_id_of(ox.NamedNode(str(g.identifier))))}
    path = tmp_path_factory.mktemp("store") / "store"
    with GraphStore(path) as st:
        st.replace_article_graphs(graphs)
    return path


@pytest.fixture(scope="module")
def store_ds(store_dir: Path) -> Dataset:
    return read_store(store_dir)


@pytest.fixture(scope="module")
def network(store_ds: Dataset) -> nx.MultiDiGraph:
    return entity_network(merge(data_graphs(store_ds).values()))


# --------------------------------------------------------------------------- RDF


@pytest.mark.parametrize("fmt", list(RDF_FORMATS))
def test_export_rdf_reread_by_pyoxigraph_equals_store(fmt: str, store_ds: Dataset, tmp_path: Path) -> None:
    dest = tmp_path / f"graph.{fmt}"
    export(store_ds, fmt, dest)
    reread = read_with_oxigraph(dest, fmt)
    store_graphs = data_graphs(store_ds)
    assert len(store_graphs) >= 1 and sum(len(g) for g in store_graphs.values()) > 100
    if fmt in QUADS:
        assert set(reread) == set(store_graphs), "named graphs differ"
        for name, g in store_graphs.items():
            assert_same_graph(reread[name], g, f"{fmt} graph {name}")  # type: ignore[index]
    else:
        assert list(reread) == [None], "a triple format has only the default graph"
        assert_same_graph(reread[None], merge(store_graphs.values()), f"{fmt} export")


@pytest.mark.parametrize("fmt", sorted(QUADS))
def test_export_infer_keeps_inferred_triples_in_their_own_graph(fmt: str, store_ds: Dataset,
                                                                 tmp_path: Path) -> None:
    dest = tmp_path / f"graph.{fmt}"
    result = export(store_ds, fmt, dest, infer_triples=True)
    reread = read_with_oxigraph(dest, fmt)
    assert result.inferred == len(reread[INFERRED_GRAPH]) > 0
    for name, g in data_graphs(store_ds).items():
        assert_same_graph(reread[name], g, f"article graph {name} next to the inferred one")  # type: ignore[index]


def test_export_with_ontology_inline_puts_it_in_its_named_graph(store_ds: Dataset, tmp_path: Path) -> None:
    dest = tmp_path / "graph.trig"
    export(store_ds, "trig", dest, with_ontology="inline")
    reread = read_with_oxigraph(dest, "trig")
    assert_same_graph(reread[ONTOLOGY_GRAPH], ontology_graph(), "ontology graph")


def test_export_with_ontology_separate_writes_it_beside(store_ds: Dataset, tmp_path: Path) -> None:
    dest = tmp_path / "graph.ttl"
    result = export(store_ds, "ttl", dest, with_ontology="separate")
    assert result.outputs == [dest, tmp_path / "graph.ontology.ttl"]
    onto = read_with_oxigraph(tmp_path / "graph.ontology.ttl", "ttl")[None]
    assert (COOP.Organization, RDF.type, URIRef("http://www.w3.org/2002/07/owl#Class")) in onto
    assert_same_graph(read_with_oxigraph(dest, "ttl")[None], merge(data_graphs(store_ds).values()),
                      "data without the ontology")


def test_export_keeps_the_named_graphs_it_reads(store_ds: Dataset, tmp_path: Path) -> None:
    first = tmp_path / "inferred.trig"
    export(store_ds, "trig", first, infer_triples=True, with_ontology="inline")
    again = tmp_path / "again.nq"
    export(read_graph_file(first), "nq", again)
    before, after = read_with_oxigraph(first, "trig"), read_with_oxigraph(again, "nq")
    assert set(after) == set(before) and {INFERRED_GRAPH, ONTOLOGY_GRAPH} <= set(after)
    for name, g in before.items():
        assert_same_graph(after[name], g, f"graph {name} after a second export")


_EXPORT_ALL = """
import sys
from pathlib import Path
from kg.export import export, read_graph_file
ds = read_graph_file(sys.argv[1])
out = Path(sys.argv[2])
for fmt in ("ttl", "trig", "nt", "nq", "jsonld"):
    export(ds, fmt, out / f"graph.{fmt}")
export(ds, "ttl", out / "with-ontology.ttl", with_ontology="inline")
export(ds, "nq", out / "with-ontology.nq", with_ontology="inline")
"""


def test_export_rdf_is_byte_identical_across_processes(build_dir: Path, tmp_path: Path) -> None:
    outputs = []
    for seed in ("1", "2"):
        out = tmp_path / seed
        out.mkdir()
        env = {**os.environ, "PYTHONHASHSEED": seed}
        subprocess.run([sys.executable, "-c", _EXPORT_ALL, str(build_dir / "graph.trig"), str(out)],
                       check=True, env=env, timeout=120)
        outputs.append({p.name: p.read_bytes() for p in sorted(out.iterdir())})
    assert len(outputs[0]) == 7
    for name, data in outputs[0].items():
        assert data == outputs[1][name], f"{name} differs between two runs"


def test_export_turtle_lists_subjects_in_iri_order(store_ds: Dataset) -> None:
    text = turtle_bytes(merge(data_graphs(store_ds).values())).decode("utf-8")
    subjects = re.findall(r"^(<[^>]+>|[a-z]+:\S+) ", text, flags=re.M)
    prefixes = dict(re.findall(r"^@prefix (\w+): <([^>]+)>", text, flags=re.M))

    def expand(s: str) -> str:
        if s.startswith("<"):
            return s[1:-1]
        prefix, local = s.split(":", 1)
        return prefixes[prefix] + local

    full = [expand(s) for s in subjects]
    assert len(full) > 20
    assert full == sorted(full)


# --------------------------------------------------------------------------- JSON-LD


def test_export_jsonld_loads_with_the_context_file(store_ds: Dataset, tmp_path: Path) -> None:
    dest = tmp_path / "graph.jsonld"
    export(store_ds, "jsonld", dest)
    doc = json.loads(dest.read_text(encoding="utf-8"))
    context_file = Path(__file__).resolve().parents[1] / "ontology" / "context.jsonld"
    assert doc["@context"] == json.loads(context_file.read_text(encoding="utf-8"))["@context"]
    bare = json.dumps({"@graph": doc["@graph"]})  # the data alone, read with the context file
    g = Graph().parse(data=bare, format="json-ld", context=str(context_file))
    assert_same_graph(g, merge(data_graphs(store_ds).values()), "JSON-LD read with ontology/context.jsonld")


def test_export_jsonld_context_names_every_coop_term_used(store_ds: Dataset) -> None:
    data = merge(data_graphs(store_ds).values())
    used = {p for p in data.predicates() if str(p).startswith(str(COOP))}
    used |= {c for c in data.objects(None, RDF.type) if str(c).startswith(str(COOP))}
    named = {f"coop:{str(t)[len(str(COOP)):]}" for t in used}
    ctx = jsonld_context()
    targets = {v if isinstance(v, str) else v["@id"] for k, v in ctx.items() if not k.startswith("@")}
    assert named - targets == set(), "coop: terms with no JSON-LD term in ontology/context.jsonld"


# --------------------------------------------------------------------------- network


def test_export_network_has_an_edge_for_every_relation(store_ds: Dataset,
                                                       network: nx.MultiDiGraph) -> None:
    data = merge(data_graphs(store_ds).values())
    triples = {(str(s), name, str(o)) for name in RELATION_NAMES for s, o in data.subject_objects(COOP[name])}
    edges = {(s, a["relation"], o) for s, o, a in network.edges(data=True) if a["relation"] in RELATION_NAMES}
    assert triples and edges == triples
    for _s, _o, a in network.edges(data=True):
        assert a["articles"] >= 1 and 0.0 <= a.get("confidence", 0.0) <= 1.0


@pytest.mark.parametrize("fmt", ["graphml", "gexf"])
def test_export_network_reads_back_with_networkx(fmt: str, store_ds: Dataset, network: nx.MultiDiGraph,
                                                 tmp_path: Path) -> None:
    dest = tmp_path / f"network.{fmt}"
    export(store_ds, fmt, dest)
    back = nx.read_graphml(dest) if fmt == "graphml" else nx.read_gexf(dest)
    assert set(back.nodes) == set(network.nodes)
    assert back.number_of_edges() == network.number_of_edges() > 0
    for n, attrs in network.nodes(data=True):
        got = back.nodes[n]
        assert got["label"] == attrs["label"] and got["type"] == attrs["type"]
        assert int(got["degree"]) == attrs["degree"]
        assert float(got["pagerank"]) == pytest.approx(attrs["pagerank"])
    relations = sorted((s, o, a["relation"], int(a["articles"])) for s, o, a in back.edges(data=True))
    assert relations == sorted((s, o, a["relation"], a["articles"]) for s, o, a in network.edges(data=True))


def test_export_csv_tables_hold_nodes_and_edges(store_ds: Dataset, network: nx.MultiDiGraph,
                                               tmp_path: Path) -> None:
    result = export(store_ds, "csv", tmp_path / "network.csv")
    assert [p.name for p in result.outputs] == ["network.nodes.csv", "network.edges.csv"]
    with open(result.outputs[0], encoding="utf-8-sig", newline="") as fh:
        nodes = list(csv.DictReader(fh))
    with open(result.outputs[1], encoding="utf-8-sig", newline="") as fh:
        edges = list(csv.DictReader(fh))
    assert tuple(nodes[0]) == NODE_COLUMNS and tuple(edges[0]) == EDGE_COLUMNS
    assert {r["id"] for r in nodes} == set(network.nodes)
    assert len(edges) == network.number_of_edges()
    labels = {r["id"]: r["label"] for r in nodes}
    assert all(labels[e["source"]] == e["source_label"] for e in edges)
    # the attributes docs/export.md lists for edges, as the other network formats carry them
    assert all(float(e["weight"]) == max(int(e["articles"]), 1) for e in edges)
    assert {e["symmetric"] for e in edges if e["relation"] == "cooperatesWith"} == {"True"}
    assert {e["symmetric"] for e in edges if e["relation"] == "participant"} == {""}


# --------------------------------------------------------------------------- CLI and errors


def test_export_cli_writes_the_file(capsys: pytest.CaptureFixture[str], store_dir: Path,
                                    tmp_path: Path) -> None:
    dest = tmp_path / "out" / "graph.nt"
    code, out, _err = run_kg(capsys, "export", "--store", str(store_dir), "-o", str(dest))
    assert code == 0 and f"wrote      {dest}" in out
    assert dest.read_bytes().count(b"\n") > 100


@pytest.mark.parametrize(("argv", "message"), [
    (["--store", "{tmp}/no-store", "-o", "{tmp}/g.ttl"], "no graph store at"),
    (["{tmp}/missing.trig", "-o", "{tmp}/g.ttl"], "no such file"),
    (["{build}", "--format", "xml", "-o", "{tmp}/g.xml"], "unknown format 'xml'"),
    (["{build}", "-o", "{tmp}/g.dat"], "cannot tell the format"),
    (["{build}", "-o", "{tmp}/a-file/g.ttl"], "is a file, not a folder"),
    (["{build}", "-o", "{tmp}"], "is a folder"),
    (["{build}", "--infer", "-o", "{tmp}/g.gexf"], "apply to RDF formats"),
])
def test_export_cli_fails_clearly(argv: list[str], message: str, capsys: pytest.CaptureFixture[str],
                                  build_dir: Path, tmp_path: Path) -> None:
    (tmp_path / "a-file").write_text("not a folder")
    args = [a.format(tmp=tmp_path, build=build_dir) for a in argv]
    code, out, err = run_kg(capsys, "export", *args)
    assert code == 2
    assert err.startswith("kg export: ") and message in err and "Traceback" not in err
    assert out == ""


def test_export_formats_are_the_documented_ones() -> None:
    assert list(FORMATS) == ["ttl", "trig", "nt", "nq", "jsonld", "graphml", "gexf", "csv"]


# --------------------------------------------------------------------------- ontology documentation


def test_ontodoc_readme_is_up_to_date() -> None:
    text = README.read_text(encoding="utf-8")
    assert generated_section() in text, "ontology/README.md is out of date: run python -m kg.ontodoc"


def test_ontodoc_readme_sparql_examples_run_on_the_example(store_ds: Dataset) -> None:
    queries = re.findall(r"```sparql\n(.*?)```", README.read_text(encoding="utf-8"), flags=re.S)
    assert len(queries) >= 3
    store = ox.Store()
    data = merge(data_graphs(store_ds).values()).serialize(format="nt", encoding="utf-8")
    store.load(data, format=ox.RdfFormat.N_TRIPLES)
    answered = [len(list(store.query(q))) for q in queries]  # every query parses and runs
    assert sum(1 for n in answered if n) >= len(queries) - 1, f"rows per query: {answered}"
