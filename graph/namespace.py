"""Our schema vocabulary as a closed rdflib namespace: a misspelt term fails loudly.

>>> str(AIKGS.developedBy)
'https://w3id.org/aikg/schema/developedBy'
>>> AIKGS.developedBye
Traceback (most recent call last):
...
AttributeError: term 'developedBye' not in namespace 'https://w3id.org/aikg/schema/'
"""

from __future__ import annotations

from rdflib.namespace import DefinedNamespace, Namespace
from rdflib.term import URIRef

from graph.vocabulary import CONCEPT_NS, SCHEMA_NS

AIKG = Namespace(CONCEPT_NS)


class AIKGS(DefinedNamespace):
    """Relations between concepts, the punning marker, and the SHACL shapes' names."""

    _NS = Namespace(SCHEMA_NS)
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
    # Annotation: marks a resource meant to be both a kind and a named example.
    allowPunning: URIRef
    # SHACL shapes (ontology/shapes.ttl).
    AdaptationTechniqueKindShape: URIRef
    AdaptedByShape: URIRef
    AuthoredByShape: URIRef
    BasedOnShape: URIRef
    CoinedByShape: URIRef
    ConceptShape: URIRef
    DeployedViaShape: URIRef
    DevelopedByShape: URIRef
    ExhibitsShape: URIRef
    HasModalityShape: URIRef
    HasPropertyShape: URIRef
    IntroducedInShape: URIRef
    InvolvesTradeOffShape: URIRef
    KindShape: URIRef
    LedByShape: URIRef
    MemberOfFamilyShape: URIRef
    ModelArchitectureKindShape: URIRef
    ModelShape: URIRef
    NamedExampleShape: URIRef
    PartOfShape: URIRef
    PerformsShape: URIRef
    PricedByShape: URIRef
    PublicationShape: URIRef
    RefinesShape: URIRef
    ScalesWithShape: URIRef
    SucceedsShape: URIRef
    TrainedWithShape: URIRef
    TrainingTechniqueKindShape: URIRef
    UsesArchitectureShape: URIRef
    VariantOfShape: URIRef
