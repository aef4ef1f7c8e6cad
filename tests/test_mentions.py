"""Mentions: names come out whole and typed right; titles, articles and furniture never become entities."""

from __future__ import annotations

import pytest
from conftest import labels, run, run_article

from kg.gazetteer import lexicon
from kg.mentions import long_form, places_named_as_persons
from kg.model import Mention


@pytest.mark.parametrize(
    ("text", "lang", "label", "etype"),
    [
        ("INTERPOL participe à l'Équipe opérationnelle conjointe (JOT) « Mare » ciblant les passeurs.", "fr",
         "Équipe opérationnelle conjointe « Mare »", "Initiative"),
        ("INTERPOL échange des informations par l'intermédiaire du Point de contact VOYAGEURS d'Europol.", "fr",
         "Point de contact VOYAGEURS", "Organization"),
        ("Le rôle d'INTERPOL a été reconnu par les Nations Unies.", "fr", "Nations Unies", "Organization"),
        ("Europol coordinated Operation Pangea XVI against counterfeit medicines.", "en",
         "Operation Pangea XVI", "Initiative"),
        ("The Commission de la CEMAC met in Bangui.", "en", "Commission de la CEMAC", "Organization"),
        ("Le HCR et l'UNICEF lancent « Chemins sûrs », un programme conjoint.", "fr", "« Chemins sûrs »",
         "Initiative"),
        ("Dans le cadre de son projet sur les combattants terroristes étrangers, INTERPOL agit.", "fr",
         "projet sur les combattants terroristes étrangers", "Initiative"),
        # a body named with its organisation first, and the region it serves
        ("The UNODC Regional Office for West and Central Africa hosted the meeting.", "en",
         "UNODC Regional Office for West and Central Africa", "Organization"),
        # a ministry a minister's title names ends before the minister's name
        ("The director met Italian Minister of Justice Carlo Nordio in Rome.", "en", "Ministry of Justice",
         "Organization"),
        # ... and keeps a lower-case adjective of its portfolio
        ("Il a rencontré le ministre camerounais de l'Administration territoriale, Paul Atanga Nji.", "fr",
         "Ministère de l'Administration territoriale", "Organization"),
        # a body named after its parent, with the region it serves
        ("Le Bureau régional d'INTERPOL pour l'Afrique de l'Ouest et du Centre a participé.", "fr",
         "Bureau régional d'INTERPOL pour l'Afrique de l'Ouest et du Centre", "Organization"),
        ("Le directeur général de la Sûreté nationale du Cameroun, Martin Mbarga Nguele, a parlé.", "fr",
         "Sûreté nationale du Cameroun", "Organization"),
        # a country inside a body's name does not split it
        ("The Royal Malaysia Police and the Kenya Police Service arrested 12 suspects.", "en",
         "Royal Malaysia Police", "Organization"),
        ("The Royal Malaysia Police and the Kenya Police Service arrested 12 suspects.", "en",
         "Kenya Police Service", "Organization"),
        ("In Malaysia Police officers said so.", "en", "Malaysia Police", "Organization"),
        # after a title, a name already found stays what it is: no person in apposition
        ("He met the Head of Unit, Operation Trident.", "en", "Operation Trident", "Initiative"),
        # an English name ending with an initiative head is an initiative, unless the gazetteer knows better
        ("The Global Maritime Crime Programme held a workshop in Colombo.", "en", "Global Maritime Crime Programme",
         "Initiative"),
        ("The World Food Programme delivered aid.", "en", "World Food Programme", "Organization"),
        # programmes and systems of the gazetteer's initiatives
        ("Europol a facilité l'échange d'informations grâce à son application SIENA.", "fr", "SIENA", "Initiative"),
        ("The operation ran under the European Multidisciplinary Platform Against Criminal Threats (EMPACT).", "en",
         "EMPACT", "Initiative"),
        # a capitalised name presented as an operation; a known organisation presented so stays one
        ("The agreement builds on Atlantic Sentinel, a multipurpose maritime operation led by EFCA.", "en",
         "Atlantic Sentinel", "Initiative"),
        ("Les agents ont communiqué grâce à CENcomm, la plateforme de communication sécurisée de l'OMD.", "fr",
         "CENcomm", "Initiative"),
        ("The results of Europol, a major operation partner, were presented.", "en", "Europol", "Organization"),
        # a plan NER calls a place, cut where NER stopped inside "pour le Soudan"
        ("Le HCR coordonne la réponse dans le cadre du Plan régional d'aide aux réfugiés pour le Soudan, auquel "
         "participent plus de quatre-vingts partenaires.", "fr", "Plan régional d'aide aux réfugiés", "Initiative"),
        ("SARPCCO functions as a sub-committee of the Organ on Politics, Defence and Security Cooperation of the "
         "Southern African Development Community (SADC).", "en", "Organ on Politics, Defence and Security Cooperation",
         "Organization"),
        # a hyphenated first word NER began after; a course; a name NER calls a person that holds an org's word
        ("The Heads of FIU endorsed the admission of the Anti-Money Laundering Intelligence Office of Laos (AMLIO).",
         "en", "Anti-Money Laundering Intelligence Office of Laos", "Organization"),
        ("ECOFEL presented its new Virtual Assets Investigation Course to the members.", "en",
         "Virtual Assets Investigation Course", "Initiative"),
        ("The Toronto-based Egmont Secretariat will support the incoming units.", "en", "Egmont Secretariat",
         "Organization"),
        # a capitalised head, a name in lower case and its acronym
        ("Ils ont signé un accord destiné à financer le Projet d'appui à la lutte contre les flux financiers "
         "illicites (PALFFI).", "fr", "Projet d'appui à la lutte contre les flux financiers illicites", "Initiative"),
        ("Le Programme alimentaire mondial (PAM) aide les réfugiés.", "fr", "Programme alimentaire mondial",
         "Organization"),
        # a name that lists its remits, up to its acronym
        ("Elle a été reçue par le secrétaire général de la Commission nationale d'accueil, de réinsertion des "
         "réfugiés et des rapatriés (CNARR).", "fr",
         "Commission nationale d'accueil, de réinsertion des réfugiés et des rapatriés", "Organization"),
        # a name nothing else knows, defined by the acronym after it (its letters in order) and headed by an
        # organisation's word
        ("Sione Taufa also chairs the Pacific Islands Chiefs of Police (PICP).", "en",
         "Pacific Islands Chiefs of Police", "Organization"),
        ("La Direction générale des affaires maritimes, de la pêche et de l'aquaculture (DGAMPA) a participé.", "fr",
         "Direction générale des affaires maritimes, de la pêche et de l'aquaculture", "Organization"),
        # every letter of the acronym a word's first, whatever the tagger makes of the words
        ("Les navires étaient fournis par les Forces armées dans la zone sud de l'océan Indien (FAZSOI).", "fr",
         "Forces armées dans la zone sud de l'océan Indien", "Organization"),
        # what NER calls a place but an organisation's word heads
        ("L'exercice était coordonné par le Centre régional de coordination des opérations (CRCO), basé à Victoria.",
         "fr", "Centre régional de coordination des opérations", "Organization"),
        # a name its acronym defines, function words not counted against its length, accents not counted
        # against its letters; a joint team is an initiative
        ("L'opération a été conduite par la Direction de la police des stupéfiants et des drogues (DPSD).", "fr",
         "Direction de la police des stupéfiants et des drogues", "Organization"),
        ("L'enquête a été menée par l'Équipe intégrée de lutte contre le trafic d'armes (EILTA).", "fr",
         "Équipe intégrée de lutte contre le trafic d'armes", "Initiative"),
        ("Mme Sophie Lachance dirige l'Administration portuaire de Montréal (APM).", "fr",
         "Administration portuaire de Montréal", "Organization"),
        # ... but never across a conjunct
        ("AMERIPOL and the Amazon Cooperation Treaty Organization (ACTO) signed.", "en",
         "Amazon Cooperation Treaty Organization", "Organization"),
        # a unit's word heads it too, and the adjective after a French name is part of it
        ("Le chef de la Division Antifraude douanière, Marco Bernasconi, a précisé les faits.", "fr",
         "Division Antifraude douanière", "Organization"),
        # a name given by a naming word, quoted or not
        ("Searches were carried out in an investigation by the EPPO, codenamed 'Moonstone', into a VAT fraud.", "en",
         "Moonstone", "Initiative"),
        ("L'enquête, baptisée « Lune », a été menée par la Guardia Civil.", "fr", "Lune", "Initiative"),
        # the head must close the phrase: a project manager presents no project
        ("John Smith, a project manager at Europol, spoke.", "en", "John Smith", "Person"),
        # a name before its head: a head in lower case is no part of it, a capitalised one is
        ("The training is funded under the Better Migration Management programme, which began in 2016.", "en",
         "Better Migration Management", "Initiative"),
        ("The AFP has supported the Tonga Police Development Program since 2008.", "en",
         "Tonga Police Development Program", "Initiative"),
    ],
)
def test_mentions_named_things_come_out_whole_and_typed(text: str, lang: str, label: str, etype: str) -> None:
    ex = run(text, lang)
    assert label in labels(ex, etype), sorted((e.type, e.label) for e in ex.entities)


@pytest.mark.parametrize(
    ("text", "lang", "noise"),
    [
        ("Mme Federica Mogherini, Haut représentant de l'Union européenne, a parlé.", "fr", "Haut"),
        ("Le Secrétaire Général Stock a souligné la capacité d'INTERPOL.", "fr", "Secrétaire Général Stock"),
        ("« C'est le cas de l'Union européenne », a ajouté M. Stock.", "fr", "c'"),
        ("La réunion s'est tenue à Lyon.", "fr", "Réunion"),
        ("Ransomware is one of the worst threats; ransomware groups are dismantled.", "en", "Ransomware"),
        # a country before a name the gazetteer knows does not cut it at the head word
        ("It was led by the US Federal Bureau of Investigation (FBI) and Europol.", "en", "US Federal Bureau"),
        # a meeting of a body is an event, not a body of its own
        ("La 25e Assemblée générale du Comité des chefs de police d'Afrique centrale s'est ouverte.", "fr",
         "Assemblée générale du Comité des chefs de police d'Afrique centrale"),
        # a duration is not what a project is about
        ("Le GIABA assurera la mise en œuvre du projet sur trois ans.", "fr", "projet sur trois ans"),
        # an acronym whose letters the words before it do not spell defines no name
        ("Teams worked with the police of the coastal provinces (PICP).", "en", "police of the coastal provinces"),
        # "Member States" is no place and no person
        ("They came from Albania, Bosnia and Herzegovina, Montenegro, North Macedonia and Serbia, and from three EU "
         "Member States: Austria, Croatia and Slovenia.", "en", "States"),
        # an owner's programme, or a head the name goes on after, names no initiative of its own
        ("Investigators were trained through a project co-funded by the European Union's LIFE programme.", "en",
         "European Union's LIFE"),
        ("It is part of the Europe Latin America Programme of Assistance against Transnational Organised Crime.",
         "en", "Europe Latin America Programme"),
        # a list that runs into a verb is no name's list of remits
        ("La Commission nationale d'accueil, de la Justice et des Finances ont signé un accord.", "fr",
         "Commission nationale d'accueil, de la Justice et des Finances ont signé un accord"),
    ],
)
def test_mentions_noise_never_becomes_an_entity(text: str, lang: str, noise: str) -> None:
    ex = run(text, lang)
    assert noise not in labels(ex), sorted(labels(ex))


def test_mentions_page_furniture_is_not_content() -> None:
    ex = run_article("All news\n|\nPrint\n15 juillet 2015\n\nUn titre\n\nLYON (France) – INTERPOL a parlé.\n")
    assert "Print" not in labels(ex) and "All news" not in labels(ex)
    assert {"Lyon", "France"} <= labels(ex, "Place")


@pytest.mark.parametrize(("text", "place"), [
    ("Officers arrested eleven people in Glasgow, Edinburgh and Aberdeen.", True),
    ("Officers arrested eleven people at Edinburgh and Glasgow airports.", True),
    ("The visit took Commissioner Glasgow to Edinburgh.", False),
    ("Glasgow, the head of the unit, spoke in Edinburgh.", False),
])
def test_mentions_one_word_person_after_in_or_listed_with_places_is_a_place(text: str, place: bool) -> None:
    """The NER's person is a place after "in"/"at" or in a list with a place (tested on the NER's output as
    given, which varies with the context)."""
    start = text.index("Glasgow")
    mentions = [Mention(start, start + 7, "Glasgow", "Person", "ner")]
    edinburgh = text.index("Edinburgh")
    mentions.append(Mention(edinburgh, edinburgh + 9, "Edinburgh", "Place", "gazetteer"))
    (glasgow, _) = places_named_as_persons(text, mentions, lexicon("en"))
    assert glasgow.type == ("Place" if place else "Person")


def test_mentions_city_of_a_header_date_line_is_a_place() -> None:
    ex = run_article("Bruxelles, 27/02/2024\n\nUn titre\n\nL'OLAF a coordonné une opération douanière conjointe "
                     "avec les autorités de Pologne et de Lituanie contre la contrebande de cigarettes.\n")
    assert "Bruxelles" in labels(ex, "Place")


def test_mentions_surname_title_and_honorific_forms_are_one_person() -> None:
    ex = run("Le Secrétaire Général d'INTERPOL, M. Jürgen Stock, a parlé. Le Secrétaire Général Stock a ajouté. "
             "« Oui », a dit M. Stock.", "fr")
    persons = [e for e in ex.entities if e.type == "Person"]
    assert [p.label for p in persons] == ["Jürgen Stock"]


@pytest.mark.parametrize(("text", "full", "later"), [
    # the surname alone where the NER saw no person
    ("Assistant Director Brian Hollis of the FBI said it worked. Earlier this week, Hollis traveled to Tokyo.",
     "Brian Hollis", "Hollis traveled"),
    # a family name written first
    ("The MOU was signed by Commissioner of Police Lim Kok Hwa. Commissioner Lim also toured the centre.",
     "Lim Kok Hwa", "Lim also"),
])
def test_mentions_later_surname_is_the_person_named_in_full(text: str, full: str, later: str) -> None:
    ex = run(text, "en")
    persons = [e for e in ex.entities if e.type == "Person"]
    assert [p.label for p in persons] == [full]
    assert text.index(later) in {m.start for m in persons[0].mentions}


def test_mentions_acronym_defined_in_text_is_learned() -> None:
    ex = run("The Directorate for Investigating Organised Crime and Terrorism (DIICOT) led the case. "
             "DIICOT said the case was closed.", "en")
    orgs = [e for e in ex.entities if e.type == "Organization"]
    assert len(orgs) == 1 and "DIICOT" in orgs[0].aliases


def test_mentions_acronym_of_a_name_inside_the_name_keeps_its_entity() -> None:
    ex = run("La conférence s'est tenue au siège de la Commission de la Communauté économique des États de "
             "l'Afrique de l'Ouest (CEDEAO) à Abuja. Les États membres de la CEDEAO y ont participé.", "fr")
    assert "CEDEAO" in {e.label for e in ex.entities} | {a for e in ex.entities if e.key == "org/ecowas"
                                                          for a in e.aliases}


def test_mentions_acronym_the_text_defines_overrides_the_gazetteers() -> None:
    """CPS is the Crown Prosecution Service in the gazetteer; this article defines it otherwise."""
    ex = run("Le Procureur spécial de la Cour pénale spéciale (CPS) a signé à Bangui. La CPS est une juridiction "
             "hybride.", "fr")
    orgs = {e.label: e.aliases for e in ex.entities if e.type == "Organization"}
    assert "Crown Prosecution Service" not in orgs, orgs
    assert any("CPS" in aliases for aliases in orgs.values()), orgs


@pytest.mark.parametrize(("text", "lang", "canonical"), [
    ("L'UE et l'Union européenne sont une seule et même chose.", "fr", "Union européenne"),
    ("The EU and the European Union are the same.", "en", "European Union"),
])
def test_mentions_acronym_and_full_form_resolve_to_one_entity(text: str, lang: str, canonical: str) -> None:
    ex = run(text, lang)
    assert [e.label for e in ex.entities if e.type == "Organization"] == [canonical]


@pytest.mark.parametrize(("text", "lang", "key", "name"), [
    ("Le Centre de coopération en matière d'application de la loi en Europe du Sud-Est (SELEC) et Frontex "
     "ont signé un accord.", "fr", "org/selec",
     "Centre de coopération en matière d'application de la loi en Europe du Sud-Est"),
    ("The agreement was signed with the South-East European Law Enforcement Centre (SELEC) in Bucharest.", "en",
     "org/selec", "South-East European Law Enforcement Centre"),
])
def test_mentions_known_acronym_names_the_phrase_before_it(text: str, lang: str, key: str, name: str) -> None:
    """A variant of a known name, followed by its acronym, is that entity, not a new organisation."""
    ex = run(text, lang)
    entity = next(e for e in ex.entities if e.key == key)
    assert name in (entity.label, *entity.aliases)
    assert not {e.label for e in ex.entities if e.type == "Organization" and e.key != key} - {"Frontex"}


def test_mentions_known_acronym_never_takes_a_clause() -> None:
    ex = run("La Commission a salué le travail du SELEC (SELEC) hier.", "fr")
    assert not any("salué" in a for e in ex.entities for a in (e.label, *e.aliases))


def test_resolve_stray_capitalised_word_is_no_organisation() -> None:
    from conftest import run

    ex = run("The Royal Malaysia Police and Europol met.", "en")
    assert {e.label for e in ex.entities if e.type == "Organization"} == {"Royal Malaysia Police", "Europol"}


@pytest.mark.parametrize(("text", "key"), [
    # another country's body with the same generic name: not the one the gazetteer knows
    ("La Police nationale burundaise a démantelé le réseau.", "org/police-nationale-burundaise"),
    ("La Gendarmerie nationale tunisienne a arrêté trois suspects.", "org/gendarmerie-nationale-tunisienne"),
    # ... and the one the gazetteer knows for that country
    ("La Police nationale ivoirienne a démantelé le réseau.", "org/ci-police"),
    # the body's own country: still the body the gazetteer knows
    ("L'enquête a été menée par la Policía Nacional espagnole.", "org/es-policia-nacional"),
    ("La Police nationale française a arrêté trois suspects.", "org/fr-police-nationale"),
    # the bare name, in an article that names it as another country's, is that country's body
    ("Le directeur de la Police nationale a parlé. La Police nationale burundaise a démantelé le réseau.",
     "org/police-nationale-burundaise"),
    ("Le directeur de la Police nationale a parlé. La Police nationale ivoirienne a démantelé le réseau.",
     "org/ci-police"),
])
def test_mentions_a_nationality_after_a_national_body_names_its_country(text: str, key: str) -> None:
    assert [e.key for e in run(text, "fr").entities if e.type == "Organization"] == [key]


@pytest.mark.parametrize(("acronym", "before", "start"), [
    ("PICP", "who also chairs the Pacific Islands Chiefs of Police", 20),
    ("UNCCT", "Director of the United Nations Counter-Terrorism Centre", 16),
    ("DGAMPA", "la Direction générale des affaires maritimes, de la pêche et de l'aquaculture", 3),
    ("XYZ", "the Pacific Islands Chiefs of Police", None),
])
def test_mentions_long_form_of_an_acronym(acronym: str, before: str, start: int | None) -> None:
    assert long_form(acronym, before) == start
