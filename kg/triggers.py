"""Trigger phrases for relations and events, loaded from ``data/lexicons/triggers.<lang>.jsonl``.

A phrase matches a run of tokens when each of its words equals a token's lemma or
lower-case form, in order, with up to two adverbs, adjectives or determiners between.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from functools import cache
from typing import Any

from spacy.tokens import Span, Token

from kg.gazetteer import lexicon
from kg.resources import DATA, read_jsonl

_FILLER_POS = {"ADV", "ADJ", "DET", "PART"}


@dataclass(frozen=True)
class Trigger:
    """One trigger phrase and how its arguments are found."""

    id: str
    words: tuple[str, ...]
    spec: dict[str, Any]

    @property
    def confidence(self) -> float:
        return float(self.spec.get("confidence", 0.85))

    def get(self, name: str, default: Any = None) -> Any:
        return self.spec.get(name, default)


@dataclass(frozen=True)
class TriggerMatch:
    """Where a trigger matched: its first and last token."""

    trigger: Trigger
    first: Token
    last: Token

    @property
    def start_char(self) -> int:
        return self.first.idx

    @property
    def end_char(self) -> int:
        return self.last.idx + len(self.last.text)


def _norm(word: str) -> str:
    return word.lower().replace("’", "'")


@cache
def load_triggers(lang: str) -> tuple[Trigger, ...]:
    """All triggers of a language, longest phrases first."""
    path = DATA / "lexicons" / f"triggers.{lang}.jsonl"
    if not path.exists():
        return ()
    out = []
    for row in read_jsonl(path):
        words = tuple(_norm(w) for w in row["phrase"].replace("'", "' ").split())
        out.append(Trigger(row["id"], words, row))
    return tuple(sorted(out, key=lambda t: -len(t.words)))


def _token_forms(tok: Token) -> set[str]:
    return {_norm(tok.text), _norm(tok.lemma_)}


@cache
def _inflection(lang: str) -> tuple[tuple[str, ...], tuple[str, ...]]:
    lex = lexicon(lang)
    return tuple(lex.get("verb_stem_endings", ())), tuple(lex.get("verb_suffixes", ()))


MIN_STEM = 5  # shorter stems ("sign", "men") would match unrelated words


def _inflected(word: str, form: str, lang: str) -> bool:
    """``form`` is ``word`` (a verb) with a regular inflection: the small taggers miss many verbs."""
    endings, suffixes = _inflection(lang)
    for ending in endings:
        if word.endswith(ending) and len(word) - len(ending) >= MIN_STEM:
            stem = word[: len(word) - len(ending)]
            if form.startswith(stem) and form[len(stem):] in suffixes:
                return True
    return False


def _matches_word(tok: Token, word: str) -> bool:
    forms = _token_forms(tok)
    if word in forms:
        return True
    if word.endswith("'"):  # elided forms: "l'" / "d'" with or without the apostrophe split
        return any(f.startswith(word) for f in forms)
    return _inflected(word, _norm(tok.text), tok.doc.lang_)


def find_triggers(sent: Span, triggers: Sequence[Trigger], kind: str) -> list[TriggerMatch]:
    """Trigger matches of one kind ("relation" or "event") in a sentence; no two overlap."""
    toks = [t for t in sent if not t.is_space]
    out: list[TriggerMatch] = []
    used: set[int] = set()
    for trig in triggers:
        if kind == "relation" and "relation" not in trig.spec and "by_object" not in trig.spec:
            continue
        if kind == "event" and "event" not in trig.spec:
            continue
        for i, tok in enumerate(toks):
            if tok.i in used or not _matches_word(tok, trig.words[0]):
                continue
            j, k, ok = i, 1, True
            while k < len(trig.words):
                j += 1
                skipped = 0
                while j < len(toks) and not _matches_word(toks[j], trig.words[k]) and (
                        toks[j].pos_ in _FILLER_POS and skipped < 2):
                    j += 1
                    skipped += 1
                if j >= len(toks) or not _matches_word(toks[j], trig.words[k]):
                    ok = False
                    break
                k += 1
            if ok and not any(t.i in used for t in toks[i:j + 1]):
                out.append(TriggerMatch(trig, tok, toks[j]))
                used.update(t.i for t in toks[i:j + 1])
    return sorted(out, key=lambda m: m.first.i)
