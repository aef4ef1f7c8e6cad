"""The typed records passed between pipeline stages.

text -> Article -> Mention -> Entity -> Post / Relation / Event -> RDF.
All records are frozen: a stage never edits what an earlier stage produced.
Character offsets always count Unicode characters of ``Article.text``.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from typing import Literal

EntityType = Literal["Organization", "Person", "Place", "Initiative", "Topic"]
EventType = Literal["Meeting", "Visit", "Conference", "AgreementSigning"]

ENTITY_TYPES: tuple[str, ...] = ("Organization", "Person", "Place", "Initiative", "Topic")
EVENT_TYPES: tuple[str, ...] = ("Meeting", "Visit", "Conference", "AgreementSigning")
RELATION_NAMES: tuple[str, ...] = (
    "memberOf",
    "partOf",
    "cooperatesWith",
    "participatesIn",
    "leads",
    "targets",
    "exchangesInformationWith",
    "supports",
    "signsAgreementWith",
    "locatedIn",
)
SYMMETRIC_RELATIONS: frozenset[str] = frozenset(
    {"cooperatesWith", "exchangesInformationWith", "signsAgreementWith"}
)


@dataclass(frozen=True)
class Span:
    """A half-open character range ``[start, end)`` of an article's text."""

    start: int
    end: int


@dataclass(frozen=True)
class Article:
    """One article as read from its source, before any NLP.

    ``text`` is the whole text the offsets count in (for a .txt file, the whole file);
    ``body`` is the part after page furniture, date line and title.
    """

    id: str
    source: str
    text: str
    lang: str
    body: Span
    date: date | None = None
    title: str | None = None
    title_span: Span | None = None
    dateline: str | None = None
    dateline_span: Span | None = None
    url: str | None = None
    content_hash: str = ""
    warnings: tuple[str, ...] = ()  # reading notes, e.g. "decoded as cp1252"


@dataclass(frozen=True)
class Evidence:
    """The sentence that supports a statement: exact quote and its offsets."""

    article_id: str
    quote: str
    start: int
    end: int


@dataclass(frozen=True)
class Mention:
    """A stretch of text that names (or refers to) an entity."""

    start: int
    end: int
    text: str
    type: str
    source: str  # which rule found it: gazetteer, ner, acronym, title, topic, dateline, ...
    key: str | None = None  # gazetteer or thesaurus id when known
    sent: int = -1  # index of the sentence it lies in
    group: str | None = None  # "same entity as" hint, e.g. an acronym's definition


@dataclass(frozen=True)
class Entity:
    """A canonical entity: every mention of one thing in one article."""

    key: str  # canonical key, e.g. "org/europol"; IRIs are minted from it
    type: str
    label: str
    lang: str
    aliases: tuple[str, ...] = ()
    wikidata: str | None = None
    mentions: tuple[Mention, ...] = ()
    extra_types: tuple[str, ...] = ()  # e.g. Conference for a named event


@dataclass(frozen=True)
class Post:
    """A person holds a post (a title) in an organisation."""

    person: str  # entity key
    title: str
    org: str  # entity key
    evidence: Evidence
    title_key: str = ""
    title_aliases: tuple[str, ...] = ()
    confidence: float = 1.0
    rule: str = ""


@dataclass(frozen=True)
class Relation:
    """A binary relation between two canonical entities, with its evidence."""

    subject: str
    predicate: str
    object: str
    evidence: Evidence
    confidence: float
    rule: str
    channel: str | None = None  # e.g. the contact point an exchange goes through


@dataclass(frozen=True)
class Event:
    """A meeting, visit, conference or agreement signing."""

    key: str
    type: str
    label: str
    participants: tuple[str, ...]
    evidence: tuple[Evidence, ...]
    confidence: float
    rule: str
    date: date | None = None
    place: str | None = None
    topics: tuple[str, ...] = ()
    same_as: tuple[str, ...] = ()  # keys of other nodes describing the same event


@dataclass(frozen=True)
class Extraction:
    """Everything extracted from one article."""

    article: Article
    entities: tuple[Entity, ...] = ()
    posts: tuple[Post, ...] = ()
    relations: tuple[Relation, ...] = ()
    events: tuple[Event, ...] = ()
    model: str = ""  # spaCy pipeline name and version
    notes: tuple[str, ...] = field(default=())
