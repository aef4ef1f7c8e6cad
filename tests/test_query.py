"""kg query: canned queries on the example, parameters, result formats, syntax errors, time limits."""

from __future__ import annotations

import csv
import io
import json
import re
from pathlib import Path

import pyoxigraph as ox
import pytest
from conftest import EXAMPLE
from rdflib import Dataset, Graph

from kg.build import BuildReport
from kg.cli import main
from kg.errors import CoopkgError
from kg.query import (
    FORMATS,
    bind_params,
    canned_queries,
    compact,
    find_query,
    format_result,
    name_candidates,
    parse_param,
    query_store,
    relation_term,
)
from kg.store import GraphStore, QueryResult, article_id_of
from kg.store_cli import FORMATS as CLI_FORMATS

EXAMPLE_ID = EXAMPLE.stem
PARAMS = {
    "entity": ["label=interpol"],
    "evidence": ["subject=INTERPOL", "relation=cooperatesWith", "object=union européenne"],
}


@pytest.fixture(scope="module")
def store(example_build: BuildReport, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A graph store holding the example article."""
    ds = Dataset()
    ds.parse(example_build.outputs[0].parent / "graph.trig", format="trig")
    graphs = {aid: g for g in ds.graphs() if (aid := article_id_of(ox.NamedNode(str(g.identifier))))}
    path = tmp_path_factory.mktemp("query") / "store"
    with GraphStore(path) as st:
        st.replace_article_graphs(graphs)
    return path


def rows(store: Path, name: str) -> list[dict[str, str]]:
    """A canned query's answer on the store, as dicts of plain values."""
    text, _, _ = query_store(store, name, PARAMS.get(name, ()), "json", timeout=30)
    data = json.loads(text)
    return [{k: v["value"] for k, v in b.items()} for b in data["results"]["bindings"]]


def test_query_every_canned_query_says_what_it_answers() -> None:
    canned = canned_queries()
    assert {"meetings", "officials", "cooperation", "initiatives", "entity", "evidence", "articles"} <= set(canned)
    for q in canned.values():
        assert len(q.description) > 60, q.name
        assert q.text.lstrip().startswith("#")


@pytest.mark.parametrize("name", [*sorted(PARAMS), "meetings", "officials", "cooperation", "initiatives",
                                  "articles"])
def test_query_canned_query_answers_on_the_example(store: Path, name: str) -> None:
    assert rows(store, name), f"{name} found nothing in the example"


def test_query_meetings_gives_participants_date_place_topics(store: Path) -> None:
    meeting = next(r for r in rows(store, "meetings") if "Jürgen Stock" in r.get("participants", ""))
    assert meeting["date"] == "2015-07-15"
    assert meeting["place"] == "Bruxelles"
    assert "terrorisme" in meeting["topics"]
    assert meeting["article"] == EXAMPLE_ID


def test_query_officials_gives_person_post_organisation(store: Path) -> None:
    found = {(r["person"], r["organisation"]) for r in rows(store, "officials")}
    assert ("Jürgen Stock", "INTERPOL") in found


def test_query_cooperation_counts_relations_between_organisations(store: Path) -> None:
    edges = rows(store, "cooperation")
    relations = {r["relation"] for r in edges}
    assert relations <= {"cooperatesWith", "exchangesInformationWith", "signsAgreementWith", "supports"}
    assert any({r["organisation"], r["partner"]} == {"INTERPOL", "Union européenne"}
               and r["relation"] == "cooperatesWith" and r["articles"] == "1" for r in edges)


def test_query_initiatives_gives_participants_and_targets(store: Path) -> None:
    roles = {(r["initiative"], r["role"]): r["names"] for r in rows(store, "initiatives")}
    assert any(role == "participants" and "INTERPOL" in names for (_, role), names in roles.items())
    assert any(role == "targets" for _, role in roles)


def test_query_entity_finds_a_name_in_any_case(store: Path) -> None:
    facts = rows(store, "entity")
    assert {r["entity"] for r in facts} == {"https://w3id.org/coopkg/id/org/interpol"}
    assert {"in", "out"} == {r["direction"] for r in facts}
    assert all(r["label"] == "INTERPOL" for r in facts)  # the stored label the typed name resolved to


def test_query_evidence_quote_is_the_article_text_at_its_offsets(store: Path) -> None:
    text = EXAMPLE.read_text(encoding="utf-8")
    found = rows(store, "evidence")
    assert found
    for r in found:
        assert text[int(r["start"]):int(r["end"])] == r["quote"]
        assert r["article"] == EXAMPLE_ID


def test_query_articles_says_what_each_contributed(store: Path) -> None:
    (art,) = rows(store, "articles")
    assert art["article"] == EXAMPLE_ID and art["lang"] == "fr"
    assert int(art["entities"]) > 5 and int(art["relations"]) > 0 and int(art["triples"]) > 100


def test_query_name_parameter_cannot_change_the_query(store: Path) -> None:
    text, _, hints = query_store(store, "entity", ['label=x" } } ; DROP ALL ; #'], "json", 30)
    assert json.loads(text)["results"]["bindings"] == []
    assert hints and "no label" in hints[0]
    assert rows(store, "entity")  # the store is untouched


def test_query_canned_parameters_are_checked() -> None:
    canned = canned_queries()
    with pytest.raises(CoopkgError, match="needs --param label"):
        bind_params(canned["entity"], [])
    with pytest.raises(CoopkgError, match="no parameter who"):
        bind_params(canned["meetings"], ["who=x"])
    with pytest.raises(CoopkgError, match="not a relation"):
        relation_term("knows")
    assert relation_term("holds") == ox.NamedNode("http://www.w3.org/ns/org#holds")
    assert relation_term("coop:leads") == ox.NamedNode("https://w3id.org/coopkg/ontology#leads")


def test_query_name_candidates_cover_case_and_language() -> None:
    cands = name_candidates("jürgen stock")
    assert ox.Literal("Jürgen Stock", language="fr") in cands
    assert ox.Literal("JÜRGEN STOCK", language="en") in cands
    assert cands[0] == ox.Literal("jürgen stock", language="fr")


def test_query_finds_files_canned_names_and_text(tmp_path: Path) -> None:
    f = tmp_path / "q.rq"
    f.write_text("ASK { ?s ?p ?o }")
    assert find_query(str(f)) == ("ASK { ?s ?p ?o }", None)
    assert find_query("meetings")[1] is not None and find_query("meetings.rq")[1] is not None
    assert find_query("SELECT * WHERE { ?s ?p ?o }")[1] is None
    with pytest.raises(CoopkgError, match="neither a file nor a canned query"):
        find_query("meeting")


def _answer(store: Path, fmt: str, query: str = "cooperation") -> str:
    return query_store(store, query, PARAMS.get(query, ()), fmt, 30)[0]


def test_query_table_is_aligned(store: Path) -> None:
    lines = _answer(store, "table").splitlines()
    header, rule, body = lines[0], lines[1], lines[2:-1]
    starts = [i for i, c in enumerate(rule) if c == "-" and (i == 0 or rule[i - 1] == " ")]
    assert header.split() == ["organisation", "relation", "partner", "articles", "a", "b"]
    for line in [header, *body]:
        for s in starts[1:]:
            assert line[s - 2:s] == "  " or line[s - 1] == " "  # every column starts at the same place
    assert lines[-1].startswith(f"({len(body)} row")


def solutions(text: str, fmt: ox.QueryResultsFormat) -> list[ox.QuerySolution]:
    """SPARQL results parsed by Oxigraph (which fails on anything not in the format)."""
    parsed = ox.parse_query_results(text, format=fmt)
    assert isinstance(parsed, ox.QuerySolutions)
    return list(parsed)


def test_query_csv_tsv_json_are_sparql_results(store: Path) -> None:
    table = list(csv.reader(io.StringIO(_answer(store, "csv"))))
    assert table[0] == ["organisation", "relation", "partner", "articles", "a", "b"]
    as_json = solutions(_answer(store, "json"), ox.QueryResultsFormat.JSON)
    as_tsv = solutions(_answer(store, "tsv"), ox.QueryResultsFormat.TSV)
    assert len(table) - 1 == len(as_json) == len(as_tsv) > 0
    assert [str(x["a"]) for x in as_json] == [str(x["a"]) for x in as_tsv]
    assert json.loads(_answer(store, "json"))["head"]["vars"][0] == "organisation"


def test_query_construct_gives_turtle(store: Path) -> None:
    q = "CONSTRUCT { ?e rdfs:label ?l } WHERE { ?e a coop:Organization ; rdfs:label ?l }"
    turtle = query_store(store, q, (), None, 30)[0]
    g = Graph().parse(data=turtle, format="turtle")
    assert len(g) > 3
    with pytest.raises(CoopkgError, match="written as Turtle"):
        query_store(store, q, (), "csv", 30)


def test_query_ask_and_formats_agree() -> None:
    yes = QueryResult("boolean", boolean=True)
    assert format_result(yes).strip() == "true"
    assert json.loads(format_result(yes, "json")) == {"head": {}, "boolean": True}
    assert FORMATS == CLI_FORMATS


@pytest.mark.parametrize(("query", "where"), [
    ("SELECT ?x WHERE {\n  ?x ?y \n}", "line 3, column 1"),
    ("SELECT ?x WHERE { ?x undeclared:p ?y }", "line 1, column 33"),
])
def test_cli_query_syntax_error_is_reported_and_not_run(store: Path, capsys: pytest.CaptureFixture[str],
                                                        query: str, where: str) -> None:
    assert main(["query", query, "--store", str(store)]) == 2
    err = capsys.readouterr().err
    assert where in err and "^" in err


def test_cli_query_over_its_time_limit_is_stopped(store: Path, capsys: pytest.CaptureFixture[str]) -> None:
    slow = "SELECT (COUNT(*) AS ?n) WHERE { ?a ?p ?b . ?c ?q ?d . ?e ?r ?f . ?g ?s ?h }"
    assert main(["query", slow, "--store", str(store), "--timeout", "0.5"]) == 2
    assert "stopped after 0.5 s" in capsys.readouterr().err


def test_cli_query_canned_with_params_and_list(store: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["query", "evidence", "--store", str(store), "-f", "csv", "-p", "subject=interpol",
                 "-p", "relation=cooperatesWith", "-p", "object=Union européenne"]) == 0
    out = capsys.readouterr().out
    assert "INTERPOL" in out and "collaboration" in out
    assert main(["query", "--list"]) == 0
    listing = capsys.readouterr().out
    assert all(name in listing for name in canned_queries())
    assert "--param label=VALUE" in listing


def test_query_articles_and_meetings_keep_what_has_no_date(store: Path, tmp_path: Path) -> None:
    """An article with no date line and the events it could not date are listed too, after the dated ones."""
    dates = {"https://schema.org/datePublished", "https://w3id.org/coopkg/ontology#date"}
    with GraphStore(store, read_only=True) as st:
        undated = {aid: [ox.Triple(q.subject, q.predicate, q.object) for q in st.article_quads(aid)
                         if q.predicate.value not in dates] for aid in st.article_ids()}
    path = tmp_path / "store"
    with GraphStore(path) as st:
        st.replace_article_graphs(undated)
    (art,) = rows(path, "articles")
    assert art["article"] == EXAMPLE_ID and "date" not in art
    meetings = rows(path, "meetings")
    assert meetings and all("date" not in m for m in meetings)
    assert len(meetings) == len(rows(store, "meetings"))


@pytest.mark.parametrize("iri", ["https://w3id.org/coopkg/id/org/interpol",
                                 "https://w3id.org/coopkg/id/person/jurgen-stock"])
def test_query_a_printed_iri_can_be_pasted_back(store: Path, iri: str) -> None:
    """The table's short form of an IRI is valid SPARQL and a valid --param value for the same IRI."""
    printed = compact(ox.NamedNode(iri))
    assert printed.startswith("id:")
    text, _, _ = query_store(store, f"SELECT ?l WHERE {{ {printed} rdfs:label ?l }}", (), "json", 30)
    assert json.loads(text)["results"]["bindings"]
    assert parse_param(f"s={printed}") == ("s", ox.NamedNode(iri))


def test_query_prefixes_make_a_query_an_endpoint_can_read(store: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """`kg query --prefixes` prints PREFIX lines: with them a query needs no prefix Oxigraph does not know."""
    assert main(["query", "--prefixes"]) == 0
    lines = capsys.readouterr().out
    assert "PREFIX id: <https://w3id.org/coopkg/id/>" in lines
    with GraphStore(store, read_only=True) as st:  # no prefixes but the printed ones, as an endpoint
        result = st.query(lines + "SELECT ?l WHERE { id:org\\/interpol rdfs:label ?l }", prefixes={})
    assert result.rows


@pytest.mark.parametrize(("query", "message"), [
    ("INSERT DATA { id:a id:b id:c }", "SPARQL update"),
    ("DROP ALL", "SPARQL update"),
    ("SELEC ?s WHERE { ?s ?p ?o }", "starts with SELECT, CONSTRUCT, DESCRIBE or ASK, not 'SELEC'"),
    ("/no/such/file.rq", "no query file /no/such/file.rq"),
])
def test_query_errors_say_what_is_wrong(store: Path, query: str, message: str) -> None:
    with pytest.raises(CoopkgError, match=re.escape(message)):
        query_store(store, query, (), "json", 30)


@pytest.mark.parametrize("value", ["-1", "nan", "soon"])
def test_query_timeout_must_be_seconds(value: str, capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as stop:
        main(["query", "articles", "--timeout", value])
    assert stop.value.code == 2 and "--timeout" in capsys.readouterr().err
