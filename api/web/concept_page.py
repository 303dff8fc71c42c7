"""The server-rendered HTML page of a concept, for browsers that dereference its IRI.

Plain HTML with one small inline style (allowed by its hash in the page's Content Security
Policy) and no script. Every piece of text from the graph goes through :func:`html.escape`;
links to other concepts point at their own ``/concept/`` pages, and links out of the graph
(mappings, identifiers' addresses, sources that are not concepts) are written only for
``http(s)`` IRIs.
"""

from __future__ import annotations

import base64
import hashlib
from collections.abc import Iterable, Sequence
from html import escape
from urllib.parse import quote

from graph import Concept, ConceptKind, KnowledgeGraph
from graph.curies import short_id
from graph.model import ModelNumbers
from graph.vocabulary import ISSUED

__all__ = ["CONTENT_SECURITY_POLICY", "concept_href", "concept_page", "not_found_page"]

#: At most this many children or examples are listed; the page says how many there are.
LISTED = 200

STYLE = (
    "body{font-family:system-ui,sans-serif;max-width:52rem;margin:2rem auto;padding:0 1rem;"
    "line-height:1.5;color:#1d1d1f}h1{margin-bottom:0}.iri{color:#555;font-size:.9rem;"
    "word-break:break-all}.kind{display:inline-block;background:#eef;border-radius:.3rem;"
    "padding:0 .4rem;font-size:.85rem}dt{font-weight:600;margin-top:.8rem}dd{margin-left:1rem}"
    "ul{margin:.2rem 0;padding-left:1.2rem}nav a{margin-right:1rem}"
)
_STYLE_HASH = base64.b64encode(hashlib.sha256(STYLE.encode()).digest()).decode()
CONTENT_SECURITY_POLICY = (
    f"default-src 'none'; style-src 'sha256-{_STYLE_HASH}'; base-uri 'none'; "
    "form-action 'none'; frame-ancestors 'none'"
)
#: How the page names each identifier scheme.
_SCHEME_NAMES = {"arxiv": "arXiv", "doi": "DOI", "url": "URL", "wikidata": "Wikidata"}
#: The RDF downloads linked from every page, by their ``?format=`` name.
DOWNLOADS = (
    ("ttl", "Turtle", "text/turtle"),
    ("jsonld", "JSON-LD", "application/ld+json"),
    ("nt", "N-Triples", "application/n-triples"),
    ("rdf", "RDF/XML", "application/rdf+xml"),
)


def concept_href(reference: str) -> str:
    """The path of a concept's page: ``/concept/`` and the id (or a label), escaped.

    >>> concept_href("gpt-4"), concept_href("aio:Model"), concept_href("Claude 3 #2")
    ('/concept/gpt-4', '/concept/aio:Model', '/concept/Claude%203%20%232')
    """
    return "/concept/" + quote(reference, safe=":/@")


def concept_page(graph: KnowledgeGraph, concept: Concept) -> str:
    """The whole HTML document for one concept."""
    iri = concept.iri
    kind = "kind" if concept.kind is ConceptKind.CLASS else "named example"
    rows: list[str] = []
    if concept.definition:
        rows.append(_row("Definition", escape(concept.definition)))
    if concept.alt_labels:
        rows.append(_row("Also called", escape(", ".join(concept.alt_labels))))
    others = [f"{escape(label)} <small>({escape(tag)})</small>" for tag, label in graph.labels(iri)]
    if others:
        rows.append(_row("Labels", ", ".join(others)))
    if concept.released:
        rows.append(_row("Released", escape(concept.released)))
    rows.extend(_number_rows(graph.model_numbers(iri)))
    identifiers = [
        f"{_SCHEME_NAMES[i.scheme]} " + (_external(i.url, i.value) if i.url else escape(i.value))
        for i in graph.identifiers(iri)
    ]
    if identifiers:
        rows.append(_row("Identifiers", _list(identifiers)))
    rows.append(_concepts_row("Is a", graph.parents(iri)))
    rows.append(_concepts_row("Example of", graph.types(iri)))
    children = graph.children(iri)
    rows.append(_concepts_row("Sub-kinds", children[:LISTED], len(children)))
    examples = graph.examples(iri, transitive=False, limit=LISTED)
    rows.append(_concepts_row("Examples", examples, graph.example_count(iri, transitive=False)))
    rows.extend(_relation_rows(graph, iri))
    rows.extend(_fact_rows(graph, concept))
    mappings = [
        _external(m.iri) + f" <small>({escape(_short(graph, m.predicate))})</small>"
        for m in graph.mappings(iri)
    ]
    if mappings:
        rows.append(_row("Mappings", _list(mappings)))
    if concept.source:
        source = graph.find_iri(concept.source)
        rows.append(_row("Source", _link(source) if source else _external(concept.source)))
    downloads = " ".join(
        f'<a href="?format={name}" type="{media}">{title}</a>' for name, title, media in DOWNLOADS
    )
    alternates = "".join(
        f'<link rel="alternate" type="{media}" href="?format={name}">'
        for name, _, media in DOWNLOADS
    )
    return (
        "<!DOCTYPE html>\n"
        f'<html lang="en"><head><meta charset="utf-8"><title>{escape(concept.label)} — aikg</title>'
        f'<meta name="viewport" content="width=device-width, initial-scale=1">{alternates}'
        f"<style>{STYLE}</style></head><body>\n"
        f'<nav><a href="/#{quote(concept.id, safe="")}">open in explorer</a> {downloads}</nav>\n'
        f"<h1>{escape(concept.label)}</h1>\n"
        f'<p class="iri">{escape(iri)} <span class="kind">{kind}</span></p>\n'
        f"<dl>\n{''.join(row for row in rows if row)}</dl>\n</body></html>\n"
    )


def not_found_page(reference: str, message: str, suggestions: Sequence[str]) -> str:
    """The HTML for an unknown concept: the message and links to the suggested ones."""
    links = _list(f'<a href="{escape(concept_href(s))}">{escape(s)}</a>' for s in suggestions)
    hint = f"<p>Did you mean:</p>{links}" if suggestions else ""
    return (
        "<!DOCTYPE html>\n"
        f'<html lang="en"><head><meta charset="utf-8"><title>Not found — aikg</title>'
        f"<style>{STYLE}</style></head><body>\n<h1>Not found</h1>\n<p>{escape(message)}</p>{hint}\n"
        '<p><a href="/">Search the explorer</a></p>\n</body></html>\n'
    )


def _relation_rows(graph: KnowledgeGraph, iri: str) -> list[str]:
    """One row per relation and direction, named as read from this concept ("succeeded by")."""
    grouped: dict[str, list[str]] = {}
    for relation in graph.relations(iri):
        grouped.setdefault(_capitalised(relation.phrase), []).append(_link(relation.other))
    return [_row(title, _list(links)) for title, links in grouped.items()]


def _fact_rows(graph: KnowledgeGraph, concept: Concept) -> list[str]:
    """One row per literal predicate (notes, licence, title...); the release date shown above
    is not repeated."""
    grouped: dict[str, list[str]] = {}
    for fact in graph.facts(concept.iri):
        if fact.predicate == ISSUED and fact.value == concept.released:
            continue
        tag = f" <small>({escape(fact.language)})</small>" if fact.language else ""
        grouped.setdefault(_capitalised(fact.predicate_label), []).append(escape(fact.value) + tag)
    return [_row(title, _list(values)) for title, values in grouped.items()]


def _capitalised(text: str) -> str:
    return text[:1].upper() + text[1:]


def _number_rows(numbers: ModelNumbers) -> list[str]:
    """A model's numbers, each exact with thousands separators."""
    shown = (
        ("Parameters", numbers.parameters),
        ("Active parameters", numbers.active_parameters),
        ("Context length", numbers.context_length),
        ("Training tokens", numbers.training_tokens),
    )
    return [_row(title, f"{value:,}") for title, value in shown if value is not None]


def _concepts_row(title: str, concepts: Sequence[Concept], total: int | None = None) -> str:
    if not concepts:
        return ""
    items = [_link(c) for c in concepts]
    more = total - len(concepts) if total is not None else 0
    if more > 0:
        items.append(f"… and {more:,} more")
    return _row(title, _list(items))


def _link(concept: Concept) -> str:
    return f'<a href="{escape(concept_href(concept.id))}">{escape(concept.label)}</a>'


def _external(iri: str, text: str | None = None) -> str:
    shown = escape(iri if text is None else text)
    if iri.startswith(("http://", "https://")):
        return f'<a href="{escape(iri)}" rel="nofollow">{shown}</a>'
    return shown


def _short(graph: KnowledgeGraph, predicate: str) -> str:
    return graph.predicate_label(predicate) or short_id(predicate, graph.prefixes)


def _row(title: str, body: str) -> str:
    return f"<dt>{escape(title)}</dt><dd>{body}</dd>\n"


def _list(items: Iterable[str]) -> str:
    return "<ul>" + "".join(f"<li>{item}</li>" for item in items) + "</ul>"
