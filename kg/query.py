"""``kg query``: find the query (text, file or canned name), bind its parameters, run it, format the answer.

Canned queries are the ``queries/*.rq`` files: their leading ``#`` comment says what they answer
and ``# param: NAME (KIND)  description`` lines name the parameters they need. KIND ``name`` is a
label: kg query finds it as typed, capitalised, upper or lower case, in French or English, by
index lookups; ``relation`` is a relation's local name (cooperatesWith, holds) or IRI; ``text``
(the default) is bound as given. Parameters are bound as SPARQL substitutions, never pasted
into the query text.
"""

from __future__ import annotations

import json
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from functools import cache
from pathlib import Path

import pyoxigraph as ox

from kg.errors import CoopkgError, QuerySyntaxError
from kg.resources import QUERIES
from kg.store import PREFIX_IRIS, GraphStore, QueryResult, Term, check_query
from kg.vocab import prefixed_name

FORMATS = ("table", "csv", "tsv", "json", "turtle")
DEFAULT_MAX_WIDTH = 60
_PARAM_LINE = re.compile(r"^#\s*param:\s*(\w+)\s*(?:\((\w+)\))?\s*(.*)$")
PARAM_KINDS = ("name", "relation", "text")
NAME_LANGUAGES = ("fr", "en")  # the languages coopkg writes labels in (kg.nlp.SUPPORTED_LANGS)
_BARE_NAME = re.compile(r"^[\w.-]+$")
_PREFIXED = re.compile(r"^([A-Za-z][\w-]*):(\S*)$")


@dataclass(frozen=True)
class Param:
    """A parameter a canned query declares: its variable, kind (name, relation, text) and meaning."""

    name: str
    kind: str
    description: str


@dataclass(frozen=True)
class CannedQuery:
    """A query of ``queries/``: its name (the file stem), text, what it answers and its parameters."""

    name: str
    path: Path
    text: str
    description: str
    params: tuple[Param, ...] = ()


def read_canned(path: Path) -> CannedQuery:
    """Read one ``.rq`` file: the leading comment block is its description and parameter list."""
    text = path.read_text(encoding="utf-8")
    lines: list[str] = []
    params: list[Param] = []
    for line in text.splitlines():
        if not line.startswith("#"):
            break
        m = _PARAM_LINE.match(line)
        if m:
            kind = m.group(2) or "text"
            if kind not in PARAM_KINDS:
                raise CoopkgError(f"{path}: parameter {m.group(1)} has unknown kind {kind!r} "
                                  f"(one of {', '.join(PARAM_KINDS)})")
            params.append(Param(m.group(1), kind, m.group(3).strip()))
        else:
            lines.append(line.lstrip("#").strip())
    return CannedQuery(path.stem, path, text, " ".join(x for x in lines if x), tuple(params))


def canned_queries(folder: Path = QUERIES) -> dict[str, CannedQuery]:
    """Every canned query of ``folder`` by name."""
    return _canned(folder)


@cache
def _canned(folder: Path) -> dict[str, CannedQuery]:
    return {p.stem: read_canned(p) for p in sorted(folder.glob("*.rq"))}


def find_query(spec: str, folder: Path = QUERIES) -> tuple[str, CannedQuery | None]:
    """The query text ``spec`` names: an existing file, a canned query name, or the text itself."""
    path = Path(spec)
    if len(spec) < 4096 and "\n" not in spec and path.is_file():
        try:
            return path.read_text(encoding="utf-8"), None
        except (OSError, UnicodeDecodeError) as e:
            raise CoopkgError(f"cannot read query file {spec}: {e}") from e
    canned = canned_queries(folder)
    name = spec[:-3] if spec.endswith(".rq") else spec
    if spec.endswith((".rq", ".sparql")) and name not in canned and not any(c.isspace() for c in spec):
        raise CoopkgError(f"no query file {spec} (and no canned query of that name: kg query --list)")
    if name in canned:
        return canned[name].text, canned[name]
    if _BARE_NAME.match(spec):
        raise CoopkgError(f"{spec!r} is neither a file nor a canned query; canned queries: "
                          f"{', '.join(canned) or 'none'} (kg query --list says what each answers)")
    return spec, None


def parse_param(text: str) -> tuple[str, Term]:
    """``NAME=VALUE`` as a binding: <IRI>, http(s)://... or prefix:name is an IRI, anything else a string."""
    name, sep, value = text.partition("=")
    name = name.strip().lstrip("?$")
    if not sep or not re.fullmatch(r"\w+", name):
        raise CoopkgError(f"--param {text!r}: expected NAME=VALUE, e.g. --param label=Europol")
    try:
        if value.startswith("<") and value.endswith(">"):
            return name, ox.NamedNode(value[1:-1])
        if re.fullmatch(r"https?://\S+", value):
            return name, ox.NamedNode(value)
        m = _PREFIXED.match(value)
        if m and m.group(1) in PREFIX_IRIS:
            # "id:org\/europol" as a table prints it: a local name's escapes are dropped
            return name, ox.NamedNode(PREFIX_IRIS[m.group(1)] + re.sub(r"\\(.)", r"\1", m.group(2)))
    except ValueError as e:
        raise CoopkgError(f"--param {name}: {value!r} is not a valid IRI: {e}") from e
    return name, ox.Literal(value)


def check_params(canned: CannedQuery | None, given: Mapping[str, object]) -> None:
    """A canned query gets exactly the parameters it declares."""
    if canned is None:
        return
    declared = [p.name for p in canned.params]
    unknown = [n for n in given if n not in declared]
    if unknown:
        takes = f"it takes {', '.join(declared)}" if declared else "it takes none"
        raise CoopkgError(f"query {canned.name} has no parameter {', '.join(unknown)} ({takes})")
    missing = [p for p in canned.params if p.name not in given]
    if missing:
        need = "; ".join(f"--param {p.name}=VALUE ({p.description})" for p in missing)
        raise CoopkgError(f"query {canned.name} needs {need}")


def name_candidates(text: str) -> list[Term]:
    """The literals a typed name may be stored as: its case variants in each label language, then bare."""
    text = " ".join(text.split())
    title = " ".join(w[:1].upper() + w[1:] for w in text.split(" "))
    forms = list(dict.fromkeys([text, text[:1].upper() + text[1:], title, text.upper(), text.lower()]))
    tagged: list[Term] = [ox.Literal(f, language=lang) for f in forms for lang in NAME_LANGUAGES]
    return tagged + [ox.Literal(f) for f in forms]


def relation_term(value: str) -> Term:
    """A relation given by its local name (cooperatesWith, holds) or as an IRI."""
    from kg.model import RELATION_NAMES

    _, term = parse_param(f"relation={value}")
    if isinstance(term, ox.NamedNode):
        return term
    if value in RELATION_NAMES:
        return ox.NamedNode(PREFIX_IRIS["coop"] + value)
    if value == "holds":
        return ox.NamedNode(PREFIX_IRIS["org"] + "holds")
    raise CoopkgError(f"--param relation: {value!r} is not a relation; use one of "
                      f"{', '.join(RELATION_NAMES)}, holds, or an IRI")


def bind_params(canned: CannedQuery | None, params: Sequence[str]) -> tuple[dict[str, Term], dict[str, list[Term]]]:
    """``NAME=VALUE`` options as bindings, and the candidate literals of each name parameter."""
    raw: dict[str, str] = {}
    for p in params:
        name, sep, value = p.partition("=")
        name = name.strip().lstrip("?$")
        if not sep or not re.fullmatch(r"\w+", name):
            raise CoopkgError(f"--param {p!r}: expected NAME=VALUE, e.g. --param label=Europol")
        raw[name] = value
    check_params(canned, raw)
    kinds = {p.name: p.kind for p in canned.params} if canned else {}
    bindings: dict[str, Term] = {}
    names: dict[str, list[Term]] = {}
    for name, value in raw.items():
        kind = kinds.get(name, "text")
        if kind == "name":
            if isinstance(parse_param(f"{name}={value}")[1], ox.NamedNode):
                raise CoopkgError(f"--param {name} is a name (e.g. Europol), not an IRI")
            names[name] = name_candidates(value)
        elif kind == "relation":
            bindings[name] = relation_term(value)
        else:
            bindings[name] = parse_param(f"{name}={value}")[1]
    return bindings, names


def with_context(err: QuerySyntaxError, text: str) -> QuerySyntaxError:
    """The same error, with the offending line of the query and a caret under the column."""
    if err.line is None or err.column is None:
        return err
    lines = text.splitlines()
    if not 1 <= err.line <= len(lines):
        return err
    src = lines[err.line - 1]
    gutter = f"{err.line:>4} | "
    caret = " " * (len(gutter) - 2) + "| " + " " * max(err.column - 1, 0) + "^"
    return QuerySyntaxError(f"{err.detail}\n{gutter}{src}\n{caret}", err.line, err.column)


def run_query(store: GraphStore, text: str, bindings: Mapping[str, Term] | None = None,
              timeout: float | None = None, names: Mapping[str, Sequence[Term]] | None = None) -> QueryResult:
    """Check the syntax (the query is not run if it is wrong), then run it with its bindings."""
    try:
        check_query(text, PREFIX_IRIS)
        return store.query(text, bindings, timeout, names=names)
    except QuerySyntaxError as e:
        raise with_context(e, text) from None


def compact(term: Term | None, max_width: int = 0) -> str:
    """A term as a person reads it: prefixed IRI, literal's text; cut to ``max_width`` (0: no limit)."""
    if term is None:
        out = ""
    elif isinstance(term, ox.NamedNode):
        out = prefixed_name(term.value) or f"<{term.value}>"
    elif isinstance(term, ox.Literal):
        out = " ".join(term.value.split()) if any(c in term.value for c in "\n\r\t") else term.value
    elif isinstance(term, ox.BlankNode):
        out = f"_:{term.value}"
    else:
        out = str(term)
    if max_width and len(out) > max_width:
        out = out[: max_width - 1] + "…"
    return out


def to_table(result: QueryResult, max_width: int = DEFAULT_MAX_WIDTH) -> str:
    """Solutions as an aligned text table with a row count."""
    if result.kind == "boolean":
        return "true" if result.boolean else "false"
    header = list(result.variables)
    cells = [[compact(t, max_width) for t in row] for row in result.rows]
    widths = [max([len(h), *(len(r[i]) for r in cells)]) for i, h in enumerate(header)]
    lines = ["  ".join(h.ljust(w) for h, w in zip(header, widths, strict=True)).rstrip(),
             "  ".join("-" * w for w in widths)]
    lines += ["  ".join(c.ljust(w) for c, w in zip(r, widths, strict=True)).rstrip() for r in cells]
    n = len(result.rows)
    lines.append(f"({n} row{'' if n == 1 else 's'}, {result.seconds:.3f} s)")
    return "\n".join(lines)


def _json_term(term: Term) -> dict[str, object]:
    if isinstance(term, ox.NamedNode):
        return {"type": "uri", "value": term.value}
    if isinstance(term, ox.BlankNode):
        return {"type": "bnode", "value": term.value}
    if isinstance(term, ox.Literal):
        out: dict[str, object] = {"type": "literal", "value": term.value}
        if term.language:
            out["xml:lang"] = term.language
        elif term.datatype.value != "http://www.w3.org/2001/XMLSchema#string":
            out["datatype"] = term.datatype.value
        return out
    return {"type": "triple", "value": {"subject": _json_term(term.subject),
                                        "predicate": _json_term(term.predicate),
                                        "object": _json_term(term.object)}}


def to_json(result: QueryResult) -> str:
    """SPARQL 1.1 Query Results JSON."""
    if result.kind == "boolean":
        return json.dumps({"head": {}, "boolean": bool(result.boolean)})
    bindings = [{v: _json_term(t) for v, t in zip(result.variables, row, strict=True) if t is not None}
                for row in result.rows]
    return json.dumps({"head": {"vars": result.variables}, "results": {"bindings": bindings}},
                      ensure_ascii=False, indent=1)


def _via_oxigraph(result: QueryResult, fmt: ox.QueryResultsFormat) -> str:
    """CSV or TSV written by Oxigraph's own serialiser (from the JSON form)."""
    if result.kind == "boolean":
        return "true\n" if result.boolean else "false\n"
    parsed = ox.parse_query_results(to_json(result), format=ox.QueryResultsFormat.JSON)
    return (parsed.serialize(format=fmt) or b"").decode("utf-8")


def to_turtle(result: QueryResult) -> str:
    """CONSTRUCT/DESCRIBE triples as Turtle with coopkg's prefixes."""
    return (ox.serialize(result.triples, format=ox.RdfFormat.TURTLE, prefixes=PREFIX_IRIS) or b"").decode()


def format_result(result: QueryResult, fmt: str | None = None, max_width: int = DEFAULT_MAX_WIDTH) -> str:
    """The answer as text: table (default for SELECT/ASK), csv, tsv, json, or turtle (CONSTRUCT/DESCRIBE)."""
    if result.kind == "graph":
        if fmt not in (None, "turtle", "table"):
            raise CoopkgError(f"--format {fmt} is for SELECT and ASK results; CONSTRUCT and DESCRIBE "
                              "results are written as Turtle (--format turtle)")
        return to_turtle(result)
    fmt = fmt or "table"
    if fmt == "turtle":
        raise CoopkgError("--format turtle is for CONSTRUCT and DESCRIBE results; for SELECT use "
                          "table, csv, tsv or json")
    if fmt == "json":
        return to_json(result) + "\n"
    if fmt == "csv":
        return _via_oxigraph(result, ox.QueryResultsFormat.CSV)
    if fmt == "tsv":
        return _via_oxigraph(result, ox.QueryResultsFormat.TSV)
    return to_table(result, max_width) + "\n"


def describe_canned(folder: Path = QUERIES) -> str:
    """The canned queries, one paragraph each, for ``kg query --list``."""
    out = []
    for q in canned_queries(folder).values():
        params = "".join(f"\n    --param {p.name}=VALUE  ({p.kind}) {p.description}" for p in q.params)
        out.append(f"{q.name}\n    {q.description}{params}")
    return "\n".join(out) + "\n"


def query_store(store_path: str | Path, spec: str, params: Sequence[str] = (), fmt: str | None = None,
                timeout: float | None = None, max_width: int = DEFAULT_MAX_WIDTH) -> tuple[str, QueryResult, list[str]]:
    """The whole ``kg query``: find the query, bind its parameters, run it read-only, format the answer.

    Returns the text, the result, and hints for the terminal (names no label matched).
    """
    text, canned = find_query(spec)
    bindings, names = bind_params(canned, params)
    with GraphStore(store_path, read_only=True) as store:
        result = run_query(store, text, bindings, timeout, names)
    hints = [f"--param {n}: no label in the store is {ts[0]!s}, as typed, capitalised, in upper or "
             "lower case" for n, ts in names.items() if n not in result.bound]
    return format_result(result, fmt, max_width), result, hints
