"""Mapping: stable IRIs from canonical keys, evidence on every statement, deterministic output."""

from __future__ import annotations

import pytest
from conftest import run
from rdflib import RDF, Graph, URIRef
from rdflib.namespace import ORG, SKOS

from kg.mapping import iri, map_extraction
from kg.vocab import COOP, ID, TOPIC


@pytest.mark.parametrize(("key", "expected"), [
    ("org/europol", ID["org/europol"]),
    ("topic/terrorism", TOPIC["terrorism"]),
    ("person/jurgen-stock", ID["person/jurgen-stock"]),
])
def test_mapping_iri_is_minted_from_the_key(key: str, expected: URIRef) -> None:
    assert iri(key) == expected


@pytest.fixture(scope="module")
def graph() -> Graph:
    ex = run("Le Secrétaire Général d'INTERPOL, M. Jürgen Stock, a rencontré Mme Federica Mogherini à Bruxelles. "
             "INTERPOL et l'Union européenne travaillent en étroite collaboration.", "fr")
    return map_extraction(ex, "test")


def test_mapping_same_institution_same_iri_in_both_languages() -> None:
    fr = {e.key for e in run("L'Union européenne soutient Europol.", "fr").entities}
    en = {e.key for e in run("The European Union supports Europol.", "en").entities}
    assert {"org/eu", "org/europol"} <= fr & en


def test_mapping_every_relation_and_holds_is_reified_with_evidence(graph: Graph) -> None:
    statements = [(s, p, o) for s, p, o in graph if p == ORG.holds or (str(p).startswith(str(COOP))
                  and p in (COOP.cooperatesWith, COOP.supports))]
    assert statements
    for s, p, o in statements:
        st = next(x for x in graph.subjects(RDF.predicate, p)
                  if (x, RDF.subject, s) in graph and (x, RDF.object, o) in graph)
        ev = graph.value(st, COOP.evidence)
        assert graph.value(ev, COOP.quote) and graph.value(ev, COOP.charStart) is not None
        assert graph.value(ev, COOP.article) is not None


def test_mapping_entities_have_type_label_and_aliases(graph: Graph) -> None:
    eu = ID["org/eu"]
    assert (eu, RDF.type, COOP.Organization) in graph
    assert any(graph.objects(eu, SKOS.altLabel)) or graph.value(eu, URIRef(str(RDF) + "type"))


def test_mapping_is_deterministic() -> None:
    text = "Europol, based in The Hague, works closely with Eurojust."
    a = map_extraction(run(text, "en"), "test").serialize(format="nt")
    b = map_extraction(run(text, "en"), "test").serialize(format="nt")
    assert sorted(a.splitlines()) == sorted(b.splitlines())


@pytest.mark.parametrize(("text", "lang", "key", "alias", "alias_lang"), [
    ("INTERPOL et l'Union européenne travaillent ensemble.", "fr", "org/eu", "European Union", "en"),
    ("INTERPOL and the European Union work together.", "en", "org/eu", "Union européenne", "fr"),
])
def test_mapping_an_alias_carries_its_own_language(text: str, lang: str, key: str, alias: str,
                                                   alias_lang: str) -> None:
    """The gazetteer's name in the other language is tagged with that language, not the article's."""
    from rdflib import Literal

    g = map_extraction(run(text, lang), "test")
    assert Literal(alias, lang=alias_lang) in set(g.objects(ID[key], SKOS.altLabel))
    assert Literal(alias, lang=lang) not in set(g.objects(ID[key], SKOS.altLabel))
