"""The structural checks of a graph: over all of it, or over the nodes an edit touches.

Each problem is one readable line about one resource. Beyond SHACL, a graph must have:

* no is-a cycle;
* no resource used both as a kind and as a named example, unless it is marked
  ``aikgs:allowPunning true``;
* no dangling reference: an IRI in our namespaces used as an object or predicate is
  described somewhere, except the retired IRI a merged concept ``dcterms:replaces``, which
  must be described nowhere;
* a label on every concept;
* relation objects inside the range the schema declares for the property.

The same code serves ``aikg validate`` (``focus=None``: every subject) and an edit's
checks (``focus``: the nodes it touches, read through ``describe`` as they will be once
the edit is committed), so both report a problem in the same words. Cycles are always
checked everywhere (one pass over the index) unless an edit checks its own new edges.

The modelling rules of ``ontology/README.md`` that no SHACL shape can say are
:func:`modelling_problems`, run over the whole graph by ``aikg validate``: no label shared by
two concepts, no generic word labelling a named example, at most one developer per model and
the same one for a family's models (never a company for one and its lab for another), never
both ``variantOf`` and ``succeeds`` the same model, a variant an example of its original's
kind and neither a variant nor a successor released before its original, and a model built
on an architecture that one kind of model is named after an example of that kind.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass

from graph import vocabulary as V
from graph.curies import short_id
from graph.find.lookup import nodes_in, normalise
from graph.index.build import GraphIndex
from graph.store.protocol import GraphStore
from graph.store.terms import LiteralValue, Term

__all__ = [
    "GENERIC_WORDS",
    "Describe",
    "Problem",
    "architecture_kind_problems",
    "arxiv_month_agrees",
    "arxiv_month_problems",
    "cycle_problems",
    "developer_problems",
    "family_developer_problems",
    "generic_label_problems",
    "homepage_problems",
    "label_clash_problems",
    "modelling_problems",
    "release_order_problems",
    "structural_problems",
    "unlabelled_problems",
    "variant_and_successor_problems",
    "variant_kind_problems",
]

#: The (predicate, object) pairs of one subject, as a store's ``describe`` answers.
Describe = Callable[[str], list[tuple[str, Term]]]

#: Words whose everyday sense is far wider than any one named example, so they never label one
#: (preferred or alternative): a lookup of "cost" or "bias" must not land on a single individual.
GENERIC_WORDS: frozenset[str] = frozenset(
    {
        "ability",
        "adaptable",
        "agent",
        "benchmark",
        "bias",
        "broad",
        "capability",
        "control",
        "cost",
        "data",
        "emergent",
        "eval",
        "evaluation",
        "metric",
        "model",
        "performance",
        "privacy",
        "quality",
        "ranking",
        "safety",
        "score",
        "security",
        "speed",
        "system",
        "task",
        "tool",
        "transferable",
    }
)

_DEVELOPED_BY = V.SCHEMA_NS + "developedBy"
_VARIANT_OF = V.SCHEMA_NS + "variantOf"
_SUCCEEDS = V.SCHEMA_NS + "succeeds"
_AI_MODEL = V.CONCEPT_NS + "ai-model"


@dataclass(frozen=True, order=True)
class Problem:
    """One thing wrong with the graph, about one resource."""

    check: str
    focus: str
    message: str

    def __str__(self) -> str:
        return f"{self.check}: {self.focus}: {self.message}"


def structural_problems(
    index: GraphIndex,
    store: GraphStore,
    focus: Iterable[str] | None = None,
    describe: Describe | None = None,
    cycles: bool = True,
) -> set[Problem]:
    """The problems of the whole graph (``focus`` None), or those about the ``focus`` nodes.

    ``describe`` reads a subject's pairs (default: the store's); an edit passes the store
    with its change laid over it, so the would-be graph is checked without being written.
    Without ``cycles``, is-a cycles are left to the caller (an edit walks from its new edges).
    """
    describe = describe or store.describe
    problems = set(cycle_problems(index)) if cycles else set()
    if focus is None:
        subjects = [*store.named_subjects(), *store.blank_subjects()]
        described: Callable[[str], bool] = set(subjects).__contains__
        problems.update(unlabelled_problems(index, range(len(index.iris))))
    else:
        subjects = sorted(set(focus))
        described = lambda term: bool(describe(term))  # noqa: E731 - a one-line closure
        focus_nodes = (index.node_of[s] for s in subjects if s in index.node_of)
        problems.update(unlabelled_problems(index, focus_nodes))
    ranges = {s: o for s, _, o in store.triples(V.RDFS + "range") if isinstance(o, str)}
    for subject in subjects:
        problems.update(_about(index, subject, describe(subject), described, ranges))
    return problems


def cycle_problems(index: GraphIndex) -> Iterator[Problem]:
    """One problem per is-a cycle, named by the concepts on it."""
    for cycle in index.taxonomy.cycles():
        names = " → ".join(_id(index, n) for n in cycle)
        yield Problem("cycle", _id(index, cycle[0]), f"is-a cycle through {names}")


def unlabelled_problems(index: GraphIndex, nodes: Iterable[int]) -> Iterator[Problem]:
    """One problem per concept among ``nodes`` with no label."""
    for node in nodes:
        if index.labels[node] is None:
            yield Problem("label", _id(index, node), "has no label (skos:prefLabel or rdfs:label)")


def _about(
    index: GraphIndex,
    subject: str,
    pairs: list[tuple[str, Term]],
    described: Callable[[str], bool],
    ranges: dict[str, str],
) -> Iterator[Problem]:
    """The dangling references, kind-and-example typings and out-of-range objects of one subject."""
    node_of, taxonomy = index.node_of, index.taxonomy
    node = node_of.get(subject)
    is_kind = node is not None and taxonomy.is_kind(node)
    punning_allowed = any(p == V.ALLOW_PUNNING and _is_true(o) for p, o in pairs)
    for predicate, obj in pairs:
        if predicate == V.REPLACES and isinstance(obj, str):
            if described(obj):  # a retired IRI is described nowhere: lookup resolves it
                yield Problem("replaced", obj, f"is replaced by {subject} but still described")
            continue
        for term in (predicate, obj):
            if (
                isinstance(term, str)
                and term.startswith((V.CONCEPT_NS, V.SCHEMA_NS))
                and not described(term)
            ):
                yield Problem("dangling", term, f"used by {subject} but never described")
        target = node_of.get(obj) if isinstance(obj, str) else None
        if target is None:
            continue
        if predicate == V.TYPE and is_kind and not punning_allowed:
            assert node is not None
            yield Problem(
                "kind-and-example",
                _id(index, node),
                f"is a kind and also typed as an example of {_id(index, target)};"
                " mark it aikgs:allowPunning true if intended",
            )
        expected = node_of.get(ranges.get(predicate, ""))
        if expected is not None and target != expected and not taxonomy.is_a(target, expected):
            label = index.labels[expected] or _id(index, expected)
            yield Problem(
                "range",
                _id(index, target),
                f"is the object of {predicate} from {subject}, but is not a {label}",
            )


def modelling_problems(index: GraphIndex, store: GraphStore) -> set[Problem]:
    """Every breach of the modelling rules that the SHACL shapes cannot express."""
    return {
        *label_clash_problems(index),
        *generic_label_problems(index),
        *developer_problems(index, store),
        *family_developer_problems(index, store),
        *variant_and_successor_problems(index, store),
        *variant_kind_problems(index, store),
        *release_order_problems(index, store),
        *architecture_kind_problems(index, store),
        *homepage_problems(index, store),
        *arxiv_month_problems(index, store),
    }


def label_clash_problems(index: GraphIndex) -> Iterator[Problem]:
    """One problem per label (case and spacing folded) that two or more concepts carry.

    Preferred labels in every language and alternative labels all count: lookup matches them
    all, so a shared one makes a reference ambiguous. One pass over the lookup's label index.
    """
    by_label, by_alt = index.label_keys
    for key in sorted({*by_label, *by_alt}):
        nodes = sorted(
            {*nodes_in(by_label.get(key)), *nodes_in(by_alt.get(key))}, key=index.iris.__getitem__
        )
        if len(nodes) > 1:
            names = ", ".join(_id(index, n) for n in nodes[1:])
            yield Problem(
                "label-clash", _id(index, nodes[0]), f'shares the label "{key}" with {names}'
            )


def generic_label_problems(index: GraphIndex) -> Iterator[Problem]:
    """One problem per named example whose preferred or alternative label is a generic word.

    The words are :data:`GENERIC_WORDS`.
    """
    taxonomy = index.taxonomy
    for node, label in enumerate(index.labels):
        if taxonomy.is_kind(node):
            continue
        for text in (label or "", *index.alt_labels.get(node, ())):
            if normalise(text) in GENERIC_WORDS:
                yield Problem(
                    "generic-label",
                    _id(index, node),
                    f'is labelled by the generic word "{text}"; say what it is',
                )


def developer_problems(index: GraphIndex, store: GraphStore) -> Iterator[Problem]:
    """One problem per named model with more than one ``aikgs:developedBy``."""
    developers: dict[str, set[str]] = {}
    for subject, _, obj in store.triples(_DEVELOPED_BY):
        if isinstance(obj, str):
            developers.setdefault(subject, set()).add(obj)
    model = index.node_of.get(_AI_MODEL)
    for subject, found in sorted(developers.items()):
        node = index.node_of.get(subject)
        if (
            len(found) > 1
            and model is not None
            and node is not None
            and index.taxonomy.is_a(node, model)
        ):
            names = ", ".join(sorted(short_id(o, index.prefixes) for o in found))
            yield Problem(
                "developer",
                _id(index, node),
                f"names {len(found)} developers ({names}); keep the most specific one",
            )


def variant_and_successor_problems(index: GraphIndex, store: GraphStore) -> Iterator[Problem]:
    """One problem per pair linked by both ``aikgs:variantOf`` and ``aikgs:succeeds``."""
    successors = {(s, o) for s, _, o in store.triples(_SUCCEEDS)}
    for subject, _, obj in sorted(store.triples(_VARIANT_OF), key=str):
        if (subject, obj) in successors:
            yield Problem(
                "variant-and-successor",
                short_id(subject, index.prefixes),
                f"both succeeds and is a variant of {short_id(str(obj), index.prefixes)}; "
                "a new generation succeeds, a derived edition is a variant",
            )


def family_developer_problems(index: GraphIndex, store: GraphStore) -> Iterator[Problem]:
    """One problem per model developed by a company whose lab develops another model of its family.

    R6: the developer is the most specific organisation, the same for every model of a line;
    a model of the family (or of a series under it) that names the company, while another
    names the company's lab (``aikgs:partOf``, followed up), is not. Families are compared
    through every family above them, so Gemini 1.5's models count as Gemini's too.
    """
    developers = _objects_by_subject(store, _DEVELOPED_BY)
    parents = _objects_by_subject(store, V.PART_OF)
    families = _objects_by_subject(store, V.MEMBER_OF_FAMILY)
    by_family: dict[str, set[str]] = {}
    for model, direct in families.items():
        if model in developers:
            for family in _reachable(direct, families):
                by_family.setdefault(family, set()).add(model)
    found: set[Problem] = set()
    for family, models in by_family.items():
        named = set().union(*(developers[m] for m in models))
        above = {o: _reachable({o}, parents) - {o} for o in named}  # each developer's wholes
        for model in models:
            for company in sorted(developers[model]):
                labs = sorted(o for o in named if company in above[o])
                if labs:
                    found.add(
                        Problem(
                            "family-developer",
                            short_id(model, index.prefixes),
                            f"is developed by {short_id(company, index.prefixes)} while other"
                            f" models of {short_id(family, index.prefixes)} name its part"
                            f" {short_id(labs[0], index.prefixes)}; name the most specific one",
                        )
                    )
    return iter(sorted(found))


def _linked_concepts(
    index: GraphIndex, store: GraphStore, predicate: str
) -> Iterator[tuple[int, int]]:
    """The (subject, object) node pairs of a predicate's edges between concepts, in the order
    of their triples."""
    for subject, _, obj in sorted(store.triples(predicate), key=str):
        node = index.node_of.get(subject)
        other = index.node_of.get(obj) if isinstance(obj, str) else None
        if node is not None and other is not None:
            yield node, other


def variant_kind_problems(index: GraphIndex, store: GraphStore) -> Iterator[Problem]:
    """One problem per variant that is not an example of a kind its original is an example of.

    R1, R2: a variant is a model or named method of the same sort as the one it is derived
    from (QLoRA, like LoRA, is a parameter-efficient fine-tuning method), never a kind.
    """
    taxonomy = index.taxonomy
    for node, original in _linked_concepts(index, store, _VARIANT_OF):
        kinds = taxonomy.types(original)
        if taxonomy.is_kind(node) or not any(
            k in taxonomy.types(node) or taxonomy.is_example_of(node, k) for k in kinds
        ):
            names = ", ".join(sorted(_id(index, k) for k in kinds)) or "no kind"
            yield Problem(
                "variant-kind",
                _id(index, node),
                f"is a variant of {_id(index, original)} but not a named example of its kind"
                f" ({names})",
            )


def release_order_problems(index: GraphIndex, store: GraphStore) -> Iterator[Problem]:
    """One problem per variant or successor released before the model it derives from or
    replaces.

    R1: a derived edition comes after its original, a new generation after the one it
    replaces. Dates of different precision are compared on what both state ("2023" is not
    before "2023-05"); an undated end is not compared.
    """
    for predicate, words in ((_VARIANT_OF, "is a variant of"), (_SUCCEEDS, "succeeds")):
        for node, original in _linked_concepts(index, store, predicate):
            later, earlier = index.released.get(node), index.released.get(original)
            if later is None or earlier is None:
                continue
            common = min(len(later[0]), len(earlier[0]))
            if later[0][:common] < earlier[0][:common]:
                yield Problem(
                    "release-order",
                    _id(index, node),
                    f"{words} {_id(index, original)} but is dated {later[0]}, before its"
                    f" {earlier[0]}",
                )


def architecture_kind_problems(index: GraphIndex, store: GraphStore) -> Iterator[Problem]:
    """One problem per model built on an architecture that a kind of model is named after,
    but not an example of that kind.

    R3: a kind of model says which architecture it is named after with ``aikgs:usesArchitecture``
    (diffusion model: the diffusion architecture). A named model that uses that architecture,
    or a sub-kind of it (a latent diffusion architecture), is an example of the kind. An
    architecture that several kinds of model name (the transformer: large language model,
    transformer-based language model) decides nothing, as a transformer need not model
    language; nor does a named architecture a model uses (U-Net, the denoiser of Stable
    Diffusion XL, is convolutional, and the model is no convolutional network).
    """
    taxonomy, node_of = index.taxonomy, index.node_of
    model = node_of.get(_AI_MODEL)
    if model is None:
        return
    kinds_named_after: dict[int, list[int]] = {}
    uses: list[tuple[int, int]] = []
    for subject, _, obj in store.triples(V.USES_ARCHITECTURE):
        node = node_of.get(subject)
        architecture = node_of.get(obj) if isinstance(obj, str) else None
        if node is None or architecture is None:
            continue
        if taxonomy.is_kind(node) and taxonomy.is_a(node, model):
            kinds_named_after.setdefault(architecture, []).append(node)
        elif not taxonomy.is_kind(node) and taxonomy.is_a(node, model):
            uses.append((node, architecture))
    for node, architecture in sorted(uses):
        if not taxonomy.is_kind(architecture):
            continue
        for named in (architecture, *taxonomy.ancestors(architecture)):
            kinds = kinds_named_after.get(named, [])
            if len(kinds) == 1 and not taxonomy.is_example_of(node, kinds[0]):
                yield Problem(
                    "architecture-kind",
                    _id(index, node),
                    f"uses the architecture {_id(index, architecture)}, so it is an example of"
                    f" {_id(index, kinds[0])}, the kind of model named after"
                    f" {_id(index, named)}",
                )


def homepage_problems(index: GraphIndex, store: GraphStore) -> Iterator[Problem]:
    """One problem per concept whose homepage (``aikgs:url``) is the address of a publication
    it cites as ``dcterms:source``.

    R8: a model's or organisation's homepage is its own page; the page of the announcement or
    paper that is its source is that publication's address, carried by the publication.
    """
    urls: dict[str, set[str]] = {}
    for subject, _, obj in store.triples(V.IDENTIFIER_PREDICATES["url"]):
        if isinstance(obj, LiteralValue):
            urls.setdefault(subject, set()).add(obj.value)
    sources = _objects_by_subject(store, V.SOURCE)
    for subject in sorted(urls):
        for source in sorted(sources.get(subject, set()) - {subject}):
            for url in sorted(urls[subject] & urls.get(source, set())):
                yield Problem(
                    "homepage-is-source",
                    short_id(subject, index.prefixes),
                    f"gives {url} as its homepage, the address of its source "
                    f"{short_id(source, index.prefixes)}; a homepage is the subject's own page",
                )


def arxiv_month_agrees(arxiv: str, issued: str) -> bool:
    """Whether an arXiv id's year and month (``YYMM``) are those of an issue date, or of the
    month after: arXiv numbers a paper posted on a month's last day in the next month, and a
    report released first on its developer's site may be posted weeks later. A date of a year
    alone is held to its year; an id not in the ``YYMM.NNNNN`` form is left to the shapes.

    >>> arxiv_month_agrees("2101.00027", "2020-12-31"), arxiv_month_agrees("2403.08295", "2024-02")
    (True, True)
    >>> arxiv_month_agrees("2404.00001", "2024-02"), arxiv_month_agrees("2301.00001", "2024")
    (False, False)
    """
    if not (arxiv[:4].isdigit() and issued[:4].isdigit()):
        return True
    numbered = 12 * (2000 + int(arxiv[:2])) + int(arxiv[2:4]) - 1
    if len(issued) < 7 or not issued[5:7].isdigit():
        return numbered // 12 == int(issued[:4])
    return numbered - (12 * int(issued[:4]) + int(issued[5:7]) - 1) in (0, 1)


def arxiv_month_problems(index: GraphIndex, store: GraphStore) -> Iterator[Problem]:
    """One problem per resource whose arXiv id does not agree with its earliest
    ``dcterms:issued`` (the date the index keeps for a concept; :func:`arxiv_month_agrees`).

    R8: the id's month catches a mistyped id, or an arXiv copy posted long after the
    publication the concept dates, which is not its identifier. Read from the store, so a
    resource not (yet) typed as a concept is held to it too.
    """
    issued: dict[str, str] = {}
    for subject, _, obj in store.triples(V.ISSUED):
        if isinstance(obj, LiteralValue) and (subject not in issued or obj.value < issued[subject]):
            issued[subject] = obj.value
    arxiv_ids = (
        (subject, obj.value)
        for subject, _, obj in store.triples(V.IDENTIFIER_PREDICATES["arxiv"])
        if isinstance(obj, LiteralValue)
    )
    for subject, arxiv in sorted(arxiv_ids):
        date = issued.get(subject)
        if date and not arxiv_month_agrees(arxiv, date):
            yield Problem(
                "arxiv-month",
                short_id(subject, index.prefixes),
                f"has the arXiv id {arxiv}, numbered in 20{arxiv[:2]}-{arxiv[2:4]},"
                f" but is dated {date}: an id is of the month of issue or the month after",
            )


def _objects_by_subject(store: GraphStore, predicate: str) -> dict[str, set[str]]:
    found: dict[str, set[str]] = {}
    for subject, _, obj in store.triples(predicate):
        if isinstance(obj, str):
            found.setdefault(subject, set()).add(obj)
    return found


def _reachable(start: Iterable[str], edges: dict[str, set[str]]) -> set[str]:
    """``start`` and every IRI reached from it along ``edges`` (cycles end the walk)."""
    seen: set[str] = set()
    todo = list(start)
    while todo:
        iri = todo.pop()
        if iri not in seen:
            seen.add(iri)
            todo.extend(edges.get(iri, ()))
    return seen


def _id(index: GraphIndex, node: int) -> str:
    return short_id(index.iris[node], index.prefixes)


def _is_true(term: Term) -> bool:
    return isinstance(term, LiteralValue) and term.value.lower() in ("true", "1")
