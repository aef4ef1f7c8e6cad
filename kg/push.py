"""``kg push``: hand the store's article graphs to another triple store (SPARQL 1.1 Graph Store Protocol).

Each article's named graph is sent with ``PUT <endpoint>?graph=<graph IRI>`` as Turtle, so
pushing again replaces the graph there. Endpoints: Oxigraph ``http://host:7878/store``,
Fuseki ``http://host:3030/DATASET/data``, GraphDB
``http://host:7200/repositories/REPO/rdf-graphs/service``, Virtuoso
``http://host:8890/sparql-graph-crud``.
"""

from __future__ import annotations

import http.client
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import quote, urlsplit

from kg.errors import CoopkgError
from kg.store import GraphStore, article_graph

OK_STATUSES = (200, 201, 204)
REFUSALS = (400, 401, 403, 404, 405)  # on the first graph: the endpoint is wrong, not the graph


@dataclass
class PushReport:
    """What a push did: the articles sent, and those that failed with why."""

    endpoint: str
    pushed: list[str] = field(default_factory=list)
    failed: list[tuple[str, str]] = field(default_factory=list)
    seconds: float = 0.0

    def summary(self) -> str:
        """A few lines for the terminal."""
        lines = [f"pushed     {len(self.pushed)} article graph{'s' if len(self.pushed) != 1 else ''} "
                 f"to {self.endpoint} in {self.seconds:.1f} s"]
        lines += [f"failed     {a}: {why}" for a, why in self.failed]
        return "\n".join(lines)


class GraphStoreClient:
    """PUT requests to one Graph Store Protocol endpoint over a kept-alive connection."""

    def __init__(self, endpoint: str, timeout: float = 30.0) -> None:
        parts = urlsplit(endpoint)
        if parts.scheme not in ("http", "https") or not parts.hostname:
            raise CoopkgError(f"--endpoint {endpoint!r}: expected an http:// or https:// URL, e.g. "
                              "http://127.0.0.1:7878/store")
        self.endpoint = endpoint
        self.scheme = parts.scheme
        self.host = parts.hostname
        self.port = parts.port
        self.path = (parts.path or "/") + (f"?{parts.query}&" if parts.query else "?")
        self.timeout = timeout
        self.conn: http.client.HTTPConnection | None = None

    def _connect(self) -> http.client.HTTPConnection:
        cls = http.client.HTTPSConnection if self.scheme == "https" else http.client.HTTPConnection
        return cls(self.host, self.port, timeout=self.timeout)

    def put(self, graph_iri: str, turtle: bytes) -> tuple[int, str]:
        """PUT one graph; the HTTP status and the start of the answer. Retries once on a dropped connection."""
        target = f"{self.path}graph={quote(graph_iri, safe='')}"
        headers = {"Content-Type": "text/turtle", "Content-Length": str(len(turtle))}
        for attempt in (1, 2):
            if self.conn is None:
                self.conn = self._connect()
            try:
                self.conn.request("PUT", target, body=turtle, headers=headers)
                resp = self.conn.getresponse()
                body = resp.read(2000).decode("utf-8", "replace")
                resp.read()
                if resp.getheader("Connection", "").lower() == "close":
                    self.close()
                return resp.status, " ".join(body.split())[:300]
            except (OSError, http.client.HTTPException) as e:
                self.close()
                if attempt == 2:
                    raise CoopkgError(f"cannot reach {self.endpoint}: {e}") from e
        raise AssertionError("unreachable")

    def close(self) -> None:
        """Close the connection."""
        if self.conn is not None:
            self.conn.close()
            self.conn = None


def push(store: str | Path, endpoint: str, article_ids: Sequence[str] | None = None, timeout: float = 30.0,
         on_article: Callable[[str], None] | None = None) -> PushReport:
    """Send every article graph of the store (or those named) to ``endpoint``, one PUT each."""
    started = time.perf_counter()
    report = PushReport(endpoint)
    client = GraphStoreClient(endpoint, timeout)
    try:
        with GraphStore(store, read_only=True) as gs:
            present = set(gs.article_ids())
            wanted = list(dict.fromkeys(article_ids)) if article_ids else sorted(present)
            for article_id in wanted:
                if article_id not in present:
                    report.failed.append((article_id, "not in the store"))
                    continue
                try:
                    status, said = client.put(article_graph(article_id).value, gs.dump_article(article_id))
                except CoopkgError as e:
                    if report.pushed:
                        raise CoopkgError(f"{e} (after {len(report.pushed)} graphs were pushed)") from e
                    raise
                if status in OK_STATUSES:
                    report.pushed.append(article_id)
                    if on_article:
                        on_article(article_id)
                elif not report.pushed and not report.failed and status in REFUSALS:
                    raise CoopkgError(f"{endpoint} refused the first graph (HTTP {status}"
                                      f"{': ' + said if said else ''}); is it a Graph Store Protocol "
                                      "endpoint that accepts writes (Oxigraph: /store, Fuseki: /DATASET/data)?")
                else:
                    report.failed.append((article_id, f"HTTP {status}{': ' + said if said else ''}"))
    finally:
        client.close()
    report.seconds = time.perf_counter() - started
    return report
