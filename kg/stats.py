"""``kg stats``: counts, central institutions and officials, communities and paths, as a table or JSON."""

from __future__ import annotations

import json
from collections import Counter
from typing import Any

import networkx as nx
from rdflib import Graph

from kg.network import (
    ACTORS,
    EXACT_BETWEENNESS_MAX,
    KIND_CLASS,
    centralities,
    communities,
    cooperation_network,
    cooperation_path,
    entity_network,
    find_node,
    term_label,
)

EVENT_CLASSES = ("Meeting", "Visit", "Conference", "AgreementSigning", "Event")


def stats_report(graph: Graph, lang: str = "en", top: int = 10,
                 path: tuple[str, str] | None = None) -> dict[str, Any]:
    """Every figure ``kg stats`` prints, as plain data (JSON-ready)."""
    net = entity_network(graph, lang)
    coop = cooperation_network(net, lang)
    cent = centralities(coop)
    classes: Counter[str] = Counter()
    for _, d in net.nodes(data=True):
        classes[d.get("event_type") or KIND_CLASS.get(d["kind"], "Other")] += 1
    relations = Counter(rel for _, _, rel in net.edges(keys=True))

    def who(n: str) -> dict[str, Any]:
        c = cent[n]
        return {"label": coop.nodes[n]["label"], "iri": n, "degree": c.degree,
                "degree_centrality": round(c.degree_centrality, 6), "betweenness": round(c.betweenness, 6),
                "pagerank": round(c.pagerank, 6)}

    def most_central(kind: str) -> list[dict[str, Any]]:
        ranked = sorted((n for n in coop if coop.nodes[n]["kind"] == kind),
                        key=lambda n: (-cent[n].pagerank, -cent[n].degree, coop.nodes[n]["label"], n))
        return [who(n) for n in ranked[:top]]

    report: dict[str, Any] = {
        "lang": lang,
        "nodes": net.number_of_nodes(),
        "edges": net.number_of_edges(),
        "classes": [{"class": c, "label": term_label(c, lang), "count": n}
                    for c, n in sorted(classes.items(), key=lambda x: (-x[1], x[0]))],
        "relations": [{"relation": r, "label": term_label(r, lang), "count": n}
                      for r, n in sorted(relations.items(), key=lambda x: (-x[1], x[0]))],
        "cooperation_network": {
            "nodes": coop.number_of_nodes(), "edges": coop.number_of_edges(),
            "components": nx.number_connected_components(coop) if len(coop) else 0,
            "betweenness": "exact" if len(coop) <= EXACT_BETWEENNESS_MAX else "estimated from 500 sources",
        },
        "institutions": most_central("organization"),
        "officials": most_central("person"),
        "communities": [
            {"size": len(c), "members": [coop.nodes[n]["label"] for n in
                                         sorted(c, key=lambda n: (-cent[n].pagerank, coop.nodes[n]["label"]))],
             "iris": c}
            for c in communities(coop)[:top]],
    }
    if path is not None:
        a, b = (find_node(net, name, ACTORS) for name in path)
        hops = cooperation_path(coop, a, b)
        report["path"] = {
            "from": coop.nodes[a]["label"], "to": coop.nodes[b]["label"], "found": hops is not None,
            "hops": [{"from": coop.nodes[h.source]["label"], "to": coop.nodes[h.target]["label"], "why": h.why}
                     for h in hops or []],
        }
    return report


def _table(headers: list[str], rows: list[list[Any]], right: set[int] | None = None) -> list[str]:
    """Aligned plain-text columns (numbers right-aligned)."""
    right = right or set()
    cells = [[str(x) for x in r] for r in rows]
    widths = [max([len(h)] + [len(r[i]) for r in cells]) for i, h in enumerate(headers)]

    def line(values: list[str]) -> str:
        return "  ".join(v.rjust(w) if i in right else v.ljust(w)
                         for i, (v, w) in enumerate(zip(values, widths, strict=True))).rstrip()

    return [line(headers), line(["-" * w for w in widths]), *(line(r) for r in cells)]


def format_table(report: dict[str, Any]) -> str:
    """The report as tables for the terminal."""
    out = [f"graph: {report['nodes']} nodes, {report['edges']} edges", ""]
    out += [*_table(["class", "count"], [[c["label"], c["count"]] for c in report["classes"]], {1}), ""]
    out += [*_table(["relation", "count"], [[r["label"], r["count"]] for r in report["relations"]], {1}), ""]
    cn = report["cooperation_network"]
    out.append(f"cooperation network: {cn['nodes']} organisations and persons, {cn['edges']} links, "
               f"components {cn['components']} (betweenness {cn['betweenness']})")
    for title, key in (("most central institutions", "institutions"), ("most central officials", "officials")):
        out += ["", title]
        rows = [[i + 1, x["label"], x["degree"], f"{x['betweenness']:.3f}", f"{x['pagerank']:.3f}"]
                for i, x in enumerate(report[key])]
        out += _table(["#", "name", "degree", "betweenness", "pagerank"], rows, {0, 2, 3, 4}) if rows else ["(none)"]
    out += ["", "communities of cooperating institutions"]
    if report["communities"]:
        out += [f"{i + 1:>3}. ({c['size']}) " + ", ".join(c["members"]) for i, c in enumerate(report["communities"])]
    else:
        out.append("(none)")
    if "path" in report:
        p = report["path"]
        out += ["", f"cooperation path: {p['from']} -> {p['to']}"]
        if not p["found"]:
            out.append("(no path: they are not connected in the cooperation network)")
        elif not p["hops"]:
            out.append("(same entity)")
        else:
            out += _table(["from", "to", "why"], [[h["from"], h["to"], "; ".join(h["why"])] for h in p["hops"]])
    return "\n".join(out)


def format_json(report: dict[str, Any]) -> str:
    """The report as indented JSON."""
    return json.dumps(report, ensure_ascii=False, indent=2)
