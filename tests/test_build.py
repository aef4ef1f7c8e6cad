"""kg build through the CLI: outputs, determinism, bad inputs, exit codes, the example's golden graph."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest
from conftest import EXAMPLE, EXAMPLE_GOLD, SHARED
from rdflib import Dataset, Graph
from rdflib.compare import graph_diff, isomorphic, to_isomorphic

from kg.cli import main

GOLDEN = Path(__file__).parent / "data" / "golden" / "interpol-2015-07-15-fr.ttl"


@pytest.fixture(scope="module")
def example_out(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("example")
    assert main(["build", str(EXAMPLE), "-o", str(out), "--no-store", "-q"]) == 0
    return out


def test_build_writes_turtle_and_trig(example_out: Path) -> None:
    g = Graph().parse(example_out / "graph.ttl")
    ds = Dataset().parse(example_out / "graph.trig", format="trig")
    assert len(g) > 100
    names = {str(c.identifier) for c in ds.contexts() if len(c)}
    assert "https://w3id.org/coopkg/graph/interpol-2015-07-15-fr" in names


def test_build_matches_golden_graph(example_out: Path) -> None:
    """The example's graph, compared with the reviewed golden Turtle (isomorphism)."""
    got = Graph().parse(example_out / "graph.ttl")
    want = Graph().parse(GOLDEN)
    if not isomorphic(got, want):
        _, only_got, only_want = graph_diff(to_isomorphic(got), to_isomorphic(want))
        lines = [f"+ {t}" for t in sorted(only_got)[:20]] + [f"- {t}" for t in sorted(only_want)[:20]]
        pytest.fail("graph differs from tests/data/golden (regenerate it if the change is intended):\n"
                    + "\n".join(lines))


def test_build_twice_is_byte_identical(example_out: Path, tmp_path: Path) -> None:
    assert main(["build", str(EXAMPLE), "-o", str(tmp_path), "--no-store", "-q"]) == 0
    assert (tmp_path / "graph.ttl").read_bytes() == (example_out / "graph.ttl").read_bytes()


@pytest.mark.skipif(not (SHARED / "eval" / "score.py").exists(), reason="../shared/eval is not here")
def test_build_example_scores_and_evidence(example_out: Path) -> None:
    score = subprocess.run([sys.executable, str(SHARED / "eval" / "score.py"), str(EXAMPLE_GOLD),
                            str(example_out / "graph.ttl"), "--json"], capture_output=True, text=True, check=True)
    res = json.loads(score.stdout)
    assert res["entities"]["f1"] >= 0.95 and res["posts"]["f1"] >= 0.90
    assert res["relations"]["f1"] >= 0.85 and res["mean_f1"] >= 0.90
    ev = subprocess.run([sys.executable, str(SHARED / "eval" / "check_evidence.py"), str(example_out / "graph.ttl"),
                         str(EXAMPLE)], capture_output=True, text=True)
    assert ev.returncode == 0, ev.stdout[-500:]


def test_build_bad_inputs_are_named_and_the_rest_is_built(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    inputs = tmp_path / "in"
    inputs.mkdir()
    (inputs / "empty.txt").write_text("")
    (inputs / "binary.txt").write_bytes(b"\x00\x01\x02PNG\x00" * 20)
    (inputs / "ok.txt").write_text("LYON (France) – Europol works closely with Eurojust.", encoding="utf-8")
    (inputs / "bad.jsonl").write_text('{"text": "Europol met Frontex."}\n{not json\n', encoding="utf-8")
    code = main(["build", str(inputs), "-o", str(tmp_path / "out"), "--no-store"])
    out = capsys.readouterr()
    assert code == 1
    assert "empty.txt" in out.out and "binary.txt" in out.out and "bad.jsonl:2" in out.out
    assert "Traceback" not in out.out + out.err
    assert (tmp_path / "out" / "graph.ttl").exists()


def test_build_nothing_readable_exits_2_without_output(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    (tmp_path / "empty.txt").write_text("  \n")
    code = main(["build", str(tmp_path / "empty.txt"), "-o", str(tmp_path / "out"), "--no-store"])
    assert code == 2
    assert "empty" in capsys.readouterr().err
    assert not (tmp_path / "out" / "graph.ttl").exists()


def test_build_unwritable_output_is_a_clear_error(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    blocker = tmp_path / "file"
    blocker.write_text("x")
    code = main(["build", str(EXAMPLE), "-o", str(blocker / "out"), "--no-store"])
    assert code == 2
    err = capsys.readouterr().err
    assert "cannot" in err and "Traceback" not in err


def test_build_min_confidence_drops_weak_edges(tmp_path: Path) -> None:
    assert main(["build", str(EXAMPLE), "-o", str(tmp_path), "--no-store", "-q", "--min-confidence", "0.99"]) == 0
    g = Graph().parse(tmp_path / "graph.ttl")
    assert not [p for p in g.predicates() if str(p).endswith(("#cooperatesWith", "#supports", "#participatesIn"))]


def test_build_console_script_runs(tmp_path: Path) -> None:
    run = subprocess.run(["kg", "--version"], capture_output=True, text=True)
    assert run.returncode == 0 and "coopkg" in run.stdout


def test_build_into_a_store_of_earlier_builds_says_what_the_files_hold(tmp_path: Path,
                                                                       capsys: pytest.CaptureFixture[str]) -> None:
    """The store keeps earlier builds' articles; graph.ttl holds this build's: the summary says so."""
    other = tmp_path / "other.txt"
    other.write_text("12 May 2023\n\nA title\n\nVIENNA – Europol and Frontex signed a working arrangement.\n",
                     encoding="utf-8")
    out = tmp_path / "out"
    assert main(["build", str(other), "-o", str(out), "-q"]) == 0
    capsys.readouterr()
    assert main(["build", str(EXAMPLE), "-o", str(out)]) == 0
    said = capsys.readouterr().out
    assert "note       the store holds 2 articles, 1 of them from earlier builds" in said
    both = tmp_path / "both"
    both.mkdir()
    (both / other.name).write_bytes(other.read_bytes())
    (both / EXAMPLE.name).write_bytes(EXAMPLE.read_bytes())
    assert main(["build", str(both), "-o", str(out)]) == 0  # every article of the store: nothing to say
    assert "note " not in capsys.readouterr().out


def test_build_output_that_is_a_file_is_named_as_one(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    target = tmp_path / "graph.ttl"
    target.write_text("keep me", encoding="utf-8")
    assert main(["build", str(EXAMPLE), "-o", str(target), "--no-store", "-q"]) == 2
    assert "is a file, not a folder" in capsys.readouterr().err
    assert target.read_text(encoding="utf-8") == "keep me"


def test_cli_output_cut_short_by_its_reader_is_no_error() -> None:
    """`kg query --list | head -1`: a closed pipe ends the command quietly."""
    closed_stdout = ("import os, sys; r, w = os.pipe(); os.close(r); os.dup2(w, 1); "
                     "from kg.cli import main; sys.exit(main(['query', '--list']))")
    done = subprocess.run([sys.executable, "-c", closed_stdout], capture_output=True, text=True, timeout=120)
    assert done.returncode == 0 and "BrokenPipe" not in done.stderr, done.stderr
