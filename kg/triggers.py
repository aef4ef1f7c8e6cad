"""Trigger phrases for relations and events, loaded from ``data/lexicons/triggers.<lang>.jsonl``.

A phrase matches a run of tokens when each of its words equals a token's lemma or
lower-case form, in order, with up to two adverbs, adjectives or determiners between.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from functools import cache, lru_cache
from pathlib import Path
from typing import Any

from spacy.tokens import Span, Token

from kg.errors import CoopkgError
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


# every key a trigger line may have: the rules read these and no other (a misspelt key would do nothing)
TRIGGER_KEYS = frozenset({
    "agent_preps", "agent_window", "between", "by_object", "by_object_subject", "by_subject", "channel_preps",
    "clause_subject", "confidence", "coord_subject", "event", "id", "members_after", "nominal", "object_before",
    "object_direct", "object_in_context", "object_preps", "object_window", "opens_on_previous",
    "owner_follows_skips", "passive_agent", "passive_only", "phrase", "relation", "require_object", "reverse",
    "skip_passive", "skip_present", "subject_types", "topic_in_sentence"})


@cache
def load_triggers(lang: str) -> tuple[Trigger, ...]:
    """All triggers of a language, longest phrases first."""
    path = DATA / "lexicons" / f"triggers.{lang}.jsonl"
    return read_triggers(path) if path.exists() else ()


def read_triggers(path: Path) -> tuple[Trigger, ...]:
    """The triggers of one file, longest phrases first; a line with a key no rule reads is an error."""
    out = []
    for row in read_jsonl(path):
        unknown = sorted(set(row) - TRIGGER_KEYS)
        if unknown or "id" not in row or "phrase" not in row:
            raise CoopkgError(f"{path}: trigger {row.get('id', '(no id)')!r}: "
                              + (f"unknown key {', '.join(unknown)}" if unknown else "an id and a phrase are needed"))
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
    indices, pos, forms, texts, starts = _sentence_index(sent, triggers)
    doc = sent.doc
    lang = doc.lang_

    def matches(j: int, word: str) -> bool:  # _matches_word, on the forms computed once per token
        if word in forms[j]:
            return True
        if word.endswith("'"):
            return any(f.startswith(word) for f in forms[j])
        return _inflected_cached(word, texts[j], lang)

    out: list[TriggerMatch] = []
    used: set[int] = set()
    spans: set[tuple[int, int]] = set()  # spans taken: another trigger on exactly the same words is tried too
    for trig in _present(triggers, kind, starts):
        for i in starts[trig.words[0]]:
            first = indices[i]
            if first in used and not any(at == first for at, _ in spans):
                continue
            j, k, ok = i, 1, True
            while k < len(trig.words):
                j += 1
                skipped = 0
                while j < len(indices) and not matches(j, trig.words[k]) and (
                        pos[j] in _FILLER_POS and skipped < 2):
                    j += 1
                    skipped += 1
                if j >= len(indices) or not matches(j, trig.words[k]):
                    ok = False
                    break
                k += 1
            if not ok:
                continue
            # the same words read another way ("work with" / "work in"): both are tried
            if (first, indices[j]) in spans or not any(t in used for t in indices[i:j + 1]):
                out.append(TriggerMatch(trig, doc[first], doc[indices[j]]))
                used.update(indices[i:j + 1])
                spans.add((first, indices[j]))
    return sorted(out, key=lambda m: m.first.i)


_KINDS: dict[tuple[int, str], tuple[Sequence[Trigger], dict[str, list[tuple[int, Trigger]]]]] = {}


def _present(triggers: Sequence[Trigger], kind: str, starts: dict[str, list[int]]) -> list[Trigger]:
    """The triggers of a kind whose first word the sentence has, in the list's order (which decides
    overlaps): found through an index by first word, not by trying every trigger."""
    cached = _KINDS.get((id(triggers), kind))
    if cached is None or cached[0] is not triggers:
        wanted = {"relation", "by_object", "by_subject"} if kind == "relation" else {"event"}
        by_word: dict[str, list[tuple[int, Trigger]]] = {}
        for n, trig in enumerate(triggers):
            if wanted & trig.spec.keys():
                by_word.setdefault(trig.words[0], []).append((n, trig))
        if len(_KINDS) > 64:  # callers pass the cached lists of load_triggers: this never fills
            _KINDS.clear()
        cached = _KINDS[(id(triggers), kind)] = (triggers, by_word)
    found = [entry for word in starts for entry in cached[1].get(word, ())]
    return [trig for _, trig in sorted(found, key=lambda entry: entry[0])]


_SENTENCES = "coopkg_trigger_index"  # Doc.user_data key: the sentences find_triggers has indexed


def _sentence_index(sent: Span, triggers: Sequence[Trigger]) -> tuple[
        list[int], list[str], list[set[str]], list[str], dict[str, list[int]]]:
    """A sentence's tokens (no spaces: their indices and parts of speech), their forms and texts,
    and where each trigger's first word matches: computed once per sentence and trigger list
    (relations and events both ask)."""
    doc = sent.doc
    cache = doc.user_data.setdefault(_SENTENCES, {})  # token indices only: no Token keeps its Doc alive
    key = (sent.start, sent.end, id(triggers))
    found = cache.get(key)
    if found is not None and found[0] is triggers:
        return found[1:]
    toks = [t for t in sent if not t.is_space]
    forms = [_token_forms(t) for t in toks]
    texts = [_norm(t.text) for t in toks]
    starts = _first_word_positions(forms, texts, doc.lang_, _first_words(triggers, doc.lang_))
    # a possessive is a determiner between a trigger's words ("lend its support"): English tags it PRON
    pos = ["DET" if t.pos_ == "PRON" and "Yes" in t.morph.get("Poss", []) else t.pos_ for t in toks]
    index = ([t.i for t in toks], pos, forms, texts, starts)
    cache[key] = (triggers, *index)
    return index


@dataclass(frozen=True)
class _FirstWords:
    """The first words of a set of triggers, indexed the three ways _matches_word accepts a token."""

    exact: frozenset[str]
    elided: tuple[str, ...]  # words ending with an apostrophe: a form starting with them matches
    stems: dict[str, tuple[str, ...]]  # stem -> verbs whose regular inflections start with it


_FIRST_WORDS: dict[tuple[int, str], tuple[Sequence[Trigger], _FirstWords]] = {}


def _first_words(triggers: Sequence[Trigger], lang: str) -> _FirstWords:
    """The index of the triggers' first words (kept per trigger list)."""
    cached = _FIRST_WORDS.get((id(triggers), lang))
    if cached is not None and cached[0] is triggers:
        return cached[1]
    words = {t.words[0] for t in triggers}
    endings, _suffixes = _inflection(lang)
    stems: dict[str, list[str]] = {}
    for word in sorted(w for w in words if not w.endswith("'")):
        for ending in endings:
            if word.endswith(ending) and len(word) - len(ending) >= MIN_STEM:
                stems.setdefault(word[: len(word) - len(ending)], []).append(word)
    index = _FirstWords(frozenset(words), tuple(sorted(w for w in words if w.endswith("'"))),
                        {stem: tuple(dict.fromkeys(ws)) for stem, ws in stems.items()})
    if len(_FIRST_WORDS) > 64:  # callers pass the cached lists of load_triggers: this never fills
        _FIRST_WORDS.clear()
    _FIRST_WORDS[(id(triggers), lang)] = (triggers, index)
    return index


def _first_word_positions(forms: list[set[str]], texts: list[str], lang: str,
                          index: _FirstWords) -> dict[str, list[int]]:
    """For each first word, the positions of the tokens it matches (as _matches_word would say)."""
    _endings, suffixes = _inflection(lang)
    out: dict[str, list[int]] = {}
    for j, (token_forms, text) in enumerate(zip(forms, texts, strict=True)):
        found = set(token_forms & index.exact)
        found.update(w for w in index.elided if any(f.startswith(w) for f in token_forms))
        for n in range(MIN_STEM, len(text) + 1):
            verbs = index.stems.get(text[:n])
            if verbs and text[n:] in suffixes:
                found.update(v for v in verbs if v not in token_forms)
        for word in found:
            out.setdefault(word, []).append(j)
    return out


@lru_cache(maxsize=1 << 13)  # bounded: a build's memory must not grow with its articles
def _inflected_cached(word: str, form: str, lang: str) -> bool:
    """_inflected, remembered (a pure function of its strings)."""
    return _inflected(word, form, lang)
