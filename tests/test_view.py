"""kg/view.py and ``kg view``: a self-contained, escaped, deterministic HTML view of the graph."""

from __future__ import annotations

import base64
import hashlib
import itertools
import json
import os
import re
import subprocess
import sys
from html.parser import HTMLParser
from pathlib import Path

import pytest
from graphs import HOSTILE_IMG, HOSTILE_SCRIPT, Builder, example_graph, expected_counts, hand_made, hostile
from rdflib import Graph

from kg.cli import main
from kg.errors import CoopkgError
from kg.network import articles, entity_network
from kg.view import PHYSICS_MAX_NODES, STYLE, layout, user_lang, view_data, view_html, write_view
from kg.view_cli import LANGS, read_graph_file, read_store
from kg.vocab import COOP


class Elements(HTMLParser):
    """The elements a browser would build from a page: tags with attributes, and each script's text."""

    def __init__(self, html: str) -> None:
        super().__init__(convert_charrefs=True)
        self.tags: list[tuple[str, dict[str, str | None]]] = []
        self.scripts: list[tuple[dict[str, str | None], str]] = []
        self._in_script: dict[str, str | None] | None = None
        self.feed(html)

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append((tag, dict(attrs)))
        if tag == "script":
            self._in_script = dict(attrs)
            self.scripts.append((self._in_script, ""))

    def handle_data(self, data: str) -> None:
        if self._in_script is not None:
            attrs, text = self.scripts[-1]
            self.scripts[-1] = (attrs, text + data)

    def handle_endtag(self, tag: str) -> None:
        if tag == "script":
            self._in_script = None


def page_data(html: str) -> dict:
    """The JSON the page reads its graph from."""
    return json.loads(next(text for attrs, text in Elements(html).scripts if attrs.get("id") == "coopkg-data"))


@pytest.fixture(scope="module")
def html() -> str:
    return view_html(hand_made(), lang="en")


def test_view_page_loads_nothing_from_outside(html):
    page = Elements(html)
    assert [attrs for attrs, _ in page.scripts] == [{"type": "application/json", "id": "coopkg-data"}, {}, {}]
    assert not [(tag, a) for tag, a in page.tags if {"src", "href", "srcset", "data", "action"} & set(a)]
    assert {tag for tag, _ in page.tags} <= {"html", "head", "meta", "title", "style", "body", "header", "h1",
                                               "div", "input", "ul", "p", "main", "nav", "fieldset", "legend",
                                               "label", "svg", "circle", "polygon", "rect", "span", "small",
                                               "aside", "h2", "script"}
    csp = next(a["content"] or "" for tag, a in page.tags if a.get("http-equiv") == "Content-Security-Policy")
    assert "default-src 'none'" in csp and "connect-src 'none'" in csp
    assert "unsafe" not in next(d for d in csp.split(";") if "script-src" in d)


def test_view_csp_allows_exactly_the_page_scripts(html):
    page = Elements(html)
    csp = next(a["content"] for tag, a in page.tags if a.get("http-equiv") == "Content-Security-Policy")
    allowed = set(re.findall(r"'sha256-([^']+)'", csp or ""))
    inline = [text for attrs, text in page.scripts if attrs.get("type") != "application/json"]
    digests = {base64.b64encode(hashlib.sha256(t.encode()).digest()).decode() for t in inline}
    assert allowed == digests and len(digests) == 2


def test_view_escapes_markup_from_articles():
    page = view_html(hostile(), lang="en")
    elements = Elements(page)
    assert len(elements.scripts) == 3
    assert "img" not in {tag for tag, _ in elements.tags}
    assert not [a for _, a in elements.tags if any(k.startswith("on") for k in a)]
    data = page_data(page)
    assert HOSTILE_IMG in [i["label"].split(" ", 1)[1] for i in data["info"] if i["label"].startswith("Evil")]
    assert HOSTILE_SCRIPT in data["edgeInfo"][0]["evidence"][0]["quote"]
    assert HOSTILE_SCRIPT in next(iter(data["articles"].values()))["headline"]


def test_view_page_scripts_never_write_html():
    script = (Path(__file__).parents[1] / "kg" / "templates" / "view.js").read_text(encoding="utf-8")
    assert not re.search(r"innerHTML|outerHTML|insertAdjacentHTML|document\.write|eval\(|new Function", script)


def test_view_draws_every_entity_and_relation_once(html):
    data = page_data(html)
    assert (len(data["nodes"]), len(data["edges"])) == expected_counts(hand_made())
    assert len({e["id"] for e in data["edges"]}) == len(data["edges"])


@pytest.mark.parametrize(("rel", "arrows"), [("cooperatesWith", ""), ("signsAgreementWith", ""),
                                             ("supports", "to"), ("holds", "to"), ("participant", "to")])
def test_view_symmetric_relations_are_undirected(html, rel, arrows):
    edges = [e for e in page_data(html)["edges"] if e["rel"] == rel]
    assert edges and {e["arrows"] for e in edges} == {arrows}


@pytest.mark.parametrize(("lang", "labels"), [
    ("en", {"cooperatesWith": "cooperates with", "supports": "supports", "holds": "holds"}),
    ("fr", {"cooperatesWith": "coopère avec", "supports": "soutient", "holds": "occupe"})])
def test_view_edges_are_named_in_the_users_language(lang, labels):
    data = page_data(view_html(hand_made(), lang=lang))
    for rel, label in labels.items():
        assert {e["label"] for e in data["edges"] if e["rel"] == rel} == {label}
    assert data["lang"] == lang


def test_view_nodes_are_styled_by_kind_with_a_legend(html):
    data = page_data(html)
    assert len({STYLE[k][0] for k in STYLE}) == len({STYLE[k][1] for k in STYLE if k != "other"}) + 1
    for node in data["nodes"]:
        assert (node["color"], node["shape"]) == STYLE[node["kind"]]
    assert [k["kind"] for k in data["kinds"]] == ["organization", "person", "post", "place", "topic", "event"]
    for k in data["kinds"]:
        assert f'data-kind="{k["kind"]}"' in html


def test_view_node_size_follows_centrality(html):
    data = page_data(html)
    size = {i["label"]: n["size"] for n, i in zip(data["nodes"], data["info"], strict=True)}
    assert size["Org A"] > size["Org B"] > size["Org F"]


def test_view_events_show_date_participants_place_and_topics(html):
    data = page_data(html)
    event = next(i for i, n in enumerate(data["nodes"]) if n["kind"] == "event")
    assert data["nodes"][event]["label"] == "Meeting · 2024-01-01"
    linked = {(e["rel"], data["info"][e["to"]]["label"]) for e in data["edges"] if e["from"] == event}
    assert linked == {("participant", "Quentin Quill"), ("participant", "Org E"), ("place", "Paris"),
                      ("topic", "terrorism")}


def test_view_details_carry_aliases_quotes_article_and_confidence(html):
    data = page_data(html)
    person = next(i for i in data["info"] if i["kind"] == "person" and "Pérez" in i["aliases"])
    assert person["label"] == "Mme Paula Pérez"
    supports = data["edgeInfo"][next(e["id"] for e in data["edges"] if e["rel"] == "supports")]
    assert supports["confidence"] == 0.9
    assert supports["evidence"][0]["quote"] == "A funds D."
    assert data["articles"][supports["evidence"][0]["article"]]["headline"] == "Hand-made press release"


def test_view_is_deterministic():
    assert view_html(hand_made(), lang="en") == view_html(hand_made(), lang="en")


def big_graph(n: int) -> Graph:
    """A ring of ``n`` organisations, each also supporting the next but one."""
    b = Builder()
    nodes = [b.entity(f"org/o{i}", f"Org {i}") for i in range(n)]
    for i, x in enumerate(nodes):
        b.g.add((x, COOP.cooperatesWith, nodes[(i + 1) % n]))
        b.g.add((x, COOP.supports, nodes[(i + 2) % n]))
    return b.g


@pytest.mark.parametrize(("n", "physics"), [(20, True), (PHYSICS_MAX_NODES + 50, False)])
def test_view_large_graphs_are_laid_out_up_front_with_physics_off(n, physics):
    data = page_data(view_html(big_graph(n), lang="en"))
    assert data["physics"] is physics and data["options"]["physics"]["enabled"] is physics
    assert len(data["nodes"]) == n and len(data["edges"]) == 2 * n
    points = {(node["x"], node["y"]) for node in data["nodes"]}
    assert len(points) == n


def test_view_layout_keeps_nodes_apart_and_leaves_near_their_hub():
    b = Builder()
    hub = b.entity("org/hub", "Hub")
    for i in range(30):
        b.g.add((b.entity(f"org/leaf{i}", f"Leaf {i}"), COOP.memberOf, hub))
    pos = layout(entity_network(b.g))
    xy = list(pos.values())
    closest = min(((a[0] - c[0]) ** 2 + (a[1] - c[1]) ** 2) ** 0.5 for i, a in enumerate(xy) for c in xy[i + 1:])
    assert closest >= 60
    hx, hy = pos[str(hub)]
    assert max(((x - hx) ** 2 + (y - hy) ** 2) ** 0.5 for x, y in xy) < 600


@pytest.mark.parametrize(("hops", "labels"), [(0, {"Org D"}), (1, {"Org A", "Org D", "Org E"})])
def test_view_focus_shows_the_ego_network(hops, labels):
    data = page_data(view_html(hand_made(), lang="en", focus="Org D", hops=hops))
    assert {i["label"] for i in data["info"]} == labels
    assert data["info"][data["focus"]]["label"] == "Org D"


def test_view_focus_on_an_unknown_name_is_an_error():
    with pytest.raises(CoopkgError, match="no entity"):
        view_html(hand_made(), focus="Atlantis")


def test_view_cli_writes_the_page(tmp_path, capsys):
    src = tmp_path / "g.ttl"
    hand_made().serialize(src, format="turtle")
    out = tmp_path / "out" / "graph.html"
    assert main(["view", str(src), "-o", str(out), "--lang", "fr"]) == 0
    assert page_data(out.read_text(encoding="utf-8"))["lang"] == "fr"
    assert str(out) in capsys.readouterr().out


@pytest.mark.parametrize(("args", "message"), [
    (["view", "missing.ttl"], "no graph file"), (["view", "--hops", "-1", "x.ttl"], "--hops"),
    (["view", "--store", "s", "g.ttl"], "not both"), (["view", "--focus", "Atlantis", "g.ttl"], "no entity")])
def test_view_cli_explains_what_it_cannot_do(tmp_path, monkeypatch, capsys, args, message):
    monkeypatch.chdir(tmp_path)
    hand_made().serialize(tmp_path / "g.ttl", format="turtle")
    assert main(args) == 2
    assert message in capsys.readouterr().err


def test_view_reads_trig_and_build_folders(tmp_path):
    from rdflib import Dataset

    ds = Dataset()
    named = ds.graph("https://w3id.org/coopkg/graph/hand-made")
    for t in hand_made():
        named.add(t)
    ds.serialize(tmp_path / "graph.trig", format="trig")
    assert len(read_graph_file(tmp_path / "graph.trig")) == len(hand_made())
    assert len(read_graph_file(tmp_path)) == len(hand_made())  # a build folder, as kg view OUTDIR reads it
    assert len(read_store(tmp_path)) == len(hand_made())


def test_view_reads_the_graph_store(tmp_path):
    store_mod = pytest.importorskip("kg.store")
    with store_mod.GraphStore(tmp_path / "store") as store:
        store.replace_article_graphs({"hand-made": hand_made()})
    g = read_store(tmp_path / "store")
    assert expected_counts(g) == expected_counts(hand_made())


def test_view_languages_agree_between_cli_and_view():
    from kg.view import LANGS as VIEW_LANGS

    assert LANGS == VIEW_LANGS


@pytest.mark.parametrize(("env", "lang"), [({"COOPKG_LANG": "fr"}, "fr"), ({"LANG": "fr_FR.UTF-8"}, "fr"),
                                           ({"LANG": "de_DE.UTF-8"}, "en"), ({"LANG": "en_GB.UTF-8"}, "en")])
def test_view_user_language_comes_from_the_environment(monkeypatch, env, lang):
    for var in ("COOPKG_LANG", "LC_ALL", "LC_MESSAGES", "LANG"):
        monkeypatch.delenv(var, raising=False)
    for k, v in env.items():
        monkeypatch.setenv(k, v)
    monkeypatch.setattr("locale.getlocale", lambda *a: (None, None))
    assert user_lang() == lang


def test_view_example_draws_the_whole_graph(example_extraction, tmp_path):
    g = example_graph(example_extraction)
    path = write_view(g, tmp_path / "graph.html", lang="fr")
    data = page_data(path.read_text(encoding="utf-8"))
    assert (len(data["nodes"]), len(data["edges"])) == expected_counts(g)
    assert set(data["articles"]) <= set(articles(g))
    assert view_data(entity_network(g, "fr"), "fr", articles(g))["nodes"] == data["nodes"]


def test_view_build_writes_the_page_beside_the_graph(example_build):
    outdir = example_build.outputs[0].parent
    page = outdir / "graph.html"
    assert page in example_build.outputs and page.is_file()
    g = read_graph_file(outdir / "graph.ttl")
    data = page_data(page.read_text(encoding="utf-8"))
    assert (len(data["nodes"]), len(data["edges"])) == expected_counts(g)


def components_graph() -> Graph:
    """A ring of organisations and small groups beside it: components under half the graph."""
    g = big_graph(24)
    b = Builder()
    for k in range(4):
        members = [b.entity(f"org/g{k}m{i}", f"Group {k} member {i}") for i in range(3 + k)]
        for x, y in itertools.pairwise(members):
            b.g.add((x, COOP.cooperatesWith, y))
    return g + b.g


@pytest.mark.parametrize("make", [hand_made, components_graph])
def test_view_is_byte_identical_across_processes(tmp_path, make):
    src = tmp_path / "g.ttl"
    make().serialize(src, format="turtle")
    pages = []
    for seed in ("1", "2"):
        out = tmp_path / f"{seed}.html"
        subprocess.run([sys.executable, "-m", "kg.cli", "view", str(src), "-o", str(out), "--lang", "en"],
                       check=True, env={**os.environ, "PYTHONHASHSEED": seed}, timeout=120, capture_output=True)
        pages.append(out.read_bytes())
    assert pages[0] == pages[1]
