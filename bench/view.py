"""Benchmark of ``kg view``: generation time, HTML size and time to first stable render in Chromium.

    python bench/view.py [--sizes 200 2000 10000] [--keep DIR]

Graphs are synthetic but shaped like coopkg's (organisations, persons with posts, places,
initiatives, topics, events with participants, reified relations with evidence), with
hubs (preferential attachment) and about 1.4 edges per node. Chromium runs headless with
the network blocked (tests/chromium.py); "render" is the time from navigation to the page
saying it is drawn and stable (``coopkgView.ready``).
"""

from __future__ import annotations

import argparse
import hashlib
import random
import sys
import tempfile
import time
from decimal import Decimal
from pathlib import Path

from rdflib import Graph, Literal, URIRef
from rdflib.namespace import ORG, RDF, RDFS, XSD

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "tests"))

from kg.network import entity_network  # noqa: E402
from kg.view import view_html  # noqa: E402
from kg.vocab import ARTICLE, COOP, ID, SCHEMA  # noqa: E402

SHARE = {"organization": 0.34, "person": 0.14, "post": 0.10, "place": 0.20, "initiative": 0.06,
         "topic": 0.04, "event": 0.12}
CLASS = {"organization": COOP.Organization, "person": COOP.Person, "post": ORG.Post, "place": COOP.Place,
         "initiative": COOP.Initiative, "topic": COOP.Topic, "event": COOP.Meeting}


def synthetic_graph(n_nodes: int, seed: int = 0) -> Graph:
    """A coopkg-shaped graph of about ``n_nodes`` entity nodes (deterministic for a seed)."""
    rnd = random.Random(seed)
    g = Graph()
    pools: dict[str, list[URIRef]] = {}
    for kind, share in SHARE.items():
        pools[kind] = [ID[f"{kind}/{kind}-{i}"] for i in range(max(2, round(n_nodes * share)))]
        for i, node in enumerate(pools[kind]):
            g.add((node, RDF.type, CLASS[kind]))
            g.add((node, RDFS.label, Literal(f"{kind.title()} {i}", lang="en")))
    articles = [ARTICLE[f"article-{i}"] for i in range(max(1, n_nodes // 25))]
    for i, a in enumerate(articles):
        g.add((a, RDF.type, SCHEMA.NewsArticle))
        g.add((a, SCHEMA.headline, Literal(f"Press release {i}", lang="en")))

    def pick(kind: str) -> URIRef:
        pool = pools[kind]
        return pool[int(len(pool) * rnd.random() ** 2.5)]  # a few hubs, a long tail

    def evidence(text: str) -> URIRef:
        a = rnd.choice(articles)
        start = rnd.randrange(0, 5000)
        ev = ID[f"evidence/{a.split('/')[-1]}/{start}-{start + len(text)}"]
        g.add((ev, RDF.type, COOP.Evidence))
        g.add((ev, COOP.quote, Literal(text)))
        g.add((ev, COOP.charStart, Literal(start, datatype=XSD.integer)))
        g.add((ev, COOP.charEnd, Literal(start + len(text), datatype=XSD.integer)))
        g.add((ev, COOP.article, a))
        return ev

    def relation(s: URIRef, p: URIRef, o: URIRef) -> None:
        if s == o:
            return
        g.add((s, p, o))
        st = ID[f"statement/{hashlib.sha1(f'{s} {p} {o}'.encode()).hexdigest()[:16]}"]
        g.add((st, RDF.type, RDF.Statement))
        g.add((st, RDF.subject, s))
        g.add((st, RDF.predicate, p))
        g.add((st, RDF.object, o))
        g.add((st, COOP.confidence, Literal(Decimal("0.85"))))
        g.add((st, COOP.evidence, evidence(f"{s.split('/')[-1]} {p.split('#')[-1]} {o.split('/')[-1]}.")))

    for post in pools["post"]:
        relation(rnd.choice(pools["person"]), ORG.holds, post)
        g.add((post, ORG.postIn, pick("organization")))
    for i, event in enumerate(pools["event"]):
        for who in {pick(rnd.choice(("organization", "person"))) for _ in range(rnd.randint(2, 3))}:
            g.add((event, COOP.participant, who))
        g.add((event, COOP.place, pick("place")))
        g.add((event, COOP.topic, pick("topic")))
        g.add((event, COOP.date, Literal(f"2023-{1 + i % 12:02d}-{1 + i % 28:02d}", datatype=XSD.date)))
        g.add((event, COOP.evidence, evidence(f"Event {i} took place.")))
    for _ in range(round(n_nodes * 0.62)):
        draw = rnd.random()
        if draw < 0.45:
            relation(pick("organization"), rnd.choice((COOP.cooperatesWith, COOP.supports, COOP.memberOf,
                                                       COOP.partOf, COOP.exchangesInformationWith)),
                     pick("organization"))
        elif draw < 0.65:
            relation(pick("organization"), rnd.choice((COOP.participatesIn, COOP.leads)), pick("initiative"))
        elif draw < 0.75:
            relation(pick("initiative"), COOP.targets, pick("topic"))
        else:
            relation(rnd.choice(pools["organization"] + pools["place"]), COOP.locatedIn, pick("place"))
    return g


def render_seconds(html: Path, timeout: float = 300.0) -> tuple[float, float]:
    """Seconds from navigation to a stable drawing in headless Chromium, and the page's own readyAt."""
    from chromium import Chromium, chromium_path

    executable = chromium_path()
    if executable is None:
        raise SystemExit("chromium is not installed (apt-get install chromium)")
    with Chromium(executable) as browser:
        started = time.monotonic()
        browser.open(html.as_uri(), timeout=timeout)
        browser.wait_for("window.coopkgView && window.coopkgView.ready", timeout=timeout, interval=0.05)
        wall = time.monotonic() - started
        ready_at = browser.evaluate("coopkgView.readyAt") / 1000
        outside = [u for u in browser.requests if u != html.as_uri() and not u.startswith("data:")]
        if outside or browser.console_errors:
            raise SystemExit(f"{html}: requests {outside}, console errors {browser.console_errors}")
    return wall, ready_at


def main() -> None:
    """Print one line of figures per graph size."""
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--sizes", type=int, nargs="+", default=[200, 2000, 10000])
    parser.add_argument("--keep", type=Path, help="keep the generated pages in this folder")
    args = parser.parse_args()
    folder = args.keep or Path(tempfile.mkdtemp(prefix="coopkg-bench-view-"))
    folder.mkdir(parents=True, exist_ok=True)
    print(f"{'nodes':>6} {'edges':>6} {'generate s':>10} {'html MB':>8} {'render s':>9} {'page ready s':>12}")
    for size in args.sizes:
        graph = synthetic_graph(size)
        net = entity_network(graph)
        started = time.perf_counter()
        html = view_html(graph, lang="en")
        generate = time.perf_counter() - started
        page = folder / f"view-{size}.html"
        page.write_text(html, encoding="utf-8")
        wall, ready_at = render_seconds(page)
        print(f"{net.number_of_nodes():>6} {net.number_of_edges():>6} {generate:>10.2f} "
              f"{len(html.encode()) / 1e6:>8.2f} {wall:>9.2f} {ready_at:>12.2f}", flush=True)
    if args.keep is None:
        for p in folder.iterdir():
            p.unlink()
        folder.rmdir()


if __name__ == "__main__":
    main()
