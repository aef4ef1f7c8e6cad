"""Reasoning: what the ontology implies is materialised, in its own graph, and nothing else."""

from __future__ import annotations

from pathlib import Path

import pytest
from conftest import EXAMPLE
from rdflib import BNode, Dataset, Graph, Namespace, URIRef
from rdflib.compare import isomorphic
from rdflib.namespace import FOAF, ORG, OWL, RDF, RDFS

from kg.build import BuildReport, build
from kg.export import data_graphs, merge, read_graph_file
from kg.infer import INFERRED_GRAPH, TRIVIAL_TYPES, infer, ontology_graph
from kg.vocab import COOP, SCHEMA

X = Namespace("http://example.org/")

SMALL = """
@prefix coop: <https://w3id.org/coopkg/ontology#> .
@prefix x: <http://example.org/> .
x:a a coop:Organization ; coop:cooperatesWith x:b ; coop:leads x:op ; coop:memberOf x:b .
x:b a coop:Organization .
x:c a coop:Organization ; coop:exchangesInformationWith x:b ; coop:partOf x:a .
x:ann a coop:Person ; coop:participatesIn x:op .
x:op a coop:Initiative ; coop:targets x:fraud .
x:fraud a coop:Topic .
x:m1 a coop:Meeting ; coop:sameEventAs x:m2 ; coop:participant x:ann .
x:m2 a coop:Meeting .
"""


@pytest.fixture(scope="module")
def small() -> Graph:
    return Graph().parse(data=SMALL, format="turtle")


@pytest.mark.parametrize(("triple", "why"), [
    ((X.b, COOP.cooperatesWith, X.a), "symmetric relation, other direction"),
    ((X.b, COOP.exchangesInformationWith, X.c), "symmetric relation, other direction"),
    ((X.c, COOP.cooperatesWith, X.b), "super-property of exchangesInformationWith"),
    ((X.b, COOP.cooperatesWith, X.c), "super-property, other direction"),
    ((X.op, COOP.ledBy, X.a), "inverse of leads"),
    ((X.b, COOP.hasMember, X.a), "inverse of memberOf"),
    ((X.a, ORG.memberOf, X.b), "W3C ORG super-property"),
    ((X.a, COOP.hasPart, X.c), "inverse of partOf"),
    ((X.fraud, COOP.targetedBy, X.op), "inverse of targets"),
    ((X.m2, COOP.sameEventAs, X.m1), "symmetric sameEventAs"),
    ((X.a, RDF.type, ORG.Organization), "superclass"),
    ((X.a, RDF.type, SCHEMA.Organization), "superclass"),
    ((X.ann, RDF.type, FOAF.Person), "superclass"),
    ((X.m1, RDF.type, COOP.Event), "superclass of Meeting"),
    ((X.op, RDF.type, SCHEMA.Project), "superclass"),
])
def test_infer_materialises_what_the_ontology_implies(triple: tuple, why: str, small: Graph) -> None:
    assert triple in infer(small).triples, why


def test_infer_adds_nothing_stated_trivial_or_about_the_ontology(small: Graph) -> None:
    inferred = infer(small).triples
    terms = set(ontology_graph().subjects())
    assert len(inferred) > 20
    for s, p, o in inferred:
        assert (s, p, o) not in small
        assert s != o, "reflexive"
        assert not isinstance(s, BNode) and not isinstance(o, BNode)
        assert s not in terms, "a triple about the ontology"
        assert not (p == RDF.type and o in TRIVIAL_TYPES)
    assert (X.m1, COOP.sameEventAs, X.m1) not in inferred
    assert (X.a, OWL.sameAs, X.a) not in inferred


def test_infer_reports_disjoint_classes(small: Graph) -> None:
    g = Graph()
    g += small
    g.add((X.a, RDF.type, COOP.Place))
    errors = infer(g).errors
    assert len(errors) == 1 and "Disjoint classes" in errors[0] and str(X.a) in errors[0]
    assert infer(small).errors == []


def test_infer_example_relations_have_their_inverse(example_build: BuildReport) -> None:
    data = merge(data_graphs(read_graph_file(example_build.outputs[0].parent)).values())
    inferred = infer(data).triples
    both = merge([data, inferred])
    pairs = [(COOP.leads, COOP.ledBy), (COOP.partOf, COOP.hasPart), (COOP.memberOf, COOP.hasMember),
             (COOP.targets, COOP.targetedBy)]
    stated = 0
    for forward, inverse in pairs:
        for s, o in data.subject_objects(forward):
            stated += 1
            assert (o, inverse, s) in both
    for name in ("cooperatesWith", "exchangesInformationWith", "signsAgreementWith"):
        for s, o in data.subject_objects(COOP[name]):
            stated += 1
            assert (o, COOP[name], s) in both
    for node in data.subjects(RDF.type, COOP.Organization):
        assert (node, RDF.type, ORG.Organization) in both and (node, RDF.type, SCHEMA.Organization) in both
    assert stated >= 3


def test_infer_build_option_writes_its_own_graph_and_leaves_graph_ttl(example_build: BuildReport,
                                                                       tmp_path: Path) -> None:
    report = build([EXAMPLE], tmp_path, infer=True)
    assert (tmp_path / "inferred.trig") in report.outputs
    ds = Dataset()
    ds.parse(tmp_path / "inferred.trig", format="trig")
    names = {g.identifier for g in ds.graphs() if len(g)}
    assert names == {INFERRED_GRAPH}
    plain = example_build.outputs[0].parent
    for name in ("graph.ttl", "graph.trig"):
        fmt = "turtle" if name.endswith("ttl") else "trig"
        with_infer = Dataset().parse(tmp_path / name, format=fmt)
        without = Dataset().parse(plain / name, format=fmt)
        assert isomorphic(merge(with_infer.graphs()), merge(without.graphs())), f"{name} changed by --infer"
    data = merge(data_graphs(read_graph_file(tmp_path)).values())
    assert isomorphic(ds.graph(INFERRED_GRAPH), infer(data).triples)
    assert not any(isinstance(t, URIRef) and t == RDFS.Resource for t in ds.graph(INFERRED_GRAPH).objects())
