"""``kg build``: read articles, extract, map to RDF, write graph.ttl and graph.trig atomically."""

from __future__ import annotations

import contextlib
import os
import tempfile
import time
from collections import Counter
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

from rdflib import Graph

from kg.errors import CoopkgError, InputError, ModelError, OutputError
from kg.mapping import map_extraction, merged, to_dataset
from kg.model import Article, Extraction
from kg.nlp import SUPPORTED_LANGS, coopkg_version, load_pipeline, parse_many
from kg.pipeline import extract
from kg.progress import BuildProgress
from kg.sources import NO_LANGUAGE, count_articles, read_articles
from kg.store import NewStoreLoader, check_store_not_held, is_new_store_path
from kg.stream import (
    TASK_ARTICLES,
    BuildDir,
    Spill,
    StreamedGraphs,
    publish,
    rdflib_graph,
    run_tasks,
    shard_file,
    shard_of,
    tasks,
    write_nquads,
    write_trig,
    write_turtle,
)
from kg.validate import Problem, ValidationReport, build_warnings


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
    notes: list[str] = field(default_factory=list)

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
        lines += [f"note       {n}" for n in self.notes]
        lines += [f"warning    {w}" for w in self.warnings]
        lines += [f"skipped    {s}" for s in self.skipped]
        return "\n".join(lines)


def _articles(n: int) -> str:
    """"1 article", "2,000 articles"."""
    return f"{n:,} article{'' if n == 1 else 's'}"


def _supported(items: Iterable[Article | InputError], report: BuildReport) -> Iterator[Article]:
    """Articles coopkg can process; the rest go to the report, by name, with the reason."""
    seen: dict[str, str] = {}
    for item in items:
        if isinstance(item, InputError):
            report.skipped.append(str(item))
            continue
        if item.lang not in SUPPORTED_LANGS:
            report.skipped.append(
                f"{item.source}: no article text found (no language could be told)" if item.lang == NO_LANGUAGE else
                f"{item.source}: language {item.lang!r} is not supported (coopkg reads "
                f"{', '.join(SUPPORTED_LANGS)}; if the language was told wrong, give it: "
                f"{' or '.join(f'--lang {lg}' for lg in SUPPORTED_LANGS)})")
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
                on_article: Callable[[Extraction], None] | None = None, lang: str | None = None) -> dict[str, Graph]:
    """Extract every readable article of ``paths``; one RDF graph per article id."""
    version = coopkg_version()
    graphs: dict[str, Graph] = {}
    for article, doc in parse_many(_supported(read_articles(paths, lang), report)):
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


def write_atomic(path: Path, write: Callable[[Path], object]) -> None:
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
          infer: bool = False, store: str | Path | None = None, *, workers: int = 1,
          shard: tuple[int, int] | None = None, progress: BuildProgress | None = None,
          validate: str = "sample", lang: str | None = None) -> BuildReport:
    """The whole job: articles in, graph files out; raises CoopkgError when nothing can be built.

    Articles stream through the pipeline in small tasks (``workers`` processes, 0 for one per
    CPU), results are spilled to a temporary folder in OUTDIR, and graph.ttl and graph.trig
    are assembled from it at the end: memory does not grow with the number of articles, and
    the output is the same whatever ``workers``. The graph is checked against the SHACL
    shapes a few articles at a time (problems become warnings): ``validate`` "all", "none",
    or "sample" (every article of small builds, about one in 64 beyond). With ``store`` every
    article's graph replaces its named graph in that graph store, in one transaction. The view (graph.html) is drawn
    for builds of up to VIEW_MAX_ARTICLES articles. With ``infer`` the triples the ontology
    implies go to OUTDIR/inferred.trig. With ``shard`` (I, N) only the articles of the I-th
    of N slices (by article id) are built, into OUTDIR/shard-I-of-N.nq and nothing else.
    Nothing in OUTDIR or the store changes before every output is ready; a build killed
    mid-way leaves them as they were. ``lang`` is the language of the articles that do not state theirs
    (detected otherwise).
    """
    started = time.perf_counter()
    report = BuildReport()
    if not 0.0 <= min_confidence <= 1.0:
        raise CoopkgError(f"--min-confidence must be between 0 and 1, not {min_confidence}")
    if workers < 0:
        raise CoopkgError(f"--workers must be 0 (one per CPU) or more, not {workers}")
    if lang is not None and lang not in SUPPORTED_LANGS:
        raise CoopkgError(f"--lang must be one of {', '.join(SUPPORTED_LANGS)}, not {lang!r}")
    paths = list(paths)
    out = Path(outdir)
    estimate = max(1, -(-count_articles(paths) // (shard[1] if shard else 1)))
    if workers == 0:  # one per CPU (at most AUTO_WORKERS_MAX), no more than there are tasks
        workers = max(1, min(os.cpu_count() or 1, AUTO_WORKERS_MAX, -(-estimate // TASK_ARTICLES)))
    if progress is not None and progress.total is None:
        progress.total = estimate
    if store is not None and shard is None and not is_new_store_path(store):
        check_store_not_held(store)  # fail now, not after the articles
    created = not out.exists()
    if out.exists() and not out.is_dir():
        raise OutputError(f"cannot write to {out}: it is a file, not a folder (-o names the folder the graph "
                          "files go to)")
    try:
        out.mkdir(parents=True, exist_ok=True)
        tmp = BuildDir(out)
    except OSError as e:
        raise OutputError(f"cannot write to {out}: {e.strerror or e}") from e
    try:
        with tmp, _new_store_loader(store, shard) as loader:
            spill = Spill(tmp.path, on_quads=loader.add if loader is not None else None)
            read = _Counter()
            items = read_articles(paths, lang)
            articles = _supported(_in_shard(items, shard, read) if shard else _counted(items, read), report)
            entity_types: dict[str, str] = {}
            problems: set[Problem] = set()
            for task in run_tasks(tasks(articles, validate), workers, min_confidence):
                skipped = len(report.skipped)
                for art in task.articles:
                    if art.error is not None:
                        report.skipped.append(f"{art.source}: {art.error}")
                        continue
                    spill.add(art)
                    report.articles += 1
                    report.posts += art.posts
                    report.relations += art.relations
                    report.events += art.events
                    entity_types.update(art.entities)
                problems.update(task.problems)
                if progress is not None:
                    progress.advance(len(task.articles), len(report.skipped) - skipped)
            report.entities = Counter(entity_types.values())
            if progress is not None:
                progress.finish_articles()
            if not report.articles and not (shard and read.articles):
                reasons = "; ".join(report.skipped) or "no input files"
                raise CoopkgError(f"no article could be read: {reasons}")
            try:
                report.outputs = _assemble(spill, tmp.path, out, report, shard=shard, store=store, infer=infer,
                                           progress=progress, loader=loader)
            except OSError as e:
                raise OutputError(f"cannot write to {out}: {e.strerror or e}") from e
    except BaseException:
        if created:
            with contextlib.suppress(OSError):
                out.rmdir()  # a build that failed leaves no empty output folder it made
        raise
    if problems:
        order = {"violation": 0, "warning": 1, "info": 2}
        ordered = sorted(problems, key=lambda p: (order.get(p.severity, 3), p.shape, p.focus_iri, p.detail))
        report.warnings += build_warnings(ValidationReport(ordered), outdir)
    report.seconds = time.perf_counter() - started
    return report


VIEW_MAX_ARTICLES = 500  # a bigger graph is no overview: kg view --store DIR --focus NAME draws a part
AUTO_WORKERS_MAX = 8  # -j 0 on a big machine: each worker holds 250-400 MB of its own


@contextmanager
def _new_store_loader(store: str | Path | None, shard: tuple[int, int] | None) -> Iterator[NewStoreLoader | None]:
    """A loader filling a new store while the build runs (None when the store exists: it takes the
    build in one transaction at the end); what it loaded is removed unless the build commits it."""
    if store is None or shard is not None or not is_new_store_path(store):
        yield None
        return
    loader = NewStoreLoader(store)
    try:
        yield loader
    finally:
        loader.discard()


class _Counter:
    """How many articles were read (in every shard)."""

    articles = 0


def _counted(items: Iterable[Article | InputError], read: _Counter) -> Iterator[Article | InputError]:
    for item in items:
        if isinstance(item, Article):
            read.articles += 1
        yield item


def _in_shard(items: Iterable[Article | InputError], shard: tuple[int, int],
              read: _Counter) -> Iterator[Article | InputError]:
    """The articles (by id) and unreadable inputs (by name) of one shard: each is in exactly one."""
    index, count = shard
    for item in items:
        if isinstance(item, Article):
            read.articles += 1
            key = item.id
        else:
            key = f"{item.source}:{item.line}" if item.line is not None else item.source
        if shard_of(key, count) == index:
            yield item


def _assemble(spill: Spill, tmp: Path, out: Path, report: BuildReport, *, shard: tuple[int, int] | None,
              store: str | Path | None, infer: bool, progress: BuildProgress | None,
              loader: NewStoreLoader | None = None) -> list[Path]:
    """Write the outputs from the spilled results, then put them in place (after the store's transaction)."""
    def note(text: str) -> None:
        if progress is not None:
            progress.note(text)

    if shard is not None:
        dest = out / shard_file(shard)
        note(f"writing {dest.name}")
        write_nquads(spill.articles(), tmp / dest.name)
        publish({tmp / dest.name: dest})
        return [dest]
    note("writing graph.ttl and graph.trig")
    write_turtle(spill.triples(), tmp / "graph.ttl")
    write_trig(spill.articles(), tmp / "graph.trig")
    files = {tmp / "graph.ttl": out / "graph.ttl", tmp / "graph.trig": out / "graph.trig"}
    outputs = list(files.values())
    everything = None
    stale: list[Path] = []
    view = out / "graph.html"
    if report.articles <= VIEW_MAX_ARTICLES or infer:
        everything = rdflib_graph(spill.triples())
    if report.articles <= VIEW_MAX_ARTICLES:
        note("drawing graph.html")
        assert everything is not None
        from kg.view import write_view  # networkx, scipy, pyvis: only when a view is drawn

        files[write_view(everything, tmp / view.name)] = view
    else:
        report.warnings.append(f"{view} not drawn: {report.articles:,} articles (the view draws up to "
                               f"{VIEW_MAX_ARTICLES}); kg view --store STORE --focus NAME draws one entity's "
                               "neighbourhood")
        stale.append(view)  # an older view would not show this graph: removed once the build succeeds

    def commit_store() -> None:
        from kg.store import GraphStore

        assert store is not None
        if loader is not None:  # loaded while the articles were built: put in place, unless blank nodes
            note(f"loading {_articles(report.articles)} into a new store {store}")
            spill.flush()
            if loader.commit():
                return
        note(f"adding {_articles(report.articles)} to the store {store}")
        with GraphStore(store) as gs:  # every article of this build in one transaction: all or nothing
            gs.replace_article_graphs(StreamedGraphs(spill))
            held = len(gs.article_ids())
        if held > report.articles:
            report.notes.append(
                f"the store holds {held:,} articles, {held - report.articles:,} of them from earlier builds; the "
                f"graph files and the view hold this build's {report.articles:,} (kg export --store {store} "
                "-o FILE writes the whole store; kg view --store draws it)")

    publish(files, before=commit_store if store is not None else None, stale=stale)
    if store is not None:
        outputs.append(Path(store))
    if view in files.values():
        outputs.append(view)
    if infer:
        assert everything is not None
        from kg.export import write_inferred

        inferred, broken = write_inferred(everything, out)
        outputs.append(inferred)
        report.warnings += broken
    return outputs
