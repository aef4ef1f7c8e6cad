"""Posts: who holds which title in which organisation, from appositions in either order.

A title (from the title lexicon) finds its organisation ("de l'ONUDC", "of the NCA",
"AMERIPOL's", "UNODC Regional Representative") and its holder: the person it is in
apposition with ("Mme X, directrice de ...", "le directeur de X, M. Y", "Deputy Director
Anna Forbes"), or the holder of the title before it in a coordination ("X, Haut
représentant de l'UE ... et également Vice-président de la Commission").
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache
from typing import Any

from kg.gazetteer import fold, honorifics, known_entities, lexicon, titles, word_alternation
from kg.mentions import Sentences, names_parent
from kg.model import Article, Entity, Evidence, Mention, Post

MAX_QUALIFIER_WORDS = 12


@dataclass(frozen=True)
class Item:
    """A mention in sentence order with the key of its entity (titles keep their title id)."""

    kind: str  # Person, Organization, Title, other entity types
    mention: Mention
    key: str


def evidence_for(article: Article, sents: Sentences, i: int) -> Evidence:
    """The whole sentence ``i`` as evidence, quoted from the original text."""
    start, end = sents.span(i)
    return Evidence(article.id, article.text[start:end], start, end)


@cache
def _gaps(lang: str) -> dict[str, re.Pattern[str]]:
    lex = lexicon(lang)
    of = word_alternation(lex["of_connectors"])
    gen = word_alternation(lex["genitive_connectors"])
    det = word_alternation(lex["determiners"])
    hon = word_alternation([*honorifics().get(lang, []), *lex["ranks"]])
    both = word_alternation(lex["and_connectors"])
    at = word_alternation(lex["post_at_connectors"])
    premod = word_alternation(lex["title_premodifiers"])
    word = r"[\w'’\-]+"
    # words that qualify a title: "exécutif par intérim", "régional ... pour l'Afrique", "aux Affaires
    # politiques, à la Paix et à la Sécurité" (a comma only before the lexicon's qualifier_comma_words)
    # (each word after a space: with "\s*" a long word could be cut anywhere, which backtracks exponentially)
    comma = word_alternation(lex["qualifier_comma_words"])
    qual = rf"(?:(?:\s*,(?=\s*(?:{comma})\b))?\s+{word}){{0,{MAX_QUALIFIER_WORDS}}}?"
    return {
        "of": re.compile(rf"^\s*(?:{of})\s*(?:(?:{det})\s*)?$", re.I),
        # "directeur des enquêtes à la Sûreté du Québec", "procureur général près la Cour d'appel"
        "title_org": re.compile(rf"^{qual}\s+(?:{gen}|{at})\s*(?:(?:{det})\s*)?$|^\s*(?:d|l)['’]\s*$", re.I),
        "person_of": re.compile(rf"^\s*,?\s*(?:{of})\s*(?:(?:{det})\s*)?$", re.I),
        "org_person": re.compile(rf"^{qual}\s*,?\s*(?:(?:{det})\s*)?(?:(?:{hon})\.?\s+)*$", re.I),
        # "Katrin Albers, Senior Public Prosecutor at ...": a word that qualifies the title, not part of it
        "person_title": re.compile(rf"^\s*,\s*(?:(?:{det})\s*|l['’])?(?:(?:{premod})\s+)?$", re.I),
        "org_title": re.compile(rf"^\s*(?:['’]s)?\s*(?:(?:{premod})\s+)?$", re.I),
        "possessive": re.compile(r"^\s*['’]s\s+$"),
        "org_possessive": re.compile(rf"(?:^|\s)(?i:{word_alternation(lex['possessives'])})\s+$"),
        "title_title": re.compile(rf"(?:^|[\s,])(?:{both})(?:\s|$)", re.I),
        "trailing_of": re.compile(rf"\s+(?:{gen})\s*$"),
        "title_person": re.compile(rf"^\s*,?\s*(?:(?:{det})\s*)?(?:(?:{hon})\.?\s+)*$", re.I),
        "and": re.compile(rf"(?:^|[\s,])(?:{both})(?:\s|$)", re.I),
        "and_first": re.compile(rf"^\s*,?\s*(?:{both})(?:\s|$)", re.I),
        # "la présidente du GAFI s'est entretenue avec M. X": whom the holder meets, not the holder
        "partner_before": re.compile(rf"\b(?:{word_alternation(lex['comitative_prepositions'])})\s+"
                                     rf"(?:(?:{det})\s*)?(?:(?:{hon})\.?\s+)*$", re.I),
        # "Karim El-Fassi, who also serves as Executive Director of ...": the title is the person's
        "person_who_title": re.compile(
            rf"^\s*,\s*(?:{word_alternation(lex['relative_pronouns'])})\s+(?:\w+\s+)?"
            rf"(?:{word_alternation(lex['holder_copulas'])})\s+(?:(?:{det})\s*)?$", re.I),
        # "Siaosi Fifita was elected Chair of PICP", "Mme X a été nommée directrice de ...": the post it gives;
        # "la nomination de X au poste de directeur du CRESMAC": the link alone says it
        "person_appointed": re.compile(
            rf"^\s*,?\s*(?:(?:{word_alternation(lex['appointment_phrases'])})\s+"
            rf"(?:(?:{word_alternation(lex['appointment_links'])})\s+)?|(?:{word_alternation(lex['post_links'])})\s+)"
            rf"(?:(?:{det})\s*)?$", re.I),
        # "secrétaire générale de l'IberRed, et ...": a name of its own after the title, known or not
        "own_name": re.compile(rf"^\s*(?i:{gen})\s*(?:(?i:{det})\s*)?[A-ZÀ-Ý]"),
    }


def sentence_items(mentions: list[Mention], entities: list[Entity]) -> dict[int, list[Item]]:
    """Mentions grouped by sentence, in text order, each with its entity's key and type."""
    of = {(m.start, m.end): e for e in entities for m in e.mentions}
    out: dict[int, list[Item]] = {}
    for m in sorted(mentions, key=lambda m: m.start):
        if m.source == "named-parent":  # a name inside a name: it gives the body's partOf, nothing else
            continue
        if m.type == "Title":
            out.setdefault(m.sent, []).append(Item("Title", m, m.key or ""))
        elif (m.start, m.end) in of:
            e = of[(m.start, m.end)]
            out.setdefault(m.sent, []).append(Item(e.type, m, e.key))
    return out


def _title_org(items: list[Item], i: int, text: str, gaps: dict[str, re.Pattern[str]]) -> Item | None:
    """The organisation a title belongs to: after it ("de l'ONUDC"), or just before it
    ("AMERIPOL's Executive Secretary", "UNODC Regional Representative")."""
    t = items[i]
    if i > 0 and items[i - 1].kind == "Organization" and gaps["possessive"].match(
            text[items[i - 1].mention.end:t.mention.start]):  # "OLAF's Director-General, Jonas Berg, at the EPPO"
        return items[i - 1]
    if _title_person_of_org(items, i, text, gaps):  # "Chief Constable Jo Farrell of Police Scotland"
        return items[i + 2]
    ministry = next((it for it in items if it.mention.source == "ministry" and it.mention.start == t.mention.start),
                    None)
    if ministry is not None:  # "ministre de l'Intérieur": the ministry its title names
        return ministry
    for k, it in enumerate(items[i + 1:], start=i + 1):
        if it.kind in ("Person", "Title"):
            break
        if it.kind == "Organization" and gaps["title_org"].match(text[t.mention.end:it.mention.start]):
            # the longest name starting there ("ASEANAPOL Secretariat", not "ASEANAPOL")
            same = [o for o in items[k:] if o.kind == "Organization" and o.mention.start == it.mention.start]
            it = max(same, key=lambda o: o.mention.end)
            # "head of the NCA's National Cyber Crime Unit": the unit the possessive names
            owned = next((o for o in items if o.kind == "Organization" and o.mention.start > it.mention.end
                          and gaps["org_title"].match(text[it.mention.end:o.mention.start])
                          and text[it.mention.end:o.mention.start].strip()), None)
            return owned or it
        if it.kind == "Organization":
            break
    if i > 0 and items[i - 1].kind == "Organization" and gaps["org_title"].match(
            text[items[i - 1].mention.end:t.mention.start]):
        return items[i - 1]
    if gaps["org_possessive"].search(text, max(0, t.mention.start - 8), t.mention.start):
        # "une délégation de la Police nationale togolaise conduite par son directeur général, le colonel X"
        return next((it for it in reversed(items[:i]) if it.kind == "Organization"), None)
    return None


def extract_posts(article: Article, mentions: list[Mention], entities: list[Entity],
                  sents: Sentences) -> list[Post]:
    """Posts stated in apposition: person, title and organisation in one phrase."""
    gaps = _gaps(article.lang)
    text = article.text
    unit_heads = tuple(fold(h) for h in lexicon(article.lang)["unit_heads"])
    found: dict[tuple[str, str, str], Post] = {}
    for sent, items in sentence_items(mentions, entities).items():
        holder: dict[int, Item] = {}
        orgs: dict[int, Item | None] = {}
        for i, it in enumerate(items):
            if it.kind == "Title":
                orgs[i] = _title_org(items, i, text, gaps)
        # a title without its own organisation shares the next one's ("National Member for Italy
        # and Vice-President of Eurojust")
        for i in sorted(orgs, reverse=True):
            nxt = next((j for j in sorted(orgs) if j > i), None)
            gap = text[items[i].mention.end:items[nxt].mention.start] if nxt is not None else ""
            own = gaps["own_name"].match(gap) and not any(
                items[k].kind == "Place" and items[k].key in known_entities() for k in range(i + 1, nxt or 0))
            if orgs[i] is None and nxt is not None and gaps["and"].search(gap) and not own and all(
                    items[k].kind != "Person" for k in range(i + 1, nxt)):
                orgs[i] = orgs[nxt]
        for i in sorted(orgs):
            person = _holder(items, i, orgs[i], text, gaps, holder)
            if person is not None:
                holder[i] = person
        for i, person in holder.items():
            org = orgs[i]
            if org is None:
                continue
            title = items[i]
            unit_title = ""
            parent = _parent_of_unit(org, items, unit_heads, text, article.lang)
            if parent is not None:  # "directrice de la Division des opérations de l'ONUDC" -> ONUDC
                unit_title = text[title.mention.start:parent.mention.start]
                unit_title = gaps["trailing_of"].sub("", unit_title.strip())
                org = parent
            label = title.mention.text
            # "ministre de l'Intérieur de la Roumanie", or a ministry the title names ("ministre roumain de
            # l'Intérieur"): the text from the title on; "UNODC Regional Representative": the org, then the title
            full = text[title.mention.start:max(org.mention.end, title.mention.end)] \
                if org.mention.start >= title.mention.start else f"{org.mention.text} {label}"
            if title.mention.end <= person.mention.start and person.mention.end <= org.mention.start:
                full = label + re.sub(r"^\s*,", "", text[person.mention.end:org.mention.end])  # the title of, no name
            aliases = tuple(a for a in dict.fromkeys([re.sub(r"\s+", " ", x).strip() for x in (full, unit_title) if x])
                            if a != label)
            k = (person.key, title.key, org.key)
            if k not in found:
                found[k] = Post(person.key, label, org.key, evidence_for(article, sents, sent), title.key,
                                aliases, 0.9, "apposition")
        for post in _stated_by_verb(article, items, sents, sent):
            found.setdefault((post.person, post.title_key, post.org), post)
    return sorted(found.values(), key=lambda p: (p.person, p.title_key, p.org))


def _stated_by_verb(article: Article, items: list[Item], sents: Sentences, sent: int) -> list[Post]:
    """"Ivana Horvat, who heads the Lisbon-based EMSA" (a post the lexicon's verb names), and "the Egmont
    Secretariat, headed by Executive Secretary Jérôme Kasongo" (the title before the name)."""
    verbs = lexicon(article.lang)["holder_verbs"]
    who, by, and_who = _holder_patterns(article.lang)
    text = article.text
    out = []
    for k, a in enumerate(items):
        if a.kind != "Person" or not text.startswith(",", a.mention.end):
            continue
        b = next((o for o in items[k + 1:] if o.kind == "Organization"), None)
        if b is None:
            continue
        m = who.match(text[a.mention.end:b.mention.start])  # "who heads the Lisbon-based EMSA": a place between
        owner = text[b.mention.end:b.mention.end + 2] in ("'s", "’s")  # "who heads UNODC's Regional Office"
        owned = next((o for o in items[k + 1:] if o.kind == "Organization" and o.mention.start > b.mention.end), None)
        if m and owner and owned is not None and not text[b.mention.end + 2:owned.mention.start].strip():
            b, owner = owned, False  # the post is at the unit the possessive names
        while m and verbs.get(m.group(1).lower()) in _titles_by_id() and not owner:
            tid = verbs[m.group(1).lower()]
            label = _titles_by_id()[tid][article.lang][0]
            out.append(Post(a.key, label, b.key, evidence_for(article, sents, sent), tid, (), 0.75, "holder-verb"))
            # "who heads the Guyana Police Force and currently chairs the ACCP": a second verb, a second post
            nxt = next((o for o in items if o.kind == "Organization" and o.mention.start > b.mention.end), None)
            if nxt is None:
                break
            m = and_who.match(text[b.mention.end:nxt.mention.start])
            b = nxt
            owner = text[b.mention.end:b.mention.end + 2] in ("'s", "’s")
    for a, t, p in zip(items, items[1:], items[2:], strict=False):
        if a.kind == "Organization" and t.kind == "Title" and p.kind == "Person" and by.match(
                text[a.mention.end:t.mention.start]) and not text[t.mention.end:p.mention.start].strip():
            out.append(Post(p.key, t.mention.text, a.key, evidence_for(article, sents, sent), t.key, (), 0.8,
                            "headed-by"))
    return out


@cache
def _holder_patterns(lang: str) -> tuple[re.Pattern[str], re.Pattern[str], re.Pattern[str]]:
    """", who heads the" (the verb a group), ", headed by " between a person or body and what follows,
    and " and currently chairs the" after the first organisation of such a clause."""
    lex = lexicon(lang)
    rel = word_alternation(lex["relative_pronouns"])
    verbs = word_alternation(lex["holder_verbs"])
    who = re.compile(rf"^\s*,\s*(?i:{rel})\s+(?:\w+\s+)?({verbs})\s+(?:[\w\-]+(?:['’]s)?\s+){{0,3}}$")
    by = re.compile(rf"^\s*,\s*(?i:{word_alternation(lex['holder_passives'])})\s+$")
    and_who = re.compile(rf"^\s*(?:\([^()]{{1,15}}\)\s*)?,?\s*(?i:{word_alternation(lex['and_connectors'])})\s+"
                         rf"(?:\w+\s+)?({verbs})\s+(?:[\w\-]+\s+){{0,3}}$")
    return who, by, and_who


@cache
def _titles_by_id() -> dict[str, dict[str, Any]]:
    """The title lexicon by title id."""
    return {t["id"]: t for t in titles()}


def _parent_of_unit(org: Item, items: list[Item], unit_heads: tuple[str, ...], text: str,
                    lang: str) -> Item | None:
    """The organisation a named internal unit belongs to ("Division des opérations de l'ONUDC",
    "Bureau régional du HCR pour l'Afrique de l'Ouest")."""
    if not fold(org.mention.text).startswith(unit_heads):
        return None
    return next((b for b in items if b.kind == "Organization" and b is not org
                 and names_parent(text, org.mention, b.mention, lang)), None)


def _title_person_of_org(items: list[Item], i: int, text: str, gaps: dict[str, re.Pattern[str]]) -> bool:
    """TITLE PERSON of ORG: "Commissioner Mark Rowley of the Metropolitan Police Service", "la commandante
    Isabelle Thériault, du SPVM"."""
    return (i + 2 < len(items) and items[i + 1].kind == "Person" and items[i + 2].kind == "Organization"
            and gaps["title_person"].match(text[items[i].mention.end:items[i + 1].mention.start]) is not None
            and gaps["person_of"].match(text[items[i + 1].mention.end:items[i + 2].mention.start]) is not None)


def _holder(items: list[Item], i: int, org: Item | None, text: str, gaps: dict[str, re.Pattern[str]],
            holder: dict[int, Item]) -> Item | None:
    """The person a title is in apposition with (or shares with the title it is coordinated with)."""
    t = items[i]
    if org is not None and _title_person_of_org(items, i, text, gaps) and items[i + 2] is org:
        return items[i + 1]
    # PERSON, TITLE ... (unless the person holds the title just before: "the Commissioner of the ICAC, Mr Alan
    # Cheung, the Chief Commissioner of the MACC, Datuk Seri Rahman Ismail")
    if i > 0 and items[i - 1].kind == "Person" and gaps["person_title"].match(
            text[items[i - 1].mention.end:t.mention.start]):
        after = _person_after_title(items, i, org, text, gaps)
        held_before = any(h is items[i - 1] for k, h in holder.items() if k < i)
        return after if after is not None and held_before else items[i - 1]
    # PERSON was elected / a été nommée TITLE
    if i > 0 and items[i - 1].kind == "Person" and gaps["person_appointed"].match(
            text[items[i - 1].mention.end:t.mention.start]):
        return items[i - 1]
    # ... PERSON[, TITLE of ORG], who also serves as TITLE
    if i > 0 and gaps["person_who_title"].match(text[items[i - 1].mention.end:t.mention.start]):
        return next((it for it in reversed(items[:i]) if it.kind == "Person"), None)
    # PERSON, ORG TITLE: "Masood Karimipour, UNODC Regional Representative"
    if i > 1 and items[i - 1] is org and items[i - 2].kind == "Person" and gaps["person_title"].match(
            text[items[i - 2].mention.end:org.mention.start]):
        return items[i - 2]
    after = _person_after_title(items, i, org, text, gaps)
    if after is not None:
        return after
    # PERSON, TITLE1 of ORG1 ... et également TITLE2 of ORG2
    prev = [k for k in holder if k < i]
    if prev:
        k = max(prev)
        between = text[items[k].mention.end:t.mention.start]
        if len(between) < 160 and gaps["and"].search(between) and all(
                items[x].kind != "Person" for x in range(k + 1, i)):
            return holder[k]
    return None


def _person_after_title(items: list[Item], i: int, org: Item | None, text: str,
                        gaps: dict[str, re.Pattern[str]]) -> Item | None:
    """TITLE [of ORG] [qualifier], [RANK] PERSON  /  TITLE PERSON: the person named after a title."""
    t = items[i]
    last = org if org is not None and org.mention.end > t.mention.end else t
    j = items.index(last) + 1
    # skip names inside the organisation's ("Division ... d'AFRIPOL") and places of the qualifier ("to Colombia")
    while j < len(items) and (items[j].mention.start < last.mention.end or (
            items[j].kind == "Place" and last is org)):
        j += 1
    # the organisation's acronym in parentheses: "le directeur de l'Office anti-stupéfiants (OFAST), Mme X"
    end = last.mention.end
    if j < len(items) and items[j].key == last.key and text[end:items[j].mention.start].strip() == "(" \
            and text[items[j].mention.end:].lstrip().startswith(")"):
        end = text.index(")", items[j].mention.end) + 1
        j += 1
    # a rank or a title of the person's own before the name: "Executive Secretary, Colonel Ricardo Mendes",
    # "the Head of the EU Delegation to Moldova, Ambassador Tomasz Wierzbicki"
    if j + 1 < len(items) and items[j].kind == "Title" and items[j + 1].kind == "Person":
        before_name = gaps["org_person" if last is org else "title_person"]
        if not text[items[j].mention.end:items[j + 1].mention.start].strip() and before_name.match(
                text[end:items[j].mention.start]):
            return items[j + 1]
        if before_name.match(text[end:items[j + 1].mention.start]):
            return items[j + 1]  # a title word inside a rank: "..., le contrôleur général de police Adama X"
    if j < len(items) and items[j].kind == "Person":
        gap = text[end:items[j].mention.start]
        # "AFP Assistant Commissioner for International Operations, Rachel Moore": the organisation before the
        # title, its qualifier after; "Executive Director of the UNCCT, and by Dr Grace Mensah": a conjunct
        qualified = last is org or (org is not None and org.mention.end <= t.mention.start)
        if gaps["org_person" if qualified else "title_person"].match(gap) and not gaps["and_first"].match(gap) \
                and not gaps["partner_before"].search(gap):
            return items[j]
    return None


@cache
def _ranks() -> frozenset[str]:
    """Military and police ranks of both languages, folded: a rank goes with the name, not a post."""
    return frozenset(fold(r) for lang in ("fr", "en") for r in lexicon(lang)["ranks"])


def role_holders(posts: list[Post]) -> dict[tuple[str, str], str]:
    """(title id, organisation key) -> person key, for title-only references."""
    out: dict[tuple[str, str], str] = {}
    for p in posts:
        out.setdefault((p.title_key, p.org), p.person)
        out.setdefault(("*", p.org), p.person)
    return out
