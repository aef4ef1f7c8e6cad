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
        # a unit its owner's possessive names is the agent, not the owner
        ("Operation Iron Catalyst was coordinated by the DEA's Special Operations Division.", "en",
         ("Special Operations Division", "leads", "Operation Iron Catalyst")),
        # who took part, with no "in": the initiative just told of, across a sentence on "the operation"
        ("Operation Stonewall was coordinated by IMPACS. The Jamaica Constabulary Force and the Guyana Police Force "
         "took part.", "en", ("Guyana Police Force", "participatesIn", "Operation Stonewall")),
        ("Interpol announced Operation Pangea.\n\nThe operation was coordinated by Interpol. The Guardia Civil and "
         "the Carabinieri also took part.", "en", ("Guardia Civil", "participatesIn", "Operation Pangea")),
        ("L'opération Alba a été lancée en mars. La Guardia Civil et Europol y ont participé.", "fr",
         ("Europol", "participatesIn", "opération Alba")),
        # the partners an operation was conducted with
        ("Interpol announced Operation Pangea. The operation was conducted with the Guardia Civil and Europol.", "en",
         ("Europol", "participatesIn", "Operation Pangea")),
        ("L'opération Alba, menée en coopération avec la Guardia Civil et Europol, a permis 12 arrestations.", "fr",
         ("Europol", "participatesIn", "opération Alba")),
        ("Italy and Romania are both Member States of the European Union.", "en",
         ("Romania", "memberOf", "European Union")),
        ("Frontex, an agency of the European Union, helped.", "en",
         ("Frontex", "partOf", "European Union")),
        # a plural description stands for the list it sums up
        ("Europol et l'ONUDC ont signé un accord. Les deux organisations échangeront des analyses.", "fr",
         ("Europol", "exchangesInformationWith", "ONUDC")),
        ("The NCA, the BKA and Europol met. The three agencies will share intelligence.", "en",
         ("Bundeskriminalamt", "exchangesInformationWith", "Europol")),
        # a name with its acronym in brackets stays in the list
        ("L'OIM et le Fonds des Nations unies pour l'enfance (UNICEF) lancent le projet Horizon.", "fr",
         ("OIM", "leads", "projet Horizon")),
        # an office named after its head's title
        ("Operation Vesta was led by the Public Prosecutor's Office of Turin.", "en",
         ("Public Prosecutor's Office of Turin", "leads", "Operation Vesta")),
        # a body named with its organisation's name first, and its seat
        ("The meeting took place at the OSCE Secretariat in Vienna.", "en", ("OSCE Secretariat", "partOf", "OSCE")),
        ("The meeting took place at the OSCE Secretariat in Vienna.", "en",
         ("OSCE Secretariat", "locatedIn", "Vienna")),
        # a reversed trigger opening a list with "including"
        ("Operation Nightfall involved agencies from eight countries, including the Bundeskriminalamt and "
         "the Dutch National Police.", "en", ("Dutch National Police", "participatesIn", "Operation Nightfall")),
        # one phrase read two ways: "work with" (cooperation) and "work in" (participation)
        ("Investigators from Europol and Eurojust have worked since March in a Joint Investigation Team (JIT).",
         "en", ("Eurojust", "participatesIn", "Joint Investigation Team")),
        # a body whose name holds the name of another organisation the article names
        ("The European Union Agency for Criminal Justice Cooperation (Eurojust) helped. Italy is a Member State "
         "of the European Union.", "en", ("Eurojust", "partOf", "European Union")),
        # more trigger phrases, both languages
        ("L'opération Atlas a été lancée à l'initiative d'Europol.", "fr", ("Europol", "leads", "opération Atlas")),
        ("Operation Trident was conducted by the Guardia Civil.", "en",
         ("Guardia Civil", "leads", "Operation Trident")),
        ("Frontex worked jointly with Europol on the case.", "en", ("Frontex", "cooperatesWith", "Europol")),
        ("La Gendarmerie nationale a pris part à l'opération Atlas.", "fr",
         ("Gendarmerie nationale", "participatesIn", "opération Atlas")),
        ("Le partenariat entre Frontex et l'OIM a été renouvelé.", "fr",
         ("Frontex", "cooperatesWith", "OIM")),
        # a standing kind of initiative named in lower case
        ("Eurojust supported the joint investigation team set up in May.", "en",
         ("Eurojust", "supports", "joint investigation team")),
        # an adverb and a possessive between a trigger's words
        ("Frontex apportera également son appui au projet CARPATHIA.", "fr",
         ("Frontex", "supports", "projet CARPATHIA")),
        ("Europol will provide its support to Operation Trident.", "en",
         ("Europol", "supports", "Operation Trident")),
        # the members an organisation's "member countries, including" lists
        ("Investigators from ASEANAPOL member countries, including Cambodia and Laos, were trained.", "en",
         ("Laos", "memberOf", "ASEANAPOL")),
        ("Italy and Romania are both Member States of the European Union.", "en",
         ("Romania", "memberOf", "European Union")),
        # the whole name before the participle, not the organisation named inside it
        ("Le Bureau régional d'INTERPOL pour l'Afrique centrale, basé à Yaoundé, assure le secrétariat.", "fr",
         ("Bureau régional d'INTERPOL pour l'Afrique centrale", "locatedIn", "Yaoundé")),
        ("Le Bureau régional d'INTERPOL pour l'Afrique centrale, basé à Yaoundé, assure le secrétariat.", "fr",
         ("Bureau régional d'INTERPOL pour l'Afrique centrale", "partOf", "INTERPOL")),
        # a body whose name says whose agency it is, the organisation named nowhere else
        ("Europol, l'agence de l'Union européenne pour la coopération des services répressifs, a coordonné "
         "l'opération.", "fr", ("Europol", "partOf", "Union européenne")),
        ("Operation Vesta was supported by the European Union Agency for Criminal Justice Cooperation (Eurojust).",
         "en", ("Eurojust", "partOf", "European Union")),
        ("Des représentants du Mécanisme de l'Union africaine pour la coopération policière (AFRIPOL) étaient "
         "présents.", "fr", ("AFRIPOL", "partOf", "Union africaine")),
        ("The ECOWAS Commission hosted the meeting in Abuja.", "en", ("ECOWAS Commission", "partOf", "ECOWAS")),
        # an initiative named head-last that only NER found, led by the organisation before the hyphen
        ("The UNODC-led Global Maritime Crime Programme held a workshop.", "en",
         ("UNODC", "leads", "Global Maritime Crime Programme")),
        ("AMERIPOL and the Europe Latin America Programme of Assistance against Transnational Organised Crime "
         "(EL PAcCTO), which is funded by the European Union, held a meeting.", "en",
         ("European Union", "supports", "EL PAcCTO")),
        # heads signing for their organisations, the organisation before or after each name
        ("INTERPOL Secretary General Jürgen Stock and AFRIPOL Executive Director Tarek Sharif signed a memorandum "
         "of understanding.", "en", ("AFRIPOL", "signsAgreementWith", "INTERPOL")),
        ("Jürgen Stock, secrétaire général d'INTERPOL, et Tarek Sharif, directeur exécutif d'AFRIPOL, ont signé un "
         "protocole d'accord.", "fr", ("AFRIPOL", "signsAgreementWith", "INTERPOL")),
        ("The memorandum of understanding was signed by INTERPOL Secretary General Jürgen Stock and AFRIPOL "
         "Executive Director Tarek Sharif.", "en", ("AFRIPOL", "signsAgreementWith", "INTERPOL")),
        ("The agreement was signed by Europol and Eurojust in The Hague.", "en",
         ("Eurojust", "signsAgreementWith", "Europol")),
        # who cooperates is who acts in the clause: the passive's agent, not the partner of an earlier "with"
        ("The operation was carried out by the Guardia Civil in cooperation with Europol.", "en",
         ("Guardia Civil", "cooperatesWith", "Europol")),
        ("L'opération Alba a été menée par la Guardia Civil en coopération avec Europol et en partenariat avec "
         "l'OMD.", "fr", ("Guardia Civil", "cooperatesWith", "OMD")),
        # what one does within an operation is taking part in it
        ("Frontex deployed officers to Greece as part of Operation Poseidon.", "en",
         ("Frontex", "participatesIn", "Operation Poseidon")),
        ("L'OMD et INTERPOL ont échangé des informations dans le cadre de l'opération Thunder.", "fr",
         ("OMD", "participatesIn", "opération Thunder")),
        # the acronym in parentheses stands for the whole name, not the organisation it starts with
        ("Training takes place at the OSCE Border Management Staff College (BMSC) in Dushanbe, Tajikistan, which is "
         "funded by the European Union.", "en", ("European Union", "supports", "OSCE Border Management Staff College")),
        ("Training takes place at the OSCE Border Management Staff College (BMSC) in Dushanbe, Tajikistan.", "en",
         ("OSCE Border Management Staff College", "locatedIn", "Dushanbe")),
        # the seat of a body named after its organisation, the organisation's name inside it
        ("Le Bureau central national d'INTERPOL à Madrid a transmis les informations.", "fr",
         ("Bureau central national d'INTERPOL", "locatedIn", "Madrid")),
        # a police body of the gazetteer, not "Police" taken for the one named before it
        ("Baptisée « Opération Cobalto », l'enquête a été menée par la Policía Nacional espagnole, avec la "
         "participation de la Police judiciaire fédérale belge.", "fr",
         ("Police judiciaire fédérale", "participatesIn", "Opération Cobalto")),
        # an operation that mobilised its participants; "l'opération" after a comma that follows an organisation
        # (not an initiative it would describe) refers to the operation named before
        ("L'opération « Calypso » a été lancée en mars. Coordonnée par la DNRED, rattachée à la DGDDI, l'opération a "
         "mobilisé la douane néerlandaise et le HM Revenue and Customs.", "fr",
         ("HM Revenue and Customs", "participatesIn", "opération « Calypso »")),
        ("L'opération « Calypso » a été lancée en mars. Coordonnée par la DNRED, rattachée à la DGDDI, l'opération a "
         "mobilisé la douane néerlandaise et le HM Revenue and Customs.", "fr",
         ("Direction nationale du renseignement et des enquêtes douanières", "leads", "opération « Calypso »")),
        ("Operation Kalahari Shield mobilised the Botswana Police Service at 52 border posts.", "en",
         ("Botswana Police Service", "participatesIn", "Operation Kalahari Shield")),
        # a relative clause naming who takes part in the initiative before it
        ("Le HCR agit dans le cadre du Plan régional d'aide aux réfugiés, auquel participent plus de quatre-vingts "
         "partenaires, dont le Programme alimentaire mondial (PAM) et l'UNICEF.", "fr",
         ("UNICEF", "participatesIn", "Plan régional d'aide aux réfugiés")),
        # "Taking part were A (country), B and C": in the initiative the sentence before named
        ("The agreement builds on Atlantic Sentinel, a maritime operation led by EFCA. Taking part were the Guardia "
         "Civil (Spain), the Portuguese Navy and the Irish Naval Service.", "en",
         ("Irish Naval Service", "participatesIn", "Atlantic Sentinel")),
        # who took part, listed after "partner agencies included" or an inverted "y ont pris part"
        ("The action, known as Operation Deep Current, was led by the FBI. Partner agencies included the National "
         "Crime Agency (NCA), the French Gendarmerie's Cyberspace Command and the Royal Canadian Mounted Police.",
         "en", ("Cyberspace Command", "participatesIn", "Operation Deep Current")),
        ("The action, known as Operation Deep Current, was led by the FBI. Partner agencies included the National "
         "Crime Agency (NCA), the French Gendarmerie's Cyberspace Command and the Royal Canadian Mounted Police.",
         "en", ("Royal Canadian Mounted Police", "participatesIn", "Operation Deep Current")),
        ("L'opération Aurora Nord a été coordonnée par l'OLAF. Parmi les agences participantes figuraient la Police "
         "nationale polonaise et Frontex.", "fr", ("Frontex", "participatesIn", "opération Aurora Nord")),
        ("Baptisée « Aurora Nord », l'opération s'est déroulée en janvier. Y ont pris part le Service des douanes "
         "de Lituanie et Frontex.", "fr", ("Service des douanes de Lituanie", "participatesIn", "« Aurora Nord »")),
        # an initiative named in apposition to its head, then alone; "co-funded" split by the tokenizer
        ("The Task Force launched a project, BALTIC-LINK, which will connect inspectorates. BALTIC-LINK is "
         "co-funded by the European Union. Its partners include the Lithuanian Police and the Estonian Police and "
         "Border Guard Board.", "en", ("European Union", "supports", "BALTIC-LINK")),
        ("The Task Force launched a project, BALTIC-LINK, which will connect inspectorates. BALTIC-LINK is "
         "co-funded by the European Union. Its partners include the Lithuanian Police and the Estonian Police and "
         "Border Guard Board.", "en", ("Lithuanian Police", "participatesIn", "BALTIC-LINK")),
        ("Europol worked in co-operation with Eurojust on the case.", "en", ("Europol", "cooperatesWith", "Eurojust")),
        # the members an organisation consists of
        ("The Council of the Baltic Sea States consists of ten Member States – Denmark, Estonia, Finland and Sweden – "
         "and the European Union.", "en", ("Finland", "memberOf", "Council of the Baltic Sea States")),
        ("La CEMAC est composée de six États : le Cameroun, le Congo, le Gabon et le Tchad.", "fr",
         ("Tchad", "memberOf", "Communauté économique et monétaire de l'Afrique centrale")),
        # support given with no "to": to the initiative just told of
        ("L'opération Aurora Nord a été coordonnée par l'OLAF. Europol a apporté un soutien analytique.", "fr",
         ("Europol", "supports", "opération Aurora Nord")),
        # a list whose closing conjunct names nothing known still lists the names before it
        ("Europol led Operation Harbour Watch in May. Taking part were the Portuguese Navy, the Irish Naval Service "
         "and France's maritime affairs directorate.", "en",
         ("Irish Naval Service", "participatesIn", "Operation Harbour Watch")),
        ("Operation Trident was supported by Europol, Eurojust, Frontex and several national customs services.", "en",
         ("Frontex", "supports", "Operation Trident")),
        ("L'opération Mistral a été soutenue par Europol, Eurojust, Frontex et plusieurs services douaniers "
         "nationaux.", "fr", ("Eurojust", "supports", "opération Mistral")),
        # a body introduced with its acronym, then the organisation it belongs to
        ("Funding was provided by the Bureau of International Narcotics and Law Enforcement Affairs (INL) of the "
         "U.S. Department of State.", "en",
         ("Bureau of International Narcotics and Law Enforcement Affairs", "partOf", "US Department of State")),
        # an apposition whose descriptor holds a hyphenated word
        ("Observers included the World Bank and MONEYVAL, the Council of Europe's anti-money laundering body.", "en",
         ("MONEYVAL", "partOf", "Council of Europe")),
        ("La Banque mondiale et le GAFI, l'organe anti-blanchiment de l'OCDE, coopèrent.", "fr",
         ("GAFI", "partOf", "OCDE")),
        # an organisation in a compound participle before the initiative it qualifies
        ("Brazil's Federal Police is a partner of the EU-funded Seaport Cooperation Project (SEACOP).", "en",
         ("European Union", "supports", "SEACOP")),
        ("Codenamed Operation Tidewater, the Europol-coordinated operation seized 3 tonnes.", "en",
         ("Europol", "leads", "Operation Tidewater")),
        # a possessive initiative belongs to the organisation just before it
        ("The exercise was funded by the Government of Canada through its Counter-Terrorism Capacity Building "
         "Program (CTCBP) and ran on a cyber range provided by the Inter-American Development Bank (IDB).", "en",
         ("Government of Canada", "leads", "Counter-Terrorism Capacity Building Program")),
        # who carried an operation out takes part in it; "with support from" supports it
        ("Operation Moonstone was carried out by the Guardia di Finanza and the Portuguese Tax and Customs "
         "Authority (AT), with support from Europol.", "en",
         ("Portuguese Tax and Customs Authority", "participatesIn", "Operation Moonstone")),
        ("Operation Moonstone was carried out by the Guardia di Finanza, with support from Europol.", "en",
         ("Europol", "supports", "Operation Moonstone")),
        # "shared with X by Y": Y gives X information
        ("Information on the yacht was also shared with the AFP by the US Drug Enforcement Administration (DEA).",
         "en", ("AFP", "exchangesInformationWith", "DEA")),
        ("Des informations ont été partagées avec Europol par la Guardia Civil.", "fr",
         ("Guardia Civil", "exchangesInformationWith", "Europol")),
        # countries listed as an organisation's member states, after or before the phrase
        ("The operation ran in nine of SARPCCO's sixteen member countries: Botswana, Eswatini, Lesotho and Malawi.",
         "en", ("Malawi", "memberOf", "Southern African Regional Police Chiefs Cooperation Organisation")),
        ("Teams from Barbados, Guyana and Jamaica, all of them CARICOM Member States, responded.", "en",
         ("Guyana", "memberOf", "CARICOM")),
        ("Le Bénin, le Burkina Faso et le Niger figurent parmi les 54 États membres de l'OIF.", "fr",
         ("Burkina Faso", "memberOf", "Organisation internationale de la Francophonie")),
        # a seat named after the body's acronym
        ("The course ended today at the headquarters of the European Fisheries Control Agency (EFCA) in Vigo.", "en",
         ("European Fisheries Control Agency", "locatedIn", "Vigo")),
        # "the Toronto-based Egmont Secretariat": the body's seat
        ("The Toronto-based Egmont Secretariat will support the incoming FIUs.", "en",
         ("Egmont Secretariat", "locatedIn", "Toronto")),
        # an organisation's possessive before an initiative
        ("Officers checked 4,300 vehicles through INTERPOL's I-24/7 secure police communications network.", "en",
         ("INTERPOL", "leads", "I-24/7")),
        # "both" needs no determiner to stand for the two named before
        ("Europol and Frontex signed an agreement. Both agencies will take part in Operation Sea Shield.", "en",
         ("Frontex", "participatesIn", "Operation Sea Shield")),
        # an exchange phrase with words slipped in
        ("Le RJE et Eurojust ont signé un protocole d'accord prévoyant l'échange régulier d'informations.", "fr",
         ("Réseau judiciaire européen", "exchangesInformationWith", "Eurojust")),
        ("Europol and Eurojust agreed on the exchange of operational information.", "en",
         ("Europol", "exchangesInformationWith", "Eurojust")),
        # a coordinated verb with no subject of its own shares the first verb's
        ("Kripos is a national unit of the Norwegian Police Service and is based in Oslo.", "en",
         ("Kripos", "locatedIn", "Oslo")),
        # an exchange told with a possessive, or as pooling
        ("La CUA et l'OACI ont signé un accord. Les deux organisations échangeront leurs données d'audit.", "fr",
         ("Commission de l'Union africaine", "exchangesInformationWith", "OACI")),
        ("Europol and Frontex signed an agreement. The two agencies will pool their intelligence on smuggling.", "en",
         ("Europol", "exchangesInformationWith", "Frontex")),
        # a name and its acronym set off by commas are one conjunct
        ("The Economic and Financial Crimes Commission, EFCC, and the Economic and Organised Crime Office, EOCO, of "
         "the Republic of Ghana have signed a memorandum of understanding.", "en",
         ("Economic and Financial Crimes Commission", "signsAgreementWith", "Economic and Organised Crime Office")),
        # what a body is, told with a copula
        ("Established in 1969, the TPC is a specialised unit of the Arma dei Carabinieri.", "en",
         ("TPC", "partOf", "Carabinieri")),
        ("Créée en 1999, l'OLAF est un service de la Commission européenne.", "fr",
         ("OLAF", "partOf", "Commission européenne")),
        # an initiative whose name starts with an organisation's
        ("The course is part of the EU Support Hub programme, funded by the European Commission.", "en",
         ("European Commission", "supports", "EU Support Hub")),
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
        # a cue word inside a name is no cue
        ("Des représentants du Mécanisme de l'Union africaine pour la coopération policière (AFRIPOL) et "
         "d'INTERPOL étaient présents.", "fr"),
    ],
)
def test_relations_co_occurrence_is_not_a_relation(text: str, lang: str) -> None:
    named = {("AFRIPOL", "partOf", "Union africaine")}  # what the name itself says, not a co-occurrence
    assert not {t for t in triples(run(text, lang)) if t[1] != "locatedIn" and t not in named}


def test_relations_carry_confidence_and_rule() -> None:
    ex = run("Operation Pangea was coordinated by INTERPOL.", "en")
    (rel,) = ex.relations
    assert 0 < rel.confidence <= 1 and rel.rule.startswith("en-coordinate")


def test_relations_dateline_gives_city_in_country() -> None:
    from conftest import run_article

    ex = run_article("12 May 2023\n\nA title\n\nVIENNA (Austria) – The OSCE met.\n", "en")
    assert ("Vienne", "locatedIn", "Autriche") in triples(ex) or ("Vienna", "locatedIn", "Austria") in triples(ex)


@pytest.mark.parametrize(
    ("text", "lang", "wrong"),
    [
        # the participle qualifies the name just before it, not the whole list
        ("AMERIPOL and the Amazon Cooperation Treaty Organization (ACTO), based in Brasília, signed a memorandum.",
         "en", ("AMERIPOL", "locatedIn", "Brasília")),
        # the agent of a passive in mid-sentence is not the subject of what follows it
        ("Le programme est financé par l'Union européenne et sera mis en œuvre avec l'appui de la Commission "
         "de la CEDEAO.", "fr", ("Union européenne", "supports", "Commission de la CEDEAO")),
        ("L'opération Alba a été menée par la Guardia Civil en coopération avec Europol et en partenariat avec "
         "l'OMD.", "fr", ("Europol", "cooperatesWith", "OMD")),
        # the organisation named inside an agency's name is not the agent
        ("Operation Vesta was supported by the European Union Agency for Criminal Justice Cooperation (Eurojust).",
         "en", ("European Union", "supports", "Operation Vesta")),
        # a place has no headquarters: the organisation before it does
        ("The President of Eurojust received the Prosecutor General of Moldova at the agency's headquarters in "
         "The Hague.", "en", ("Moldova", "locatedIn", "The Hague")),
        # a word of a name is no trigger: "Fund" in "International Monetary Fund"
        ("Observers included the Financial Action Task Force (FATF), the International Monetary Fund (IMF) and the "
         "World Bank.", "en", ("FATF", "supports", "World Bank")),
        # what an operation mobilised is its direct object, not an organisation further on
        ("Operation Kalahari Shield mobilised police officers at 52 border posts in nine of SARPCCO's member "
         "countries.", "en", ("SARPCCO", "participatesIn", "Operation Kalahari Shield")),
        # a participle qualifying an unnamed noun ("une opération conjointe") says nothing of the initiative
        # named in the sentence before, though the sentence opens with a pronoun
        ("Les deux services échangent des informations dans le cadre du programme EL PAcCTO. Ils participeront à "
         "une opération conjointe coordonnée par Europol.", "fr", ("Europol", "leads", "EL PAcCTO")),
        # a name in a compound adjective is no clause's subject
        ("An Europol-led investigation involving the Guardia Civil has dismantled a network.", "en",
         ("Guardia Civil", "memberOf", "Europol")),
        ("Brazil's Federal Police is a partner of the EU-funded Seaport Cooperation Project (SEACOP).", "en",
         ("Federal Police", "supports", "SEACOP")),
        # "with support from" is no "support" of the names before it
        ("Operation Moonstone was carried out by the Guardia di Finanza, with support from Europol.", "en",
         ("Guardia di Finanza", "supports", "Europol")),
        # a name that qualifies a noun ("the INTERPOL bureau") is not what the compound places
        ("The Harare-based INTERPOL bureau briefed police chiefs.", "en", ("INTERPOL", "locatedIn", "Harare")),
        # a singular apposition describes the last conjunct only
        ("Observers included the World Bank and MONEYVAL, the Council of Europe's anti-money laundering body.", "en",
         ("World Bank", "partOf", "Council of Europe")),
        # who took part in a meeting told just before took part in no initiative told earlier
        ("Operation Aurora was led by Europol. A conference was then held in Rome. Experts from Eurojust and Frontex "
         "took part.", "en", ("Frontex", "participatesIn", "Operation Aurora")),
        ("Operation Aurora was led by Europol.\n\nExperts from Eurojust and Frontex took part.", "en",
         ("Frontex", "participatesIn", "Operation Aurora")),
        ("Kripos is a national unit of the Norwegian Police Service and is based in Oslo.", "en",
         ("Norwegian Police Service", "locatedIn", "Oslo")),
        ("The course is part of the EU Support Hub programme, funded by the European Commission.", "en",
         ("European Commission", "supports", "European Union")),
        # the organisation a body is named after is part of the body's name, not a conjunct of its own
        ("The OSCE General Secretariat and Europol will share threat information.", "en",
         ("OSCE", "exchangesInformationWith", "Europol")),
    ],
)
def test_relations_rule_does_not_overreach(text: str, lang: str, wrong: tuple[str, str, str]) -> None:
    assert wrong not in triples(run(text, lang))


@pytest.mark.parametrize(
    ("text", "lang"),
    [
        ("Assets worth EUR 2.8 million were seized by Europol.", "en"),
        ("The Directorate for Investigating Organised Crime and Terrorism (DIICOT) acted.", "en"),
    ],
)
def test_relations_amounts_and_name_parts_are_no_entities(text: str, lang: str) -> None:
    ex = run(text, lang)
    labels = {e.label for e in ex.entities}
    assert not any("2.8" in x for x in labels)
    assert not any(e.type == "Topic" for e in ex.entities), labels


def test_relations_headline_operation_targets_the_headline_crime() -> None:
    from conftest import run_article

    ex = run_article("8 November 2022\n\nHuman trafficking network dismantled\n\nTHE HAGUE – Operation Vesta, "
                     "led by Eurojust, ended with 19 arrests.\n", "en")
    assert ("Operation Vesta", "targets", "trafficking in human beings") in triples(ex)


def test_relations_headline_rule_needs_a_single_operation() -> None:
    from conftest import run_article

    ex = run_article("8 November 2022\n\nHuman trafficking network dismantled\n\nTHE HAGUE – Operation Vesta and "
                     "Operation Aurora, led by Eurojust, ended with 19 arrests.\n", "en")
    assert not {t for t in triples(ex) if t[1] == "targets"}


def test_relations_fronted_participle_clause_agent_supports_the_subject() -> None:
    ex = run("Le projet CyberBridge a été lancé. Doté de 8 millions d'euros et cofinancé par l'Union européenne et "
             "le Conseil de l'Europe, ce projet aidera les pays d'Afrique.", "fr")
    assert ("Union européenne", "supports", "projet CyberBridge") in triples(ex)
