"""Events: date resolution (pure) and meetings, visits, signings on small texts."""

from __future__ import annotations

from datetime import date

import pytest
from conftest import label_of, run, run_article

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
        # "the same day" is the day told before; "yesterday" is always the day before publication
        ("Later the same day, Ms Solberg met the minister.", "en", date(2025, 4, 10), date(2025, 4, 9),
         date(2025, 4, 9)),
        ("Le même jour, ils ont signé.", "fr", date(2025, 4, 10), date(2025, 4, 7), date(2025, 4, 7)),
        ("Yesterday the agency opened an office.", "en", date(2025, 4, 10), date(2025, 3, 2), date(2025, 4, 9)),
        ("Hier, la ministre a reçu son homologue.", "fr", date(2025, 4, 10), date(2025, 3, 2), date(2025, 4, 9)),
        ("On 1st March 2021 they met.", "en", None, None, date(2021, 3, 1)),
        # an undated sentence is of the day last told, when that day is of the same news, not years before
        ("They met in Vienna.", "en", date(2024, 2, 23), date(2024, 2, 20), date(2024, 2, 20)),
        ("They met in Vienna.", "en", date(2024, 2, 23), date(2016, 2, 20), date(2024, 2, 23)),
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


def test_events_a_meeting_to_sign_is_the_signing() -> None:
    """One sentence telling that they met to sign, and who signed: one signing, no meeting besides."""
    ex = run("The heads of Europol and Frontex met at Europol's headquarters in The Hague on 10 October to sign a "
             "working arrangement. The arrangement was signed by Europol's Executive Director Catherine De Bolle "
             "and by Hans Leijtens, Executive Director of Frontex.", "en", date(2023, 10, 11))
    assert [(e.type, e.date) for e in ex.events] == [("AgreementSigning", date(2023, 10, 10))]


def test_events_attendance_list_without_trigger_is_no_event() -> None:
    assert run("Representatives of UNODC and of the Inter-American Development Bank were present.", "en").events == ()


@pytest.mark.parametrize("text", [
    "Its Secretariat, which is hosted by New Zealand Police in Wellington, supports the Chair and the Executive "
    "Committee between conferences.",
    "The course was designed with the European Cybercrime Centre (EC3), which is hosted by Europol, and the Basel "
    "Institute on Governance.",
    "The AFP hosts the Joint Policing Cybercrime Coordination Centre with the Royal Malaysia Police in Melbourne.",
])
def test_events_hosting_an_institution_is_no_meeting(text: str) -> None:
    assert run(text, "en").events == ()


@pytest.mark.parametrize(
    ("text", "lang"),
    [
        # a definite description of an event told before adds to it ("the meeting", "la conférence")
        ("On 5 June, AMERIPOL and Europol held a meeting in Bogotá. The meeting, opened by Colonel Ricardo Mendes "
         "and Ambassador Gilles Bertrand, focused on illegal mining.", "en"),
        ("Le 15 novembre, la CEDEAO a ouvert une conférence à Abuja. Des représentants d'INTERPOL et d'AFRIPOL ont "
         "également assisté à la conférence.", "fr"),
        # two unrelated lists of attendees of the same day's conference: still one conference
        ("The OSCE opened a conference in Vienna on 12 May. Representatives of INTERPOL and the FATF also "
         "addressed a conference panel.", "en"),
        # "la rencontre" after a seminar is the seminar; "du séminaire" refers back to it
        ("Organisé par l'OIF du 10 au 12 octobre à Dakar, le séminaire régional sur la corruption s'est clôturé jeudi. "
         "Accueillie par l'OFNAC, la rencontre a été coorganisée avec l'AIPPF. En marge du séminaire, le GAFI et "
         "l'ONUDC ont échangé des informations.", "fr"),
    ],
)
def test_events_told_again_is_one_node(text: str, lang: str) -> None:
    ex = run(text, lang, date(2023, 6, 7))
    assert len(ex.events) == 1, [(e.type, e.participants, e.date) for e in ex.events]


def test_events_followed_by_takes_the_date_of_what_it_follows() -> None:
    ex = run("AFRIPOL et l'ONUDC ont signé le 23 mai un mémorandum à Alger. La signature a été suivie d'une réunion "
             "de travail entre M. Jalel Chelba et Mme Sophie Lemaire.", "fr", date(2023, 5, 25))
    (meeting,) = [e for e in ex.events if e.type == "Meeting"]
    assert meeting.date == date(2023, 5, 23)


def test_events_plural_description_of_persons_gives_the_participants() -> None:
    ex = run("M. Jean Dupont, directeur de l'OIM, et Mme Anne Martin, directrice de l'UNICEF, ont parlé. "
             "Le 19 juillet, les deux responsables avaient visité un centre d'accueil à Thiès.", "fr",
             date(2023, 7, 20))
    (visit,) = [e for e in ex.events if e.type == "Visit"]
    assert set(visit.participants) == {"person/jean-dupont", "person/anne-martin"}


def test_events_headline_and_body_are_one_signing() -> None:
    ex = run_article("25 mai 2023\n\nAFRIPOL et l'ONUDC signent un mémorandum d'entente\n\n"
                     "ALGER (Algérie) – AFRIPOL et l'ONUDC ont signé le 23 mai un mémorandum d'entente.\n", "fr")
    (signing,) = [e for e in ex.events if e.type == "AgreementSigning"]
    assert signing.date == date(2023, 5, 23)


def test_events_a_meeting_held_during_a_visit_is_its_own_event() -> None:
    ex = run("Le 17 janvier, M. Gérald Darmanin s'est rendu au siège de l'OFAST. Le ministre y a présidé une réunion "
             "en présence de Mme Nathalie Ferrand et de M. Florian Colas.", "fr", date(2024, 1, 19))
    assert sorted(e.type for e in ex.events) == ["Meeting", "Visit"]


@pytest.mark.parametrize(
    ("text", "lang"),
    [
        # quoted speech, plural (recurring) events, future events: no event took place
        ("« Nous rencontrerons bientôt Europol », a déclaré M. Jean Dupont, directeur de l'OIM.", "fr"),
        ("Europol et Eurojust tiennent des réunions régulières avec l'OIM.", "fr"),
        ("Mr Jean Dupont will meet Ms Anne Martin of Europol in March.", "en"),
        ("La prochaine réunion entre M. Jean Dupont et Mme Anne Martin aura lieu à Lyon.", "fr"),
        # what took place years before the article: background
        ("The agreement builds on a memorandum of understanding signed by Europol and Eurojust in 2018.", "en"),
        ("The WCO and INTERPOL signed a memorandum of understanding in 2019 to share intelligence.", "en"),
        ("Europol et Eurojust ont signé en mars 2021 un protocole d'accord.", "fr"),
        # an event's word inside a name: an island, a body
        ("Des navires avaient été engagés par la Marine malgache et la Garde côtière des Seychelles, ainsi que par "
         "les Forces armées dans la zone sud de l'océan Indien (FAZSOI), stationnées à La Réunion.", "fr"),
        ("The Global Counterterrorism Forum welcomed the results of Europol.", "en"),
    ],
)
def test_events_only_what_took_place(text: str, lang: str) -> None:
    assert run(text, lang).events == ()


@pytest.mark.parametrize(("text", "lang", "when"), [
    ("Europol et Eurojust ont signé le 3 mars 2021 un protocole d'accord.", "fr", date(2021, 3, 3)),
    ("Europol and Eurojust signed a memorandum of understanding in 2024.", "en", date(2024, 2, 23)),
])
def test_events_a_dated_or_this_years_signing_is_news(text: str, lang: str, when: date) -> None:
    (event,) = run(text, lang).events
    assert (event.type, event.date) == ("AgreementSigning", when)


@pytest.mark.parametrize(("text", "lang"), [
    ("12 May 2023\n\nTitle\n\nLYON – INTERPOL Secretary General Jürgen Stock visited Europol on 10 May. During his "
     "visit, he met Executive Director Catherine De Bolle.\n", "en"),
    ("12 mai 2023\n\nTitre\n\nLYON – Le secrétaire général d'INTERPOL, Jürgen Stock, s'est rendu au siège d'Europol "
     "le 10 mai. Lors de sa visite, il a rencontré la directrice exécutive Catherine De Bolle.\n", "fr"),
])
def test_events_a_possessive_visit_is_the_visit_told_before(text: str, lang: str) -> None:
    ex = run_article(text, lang)
    lab = label_of(ex)
    (visit,) = ex.events
    assert {lab[p] for p in visit.participants} >= {"Jürgen Stock", "Catherine De Bolle"}


@pytest.mark.parametrize(("text", "lang", "published", "when", "kind"), [
    # leading a delegation is a visit, dated by its own sentence; "during the visit" adds to it
    ("The Romanian Police were represented by Chief Commissioner Andrei Popescu, who led a delegation to the "
     "Scottish Crime Campus last Thursday. During the visit, Mr Popescu and DCS Claire Robertson agreed to second "
     "an officer.", "en", date(2023, 12, 6), date(2023, 11, 30), "Visit"),
    ("Le commissaire Andrei Popescu a conduit une délégation au siège de la Police fédérale jeudi dernier. Lors de "
     "la visite, M. Popescu et Mme Claire Robertson ont convenu de détacher un officier.", "fr", date(2023, 12, 6),
     date(2023, 11, 30), "Visit"),
    # a weekday told before anchors what counts from it ("une semaine avant")
    ("Six personnes ont été interpellées jeudi à Lyon.\n\nUne semaine avant l'opération, M. Bertrand Lasserre "
     "s'était rendu à La Haye, où il avait rencontré Mme Marta Kowalczyk.", "fr", date(2021, 10, 19),
     date(2021, 10, 7), "Meeting"),
    ("Six people were arrested on Thursday in Lyon.\n\nA week before the operation, Mr Bertrand Lasserre travelled "
     "to The Hague, where he met Ms Marta Kowalczyk.", "en", date(2021, 10, 19), date(2021, 10, 7), "Meeting"),
    # the sentence before, dated by a weekday, dates the next; a day told in an earlier paragraph dates too
    ("Europol and Frontex presented the results on Thursday. The two agencies then signed a memorandum of "
     "understanding.", "en", date(2024, 5, 10), date(2024, 5, 9), "AgreementSigning"),
    ("Le mardi 7 mars 2023, 35 enquêteurs ont commencé leur formation à Ouagadougou. Ils viennent du Mali et du "
     "Niger.\n\nLe contrôleur général Adama Sawadogo s'est entretenu avec le commissaire Boubacar Traoré.", "fr",
     date(2023, 3, 9), date(2023, 3, 7), "Meeting"),
])
def test_events_dated_from_what_the_text_told_before(text: str, lang: str, published: date, when: date,
                                                     kind: str) -> None:
    ex = run(text, lang, published)
    (event,) = ex.events
    assert (event.type, event.date) == (kind, when)


def test_events_the_dateline_date_is_no_date_told() -> None:
    """"la veille du lancement" counts from the operation's dates, not from the dateline's (the publication)."""
    ex = run_article("Communiqué\n\nOpération Zou-Mono\n\nCotonou, le 14 mars 2024 – La Police républicaine informe "
                     "qu'une opération conjointe a été conduite du 5 au 11 mars 2024 aux frontières.\n\nLa veille du "
                     "lancement de l'opération, M. Nazaire Hounkpè avait reçu à Cotonou M. Kodjo Amévor.\n", "fr")
    (meeting,) = ex.events
    assert meeting.date == date(2024, 3, 4)
