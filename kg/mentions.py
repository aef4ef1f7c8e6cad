"""Mentions: every stretch of an article that names an entity, a title or a topic.

Sources, strongest first: initiative and unit patterns, the gazetteer ruler, the
dateline, honorific + name, spaCy NER (cleaned of titles, articles and noise),
acronyms defined in the text, the topic thesaurus and agenda lists.
"""

from __future__ import annotations

import re
from bisect import bisect_right
from collections.abc import Iterable
from dataclasses import dataclass, replace
from functools import cache
from typing import Any

from spacy.matcher import PhraseMatcher
from spacy.tokens import Doc, Span

from kg.gazetteer import (
    alias_index,
    determiner_alternation,
    fold,
    honorifics,
    known_entities,
    known_key,
    lexicon,
    titles,
    topics,
    word_alternation,
)
from kg.model import Article, Mention

NER_TYPES = {
    "PER": "Person", "PERSON": "Person",
    "ORG": "Organization",
    "LOC": "Place", "GPE": "Place",
    "INITIATIVE": "Initiative",
}
PRIORITY = {"initiative": 0, "unit": 0, "of-org": 0, "org-unit": 0, "place-org": 0, "ministry": 0, "gazetteer": 1,
            "defined": 1,
            "dateline": 2,
            "honorific": 2, "acronym": 3, "ner": 4, "surname": 4, "generic": 5, "anaphor": 5}
# "(UNODC)", "(AGD&A)", and a capital inside a word: "(IberRed)"
_ACRONYM = re.compile(r"\(\s*([A-Z][A-Za-z0-9&\-]{0,3}[A-Z0-9&\-]{1,10}|[A-Z][a-z]+(?:[A-Z][a-z]*)+)\s*\)")
# "Anti-" before "Money Laundering Intelligence Office": the first word of a name, cut at its hyphen
_HYPHEN_PREFIX = re.compile(r"(?<![\w\-])[A-Z][a-z]*-$")
# between an organisation and its title: "World Bank Country Director", "Europol's Executive Director"
_QUALIFIED_TITLE_GAP = re.compile(r"(?:['’]s)?(?:\s+[A-Z][\w\-]*){0,2}\s+")
_QUOTED = r"(?:«\s*[^»\n]{1,60}?\s*»|\"[^\"\n]{1,60}\"|“[^”\n]{1,60}”)"
_CAPNAME = r"(?:[A-Z0-9][\w\-/]*(?:\s+(?:[A-Z0-9][\w\-/]*|[IVX]+|\d+))*)"


@dataclass(frozen=True)
class Sentences:
    """Sentence boundaries of a doc, for mapping an offset to its sentence."""

    starts: tuple[int, ...]
    ends: tuple[int, ...]

    def index(self, offset: int) -> int:
        """Index of the sentence containing ``offset``."""
        return max(0, bisect_right(self.starts, offset) - 1)

    def span(self, i: int) -> tuple[int, int]:
        """The character span of sentence ``i``."""
        return self.starts[i], self.ends[i]


def sentences(doc: Doc) -> Sentences:
    """Non-blank sentences of a doc, trimmed of surrounding white space (computed once per Doc)."""
    found = doc.user_data.get(_SENTENCES)
    if isinstance(found, Sentences):
        return found
    whole = doc_text(doc)
    starts, ends = [], []
    for s in doc.sents:
        text = whole[s.start_char:s.end_char]
        stripped = text.strip()
        if not stripped:
            continue
        lead = len(text) - len(text.lstrip())
        starts.append(s.start_char + lead)
        ends.append(s.start_char + lead + len(stripped))
    sents = doc.user_data[_SENTENCES] = Sentences(tuple(starts), tuple(ends))
    return sents


def content_ranges(article: Article) -> list[tuple[int, int]]:
    """The parts of the text that are content: the title, the body and the city the release was issued in
    (never furniture)."""
    out = [(article.body.start, article.body.end)]
    if article.title_span is not None:
        out.insert(0, (article.title_span.start, article.title_span.end))
    dateline = article.dateline_span
    if dateline is not None and not article.body.start <= dateline.start < article.body.end:
        out.insert(0, (dateline.start, dateline.end))  # the city of a header date line: "Bruxelles, 27/02/2024"
    return out


def _inside(start: int, end: int, ranges: Iterable[tuple[int, int]]) -> bool:
    return any(a <= start and end <= b for a, b in ranges)


def _strip_words(text: str, start: int, words: Iterable[str]) -> tuple[str, int]:
    """Drop leading words (determiners, honorifics) from a mention, moving its start."""
    changed = True
    ordered = sorted(words, key=len, reverse=True)
    while changed:
        changed = False
        low = text.lower()
        for w in ordered:
            wl = w.lower()
            if low.startswith(wl) and (wl.endswith("'") or (len(text) > len(w) and not text[len(w)].isalnum())):
                cut = len(w)
                rest = text[cut:]
                lead = len(rest) - len(rest.lstrip())
                text, start = rest[lead:], start + cut + lead
                changed = bool(text)
                break
    return text, start


def _strip_trailing(text: str) -> str:
    """Drop trailing punctuation, but keep a closing quote or bracket that has its opening one."""
    out = text.rstrip(" ,;:.-–—'\"«»()“”")
    for opening, closing in (("«", "»"), ("“", "”"), ("(", ")"), ('"', '"')):
        rest = text[len(out):]
        if out.count(opening) > out.count(closing) - (opening == closing) and closing in rest:
            out = text[: len(out) + rest.index(closing) + 1]
    return out


@cache
def _matchers(lang: str) -> tuple[PhraseMatcher, PhraseMatcher]:
    """Phrase matchers for titles and topics (case-insensitive), built once per language."""
    from kg.nlp import load_pipeline, nlp_text

    nlp = load_pipeline(lang).nlp
    vocab = nlp.vocab
    title_m = PhraseMatcher(vocab, attr="LOWER")
    for t in titles():
        forms = [*t.get("fr", []), *t.get("en", [])]
        title_m.add(t["id"], [nlp.make_doc(nlp_text(f)) for f in forms if f])
    topic_m = PhraseMatcher(vocab, attr="LOWER")
    for key, topic in topics().items():
        forms = [*topic.labels.values(), *(t for _, t in topic.alt_labels)]
        topic_m.add(key, [nlp.make_doc(nlp_text(f)) for f in forms if f])
    return title_m, topic_m


_DOC_TEXT = "coopkg_text"  # Doc.user_data key of doc_text's copy


_SENTENCES = "coopkg_sentences"  # Doc.user_data key: the Sentences of the Doc


def doc_text(doc: Doc) -> str:
    """``doc.text``, joined once per Doc: spaCy joins every token's text again at each access."""
    text = doc.user_data.get(_DOC_TEXT)
    if text is None:
        text = doc.user_data[_DOC_TEXT] = doc.text
    return str(text)


def extract_mentions(article: Article, doc: Doc) -> list[Mention]:
    """All entity, title and topic mentions of an article, overlaps resolved."""
    lang = article.lang
    lex = lexicon(lang)
    text = doc_text(doc)
    sents = sentences(doc)
    content = content_ranges(article)
    title_m, topic_m = _matchers(lang)

    title_spans = [
        Mention(s.start_char, s.end_char, s.text, "Title", "title", doc.vocab.strings[mid])
        for mid, s in (
            (mid, doc[a:b]) for mid, a, b in title_m(doc)
        )
    ]
    title_spans = _longest(title_spans)
    cands: list[Mention] = []
    cands += initiative_mentions(text, lex)
    cands += unit_mentions(text, lex)
    cands += entity_mentions(doc, lex, title_spans)
    cands += dateline_mentions(article)
    cands += honorific_mentions(doc, lang)
    cands += generic_mentions(text, lex)
    cands += anaphor_mentions(text, lex, cands)
    cands += title_office_mentions(text, lex, title_spans)
    cands += ministry_mentions(doc, lex, title_spans)
    cands += named_by_acronym_mentions(doc, lex, [*cands, *title_spans])
    cands += defined_name_mentions(doc, lex, [*cands, *title_spans])
    cands = [m for m in cands if _inside(m.start, m.end, content)]
    cands += place_org_mentions(doc, lex, cands)
    cands += of_org_mentions(doc, lex, cands)
    cands += org_unit_mentions(text, lang, cands)
    cands += apposed_name_mentions(text, lex, [*cands, *title_spans])
    cands += enumerated_name_mentions(doc, lex, cands)
    apposed = [m for m in cands if m.source == "apposition"]
    cands = [m for m in cands if not (m.source == "ner" and m.type == "Organization" and any(
        a.start <= m.start and m.end <= a.end for a in apposed))]
    # "Mme Sofia Berg": a known place that begins a name after an honorific is the name's first word
    cands = [m for m in cands if not (m.type == "Place" and m.source == "gazetteer" and any(
        h.source == "honorific" and h.start == m.start and m.end < h.end for h in cands))]
    kept = _resolve_overlaps(cands)
    kept = redefined_acronyms(text, kept)
    kept += acronym_mentions(text, kept, content)
    kept += bare_initiative_names(text, kept, content, lex)
    kept = _resolve_overlaps(kept)
    kept = persons_named_as_organisations(text, kept, title_spans, lex)
    kept = places_named_as_persons(text, kept, lex)
    kept += surname_mentions(text, kept, content)
    # the organisation named inside "Commission de la CEDEAO" or "OSCE Secretariat" stays a mention of its own
    kept += [m for m in cands if m.type == "Organization" and m.source in ("gazetteer", "ner", "place-org")
             and any((k.source == "of-org" and names_parent(text, k, m, lang))
                     or (k.source == "org-unit" and k.start == m.start and m.end < k.end) for k in kept)]
    kept += named_parent_mentions(text, lex, kept)
    # the country of "Minister of Foreign Affairs of North Macedonia" stays a place of its own
    kept += [m for m in cands if m.type == "Place" and m.source == "gazetteer"
             and any(k.source == "ministry" and k.start < m.start and m.end <= k.end for k in kept)]
    topic_spans = [
        Mention(s.start_char, s.end_char, s.text, "Topic", "topic", doc.vocab.strings[mid])
        for mid, s in ((mid, doc[a:b]) for mid, a, b in topic_m(doc))
    ]
    topic_spans += agenda_topics(doc, lex, kept)
    # an NER "organisation" that is mostly a topic ("Transnational Organised Crime") is not one, unless an
    # organisation's word after the topic ends it ("National Organised Crime Group")
    heads = _org_head_words(lex)
    kept = [k for k in kept if not (k.type == "Organization" and k.source == "ner" and any(
        k.start <= t.start and t.end <= k.end and 2 * (t.end - t.start) >= k.end - k.start
        and not (t.end < k.end and fold(k.text.split()[-1]) in heads) for t in topic_spans))]
    # a topic word inside an organisation's name ("Directorate for ... Organised Crime and Terrorism") is not a topic
    orgs = [k for k in kept if k.type == "Organization"]
    topic_spans = [m for m in _longest(topic_spans) if _inside(m.start, m.end, content)
                   and not any(o.start <= m.start and m.end <= o.end for o in orgs)]
    titles_kept = [m for m in title_spans if _inside(m.start, m.end, content)
                   and not any(k.start <= m.start and m.end <= k.end and k.type != "Person" and k.source != "ministry"
                               for k in kept)]
    out = [*kept, *topic_spans, *titles_kept]
    return sorted((replace(m, sent=sents.index(m.start)) for m in out), key=lambda m: (m.start, m.end, m.type))


def _longest(spans: list[Mention]) -> list[Mention]:
    """Keep the longest of overlapping spans of one layer (an agenda item wins a tie)."""
    out: list[Mention] = []
    for m in sorted(spans, key=lambda m: (-(m.end - m.start), m.source != "agenda", m.start)):
        if not any(m.start < o.end and o.start < m.end for o in out):
            out.append(m)
    return sorted(out, key=lambda m: m.start)


def _resolve_overlaps(cands: list[Mention]) -> list[Mention]:
    """Of overlapping mentions keep the strongest source, then the longest."""
    out: list[Mention] = []
    order = sorted(cands, key=lambda m: (PRIORITY.get(m.source, 9), -(m.end - m.start), m.start))
    for m in order:
        if not any(m.start < o.end and o.start < m.end for o in out):
            out.append(m)
    return sorted(out, key=lambda m: m.start)


def _org_head_words(lex: dict[str, Any]) -> set[str]:
    """The one-word heads of organisation and unit names, folded ("agency", "secretariat", "division")."""
    return {fold(w) for w in (*lex["generic_org_heads"], *lex["unit_heads"]) if " " not in w}


@cache
def event_noun_pattern(lang: str) -> re.Pattern[str]:
    """A word of the lexicon's event nouns ("conférence", "meeting"): what names an event, not an entity."""
    return re.compile(rf"(?i)\b(?:{_head_regex(lexicon(lang)['event_nouns'])})\b")


def _capitalised(heads: Iterable[str]) -> str:
    """An alternation of the lexicon's heads with a capital first letter ("Projet", "Joint operation")."""
    return _alternation(tuple(h[:1].upper() + h[1:] for h in heads))


def _head_regex(heads: Iterable[str]) -> str:
    """An alternation of lexicon words, longest first, any apostrophe and run of spaces."""
    return _alternation(tuple(heads))


@cache
def _alternation(heads: tuple[str, ...]) -> str:
    return f"(?:{word_alternation(heads)})"


def initiative_mentions(text: str, lex: dict[str, Any]) -> list[Mention]:
    """Named operations, teams, projects: a head word then a quoted or capitalised name,
    or a head word with a scope ("projet sur les combattants terroristes étrangers")."""
    head = _head_regex(lex["initiative_heads"])
    acr = r"(?:\s*\(\s*[A-Z][A-Z0-9\-]{1,10}\s*\))?"
    named = re.compile(rf"(?i:\b{head}){acr}\s*(?:{_QUOTED}|(?-i:{_CAPNAME}))")
    out = []
    for m in named.finditer(text):
        span = _strip_trailing(m.group(0))
        if len(span.split()) > 12:
            continue
        out.append(Mention(m.start(), m.start() + len(span), span, "Initiative", "initiative"))
    # a name given by a naming word: "an investigation ... codenamed 'Moonstone'", "baptisée « Lune »"
    naming = re.compile(rf"(?i:\b{_head_regex(lex['initiative_naming_words'])})\s+(?:[«\"“‘']\s*)?"
                        rf"((?-i:{_CAPNAME}))(?:\s*[»\"”’'])?")
    for m in naming.finditer(text):
        name = _strip_trailing(m.group(1))
        if not any(o.start <= m.start(1) < o.end for o in out) and not re.match(rf"(?i:{head})\b", name):
            out.append(Mention(m.start(1), m.start(1) + len(name), name, "Initiative", "initiative"))
    # a capitalised head with its acronym: "Joint Investigation Team (JIT)"
    acr_only = re.compile(rf"(?i:\b{head})(?=\s*\(\s*[A-Z][A-Z0-9\-]{{1,10}}\s*\))")
    for m in acr_only.finditer(text):
        words = m.group(0).split()
        before = re.search(r"([\w\-]+)\s+$", text[max(0, m.start() - 40):m.start()])
        if before and before.group(1)[:1].isupper():
            continue  # the head ends a longer name: "Seaport Cooperation Project (SEACOP)"
        if all(w[:1].isupper() for w in words if len(w) > 3) and not any(
                o.start <= m.start() < o.end for o in out):
            out.append(Mention(m.start(), m.end(), m.group(0), "Initiative", "initiative"))
    # a capitalised head, a name in lower case and its acronym: "Projet d'appui à la lutte contre les flux
    # financiers illicites (PALFFI)" (a known name keeps its entity: "Programme alimentaire mondial (PAM)")
    cased = re.compile(rf"(?<![\w\-])(?-i:{_capitalised(lex['initiative_heads'])})\s+[^,.;:()«»\n]{{3,100}}?"
                       rf"(?=\s*\(\s*[A-Z][A-Za-z0-9&\-]{{1,10}}\s*\))")
    for m in cased.finditer(text):
        defined = re.match(r"\s*\(\s*([^)\s]+)", text[m.end():])
        if known_key(m.group(0)) or (defined and known_key(defined.group(1))) or any(
                o.start < m.end() and m.start() < o.end for o in out):
            continue
        out.append(Mention(m.start(), m.end(), m.group(0), "Initiative", "initiative"))
    # a standing kind of joint initiative named in lower case: "a joint investigation team (JIT)"
    terms = re.compile(rf"(?i:\b{_head_regex(lex['initiative_terms'])})(?![\w\-])")
    for m in terms.finditer(text):
        if not any(o.start < m.end() and m.start() < o.end for o in out):
            out.append(Mention(m.start(), m.end(), m.group(0), "Initiative", "initiative"))
    # a quoted name presented as an initiative: "« Chemins sûrs », un programme conjoint"
    nouns = _head_regex([*lex["initiative_heads"], *lex["initiative_nouns"]])
    dets = _head_regex(lex["determiners"])
    presented = re.compile(rf"({_QUOTED})\s*,\s*(?i:{dets})\s*(?:\w+\s+)?(?i:{nouns})\b")
    for m in presented.finditer(text):
        if not any(o.start <= m.start(1) < o.end for o in out):
            out.append(Mention(m.start(1), m.end(1), m.group(1), "Initiative", "initiative"))
    # and a capitalised one: "Atlantic Sentinel, a multipurpose maritime operation led by EFCA"; the head
    # closes the phrase ("John Smith, a project manager" presents no project), the name is no known entity
    heads = _head_regex(lex["initiative_heads"])
    after = _head_regex(lex["after_presented_initiative"])
    capitalised = re.compile(
        rf"(?<![\w\-])([A-Z][\w\-]*(?:\s+(?:[A-Z][\w\-]*|\d{{4}})){{0,3}})\s*,\s*(?i:{dets})\s*"
        rf"(?:(?!(?i:{after})\b)[\w\-]+\s+){{0,3}}(?i:{heads})(?=\s*[,.;:(]|\s+\w+ed\b|\s+(?i:{after})\b)")
    for m in capitalised.finditer(text):
        name = m.group(1)
        if fold(name.split()[0]) in _function_words(tuple(lex["determiners"]), tuple(lex["after_presented_initiative"]),
                                                    tuple(lex["and_connectors"])) or known_key(name) or any(
                o.start < m.end(1) and m.start(1) < o.end for o in out):
            continue
        out.append(Mention(m.start(1), m.end(1), name, "Initiative", "initiative"))
    # the name in apposition after the head: "a two-year project, BALTIC-LINK, which will connect ..."
    apposed = re.compile(rf"(?i:\b{head})\s*,\s*((?-i:{_CAPNAME}))\s*,\s*"
                         rf"(?i:{_head_regex(lex['relative_pronouns'])})\b")
    for m in apposed.finditer(text):
        name = m.group(1)
        if not known_key(name) and not any(o.start < m.end(1) and m.start(1) < o.end for o in out):
            out.append(Mention(m.start(1), m.end(1), name, "Initiative", "initiative"))
    out.extend(_named_before_head(text, lex, out))
    scope = _head_regex(lex["initiative_scope_preps"])
    heads = _head_regex(lex["scoped_initiative_heads"])
    scoped = re.compile(rf"(?i:\b{heads}\s+{scope}\s+)([^,.;:()«»\n]{{3,80}})")
    stop = re.compile(rf"\s+{_head_regex(lex['scope_stop_words'])}\b")  # the scope ends at a clause
    count = re.compile(rf"(?:\d|(?i:{_head_regex(lex['collective_numbers'])})\b)")
    for m in scoped.finditer(text):
        tail = stop.split(m.group(1))[0]
        end = m.start(1) + len(tail.rstrip())
        if any(o.start <= m.start() < o.end for o in out) or count.match(m.group(1)):
            continue  # "le projet sur trois ans": a duration, not what the project is about
        out.append(Mention(m.start(), end, text[m.start():end], "Initiative", "initiative"))
    return out


_NAME_WORD = r"(?:[A-Z][\w'’]*(?:-[A-Z0-9][\w'’]*)*)"  # "ASEAN-Australia", never "EU-funded"


def _named_before_head(text: str, lex: dict[str, Any], found: list[Mention]) -> list[Mention]:
    """In languages that put the head last, capitalised words before an initiative's head: "the Better
    Migration Management programme" (the head in lower case is not part of the name), "the Tonga Police
    Development Program" (a capitalised one is). A known entity's name ("the European Union project") is not one."""
    heads = lex["initiative_heads_last"]
    if not heads:
        return []
    name = rf"{_NAME_WORD}(?:\s+(?:(?:{_head_regex(lex['name_joiners'])})\s+)?{_NAME_WORD}){{0,5}}"
    # "the Europe Latin America Programme of Assistance against ...": the name goes on after the head
    goes_on = rf"\s+(?:{word_alternation(lex['initiative_scope_words'])})\s+[A-Z]"
    pattern = re.compile(rf"(?<![\w\-’'])({name})\s+((?i:{_head_regex(heads)}))(?![\w\-])(?!{goes_on})")
    skip = _function_words(tuple(lex["determiners"]), tuple(lex["and_connectors"]))
    out: list[Mention] = []
    for m in pattern.finditer(text):
        words = m.group(1).split()
        while words and fold(words[0]) in skip:  # "The Better Migration ...": a capitalised determiner
            words = words[1:]
        if not words:
            continue
        start = m.end(1) - len(" ".join(words))
        end = m.end(2) if m.group(2)[:1].isupper() else m.end(1)
        span = text[start:end]
        if "\n" in text[start:m.end(2)] or re.search(r"['’]s\b", span) or known_key(" ".join(words)) or known_key(
                text[start:m.end(2)]) or any(
                o.start < m.end(2) and start < o.end for o in [*found, *out]):
            continue
        out.append(Mention(start, end, span, "Initiative", "initiative"))
    return out


@cache
def _function_words(*lists: tuple[str, ...]) -> frozenset[str]:
    """Determiners and connectors, folded: a capitalised one opens a sentence, not a name."""
    return frozenset(fold(w) for words in lists for w in words)


def org_unit_mentions(text: str, lang: str, cands: list[Mention]) -> list[Mention]:
    """A body named with its organisation's one-word name first: "OSCE Secretariat", "OSCE Border Management
    Staff College", "Commonwealth Secretariat" (languages that put the organisation after have no heads)."""
    lex = lexicon(lang)
    heads = lex["prefixed_unit_heads"]
    if not heads:
        return []
    # and the region it serves: "UNODC Regional Office for West and Central Africa"
    scope = ""
    if (before_region := _unit_scope(lang)) is not None:
        joiners = _head_regex(lex["name_joiners"])
        scope = rf"(?:{before_region.pattern}[A-Z][\w\-]*(?:\s+(?:(?:{joiners})\s+)?[A-Z][\w\-]*)*)?"
    tail = re.compile(rf"(?:\s+[A-Z][\w\-]*){{0,5}}?\s+(?:{_head_regex(h.title() for h in heads)})(?![\w\-]){scope}")
    out = []
    for m in cands:
        if m.type != "Organization" or m.source not in ("gazetteer", "ner") or " " in m.text.strip():
            continue
        t = tail.match(text, m.end)
        if t and "\n" not in t.group(0):
            out.append(Mention(m.start, t.end(), text[m.start:t.end()], "Organization", "org-unit"))
    return out


def place_org_mentions(doc: Doc, lex: dict[str, Any], cands: list[Mention]) -> list[Mention]:
    """A body named with a country or city in its name, in languages that put the head last:
    "Royal Malaysia Police", "Kenya Police Service" (the gazetteer's place must not split it)."""
    if not lex["org_head_follows_place"]:
        return []
    heads = {fold(w) for w in lex["generic_org_heads"] if " " not in w}
    text = doc_text(doc)
    out = []
    for p in cands:
        if p.type != "Place" or p.source not in ("gazetteer", "ner"):
            continue
        span = doc.char_span(p.start, p.end, alignment_mode="expand")
        if span is None:
            continue
        # up to three capitalised words after the place, the last of them a head: "Police Force"
        last = None
        for k in range(span.end, min(span.end + 3, len(doc))):
            if not (doc[k].is_title or doc[k].is_upper) or not doc[k].is_alpha:
                break
            if fold(doc[k].text) in heads:
                last = k
        if last is None or any(c.type == "Organization" and c.source in ("gazetteer", "ner") and c.start < doc[last].idx
                               and c.end > p.end for c in cands):
            continue  # "the US Federal Bureau of Investigation": the gazetteer or NER named what follows
        # and up to two name words before it: "Royal"; never a determiner or a preposition
        first = span.start
        while first > 0 and span.start - first < 2 and doc[first - 1].is_title and \
                doc[first - 1].pos_ in ("PROPN", "ADJ", "NOUN"):
            first -= 1
        start, end = doc[first].idx, doc[last].idx + len(doc[last].text)
        out.append(Mention(start, end, text[start:end], "Organization", "place-org"))
    return out


def ministry_mentions(doc: Doc, lex: dict[str, Any], title_spans: list[Mention]) -> list[Mention]:
    """The ministry a minister's title names: "le ministre de l'Intérieur et des Outre-mer" ->
    "Ministère de l'Intérieur et des Outre-mer", "Minister of Foreign Affairs of North Macedonia" ->
    "Ministry of Foreign Affairs of North Macedonia" (a mention spanning the title, named as the ministry)."""
    minister = re.compile(rf"^(?i:{_head_regex(lex['minister_words'])})\b")
    of = _head_regex(lex["portfolio_connectors"])
    det = determiner_alternation(lex["definite_articles"])
    # the rest of a portfolio: "de l'Intérieur et des Outre-mer", "of Foreign Affairs of North Macedonia";
    # each part after a joiner or a connector: "Minister of Justice Carlo Nordio" ends before the name
    joiner = _head_regex(lex["portfolio_joiners"])
    more = re.compile(rf"(?:\s+(?:(?:{joiner})\s+(?:(?:{of})\s*)?|(?:{of})\s*)(?:{det})?"
                      r"[A-ZÉ][\w\-]*(?:\s+[A-ZÉ][\w\-]*)*)*")
    # a ministry the text names: "le ministère roumain de la Justice", "the Ministry of Justice"
    named = re.compile(rf"\b(?i:{_head_regex(lex['ministry_heads'])})(?:\s+[a-zéèêëîïôûç\-]+)?\s+"
                       rf"(?:{of})\s*[A-ZÉ][\w\-]*(?:\s+[A-ZÉ][\w\-]*)*")
    text = doc_text(doc)
    tokens: dict[int, Any] = {}

    def portfolio_end(pos: int) -> int:
        """Where a portfolio ends: its capitalised words, and a lower-case adjective after one
        ("l'Administration territoriale", "des Affaires étrangères")."""
        end = more.match(text, pos).end()  # type: ignore[union-attr]
        if not tokens:
            tokens.update((t.idx, t) for t in doc)
        while text[end:end + 1] == " " and (tok := tokens.get(end + 1)) is not None and tok.pos_ == "ADJ" \
                and tok.text[:1].islower():
            end = more.match(text, tok.idx + len(tok.text)).end()  # type: ignore[union-attr]
        return end

    explicit = []
    for m in named.finditer(text):
        end = portfolio_end(m.end())
        explicit.append(Mention(m.start(), end, re.sub(r"\s+", " ", text[m.start():end]), "Organization",
                                "ministry"))
    # "la ministre roumaine de la Justice": a plain "minister" with a nationality and a portfolio
    portfolio = re.compile(rf"(?:\s+[a-zéèêëîïôûç\-]+)?(\s+(?:{of})\s*)[A-ZÉ]")
    out = []
    for t in title_spans:
        head = minister.match(t.text)
        if not head:
            continue
        if (t.key or "").startswith("minister-"):
            end = portfolio_end(t.end)
            name = lex["ministry_word"] + text[t.start + head.end():end]
        elif t.key == "minister" and (p := portfolio.match(text, t.end)):
            end = portfolio_end(p.start(1))
            field = re.sub(r"\s+", " ", text[p.start(1):end])
            # the ministry the article names with that portfolio, else one named after the title
            same = [e.text for e in explicit if fold(e.text).endswith(fold(field))]
            name = same[0] if same else lex["ministry_word"] + field
        else:
            continue
        out.append(Mention(t.start, end, re.sub(r"\s+", " ", name), "Organization", "ministry"))
    return out + [e for e in explicit if not any(o.start <= e.start < o.end for o in out)]


def title_office_mentions(text: str, lex: dict[str, Any], title_spans: list[Mention]) -> list[Mention]:
    """An office named after the post that heads it: "the Public Prosecutor's Office of Turin"."""
    if not lex["title_offices"]:
        return []
    the = determiner_alternation(lex["place_determiners"])
    office = re.compile(rf"['’]s\s+(?:{_head_regex(lex['title_offices'])})"
                        rf"(?:\s+{_head_regex(lex['office_place_connectors'])}\s+(?:{the})?[A-Z][\w\-]+"
                        r"(?:\s+[A-Z][\w\-]+)*)?")
    out = []
    for t in title_spans:
        m = office.match(text, t.end)
        if m and text[t.start:t.start + 1].isupper():
            out.append(Mention(t.start, m.end(), text[t.start:m.end()], "Organization", "unit"))
    return out


def unit_mentions(text: str, lex: dict[str, Any]) -> list[Mention]:
    """Named units inside an organisation: a unit head word then an upper-case or quoted name."""
    head = _head_regex(lex["unit_heads"])
    pat = re.compile(rf"(?i:\b{head})\s+(?:{_QUOTED}|(?-i:[A-Z][A-Z0-9\-]{{2,}}(?:\s+[A-Z][A-Z0-9\-]{{2,}})*))")
    return [Mention(m.start(), m.end(), m.group(0), "Organization", "unit") for m in pat.finditer(text)]


def entity_mentions(doc: Doc, lex: dict[str, Any], title_spans: list[Mention]) -> list[Mention]:
    """Gazetteer and NER entities, cleaned: no leading article, title or honorific; no noise."""
    lang = doc.lang_
    hon = honorifics().get(lang, [])
    dets = lex["determiners"]
    not_names = {fold(w) for w in lex["not_names"]}
    generic = {fold(w) for w in lex["generic_org_heads"]}
    org_words = {g for g in generic if " " not in g}
    head_words = _org_head_words(lex)
    index = alias_index()
    initiative_heads = _head_regex(lex["initiative_heads"])
    # "Global Maritime Crime Programme", "Europe Latin America Programme of Assistance against ..."
    heads_last = re.compile(rf"\s(?:{word_alternation(lex['initiative_heads_last'])})"
                            rf"(?:$|\s+(?:{word_alternation(lex['initiative_scope_words'])})\s)") \
        if lex["initiative_heads_last"] else None
    event_noun = event_noun_pattern(lang)
    dangling_end = re.compile(rf"\s+(?i:{_head_regex(lex['dangling_name_ends'])})"
                              rf"(?:\s+(?i:{_head_regex(lex['definite_articles'])}))?$|\s+(?i:{_head_regex(lex['definite_articles'])})$")
    presented = re.compile(rf"\s*,\s*(?i:{_head_regex(lex['determiners'])})\s*(?:\w+\s+)?"
                           rf"(?i:{_head_regex(lex['initiative_nouns'])})\b")
    # "EUR 2.8 million", "18 millions d'euros": an amount tagged as an organisation
    amount = re.compile(rf"(?:^|\s)(?:EUR|USD|GBP|CHF|[€$£])\s*\d"
                        rf"|\d[\d\s.,]*\s*(?i:{_head_regex(lex['amount_words'])}|[€$£])")
    out: list[Mention] = []
    for ent in _split_coordinated(doc):
        etype = NER_TYPES.get(ent.label_)
        if etype is None:
            continue
        key = ent.ent_id_ or None
        source = "gazetteer" if key else "ner"
        if key and (other := _other_countrys_body(doc_text(doc), ent.end_char, key, lex)) is not None:
            # "la Police nationale ivoirienne": not the French Police nationale the gazetteer names so
            out.append(Mention(ent.start_char, other, doc_text(doc)[ent.start_char:other], etype, "ner"))
            continue
        if key:
            out.append(Mention(ent.start_char, ent.end_char, ent.text, etype, source, key))
            continue
        text, start = _strip_words(ent.text, ent.start_char, dets)
        # "Anti-" + "Money Laundering Intelligence Office": NER began after the hyphen of the name's first word
        if start == ent.start_char and (prefix := _HYPHEN_PREFIX.search(doc_text(doc)[:start])):
            text, start = prefix.group(0) + text, prefix.start()
        # a title inside an entity ("Secrétaire Général Stock") is not part of the name
        for t in title_spans:
            if t.start <= start < t.end < start + len(text) + 1:
                rest = text[t.end - start:]
                lead = len(rest) - len(rest.lstrip())
                text, start = rest[lead:], t.end + lead
                etype = "Person" if text[:1].isupper() else etype
            elif t.start <= start and start + len(text) <= t.end:
                text = ""
        text, start = _strip_words(text, start, [*hon, *dets, *lex["ranks"]])
        text = _strip_trailing(_cut_unbalanced(text))
        text = re.sub(r"['’]s$", "", text)
        # "Plan régional d'aide aux réfugiés pour le" (Soudan): NER stopped inside a phrase; the name ends before it
        if dangling := dangling_end.search(text):
            text = text[:dangling.start()]
        if not _looks_like_name(text, etype, not_names, generic, amount) or _common_noun(text, doc_text(doc)):
            continue
        if event_noun.search(text):
            continue  # "Conférence Octopus", "44th Conference": a named event, not an entity
        if " " not in text and not text.isupper() and ent[-1].pos_ in ("NOUN", "ADJ", "VERB", "ADV"):
            continue  # "Clôture", "Stratégie": a capitalised common word, not a name
        known = known_key(text)
        if known:
            etype = known_entities()[known].type
        elif etype == "Place" and re.match(rf"(?i:{initiative_heads})\b", text) and text[:1].isupper():
            etype = "Initiative"  # "Plan régional d'aide aux réfugiés pour le Soudan", which NER calls a place
        elif etype == "Organization" and (re.match(rf"(?i:{initiative_heads})\b", text) or presented.match(
                doc_text(doc), start + len(text)) or (heads_last is not None and heads_last.search(text))):
            # "Programme de contrôle ...", "AFSECOM, le système de communication ...", "Global Maritime Crime
            # Programme" (a name the gazetteer does not know: "World Food Programme" is an organisation there)
            etype = "Initiative"
        if etype == "Person" and not known and len(text.split()) > 1 and org_words & {
                fold(w) for w in text.split() if w[:1].isupper()}:
            etype = "Organization"  # "Egmont Secretariat", "General Inspectorate for Migration": no person's name
        if etype == "Place" and not known and len(text.split()) > 1 and {
                fold(text.split()[0]), fold(text.split()[-1])} & head_words:
            etype = "Organization"  # "Centre régional de coordination des opérations": no place's name
        if etype == "Person" and (fold(text) in index):
            continue
        if etype == "Organization" and not known and lex["adjectives_follow_names"] and \
                fold(text.split()[0]) in head_words:
            text = _with_adjectives(doc, start, text, lex)  # "Division Antifraude" + "douanière"
        out.append(Mention(start, start + len(text), text, etype, source, known))
    return _as_other_countrys_body(out, lex)


def _as_other_countrys_body(mentions: list[Mention], lex: dict[str, Any]) -> list[Mention]:
    """A national body's bare name ("la Police nationale") in an article that also names it as another
    country's ("la Police nationale burkinabè", "... ivoirienne") is that country's body: it stands for
    that mention, not for the gazetteer's body of the country its key starts with."""
    adjectives = lex["nationality_adjectives"]
    out = []
    for m in mentions:
        own = (m.key or "").split("/", 1)[-1].split("-", 1)[0]
        if m.source == "gazetteer" and m.type == "Organization" and f"place/{own}" in known_entities():
            other = next((o for o in mentions if o.text.startswith(m.text + " ") and adjectives.get(
                (o.text[len(m.text) + 1:].split() or [""])[0]) not in (None, own)), None)
            if other is not None and other.key:
                m = Mention(m.start, m.end, m.text, m.type, m.source, other.key, m.sent)
            elif other is not None:
                m = Mention(m.start, m.end, m.text, m.type, "ner", None, m.sent, f"at:{other.start}:{other.end}")
        out.append(m)
    return out


def _with_adjectives(doc: Doc, start: int, text: str, lex: dict[str, Any]) -> str:
    """An organisation's name and the lower-case adjectives right after it, which NER leaves out
    ("Division Antifraude douanière"); not a nationality ("la Police nationale ivoirienne")."""
    span = doc.char_span(start, start + len(text), alignment_mode="expand")
    end = start + len(text)
    for tok in doc[span.end:] if span is not None else ():
        if not (tok.idx == end + 1 and doc_text(doc)[end] == " " and tok.pos_ == "ADJ" and tok.text[:1].islower()
                and tok.text not in lex["nationality_adjectives"]):
            break
        end = tok.idx + len(tok.text)
    return doc_text(doc)[start:end]


def _other_countrys_body(text: str, end: int, key: str, lex: dict[str, Any]) -> int | None:
    """Where a national body's name ends when a nationality adjective of another country follows it
    ("Police nationale" + "ivoirienne"), else None. A national body's key starts with its country's."""
    m = re.match(r"\s+([^\W\d_]+)", text[end:end + 40])
    country = lex["nationality_adjectives"].get(m.group(1)) if m else None
    own = key.split("/", 1)[-1].split("-", 1)[0]
    if m is None or country is None or country == own or f"place/{own}" not in known_entities():
        return None
    return end + m.end()


def _split_coordinated(doc: Doc) -> list[Span]:
    """NER spans repaired: one that joins two names ("Service des douanes du Nigeria et la
    Direction ...") is split; one cut after "and"/"of" ("Organised Crime and") is extended over
    the capitalised words that follow ("Terrorism")."""
    out = []
    connectors = {"and", "et", "of", "de", "for", "pour", "du", "des", "la", "the"}
    for ent in doc.ents:
        if ent.ent_id_ or ent.label_ not in ("ORG", "LOC", "GPE"):
            out.append(ent)
            continue
        end = ent.end
        if doc[end - 1].lower_ in connectors:
            while end < len(doc) and end - ent.end < 4 and doc[end].is_title and not doc[end].ent_id_:
                end += 1
            if end == ent.end:
                end -= 1
        # "Agence dans les Balkans occidentaux": a place phrase is not part of the name
        cut = next((i for i in range(ent.start + 1, end) if doc[i].lower_ in ("dans", "en", "à", "in", "at")), None)
        if cut is not None and ent.label_ == "ORG":
            end = cut
        start = ent.start
        for i in range(ent.start + 1, end - 1):
            if doc[i].lower_ in ("et", "and") and i > start and doc[i + 1].pos_ == "DET" and (
                    i + 2 < end and doc[i + 2].text[:1].isupper()):
                out.append(Span(doc, start, i, label=ent.label_))
                start = i + 2
        if end > start:
            out.append(Span(doc, start, end, label=ent.label_))
    return out


def _cut_unbalanced(text: str) -> str:
    """"Federal Bureau of Investigation (FBI" -> "Federal Bureau of Investigation"."""
    for opening, closing in (("(", ")"), ("«", "»"), ("“", "”")):
        i = text.rfind(opening)
        if i > 0 and closing not in text[i:]:
            text = text[:i].rstrip()
    return text


def _common_noun(text: str, doc_text: str) -> bool:
    """A capitalised single word that the article also writes in lower case ("Ransomware")."""
    return (" " not in text and not text.isupper() and text[:1].isupper()
            and re.search(rf"(?<!\w){re.escape(text.lower())}(?!\w)", doc_text) is not None)


def _looks_like_name(text: str, etype: str, not_names: set[str], generic: set[str],
                     amount: re.Pattern[str] | None = None) -> bool:
    if len(text) < 2 or (not text[:1].isupper() and not text[:1].isdigit()):
        return False
    folded = fold(text)
    if folded in not_names or folded in generic:
        return False
    words = text.split()
    if etype == "Person" and (len(words) > 5 or any(c.isdigit() for c in text)):
        return False
    if amount is not None and amount.search(text):
        return False  # "EUR 2.8 million", "18 millions d'euros": an amount tagged as an organisation
    return not (len(words) > 10 or text.endswith("'"))


@cache
def _unit_scope(lang: str) -> re.Pattern[str] | None:
    """The words before the region a body serves ("pour l'", "for the"), or None."""
    lex = lexicon(lang)
    if not lex["unit_scope_connectors"]:
        return None
    the = determiner_alternation(lex["definite_articles"])
    return re.compile(rf"\s+(?i:{_head_regex(lex['unit_scope_connectors'])})\s+(?:{the})?")


_INNER_ACRONYM = re.compile(r"(?<![\w\-])[A-Z][A-Z0-9]{2,}(?![\w\-])")


def named_parent_mentions(text: str, lex: dict[str, Any], kept: list[Mention]) -> list[Mention]:
    """The organisation a body's name says it belongs to, when the gazetteer took the whole name:
    "agence de l'Union européenne pour ...", "European Union Agency for ...", "EU Agency for ...".
    A mention of its own, so the organisation is in the graph even where the article names it only there."""
    nouns = _head_regex([*lex["member_nouns"], *lex["member_name_heads"]])
    dets = determiner_alternation(lex["definite_articles"])
    noun_of = re.compile(rf"(?:{dets})?(?i:{nouns})\s+(?:{word_alternation(lex['member_of_connectors'])})"
                         rf"\s*(?:{dets})?")
    before_noun = re.compile(rf"(?:{dets})?(.+?)\s+(?i:{nouns})(?![\w\-])")
    taken = {(m.start, m.end) for m in kept}
    out = []
    for body in kept:
        if body.type != "Organization" or body.source not in ("gazetteer", "ner"):
            continue
        name = text[body.start:body.end]
        found: tuple[int, int] | None = None
        if (m := noun_of.match(name)) is not None:  # "agence de l'Union européenne pour la coopération ..."
            ends = [w.end() for w in re.finditer(r"\S+", name[m.end():])][:_MAX_PARENT_WORDS]
            found = next(((m.end(), m.end() + e) for e in reversed(ends)
                          if known_key(name[m.end():m.end() + e], "Organization") not in (None, body.key)), None)
        elif (m := before_noun.match(name)) is not None and known_key(m.group(1), "Organization") not in (
                None, body.key):  # "European Union Agency for ..."
            found = m.span(1)
        elif body.source == "gazetteer":  # "ECOWAS Commission", "Bureau ... d'INTERPOL": a known acronym inside
            found = next((a.span() for a in _INNER_ACRONYM.finditer(name)
                          if known_key(a.group(), "Organization") not in (None, body.key)), None)
        if found is None or (body.start + found[0], body.start + found[1]) in taken:
            continue
        start, end = body.start + found[0], body.start + found[1]
        key = known_key(text[start:end], "Organization")
        out.append(Mention(start, end, text[start:end], "Organization", "named-parent", key))
        taken.add((start, end))
    return out


_MAX_PARENT_WORDS = 6


def names_parent(text: str, body: Mention, parent: Mention, lang: str) -> bool:
    """Whether ``body`` is named after ``parent`` ending it: "Commission de la CEDEAO", or before the
    region it serves ("Bureau régional d'INTERPOL pour l'Afrique centrale")."""
    if not body.start < parent.start or parent.end > body.end:
        return False
    scope = _unit_scope(lang)
    return parent.end == body.end or (scope is not None and scope.match(text, parent.end, body.end) is not None)


def of_org_mentions(doc: Doc, lex: dict[str, Any], cands: list[Mention]) -> list[Mention]:
    """A body named after the organisation or country it belongs to: "Commission de la CEDEAO",
    "National Police of Ecuador", "Institut de recherche criminelle de la gendarmerie nationale"."""
    heads = _org_head_words(lex)
    connectors = {fold(c) for c in lex["genitive_connectors"]} | {"l'", "la", "le", "les", "the", "de", "d'"}
    stop = {fold(w) for w in lex["and_connectors"]} | {"ou", "or"}
    genitive = {fold(c) for c in lex["genitive_connectors"] if " " not in c} | {"de", "d'", "du", "des", "of"}
    lower_ok = {"ministere", "ministry", "ministeres", "ministries"}
    text = doc_text(doc)
    event_noun = event_noun_pattern(doc.lang_)
    scope = _unit_scope(doc.lang_)
    dets = determiner_alternation(lex["determiners"])
    more_region = re.compile(rf"(?:\s+(?:{_head_regex(lex['name_joiners'])})\s+(?:{dets}){{0,2}}[A-ZÉ][\w\-]*)*")
    out = []
    for b in cands:
        if b.type not in ("Organization", "Place") or b.source not in ("gazetteer", "ner", "place-org"):
            continue
        span = doc.char_span(b.start, b.end, alignment_mode="expand")
        if span is None or span.start == 0:
            continue
        i = span.start - 1
        while i >= 0 and fold(doc[i].text) in connectors:
            i -= 1
        if not any(fold(doc[k].text) in genitive for k in range(i + 1, span.start)):
            continue  # "Agence dans les Balkans": only "of"-like words name a parent
        head = None
        for j in range(i, max(-1, i - 7), -1):
            tok = doc[j]
            if not (tok.is_alpha or tok.text in ("'s", "’s")) or fold(tok.text) in stop or tok.pos_ in ("VERB", "AUX"):
                break  # "La Commission a salué le travail du SELEC": a clause, not a name
            if fold(tok.text) in heads and (tok.text[:1].isupper() or fold(tok.text) in lower_ok):
                head = j
                break
            if tok.is_sent_start:
                break
        if head is None:
            continue
        while head > 0 and doc[head - 1].is_title and doc[head - 1].is_alpha and not doc[head].is_sent_start:
            head -= 1
        if fold(doc[head].text) in {fold(d) for d in lex["determiners"]}:
            head += 1
        start = doc[head].idx
        if prefix := _HYPHEN_PREFIX.search(text[:start]):  # "Anti-" + "Money Laundering ..."
            start = prefix.start()
        if event_noun.match(text, start):
            continue  # "Assemblée générale du CCPAC": a meeting of the body, not a body
        end = b.end
        # and the region it serves: "Bureau régional d'INTERPOL pour l'Afrique centrale"
        if scope is not None and (m := scope.match(text, b.end)):
            end = next((c.end for c in cands if c.type == "Place" and c.start == m.end()), end)
            if end > b.end:  # "pour l'Afrique de l'Ouest et du Centre": the region's other parts
                end = more_region.match(text, end).end()  # type: ignore[union-attr]
        out.append(Mention(start, end, text[start:end], "Organization", "of-org"))
    return out


def bare_initiative_names(text: str, kept: list[Mention], content: list[tuple[int, int]],
                          lex: dict[str, Any]) -> list[Mention]:
    """"CyberBridge" used alone after "le projet CyberBridge", and a name the rules found without its head
    ("a project, BALTIC-LINK, which ...") used again: mentions of that initiative."""
    head = re.compile(rf"^(?i:{_head_regex(lex['initiative_heads'])})\s+[«\"“]?\s*", re.U)
    out: list[Mention] = []
    for m in kept:
        if m.type != "Initiative":
            continue
        h = head.match(m.text)
        if not h and m.source != "initiative":
            continue
        name = m.text[h.end() if h else 0:].strip(" »\"”")
        if len(name) < 3 or not name[:1].isupper():
            continue
        for occ in re.finditer(rf"(?<![\w\-]){re.escape(name)}(?![\w\-])", text):
            if _inside(occ.start(), occ.end(), content) and not any(
                    k.start <= occ.start() < k.end for k in [*kept, *out]):
                out.append(Mention(occ.start(), occ.end(), name, "Initiative", "acronym", None,
                                   group=f"at:{m.start}:{m.end}"))
    return out


def generic_mentions(text: str, lex: dict[str, Any]) -> list[Mention]:
    """"l'Agence", "the Agency", "l'Organisation": a capitalised head word standing for an
    organisation the article names in full (resolution decides which, or drops it)."""
    heads = _head_regex(w.capitalize() for w in lex["generic_org_heads"])
    pat = re.compile(rf"(?:\b[Ll]['’]|\b[Ll]a\s+|\b[Ll]e\s+|\b[Tt]he\s+)({heads})(?![\w\-])")
    return [Mention(m.start(1), m.end(1), m.group(1), "Organization", "generic") for m in pat.finditer(text)]


def anaphor_mentions(text: str, lex: dict[str, Any], cands: list[Mention]) -> list[Mention]:
    """"l'opération", "the investigation": a definite description of an initiative named
    earlier (resolution links it to the nearest one before, or drops it)."""
    nouns = _head_regex(lex["initiative_anaphors"])
    dets = determiner_alternation(w for d in lex["definite_determiners"]
                                  for w in dict.fromkeys((d, d[:1].upper() + d[1:])))
    pat = re.compile(rf"\b(?:{dets})(?i:({nouns}))(?![\w\-]|\s+[«\"“A-Z])")
    demonstratives = set(lex["demonstratives"])
    # "CENcomm, la plateforme": an apposition to the initiative just named, not a reference ("..., ce projet
    # aidera" is one, and so is "Coordonnée par ... rattaché à la DGDDI, l'opération a mobilisé")
    named_before = {c.end for c in cands if c.type == "Initiative"}
    return [Mention(m.start(1), m.end(1), m.group(1), "Initiative", "anaphor") for m in pat.finditer(text)
            if not _after_comma_of(text, m.start(), named_before)
            or m.group(0).split()[0].lower() in demonstratives]


def _after_comma_of(text: str, start: int, ends: set[int]) -> bool:
    """Whether ``start`` follows a comma right after one of the names ending at ``ends`` (a closing
    quote or a parenthesised acronym between them: "« Chemins sûrs », la", "(AFIS), la")."""
    before = text[:start].rstrip()
    if not before.endswith(","):
        return False
    head = re.sub(r"\s*\([^()]{1,20}\)$", "", before[:-1].rstrip()).rstrip()
    return len(head) in ends or len(head.rstrip("»\"”").rstrip()) in ends


def dateline_mentions(article: Article) -> list[Mention]:
    """Places named in the dateline ("BRUXELLES (Belgique)", "Lyon, France")."""
    if not article.dateline or article.dateline_span is None:
        return []
    out = []
    base = article.dateline_span.start
    for m in re.finditer(r"[^(),]+", article.dateline):
        part = m.group(0).strip()
        if not part or any(ch.isdigit() for ch in part):
            continue
        lead = len(m.group(0)) - len(m.group(0).lstrip())
        start = base + m.start() + lead
        key = alias_index().get(fold(part))
        out.append(Mention(start, start + len(part), part, "Place", "dateline", key))
    return out


def persons_named_as_organisations(text: str, kept: list[Mention], titles: list[Mention],
                                   lex: dict[str, Any]) -> list[Mention]:
    """"said Helena Varga, World Bank Country Director", "Amélia Nhantumbo, who heads ...": a name the NER
    called an organisation is a person when a title (or a post's verb) follows it in apposition. Only
    capitalised words, none the head of an organisation's name, nothing the gazetteer knows."""
    heads = _org_head_words(lex)
    holder = re.compile(rf"\s*,\s*(?i:{word_alternation(lex['relative_pronouns'])})\s+(?:\w+\s+)?"
                        rf"(?i:{word_alternation(lex['holder_verbs'])})\b")
    title_at = {t.start for t in titles}
    org_at = {k.start: k for k in kept if k.type == "Organization"}
    out = []
    for k in kept:
        words = k.text.split()
        if k.source == "ner" and k.type == "Organization" and not k.key and 2 <= len(words) <= 4 and all(
                w[:1].isupper() and not w.isupper() and fold(w) not in heads for w in words):
            comma = re.match(r"\s*,\s*", text[k.end:])
            after = k.end + comma.end() if comma else -1
            org = org_at.get(after)
            titled_org = org is not None and any(
                org.end < t < org.end + 40 and _QUALIFIED_TITLE_GAP.fullmatch(text, org.end, t) for t in title_at)
            if comma and (after in title_at or holder.match(text, k.end) or titled_org):
                k = replace(k, type="Person")
        out.append(k)
    return out


def places_named_as_persons(text: str, kept: list[Mention], lex: dict[str, Any]) -> list[Mention]:
    """"arrested eleven people in Glasgow, Edinburgh and Aberdeen": a one-word name the NER called a person
    is a place after "in", "à" (the lexicon's place_connectors) or in a list with a place."""
    at = re.compile(rf"(?i:\b(?:{word_alternation(lex['place_connectors'])}))\s+$")
    joined = re.compile(rf"\s*(?:,|(?i:{word_alternation(lex['and_connectors'])}))\s*")
    places = [k for k in kept if k.type == "Place"]
    out = []
    for k in kept:
        if k.source == "ner" and k.type == "Person" and " " not in k.text and (
                at.search(text, max(0, k.start - 12), k.start) or any(
                    joined.fullmatch(text, *sorted((p.end, k.start) if p.end <= k.start else (k.end, p.start)))
                    for p in places)):
            k = replace(k, type="Place")
        out.append(k)
    return out


def surname_mentions(text: str, kept: list[Mention], content: list[tuple[int, int]]) -> list[Mention]:
    """"Hollis traveled to Tokyo": a person named in full earlier, then by the surname alone where the
    NER saw no one. Not a word of a longer capitalised name ("Hollis Street"), nor inside another mention."""
    out: list[Mention] = []
    persons = [m for m in kept if m.type == "Person" and len(m.text.split()) >= 2]
    for surname, first_end in {m.text.split()[-1]: m.end for m in reversed(persons)}.items():
        if len(surname) < 3 or not surname[:1].isupper() or surname.isupper():
            continue
        for m in re.finditer(rf"(?<![\w\-’'.]){re.escape(surname)}(?![\w\-]|\s+[A-ZÀ-Ý])", text):
            if m.start() > first_end and _inside(m.start(), m.end(), content) and not any(
                    k.start < m.end() and m.start() < k.end for k in [*kept, *out]):
                out.append(Mention(m.start(), m.end(), surname, "Person", "surname"))
    return out


def honorific_mentions(doc: Doc, lang: str) -> list[Mention]:
    """"M. Stock", "Mme Federica Mogherini", "Ms Smith": honorific then capitalised name."""
    hon = sorted(honorifics().get(lang, []), key=len, reverse=True)
    if not hon:
        return []
    alts = "|".join(re.escape(h) for h in hon)
    particles = "|".join(re.escape(p) for p in lexicon(lang)["name_particles"])
    name = rf"[A-ZÀ-Ý][\w\-']+(?:\s+(?:(?:{particles})\s+)?[A-ZÀ-Ý][\w\-']+){{0,3}}"
    pat = re.compile(rf"(?<![\w.])(?:{alts})\s+({name})")
    out = []
    for m in pat.finditer(doc_text(doc)):
        out.append(Mention(m.start(1), m.end(1), m.group(1), "Person", "honorific"))
    ranks = "|".join(re.escape(r) for r in sorted(lexicon(lang)["ranks"], key=len, reverse=True))
    two_names = rf"[A-ZÀ-Ý][\w\-']+(?:\s+(?:(?:{particles})\s+)?[A-ZÀ-Ý][\w\-']+){{1,3}}"
    for m in re.finditer(rf"(?<![\w.])(?i:{ranks})\s+({two_names})", doc_text(doc)):
        out.append(Mention(m.start(1), m.end(1), m.group(1), "Person", "honorific"))
    return out


def apposed_name_mentions(text: str, lex: dict[str, Any], cands: list[Mention]) -> list[Mention]:
    """A name in apposition after a title (and its organisation) that NER missed: "the Director of the
    Commercial Crime Investigation Department, Ramli Mohamed Yoosuf." is a person."""
    particles = "|".join(re.escape(p) for p in lex["name_particles"])
    name = re.compile(rf"\s*,\s+([A-ZÀ-Ý][\w\-']+(?:\s+(?:(?:{particles})\s+)?[A-ZÀ-Ý][\w\-']+){{1,3}})(?=\s*[,.;])")
    link = re.compile(rf"\s+(?:{word_alternation(lex['genitive_connectors'])})\s*"
                      rf"(?:{determiner_alternation(lex['definite_articles'])})?|\s+")
    name_before = re.compile(rf"(?:[,;]\s+|\s(?:{word_alternation(lex['and_connectors'])})\s+|(?<=[a-zà-ÿ])\s+)"
                             rf"([A-ZÀ-Ý][\w\-']+(?:\s+(?:(?:{particles})\s+)?[A-ZÀ-Ý][\w\-']+){{1,3}})\s*,\s*"
                             rf"(?:{determiner_alternation(lex['definite_articles'])})?$")
    named = [c for c in cands if c.type in ("Organization", "Place")]
    heads = _org_head_words(lex)
    out = []
    for t in cands:
        if t.type != "Title":
            continue
        end = t.end
        while (gap := link.match(text, end)) is not None and (
                nxt := next((c for c in named if c.start == gap.end()), None)) is not None:
            end = max(nxt.end, *(c.end for c in named if c.start == nxt.start))
        m = name.match(text, end)
        if m and not any(_holds_another(c, m.start(1), m.end(1), heads) for c in cands):
            out.append(Mention(m.start(1), m.end(1), m.group(1), "Person", "apposition"))
        # and before it: "..., et Tarek Sharif, directeur exécutif d'AFRIPOL", "said Lerato Dlamini, Head of"
        b = name_before.search(text, max(0, t.start - 80), t.start)
        if b and not any(_holds_another(c, b.start(1), b.end(1), heads) for c in [*cands, *out]):
            out.append(Mention(b.start(1), b.end(1), b.group(1), "Person", "apposition"))
    return out


def enumerated_name_mentions(doc: Doc, lex: dict[str, Any], cands: list[Mention]) -> list[Mention]:
    """A French-style name that lists its remits ("Commission nationale d'accueil, de réinsertion des
    réfugiés et des rapatriés (CNARR)", "ministère de l'Économie, des Finances et de la Souveraineté
    industrielle"): an organisation's mention extended over ", de ... et de ...", up to a parenthesis or
    punctuation, and never over a verb."""
    text = doc_text(doc)
    gen = word_alternation(lex["genitive_connectors"])
    both = word_alternation(lex["and_connectors"])
    part = r"[^,.;:()«»\n]{1,60}?"
    tail = re.compile(rf"(?:\s*,\s*(?i:{gen})\s*{part}){{0,4}}\s*,?\s+(?i:{both})\s+(?i:{gen})\s*{part}"
                      rf"(?=\s*(?:\(|[,.;:]|$))")
    first = re.compile(rf"\s*,\s*(?i:{gen})\s*")
    out = []
    for m in cands:
        # a name as written and not known: a ministry named by its minister's title keeps its own label
        if m.type != "Organization" or m.key is not None or m.text != text[m.start:m.end] \
                or not first.match(text, m.end):
            continue
        t = tail.match(text, m.end)
        if t is None:
            continue
        span = doc.char_span(m.end, t.end(), alignment_mode="expand")
        if span is None or any(tok.pos_ in ("VERB", "AUX") for tok in span):
            continue
        out.append(Mention(m.start, t.end(), text[m.start:t.end()], m.type, m.source, None))
    return out


def _holds_another(c: Mention, start: int, end: int, org_words: set[str]) -> bool:
    """Whether candidate ``c`` keeps the name at ``start:end`` from being a person's: any overlap does,
    but a piece NER called an organisation, unknown and with no word of an organisation's name
    ("Calado" of "Teresa Calado", "Lerato Dlamini")."""
    if not (c.start < end and start < c.end):
        return False
    return not (c.source == "ner" and c.type == "Organization" and c.key is None and start <= c.start
                and c.end <= end and not org_words & {fold(w) for w in c.text.split()})


def named_by_acronym_mentions(doc: Doc, lex: dict[str, Any], cands: list[Mention]) -> list[Mention]:
    """A name the gazetteer lacks, followed by a known acronym: "le Centre de coopération en matière
    d'application de la loi en Europe du Sud-Est (SELEC)" is a mention of that acronym's entity.

    The name runs from a definite article and a capital (the furthest one in its clause) to the
    parenthesis, with no verb, person or title in it: a translation or variant of a known name.
    """
    text = doc_text(doc)
    index = alias_index()
    known = known_entities()
    the = re.compile(rf"(?:^|(?<=[\s\-–—]))(?i:{determiner_alternation(lex['definite_articles'])})(?=[A-ZÉ])")
    out: list[Mention] = []
    for m in _ACRONYM.finditer(text):
        key = index.get(m.group(1))
        if key is None or key not in known or any(
                c.key == key and 0 <= m.start() - c.end <= 2 for c in cands):
            continue
        end = len(text[:m.start()].rstrip())
        clause = max(text.rfind(ch, 0, end) for ch in ",;:.()«»\"\n") + 1
        for d in the.finditer(text, clause, end):
            start = d.end()
            blocked = any(c.type in ("Person", "Title") and c.start < end and start < c.end for c in cands)
            span = doc.char_span(start, end, alignment_mode="expand")
            if blocked or span is None or len(span) < 2 or any(t.pos_ in ("VERB", "AUX") for t in span):
                continue
            out.append(Mention(start, end, text[start:end], known[key].type, "gazetteer", key))
            break
    return out


def long_form(acronym: str, before: str) -> int | None:
    """Where the name an acronym abbreviates begins in ``before`` (the text up to its parenthesis), or None.

    Schwartz and Hearst's rule (PSB 2003): the acronym's letters occur in order in the name, the
    first at the start of its first word: "Pacific Islands Chiefs of Police (PICP)".
    """
    letters = [fold(c) for c in acronym if c.isalnum()]
    if len(letters) < 2:
        return None
    before = fold_chars(before)  # "Équipe intégrée ... (EILTA)": accents do not count
    i = len(before) - 1
    for n in range(len(letters) - 1, -1, -1):
        while i >= 0 and (before[i] != letters[n] or (n == 0 and i > 0 and before[i - 1].isalnum())):
            i -= 1
        if i < 0:
            return None
        i -= 1
    return i + 1


def _spelt_by_initials(acronym: str, name: str) -> bool:
    """Whether the acronym's letters are, in order, first letters of the name's words (other words between)."""
    initials = iter(fold(w[0]) for w in re.split(r"[\s\-'’]+", name) if w)
    return all(any(c == i for i in initials) for c in fold(acronym) if c.isalnum())


def defined_name_mentions(doc: Doc, lex: dict[str, Any], cands: list[Mention]) -> list[Mention]:
    """An organisation's name that nothing else found, defined by the acronym after it and led or ended by an
    organisation's word: "the Pacific Islands Chiefs of Police (PICP)", "Commission nationale ... (CNARR)"."""
    text = doc_text(doc)
    heads = _org_head_words(lex)
    out: list[Mention] = []
    for m in _ACRONYM.finditer(text):
        acronym = m.group(1)
        end = len(text[:m.start()].rstrip())
        window = _long_form_window(text, end, min(len(acronym) + 5, 2 * len(acronym)))
        at = long_form(acronym, text[window:end])
        if at is None:
            continue
        # the shortest spelling first, then longer ones its initials also spell: "des stupéfiants et des drogues"
        # is no name, "Direction de la police des stupéfiants et des drogues (DPSD)" is
        shortest = window + at
        found = _defined_name(doc, shortest, end, acronym, heads, cands)
        if found is None and not any(c.start <= shortest and end <= c.end for c in cands):
            first = fold(acronym[0])
            for w in reversed(list(re.finditer(r"\S+", text[window:shortest]))):
                if _not_in_a_name(doc.lang_).search(text[window + w.start():shortest]):
                    break  # "AMERIPOL and the Amazon ...", "Centre (FRC), the ...", "NCA's National ..."
                if fold(w.group()[:1]) == first and (
                        found := _defined_name(doc, window + w.start(), end, acronym, heads, cands)) is not None:
                    break
        if found is not None:
            out.append(found)
    return out


@cache
def _not_in_a_name(lang: str) -> re.Pattern[str]:
    """What a name an acronym defines does not reach across: punctuation, a possessive, a conjunction."""
    return re.compile(rf"[,;:()«»\"]|['’]s\b|\s(?:{word_alternation(lexicon(lang)['and_connectors'])})\s", re.I)


def _defined_name(doc: Doc, start: int, end: int, acronym: str, heads: set[str],
                  cands: list[Mention]) -> Mention | None:
    """The organisation name ``text[start:end]`` an acronym defines, if it is one nothing else found."""
    text = doc_text(doc)
    span = doc.char_span(start, end, alignment_mode="expand")
    # every letter a word's first: a name, whatever the tagger says of its words ("zone sud" as a verb)
    initials = _spelt_by_initials(acronym, text[start:end])
    if span is None or len(span) < 2 or not span[0].text[:1].isupper() or any(
            (t.pos_ in ("VERB", "AUX") and not initials) or (t.is_sent_start and t.i > span.start) for t in span):
        return None
    initiative = re.match(rf"(?i:{_head_regex(lexicon(doc.lang_)['initiative_heads'])})\b", text[start:end])
    ends = {fold(span[0].text), fold(span[-1].text)}
    if not ((ends | {w[:-1] for w in ends if w.endswith("s")}) & heads or initiative) or any(
            (c.start <= start and end <= c.end)
            or (c.type in ("Person", "Title") and c.start < end and start < c.end) for c in cands):
        return None
    # "Équipe intégrée de lutte contre le trafic d'armes (EILTA)": a joint team, an initiative
    return Mention(start, end, text[start:end], "Initiative" if initiative else "Organization", "defined")


def fold_chars(text: str) -> str:
    """``text`` lower-cased with each accented letter as its base letter, one character for one."""
    return "".join(fold(c)[:1] or c.lower() if not c.isascii() else c.lower() for c in text)


_FUNCTION_WORD = re.compile(r"(?:[a-z]{1,3}|[dl]['’]\w*)$")  # "de", "la", "des", "et", "of", "the", "d'armes"


def _long_form_window(text: str, end: int, limit: int) -> int:
    """Where the text an acronym's name may start in begins: ``limit`` words back from ``end`` (Schwartz and
    Hearst's bound), short lower-case function words not counted ("Direction de la police des stupéfiants
    et des drogues (DPSD)")."""
    words = list(re.finditer(r"\S+", text[max(0, end - 400):end]))
    counted, start = 0, end
    for w in reversed(words):
        if counted >= limit:
            break
        counted += not _FUNCTION_WORD.match(w.group())
        start = max(0, end - 400) + w.start()
    return start


def _names_of(key: str) -> tuple[str, ...]:
    """The gazetteer's names and aliases of an entity (not its acronyms)."""
    rec = known_entities()[key]
    return (*rec.names.values(), *rec.aliases)


def redefined_acronyms(text: str, kept: list[Mention]) -> list[Mention]:
    """A known acronym the article defines for another name it spells ("la Cour pénale spéciale (CPS)",
    not the Crown Prosecution Service): its uses in this article are no mentions of the gazetteer's entity,
    so acronym_mentions gives them to the name."""
    other = set()
    for m in _ACRONYM.finditer(text):
        acr = m.group(1)
        owner = next((k for k in reversed(kept) if k.end <= m.start() and m.start() - k.end <= 2), None)
        if owner is None or owner.type != "Organization" or owner.text == acr:
            continue
        known = known_key(acr)
        if known is None or known in (owner.key, known_key(owner.text)) or any(
                fold(name) in fold(owner.text) for name in _names_of(known)):
            continue  # "Commission de la Communauté économique des États de l'Afrique de l'Ouest (CEDEAO)"
        if long_form(acr, owner.text) is not None and _spelt_by_initials(acr, owner.text):
            other.add(acr)
    return [k for k in kept if not (k.source == "gazetteer" and k.text in other)]


def acronym_mentions(text: str, kept: list[Mention], content: list[tuple[int, int]]) -> list[Mention]:
    """Acronyms defined in parentheses after a mention, and their later uses alone."""
    out: list[Mention] = []
    defined: dict[str, Mention] = {}
    for m in _ACRONYM.finditer(text):
        acr, a_start = m.group(1), m.start(1)
        before = [k for k in kept if k.end <= m.start() and m.start() - k.end <= 2]
        inside = [k for k in kept if k.start <= m.start() and m.end() <= k.end]
        owners = inside or before
        owner = owners[-1] if owners else None
        if owner is None or owner.type in ("Person", "Topic", "Title") or acr in defined:
            continue
        defined[acr] = owner
        if not inside:
            out.append(Mention(a_start, a_start + len(acr), acr, owner.type, "acronym", owner.key,
                               group=f"at:{owner.start}:{owner.end}"))
    for acr, owner in defined.items():
        for m in re.finditer(rf"(?<![\w\-]){re.escape(acr)}(?![\w\-])", text):
            if not _inside(m.start(), m.end(), content):
                continue
            if any(k.start <= m.start() < k.end for k in [*kept, *out]):
                continue
            out.append(Mention(m.start(), m.end(), acr, owner.type, "acronym", owner.key,
                               group=f"at:{owner.start}:{owner.end}"))
    return out


def agenda_topics(doc: Doc, lex: dict[str, Any], entities: list[Mention]) -> list[Mention]:
    """Items of an agenda list ("figuraient le terrorisme, le trafic de migrants et ...")."""
    triggers = [fold(t) for t in lex["agenda_triggers"]]
    dets = lex["determiners"]
    out = []
    whole = doc_text(doc)
    lowered = [x.lower() for x in lex["agenda_triggers"]]
    for sent in doc.sents:
        sent_text = whole[sent.start_char:sent.end_char]  # Span.text would make a Token per word
        # tokens after the last trigger, folded text positions align with tokens by order
        sent_lower = sent_text.lower()
        last_trigger_end = max((sent_lower.rfind(t) + len(t) for t in lowered if t in sent_lower), default=-1)
        if last_trigger_end < 0:  # checked first: folding every sentence costs more than the rest
            continue
        low = fold(sent_text)
        if not any(f" {t} " in f" {low} " for t in triggers):
            continue
        start_char = sent.start_char + last_trigger_end
        toks = [t for t in sent if t.idx >= start_char]
        out += _list_items(toks, dets, entities)
    # "addressed the conference": an event, not a topic
    return [m for m in out if not event_noun_pattern(doc.lang_).search(m.text)]


_SKIP_POS = {"VERB", "AUX", "ADP", "ADV", "PUNCT", "SCONJ", "PRON", "DET", "SPACE", "PART"}


def _list_items(toks: list[Any], dets: list[str], entities: list[Mention]) -> list[Mention]:
    """Split a run of tokens into coordinated noun-phrase items."""
    i = 0
    while i < len(toks) and ((toks[i].pos_ in _SKIP_POS and toks[i].text not in dets) or toks[i].text in
                              ("on", "sur", "as", "such")):
        if toks[i].text in dets:
            break
        i += 1
    items: list[list[Any]] = [[]]
    for t in toks[i:]:
        if t.text in (".", ";", ":", "!", "?", "»", "«"):
            break
        if t.text == "," or t.lower_ in ("et", "and") or t.lower_ == "ainsi" or t.lower_ == "que":
            items.append([])
            continue
        items[-1].append(t)
    out = []
    for item in items:
        while item and (item[0].text.lower() in dets or item[0].pos_ in ("DET", "ADP", "CCONJ")):
            item = item[1:]
        while item and item[-1].pos_ in ("PUNCT", "DET", "ADP", "CCONJ"):
            item = item[:-1]
        if not item or len(item) > 25 or not any(t.pos_ in ("NOUN", "PROPN") for t in item):
            continue
        if any(t.pos_ in ("VERB", "AUX") and "Part" not in t.morph.get("VerbForm") and
               t.tag_ not in ("VBN", "VBG") for t in item):
            continue
        start, end = item[0].idx, item[-1].idx + len(item[-1].text)
        if any(e.start <= start and end <= e.end for e in entities if e.type != "Topic"):
            continue
        span_text = doc_text(item[0].doc)[start:end]
        out.append(Mention(start, end, span_text, "Topic", "agenda"))
    return out


def span_of(doc: Doc, m: Mention) -> Span | None:
    """The spaCy span of a mention (None when it does not fall on token boundaries)."""
    return doc.char_span(m.start, m.end, alignment_mode="expand")
