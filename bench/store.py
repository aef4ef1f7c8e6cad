"""Store benchmark: a synthetic graph of the contract's shape in the store, against rdflib in memory.

    python bench/store.py                      # 10,000 articles, about 1M triples
    python bench/store.py --articles 500       # a quick look

Articles are made up (entities drawn with a skewed distribution from fixed pools, so that some
institutions appear in many articles, as Europol does) and mapped to RDF by coopkg's own mapping,
so the graph has the shape of a real build: one named graph per article, reified relations and
posts with evidence, events. Each measurement runs in a fresh process (peak memory is that
process's own): Oxigraph loads the graph through GraphStore.replace_article_graphs (one
transaction) and answers every canned query of queries/; rdflib loads the same N-Quads into an
in-memory Dataset and answers the same queries with the same bindings. Prints figures; not a test.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import os
import random
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from datetime import date, timedelta
from itertools import accumulate
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from kg.gazetteer import topics  # noqa: E402
from kg.mapping import article_graph_iri, map_extraction  # noqa: E402
from kg.model import Article, Entity, Event, Evidence, Extraction, Post, Relation, Span  # noqa: E402
from kg.query import canned_queries  # noqa: E402

REAL_ORGS = ["Europol", "Eurojust", "INTERPOL", "Frontex", "ONUDC", "AFRIPOL", "AMERIPOL", "OLAF",
             "Commission européenne", "Union européenne", "Guardia Civil", "Gendarmerie nationale"]
ORG_RELATIONS = ["cooperatesWith", "exchangesInformationWith", "signsAgreementWith", "supports",
                 "memberOf", "partOf"]
COOP = "https://w3id.org/coopkg/ontology#"
# bindings of the canned queries that take parameters, as kg query resolves them (labels carry the
# article's language); Europol and Eurojust are the two most drawn organisations: the worst case
PARAMS: dict[str, dict[str, tuple[str, str | None]]] = {
    "entity": {"label": ("Eurojust", "fr")},
    "evidence": {"subject": ("Europol", "fr"), "relation": (COOP + "cooperatesWith", None),
                 "object": ("Eurojust", "fr")},
}


class Pool:
    """Entities of one type, drawn with a Zipf-like skew (a few very frequent, a long tail)."""

    def __init__(self, kind: str, size: int, names: list[str] | None = None, keys: list[str] | None = None):
        self.kind = kind
        names = list(names or [])
        self.keys = keys or [f"{kind.lower()}/{slug(n)}" for n in names]
        self.labels = names + [f"{kind} {i}" for i in range(len(names), size)]
        self.keys += [f"{kind.lower()}/synthetic-{i}" for i in range(len(self.keys), size)]
        self.cum = list(accumulate(1.0 / (rank + 1) ** 0.9 for rank in range(size)))

    def draw(self, rng: random.Random, k: int) -> list[int]:
        """k distinct members."""
        out: list[int] = []
        while len(out) < k:
            i = rng.choices(range(len(self.cum)), cum_weights=self.cum)[0]
            if i not in out:
                out.append(i)
        return out


def slug(text: str) -> str:
    """A key-like form of a name."""
    return "".join(c if c.isalnum() else "-" for c in text.lower()).strip("-")


def pools() -> dict[str, Pool]:
    """The entity pools: organisations, persons, places, initiatives and the real topic thesaurus."""
    topic_keys = sorted(topics())
    return {
        "Organization": Pool("Organization", 3000, REAL_ORGS, [f"org/{slug(n)}" for n in REAL_ORGS]),
        "Person": Pool("Person", 6000),
        "Place": Pool("Place", 1500),
        "Initiative": Pool("Initiative", 1000),
        "Topic": Pool("Topic", len(topic_keys), [k.split("/", 1)[1] for k in topic_keys], topic_keys),
    }


def synthetic_extraction(n: int, rng: random.Random, pool: dict[str, Pool]) -> Extraction:
    """One made-up article's extraction, shaped like a real one."""
    lang = rng.choice(("fr", "en"))
    art_id = f"synthetic-{n:05d}-{lang}"
    sentences: list[str] = []
    chosen: dict[str, list[tuple[str, str]]] = {}
    for kind, k in (("Organization", 3), ("Person", 1), ("Place", 1), ("Initiative", 1), ("Topic", 1)):
        p = pool[kind]
        chosen[kind] = [(p.keys[i], p.labels[i]) for i in p.draw(rng, k)]
    text_parts: list[str] = []
    offset = 0

    def sentence(*names: str) -> Evidence:
        nonlocal offset
        s = f"Sentence {len(sentences) + 1} of article {n}: {', '.join(names)} work together."
        sentences.append(s)
        ev = Evidence(art_id, s, offset, offset + len(s))
        text_parts.append(s)
        offset += len(s) + 1
        return ev

    entities = []
    for kind, members in chosen.items():
        for key, label in members:
            aliases = (label.upper(),) if rng.random() < 0.2 else ()
            entities.append(Entity(key, kind, label, lang, aliases))
    (o1, l1), (o2, l2), (o3, _) = chosen["Organization"]
    (p1, pl1), = chosen["Person"]
    init, _ = chosen["Initiative"][0]
    topic, _ = chosen["Topic"][0]
    place, _ = chosen["Place"][0]
    ev1 = sentence(l1, l2)
    ev2 = sentence(pl1, l1)
    role = rng.choice(("participatesIn", "leads"))
    relations = [Relation(o1, rng.choice(ORG_RELATIONS), o2, ev1, 0.85, "synthetic-org"),
                 Relation(o3, role, init, sentence(o3, init), 0.85, "synthetic-initiative")]
    if rng.random() < 0.3:
        relations.append(Relation(init, "targets", topic, ev2, 0.7, "synthetic-targets"))
    posts = (Post(p1, rng.choice(("Directeur", "Secrétaire général", "Director", "Minister")), o1, ev2,
                  confidence=0.9, rule="synthetic-post"),)
    day = date(2010, 1, 1) + timedelta(days=rng.randrange(5000))
    events = (Event(f"event/{art_id}/1", rng.choice(("Meeting", "Visit", "Conference", "AgreementSigning")),
                    f"Event {art_id} #1", (p1, o2), (ev2,), 0.85, "synthetic-event", day, place, (topic,)),)
    text = "\n".join(text_parts)
    article = Article(art_id, f"synthetic/{art_id}.txt", text, lang, Span(0, len(text)), day,
                      f"Press release {n}", None, "BRUXELLES", None, None,
                      hashlib.sha256(text.encode()).hexdigest())
    return Extraction(article, tuple(entities), posts, tuple(relations), events, "synthetic-0.0")


def write_nquads(path: Path, articles: int, seed: int) -> int:
    """Generate the articles, map them with coopkg's mapping, write N-Quads; returns the triple count."""
    rng = random.Random(seed)
    pool = pools()
    total = 0
    with path.open("w", encoding="utf-8") as out:
        for n in range(articles):
            ex = synthetic_extraction(n, rng, pool)
            graph = f" <{article_graph_iri(ex.article.id)}> .\n"
            for line in map_extraction(ex, "bench").serialize(format="nt").splitlines():
                if line:
                    out.write(line[:-2] + graph)
                    total += 1
    return total


def queries() -> dict[str, tuple[str, dict[str, tuple[str, str | None]]]]:
    """Each canned query's text and the bindings the benchmark uses: (IRI or text, language)."""
    return {name: (q.text, PARAMS.get(name, {})) for name, q in canned_queries().items()}


def oxigraph_bindings(params: dict[str, tuple[str, str | None]]) -> dict[str, Any]:
    """The bindings as pyoxigraph terms."""
    import pyoxigraph as ox

    return {k: ox.NamedNode(v) if v.startswith("http") else ox.Literal(v, language=lang)
            for k, (v, lang) in params.items()}


def rdflib_bindings(params: dict[str, tuple[str, str | None]]) -> dict[str, Any]:
    """The same bindings as rdflib terms."""
    from rdflib import Literal, URIRef

    return {k: URIRef(v) if v.startswith("http") else Literal(v, lang=lang) for k, (v, lang) in params.items()}


def peak_mb() -> float:
    """This process's peak resident memory in MB."""
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def disk_mb(path: Path) -> float:
    """Bytes under ``path`` in MB (hard links counted once)."""
    seen: set[int] = set()
    size = 0
    for f in path.rglob("*"):
        st = f.stat()
        if f.is_file() and st.st_ino not in seen:
            seen.add(st.st_ino)
            size += st.st_size
    return size / 1e6


def timed(fn: Any, repeat: int) -> tuple[float, int]:
    """Median seconds over ``repeat`` runs (after one warm-up) and the row count."""
    rows = fn()
    times = []
    for _ in range(repeat):
        t = time.perf_counter()
        rows = fn()
        times.append(time.perf_counter() - t)
    return statistics.median(times), rows


def child_oxigraph(nquads: Path, store_dir: Path, repeat: int) -> dict[str, Any]:
    """Load into a fresh on-disk GraphStore in one transaction, then time the canned queries."""
    import pyoxigraph as ox

    from kg.store import GraphStore

    t = time.perf_counter()
    by_article: dict[str, list[ox.Triple]] = {}
    prefix = len(str(article_graph_iri("")))
    for q in ox.parse(path=str(nquads), format=ox.RdfFormat.N_QUADS):
        by_article.setdefault(q.graph_name.value[prefix:], []).append(q.triple)
    parse_s = time.perf_counter() - t
    t = time.perf_counter()
    with GraphStore(store_dir) as store:
        store.replace_article_graphs(by_article)
    load_s = time.perf_counter() - t
    del by_article
    out: dict[str, Any] = {"parse_s": parse_s, "load_s": load_s, "disk_mb": disk_mb(store_dir),
                           "load_peak_mb": peak_mb(), "queries": {}}
    GraphStore(store_dir).close()  # RocksDB drops the load's write-ahead log when next opened to write
    out["disk_mb_reopened"] = disk_mb(store_dir)
    with GraphStore(store_dir, read_only=True) as store:
        out["quads"] = len(store)
        out["articles"] = len(store.article_ids())
        for name, (text, params) in queries().items():
            b = oxigraph_bindings(params)
            secs, rows = timed(lambda text=text, b=b: len(store.query(text, b)), repeat)
            out["queries"][name] = {"s": secs, "rows": rows}
    out["peak_mb"] = peak_mb()
    return out


def _rdflib_query(conn: Any, ds: Any, text: str, bindings: dict[str, Any], repeat: int) -> None:
    conn.send(timed(lambda: len(list(ds.query(text, initBindings=bindings))), repeat))


def child_rdflib(nquads: Path, repeat: int, cap: float) -> dict[str, Any]:
    """Load the same N-Quads into rdflib's in-memory Dataset (union default graph), time the queries.

    Each query runs in a forked copy of this process and is stopped after ``cap`` seconds.
    """
    import multiprocessing

    from rdflib import Dataset

    t = time.perf_counter()
    ds = Dataset(default_union=True)
    ds.parse(str(nquads), format="nquads")
    out: dict[str, Any] = {"load_s": time.perf_counter() - t, "load_peak_mb": peak_mb(), "queries": {}}
    ctx = multiprocessing.get_context("fork")
    for name, (text, params) in queries().items():
        receiver, sender = ctx.Pipe(duplex=False)
        proc = ctx.Process(target=_rdflib_query, args=(sender, ds, text, rdflib_bindings(params), repeat))
        proc.start()
        if receiver.poll(cap * (repeat + 1)):
            secs, rows = receiver.recv()
            out["queries"][name] = {"s": secs, "rows": rows}
        else:
            out["queries"][name] = {"s": None, "rows": None, "cap": cap}
        proc.kill()
        proc.join()
        print(f"  rdflib {name}: {out['queries'][name]}", file=sys.stderr, flush=True)
    out["peak_mb"] = peak_mb()
    return out


def run_child(args: list[str]) -> dict[str, Any]:
    """Run this script as a child measurement and read its JSON answer."""
    proc = subprocess.run([sys.executable, __file__, *args], capture_output=True, text=True, check=False)
    if proc.returncode != 0:
        sys.exit(f"child {args[0:2]} failed:\n{proc.stderr}")
    return json.loads(proc.stdout.strip().splitlines()[-1])


def report(gen: dict[str, Any], ox_: dict[str, Any], rdf: dict[str, Any] | None) -> Iterator[str]:
    """The lines the benchmark prints."""
    yield (f"graph: {ox_['quads']:,} triples in {ox_['articles']:,} article graphs "
           f"(generated and mapped in {gen['gen_s']:.1f} s)")
    yield (f"machine: {os.cpu_count()} CPUs; load average {gen['load_before']} before, "
           f"{' '.join(f'{x:.2f}' for x in os.getloadavg())} after (other processes share the CPUs)")
    yield ""
    yield f"{'':34}{'Oxigraph (on disk)':>20}{'rdflib (memory)':>18}"
    yield f"(Oxigraph: GraphStore.replace_article_graphs, all {ox_['articles']:,} articles in one transaction)"
    yield (f"{'load':34}{ox_['load_s']:>18.1f} s"
           + (f"{rdf['load_s']:>16.1f} s" if rdf else ""))
    yield f"{'  of which N-Quads parse':34}{ox_['parse_s']:>18.1f} s"
    yield f"{'on-disk size just after the load':34}{ox_['disk_mb']:>17.0f} MB{'-':>17}"
    yield f"{'  once reopened (WAL dropped)':34}{ox_['disk_mb_reopened']:>17.0f} MB"
    yield (f"{'peak memory while loading':34}{ox_['load_peak_mb']:>17.0f} MB"
           + (f"{rdf['load_peak_mb']:>15.0f} MB" if rdf else ""))
    yield (f"{'peak memory (load + queries)':34}{ox_['peak_mb']:>17.0f} MB"
           + (f"{rdf['peak_mb']:>15.0f} MB" if rdf else ""))
    yield ""
    yield f"{'query':14}{'rows':>7}{'Oxigraph':>12}{'rdflib':>12}{'ratio':>9}  target (<250 ms, >=20x)"
    for name, q in ox_["queries"].items():
        ms = q["s"] * 1000
        line = f"{name:14}{q['rows']:>7}{ms:>9.1f} ms"
        ok = ms < 250
        if rdf and rdf["queries"][name]["s"] is None:
            cap = rdf["queries"][name]["cap"]
            line += f"{'>' + format(cap, 'g') + ' s':>12}{'>' + format(cap / q['s'], '.0f') + 'x':>9}"
            line += f"  {'ok' if ok and cap / q['s'] >= 20 else 'MISSED'} (rdflib stopped after {cap:g} s)"
        elif rdf:
            r = rdf["queries"][name]
            ratio = r["s"] / q["s"] if q["s"] else float("inf")
            ok = ok and ratio >= 20
            same = "" if r["rows"] == q["rows"] else f"  (rdflib: {r['rows']} rows)"
            line += f"{r['s'] * 1000:>9.0f} ms{ratio:>8.0f}x  {'ok' if ok else 'MISSED'}{same}"
        else:
            line += f"{'':>21}  {'ok' if ok else 'MISSED'}"
        yield line


def main() -> None:
    """Generate, measure in child processes, print."""
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--articles", type=int, default=10_000)
    ap.add_argument("--seed", type=int, default=7)
    ap.add_argument("--repeat", type=int, default=5, help="timed runs per Oxigraph query (median)")
    ap.add_argument("--rdflib-repeat", type=int, default=1, help="timed runs per rdflib query (median)")
    ap.add_argument("--rdflib-cap", type=float, default=120.0,
                    help="stop an rdflib query after this many seconds (default 120)")
    ap.add_argument("--no-rdflib", action="store_true", help="skip the rdflib comparison")
    ap.add_argument("--workdir", type=Path, help="keep the N-Quads and the store here")
    ap.add_argument("--child", choices=("oxigraph", "rdflib"), help=argparse.SUPPRESS)
    ap.add_argument("--nquads", type=Path, help=argparse.SUPPRESS)
    args = ap.parse_args()
    if args.child == "oxigraph":
        print(json.dumps(child_oxigraph(args.nquads, args.workdir / "store", args.repeat)))
        return
    if args.child == "rdflib":
        print(json.dumps(child_rdflib(args.nquads, args.rdflib_repeat, args.rdflib_cap)))
        return
    work = args.workdir or Path(tempfile.mkdtemp(prefix="coopkg-bench-"))
    work.mkdir(parents=True, exist_ok=True)
    shutil.rmtree(work / "store", ignore_errors=True)
    nquads = work / "synthetic.nq"
    t = time.perf_counter()
    write_nquads(nquads, args.articles, args.seed)
    gen: dict[str, Any] = {"gen_s": time.perf_counter() - t,
                           "load_before": " ".join(f"{x:.2f}" for x in os.getloadavg())}
    print(f"generated {nquads} in {gen['gen_s']:.1f} s; measuring Oxigraph ...", file=sys.stderr, flush=True)
    ox_ = run_child(["--child", "oxigraph", "--nquads", str(nquads), "--workdir", str(work),
                     "--repeat", str(args.repeat)])
    rdf = None
    if not args.no_rdflib:
        print("measuring rdflib ...", file=sys.stderr, flush=True)
        rdf = run_child(["--child", "rdflib", "--nquads", str(nquads), "--workdir", str(work),
                         "--rdflib-repeat", str(args.rdflib_repeat), "--rdflib-cap", str(args.rdflib_cap)])
    print("\n".join(report(gen, ox_, rdf)))
    if args.workdir is None:
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
