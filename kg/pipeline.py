"""The extraction of one article, stage by stage: Doc -> mentions -> entities -> posts,
relations and events. Pure: the same article and pipeline give the same Extraction."""

from __future__ import annotations

from spacy.tokens import Doc

from kg.events import extract_events
from kg.mentions import extract_mentions, sentences
from kg.model import Article, Extraction
from kg.posts import extract_posts
from kg.relations import extract_relations
from kg.resolve import resolve_entities


def extract(article: Article, doc: Doc, model: str = "", min_confidence: float = 0.0) -> Extraction:
    """Everything one article states, as typed records with evidence."""
    sents = sentences(doc)
    mentions = extract_mentions(article, doc)
    entities = resolve_entities(article, mentions)
    # entity mentions as resolved (with their keys), plus the titles posts are built from
    all_mentions = sorted([*(m for e in entities for m in e.mentions),
                           *(m for m in mentions if m.type == "Title")], key=lambda m: (m.start, m.end))
    posts = extract_posts(article, all_mentions, entities, sents)
    relations = extract_relations(article, doc, all_mentions, entities, posts, sents)
    events = extract_events(article, doc, all_mentions, entities, posts, relations, sents)
    relations = [r for r in relations if r.confidence >= min_confidence]
    events = [e for e in events if e.confidence >= min_confidence]
    return Extraction(article, tuple(entities), tuple(posts), tuple(relations), tuple(events), model)
