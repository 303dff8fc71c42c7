"""One engine measured in its own process, so its load time and peak memory are its own.

Run as ``python -m benchmarks.engines ENGINE DATA QUESTIONS`` and print one JSON object.
Engines: ``aikg`` (our index, in-process), ``pyoxigraph`` (SPARQL with property paths),
``rdflib`` (SPARQL with property paths, prepared queries and bound variables).
"""

from __future__ import annotations

import functools
import gc
import json
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

from graph.loading import load_files
from graph.model import ConceptFilter, ConceptKind, ConceptOrder, RelationFilter
from graph.store.turtle import export_turtle

PREFIXES = (
    "PREFIX rdf: <http://www.w3.org/1999/02/22-rdf-syntax-ns#>\n"
    "PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>\n"
    "PREFIX skos: <http://www.w3.org/2004/02/skos/core#>\n"
    "PREFIX aikgs: <https://w3id.org/aikg/schema/>\n"
    "PREFIX dcterms: <http://purl.org/dc/terms/>\n"
)
SPARQL = {
    "is_a": "ASK { ?s rdfs:subClassOf+ ?o }",
    "example_of": "ASK { ?s rdf:type/rdfs:subClassOf* ?o }",
    "ancestors": "SELECT DISTINCT ?a WHERE { ?s rdfs:subClassOf+ ?a }",
    "examples_page": "SELECT DISTINCT ?e WHERE { ?e rdf:type/rdfs:subClassOf* ?o } LIMIT 50",
    "examples_count": "SELECT (COUNT(DISTINCT ?e) AS ?n) WHERE { ?e rdf:type/rdfs:subClassOf* ?o }",
    # The same work as our filtered list, not the same order: SPARQL sorts the dates as text.
    "filtered_list": (
        "SELECT DISTINCT ?e ?d WHERE { ?e rdf:type/rdfs:subClassOf* ?o . "
        "?e aikgs:developedBy/aikgs:partOf* ?c . OPTIONAL { ?e dcterms:issued ?d } } "
        "ORDER BY DESC(STR(?d)) ?e LIMIT 50"
    ),
    "under_list": (
        "SELECT DISTINCT ?e ?d WHERE { { ?e rdfs:subClassOf+ ?o } UNION "
        "{ ?e rdf:type/rdfs:subClassOf* ?o } OPTIONAL { ?e dcterms:issued ?d } } "
        "ORDER BY DESC(STR(?d)) ?e LIMIT 50"
    ),
    "search": (
        "SELECT ?c WHERE { ?c skos:prefLabel ?l FILTER(STRSTARTS(LCASE(STR(?l)), ?q)) } LIMIT 10"
    ),
}


def peak_rss_mb() -> float:
    """This process's peak resident memory (VmHWM), in MiB."""
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1]) / 1024
    return float("nan")


def timed(call: Callable[[], Any], repeat: int, budget_s: float = 3.0) -> dict[str, float]:
    """Median and p99 of up to ``repeat`` calls, in microseconds, after one warm-up call.

    Slow questions get fewer calls, so that each stays within about ``budget_s``.
    """
    start = time.perf_counter()
    call()
    first = time.perf_counter() - start
    samples = []
    for _ in range(max(3, min(repeat, int(budget_s / max(first, 1e-9))))):
        start = time.perf_counter_ns()
        call()
        samples.append((time.perf_counter_ns() - start) / 1000)
    samples.sort()
    return {
        "median_us": samples[len(samples) // 2],
        "p99_us": samples[min(len(samples) - 1, int(len(samples) * 0.99))],
    }


#: A question whose name ends so is timed once, first: a cold call, not a median of warm ones.
FIRST_CALL = ", first call in a process"


def once(call: Callable[[], Any]) -> dict[str, float]:
    """One call's time, in microseconds (as median and p99, so it prints like the others)."""
    start = time.perf_counter_ns()
    call()
    elapsed = (time.perf_counter_ns() - start) / 1000
    return {"median_us": elapsed, "p99_us": elapsed}


def aikg_engine(
    data: Path, store: Path | None = None
) -> tuple[dict[str, Callable[..., Any]], Callable[[], Any]]:
    kg = load_files([data], store)
    _OWN_EXPORT["aikg"] = _pyoxigraphs_own_export(kg.store)
    return _calls(kg), lambda: export_turtle(kg.store)


def _calls(kg: Any) -> dict[str, Callable[..., Any]]:
    """Every question, asked of one of our graphs."""
    return {
        "is_a": lambda s, o: kg.is_a(s, o),
        "is_a_with_proof": lambda s, o: kg.prove_is_a(s, o).path,
        "example_of": lambda s, o: kg.example_of(s, o),
        "ancestors": lambda s: kg.ancestors(s),
        "examples_page": lambda o: kg.examples(o, limit=50),
        "examples_count": lambda o: kg.example_count(o),
        # Search results are kept in a small LRU cache; the benchmark measures the uncached search.
        "search": lambda q: (kg._search.cache_clear(), kg.search(q, 10)),
        "related": lambda s: kg.related(s, 10),
        "path": lambda s, o: kg.path(s, o),
        "filtered_list": lambda kind, predicate, obj, order: kg.concepts(
            kind=ConceptKind.EXAMPLE,  # the named examples of the kind, through its sub-kinds
            first=50,
            filters=ConceptFilter(under=kind, where=(RelationFilter(predicate, obj),)),
            order=ConceptOrder[order],
        ),
        "under_list": lambda root, order: kg.concepts(
            first=50, filters=ConceptFilter(under=root), order=ConceptOrder[order]
        ),
        "ordered_list": lambda order: kg.concepts(
            first=50, after=_cursor(kg, order), order=ConceptOrder[order]
        ),
    }


@functools.cache
def _cursor(kg: Any, order: str) -> str | None:
    """The cursor after the first 1,000 concepts in an order (asked once)."""
    return kg.concepts(first=1000, order=ConceptOrder[order]).end_cursor


def aikg_disk_engine(data: Path) -> tuple[dict[str, Callable[..., Any]], Callable[[], Any]]:
    """Ours with the on-disk store (``aikg load --store``): Oxigraph's bulk loader, then our
    index built and saved; the questions are asked of the store reopened as a restarted server
    opens it (its saved index read back), and the reopening is left out of the load time."""
    from graph.loading import open_store

    store = _fresh_directory("aikg-disk")
    load_files([data], store).store.close()
    # The loaded graph's reference cycles (its caches hold bound methods) are collected here, as
    # a command-line load's exit collects them, and counted in the load: left for later, the
    # first question asked of the reopened store paid for them (1.6 s at a million kinds).
    gc.collect()
    start = time.perf_counter()
    kg = open_store(store)
    _REOPEN_S["aikg-disk"] = time.perf_counter() - start
    _OWN_EXPORT["aikg-disk"] = _pyoxigraphs_own_export(kg.store)
    return _calls(kg), lambda: export_turtle(kg.store)


def _pyoxigraphs_own_export(store: Any) -> Callable[[], Any]:
    """pyoxigraph's own Turtle serialisation of the very store our export reads (in memory or on
    disk), with the same prefixes, into memory as ours is: the yardstick for our writer."""
    import pyoxigraph as ox

    from graph import vocabulary as V

    prefixes = {**store.prefixes, **V.PREFIXES}
    return lambda: store._store.dump(  # the Oxigraph store itself, not our wrapper
        format=ox.RdfFormat.TURTLE, from_graph=ox.DefaultGraph(), prefixes=prefixes
    )


def pyoxigraph_engine(
    data: Path, on_disk: bool = False
) -> tuple[dict[str, Callable[..., Any]], Callable[[], Any]]:
    import pyoxigraph as ox

    if on_disk:
        store = ox.Store(str(_fresh_directory("pyoxigraph-disk")))
        store.bulk_load(path=data, format=ox.RdfFormat.TURTLE, to_graph=ox.DefaultGraph())
    else:
        store = ox.Store()
        store.load(path=data, format=ox.RdfFormat.TURTLE, to_graph=ox.DefaultGraph())

    def query(name: str, **terms: str) -> Callable[..., Any]:
        text = PREFIXES + SPARQL[name]
        for variable, value in terms.items():  # IRIs validated by NamedNode, inlined (see README)
            text = text.replace(f"?{variable} ", f"{ox.NamedNode(value)} ")
        return lambda: _drain(store.query(text))

    def search(q: str) -> Any:
        literal = ox.Literal(q.lower())
        return _drain(store.query(PREFIXES + SPARQL["search"].replace("?q)", f"{literal})")))

    calls = {
        "is_a": lambda s, o: query("is_a", s=s, o=o)(),
        "example_of": lambda s, o: query("example_of", s=s, o=o)(),
        "ancestors": lambda s: query("ancestors", s=s)(),
        "examples_page": lambda o: query("examples_page", o=o)(),
        "examples_count": lambda o: query("examples_count", o=o)(),
        "filtered_list": lambda o, _predicate, c, _order: query("filtered_list", o=o, c=c)(),
        "under_list": lambda o, _order: query("under_list", o=o)(),
        "search": search,
    }
    return calls, lambda: store.dump(format=ox.RdfFormat.TURTLE, from_graph=ox.DefaultGraph())


def pyoxigraph_disk_engine(data: Path) -> tuple[dict[str, Callable[..., Any]], Callable[[], Any]]:
    """Oxigraph's bulk loader into an on-disk store, the same SPARQL questions."""
    return pyoxigraph_engine(data, on_disk=True)


def _fresh_directory(engine: str) -> Path:
    """An empty directory for an on-disk store, removed again when this process ends."""
    import atexit
    import shutil
    import tempfile

    directory = Path(tempfile.mkdtemp(prefix=f"bench-{engine}-"))
    atexit.register(shutil.rmtree, directory, True)
    _STORES[engine] = directory / "store"
    return _STORES[engine]


#: The on-disk stores made in this process, by engine.
_STORES: dict[str, Path] = {}
#: Seconds an engine spent reopening its store after the load, by engine.
_REOPEN_S: dict[str, float] = {}
#: pyoxigraph's own Turtle serialisation of an aikg engine's store, by engine.
_OWN_EXPORT: dict[str, Callable[[], Any]] = {}


def restart_seconds(store: Path) -> float:
    """How long a new process takes to open a saved store and answer one question."""
    import subprocess

    script = (
        "import sys, time; t = time.perf_counter(); from graph.loading import open_store; "
        "kg = open_store(__import__('pathlib').Path(sys.argv[1])); kg.find('kind 1'); "
        "print(time.perf_counter() - t)"
    )
    done = subprocess.run(
        [sys.executable, "-c", script, str(store)], capture_output=True, text=True, check=True
    )
    return float(done.stdout.strip())


def rdflib_engine(data: Path) -> tuple[dict[str, Callable[..., Any]], Callable[[], Any]]:
    import rdflib
    from rdflib.plugins.sparql import prepareQuery

    graph = rdflib.Graph()
    graph.parse(data, format="turtle")
    prepared = {name: prepareQuery(PREFIXES + text) for name, text in SPARQL.items()}

    def run(name: str, **terms: Any) -> Any:
        bindings = {
            k: rdflib.URIRef(v) if k != "q" else rdflib.Literal(v.lower()) for k, v in terms.items()
        }
        return _drain(graph.query(prepared[name], initBindings=bindings))

    calls = {
        "is_a": lambda s, o: run("is_a", s=s, o=o),
        "example_of": lambda s, o: run("example_of", s=s, o=o),
        "ancestors": lambda s: run("ancestors", s=s),
        "examples_page": lambda o: run("examples_page", o=o),
        "examples_count": lambda o: run("examples_count", o=o),
        "search": lambda q: run("search", q=q),
    }
    return calls, lambda: graph.serialize(format="turtle")


#: The named graph a server holds the benchmark's data in.
BENCH_GRAPH = "https://example.org/aikg-benchmark"


def bulk_loaded_server(kind: str, data: Path) -> Any:
    """A SPARQL server (Oxigraph's or Virtuoso) holding ``data`` in :data:`BENCH_GRAPH`, loaded by
    the server's own bulk loader (aikg's import, checked and chunked, is not what is measured).
    """
    import shutil
    import subprocess

    from graph.store.change_log import Graphs
    from tests.sparql_servers import oxigraph_binary, start_oxigraph, start_virtuoso

    location = _fresh_directory(f"{kind}-server")
    location.mkdir(parents=True)
    if kind == "oxigraph":
        loader = [str(oxigraph_binary()), "load", "--location", str(location)]
        subprocess.run([*loader, "--file", str(data), "--graph", BENCH_GRAPH], check=True)
        server = start_oxigraph(location)
    else:
        server = start_virtuoso(location)
        shutil.copy(data, location / "data.ttl")  # within the server's DirsAllowed (".")
        load = (
            f"DB.DBA.TTLP_MT(file_to_string_output('data.ttl'), '', '{BENCH_GRAPH}', 0); "
            "checkpoint;"
        )
        subprocess.run(
            ["isql-vt", str(server.sql_port), "dba", "dba", f"exec={load}"],
            check=True,
            capture_output=True,
        )
    server.graphs = Graphs.named(BENCH_GRAPH)
    _SERVERS[kind] = server
    return server


def served_engine(kind: str) -> Callable[[Path], Any]:
    """Ours as a worker of ``aikg serve --sparql URL --graph IRI``: its first snapshot of the
    graph (paged reads, then the index) is the load; the server runs in its own process, so
    the memory is the worker's alone."""

    def engine(data: Path) -> tuple[dict[str, Callable[..., Any]], Callable[[], Any]]:
        from graph.edits.live import LiveGraph
        from graph.store.turtle import export_turtle

        server = _SERVERS[kind]
        kg = LiveGraph(server.store(writable=False)).current
        return _calls(kg), lambda: export_turtle(kg.store)

    return engine


_SERVERS: dict[str, Any] = {}


def _drain(result: Any) -> Any:
    if isinstance(result, bool) or type(result).__name__ == "QueryBoolean":
        return bool(result)
    return list(result)


ENGINES = {
    "aikg": aikg_engine,
    "aikg-disk": aikg_disk_engine,
    "pyoxigraph": pyoxigraph_engine,
    "pyoxigraph-disk": pyoxigraph_disk_engine,
    "rdflib": rdflib_engine,
    "aikg-oxigraph-server": served_engine("oxigraph"),
    "aikg-virtuoso": served_engine("virtuoso"),
}
#: What is done before an engine's clock starts: the servers are filled by their own loaders.
PREPARE: dict[str, Callable[[Path], Any]] = {
    "aikg-oxigraph-server": lambda data: bulk_loaded_server("oxigraph", data),
    "aikg-virtuoso": lambda data: bulk_loaded_server("virtuoso", data),
}


def measure(
    engine: str, data: Path, questions: dict[str, list[Any]], repeat: int
) -> dict[str, Any]:
    """Load, then time every question this engine can answer, then export."""
    prepare = PREPARE.get(engine)
    if prepare is not None:
        prepare(data)
    start = time.perf_counter()
    calls, export = ENGINES[engine](data)
    loaded_s = time.perf_counter() - start - _REOPEN_S.get(engine, 0.0)
    result: dict[str, Any] = {"engine": engine, "load_s": loaded_s}
    result["load_rss_mb"] = peak_rss_mb()
    for name, (question, args) in questions.items():  # first calls first, each timed once
        call = calls.get(question)
        if call is not None and name.endswith(FIRST_CALL):
            result[name] = once(functools.partial(call, *args))
    for name, (question, args) in questions.items():
        call = calls.get(question)
        if call is not None and not name.endswith(FIRST_CALL):
            result[name] = timed(functools.partial(call, *args), repeat)
    start = time.perf_counter()
    export()
    result["export_s"] = time.perf_counter() - start
    result["peak_rss_mb"] = peak_rss_mb()  # before pyoxigraph's own export, which is not ours
    own_export = _OWN_EXPORT.get(engine)
    if own_export is not None:
        start = time.perf_counter()
        own_export()
        result["own_export_s"] = time.perf_counter() - start
    if engine == "aikg-disk":
        result["restart_s"] = restart_seconds(_STORES[engine])
    for server in _SERVERS.values():
        server.stop()
    return result


if __name__ == "__main__":
    engine_name, data_path, questions_path, repeats = sys.argv[1:5]
    asked = json.loads(Path(questions_path).read_text())
    print(json.dumps(measure(engine_name, Path(data_path), asked, int(repeats))))
