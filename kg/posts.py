"""Posts: who holds which title in which organisation, from appositions in either order.

"Le Secrétaire Général d'INTERPOL, M. Jürgen Stock"; "Ms X, Executive Director of Europol";
"Europol's Executive Director, Ms X"; "Mme X, Haut représentant de l'UE ... et également
Vice-président de la Commission" (two posts).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache

from kg.gazetteer import honorifics, lexicon, titles
from kg.mentions import Sentences
from kg.model import Article, Entity, Evidence, Mention, Post


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
    of = "|".join(sorted((re.escape(c).replace("'", "['’]") for c in lex["of_connectors"]), key=len,
                         reverse=True))
    hon = "|".join(re.escape(h) for h in sorted(honorifics().get(lang, []), key=len, reverse=True)) or "x^"
    det = "|".join(re.escape(d).replace("'", "['’]") for d in lex["determiners"])
    both = "|".join(re.escape(a) for a in lex["and_connectors"])
    return {
        "of": re.compile(rf"^\s*(?:{of})\s*(?:(?:{det})\s*)?$", re.I),
        "comma_hon": re.compile(rf"^\s*,?\s*(?:(?:{hon})\s*)?$"),
        "comma_det": re.compile(rf"^\s*,\s*(?:(?:{det})\s+|l['’])?$", re.I),
        "poss": re.compile(r"^\s*(?:['’]s)?\s*$"),
        "and": re.compile(rf"(?:^|[\s,])(?:{both})(?:\s|$)", re.I),
    }


def sentence_items(mentions: list[Mention], key_of: dict[tuple[int, int], str]) -> dict[int, list[Item]]:
    """Mentions grouped by sentence, in text order, each with its entity key."""
    out: dict[int, list[Item]] = {}
    for m in sorted(mentions, key=lambda m: m.start):
        if m.type == "Title":
            out.setdefault(m.sent, []).append(Item("Title", m, m.key or ""))
        elif (m.start, m.end) in key_of:
            out.setdefault(m.sent, []).append(Item(m.type, m, key_of[(m.start, m.end)]))
    return out


def extract_posts(article: Article, mentions: list[Mention], entities: list[Entity],
                  sents: Sentences) -> list[Post]:
    """Posts stated in apposition: person, title and organisation in one phrase."""
    key_of = {(m.start, m.end): e.key for e in entities for m in e.mentions}
    gaps = _gaps(article.lang)
    text = article.text
    heads = {t["id"] for t in titles() if t.get("head")}
    found: dict[tuple[str, str, str], Post] = {}

    def gap(a: Item, b: Item) -> str:
        return text[a.mention.end:b.mention.start]

    def add(person: Item, title: Item, org: Item, rule: str, sent: int, full: str = "") -> None:
        if title.key in heads and rule != "title-of-org-person":
            return
        ev = evidence_for(article, sents, sent)
        tkey = title.key
        label = title.mention.text
        aliases = tuple(a for a in dict.fromkeys([f"{label}{gap(title, org)}{org.mention.text}", full])
                        if a and a != label)
        k = (person.key, tkey, org.key)
        if k not in found:
            found[k] = Post(person.key, label, org.key, ev, tkey, aliases, 0.9, rule)

    for sent, items in sentence_items(mentions, key_of).items():
        n = len(items)
        for i, it in enumerate(items):
            if it.kind != "Title":
                continue
            nxt = items[i + 1] if i + 1 < n else None
            nxt2 = items[i + 2] if i + 2 < n else None
            prev = items[i - 1] if i > 0 else None
            prev2 = items[i - 2] if i > 1 else None
            # TITLE of ORG, PERSON
            if (nxt and nxt2 and nxt.kind == "Organization" and nxt2.kind == "Person"
                    and gaps["of"].match(gap(it, nxt)) and gaps["comma_hon"].match(gap(nxt, nxt2))):
                add(nxt2, it, nxt, "title-of-org-person", sent)
            # ORG('s) TITLE, PERSON
            if (prev and nxt and prev.kind == "Organization" and nxt.kind == "Person"
                    and gaps["poss"].match(gap(prev, it)) and gaps["comma_hon"].match(gap(it, nxt))):
                add(nxt, it, prev, "org-title-person", sent)
            # PERSON, TITLE of ORG [qualifier] [and TITLE of ORG]*
            if (prev and nxt and prev.kind == "Person" and nxt.kind == "Organization"
                    and gaps["comma_det"].match(gap(prev, it)) and gaps["of"].match(gap(it, nxt))):
                add(prev, it, nxt, "person-title-of-org", sent, _qualified(text, it, nxt, items[i + 2:]))
                _coordinated(items, i + 2, prev, add, sent, gaps, text)
            # PERSON, ORG('s) TITLE
            if (prev and prev2 and prev.kind == "Organization" and prev2.kind == "Person"
                    and gaps["comma_det"].match(gap(prev2, prev)) and gaps["poss"].match(gap(prev, it))):
                add(prev2, it, prev, "person-org-title", sent)
    return sorted(found.values(), key=lambda p: (p.person, p.title_key, p.org))


def _qualified(text: str, title: Item, org: Item, rest: list[Item]) -> str:
    """The full title phrase: title, organisation and a trailing qualifier up to 'and'/','."""
    end = org.mention.end
    stop = min([r.mention.start for r in rest] + [len(text)])
    tail = text[end:stop]
    m = re.match(r"^[^,;.]*?(?=\s+(?:et|and)\s+|[,;.]|$)", tail)
    if m and m.group(0).strip():
        end += m.end()
    return text[title.mention.start:end].strip()


def _coordinated(items: list[Item], j: int, person: Item, add, sent: int,  # type: ignore[no-untyped-def]
                 gaps: dict[str, re.Pattern[str]], text: str) -> None:
    """Further 'and TITLE of ORG' after a first post in the same apposition."""
    while j + 1 < len(items):
        title, org = items[j], items[j + 1]
        if title.kind != "Title" or org.kind != "Organization":
            return
        between = text[items[j - 1].mention.end:title.mention.start]
        if len(between) > 120 or not gaps["and"].search(between) or not gaps["of"].match(
                text[title.mention.end:org.mention.start]):
            return
        add(person, title, org, "person-title-of-org-coordinated", sent)
        j += 2


def role_holders(posts: list[Post]) -> dict[tuple[str, str], str]:
    """(title id, organisation key) -> person key, for title-only references."""
    out: dict[tuple[str, str], str] = {}
    for p in posts:
        out.setdefault((p.title_key, p.org), p.person)
        out.setdefault(("*", p.org), p.person)
    return out
