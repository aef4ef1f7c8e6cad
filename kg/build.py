"""``kg build``: read articles, extract, map to RDF, write graph.ttl and graph.trig atomically."""

from __future__ import annotations

import os
import tempfile
import time
from collections import Counter
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

from rdflib import Graph

from kg.errors import CoopkgError, InputError, ModelError, OutputError
from kg.export import write_inferred
from kg.mapping import map_extraction, merged, to_dataset
from kg.model import Article, Extraction
from kg.nlp import SUPPORTED_LANGS, coopkg_version, load_pipeline, parse_many
from kg.pipeline import extract
from kg.sources import read_articles
from kg.validate import build_warnings, validate_graph
from kg.view import write_view


@dataclass
class BuildReport:
    """What a build did: counts for the summary and every input it skipped, with why."""

    articles: int = 0
    entities: Counter[str] = field(default_factory=Counter)
    posts: int = 0
    relations: int = 0
    events: int = 0
    seconds: float = 0.0
    skipped: list[str] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    outputs: list[Path] = field(default_factory=list)

    def summary(self) -> str:
        """A few lines for the terminal."""
        ents = ", ".join(f"{k} {v}" for k, v in sorted(self.entities.items())) or "none"
        lines = [
            f"articles   {self.articles}",
            f"entities   {sum(self.entities.values())} ({ents})",
            f"posts      {self.posts}",
            f"relations  {self.relations}",
            f"events     {self.events}",
            f"seconds    {self.seconds:.1f}",
        ]
        lines += [f"wrote      {p}" for p in self.outputs]
        lines += [f"warning    {w}" for w in self.warnings]
        lines += [f"skipped    {s}" for s in self.skipped]
        return "\n".join(lines)


def _supported(items: Iterable[Article | InputError], report: BuildReport) -> Iterator[Article]:
    """Articles coopkg can process; the rest go to the report, by name, with the reason."""
    seen: dict[str, str] = {}
    for item in items:
        if isinstance(item, InputError):
            report.skipped.append(str(item))
            continue
        if item.lang not in SUPPORTED_LANGS:
            report.skipped.append(f"{item.source}: language {item.lang!r} is not supported "
                                  f"(coopkg reads {', '.join(SUPPORTED_LANGS)})")
            continue
        if item.id in seen:
            report.skipped.append(f"{item.source}: article id {item.id!r} already read from {seen[item.id]}")
            continue
        seen[item.id] = item.source
        report.warnings += [f"{item.source}: {w}" for w in item.warnings]
        try:
            load_pipeline(item.lang)
        except ModelError as e:
            report.skipped.append(f"{item.source}: {e}")
            continue
        yield item


def extract_all(paths: Iterable[str | Path], report: BuildReport, min_confidence: float = 0.0,
                on_article: Callable[[Extraction], None] | None = None) -> dict[str, Graph]:
    """Extract every readable article of ``paths``; one RDF graph per article id."""
    version = coopkg_version()
    graphs: dict[str, Graph] = {}
    for article, doc in parse_many(_supported(read_articles(paths), report)):
        pipe = load_pipeline(article.lang)
        ex = extract(article, doc, f"{pipe.name}-{pipe.version}", min_confidence)
        graphs[article.id] = map_extraction(ex, version)
        report.articles += 1
        report.posts += len(ex.posts)
        report.relations += len(ex.relations)
        report.events += len(ex.events)
        if on_article:
            on_article(ex)
    return graphs


def write_atomic(path: Path, write: Callable[[Path], None]) -> None:
    """Write through a temporary file in the same folder, then rename over ``path``."""
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    os.close(fd)
    try:
        write(Path(tmp))
        umask = os.umask(0)
        os.umask(umask)
        os.chmod(tmp, 0o666 & ~umask)  # mkstemp makes the file private; outputs are ordinary files
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def write_outputs(graphs: dict[str, Graph], outdir: Path) -> list[Path]:
    """graph.ttl (all articles merged) and graph.trig (one named graph per article)."""
    try:
        outdir.mkdir(parents=True, exist_ok=True)
    except OSError as e:
        raise OutputError(f"cannot create output folder {outdir}: {e.strerror or e}") from e
    ttl, trig = outdir / "graph.ttl", outdir / "graph.trig"
    try:
        write_atomic(ttl, lambda p: merged(graphs).serialize(destination=str(p), format="turtle"))
        write_atomic(trig, lambda p: to_dataset(graphs).serialize(destination=str(p), format="trig"))
    except OSError as e:
        raise OutputError(f"cannot write to {outdir}: {e.strerror or e}") from e
    return [ttl, trig]


def build(paths: Iterable[str | Path], outdir: str | Path, min_confidence: float = 0.0,
          infer: bool = False, store: str | Path | None = None) -> BuildReport:
    """The whole job: articles in, graph files out; raises CoopkgError when nothing can be built.

    What was written is checked against the SHACL shapes (problems become warnings); with
    ``infer`` the triples the ontology implies go to OUTDIR/inferred.trig, never to graph.ttl.
    With ``store`` each article's graph replaces its named graph in that graph store.
    """
    started = time.perf_counter()
    report = BuildReport()
    if not 0.0 <= min_confidence <= 1.0:
        raise CoopkgError(f"--min-confidence must be between 0 and 1, not {min_confidence}")
    entity_types: dict[str, str] = {}

    def count(ex: Extraction) -> None:
        for e in ex.entities:
            entity_types[e.key] = e.type

    graphs = extract_all(paths, report, min_confidence, count)
    report.entities = Counter(entity_types.values())
    if not graphs:
        reasons = "; ".join(report.skipped) or "no input files"
        raise CoopkgError(f"no article could be read: {reasons}")
    report.outputs = write_outputs(graphs, Path(outdir))
    if store is not None:  # every article of this build replaced in one transaction: all or nothing
        from kg.store import GraphStore

        with GraphStore(store) as gs:
            gs.replace_article_graphs(graphs)
        report.outputs.append(Path(store))
    everything = merged(graphs)
    report.outputs.append(write_view(everything, Path(outdir) / "graph.html"))
    if infer:
        inferred, broken = write_inferred(everything, Path(outdir))
        report.outputs.append(inferred)
        report.warnings += broken
    report.warnings += build_warnings(validate_graph(everything), outdir)
    report.seconds = time.perf_counter() - started
    return report
