"""What the server tests (kg serve, kg push) share: a free loopback port and a small graph of labels."""

from __future__ import annotations

import socket

from rdflib import Graph, Literal, URIRef
from rdflib.namespace import RDFS

from kg.vocab import ID

LOOPBACK = "127.0.0.1"


def free_port() -> int:
    """A port nothing listens on, on the loopback interface."""
    with socket.socket() as s:
        s.bind((LOOPBACK, 0))
        return int(s.getsockname()[1])


def labels(*names: str) -> Graph:
    """One organisation per name, with its French label."""
    g = Graph()
    for n in names:
        g.add((URIRef(ID[f"org/{n.lower()}"]), RDFS.label, Literal(n, lang="fr")))
    return g
