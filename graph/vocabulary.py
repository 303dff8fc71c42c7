"""Every IRI the code names, in one place.

Our concepts live under :data:`CONCEPT_NS` and our schema terms under
:data:`SCHEMA_NS`; both are documented in the README and never change. :class:`AIKGS` is the schema
vocabulary as a closed rdflib namespace, so a misspelt term fails loudly:

>>> str(AIKGS.developedBy)
'https://w3id.org/aikg/schema/developedBy'
>>> AIKGS.developedBye
Traceback (most recent call last):
...
AttributeError: term 'developedBye' not in namespace 'https://w3id.org/aikg/schema/'
"""

from __future__ import annotations

from typing import Final

from rdflib import (
    namespace as rdflib_namespace,  # not its names: pytest's doctest scan would probe them
)
from rdflib.term import URIRef

ONTOLOGY_IRI: Final = "https://w3id.org/aikg/"
CONCEPT_NS: Final = "https://w3id.org/aikg/concept/"
SCHEMA_NS: Final = "https://w3id.org/aikg/schema/"

RDF: Final = "http://www.w3.org/1999/02/22-rdf-syntax-ns#"
RDFS: Final = "http://www.w3.org/2000/01/rdf-schema#"
OWL: Final = "http://www.w3.org/2002/07/owl#"
XSD: Final = "http://www.w3.org/2001/XMLSchema#"
SKOS: Final = "http://www.w3.org/2004/02/skos/core#"
SH: Final = "http://www.w3.org/ns/shacl#"
DCTERMS: Final = "http://purl.org/dc/terms/"
OBO_IN_OWL: Final = "http://www.geneontology.org/formats/oboInOwl#"
OBO: Final = "http://purl.obolibrary.org/obo/"

#: The prefixes bound on every graph we write, so that exports are stable.
PREFIXES: Final[dict[str, str]] = {
    "aikg": CONCEPT_NS,
    "aikgs": SCHEMA_NS,
    "dcterms": DCTERMS,
    "owl": OWL,
    "rdf": RDF,
    "rdfs": RDFS,
    "sh": SH,
    "skos": SKOS,
    "xsd": XSD,
}

TYPE: Final = RDF + "type"
SUB_CLASS_OF: Final = RDFS + "subClassOf"
OWL_CLASS: Final = OWL + "Class"
RDFS_CLASS: Final = RDFS + "Class"
OWL_THING: Final = OWL + "Thing"
SKOS_CONCEPT: Final = SKOS + "Concept"
NAMED_INDIVIDUAL: Final = OWL + "NamedIndividual"
SOURCE: Final = DCTERMS + "source"
ALLOW_PUNNING: Final = SCHEMA_NS + "allowPunning"

#: Predicates read as a concept's preferred label, best first.
LABEL_PREDICATES: Final = (SKOS + "prefLabel", RDFS + "label")
#: Predicates read as alternative labels (SKOS and the OBO synonym family).
ALT_LABEL_PREDICATES: Final = (
    SKOS + "altLabel",
    SKOS + "hiddenLabel",
    OBO_IN_OWL + "hasExactSynonym",
    OBO_IN_OWL + "hasRelatedSynonym",
    OBO_IN_OWL + "hasNarrowSynonym",
    OBO_IN_OWL + "hasBroadSynonym",
)
#: Predicates read as a definition, best first (IAO_0000115 is OBO's "definition").
DEFINITION_PREDICATES: Final = (SKOS + "definition", OBO + "IAO_0000115", RDFS + "comment")

#: SKOS mapping predicates, linking our concepts to other vocabularies' IRIs.
EXACT_MATCH: Final = SKOS + "exactMatch"
CLOSE_MATCH: Final = SKOS + "closeMatch"
MAPPING_PREDICATES: Final = (
    EXACT_MATCH,
    CLOSE_MATCH,
    SKOS + "broadMatch",
    SKOS + "narrowMatch",
    SKOS + "relatedMatch",
)
#: The release date of a named example (dcterms:issued: xsd:date, xsd:gYearMonth or xsd:gYear).
ISSUED: Final = DCTERMS + "issued"

#: Identifier properties by the lower-case scheme name the API shows (graph/explore/identifiers.py).
IDENTIFIER_PREDICATES: Final[dict[str, str]] = {
    "arxiv": SCHEMA_NS + "arxivId",
    "doi": SCHEMA_NS + "doi",
    "url": SCHEMA_NS + "url",
    "wikidata": SCHEMA_NS + "wikidataId",
}
#: A named model's published numbers (graph/explore/numbers.py), each an xsd:integer.
PARAMETER_COUNT: Final = SCHEMA_NS + "parameterCount"
ACTIVE_PARAMETER_COUNT: Final = SCHEMA_NS + "activeParameterCount"
CONTEXT_LENGTH: Final = SCHEMA_NS + "contextLength"
TRAINING_TOKENS: Final = SCHEMA_NS + "trainingTokens"

#: The SKOS hierarchy and scheme predicates: the export's SKOS view (graph/explore/skos.py)
#: writes them from the is-a and example-of edges, so reading an export back must not take
#: them for typed relations (the hierarchy is read from rdfs:subClassOf and rdf:type only).
SKOS_HIERARCHY: Final = frozenset(
    {
        SKOS + "broader",
        SKOS + "narrower",
        SKOS + "broaderTransitive",
        SKOS + "narrowerTransitive",
        SKOS + "hasTopConcept",
        SKOS + "topConceptOf",
    }
)

#: Annotation predicates that never count as typed relations between concepts.
ANNOTATION_PREDICATES: Final = frozenset(
    {
        *SKOS_HIERARCHY,
        TYPE,
        SUB_CLASS_OF,
        SOURCE,
        RDFS + "seeAlso",
        RDFS + "isDefinedBy",
        SKOS + "inScheme",
        *LABEL_PREDICATES,
        *ALT_LABEL_PREDICATES,
        *DEFINITION_PREDICATES,
    }
)

#: Namespaces whose terms are RDF, RDFS, OWL, SKOS or SHACL vocabulary, never concepts.
VOCABULARY_NAMESPACES: Final = (RDF, RDFS, OWL, XSD, SKOS, SH)

#: Human names for the two reasoning predicates, used in proofs.
PREDICATE_LABELS: Final[dict[str, str]] = {
    SUB_CLASS_OF: "is a",
    TYPE: "example of",
}


def is_vocabulary(iri: str) -> bool:
    """Tell whether an IRI belongs to RDF, RDFS, OWL, XSD, SKOS or SHACL.

    >>> is_vocabulary("http://www.w3.org/2002/07/owl#Thing")
    True
    >>> is_vocabulary("https://w3id.org/aikg/concept/gpt-4")
    False
    """
    return iri.startswith(VOCABULARY_NAMESPACES)


AIKG = rdflib_namespace.Namespace(CONCEPT_NS)  # concepts: an open namespace (curators add to it)


class AIKGS(rdflib_namespace.DefinedNamespace):
    """Relations between concepts, the punning marker, and the SHACL shapes' names."""

    _NS = rdflib_namespace.Namespace(SCHEMA_NS)
    _fail = True

    # Relations (owl:ObjectProperty), declared with label, definition, domain and range.
    adaptedBy: URIRef
    authoredBy: URIRef
    basedOn: URIRef
    coinedBy: URIRef
    deployedVia: URIRef
    developedBy: URIRef
    exhibits: URIRef
    hasModality: URIRef
    hasProperty: URIRef
    introducedIn: URIRef
    involvesTradeOff: URIRef
    ledBy: URIRef
    memberOfFamily: URIRef
    partOf: URIRef
    performs: URIRef
    pricedBy: URIRef
    refines: URIRef
    scalesWith: URIRef
    succeeds: URIRef
    trainedWith: URIRef
    usesArchitecture: URIRef
    variantOf: URIRef
    # Data property: the licence of a model's weights (SPDX identifier or name).
    licence: URIRef
    # Data properties: identifiers, one per scheme.
    arxivId: URIRef
    doi: URIRef
    url: URIRef
    wikidataId: URIRef
    # Data properties: a named model's published numbers.
    activeParameterCount: URIRef
    contextLength: URIRef
    parameterCount: URIRef
    trainingTokens: URIRef
    # Annotation: marks a resource meant to be both a kind and a named example.
    allowPunning: URIRef
    # SHACL shapes (ontology/shapes.ttl).
    AdaptationTechniqueKindShape: URIRef
    AdaptedByShape: URIRef
    AuthoredByShape: URIRef
    BasedOnShape: URIRef
    CoinedByShape: URIRef
    ComponentExampleShape: URIRef
    ComponentKindShape: URIRef
    ConceptShape: URIRef
    DeployedViaShape: URIRef
    DevelopedByShape: URIRef
    ExhibitsShape: URIRef
    HasModalityShape: URIRef
    HasPropertyShape: URIRef
    IdentifierShape: URIRef
    IntroducedInShape: URIRef
    InvolvesTradeOffShape: URIRef
    KindShape: URIRef
    LedByShape: URIRef
    MemberOfFamilyShape: URIRef
    ModelArchitectureKindShape: URIRef
    ModelComponentKindShape: URIRef
    ModelFamilyShape: URIRef
    ModelNumbersShape: URIRef
    ModelShape: URIRef
    NamedExampleShape: URIRef
    PartOfShape: URIRef
    PerformsShape: URIRef
    PricedByShape: URIRef
    PublicationShape: URIRef
    RefinesShape: URIRef
    ScalesWithShape: URIRef
    SoftwareShape: URIRef
    SucceedsShape: URIRef
    TrainedWithShape: URIRef
    TrainingTechniqueKindShape: URIRef
    UsesArchitectureShape: URIRef
    VariantOfShape: URIRef
