"""The remote backend: any SPARQL 1.1 Protocol server (Oxigraph, Fuseki, GraphDB, Virtuoso…).

Reads are SPARQL queries over HTTP (``POST`` with a form-encoded ``query``); writes are
SPARQL updates (``POST`` of ``application/sparql-update`` to the update endpoint). The
standard library's ``urllib`` is enough for that, so the service needs no HTTP client
among its dependencies (httpx stays a test tool).

A worker serves a *snapshot*: the whole default graph, fetched with one ``CONSTRUCT`` into
an in-memory Oxigraph store, tagged with the revision it holds. The reasoning index needs
every triple anyway, and the Turtle export and per-concept reads then cost no round trip
per subject. The endpoint stays the only truth: workers keep nothing that a restart or a
refresh would not fetch again.
"""

from __future__ import annotations

import json
import urllib.error
import urllib.parse
import urllib.request
from collections.abc import Iterator, Mapping
from contextlib import AbstractContextManager

import pyoxigraph as ox
import rdflib

from graph.errors import EndpointError
from graph.store.change_log import read_revision
from graph.store.lease import lease
from graph.store.oxigraph import Store
from graph.store.protocol import Backend
from graph.store.terms import LiteralValue, Term, Triple

__all__ = ["RemoteStore"]

XSD_STRING = "http://www.w3.org/2001/XMLSchema#string"
RDF_LANG_STRING = "http://www.w3.org/1999/02/22-rdf-syntax-ns#langString"
SNAPSHOT = "CONSTRUCT { ?s ?p ?o } WHERE { ?s ?p ?o }"


class RemoteStore(Backend):
    """A SPARQL 1.1 endpoint as a :class:`Backend`, like :class:`graph.store.Store`.

    The :class:`GraphStore` reads answer from the latest snapshot (see :meth:`snapshot`);
    ``select``, ``ask`` and ``update`` go to the endpoint every time. Loading files is not
    offered here: imports go through :func:`graph.edits.imports.import_into_endpoint`.
    """

    #: Served from snapshot copies: a commit changes the endpoint, never a snapshot.
    snapshot_is_live = False
    #: Any number of workers (and other clients) write to the same endpoint.
    written_elsewhere = True

    def __init__(
        self,
        query_url: str,
        update_url: str | None = None,
        timeout_s: float = 60.0,
        prefixes: dict[str, str] | None = None,
    ) -> None:
        for url in (query_url, update_url):
            if url is not None and urllib.parse.urlsplit(url).scheme not in ("http", "https"):
                raise EndpointError(f"not an http(s) URL: {url!r}")
        self.query_url = query_url
        self.update_url = update_url
        self.timeout_s = timeout_s
        self.prefixes: dict[str, str] = dict(prefixes or {})
        self.path = None  # nothing on this machine's disk
        self._latest: Store | None = None

    def __repr__(self) -> str:
        return f"RemoteStore({self.query_url!r}, update_url={self.update_url!r})"

    # --- the SPARQL 1.1 Protocol --------------------------------------------------------

    def select(self, sparql: str) -> list[tuple[Term | None, ...]]:
        """The rows of a SELECT, from the endpoint's JSON results."""
        answer = json.loads(self._query(sparql, "application/sparql-results+json"))
        names = answer["head"]["vars"]
        return [
            tuple(_term(row.get(name)) for name in names) for row in answer["results"]["bindings"]
        ]

    def ask(self, sparql: str) -> bool:
        """The boolean of an ASK."""
        return bool(json.loads(self._query(sparql, "application/sparql-results+json"))["boolean"])

    def construct(self, sparql: str) -> bytes:
        """The N-Triples of a CONSTRUCT."""
        return self._query(sparql, "application/n-triples")

    def update(self, sparql: str) -> None:
        """Send a SPARQL Update to the update endpoint (one request: atomic on the server)."""
        if self.update_url is None:
            raise EndpointError(
                "this endpoint is read-only here: start with --sparql-update URL to write"
            )
        self._send(
            self.update_url, sparql.encode("utf-8"), {"Content-Type": "application/sparql-update"}
        )

    def snapshot(self) -> tuple[Store, int]:
        """The default graph in an in-memory store, and the revision it holds.

        The revision is read before and after the ``CONSTRUCT``; when a write landed in
        between, the fetch is repeated, so the pair is always consistent.
        """
        for _ in range(10):
            before = read_revision(self)
            data = self.construct(SNAPSHOT)
            if read_revision(self) == before:
                self._latest = Store.from_ntriples(data, self.prefixes)
                return self._latest, before
        raise EndpointError(f"{self.query_url}: the graph kept changing while it was being read")

    def writing(self, wait_s: float = 60.0) -> AbstractContextManager[None]:
        """Hold the endpoint's write lease inside the block (:mod:`graph.store.lease`)."""
        return lease(self, wait_s)

    def _query(self, sparql: str, accept: str) -> bytes:
        body = urllib.parse.urlencode({"query": sparql}).encode("ascii")
        headers = {"Content-Type": "application/x-www-form-urlencoded", "Accept": accept}
        return self._send(self.query_url, body, headers)

    def _send(self, url: str, body: bytes, headers: dict[str, str]) -> bytes:
        request = urllib.request.Request(url, data=body, headers=headers, method="POST")
        try:
            with urllib.request.urlopen(request, timeout=self.timeout_s) as response:
                return bytes(response.read())
        except urllib.error.HTTPError as error:
            detail = error.read(500).decode("utf-8", "replace").strip()
            raise EndpointError(f"{url}: HTTP {error.code}: {detail}") from None
        except (urllib.error.URLError, OSError) as error:
            reason = getattr(error, "reason", error)
            raise EndpointError(f"{url}: unreachable: {reason}") from None

    # --- the GraphStore reads, answered from the latest snapshot ----------------------------

    @property
    def latest(self) -> Store:
        """The latest snapshot (fetched now when there is none yet)."""
        if self._latest is None:
            self.snapshot()
        assert self._latest is not None
        return self._latest

    def __len__(self) -> int:
        return len(self.latest)

    def triples(self, predicate: str | None = None) -> Iterator[Triple]:
        return self.latest.triples(predicate)

    def predicates(self) -> list[str]:
        return self.latest.predicates()

    def named_subjects(self) -> list[str]:
        return self.latest.named_subjects()

    def blank_subjects(self) -> list[str]:
        return self.latest.blank_subjects()

    def blank_references(self) -> dict[str, int]:
        return self.latest.blank_references()

    def describe(self, subject: str) -> list[tuple[str, Term]]:
        return self.latest.describe(subject)

    def default_quads(self) -> Iterator[ox.Quad]:
        return self.latest.default_quads()

    def referrers(self, obj: str) -> list[tuple[str, str]]:
        return self.latest.referrers(obj)

    def to_rdflib(self) -> rdflib.Graph:
        return self.latest.to_rdflib()

    def query_results(
        self,
        sparql: str,
        results_type: str | None,
        graph_type: str | None,
        *,
        max_bytes: int,
        deadline: float | None = None,
        prefixes: Mapping[str, str] | None = None,
    ) -> tuple[str, bytes]:
        """The query run on the latest snapshot (see :meth:`Store.query_results`)."""
        return self.latest.query_results(
            sparql,
            results_type,
            graph_type,
            max_bytes=max_bytes,
            deadline=deadline,
            prefixes=prefixes,
        )

    def close(self) -> None:
        """Drop the snapshot (the endpoint holds everything)."""
        self._latest = None


def _term(binding: dict[str, str] | None) -> Term | None:
    """A term of the SPARQL 1.1 JSON results format."""
    if binding is None:
        return None
    kind, value = binding["type"], binding["value"]
    if kind == "uri":
        return value
    if kind == "bnode":
        return "_:" + value
    if kind in ("literal", "typed-literal"):
        language = binding.get("xml:lang")
        datatype = RDF_LANG_STRING if language else binding.get("datatype", XSD_STRING)
        return LiteralValue(value, language, datatype)
    raise EndpointError(f"unsupported term in SPARQL results: {binding!r}")
