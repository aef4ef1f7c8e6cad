"""Builds at scale: same output whatever the workers and pieces, progress, kill safety, shards."""

from __future__ import annotations

import hashlib
import importlib.util
import io
import os
import re
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path
from types import ModuleType

import pyoxigraph as ox
import pytest

import kg.stream
from kg.build import BuildReport, build
from kg.cli import main
from kg.errors import CoopkgError
from kg.progress import BuildProgress
from kg.store import NewStoreLoader
from kg.stream import ArticleResult, Spill, TurtleWriter, parse_shard, shard_of

ROOT = Path(__file__).resolve().parents[1]
OUTPUTS = ("graph.ttl", "graph.trig", "graph.html")


def _bench() -> ModuleType:
    """bench/build.py, for its corpus generator."""
    spec = importlib.util.spec_from_file_location("bench_build", ROOT / "bench" / "build.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def corpus(folder: Path, articles: int, seed: int = 3) -> Path:
    """A synthetic corpus of short French and English press releases (JSONL files)."""
    _bench().write_corpus(folder, articles, seed=seed, per_file=7, paragraphs=(1, 2))
    return folder


@pytest.fixture(scope="module")
def small_corpus(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return corpus(tmp_path_factory.mktemp("corpus") / "in", 20)


@pytest.fixture(scope="module")
def one_worker(small_corpus: Path, tmp_path_factory: pytest.TempPathFactory) -> tuple[BuildReport, Path]:
    out = tmp_path_factory.mktemp("one-worker")
    return build([small_corpus], out, workers=1), out


def _counts(report: BuildReport) -> tuple[object, ...]:
    return (report.articles, dict(report.entities), report.posts, report.relations, report.events,
            report.skipped, report.warnings)


def test_scale_output_is_the_same_whatever_the_workers(one_worker: tuple[BuildReport, Path], small_corpus: Path,
                                                       tmp_path: Path) -> None:
    first, out1 = one_worker
    second = build([small_corpus], tmp_path, workers=2)
    assert first.articles == 20
    assert _counts(first) == _counts(second)
    for name in OUTPUTS:
        assert (out1 / name).read_bytes() == (tmp_path / name).read_bytes(), name


def test_scale_output_is_the_same_however_results_are_spilled(one_worker: tuple[BuildReport, Path],
                                                               small_corpus: Path, tmp_path: Path,
                                                               monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(kg.stream, "PIECE_BYTES", 3000)  # a piece every article or two
    build([small_corpus], tmp_path, workers=1)
    for name in OUTPUTS:
        assert (one_worker[1] / name).read_bytes() == (tmp_path / name).read_bytes(), name


def test_scale_spill_keeps_at_most_a_piece_in_memory(tmp_path: Path) -> None:
    spill = Spill(tmp_path, piece_bytes=500)
    line = "<http://e.org/s> <http://e.org/p> \"{}\" .\n"
    for i in range(30):
        spill.add(ArticleResult(f"a{i:02d}", "test", tuple(line.format(f"{i}-{j}") for j in range(5))))
        assert spill._size < 500
    assert spill.pieces > 5
    ids = [article for article, _lines in spill.articles()]
    assert ids == sorted(ids) and len(ids) == 30
    assert len(list(spill.triples())) == 150


def test_scale_turtle_writer_abbreviates_like_rdflib(tmp_path: Path) -> None:
    lines = ['<https://w3id.org/coopkg/article/a> <http://www.w3.org/1999/02/22-rdf-syntax-ns#type> '
             '<https://w3id.org/coopkg/ontology#Article> .\n',
             '<https://w3id.org/coopkg/article/a> <https://w3id.org/coopkg/ontology#charEnd> '
             '"12"^^<http://www.w3.org/2001/XMLSchema#integer> .\n',
             '<https://w3id.org/coopkg/article/a> <https://w3id.org/coopkg/ontology#confidence> '
             '"0.85"^^<http://www.w3.org/2001/XMLSchema#decimal> .\n',
             '<https://w3id.org/coopkg/article/a> <https://w3id.org/coopkg/ontology#date> '
             '"2024-03-12"^^<http://www.w3.org/2001/XMLSchema#date> .\n',
             '<https://w3id.org/coopkg/id/org/europol> <http://www.w3.org/2000/01/rdf-schema#label> '
             '"Europol \\"EU\\""@fr .\n']
    out = io.StringIO()
    writer = TurtleWriter(out)
    for line in lines:
        writer.triple(line)
    writer.end_subject()
    text = out.getvalue()
    assert "article:a a coop:Article ;\n    coop:charEnd 12 ;\n    coop:confidence 0.85 ;\n" in text
    assert 'coop:date "2024-03-12"^^xsd:date .' in text
    assert '<https://w3id.org/coopkg/id/org/europol> rdfs:label "Europol \\"EU\\""@fr .' in text
    assert writer.used == {"article", "coop", "rdfs", "xsd"}


def test_scale_progress_plain_lines_when_not_a_terminal(small_corpus: Path, tmp_path: Path,
                                                         capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["build", str(small_corpus), "-o", str(tmp_path), "--no-store", "--validate", "none",
                 "-j", "1", "--progress-every", "8"]) == 0
    err = capsys.readouterr().err
    lines = re.findall(r"^kg build: (\d+)/(\d+) articles, [\d.]+ articles/s, ETA [\d:?]+", err, re.M)
    assert [int(done) for done, _ in lines] == [8, 16, 20]
    assert lines[-1] == ("20", "20")


@pytest.mark.parametrize("every", ["0", "-5", "x"])
def test_scale_progress_every_needs_a_positive_number(every: str, tmp_path: Path,
                                                      capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as exit_:
        main(["build", str(tmp_path), "-o", str(tmp_path / "out"), "--progress-every", every])
    assert exit_.value.code == 2
    assert "at least 1" in capsys.readouterr().err
    assert not (tmp_path / "out").exists()


def test_scale_quiet_shows_no_progress(small_corpus: Path, tmp_path: Path,
                                       capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["build", str(small_corpus), "-o", str(tmp_path), "--no-store", "--validate", "none", "-q"]) == 0
    assert capsys.readouterr().err == ""


def test_scale_progress_bar_on_a_terminal() -> None:
    screen = io.StringIO()
    progress = BuildProgress(total=40, stream=screen, bar=True)
    for _ in range(5):
        progress.advance(8)
    progress.finish_articles()
    progress.close()
    text = screen.getvalue()
    assert "40/40" in text and "articles/s" in text and "ETA" in text


def _files(folder: Path) -> dict[str, bytes]:
    """Every file under a folder (but a build's temporary folder), by relative path, with its bytes."""
    return {str(p.relative_to(folder)): p.read_bytes() for p in sorted(folder.rglob("*"))
            if p.is_file() and not p.relative_to(folder).parts[0].startswith(".coopkg-build-")}


def _children(pid: int) -> list[int]:
    """Processes whose parent is ``pid`` (Linux)."""
    found = []
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = stat.read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        if int(fields[1]) == pid:
            found.append(int(stat.parent.name))
    return found


def _alive(pid: int) -> bool:
    """Whether a process runs (a zombie does not)."""
    try:
        state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
    except (OSError, IndexError):
        return False
    return state != "Z"


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="SIGKILL and /proc: Linux")
def test_scale_kill_leaves_outputs_and_store_as_they_were(tmp_path: Path) -> None:
    out = tmp_path / "out"
    build([corpus(tmp_path / "before", 3, seed=11)], out, store=out / "store")
    before = _files(out)
    assert "graph.ttl" in before and any(name.startswith("store/") for name in before)
    big = corpus(tmp_path / "big", 60, seed=12)
    proc = subprocess.Popen([sys.executable, "-m", "kg.cli", "build", str(big), "-o", str(out), "-j", "2",
                             "--progress-every", "1"], stderr=subprocess.PIPE, text=True, cwd=ROOT)
    assert proc.stderr is not None
    workers: list[int] = []
    deadline = time.monotonic() + 120
    for line in proc.stderr:  # mid-way: some articles done, many to go
        m = re.match(r"kg build: (\d+)/", line)
        if m and int(m.group(1)) >= 6:
            workers = _children(proc.pid)
            proc.send_signal(signal.SIGKILL)
            break
        assert time.monotonic() < deadline, "the build did not start"
    proc.wait(30)
    assert proc.returncode == -signal.SIGKILL
    assert _files(out) == before  # graph.ttl, graph.trig, graph.html and every byte of the store
    assert list(out.glob(".coopkg-build-*")), "the killed build's temporary folder should be left"
    time.sleep(0.5)
    assert workers and not [w for w in workers if _alive(w)], "workers outlived the build"
    report = build([big], out, store=out / "store", workers=1, validate="none")
    assert report.articles == 60
    assert not list(out.glob(".coopkg-build-*"))  # the next build cleaned up
    assert _files(out)["graph.ttl"] != before["graph.ttl"]


def test_scale_shard_assignment_is_stable_by_article_id() -> None:
    assert parse_shard("2/3") == (2, 3)
    for bad in ("0/3", "4/3", "2", "a/b"):
        with pytest.raises(CoopkgError, match="--shard"):
            parse_shard(bad)
    for article_id in ("interpol-2015-07-15-fr", "synthetic-en-000004", "é"):
        expected = int(hashlib.sha1(article_id.encode()).hexdigest(), 16) % 3 + 1
        assert shard_of(article_id, 3) == expected


def _quads(location: Path) -> set[str]:
    store = ox.Store.read_only(str(location))
    return {str(q) for q in store}


def test_scale_shards_loaded_by_oxigraph_equal_a_single_build(small_corpus: Path, tmp_path: Path) -> None:
    single = build([small_corpus], tmp_path / "single", store=tmp_path / "single" / "store", validate="none")
    ids: list[str] = []
    for i in (1, 2, 3):
        report = build([small_corpus], tmp_path / "shards", shard=(i, 3), validate="none")
        shard = tmp_path / "shards" / f"shard-{i}-of-3.nq"
        assert report.outputs == [shard]
        in_shard = sorted({q.graph_name.value.rsplit("/", 1)[-1]
                           for q in ox.parse(path=str(shard), format=ox.RdfFormat.N_QUADS)})
        assert all(shard_of(a, 3) == i for a in in_shard)
        ids += in_shard
    assert len(ids) == len(set(ids)) == single.articles
    assert not (tmp_path / "shards" / "graph.ttl").exists() and not (tmp_path / "shards" / "store").exists()
    oxigraph = shutil.which("oxigraph", path=f"{Path(sys.executable).parent}{os.pathsep}{os.environ['PATH']}")
    assert oxigraph, "the oxigraph console script (PyPI package oxigraph) is not installed"
    files = [str(p) for p in sorted((tmp_path / "shards").glob("shard-*-of-3.nq"))]
    subprocess.run([oxigraph, "load", "--location", str(tmp_path / "loaded"), "--file", *files],
                   check=True, capture_output=True, timeout=120)
    assert _quads(tmp_path / "loaded") == _quads(tmp_path / "single" / "store")


def test_scale_new_store_loads_during_the_build_and_only_lands_with_it(small_corpus: Path, tmp_path: Path,
                                                                          monkeypatch: pytest.MonkeyPatch) -> None:
    at_end = tmp_path / "at-end"
    build([small_corpus], at_end, store=at_end / "store", workers=1, validate="none")
    monkeypatch.setattr(kg.stream, "PIECE_BYTES", 3000)  # a piece every article or two: loaded as they come
    loaded: list[Path] = []
    add = NewStoreLoader.add

    def add_and_note(self: NewStoreLoader, path: Path) -> None:
        loaded.append(path)
        add(self, path)

    monkeypatch.setattr(NewStoreLoader, "add", add_and_note)

    def crash(*args: object, **kwargs: object) -> list[Path]:
        raise RuntimeError("the build fails after its articles")

    out = tmp_path / "out"
    with monkeypatch.context() as m:
        m.setattr("kg.build._assemble", crash)
        with pytest.raises(RuntimeError):
            build([small_corpus], out, store=out / "store", workers=1, validate="none")
    assert len(loaded) > 3  # pieces went to the store while the articles were built
    assert not (out / "store").exists() and not list(out.glob(".store.loading-*"))
    build([small_corpus], out, store=out / "store", workers=1, validate="none")
    assert not list(out.glob(".store.loading-*"))
    assert _quads(out / "store") == _quads(at_end / "store")


def test_scale_failed_build_keeps_the_old_view(small_corpus: Path, tmp_path: Path,
                                                monkeypatch: pytest.MonkeyPatch) -> None:
    """A build too big for a view removes the older graph.html only when it succeeds."""
    out = tmp_path / "out"
    build([small_corpus], out, store=out / "store", workers=1, validate="none")
    before = {name: (out / name).read_bytes() for name in OUTPUTS}
    monkeypatch.setattr("kg.build.VIEW_MAX_ARTICLES", 5)

    def locked(self: object, graphs: object) -> None:
        raise CoopkgError("the store is locked by another program")

    with monkeypatch.context() as m:
        m.setattr("kg.store.GraphStore.replace_article_graphs", locked)
        with pytest.raises(CoopkgError):
            build([small_corpus], out, store=out / "store", workers=1, validate="none")
    assert {name: (out / name).read_bytes() for name in OUTPUTS} == before
    build([small_corpus], out, store=out / "store", workers=1, validate="none")
    assert not (out / "graph.html").exists()


def test_scale_store_held_by_another_program_fails_before_the_articles(small_corpus: Path, tmp_path: Path,
                                                                         monkeypatch: pytest.MonkeyPatch) -> None:
    out = tmp_path / "out"
    build([small_corpus], out, store=out / "store", workers=1, validate="none")
    before = {name: (out / name).read_bytes() for name in OUTPUTS}

    def no_articles(*args: object, **kwargs: object) -> None:
        raise AssertionError("articles were processed before the store was checked")

    monkeypatch.setattr("kg.build.run_tasks", no_articles)
    holder = subprocess.Popen(  # another program holding the store, as `oxigraph serve` would
        [sys.executable, "-c", "import sys, pyoxigraph; s = pyoxigraph.Store(sys.argv[1]); print('open', flush=True); "
                               "sys.stdin.read()", str(out / "store")],
        stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True)
    try:
        assert holder.stdout is not None and holder.stdout.readline().strip() == "open"
        with pytest.raises(CoopkgError, match="locked by another program"):
            build([small_corpus], out, store=out / "store", workers=1, validate="none")
    finally:
        holder.communicate("")
    assert {name: (out / name).read_bytes() for name in OUTPUTS} == before
    monkeypatch.undo()
    build([small_corpus], out, store=out / "store", workers=1, validate="none")  # released: builds
