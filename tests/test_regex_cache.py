"""The on-disk cache of compiled regular expressions (spaCy's French TOKEN_MATCH takes 4-5 s to compile)."""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

from kg import regex_cache
from kg.regex_cache import default_cache_dir, reusing_compiled_patterns

# named and numbered groups, classes, case folding, anchors: what the code of a pattern must keep
WORDS = ["anti-inflammatoire", "porte-monnaie", "ENTR'ABAT", "faux-Vampire", "bonjour", "l'air", "saut-de-ski",
         "Grand-Mère", "x", "", "é-è", "anti-", "contre-attaque\n", "ÉTAT-MAJOR"]
PATTERN = ("(?iu)" + "|".join(f"(?:^{p}[-–][a-zàâçéèêëîïôûù][-a-zàâçéèêëîïôûù']*$)"
                              for p in ("anti", "porte", "faux", "grand", "contre", "état", "é"))
           + r"|(?P<elided>^entr'[a-z]+$)|(^[a-z]+-de-[a-z]+$)")


@pytest.fixture
def small_threshold(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(regex_cache, "MIN_PATTERN_CHARS", 50)


def _fresh(pattern: str) -> re.Pattern[str]:
    re.purge()  # re keeps compiled patterns in memory: go to the compiler (and the cache) again
    return re.compile(pattern)


def _same(a: re.Pattern[str], b: re.Pattern[str]) -> None:
    assert (a.pattern, a.flags, a.groups, a.groupindex) == (b.pattern, b.flags, b.groups, b.groupindex)
    for word in WORDS:
        ma, mb = a.match(word), b.match(word)
        assert (ma and (ma.span(), ma.groups(), ma.groupdict())) == (mb and (mb.span(), mb.groups(), mb.groupdict()))


def test_regex_cache_second_compile_reads_the_code_back(tmp_path: Path, small_threshold: None,
                                                        monkeypatch: pytest.MonkeyPatch) -> None:
    expected = _fresh(PATTERN)
    with reusing_compiled_patterns(tmp_path):
        first = _fresh(PATTERN)
    files = list(tmp_path.glob("re-*.bin"))
    assert len(files) == 1
    _same(first, expected)

    def no_parsing(*args: object) -> None:
        raise AssertionError("the pattern was parsed again")

    with reusing_compiled_patterns(tmp_path):
        monkeypatch.setattr(regex_cache._parser, "parse", no_parsing)
        second = _fresh(PATTERN)
    _same(second, expected)


@pytest.mark.parametrize("damage", ["truncate", "flip_code", "bad_header", "empty", "other_pattern"])
def test_regex_cache_damaged_file_is_ignored_and_written_again(tmp_path: Path, small_threshold: None,
                                                               damage: str) -> None:
    expected = _fresh(PATTERN)
    with reusing_compiled_patterns(tmp_path):
        _fresh(PATTERN)
    [path] = tmp_path.glob("re-*.bin")
    good = path.read_bytes()
    header, code = good.split(b"\n", 1)
    damaged = {"truncate": good[: len(good) - 7],
               "flip_code": header + b"\n" + code[:40] + bytes([code[40] ^ 0x01]) + code[41:],
               "bad_header": b"{not json\n" + code,
               "empty": b"",
               "other_pattern": header.replace(b'"pattern_sha256": "', b'"pattern_sha256": "0') + b"\n" + code}[damage]
    path.write_bytes(damaged)
    with reusing_compiled_patterns(tmp_path):
        again = _fresh(PATTERN)
    _same(again, expected)
    assert path.read_bytes() == good


def test_regex_cache_short_patterns_and_other_calls_are_left_to_re(tmp_path: Path) -> None:
    compile_before = regex_cache._compiler.compile
    with reusing_compiled_patterns(tmp_path):
        _same(_fresh(PATTERN), _fresh(PATTERN))  # shorter than MIN_PATTERN_CHARS
        assert re.compile(rb"bytes+").match(b"bytesss")
        with pytest.raises(re.error):
            re.compile("(unbalanced")
    assert regex_cache._compiler.compile is compile_before
    assert not list(tmp_path.iterdir())


def test_regex_cache_invalid_long_pattern_raises_as_re_does(tmp_path: Path, small_threshold: None) -> None:
    with reusing_compiled_patterns(tmp_path), pytest.raises(re.error):
        _fresh(PATTERN + "|(unbalanced")
    assert not list(tmp_path.glob("re-*"))


def test_regex_cache_folder_that_cannot_be_written_only_costs_time(tmp_path: Path, small_threshold: None) -> None:
    blocked = tmp_path / "file"
    blocked.write_text("a file where the cache folder would be")
    with reusing_compiled_patterns(blocked / "cache"):
        _same(_fresh(PATTERN), re.compile(PATTERN))
    assert blocked.read_text().startswith("a file")


def test_regex_cache_restores_re_after_an_error(tmp_path: Path) -> None:
    compile_before = regex_cache._compiler.compile
    with pytest.raises(KeyError), reusing_compiled_patterns(tmp_path):
        raise KeyError("boom")
    assert regex_cache._compiler.compile is compile_before


@pytest.mark.parametrize(("env", "expected"), [
    ({"COOPKG_CACHE_DIR": "/somewhere/else"}, Path("/somewhere/else")),
    ({"COOPKG_CACHE_DIR": ""}, None),
    ({"XDG_CACHE_HOME": "/xdg"}, Path("/xdg/coopkg")),
    ({"HOME": "/home/analyst"}, Path("/home/analyst/.cache/coopkg")),
])
def test_regex_cache_default_folder(monkeypatch: pytest.MonkeyPatch, env: dict[str, str],
                                    expected: Path | None) -> None:
    for name in ("COOPKG_CACHE_DIR", "XDG_CACHE_HOME"):
        monkeypatch.delenv(name, raising=False)
    for name, value in env.items():
        monkeypatch.setenv(name, value)
    assert default_cache_dir() == expected


def test_regex_cache_turned_off_writes_nothing(tmp_path: Path, small_threshold: None,
                                               monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("COOPKG_CACHE_DIR", "")
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path))
    with reusing_compiled_patterns():
        _same(_fresh(PATTERN), re.compile(PATTERN))
    assert not list(tmp_path.rglob("*"))


LOAD_AND_TOKENIZE = """
import json, sys
from kg.nlp import load_pipeline
nlp = load_pipeline("fr").nlp
print(json.dumps([t.text for t in nlp.make_doc("Un porte-monnaie anti-inflammatoire, entr'abat et saut-de-ski.")]))
"""


def test_regex_cache_french_pipeline_loads_its_token_match_from_the_cache(tmp_path: Path) -> None:
    env = {**os.environ, "COOPKG_CACHE_DIR": str(tmp_path / "cache")}

    def tokens() -> list[str]:
        done = subprocess.run([sys.executable, "-c", LOAD_AND_TOKENIZE], env=env, capture_output=True, text=True,
                              check=True)
        return list(json.loads(done.stdout))

    first = tokens()
    [saved] = (tmp_path / "cache").glob("re-*.bin")  # spaCy's French TOKEN_MATCH, compiled once
    stamp = saved.stat().st_mtime_ns
    assert tokens() == first
    assert saved.stat().st_mtime_ns == stamp  # read back, not compiled and written again
    assert "porte-monnaie" in first and "saut-de-ski" in first  # what TOKEN_MATCH keeps whole
