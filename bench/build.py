"""Build benchmark: a synthetic French and English corpus through bare spaCy and through ``kg build``.

    python bench/build.py                       # 1,000 and 10,000 articles (long: see docs/scale.md)
    python bench/build.py --sizes 200 1000      # a quicker look
    python bench/build.py --corpus-only DIR --articles 500    # just write a corpus

Articles are press releases written from templates (French and English, about 300 words:
date line, title, dateline, four to six paragraphs on operations, meetings, visits and
agreements), with institutions and places drawn from coopkg's gazetteer, invented officials
holding titles of the title lexicon, and random figures and dates. Each corpus is a folder of
JSONL files (one file per institution and month, as a crawler would write them).

Printed, in one run: words/s of bare ``nlp.pipe`` with the same pipelines and components as
coopkg; spaCy and coopkg's own work per article on the real press releases of tests/data
(templates miss what real text does: a backtracking pattern cost 3 times spaCy on those
and little on the templates); words/s of ``kg build`` end to end (the CLI, in its own
process) with one worker; their ratio; the speed-up with two workers; peak RSS of the build
at each size. Every measurement runs in a fresh process. The smallest corpus goes through
bare spaCy, one worker and two workers in ``--rounds`` interleaved rounds (the machine's speed
drifts between minutes): each round's ratio is printed, and each figure is the best of its rounds.
Not a test.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import re
import shutil
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Iterator
from datetime import date, timedelta
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

# --------------------------------------------------------------------------- the corpus

FIRST = {"fr": ["Claire", "Jean", "Sophie", "Mamadou", "Aïcha", "Luc", "Nathalie", "Karim", "Hélène", "Thierry",
                "Fatou", "Olivier", "Isabelle", "Moussa", "Camille", "Yves", "Amina", "Pierre", "Léa", "Rachid"],
         "en": ["Sarah", "James", "Emily", "David", "Grace", "Michael", "Anna", "Robert", "Olivia", "Daniel",
                "Priya", "Thomas", "Laura", "Samuel", "Hannah", "Peter", "Chloe", "Martin", "Ruth", "Kwame"]}
LAST = ["Martin", "Dubois", "Diallo", "Lefèvre", "Kowalski", "Ndiaye", "Moreau", "Schneider", "Rossi", "García",
        "Okafor", "Bernard", "Haddad", "Nielsen", "Traoré", "Laurent", "Fischer", "Costa", "Mensah", "Girard",
        "Walker", "Novak", "Keller", "Santos", "Mbeki", "Lindqvist", "Petit", "Brennan", "Suzuki", "Horvat"]
TITLES = {"fr": ["directeur exécutif", "directrice générale", "secrétaire général", "président",
                 "commissaire", "procureur général", "chef de l'unité", "ministre de l'Intérieur"],
          "en": ["Executive Director", "Director General", "Secretary General", "President",
                 "Commissioner", "Head of Unit", "Minister of the Interior", "Deputy Director"]}
OPERATIONS = ["Aurora", "Cobalt", "Pangea", "Trident", "Sirocco", "Lionfish", "Orion", "Hermès", "Atlas",
              "Neptune", "Mistral", "Calypso", "Vigilance", "Boreas", "Sentinel", "Odyssée", "Tempest", "Alizé"]
CRIMES = {"fr": ["le trafic de drogue", "la traite des êtres humains", "le trafic de migrants", "la cybercriminalité",
                 "le blanchiment de capitaux", "le terrorisme", "la contrefaçon de médicaments", "la corruption"],
          "en": ["drug trafficking", "human trafficking", "migrant smuggling", "cybercrime", "money laundering",
                 "terrorism", "counterfeit medicines", "corruption"]}
GOODS = {"fr": ["kilos de cocaïne", "armes à feu", "faux documents", "kilos d'héroïne", "véhicules volés"],
         "en": ["kilograms of cocaine", "firearms", "forged documents", "kilograms of heroin", "stolen vehicles"]}
MONTHS = {"fr": ["janvier", "février", "mars", "avril", "mai", "juin", "juillet", "août", "septembre", "octobre",
                 "novembre", "décembre"],
          "en": ["January", "February", "March", "April", "May", "June", "July", "August", "September", "October",
                 "November", "December"]}

PARAGRAPHS: dict[str, list[str]] = {
    "fr": [
        "{Org1} et {org2} ont mené conjointement l'opération {op}, qui visait {crime} dans {n} pays. "
        "Au total, {k} suspects ont été interpellés et {m} {goods} ont été saisis.",
        "L'enquête a été coordonnée par {org1}, avec le soutien {de_org2} et la participation {de_org3}. "
        "Les enquêteurs travaillaient depuis {month} {year} au sein d'une équipe commune d'enquête.",
        "{person}, {title} {de_org1}, a rencontré le {day} {month} à {city} les représentants {de_org2} "
        "afin de renforcer la coopération entre les deux institutions.",
        "« Cette opération montre ce que nous pouvons accomplir ensemble », a déclaré {person}, {title} "
        "{de_org1}. {Org1} coopère étroitement avec {org2} depuis {year}.",
        "Le {day} {month} {year}, {org1} et {org2} ont signé à {city} un accord de coopération portant sur "
        "l'échange d'informations et la lutte contre {crime}.",
        "{person}, {title} {de_org2}, s'est rendu à {city} pour une visite officielle auprès {de_org1}. "
        "Les discussions ont porté sur {crime} et sur la sécurité des frontières.",
        "Une conférence internationale organisée par {org1} s'est tenue à {city} du {day} au {day2} {month}. "
        "Plus de {n2} experts de {n} pays y ont participé, dont des représentants {de_org3}.",
        "{Org2} a fourni un soutien analytique et a facilité l'échange d'informations entre les services "
        "participants. Des avoirs d'une valeur de {amount} millions d'euros ont été saisis à {city}.",
        "{Org3} est membre {de_org1}. Son siège est situé à {city}.",
    ],
    "en": [
        "{Org1} and {org2} jointly carried out Operation {op}, which targeted {crime} in {n} countries. "
        "In total, {k} suspects were arrested and {m} {goods} were seized.",
        "The investigation was coordinated by {org1}, with the support of {org2} and the participation of "
        "{org3}. Investigators had worked since {month} {year} in a joint investigation team.",
        "{person}, {title} of {org1}, met representatives of {org2} in {city} on {day} {month} to strengthen "
        "cooperation between the two institutions.",
        "\"This operation shows what we can achieve together,\" said {person}, {title} of {org1}. "
        "{Org1} has worked closely with {org2} since {year}.",
        "On {day} {month} {year}, {org1} and {org2} signed a cooperation agreement in {city} covering "
        "information exchange and the fight against {crime}.",
        "{person}, {title} of {org2}, travelled to {city} for an official visit to {org1}. The talks covered "
        "{crime} and border security.",
        "An international conference organised by {org1} was held in {city} from {day} to {day2} {month}. "
        "More than {n2} experts from {n} countries took part, including representatives of {org3}.",
        "{Org2} provided analytical support and facilitated the exchange of information between the "
        "participating services. Assets worth {amount} million euros were seized in {city}.",
        "{Org3} is a member of {org1}. Its headquarters are located in {city}.",
    ],
}
TITLE_LINES = {
    "fr": ["Opération {op} : {k} arrestations contre {crime}", "{Org1} et {org2} renforcent leur coopération",
           "Visite de {person} à {city}", "Accord de coopération entre {org1} et {org2}"],
    "en": ["Operation {op}: {k} arrests in action against {crime}", "{Org1} and {org2} step up cooperation",
           "{person} visits {city}", "Cooperation agreement between {org1} and {org2}"],
}


FEMININE = ("agence", "autorité", "commission", "communauté", "conférence", "cour", "direction", "division",
             "gendarmerie", "garde", "ligue", "mission", "organisation", "police", "unité", "union", "banque",
             "sécurité", "fédération", "force", "inspection", "brigade", "interpol")


def _gazetteer() -> tuple[list[dict[str, str]], list[dict[str, str]]]:
    """Organisation names and city names (French and English) from coopkg's gazetteer."""
    def rows(file: str) -> list[dict[str, Any]]:
        with (ROOT / "data" / "gazetteer" / file).open(encoding="utf-8") as fh:
            return [json.loads(line) for line in fh if line.strip() and not line.startswith("//")]
    orgs = [r["name"] for r in rows("organizations.jsonl") if isinstance(r.get("name"), dict)]
    cities = [r["name"] for r in rows("places.jsonl") if isinstance(r.get("name"), dict) and r.get("kind") == "city"]
    return orgs, cities


def _french(name: str) -> tuple[str, str]:
    """A French organisation name with its article, and with "de" in front ("l'Union", "de l'Union")."""
    first = name.split()[0]
    if len(name.split()) == 1 or first.isupper() or any(c.isdigit() for c in first):
        return name, ("d'" if name[0] in "AEIOUÉÈaeiou" else "de ") + name
    if name[0] in "AEIOUÉÈaeiouéè":
        return f"l'{name}", f"de l'{name}"
    if first.lower() in FEMININE:
        return f"la {name}", f"de la {name}"
    return f"le {name}", f"du {name}"


def _english(name: str) -> tuple[str, str]:
    """An English organisation name with "the" where it takes one, and with "of" in front."""
    first = name.split()[0]
    plain = name if len(name.split()) == 1 or first.isupper() else f"the {name}"
    return plain, f"of {plain}"


def make_article(rng: random.Random, lang: str, number: int, orgs: list[dict[str, str]],
                 cities: list[dict[str, str]], paragraphs: tuple[int, int] = (4, 6)) -> dict[str, Any]:
    """One synthetic press release as a JSONL record (id, lang, date, text)."""
    day0 = date(2023, 1, 1) + timedelta(days=rng.randrange(365))
    weights = [1.0 / (i + 1) ** 0.7 for i in range(len(orgs))]  # a few institutions in many articles
    chosen: list[str] = []
    while len(chosen) < 3:
        name = rng.choices(orgs, weights)[0][lang]
        if name not in chosen:
            chosen.append(name)
    slots: dict[str, Any] = {
        "person": f"{rng.choice(FIRST[lang])} {rng.choice(LAST)}", "title": rng.choice(TITLES[lang]),
        "city": rng.choice(cities)[lang], "op": rng.choice(OPERATIONS), "crime": rng.choice(CRIMES[lang]),
        "goods": rng.choice(GOODS[lang]), "n": rng.randint(2, 40), "n2": rng.randint(50, 900),
        "k": rng.randint(3, 250), "m": rng.randint(5, 4000), "amount": round(rng.uniform(0.2, 90.0), 1),
        "day": day0.day, "day2": min(28, day0.day + 2), "month": MONTHS[lang][day0.month - 1],
        "year": rng.randint(2015, 2023),
    }
    for i, name in enumerate(chosen, start=1):
        plain, with_de = _french(name) if lang == "fr" else _english(name)
        slots[f"org{i}"] = plain
        slots[f"Org{i}"] = plain[0].upper() + plain[1:]
        slots[f"de_org{i}"] = with_de
    chosen_paragraphs = [p.format(**slots) for p in rng.sample(PARAGRAPHS[lang], rng.randint(*paragraphs))]
    where = rng.choice(cities)[lang]
    when = f"{day0.day} {MONTHS[lang][day0.month - 1]} {day0.year}"
    title = rng.choice(TITLE_LINES[lang]).format(**slots)
    first, *rest = chosen_paragraphs
    text = f"{when}\n\n{title}\n\n{where.upper()} – {first}\n\n" + "\n\n".join(rest) + "\n"
    return {"id": f"synthetic-{lang}-{number:06d}", "lang": lang, "date": day0.isoformat(), "text": text}


def write_corpus(folder: Path, articles: int, seed: int = 7, per_file: int = 50,
                 paragraphs: tuple[int, int] = (4, 6)) -> tuple[Path, int]:
    """Write ``articles`` synthetic articles (60% French) as JSONL files; return the folder and word count."""
    rng = random.Random(seed)
    orgs, cities = _gazetteer()
    folder.mkdir(parents=True, exist_ok=True)
    words = 0
    fh = None
    for i in range(articles):
        if i % per_file == 0:
            if fh:
                fh.close()
            fh = (folder / f"releases-{i // per_file:05d}.jsonl").open("w", encoding="utf-8")
        record = make_article(rng, "fr" if rng.random() < 0.6 else "en", i, orgs, cities, paragraphs)
        words += len(record["text"].split())
        assert fh is not None
        fh.write(json.dumps(record, ensure_ascii=False) + "\n")
    if fh:
        fh.close()
    return folder, words


def corpus_texts(folder: Path) -> Iterator[tuple[str, str]]:
    """(lang, text) of every article of a corpus folder, in file order."""
    for path in sorted(folder.glob("*.jsonl")):
        with path.open(encoding="utf-8") as fh:
            for line in fh:
                record = json.loads(line)
                yield record["lang"], record["text"]


# --------------------------------------------------------------------------- measurements (each in a fresh process)


def _child_bare(corpus: Path, limit: int | None, variant: str) -> None:
    """Child: words/s of spaCy alone over a corpus; prints one JSON line."""
    import spacy

    from kg.nlp import MODELS, UNUSED, load_pipeline, nlp_text

    texts: dict[str, list[str]] = {"fr": [], "en": []}
    for i, (lang, text) in enumerate(corpus_texts(corpus)):
        if limit is not None and i >= limit:
            break
        texts[lang].append(nlp_text(text))
    pipes: dict[str, Any] = {}
    for lang in texts:
        if variant == "bare":  # the model's own components, those coopkg runs (all but senter)
            name = next(n for n in MODELS[lang] if spacy.util.is_package(n))
            pipes[lang] = spacy.load(name, exclude=list(UNUSED))
        elif variant == "coopkg":  # plus coopkg's sentence rules and gazetteer ruler
            pipes[lang] = load_pipeline(lang).nlp
        else:  # coopkg's pipeline with spaCy's entity_ruler for the gazetteer, as before
            from kg.gazetteer import entity_patterns

            nlp = spacy.load(next(n for n in MODELS[lang] if spacy.util.is_package(n)), exclude=list(UNUSED))
            nlp.add_pipe("coopkg_sentences", before="parser")
            ruler = nlp.add_pipe("entity_ruler", before="ner", config={"validate": False})
            ruler.add_patterns(entity_patterns(lang, nlp.make_doc))  # type: ignore[attr-defined]
            pipes[lang] = nlp
    components = {lang: pipes[lang].pipe_names for lang in pipes}
    words = sum(len(t.split()) for ts in texts.values() for t in ts)
    started = time.perf_counter()
    for lang, ts in texts.items():
        for _doc in pipes[lang].pipe(ts):
            pass
    seconds = time.perf_counter() - started
    print(json.dumps({"words": words, "seconds": seconds, "components": components}))


def _child_real() -> None:
    """Child: spaCy and what coopkg adds (extraction, mapping, N-Triples) per article on the real
    press releases of tests/data (longer than the templates, and with what templates miss); one JSON line."""
    import timeit

    from kg.nlp import coopkg_version, parse_many
    from kg.sources import read_articles
    from kg.stream import _process_article

    paths = sorted((ROOT / "tests" / "data").glob("*/*.txt"))
    articles = [a for a in read_articles(paths) if not isinstance(a, Exception)]
    list(parse_many(articles[:2], 2))  # first calls (matchers, lexicons) out of the timing
    started = time.process_time()
    docs = list(parse_many(articles, 8))
    spacy_s = time.process_time() - started
    version = coopkg_version()

    def ours() -> None:
        for article, doc in docs:
            _process_article(article, doc, 0.0, version, {})

    ours_s = min(timeit.repeat(ours, number=1, repeat=3, timer=time.process_time))
    print(json.dumps({"articles": len(docs), "spacy_ms": 1000 * spacy_s / len(docs),
                      "coopkg_ms": 1000 * ours_s / len(docs)}))


def _bare(corpus: Path, variant: str = "bare", limit: int | None = None) -> dict[str, Any]:
    cmd = [sys.executable, __file__, "--child", variant, "--corpus", str(corpus)]
    if limit is not None:
        cmd += ["--limit", str(limit)]
    run = subprocess.run(cmd, capture_output=True, text=True, check=True, cwd=ROOT)
    return dict(json.loads(run.stdout.strip().splitlines()[-1]))


def _tree(pid: int) -> list[int]:
    """pid and its descendants (Linux /proc)."""
    parents: dict[int, int] = {}
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            parents[int(stat.parent.name)] = int(stat.read_text().rsplit(")", 1)[1].split()[1])
        except (OSError, ValueError, IndexError):
            continue
    found, frontier = [pid], [pid]
    while frontier:
        frontier = [child for child, parent in parents.items() if parent in frontier]
        found += frontier
    return found


def _memory(pid: int, key: str) -> int:
    """A memory figure of a process in kB: Pss from smaps_rollup, VmRSS from status (0 if gone)."""
    source = "smaps_rollup" if key == "Pss" else "status"
    try:
        for line in Path(f"/proc/{pid}/{source}").read_text().splitlines():
            if line.startswith(key + ":"):
                return int(line.split()[1])
    except (OSError, ValueError):
        pass
    return 0


def _kg_build(corpus: Path, out: Path, workers: int, extra: tuple[str, ...] = ()) -> dict[str, Any]:
    """``kg build`` in its own process: wall time, and peak memory of its processes by phase."""
    shutil.rmtree(out, ignore_errors=True)
    cmd = [sys.executable, "-m", "kg.cli", "build", str(corpus), "-o", str(out), "-j", str(workers),
           "--progress-every", "100", *extra]
    started = time.perf_counter()
    proc = subprocess.Popen(cmd, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, cwd=ROOT)
    phase = ["articles"]
    log: list[str] = []
    began = {"articles": started}

    ticks: list[tuple[float, int]] = []  # (time, articles done) of each progress line

    def follow() -> None:
        assert proc.stderr is not None
        for line in proc.stderr:
            log.append(line)
            done = re.match(r"kg build: ([\d,]+)/", line)
            if done:
                ticks.append((time.perf_counter(), int(done.group(1).replace(",", ""))))
            for marker, name in (("writing graph", "assembling"), ("drawing graph.html", "view"),
                                 ("to the store", "store"), ("into a new store", "store")):
                if marker in line:
                    phase[0] = name
                    began[name] = time.perf_counter()

    reader = threading.Thread(target=follow, daemon=True)
    reader.start()
    peak_pss: dict[str, int] = {}
    peak_rss = 0
    while proc.poll() is None:
        pids = _tree(proc.pid)
        pss = sum(_memory(p, "Pss") for p in pids)
        peak_pss[phase[0]] = max(peak_pss.get(phase[0], 0), pss)
        peak_rss = max(peak_rss, _memory(proc.pid, "VmRSS"))
        time.sleep(0.5)
    seconds = time.perf_counter() - started
    reader.join(5)
    order = sorted(began, key=began.__getitem__)
    durations = {name: (began[order[i + 1]] if i + 1 < len(order) else started + seconds) - began[name]
                 for i, name in enumerate(order)}
    summary = proc.stdout.read() if proc.stdout else ""
    if proc.returncode not in (0, 1):
        raise SystemExit(f"kg build failed ({proc.returncode}):\n{''.join(log)[-2000:]}\n{summary}")
    articles = int(re.search(r"^articles\s+(\d+)", summary, re.M).group(1))  # type: ignore[union-attr]
    # the articles phase without start-up and end: from the first progress line to the last
    steady = (ticks[-1][1] - ticks[0][1]) / (ticks[-1][0] - ticks[0][0]) if len(ticks) > 1 else None
    startup = ticks[0][0] - started - ticks[0][1] / steady if steady else None
    return {"seconds": seconds, "articles": articles, "peak_pss_mb": {k: v // 1024 for k, v in peak_pss.items()},
            "peak_rss_mb": peak_rss // 1024, "summary": summary, "durations": durations,
            "steady_articles_per_s": steady, "startup_s": startup}


def _load() -> str:
    return " ".join(f"{x:.2f}" for x in os.getloadavg())


def main() -> None:
    """Run the benchmark and print its figures."""
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--sizes", type=int, nargs="+", default=[1000, 10000], help="corpus sizes (articles)")
    parser.add_argument("--workdir", type=Path, default=Path(tempfile.gettempdir()) / "coopkg-bench-build")
    parser.add_argument("--ruler-sample", type=int, default=200,
                        help="articles for the comparison with spaCy's entity_ruler (0: skip it)")
    parser.add_argument("--rounds", type=int, default=3,
                        help="rounds of bare spaCy and kg build with 1 and 2 workers on the smallest corpus "
                             "(each figure is the best of its rounds)")
    parser.add_argument("--corpus-only", type=Path, metavar="DIR", help="write a corpus and stop")
    parser.add_argument("--articles", type=int, default=1000, help="with --corpus-only: how many")
    parser.add_argument("--child", choices=("bare", "coopkg", "entity_ruler", "real"), help=argparse.SUPPRESS)
    parser.add_argument("--corpus", type=Path, help=argparse.SUPPRESS)
    parser.add_argument("--limit", type=int, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child == "real":
        _child_real()
        return
    if args.child:
        _child_bare(args.corpus, args.limit, args.child)
        return
    if args.corpus_only:
        folder, words = write_corpus(args.corpus_only, args.articles)
        print(f"{args.articles} articles, {words:,} words in {folder}")
        return
    work: Path = args.workdir
    work.mkdir(parents=True, exist_ok=True)
    corpora: dict[int, tuple[Path, int]] = {}
    for size in args.sizes:
        folder = work / f"corpus-{size}"
        if not (folder / ".complete").exists():
            shutil.rmtree(folder, ignore_errors=True)
            _, words = write_corpus(folder, size)
            (folder / ".complete").write_text(str(words))
        corpora[size] = (folder, int((folder / ".complete").read_text()))
    small = min(args.sizes)
    folder, words = corpora[small]
    if args.rounds < 1:
        raise SystemExit("--rounds must be 1 or more")
    print(f"coopkg build benchmark — {os.cpu_count()} CPUs, load average {_load()} at start")
    print("corpora: " + ", ".join(f"{n:,} articles ({w:,} words)" for n, (_f, w) in sorted(corpora.items())))
    # bare spaCy and kg build with one and two workers, interleaved, round after round: this shared
    # machine's speed drifts by up to 50% between minutes, so each figure is the best of its rounds
    # and each round's own ratio is printed too
    rounds: list[dict[str, Any]] = []
    for number in range(1, args.rounds + 1):
        bare = _bare(folder)
        one = _kg_build(folder, work / f"out-{small}-1", 1)
        two = _kg_build(folder, work / f"out-{small}-2", 2)
        rounds.append({"bare": bare, "one": one, "two": two})
        bare_wps = bare["words"] / bare["seconds"]
        print(f"round {number}: bare nlp.pipe {bare_wps:,.0f} words/s; kg build {one['seconds']:.1f} s with 1 worker "
              f"(ratio {words / one['seconds'] / bare_wps:.2f}), {two['seconds']:.1f} s with 2 workers "
              f"(speed-up {one['seconds'] / two['seconds']:.2f}x)")
    bare = min((r["bare"] for r in rounds), key=lambda b: b["seconds"])
    bare_wps = bare["words"] / bare["seconds"]
    print(f"\nbare nlp.pipe, {small:,} articles          {bare_wps:8,.0f} words/s   (best of {len(rounds)}) components "
          + "; ".join(f"{lang}: {', '.join(c)}" for lang, c in bare["components"].items()))
    ours = _bare(folder, "coopkg")
    print(f"coopkg's pipeline (nlp.pipe)             {ours['words'] / ours['seconds']:8,.0f} words/s   "
          "(+ coopkg_sentences, coopkg_gazetteer)")
    run = subprocess.run([sys.executable, __file__, "--child", "real"], capture_output=True, text=True, check=True,
                         cwd=ROOT)
    real = json.loads(run.stdout.strip().splitlines()[-1])
    print(f"real press releases (tests/data, {real['articles']} articles): spaCy {real['spacy_ms']:.1f} ms/article, "
          f"coopkg's extraction + mapping + N-Triples {real['coopkg_ms']:.1f} ms/article (process time)")
    if args.ruler_sample:
        old = _bare(folder, "entity_ruler", args.ruler_sample)
        new = _bare(folder, "coopkg", args.ruler_sample)
        print(f"  gazetteer as spaCy entity_ruler (before) {old['words'] / old['seconds']:8,.0f} words/s   vs "
              f"{new['words'] / new['seconds']:,.0f} with phrase matchers ({args.ruler_sample} articles)")
    runs: dict[tuple[int, int], dict[str, Any]] = {
        (small, 1): min((r["one"] for r in rounds), key=lambda b: b["seconds"]),
        (small, 2): min((r["two"] for r in rounds), key=lambda b: b["seconds"])}
    for size in sorted(args.sizes):
        if size != small:
            runs[size, 2] = _kg_build(corpora[size][0], work / f"out-{size}-2", 2)
    for (size, workers), result in runs.items():
        n_words = corpora[size][1]
        wps = n_words / result["seconds"]
        phases = ", ".join(f"{k} {v:,} MB in {result['durations'].get(k, 0):.0f} s"
                           for k, v in result["peak_pss_mb"].items())
        best = f" (best of {len(rounds)})" if size == small else ""
        print(f"\nkg build, {size:,} articles, {workers} worker{'s' if workers > 1 else ''}: {result['seconds']:7.1f} s"
              f"  {wps:8,.0f} words/s  {result['articles'] / result['seconds']:6.2f} articles/s{best}")
        print(f"  peak memory (PSS, all processes) and time by phase: {phases}; main process peak RSS "
              f"{result['peak_rss_mb']:,} MB")
        if result["steady_articles_per_s"]:
            print(f"  articles phase alone (between its first and last progress lines): "
                  f"{result['steady_articles_per_s']:.2f} articles/s; start-up (imports, models) "
                  f"{result['startup_s']:.1f} s")
    one = runs[small, 1]
    build_wps = corpora[small][1] / one["seconds"]
    print(f"\nratio kg build / bare nlp.pipe (1 worker, {small:,} articles, best of {len(rounds)} each): "
          f"{build_wps / bare_wps:.2f}   (target >= 0.85)")
    if one["steady_articles_per_s"]:
        bare_aps = small / bare["seconds"]
        print(f"  the same, articles phase alone (no start-up, no assembling, no store): "
              f"{one['steady_articles_per_s'] / bare_aps:.2f}")
    print(f"speed-up with 2 workers ({small:,} articles, best of {len(rounds)} each): "
          f"{one['seconds'] / runs[small, 2]['seconds']:.2f}x   (target >= 1.6x)")
    two = runs[small, 2]
    if one["steady_articles_per_s"] and two["steady_articles_per_s"]:
        print(f"  the same, articles phase alone: {two['steady_articles_per_s'] / one['steady_articles_per_s']:.2f}x")
    big = max(args.sizes)
    if big != small:
        a, b = runs[small, 2]["peak_pss_mb"], runs[big, 2]["peak_pss_mb"]
        for phase in ("articles", "assembling", "store"):
            if phase in a and phase in b:
                print(f"peak memory {phase:10s} {small:,} -> {big:,} articles: {a[phase]:,} -> {b[phase]:,} MB "
                      f"({(b[phase] - a[phase]) / a[phase]:+.0%})   (target: within 10%)")
    print(f"load average at end {_load()}")


if __name__ == "__main__":
    main()
