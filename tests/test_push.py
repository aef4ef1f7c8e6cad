"""kg push: the article graphs PUT to a live `oxigraph serve` (Graph Store Protocol) on a free loopback port."""

from __future__ import annotations

import http.client
import socket
import subprocess
import time
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import quote

import pytest
from rdflib import Graph
from servers import LOOPBACK, free_port, labels

from kg.cli import main
from kg.errors import CoopkgError
from kg.push import push
from kg.serve import oxigraph_command
from kg.store import GraphStore, article_graph


def remote_graph(port: int, article_id: str) -> Graph:
    """What the remote store holds in an article's graph (Graph Store Protocol GET)."""
    conn = http.client.HTTPConnection(LOOPBACK, port, timeout=10)
    try:
        conn.request("GET", f"/store?graph={quote(article_graph(article_id).value, safe='')}",
                     headers={"Accept": "application/n-triples"})
        resp = conn.getresponse()
        body = resp.read().decode("utf-8")
    finally:
        conn.close()
    assert resp.status == 200, body
    return Graph().parse(data=body, format="nt")


@pytest.fixture
def remote() -> Iterator[int]:
    """A live, empty, in-memory `oxigraph serve` on a free loopback port; its port."""
    port = free_port()
    proc = subprocess.Popen([oxigraph_command(), "serve", "--bind", f"{LOOPBACK}:{port}"],
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        deadline = time.monotonic() + 15
        while True:
            try:
                socket.create_connection((LOOPBACK, port), timeout=0.5).close()
                break
            except OSError:
                if time.monotonic() > deadline or proc.poll() is not None:
                    raise RuntimeError("oxigraph serve did not start") from None
                time.sleep(0.1)
        yield port
    finally:
        proc.terminate()
        try:
            proc.wait(5)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()


@pytest.fixture
def store(tmp_path: Path) -> Path:
    path = tmp_path / "store"
    with GraphStore(path) as st:
        st.replace_article_graphs({"a1": labels("Europol", "Eurojust"), "a2": labels("Frontex")})
    return path


def test_push_puts_each_article_in_its_named_graph(store: Path, remote: int) -> None:
    report = push(store, f"http://{LOOPBACK}:{remote}/store")
    assert report.pushed == ["a1", "a2"] and not report.failed
    assert set(remote_graph(remote, "a1")) == set(labels("Europol", "Eurojust"))
    assert set(remote_graph(remote, "a2")) == set(labels("Frontex"))


def test_push_again_replaces_the_remote_graph(store: Path, remote: int) -> None:
    endpoint = f"http://{LOOPBACK}:{remote}/store"
    push(store, endpoint)
    with GraphStore(store) as st:
        st.replace_article_graph("a1", labels("Europol"))
    report = push(store, endpoint, ["a1"])
    assert report.pushed == ["a1"]
    assert set(remote_graph(remote, "a1")) == set(labels("Europol"))  # Eurojust is gone, nothing doubled
    assert set(remote_graph(remote, "a2")) == set(labels("Frontex"))  # not pushed again, still there


def test_push_reports_articles_not_in_the_store(store: Path, remote: int) -> None:
    report = push(store, f"http://{LOOPBACK}:{remote}/store", ["a2", "nope"])
    assert report.pushed == ["a2"] and report.failed == [("nope", "not in the store")]


def test_push_says_when_the_endpoint_refuses_or_is_unreachable(store: Path, remote: int) -> None:
    with pytest.raises(CoopkgError, match="refused the first graph"):
        push(store, f"http://{LOOPBACK}:{remote}/query")
    with pytest.raises(CoopkgError, match="cannot reach"):
        push(store, f"http://{LOOPBACK}:{free_port()}/store", timeout=5)
    with pytest.raises(CoopkgError, match="http"):
        push(store, "ftp://example.org/store")


def test_cli_push_exit_codes(store: Path, remote: int, capsys: pytest.CaptureFixture[str]) -> None:
    endpoint = f"http://{LOOPBACK}:{remote}/store"
    assert main(["push", "--endpoint", endpoint, "--store", str(store)]) == 0
    assert "pushed     2 article graphs" in capsys.readouterr().out
    assert main(["push", "--endpoint", endpoint, "--store", str(store), "--article", "zz"]) == 1
    assert main(["push", "--endpoint", f"http://{LOOPBACK}:{free_port()}/store", "--store", str(store)]) == 2
