"""Lists of concepts filtered and ordered: what each filter keeps, how each order ranks, and
that pages follow on from their cursors."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from graph import ConceptNotFound, InvalidArgument, KnowledgeGraph
from graph.dates import period_end
from graph.errors import PredicateNotFound
from graph.model import ConceptFilter, ConceptKind, ConceptOrder, RelationFilter
from graph.pagination import MAX_PAGE_SIZE

SNIPPET = """
@prefix aikgs: <https://w3id.org/aikg/schema/> .
@prefix dcterms: <http://purl.org/dc/terms/> .
@prefix xsd: <http://www.w3.org/2001/XMLSchema#> .
aikgs:developedBy rdfs:label "developed by"@en ; aikgs:inverseLabel "developer of"@en .
ex:model a owl:Class ; skos:prefLabel "model"@en .
ex:llm a owl:Class ; rdfs:subClassOf ex:model ; skos:prefLabel "LLM"@en .
ex:org a owl:Class ; skos:prefLabel "organisation"@en .
ex:meta a ex:org ; skos:prefLabel "Meta"@en .
ex:meta-ai a ex:org ; skos:prefLabel "Meta AI"@en ; aikgs:partOf ex:meta .
ex:fair a ex:org ; skos:prefLabel "FAIR"@en ; aikgs:partOf ex:meta-ai .
ex:openai a ex:org ; skos:prefLabel "OpenAI"@en .
ex:a-year a ex:llm ; skos:prefLabel "year 2023"@en ; aikgs:developedBy ex:fair ;
    dcterms:issued "2023"^^xsd:gYear ; aikgs:parameterCount 7000000000 .
ex:b-month a ex:llm ; skos:prefLabel "June 2023"@en ; aikgs:developedBy ex:meta ;
    dcterms:issued "2023-06"^^xsd:gYearMonth ; aikgs:parameterCount 70000000000 .
ex:c-day a ex:model ; skos:prefLabel "a day in 2024"@en ; aikgs:developedBy ex:openai ;
    dcterms:issued "2024-01-15"^^xsd:date ; aikgs:parameterCount 1000000000000 .
ex:d-early a ex:llm ; skos:prefLabel "Early"@en ; aikgs:developedBy ex:meta-ai ;
    dcterms:issued "2022-12-31"^^xsd:date .
ex:e-undated a ex:llm ; skos:prefLabel "undated"@en ; aikgs:developedBy ex:openai .
ex:f-tie a ex:llm ; skos:prefLabel "tie"@en ; dcterms:issued "2023-12-31"^^xsd:date ;
    aikgs:parameterCount 7000000000 .
"""


@pytest.fixture
def graph(turtle_graph: Callable[[str], KnowledgeGraph]) -> KnowledgeGraph:
    return turtle_graph(SNIPPET)


def ids(
    graph: KnowledgeGraph,
    order: ConceptOrder = ConceptOrder.IRI,
    kind: ConceptKind | None = None,
    **filters,
) -> list[str]:
    page = graph.concepts(kind, first=1000, filters=ConceptFilter(**filters), order=order)
    assert page.total_count == len(page.items)
    return [c.iri.rsplit("/", 1)[1] for c in page.items]


def test_examples_under_a_kind_are_its_examples_through_sub_kinds(graph) -> None:
    assert ids(graph, kind=ConceptKind.EXAMPLE, under="model") == [
        "a-year", "b-month", "c-day", "d-early", "e-undated", "f-tie"
    ]  # fmt: skip


def test_under_keeps_sub_kinds_and_examples_never_the_concept_itself(graph) -> None:
    assert ids(graph, under="model") == [
        "a-year", "b-month", "c-day", "d-early", "e-undated", "f-tie", "llm"
    ]  # fmt: skip


def test_a_relation_filter_reaches_the_parts_of_its_object_transitively(graph) -> None:
    where = (RelationFilter("developed by", "Meta"),)
    assert ids(graph, where=where) == ["a-year", "b-month", "d-early"]  # FAIR ⊂ Meta AI ⊂ Meta
    assert ids(graph, where=(RelationFilter("aikgs:developedBy", "Meta AI"),)) == [
        "a-year", "d-early"
    ]  # fmt: skip


def test_filters_are_anded(graph) -> None:
    where = (RelationFilter("aikgs:developedBy", "ex:meta"),)
    assert ids(graph, where=where, released_after="2022") == ["a-year", "b-month"]


def test_released_after_a_year_leaves_out_every_release_inside_it(graph) -> None:
    # "2023-06" counts at 2023-06-30 and "2023" at 2023-12-31: neither is after 2023.
    assert ids(graph, released_after="2023") == ["c-day"]


def test_released_after_a_day_counts_a_month_release_at_the_months_end(graph) -> None:
    # As asOf does: "2023-06" counts at 2023-06-30, after 2023-06-15 (it may be June 1st).
    assert "b-month" in ids(graph, released_after="2023-06-15")
    assert "b-month" not in ids(graph, released_after="2023-06")


def test_released_before_a_period_keeps_what_ends_before_it_starts(graph) -> None:
    assert ids(graph, released_before="2023") == ["d-early"]
    assert ids(graph, released_before="2023-07") == ["b-month", "d-early"]
    assert ids(graph, released_before="2023-06-30") == ["d-early"]


def test_released_after_x_keeps_exactly_the_dated_concepts_as_of_x_leaves_out(graph) -> None:
    model = graph.resolve("model").iri
    for period in ("2022", "2023", "2023-06", "2023-06-15", "2024-01-15"):
        by_then = {c.iri.rsplit("/", 1)[1] for c in graph.examples(model, as_of=period)}
        after = set(ids(graph, released_after=period))
        dated = {"a-year", "b-month", "c-day", "d-early", "f-tie"}
        assert by_then | after == dated and not by_then & after


def test_undated_concepts_never_match_a_date_filter(graph) -> None:
    assert "e-undated" not in ids(graph, released_after="1900") + ids(graph, released_before="2999")


def test_release_orders_put_undated_concepts_last_and_break_ties_by_iri(graph) -> None:
    oldest = ids(graph, ConceptOrder.RELEASED, ConceptKind.EXAMPLE, under="model")
    newest = ids(graph, ConceptOrder.RELEASED_DESC, ConceptKind.EXAMPLE, under="model")
    assert oldest == ["d-early", "b-month", "a-year", "f-tie", "c-day", "e-undated"]
    assert newest == ["c-day", "a-year", "f-tie", "b-month", "d-early", "e-undated"]


def test_parameter_orders_go_by_count_with_uncounted_models_last_and_ties_by_iri(graph) -> None:
    smallest = ids(graph, ConceptOrder.PARAMETERS, ConceptKind.EXAMPLE, under="model")
    largest = ids(graph, ConceptOrder.PARAMETERS_DESC, ConceptKind.EXAMPLE, under="model")
    assert smallest == ["a-year", "f-tie", "b-month", "c-day", "d-early", "e-undated"]
    assert largest == ["c-day", "b-month", "a-year", "f-tie", "d-early", "e-undated"]


def test_label_order_ignores_case(graph) -> None:
    labels = [graph.get(c.iri).label for c in graph.concepts(order=ConceptOrder.LABEL).items]
    assert labels == sorted(labels, key=str.casefold)


def test_an_unknown_predicate_is_refused_with_suggestions(graph) -> None:
    with pytest.raises(PredicateNotFound, match="Unknown predicate 'developd by'") as raised:
        graph.concepts(filters=ConceptFilter(where=(RelationFilter("developd by", "Meta"),)))
    assert "developed by" in raised.value.suggestions


def test_is_a_is_not_a_relation_filter(graph) -> None:
    with pytest.raises(InvalidArgument, match="is-a or example-of"):
        graph.concepts(filters=ConceptFilter(where=(RelationFilter("rdfs:subClassOf", "model"),)))


def test_a_relation_filter_names_the_predicate_not_its_inverse(graph) -> None:
    with pytest.raises(InvalidArgument, match="not its inverse 'developer of'"):
        graph.concepts(filters=ConceptFilter(where=(RelationFilter("developer of", "Meta"),)))


def test_an_unknown_object_is_refused(graph) -> None:
    with pytest.raises(ConceptNotFound):
        graph.concepts(filters=ConceptFilter(where=(RelationFilter("developed by", "Metta"),)))


def test_a_cursor_is_a_place_in_its_order_whatever_the_filters(graph) -> None:
    everything = graph.concepts(first=3, order=ConceptOrder.RELEASED_DESC)
    filtered = graph.concepts(
        after=everything.end_cursor,
        order=ConceptOrder.RELEASED_DESC,
        filters=ConceptFilter(where=(RelationFilter("developed by", "Meta"),)),
    )
    assert [c.iri.rsplit("/", 1)[1] for c in everything.items] == ["c-day", "a-year", "f-tie"]
    # Meta's a-year stands before the cursor: only what follows f-tie is listed.
    assert [c.iri.rsplit("/", 1)[1] for c in filtered.items] == ["b-month", "d-early"]


def test_a_cursor_of_another_order_is_refused(graph) -> None:
    page = graph.concepts(first=1, order=ConceptOrder.LABEL)
    with pytest.raises(InvalidArgument, match="a cursor of orderBy LABEL"):
        graph.concepts(after=page.end_cursor, order=ConceptOrder.RELEASED)


def test_a_cursor_survives_the_removal_of_the_concept_it_points_after(
    graph, turtle_graph: Callable[[str], KnowledgeGraph]
) -> None:
    page = graph.concepts(
        first=2, order=ConceptOrder.RELEASED, filters=ConceptFilter(under="model")
    )
    assert page.items[-1].iri.endswith("b-month")
    edited = turtle_graph(SNIPPET.replace("ex:b-month a ex:llm", "ex:b-month a ex:org"))
    rest = edited.concepts(
        after=page.end_cursor, order=ConceptOrder.RELEASED, filters=ConceptFilter(under="model")
    )
    assert rest.items[0].iri.endswith("a-year")


def test_kind_enum_and_filters_combine(graph) -> None:
    page = graph.concepts(kind=ConceptKind.CLASS, filters=ConceptFilter(under="model"))
    assert [c.id for c in page.items] == ["ex:llm"]


# --- every order is total, and pages concatenate to the whole list ---------------------

FILTERS = [
    ConceptFilter(),
    ConceptFilter(under="foundation model"),
    ConceptFilter(where=(RelationFilter("developed by", "Meta"),)),
    ConceptFilter(where=(RelationFilter("has modality", "text"),), released_after="2023"),
    ConceptFilter(released_before="2023-06"),
]


@settings(
    max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(
    order=st.sampled_from(list(ConceptOrder)),
    filters=st.sampled_from(FILTERS),
    kind=st.sampled_from([None, ConceptKind.CLASS, ConceptKind.EXAMPLE]),
    size=st.integers(min_value=1, max_value=40),
)
def test_pages_concatenate_to_the_whole_list_in_a_total_order(
    bundled: KnowledgeGraph,
    order: ConceptOrder,
    filters: ConceptFilter,
    kind: ConceptKind | None,
    size: int,
) -> None:
    whole, total = _read_whole(bundled, kind, filters, order)
    assert total == len(whole)
    pages, after = [], None
    while True:
        page = bundled.concepts(kind, size, after, filters, order)
        assert page.total_count == total
        pages += page.items
        if not page.has_next_page:
            break
        after = page.end_cursor
    assert pages == whole
    assert len({c.iri for c in pages}) == len(pages)
    keys = [_key(bundled, c.iri, order) for c in pages]
    assert keys == sorted(keys) and len(set(keys)) == len(keys)  # sorted, no two equal: total
    assert {c.iri for c in pages} == _brute_force(bundled, kind, filters)


def _read_whole(
    graph: KnowledgeGraph, kind: ConceptKind | None, filters: ConceptFilter, order: ConceptOrder
) -> tuple[list, int]:
    """The whole list in pages of the largest size allowed (the bundled list outgrew one page)."""
    items: list = []
    after = None
    while True:
        page = graph.concepts(kind, MAX_PAGE_SIZE, after, filters, order)
        items += page.items
        if not page.has_next_page:
            return items, page.total_count
        after = page.end_cursor


def _key(graph: KnowledgeGraph, iri: str, order: ConceptOrder) -> tuple:
    """The order as the README states it, computed the slow way."""
    concept = graph.get(iri)
    if order is ConceptOrder.LABEL:
        return (" ".join(concept.label.casefold().split()), iri)
    if order is ConceptOrder.IRI:
        return (iri,)
    if order in (ConceptOrder.PARAMETERS, ConceptOrder.PARAMETERS_DESC):
        count = graph.model_numbers(iri).parameters
        if count is None:
            return (1, 0, iri)
        return (0, -count if order is ConceptOrder.PARAMETERS_DESC else count, iri)
    end = period_end(concept.released) if concept.released else None
    if end is None:
        return (1, 0, iri)
    return (0, -end.toordinal() if order is ConceptOrder.RELEASED_DESC else end.toordinal(), iri)


def _brute_force(graph: KnowledgeGraph, kind: ConceptKind | None, f: ConceptFilter) -> set[str]:
    """What the filters keep, one concept and one question at a time."""
    kept = set()
    for concept in graph:
        if kind is not None and concept.kind is not kind:
            continue
        if f.under and not graph.is_a(concept.iri, f.under):
            continue
        if any(not _related(graph, concept.iri, w) for w in f.where):
            continue
        end = period_end(concept.released) if concept.released else None
        if (f.released_after or f.released_before) and end is None:
            continue
        if f.released_after and not end > period_end(f.released_after):  # type: ignore[operator]
            continue
        if f.released_before and not end < _start(f.released_before):  # type: ignore[operator]
            continue
        kept.add(concept.iri)
    return kept


def _related(graph: KnowledgeGraph, iri: str, where: RelationFilter) -> bool:
    target = graph.resolve(where.object).iri
    wholes = {target}
    objects = {
        e.object.iri
        for e in graph.relations(iri)
        if e.subject.iri == iri and e.predicate_label == where.predicate
    }
    for obj in objects:  # climb partOf from each object
        seen, frontier = {obj}, [obj]
        while frontier:
            node = frontier.pop()
            if node in wholes:
                return True
            for edge in graph.relations(node):
                if edge.subject.iri == node and edge.predicate.endswith("/partOf"):
                    if edge.object.iri not in seen:
                        seen.add(edge.object.iri)
                        frontier.append(edge.object.iri)
    return False


def _start(period: str):  # type: ignore[no-untyped-def]
    from graph.dates import parse_period

    return parse_period(period, "releasedBefore")[0]
