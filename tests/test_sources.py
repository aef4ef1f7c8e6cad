"""Tests of kg/sources.py: reading .txt/.md/.html/.jsonl inputs and finding an article's layout."""

from __future__ import annotations

import hashlib
import json
from datetime import date
from pathlib import Path

import pytest

from kg import sources
from kg.errors import InputError
from kg.model import Article, Span
from kg.resources import DATA
from kg.sources import date_in_line, is_furniture, parse_article, read_articles

EXAMPLE = DATA / "articles" / "interpol-2015-07-15-fr.txt"

FR_BODY = (
    "Le directeur général de la police nationale a rencontré le directeur exécutif d’Europol "
    "afin de renforcer la coopération entre les services dans la lutte contre la criminalité organisée."
)
EN_BODY = (
    "The Executive Director of Europol met the President of Eurojust to review the results of the joint "
    "operational teams and to plan the priorities of the two agencies for the coming year."
)

HTML_PAGE = """<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<title>Europol and Eurojust step up cooperation | Europol</title>
<meta property="og:title" content="Europol and Eurojust step up cooperation against migrant smuggling">
<meta property="og:url" content="https://www.europol.europa.eu/newsroom/news/europol-eurojust-cooperation">
<meta property="article:published_time" content="2024-02-23T10:00:00+01:00">
</head>
<body>
<header>
  <nav class="main-menu"><ul>
    <li><a href="/">Home</a></li><li><a href="/about">About Europol</a></li>
    <li><a href="/newsroom">Newsroom</a></li><li><a href="/careers">Careers and procurement</a></li>
  </ul></nav>
  <div class="search"><form><input type="text" placeholder="Search this website"></form></div>
</header>
<div class="breadcrumb"><a href="/">Home</a> &gt; <a href="/newsroom">Newsroom</a> &gt; News</div>
<main>
<article>
<h1>Europol and Eurojust step up cooperation against migrant smuggling</h1>
<div class="date">23 February 2024</div>
<p>THE HAGUE, Netherlands – Europol and Eurojust have agreed to intensify their joint work against the
criminal networks that smuggle migrants into the European Union, the two agencies announced on Friday.</p>
<p>The Executive Director of Europol, Catherine De Bolle, met the President of Eurojust, Michael Schmid,
to review the results of the joint operational teams set up in 2023 and to plan the coming year.</p>
<p>Both agencies will exchange information through the European Multidisciplinary Platform Against
Criminal Threats (EMPACT) and will support national authorities with analysis and coordination.</p>
</article>
<div class="share">Share this page:
  <a href="#">Facebook</a> <a href="#">Twitter</a> <a href="#">Email</a></div>
</main>
<aside class="related"><h2>Related news</h2><ul>
  <li><a href="/n1">Europol supports operation against cybercrime in Spain</a></li>
  <li><a href="/n2">Eurojust annual report published</a></li>
</ul></aside>
<footer>
<p>Cookie policy | Privacy statement | Legal notice | Contact us</p>
<p>© Europol 2024. All rights reserved. Subscribe to our newsletter to receive the latest updates.</p>
</footer>
</body>
</html>
"""


def _write(path: Path, content: str | bytes) -> Path:
    """Write a test file (bytes as they are, text as UTF-8 without newline translation)."""
    path.parent.mkdir(parents=True, exist_ok=True)
    if isinstance(content, bytes):
        path.write_bytes(content)
    else:
        path.write_bytes(content.encode("utf-8"))
    return path


def _read_all(*paths: str | Path) -> list[Article | InputError]:
    """Everything read_articles yields for some paths."""
    return list(read_articles(paths))


def _one_article(path: Path) -> Article:
    """The single Article read from a file."""
    results = _read_all(path)
    assert len(results) == 1
    assert isinstance(results[0], Article), results[0]
    return results[0]


def _one_error(path: str | Path) -> InputError:
    """The single InputError read from a path."""
    results = _read_all(path)
    assert len(results) == 1
    assert isinstance(results[0], InputError), results[0]
    return results[0]


def _cut(article: Article, span: Span | None) -> str | None:
    """The text of a span of an article."""
    return article.text[span.start : span.end] if span else None


# ----------------------------------------------------------------------------- the example article


def test_sources_example_article_layout() -> None:
    article = _one_article(EXAMPLE)
    text = EXAMPLE.read_text(encoding="utf-8")
    assert article.text == text
    assert article.id == "interpol-2015-07-15-fr"
    assert article.source == str(EXAMPLE)
    assert article.lang == "fr"
    assert article.date == date(2015, 7, 15)
    assert article.title is not None
    assert article.title.startswith("Visite du Secrétaire Général")
    assert _cut(article, article.title_span) == article.title
    assert article.dateline == "BRUXELLES (Belgique)"
    assert _cut(article, article.dateline_span) == article.dateline
    assert article.dateline_span is not None
    assert article.dateline_span.start == article.body.start
    body = _cut(article, article.body)
    assert body is not None
    assert body.startswith("BRUXELLES (Belgique) – Le Secrétaire Général")
    assert body.endswith("a ajouté M. Stock.")
    assert article.body.end == len(text.rstrip())
    for furniture in ("All news", "Print", "15 juillet 2015"):
        assert furniture not in body
        assert furniture not in article.title
    assert article.content_hash == hashlib.sha256(text.encode("utf-8")).hexdigest()
    assert article.warnings == ()


# ----------------------------------------------------------------------------- layouts


@pytest.mark.parametrize(
    ("text", "expected_date", "title", "dateline", "body_start"),
    [
        (
            f"Home | News | Print\n23 February 2024\n\nNCA and Europol dismantle a smuggling network\n\n"
            f"LONDON – {EN_BODY}\n",
            date(2024, 2, 23),
            "NCA and Europol dismantle a smuggling network",
            "LONDON",
            "LONDON – The Executive",
        ),
        (
            "News\nShare\n\nUNODC and INTERPOL sign a cooperation agreement\n\n"
            f"VIENNA, 12 May 2023 – {EN_BODY}",
            date(2023, 5, 12),
            "UNODC and INTERPOL sign a cooperation agreement",
            "VIENNA",
            "VIENNA, 12 May 2023 –",
        ),
        (
            f"All news\nPublished: 12 May 2023\nINTERPOL trains police officers in West Africa\n"
            f"ABUJA, Nigeria — {EN_BODY}\n\n",
            date(2023, 5, 12),
            "INTERPOL trains police officers in West Africa",
            "ABUJA, Nigeria",
            "ABUJA, Nigeria —",
        ),
        (
            f"Europol and Eurojust meet in The Hague\n\n2024-02-23\n\nTHE HAGUE, Netherlands – {EN_BODY}",
            date(2024, 2, 23),
            "Europol and Eurojust meet in The Hague",
            "THE HAGUE, Netherlands",
            "THE HAGUE, Netherlands –",
        ),
        (
            "Home > Newsroom > 12 May 2023\n\nFBI and Europol hold talks\n\n"
            f"WASHINGTON, May 12, 2023 — {EN_BODY}",
            date(2023, 5, 12),
            "FBI and Europol hold talks",
            "WASHINGTON",
            "WASHINGTON, May 12, 2023 —",
        ),
        (
            f"Europol hosts a meeting on migrant smuggling\n\n{EN_BODY}\n\nA second paragraph.",
            None,
            "Europol hosts a meeting on migrant smuggling",
            None,
            "The Executive Director",
        ),
    ],
    ids=[
        "london",
        "vienna-date-in-dateline",
        "published-label",
        "date-after-title",
        "us-date",
        "no-dateline",
    ],
)
def test_sources_english_layouts(
    text: str, expected_date: date | None, title: str, dateline: str | None, body_start: str
) -> None:
    article = parse_article(text, "press.txt")
    assert article.lang == "en"
    assert article.date == expected_date
    assert article.title == title
    assert _cut(article, article.title_span) == title
    assert article.dateline == dateline
    assert _cut(article, article.dateline_span) == dateline
    body = _cut(article, article.body)
    assert body is not None
    assert body.startswith(body_start)
    assert article.body.end == len(text.rstrip())
    for furniture in ("Home", "News", "Share", "Print", "Published", "Newsroom", "All news"):
        assert not body.startswith(furniture)


@pytest.mark.parametrize(
    ("text", "expected_date", "title", "dateline"),
    [
        (
            f"Accueil > Actualités\nle 3 mars 2022\n\nSignature d’un accord avec la police nationale\n\n"
            f"Lyon, France – {FR_BODY}",
            date(2022, 3, 3),
            "Signature d’un accord avec la police nationale",
            "Lyon, France",
        ),
        (
            "Partager\nImprimer\nPublié le 1er février 2019\n\nRéunion à La Haye\n\n"
            f"LA HAYE (Pays-Bas) – {FR_BODY}",
            date(2019, 2, 1),
            "Réunion à La Haye",
            "LA HAYE (Pays-Bas)",
        ),
        (
            "Toutes les actualités\nmercredi 15 juillet 2015\nVisite du directeur à Lyon\n\n"
            f"LYON – {FR_BODY}",
            date(2015, 7, 15),
            "Visite du directeur à Lyon",
            "LYON",
        ),
        (
            f"Visite du directeur à Paris\n\nParis, le 3 mars 2022 – {FR_BODY}",
            date(2022, 3, 3),
            "Visite du directeur à Paris",
            "Paris",
        ),
        (
            f"# Rencontre à Bruxelles\n\nBRUXELLES (Belgique), 15 juillet 2015 – {FR_BODY}",
            date(2015, 7, 15),
            "Rencontre à Bruxelles",
            "BRUXELLES (Belgique)",
        ),
        (
            f"Réunion à Suva\n\nSuva, Fidji (19 septembre 2024) – {FR_BODY}",
            date(2024, 9, 19),
            "Réunion à Suva",
            "Suva, Fidji",
        ),
    ],
    ids=["le-3-mars", "publie-le-1er", "weekday", "date-in-dateline", "markdown-title", "date-in-parentheses"],
)
def test_sources_french_date_in_words(text: str, expected_date: date, title: str, dateline: str) -> None:
    article = parse_article(text, "communique.txt")
    assert article.lang == "fr"
    assert article.date == expected_date
    assert article.title == title
    assert _cut(article, article.title_span) == title
    assert article.dateline == dateline
    assert _cut(article, article.dateline_span) == dateline
    assert article.dateline_span is not None
    assert article.dateline_span.start == article.body.start


@pytest.mark.parametrize(
    "text",
    [
        f"{EN_BODY}\n\nThe two agencies will meet again in June.\n",
        f"{FR_BODY}",
        f"  \n\n{EN_BODY}  \n\n",
        "The agencies agreed\nto work together against the\nsmuggling of migrants.\n\nMore text.",
    ],
    ids=["paragraphs", "one-paragraph", "leading-blank-lines", "hard-wrapped"],
)
def test_sources_no_layout(text: str) -> None:
    article = parse_article(text, "plain.txt")
    assert article.title is None
    assert article.title_span is None
    assert article.date is None
    assert article.dateline is None
    assert article.body == Span(len(text) - len(text.lstrip()), len(text.rstrip()))


@pytest.mark.parametrize(
    "line",
    [
        "Europol and Eurojust – two agencies of the European Union – work together.",
        "INTERPOL – la police mondiale au service des pays membres.",
        "The agencies met – for the first time – in The Hague.",
        "On 3 March 2022, Europol – the EU agency – hosted a meeting.",
        "Le Secrétaire Général d’INTERPOL, M. Jürgen Stock – qui était en visite – a parlé.",
    ],
)
def test_sources_dateline_not_on_ordinary_sentence(line: str) -> None:
    article = parse_article(f"{line}\n\nSecond paragraph of the text.", "x.txt")
    assert article.dateline is None
    assert article.dateline_span is None
    assert article.body.start == 0


@pytest.mark.parametrize(
    ("line", "expected"),
    [
        ("15 juillet 2015", date(2015, 7, 15)),
        ("23 February 2024", date(2024, 2, 23)),
        ("le 3 mars 2022", date(2022, 3, 3)),
        ("2024-02-23", date(2024, 2, 23)),
        ("Published: 12 May 2023", date(2023, 5, 12)),
        ("Publié le 3 mars 2022", date(2022, 3, 3)),
        ("12 May 2023 | Print", date(2023, 5, 12)),
        # a label the site puts before the date, and the city it was issued in
        ("Communiqué de presse : 7 mars 2024", date(2024, 3, 7)),
        ("Berne, 09.11.2023 - Communiqué de presse", date(2023, 11, 9)),
        ("Abidjan, le 13 février 2025", date(2025, 2, 13)),
        ("Toronto, 5 July 2023", date(2023, 7, 5)),
        ("12 May 2023 - 14:30", date(2023, 5, 12)),
        ("15 July 2015 — Lyon", date(2015, 7, 15)),
        ("Washington, D.C. — Thursday, November 14, 2024", date(2024, 11, 14)),
        ("9 July 2024 @ 6.00 PM", date(2024, 7, 9)),
        ("Note : 12 agencies took part in 2023", None),
        ("Operation Aurora - 12 arrests in May 2023", None),
        ("the next meeting, 12 May 2023", None),
        ("Mars 2022 : Europol et Eurojust signent un accord", None),
        ("Visite du Secrétaire Général", None),
        ("Operation in 2023 leads to 12 arrests", None),
        ("May 2023", None),
        ("3 mars", None),
        ("Print", None),
        ("today", None),
    ],
)
def test_sources_date_lines(line: str, expected: date | None) -> None:
    found = date_in_line(line)
    assert (found is not None) == (expected is not None)
    if found is not None:
        assert sources.parse_date(found, "fr") == expected


def test_sources_date_line_closing_the_page_dates_an_undated_one() -> None:
    text = f"NEWS RELEASE\n\nA headline\n\n{EN_BODY}\n\nPUBLIC AFFAIRS DEPARTMENT\n9 July 2024 @ 6.00 PM\n"
    assert parse_article(text, "x.txt").date == date(2024, 7, 9)
    dated_top = f"3 May 2024\n\nA headline\n\n{EN_BODY}\n\n9 July 2024\n"
    assert parse_article(dated_top, "x.txt").date == date(2024, 5, 3)
    mid_body = f"NEWS RELEASE\n\nA headline\n\n{EN_BODY}\n\n9 July 2024\n\n{EN_BODY}\n\n{EN_BODY}\n\n{EN_BODY}\n"
    assert parse_article(mid_body, "x.txt").date is None


@pytest.mark.parametrize(("line", "place"), [
    ("Bruxelles, 27/02/2024", "Bruxelles"),
    ("Washington, D.C. — Thursday, November 14, 2024", "Washington"),
    ("Paris, vendredi 25 octobre 2024", "Paris"),
    ("Thursday, November 14, 2024", None),
    ("15 July 2015", None),
    ("Press Release — 3 May 2024", None),
    ("FOR IMMEDIATE RELEASE — May 3, 2024", None),
])
def test_sources_city_of_a_header_date_line_is_the_dateline(line: str, place: str | None) -> None:
    article = parse_article(f"{line}\n\nA headline\n\n{EN_BODY}", "x.txt")
    assert article.dateline == place
    if place is not None:
        assert article.dateline_span is not None
        assert article.text[article.dateline_span.start:article.dateline_span.end] == place
    body_dateline = parse_article(f"{line}\n\nA headline\n\nLYON (France) – {EN_BODY}", "x.txt")
    assert body_dateline.dateline == "LYON (France)"


def test_sources_title_line_is_not_a_date() -> None:
    text = f"Actualités\n\nMars 2022 : Europol et Eurojust signent un accord\n\nLA HAYE – {FR_BODY}"
    article = parse_article(text, "x.txt")
    assert article.date is None
    assert article.title == "Mars 2022 : Europol et Eurojust signent un accord"


@pytest.mark.parametrize(
    ("line", "expected"),
    [
        ("All news", True),
        ("|", True),
        ("Print", True),
        ("Home | News | Print", True),
        ("Home > Newsroom > News", True),
        ("Share: Facebook Twitter E-mail", True),
        ("Accueil » Actualités", True),
        ("Imprimer • Partager", True),
        ("S’abonner", True),
        ("Europol", False),
        ("News from Europol", False),
        ("Print and share the report", False),
        ("15 juillet 2015", False),
    ],
)
def test_sources_furniture_lines(line: str, expected: bool) -> None:
    assert is_furniture(line) is expected


def test_sources_furniture_lexicon_shape() -> None:
    data = json.loads((DATA / "lexicons" / "furniture.json").read_text(encoding="utf-8"))
    assert {"fr", "en", "separators"} <= data.keys()
    assert "Imprimer" in data["fr"]
    assert "Print" in data["en"]
    assert "|" in data["separators"]


# ----------------------------------------------------------------------------- explicit arguments


def test_sources_explicit_arguments_win() -> None:
    text = f"All news\n23 February 2024\n\nEuropol hosts a meeting\n\nLONDON – {EN_BODY}"
    article = parse_article(
        text,
        "feed.jsonl:3",
        id="Communiqué n°3 / 2024",
        lang="xx",
        date="2020-01-02",
        title="Another title",
        url=" https://example.org/a ",
    )
    assert article.id == "Communique-n-3---2024"
    assert article.lang == "xx"
    assert article.date == date(2020, 1, 2)
    assert article.title == "Another title"
    assert article.title_span is None
    assert article.url == "https://example.org/a"
    assert article.source == "feed.jsonl:3"


def test_sources_explicit_title_found_verbatim_gets_its_span() -> None:
    text = f"Home\n\nEuropol hosts a meeting.\n\n{EN_BODY}"
    article = parse_article(text, "x.txt", title="Europol hosts a meeting.")
    assert article.title_span is not None
    assert _cut(article, article.title_span) == "Europol hosts a meeting."
    assert _cut(article, article.body) == EN_BODY


def test_sources_unparseable_explicit_date_is_a_warning() -> None:
    article = parse_article(f"23 February 2024\n\nTitle of it\n\n{EN_BODY}", "x.txt", date="sometime")
    assert article.date == date(2024, 2, 23)
    assert any("sometime" in w for w in article.warnings)


@pytest.mark.parametrize(
    ("text", "expected"),
    [(FR_BODY, "fr"), (EN_BODY, "en"), (f"Title\n\n{EN_BODY}", "en")],
)
def test_sources_language_detection(text: str, expected: str) -> None:
    assert parse_article(text, "x.txt").lang == expected


# ----------------------------------------------------------------------------- readers


@pytest.mark.parametrize("suffix", [".txt", ".text", ".md"])
def test_sources_text_reader_keeps_whole_file(tmp_path: Path, suffix: str) -> None:
    content = f"Print\n\nA title line\n\nLONDON – {EN_BODY}\n\n\n"
    path = _write(tmp_path / f"press-release{suffix}", content)
    article = _one_article(path)
    assert article.text == path.read_text(encoding="utf-8")
    assert article.id == "press-release"
    assert article.source == str(path)
    assert article.title == "A title line"
    assert article.dateline == "LONDON"
    assert article.body.end == len(content.rstrip())


def test_sources_text_reader_keeps_crlf_and_the_offsets_a_bom_takes(tmp_path: Path) -> None:
    content = f"All news\r\n23 February 2024\r\n\r\nA title line\r\n\r\nLONDON – {EN_BODY}\r\n"
    path = _write(tmp_path / "crlf.txt", b"\xef\xbb\xbf" + content.encode("utf-8"))
    article = _one_article(path)
    # newlines untouched; the BOM, one character of the file read as UTF-8, becomes a space
    assert article.text == " " + content
    assert len(article.text) == len(path.read_bytes().decode("utf-8"))
    assert article.date == date(2024, 2, 23)
    assert article.title == "A title line"
    assert _cut(article, article.title_span) == "A title line"
    assert _cut(article, article.dateline_span) == "LONDON"


def test_sources_cp1252_file_is_decoded_with_warning(tmp_path: Path) -> None:
    content = f"Actualités\n\nRéunion à Lyon\n\nLYON – {FR_BODY}\n"
    path = _write(tmp_path / "ancien.txt", content.encode("cp1252"))
    article = _one_article(path)
    assert article.text == content
    assert article.warnings == ("decoded as cp1252",)
    assert article.title == "Réunion à Lyon"


def test_sources_html_reader_drops_boilerplate(tmp_path: Path) -> None:
    path = _write(tmp_path / "europol-2024-02-23.html", HTML_PAGE)
    article = _one_article(path)
    assert article.id == "europol-2024-02-23"
    assert article.title == "Europol and Eurojust step up cooperation against migrant smuggling"
    assert _cut(article, article.title_span) == article.title
    assert article.date == date(2024, 2, 23)
    assert article.url == "https://www.europol.europa.eu/newsroom/news/europol-eurojust-cooperation"
    assert article.dateline == "THE HAGUE, Netherlands"
    assert article.lang == "en"
    assert "EMPACT" in article.text
    for boilerplate in (
        "Careers and procurement",
        "Search this website",
        "Share this page",
        "Related news",
        "cybercrime in Spain",
        "Cookie policy",
        "Subscribe to our newsletter",
        "<p>",
    ):
        assert boilerplate not in article.text


@pytest.mark.parametrize(
    "page",
    [
        "<html><body><nav><a href='/'>Home</a></nav></body></html>",
        "<html><head><title>Nothing</title></head><body></body></html>",
    ],
)
def test_sources_html_without_article_text(tmp_path: Path, page: str) -> None:
    error = _one_error(_write(tmp_path / "empty-page.htm", page))
    assert error.reason == "no article text found in the HTML page"


def test_sources_jsonl_reader_reports_bad_line_and_goes_on(tmp_path: Path) -> None:
    lines = [
        json.dumps({"id": "first", "text": f"Title one\n\nLONDON – {EN_BODY}", "date": "2024-02-23"}),
        "",
        "{not json",
        json.dumps({"text": FR_BODY, "url": "https://example.org/2", "lang": "fr"}),
        json.dumps(["not", "an", "object"]),
        json.dumps({"id": "no-text", "title": "x"}),
        json.dumps({"text": "   "}),
        json.dumps({"text": EN_BODY, "title": "Given title", "date": "23 February 2024", "id": 7}),
        json.dumps({"text": 12345}),
    ]
    path = _write(tmp_path / "feed.jsonl", "\n".join(lines) + "\n")
    results = _read_all(path)
    articles = [r for r in results if isinstance(r, Article)]
    errors = [r for r in results if isinstance(r, InputError)]
    assert [a.id for a in articles] == ["first", "feed-4", "7"]
    assert [a.source for a in articles] == [f"{path}:1", f"{path}:4", f"{path}:8"]
    assert {e.source for e in errors} == {str(path)}
    assert [e.line for e in errors] == [3, 5, 6, 7, 9]
    assert errors[-1].reason == 'field "text" must be a string'
    assert "invalid JSON" in errors[0].reason and "(column 2)" in errors[0].reason  # "{not json"
    assert f"{path}:3" in str(errors[0])
    assert articles[0].date == date(2024, 2, 23)
    assert articles[0].title == "Title one"
    assert articles[1].url == "https://example.org/2"
    assert articles[1].lang == "fr"
    assert articles[2].title == "Given title"
    assert articles[2].title_span is None
    assert articles[2].date == date(2024, 2, 23)


def test_sources_folder_order_and_skips(tmp_path: Path) -> None:
    body = f"Title\n\nLONDON – {EN_BODY}"
    _write(tmp_path / "b.txt", body)
    _write(tmp_path / "a.html", HTML_PAGE)
    _write(tmp_path / "a.gold.json", "{}")
    _write(tmp_path / "c.jsonl", json.dumps({"text": EN_BODY}) + "\n" + json.dumps({"text": FR_BODY}))
    _write(tmp_path / "notes.pdf", b"%PDF-1.4")
    _write(tmp_path / ".hidden.txt", body)
    _write(tmp_path / ".git" / "x.txt", body)
    _write(tmp_path / "sub" / "d.md", body)
    _write(tmp_path / "sub" / "d.gold.json", "{}")
    _write(tmp_path / "z.TXT", body)
    _write(tmp_path / "README.md", body)  # the corpus's own notes
    _write(tmp_path / "sub" / "LICENSE.txt", body)
    first = _read_all(tmp_path)
    assert all(isinstance(r, Article) for r in first)
    assert [r.source for r in first if isinstance(r, Article)] == [
        str(tmp_path / "a.html"),
        str(tmp_path / "b.txt"),
        f"{tmp_path / 'c.jsonl'}:1",
        f"{tmp_path / 'c.jsonl'}:2",
        str(tmp_path / "sub" / "d.md"),
        str(tmp_path / "z.TXT"),
    ]
    assert first == _read_all(tmp_path)  # deterministic


def test_sources_error_in_one_file_does_not_stop_the_others(tmp_path: Path) -> None:
    good = _write(tmp_path / "good.txt", EN_BODY)
    empty = _write(tmp_path / "empty.txt", "")
    results = _read_all(empty, tmp_path / "missing.txt", good)
    assert [type(r) for r in results] == [InputError, InputError, Article]


# ----------------------------------------------------------------------------- bad inputs


@pytest.mark.parametrize(
    ("name", "content", "reason"),
    [
        ("empty.txt", b"", "empty file"),
        ("blank.txt", b"  \n\t\n\r\n  ", "empty file"),
        ("bom-only.txt", b"\xef\xbb\xbf\n", "empty file"),
        ("nul.txt", b"Some text\x00with a NUL byte", "binary file, not text"),
        ("controls.txt", bytes(range(1, 9)) * 20 + b"some text", "binary file, not text"),
        ("image.txt", b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR", "binary file, not text"),
        ("empty.jsonl", b"\n\n", "empty file"),
        ("empty.html", b"   ", "empty file"),
    ],
)
def test_sources_unreadable_files(tmp_path: Path, name: str, content: bytes, reason: str) -> None:
    path = _write(tmp_path / name, content)
    error = _one_error(path)
    assert error.reason == reason
    assert error.source == str(path)
    assert str(path) in str(error)


def test_sources_missing_path(tmp_path: Path) -> None:
    missing = tmp_path / "nope" / "article.txt"
    error = _one_error(str(missing))
    assert error.source == str(missing)
    assert "no such file" in error.reason


@pytest.mark.parametrize("name", ["article.pdf", "article.json", "article", "article.gold.json"])
def test_sources_unsupported_extension_given_explicitly(tmp_path: Path, name: str) -> None:
    path = _write(tmp_path / name, EN_BODY)
    error = _one_error(path)
    assert error.source == str(path)


def test_sources_text_over_the_limit(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(sources, "MAX_ARTICLE_CHARS", 100)
    path = _write(tmp_path / "long.txt", "word " * 30)
    error = _one_error(path)
    assert "MAX_ARTICLE_CHARS" in error.reason
    assert "100" in error.reason
    jsonl = _write(tmp_path / "long.jsonl", json.dumps({"text": "word " * 30}) + "\n")
    error = _one_error(jsonl)
    assert error.line == 1
    assert "MAX_ARTICLE_CHARS" in error.reason


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("interpol-2015-07-15-fr", "interpol-2015-07-15-fr"),
        ("Communiqué de presse", "Communique-de-presse"),
        ("a/b:c", "a-b-c"),
        ("v1.2_x", "v1.2_x"),
    ],
)
def test_sources_ids_are_slugged(value: str, expected: str) -> None:
    assert sources.slug(value) == expected
    assert parse_article(EN_BODY, "x.txt", id=value).id == expected



# (text, read without dateparser): the common forms are; an invalid day, a year of 3 digits, "1er",
# an abbreviation with a dot, a determiner or a time are left to dateparser
COMMON_DATES = [("15 juillet 2015", True), ("1 Mai 2024", True), ("09 AOÛT 1999", True), ("31 décembre 2023", True),
                ("12 May 2023", True), ("3 sept 2020", True), ("July 15, 2015", True), ("december 31 2023", True),
                ("15\u00a0juillet\u00a02015", True), ("30 février 2024", False), ("29 feb 2023", False),
                ("32 mars 2020", False), ("0 june 2020", False), ("7 juin 999", False), ("Sep 31, 2021", False),
                ("1er mai 2024", False), ("15 juil. 2015", False), ("2015-07-15", False), ("le 15 juillet 2015", False),
                ("15 juillet 2015 à 10h", False)]


@pytest.mark.parametrize(("value", "read_here"), COMMON_DATES)
@pytest.mark.parametrize("langs", [("fr", "en"), ("en", "fr")])
def test_sources_common_dates_read_as_dateparser_reads_them(value: str, read_here: bool,
                                                            langs: tuple[str, str]) -> None:
    from kg.sources import _common_date, _date_parser

    quick = _common_date(value, langs)
    assert (quick is not None) == read_here
    if quick is not None:
        assert quick == _date_parser(langs, True).get_date_data(value).date_obj
