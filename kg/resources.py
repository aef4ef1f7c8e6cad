"""Where coopkg's knowledge files live (``data/`` and ``ontology/`` beside the package)."""

from __future__ import annotations

import json
import os
from collections.abc import Iterator
from functools import cache
from pathlib import Path
from typing import Any

ROOT = Path(os.environ.get("COOPKG_HOME", Path(__file__).resolve().parent.parent))
DATA = ROOT / "data"
ONTOLOGY = ROOT / "ontology"
QUERIES = ROOT / "queries"


def read_jsonl(path: Path) -> Iterator[dict[str, Any]]:
    """Yield the JSON objects of a JSONL file, skipping blank and ``//`` comment lines."""
    with path.open(encoding="utf-8") as fh:
        for line in fh:
            line = line.strip()
            if line and not line.startswith("//"):
                yield json.loads(line)


@cache
def load_json(relpath: str) -> Any:
    """Load a JSON file under ``data/`` once per process."""
    with (DATA / relpath).open(encoding="utf-8") as fh:
        return json.load(fh)
