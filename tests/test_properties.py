"""Properties on arbitrary bytes and text: readers and pipeline never raise, always a graph or a clear error.

A plain run tries a few hundred examples per property (the "ci" Hypothesis profile of
conftest.py); ``pytest -m slow`` tries thousands.
"""

from __future__ import annotations

import io
import json
import tempfile
from pathlib import Path

import pyoxigraph as ox
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from kg.errors import InputError
from kg.model import Article
from kg.sources import parse_article, read_articles
from kg.stream import TurtleWriter, lines_of, process_task, triple_key

pytestmark = pytest.mark.slow  # selected by -m slow, with the thorough profile

SUFFIXES = (".txt", ".md", ".html", ".jsonl")
WORDS = ["Europol", "Eurojust", "INTERPOL", "la", "Commission", "européenne", "a", "signé", "un", "accord", "avec",
         "l'ONUDC", "Frontex", "coopère", "with", "the", "European", "Union", "signed", "agreement", "in",
         "Lyon", "Bruxelles", "Paris", "Mme", "De", "Bolle", "directrice", "exécutive", "d'Europol", "Director",
         "General", "of", "Operation", "Pangea", "«", "»", "“", "”", "’", ",", ".", ";", ":", "–", "(", ")", "\n",
         "\n\n", "12", "mars", "2024", "15 July 2015", "UE", "EU", "JIT", "ECE", "M.", "Mr", "et", "and"]
_RELAXED = [HealthCheck.too_slow, HealthCheck.data_too_large, HealthCheck.function_scoped_fixture]

# text that looks like a press release, and text that does not look like anything
press_like = st.lists(st.sampled_from(WORDS), max_size=120).map(" ".join)
any_text = st.one_of(press_like, st.text(max_size=600),
                     st.lists(st.one_of(st.sampled_from(WORDS), st.text(max_size=8)), max_size=80).map(" ".join))
json_values = st.recursive(st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | any_text,
                           lambda inner: st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=6), inner,
                                                                                         max_size=3), max_leaves=8)
records = st.fixed_dictionaries({}, optional={"id": st.one_of(any_text, st.integers()), "text": any_text,
                                             "lang": st.sampled_from(["fr", "en", "de", "", "xx-YY"]),
                                             "date": st.one_of(any_text, st.just("2024-02-30")),
                                             "title": any_text, "url": any_text}) | json_values


def _read(raw: bytes, suffix: str) -> list[Article | InputError]:
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / f"input{suffix}"
        path.write_bytes(raw)
        return list(read_articles([path]))


def _check_reading(items: list[Article | InputError], suffix: str) -> None:
    """Each item an article with consistent offsets, or an error naming the file (and line)."""
    assert items
    for item in items:
        if isinstance(item, InputError):
            assert item.source.endswith(f"input{suffix}") and item.reason
            assert item.line is None or (suffix == ".jsonl" and item.line >= 1)
            continue
        assert item.text.strip() and item.id
        assert 0 <= item.body.start <= item.body.end <= len(item.text)
        for span in (item.title_span, item.dateline_span):
            assert span is None or 0 <= span.start <= span.end <= len(item.text)


@given(raw=st.binary(max_size=3000), suffix=st.sampled_from(SUFFIXES))
def test_properties_readers_take_any_bytes(raw: bytes, suffix: str) -> None:
    _check_reading(_read(raw, suffix), suffix)


@given(text=any_text, encoding=st.sampled_from(["utf-8", "utf-8-sig", "utf-16", "cp1252", "latin-1"]),
       suffix=st.sampled_from(SUFFIXES))
def test_properties_readers_take_any_text_in_any_encoding(text: str, encoding: str, suffix: str) -> None:
    _check_reading(_read(text.encode(encoding, "replace"), suffix), suffix)


@given(lines=st.lists(st.one_of(records.map(lambda r: json.dumps(r, ensure_ascii=False)), any_text), max_size=5))
def test_properties_jsonl_lines_are_articles_or_numbered_errors(lines: list[str]) -> None:
    items = _read("\n".join(lines).encode("utf-8", "surrogatepass"), ".jsonl")
    _check_reading(items, ".jsonl")


@settings(suppress_health_check=_RELAXED)
@given(text=any_text.filter(lambda t: t.strip()), lang=st.sampled_from(["fr", "en"]))
def test_properties_pipeline_gives_a_graph_or_a_clear_error(text: str, lang: str) -> None:
    article = parse_article(text, "prop.txt", id="prop", lang=lang)
    (result,) = process_task([article], 0.0, validate=False).articles
    if result.error is not None:  # only an input the graph cannot hold, never a crash of a stage
        assert result.error.startswith("the graph holds an invalid RDF term"), result.error
        return
    quads = list(ox.parse("".join(result.lines).encode("utf-8"), format=ox.RdfFormat.N_TRIPLES))
    assert len(quads) == len(result.lines) > 0


iris = st.builds(lambda ns, local: ns + local,
                 st.sampled_from(["https://w3id.org/coopkg/id/", "https://w3id.org/coopkg/article/",
                                  "https://w3id.org/coopkg/ontology#", "http://example.org/x/", "urn:x:"]),
                 st.lists(st.sampled_from(["a", "X", "0", "9", "_", "-", ".", "/", "é", "%41", "%2F"]),
                          max_size=8).map("".join))
literals = st.one_of(
    st.builds(ox.Literal, st.text(max_size=40)),
    st.builds(lambda t, lg: ox.Literal(t, language=lg), st.text(max_size=20), st.sampled_from(["fr", "en", "en-GB"])),
    st.builds(lambda n: ox.Literal(str(n), datatype=ox.NamedNode("http://www.w3.org/2001/XMLSchema#integer")),
              st.integers()),
    st.builds(lambda t, d: ox.Literal(t, datatype=ox.NamedNode(d)),
              st.sampled_from(["0.85", "1.0", ".5", "-3", "x", "true", "٣", "1.٣", "1e5"]),
              st.sampled_from(["http://www.w3.org/2001/XMLSchema#decimal", "http://www.w3.org/2001/XMLSchema#date",
                               "http://www.w3.org/2001/XMLSchema#boolean", "http://www.w3.org/2001/XMLSchema#integer",
                               "http://example.org/dt"])))
triples = st.builds(lambda s, p, o: ox.Triple(ox.NamedNode(s), ox.NamedNode(p), o),
                    iris, iris, st.one_of(iris.map(ox.NamedNode), literals))


@given(st.lists(triples, max_size=30))
def test_properties_turtle_writer_round_trips(given_triples: list[ox.Triple]) -> None:
    text = (ox.serialize(given_triples, format=ox.RdfFormat.N_TRIPLES) or b"").decode("utf-8")
    lines = sorted(set(lines_of(text)), key=triple_key)
    out = io.StringIO()
    writer = TurtleWriter(out)
    for line in lines:
        writer.triple(line)
    writer.end_subject()
    turtle = writer.prefixes() + out.getvalue()
    back = {q.triple for q in ox.parse(turtle.encode("utf-8"), format=ox.RdfFormat.TURTLE)}
    assert back == set(given_triples)
