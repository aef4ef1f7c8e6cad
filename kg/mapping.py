"""Mapping: an article's extraction becomes RDF in the article's own named graph.

IRIs are minted from canonical keys (never from surface text) and every node the
mapping creates has an IRI, so building twice gives the same graph byte for byte.
Every relation and ``org:holds`` is reified with its evidence, as GOLD_FORMAT.md says.
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Iterable, Mapping
from decimal import Decimal

from rdflib import Dataset, Graph, Literal, URIRef
from rdflib.namespace import FOAF, ORG, OWL, PROV, RDF, RDFS, SKOS, XSD
from rdflib.term import Node

from kg.gazetteer import known_entities, topics
from kg.model import Evidence, Extraction
from kg.vocab import ARTICLE, COOP, GRAPH, ID, SCHEMA, TOPIC, WD, bind_prefixes

Triple = tuple[Node, Node, Node]  # what an article's graph is made of (map_triples)

CLASS_OF = {"Organization": COOP.Organization, "Person": COOP.Person, "Place": COOP.Place,
            "Initiative": COOP.Initiative, "Topic": COOP.Topic}
ALIGNED = {"Organization": ORG.Organization, "Person": FOAF.Person, "Topic": SKOS.Concept}
EVENT_CLASS = {"Meeting": COOP.Meeting, "Visit": COOP.Visit, "Conference": COOP.Conference,
               "AgreementSigning": COOP.AgreementSigning}


def iri(key: str) -> URIRef:
    """The IRI of a canonical key: topics in the topic scheme, the rest under /id/."""
    if key.startswith("topic/"):
        return TOPIC[key[len("topic/"):]]
    return ID[key]


def _digest(*parts: str) -> str:
    return hashlib.sha1("\x1f".join(parts).encode("utf-8")).hexdigest()[:16]


def article_graph_iri(article_id: str) -> URIRef:
    """The named graph holding what one article contributed."""
    return GRAPH[article_id]


def activity_iri(version: str, model: str) -> URIRef:
    """The extraction activity: one per coopkg version and spaCy model."""
    return ID[f"activity/coopkg-{version}-{model}"]


def map_triples(ex: Extraction, version: str) -> set[Triple]:
    """The triples of one article's extraction (to go into its named graph), as a set.

    A set, not an rdflib Graph: adding to rdflib's memory store cost more than making the
    triples, and the build only writes them (``map_extraction`` gives the Graph).
    """
    triples: set[Triple] = set()
    add = triples.add
    art = ex.article
    lang = art.lang
    a = ARTICLE[art.id]
    add((a, RDF.type, COOP.Article))
    add((a, RDF.type, SCHEMA.NewsArticle))
    if art.title:
        add((a, SCHEMA.headline, Literal(art.title, lang=lang)))
    if art.date:
        add((a, SCHEMA.datePublished, Literal(art.date.isoformat(), datatype=XSD.date)))
    add((a, SCHEMA.inLanguage, Literal(lang)))
    add((a, COOP.contentHash, Literal(art.content_hash)))
    add((a, SCHEMA.identifier, Literal(art.id)))
    if art.url:
        # only a well-formed absolute URL becomes an IRI; anything else stays a string
        ok = re.fullmatch(r"[A-Za-z][A-Za-z0-9+.\-]*://[^\s<>\"{}|\\^`]+", art.url) is not None
        add((a, SCHEMA.url, URIRef(art.url) if ok else Literal(art.url)))
    # the file name, not the path: the graph must not depend on where the build ran from
    add((a, PROV.hadPrimarySource, Literal(art.source.replace("\\", "/").rsplit("/", 1)[-1])))
    if art.dateline:
        add((a, COOP.dateline, Literal(art.dateline)))
    act = activity_iri(version, ex.model)
    add((a, PROV.wasGeneratedBy, act))
    add((act, RDF.type, COOP.ExtractionActivity))
    add((act, RDFS.label, Literal(f"coopkg {version} with spaCy pipeline {ex.model}")))
    add((act, PROV.wasAssociatedWith, ID[f"agent/coopkg-{version}"]))
    add((ID[f"agent/coopkg-{version}"], RDF.type, PROV.SoftwareAgent))
    add((ID[f"agent/coopkg-{version}"], RDFS.label, Literal(f"coopkg {version}")))
    add((act, PROV.used, ID[f"model/{ex.model}"]))
    add((ID[f"model/{ex.model}"], RDFS.label, Literal(f"spaCy pipeline {ex.model}")))

    def evidence(ev: Evidence) -> URIRef:
        node = ID[f"evidence/{art.id}/{ev.start}-{ev.end}"]
        add((node, RDF.type, COOP.Evidence))
        add((node, COOP.quote, Literal(ev.quote)))
        add((node, COOP.charStart, Literal(ev.start, datatype=XSD.integer)))
        add((node, COOP.charEnd, Literal(ev.end, datatype=XSD.integer)))
        add((node, COOP.article, a))
        return node

    def reify(s: URIRef, p: URIRef, o: URIRef, ev: Evidence, conf: float, rule: str) -> URIRef:
        st = ID[f"statement/{art.id}/{_digest(str(s), str(p), str(o))}"]
        add((st, RDF.type, RDF.Statement))
        add((st, RDF.subject, s))
        add((st, RDF.predicate, p))
        add((st, RDF.object, o))
        add((st, COOP.evidence, evidence(ev)))
        add((st, COOP.confidence, Literal(Decimal(str(conf)))))
        add((st, COOP.rule, Literal(rule)))
        return st

    thesaurus = topics()
    for e in ex.entities:
        n = iri(e.key)
        add((n, RDF.type, CLASS_OF[e.type]))
        if e.type in ALIGNED:
            add((n, RDF.type, ALIGNED[e.type]))
        add((n, RDFS.label, Literal(e.label, lang=lang)))
        add((n, COOP.key, Literal(e.key)))
        known = known_entities().get(e.key)
        for alias in e.aliases:
            add((n, SKOS.altLabel, Literal(alias, lang=known.language_of(alias, lang) if known else lang)))
        if e.wikidata:
            add((n, OWL.sameAs, WD[e.wikidata]))
        if e.key in thesaurus:
            add((n, SKOS.inScheme, TOPIC["scheme"]))
            for lg, label in thesaurus[e.key].labels.items():
                add((n, SKOS.prefLabel, Literal(label, lang=lg)))
        add((n, PROV.wasDerivedFrom, a))

    for p in ex.posts:
        post = ID[f"post/{_digest(p.person, p.title_key or p.title, p.org)}"]
        person, org = iri(p.person), iri(p.org)
        add((post, RDF.type, ORG.Post))
        add((post, RDFS.label, Literal(p.title, lang=lang)))
        for alias in p.title_aliases:
            add((post, SKOS.altLabel, Literal(alias, lang=lang)))
        if p.title_key:
            add((post, COOP.key, Literal(f"title/{p.title_key}")))
        add((post, ORG.postIn, org))
        add((post, ORG.heldBy, person))
        add((person, ORG.holds, post))
        reify(person, ORG.holds, post, p.evidence, p.confidence, p.rule)

    for r in ex.relations:
        s, pred, o = iri(r.subject), COOP[r.predicate], iri(r.object)
        add((s, pred, o))
        st = reify(s, pred, o, r.evidence, r.confidence, r.rule)
        if r.channel:
            add((st, COOP.channel, iri(r.channel)))

    for ev in ex.events:
        n = ID[ev.key]
        add((n, RDF.type, EVENT_CLASS[ev.type]))
        add((n, RDFS.label, Literal(ev.label, lang=lang)))
        for who in ev.participants:
            add((n, COOP.participant, iri(who)))
        if ev.date:
            add((n, COOP.date, Literal(ev.date.isoformat(), datatype=XSD.date)))
        if ev.place:
            add((n, COOP.place, iri(ev.place)))
        for t in ev.topics:
            add((n, COOP.topic, iri(t)))
        for e_ in ev.evidence:
            add((n, COOP.evidence, evidence(e_)))
        add((n, COOP.confidence, Literal(Decimal(str(ev.confidence)))))
        add((n, COOP.rule, Literal(ev.rule)))
        for other in ev.same_as:
            add((n, COOP.sameEventAs, ID[other]))
        add((n, PROV.wasDerivedFrom, a))
    return triples


def map_extraction(ex: Extraction, version: str) -> Graph:
    """The triples of one article's extraction as an rdflib Graph."""
    g = Graph()
    for t in map_triples(ex, version):
        g.add(t)
    return g


def to_dataset(graphs: Mapping[str, Iterable[Triple]]) -> Dataset:
    """A dataset with one named graph per article id."""
    ds = Dataset()
    bind_prefixes(ds)
    for art_id in sorted(graphs):
        named = ds.graph(article_graph_iri(art_id))
        for t in graphs[art_id]:
            named.add(t)
    return ds


def merged(graphs: Mapping[str, Iterable[Triple]]) -> Graph:
    """All articles' triples in one graph (for graph.ttl)."""
    g = bind_prefixes(Graph())
    for art_id in sorted(graphs):
        for t in graphs[art_id]:
            g.add(t)
    return g
