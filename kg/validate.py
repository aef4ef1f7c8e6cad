"""SHACL validation of a coopkg graph against ontology/shapes.ttl, reported in plain words."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path
from typing import Any

from rdflib import Dataset, Graph, Literal, URIRef
from rdflib.namespace import RDF, RDFS, SH, SKOS
from rdflib.plugins.sparql import prepareQuery
from rdflib.term import Node

from kg.errors import CoopkgError
from kg.infer import ontology_graph
from kg.resources import ONTOLOGY
from kg.vocab import COOP, SCHEMA, prefixed_name

SHAPES = ONTOLOGY / "shapes.ttl"
SEVERITIES: dict[Node | None, str] = {SH.Violation: "violation", SH.Warning: "warning", SH.Info: "info"}
QUOTE_CHARS = 60


@cache
def _parsed_shapes(path: Path) -> Graph:
    try:
        return Graph().parse(path, format="turtle")
    except OSError as e:
        raise CoopkgError(f"cannot read the shapes {path}: {e.strerror or e}") from e
    except Exception as e:  # rdflib's parser errors have no common base
        raise CoopkgError(f"the shapes {path} are not valid Turtle: {e}") from e


def shapes_graph(path: str | Path | None = None) -> Graph:
    """The SHACL shapes (ontology/shapes.ttl unless another file is given)."""
    return _parsed_shapes(Path(path) if path is not None else SHAPES)


_PREPARED: dict[str, Any] = {}  # SPARQL text -> parsed query, for the shapes' SPARQL constraints


class _QueryCachingGraph(Graph):
    """A graph that parses each SPARQL text once: pySHACL re-sends one query per focus node."""

    def query(self, query_object: Any, *args: Any, **kwargs: Any) -> Any:
        """Graph.query, with string queries prepared once per process."""
        if isinstance(query_object, str):
            prepared = _PREPARED.get(query_object)
            if prepared is None:
                prepared = _PREPARED[query_object] = prepareQuery(query_object)
            query_object = prepared
        return super().query(query_object, *args, **kwargs)


def short(node: Node) -> str:
    """An IRI with coopkg's prefixes (``id:org\\/europol``, as a query reads it); a literal quoted."""
    if isinstance(node, URIRef):
        return prefixed_name(str(node)) or f"<{node}>"
    if isinstance(node, Literal):
        return repr(str(node)) if node.datatype is None else f"{str(node)!r}^^{short(node.datatype)}"
    return f"_:{node}"


def _clip(text: str) -> str:
    return text if len(text) <= QUOTE_CHARS else text[:QUOTE_CHARS - 1] + "…"


def label_of(g: Graph, node: Node) -> str | None:
    """What a reader calls a node: its label, title, quote, or for a statement its three parts."""
    for p in (RDFS.label, SKOS.prefLabel, SCHEMA.headline, COOP.quote):
        values = sorted(str(v) for v in g.objects(node, p))
        if values:
            return _clip(values[0])
    if (node, RDF.type, RDF.Statement) in g:
        parts = [g.value(node, p) for p in (RDF.subject, RDF.predicate, RDF.object)]
        return " ".join(label_of(g, x) or short(x) if x is not None else "?" for x in parts)
    return None


def describe(g: Graph, node: Node) -> str:
    """``"INTERPOL" (id:org/interpol)``: the label, when there is one, and the short IRI."""
    if isinstance(node, Literal):
        return short(node)
    label = label_of(g, node)
    return f'"{label}" ({short(node)})' if label else short(node)


@dataclass(frozen=True)
class Problem:
    """One SHACL result, in plain words."""

    severity: str  # violation, warning or info
    focus: str  # the focus node, described
    message: str
    shape: str  # the shape's local name
    focus_iri: str = ""
    detail: str = ""  # the property and value concerned, when the message does not say

    def __str__(self) -> str:
        detail = f"; {self.detail}" if self.detail else ""
        return f"{self.severity}: {self.focus}: {self.message}{detail} [shape {self.shape}]"


@dataclass
class ValidationReport:
    """Every problem SHACL found; the graph conforms when none is a violation."""

    problems: list[Problem] = field(default_factory=list)

    @property
    def violations(self) -> list[Problem]:
        """The problems of severity sh:Violation."""
        return [p for p in self.problems if p.severity == "violation"]

    @property
    def conforms(self) -> bool:
        """No violation (warnings allowed)."""
        return not self.violations

    def counts(self) -> Counter[str]:
        """How many problems of each severity."""
        return Counter(p.severity for p in self.problems)

    def summary(self) -> str:
        """One line: conforms or not, and the counts."""
        c = self.counts()
        parts = [f"{c[s]} {s}{'s' if c[s] != 1 else ''}" for s in ("violation", "warning", "info") if c[s]]
        verdict = "conforms" if self.conforms else "does not conform"
        return f"SHACL: {verdict} ({', '.join(parts) or 'no problems'})"


def _local(node: Node | None) -> str:
    text = str(node) if node is not None else "?"
    return text.rsplit("#", 1)[-1].rsplit("/", 1)[-1]


def _problems(report: Graph, data: Graph) -> list[Problem]:
    out: list[Problem] = []
    for r in report.subjects(RDF.type, SH.ValidationResult):
        focus = report.value(r, SH.focusNode)
        value = report.value(r, SH.value)
        path = report.value(r, SH.resultPath)
        severity = SEVERITIES.get(report.value(r, SH.resultSeverity), "violation")
        message = str(report.value(r, SH.resultMessage) or report.value(r, SH.sourceConstraintComponent))
        detail = ""
        if isinstance(path, URIRef) and value is not None:
            detail = f"{short(path)} {describe(data, value)}"
        elif value is not None and value != focus:
            detail = f"value {describe(data, value)}"
        out.append(Problem(severity, describe(data, focus) if focus is not None else "?", message,
                           _local(report.value(r, SH.sourceShape)), str(focus), detail))
    order = {"violation": 0, "warning": 1, "info": 2}
    return sorted(out, key=lambda p: (order.get(p.severity, 3), p.shape, p.focus_iri, p.detail))


def validate_graph(data: Graph, shapes: Graph | None = None) -> ValidationReport:
    """Validate a graph against the shapes, with the ontology's class and property hierarchy."""
    import pyshacl

    g = _QueryCachingGraph()
    for t in data:
        g.add(t)
    try:
        _conforms, report, _text = pyshacl.validate(
            g, shacl_graph=shapes if shapes is not None else shapes_graph(), ont_graph=ontology_graph(),
            inference="none", allow_warnings=True, allow_infos=True, inplace=True)
    except Exception as e:  # pySHACL reports a broken shapes graph with its own exception types
        raise CoopkgError(f"SHACL validation could not run: {e}") from e
    return ValidationReport(_problems(report, data))


def validate_dataset(ds: Dataset, shapes: Graph | None = None) -> ValidationReport:
    """Validate the union of a dataset's graphs (every article, and any inferred or ontology graph)."""
    union = Graph()
    for s, p, o, _g in ds.quads((None, None, None, None)):
        union.add((s, p, o))
    return validate_graph(union, shapes)


def build_warnings(report: ValidationReport, outdir: str | Path, limit: int = 10) -> list[str]:
    """Lines for a build's summary: the verdict and the first violations."""
    if not report.problems:
        return []
    lines = [f"{report.summary()}; kg validate {outdir} lists every problem"]
    lines += [str(p) for p in report.violations[:limit]]
    if len(report.violations) > limit:
        lines.append(f"... and {len(report.violations) - limit} more violations")
    return lines
