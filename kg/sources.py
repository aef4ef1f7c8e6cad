"""First pipeline stage: read input files (.txt, .md, .html, .jsonl) into ``Article`` records.

``read_articles`` walks files and folders and yields one ``Article`` per article, or an
``InputError`` for an input that cannot be read (reading goes on with the rest).
``parse_article`` finds the layout of a press release: page furniture, date line, title,
dateline ("BRUXELLES (Belgique) –") and body. Offsets always count in ``Article.text``,
which is never stripped or normalised.
"""

from __future__ import annotations

import contextlib
import dataclasses
import hashlib
import json
import os
import re
import unicodedata
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from datetime import date as Date
from datetime import datetime
from functools import cache, lru_cache
from pathlib import Path
from typing import IO, Any

from kg.errors import InputError
from kg.gazetteer import lexicon, word_alternation
from kg.model import Article, Span
from kg.resources import load_json

MAX_ARTICLE_CHARS = 2_000_000
TEXT_SUFFIXES: tuple[str, ...] = (".txt", ".text", ".md", ".markdown")
HTML_SUFFIXES: tuple[str, ...] = (".html", ".htm")
JSONL_SUFFIXES: tuple[str, ...] = (".jsonl",)
SUPPORTED_SUFFIXES: tuple[str, ...] = TEXT_SUFFIXES + HTML_SUFFIXES + JSONL_SUFFIXES
GOLD_SUFFIX = ".gold.json"
NO_LANGUAGE = "zxx"  # ISO 639's "no linguistic content": what detect_language says of a text without words
# a corpus folder's own documents, never articles (when named on the command line, they are read)
FOLDER_DOCUMENTS = frozenset({"readme", "license", "licence", "changelog", "contributing", "copying", "notice"})

_MAX_FILE_BYTES = 4 * MAX_ARTICLE_CHARS  # any decoding of more bytes gives more than the limit
_MAX_HTML_BYTES = 50_000_000
_MAX_TOP_LINES = 40  # furniture, date and title lines are looked for among these
_MAX_DATE_LINE = 40  # longer lines are never taken as a date line
_CLOSING_LINES = 3  # a page with no date at its top may give it in one of its last lines
_MAX_FURNITURE_LINE = 100
_MAX_TITLE_CHARS = 300
_MAX_TITLE_WORDS = 50
_MAX_DATELINE_PLACE_WORDS = 5
_BINARY_CONTROL_RATIO = 0.10
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0e-\x1f\x7f-\x9f]")  # control chars except \t \n \f \r

_MONTHS = (
    r"janv(?:ier|\.)?|f[ée]vr(?:ier|\.)?|mars|avr(?:il|\.)?|mai|juin|juil(?:let|\.)?|ao[uû]t"
    r"|sept(?:embre|\.)?|oct(?:obre|\.)?|nov(?:embre|\.)?|d[ée]c(?:embre|\.)?"
    r"|jan(?:uary|\.)?|feb(?:ruary|\.)?|mar(?:ch|\.)?|apr(?:il|\.)?|may|june?|july?|aug(?:ust|\.)?"
    r"|sep(?:t|tember|\.)?|october|november|december"
)
_WEEKDAYS = (
    r"lundi|mardi|mercredi|jeudi|vendredi|samedi|dimanche"
    r"|monday|tuesday|wednesday|thursday|friday|saturday|sunday"
)
_DATE_PATTERN = (
    rf"(?:(?:{_WEEKDAYS}),?\s+)?"
    rf"(?:\d{{1,2}}(?:er|st|nd|rd|th)?\s+(?:{_MONTHS})\s+\d{{4}}"
    rf"|(?:{_MONTHS})\s+\d{{1,2}}(?:st|nd|rd|th)?,?\s+\d{{4}}"
    r"|\d{1,2}[./]\d{1,2}[./]\d{4}|\d{4}-\d{2}-\d{2})"
)
# a date ending a dateline's head: "VIENNA, 12 May 2023", "Paris, le 3 mars 2022"
_DATELINE_DATE = re.compile(rf"(?:,\s*|\s+)(?:(?:le|on)\s+)?(?P<date>{_DATE_PATTERN})\s*$", re.I)
# or in parentheses: "Suva, Fiji (19 September 2024) –"
_DATELINE_PAREN_DATE = re.compile(rf"\s*\(\s*(?P<date>{_DATE_PATTERN})\s*\)\s*$", re.I)
# the dash that ends a dateline: an en/em dash, or a hyphen with spaces around it
_DATELINE_DASH = re.compile(r"\s*[–—]\s*|\s+-{1,2}\s+|\s*--\s*")
_DATELINE_PAREN = re.compile(r"(?P<main>[^()]+?)(?:\s*\((?P<paren>[^()]{1,40})\))?")
_ELISIONS = frozenset(("d'", "l'", "d’", "l’"))
_PLACE_CONNECTORS = frozenset(
    {"de", "du", "des", "la", "le", "les", "of", "the", "upon", "on", "es", "el", "al", "am", "an"}
    | {"en", "sur", "y", "da", "do", "dos", "das", "di", "van", "von", "der", "den"}
)  # lower-case words inside a place name: "Rio de Janeiro", "Port of Spain"
# labels in front of a date line: "Published: 12 May 2023", "Publié le 3 mars 2022"
_DATE_LABEL = re.compile(
    r"^(?:last\s+updated|updated|published|posted|release\s+date|publication\s+date|date"
    r"|publi[ée]e?|mise?\s+[àa]\s+jour|date\s+de\s+publication|publication)"
    r"\s*(?:(?:on|le)\b)?\s*[:\-–]?\s*",
    re.I,
)
_COLON_SEPARATOR = re.compile(r"\s*:\s+")
_TIME_OR_CITY = re.compile(r"\d{1,2}\s*[:h.]\s*\d{2}(?:\s*(?:(?i:[ap]\.?m\.?)|CET|CEST|GMT|UTC))?"
                           r"|(?:[A-ZÀ-Ý][\w'’.\-]*(?:\s+[A-ZÀ-Ý][\w'’.\-]*){0,2}(?:,\s*|$)){1,2}(?<!,)")
_PLACE_DATE = re.compile(  # "Berne, 09.11.2023", "Abidjan, le 13 février 2025"
    rf"(?-i:[A-ZÀ-Ý])[\w'’\-]*(?:\s+[\w'’\-]+){{0,3}},\s*(?:(?:le|on)\s+)?(?P<date>{_DATE_PATTERN})", re.I)
# the city a header date line starts with: "Berne, 09.11.2023", "Washington, D.C. — Thursday, ...", "Lyon — 15 July"
_ISSUING_PLACE = re.compile(r"([A-ZÀ-Ý][\w'’\-]*(?:[ \t]+[A-ZÀ-Ý][\w'’\-]*){0,2})"
                            r"(?:,\s*[A-Z]\.[A-Z]\.)?\s*(?:,|\s[–—|-]\s)")
_DATE_WORD = re.compile(rf"(?:{_WEEKDAYS}|{_MONTHS})\b.*", re.I)  # "Thursday, November 14, 2024" names no city
_SPACED_SEPARATOR = re.compile(r"\s+[|>»•/·›–—@-]\s+")
_INWORD_SEPARATORS = frozenset("-–—:")  # separators only when not inside a word ("E-mail")
_MARKDOWN_HEADING = re.compile(r"#{1,6}\s+")


class _Reject(Exception):
    """An input that cannot become an article; carries the reason (converted to InputError)."""

    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason


# --------------------------------------------------------------------------- reading files


def read_articles(paths: Iterable[str | Path], lang: str | None = None) -> Iterator[Article | InputError]:
    """Yield an Article (or an InputError) for every article in the given files and folders; ``lang``
    is the language of every article that does not state its own (else each one's is detected)."""
    for given in paths:
        path = Path(given)
        source = os.fspath(given)
        if not path.exists():
            yield InputError(source, "no such file or directory")
        elif path.is_dir():
            for found in _walk(path):
                if isinstance(found, InputError):
                    yield found
                else:
                    yield from _read_file(found, str(found), lang)
        elif not path.is_file():
            yield InputError(source, "not a regular file")
        else:
            yield from _read_explicit_file(path, source, lang)


def _read_explicit_file(path: Path, source: str, lang: str | None) -> Iterator[Article | InputError]:
    """Read a file named on the command line (an unsupported type is an error, not skipped)."""
    name = path.name.lower()
    if name.endswith(GOLD_SUFFIX):
        yield InputError(source, "gold annotation file, not an article")
    elif not name.endswith(SUPPORTED_SUFFIXES):
        yield InputError(source, f"unsupported file type (expected one of {', '.join(SUPPORTED_SUFFIXES)})")
    else:
        yield from _read_file(path, source, lang)


def _walk(folder: Path, seen: frozenset[Path] = frozenset()) -> Iterator[Path | InputError]:
    """Yield the supported, non-hidden files under a folder, depth first in name order."""
    real = folder.resolve()
    if real in seen:  # a symlink loop
        return
    try:
        entries = sorted(folder.iterdir(), key=lambda p: p.name)
    except OSError as exc:
        yield InputError(str(folder), f"cannot list folder: {exc.strerror or exc}")
        return
    for entry in entries:
        name = entry.name
        if name.startswith("."):
            continue
        if entry.is_dir():
            yield from _walk(entry, seen | {real})
        elif _is_article_file(name):
            if entry.is_file():
                yield entry
            elif entry.is_symlink() and not entry.exists():
                yield InputError(str(entry), "a broken symbolic link (its target does not exist)")
            else:  # a FIFO, socket or device named like an article: never opened (a FIFO would block)
                yield InputError(str(entry), "not a regular file")


def _is_article_file(name: str) -> bool:
    """Whether a file found in a folder is read (supported type, not a gold file nor a README)."""
    lower = name.lower()
    return (lower.endswith(SUPPORTED_SUFFIXES) and not lower.endswith(GOLD_SUFFIX)
            and lower.split(".", 1)[0] not in FOLDER_DOCUMENTS)


def _read_file(path: Path, source: str, lang: str | None) -> Iterator[Article | InputError]:
    """Read one file of a supported type; problems come out as InputError, never raised."""
    suffix = path.suffix.lower()
    try:
        if suffix in JSONL_SUFFIXES:
            yield from _read_jsonl(path, source, lang)
        elif suffix in HTML_SUFFIXES:
            yield _read_html(path, source, lang)
        else:
            yield _read_text_file(path, source, lang)
    except _Reject as exc:
        yield InputError(source, exc.reason)
    except OSError as exc:
        yield InputError(source, f"cannot read file: {exc.strerror or exc}")


def _read_text_file(path: Path, source: str, lang: str | None) -> Article:
    """Read a .txt/.md file: its whole decoded content is the article text."""
    if path.stat().st_size > _MAX_FILE_BYTES:
        raise _Reject(_too_long_reason())
    text, warnings = _decode_bytes(path.read_bytes())
    _check_text(text)
    article = parse_article(text, source, id=path.stem, lang=lang)
    return _with_warnings(article, warnings)


def _read_html(path: Path, source: str, lang: str | None) -> Article:
    """Read an HTML page: main text and metadata extracted with trafilatura."""
    import trafilatura  # slow to import: only when an HTML page is read

    if path.stat().st_size > _MAX_HTML_BYTES:
        raise _Reject(f"HTML page larger than {_MAX_HTML_BYTES:,} bytes")
    raw = path.read_bytes()
    if not raw.strip():
        raise _Reject("empty file")
    if b"\x00" in raw:
        raise _Reject("binary file, not text")
    try:
        tree = trafilatura.load_html(raw)
        if tree is None:
            raise _Reject("no article text found in the HTML page")
        meta = trafilatura.extract_metadata(tree, extensive=False)
        text = trafilatura.extract(
            tree, include_comments=False, include_tables=False, favor_precision=True, deduplicate=False
        )
    except _Reject:
        raise
    except Exception as exc:  # lxml/trafilatura failures on a malformed page
        raise _Reject(f"cannot parse the HTML page: {exc}") from exc
    if not text or not text.strip():
        raise _Reject("no article text found in the HTML page")
    _check_text(text)
    title = _html_title(meta.title, text)
    article = parse_article(text, source, id=path.stem, title=title, date=meta.date, url=meta.url, lang=lang)
    if article.body.start == article.body.end:  # the page's text was navigation only
        raise _Reject("no article text found in the HTML page")
    return article


def _html_title(meta_title: str | None, text: str) -> str | None:
    """The page title, or the text's first line when the page title only adds a site name to it."""
    first = next((line.strip() for line in text.splitlines() if line.strip()), "")
    if meta_title and first and first != meta_title and len(first) > 10 and first in meta_title:
        return first
    return meta_title


def _read_jsonl(path: Path, source: str, lang: str | None) -> Iterator[Article | InputError]:
    """Read a JSONL file, one article per line; a bad line is an InputError with its number."""
    stem = path.stem
    seen_content = False
    with path.open("rb") as fh:
        for number, raw in _jsonl_lines(fh):
            if raw is None:
                seen_content = True
                yield InputError(source, _too_long_reason(), line=number)
                continue
            if not raw.strip():
                continue
            seen_content = True
            try:
                yield _jsonl_article(raw, number, source, stem, lang)
            except _Reject as exc:
                yield InputError(source, exc.reason, line=number)
    if not seen_content:
        yield InputError(source, "empty file")


def _jsonl_lines(fh: IO[bytes]) -> Iterator[tuple[int, bytes | None]]:
    """Numbered lines of a JSONL file; None for a line over _MAX_FILE_BYTES, which is never held whole."""
    number = 0
    while raw := fh.readline(_MAX_FILE_BYTES + 1):
        number += 1
        if len(raw) > _MAX_FILE_BYTES and not raw.endswith(b"\n"):
            while raw and not raw.endswith(b"\n"):  # skip the rest of the line, a megabyte at a time
                raw = fh.readline(1 << 20)
            yield number, None
        else:
            yield number, raw


def count_articles(paths: Iterable[str | Path]) -> int:
    """About how many articles ``read_articles`` will yield (a file each, a JSONL line each): for an ETA."""
    total = 0
    for given in paths:
        path = Path(given)
        files = [p for p in _walk(path) if isinstance(p, Path)] if path.is_dir() else [path]
        for file in files:
            if not file.name.lower().endswith(JSONL_SUFFIXES):
                total += 1
                continue
            try:
                with file.open("rb") as fh:
                    while chunk := fh.read(1 << 20):
                        total += chunk.count(b"\n")
            except OSError:
                total += 1
    return total


def _jsonl_article(raw: bytes, number: int, source: str, stem: str, lang: str | None = None) -> Article:
    """Turn one JSONL line into an Article."""
    if len(raw) > _MAX_FILE_BYTES:
        raise _Reject(_too_long_reason())
    line, warnings = _decode_bytes(raw)
    line = line.rstrip("\r\n")  # the column of an error is then the line's own
    try:
        record = json.loads(line)
    except json.JSONDecodeError as exc:
        raise _Reject(f"invalid JSON: {exc.msg} (column {exc.colno})") from exc
    if not isinstance(record, dict):
        raise _Reject("line is not a JSON object")
    text = record.get("text")
    if text is not None and not isinstance(text, str):
        raise _Reject('field "text" must be a string')
    if not isinstance(text, str) or not text.strip():
        raise _Reject('missing or empty "text" field')
    _check_text(text)
    fields = {key: _optional_str(record, key) for key in ("id", "url", "date", "title", "lang")}
    article = parse_article(
        text,
        f"{source}:{number}",
        id=fields["id"] or f"{stem}-{number}",
        lang=fields["lang"] or lang,
        date=fields["date"],
        title=fields["title"],
        url=fields["url"],
    )
    return _with_warnings(article, warnings)


def _optional_str(record: dict[str, Any], key: str) -> str | None:
    """An optional string field of a JSONL record (an integer id is accepted)."""
    value = record.get(key)
    if value is None:
        return None
    if key == "id" and isinstance(value, int) and not isinstance(value, bool):
        return str(value)
    if not isinstance(value, str):
        raise _Reject(f'field "{key}" must be a string')
    return value.strip() or None


def _with_warnings(article: Article, warnings: tuple[str, ...]) -> Article:
    """The article with reading warnings put in front of its own."""
    if not warnings:
        return article
    return dataclasses.replace(article, warnings=warnings + article.warnings)


# --------------------------------------------------------------------------- decoding and checks


def _decode_bytes(raw: bytes) -> tuple[str, tuple[str, ...]]:
    """Decode a file's bytes (UTF-8, else cp1252, else latin-1) and say which fallback was used."""
    if raw.startswith((b"\xff\xfe", b"\xfe\xff")):
        try:
            return raw.decode("utf-16"), ("decoded as UTF-16",)
        except UnicodeDecodeError as exc:
            raise _Reject("binary file, not text") from exc
    if b"\x00" in raw:
        raise _Reject("binary file, not text")
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError:
        pass
    else:
        # a leading byte-order mark is one character of the file as UTF-8 reads it: a space keeps
        # the offsets of every other character, and the BOM out of names, dates and quotes
        return (" " + text[1:] if text.startswith("\ufeff") else text), ()
    try:
        return raw.decode("cp1252"), ("decoded as cp1252",)
    except UnicodeDecodeError:
        return raw.decode("latin-1"), ("decoded as latin-1",)


def _check_text(text: str) -> None:
    """Raise _Reject when a text is empty, binary-looking or over MAX_ARTICLE_CHARS."""
    if not text.strip():
        raise _Reject("empty file")
    if "\x00" in text or len(_CONTROL.findall(text)) > _BINARY_CONTROL_RATIO * len(text):
        raise _Reject("binary file, not text")
    if len(text) > MAX_ARTICLE_CHARS:
        raise _Reject(_too_long_reason(len(text)))


def _too_long_reason(chars: int | None = None) -> str:
    """The message for a text over MAX_ARTICLE_CHARS."""
    size = f" ({chars:,} characters)" if chars is not None else ""
    return f"text too long{size}: the limit is MAX_ARTICLE_CHARS = {MAX_ARTICLE_CHARS:,} characters"


# --------------------------------------------------------------------------- layout


@dataclass(frozen=True)
class _Line:
    """A non-blank line: offsets of its stripped text, and whether a blank line precedes it."""

    start: int
    end: int
    after_blank: bool


@dataclass(frozen=True)
class Layout:
    """Where a press release's parts lie in its text."""

    body: Span
    title_span: Span | None = None
    date_text: str | None = None  # the date as written on the date line or in the dateline
    dateline_span: Span | None = None


def parse_article(
    text: str,
    source: str,
    *,
    id: str | None = None,
    lang: str | None = None,
    date: str | None = None,
    title: str | None = None,
    url: str | None = None,
) -> Article:
    """Build an Article from a text: find furniture, date, title, dateline, body and language."""
    known_title = title.strip() if title and title.strip() else None
    hint = lang or detect_language(text)
    layout = find_layout(text, hint, known_title)
    body_text = text[layout.body.start : layout.body.end]
    article_lang = lang or detect_language(body_text if body_text.strip() else text)
    warnings: list[str] = []
    article_date = None
    if date and date.strip():
        article_date = parse_date(date, article_lang, strict=False)
        if article_date is None:
            warnings.append(f"could not parse the date {date.strip()!r}")
    if article_date is None and layout.date_text:
        article_date = parse_date(layout.date_text, article_lang)
    title_span = layout.title_span
    found_title = text[title_span.start : title_span.end] if title_span else None
    if known_title is not None and found_title != known_title:
        title_span = None
    return Article(
        id=slug(id) if id else _default_id(source, text),
        source=source,
        text=text,
        lang=article_lang,
        body=layout.body,
        date=article_date,
        title=known_title or found_title,
        title_span=title_span,
        dateline=_cut(text, layout.dateline_span),
        dateline_span=layout.dateline_span,
        url=url.strip() if url and url.strip() else None,
        content_hash=_sha256(text),
        warnings=tuple(warnings),
    )


def _cut(text: str, span: Span | None) -> str | None:
    """The text of a span, or None."""
    return text[span.start : span.end] if span else None


_BODY_MIN_WORDS = 15  # a body paragraph (with or without a dateline) is at least this long


def find_layout(text: str, lang: str = "fr", known_title: str | None = None) -> Layout:
    """Find furniture, date line, title, dateline and body of a press release's text.

    The body starts at the first paragraph-long line (a dateline makes it certain); the
    lines above it are the header: furniture, site name and breadcrumbs first, then the
    date line and the title, which is the last header line that is neither.
    """
    lines = _lines(text)
    end = len(text.rstrip())
    langs = _date_languages(lang)
    top = lines[:_MAX_TOP_LINES]
    body_index = next((i for i, ln in enumerate(top) if _is_body_line(text, ln)), None)
    if body_index is None:
        return _find_layout_short(text, lines, langs, known_title)
    date_text = None
    title_span = None
    issued_at = None
    for ln in top[:body_index]:
        value = text[ln.start:ln.end]
        if is_furniture(value):
            continue
        found = None if date_text else date_in_line(value, langs)
        if found is not None:
            date_text = found
            place = _ISSUING_PLACE.match(value)
            city = place.group(1) if place is not None else ""
            if place is not None and not (_DATE_WORD.fullmatch(city) or _DATE_LABEL.match(city) or is_furniture(city)):
                issued_at = Span(ln.start + place.start(1), ln.start + place.end(1))  # not "Press Release — 3 May"
            continue
        if match_dateline(text, ln.start, ln.end) is None and len(value) <= _MAX_TITLE_CHARS:
            title_span = _title_span(text, ln)
    if known_title is not None:
        exact = next((ln for ln in top[:body_index + 1] if _MARKDOWN_HEADING.sub(
            "", text[ln.start:ln.end], count=1) == known_title), None)
        title_span = _title_span(text, exact) if exact is not None else title_span
    layout = _layout(text, lines, body_index, end, title_span, date_text, langs)
    if layout.dateline_span is None and issued_at is not None:  # "Bruxelles, 27/02/2024": where it was issued
        layout = dataclasses.replace(layout, dateline_span=issued_at)
    return layout


def _layout(text: str, lines: list[_Line], first: int, end: int, title_span: Span | None,
            date_text: str | None, langs: tuple[str, ...]) -> Layout:
    """The layout of a body that starts at line ``first``: its dateline, and the date it gives
    when the top of the page gave none, else a date line closing the page ("9 July 2024 @ 6.00 PM"
    under the issuing office's name)."""
    dateline = match_dateline(text, lines[first].start, lines[first].end)
    dateline_span = None
    if dateline is not None:
        dateline_span, dateline_date = dateline
        date_text = date_text or dateline_date
    if date_text is None:
        date_text = next((found for ln in reversed(lines[first + 1:][-_CLOSING_LINES:])
                          if (found := date_in_line(text[ln.start:ln.end], langs))), None)
    return Layout(Span(lines[first].start, end), title_span, date_text, dateline_span)


def _is_body_line(text: str, line: _Line) -> bool:
    """A paragraph of the body: long, and ending like a sentence or opening with a dateline
    (a site name with a dash is too short; a title does not end with a full stop)."""
    value = text[line.start:line.end]
    words = len(value.split())
    if words < _BODY_MIN_WORDS or is_furniture(value):
        return False
    ends_sentence = re.search(r"[.!?:…]\s*[»\"”]?\s*$", value) is not None
    return ends_sentence or words >= 3 * _BODY_MIN_WORDS or match_dateline(text, line.start, line.end) is not None


def _find_layout_short(text: str, lines: list[_Line], langs: tuple[str, ...], known_title: str | None) -> Layout:
    """Layout of a text with no paragraph-long line: furniture and date, a title, the rest."""
    end = len(text.rstrip())
    date_text, index = _skip_top(text, lines, 0, langs)
    if index >= len(lines):  # nothing but furniture and dates
        return Layout(body=Span(end, end), date_text=date_text)
    title_span = None
    body_index = index
    candidate = lines[index]
    later_date, next_index = _skip_top(text, lines, index + 1, langs)
    if next_index < len(lines) and _is_title(text, candidate, lines[next_index], known_title):
        title_span = _title_span(text, candidate)
        body_index = next_index
        date_text = date_text or later_date
    return _layout(text, lines, body_index, end, title_span, date_text, langs)


def _lines(text: str) -> list[_Line]:
    """The non-blank lines of a text with the offsets of their stripped content."""
    result: list[_Line] = []
    offset = 0
    after_blank = True
    for raw in text.splitlines(keepends=True):
        content = (raw.splitlines() or [""])[0]
        stripped = content.strip()
        if stripped:
            start = offset + (len(content) - len(content.lstrip()))
            result.append(_Line(start, start + len(stripped), after_blank))
            after_blank = False
        else:
            after_blank = True
        offset += len(raw)
    return result


def _skip_top(text: str, lines: list[_Line], index: int, langs: tuple[str, ...]) -> tuple[str | None, int]:
    """Skip furniture and date lines from ``index``: the first date seen and the next other line."""
    date_text = None
    while index < min(len(lines), _MAX_TOP_LINES):
        line = text[lines[index].start : lines[index].end]
        if is_furniture(line):
            index += 1
            continue
        found = None if date_text else date_in_line(line, langs)
        if found is None:
            break
        date_text = found
        index += 1
    return date_text, index


def _is_title(text: str, line: _Line, following: _Line, known_title: str | None) -> bool:
    """Whether a top line is the title of the paragraph that follows it."""
    value = text[line.start : line.end]
    if known_title is not None and _MARKDOWN_HEADING.sub("", value, count=1) == known_title:
        return True
    if match_dateline(text, line.start, line.end) is not None:
        return False
    if len(value) > _MAX_TITLE_CHARS or len(value.split()) > _MAX_TITLE_WORDS:
        return False
    following_has_dateline = match_dateline(text, following.start, following.end) is not None
    if _MARKDOWN_HEADING.match(value) or following_has_dateline:
        return True
    if value.rstrip(" »\"”’')").endswith((".", ";", ",", ":", "…")):
        return False
    if following.after_blank:
        return True
    # the next line follows directly: a title only if it is not a hard-wrapped paragraph
    next_text = text[following.start : following.end]
    return not next_text[0].islower() and len(next_text) > 1.5 * len(value)


def _title_span(text: str, line: _Line) -> Span:
    """The span of a title line, without a Markdown heading mark."""
    mark = _MARKDOWN_HEADING.match(text, line.start, line.end)
    return Span(mark.end() if mark else line.start, line.end)


# --------------------------------------------------------------------------- furniture


@cache
def _furniture() -> tuple[frozenset[tuple[str, ...]], int, re.Pattern[str]]:
    """Furniture phrases (as word tuples), the longest phrase's length and the separator regex."""
    data = load_json("lexicons/furniture.json")
    phrases = frozenset(
        tuple(_norm_word(w) for w in phrase.split()) for key in ("fr", "en") for phrase in data[key]
    )
    always = [re.escape(s) for s in data["separators"] if s not in _INWORD_SEPARATORS]
    edge = "".join(re.escape(s) for s in data["separators"] if s in _INWORD_SEPARATORS)
    parts = [r"\s+", *always]
    if edge:
        parts += [rf"(?<!\w)[{edge}]+", rf"[{edge}]+(?!\w)"]
    return phrases, max(len(p) for p in phrases), re.compile("|".join(parts))


def _norm_word(word: str) -> str:
    """A word as furniture phrases are compared: lower case, straight apostrophe."""
    return word.lower().replace("’", "'")


def is_furniture(line: str) -> bool:
    """Whether a line is made only of furniture words ("Print", "Home | News") and separators."""
    if len(line) > _MAX_FURNITURE_LINE:
        return False
    phrases, longest, separators = _furniture()
    words = [_norm_word(w) for w in separators.split(line) if w]
    if not words:  # separators only ("|")
        return bool(line.strip())
    coverable = [False] * len(words) + [True]  # coverable[i]: words[i:] is a run of phrases
    for i in range(len(words) - 1, -1, -1):
        ends = range(i + 1, min(len(words), i + longest) + 1)
        coverable[i] = any(coverable[j] and tuple(words[i:j]) in phrases for j in ends)
    return coverable[0]


# --------------------------------------------------------------------------- dates


def date_in_line(line: str, langs: tuple[str, ...] = ("fr", "en")) -> str | None:
    """The date written on a date line ("15 juillet 2015", "Published: 12 May 2023", "Communiqué de
    presse : 7 mars 2024", "Berne, 09.11.2023 - Communiqué de presse"), else None."""
    pieces = [p for p in _SPACED_SEPARATOR.split(line) if p.strip() and not is_furniture(p)]
    if len(pieces) == 1:  # furniture before a colon: "Communiqué de presse : 7 mars 2024"
        after_colon = [p for p in _COLON_SEPARATOR.split(pieces[0]) if p.strip() and not is_furniture(p)]
        pieces = after_colon if len(after_colon) == 1 else pieces
    if len(pieces) > 1:  # a time or the city beside the date: "12 May 2023 - 14:30", "15 July 2015 — Lyon"
        dated = [p for p in pieces if _parse(_DATE_LABEL.sub("", p.strip(), count=1).strip(), langs, strict=True)]
        if len(dated) == 1 and all(_TIME_OR_CITY.fullmatch(p.strip()) for p in pieces if p is not dated[0]):
            pieces = dated
    if len(pieces) != 1:
        return None
    candidate = _DATE_LABEL.sub("", pieces[0].strip(), count=1).strip()
    if not candidate or len(candidate) > _MAX_DATE_LINE or not any(c.isdigit() for c in candidate):
        return None
    if _parse(candidate, langs, strict=True):
        return candidate
    placed = _PLACE_DATE.fullmatch(candidate)  # "Berne, 09.11.2023": the city the release was issued in
    return placed.group("date") if placed and _parse(placed.group("date"), langs, strict=True) else None


def parse_date(value: str, lang: str = "fr", *, strict: bool = True) -> Date | None:
    """Parse a full date (day, month and year) in the article's language, French or English."""
    value = value.strip()
    iso = re.match(r"\d{4}-\d{2}-\d{2}", value)
    if iso:
        try:
            return Date.fromisoformat(iso.group())
        except ValueError:
            pass
    value = _DATE_LABEL.sub("", value, count=1).strip()
    parsed = _parse(value, _date_languages(lang), strict=strict)
    return parsed.date() if parsed else None


@lru_cache(maxsize=4096)  # a corpus repeats its dates; only absolute dates are read, so this is pure
def _parse(value: str, langs: tuple[str, ...], *, strict: bool) -> datetime | None:
    """A full date (day, month and year) in a string: the common forms here, the rest by dateparser."""
    common = _common_date(value, langs)
    if common is not None:
        return common
    result: datetime | None = _date_parser(langs, strict).get_date_data(value).date_obj
    return result


def _common_date(value: str, langs: tuple[str, ...]) -> datetime | None:
    """"15 juillet 2015", "12 May 2023", "July 15, 2015": the date, read without
    dateparser (about 3 ms a date, most of the time spent reading a corpus); None for anything else."""
    day_first, month_first, months = _common_date_patterns(langs)
    m = day_first.fullmatch(value)
    if m is not None:
        day, month, year = m.groups()
    elif (m := month_first.fullmatch(value)) is not None:
        month, day, year = m.groups()
    else:
        return None
    try:
        return datetime(int(year), months[month.lower()], int(day))
    except ValueError:  # 31 février: dateparser says what it says
        return None


@cache
def _common_date_patterns(langs: tuple[str, ...]) -> tuple[re.Pattern[str], re.Pattern[str], dict[str, int]]:
    """Day-first and month-first date patterns with the month names of the lexicons of ``langs``."""
    months: dict[str, int] = {}
    for lang in langs:
        with contextlib.suppress(FileNotFoundError):  # a language coopkg has no lexicon for
            months.update(lexicon(lang)["months"])
    names = word_alternation(months)
    return (re.compile(rf"(?i:(0?[1-9]|[12][0-9]|3[01])\s+({names})\s+([12][0-9]{{3}}))"),
            re.compile(rf"(?i:({names})\s+(0?[1-9]|[12][0-9]|3[01]),?\s+([12][0-9]{{3}}))"), months)


@cache
def _date_parser(langs: tuple[str, ...], strict: bool) -> Any:
    """A cached dateparser parser for languages, requiring a full date (no relative dates)."""
    from dateparser.date import DateDataParser

    settings: dict[str, Any] = {
        "REQUIRE_PARTS": ["day", "month", "year"],
        "STRICT_PARSING": strict,
        "PARSERS": ["custom-formats", "absolute-time"],
    }
    if langs[0] != "en":
        settings["DATE_ORDER"] = "DMY"
    return DateDataParser(languages=list(langs), settings=settings)


@cache
def _date_languages(lang: str) -> tuple[str, ...]:
    """The article's language then the other of French/English (just those if dateparser lacks it)."""
    langs = (lang, *(x for x in ("fr", "en") if x != lang))
    if lang in ("fr", "en"):  # dateparser knows them: no need to load it (about 1 s) to ask
        return langs
    try:
        _date_parser(langs, True).get_date_data("1 January 2000")
    except ValueError:  # dateparser does not know the language
        return ("fr", "en")
    return langs


# --------------------------------------------------------------------------- dateline


def match_dateline(text: str, start: int, end: int) -> tuple[Span, str | None] | None:
    """Find a dateline ("BRUXELLES (Belgique) –") at ``start``: the place's span and any date."""
    line = text[start:end]
    dash = _DATELINE_DASH.search(line, 0, 120)
    if dash is None or dash.start() == 0:
        return None
    rest = line[dash.end() :].lstrip()
    if not rest or rest[0].islower():  # the body's first sentence starts after the dash
        return None
    head = line[: dash.start()]
    date_text = None
    tail = _DATELINE_DATE.search(head) or _DATELINE_PAREN_DATE.search(head)
    if tail:
        date_text = tail.group("date")
        head = head[: tail.start()]
    head = head.rstrip(" ,")
    if not head or not _is_dateline_place(head, has_date=date_text is not None):
        return None
    return Span(start, start + len(head)), date_text


def after_dateline(text: str, dateline: Span) -> int:
    """Where the text after a dateline starts: past its date and dash ("Cotonou, le 14 mars 2024 – "), or the
    dateline's end when no dash follows it closely."""
    dash = _DATELINE_DASH.search(text, dateline.end, dateline.end + 60)
    return dash.end() if dash is not None else dateline.end


def _is_dateline_place(head: str, *, has_date: bool) -> bool:
    """Whether a dateline head looks like a place: "LONDON", "Lyon, France", "LA HAYE (Pays-Bas)"."""
    parts = _DATELINE_PAREN.fullmatch(head)
    if parts is None:
        return False
    names = [p.strip() for p in parts.group("main").split(",")]
    paren = parts.group("paren")
    words = parts.group("main").split()
    if len(names) > 3 or len(words) > _MAX_DATELINE_PLACE_WORDS or not all(map(_is_place_name, names)):
        return False
    if paren is not None and not _is_place_name(paren.strip()):
        return False
    shouting = any(w.isupper() and sum(c.isalpha() for c in w) >= 2 for w in words)
    return shouting or paren is not None or len(names) > 1 or has_date


def _is_place_name(name: str) -> bool:
    """Whether words are a proper name: capitalised words and lower-case connectors ("Rio de Janeiro")."""
    words = name.split()
    if not words or not words[0][0].isupper():
        return False
    for word in words:
        if any(c.isdigit() for c in word):
            return False
        lower = word.lower()
        elided = lower[:2] in _ELISIONS and len(word) > 2  # d'Ivoire, l'Aquila
        if not (word[0].isupper() or lower in _PLACE_CONNECTORS or elided):
            return False
    return True


# --------------------------------------------------------------------------- ids and language


def slug(value: str) -> str:
    """An id made of [A-Za-z0-9._-] only: accents dropped, other characters replaced by '-'."""
    unaccented = "".join(c for c in unicodedata.normalize("NFKD", value) if not unicodedata.combining(c))
    return re.sub(r"[^A-Za-z0-9._-]", "-", unaccented.strip()) or "article"


def _default_id(source: str, text: str) -> str:
    """An id from the source's file stem, else from the text's hash."""
    stem = Path(source.rsplit(":", 1)[0] if re.search(r":\d+$", source) else source).stem
    return slug(stem) if stem else "article-" + _sha256(text)[:12]


def _sha256(text: str) -> str:
    """The sha256 hex digest of a text's UTF-8 bytes (lone surrogates from JSON kept as is)."""
    return hashlib.sha256(text.encode("utf-8", "surrogatepass")).hexdigest()


def detect_language(text: str) -> str:
    """The language code py3langid gives for a text (fr, en, or any other); NO_LANGUAGE when it
    finds no word it knows ("| | |" scores the lowest float for its guess)."""
    import py3langid

    code, score = py3langid.classify(text)
    return NO_LANGUAGE if score < -1e30 else str(code)
