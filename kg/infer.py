"""Reasoning: materialise what the ontology implies (OWL 2 RL, with owlrl) in a graph of its own.

Tools without a reasoner (a spreadsheet, Gephi, a plain SPARQL endpoint) then see both
directions of the symmetric relations, the inverse properties (ledBy, hasMember, ...), the
super-properties (org:memberOf, sem:hasActor, ...) and the superclasses (org:Organization,
foaf:Person, schema:Place, ...). The inferred triples go into the named graph INFERRED_GRAPH,
never into graph.ttl, so that they can be dropped.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import cache

import owlrl
from rdflib import BNode, Graph, Literal, URIRef
from rdflib.compare import to_canonical_graph
from rdflib.namespace import OWL, RDF, RDFS

from kg.errors import CoopkgError
from kg.resources import ONTOLOGY
from kg.vocab import bind_prefixes

INFERRED_GRAPH = URIRef("https://w3id.org/coopkg/inferred")
# Types every individual has under OWL 2 RL: true, and of no use to a reader.
TRIVIAL_TYPES = frozenset({OWL.Thing, RDFS.Resource, OWL.NamedIndividual})
_ERROR = URIRef("http://www.daml.org/2002/03/agents/agent-ont#error")


@dataclass
class Inference:
    """The triples a reasoner added, and the inconsistencies it found (in its words)."""

    triples: Graph
    errors: list[str] = field(default_factory=list)


@cache
def _parsed(name: str) -> Graph:
    path = ONTOLOGY / name
    try:
        g = Graph().parse(path, format="turtle")
    except (OSError, SyntaxError, ValueError) as e:
        raise CoopkgError(f"cannot read {path}: {e}") from e
    # Canonical blank node ids, so that every export of the ontology is byte-identical.
    return bind_prefixes(_copy(to_canonical_graph(g), namespaces_from=g))


def _copy(source: Graph, namespaces_from: Graph | None = None) -> Graph:
    g = Graph()
    for prefix, ns in (namespaces_from if namespaces_from is not None else source).namespaces():
        g.bind(prefix, ns, override=False)
    for t in source:
        g.add(t)
    return g


def ontology_graph() -> Graph:
    """The coopkg ontology (ontology/coopkg.ttl), a fresh copy with canonical blank nodes."""
    return _copy(_parsed("coopkg.ttl"))


def infer(data: Graph, ontology: Graph | None = None) -> Inference:
    """What the ontology implies about the data's nodes that the data does not state (OWL 2 RL).

    Kept: new triples whose subject is a node the data describes. Dropped: triples about the
    ontology's own terms, anything with a blank node, reflexive triples (x owl:sameAs x) and
    the types every individual has (owl:Thing, rdfs:Resource). The data's owl:sameAs links
    (to Wikidata) are left out of the reasoning: they would copy every statement about an
    entity onto the Wikidata IRI.
    """
    onto = ontology if ontology is not None else ontology_graph()
    closure = Graph()
    for t in data:
        if t[1] != OWL.sameAs:  # identity links to Wikidata would copy every statement onto its IRIs
            closure.add(t)
    for t in onto:
        closure.add(t)
    owlrl.DeductiveClosure(owlrl.OWLRL_Semantics, axiomatic_triples=False,
                           datatype_axioms=False).expand(closure)
    described = {s for s in data.subjects() if isinstance(s, URIRef)} - set(onto.subjects())
    errors = sorted(str(o) for o in closure.objects(None, _ERROR) if isinstance(o, Literal))
    out = bind_prefixes(Graph())
    for s, p, o in closure:
        if s not in described or isinstance(o, BNode) or s == o:
            continue
        if p == RDF.type and o in TRIVIAL_TYPES:
            continue
        if (s, p, o) in data:
            continue
        out.add((s, p, o))
    return Inference(out, errors)
