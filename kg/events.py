"""Events: meetings, visits, conferences and agreement signings, with who, when, where, what.

A trigger word opens an event in its sentence; participants are the persons named there
(title-only references resolved through the article's posts), else the organisations;
the date is one the sentence gives ("le 12 mars", "the next day", "on Tuesday")
resolved against the article date, else the article date; the place is a place the
sentence gives, else the dateline; the topics are the sentence's and the agenda's.
Two descriptions of one event (same day, shared participant) become one node.
"""

from __future__ import annotations

import itertools
import re
from dataclasses import dataclass, field
from datetime import date, timedelta
from functools import cache

from spacy.tokens import Doc

from kg.gazetteer import determiner_alternation, fold, known_entities, lexicon, titles, word_alternation
from kg.mentions import Sentences
from kg.model import Article, Entity, Event, Evidence, Mention, Post, Relation
from kg.posts import Item, evidence_for, role_holders
from kg.sources import after_dateline
from kg.triggers import TriggerMatch, find_triggers, load_triggers

NAMED = frozenset({"Organization", "Place", "Person", "Initiative"})
TYPE_RANK = {"AgreementSigning": 0, "Conference": 1, "Meeting": 2, "Visit": 3}
MERGEABLE = {frozenset({"Meeting"}), frozenset({"Visit"}), frozenset({"Meeting", "Visit"}),
             frozenset({"Conference"}), frozenset({"AgreementSigning"})}


@dataclass
class _Draft:
    type: str
    label: str
    participants: list[str]
    evidence: list[Evidence]
    confidence: float
    rule: str
    date: date | None
    place: str | None
    topics: list[str] = field(default_factory=list)
    back: bool = False  # a definite description of an event told before
    dated: bool = False  # the date comes from the text, not from the publication date
    headline: bool = False  # told in the title, which announces the article's main event
    introduced: bool = False  # named by an indefinite description ("une réunion", "a meeting")
    plural: bool = False  # named by a plural noun: recurring events, unless it adds to one told otherwise


@cache
def _date_patterns(lang: str) -> tuple[re.Pattern[str], re.Pattern[str], re.Pattern[str]]:
    """"12 mars", "le 1er juin 2024" (day first), "September 26, 2023" (month first), and a range
    of days ("5 and 6 June", "du 5 au 6 juin", "5-6 June": the event starts on the first day)."""
    lex = lexicon(lang)
    month_alt = "|".join(sorted((re.escape(m) for m in lex["months"]), key=len, reverse=True))
    firsts = "|".join(re.escape(f) for f in lex["ordinal_first"])
    to = "|".join(re.escape(c) for c in lex["day_range_connectors"])
    return (re.compile(rf"\b(\d{{1,2}}|{firsts})(?:er|st|nd|rd|th)?\s+({month_alt})\b\.?(?:\s+(\d{{4}}))?"),
            re.compile(rf"\b({month_alt})\.?\s+(\d{{1,2}})(?:st|nd|rd|th)?\b(?:,?\s+(\d{{4}}))?"),
            re.compile(rf"\b(\d{{1,2}})(?:er|st|nd|rd|th)?\s*(?:{to})\s*\d{{1,2}}(?:er|st|nd|rd|th)?(?=\s+[a-zéû])"))


def explicit_date(sentence: str, lang: str, year: int | None) -> date | None:
    """A day-precise date written in the sentence ("le 12 mars", "26 September 2023")."""
    lex = lexicon(lang)
    months = lex["months"]
    day_first_re, month_first_re, day_range = _date_patterns(lang)
    low = day_range.sub(r"\1", sentence.lower().replace("’", "'"))
    day_first, month_first = day_first_re.search(low), month_first_re.search(low)
    for m, order in ((day_first, (0, 1)), (month_first, (1, 0))):
        if not m:
            continue
        day_s, month_s = m.group(order[0] + 1), m.group(order[1] + 1)
        day = 1 if day_s in lex["ordinal_first"] else int(day_s)
        y = int(m.group(3)) if m.group(3) else year
        if y is None:
            continue
        try:
            return date(y, months[month_s], day)
        except ValueError:
            continue
    return None


RECENT_ANCHOR = timedelta(days=14)  # an undated sentence takes the day last told only if it is this recent


def resolve_date(sentence: str, lang: str, published: date | None, anchor: date | None = None,
                 previous: date | None = None) -> date | None:
    """The date of what a sentence reports: a date it writes, a relative word counted from the
    publication ("hier") or from ``anchor``, the last date the text gave ("le lendemain", "the same
    day"; the publication when there is none), a weekday ("mardi") before publication; else
    ``previous`` (the date of the sentence just before), ``anchor`` when it is at most RECENT_ANCHOR
    before publication, or the publication date."""
    base_year = anchor or published
    written = explicit_date(sentence, lang, base_year.year if base_year is not None else None)
    if written:
        return written
    if published is None:
        return None
    low = sentence.lower().replace("’", "'")
    relative, weekdays = _relative_patterns(lang)
    for pattern, offset, told in relative:
        if pattern.search(low):
            return (anchor if told and anchor is not None else published) + timedelta(days=offset)
    for pattern, wd in weekdays:
        if pattern.search(low):
            back = (published.weekday() - wd) % 7
            return published - timedelta(days=back)
    if previous is None and anchor is not None and timedelta(0) <= published - anchor <= RECENT_ANCHOR:
        return anchor  # "En marge de la cérémonie, ...": the day last told, when that is the news of the week
    return previous or published


@cache
def _relative_patterns(lang: str) -> tuple[list[tuple[re.Pattern[str], int, bool]], list[tuple[re.Pattern[str], int]]]:
    """Relative date phrases (longest first), each with its day offset and whether it counts from
    the date told before ("la veille", "the same day") rather than the publication ("hier",
    "today"); and weekday names with their weekday."""
    lex = lexicon(lang)
    phrases = [(phrase, int(offset), False) for phrase, offset in lex["relative_dates"].items()] + \
              [(phrase, int(offset), True) for phrase, offset in lex["told_relative_dates"].items()]
    relative = [(re.compile(rf"(?<!\w){re.escape(phrase)}(?!\w)"), offset, told)
                for phrase, offset, told in sorted(phrases, key=lambda p: -len(p[0]))]
    weekdays = [(re.compile(rf"\b{name}\b"), int(wd)) for name, wd in lex["weekdays"].items()]
    return relative, weekdays


def earlier_year(sentence: str, lang: str, published: date | None) -> bool:
    """Whether the sentence places what it says in a year before publication ("en 2018", "since 2019",
    "in March 2021"), with no day: what it reports is background."""
    if published is None:
        return False
    return any(int(m.group(1)) < published.year for m in _year_pattern(lang).finditer(sentence))


@cache
def _year_pattern(lang: str) -> re.Pattern[str]:
    lex = lexicon(lang)
    preps, months = word_alternation(lex["year_prepositions"]), word_alternation(lex["months"])
    return re.compile(rf"(?i)\b(?:{preps})\s+(?:(?:{months})\.?\s+)?((?:19|20)\d\d)\b(?![\-–/]\d)")


def _role_refs(items: list[Item], text: str, holders: dict[tuple[str, str], str],
               gap_of: re.Pattern[str]) -> list[tuple[Item, str]]:
    """Title-only references ("le chef d'INTERPOL") resolved to the person holding the post."""
    out = []
    for a, b in itertools.pairwise(items):
        if a.kind == "Title" and b.kind == "Organization" and gap_of.match(text[a.mention.end:b.mention.start]):
            person = holders.get((a.key, b.key)) or (holders.get(("*", b.key)) if a.key in _heads() else None)
            if person:
                out.append((b, person))
    return out


def _heads() -> set[str]:
    return {t["id"] for t in titles() if t.get("head")} | {t["id"] for t in titles()}


def extract_events(article: Article, doc: Doc, mentions: list[Mention], entities: list[Entity],
                   posts: list[Post], relations: list[Relation], sents: Sentences) -> list[Event]:
    """Events of an article, one node per real-world event."""
    from kg.posts import _gaps
    from kg.relations import items_with_collectives

    etype = {e.key: e.type for e in entities}
    items_by_sent = items_with_collectives(article, doc, mentions, entities, posts, sents)
    parent = {r.subject: r.object for r in relations if r.predicate == "partOf"}
    holders = role_holders(posts)
    person_org = {p.person: p.org for p in posts}
    gap_of = _gaps(article.lang)["of"]
    triggers = load_triggers(article.lang)
    dateline_place = _dateline_place(article, entities)
    agenda = [e.key for e in entities if e.type == "Topic" and any(m.source == "agenda" for m in e.mentions)]
    drafts: list[_Draft] = []
    anchors = _anchors(article, sents)
    for i in range(len(sents.starts)):
        start, end = sents.span(i)
        span = doc.char_span(start, end, alignment_mode="expand")
        if span is None:
            continue
        items = items_by_sent.get(i, [])
        told = len(drafts)
        referred: _Draft | None = None
        for match in find_triggers(span, triggers, "event"):
            ev_type = match.trigger.get("event")
            if not _happened(article, match, start) or _institutional(match) or any(
                    it.kind in NAMED and it.mention.start <= match.start_char and match.end_char <= it.mention.end
                    for it in items):
                continue  # "La Réunion", "Conference of the Parties Secretariat": a word of a name is no event
            back = _refers_back(article, match.start_char) and any(_told_as(d.type, ev_type) for d in drafts[:told])
            if back:
                referred = next(d for d in reversed(drafts[:told]) if _told_as(d.type, ev_type))
            draft = _draft(article, sents, i, items, ev_type, match.trigger.id, match.trigger.confidence,
                           holders, person_org, gap_of, dateline_place, *anchors[i], parent=parent)
            if draft is not None:
                draft.headline = article.title_span is not None and article.title_span.start <= start < \
                    article.title_span.end
                draft.back = back  # "The meeting, opened by ...", "addressed the conference": told already
                draft.introduced = _introduces(article, match.start_char)
                # "des réunions régulières": a plural only adds to an event told otherwise ("les entretiens")
                draft.plural = match.first.pos_ == "NOUN" and "Plur" in match.first.morph.get("Number", [])
                drafts.append(draft)
        year = article.date.year if article.date else None
        if referred is not None and explicit_date(span.text, article.lang, year or 2000) is None:
            for d in drafts[told:]:  # "La signature a été suivie d'une réunion": the same day as the signing
                if not d.back:
                    d.date = referred.date
                    d.place = referred.place if d.place == dateline_place else d.place
    for r in relations:
        if r.predicate == "signsAgreementWith":
            sent = sents.index(r.evidence.start)
            when = resolve_date(r.evidence.quote, article.lang, article.date, *anchors[sent])
            dated = when != resolve_date("", article.lang, article.date, *anchors[sent])
            if not dated and earlier_year(r.evidence.quote, article.lang, article.date):
                continue  # the agreement holds, its signing is no news of this article
            drafts.append(_Draft("AgreementSigning", "", [r.subject, r.object], [r.evidence], r.confidence,
                                 "agreement-from-relation", when,
                                 _place_in(items_by_sent.get(sent, []), article) or dateline_place, dated=dated))
    drafts = _merge(drafts, person_org)
    out = []
    for n, d in enumerate(drafts, start=1):
        topics = list(dict.fromkeys(d.topics + (agenda if d.type in ("Meeting", "Visit") else [])))
        topics = [t for t in topics if etype.get(t) == "Topic"]
        label = d.label or f"{d.type} {article.id} #{n}"
        out.append(Event(key=f"event/{article.id}/{n}", type=d.type, label=label,
                         participants=tuple(sorted(set(d.participants))),
                         evidence=tuple(sorted(set(d.evidence), key=lambda e: e.start)),
                         confidence=round(d.confidence, 2), rule=d.rule, date=d.date, place=d.place,
                         topics=tuple(topics)))
    return out


def _anchors(article: Article, sents: Sentences) -> list[tuple[date | None, date | None]]:
    """For each sentence: the last day-precise date the body told before it, and the date of the
    sentence just before it, written, given by a weekday or a relative word, or inherited as
    resolve_date dates an undated sentence (what "the memorandum was signed by ..." after "On 6 June,
    X and Y signed ..." or "On Thursday, X received Y" is dated by)."""
    out: list[tuple[date | None, date | None]] = []
    last: date | None = None
    prev: date | None = None
    year = article.date.year if article.date else None
    for i in range(len(sents.starts)):
        start, end = sents.span(i)
        out.append((last, prev))
        if start >= article.body.start:
            told = _told_text(article, start, end)
            prev = explicit_date(told, article.lang, year)
            # "... ont été interpellées jeudi. [...] Une semaine avant l'opération": a weekday or "hier" dates too
            counted = resolve_date(told, article.lang, article.date, last) if prev is None and article.date else None
            prev = prev or (counted if counted != article.date else None)
            last = prev or last
    return out


def _told_text(article: Article, start: int, end: int) -> str:
    """A sentence's text without the dateline that opens it ("Cotonou, le 14 mars 2024 – "): the dateline's
    date is the publication's, not the date of what the sentence tells."""
    dateline = article.dateline_span
    if dateline is not None and start <= dateline.start < end:
        start = min(end, after_dateline(article.text, dateline))
    return article.text[start:end]


def _dateline_place(article: Article, entities: list[Entity]) -> str | None:
    if article.dateline_span is None:
        return None
    for e in entities:
        if e.type == "Place" and any(article.dateline_span.start <= m.start < article.dateline_span.end
                                     for m in e.mentions):
            first = min(m.start for m in e.mentions if article.dateline_span.start <= m.start)
            if first == min(m.start for x in entities if x.type == "Place" for m in x.mentions
                             if article.dateline_span.start <= m.start < article.dateline_span.end):
                return e.key
    return None


def _place_in(items: list[Item], article: Article) -> str | None:
    """A place the sentence names after "à", "in", "at" (the lexicon's place_connectors); cities before countries."""
    text = article.text
    cands = []
    for it in items:
        if it.kind != "Place":
            continue
        before = text[max(0, it.mention.start - 6):it.mention.start].lower()
        if _place_before(article.lang).search(before):
            known = known_entities().get(it.key)
            cands.append((0 if not known or known.kind == "city" else 1, it.mention.start, it.key))
    return min(cands)[2] if cands else None


@cache
def _place_before(lang: str) -> re.Pattern[str]:
    """What ends the text just before the place of an event: "à", "in", "at la", "in the"."""
    lex = lexicon(lang)
    at = "|".join(re.escape(c) for c in lex["place_connectors"])
    the = determiner_alternation(lex["place_determiners"])
    return re.compile(rf"\b(?:{at})\s+(?:{the})?$")


def _happened(article: Article, match: TriggerMatch, sentence_start: int) -> bool:
    """A trigger that tells of an event that took place: not in quoted speech, not future
    ("se réunira", "will meet", "la prochaine réunion")."""
    before = article.text[sentence_start:match.start_char]
    if before.count("«") > before.count("»") or before.count("“") > before.count("”") or before.count('"') % 2:
        return False
    tok = match.first
    if "Fut" in tok.morph.get("Tense", []) or any(
            t.lower_ in lexicon(article.lang)["future_auxiliaries"] or "Fut" in t.morph.get("Tense", [])
            for t in tok.children if t.dep_.startswith("aux")):
        return False
    return _before_patterns(article.lang)[0].search(before.lower()) is None


def _institutional(match: TriggerMatch) -> bool:
    """A verb that tells a standing arrangement, not an event, in the present or in the passive when its
    trigger says so: "It also hosts the NCB", "its Secretariat, which is hosted by New Zealand Police"."""
    tok, trig = match.first, match.trigger
    present = "Pres" in tok.morph.get("Tense", []) and "Fin" in tok.morph.get("VerbForm", [])
    passive = any(t.dep_ in ("aux:pass", "auxpass") for t in tok.children)
    return bool((trig.get("skip_present") and present) or (trig.get("skip_passive") and passive))


def _introduces(article: Article, pos: int) -> bool:
    """An indefinite description ("une réunion", "a bilateral meeting") of an event."""
    before = article.text[max(0, pos - 30):pos].lower()
    return _before_patterns(article.lang)[1].search(before) is not None


def _refers_back(article: Article, pos: int) -> bool:
    """A definite or possessive description ("la signature", "the conference", "his visit") of an event told before."""
    before = article.text[max(0, pos - 12):pos].lower().replace("’", "'")
    return _before_patterns(article.lang)[2].search(before) is not None


@cache
def _before_patterns(lang: str) -> tuple[re.Pattern[str], re.Pattern[str], re.Pattern[str]]:
    """What ends the text just before an event noun: a future word ("la prochaine"), an indefinite
    article ("une", "a"), a definite determiner ("la", "the")."""
    lex = lexicon(lang)
    future = "|".join(re.escape(w) for w in lex["future_words"])
    articles = "|".join(re.escape(a) for a in lex["indefinite_articles"])
    dets = determiner_alternation(lex["definite_determiners"])
    # "during his visit", "lors de sa visite"; "en marge du séminaire": an article contracted with its preposition
    poss = word_alternation([*lex["back_reference_possessives"], *lex["back_reference_contractions"]])
    return (re.compile(rf"\b(?:{future})\s+(?:[\w\-]+\s+)?$"), re.compile(rf"\b(?:{articles})\s+(?:[\w\-]+\s+)?$"),
            re.compile(rf"\b(?:{dets}|(?:{poss})\s+)$"))


def _draft(article: Article, sents: Sentences, i: int, items: list[Item], ev_type: str, rule: str,
           conf: float, holders: dict[tuple[str, str], str], person_org: dict[str, str],
           gap_of: re.Pattern[str], dateline_place: str | None, anchor: date | None,
           previous: date | None, parent: dict[str, str] | None = None) -> _Draft | None:
    text = article.text
    refs = _role_refs(items, text, holders, gap_of)
    ref_orgs = {id(org) for org, _ in refs}
    persons = [it.key for it in items if it.kind == "Person"] + [p for _, p in refs]
    persons = list(dict.fromkeys(persons))
    affiliated = {person_org.get(p) for p in persons}
    org_items = [it for it in items if it.kind == "Organization"]
    orgs = [it.key for it in org_items if id(it) not in ref_orgs and it.key not in affiliated
            and not any(o.mention.start <= it.mention.start and it.mention.end <= o.mention.end
                        and (o.mention.end - o.mention.start) > (it.mention.end - it.mention.start)
                        for o in org_items)]  # "Pôle judiciaire de la Gendarmerie nationale": one body
    parent = parent or {}
    # a unit of an organisation already taking part is no participant of its own
    orgs = [o for o in orgs if parent.get(o) not in orgs and parent.get(o) not in affiliated]
    if ev_type == "Meeting":
        if not persons and len(orgs) < 2:  # "réunir des informations", "a meeting of experts"
            return None
        participants = persons if len(persons) >= 2 else persons + orgs
    else:
        participants = persons + orgs
    participants = list(dict.fromkeys(participants))
    if len(participants) < (1 if ev_type in ("Visit", "Conference") else 2):
        return None
    ev = evidence_for(article, sents, i)
    when = resolve_date(_told_text(article, ev.start, ev.end), article.lang, article.date, anchor, previous)
    dated = when != resolve_date("", article.lang, article.date, anchor, previous)
    if not dated and earlier_year(ev.quote, article.lang, article.date):
        return None  # "a memorandum signed in 2018", "met regularly since 2019": background, not news
    place = _place_in(items, article) or dateline_place
    topics = [it.key for it in items if it.kind == "Topic"]
    label = _conference_label(ev.quote, article.lang) if ev_type == "Conference" else ""
    return _Draft(ev_type, label, participants, [ev], conf, rule, when, place, topics, dated=dated)


def _conference_label(sentence: str, lang: str) -> str:
    """The name of a conference as written ("52e Conférence régionale européenne")."""
    m = re.search(r"(?:\d+\s*(?:e|ème|er|st|nd|rd|th)\s+)?(?:[A-Z][\w\-]*\s+){0,4}"
                  r"(?:Conférence|Conference|Sommet|Summit|Forum|Symposium|Colloque)"
                  r"(?:\s+(?:[a-zéèêàç]+\s+){0,1}[A-Z\u00C0-\u00DD][\w\-]*){0,5}", sentence)
    return m.group(0).strip() if m else ""


def _told_as(told: str, described: str) -> bool:
    """Whether an event told as ``told`` may be referred back to as ``described``: "the meeting" after
    a conference is the conference."""
    return told == described or (told, described) == ("Conference", "Meeting")


def _merge(drafts: list[_Draft], person_org: dict[str, str]) -> list[_Draft]:
    """Descriptions of one event (same day, compatible types, a shared participant) merged."""
    def agents(d: _Draft) -> set[str]:
        return set(d.participants) | {person_org[p] for p in d.participants if p in person_org}

    out: list[_Draft] = []
    for d in drafts:
        earlier = [o for o in out if frozenset({o.type, d.type}) in MERGEABLE or (d.back and _told_as(o.type, d.type))]
        if d.back and earlier:
            told = earlier[-1]
            told.participants = list(dict.fromkeys(told.participants + d.participants))
            told.evidence += d.evidence
            told.topics = list(dict.fromkeys(told.topics + d.topics))
            continue
        # one event: same day (or one of them undated, or one signing), shared participants
        # "met at the headquarters ... to sign an arrangement": one sentence tells a meeting and its signing
        same_sentence = next((o for o in out if {o.type, d.type} in ({"Meeting", "AgreementSigning"},
                                                                      {"Visit", "AgreementSigning"})
                              and o.date == d.date and {e.start for e in o.evidence} & {e.start for e in d.evidence}
                              and agents(o) & agents(d) and not (o.introduced or d.introduced)), None)
        target = same_sentence or next((o for o in out if (o.date == d.date or o.type == d.type == "AgreementSigning"
                                          or (not (o.dated and d.dated) and (
                                              o.headline or d.headline or o.type == d.type == "Conference")))
                       and frozenset({o.type, d.type}) in MERGEABLE
                       # "... y a présidé une réunion": an indefinite description brings in an event of its own
                       and (o.type == d.type or o.headline or d.headline or not (o.introduced or d.introduced))
                       and ((agents(o) & agents(d)) or (o.type == d.type == "Conference" and o.date == d.date))
                       and (o.type != "Conference" or fold(o.label) == fold(d.label) or not d.label
                            or not o.label)), None)
        if target is None:
            if not d.plural:
                out.append(d)
            continue
        if d.dated and not target.dated:
            target.date, target.dated = d.date, True
        target.headline = target.headline and d.headline
        if TYPE_RANK[d.type] < TYPE_RANK[target.type]:
            target.type = d.type
        target.participants = list(dict.fromkeys(target.participants + d.participants))
        target.evidence += d.evidence
        target.topics = list(dict.fromkeys(target.topics + d.topics))
        target.place = target.place or d.place
        target.label = target.label or d.label
        target.confidence = max(target.confidence, d.confidence)
    return out
