"""Shared fixtures: the spaCy pipelines are loaded once per test session."""

from __future__ import annotations

import os
from datetime import date
from pathlib import Path

import pytest

from kg.build import BuildReport, build
from kg.model import Article, Extraction, Span
from kg.nlp import parse
from kg.pipeline import extract
from kg.sources import parse_article

ROOT = Path(__file__).resolve().parents[1]
SHARED = Path(os.environ.get("COOPKG_SHARED", ROOT.parent / "shared"))
EXAMPLE = ROOT / "data" / "articles" / "interpol-2015-07-15-fr.txt"
EXAMPLE_GOLD = ROOT / "tests" / "data" / "interpol-2015-07-15-fr.gold.json"


def article_of(text: str, lang: str, published: date | None = date(2024, 2, 23)) -> Article:
    """A bare article (no layout) of one or a few sentences."""
    return Article(id="t", source="test", text=text, lang=lang, body=Span(0, len(text)), date=published)


def run(text: str, lang: str, published: date | None = date(2024, 2, 23)) -> Extraction:
    """Extract everything from a small text."""
    art = article_of(text, lang, published)
    return extract(art, parse(art))


def run_article(text: str, lang: str | None = None) -> Extraction:
    """Extract from a text laid out like a press release (date line, title, dateline)."""
    art = parse_article(text, "test", id="t", lang=lang)
    return extract(art, parse(art))


@pytest.fixture(scope="session")
def example_extraction() -> Extraction:
    art = parse_article(EXAMPLE.read_text(encoding="utf-8"), str(EXAMPLE), id=EXAMPLE.stem)
    return extract(art, parse(art))


def labels(ex: Extraction, etype: str | None = None) -> set[str]:
    return {e.label for e in ex.entities if etype is None or e.type == etype}


def label_of(ex: Extraction) -> dict[str, str]:
    return {e.key: e.label for e in ex.entities}


def triples(ex: Extraction) -> set[tuple[str, str, str]]:
    """Relations as (subject label, relation, object label)."""
    lab = label_of(ex)
    return {(lab[r.subject], r.predicate, lab[r.object]) for r in ex.relations}


@pytest.fixture(scope="session")
def example_build(tmp_path_factory: pytest.TempPathFactory) -> BuildReport:
    """``kg build data/articles -o DIR`` once per session: the report (outputs[0].parent is DIR)."""
    return build([EXAMPLE], tmp_path_factory.mktemp("example-build"))


# Hypothesis (tests/test_properties.py): a few hundred examples per property in a plain run (CI),
# thousands with `pytest -m slow`.
from hypothesis import HealthCheck, settings  # noqa: E402

_RELAXED = [HealthCheck.too_slow, HealthCheck.data_too_large, HealthCheck.function_scoped_fixture]
settings.register_profile("ci", max_examples=200, deadline=None, suppress_health_check=_RELAXED)
settings.register_profile("slow", max_examples=3000, deadline=None, suppress_health_check=_RELAXED)


def pytest_configure(config: pytest.Config) -> None:
    """The slow Hypothesis profile when slow tests alone are asked for (-m slow), else the CI one."""
    settings.load_profile("slow" if (config.getoption("markexpr") or "").strip() == "slow" else "ci")
