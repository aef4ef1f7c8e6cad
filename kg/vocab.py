"""The coopkg vocabulary: coop: ontology terms, the namespaces IRIs are minted in, and output prefixes."""

import re

from rdflib import Graph, Namespace, URIRef
from rdflib.namespace import DCTERMS, FOAF, ORG, OWL, PROV, RDF, RDFS, SKOS, XSD, DefinedNamespace

__all__ = [
    "ARTICLE",
    "COOP",
    "DCTERMS",
    "FOAF",
    "GRAPH",
    "ID",
    "ONTOLOGY",
    "ORG",
    "OWL",
    "PREFIXES",
    "PROV",
    "RDF",
    "RDFS",
    "SCHEMA",
    "SEM",
    "SKOS",
    "TOPIC",
    "WD",
    "XSD",
    "bind_prefixes",
    "prefixed_name",
]


class COOP(DefinedNamespace):
    """Terms of the coopkg ontology (ontology/coopkg.ttl); an unknown name raises AttributeError."""

    _NS = Namespace("https://w3id.org/coopkg/ontology#")
    _fail = True

    # Entity classes (the five entity types of the graph contract)
    Organization: URIRef  # institution, agency, body or one of their units
    Person: URIRef  # named human being
    Place: URIRef  # city, region, country/state or named site
    Initiative: URIRef  # named operation, joint team, project, programme, platform
    Topic: URIRef  # crime area, threat or policy theme (a skos:Concept)

    # Events
    Event: URIRef  # dated encounter reported by an article
    Meeting: URIRef  # CAMEO 040 / PLOVER CONSULT
    Visit: URIRef  # CAMEO 042 / PLOVER CONSULT
    Conference: URIRef  # CAMEO 044 / PLOVER CONSULT
    AgreementSigning: URIRef  # CAMEO 057 / PLOVER AGREE

    # Provenance classes
    Evidence: URIRef  # supporting passage: quote + character span + article
    Article: URIRef  # press release or news article
    ExtractionActivity: URIRef  # a run of the extractor

    # The ten relations of the graph contract
    memberOf: URIRef  # Organization|Place -> Organization
    partOf: URIRef  # Organization -> Organization (unit -> parent)
    cooperatesWith: URIRef  # Organization <-> Organization (symmetric)
    participatesIn: URIRef  # Organization|Person -> Initiative
    leads: URIRef  # Organization|Person -> Initiative
    targets: URIRef  # Initiative -> Topic
    exchangesInformationWith: URIRef  # Organization <-> Organization (symmetric)
    supports: URIRef  # Organization -> Organization|Initiative
    signsAgreementWith: URIRef  # Organization <-> Organization (symmetric)
    locatedIn: URIRef  # Organization|Place -> Place (not transitive)

    # Inverse relations
    hasMember: URIRef  # inverse of memberOf
    hasPart: URIRef  # inverse of partOf
    ledBy: URIRef  # inverse of leads
    targetedBy: URIRef  # inverse of targets

    # Event properties
    participant: URIRef  # Event -> Person|Organization
    date: URIRef  # Event -> xsd:date
    place: URIRef  # Event -> Place
    topic: URIRef  # Event -> Topic
    sameEventAs: URIRef  # Event <-> Event, one real-world event

    # Evidence
    evidence: URIRef  # rdf:Statement|Event -> Evidence
    quote: URIRef  # Evidence -> exact text (xsd:string)
    charStart: URIRef  # Evidence -> 0-based start offset (xsd:integer)
    charEnd: URIRef  # Evidence -> end offset, exclusive (xsd:integer)
    article: URIRef  # Evidence -> Article
    confidence: URIRef  # -> xsd:decimal in [0, 1]
    rule: URIRef  # -> extraction rule identifier (xsd:string)
    channel: URIRef  # -> Organization|Initiative an exchange goes through

    # Article and identity metadata
    contentHash: URIRef  # Article -> sha256 hex of the text
    dateline: URIRef  # Article -> place and date line as written
    key: URIRef  # -> canonical key an entity IRI was minted from
    cameoCode: URIRef  # annotation on event classes
    ploverCode: URIRef  # annotation on event classes


ONTOLOGY = URIRef("https://w3id.org/coopkg/ontology")
ID = Namespace("https://w3id.org/coopkg/id/")  # entities: ID["org/europol"]
TOPIC = Namespace("https://w3id.org/coopkg/topic/")
ARTICLE = Namespace("https://w3id.org/coopkg/article/")
GRAPH = Namespace("https://w3id.org/coopkg/graph/")
SCHEMA = Namespace("https://schema.org/")
SEM = Namespace("http://semanticweb.cs.vu.nl/2009/11/sem/")
WD = Namespace("http://www.wikidata.org/entity/")

PREFIXES: dict[str, Namespace] = {
    "coop": Namespace(str(COOP)),
    "id": ID,
    "topic": TOPIC,
    "article": ARTICLE,
    "graph": GRAPH,
    "org": Namespace(str(ORG)),
    "foaf": Namespace(str(FOAF)),
    "prov": Namespace(str(PROV)),
    "skos": Namespace(str(SKOS)),
    "schema": SCHEMA,
    "sem": SEM,
    "dcterms": Namespace(str(DCTERMS)),
    "owl": Namespace(str(OWL)),
    "rdfs": Namespace(str(RDFS)),
    "xsd": Namespace(str(XSD)),
    "rdf": Namespace(str(RDF)),
    "wd": WD,
}


_PLAIN_LOCAL = re.compile(r"(?:[\w\-]+(?:[./][\w\-]+)*)?")


def prefixed_name(iri: str) -> str | None:
    """``id:org\\/europol``: an IRI under coopkg's longest matching prefix, as SPARQL and Turtle read it
    back (a slash escaped); None when no prefix fits or the rest is no plain name."""
    best = max(((p, str(ns)) for p, ns in PREFIXES.items() if iri.startswith(str(ns))),
               key=lambda pn: len(pn[1]), default=None)
    if best is None or not _PLAIN_LOCAL.fullmatch(local := iri[len(best[1]):]):
        return None
    return f"{best[0]}:{local.replace('/', chr(92) + '/')}"


def bind_prefixes(graph: Graph) -> Graph:
    """Bind every prefix of PREFIXES on ``graph`` (replacing other bindings of those prefixes); return it."""
    for prefix, namespace in PREFIXES.items():
        graph.bind(prefix, namespace, override=True, replace=True)
    return graph
