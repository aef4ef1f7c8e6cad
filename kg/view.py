"""The interactive view: the entity network as one self-contained HTML page (pyvis + vis-network).

Everything the page needs is inlined: vis-network from pyvis's own copy, the page's
script and style from ``kg/templates/``, the graph as JSON. The page loads nothing,
and its Content-Security-Policy lets it load nothing and run only its own two scripts.
Text from articles only ever reaches the page as JSON data and the DOM as ``textContent``.
"""

from __future__ import annotations

import base64
import hashlib
import locale
import math
import os
import tempfile
from collections import Counter
from collections.abc import Iterable
from functools import cache
from pathlib import Path
from typing import Any

import networkx as nx
import numpy as np
import pyvis
from jinja2 import Environment, FileSystemLoader, select_autoescape
from pyvis.network import Network
from rdflib import Graph
from scipy.spatial import cKDTree

from kg.errors import CoopkgError, OutputError
from kg.network import (
    KIND_CLASS,
    KINDS,
    articles,
    ego_network,
    entity_network,
    find_node,
    pagerank_of,
    term_label,
)

TEMPLATES = Path(__file__).resolve().parent / "templates"
VIS_DIR = Path(pyvis.__file__).resolve().parent / "templates" / "lib" / "vis-9.1.2"
LANGS = ("en", "fr")
# colour and vis-network shape of each kind of node
STYLE = {
    "organization": ("#2563eb", "dot"), "person": ("#dc2626", "diamond"), "post": ("#9333ea", "square"),
    "place": ("#16a34a", "triangle"), "initiative": ("#ea580c", "hexagon"), "topic": ("#0891b2", "triangleDown"),
    "event": ("#ca8a04", "star"), "other": ("#6b7280", "dot"),
}
PHYSICS_MAX_NODES = 150  # above this, positions come from networkx and physics is off
EDGE_LABELS_MAX = 1500  # above this many edges, relation names show in the details panel only
LABEL_MAX_CHARS = 40
MIN_DISTANCE = 70.0  # pixels between node centres after layout
COMMUNITY_MAX = 300  # nodes laid out in one force-directed pass; larger components are split by community
UI_TEXT = {
    "en": {"search": "Find an entity by name or alias", "types": "Entity types", "relations": "Relations",
           "details": "Details", "hint": "Hover over or click a node or an edge to see what it is and why it is there.",
           "aliases": "Also named", "type": "Type", "evidence": "Evidence", "article": "Article",
           "confidence": "Confidence", "rule": "rule", "characters": "characters", "links": "Links",
           "nodes": "nodes", "edges": "edges", "shown": "shown", "no_match": "No entity has that name.",
           "size": "Node size: PageRank centrality.", "symmetric": "symmetric", "channel": "through",
           "date": "Date", "iri": "IRI", "all": "all", "none": "none", "focus": "Ego view around",
           "hops": "hops", "no_evidence": "No quote recorded.", "why": "why?",
           "directed": "→ from subject to object; — symmetric"},
    "fr": {"search": "Chercher une entité par son nom ou un alias", "types": "Types d'entités",
           "relations": "Relations", "details": "Détails",
           "hint": "Survolez ou cliquez un nœud ou un lien pour voir ce qu'il est et pourquoi il est là.",
           "aliases": "Autres noms", "type": "Type", "evidence": "Preuve", "article": "Article",
           "confidence": "Confiance", "rule": "règle", "characters": "caractères", "links": "Liens",
           "nodes": "nœuds", "edges": "liens", "shown": "affichés", "no_match": "Aucune entité de ce nom.",
           "size": "Taille des nœuds : centralité PageRank.", "symmetric": "symétrique", "channel": "par",
           "date": "Date", "iri": "IRI", "all": "tout", "none": "rien", "focus": "Vue centrée sur",
           "hops": "sauts", "no_evidence": "Aucune citation enregistrée.", "why": "pourquoi ?",
           "directed": "→ du sujet vers l'objet ; — symétrique"},
}


def user_lang() -> str:
    """The user's language (``en`` or ``fr``) from COOPKG_LANG or the locale; English otherwise."""
    for value in (os.environ.get("COOPKG_LANG"), os.environ.get("LC_ALL"), os.environ.get("LC_MESSAGES"),
                  os.environ.get("LANG"), locale.getlocale()[0]):
        if value and value[:2].lower() in LANGS:
            return value[:2].lower()
    return "en"


def _induced(g: nx.Graph, nodes: Iterable[Any]) -> nx.Graph:
    """The subgraph on ``nodes``, nodes and edges in sorted order. (networkx's subgraph view walks a
    small node set in set order, which for names changes with Python's hash seed, and so would the layout.)"""
    keep = set(nodes)
    sub = nx.Graph()
    sub.add_nodes_from(sorted(keep))
    sub.add_edges_from(sorted(tuple(sorted((u, v))) for u, v in g.edges(keep) if u in keep and v in keep))
    return sub


def _spring(g: nx.Graph, seed: int) -> dict[Any, tuple[float, float]]:
    """Force-directed positions of a small connected graph, centred on 0 within radius 1."""
    if len(g) == 1:
        return {next(iter(g)): (0.0, 0.0)}
    pos = nx.spring_layout(g, seed=seed, iterations=50)
    return {n: (float(x), float(y)) for n, (x, y) in pos.items()}


def _component_layout(g: nx.Graph, seed: int) -> dict[Any, tuple[float, float]]:
    """Positions within radius ~1 for one connected graph: split by Louvain communities when large."""
    if len(g) <= COMMUNITY_MAX:
        return _spring(g, seed)
    found = [sorted(c) for c in nx.community.louvain_communities(g, seed=seed)]
    if len(found) == 1:
        return _spring(g, seed)
    found.sort(key=lambda c: (-len(c), c[0]))
    index = {n: i for i, c in enumerate(found) for n in c}
    quotient = nx.Graph()
    quotient.add_nodes_from(range(len(found)))
    quotient.add_edges_from((index[u], index[v]) for u, v in g.edges() if index[u] != index[v])
    centres = _layout_any(quotient, seed)
    total = math.sqrt(len(g))
    pos: dict[Any, tuple[float, float]] = {}
    for i, members in enumerate(found):
        sub = _induced(g, members)
        inner = _component_layout(sub, seed) if nx.is_connected(sub) else _layout_any(sub, seed)
        r = math.sqrt(len(members)) / total / 1.5
        cx, cy = centres[i]
        for n, (x, y) in inner.items():
            pos[n] = (cx + x * r, cy + y * r)
    return pos


def _layout_any(g: nx.Graph, seed: int) -> dict[Any, tuple[float, float]]:
    """Positions for any graph: each connected component laid out, then packed side by side."""
    comps = sorted((sorted(c) for c in nx.connected_components(g)), key=lambda c: (-len(c), c[0]))
    placed: dict[Any, tuple[float, float]] = {}
    radii = [math.sqrt(len(c)) * (1.7 if len(c) > 10 else 1.0) for c in comps]
    width = max(2 * radii[0], math.sqrt(sum(4 * r * r for r in radii)) * 1.1) if comps else 0
    x = y = row_height = 0.0
    for comp, r in zip(comps, radii, strict=True):
        inner = _component_layout(_induced(g, comp), seed)
        if x + 2 * r > width and x > 0:
            x, y, row_height = 0.0, y + row_height, 0.0
        for n, (px, py) in inner.items():
            placed[n] = (x + r + px * r, y + r + py * r)
        x += 2 * r + 0.3
        row_height = max(row_height, 2 * r + 0.3)
    # back to a frame centred on 0 with the largest extent ~1
    if not placed:
        return placed
    xs = [p[0] for p in placed.values()]
    ys = [p[1] for p in placed.values()]
    cx, cy = (min(xs) + max(xs)) / 2, (min(ys) + max(ys)) / 2
    extent = max(max(xs) - min(xs), max(ys) - min(ys), 1e-9) / 2
    return {n: ((px - cx) / extent, (py - cy) / extent) for n, (px, py) in placed.items()}


def layout(net: nx.Graph, seed: int = 0) -> dict[str, tuple[float, float]]:
    """Pixel positions for every node, deterministic.

    Leaves (nodes with one neighbour, itself not a leaf) are set aside and put in a ring
    around their neighbour; the rest is laid out force-directed per component (and per
    Louvain community in large ones), components packed side by side; then nodes closer
    than MIN_DISTANCE are pushed apart.
    """
    g = nx.Graph()
    g.add_nodes_from(sorted(net))
    g.add_edges_from(sorted({tuple(sorted((u, v))) for u, v in net.edges() if u != v}))
    rings: dict[str, list[str]] = {}
    for n in g:
        if g.degree(n) == 1:
            hub = next(iter(g[n]))
            if g.degree(hub) > 1:
                rings.setdefault(hub, []).append(n)
    core = _induced(g, [n for n in g if not (g.degree(n) == 1 and g.degree(next(iter(g[n]))) > 1)])
    inner = _layout_any(core, seed)
    scale = 150 * math.sqrt(max(len(core), 1))
    pos = {n: (x * scale, y * scale) for n, (x, y) in inner.items()}
    for hub, leaves in rings.items():
        hx, hy = pos[hub]
        radius = max(1.6 * MIN_DISTANCE, len(leaves) * MIN_DISTANCE / (2 * math.pi))
        start = (sum(map(ord, hub)) % 360) * math.pi / 180  # rings of neighbours do not all line up
        for i, leaf in enumerate(leaves):
            angle = start + 2 * math.pi * i / len(leaves)
            pos[leaf] = (hx + radius * math.cos(angle), hy + radius * math.sin(angle))
    names = list(pos)
    xy = _spread(np.array([pos[n] for n in names], dtype=float).reshape(-1, 2), MIN_DISTANCE)
    return {n: (round(float(x), 1), round(float(y), 1)) for n, (x, y) in zip(names, xy, strict=True)}


def _spread(xy: np.ndarray, min_distance: float, rounds: int = 12) -> np.ndarray:
    """Push apart the points closer than ``min_distance`` (a few rounds; never moves a point far)."""
    xy = xy.copy()
    for _ in range(rounds):
        if len(xy) < 2:
            break
        pairs = cKDTree(xy).query_pairs(min_distance, output_type="ndarray")
        if len(pairs) == 0:
            break
        i, j = pairs[:, 0], pairs[:, 1]
        delta = xy[i] - xy[j]
        dist = np.hypot(delta[:, 0], delta[:, 1])
        same = dist < 1e-6
        delta[same] = np.column_stack([np.cos(i[same]), np.sin(i[same])])  # coincident: a fixed direction
        dist[same] = 1.0
        push = (delta / dist[:, None]) * ((min_distance - np.minimum(dist, min_distance)) / 2)[:, None]
        moves = np.zeros_like(xy)
        np.add.at(moves, i, push)
        np.add.at(moves, j, -push)
        xy += moves
    return xy


def _short(text: str) -> str:
    return text if len(text) <= LABEL_MAX_CHARS else text[: LABEL_MAX_CHARS - 1].rstrip() + "…"


def _legend_svg(kind: str) -> str:
    """A small SVG of a kind's shape and colour (fixed markup, no data)."""
    colour, shape = STYLE[kind]
    shapes = {
        "dot": '<circle cx="8" cy="8" r="6"/>',
        "diamond": '<polygon points="8,1 15,8 8,15 1,8"/>',
        "square": '<rect x="2" y="2" width="12" height="12"/>',
        "triangle": '<polygon points="8,1 15,14 1,14"/>',
        "triangleDown": '<polygon points="1,2 15,2 8,15"/>',
        "hexagon": '<polygon points="4,1.5 12,1.5 15.5,8 12,14.5 4,14.5 0.5,8"/>',
        "star": '<polygon points="8,0.5 10,6 15.5,6 11,9.5 12.8,15 8,11.6 3.2,15 5,9.5 0.5,6 6,6"/>',
    }
    return (f'<svg width="16" height="16" viewBox="0 0 16 16" aria-hidden="true" fill="{colour}">'
            f"{shapes[shape]}</svg>")


def view_data(net: nx.MultiDiGraph, lang: str, article_info: dict[str, dict[str, Any]],
              focus: str | None = None) -> dict[str, Any]:
    """The page's data: vis nodes and edges with positions, details, legend and options (pure)."""
    order = sorted(net, key=lambda n: (KINDS.index(net.nodes[n]["kind"]) if net.nodes[n]["kind"] in KINDS
                                       else len(KINDS), n))
    index = {n: i for i, n in enumerate(order)}
    simple = nx.Graph()
    simple.add_nodes_from(order)
    simple.add_edges_from((u, v) for u, v in net.edges() if u != v)
    rank = pagerank_of(simple)
    top = max(rank.values(), default=1.0) or 1.0
    pos = layout(simple)
    physics = len(order) <= PHYSICS_MAX_NODES
    big = len(order) > PHYSICS_MAX_NODES

    nodes: list[dict[str, Any]] = []
    info: list[dict[str, Any]] = []
    for n in order:
        d = net.nodes[n]
        colour, shape = STYLE[d["kind"]]
        x, y = pos[n]
        node: dict[str, Any] = {"id": index[n], "label": _short(d["label"]), "kind": d["kind"], "shape": shape,
                                "color": colour, "size": round(8 + 26 * math.sqrt(rank.get(n, 0) / top), 1),
                                "x": x, "y": y}
        if n == focus:
            node["borderWidth"] = 5
            node["color"] = {"background": colour, "border": "#111827"}
        nodes.append(node)
        item: dict[str, Any] = {"iri": n, "label": d["label"], "aliases": d.get("aliases", []),
                                "kind": d["kind"], "classes": d.get("classes", [])}
        for key in ("date", "event_type", "sameAs", "evidence", "confidence"):
            if d.get(key) not in (None, []):
                item[key] = d[key]
        info.append(item)

    edges: list[dict[str, Any]] = []
    edge_info: list[dict[str, Any]] = []
    parallel: Counter[tuple[int, int]] = Counter()
    edge_list = sorted(net.edges(keys=True, data=True), key=lambda e: (index[e[0]], index[e[1]], e[2]))
    label_edges = len(edge_list) <= EDGE_LABELS_MAX
    for s, o, rel, d in edge_list:
        a, b = index[s], index[o]
        pair = (min(a, b), max(a, b))
        k = parallel[pair]
        parallel[pair] += 1
        edge: dict[str, Any] = {"id": len(edges), "from": a, "to": b, "rel": rel,
                                "arrows": "" if d["symmetric"] else "to"}
        if label_edges:
            edge["label"] = term_label(rel, lang)
        if rel in ("participant", "place", "topic"):
            edge["dashes"] = True
            edge["color"] = STYLE["event"][0]
        elif rel in ("holds", "postIn"):
            edge["color"] = STYLE["post"][0]
        if k:
            edge["smooth"] = {"enabled": True, "type": "curvedCW" if k % 2 else "curvedCCW",
                              "roundness": 0.15 * ((k + 1) // 2)}
        edges.append(edge)
        extra: dict[str, Any] = {"rel": rel, "evidence": d.get("evidence", [])}
        if d.get("confidence") is not None:
            extra["confidence"] = d["confidence"]
        if d.get("channels"):
            extra["channels"] = [index.get(c, c) for c in d["channels"]]
        edge_info.append(extra)

    kinds = Counter(net.nodes[n]["kind"] for n in order)
    rels = Counter(rel for _, _, rel in net.edges(keys=True))
    used_articles = {e.get("article") for x in [*edge_info, *info] for e in x.get("evidence", [])}
    return {
        "lang": lang,
        "nodes": nodes,
        "edges": edges,
        "info": info,
        "edgeInfo": edge_info,
        "articles": {a: article_info[a] for a in sorted(used_articles - {None}) if a in article_info},
        "kinds": [{"kind": k, "label": term_label(KIND_CLASS.get(k, k), lang), "count": kinds[k],
                   "color": STYLE[k][0]} for k in [*KINDS, "other"] if kinds[k]],
        "relations": [{"relation": r, "label": term_label(r, lang), "count": rels[r]}
                      for r in sorted(rels, key=lambda r: (term_label(r, lang).casefold(), r))],
        "relationLabels": {r: term_label(r, lang) for r in rels},
        "focus": index[focus] if focus is not None else None,
        "physics": physics,
        "options": _options(physics, big, len(edge_list)),
        "text": UI_TEXT[lang],
    }


def _options(physics: bool, big: bool, n_edges: int) -> dict[str, Any]:
    """vis-network options: physics only for small graphs, cheaper drawing for large ones."""
    return {
        "autoResize": True,
        "layout": {"improvedLayout": False, "randomSeed": 0},
        "physics": {"enabled": physics, "solver": "barnesHut",
                    "barnesHut": {"gravitationalConstant": -6000, "springLength": 140, "avoidOverlap": 0.2},
                    "stabilization": {"enabled": physics, "iterations": 300, "updateInterval": 50, "fit": True}},
        "interaction": {"hover": True, "tooltipDelay": 150, "hideEdgesOnDrag": big, "hideEdgesOnZoom": big,
                        "navigationButtons": False, "keyboard": False, "multiselect": False},
        "nodes": {"borderWidth": 1, "font": {"size": 14, "face": "system-ui, sans-serif"},
                  "scaling": {"label": {"drawThreshold": 6}}},
        "edges": {"width": 1.2, "smooth": {"enabled": not big, "type": "continuous"} if n_edges < 5000
                  else False, "color": {"color": "#9ca3af", "highlight": "#111827", "hover": "#374151"},
                  "font": {"size": 11, "align": "middle", "color": "#4b5563", "strokeWidth": 3}},
    }


@cache
def _asset(path: Path) -> str:
    return path.read_text(encoding="utf-8")


def _csp_hash(script: str) -> str:
    return "'sha256-" + base64.b64encode(hashlib.sha256(script.encode("utf-8")).digest()).decode() + "'"


def render_html(data: dict[str, Any], title: str) -> str:
    """The self-contained page for ``view_data``'s output (pyvis network, local vis-network, own template)."""
    net = Network(directed=True, cdn_resources="in_line")
    net.nodes, net.edges = data["nodes"], data["edges"]
    net.node_ids = [n["id"] for n in data["nodes"]]
    net.node_map = {n["id"]: n for n in data["nodes"]}
    net.options = data["options"]
    # pyvis's own page loads bootstrap (and vis, unless in_line) from CDNs: only its data model is used here
    nodes, edges, _, _, _, _options_json = net.get_network_data()
    env = Environment(loader=FileSystemLoader(TEMPLATES), autoescape=select_autoescape(["html"]),
                      keep_trailing_newline=True)
    vis_js = _asset(VIS_DIR / "vis-network.min.js")
    app_js = _asset(TEMPLATES / "view.js")
    csp = (f"default-src 'none'; script-src {_csp_hash(vis_js)} {_csp_hash(app_js)}; "
           "style-src 'unsafe-inline'; img-src data:; font-src data:; connect-src 'none'; "
           "base-uri 'none'; form-action 'none'")
    return env.get_template("view.html").render(
        title=title, lang=data["lang"], text=data["text"], csp=csp, kinds=data["kinds"],
        relations=data["relations"], legend={k["kind"]: _legend_svg(k["kind"]) for k in data["kinds"]},
        data={**data, "nodes": nodes, "edges": edges}, vis_js=vis_js, vis_css=_asset(VIS_DIR / "vis-network.css"),
        app_js=app_js, app_css=_asset(TEMPLATES / "view.css"), focus_label=(
            data["info"][data["focus"]]["label"] if data["focus"] is not None else None),
    )


def view_html(graph: Graph, lang: str | None = None, focus: str | None = None, hops: int = 2,
              title: str = "coopkg") -> str:
    """The HTML page of ``graph`` (or of the ego network of ``focus`` within ``hops`` links)."""
    lang = lang or user_lang()
    if lang not in LANGS:
        raise CoopkgError(f"--lang must be one of {', '.join(LANGS)}, not {lang!r}")
    net = entity_network(graph, lang)
    centre = None
    if focus is not None:
        centre = find_node(net, focus)
        net = ego_network(net, centre, hops)
        title = f"{title} — {net.nodes[centre]['label']} ({hops})"
    return render_html(view_data(net, lang, articles(graph), centre), title)


def _write_atomic(path: Path, text: str) -> None:
    """Write ``text`` through a temporary file in the same folder, then rename it over ``path``."""
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as fh:
            fh.write(text)
        mask = os.umask(0)
        os.umask(mask)
        os.chmod(tmp, 0o666 & ~mask)
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def write_view(graph: Graph, path: str | Path, lang: str | None = None, focus: str | None = None,
               hops: int = 2) -> Path:
    """Write the view of ``graph`` to ``path`` atomically; return the path."""
    path = Path(path)
    html = view_html(graph, lang, focus, hops)
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        _write_atomic(path, html)
    except OSError as e:
        raise OutputError(f"cannot write {path}: {e.strerror or e}") from e
    return path
