"""The remote backend: any SPARQL 1.1 Protocol server (Oxigraph, Fuseki, GraphDB, Virtuoso…).

Reads are SPARQL queries over HTTP (``POST`` with a form-encoded ``query``); writes are
SPARQL updates (``POST`` of ``application/sparql-update`` to the update endpoint). The
standard library's ``urllib`` is enough for that, so the service needs no HTTP client
among its dependencies (httpx stays a test tool).

The triples live in the server's default graph, or in the named graph the
:class:`~graph.store.change_log.Graphs` name (``aikg --graph IRI``): every query and update
then names it, so the server's idea of its default graph (Virtuoso's: the union of all
graphs) does not matter.

A worker serves a *snapshot*: the whole graph, fetched with ``CONSTRUCT`` into an
in-memory Oxigraph store, tagged with the revision it holds. The reasoning index needs
every triple anyway, and the Turtle export and per-concept reads then cost no round trip
per subject. A snapshot is never part of the graph: it is read in pages (``LIMIT``/``OFFSET``,
each page as long as the server answers: Virtuoso's ``ResultSetMaxRows`` cuts any answer at
10,000 rows, with HTTP 200 and no warning), and the triples that arrived are counted against
a ``COUNT`` of the graph. Pages carry no ``ORDER BY`` (sorting the graph for every page is
slow, and Virtuoso refuses to sort past its row limit), so when they fall short the graph is
read again in parts, split by a hash of the subject, each part checked against its own count;
when one arrives short, the snapshot is refused with an error naming the setting. The
endpoint stays the only truth: workers keep nothing that a restart or a refresh would not
fetch again.
"""

from __future__ import annotations

import json
import urllib.error
import urllib.parse
import urllib.request
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from typing import IO

import pyoxigraph as ox
import rdflib

from graph.errors import EndpointError
from graph.store.change_log import DEFAULT_GRAPHS, Graphs, read_prefixes, read_revision
from graph.store.lease import Lease, lease
from graph.store.oxigraph import Store
from graph.store.protocol import Backend
from graph.store.terms import LiteralValue, Term, Triple

__all__ = ["RemoteStore"]

XSD_STRING = "http://www.w3.org/2001/XMLSchema#string"
RDF_LANG_STRING = "http://www.w3.org/1999/02/22-rdf-syntax-ns#langString"
#: What a snapshot part is split by: the subject, or for a blank one its predicate and object.
PART_KEY = 'MD5(IF(isBlank(?s), CONCAT(STR(?p), IF(isBlank(?o), "", STR(?o))), STR(?s)))'
#: Parts are split at most to this many hexadecimal digits of :data:`PART_KEY` (4,096 parts).
MAX_SPLIT = 3
#: Triples per snapshot page (Virtuoso answers at most 10,000 rows by default).
PAGE_TRIPLES = 10_000
#: Triples per update when a change is sent in chunks (Virtuoso 7 refuses about 1,000).
UPDATE_TRIPLES = 500


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
        graphs: Graphs = DEFAULT_GRAPHS,
        update_triples: int = UPDATE_TRIPLES,
        page_triples: int = PAGE_TRIPLES,
    ) -> None:
        for url in (query_url, update_url):
            if url is not None and urllib.parse.urlsplit(url).scheme not in ("http", "https"):
                raise EndpointError(f"not an http(s) URL: {url!r}")
        self.query_url = query_url
        self.update_url = update_url
        self.timeout_s = timeout_s
        self.prefixes: dict[str, str] = dict(prefixes or {})
        self._given_prefixes = dict(self.prefixes)
        self.graphs = graphs
        #: Changes carrying more triples than this go through staging graphs.
        self.update_triples = update_triples
        #: Triples asked for per snapshot page (a server may answer fewer: the pages go on).
        self.page_triples = page_triples
        self.path = None  # nothing on this machine's disk
        self._latest: Store | None = None
        self._lease: Lease | None = None

    def __repr__(self) -> str:
        return (
            f"RemoteStore({self.query_url!r}, update_url={self.update_url!r}, "
            f"graph={self.graphs.data!r})"
        )

    @property
    def where(self) -> str:
        """The endpoint and graph, as error messages name them."""
        graph = "its default graph" if self.graphs.data is None else f"graph <{self.graphs.data}>"
        return f"{self.query_url} ({graph})"

    # --- the SPARQL 1.1 Protocol --------------------------------------------------------

    def select(self, sparql: str) -> list[tuple[Term | None, ...]]:
        """The rows of a SELECT, from the endpoint's JSON results."""
        answer = self._results(sparql)
        try:
            names = answer["head"]["vars"]
            rows = answer["results"]["bindings"]
        except (KeyError, TypeError):
            raise EndpointError(f"{self.query_url}: a SELECT answered without rows") from None
        return [tuple(_term(row.get(name)) for name in names) for row in rows]

    def ask(self, sparql: str) -> bool:
        """The boolean of an ASK."""
        answer = self._results(sparql)
        if not isinstance(answer.get("boolean"), bool):
            raise EndpointError(f"{self.query_url}: an ASK answered without a boolean")
        return bool(answer["boolean"])

    def _results(self, sparql: str) -> dict:  # type: ignore[type-arg]
        body = self._query(sparql, "application/sparql-results+json")
        try:
            answer = json.loads(body)
        except ValueError:
            raise EndpointError(
                f"{self.query_url}: answered something that is not SPARQL JSON results: "
                f"{body[:200]!r}"
            ) from None
        if not isinstance(answer, dict):
            raise EndpointError(f"{self.query_url}: answered {body[:200]!r}")
        return answer

    def construct(self, sparql: str) -> bytes:
        """The N-Triples of a CONSTRUCT."""
        return self._query(sparql, "application/n-triples")

    def update(self, sparql: str, change_id: str | None = None) -> None:
        """Send a SPARQL Update to the update endpoint (one request: atomic on the server).

        ``change_id`` is not used: a remote store keeps no saved index to bring forward."""
        if self.update_url is None:
            raise EndpointError(
                "this endpoint is read-only here: start with --sparql-update URL to write"
            )
        self._send(
            self.update_url, sparql.encode("utf-8"), {"Content-Type": "application/sparql-update"}
        )

    def snapshot(self) -> tuple[Store, int]:
        """The whole graph in an in-memory store, and the revision it holds; the prefixes the
        imports declared become the store's (and this endpoint's).

        The revision is read before and after the reads; when a write landed in between,
        the fetch is repeated, so the pair is always consistent.
        """
        for _ in range(10):
            before = read_revision(self)
            quads = self._read_graph()
            declared = read_prefixes(self)
            if read_revision(self) == before:
                self.prefixes = {**declared, **self._given_prefixes}
                self._latest = Store()
                self._latest.add_quads(quads)
                self._latest.prefixes = dict(self.prefixes)
                return self._latest, before
        raise EndpointError(f"{self.where}: the graph kept changing while it was being read")

    def count(self, condition: str = "") -> int:
        """How many triples the graph holds (that meet a ``FILTER`` condition)."""
        pattern = self.graphs.holding("?s ?p ?o") + condition
        rows = self.select(f"SELECT (COUNT(*) AS ?n) WHERE {{ {pattern} }}")
        if len(rows) != 1 or not isinstance(rows[0][0], LiteralValue):
            raise EndpointError(f"{self.where}: a COUNT answered {rows!r}")
        return int(rows[0][0].value)

    def _read_graph(self) -> set[ox.Quad]:
        """Every triple of the graph: read in pages of :attr:`page_triples`, checked against a
        count; when they fall short (the server's order moved between pages), read by parts."""
        expected = self.count()
        pattern = self.graphs.holding("?s ?p ?o")
        quads: set[ox.Quad] = set()
        offset, longest = 0, 0
        while len(quads) < expected:
            page = self._construct(
                f"CONSTRUCT {{ ?s ?p ?o }} WHERE {{ {pattern} }} "
                f"LIMIT {self.page_triples} OFFSET {offset}"
            )
            if not page or page <= quads:
                break
            quads |= page
            offset += len(page)
            longest = max(longest, len(page))
        if len(quads) == expected:
            return quads
        return self._read_parts(expected, longest)

    def _read_parts(self, expected: int, longest: int) -> set[ox.Quad]:
        """The graph read in parts by :data:`PART_KEY`, each about a quarter of the longest
        answer the server gave; refused when a part still arrives short."""
        digits = 1
        while 16**digits * longest < 4 * expected:
            digits += 1
        if digits > MAX_SPLIT:
            raise self._cut_short(longest, expected)
        quads: set[ox.Quad] = set()
        for number in range(16**digits):
            prefix = f"{number:0{digits}x}"
            condition = f' FILTER(STRSTARTS({PART_KEY}, "{prefix}"))'
            part = self._construct(
                f"CONSTRUCT {{ ?s ?p ?o }} WHERE {{ {self.graphs.holding('?s ?p ?o')}{condition} }}"
            )
            wanted = self.count(condition)
            if len(part) != wanted:
                raise self._cut_short(len(part), wanted, prefix)
            quads |= part
        return quads

    def _cut_short(self, received: int, expected: int, prefix: str = "") -> EndpointError:
        part = f" (those whose key starts {prefix})" if prefix else ""
        return EndpointError(
            f"{self.where} answered {received:,} of {expected:,} triples{part}: the server cuts "
            "its answers short, and aikg never serves part of a graph; raise the server's limit "
            "on result rows (Virtuoso: ResultSetMaxRows in the [SPARQL] section of virtuoso.ini)"
        )

    def _construct(self, sparql: str) -> set[ox.Quad]:
        """The distinct triples of a CONSTRUCT, as quads of the default graph."""
        data = self.construct(sparql)
        try:
            return set(ox.parse(data, format=ox.RdfFormat.N_TRIPLES))
        except SyntaxError as error:
            raise EndpointError(f"{self.where}: unreadable N-Triples: {error}") from None

    @contextmanager
    def writing(self, wait_s: float = 60.0) -> Iterator[None]:
        """Hold the endpoint's write lease inside the block (:mod:`graph.store.lease`); first
        drop the staging graphs a crashed writer left (:mod:`graph.store.staging`)."""
        from graph.store.staging import drop_leftovers

        with lease(self, wait_s) as held:
            self._lease = held
            try:
                drop_leftovers(self)
                yield
            finally:
                self._lease = None

    def renew_lease(self) -> None:
        """Keep the write lease alive during a long write (a no-op without one)."""
        if self._lease is not None:
            self._lease.renew()

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
            detail = " ".join(error.read(500).decode("utf-8", "replace").split())
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

    def write_ntriples(self, output: IO[bytes]) -> None:
        self.latest.write_ntriples(output)

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
