"""Small hand-made RDF graphs for the view, network and stats tests, and an independent count of a graph."""

from __future__ import annotations

from decimal import Decimal

from rdflib import Graph, Literal, URIRef
from rdflib.namespace import ORG, RDF, RDFS, SKOS, XSD

from kg.mapping import map_extraction
from kg.model import Extraction
from kg.vocab import ARTICLE, COOP, ID, SCHEMA, bind_prefixes

ART = ARTICLE["hand-made"]
HOSTILE_SCRIPT = "</script><script>window.__pwned = 1;</script>"
HOSTILE_IMG = '<img src="x" onerror="window.__pwned = 2">'
CLASSES = {"org": COOP.Organization, "person": COOP.Person, "place": COOP.Place, "initiative": COOP.Initiative,
           "topic": COOP.Topic}


class Builder:
    """Adds coopkg-shaped triples: entities, reified relations with evidence, posts, events."""

    def __init__(self) -> None:
        self.g = bind_prefixes(Graph())
        self.g.add((ART, RDF.type, SCHEMA.NewsArticle))
        self.g.add((ART, SCHEMA.headline, Literal("Hand-made press release", lang="en")))
        self.g.add((ART, SCHEMA.identifier, Literal("hand-made")))
        self._n = 0

    def entity(self, key: str, label: str, *aliases: str, lang: str = "en") -> URIRef:
        """An entity ``kind/name`` with a label and aliases."""
        node = ID[key]
        self.g.add((node, RDF.type, CLASSES[key.split("/")[0]]))
        self.g.add((node, RDFS.label, Literal(label, lang=lang)))
        for a in aliases:
            self.g.add((node, SKOS.altLabel, Literal(a, lang=lang)))
        return node

    def evidence(self, quote: str) -> URIRef:
        """An evidence node quoting ``quote`` from the hand-made article."""
        self._n += 1
        ev = ID[f"evidence/hand-made/{self._n}"]
        self.g.add((ev, RDF.type, COOP.Evidence))
        self.g.add((ev, COOP.quote, Literal(quote)))
        self.g.add((ev, COOP.charStart, Literal(10 * self._n, datatype=XSD.integer)))
        self.g.add((ev, COOP.charEnd, Literal(10 * self._n + len(quote), datatype=XSD.integer)))
        self.g.add((ev, COOP.article, ART))
        return ev

    def relation(self, s: URIRef, p: URIRef, o: URIRef, quote: str = "", confidence: str = "0.8") -> URIRef:
        """The triple and its reification with evidence."""
        self.g.add((s, p, o))
        st = ID[f"statement/hand-made/{self._n}"]
        self.g.add((st, RDF.type, RDF.Statement))
        self.g.add((st, RDF.subject, s))
        self.g.add((st, RDF.predicate, p))
        self.g.add((st, RDF.object, o))
        self.g.add((st, COOP.confidence, Literal(Decimal(confidence))))
        self.g.add((st, COOP.evidence, self.evidence(quote or f"{s} {p} {o}")))
        return st

    def post(self, person: URIRef, title: str, org: URIRef) -> URIRef:
        """A post of ``person`` in ``org``."""
        post = ID[f"post/{title.lower()}"]
        self.g.add((post, RDF.type, ORG.Post))
        self.g.add((post, RDFS.label, Literal(title, lang="en")))
        self.g.add((post, ORG.postIn, org))
        self.relation(person, ORG.holds, post)
        return post

    def event(self, key: str, participants: list[URIRef], date: str, place: URIRef | None = None,
              topics: tuple[URIRef, ...] = ()) -> URIRef:
        """A meeting with its participants, date, place, topics and evidence."""
        ev = ID[f"event/{key}"]
        self.g.add((ev, RDF.type, COOP.Meeting))
        self.g.add((ev, RDFS.label, Literal(f"Meeting {key}", lang="en")))
        for p in participants:
            self.g.add((ev, COOP.participant, p))
        self.g.add((ev, COOP.date, Literal(date, datatype=XSD.date)))
        if place is not None:
            self.g.add((ev, COOP.place, place))
        for t in topics:
            self.g.add((ev, COOP.topic, t))
        self.g.add((ev, COOP.confidence, Literal(Decimal("0.7"))))
        self.g.add((ev, COOP.evidence, self.evidence(f"They met on {date}.")))
        return ev


def hand_made() -> Graph:
    """Organisations A..F, persons P and Q: a tree of cooperation with known centralities.

    Cooperation links: A-B, A-C (cooperatesWith), A-D (supports), D-E (signsAgreementWith),
    P-A (P holds a post in A), Q-E (both at one meeting); F is alone.
    """
    b = Builder()
    a, bb, c, d, e, _ = (b.entity(f"org/{x}", f"Org {x.upper()}") for x in "abcdef")
    p = b.entity("person/p", "Mme Paula Pérez", "Pérez")
    q = b.entity("person/q", "Quentin Quill")
    paris = b.entity("place/paris", "Paris")
    terror = b.entity("topic/terrorism", "terrorism")
    b.relation(a, COOP.cooperatesWith, bb, "A works with B.")
    b.relation(c, COOP.cooperatesWith, a, "C works with A.")
    b.relation(a, COOP.supports, d, "A funds D.", "0.9")
    b.relation(d, COOP.signsAgreementWith, e, "D and E signed.")
    b.post(p, "Director", a)
    b.event("m1", [q, e], "2024-01-01", paris, (terror,))
    return b.g


def two_cliques() -> Graph:
    """Two groups of four organisations that all cooperate within the group, joined by one link."""
    b = Builder()
    left = [b.entity(f"org/l{i}", f"Left {i}") for i in range(4)]
    right = [b.entity(f"org/r{i}", f"Right {i}") for i in range(4)]
    for group in (left, right):
        for i, x in enumerate(group):
            for y in group[i + 1:]:
                b.relation(x, COOP.cooperatesWith, y)
    b.relation(left[0], COOP.cooperatesWith, right[0])
    return b.g


def hostile() -> Graph:
    """An article whose title, quotes and names carry markup that would run if pasted as HTML."""
    b = Builder()
    b.g.set((ART, SCHEMA.headline, Literal(f"Breaking {HOSTILE_SCRIPT}", lang="en")))
    b.g.add((ART, SCHEMA.url, Literal("javascript:window.__pwned=3")))
    evil = b.entity("org/evil", f"Evil {HOSTILE_IMG}", HOSTILE_SCRIPT)
    good = b.entity("org/good", "Good Org")
    b.relation(evil, COOP.cooperatesWith, good, f"Quote {HOSTILE_SCRIPT} and {HOSTILE_IMG}.")
    return b.g


def example_graph(ex: Extraction) -> Graph:
    """The graph of the bundled example article (as kg build writes it)."""
    return bind_prefixes(map_extraction(ex, "test"))


ENTITY_CLASSES = {COOP.Organization, COOP.Person, COOP.Place, COOP.Initiative, COOP.Topic, ORG.Post,
                  COOP.Meeting, COOP.Visit, COOP.Conference, COOP.AgreementSigning}
DRAWN = {COOP[n] for n in ("memberOf", "partOf", "cooperatesWith", "participatesIn", "leads", "targets",
                           "exchangesInformationWith", "supports", "signsAgreementWith", "locatedIn",
                           "participant", "place", "topic", "sameEventAs")} | {ORG.holds, ORG.postIn}
SYMMETRIC = {COOP.cooperatesWith, COOP.exchangesInformationWith, COOP.signsAgreementWith, COOP.sameEventAs}


def expected_counts(g: Graph) -> tuple[int, int]:
    """Nodes and edges the view must draw, counted straight from the triples (not through kg.network)."""
    nodes = {s for s, c in g.subject_objects(RDF.type) if c in ENTITY_CLASSES}
    edges = set()
    for s, p, o in g:
        if p in DRAWN and isinstance(o, URIRef):
            nodes |= {s, o}
            a, b = str(s), str(o)
            edges.add((min(a, b), str(p), max(a, b)) if p in SYMMETRIC else (a, str(p), b))
    return len(nodes), len(edges)
