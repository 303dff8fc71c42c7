"""The endpoint's read-only policy: keywords are found where Oxigraph would see them, and
every query that would make Oxigraph open a connection (SERVICE) is refused."""

from __future__ import annotations

import random
import socket
import threading
from collections.abc import Iterator

import pyoxigraph as ox
import pytest

from graph.errors import QueryRefused
from graph.sparql_guard import check_read_only, keywords


@pytest.mark.parametrize(
    "query",
    [
        "SELECT ?s WHERE { ?s ex:service ?o }",
        "SELECT ?s WHERE { ?s <http://e.org/SERVICE> ?o }",
        "SELECT ?s WHERE { ?s ?p 'SERVICE <http://e.org/> {}' }",
        'SELECT ?s WHERE { ?s ?p """a "SERVICE" b""" }',
        "SELECT ?s WHERE { ?s ?p ?o } # SERVICE <http://e.org/> {}",
        "SELECT ?service WHERE { ?service ?from ?o }",
        "SELECT ?s WHERE { ?s ?p _:service }",
        "SELECT ?s WHERE { ?s rdfs:comment ?c FILTER(CONTAINS(?c, 'taken from')) }",
        "DESCRIBE <http://e.org/insert>",
        "PREFIX delete: <http://e.org/> ASK { delete:x ?p ?o }",
    ],
)
def test_words_inside_names_strings_iris_and_comments_are_not_keywords(query: str) -> None:
    check_read_only(query)


@pytest.mark.parametrize(
    ("query", "words"),
    [
        ("INSERT DATA { <http://e.org/a> <http://e.org/b> 1 }", "read-only"),
        (
            "PREFIX ex: <http://e.org/>\nBASE <http://e.org/>\n  delete where { ?s ?p ?o }",
            "read-only",
        ),
        ("LOAD <http://e.org/data.ttl>", "read-only"),
        ("# a comment\nCLEAR ALL", "read-only"),
        ("WITH <http://e.org/g> DELETE { ?s ?p ?o } WHERE { ?s ?p ?o }", "read-only"),
        ("SELECT * WHERE { SERVICE <http://e.org/sparql> { ?s ?p ?o } }", "SERVICE"),
        ("SELECT * WHERE { ?s ?p ex:a\\#b SERVICE <http://e.org/sparql> { ?s ?p ?o } }", "SERVICE"),
        ("SELECT * WHERE { ?s ?p ?o FILTER(?o<3) service silent <http://e.org/s> {} }", "SERVICE"),
        ("SELECT * FROM NAMED <http://e.org/g> WHERE { GRAPH ?g { ?s ?p ?o } }", "FROM"),
    ],
)
def test_updates_service_and_datasets_are_refused(query: str, words: str) -> None:
    with pytest.raises(QueryRefused, match=words):
        check_read_only(query)


# --- agreement with Oxigraph ----------------------------------------------------------------


@pytest.fixture(scope="module")
def listener() -> Iterator[tuple[int, list[int]]]:
    """A loopback port that counts the connections made to it (and closes each at once)."""
    sock = socket.socket()
    sock.bind(("127.0.0.1", 0))
    sock.listen(64)
    count = [0]

    def accept() -> None:
        while True:
            try:
                connection, _ = sock.accept()
            except OSError:
                return
            count[0] += 1
            connection.close()

    threading.Thread(target=accept, daemon=True).start()
    yield sock.getsockname()[1], count
    sock.close()


#: Triple patterns and filters that put comment, string and IRI delimiters, escapes and
#: ``<`` as an operator next to whatever follows them.
FRAGMENTS = [
    "?s ?p ?o .", "?s ?p ex:a .", "?s ?p ex:a\\#b .", "?s ?p ex:a\\'b .", "?s ?p 'it\\'s' .",
    '?s ?p "q\\"x" .', "?s ?p '''a'b''c''' .", '?s ?p """a"b""c""" .',
    "?s ?p <http://e/\\u0061#> .",
    "?s ?p <http://e/\\u003E> .", "?s ?p <http://e/#x> .", "FILTER(?o<3)", "FILTER(?o<3&&?o>1)",
    "?s ?p '#' .", '?s ?p "#" .', "# c\n", '?s ?p "\\u0022" .', "?s ?p '\\u0027' .", "?s ?p _:b .",
    "?s ?p 1e5 .", "?s ?p ex:a.b .", "?s ?p ?o", ".", "\n", "?s ?p 'a\nb' .", '?s ?p "a\rb" .',
    "?s ?p <http://e/a b> .", "?s ?p ex: .", "?s ?p :a .", '?s ?p "x"@en .', "{ ?s ?p ?o }",
    "OPTIONAL { ?s ?p ?o }", "?s ?p ex:", "?s ?p ex:a", "?s ?p ?x", "?s ?p <x>", '?s ?p "a"',
    "?s ?p 1",
]  # fmt: skip


def test_every_query_that_makes_oxigraph_connect_is_refused(
    listener: tuple[int, list[int]],
) -> None:
    port, connections = listener
    target = f"<http://127.0.0.1:{port}/>"
    services = [f"SERVICE {target} {{ ?a ?b ?c }}", f"SERVICE SILENT {target} {{ ?a ?b ?c }}",
                f"service {target} {{?a ?b ?c}}", f"SERVICE{target}{{?a ?b ?c}}"]  # fmt: skip
    store = ox.Store()
    store.add(ox.Quad(ox.NamedNode("http://e/a"), ox.NamedNode("http://e/p"), ox.Literal("1")))
    rng = random.Random(20261129)
    connected = 0
    for _ in range(10000):
        parts = [rng.choice(FRAGMENTS) for _ in range(rng.randint(0, 4))]
        parts.insert(rng.randint(0, len(parts)), rng.choice(services))
        body = "".join(part + rng.choice([" ", "", "\n"]) for part in parts)
        query = f"PREFIX ex: <http://e/> PREFIX : <http://d/> SELECT * WHERE {{ {body} }}"
        before = connections[0]
        try:
            list(store.query(query))
        except (SyntaxError, OSError):
            pass
        if connections[0] > before:
            connected += 1
            assert "SERVICE" in keywords(query), query
    assert connected > 500  # the generator does produce queries that connect
