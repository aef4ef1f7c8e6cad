"""Posts from appositions in either order, coordinated titles, both languages."""

from __future__ import annotations

import pytest
from conftest import label_of, run


def posts_of(text: str, lang: str) -> set[tuple[str, str, str]]:
    ex = run(text, lang)
    lab = label_of(ex)
    return {(lab[p.person], p.title, lab[p.org]) for p in ex.posts}


@pytest.mark.parametrize(
    ("text", "lang", "expected"),
    [
        ("Le Secrétaire Général d'INTERPOL, M. Jürgen Stock, a rencontré la presse.", "fr",
         {("Jürgen Stock", "Secrétaire Général", "INTERPOL")}),
        ("Mme Federica Mogherini, Haut représentant de l'Union européenne pour les Affaires étrangères et la "
         "politique de sécurité et également Vice-président de la Commission européenne, a parlé.", "fr",
         {("Federica Mogherini", "Haut représentant", "Union européenne"),
          ("Federica Mogherini", "Vice-président", "Commission européenne")}),
        ("Graeme Biggar, Director General of the National Crime Agency, said the operation worked.", "en",
         {("Graeme Biggar", "Director General", "National Crime Agency")}),
        ("Europol's Executive Director, Catherine De Bolle, welcomed the results.", "en",
         {("Catherine De Bolle", "Executive Director", "Europol")}),
        # a rank with its article between the organisation and the name
        ("Mme Favre et le commandant général de la Guardia di Finanza, le général de corps d'armée Giuseppe Ferri, "
         "ont signé.", "fr", {("Giuseppe Ferri", "commandant général", "Guardia di Finanza")}),
        # a list of title-name pairs: each name goes with the title before it
        ("The MoUs were signed by the Commissioner of Europol, Mr Alan Cheung, the Chief Commissioner of the MACC, "
         "Datuk Seri Rahman Ismail, and the Chairman of the KPK, Mr Budi Santoso.", "en",
         {("Alan Cheung", "Commissioner", "Europol"),
          ("Rahman Ismail", "Chief Commissioner", "Malaysian Anti-Corruption Commission"),
          ("Budi Santoso", "Chairman", "Corruption Eradication Commission")}),
        # a word before the title qualifies it ("Senior", "Acting"): the post is the title's
        ("Katrin Albers, Senior Public Prosecutor at the Bundeskriminalamt, said the case was closed.", "en",
         {("Katrin Albers", "Public Prosecutor", "Bundeskriminalamt")}),
        ("Frontex's Acting Executive Director, Anna Berg, spoke.", "en",
         {("Anna Berg", "Executive Director", "Frontex")}),
        # a post given by an election or appointment
        ("Tonga Police Commissioner Siaosi Fifita was elected Chair of AFRIPOL for a two-year term.", "en",
         {("Siaosi Fifita", "Chair", "AFRIPOL"), ("Siaosi Fifita", "Police Commissioner", "Tonga Police")}),
        ("Mme Awa Diallo a été nommée au poste de directrice exécutive d'AFRIPOL.", "fr",
         {("Awa Diallo", "directrice exécutive", "AFRIPOL")}),
        # the possessive names the organisation, not a place phrase after the name
        ("The minister received Europol's Executive Director, Catherine De Bolle, at the EPPO's offices.", "en",
         {("Catherine De Bolle", "Executive Director", "Europol")}),
        ("La directrice exécutive par intérim d'AFRIPOL, Mme Awa Diallo, a signé.", "fr",
         {("Awa Diallo", "directrice exécutive", "AFRIPOL")}),
        # a unit inside the organisation's name, a rank before the name, a place in the qualifier
        ("La réunion était présidée par le chef de la Division cybercriminalité d'AFRIPOL, M. Ibrahim Sow.", "fr",
         {("Ibrahim Sow", "chef", "AFRIPOL")}),
        ("It was opened by AMERIPOL's Executive Secretary, Colonel Ricardo Mendes, and the Ambassador of the "
         "European Union to Colombia, Gilles Bertrand.", "en",
         {("Ricardo Mendes", "Executive Secretary", "AMERIPOL"),
          ("Gilles Bertrand", "Ambassador", "European Union")}),
        # the organisation before the title, then a second title
        ("Vladimir Voronkov, UN Under-Secretary-General and head of UNOCT, welcomed the plan.", "en",
         {("Vladimir Voronkov", "Under-Secretary-General", "United Nations"),
          ("Vladimir Voronkov", "head", "United Nations Office of Counter-Terrorism")}),
        # a minister's title names the ministry
        ("Le 17 janvier, le ministre de l'Intérieur et des Outre-mer, Gérald Darmanin, s'est rendu à Nanterre.",
         "fr", {("Gérald Darmanin", "ministre de l'Intérieur", "Ministère de l'Intérieur et des Outre-mer")}),
        ("Bujar Osmani, OSCE Chairman-in-Office and Minister of Foreign Affairs of North Macedonia, spoke.", "en",
         {("Bujar Osmani", "Chairman-in-Office", "OSCE"),
          ("Bujar Osmani", "Minister of Foreign Affairs", "Ministry of Foreign Affairs of North Macedonia")}),
        # a plain "ministre" with a nationality and a portfolio: the ministry the article names
        ("Le Conseil de l'Europe travaille avec le ministère roumain de la Justice. Mme Burić s'est entretenue "
         "avec la ministre roumaine de la Justice, Alina Gorghiu.", "fr",
         {("Alina Gorghiu", "ministre", "ministère roumain de la Justice")}),
        ("Il s'est entretenu avec le ministre de l'Intérieur, Gérald Darmanin.", "fr",
         {("Gérald Darmanin", "ministre de l'Intérieur", "Ministère de l'Intérieur")}),
        # a name NER misses, in apposition after the title and its organisation
        ("Ms Gale also met the Director of the Commercial Crime Investigation Department of the Royal Malaysia "
         "Police, Ramli Mohamed Yoosuf.", "en",
         {("Ramli Mohamed Yoosuf", "Director",
           "Commercial Crime Investigation Department of the Royal Malaysia Police")}),
        # a police rank between the title and the name
        ("It was signed by ASEANAPOL Executive Director Police Major General Jaime Santos.", "en",
         {("Jaime Santos", "Executive Director", "ASEANAPOL")}),
        # the unit's parent, the unit named with the region it serves
        ("Abdou Gnon, directeur du Bureau régional du HCR pour l'Afrique de l'Ouest et du Centre, a parlé.", "fr",
         {("Abdou Gnon", "directeur", "HCR")}),
        # the longest name, and the unit a possessive names
        ("Rudy Hartono, Executive Director of the ASEANAPOL Secretariat, said so.", "en",
         {("Rudy Hartono", "Executive Director", "ASEANAPOL Secretariat")}),
        # a second name in apposition before its title, which NER missed: no second post for the first name
        ("Jürgen Stock, secrétaire général d'INTERPOL, et Tarek Sharif, directeur exécutif d'AFRIPOL, ont signé.",
         "fr", {("Jürgen Stock", "secrétaire général", "INTERPOL"), ("Tarek Sharif", "directeur exécutif", "AFRIPOL")}),
        # the title, the name, then the organisation
        ("Chief Constable Jo Farrell of Police Scotland spoke at the conference.", "en",
         {("Jo Farrell", "Chief Constable", "Police Scotland")}),
        ("Secretary General Jürgen Stock met Executive Director Catherine De Bolle of Europol.", "en",
         {("Catherine De Bolle", "Executive Director", "Europol")}),
        # titles of the lexicon's later entries: administrator, representative, secretary
        ("Il a reçu M. Koen Verhaegen, administrateur général de l'Administration générale des douanes et accises.",
         "fr", {("Koen Verhaegen", "administrateur général", "Administration générale des Douanes et Accises")}),
        ("Elle était accompagnée de la représentante de l'UNICEF, Mme Sofia Berg.", "fr",
         {("Sofia Berg", "représentante", "UNICEF")}),
        # a title followed by a name of its own that is no known entity does not share the next title's
        # organisation; a camel-case acronym defined in parentheses is a name
        ("Le Réseau ibéro-américain de coopération juridique internationale (IberRed) a signé. Le texte a été "
         "paraphé par Mme Ana Ruiz, secrétaire générale de l'IberRed, et par le secrétaire du RJE, M. Lukas Berger.",
         "fr", {("Ana Ruiz", "secrétaire générale", "Réseau ibéro-américain de coopération juridique internationale"),
                ("Lukas Berger", "secrétaire", "Réseau judiciaire européen")}),
        # a piece of the name NER called an organisation; a name after a reporting verb; the person's own
        # title before the name; a delegation named after its organisation and the country it is sent to
        ("Portugal's Unidade de Informação Financeira (UIF) hosted it. The agreement was signed by the Director of "
         "the UIF, Teresa Calado, and by others.", "en",
         {("Teresa Calado", "Director", "Unidade de Informação Financeira")}),
        ('"Criminal syndicates do not respect borders," said Lerato Dlamini, Head of the INTERPOL Regional Bureau.',
         "en", {("Lerato Dlamini", "Head", "INTERPOL Regional Bureau")}),
        ("It was signed in the presence of the Head of the EU Delegation to Moldova, Ambassador Tomasz Wierzbicki.",
         "en", {("Tomasz Wierzbicki", "Head", "EU Delegation to Moldova")}),
        # a verb of the lexicon names the post; a body headed by a title and its holder
        ("The arrangement was signed by Ivana Horvat, who heads the Lisbon-based European Maritime Safety Agency "
         "(EMSA).", "en", {("Ivana Horvat", "Head", "European Maritime Safety Agency")}),
        ("Commissioner Carlene Thompson, who heads the Guyana Police Force and currently chairs the Association of "
         "Caribbean Commissioners of Police (ACCP), spoke.", "en",
         {("Carlene Thompson", "Head", "Guyana Police Force"),
          ("Carlene Thompson", "Chair", "Association of Caribbean Commissioners of Police")}),
        ("The Toronto-based Egmont Secretariat, headed by Executive Secretary Jérôme Kasongo, will help.", "en",
         {("Jérôme Kasongo", "Executive Secretary", "Egmont Secretariat")}),
        # what the possessive owns is headed, not its owner
        ('"Criminals exploit every gap," said Mr Karimipour, who heads UNODC\'s Bangkok-based Regional Office.', "en",
         set()),
        ("He met Superintendent Kenji Morita, who heads the NPA's National Cyber Unit, in Tokyo.", "en",
         {("Kenji Morita", "Head", "National Cyber Unit")}),
        # a country's possessive between the verb and the organisation; a name the NER calls an organisation
        ("The talks were held with Amélia Nhantumbo, who heads Mozambique's Ministry of Land and Environment.", "en",
         {("Amélia Nhantumbo", "Head", "Ministry of Land and Environment")}),
        ('"Wildlife crime is organized crime," said Helena Varga, World Bank Country Director for Mozambique.', "en",
         {("Helena Varga", "Director", "World Bank")}),
        # a title after a possessive is at the organisation it refers back to; "Executive" qualifies a title
        ("La Police nationale togolaise a envoyé une délégation conduite par son directeur général, le colonel "
         "Kodjo Amévor.", "fr", {("Kodjo Amévor", "directeur général", "Police nationale togolaise")}),
        ("It comes days after Secret Service Director Kevin Hartley hosted EFCC Executive Chairman Abubakar Lawal "
         "at the agency's headquarters in Washington on Monday.", "en",
         {("Kevin Hartley", "Director", "US Secret Service"),
          ("Abubakar Lawal", "Chairman", "Economic and Financial Crimes Commission")}),
        # whom a title's holder meets is not the holder
        ("En marge de la plénière, la présidente du GAFI s'est entretenue avec M. Boubacar Koné, directeur général "
         "du GIABA.", "fr", {("Boubacar Koné", "directeur général", "GIABA")}),
        # the post an appointment names with its link alone
        ("Le président a annoncé la nomination du contre-amiral Jean-Baptiste Mavoungou au poste de directeur du "
         "CRESMAC.", "fr", {("Jean-Baptiste Mavoungou", "directeur", "Centre régional de sécurité maritime de "
                                                                       "l'Afrique centrale")}),
        # the organisation's acronym in parentheses between it and the name
        ("Le directeur de l'Office anti-stupéfiants (OFAST), Stéphanie Lenoir, a reçu la presse.", "fr",
         {("Stéphanie Lenoir", "directeur", "Office anti-stupéfiants")}),
        # a name NER calls an organisation, in apposition after a title
        ("The Minister of the Interior of Italy, Matteo Piantedosi, welcomed the agreement.", "en",
         {("Matteo Piantedosi", "Minister of the Interior", "Ministry of the Interior of Italy")}),
        ("Le texte a été paraphé par Mme Ana Ruiz, secrétaire générale de la Fondation Xyzzy, et par le secrétaire "
         "du RJE, M. Lukas Berger.", "fr", {("Lukas Berger", "secrétaire", "Réseau judiciaire européen"),
                                            ("Ana Ruiz", "secrétaire générale", "Fondation Xyzzy")}),
        # a second post stated by a copula in a relative clause; a conjunct after a title is not its holder
        ("The memorandum was signed by Karim Fassi, Under-Secretary-General of UNOCT, who also serves as Executive "
         "Director of the United Nations Counter-Terrorism Centre (UNCCT), and by Grace Mensah.", "en",
         {("Karim Fassi", "Under-Secretary-General", "United Nations Office of Counter-Terrorism"),
          ("Karim Fassi", "Executive Director", "United Nations Counter-Terrorism Centre")}),
        ("M. Alioune Ndiaye, qui est également président de l'Association internationale des procureurs (AIPPF), "
         "a pris la parole.", "fr",
         {("Alioune Ndiaye", "président", "Association internationale des procureurs")}),
        # a body of an organisation with a one-word name, named organisation first
        ("The memorandum was signed by Dr Grace Mensah, Deputy Secretary-General of the Commonwealth Secretariat.",
         "en", {("Grace Mensah", "Deputy Secretary-General", "Commonwealth Secretariat")}),
        # a title at an organisation ("à la", "at"), and a title, a name, then its organisation after a comma
        ("« Chaque arme compte », a déclaré l'inspecteur-chef Martin Gagnon, directeur des enquêtes sur le crime "
         "organisé à la Sûreté du Québec.", "fr", {("Martin Gagnon", "directeur", "Sûreté du Québec")}),
        ("Sarah Lee, Director of Operations at Europol, spoke.", "en", {("Sarah Lee", "Director", "Europol")}),
        ("Selon la commandante Isabelle Thériault, du SPVM, une quarantaine des armes avaient servi.", "fr",
         {("Isabelle Thériault", "commandante", "SPVM")}),
        # the organisation before the title, the title's qualifier after it, then the name
        ('"It is a highway with police at every exit," said AFP Assistant Commissioner for International '
         "Operations, Rachel Moore.", "en", {("Rachel Moore", "Assistant Commissioner", "AFP")}),
        # a topic inside a unit's name
        ("Detective Superintendent Tom Walker, who heads the National Organised Crime Group, spoke.", "en",
         {("Tom Walker", "Head", "National Organised Crime Group")}),
        # a rank with a title's word in it between the post and the name
        ("Le directeur général de la Gendarmerie nationale, le contrôleur général Paul Girard, a parlé.", "fr",
         {("Paul Girard", "directeur général", "Gendarmerie nationale")}),
        ("Le directeur général de la Gendarmerie nationale, le général de police Paul Girard, a parlé.", "fr",
         {("Paul Girard", "directeur général", "Gendarmerie nationale")}),
    ],
)
def test_posts_from_appositions(text: str, lang: str, expected: set[tuple[str, str, str]]) -> None:
    assert posts_of(text, lang) == expected


@pytest.mark.parametrize(("text", "lang", "alias"), [
    ("Il a rencontré le ministre roumain de l'Intérieur, Cătălin Predoiu, à Bucarest.", "fr",
     "ministre roumain de l'Intérieur"),
    ("She met the Minister of Foreign Affairs of North Macedonia, Bujar Osmani.", "en",
     "Minister of Foreign Affairs of North Macedonia"),
])
def test_posts_a_ministers_title_as_written_is_its_alias(text: str, lang: str, alias: str) -> None:
    """The title as the text writes it, from the title on; never the ministry's name glued to the title."""
    (post,) = run(text, lang).posts
    assert post.title_aliases == (alias,)


def test_posts_title_name_of_org_alias_leaves_the_name_out() -> None:
    (post,) = run("Commissioner Mark Rowley of the Metropolitan Police Service spoke at the conference.", "en").posts
    assert post.title_aliases == ("Commissioner of the Metropolitan Police Service",)


def test_posts_a_title_without_organisation_is_not_a_post() -> None:
    assert posts_of("Le Secrétaire Général Stock a souligné la capacité du service.", "fr") == set()


def test_posts_carry_their_sentence_as_evidence() -> None:
    text = "Ils ont parlé. Graeme Biggar, Director General of the National Crime Agency, said so."
    ex = run(text, "en")
    (post,) = ex.posts
    assert text[post.evidence.start:post.evidence.end] == post.evidence.quote
    assert post.evidence.quote.startswith("Graeme Biggar")
