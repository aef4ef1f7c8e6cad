"""Relations between canonical entities: trigger phrases plus a few structural patterns.

A trigger (``data/lexicons/triggers.<lang>.jsonl``) says where its subject and object
are: before/after the trigger, after a preposition, after a passive agent ("par",
"by"), between "entre X et Y". Arguments must have the types the ontology allows, and
conjoined arguments ("X et Y") all take part. Structural patterns cover units
("Point de contact X d'Europol"), datelines ("BRUXELLES (Belgique)") and initiatives
named after what they fight.
"""

from __future__ import annotations

import itertools
import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from functools import cache

from spacy.tokens import Doc, Token

from kg.gazetteer import determiner_alternation, fold, known_entities, lexicon, word_alternation
from kg.mentions import Sentences, event_noun_pattern, names_parent
from kg.model import SYMMETRIC_RELATIONS, Article, Entity, Evidence, Mention, Post, Relation
from kg.posts import Item, evidence_for, sentence_items
from kg.triggers import TriggerMatch, find_triggers, load_triggers

ORG, PER, PLACE, INIT, TOPIC = "Organization", "Person", "Place", "Initiative", "Topic"
# Domain and range of each relation (GOLD_FORMAT.md, ontology/coopkg.ttl).
SIGNATURE: dict[str, tuple[frozenset[str], frozenset[str]]] = {
    "memberOf": (frozenset({ORG, PLACE}), frozenset({ORG})),
    "partOf": (frozenset({ORG}), frozenset({ORG})),
    "cooperatesWith": (frozenset({ORG}), frozenset({ORG})),
    "participatesIn": (frozenset({ORG, PER}), frozenset({INIT})),
    "leads": (frozenset({ORG, PER}), frozenset({INIT})),
    "targets": (frozenset({INIT}), frozenset({TOPIC})),
    "exchangesInformationWith": (frozenset({ORG}), frozenset({ORG})),
    "supports": (frozenset({ORG}), frozenset({ORG, INIT})),
    "signsAgreementWith": (frozenset({ORG}), frozenset({ORG})),
    "locatedIn": (frozenset({ORG, PLACE}), frozenset({PLACE})),
}
WINDOW = 8  # tokens between a preposition and its object
_UNIT_SOURCES = frozenset({"unit", "of-org", "org-unit"})
_PAREN_OPEN = re.compile(r"\s*\(\s*")
_PAREN_CLOSE = re.compile(r"^\s*\)")
_OWNER_GAP = re.compile(r"['’]s\s+")
_PAREN_PLACE = re.compile(r"^\s*\([^()]{1,40}\)")
_COMPOUND = re.compile(r"-([a-z][\w\-]*)")  # a name that begins a compound adjective: "EU-funded", "AFP-led"
_SUBJECT_DEPS = ("nsubj", "nsubj:pass", "nsubjpass")  # the parser's subject labels, French and English
_AUX = {"être", "be", "été", "been", "is", "was", "were", "are", "est", "sont", "a", "ont"}


@dataclass(frozen=True)
class Context:
    """What the rules of one article share."""

    article: Article
    doc: Doc
    sents: Sentences
    person_org: dict[str, str]
    gaps: dict[str, re.Pattern[str]]
    items: dict[int, list[Item]]
    all_items: dict[int, list[Item]]  # with titles


@cache
def _gap_patterns(lang: str) -> dict[str, re.Pattern[str]]:
    lex = lexicon(lang)
    det = "|".join(re.escape(d).replace("'", "['’]") for d in lex["determiners"])
    both = "|".join(re.escape(a) for a in lex["and_connectors"])
    of = "|".join(sorted((re.escape(c).replace("'", "['’]") for c in lex["of_connectors"]), key=len,
                         reverse=True))
    preps = "|".join(re.escape(p).replace("'", "['’]") for p in lex["coordination_prepositions"])
    at = word_alternation(lex["place_connectors"])
    the = determiner_alternation(lex["place_determiners"])
    member = "|".join(re.escape(n) for n in lex["member_nouns"])
    copula = word_alternation(lex["member_copulas"])
    tool = "|".join(re.escape(n) for n in lex["initiative_nouns"])
    initiative = word_alternation([*lex["initiative_heads"], *lex["initiative_nouns"]])
    gen = "|".join(re.escape(c).replace("'", "['’]") for c in lex["genitive_connectors"])
    hq = "|".join(re.escape(n) for n in lex["headquarters_nouns"])
    member_det = "|".join(re.escape(d).replace("'", "['’]") for d in lex["member_determiners"])
    agent = word_alternation(lex["agent_prepositions"])
    articles = determiner_alternation(lex["definite_articles"])
    seat = word_alternation(lex["seat_connectors"])
    return {
        "hq_of": re.compile(rf"\b(?:{hq})\s+(?:{of})\s*(?:(?:{det})\s*)?$", re.I),
        "hq_after": re.compile(rf"^['’]s\s+(?:{hq})\b", re.I),
        # between a body (and its acronym) and the place of its seat: "AFRIPOL à Alger", "Europol's headquarters in
        # The Hague", "the headquarters of the European Union Agency for Law Enforcement Training (CEPOL) in Budapest"
        "hq_place": re.compile(rf"(?:\s*\([^()]{{1,15}}\))?(?:['’]s\s+\w+)?\s*,?\s*(?:{at})\s+(?:{the})?", re.I),
        # "CENcomm, la plateforme de communication sécurisée de l'OMD"
        "tool_of": re.compile(rf"^\s*,\s*(?:(?:{det})\s*)?(?:\w+\s+){{0,2}}(?:{tool})(?:\s+[\w'’]+){{0,5}}?\s+"
                              rf"(?:{of})\s*(?:(?:{det})\s*)?$", re.I),
        # "X, l'agence de l'UE", "X, an agency of the EU", "X is a specialised unit of Y"
        "member_of": re.compile(rf"^(?:\s*,|\s+(?:{copula}))\s*(?:(?:{det})\s*)?(?:[\w\-]+\s+){{0,2}}(?P<noun>{member})"
                                rf"(?:\s+[\w\-]+){{0,2}}\s+(?:{of})\s*(?:(?:{det})\s*)?$", re.I),
        # "X, the EU's agency", "X, the EU agency for ..."
        "member_before": re.compile(rf"^\s*,\s*(?:{member_det})\s*$", re.I),
        # the agent of another participle: "géré par l'OIM", "run by the IOM"
        "agent_before": re.compile(rf"\b(?:{agent})\s+(?:{articles})?$", re.I),
        # "avec Europol", "with the FBI": the partner of an earlier phrase, not a clause's subject
        "comitative_before": re.compile(rf"\b(?:{word_alternation(lex['comitative_prepositions'])})\s+"
                                        rf"(?:{articles})?$", re.I),
        "member_after": re.compile(rf"^(?:['’]s)?\s+(?:[\w\-]+\s+){{0,2}}(?P<noun>{member})\b", re.I),
        # "the Inter-American Committee against Terrorism (CICTE) of the OAS": a body of the organisation after it
        "acronym_of": re.compile(rf"^\s*\([A-Z][\w\-&. ]{{1,14}}\)\s*(?:{of})\s*(?:(?:{det})\s*)?$"),
        "coord": re.compile(rf"^(?:\s+[a-zéèêëîïôûç\-]+)?\s*(?:,\s*)?(?:(?:{both})\s*)?(?:(?:{preps})\s*)?"
                            rf"(?:(?:{det})\s*)?$", re.I),
        "of": re.compile(rf"^\s*(?:{of})\s*(?:(?:{det})\s*)?$", re.I),
        "and": re.compile(rf"(?:^|[\s,])(?:{both})(?:\s|$)", re.I),
        "member_states": re.compile(rf"(?<!\w)(?:{word_alternation(lex['member_state_nouns'])})(?!\w)", re.I),
        "owner_before": re.compile(r"(?:['’]s)?\s+(?:[\w\-]+\s+){0,2}"),
        "owner_after": re.compile(rf"\s+(?:{of})\s*(?:(?:{det})\s*)?", re.I),
        "list_opens": re.compile(r"\s*[:(–—-]\s*"),
        "list_before": re.compile(rf"\s*,?\s*(?:(?:{word_alternation(lex['member_list_links'])})\s+)?"
                                  rf"(?:(?:{det})\s*)?(?:[\w\-]+\s+){{0,2}}", re.I),
        "initiative_noun": re.compile(rf"\s+(?:[a-zà-ÿ\-]+\s+){{0,2}}(?:{initiative})\b", re.I),
        # a list closing on a conjunct no rule names: "A (Spain), B, C and France's Direction ..."
        "and_next": re.compile(rf"\s*(?:\([^()]{{1,40}}\))?\s*,?\s*(?:{both})\s+\w", re.I),
        "genitive": re.compile(rf"^\s*(?:{gen})\s*$", re.I),
        # "the OSCE Secretariat in Vienna", "la Commission de la CEDEAO à Abuja"
        "seat": re.compile(rf"\s*(?:\([^()]{{1,20}}\))?\s*,?\s*(?:{seat})\s+", re.I),
        "poss": re.compile(rf"(?:^|\s)(?:{word_alternation(lex['possessives'])})\s+$", re.I),
    }


def extract_relations(article: Article, doc: Doc, mentions: list[Mention], entities: list[Entity],
                      posts: list[Post], sents: Sentences) -> list[Relation]:
    """Every relation the article states, each with its sentence as evidence."""
    key_of = {(m.start, m.end): e.key for e in entities for m in e.mentions}
    ctx = _context(article, doc, mentions, entities, posts, sents)
    items_by_sent = ctx.all_items
    triggers = load_triggers(article.lang)
    found: list[Relation] = []
    for i in range(len(sents.starts)):
        items = [it for it in items_by_sent.get(i, []) if it.kind != "Title"]
        if not items:
            continue
        start, end = sents.span(i)
        span = doc.char_span(start, end, alignment_mode="expand")
        if span is None:
            continue
        for match in find_triggers(span, triggers, "relation"):
            found += _from_trigger(ctx, match, items, i)
        found += _structural(ctx, items, i)
    found += _dateline(ctx, entities, key_of)
    found += _named_inside(ctx, entities)
    found += _headline_targets(ctx, entities, found)
    return _dedupe(found)


def _named_inside(ctx: Context, entities: list[Entity]) -> list[Relation]:
    """"the European Union Agency for Criminal Justice Cooperation", "Mécanisme de l'Union africaine
    pour la coopération policière": a body whose name holds the name of another organisation the
    article names is part of it."""
    orgs = [e for e in entities if e.type == ORG]
    out = []
    for e in orgs:
        for m in e.mentions:
            if m.source not in ("gazetteer", "ner"):
                continue
            for p in orgs:
                if p.key == e.key or not (p.key in known_entities() or p.label.isupper() or " " in p.label):
                    continue  # a one-word name the NER guessed ("Royal") is too weak a parent
                names = {x.text for x in p.mentions if x.source in ("gazetteer", "ner", "acronym", "named-parent")}
                names |= {p.label}
                if any(n != m.text and len(n) >= 2 and n in m.text
                       and re.search(rf"(?<![\w\-]){re.escape(n)}(?![\w\-])", m.text) for n in names):
                    ev = evidence_for(ctx.article, ctx.sents, ctx.sents.index(m.start))
                    out.append(Relation(e.key, "partOf", p.key, ev, 0.7, "named-inside"))
    return out


def _headline_targets(ctx: Context, entities: list[Entity], found: list[Relation]) -> list[Relation]:
    """An article about one operation: the operation targets the crime its headline names."""
    art = ctx.article
    if art.title_span is None:
        return []
    heads = tuple(fold(h) for h in lexicon(art.lang)["operation_heads"])
    ops = [e for e in entities if e.type == INIT and fold(e.label).startswith(heads)]
    if len(ops) != 1 or any(r.subject == ops[0].key and r.predicate == "targets" for r in found):
        return []
    sent = ctx.sents.index(art.title_span.start)
    topics = [it for it in ctx.items.get(sent, []) if it.kind == TOPIC]
    ev = evidence_for(art, ctx.sents, sent)
    return [Relation(ops[0].key, "targets", t.key, ev, 0.5, "headline-topic") for t in topics]


@cache
def _collective_pattern(lang: str) -> tuple[re.Pattern[str], dict[str, int], dict[str, str]]:
    lex = lexicon(lang)
    numbers = {fold(k): v for k, v in lex["collective_numbers"].items()}
    nouns = [*lex["collective_nouns"], *lex["collective_place_nouns"], *lex["collective_person_nouns"]]
    alt = "|".join(sorted((re.escape(n) for n in nouns), key=len, reverse=True))
    num = "|".join(sorted((re.escape(n) for n in lex["collective_numbers"]), key=len, reverse=True))
    dets = "|".join(re.escape(d) for d in lex["collective_determiners"])
    bare = word_alternation(lex["collective_bare_numbers"])  # a number that needs no determiner: "both"
    pat = re.compile(rf"\b(?:(?:{dets})\s+|(?=(?:{bare})\s))({num})\s+(?:([\w\-]+)\s+)?({alt})\b", re.I)
    kinds = {**{fold(n): PLACE for n in lex["collective_place_nouns"]},
             **{fold(n): PER for n in lex["collective_person_nouns"]}}
    return pat, numbers, kinds


def _collectives(ctx: Context, items_by_sent: dict[int, list[Item]]) -> dict[int, list[Item]]:
    """"les trois agences", "the two prosecution services": the last list of that many
    organisations (or countries) named before, as items at the description's place."""
    pat, numbers, kinds = _collective_pattern(ctx.article.lang)
    text = ctx.article.text
    out: dict[int, list[Item]] = {}
    for m in pat.finditer(text):
        n = numbers.get(fold(m.group(1)))
        if not n:
            continue
        kind = kinds.get(fold(m.group(3)), ORG)
        members = _last_list(ctx, items_by_sent, m.start(), n, kind, m.group(2))
        if not members:
            continue
        sent = ctx.sents.index(m.start())
        ment = Mention(m.start(), m.end(), m.group(0), kind, "collective", None, sent)
        out.setdefault(sent, []).extend(Item(kind, ment, key) for key in members)
    return out


def _last_list(ctx: Context, items_by_sent: dict[int, list[Item]], before: int, n: int, kind: str,
               modifier: str | None = None) -> list[str]:
    """The keys of the last coordinated list of ``n`` distinct ``kind`` entities ending before ``before``;
    with a ``modifier`` ("the two prosecution services"), a list naming one with that word's stem first."""
    stem = fold(modifier)[:6] if modifier and len(modifier) > 4 else None
    best: tuple[bool, int, list[str]] | None = None
    for i in sorted(items_by_sent):
        items = [it for it in items_by_sent[i] if it.kind != "Title"]
        for k, it in enumerate(items):
            if it.kind != kind or it.mention.end > before:
                continue
            chain = [c for c in _chain(ctx, items, k, 1, frozenset({kind})) if c.mention.end <= before]
            keys = list(dict.fromkeys(c.key for c in chain))
            if len(keys) != n:
                continue
            named = stem is not None and any(stem in fold(c.mention.text) for c in chain)
            if best is None or (named, it.mention.start) > best[:2]:
                best = (named, it.mention.start, keys)
    if best:
        return best[2]
    # no such list: the article has named exactly that many before ("les trois responsables")
    earlier = [it.key for i in sorted(items_by_sent) for it in items_by_sent[i]
               if it.kind == kind and it.mention.end <= before and it.mention.source != "collective"]
    distinct = list(dict.fromkeys(earlier))
    return distinct if len(distinct) == n else []


def _context(article: Article, doc: Doc, mentions: list[Mention], entities: list[Entity], posts: list[Post],
             sents: Sentences) -> Context:
    items_by_sent = sentence_items(mentions, entities)
    ctx = Context(article, doc, sents, {p.person: p.org for p in reversed(posts)},
                  _gap_patterns(article.lang),
                  {i: [it for it in its if it.kind != "Title"] for i, its in items_by_sent.items()}, items_by_sent)
    for i, members in _collectives(ctx, items_by_sent).items():
        items_by_sent[i] = sorted([*items_by_sent.get(i, []), *members], key=lambda it: it.mention.start)
        ctx.items[i] = [it for it in items_by_sent[i] if it.kind != "Title"]
    return ctx


def items_with_collectives(article: Article, doc: Doc, mentions: list[Mention], entities: list[Entity],
                           posts: list[Post], sents: Sentences) -> dict[int, list[Item]]:
    """Each sentence's items (as ``sentence_items``), plus the members a plural description
    ("les trois agences") stands for, at its place."""
    return _context(article, doc, mentions, entities, posts, sents).all_items


def _dedupe(rels: Iterable[Relation]) -> list[Relation]:
    """One relation per (s, p, o) (symmetric ones in either direction), the most confident kept."""
    best: dict[tuple[str, str, str], Relation] = {}
    for r in rels:
        if r.subject == r.object:
            continue
        s, o = (sorted((r.subject, r.object)) if r.predicate in SYMMETRIC_RELATIONS
                else (r.subject, r.object))
        k = (s, r.predicate, o)
        if k not in best or r.confidence > best[k].confidence:
            best[k] = Relation(s, r.predicate, o, r.evidence, r.confidence, r.rule, r.channel)
    return [best[k] for k in sorted(best)]


def _as_type(ctx: Context, it: Item, allowed: frozenset[str]) -> Item | None:
    """The item itself when its type is allowed; a person stands for their organisation."""
    if it.kind in allowed:
        return it
    if it.kind == PER and ORG in allowed and it.key in ctx.person_org and it.mention.source != "collective":
        return Item(ORG, it.mention, ctx.person_org[it.key])
    return None


def _chain(ctx: Context, items: list[Item], first: int, step: int, allowed: frozenset[str]) -> list[Item]:
    """The item at ``first`` and those conjoined with it ("X, Y et Z") in direction ``step``.

    A list joined by commas only counts when it closes with a conjunction ("X, Y and Z"):
    "..., par l'UE, INTERPOL participe" is not a list.
    """
    text = ctx.article.text
    it = _as_type(ctx, items[first], allowed)
    if it is None:
        return []
    out, gaps = [it], []
    j = first
    skipped_place = False
    while 0 <= j + step < len(items):
        a, b = (items[j], items[j + step]) if step > 0 else (items[j + step], items[j])
        between = text[a.mention.end:b.mention.start]
        person, org = (a, b) if a.kind == PER else (b, a)
        if person.kind == PER and org.kind == ORG and ctx.person_org.get(person.key) == org.key and len(
                between) < 80 and not ctx.gaps["and"].search(between):
            j += step  # a holder and their own organisation are one conjunct: "AFRIPOL Executive Director Tarek Sharif"
            continue
        gap = text[a.mention.end:b.mention.start]
        if a.key == b.key and (_PAREN_OPEN.fullmatch(gap) or gap.strip() == ","):
            # "Fonds ... pour l'enfance (UNICEF)", "the Economic and Financial Crimes Commission, EFCC,": one name
            j += step
            continue
        if step > 0 and b.kind == PLACE and _PAREN_OPEN.fullmatch(gap) and text.startswith(")", b.mention.end) \
                and 0 <= j + 2 * step < len(items):
            # "the Guardia Civil (Spain), the Portuguese Navy": the country belongs to the name before it
            items = [*items[:j + step], *items[j + step + 1:]]
            skipped_place = True
            continue
        gap = _PAREN_CLOSE.sub("", gap)
        gap, skipped_place = (_PAREN_PLACE.sub("", gap) if skipped_place else gap), False
        if a.mention.start == b.mention.start and a.mention.source == b.mention.source == "collective":
            out.append(_as_type(ctx, items[j + step], allowed) or it)  # "les trois agences": all of them
            gaps.append(True)
            j += step
            continue
        nxt = _as_type(ctx, items[j + step], allowed)
        if nxt is None and 0 <= j + 2 * step < len(items):
            # a place that only qualifies the next name: "Romania's DIICOT", "the US FBI"
            mod = items[j + step]
            after = items[j + 2 * step] if step > 0 else items[j]
            before_mod = mod if step > 0 else items[j + 2 * step]
            if mod.kind == PLACE and re.fullmatch(r"(?:['’]s)?\s+", text[mod.mention.end:(
                    after if step > 0 else items[j]).mention.start]) and step > 0:
                gap = _PAREN_CLOSE.sub("", text[a.mention.end:mod.mention.start])  # "the NCA (NCA), Germany's BKA"
                nxt = _as_type(ctx, after, allowed)
                if nxt is not None and ctx.gaps["coord"].match(gap):
                    out.append(nxt)
                    gaps.append(bool(ctx.gaps["and"].search(gap)))
                    j += 2 * step
                    continue
            del before_mod
        if step > 0 and nxt is not None and a.kind == ORG and _as_type(ctx, a, allowed) is out[-1] \
                and _OWNER_GAP.fullmatch(gap):
            out[-1] = nxt  # "..., the French Gendarmerie's Cyberspace Command and ...": the unit is the conjunct
            j += step
            continue
        if not ctx.gaps["coord"].match(gap) or nxt is None:
            break
        out.append(nxt)
        gaps.append(bool(ctx.gaps["and"].search(gap)))
        j += step
    # gaps[0] is the one next to the first item; keep the list up to its closing conjunction
    if step < 0:
        return out if gaps and gaps[0] else out[:1]
    if True in gaps:
        return out[: gaps.index(True) + 2]
    if len(out) > 1 and ctx.gaps["and_next"].match(text, items[j].mention.end):
        return out
    return out[:1]


def _before(ctx: Context, items: list[Item], pos: int, allowed: frozenset[str],
            prefer: str | None = None, clause_subject: bool = False) -> list[Item]:
    """The nearest allowed item before ``pos`` (with its conjuncts); not the agent of another
    participle ("un centre géré par l'OIM et financé par l'UNICEF"). With ``clause_subject``, who
    acts in the clause: the agent may be ("menée par la Guardia Civil en coopération avec"), the
    partner of an earlier "with" may not ("..., en coopération avec Europol et en partenariat avec")."""
    text = ctx.article.text
    idx = [k for k, it in enumerate(items) if it.mention.end <= pos and _as_type(ctx, it, allowed)]
    # "Bureau régional d'INTERPOL pour l'Afrique centrale, basé à": the whole name, not one inside it
    idx = [k for k in idx if not any(items[j].mention.start <= items[k].mention.start
                                     and items[k].mention.end <= items[j].mention.end
                                     and items[j].mention.end - items[j].mention.start
                                     > items[k].mention.end - items[k].mention.start for j in idx)]
    marker = ctx.gaps["comitative_before" if clause_subject else "agent_before"]
    idx = [k for k in idx if not marker.search(text[max(0, items[k].mention.start - 12):items[k].mention.start])
           and not _COMPOUND.match(text, items[k].mention.end)]  # "an AFP-led investigation": a modifier
    if prefer:
        idx = [k for k in idx if items[k].kind == prefer] or idx
    return _chain(ctx, items, idx[-1], -1, allowed) if idx else []


def _after(ctx: Context, items: list[Item], pos: int, allowed: frozenset[str],
           limit: int | None = None) -> list[Item]:
    idx = [k for k, it in enumerate(items) if it.mention.start >= pos and _as_type(ctx, it, allowed)]
    if not idx:
        return []
    k0 = idx[0]
    if items[k0].kind in (PLACE, ORG) and k0 + 1 < len(items) and _as_type(ctx, items[k0 + 1], allowed - {PLACE}) \
            and re.fullmatch(r"(?:['’]s)?\s+" if items[k0].kind == PLACE else r"['’]s\s+",
                             ctx.article.text[items[k0].mention.end:items[k0 + 1].mention.start]):
        idx = [k for k in idx if k > k0]  # "Germany's BKA", "the DEA's Special Operations Division": a qualifier
    first = items[idx[0]]
    if limit is not None and _tokens_between(ctx.doc, pos, first.mention.start) > limit:
        return []
    return _chain(ctx, items, idx[0], 1, allowed)


def _tokens_between(doc: Doc, a: int, b: int) -> int:
    span = doc.char_span(a, b, alignment_mode="contract")
    return 0 if span is None else len([t for t in span if not t.is_punct])


def _prep_after(ctx: Context, match: TriggerMatch, preps: Iterable[str], window: int = WINDOW) -> Token | None:
    """The first of ``preps`` within a few tokens after the trigger (not across a clause)."""
    want = [tuple(p.lower().replace("'", "' ").split()) for p in preps]
    doc = ctx.doc
    sent_end = match.last.sent.end
    for i in range(match.last.i + 1, min(sent_end, match.last.i + 1 + window)):
        if doc[i].text in (";", ".") or doc[i].lower_ in ("qui", "which", "who"):
            return None
        for words in want:
            toks = [doc[k].lower_.replace("’", "'") for k in range(i, min(sent_end, i + len(words)))]
            if tuple(toks) == words:
                return doc[min(sent_end, i + len(words)) - 1]
    return None


def _participle_apposition(ctx: Context, match: TriggerMatch, nearest: Item) -> bool:
    """", based in ...", ", financé par ...": a participle set off by a comma right after a name."""
    gap = ctx.article.text[nearest.mention.end:match.start_char]
    tok = match.first
    part = "Part" in tok.morph.get("VerbForm", []) or tok.tag_ == "VBN"
    return part and re.fullmatch(r"\s*\)?\s*,\s*", gap) is not None


def _opens_sentence(ctx: Context, sent: int, match: TriggerMatch) -> bool:
    """The trigger is in a participle clause opening the sentence ("Coordonnée par ...", "Led by ...",
    "Doté de 8 millions d'euros et cofinancé par ..."): nothing named before it, no verb."""
    start, _ = ctx.sents.span(sent)
    dateline = ctx.article.dateline_span
    if dateline is not None and start <= dateline.start < match.start_char:
        start = max(start, dateline.end)
    before = ctx.article.text[start:match.start_char].strip(" –—-:")
    if len(before.split()) <= 1:
        return True
    if len(before.split()) > 10 or any(start <= it.mention.start < match.start_char for it in ctx.items.get(sent, [])):
        return False
    span = ctx.doc.char_span(start, match.start_char, alignment_mode="contract")
    return span is not None and span[0].pos_ not in ("DET", "PRON", "PROPN") and not any(
        t.pos_ in ("AUX", "PRON") or "Fin" in t.morph.get("VerbForm", []) for t in span)


def _coordinated_subject(ctx: Context, match: TriggerMatch, items: list[Item],
                         allowed: frozenset[str]) -> list[Item]:
    """The subject a coordinated verb shares with the verb it is joined to, when it has none of its own
    ("Kripos is a unit of the Norwegian Police Service and is based in Oslo"): not the nearest name."""
    tok, own = match.first, match.first
    while tok.dep_ == "conj" and tok.head.i < tok.i and tok.head.pos_ in ("VERB", "AUX"):
        if any(c.dep_ in _SUBJECT_DEPS for c in tok.children):
            return []
        tok = tok.head
    if tok is own:
        return []
    subj = next((c for c in tok.children if c.dep_ in _SUBJECT_DEPS), None)
    if subj is None or subj.lower_ in lexicon(ctx.article.lang)["relative_pronouns"]:
        return []
    k = next((k for k, it in enumerate(items) if it.mention.start <= subj.idx < it.mention.end
              and _as_type(ctx, it, allowed)), None)
    return [] if k is None else _chain(ctx, items, k, 1, allowed)


def _inverted_subject(ctx: Context, match: TriggerMatch, items: list[Item]) -> bool:
    """"Y ont pris part l'Administration fiscale ...": nothing named before the verb in its sentence and
    no subject of its own before it, so the names after it are who acts."""
    if any(it.mention.start < match.start_char for it in items):
        return False
    clitics = lexicon(ctx.article.lang)["inversion_clitics"]  # "y", which the parser takes for a subject
    subject = next((t for t in match.first.children if t.dep_ in (*_SUBJECT_DEPS, "expl")
                    and t.lower_ not in clitics), None)
    return subject is None or subject.idx > match.start_char


def _is_passive(match: TriggerMatch, agent_preps: list[str]) -> bool:
    tok = match.last
    nxt = list(tok.doc[tok.i + 1: tok.i + 3])
    after_aux = any(t.lemma_.lower() in ("être", "be") for t in tok.doc[max(0, match.first.i - 2):match.first.i])
    if after_aux:  # "est financé à hauteur de 18 millions d'euros par l'UE"
        nxt = [t for t in tok.doc[tok.i + 1: min(tok.sent.end, tok.i + 12)] if t.text not in (",", ";")]
    if any(t.lower_ in agent_preps for t in nxt):
        part = "Part" in match.first.morph.get("VerbForm", []) or match.first.tag_ == "VBN"
        prev_aux = any(t.lemma_.lower() in _AUX or t.lower_ in _AUX for t in tok.doc[max(0, match.first.i - 3):
                                                                                    match.first.i])
        return part or prev_aux
    return False


def _from_trigger(ctx: Context, match: TriggerMatch, items: list[Item], sent: int) -> list[Relation]:
    trig = match.trigger
    if trig.get("owner_follows_skips") and any(
            it.kind == ORG and ctx.gaps["of"].match(ctx.article.text[match.end_char:it.mention.start])
            for it in items if it.mention.start >= match.end_char):
        return []  # "au siège de l'OFAST, à Nanterre": the headquarters rule reads whose seat it is
    if any(it.kind in (ORG, INIT) and it.mention.start <= match.start_char and match.end_char <= it.mention.end
           for it in items):
        return []  # "the International Monetary Fund": a word of a name is no trigger
    if ctx.article.text[match.start_char - 1:match.start_char] == "-" and any(
            it.mention.end == match.start_char - 1 for it in items):
        return []  # "the EU-funded project": a compound participle, read by _compound_relations
    ev = evidence_for(ctx.article, ctx.sents, sent)
    conf = trig.confidence
    rel_name = trig.get("relation")
    by_object: dict[str, str] = trig.get("by_object") or {}
    by_subject: dict[str, str] = trig.get("by_subject") or {}
    names = [rel_name] if rel_name else list(dict.fromkeys([*by_object.values(), *by_subject.values()]))
    dom = frozenset().union(*(SIGNATURE[n][0] for n in names))
    if trig.get("subject_types"):  # "the agency's headquarters in": a place has no headquarters
        dom &= frozenset(trig.get("subject_types"))
    rng = frozenset().union(*(SIGNATURE[n][1] for n in names))
    subjects: list[Item] = []
    objects: list[Item] = []
    rule = trig.id
    agent_preps = trig.get("passive_agent") or []
    if trig.get("between"):
        pair = _after(ctx, items, match.end_char, dom, limit=WINDOW)
        if len(pair) >= 2:
            subjects, objects = pair[:1], pair[1:]
    elif trig.get("agent_preps"):
        prep = _prep_after(ctx, match, trig.get("agent_preps"), window=trig.get("agent_window", 3))
        if prep is not None:
            subjects = _after(ctx, items, prep.idx + len(prep.text), dom, limit=WINDOW)
            objects = _before(ctx, items, match.start_char, rng, prefer=INIT) or (
                _anaphor(ctx, sent, match, rng) if trig.get("object_in_context") else [])
    elif agent_preps and _is_passive(match, agent_preps):
        prep = _prep_after(ctx, match, agent_preps, window=12)
        if prep is not None:
            subjects = _after(ctx, items, prep.idx + len(prep.text), dom, limit=WINDOW)
            to = _prep_after(ctx, match, trig.get("object_preps"), window=3) if trig.get("passive_only") else None
            if to is not None and to.idx < prep.idx:  # "information was shared with the AFP by the DEA"
                objects = [o for o in _after(ctx, items, to.idx + len(to.text), rng, limit=3)
                           if o.mention.end <= prep.idx]
            else:
                objects = _coordinated_subject(ctx, match, items, rng) or _before(
                    ctx, items, match.start_char, rng) or ([] if _qualifies_a_noun(match) else _anaphor(
                        ctx, sent, match, rng))
            if not objects and subjects and _opens_sentence(ctx, sent, match):
                # "Coordonnée par l'OMD, l'opération a ...": the main clause's subject follows
                objects = _after(ctx, items, max(s.mention.end for s in subjects), rng)[:1]
            if not objects and trig.get("coord_subject") and len(subjects) >= 2:
                subjects, objects = subjects[:1], subjects[1:]  # "the agreement was signed by A and B"
            rule += "-passive"
    elif trig.get("passive_only"):
        return []
    elif trig.get("nominal"):
        subjects = _before(ctx, items, match.start_char, dom, clause_subject=bool(trig.get("clause_subject")))
        objects = _after(ctx, items, match.end_char, rng, limit=WINDOW)
    elif trig.get("reverse"):  # "Operation X involved A, B and C": the objects take part in the subject
        objects = _before(ctx, items, match.start_char, rng) or _anaphor(ctx, sent, match, rng)
        if not objects and trig.get("opens_on_previous") and _opens_sentence(ctx, sent, match) and sent > 0:
            # "Taking part were A, B and C": in the initiative the sentence before named first
            objects = [it for it in ctx.items.get(sent - 1, []) if it.kind == INIT][:1]
        if not objects and trig.get("object_in_context"):  # "Partner agencies included A, B and C."
            objects = _told_initiative(ctx, sent, match)
        subj = next((t for t in match.first.children if t.dep_ in _SUBJECT_DEPS), None)
        relative = subj is not None and subj.lower_ in lexicon(ctx.article.lang)["relative_pronouns"]
        if subj is not None and objects and not relative and not any(
                o.mention.start <= subj.idx < o.mention.end for o in objects):
            objects = []  # "une réunion ... au siège d'Europol a réuni X": Europol is not the subject
        subjects = _after(ctx, items, match.end_char, dom, limit=trig.get("object_window", WINDOW)) or \
            _listed_from(ctx, items, match.end_char, dom)  # "involved agencies from eight countries, including A"
    else:
        subjects = _coordinated_subject(ctx, match, items, dom) or _before(ctx, items, match.start_char, dom) or (
            [] if _qualifies_a_noun(match) else _anaphor(ctx, sent, match, dom))
        if not subjects and trig.get("object_in_context") and _inverted_subject(ctx, match, items):
            subjects = _after(ctx, items, match.end_char, dom, limit=4)  # "Y ont pris part la KAS et ..."
        if len(subjects) > 1 and _participle_apposition(ctx, match, subjects[0]):
            subjects = subjects[:1]  # "A and B (ACTO), based in Brasília": the participle qualifies B
        window = trig.get("object_window", WINDOW)
        if trig.get("object_preps"):
            prep = _prep_after(ctx, match, trig.get("object_preps"))
            if prep is not None:
                objects = _after(ctx, items, prep.idx + len(prep.text), rng, limit=window)
        elif trig.get("object_direct"):
            objects = _after(ctx, items, match.end_char, rng, limit=window)
        if not objects and trig.get("object_in_context") and (
                not trig.get("object_preps") or _prep_after(ctx, match, trig.get("object_preps")) is None):
            objects = _told_initiative(ctx, sent, match)  # "The RCMP and the FGR also took part."
        if not objects and trig.get("topic_in_sentence") and TOPIC in rng:
            objects = [it for it in items if it.kind == TOPIC]
            conf -= 0.15
        if not objects and trig.get("coord_subject") and len(subjects) >= 2:
            subjects, objects = subjects[:1], subjects[1:]
            rule += "-coordinated"
        if trig.get("require_object") and not objects:
            return []
    members_of_before = False
    if trig.get("object_before") and not trig.get("agent_preps") and not objects:
        objects = _before(ctx, items, match.start_char, rng)
        members_of_before = bool(trig.get("members_after"))  # "ASEANAPOL member countries, including ..."
    if trig.get("members_after") and objects and (not subjects or members_of_before):
        # "les États membres de la CEDEAO, parmi lesquels le Bénin, le Ghana et le Togo": the listed members
        subjects = _listed_after(ctx, items, objects[-1], dom)
    channel = None
    if trig.get("channel_preps"):
        prep = _prep_after(ctx, match, trig.get("channel_preps"), window=14)
        if prep is not None:
            via = _after(ctx, items, prep.idx + len(prep.text), frozenset({ORG, INIT}), limit=4)
            channel = via[0].key if via else None
    out = []
    for s in subjects:
        for o in objects:
            name = rel_name or by_object.get(o.kind) or by_subject.get(o.kind)
            if not name:
                continue
            name = (trig.get("by_object_subject") or {}).get(s.kind, name)
            sd, od = SIGNATURE[name]
            if s.kind in sd and o.kind in od and s.key != o.key:
                out.append(Relation(s.key, name, o.key, ev, round(conf, 2), rule, channel))
    return out


def _listed_after(ctx: Context, items: list[Item], after: Item, allowed: frozenset[str]) -> list[Item]:
    """The list that an inclusion marker ("dont", "including") opens after ``after``."""
    return _listed_from(ctx, items, after.mention.end, allowed)


def _listed_from(ctx: Context, items: list[Item], pos: int, allowed: frozenset[str]) -> list[Item]:
    """The list that an inclusion marker ("dont", "including") opens shortly after ``pos``."""
    markers = "|".join(re.escape(m) for m in lexicon(ctx.article.lang)["inclusion_markers"])
    m = re.match(rf"[^.;]{{0,60}}?\b(?:{markers})\b", ctx.article.text[pos:], re.I)
    if not m:
        return []
    return _after(ctx, items, pos + m.end(), allowed, limit=3)


def _qualifies_a_noun(match: TriggerMatch) -> bool:
    """"une opération conjointe coordonnée par Europol": the participle says who coordinates the noun
    before it, which no name stands for (the sentence's opening pronoun is someone else)."""
    tok = match.first
    return tok.dep_.startswith("acl") and tok.head.pos_ == "NOUN" and tok.head.i < tok.i


def _anaphor(ctx: Context, sent: int, match: TriggerMatch, allowed: frozenset[str]) -> list[Item]:
    """"It was supported by ...": a sentence opening with a pronoun or "the operation" refers to
    the first entity of the allowed type in the sentence before."""
    start, _ = ctx.sents.span(sent)
    opening = ctx.article.text[start:match.start_char].strip().lower().replace("’", "'")
    words = lexicon(ctx.article.lang)["anaphors"]
    if sent == 0 or not any(opening == w or opening.startswith(w + " ") for w in words):
        return []
    prev = [it for it in ctx.items.get(sent - 1, []) if _as_type(ctx, it, allowed)]
    if not prev:
        return []
    subject = _grammatical_subject(ctx, sent - 1)
    chosen = next((it for it in prev if subject is not None
                   and it.mention.start <= subject.idx < it.mention.end), prev[0])
    return [_as_type(ctx, chosen, allowed)]  # type: ignore[list-item]


def _told_initiative(ctx: Context, sent: int, match: TriggerMatch, back: int = 2) -> list[Item]:
    """The initiative a clause with no object of its own takes part in: the last one named before the
    trigger, in its sentence or the two before, within the paragraph or across a sentence that opens
    on "the operation" ("The RCMP and the FGR also took part."). None when those sentences are about
    a meeting ("A conference was held in Rome. Experts from 30 countries took part.")."""
    text = ctx.article.text
    anaphors = tuple(a + " " for a in lexicon(ctx.article.lang)["anaphors"])
    for k in range(sent, max(-1, sent - back - 1), -1):
        start, end = ctx.sents.span(k)
        if event_noun_pattern(ctx.article.lang).search(text[start:end]):
            return []
        named = [it for it in ctx.items.get(k, []) if it.kind == INIT and it.mention.end <= match.start_char]
        if named:
            return named[-1:]
        opens_paragraph = k == 0 or "\n" in text[ctx.sents.span(k - 1)[1]:start]
        if opens_paragraph and not text[start:end].lower().replace("’", "'").startswith(anaphors):
            return []
    return []


def _grammatical_subject(ctx: Context, sent: int) -> Token | None:
    """The subject of the main verb of a sentence, when the parser found one."""
    start, end = ctx.sents.span(sent)
    span = ctx.doc.char_span(start, end, alignment_mode="expand")
    if span is None:
        return None
    return next((t for t in span.root.children if t.dep_ in _SUBJECT_DEPS), None)


def _structural(ctx: Context, items: list[Item], sent: int) -> list[Relation]:
    """Relations stated by the shape of a phrase rather than a verb."""
    text = ctx.article.text
    ev = evidence_for(ctx.article, ctx.sents, sent)
    out = []
    for a, b in itertools.pairwise(items):
        gap = text[a.mention.end:b.mention.start]
        # a named unit of an organisation: "Point de contact VOYAGEURS d'Europol"
        if a.mention.source == "unit" and b.kind == ORG and ctx.gaps["of"].match(gap):
            out.append(Relation(a.key, "partOf", b.key, ev, 0.9, "unit-of-org"))
        # "Lyon (France)", "Lyon, France", "Vicence, en Italie"
        if a.kind == PLACE and b.kind == PLACE and re.fullmatch(r"\s*(?:\(|,)\s*(?:en|in|au|aux)?\s*", gap):
            after = text[b.mention.end:b.mention.end + 2]
            if (gap.strip() != "(" or after.startswith(")")) and _is_inside(a.key, b.key):
                out.append(Relation(a.key, "locatedIn", b.key, ev, 0.85, "place-in-place"))
        # "Europol's European Cybercrime Centre": a unit of the organisation before it
        if a.kind == ORG and b.kind == ORG and re.fullmatch(r"['’]s\s+", gap):
            out.append(Relation(b.key, "partOf", a.key, ev, 0.75, "possessive-unit"))
        # "INTERPOL's I-24/7 network", "EFCA's Atlantic Sentinel": the initiative of the organisation before it
        if a.kind == ORG and b.kind == INIT and re.fullmatch(r"['’]s\s+", gap):
            out.append(Relation(a.key, "leads", b.key, ev, 0.65, "possessive-initiative-of"))
    for a in items:
        # "Commission de la CEDEAO": the body named after the organisation it belongs to
        if a.kind == ORG and a.mention.source == "org-unit":  # "OSCE Secretariat"
            for b in items:
                if b.kind == ORG and b is not a and b.mention.start == a.mention.start < b.mention.end < a.mention.end:
                    out.append(Relation(a.key, "partOf", b.key, ev, 0.75, "named-after-parent"))
        if a.kind == ORG and a.mention.source == "of-org":
            for b in items:
                if b.kind == ORG and b is not a and names_parent(text, a.mention, b.mention, ctx.article.lang):
                    out.append(Relation(a.key, "partOf", b.key, ev, 0.7, "named-after-parent"))
        # "au siège d'AFRIPOL à Alger", "at Europol's headquarters in The Hague"
        if a.kind == ORG:
            before = text[max(0, a.mention.start - 40):a.mention.start]
            after = text[a.mention.end:a.mention.end + 60]
            place = next((p for p in items if p.kind == PLACE and p.mention.start >= a.mention.end
                          and ctx.gaps["hq_place"].fullmatch(text[a.mention.end:p.mention.start])), None)
            if place is not None and (ctx.gaps["hq_of"].search(before) or ctx.gaps["hq_after"].match(after)):
                out.append(Relation(a.key, "locatedIn", place.key, ev, 0.8, "headquarters-in"))
    # an acronym defined in parentheses is part of the gap ("the OSCE Border Management Staff College (BMSC) in"),
    # and a name inside a name is part of the name ("le Bureau central national d'INTERPOL à Madrid")
    outermost = _outermost(items)
    outer = [it for k, it in enumerate(outermost) if not (
        (it.mention.source == "acronym" or (k > 0 and outermost[k - 1].key == it.key))
        and text[it.mention.start - 1:it.mention.start] == "(" and text[it.mention.end:it.mention.end + 1] == ")")]
    for a, b in itertools.pairwise(outer):
        # "the OSCE Secretariat in Vienna", "la Commission de la CEDEAO à Abuja": a body's seat
        if (a.kind == ORG and b.kind == PLACE and a.mention.source in _UNIT_SOURCES
                and ctx.gaps["seat"].fullmatch(text[a.mention.end:b.mention.start]) and _is_city(b.key)):
            out.append(Relation(a.key, "locatedIn", b.key, ev, 0.7, "unit-in-city"))
    for a, b in itertools.pairwise([it for it in outer if it.kind == ORG]):
        if a.key != b.key and ctx.gaps["acronym_of"].match(text[a.mention.end:b.mention.start]):
            out.append(Relation(a.key, "partOf", b.key, ev, 0.7, "acronym-of-org"))
    for k, b in enumerate(items):
        if b.kind != ORG or k == 0:
            continue
        a = items[k - 1]
        gap = text[a.mention.end:b.mention.start]
        after = text[b.mention.end:b.mention.end + 40]
        noun = ctx.gaps["member_of"].match(gap)
        if noun:
            at = a.mention.end + noun.start("noun")
        elif ctx.gaps["member_before"].match(gap) and (noun := ctx.gaps["member_after"].match(after)):
            at = b.mention.end + noun.start("noun")
        else:
            continue
        # "A and B, the EU's agencies": both; "the World Bank and MONEYVAL, the Council of Europe's body": one
        word = ctx.doc.char_span(at, at + len(noun.group("noun")), alignment_mode="expand")
        single = word is not None and "Sing" in word[0].morph.get("Number", [])
        members = _chain(ctx, items, k - 1, -1, frozenset({ORG}))
        for member in members[:1] if single else members:
            out.append(Relation(member.key, "partOf", b.key, ev, 0.75, "apposition-agency-of"))
    for k, a in enumerate(items[:-1]):
        b = items[k + 1]
        if a.kind in (INIT, ORG) and b.kind == ORG and ctx.gaps["tool_of"].match(text[a.mention.end:b.mention.start]):
            out.append(Relation(b.key, "leads", a.key, ev, 0.75, "apposition-platform-of"))
    for a, b in itertools.pairwise(items):
        # "Programme Sahel de l'ONUDC", "Stratégie antiterroriste de la CEDEAO"
        if a.kind == INIT and b.kind == ORG and ctx.gaps["genitive"].match(text[a.mention.end:b.mention.start]):
            out.append(Relation(b.key, "leads", a.key, ev, 0.6, "initiative-of-org"))
    out += _compound_relations(ctx, items, ev)
    out += _member_lists(ctx, items, ev)
    out += _cue_relations(ctx, _outermost(items), ev)
    for it in items:
        if it.kind != INIT:
            continue
        # an initiative named after what it fights: "projet sur les combattants terroristes étrangers"
        for t in items:
            if t.kind == TOPIC and it.mention.start < t.mention.start and t.mention.end <= it.mention.end:
                out.append(Relation(it.key, "targets", t.key, ev, 0.8, "initiative-named-after-topic"))
        # "son projet", "its operation": led by the sentence's organisation
        if ctx.gaps["poss"].search(text[max(0, it.mention.start - 12):it.mention.start]):
            orgs = [o for o in items if o.kind == ORG and not (
                it.mention.start <= o.mention.start < it.mention.end)]
            if orgs:
                # the nearest one before ("funded by Canada through its Program"), else the first after
                # ("Dans le cadre de son programme X, l'ONUDC ...")
                preceding = [o for o in orgs if o.mention.end <= it.mention.start]
                leader = preceding[-1] if preceding else orgs[0]
                out.append(Relation(leader.key, "leads", it.key, ev, 0.6, "possessive-initiative"))
    return out


def _compound_relations(ctx: Context, items: list[Item], ev: Evidence) -> list[Relation]:
    """An organisation in a compound adjective before an initiative: "the EU-funded Seaport Cooperation
    Project", "an operation ... Codenamed Tidewater, the MAOC (N)-coordinated interception" (lexicon
    compound_participles: the participle and the relation it states); a place before a body: "the
    Toronto-based Egmont Secretariat" (compound_seat_participles)."""
    text = ctx.article.text
    participles = lexicon(ctx.article.lang)["compound_participles"]
    seat = set(lexicon(ctx.article.lang)["compound_seat_participles"])
    inits = [it for it in items if it.kind == INIT]
    out = []
    for a in items:
        m = _COMPOUND.match(text, a.mention.end)
        if a.kind == PLACE and m and m.group(1).lower() in seat:  # "the Lisbon-based EMSA"
            body = next((o for o in items if o.kind == ORG and o.mention.start >= m.end() and re.fullmatch(
                r"(?:\s+[a-z\-]+){0,2}\s+", text[m.end():o.mention.start])), None)
            name = ctx.doc.char_span(body.mention.start, body.mention.end, alignment_mode="expand") if body else None
            if body is not None and name is not None and not (
                    name.end < len(ctx.doc) and ctx.doc[name.end].pos_ == "NOUN"):
                out.append(Relation(body.key, "locatedIn", a.key, ev, 0.75, "compound-seat"))  # not "INTERPOL bureau"
            continue
        if a.kind != ORG or not m or m.group(1).lower() not in participles:
            continue
        # the initiative the compound qualifies, a few lowercase words on; else the sentence's only one
        target = next((i for i in inits if i.mention.start >= m.end() and re.fullmatch(
            r"(?:\s+[a-zà-ÿ\-]+){0,3}\s+", text[m.end():i.mention.start])), None)
        if target is None and len({i.key for i in inits}) == 1 and ctx.gaps["initiative_noun"].match(text, m.end()):
            target = inits[0]
        if target is not None:
            out.append(Relation(a.key, participles[m.group(1).lower()], target.key, ev, 0.7, "compound-participle"))
    return out


def _member_lists(ctx: Context, items: list[Item], ev: Evidence) -> list[Relation]:
    """Countries listed as an organisation's member states: "nine of SARPCCO's member countries: A, B and
    C", "A, B and C, all of them CARICOM Member States", "A et B figurent parmi les États membres de l'OIF"."""
    text = ctx.article.text
    start, end = ev.start, ev.end
    out = []
    for m in ctx.gaps["member_states"].finditer(text, start, end):
        owner = next((o for o in reversed(items) if o.kind == ORG and o.mention.end <= m.start()
                      and ctx.gaps["owner_before"].fullmatch(text, o.mention.end, m.start())), None)
        after = ctx.gaps["owner_after"].match(text, m.end())
        if owner is None and after:
            owner = next((o for o in items if o.kind == ORG and o.mention.start == after.end()), None)
        if owner is None:
            continue
        named_from = max(m.end(), owner.mention.end)
        first = next((k for k, it in enumerate(items) if it.mention.start >= named_from), None)
        if first is not None and items[first].kind == PLACE and ctx.gaps["list_opens"].fullmatch(
                text, named_from, items[first].mention.start):
            members = _chain(ctx, items, first, 1, frozenset({PLACE}))
        else:
            named_to = min(m.start(), owner.mention.start)
            last = next((k for k in range(len(items) - 1, -1, -1) if items[k].mention.end <= named_to), None)
            if last is None or items[last].kind != PLACE or not ctx.gaps["list_before"].fullmatch(
                    text, items[last].mention.end, named_to):
                continue
            members = _chain(ctx, items, last, -1, frozenset({PLACE}))
        out += [Relation(p.key, "memberOf", owner.key, ev, 0.7, "member-list") for p in members]
    return out


def _outermost(items: list[Item]) -> list[Item]:
    """The items no longer item holds: "OAS" inside "OAS General Secretariat" is part of its name."""
    return [it for it in items if not any(
        o is not it and o.mention.start <= it.mention.start and it.mention.end <= o.mention.end
        and o.mention.end - o.mention.start > it.mention.end - it.mention.start for o in items)]


@cache
def _exchange_cue(lang: str) -> re.Pattern[str]:
    """The lexicon's exchange phrases with up to two words slipped between their words:
    "l'échange régulier d'informations", "exchange of operational information"."""
    loose = (r"\s+(?:\S+\s+){0,2}".join(re.escape(w) for w in phrase.lower().split())
             for phrase in lexicon(lang)["exchange_nouns"])
    return re.compile("|".join(loose) or "(?!)")


def _cue_relations(ctx: Context, items: list[Item], ev: Evidence) -> list[Relation]:
    """Weaker sentence-level cues: an initiative and a topic in a sentence about fighting
    something ("une opération de lutte contre le trafic ..."); two organisations joined as
    the subject of a sentence about their cooperation or information exchange."""
    lex = lexicon(ctx.article.lang)
    quote = list(ev.quote)
    for it in items:  # a cue word inside a name ("Mécanisme ... pour la coopération policière") is no cue
        quote[it.mention.start - ev.start:it.mention.end - ev.start] = " " * (it.mention.end - it.mention.start)
    low = "".join(quote).lower().replace("’", "'")
    out = []
    inits = [it for it in items if it.kind == INIT]
    topics = [it for it in items if it.kind == TOPIC]
    if inits and topics and any(c in low for c in lex["target_cues"]):
        for t in topics:
            if t.mention.start > inits[0].mention.start:
                init = max((i for i in inits if i.mention.start < t.mention.start), key=lambda i: i.mention.start)
                out.append(Relation(init.key, "targets", t.key, ev, 0.55, "initiative-topic-cue"))
    coop = any(n in low for n in lex["cooperation_nouns"])
    exch = _exchange_cue(ctx.article.lang).search(low) is not None
    if coop or exch:
        orgs = [k for k, it in enumerate(items) if it.kind == ORG]
        if orgs:
            pair = _chain(ctx, items, orgs[0], 1, frozenset({ORG}))
            if len(pair) >= 2:
                for x, y in itertools.combinations(pair, 2):
                    if coop:
                        out.append(Relation(x.key, "cooperatesWith", y.key, ev, 0.55, "joint-cooperation"))
                    if exch:
                        out.append(Relation(x.key, "exchangesInformationWith", y.key, ev, 0.55, "joint-exchange"))
    return out


def _is_city(key: str) -> bool:
    known = known_entities().get(key)
    return known is not None and known.kind == "city"


def _is_inside(place: str, container: str) -> bool:
    """A place can sit in another unless the gazetteer says it is a country inside a city."""
    known = known_entities()
    p, c = known.get(place), known.get(container)
    if p and c:
        if p.country:
            return p.country == container
        return p.kind != "country" or c.kind == "region"
    return not (c and c.kind == "city")


def _dateline(ctx: Context, entities: list[Entity], key_of: dict[tuple[int, int], str]) -> list[Relation]:
    """"BRUXELLES (Belgique) –" states that the city is in the country."""
    art = ctx.article
    if art.dateline_span is None:
        return []
    places = sorted(
        (m for e in entities if e.type == PLACE for m in e.mentions
         if art.dateline_span.start <= m.start and m.end <= art.dateline_span.end),
        key=lambda m: m.start,
    )
    if len(places) < 2:
        return []
    sent = ctx.sents.index(art.dateline_span.start)
    ev = evidence_for(art, ctx.sents, sent)
    a, b = key_of[(places[0].start, places[0].end)], key_of[(places[1].start, places[1].end)]
    return [Relation(a, "locatedIn", b, ev, 0.95, "dateline")] if a != b else []


RuleFn = Callable[[Context, list[Item], int], list[Relation]]
