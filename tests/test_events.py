"""Events: date resolution (pure) and meetings, visits, signings on small texts."""

from __future__ import annotations

from datetime import date

import pytest
from conftest import label_of, run

from kg.events import resolve_date


@pytest.mark.parametrize(
    ("sentence", "lang", "published", "anchor", "expected"),
    [
        ("Le lendemain, la ministre s'est rendue à Pontoise.", "fr", date(2021, 6, 9), None, date(2021, 6, 10)),
        ("La veille, ils avaient visité Thiès.", "fr", date(2023, 7, 20), None, date(2023, 7, 19)),
        ("The next day, Ms Forbes met the NCSC.", "en", date(2023, 9, 28), date(2023, 9, 26), date(2023, 9, 27)),
        ("Le 12 mars, les deux services ont signé.", "fr", date(2024, 5, 1), None, date(2024, 3, 12)),
        ("On 6 June, AMERIPOL and ACTO signed a memorandum.", "en", date(2023, 6, 7), None, date(2023, 6, 6)),
        ("The meeting was held on 5 and 6 June.", "en", date(2023, 6, 7), None, date(2023, 6, 5)),
        ("Mardi, la ministre a reçu son homologue.", "fr", date(2024, 2, 23), None, date(2024, 2, 20)),
        ("They met in Vienna.", "en", date(2024, 2, 23), None, date(2024, 2, 23)),
        ("On 1st March 2021 they met.", "en", None, None, date(2021, 3, 1)),
    ],
)
def test_events_resolve_date(sentence: str, lang: str, published: date | None, anchor: date | None,
                             expected: date) -> None:
    assert resolve_date(sentence, lang, published, anchor) == expected


def test_events_meeting_with_participants_date_place_topics() -> None:
    ex = run("Le 3 mars, la Secrétaire générale de l'OSCE, Mme Helga Schmid, a rencontré à Vienne M. Jean Dupont. "
             "Au nombre des questions prioritaires figuraient le terrorisme et la cybercriminalité.", "fr",
             date(2024, 3, 5))
    lab = label_of(ex)
    (ev,) = [e for e in ex.events if e.type == "Meeting"]
    assert {lab[p] for p in ev.participants} >= {"Helga Schmid", "Jean Dupont"}
    assert ev.date == date(2024, 3, 3)
    assert lab[ev.place] == "Vienne"
    assert {lab[t] for t in ev.topics} >= {"terrorisme", "cybercriminalité"}
    assert ev.evidence and ev.confidence > 0


def test_events_one_event_described_twice_is_one_node() -> None:
    ex = run("Visite du Directeur de l'OSCE, M. Jean Dupont, à la Commission européenne. "
             "M. Dupont a rencontré Mme Anne Martin, Vice-présidente de la Commission européenne.", "fr")
    assert len(ex.events) == 1


def test_events_agreement_signing_from_signature() -> None:
    ex = run("On 6 June, AMERIPOL signed an agreement with the Amazon Cooperation Treaty Organization.", "en",
             date(2023, 6, 7))
    (ev,) = [e for e in ex.events if e.type == "AgreementSigning"]
    assert ev.date == date(2023, 6, 6) and len(ev.participants) == 2


def test_events_attendance_list_without_trigger_is_no_event() -> None:
    assert run("Representatives of UNODC and of the Inter-American Development Bank were present.", "en").events == ()
