"""kg validate: the example conforms; one violation of each shape is caught, in plain words."""

from __future__ import annotations

from pathlib import Path

import pytest
from rdflib import Dataset, Graph, URIRef
from rdflib.collection import Collection
from rdflib.namespace import OWL, RDF, RDFS, SH

from kg.build import BuildReport
from kg.cli import main
from kg.export import data_graphs, merge, read_graph_file
from kg.infer import infer, ontology_graph
from kg.model import RELATION_NAMES
from kg.validate import build_warnings, shapes_graph, validate_dataset, validate_graph
from kg.vocab import COOP, ID

FIXTURES = Path(__file__).parent / "data" / "shapes"


def _expected() -> list[tuple[str, str, str]]:
    rows = []
    for line in (FIXTURES / "expected.tsv").read_text(encoding="utf-8").splitlines():
        if line and not line.startswith("#"):
            severity, shape, focus = line.split("\t")
            rows.append((severity, shape, str(ID[focus])))
    return rows


EXPECTED = _expected()


@pytest.fixture(scope="module")
def violations_report():  # -> ValidationReport
    g = Graph().parse(FIXTURES / "valid.ttl", format="turtle")
    g.parse(FIXTURES / "violations.ttl", format="turtle")
    return validate_graph(g), g


def run_kg(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    """Run ``kg ARGV`` in-process: exit code, stdout, stderr."""
    try:
        code = main(list(argv))
    except SystemExit as e:
        code = int(e.code or 0)
    out = capsys.readouterr()
    return code, out.out, out.err


def test_validate_example_build_has_no_violation(example_build: BuildReport) -> None:
    ds = read_graph_file(example_build.outputs[0].parent)
    report = validate_dataset(ds)
    assert report.violations == [], "\n".join(map(str, report.violations))
    assert not any(w.startswith("SHACL") for w in example_build.warnings)


def test_validate_valid_fixture_has_no_problem() -> None:
    report = validate_graph(Graph().parse(FIXTURES / "valid.ttl", format="turtle"))
    assert report.problems == [], "\n".join(map(str, report.problems))


def test_validate_catches_one_violation_of_each_shape(violations_report) -> None:
    report, _g = violations_report
    found = sorted((p.severity, p.shape, p.focus_iri) for p in report.problems)
    assert found == sorted(EXPECTED)


def test_validate_fixture_covers_every_shape() -> None:
    shapes = shapes_graph()
    named = {s for s in shapes.subjects(RDF.type, SH.NodeShape) if isinstance(s, URIRef)}
    named |= {s for s in shapes.subjects(RDF.type, SH.PropertyShape) if isinstance(s, URIRef)}
    not_constraints = {SH.path, SH.targetClass, SH.targetSubjectsOf, SH.targetObjectsOf, SH.property,
                       RDFS.comment, RDF.type, SH.message, SH.severity}
    can_fail = {s for s in named if set(shapes.predicates(s)) - not_constraints}  # shapes with constraints
    local = {str(s).rsplit("#", 1)[1] for s in can_fail}
    assert local == {shape for _sev, shape, _focus in EXPECTED}


@pytest.mark.parametrize(("severity", "shape", "focus"), EXPECTED, ids=[e[1] for e in EXPECTED])
def test_validate_message_is_plain_words(severity: str, shape: str, focus: str, violations_report) -> None:
    report, g = violations_report
    (problem,) = [p for p in report.problems if p.shape == shape and p.focus_iri == focus]
    text = str(problem)
    assert text.startswith(f"{severity}: ")
    assert text.endswith(f"[shape {shape}]")
    label = g.value(URIRef(focus), RDFS.label)
    assert (f'"{label}"' if label else "id:case\\/") in text
    assert "ConstraintComponent" not in text and "http" not in text


def test_validate_relation_shapes_follow_the_ontology() -> None:
    onto, shapes = ontology_graph(), shapes_graph()

    def classes(g: Graph, node) -> set:  # a class, or the members of a union / sh:or
        if (node, OWL.unionOf, None) in g:
            return set(Collection(g, g.value(node, OWL.unionOf)))
        if g.value(node, SH["class"]) is not None:
            return {g.value(node, SH["class"])}
        if g.value(node, SH["or"]) is not None:
            return {g.value(m, SH["class"]) for m in Collection(g, g.value(node, SH["or"]))}
        return {node}  # a class of the ontology

    for name in RELATION_NAMES:
        shape = URIRef(f"https://w3id.org/coopkg/shapes#{name[0].upper()}{name[1:]}Shape")
        assert shapes.value(shape, SH.targetSubjectsOf) == COOP[name]
        assert classes(shapes, shape) == classes(onto, onto.value(COOP[name], RDFS.domain)), f"{name} domain"
        range_shape = shapes.value(shape, SH.property)
        assert shapes.value(range_shape, SH.path) == COOP[name]
        expected = classes(onto, onto.value(COOP[name], RDFS.range))
        assert classes(shapes, range_shape) == expected, f"{name} range"


def test_validate_accepts_what_a_reasoner_adds(example_build: BuildReport) -> None:
    data = merge(data_graphs(read_graph_file(example_build.outputs[0].parent)).values())
    both = merge([data, infer(data).triples])
    assert len(both) > len(data)
    report = validate_graph(both)
    assert report.violations == [], "\n".join(map(str, report.violations))


def test_validate_build_warnings_name_the_violations(violations_report) -> None:
    report, _g = violations_report
    lines = build_warnings(report, "OUT", limit=3)
    assert lines[0] == ("SHACL: does not conform (42 violations, 1 warning); "
                        "kg validate OUT lists every problem")
    assert lines[1:4] == [str(p) for p in report.violations[:3]]
    assert lines[4] == "... and 39 more violations"


# --------------------------------------------------------------------------- CLI


def test_validate_cli_conforming_graph_exits_0(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _err = run_kg(capsys, "validate", str(FIXTURES / "valid.ttl"))
    assert code == 0 and out.strip() == "SHACL: conforms (no problems)"


def test_validate_cli_violations_exit_1_and_are_printed(capsys: pytest.CaptureFixture[str],
                                                        tmp_path: Path) -> None:
    ds = Dataset()
    ds.graph(URIRef("https://w3id.org/coopkg/graph/a1")).parse(FIXTURES / "valid.ttl", format="turtle")
    ds.graph(URIRef("https://w3id.org/coopkg/graph/a2")).parse(FIXTURES / "violations.ttl", format="turtle")
    path = tmp_path / "graph.trig"
    ds.serialize(destination=str(path), format="trig")
    code, out, _err = run_kg(capsys, "validate", str(path))
    lines = out.strip().splitlines()
    assert code == 1
    assert len(lines) == len(EXPECTED) + 1 and lines[-1].startswith("SHACL: does not conform")
    code, out, _err = run_kg(capsys, "validate", "-q", str(path))
    assert code == 1 and len(out.strip().splitlines()) == 42  # violations only, not the warning


@pytest.mark.parametrize(("argv", "message"), [
    (["--store", "{tmp}/no-store"], "no graph store at"),
    (["{tmp}/missing.ttl"], "no such file"),
    (["{tmp}/graph.csv"], "unknown graph file type '.csv'"),
    (["{tmp}/broken.ttl"], "not valid turtle"),
    (["--shapes", "{tmp}/broken.ttl", str(FIXTURES / "valid.ttl")], "shapes"),
])
def test_validate_cli_could_not_run_exits_2(argv: list[str], message: str, capsys: pytest.CaptureFixture[str],
                                            tmp_path: Path) -> None:
    (tmp_path / "graph.csv").write_text("a,b\n")
    (tmp_path / "broken.ttl").write_text("this is not turtle .")
    code, out, err = run_kg(capsys, "validate", *[a.format(tmp=tmp_path) for a in argv])
    assert code == 2
    assert err.startswith("kg validate: ") and message in err and "Traceback" not in err
    assert out == ""
