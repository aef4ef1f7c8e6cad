"""Triggers: the shipped trigger files load, and a line with a key no rule reads is refused."""

from __future__ import annotations

from pathlib import Path

import pytest

from kg.errors import CoopkgError
from kg.resources import DATA
from kg.triggers import read_triggers


def test_triggers_a_key_no_rule_reads_is_an_error(tmp_path: Path) -> None:
    path = tmp_path / "triggers.xx.jsonl"
    path.write_text('{"id": "xx-meet", "phrase": "meet", "relation": "cooperatesWith", "adjacent_subjet": true}\n')
    with pytest.raises(CoopkgError, match=r"xx-meet.*unknown key adjacent_subjet"):
        read_triggers(path)


@pytest.mark.parametrize("lang", ["fr", "en"])
def test_triggers_every_shipped_line_has_known_keys(lang: str) -> None:
    assert read_triggers(DATA / "lexicons" / f"triggers.{lang}.jsonl")


@pytest.mark.parametrize("lang", ["fr", "en"])
def test_triggers_every_phrase_word_is_one_token(lang: str) -> None:
    """A phrase matches token by token: a word the tokenizer splits ("co-fund" in English) never matches."""
    from kg.nlp import load_pipeline

    tokenizer = load_pipeline(lang).nlp.tokenizer
    split = sorted({f"{t.id}: {w}" for t in read_triggers(DATA / "lexicons" / f"triggers.{lang}.jsonl")
                    for w in t.words if not w.endswith("'") and len(tokenizer(w)) > 1})  # "l'" is matched as a prefix
    assert not split, split
