"""The graph store: one named graph per article, replaced and removed in transactions, locked, queried."""

from __future__ import annotations

import time
from pathlib import Path

import pyoxigraph as ox
import pytest
from conftest import EXAMPLE
from rdflib import Dataset, Graph, Literal, URIRef
from rdflib.namespace import RDFS

from kg.build import BuildReport, build
from kg.cli import main
from kg.errors import QuerySyntaxError, QueryTimeout, StoreError
from kg.store import GraphStore, article_graph, article_id_of, is_store
from kg.vocab import ID

EXAMPLE_ID = EXAMPLE.stem
EUROPOL = URIRef(ID["org/europol"])


def article_graphs(trig: Path) -> dict[str, Graph]:
    """The article graphs of a build's graph.trig, by article id."""
    ds = Dataset()
    ds.parse(trig, format="trig")
    return {aid: g for g in ds.graphs() if (aid := article_id_of(ox.NamedNode(str(g.identifier))))}


def small_graph(*labels: tuple[URIRef, str]) -> Graph:
    g = Graph()
    for node, label in labels:
        g.add((node, RDFS.label, Literal(label, lang="fr")))
    return g


@pytest.fixture(scope="module")
def example_graphs(example_build: BuildReport) -> dict[str, Graph]:
    return article_graphs(example_build.outputs[0].parent / "graph.trig")


@pytest.fixture
def store_path(tmp_path: Path) -> Path:
    return tmp_path / "store"


def count(store: GraphStore, article_id: str) -> int:
    return len(store.article_quads(article_id))


def test_store_replace_article_graph_holds_the_article_in_its_named_graph(
        store_path: Path, example_graphs: dict[str, Graph]) -> None:
    with GraphStore(store_path) as st:
        st.replace_article_graph(EXAMPLE_ID, example_graphs[EXAMPLE_ID])
        assert st.article_ids() == [EXAMPLE_ID]
        assert count(st, EXAMPLE_ID) == len(example_graphs[EXAMPLE_ID])
        assert len(st) == len(example_graphs[EXAMPLE_ID])  # nothing outside the article's graph
    assert is_store(store_path)


def test_store_replace_again_leaves_no_duplicates_and_no_stale_triples(store_path: Path) -> None:
    first = small_graph((EUROPOL, "Europol"), (URIRef(ID["org/old"]), "Ancienne unité"))
    second = small_graph((EUROPOL, "Europol"))
    with GraphStore(store_path) as st:
        st.replace_article_graph("a1", first)
        st.replace_article_graph("a1", first)
        assert count(st, "a1") == 2
        st.replace_article_graph("a1", second)
        assert count(st, "a1") == 1
        old = st.query("ASK { ?x rdfs:label ?l FILTER(STR(?l) = 'Ancienne unité') }")
        assert old.boolean is False


def test_store_remove_article_keeps_what_other_articles_say(store_path: Path) -> None:
    with GraphStore(store_path) as st:
        st.replace_article_graphs({"a1": small_graph((EUROPOL, "Europol"), (URIRef(ID["org/x"]), "X")),
                                   "a2": small_graph((EUROPOL, "Europol"))})
        assert st.remove_article("a1") is True
        assert st.remove_article("a1") is False
        assert st.article_ids() == ["a2"]
        labels = st.query("SELECT DISTINCT ?e WHERE { ?e rdfs:label ?l }")
        assert [r[0] for r in labels.rows] == [ox.NamedNode(str(EUROPOL))]


def test_store_failed_build_leaves_the_store_as_it_was(store_path: Path) -> None:
    bad = Graph()
    bad.add((URIRef("http://example.org/a b"), RDFS.label, Literal("x")))  # not an IRI: cannot be stored
    with GraphStore(store_path) as st:
        st.replace_article_graph("a1", small_graph((EUROPOL, "Europol")))
        before = sorted(map(str, st.store))
        with pytest.raises(StoreError, match="a2"):
            st.replace_article_graphs({"a1": small_graph((EUROPOL, "Changed")), "a2": bad})
        assert sorted(map(str, st.store)) == before


def test_store_update_is_applied_in_one_transaction(store_path: Path) -> None:
    with GraphStore(store_path) as st:
        st.replace_article_graphs({"a1": small_graph((EUROPOL, "Europol")), "a2": small_graph((EUROPOL, "E"))})
        with pytest.raises(StoreError):  # the second operation fails: the first is rolled back
            st._update(f"DROP GRAPH {article_graph('a1')} ; CREATE GRAPH {article_graph('a2')}")
        assert st.article_ids() == ["a1", "a2"]


def test_store_outlives_the_process_that_wrote_it(store_path: Path) -> None:
    with GraphStore(store_path) as st:
        st.replace_article_graph("a1", small_graph((EUROPOL, "Europol")))
    with GraphStore(store_path, read_only=True) as st:
        assert st.article_ids() == ["a1"] and len(st) == 1


def test_store_writer_and_readers_exclude_each_other(store_path: Path) -> None:
    with GraphStore(store_path) as st:
        st.replace_article_graph("a1", small_graph((EUROPOL, "Europol")))
        with pytest.raises(StoreError, match="being written"):
            GraphStore(store_path, read_only=True, wait=0.2)
    with GraphStore(store_path, read_only=True), GraphStore(store_path, read_only=True) as second:
        assert second.article_ids() == ["a1"]  # readers share
        with pytest.raises(StoreError, match="in use"):
            GraphStore(store_path, wait=0.2)


def test_store_refuses_a_folder_that_is_not_a_store(tmp_path: Path) -> None:
    (tmp_path / "notes.txt").write_text("hello")
    with pytest.raises(StoreError, match="not a graph store"):
        GraphStore(tmp_path)
    with pytest.raises(StoreError, match="no graph store"):
        GraphStore(tmp_path / "missing", read_only=True)


@pytest.mark.parametrize("hostile", ['Europol" } ; DROP ALL ; #', "Europol'} UNION { ?x ?y ?z }", "?label"])
def test_store_query_binds_parameters_never_pastes_them(store_path: Path, hostile: str) -> None:
    with GraphStore(store_path) as st:
        st.replace_article_graph("a1", small_graph((EUROPOL, "Europol")))
        q = "SELECT ?e ?name WHERE { ?e rdfs:label ?l FILTER(STR(?l) = ?name) }"
        assert st.query(q, {"name": hostile}).rows == []
        assert [r[0] for r in st.query(q, {"name": "Europol"}).rows] == [ox.NamedNode(str(EUROPOL))]
        assert len(st) == 1


def test_store_query_resolves_a_typed_name_to_the_stored_label(store_path: Path) -> None:
    from kg.query import name_candidates

    with GraphStore(store_path) as st:
        st.replace_article_graph("a1", small_graph((EUROPOL, "Union européenne")))
        q = "SELECT ?name ?e WHERE { ?e rdfs:label ?name }"
        res = st.query(q, names={"name": name_candidates("union européenne")})
        assert res.bound["name"] == ox.Literal("Union européenne", language="fr")
        assert [r[1] for r in res.rows] == [ox.NamedNode(str(EUROPOL))]
        assert "name" not in st.query(q, names={"name": name_candidates("nobody")}).bound


@pytest.mark.parametrize(("text", "line", "column"), [
    ("SELECT ?x WHERE {\n  ?x ?y \n}", 3, 1),
    ("SELECT ?x WHERE { ?x nope:label ?y }", 1, 31),
    ("SELECT ?x WHERE {\n  ?x ?y ?z .\n  FILTER(?x = ) }", 3, 17),
])
def test_store_syntax_error_says_line_and_column(store_path: Path, text: str, line: int, column: int) -> None:
    with GraphStore(store_path) as st, pytest.raises(QuerySyntaxError) as err:
        st.query(text)
    assert (err.value.line, err.value.column) == (line, column)
    assert f"line {line}, column {column}" in str(err.value)


@pytest.mark.parametrize("in_memory", [False, True])
def test_store_query_over_its_time_limit_is_stopped(store_path: Path, in_memory: bool) -> None:
    st = GraphStore(None if in_memory else store_path)
    st.replace_article_graph("a1", small_graph(*((URIRef(ID[f"org/{i}"]), f"O{i}") for i in range(60))))
    st.close()
    reader = GraphStore() if in_memory else GraphStore(store_path, read_only=True)
    if in_memory:
        reader.replace_article_graph("a1", small_graph(*((URIRef(ID[f"org/{i}"]), f"O{i}") for i in range(60))))
    slow = "SELECT (COUNT(*) AS ?n) WHERE { ?a ?p ?b . ?c ?q ?d . ?e ?r ?f . ?g ?s ?h . ?i ?t ?j }"
    started = time.monotonic()
    with pytest.raises(QueryTimeout, match=r"stopped after 0\.5 s"):
        reader.query(slow, timeout=0.5)
    assert time.monotonic() - started < 5
    assert reader.query("ASK { ?a ?p ?b }", timeout=5).boolean is True  # the store is still usable
    reader.close()


def test_store_export_writes_every_article_graph(store_path: Path, example_graphs: dict[str, Graph]) -> None:
    with GraphStore(store_path) as st:
        st.replace_article_graphs(example_graphs)
        trig = st.export()
    assert trig is not None
    ds = Dataset()
    ds.parse(data=trig, format="trig")
    back = {article_id_of(ox.NamedNode(str(g.identifier))): len(g) for g in ds.graphs() if len(g)}
    assert back == {aid: len(g) for aid, g in example_graphs.items()}


def test_build_adds_to_the_store_and_rebuilding_replaces(tmp_path: Path) -> None:
    out, store = tmp_path / "out", tmp_path / "out" / "store"
    build([EXAMPLE], out, store=store)
    with GraphStore(store, read_only=True) as st:
        first = len(st)
        assert st.article_ids() == [EXAMPLE_ID]
    with GraphStore(store) as st:  # another article in the store stays through the rebuild
        st.replace_article_graph("other", small_graph((EUROPOL, "Europol")))
    report = build([EXAMPLE], out, store=store)
    assert store in report.outputs
    with GraphStore(store, read_only=True) as st:
        assert st.article_ids() == [EXAMPLE_ID, "other"]
        assert len(st) == first + 1


def test_cli_remove_retracts_articles_and_reports_unknown_ones(store_path: Path,
                                                               capsys: pytest.CaptureFixture[str]) -> None:
    with GraphStore(store_path) as st:
        st.replace_article_graphs({"a1": small_graph((EUROPOL, "Europol")), "a2": small_graph((EUROPOL, "E"))})
    assert main(["remove", "a1", "--store", str(store_path)]) == 0
    assert "removed    a1" in capsys.readouterr().out
    assert main(["remove", "a1", "--store", str(store_path)]) == 1
    assert "not found  a1" in capsys.readouterr().err
    assert main(["remove", "a1", "--store", str(store_path / "nowhere")]) == 2
    with GraphStore(store_path, read_only=True) as st:
        assert st.article_ids() == ["a2"]


def _quads(path: Path) -> set[str]:
    with GraphStore(path, read_only=True) as gs:
        return {str(q) for q in gs.store.quads_for_pattern(None, None, None, None)}


@pytest.mark.parametrize("chunk", [100_000, 7])  # the example in one bulk load, and in many
def test_store_first_build_bulk_loads_the_same_quads_as_a_transaction(tmp_path: Path, chunk: int,
                                                                      monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr("kg.store.BULK_LOAD_LINES", chunk)
    fresh, existing = tmp_path / "fresh", tmp_path / "existing"
    (tmp_path / ".fresh.loading-999").mkdir()  # left by a build that was killed
    with GraphStore(existing) as gs:  # an existing store takes the transactional path
        gs.replace_article_graph("other", small_graph((ID["org/x"], "X")))
    build([EXAMPLE], tmp_path / "a", store=fresh, workers=1, validate="none")
    build([EXAMPLE], tmp_path / "b", store=existing, workers=1, validate="none")
    assert is_store(fresh) and not (tmp_path / ".fresh.loading-999").exists()
    other = {q for q in _quads(existing) if str(article_graph("other")) in q}
    assert other and _quads(fresh) == _quads(existing) - other
