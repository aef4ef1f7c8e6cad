"""kg/network.py: RDF to networks, centralities, communities, names and paths."""

from __future__ import annotations

import pytest
from graphs import Builder, example_graph, expected_counts, hand_made, two_cliques
from rdflib import Literal
from rdflib.namespace import RDF

from kg.errors import CoopkgError
from kg.network import (
    ACTORS,
    centralities,
    communities,
    cooperation_network,
    cooperation_path,
    ego_network,
    entity_network,
    find_node,
    normalise_name,
)
from kg.vocab import COOP, ID

ORG = "https://w3id.org/coopkg/id/org/"
P, Q, PARIS = (str(ID[k]) for k in ("person/p", "person/q", "place/paris"))


@pytest.fixture(scope="module")
def net():
    return entity_network(hand_made(), "en")


@pytest.fixture(scope="module")
def coop(net):
    return cooperation_network(net, "en")


def test_network_nodes_are_entities_posts_and_events_never_literals(net):
    kinds = {d["kind"] for _, d in net.nodes(data=True)}
    assert kinds == {"organization", "person", "post", "place", "topic", "event"}
    assert all(n.startswith("https://w3id.org/coopkg/id/") for n in net)
    assert not any("/evidence/" in n or "/statement/" in n or "/article/" in n for n in net)
    assert (net.number_of_nodes(), net.number_of_edges()) == expected_counts(hand_made())


def test_network_edge_carries_its_evidence_and_confidence(net):
    data = net.get_edge_data(ORG + "a", ORG + "d", "supports")
    assert data["confidence"] == 0.9
    assert [e["quote"] for e in data["evidence"]] == ["A funds D."]
    assert data["evidence"][0]["article"].endswith("/article/hand-made")


def test_network_event_links_share_the_event_evidence(net):
    event = ID["event/m1"]
    links = {(o, rel) for _, o, rel in net.out_edges(str(event), keys=True)}
    assert {rel for _, rel in links} == {"participant", "place", "topic"}
    assert net.nodes[str(event)]["label"] == "Meeting · 2024-01-01"
    for _, _, d in net.out_edges(str(event), data=True):
        assert d["evidence"][0]["quote"] == "They met on 2024-01-01."


def test_network_symmetric_relation_stated_both_ways_is_one_edge():
    b = Builder()
    x, y = b.entity("org/x", "X"), b.entity("org/y", "Y")
    b.relation(x, COOP.cooperatesWith, y, "X with Y.")
    b.relation(y, COOP.cooperatesWith, x, "Y with X.")
    net = entity_network(b.g)
    assert net.number_of_edges() == 1
    (_, _, data), = net.edges(data=True)
    assert data["symmetric"] is True
    assert sorted(e["quote"] for e in data["evidence"]) == ["X with Y.", "Y with X."]


@pytest.mark.parametrize(("inverse", "forward"), [(COOP.hasMember, "memberOf"), (COOP.hasPart, "partOf"),
                                                  (COOP.ledBy, "leads")])
def test_network_inverse_relation_is_drawn_forward(inverse, forward):
    b = Builder()
    whole, part = b.entity("org/whole", "Whole"), b.entity("org/part", "Part")
    b.g.add((whole, inverse, part))
    net = entity_network(b.g)
    assert list(net.edges(keys=True)) == [(str(part), str(whole), forward)]


def test_network_literal_objects_are_not_nodes():
    b = Builder()
    x = b.entity("org/x", "X")
    b.g.add((x, COOP.cooperatesWith, Literal("not a node")))
    net = entity_network(b.g)
    assert list(net) == [str(x)] and net.number_of_edges() == 0


def test_network_cooperation_links_and_reasons(coop):
    assert sorted(coop) == sorted([ORG + x for x in "abcdef"] + [P, Q])
    assert coop.edges[ORG + "a", P]["why"] == ["Post: Director"]
    assert coop.edges[Q, ORG + "e"]["why"] == ["Event: Meeting · 2024-01-01"]
    assert coop.edges[ORG + "d", ORG + "e"]["why"] == ["signs agreement with"]
    assert coop.number_of_edges() == 6


@pytest.mark.parametrize(("node", "degree", "betweenness"), [
    ("a", 4, 12 / 21), ("d", 2, 8 / 21), ("e", 2, 5 / 21), ("b", 1, 0.0), ("f", 0, 0.0)])
def test_network_centralities_of_a_known_tree(coop, node, degree, betweenness):
    c = centralities(coop)[ORG + node]
    assert c.degree == degree
    assert c.degree_centrality == pytest.approx(degree / 7)
    assert c.betweenness == pytest.approx(betweenness)


def test_network_pagerank_ranks_the_hub_first_and_equal_leaves_equal(coop):
    c = centralities(coop)
    ranked = sorted(c, key=lambda n: -c[n].pagerank)
    assert ranked[0] == ORG + "a"
    assert c[ORG + "b"].pagerank == pytest.approx(c[ORG + "c"].pagerank)
    assert c[ORG + "b"].pagerank == pytest.approx(c[P].pagerank)
    assert c[ORG + "f"].pagerank < c[ORG + "b"].pagerank
    assert sum(x.pagerank for x in c.values()) == pytest.approx(1.0)


def test_network_communities_split_two_cliques():
    coop = cooperation_network(entity_network(two_cliques()))
    found = communities(coop)
    assert [{n.rsplit("/", 1)[1][0] for n in c} for c in found] == [{"l"}, {"r"}]
    assert sorted(map(len, found)) == [4, 4]


def test_network_shortest_path_and_why(coop):
    hops = cooperation_path(coop, ORG + "b", Q)
    assert hops is not None
    assert [h.target for h in hops] == [ORG + "a", ORG + "d", ORG + "e", Q]
    assert hops[1].why == ["supports"]
    assert cooperation_path(coop, ORG + "b", ORG + "f") is None


@pytest.mark.parametrize(("name", "expected"), [
    ("ORG A", ORG + "a"), ("Paula Pérez", P), ("paula perez", P),
    ("Pérez", P), ("Quill", Q), ("the Paris", PARIS)])
def test_network_find_node_by_label_or_alias(net, name, expected):
    assert find_node(net, name) == expected


@pytest.mark.parametrize(("name", "kinds", "message"), [
    ("Nobody", None, "no entity"), ("Org", None, "names 6 entities"),
    ("Paris", ACTORS, "is a place")])
def test_network_find_node_says_why_it_cannot(net, name, kinds, message):
    with pytest.raises(CoopkgError, match=message):
        find_node(net, name, kinds)


def test_network_normalise_name_folds_like_the_scorer():
    assert normalise_name("  L’Union   Européenne ") == "union europeenne"
    assert normalise_name("Mme Federica Mogherini") == "federica mogherini"


@pytest.mark.parametrize(("hops", "size"), [(0, 1), (1, 5), (2, 7)])
def test_network_ego_network_keeps_nodes_within_hops(net, hops, size):
    ego = ego_network(net, ORG + "a", hops)
    assert len(ego) == size
    assert ORG + "a" in ego and (ORG + "f" not in ego)


def test_network_example_graph_counts_match_its_triples(example_extraction):
    g = example_graph(example_extraction)
    net = entity_network(g, "fr")
    assert (net.number_of_nodes(), net.number_of_edges()) == expected_counts(g)
    assert all(d["label"] for _, d in net.nodes(data=True))
    assert not [n for n in net if (n, RDF.type, None) in g and net.nodes[n]["kind"] == "other"]
