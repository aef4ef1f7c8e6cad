"""Compiled regular expressions kept on disk between runs.

Importing spaCy's French language compiles its ``TOKEN_MATCH``, a 1.4 MB regular expression:
4 to 5 seconds of pure Python, half of a build's start-up, paid again by every build. Python
cannot save a compiled expression, but what ``re`` compiles a pattern into is a list of
integers, which ``_sre.compile`` turns back into the same expression in milliseconds. While
:func:`reusing_compiled_patterns` is active, compiling a long pattern saves that list in a
cache folder the first time and reads it back every later time.

A cache file names the Python, the ``re`` engine and the pattern it was made for, and holds
a hash of its code: a file made elsewhere, damaged or truncated is ignored and written again,
and ``_sre.compile`` checks the code itself. Anything unexpected (another Python whose ``re``
internals differ, a read-only cache folder) falls back to compiling as usual: the cache can
only ever save time.
"""

from __future__ import annotations

import array
import contextlib
import hashlib
import json
import os
import re
import sys
import tempfile
from collections.abc import Iterator
from pathlib import Path
from typing import Any

try:
    import _sre
    from re import _compiler, _parser  # type: ignore[attr-defined]
except ImportError:  # pragma: no cover - another Python's re
    _sre = _compiler = _parser = None

MIN_PATTERN_CHARS = 100_000  # shorter patterns compile in milliseconds: not worth a file
CACHE_ENV = "COOPKG_CACHE_DIR"  # where the cache lives; set to "" to turn it off


def default_cache_dir() -> Path | None:
    """``$COOPKG_CACHE_DIR`` (None when set empty), else ``$XDG_CACHE_HOME/coopkg`` or ``~/.cache/coopkg``."""
    if CACHE_ENV in os.environ:
        value = os.environ[CACHE_ENV]
        return Path(value) if value else None
    base = os.environ.get("XDG_CACHE_HOME") or os.path.join(os.path.expanduser("~"), ".cache")
    return Path(base) / "coopkg"


def _engine_tag() -> str:
    return f"{sys.implementation.cache_tag}-sre{_sre.MAGIC}-{_sre.CODESIZE}"


def _cache_file(folder: Path, pattern: str, flags: int) -> Path:
    digest = hashlib.sha256(f"{flags}\0{pattern}".encode("utf-8", "surrogatepass")).hexdigest()[:32]
    return folder / f"re-{_engine_tag()}-{digest}.bin"


def _code_type() -> str:
    return "I" if array.array("I").itemsize == _sre.CODESIZE else "L"


def _read(path: Path, pattern: str, flags: int) -> re.Pattern[str] | None:
    """The expression saved in ``path`` for ``pattern``, or None if there is none or it is not right."""
    try:
        data = path.read_bytes()
        header, code_bytes = data.split(b"\n", 1)
        meta = json.loads(header)
        if (meta.get("engine") != _engine_tag() or meta.get("flags") != flags
                or meta.get("pattern_sha256") != hashlib.sha256(pattern.encode("utf-8", "surrogatepass")).hexdigest()
                or meta.get("code_sha256") != hashlib.sha256(code_bytes).hexdigest()):
            return None
        code = array.array(_code_type())
        code.frombytes(code_bytes)
        indexgroup = tuple(meta["indexgroup"])
        return _sre.compile(pattern, meta["final_flags"], code.tolist(), meta["groups"] - 1,
                            meta["groupindex"], indexgroup)
    except (OSError, ValueError, KeyError, TypeError, RuntimeError):
        return None


def _compile_and_save(path: Path, pattern: str, flags: int) -> re.Pattern[str]:
    """Compile as ``re._compiler.compile`` does, keeping the code, and save it in ``path``."""
    parsed = _parser.parse(pattern, flags)
    code = _compiler._code(parsed, flags)
    groupindex = parsed.state.groupdict
    indexgroup: list[str | None] = [None] * parsed.state.groups
    for name, index in groupindex.items():
        indexgroup[index] = name
    final_flags = flags | parsed.state.flags
    compiled: re.Pattern[str] = _sre.compile(pattern, final_flags, code, parsed.state.groups - 1,
                                              groupindex, tuple(indexgroup))
    code_bytes = array.array(_code_type(), code).tobytes()
    meta = {"engine": _engine_tag(), "flags": flags, "final_flags": final_flags,
            "groups": parsed.state.groups, "groupindex": dict(groupindex), "indexgroup": indexgroup,
            "pattern_sha256": hashlib.sha256(pattern.encode("utf-8", "surrogatepass")).hexdigest(),
            "code_sha256": hashlib.sha256(code_bytes).hexdigest()}
    with contextlib.suppress(OSError):
        path.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(prefix=".tmp-", dir=path.parent)
        try:
            with os.fdopen(fd, "wb") as f:
                f.write(json.dumps(meta).encode() + b"\n" + code_bytes)
            os.replace(tmp, path)  # whole or not at all, whoever else writes it at the same time
        except BaseException:
            with contextlib.suppress(OSError):
                os.unlink(tmp)
            raise
    return compiled


@contextlib.contextmanager
def reusing_compiled_patterns(folder: Path | None = None) -> Iterator[None]:
    """While active, patterns of MIN_PATTERN_CHARS or more compile from (and into) ``folder``'s cache.

    ``folder`` defaults to :func:`default_cache_dir`; None there turns the cache off.
    """
    folder = folder if folder is not None else default_cache_dir()
    if folder is None or _sre is None or not hasattr(_compiler, "_code") or not hasattr(_compiler, "compile"):
        yield
        return
    original = _compiler.compile

    def compile_cached(p: Any, flags: int = 0) -> Any:
        if not isinstance(p, str) or len(p) < MIN_PATTERN_CHARS:
            return original(p, flags)
        path = _cache_file(folder, p, flags)
        found = _read(path, p, flags)
        if found is not None:
            return found
        try:
            return _compile_and_save(path, p, flags)
        except (AttributeError, TypeError, RuntimeError):  # re's internals are not what this expects
            return original(p, flags)

    _compiler.compile = compile_cached
    try:
        yield
    finally:
        _compiler.compile = original
