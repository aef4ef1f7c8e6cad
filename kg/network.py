"""The graph as networks: RDF to networkx, centralities, communities, names and paths.

Two networks are read from the RDF graph:

- the *entity network* (``entity_network``): every entity, post and event is a node
  (never a literal), every relation, post link and event link an edge keyed by the
  relation's local name, with the evidence that supports it. The view draws it.
- the *cooperation network* (``cooperation_network``): organisations and persons only,
  joined when a relation links them, when they take part in the same event or
  initiative, when a person holds a post in an organisation, or when an exchange goes
  through a channel. Centralities, communities and paths are computed on it.
"""

from __future__ import annotations

import re
import unicodedata
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from decimal import Decimal
from functools import cache
from itertools import combinations, pairwise
from typing import Any

import networkx as nx
from rdflib import Graph, Literal, URIRef
from rdflib.namespace import ORG, OWL, RDF, RDFS, SKOS

from kg.errors import CoopkgError
from kg.resources import ONTOLOGY
from kg.vocab import COOP, SCHEMA

KINDS = ("organization", "person", "post", "place", "initiative", "topic", "event")
ACTORS = frozenset({"organization", "person"})
EVENT_TYPES = ("Meeting", "Visit", "Conference", "AgreementSigning", "Event")
# local name of a class -> kind of node; the first listed wins when a node has several
KIND_OF_CLASS = {
    "Organization": "organization", "Person": "person", "Post": "post", "Place": "place",
    "Initiative": "initiative", "Topic": "topic", **{t: "event" for t in EVENT_TYPES},
}
# the relations drawn between entities, by IRI; inverse relations are read the other way round
RELATIONS: dict[URIRef, str] = {
    **{COOP[n]: n for n in ("memberOf", "partOf", "cooperatesWith", "participatesIn", "leads", "targets",
                            "exchangesInformationWith", "supports", "signsAgreementWith", "locatedIn",
                            "participant", "place", "topic", "sameEventAs")},
    ORG.holds: "holds", ORG.postIn: "postIn",
}
INVERSES: dict[URIRef, str] = {COOP.hasMember: "memberOf", COOP.hasPart: "partOf", COOP.ledBy: "leads",
                               COOP.targetedBy: "targets", ORG.heldBy: "holds"}
EVENT_LINKS = frozenset({"participant", "place", "topic"})
# relations between two actors that are cooperation ties in themselves
COOPERATION = frozenset({"cooperatesWith", "exchangesInformationWith", "signsAgreementWith", "supports",
                         "memberOf", "partOf"})
# names of terms that are not in ontology/coopkg.ttl (W3C ORG)
EXTRA_LABELS = {
    "holds": {"en": "holds", "fr": "occupe"}, "postIn": {"en": "post in", "fr": "poste au sein de"},
    "Post": {"en": "Post", "fr": "Poste"},
}
KIND_CLASS = {"organization": "Organization", "person": "Person", "post": "Post", "place": "Place",
              "initiative": "Initiative", "topic": "Topic", "event": "Event"}
HONORIFICS = r"^(m|mme|mlle|mr|mrs|ms|dr|pr|prof|sir)\.?\s+"
ARTICLES = r"^((le|la|les|the|du|des)\s+|(l|d)'\s*)"


def local_name(term: object) -> str:
    """The part of an IRI after its last ``#`` or ``/``."""
    return re.split(r"[#/]", str(term))[-1]


def normalise_name(text: str) -> str:
    """Fold case, accents, quotes, leading articles and honorifics (as the gold scorer does)."""
    t = unicodedata.normalize("NFKD", text)
    t = "".join(c for c in t if not unicodedata.combining(c)).lower()
    t = re.sub(r"[’‘`]", "'", t)
    t = re.sub(r"[\"«»“”]", " ", t)
    t = re.sub(r"\s+", " ", t).strip()
    for _ in range(3):
        t = re.sub(HONORIFICS, "", t)
        t = re.sub(ARTICLES, "", t)
    return re.sub(r"[\s\-]+", " ", t).strip(" .,;:()")


@dataclass(frozen=True)
class Ontology:
    """What the view and the statistics read from ontology/coopkg.ttl."""

    labels: dict[str, dict[str, str]]  # local name -> lang -> label
    symmetric: frozenset[str]


@cache
def ontology() -> Ontology:
    """Labels (en, fr) of classes and properties and the symmetric relations, read once."""
    g = Graph().parse(ONTOLOGY / "coopkg.ttl", format="turtle")
    labels: dict[str, dict[str, str]] = defaultdict(dict)
    for term, label in g.subject_objects(RDFS.label):
        if isinstance(term, URIRef) and isinstance(label, Literal) and str(term).startswith(str(COOP)):
            labels[local_name(term)][label.language or ""] = str(label)
    for name, by_lang in EXTRA_LABELS.items():
        labels.setdefault(name, dict(by_lang))
    symmetric = frozenset(local_name(p) for p in g.subjects(RDF.type, OWL.SymmetricProperty))
    return Ontology(dict(labels), symmetric)


def term_label(name: str, lang: str) -> str:
    """The ontology's label of a class or relation in ``lang`` (English, then the local name, failing that)."""
    by_lang = ontology().labels.get(name, {})
    return by_lang.get(lang) or by_lang.get("en") or by_lang.get("") or name


def _kind(classes: Iterable[str]) -> str | None:
    found = {KIND_OF_CLASS[c] for c in classes if c in KIND_OF_CLASS}
    return next((k for k in KINDS if k in found), None)


def _value(lit: object) -> Any:
    """A literal as a JSON-ready Python value."""
    if not isinstance(lit, Literal):
        return str(lit)
    v = lit.toPython()
    if isinstance(v, Decimal):
        return float(v)
    if isinstance(v, int | float | str | bool):
        return v
    return str(lit)


class _Index:
    """One pass over the graph: the objects of the predicates the networks read, types and relations."""

    PREDICATES = frozenset({RDFS.label, SKOS.prefLabel, SKOS.altLabel, OWL.sameAs, COOP.date, COOP.confidence,
                            COOP.rule, COOP.evidence, COOP.quote, COOP.charStart, COOP.charEnd, COOP.article,
                            COOP.channel, RDF.subject, RDF.predicate, RDF.object})

    def __init__(self, g: Graph) -> None:
        self._by: dict[tuple[object, object], list[object]] = defaultdict(list)
        self.types: dict[URIRef, list[str]] = defaultdict(list)
        self.statements: list[URIRef] = []
        self.relations: list[tuple[URIRef, str, URIRef]] = []  # canonical (subject, relation, object)
        wanted, rdf_type, statement = self.PREDICATES, RDF.type, RDF.Statement
        for s, p, o in g:
            if p == rdf_type:
                if isinstance(s, URIRef):
                    self.types[s].append(local_name(o))
                    if o == statement:
                        self.statements.append(s)
            elif p in wanted:
                self._by[s, p].append(o)
            elif isinstance(s, URIRef) and isinstance(o, URIRef) and isinstance(p, URIRef):
                canon = _canonical(s, p, o)  # literals are never nodes
                if canon is not None:
                    self.relations.append(canon)
        self.statements.sort()
        self.relations.sort()

    def objects(self, s: object, p: object) -> list[object]:
        """Every object of ``s p ?o``."""
        return self._by.get((s, p), [])

    def value(self, s: object, p: object) -> Any:
        """One object of ``s p ?o`` (the smallest, so that the choice is stable), or None."""
        found = self._by.get((s, p))
        return min(found) if found else None  # type: ignore[type-var]


_LABELS = (SKOS.prefLabel, RDFS.label, SKOS.altLabel)
_LABEL_ORDER = {SKOS.prefLabel: 0, RDFS.label: 1, SKOS.altLabel: 2}
_EVIDENCE_FIELDS = (("start", COOP.charStart), ("end", COOP.charEnd))


def _names(g: _Index, node: URIRef, lang: str) -> tuple[str, list[str]]:
    """The label to show in ``lang`` and every other name of ``node`` (aliases)."""
    labelled = [(p, lit) for p in _LABELS for lit in g.objects(node, p) if isinstance(lit, Literal)]
    ranked = sorted(labelled, key=lambda pl: (pl[1].language != lang, _LABEL_ORDER[pl[0]], str(pl[1])))
    primary = next((str(lit) for p, lit in ranked if p != _LABELS[2]), None) or local_name(node)
    aliases = sorted({str(lit) for _, lit in labelled} - {primary})
    return primary, aliases


def articles(g: Graph) -> dict[str, dict[str, Any]]:
    """Every article of the graph by IRI: id, headline, date, url."""
    out: dict[str, dict[str, Any]] = {}
    found = set(g.subjects(RDF.type, SCHEMA.NewsArticle)) | set(g.subjects(RDF.type, COOP.Article))
    for a in sorted(found, key=str):
        info: dict[str, Any] = {"iri": str(a), "id": local_name(a)}
        for key, p in (("id", SCHEMA.identifier), ("headline", SCHEMA.headline),
                       ("date", SCHEMA.datePublished), ("url", SCHEMA.url)):
            v = g.value(a, p)
            if v is not None:
                info[key] = str(v)
        out[str(a)] = info
    return out


def _evidence(g: _Index, holder: URIRef, confidence: object, rule: object) -> list[dict[str, Any]]:
    out = []
    for ev in sorted(g.objects(holder, COOP.evidence)):  # type: ignore[type-var]
        item: dict[str, Any] = {"quote": str(g.value(ev, COOP.quote) or "")}
        for key, p in _EVIDENCE_FIELDS:
            v = g.value(ev, p)
            if v is not None:
                item[key] = _value(v)
        art = g.value(ev, COOP.article)
        if art is not None:
            item["article"] = str(art)
        if confidence is not None:
            item["confidence"] = _value(confidence)
        if rule is not None:
            item["rule"] = str(rule)
        out.append(item)
    return out


def _canonical(s: URIRef, p: URIRef, o: URIRef) -> tuple[URIRef, str, URIRef] | None:
    """(subject, relation name, object) with inverse relations turned round; None if not drawn."""
    if p in RELATIONS:
        return s, RELATIONS[p], o
    if p in INVERSES:
        return o, INVERSES[p], s
    return None


def entity_network(g: Graph, lang: str = "en") -> nx.MultiDiGraph:
    """Entities, posts and events as nodes, relations as edges keyed by relation name, with evidence."""
    net = nx.MultiDiGraph()
    ix = _Index(g)
    symmetric = ontology().symmetric | {"sameEventAs"}
    event_date, event_conf, event_rule = COOP.date, COOP.confidence, COOP.rule

    def add_node(n: URIRef) -> None:
        if str(n) in net:
            return
        classes = sorted(set(ix.types.get(n, [])))
        kind = _kind(classes) or "other"
        label, aliases = _names(ix, n, lang)
        attrs: dict[str, Any] = {"kind": kind, "label": label, "aliases": aliases, "iri": str(n),
                                 "classes": classes}
        same = sorted(str(x) for x in ix.objects(n, OWL.sameAs))
        if same:
            attrs["sameAs"] = same
        if kind == "event":
            etype = next((t for t in EVENT_TYPES if t in classes), "Event")
            date = ix.value(n, event_date)
            conf = ix.value(n, event_conf)
            attrs["event_type"] = etype
            attrs["date"] = str(date) if date is not None else None
            attrs["aliases"] = sorted(set(aliases) | {label})
            attrs["label"] = f"{term_label(etype, lang)} · {date}" if date is not None else term_label(etype, lang)
            attrs["evidence"] = _evidence(ix, n, conf, ix.value(n, event_rule))
            attrs["confidence"] = _value(conf) if conf is not None else None
        net.add_node(str(n), **attrs)

    for n in sorted(ix.types):
        if _kind(ix.types[n]):
            add_node(n)

    support: dict[tuple[str, str, str], list[dict[str, Any]]] = defaultdict(list)
    channels: dict[tuple[str, str, str], set[str]] = defaultdict(set)
    for st in ix.statements:
        s, p, o = ix.value(st, RDF.subject), ix.value(st, RDF.predicate), ix.value(st, RDF.object)
        if not (isinstance(s, URIRef) and isinstance(p, URIRef) and isinstance(o, URIRef)):
            continue
        canon = _canonical(s, p, o)
        if canon is None:
            continue
        key = _edge_key(str(canon[0]), canon[1], str(canon[2]), symmetric)
        support[key] += _evidence(ix, st, ix.value(st, event_conf), ix.value(st, event_rule))
        channels[key] |= {str(ch) for ch in ix.objects(st, COOP.channel)}

    for subj, rel, obj in ix.relations:
        key = _edge_key(str(subj), rel, str(obj), symmetric)
        frm, _, to = key
        if net.has_edge(frm, to, rel):
            continue
        add_node(URIRef(frm))
        add_node(URIRef(to))
        attrs: dict[str, Any] = {"relation": rel, "symmetric": rel in symmetric}
        if rel in EVENT_LINKS and net.nodes[frm]["kind"] == "event":
            evidence = net.nodes[frm]["evidence"]
        else:
            evidence = sorted(support.get(key, []), key=lambda e: (e.get("article", ""), e.get("start", 0)))
        attrs["evidence"] = evidence
        confs = [e["confidence"] for e in evidence if "confidence" in e]
        attrs["confidence"] = max(confs) if confs else None
        if channels.get(key):
            attrs["channels"] = sorted(channels[key])
        net.add_edge(frm, to, key=rel, **attrs)
    return net


def _edge_key(s: str, rel: str, o: str, symmetric: frozenset[str]) -> tuple[str, str, str]:
    if rel in symmetric and o < s:
        s, o = o, s
    return s, rel, o


def _tie(coop: nx.Graph, a: str, b: str, why: str) -> None:
    if a == b:
        return
    if coop.has_edge(a, b):
        data = coop.edges[a, b]
        if why not in data["why"]:
            data["why"].append(why)
            data["weight"] = len(data["why"])
    else:
        coop.add_edge(a, b, why=[why], weight=1)


def cooperation_network(net: nx.MultiDiGraph, lang: str = "en") -> nx.Graph:
    """Organisations and persons, joined by relations, shared events and initiatives, posts and channels.

    Each edge has ``why`` (the reasons in ``lang``, e.g. ``cooperates with``, ``Event: Meeting · 2015-07-15``)
    and ``weight`` (their number).
    """
    coop = nx.Graph()
    kind = nx.get_node_attributes(net, "kind")
    label = nx.get_node_attributes(net, "label")
    for n in sorted(net):
        if kind[n] in ACTORS:
            coop.add_node(n, kind=kind[n], label=label[n])
    members: dict[str, set[str]] = defaultdict(set)  # event or initiative -> actors
    for s, o, rel, data in sorted(net.edges(keys=True, data=True)):
        if rel in COOPERATION and kind[s] in ACTORS and kind[o] in ACTORS:
            _tie(coop, s, o, term_label(rel, lang))
        elif rel in ("participatesIn", "leads") and kind[s] in ACTORS:
            members[o].add(s)
        elif rel == "participant" and kind[o] in ACTORS:
            members[s].add(o)
        elif rel == "holds" and kind[s] == "person":
            for _, org, r in net.out_edges(o, keys=True):
                if r == "postIn" and kind[org] == "organization":
                    _tie(coop, s, org, f"{term_label('Post', lang)}: {label[o]}")
        for ch in data.get("channels", ()):
            if ch in coop:
                for end in (s, o):
                    if kind[end] in ACTORS:
                        _tie(coop, end, ch, f"{term_label(rel, lang)} ({term_label('channel', lang)})")
    for group, actors in sorted(members.items()):
        why = f"{term_label(KIND_CLASS.get(kind[group], kind[group]), lang)}: {label[group]}"
        for a, b in combinations(sorted(actors), 2):
            _tie(coop, a, b, why)
    return coop


@dataclass(frozen=True)
class Centrality:
    """The centralities of one node of the cooperation network."""

    degree: int
    degree_centrality: float
    betweenness: float
    pagerank: float


EXACT_BETWEENNESS_MAX = 1500  # above this many nodes, betweenness is estimated from a sample of sources


def centralities(coop: nx.Graph, sample: int = 500) -> dict[str, Centrality]:
    """Degree, betweenness (estimated on large networks) and PageRank of every node."""
    if len(coop) == 0:
        return {}
    k = None if len(coop) <= EXACT_BETWEENNESS_MAX else min(sample, len(coop))
    betweenness = nx.betweenness_centrality(coop, k=k, seed=0 if k else None)
    pagerank = pagerank_of(coop, weight="weight")
    degree_c = nx.degree_centrality(coop) if len(coop) > 1 else {n: 0.0 for n in coop}
    return {n: Centrality(coop.degree(n), degree_c[n], betweenness[n], pagerank[n]) for n in coop}


def pagerank_of(g: nx.Graph, weight: str | None = None) -> dict[str, float]:
    """PageRank of every node (uniform on a graph with no edge)."""
    if len(g) == 0:
        return {}
    if g.number_of_edges() == 0:
        return {n: 1 / len(g) for n in g}
    return dict(nx.pagerank(g, weight=weight))


def communities(coop: nx.Graph, kinds: frozenset[str] = frozenset({"organization"})) -> list[list[str]]:
    """Communities of cooperating nodes (Louvain, fixed seed), largest first, as nodes of ``kinds`` (2+)."""
    if coop.number_of_edges() == 0:
        return []
    found = nx.community.louvain_communities(coop, weight="weight", seed=0)
    kind = nx.get_node_attributes(coop, "kind")
    out = [sorted(n for n in c if kind[n] in kinds) for c in found]
    return sorted((c for c in out if len(c) >= 2), key=lambda c: (-len(c), c))


def find_node(net: nx.Graph, name: str, kinds: Iterable[str] | None = None) -> str:
    """The node named ``name`` (label or alias, normalised); raises CoopkgError if none or unclear."""
    wanted = normalise_name(name)
    allowed = set(kinds) if kinds is not None else None
    exact, partial = [], []
    for n, data in net.nodes(data=True):
        if allowed is not None and data.get("kind") not in allowed:
            continue
        names = {normalise_name(x) for x in [data.get("label", ""), *data.get("aliases", [])]}
        if wanted in names:
            exact.append(n)
        elif wanted and any(f" {wanted} " in f" {x} " for x in names):
            partial.append(n)
    for found in (exact, partial):
        if len(found) == 1:
            return found[0]
        if found:
            best = sorted(found, key=lambda n: (-net.degree(n), net.nodes[n].get("label", ""), n))
            listed = "; ".join(f"{net.nodes[n]['label']} ({net.nodes[n]['kind']}, {n})" for n in best[:10])
            raise CoopkgError(f"{name!r} names {len(found)} entities: {listed}; give a fuller name")
    if allowed is not None:
        try:
            other = find_node(net, name)
        except CoopkgError:
            other = None
        if other is not None:
            raise CoopkgError(f"{name!r} is a {net.nodes[other]['kind']} ({net.nodes[other]['label']}); "
                              f"only {' and '.join(sorted(allowed))} nodes can be used here")
    raise CoopkgError(f"no entity of the graph is named {name!r} (label or alias)")


@dataclass(frozen=True)
class Hop:
    """One step of a cooperation path and why the two ends are linked."""

    source: str
    target: str
    why: list[str]


def cooperation_path(coop: nx.Graph, source: str, target: str) -> list[Hop] | None:
    """The shortest path (fewest hops) between two actors, or None when they are not connected."""
    try:
        nodes = nx.shortest_path(coop, source, target)
    except nx.NetworkXNoPath:
        return None
    return [Hop(a, b, list(coop.edges[a, b]["why"])) for a, b in pairwise(nodes)]


def ego_network(net: nx.MultiDiGraph, centre: str, hops: int) -> nx.MultiDiGraph:
    """The nodes at most ``hops`` links from ``centre`` (either direction) and the edges between them."""
    if hops < 0:
        raise CoopkgError(f"--hops must be 0 or more, not {hops}")
    near = nx.single_source_shortest_path_length(net.to_undirected(as_view=True), centre, cutoff=hops)
    return net.subgraph(near).copy()
