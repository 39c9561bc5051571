"""The ``pol:`` vocabulary as a class: a misspelt term is an AttributeError, not a wrong IRI."""

from __future__ import annotations

from rdflib import Namespace
from rdflib.namespace import DefinedNamespace
from rdflib.term import URIRef

POL_NS = "https://w3id.org/policy-kg/def#"
ONTOLOGY_GRAPH = "https://w3id.org/policy-kg/def"
DATA_NS = "https://w3id.org/policy-kg/id/"

UNIT = Namespace("http://qudt.org/vocab/unit/")
CUR = Namespace("http://qudt.org/vocab/currency/")
SCHEMA = Namespace("http://schema.org/")
ORG = Namespace("http://www.w3.org/ns/org#")


class POL(DefinedNamespace):
    """Terms of https://w3id.org/policy-kg/def# (docs/VOCABULARY.md, contract v2, plus additions)."""

    _NS = Namespace(POL_NS)
    _fail = True

    # classes
    WorkReport: URIRef
    Section: URIRef
    PlanSection: URIRef
    ReviewSection: URIRef
    OutlookSection: URIRef
    HighlightsSection: URIRef
    GovernmentSection: URIRef
    Pillar: URIRef
    Measure: URIRef
    Initiative: URIRef
    Project: URIRef
    Platform: URIRef
    Organization: URIRef
    Company: URIRef
    GovernmentBody: URIRef
    Place: URIRef
    Event: URIRef
    Honor: URIRef
    HonorConferral: URIRef
    Indicator: URIRef
    QuantifiedStatement: URIRef
    Target: URIRef
    Achievement: URIRef
    Comparator: URIRef
    Modality: URIRef
    Baseline: URIRef  # v2: the starting point of a stated change
    StandardIndicator: URIRef  # v2
    AdminLevel: URIRef  # v2: the class of the level individuals

    # properties
    region: URIRef
    planYear: URIRef
    reviewYear: URIRef
    speaker: URIRef
    meeting: URIRef
    text: URIRef
    hasSection: URIRef
    hasPillar: URIRef
    hasMeasure: URIRef
    ordinal: URIRef
    mentions: URIRef
    involvesOrganization: URIRef
    locatedIn: URIRef
    partOfInitiative: URIRef
    honor: URIRef
    recipient: URIRef
    year: URIRef
    hasStatement: URIRef
    indicator: URIRef
    comparator: URIRef
    modality: URIRef
    refYear: URIRef
    refArea: URIRef
    surfaceForm: URIRef
    upperBound: URIRef  # addition: upper bound of a stated range (5%—5.5%)
    adminCode: URIRef  # addition: GB/T 2260 administrative division code of a Place
    adminLevel: URIRef  # v2: pol:NationalLevel | ProvincialLevel | PrefecturalLevel | CountyLevel
    periodStart: URIRef  # v2: first year of a multi-year figure
    standardIndicator: URIRef  # v2
    unitLabel: URIRef  # v2: what a count counts
    contentHash: URIRef  # addition: hash of text, sidecar and builder version (incremental builds)
    builderVersion: URIRef  # addition: version of policy-kg that built a report graph
    buildWarning: URIRef  # addition: what the report's graph may be missing (no-plan-section, no-targets, …)
    mergedBy: URIRef  # addition: the alias rule or table that merged a name into an entity
    sourceFile: URIRef  # addition: file name the report was read from

    # individuals: comparators, modalities, units of our own
    Equal: URIRef
    MoreThan: URIRef
    AtLeast: URIRef
    About: URIRef
    AtMost: URIRef
    LessThan: URIRef
    Between: URIRef  # v2: a range; pol:upperBound holds its upper end
    NationalLevel: URIRef
    ProvincialLevel: URIRef
    PrefecturalLevel: URIRef
    CountyLevel: URIRef
    Firm: URIRef
    Aspirational: URIRef
    PercentagePoint: URIRef
    Mu: URIRef
    PetaFLOPS: URIRef
    Rank: URIRef
    TEU: URIRef


class NIF(DefinedNamespace):
    """The NIF Core terms the graph uses for a report's text and the strings cut from it (closed: a
    misspelt term is an AttributeError; ``Terms`` keeps each term once for the model's hot loop)."""

    _NS = Namespace("http://persistence.uni-leipzig.org/nlp2rdf/ontologies/nif-core#")
    _fail = True

    Context: URIRef
    String: URIRef
    Sentence: URIRef
    isString: URIRef
    anchorOf: URIRef
    beginIndex: URIRef
    endIndex: URIRef
    referenceContext: URIRef
    sentence: URIRef


class QUDT(DefinedNamespace):
    """The QUDT schema terms the graph and the ontology use (closed, like ``NIF``)."""

    _NS = Namespace("http://qudt.org/schema/qudt/")
    _fail = True

    QuantityValue: URIRef
    Unit: URIRef
    numericValue: URIRef
    unit: URIRef


PREFIXES: dict[str, str] = {
    "pol": POL_NS,
    "id": DATA_NS,
    "rdf": "http://www.w3.org/1999/02/22-rdf-syntax-ns#",
    "rdfs": "http://www.w3.org/2000/01/rdf-schema#",
    "owl": "http://www.w3.org/2002/07/owl#",
    "xsd": "http://www.w3.org/2001/XMLSchema#",
    "skos": "http://www.w3.org/2004/02/skos/core#",
    "dct": "http://purl.org/dc/terms/",
    "prov": "http://www.w3.org/ns/prov#",
    "org": str(ORG),
    "schema": str(SCHEMA),
    "nif": str(NIF),
    "qudt": str(QUDT),
    "unit": str(UNIT),
    "cur": str(CUR),
}


def expand_curie(curie: str) -> URIRef:
    """``"cur:CNY"`` → the full IRI; refuses unknown prefixes."""
    prefix, _, local = curie.partition(":")
    if prefix not in PREFIXES or not local:
        raise ValueError(f"unknown CURIE {curie!r}")
    return URIRef(PREFIXES[prefix] + local)


class Terms:
    """A namespace whose terms are looked up once.

    Attribute access on an rdflib namespace builds (and for a DefinedNamespace, checks) a new
    URIRef every time; the model asks for the same few dozen terms some hundred thousand times.
    Misspelt terms still fail, on first use, as the namespace itself decides.
    """

    def __init__(self, namespace: object) -> None:
        self._namespace = namespace
        self._terms: dict[str, URIRef] = {}

    def __getattr__(self, name: str) -> URIRef:  # only called until the term is set on the instance
        if name.startswith("_"):
            raise AttributeError(name)
        term = self[name]
        setattr(self, name, term)
        return term

    def __getitem__(self, name: str) -> URIRef:
        term = self._terms.get(name)
        if term is None:
            term = self._terms[name] = getattr(self._namespace, name)
        return term
