"""Known institutions, places, titles and topics, loaded from the data files.

``data/gazetteer/*.jsonl`` and ``ontology/topics.ttl`` are the knowledge; this module
only reads them and turns them into spaCy patterns whose ``id`` is the canonical key.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from functools import cache, lru_cache
from typing import Any

from rdflib import Graph, Literal
from rdflib.namespace import RDF, SKOS

from kg.resources import DATA, ONTOLOGY, load_json, read_jsonl

LABEL_OF_TYPE = {"Organization": "ORG", "Place": "LOC", "Initiative": "INITIATIVE"}


@dataclass(frozen=True)
class Known:
    """One gazetteer record: a known organisation, place or initiative."""

    key: str
    type: str
    names: dict[str, str]
    aliases: tuple[str, ...]
    acronyms: tuple[str, ...]
    wikidata: str | None = None
    kind: str | None = None
    country: str | None = None
    written_in: tuple[tuple[str, str], ...] = ()  # (name or alias, language) as the record lists them

    def label(self, lang: str) -> str:
        """The name an analyst reads in ``lang`` (falls back to any language)."""
        return self.names.get(lang) or next(iter(self.names.values()))

    def language_of(self, name: str, default: str) -> str:
        """The language of one of the record's names: "European Union" is English in a French article.
        ``default`` for a name listed in several languages, or in none (an acronym, a surface form)."""
        langs = {lg for text, lg in self.written_in if text == name}
        return next(iter(langs)) if len(langs) == 1 else default


@dataclass(frozen=True)
class Topic:
    """A concept of the topic thesaurus."""

    key: str
    labels: dict[str, str]
    alt_labels: tuple[tuple[str, str], ...]  # (lang, text)


class _NotCombining(dict[int, int | None]):
    """A str.translate table dropping combining marks, filled as characters are met."""

    def __missing__(self, char: int) -> int | None:
        kept = None if unicodedata.combining(chr(char)) else char
        if len(self) < 1 << 16:  # every character of the BMP at most: memory stays bounded
            self[char] = kept
        return kept


_NOT_COMBINING = _NotCombining()


@lru_cache(maxsize=1 << 12)  # every thesaurus label with every article; small: memory stays flat
def fold(text: str) -> str:
    """Case-, accent- and apostrophe-insensitive form used for lookups."""
    t = unicodedata.normalize("NFKD", text).translate(_NOT_COMBINING).lower()
    t = re.sub(r"[’‘`]", "'", t)
    t = re.sub(r"[«»\"“”]", " ", t)
    return re.sub(r"[\s\-]+", " ", t).strip()


def _record(row: dict[str, Any], prefix: str) -> Known:
    aliases = row.get("aliases") or {}
    flat = [a for lang in sorted(aliases) for a in aliases[lang]] if isinstance(aliases, dict) else aliases
    return Known(
        key=f"{prefix}/{row['id']}",
        type=row.get("type", "Organization"),
        names=dict(row["name"]) if isinstance(row["name"], dict) else {"fr": row["name"], "en": row["name"]},
        aliases=tuple(dict.fromkeys(flat)),
        acronyms=tuple(row.get("acronyms") or ()),
        wikidata=row.get("wikidata"),
        kind=row.get("kind"),
        country=f"place/{row['country']}" if row.get("country") else None,
        written_in=_written_in(row["name"], aliases),
    )


def _written_in(names: dict[str, str] | str, aliases: dict[str, list[str]] | list[str]) -> tuple[tuple[str, str], ...]:
    """(name, language) for every name and alias a record gives per language."""
    out = [(n, lg) for lg, n in names.items()] if isinstance(names, dict) else []
    if isinstance(aliases, dict):
        out += [(a, lg) for lg in sorted(aliases) for a in aliases[lg]]
    return tuple(out)


@cache
def known_entities() -> dict[str, Known]:
    """Every gazetteer record by canonical key."""
    out: dict[str, Known] = {}
    for fname, prefix in (("organizations.jsonl", "org"), ("places.jsonl", "place"),
                          ("initiatives.jsonl", "initiative")):
        path = DATA / "gazetteer" / fname
        if path.exists():
            for row in read_jsonl(path):
                rec = _record(row, prefix)
                out[rec.key] = rec
    return out


@cache
def alias_index() -> dict[str, str]:
    """Folded name/alias/acronym -> key, for resolving text to a known entity."""
    out: dict[str, str] = {}
    for rec in known_entities().values():
        for name in (*rec.names.values(), *rec.aliases):
            out.setdefault(fold(name), rec.key)
        for acr in rec.acronyms:
            out.setdefault(acr, rec.key)
    return out


def known_key(name: str, etype: str | None = None) -> str | None:
    """The key of the gazetteer entity named ``name`` (a name, alias or acronym), of type ``etype`` if given."""
    index = alias_index()
    key = index.get(fold(name)) or index.get(name)
    return key if key is not None and (etype is None or known_entities()[key].type == etype) else None


def _is_acronym(text: str) -> bool:
    letters = [c for c in text if c.isalpha()]
    return bool(letters) and all(c.isupper() for c in letters) and len(text) <= 12


def entity_patterns(lang: str, make_doc: Callable[[str], Any]) -> list[dict[str, Any]]:
    """EntityRuler token patterns for every known name.

    Acronyms and one-word names match case-sensitively (as written, or in capitals as in a
    dateline), so "réunion" the meeting is not "Réunion" the island; longer names match
    in any case.
    """
    patterns: list[dict[str, Any]] = []
    seen: set[tuple[str, ...]] = set()

    def add(label: str, key: str, attr: str, toks: list[str]) -> None:
        sig = (attr, *toks)
        if sig not in seen:
            seen.add(sig)
            patterns.append({"label": label, "pattern": [{attr: t} for t in toks], "id": key})

    for rec in known_entities().values():
        label = LABEL_OF_TYPE.get(rec.type, "ORG")
        for text in [*rec.names.values(), *rec.aliases, *rec.acronyms]:
            text = text.replace("’", "'").strip()
            if len(text) < 2:
                continue
            toks = [t.text for t in make_doc(text)]
            if _is_acronym(text) or text in rec.acronyms:
                add(label, rec.key, "ORTH", toks)
            elif len(toks) == 1:
                add(label, rec.key, "ORTH", toks)
                add(label, rec.key, "ORTH", [toks[0].upper()])
            else:
                add(label, rec.key, "LOWER", [t.lower() for t in toks])
    return patterns


@cache
def titles() -> list[dict[str, Any]]:
    """The title lexicon: one dict per title with ``id``, ``fr``, ``en`` forms and ``head``."""
    path = DATA / "lexicons" / "titles.jsonl"
    return list(read_jsonl(path)) if path.exists() else []


@cache
def honorifics() -> dict[str, list[str]]:
    """Honorifics per language (M., Mme, Mr, Ms, ...)."""
    path = DATA / "lexicons" / "honorifics.json"
    return load_json("lexicons/honorifics.json") if path.exists() else {"fr": [], "en": []}


@cache
def topics() -> dict[str, Topic]:
    """The SKOS topic thesaurus (``ontology/topics.ttl``) by canonical key."""
    path = ONTOLOGY / "topics.ttl"
    out: dict[str, Topic] = {}
    if not path.exists():
        return out
    g = Graph()
    g.parse(path, format="turtle")
    for concept in sorted(set(g.subjects(RDF.type, SKOS.Concept)), key=str):
        local = str(concept).rstrip("/").rsplit("/", 1)[-1]
        labels: dict[str, str] = {}
        for lit in g.objects(concept, SKOS.prefLabel):
            if isinstance(lit, Literal) and lit.language:
                labels[lit.language] = str(lit)
        alts = sorted(
            (lit.language or "", str(lit))
            for lit in g.objects(concept, SKOS.altLabel)
            if isinstance(lit, Literal)
        )
        out[f"topic/{local}"] = Topic(f"topic/{local}", labels, tuple(alts))
    return out


def word_alternation(words: Iterable[str]) -> str:
    """A regex alternation of lexicon words and phrases, longest first, either apostrophe, any run
    of spaces between words; one that never matches for no word."""
    return "|".join(sorted((re.escape(w).replace("'", "['’]").replace(r"\ ", r"\s+") for w in words),
                           key=len, reverse=True)) or "(?!)"


def determiner_alternation(words: Iterable[str]) -> str:
    """A regex alternation of determiners, each with the space after it ("la ", "the "), an
    elided one without ("l'"), either apostrophe: what comes before a name or a noun."""
    return "|".join(re.escape(w).replace("'", "['’]") + ("" if w.endswith("'") else r"\s+") for w in words)


@cache
def lexicon(lang: str) -> dict[str, Any]:
    """The per-language word lists (``data/lexicons/lexicon.<lang>.json``)."""
    lex: dict[str, Any] = load_json(f"lexicons/lexicon.{lang}.json")
    return lex
