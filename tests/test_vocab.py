"""kg/vocab.py and ontology/coopkg.ttl declare the same terms, and the ontology is complete."""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path

import pytest
from rdflib import Graph, Literal, URIRef
from rdflib.namespace import OWL, RDF, RDFS, SKOS

from kg.vocab import COOP, ONTOLOGY, PREFIXES, bind_prefixes

ONTOLOGY_PATH = Path(__file__).parents[1] / "ontology" / "coopkg.ttl"
NS = str(COOP)
TERM_TYPES = (OWL.Class, OWL.ObjectProperty, OWL.DatatypeProperty, OWL.AnnotationProperty)
COOP_NAMES = sorted(COOP.__annotations__)

ENTITY_TYPES = ("Organization", "Person", "Place", "Initiative", "Topic")
RELATIONS = (
    "memberOf",
    "partOf",
    "cooperatesWith",
    "participatesIn",
    "leads",
    "targets",
    "exchangesInformationWith",
    "supports",
    "signsAgreementWith",
    "locatedIn",
)
SYMMETRIC = ("cooperatesWith", "exchangesInformationWith", "signsAgreementWith")
EVENT_CODES = {
    "Meeting": ("040", "CONSULT"),
    "Visit": ("042", "CONSULT"),
    "Conference": ("044", "CONSULT"),
    "AgreementSigning": ("057", "AGREE"),
}


@pytest.fixture(scope="module")
def onto() -> Graph:
    g = Graph()
    g.parse(ONTOLOGY_PATH, format="turtle")
    return g


def _coop_iris(g: Graph) -> set[URIRef]:
    """Every coop: IRI the ontology uses, in any position."""
    return {t for triple in g for t in triple if isinstance(t, URIRef) and t.startswith(NS)}


def _union_members(g: Graph, node) -> set:
    """The classes of an owl:unionOf node, or the node itself if it is a named class."""
    union = g.value(node, OWL.unionOf)
    if union is None:
        return {node}
    return set(g.items(union))


# (a) COOP and the ontology declare the same terms, each with a type


@pytest.mark.parametrize("name", COOP_NAMES)
def test_coop_term_declared_in_ontology(onto: Graph, name: str) -> None:
    types = set(onto.objects(COOP[name], RDF.type))
    assert types & set(TERM_TYPES), f"coop:{name} has no OWL declaration (types: {types})"


def test_every_ontology_term_is_in_coop(onto: Graph) -> None:
    missing = sorted(str(iri)[len(NS) :] for iri in _coop_iris(onto) if str(iri)[len(NS) :] not in COOP_NAMES)
    assert not missing, f"ontology uses coop: terms missing from kg.vocab.COOP: {missing}"


def test_declaration_kinds_are_exclusive(onto: Graph) -> None:
    for iri in _coop_iris(onto):
        kinds = set(onto.objects(iri, RDF.type)) & set(TERM_TYPES)
        assert len(kinds) == 1, f"{iri} declared as {kinds}"


# (b) labels and definitions in English and French


@pytest.mark.parametrize("name", COOP_NAMES)
@pytest.mark.parametrize("prop", [RDFS.label, SKOS.definition], ids=["label", "definition"])
@pytest.mark.parametrize("lang", ["en", "fr"])
def test_term_documented(onto: Graph, name: str, prop: URIRef, lang: str) -> None:
    values = [o for o in onto.objects(COOP[name], prop) if isinstance(o, Literal) and o.language == lang]
    assert len(values) == 1, f"coop:{name} needs exactly one {prop} @{lang}, has {values}"
    assert str(values[0]).strip()


@pytest.mark.parametrize("name", COOP_NAMES)
def test_term_defined_by_ontology(onto: Graph, name: str) -> None:
    assert (COOP[name], RDFS.isDefinedBy, ONTOLOGY) in onto


def test_ontology_header(onto: Graph) -> None:
    assert (ONTOLOGY, RDF.type, OWL.Ontology) in onto
    assert onto.value(ONTOLOGY, OWL.versionInfo) == Literal("0.1.0")
    dcterms = PREFIXES["dcterms"]
    for prop in (dcterms.title, dcterms.description):
        langs = {o.language for o in onto.objects(ONTOLOGY, prop)}
        assert {"en", "fr"} <= langs, f"{prop} languages: {langs}"
    assert "MIT" in str(onto.value(ONTOLOGY, dcterms.license))
    assert any("org:Post" in str(c) for c in onto.objects(ONTOLOGY, RDFS.comment))


# (c) event classes


@pytest.mark.parametrize("name", sorted(EVENT_CODES))
def test_event_class_codes(onto: Graph, name: str) -> None:
    cameo, plover = EVENT_CODES[name]
    cls = COOP[name]
    assert (cls, RDFS.subClassOf, COOP.Event) in onto
    assert set(onto.objects(cls, COOP.cameoCode)) == {Literal(cameo)}
    assert set(onto.objects(cls, COOP.ploverCode)) == {Literal(plover)}
    assert {o.language for o in onto.objects(cls, SKOS.scopeNote)} >= {"en", "fr"}


# (d) the ten relations of GOLD_FORMAT.md


@pytest.mark.parametrize("name", RELATIONS)
def test_relation_declared(onto: Graph, name: str) -> None:
    prop = COOP[name]
    assert (prop, RDF.type, OWL.ObjectProperty) in onto
    assert onto.value(prop, RDFS.domain) is not None
    assert onto.value(prop, RDFS.range) is not None


@pytest.mark.parametrize("name", RELATIONS)
def test_symmetry(onto: Graph, name: str) -> None:
    assert ((COOP[name], RDF.type, OWL.SymmetricProperty) in onto) == (name in SYMMETRIC)


def test_relation_domains_and_ranges(onto: Graph) -> None:
    org, per, pla, ini, top = (COOP[t] for t in ENTITY_TYPES)
    expected = {
        "memberOf": ({org, pla}, {org}),
        "partOf": ({org}, {org}),
        "cooperatesWith": ({org}, {org}),
        "participatesIn": ({org, per}, {ini}),
        "leads": ({org, per}, {ini}),
        "targets": ({ini}, {top}),
        "exchangesInformationWith": ({org}, {org}),
        "supports": ({org}, {org, ini}),
        "signsAgreementWith": ({org}, {org}),
        "locatedIn": ({org, pla}, {pla}),
    }
    for name, (domain, range_) in expected.items():
        prop = COOP[name]
        assert _union_members(onto, onto.value(prop, RDFS.domain)) == domain, name
        assert _union_members(onto, onto.value(prop, RDFS.range)) == range_, name


def test_locatedin_not_transitive(onto: Graph) -> None:
    assert (COOP.locatedIn, RDF.type, OWL.TransitiveProperty) not in onto


@pytest.mark.parametrize(
    ("prop", "inverse"),
    [("memberOf", "hasMember"), ("partOf", "hasPart"), ("leads", "ledBy"), ("targets", "targetedBy")],
)
def test_inverses(onto: Graph, prop: str, inverse: str) -> None:
    assert (COOP[inverse], OWL.inverseOf, COOP[prop]) in onto


def test_entity_classes_pairwise_disjoint(onto: Graph) -> None:
    wanted = {COOP[t] for t in (*ENTITY_TYPES, "Event")}
    groups = [
        set(onto.items(onto.value(n, OWL.members))) for n in onto.subjects(RDF.type, OWL.AllDisjointClasses)
    ]
    assert wanted in groups


def test_contract_local_names(onto: Graph) -> None:
    """The scorer reads local names: the entity, event and event-property names must exist."""
    for name in (*ENTITY_TYPES, *EVENT_CODES):
        assert (COOP[name], RDF.type, OWL.Class) in onto
    for name in ("participant", "place", "topic", "evidence", "article"):
        assert (COOP[name], RDF.type, OWL.ObjectProperty) in onto
    for name in ("date", "quote", "charStart", "charEnd"):
        assert (COOP[name], RDF.type, OWL.DatatypeProperty) in onto
    assert onto.value(COOP.date, RDFS.range) == PREFIXES["xsd"].date


def test_model_constants_match_ontology() -> None:
    model = pytest.importorskip("kg.model")
    assert tuple(model.RELATION_NAMES) == RELATIONS
    assert tuple(model.ENTITY_TYPES) == ENTITY_TYPES
    assert set(model.EVENT_TYPES) == set(EVENT_CODES)
    assert set(model.SYMMETRIC_RELATIONS) == set(SYMMETRIC)


# (e) DefinedNamespace refuses unknown names


def test_unknown_term_raises() -> None:
    with pytest.raises(AttributeError):
        _ = COOP.Organisaton
    with pytest.raises(AttributeError):
        _ = COOP["Organisaton"]


def test_known_term_iri() -> None:
    assert COOP.Organization == URIRef("https://w3id.org/coopkg/ontology#Organization")
    assert COOP["memberOf"] == URIRef("https://w3id.org/coopkg/ontology#memberOf")


# prefixes


def test_prefixes_bind() -> None:
    expected = {"coop", "id", "topic", "article", "graph", "org", "foaf", "prov", "skos", "schema", "sem"}
    expected |= {"dcterms", "owl", "rdfs", "xsd", "rdf", "wd"}
    assert set(PREFIXES) == expected
    g = bind_prefixes(Graph())
    bound = {p: str(n) for p, n in g.namespaces()}
    for prefix, ns in PREFIXES.items():
        assert bound[prefix] == str(ns)
    assert bound["schema"] == "https://schema.org/"
    g.add((PREFIXES["id"]["org/europol"], COOP.confidence, Literal(Decimal("0.9"))))
    assert "coop:confidence" in g.serialize(format="turtle")


# (f) a second parser agrees


def test_parses_with_pyoxigraph(onto: Graph) -> None:
    pyoxigraph = pytest.importorskip("pyoxigraph")
    triples = list(pyoxigraph.parse(path=str(ONTOLOGY_PATH), format=pyoxigraph.RdfFormat.TURTLE))
    assert len(triples) == len(onto)
