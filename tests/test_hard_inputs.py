"""Hard inputs in one folder: each is named with its reason (and line), the rest is still built."""

from __future__ import annotations

import contextlib
import io
import json
from pathlib import Path

import pytest
from rdflib import Dataset

from kg.cli import main
from kg.sources import MAX_ARTICLE_CHARS, read_articles

GOOD_FR = ("12 mars 2024\n\nEuropol et Eurojust renforcent leur coopération\n\n"
           "LA HAYE (Pays-Bas) – Europol coopère étroitement avec Eurojust dans la lutte contre le trafic de "
           "drogue. Les deux agences ont signé un accord de coopération à La Haye le 12 mars 2024.\n")
CP1252_FR = ("Le directeur d’Europol a rencontré les représentants d’Eurojust à Bruxelles. "
             "Europol coopère étroitement avec Eurojust depuis 2019 dans la lutte contre la criminalité "
             "organisée et le trafic de migrants.\n")
GERMAN = ("Das Bundeskriminalamt und die Polizei haben heute in Wiesbaden eine gemeinsame Erklärung "
          "unterzeichnet. Die Zusammenarbeit bei der Bekämpfung der organisierten Kriminalität wird "
          "weiter verstärkt, teilte das Ministerium mit.\n")
NAV_ONLY = ("<html><head><title>Accueil</title></head><body><nav><ul><li><a href='/'>Accueil</a></li>"
            "<li><a href='/presse'>Presse</a></li></ul></nav><footer>Imprimer | Partager</footer></body></html>")


def _write_inputs(folder: Path) -> None:
    folder.mkdir()
    (folder / "ok.txt").write_text(GOOD_FR, encoding="utf-8")
    (folder / "empty.txt").write_bytes(b"")
    (folder / "blank.md").write_bytes(b" \n\n\t\n")
    (folder / "binary.txt").write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(range(256)) * 40)
    (folder / "windows.txt").write_bytes(CP1252_FR.encode("cp1252"))
    (folder / "german.txt").write_text(GERMAN, encoding="utf-8")
    (folder / "menu.html").write_text(NAV_ONLY, encoding="utf-8")
    (folder / "rules.txt").write_text("| | |\n----\n", encoding="utf-8")
    good = json.dumps({"id": "line-one", "text": GOOD_FR.replace("12 mars", "13 mars")}, ensure_ascii=False)
    (folder / "feed.jsonl").write_text(
        f'{good}\n{{"id": "broken", "text": "Europol\n["not an object"]\n{{"id": "x", "title": "no text"}}\n',
        encoding="utf-8")
    with (folder / "huge.txt").open("wb") as fh:  # 50 MB: refused by its size, never read
        fh.write(b"Europol coopere avec Eurojust. " * (50_000_000 // 31))
    # 1.2 million characters: read (under MAX_ARTICLE_CHARS) but more than spaCy takes (nlp.max_length)
    (folder / "long.txt").write_text("Europol coopère avec Eurojust. " * 40_000, encoding="utf-8")
    # a JSONL line of 9 MB (more bytes than any article may hold) between two good lines
    big = json.dumps({"id": "big", "text": "Europol " * (9_000_000 // 8)})
    after = json.dumps({"id": "after-big", "text": GOOD_FR.replace("12 mars", "14 mars")}, ensure_ascii=False)
    (folder / "dump.jsonl").write_text(f"{big}\n{after}\n", encoding="utf-8")


@pytest.fixture(scope="module")
def hard_build(tmp_path_factory: pytest.TempPathFactory) -> tuple[int, str, str, Path]:
    """One ``kg build`` of a folder holding every hard input and a few good articles."""
    root = tmp_path_factory.mktemp("hard")
    _write_inputs(root / "in")
    out, err = io.StringIO(), io.StringIO()
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        code = main(["build", str(root / "in"), "-o", str(root / "out"), "--no-store", "-j", "1"])
    return code, out.getvalue(), err.getvalue(), root / "out"


def _skipped(summary: str, name: str) -> str:
    """The summary's skipped line for a file (fails when there is none)."""
    lines = [ln for ln in summary.splitlines() if ln.startswith("skipped") and name in ln]
    assert lines, f"{name} is not listed as skipped:\n{summary}"
    return lines[0]


def _built_ids(out: Path) -> set[str]:
    ds = Dataset().parse(out / "graph.trig", format="trig")
    return {str(g.identifier).rsplit("/", 1)[-1] for g in ds.graphs() if len(g)}


def test_hard_inputs_the_rest_is_built_and_exit_code_is_1(hard_build: tuple[int, str, str, Path]) -> None:
    code, summary, err, out = hard_build
    assert code == 1
    assert "Traceback" not in summary + err
    assert _built_ids(out) == {"ok", "windows", "line-one", "after-big"}


def test_hard_inputs_empty_file(hard_build: tuple[int, str, str, Path]) -> None:
    assert "empty file" in _skipped(hard_build[1], "empty.txt")
    assert "empty file" in _skipped(hard_build[1], "blank.md")


def test_hard_inputs_binary_file(hard_build: tuple[int, str, str, Path]) -> None:
    assert "binary file, not text" in _skipped(hard_build[1], "binary.txt")


def test_hard_inputs_other_encoding_is_decoded_and_said(hard_build: tuple[int, str, str, Path]) -> None:
    summary = hard_build[1]
    assert not [ln for ln in summary.splitlines() if ln.startswith("skipped") and "windows.txt" in ln]
    assert any(ln.startswith("warning") and "windows.txt: decoded as cp1252" in ln for ln in summary.splitlines())
    quotes = (hard_build[3] / "graph.ttl").read_text(encoding="utf-8")
    assert "Le directeur d’Europol" in quotes  # the cp1252 apostrophe came through as ’


def test_hard_inputs_latin1_when_cp1252_fails(tmp_path: Path) -> None:
    raw = CP1252_FR.replace("’", "'").encode("latin-1") + b"\x81"  # 0x81: not a cp1252 character
    (tmp_path / "old.txt").write_bytes(raw)
    (art,) = read_articles([tmp_path / "old.txt"])
    assert not isinstance(art, Exception) and art.warnings[0] == "decoded as latin-1"


def test_hard_inputs_malformed_jsonl_lines_are_named_with_their_line(hard_build: tuple[int, str, str, Path]) -> None:
    summary = hard_build[1]
    assert "invalid JSON" in _skipped(summary, "feed.jsonl:2")
    assert "not a JSON object" in _skipped(summary, "feed.jsonl:3")
    assert 'missing or empty "text"' in _skipped(summary, "feed.jsonl:4")


def test_hard_inputs_html_page_without_article_text(hard_build: tuple[int, str, str, Path]) -> None:
    assert "no article text found in the HTML page" in _skipped(hard_build[1], "menu.html")


def test_hard_inputs_language_without_a_pipeline(hard_build: tuple[int, str, str, Path]) -> None:
    line = _skipped(hard_build[1], "german.txt")
    assert "language 'de' is not supported" in line and "fr, en" in line and "--lang" in line


def test_hard_inputs_text_without_words(hard_build: tuple[int, str, str, Path]) -> None:
    assert "no article text found (no language could be told)" in _skipped(hard_build[1], "rules.txt")


@pytest.mark.parametrize(("given", "expected"), [(None, "nl"), ("en", "en")])
def test_hard_inputs_language_can_be_given_for_files(tmp_path: Path, given: str | None, expected: str) -> None:
    """A short text py3langid tells wrong is read in the language --lang gives; a JSONL line's own wins."""
    (tmp_path / "short.txt").write_text("Europol met Frontex.\n", encoding="utf-8")
    (tmp_path / "feed.jsonl").write_text(json.dumps({"id": "f", "lang": "fr", "text": "Europol a rencontré Frontex."})
                                         + "\n", encoding="utf-8")
    langs = {a.id: a.lang for a in read_articles([tmp_path], lang=given) if not isinstance(a, Exception)}
    assert langs == {"short": expected, "f": "fr"}


def test_hard_inputs_50_mb_text_is_refused_with_the_limit(hard_build: tuple[int, str, str, Path]) -> None:
    line = _skipped(hard_build[1], "huge.txt")
    assert f"MAX_ARTICLE_CHARS = {MAX_ARTICLE_CHARS:,} characters" in line


def test_hard_inputs_text_longer_than_spacy_takes_is_refused_with_the_limit(
        hard_build: tuple[int, str, str, Path]) -> None:
    line = _skipped(hard_build[1], "long.txt")
    assert "text too long for spaCy (1,240,000 characters)" in line and "nlp.max_length = 1,000,000" in line


def test_hard_inputs_huge_jsonl_line_is_refused_and_the_next_is_read(hard_build: tuple[int, str, str, Path]) -> None:
    line = _skipped(hard_build[1], "dump.jsonl:1")
    assert "text too long" in line and "MAX_ARTICLE_CHARS" in line
    assert "after-big" in _built_ids(hard_build[3])


def test_hard_inputs_summary_without_skips_exits_0(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    (tmp_path / "in").mkdir()
    (tmp_path / "in" / "windows.txt").write_bytes(CP1252_FR.encode("cp1252"))
    assert main(["build", str(tmp_path / "in"), "-o", str(tmp_path / "out"), "--no-store", "-q"]) == 0
    assert capsys.readouterr().err == ""  # quiet: a warning is no problem, no progress either


def test_hard_inputs_broken_link_and_fifo_in_a_folder_are_named(tmp_path: Path) -> None:
    import os

    (tmp_path / "good.txt").write_text("Europol et INTERPOL ont signé un accord.", encoding="utf-8")
    (tmp_path / "gone.txt").symlink_to(tmp_path / "nowhere.txt")
    os.mkfifo(tmp_path / "pipe.txt")  # opening it would block the build
    os.mkfifo(tmp_path / "pipe.bin")  # not named like an article: not ours to mention
    found = list(read_articles([tmp_path]))
    errors = {Path(e.source).name: str(e) for e in found if not hasattr(e, "text")}
    assert set(errors) == {"gone.txt", "pipe.txt"}
    assert "broken symbolic link" in errors["gone.txt"] and "not a regular file" in errors["pipe.txt"]
    assert [a.source for a in found if hasattr(a, "text")] == [str(tmp_path / "good.txt")]


def test_hard_inputs_missing_input_leaves_no_output_folder(tmp_path: Path,
                                                            capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["build", str(tmp_path / "missing"), "-o", str(tmp_path / "out"), "--no-store", "-q"]) == 2
    assert "no such file or directory" in capsys.readouterr().err
    assert not (tmp_path / "out").exists()
    (tmp_path / "kept").mkdir()  # a folder that was there before stays
    assert main(["build", str(tmp_path / "missing"), "-o", str(tmp_path / "kept"), "--no-store", "-q"]) == 2
    assert (tmp_path / "kept").is_dir()
