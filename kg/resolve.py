"""Resolution: the mentions of one thing in an article become one canonical entity.

Keys (and so IRIs) come from the gazetteer or thesaurus id when the thing is known,
otherwise from the normalised canonical name, never from one raw surface form.
"""

from __future__ import annotations

import re
import unicodedata
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from functools import cache

from kg.gazetteer import fold, known_entities, known_key, topics
from kg.model import ENTITY_TYPES, Article, Entity, Mention

PREFIX = {"Organization": "org", "Person": "person", "Place": "place", "Initiative": "initiative",
          "Topic": "topic"}
_QUOTED_NAME = re.compile(r"[«\"“]\s*([^»\"”]+?)\s*[»\"”]")
_PAREN_ACRONYM = re.compile(r"\s*\(\s*[A-Z][A-Za-z0-9\-]{1,11}\s*\)\s*")


def slug(text: str) -> str:
    """ASCII slug of a name: the stable part of a minted key."""
    t = unicodedata.normalize("NFKD", fold(text))
    t = "".join(c for c in t if not unicodedata.combining(c))
    return re.sub(r"[^a-z0-9]+", "-", t).strip("-")[:80] or "x"


@dataclass
class _Group:
    mentions: list[Mention] = field(default_factory=list)
    key: str | None = None

    def add(self, m: Mention) -> None:
        self.mentions.append(m)
        if m.key and not self.key:
            self.key = m.key


@cache
def _topic_index() -> dict[str, str]:
    """Folded label -> topic key (built once: topics() is loaded once)."""
    out: dict[str, str] = {}
    for key, t in topics().items():
        for text in (*t.labels.values(), *(x for _, x in t.alt_labels)):
            out.setdefault(fold(text), key)
    return out


def _initiative_aliases(text: str) -> list[str]:
    """Other names of a named initiative: without the acronym, quoted name alone, acronym + name."""
    out = []
    no_acr = _PAREN_ACRONYM.sub(" ", text).strip()
    out.append(re.sub(r"\s+", " ", no_acr))
    q = _QUOTED_NAME.search(text)
    acr = re.search(r"\(\s*([A-Z][A-Za-z0-9\-]{1,11})\s*\)", text)
    if q:
        out.append(q.group(1))
        if acr:
            out.append(f"{acr.group(1)} {q.group(1)}")
    return out


def resolve_entities(article: Article, mentions: list[Mention]) -> list[Entity]:
    """Group entity mentions into canonical entities with stable keys, labels and aliases."""
    lang = article.lang
    groups: list[_Group] = []
    by_start: dict[int, _Group] = {}
    by_span: dict[tuple[int, int], _Group] = {}  # "OSCE Border Management Staff College" and its "OSCE" share a start
    by_key: dict[str, _Group] = {}
    by_name: dict[tuple[str, str], _Group] = {}
    topic_idx = _topic_index()

    def attach(m: Mention, g: _Group) -> None:
        g.add(m)
        by_start[m.start] = g
        by_span[m.start, m.end] = g
        if g.key:
            by_key.setdefault(g.key, g)
        names = [m.text] + (_initiative_aliases(m.text) if m.type == "Initiative" else [])
        for n in names:
            by_name.setdefault((m.type, fold(n)), g)

    ents = [m for m in mentions if m.type in ENTITY_TYPES]
    # an acronym defined in the text ("(NCA)") stands for its owner wherever it is used alone
    acronym_group = {m.text: m.group for m in ents if m.source == "acronym" and m.group}
    ents = [m if m.group or m.text not in acronym_group else
            Mention(m.start, m.end, m.text, m.type, m.source, m.key, m.sent, acronym_group[m.text])
            for m in ents]
    persons = [m for m in ents if m.type == "Person"]
    full_names = [m for m in persons if len(m.text.split()) >= 2]
    for m in sorted(ents, key=lambda m: (m.source == "acronym", -len(m.text.split()), m.start)):
        key = m.key
        if not key and m.type == "Topic":
            key = topic_idx.get(fold(m.text))
        # "at:START:END": the mention it stands for
        stands_for = m.group[3:] if m.group is not None and m.group.startswith("at:") else None
        if not key and m.type != "Person" and m.source != "ministry" and stands_for is None:
            # (a ministry's name says no country, nor does a name that stands for another mention)
            key = known_key(m.text, m.type) or key
        if key and key != m.key:
            m = Mention(m.start, m.end, m.text, m.type, m.source, key, m.sent, m.group)
        g = None
        if key:
            g = by_key.get(key)
        if g is None and stands_for is not None:
            start, end = (int(x) for x in stands_for.split(":"))
            g = by_span.get((start, end))
        if g is None:
            g = by_name.get((m.type, fold(m.text)))
        if g is None and m.type == "Person" and len(m.text.split()) <= 2:
            g = _person_for_surname(m, full_names, by_start)
        if m.source == "anaphor":
            g = _nearest_before(m, groups, "Initiative")
            if g is None:
                continue
        if m.source == "generic":
            if g is None:
                g = _group_with_head(m.text, groups)
            if g is None:
                continue
        if g is None and m.type == "Initiative" and len(m.text.split()) <= 2:
            g = next((gr for (t, n), gr in by_name.items() if t == "Initiative" and n == fold(m.text)), None)
        if g is None:
            g = _Group()
            groups.append(g)
        attach(m, g)
    return sorted((_entity(g, lang) for g in groups if not _stray_word(g)), key=lambda e: e.key)


def _stray_word(g: _Group) -> bool:
    """One capitalised word the NER once called an organisation ("Royal", "Amazon"), nothing
    else naming it: more often a piece of a longer name than a body of its own."""
    named = [m for m in g.mentions if m.source not in ("anaphor", "generic")]
    return (len(named) == 1 and named[0].source == "ner" and named[0].type == "Organization" and not g.key
            and " " not in named[0].text and not named[0].text.isupper())


def _nearest_before(m: Mention, groups: list[_Group], etype: str) -> _Group | None:
    """The group of the last named mention of ``etype`` before ``m``; one named with the same
    word ("l'opération" -> "Opération « Bouclier Vert »") comes first."""
    word = fold(m.text)
    best: tuple[bool, int, _Group] | None = None
    for g in groups:
        same_word = any(word in fold(x.text) for x in g.mentions if x.source not in ("anaphor", "generic"))
        for x in g.mentions:
            if x.type == etype and x.source not in ("anaphor", "generic") and x.end <= m.start and (
                    best is None or (same_word, x.start) > best[:2]):
                best = (same_word, x.start, g)
    return best[2] if best else None


def _group_with_head(head: str, groups: list[_Group]) -> _Group | None:
    """The one organisation named with ``head`` ("l'Agence" -> Frontex): first by the names the
    article uses, then by the gazetteer's; None when that is not a single one."""
    word = fold(head)
    orgs = [g for g in groups if g.mentions and g.mentions[0].type == "Organization"]

    def hits(names_of: Callable[[_Group], list[str]]) -> list[_Group]:
        return [g for g in orgs if any(word in fold(n).split() for n in names_of(g))]

    in_text = hits(lambda g: [m.text for m in g.mentions if m.source != "generic"])
    if len(in_text) == 1:
        return in_text[0]
    known = hits(lambda g: [*(k.names.values()), *k.aliases] if (k := known_entities().get(g.key or "")) else [])
    return known[0] if len(known) == 1 and not in_text else None


def _person_for_surname(m: Mention, full: list[Mention], by_start: dict[int, _Group]) -> _Group | None:
    target = fold(m.text).split()
    cands = [f for f in full if fold(f.text).split()[-len(target):] == target and f.start in by_start]
    if not cands and len(target) == 1:  # a family name written first: "Commissioner Lim" for "Lim Kok Hwa"
        firsts = [f for f in full if fold(f.text).split()[0] == target[0] and f.start in by_start]
        cands = firsts if len({fold(f.text) for f in firsts}) == 1 else []
    if not cands:
        return None
    before = [f for f in cands if f.start < m.start]
    return by_start[(before or cands)[-1].start]


def _entity(g: _Group, lang: str) -> Entity:
    named = [m for m in g.mentions if m.source not in ("anaphor", "generic")] or g.mentions
    types = Counter(m.type for m in named if m.source != "ner") or Counter(m.type for m in named)
    etype = types.most_common(1)[0][0]
    known = known_entities().get(g.key or "")
    topic = topics().get(g.key or "")
    texts = list(dict.fromkeys(m.text for m in sorted(g.mentions, key=lambda m: m.start)
                               if m.source not in ("anaphor", "generic")))
    wikidata = None
    extra: list[str] = []
    if known:
        etype = known.type
        label = known.label(lang)
        wikidata = known.wikidata
        other = [n for lg, n in sorted(known.names.items()) if lg != lang]
        extra = other + list(known.acronyms if any(a in texts for a in known.acronyms) else [])
    elif topic:
        label = topic.labels.get(lang) or next(iter(topic.labels.values()))
    elif etype == "Initiative":
        longest = max(texts, key=len)
        label = _initiative_aliases(longest)[0]
        extra = [a for t in texts for a in _initiative_aliases(t)]
    else:
        names = [t for t in texts if not (t.isupper() and len(t) <= 12)] or texts
        label = max(names, key=lambda t: (len(t.split()), len(t)))
    key = g.key or f"{PREFIX[etype]}/{slug(label)}"
    aliases = tuple(a for a in dict.fromkeys([*texts, *extra]) if a != label)
    return Entity(key=key, type=etype, label=label, lang=lang, aliases=aliases, wikidata=wikidata,
                  mentions=tuple(sorted(g.mentions, key=lambda m: m.start)))
