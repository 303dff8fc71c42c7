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
#: A merged concept names the IRI it absorbed with dcterms:replaces; the old IRI is described
#: nowhere else, and lookup resolves it to the concept that replaced it.
REPLACES: Final = DCTERMS + "replaces"
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
#: A lab part of its company, a sub-field of its field: relation filters follow it downwards.
PART_OF: Final = SCHEMA_NS + "partOf"
#: A model in its series, a series in its family: a member-of-family filter follows it downwards.
MEMBER_OF_FAMILY: Final = SCHEMA_NS + "memberOfFamily"
#: A kind of model and the architecture it is named after (R3 of the modelling guide).
USES_ARCHITECTURE: Final = SCHEMA_NS + "usesArchitecture"
#: The kind a family or series is a named example of (R1 of the modelling guide).
MODEL_FAMILY: Final = CONCEPT_NS + "model-family"

#: Identifier properties by the lower-case scheme name the API shows (graph/explore/identifiers.py).
IDENTIFIER_PREDICATES: Final[dict[str, str]] = {
    "arxiv": SCHEMA_NS + "arxivId",
    "doi": SCHEMA_NS + "doi",
    "url": SCHEMA_NS + "url",
    "wikidata": SCHEMA_NS + "wikidataId",
}
#: A named model's published numbers (graph/index/numbers.py), each an xsd:integer.
PARAMETER_COUNT: Final = SCHEMA_NS + "parameterCount"
ACTIVE_PARAMETER_COUNT: Final = SCHEMA_NS + "activeParameterCount"
CONTEXT_LENGTH: Final = SCHEMA_NS + "contextLength"
TRAINING_TOKENS: Final = SCHEMA_NS + "trainingTokens"
#: The literals a concept gives as fields of their own rather than as facts: its identifiers and
#: a model's numbers (read into the index's ``field_literals``).
IDENTIFIER_AND_NUMBER_PREDICATES: Final = frozenset(
    {
        *IDENTIFIER_PREDICATES.values(),
        PARAMETER_COUNT,
        ACTIVE_PARAMETER_COUNT,
        CONTEXT_LENGTH,
        TRAINING_TOKENS,
    }
)

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
        REPLACES,
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

#: Our annotation naming a relation as read from its object's side ("succeeded by").
INVERSE_LABEL: Final = SCHEMA_NS + "inverseLabel"
#: Declarations that make an IRI a relation predicate even before any edge uses it.
RELATION_DECLARATIONS: Final = frozenset({OWL + "ObjectProperty", RDF + "Property"})

#: Readable names for the standard terms a graph may use without labelling them (ours carry
#: ``rdfs:label`` in schema.ttl): (label, reading from the object's side). Names from the
#: terms' own specifications (SKOS, DCMI Terms, RDFS, OWL), lower-cased.
STANDARD_PREDICATE_LABELS: Final[dict[str, tuple[str, str]]] = {
    SKOS + "related": ("related to", "related to"),
    SKOS + "exactMatch": ("exact match of", "exact match of"),
    SKOS + "closeMatch": ("close match of", "close match of"),
    SKOS + "broadMatch": ("has broader match", "has narrower match"),
    SKOS + "narrowMatch": ("has narrower match", "has broader match"),
    SKOS + "relatedMatch": ("related match of", "related match of"),
    SKOS + "note": ("note", "note of"),
    SKOS + "scopeNote": ("scope note", "scope note of"),
    SKOS + "example": ("example", "example of"),
    SKOS + "historyNote": ("history note", "history note of"),
    SKOS + "editorialNote": ("editorial note", "editorial note of"),
    SKOS + "changeNote": ("change note", "change note of"),
    SKOS + "notation": ("notation", "notation of"),
    RDFS + "seeAlso": ("see also", "see also"),
    RDFS + "isDefinedBy": ("defined by", "defines"),
    OWL + "sameAs": ("same as", "same as"),
    OWL + "equivalentClass": ("equivalent to", "equivalent to"),
    OWL + "versionInfo": ("version", "version of"),
    DCTERMS + "title": ("title", "title of"),
    DCTERMS + "description": ("description", "description of"),
    DCTERMS + "issued": ("date issued", "issue date of"),
    DCTERMS + "created": ("date created", "creation date of"),
    DCTERMS + "modified": ("date modified", "modification date of"),
    DCTERMS + "source": ("source", "source of"),
    DCTERMS + "license": ("licence", "licence of"),
    DCTERMS + "rights": ("rights", "rights of"),
    DCTERMS + "creator": ("created by", "creator of"),
    DCTERMS + "contributor": ("contributed to by", "contributor to"),
    DCTERMS + "publisher": ("published by", "publisher of"),
    DCTERMS + "subject": ("about", "subject of"),
    DCTERMS + "references": ("references", "referenced by"),
    DCTERMS + "isReferencedBy": ("referenced by", "references"),
    DCTERMS + "isPartOf": ("part of", "has part"),
    DCTERMS + "hasPart": ("has part", "part of"),
    DCTERMS + "isVersionOf": ("version of", "has version"),
    DCTERMS + "hasVersion": ("has version", "version of"),
    DCTERMS + "replaces": ("replaces", "replaced by"),
    DCTERMS + "isReplacedBy": ("replaced by", "replaces"),
    DCTERMS + "requires": ("requires", "required by"),
    DCTERMS + "relation": ("related to", "related to"),
    DCTERMS + "bibliographicCitation": ("citation", "citation of"),
    DCTERMS + "identifier": ("identifier", "identifier of"),
}

#: Literal predicates never listed as a concept's facts: the concept's labels and definitions
#: in every language, which ``label``/``labels``/``altLabels``/``definition`` already give, its
#: identifiers (``identifiers``) and a model's numbers (``parameters``, ``contextLength``...).
FIELD_LITERAL_PREDICATES: Final = frozenset(
    {
        *LABEL_PREDICATES,
        *ALT_LABEL_PREDICATES,
        *DEFINITION_PREDICATES,
        *IDENTIFIER_AND_NUMBER_PREDICATES,
    }
)


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
    usesComponent: URIRef
    variantOf: URIRef
    # Data property: the licence of a model's weights (SPDX identifier or name).
    licence: URIRef
    # Annotation: a relation's name as read from its object's side ("succeeded by").
    inverseLabel: URIRef
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
    AiModelKindShape: URIRef
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
    LearningParadigmShape: URIRef
    LedByShape: URIRef
    MemberOfFamilyShape: URIRef
    ModelArchitectureKindShape: URIRef
    ModelComponentKindShape: URIRef
    ModelExampleNotArchitectureShape: URIRef
    ModelFamilyShape: URIRef
    ModelKindNotArchitectureShape: URIRef
    ModelNumbersShape: URIRef
    ModelShape: URIRef
    NamedExampleShape: URIRef
    OrganisationShape: URIRef
    PartOfShape: URIRef
    PerformsShape: URIRef
    PricedByShape: URIRef
    PublicationShape: URIRef
    RefinesShape: URIRef
    ResearchFieldShape: URIRef
    ScalesWithShape: URIRef
    SoftwareShape: URIRef
    SucceedsShape: URIRef
    TrainedWithShape: URIRef
    TrainingTechniqueKindShape: URIRef
    UsesArchitectureShape: URIRef
    UsesComponentShape: URIRef
    VariantOfShape: URIRef
