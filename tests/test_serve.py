"""kg serve: Oxigraph's SPARQL 1.1 Protocol server over the store, on free loopback ports, via SPARQLWrapper."""

from __future__ import annotations

import http.client
import os
import select as select_module
import signal
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
from servers import LOOPBACK, free_port, labels
from SPARQLWrapper import JSON, SPARQLWrapper
from SPARQLWrapper.SPARQLExceptions import SPARQLWrapperException

from kg.errors import StoreError
from kg.serve import Server, snapshot_dirs, start_server
from kg.store import GraphStore


def select(url: str, query: str) -> list[dict[str, str]]:
    """Run a SELECT over the SPARQL 1.1 Protocol; rows of plain values."""
    client = SPARQLWrapper(url)
    client.setQuery(query)
    client.setReturnFormat(JSON)
    client.setTimeout(10)
    answer = client.queryAndConvert()
    assert isinstance(answer, dict)
    return [{k: v["value"] for k, v in b.items()} for b in answer["results"]["bindings"]]


def http_get(server: Server, path: str) -> tuple[int, str]:
    conn = http.client.HTTPConnection(server.host, server.port, timeout=10)
    try:
        conn.request("GET", path)
        resp = conn.getresponse()
        return resp.status, resp.read().decode("utf-8", "replace")
    finally:
        conn.close()


@pytest.fixture
def store(tmp_path: Path) -> Path:
    path = tmp_path / "store"
    with GraphStore(path) as st:
        st.replace_article_graphs({"a1": labels("Europol", "Eurojust"), "a2": labels("Europol")})
    return path


@pytest.fixture
def server(store: Path) -> Iterator[Server]:
    srv = start_server(store, LOOPBACK, free_port(), timeout=10)
    try:
        yield srv
    finally:
        srv.stop()


LABELS = "SELECT DISTINCT ?l WHERE { ?e <http://www.w3.org/2000/01/rdf-schema#label> ?l } ORDER BY ?l"


@pytest.mark.parametrize("path", ["/query", "/sparql"])
def test_serve_answers_sparql_protocol_queries_over_the_union_of_articles(server: Server, path: str) -> None:
    assert [r["l"] for r in select(server.url + path, LABELS)] == ["Eurojust", "Europol"]
    per_article = select(server.url + path, "SELECT ?g (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } } "
                                            "GROUP BY ?g ORDER BY ?g")
    assert [(r["g"].rsplit("/", 1)[1], r["n"]) for r in per_article] == [("a1", "2"), ("a2", "1")]


def test_serve_is_read_only_by_default(server: Server) -> None:
    client = SPARQLWrapper(server.url + "/update")
    client.setMethod("POST")
    client.setQuery("INSERT DATA { <http://example.org/a> <http://example.org/b> <http://example.org/c> }")
    with pytest.raises((SPARQLWrapperException, OSError)):
        client.query()
    assert len(select(server.query_url, "SELECT * WHERE { ?s ?p ?o }")) == 3  # unchanged: 2 + 1 triples


def test_serve_has_a_query_page(server: Server) -> None:
    status, page = http_get(server, "/")
    assert status == 200 and "yasgui" in page.lower()


def test_serve_snapshot_lets_builds_go_on_and_is_removed_on_stop(store: Path) -> None:
    srv = start_server(store, LOOPBACK, free_port(), timeout=10)
    try:
        assert [d for d, pid in snapshot_dirs(store) if pid == os.getpid()]
        with GraphStore(store, wait=2) as st:  # a build while serving: the store is not locked
            st.replace_article_graph("a3", labels("Frontex"))
        with GraphStore(store, read_only=True) as st:
            assert st.article_ids() == ["a1", "a2", "a3"]
        assert [r["l"] for r in select(srv.query_url, LABELS)] == ["Eurojust", "Europol"]  # its snapshot
    finally:
        srv.stop()
    assert not list(snapshot_dirs(store))


def test_serve_writable_locks_the_store_and_accepts_updates(store: Path) -> None:
    srv = start_server(store, LOOPBACK, free_port(), writable=True, timeout=10)
    try:
        with pytest.raises(StoreError, match="in use"):
            GraphStore(store, wait=0.2)
        client = SPARQLWrapper(srv.url + "/update")
        client.setMethod("POST")
        client.setQuery("INSERT DATA { GRAPH <https://w3id.org/coopkg/graph/a9> "
                        "{ <http://example.org/x> <http://www.w3.org/2000/01/rdf-schema#label> 'Frontex' } }")
        client.query()
        assert "Frontex" in [r["l"] for r in select(srv.query_url, LABELS)]
    finally:
        srv.stop()
    with GraphStore(store, read_only=True) as st:
        assert "a9" in st.article_ids()


def test_serve_reports_a_port_in_use(store: Path) -> None:
    with socket.socket() as busy:
        busy.bind((LOOPBACK, 0))
        busy.listen()
        with pytest.raises(StoreError, match="is in use"):
            start_server(store, LOOPBACK, busy.getsockname()[1], ready_within=10)
    assert not list(snapshot_dirs(store))


def test_serve_a_port_another_server_answers_on_is_in_use(store: Path) -> None:
    """A second server on a port the first answers on is refused before it says it serves."""
    port = free_port()
    with start_server(store, LOOPBACK, port):
        with pytest.raises(StoreError, match=f"port {port} on {LOOPBACK} is in use"):
            start_server(store, LOOPBACK, port, ready_within=10)
        assert len(list(snapshot_dirs(store))) == 1  # the first server's own
    assert not list(snapshot_dirs(store))


def test_serve_refuses_a_missing_store(tmp_path: Path) -> None:
    with pytest.raises(StoreError, match="no graph store"):
        start_server(tmp_path / "none", LOOPBACK, free_port())


@pytest.mark.parametrize("stop", [signal.SIGINT, signal.SIGTERM])
def test_cli_serve_runs_until_stopped_and_cleans_up(store: Path, stop: signal.Signals) -> None:
    port = free_port()
    proc = subprocess.Popen([sys.executable, "-m", "kg.cli", "serve", "--store", str(store), "--port", str(port)],
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    try:
        first = ""
        deadline = time.monotonic() + 20
        assert proc.stdout is not None
        while time.monotonic() < deadline and not first and proc.poll() is None:
            if select_module.select([proc.stdout], [], [], 0.2)[0]:
                first = proc.stdout.readline()  # printed once the server answers
        assert f"http://{LOOPBACK}:{port}/query" in first
        assert [r["l"] for r in select(f"http://{LOOPBACK}:{port}/query", LABELS)] == ["Eurojust", "Europol"]
        proc.send_signal(stop)
        _, err = proc.communicate(timeout=40)  # stop() gives Oxigraph 5 s, then kills it
    finally:
        if proc.poll() is None:
            proc.kill()
            proc.communicate()
    assert proc.returncode in (0, 128 + stop), err
    assert not list(snapshot_dirs(store))
    with pytest.raises(OSError):
        socket.create_connection((LOOPBACK, port), timeout=1).close()
