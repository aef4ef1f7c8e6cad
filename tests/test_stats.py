"""kg/stats.py and ``kg stats``: counts, central institutions and officials, communities, paths."""

from __future__ import annotations

import json

import pytest
from graphs import example_graph, expected_counts, hand_made, two_cliques
from rdflib import Graph

from kg.cli import main
from kg.stats import format_table, stats_report


@pytest.fixture(scope="module")
def report() -> dict:
    return stats_report(hand_made(), lang="en", path=("Org B", "Quill"))


def test_stats_counts_by_class_and_relation(report):
    assert {c["class"]: c["count"] for c in report["classes"]} == {
        "Organization": 6, "Person": 2, "Post": 1, "Place": 1, "Topic": 1, "Meeting": 1}
    assert {r["relation"]: r["count"] for r in report["relations"]} == {
        "cooperatesWith": 2, "supports": 1, "signsAgreementWith": 1, "holds": 1, "postIn": 1,
        "participant": 2, "place": 1, "topic": 1}
    assert (report["nodes"], report["edges"]) == expected_counts(hand_made())


def test_stats_most_central_institutions_and_officials(report):
    inst = report["institutions"]
    assert inst[0]["label"] == "Org A" and {x["label"] for x in inst[1:3]} == {"Org D", "Org E"}
    assert [x["pagerank"] for x in inst] == sorted((x["pagerank"] for x in inst), reverse=True)
    between = {x["label"]: x["betweenness"] for x in inst}
    assert between == pytest.approx({"Org A": 12 / 21, "Org D": 8 / 21, "Org E": 5 / 21, "Org B": 0.0, "Org C": 0.0,
                                     "Org F": 0.0}, abs=1e-6)
    assert inst[-1]["label"] == "Org F" and inst[-1]["degree"] == 0
    assert {x["label"]: x["degree"] for x in report["officials"]} == {"Quentin Quill": 1, "Mme Paula Pérez": 1}
    assert report["cooperation_network"] == {"nodes": 8, "edges": 6, "components": 2, "betweenness": "exact"}


def test_stats_path_names_each_hop_and_why(report):
    path = report["path"]
    assert path["found"] is True
    assert [(h["from"], h["to"]) for h in path["hops"]] == [
        ("Org B", "Org A"), ("Org A", "Org D"), ("Org D", "Org E"), ("Org E", "Quentin Quill")]
    assert path["hops"][-1]["why"] == ["Event: Meeting · 2024-01-01"]


def test_stats_communities_of_cooperating_institutions():
    found = stats_report(two_cliques())["communities"]
    assert [sorted(c["members"]) for c in found] == [[f"Left {i}" for i in range(4)],
                                                     [f"Right {i}" for i in range(4)]]


@pytest.mark.parametrize("top", [1, 3])
def test_stats_top_limits_the_lists(top):
    report = stats_report(hand_made(), top=top)
    assert len(report["institutions"]) == top


def test_stats_table_has_every_section(report):
    text = format_table(report)
    for heading in ("most central institutions", "most central officials",
                    "communities of cooperating institutions", "cooperation path: Org B -> Quentin Quill"):
        assert heading in text
    assert "Org A  " in text and "signs agreement with" in text


@pytest.fixture
def ttl(tmp_path):
    path = tmp_path / "g.ttl"
    hand_made().serialize(path, format="turtle")
    return str(path)


@pytest.mark.parametrize(("names", "code", "shown"), [
    (["Org B", "Quill"], 0, "Org D  "), (["Org B", "Org F"], 1, "no path"), (["Org B", "Paris"], 2, "is a place"),
    (["Org B", "Atlantis"], 2, "no entity")])
def test_stats_cli_path_exit_codes(ttl, capsys, names, code, shown):
    assert main(["stats", ttl, "--path", *names]) == code
    out = capsys.readouterr()
    assert shown in out.out + out.err


def test_stats_cli_json(ttl, capsys):
    assert main(["stats", ttl, "--format", "json", "--lang", "fr"]) == 0
    data = json.loads(capsys.readouterr().out)
    assert data["lang"] == "fr" and data["institutions"][0]["label"] == "Org A"
    assert {r["relation"]: r["label"] for r in data["relations"]}["cooperatesWith"] == "coopère avec"


def test_stats_empty_graph_has_no_central_nodes():
    report = stats_report(Graph())
    assert report["institutions"] == [] and report["communities"] == [] and report["nodes"] == 0
    assert "(none)" in format_table(report)


def test_stats_example(example_extraction):
    g = example_graph(example_extraction)
    report = stats_report(g, lang="fr", path=("INTERPOL", "Europol"))
    assert (report["nodes"], report["edges"]) == expected_counts(g)
    assert sum(c["count"] for c in report["classes"]) == report["nodes"]
    assert report["institutions"][0]["label"] == "INTERPOL"
    assert report["path"]["found"] and report["path"]["hops"][0]["from"] == "INTERPOL"
    assert report["path"]["hops"][-1]["to"] == "Europol"
