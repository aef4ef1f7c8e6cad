"""Relation rules on small sentences, both languages, with negative cases."""

from __future__ import annotations

import pytest
from conftest import run, triples


@pytest.mark.parametrize(
    ("text", "lang", "expected"),
    [
        ("INTERPOL et l'Union européenne travaillent déjà en étroite collaboration.", "fr",
         ("INTERPOL", "cooperatesWith", "Union européenne")),
        ("Europol works closely with Eurojust on fraud cases.", "en", ("Europol", "cooperatesWith", "Eurojust")),
        ("INTERPOL participe à l'Équipe opérationnelle conjointe (JOT) « Mare ».", "fr",
         ("INTERPOL", "participatesIn", "Équipe opérationnelle conjointe « Mare »")),
        ("Frontex took part in Operation Themis in the Mediterranean.", "en",
         ("Frontex", "participatesIn", "Operation Themis")),
        ("Le rôle d'INTERPOL a été reconnu par les Nations Unies et par l'Union européenne.", "fr",
         ("Nations Unies", "supports", "INTERPOL")),
        ("Le rôle d'INTERPOL a été reconnu par les Nations Unies et par l'Union européenne.", "fr",
         ("Union européenne", "supports", "INTERPOL")),
        ("Operation Trivium was funded by the European Union.", "en",
         ("European Union", "supports", "Operation Trivium")),
        ("INTERPOL échange des informations avec l'UE par l'intermédiaire du Point de contact VOYAGEURS "
         "d'Europol.", "fr", ("INTERPOL", "exchangesInformationWith", "Union européenne")),
        ("INTERPOL échange des informations avec l'UE par l'intermédiaire du Point de contact VOYAGEURS "
         "d'Europol.", "fr", ("Point de contact VOYAGEURS", "partOf", "Europol")),
        ("Frontex shares information with the IOM through its liaison officers.", "en",
         ("Frontex", "exchangesInformationWith", "IOM")),
        ("The OSCE and UNODC signed a memorandum of understanding.", "en",
         ("OSCE", "signsAgreementWith", "UNODC")),
        ("AFRIPOL a signé un accord avec l'ONUDC.", "fr", ("AFRIPOL", "signsAgreementWith", "ONUDC")),
        ("Operation Pangea was coordinated by INTERPOL.", "en", ("INTERPOL", "leads", "Operation Pangea")),
        ("L'opération « Alizé », menée par l'OFAST, cible le trafic de cocaïne.", "fr",
         ("Office anti-stupéfiants", "leads", "opération « Alizé »")),
        ("Europol, based in The Hague, supports member states.", "en", ("Europol", "locatedIn", "The Hague")),
        ("Italy and Romania are both Member States of the European Union.", "en",
         ("Romania", "memberOf", "European Union")),
        ("Frontex, an agency of the European Union, helped.", "en",
         ("Frontex", "partOf", "European Union")),
    ],
)
def test_relations_trigger_patterns(text: str, lang: str, expected: tuple[str, str, str]) -> None:
    found = triples(run(text, lang))
    s, p, o = expected
    assert expected in found or (p in ("cooperatesWith", "exchangesInformationWith", "signsAgreementWith")
                                 and (o, p, s) in found), sorted(found)


@pytest.mark.parametrize(
    ("text", "lang"),
    [
        ("Des représentants d'INTERPOL, d'Europol et de Frontex assistaient à la réunion.", "fr"),
        ("INTERPOL et Europol figuraient parmi les participants.", "fr"),
        ("Representatives of the OSCE, UNODC and the Council of Europe attended the conference.", "en"),
        ("Europol published its annual report; Eurojust published its own.", "en"),
    ],
)
def test_relations_co_occurrence_is_not_a_relation(text: str, lang: str) -> None:
    assert not {t for t in triples(run(text, lang)) if t[1] != "locatedIn"}


def test_relations_carry_confidence_and_rule() -> None:
    ex = run("Operation Pangea was coordinated by INTERPOL.", "en")
    (rel,) = ex.relations
    assert 0 < rel.confidence <= 1 and rel.rule.startswith("en-coordinate")


def test_relations_dateline_gives_city_in_country() -> None:
    from conftest import run_article

    ex = run_article("12 May 2023\n\nA title\n\nVIENNA (Austria) – The OSCE met.\n", "en")
    assert ("Vienne", "locatedIn", "Autriche") in triples(ex) or ("Vienna", "locatedIn", "Austria") in triples(ex)
