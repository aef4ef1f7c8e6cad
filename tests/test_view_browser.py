"""The view in a real headless Chromium with the network blocked: offline, complete, searchable, safe.

Skipped with the reason when Chromium or websocket-client is missing, except under CI
(``CI`` set), where it must run: .ci/run installs Chromium.
"""

from __future__ import annotations

import json
import os
from typing import Any

import pytest
from chromium import Chromium, chromium_path
from graphs import HOSTILE_SCRIPT, example_graph, expected_counts, hostile

from kg.view import write_view

READY = "window.coopkgView && window.coopkgView.ready"


def _cannot(reason: str) -> None:
    if os.environ.get("CI"):
        pytest.fail(f"{reason}: CI must run the browser test")
    pytest.skip(reason)


@pytest.fixture(scope="module")
def browser():
    executable = chromium_path()
    if executable is None:
        _cannot("chromium is not installed (apt-get install chromium, or set COOPKG_CHROMIUM)")
    try:
        import websocket  # noqa: F401
    except ImportError:
        _cannot("websocket-client is not installed (pip install -e '.[test]')")
    assert executable is not None
    b = Chromium(executable)
    try:
        yield b
    finally:
        b.close()


@pytest.fixture(scope="module")
def example(browser, example_extraction, tmp_path_factory):
    g = example_graph(example_extraction)
    page = write_view(g, tmp_path_factory.mktemp("view") / "graph.html", lang="fr")
    browser.open(page.as_uri())
    browser.wait_for(READY, timeout=30)
    return browser, page, g


def js(b: Chromium, expression: str) -> Any:
    return b.evaluate(expression)


def click(b: Chromium, x: float, y: float) -> None:
    """A real left click at page coordinates."""
    for kind in ("mouseMoved", "mousePressed", "mouseReleased"):
        b.send("Input.dispatchMouseEvent", type=kind, x=x, y=y, button="left", clickCount=1)


def centre_of(b: Chromium, selector: str) -> tuple[float, float]:
    r = js(b, f"(() => {{ const r = document.querySelector({json.dumps(selector)}).getBoundingClientRect();"
              "return [r.x + r.width / 2, r.y + r.height / 2]; })()")
    return r[0], r[1]


def node_on_page(b: Chromium, node_id: int) -> tuple[float, float]:
    """Where a node is drawn, in page coordinates."""
    r = js(b, f"(() => {{ const v = coopkgView.network, p = v.canvasToDOM(v.getPosition({node_id}));"
              "const c = document.getElementById('coopkg-network').getBoundingClientRect();"
              "return [c.x + p.x, c.y + p.y]; })()")
    return r[0], r[1]


def edge_on_page(b: Chromium, edge_id: int) -> tuple[float, float]:
    """The middle of an edge as drawn (straight or curved), in page coordinates."""
    r = js(b, f"(() => {{ const v = coopkgView.network, e = v.body.edges[{edge_id}];"
              "const p = v.canvasToDOM(e.edgeType.getPoint(0.5));"
              "const c = document.getElementById('coopkg-network').getBoundingClientRect();"
              "return [c.x + p.x, c.y + p.y]; })()")
    return r[0], r[1]


def drawn(b: Chromium) -> tuple[int, int]:
    return tuple(js(b, "[coopkgView.drawnNodeIds().length, coopkgView.drawnEdgeIds().length]"))


def test_view_browser_example_opens_offline_with_no_error(example, tmp_path):
    b, page, _ = example
    shot = b.screenshot(tmp_path / "view-example.png")
    assert shot.stat().st_size > 10_000
    assert b.requests == [page.as_uri()]
    assert b.console_errors == []
    assert js(b, "typeof vis") == "object"


def test_view_browser_draws_as_many_nodes_and_edges_as_the_graph(example):
    b, _, g = example
    assert drawn(b) == expected_counts(g)
    assert js(b, "document.getElementById('coopkg-counts').textContent").startswith(f"{expected_counts(g)[0]} / ")


def test_view_browser_search_finds_mogherini(example):
    b, _, _ = example
    js(b, "document.getElementById('coopkg-search').focus()")
    b.send("Input.insertText", text="Mogherini")
    b.wait_for("document.querySelectorAll('#coopkg-results li').length > 0", timeout=5)
    for kind in ("keyDown", "keyUp"):
        b.send("Input.dispatchKeyEvent", type=kind, key="Enter", code="Enter", windowsVirtualKeyCode=13)
    b.wait_for("coopkgView.network.getSelectedNodes().length === 1", timeout=5)
    selected = js(b, "coopkgView.network.getSelectedNodes()[0]")
    assert "Mogherini" in js(b, f"coopkgView.nodes.get({selected}).label")
    assert "Mogherini" in js(b, "document.querySelector('#coopkg-details h2').textContent")
    js(b, "document.getElementById('coopkg-search').value = ''")


def test_view_browser_filter_hides_the_persons(example):
    b, _, _ = example
    before = drawn(b)
    persons = js(b, "coopkgView.nodes.get({filter: n => n.kind === 'person'}).map(n => n.id)")
    assert persons
    click(b, *centre_of(b, 'input[data-kind="person"]'))
    b.wait_for("!document.querySelector('input[data-kind=\"person\"]').checked", timeout=5)
    ids = js(b, "coopkgView.drawnNodeIds()")
    assert not set(ids) & set(persons)
    assert len(ids) == before[0] - len(persons)
    touching = js(b, f"coopkgView.edges.get({{filter: e => {persons}.includes(e.from) || {persons}.includes(e.to)}})"
                     ".map(e => e.id)")
    assert not set(js(b, "coopkgView.drawnEdgeIds()")) & set(touching)
    click(b, *centre_of(b, 'input[data-kind="person"]'))
    b.wait_for("document.querySelector('input[data-kind=\"person\"]').checked", timeout=5)
    assert drawn(b) == before


def test_view_browser_example_stayed_offline_while_used(example):
    b, page, _ = example
    assert b.requests == [page.as_uri()] and b.console_errors == []


def test_view_browser_markup_in_an_article_does_not_run(browser, tmp_path):
    page = write_view(hostile(), tmp_path / "hostile.html", lang="en")
    browser.open(page.as_uri())
    browser.wait_for(READY, timeout=30)
    evil = js(browser, "coopkgView.nodes.get({filter: n => n.label.startsWith('Evil')})[0].id")
    browser.send("Input.dispatchMouseEvent", type="mouseMoved", x=node_on_page(browser, evil)[0],
                 y=node_on_page(browser, evil)[1])
    browser.wait_for("document.querySelector('#coopkg-details h2').textContent.startsWith('Evil')", timeout=5)
    assert "<img" in js(browser, "document.querySelector('#coopkg-details h2').textContent")
    click(browser, *edge_on_page(browser, 0))
    browser.wait_for("document.querySelector('#coopkg-details blockquote') !== null", timeout=5)
    details = js(browser, "document.getElementById('coopkg-details').textContent")
    assert HOSTILE_SCRIPT in details and "Breaking" in details
    assert js(browser, "typeof window.__pwned") == "undefined"
    assert js(browser, "document.querySelectorAll('img, #coopkg-details script').length") == 0
    assert js(browser, "document.querySelectorAll('a[href^=\"javascript\"]').length") == 0
    assert browser.requests == [page.as_uri()]
    assert browser.console_errors == []
    browser.screenshot(tmp_path / "view-hostile.png")

