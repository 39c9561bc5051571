"""The published ontology declares every pol: term with labels, a comment and its alignment."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
from rdflib import Graph, Literal, Namespace, URIRef
from rdflib.namespace import DCTERMS, OWL, PROV, RDF, RDFS, SKOS

from kg_build.model.vocab import ORG, POL, POL_NS, QUDT, SCHEMA

REPO = Path(__file__).resolve().parents[1]
ONTOLOGY = REPO / "ontology" / "policy-kg.ttl"
VOCABULARY_MD = REPO / "docs" / "VOCABULARY.md"  # the contract, shipped with the repository
SHARED_VOCABULARY_MD = REPO.parent / "shared" / "docs" / "VOCABULARY.md"  # the team's copy, where it is beside
NIF = Namespace("http://persistence.uni-leipzig.org/nlp2rdf/ontologies/nif-core#")
# Classes of the individuals; not (yet) attributes of POL.
COMPARATOR = URIRef(POL_NS + "Comparator")
MODALITY = URIRef(POL_NS + "Modality")
ADMIN_LEVEL = URIRef(POL_NS + "AdminLevel")

# Every pol: term of VOCABULARY.md v2, so a misspelling in the document or here shows as a difference.
VOCABULARY_TERMS = [
    "About", "Achievement", "Aspirational", "AtLeast", "AtMost", "Company", "Equal", "Event",
    "Firm", "GovernmentBody", "GovernmentSection", "HighlightsSection", "Honor", "HonorConferral",
    "Indicator", "Initiative", "LessThan", "Measure", "MoreThan", "Mu", "Organization",
    "OutlookSection", "PercentagePoint", "PetaFLOPS", "Pillar", "Place", "PlanSection", "Platform",
    "Project", "QuantifiedStatement", "Rank", "ReviewSection", "Section", "TEU", "Target",
    "WorkReport", "comparator", "hasMeasure", "hasPillar", "hasSection", "hasStatement", "honor",
    "indicator", "involvesOrganization", "locatedIn", "meeting", "mentions", "modality", "ordinal",
    "partOfInitiative", "planYear", "recipient", "refArea", "refYear", "region", "reviewYear",
    "speaker", "surfaceForm", "text", "year",
    # v2
    "Baseline", "Between", "CountyLevel", "NationalLevel", "PrefecturalLevel", "ProvincialLevel",
    "StandardIndicator", "adminLevel", "periodStart", "standardIndicator", "unitLabel", "upperBound",
    # additions (docs/VOCABULARY.md, "Other additions")
    "adminCode", "buildWarning", "builderVersion", "contentHash", "mergedBy", "sourceFile",
]

SUBCLASS_CASES = [
    ("WorkReport", SCHEMA.Report),
    ("WorkReport", PROV.Entity),
    ("Section", PROV.Entity),
    ("PlanSection", POL.Section),
    ("ReviewSection", POL.Section),
    ("OutlookSection", POL.Section),
    ("HighlightsSection", POL.Section),
    ("GovernmentSection", POL.Section),
    ("Pillar", SKOS.Concept),
    ("Measure", PROV.Plan),
    ("Initiative", PROV.Plan),
    ("Project", SCHEMA.Project),
    ("Platform", POL.Project),
    ("Organization", ORG.Organization),
    ("Company", POL.Organization),
    ("Company", ORG.FormalOrganization),
    ("Company", SCHEMA.Corporation),
    ("GovernmentBody", POL.Organization),
    ("GovernmentBody", ORG.FormalOrganization),
    ("GovernmentBody", SCHEMA.GovernmentOrganization),
    ("Place", SCHEMA.Place),
    ("Event", SCHEMA.Event),
    ("Honor", PROV.Entity),
    ("HonorConferral", PROV.Entity),
    ("Indicator", SKOS.Concept),
    ("QuantifiedStatement", QUDT.QuantityValue),
    ("QuantifiedStatement", PROV.Entity),
    ("Target", POL.QuantifiedStatement),
    ("Achievement", POL.QuantifiedStatement),
]

SUBPROPERTY_CASES = [
    ("region", DCTERMS.spatial),
    ("hasSection", DCTERMS.hasPart),
    ("hasPillar", DCTERMS.hasPart),
    ("hasMeasure", DCTERMS.hasPart),
    ("mentions", SCHEMA.mentions),
    ("locatedIn", SCHEMA.location),
    ("partOfInitiative", DCTERMS.isPartOf),
]

KIND_CASES = [
    ("WorkReport", OWL.Class),
    ("Comparator", OWL.Class),
    ("Modality", OWL.Class),
    ("region", OWL.ObjectProperty),
    ("text", OWL.ObjectProperty),
    ("comparator", OWL.ObjectProperty),
    ("indicator", OWL.ObjectProperty),
    ("recipient", OWL.ObjectProperty),
    ("planYear", OWL.DatatypeProperty),
    ("ordinal", OWL.DatatypeProperty),
    ("surfaceForm", OWL.DatatypeProperty),
    ("upperBound", OWL.DatatypeProperty),
    ("Equal", COMPARATOR),
    ("MoreThan", COMPARATOR),
    ("AtLeast", COMPARATOR),
    ("About", COMPARATOR),
    ("AtMost", COMPARATOR),
    ("LessThan", COMPARATOR),
    ("Firm", MODALITY),
    ("Aspirational", MODALITY),
    ("PercentagePoint", QUDT.Unit),
    ("Mu", QUDT.Unit),
    ("PetaFLOPS", QUDT.Unit),
    ("Rank", QUDT.Unit),
    ("TEU", QUDT.Unit),
]

RANGE_CASES = [
    ("planYear", URIRef("http://www.w3.org/2001/XMLSchema#gYear")),
    ("reviewYear", URIRef("http://www.w3.org/2001/XMLSchema#gYear")),
    ("refYear", URIRef("http://www.w3.org/2001/XMLSchema#gYear")),
    ("year", URIRef("http://www.w3.org/2001/XMLSchema#gYear")),
    ("ordinal", URIRef("http://www.w3.org/2001/XMLSchema#integer")),
    ("surfaceForm", RDF.langString),
    ("region", POL.Place),
    ("text", NIF.Context),
    ("indicator", POL.Indicator),
    ("comparator", COMPARATOR),
    ("modality", MODALITY),
    ("honor", POL.Honor),
]

ONTOLOGY_IRI = URIRef("https://w3id.org/policy-kg/def")
DECLARED_KINDS = {OWL.Class, OWL.ObjectProperty, OWL.DatatypeProperty, COMPARATOR, MODALITY, ADMIN_LEVEL, QUDT.Unit}


@pytest.fixture(scope="module")
def ontology() -> Graph:
    return Graph().parse(ONTOLOGY, format="turtle")


def vocab_md_terms() -> list[str]:
    """The pol: terms named in docs/VOCABULARY.md."""
    return sorted(set(re.findall(r"\bpol:([A-Za-z][A-Za-z0-9]*)", VOCABULARY_MD.read_text(encoding="utf-8"))))


POL_TERMS = sorted(POL.__annotations__)
ALL_TERMS = sorted(set(POL_TERMS) | set(VOCABULARY_TERMS) | set(vocab_md_terms()))


def test_ontology_header(ontology: Graph) -> None:
    assert (ONTOLOGY_IRI, RDF.type, OWL.Ontology) in ontology
    assert ontology.value(ONTOLOGY_IRI, OWL.versionIRI) == URIRef("https://w3id.org/policy-kg/def/0.1.0")
    assert ontology.value(ONTOLOGY_IRI, OWL.versionInfo) == Literal("0.1.0")
    for prop in (DCTERMS.title, DCTERMS.description, DCTERMS.license):
        assert ontology.value(ONTOLOGY_IRI, prop) is not None, prop


def test_hard_coded_terms_cover_vocabulary_md() -> None:
    missing = sorted(set(vocab_md_terms()) - set(VOCABULARY_TERMS))
    assert missing == [], f"VOCABULARY.md names terms missing from VOCABULARY_TERMS: {missing}"


@pytest.mark.parametrize("name", ALL_TERMS)
def test_term_declared_with_labels_and_comment(ontology: Graph, name: str) -> None:
    term = URIRef(POL_NS + name)
    kinds = set(ontology.objects(term, RDF.type))
    assert kinds & DECLARED_KINDS, f"pol:{name} is not declared"
    languages = sorted(label.language for label in ontology.objects(term, RDFS.label))
    assert languages == ["en", "zh-Hans"], f"pol:{name} labels: {languages}"
    comments = [c for c in ontology.objects(term, RDFS.comment) if c.language == "en"]
    assert len(comments) == 1 and len(comments[0]) > 10


@pytest.mark.parametrize("name", POL_TERMS)
def test_vocab_attribute_is_a_pol_term(name: str) -> None:
    assert getattr(POL, name) == URIRef(POL_NS + name)


@pytest.mark.parametrize(("name", "superclass"), SUBCLASS_CASES)
def test_class_alignment(ontology: Graph, name: str, superclass: URIRef) -> None:
    assert (URIRef(POL_NS + name), RDFS.subClassOf, superclass) in ontology


@pytest.mark.parametrize(("name", "superproperty"), SUBPROPERTY_CASES)
def test_property_alignment(ontology: Graph, name: str, superproperty: URIRef) -> None:
    assert (URIRef(POL_NS + name), RDFS.subPropertyOf, superproperty) in ontology


@pytest.mark.parametrize(("name", "kind"), KIND_CASES)
def test_term_kind(ontology: Graph, name: str, kind: URIRef) -> None:
    assert (URIRef(POL_NS + name), RDF.type, kind) in ontology


@pytest.mark.parametrize(("name", "range_"), RANGE_CASES)
def test_property_range(ontology: Graph, name: str, range_: URIRef) -> None:
    assert ontology.value(URIRef(POL_NS + name), RDFS.range) == range_


def test_no_equivalent_classes_or_imports(ontology: Graph) -> None:
    assert list(ontology.triples((None, OWL.equivalentClass, None))) == []
    assert list(ontology.triples((None, OWL.imports, None))) == []


def test_every_declared_pol_term_is_in_vocab_or_known_extras(ontology: Graph) -> None:
    declared = sorted(
        str(s)[len(POL_NS):] for s in set(ontology.subjects(RDF.type, None)) if str(s).startswith(POL_NS)
    )
    extras = sorted(set(declared) - set(POL_TERMS))
    assert set(extras) <= {"Comparator", "Modality"}, f"declared but not in vocab.POL: {extras}"


# --- JSON-LD context -------------------------------------------------------------------

CONTEXT_FILE = REPO / "ontology" / "context.jsonld"
XSD_NS = "http://www.w3.org/2001/XMLSchema#"
ID = "https://w3id.org/policy-kg/id/"


@pytest.fixture(scope="module")
def context() -> dict:
    return json.loads(CONTEXT_FILE.read_text(encoding="utf-8"))["@context"]


def expand_term(context: dict, name: str) -> str:
    """The IRI a context term stands for (one level of prefix expansion is all ours needs)."""
    definition = context[name]
    curie = definition if isinstance(definition, str) else definition["@id"]
    prefix, _, local = curie.partition(":")
    return context[prefix] + local if isinstance(context.get(prefix), str) else curie


@pytest.mark.parametrize("name", POL_TERMS)
def test_context_has_a_short_name_for_every_pol_term(context: dict, name: str) -> None:
    assert expand_term(context, name) == POL_NS + name


JSONLD_CASES = [
    (
        {"@id": "id:report/x-2026", "type": "WorkReport", "planYear": "2026", "issued": "2026-01-20",
         "region": "id:place/x", "prefLabel": {"zh-Hans": "某区政府工作报告", "en": "X report"}},
        [
            (ID + "report/x-2026", str(RDF.type), POL_NS + "WorkReport"),
            (ID + "report/x-2026", POL_NS + "planYear", Literal("2026", datatype=URIRef(XSD_NS + "gYear"))),
            (ID + "report/x-2026", str(DCTERMS.issued), Literal("2026-01-20", datatype=URIRef(XSD_NS + "date"))),
            (ID + "report/x-2026", POL_NS + "region", ID + "place/x"),
            (ID + "report/x-2026", str(SKOS.prefLabel), Literal("某区政府工作报告", lang="zh-Hans")),
            (ID + "report/x-2026", str(SKOS.prefLabel), Literal("X report", lang="en")),
        ],
    ),
    (
        {"@id": "id:s/1", "type": ["Target"], "numericValue": "64000000000", "unit": "cur:CNY",
         "comparator": "MoreThan", "modality": "Aspirational", "refYear": "2026",
         "indicator": "id:indicator/i", "surfaceForm": {"zh-Hans": "超640亿元"}},
        [
            (ID + "s/1", str(RDF.type), POL_NS + "Target"),
            (ID + "s/1", str(QUDT.numericValue), Literal("64000000000", datatype=URIRef(XSD_NS + "decimal"))),
            (ID + "s/1", str(QUDT.unit), "http://qudt.org/vocab/currency/CNY"),
            (ID + "s/1", POL_NS + "comparator", POL_NS + "MoreThan"),
            (ID + "s/1", POL_NS + "modality", POL_NS + "Aspirational"),
            (ID + "s/1", POL_NS + "refYear", Literal("2026", datatype=URIRef(XSD_NS + "gYear"))),
            (ID + "s/1", POL_NS + "indicator", ID + "indicator/i"),
            (ID + "s/1", POL_NS + "surfaceForm", Literal("超640亿元", lang="zh-Hans")),
        ],
    ),
    (
        {"@id": "id:s/2", "unit": "PERCENT"},
        [(ID + "s/2", str(QUDT.unit), "http://qudt.org/vocab/unit/PERCENT")],
    ),
    (
        {"@id": "id:s/3", "unit": "PercentagePoint", "comparator": "pol:AtLeast"},
        [
            (ID + "s/3", str(QUDT.unit), POL_NS + "PercentagePoint"),
            (ID + "s/3", POL_NS + "comparator", POL_NS + "AtLeast"),
        ],
    ),
    (
        {"@id": "id:m/1", "type": "Measure", "ordinal": 3, "hasStatement": "id:s/1",
         "wasDerivedFrom": {"@id": "id:r/text#char=2,5", "type": "String", "beginIndex": 2, "endIndex": 5,
                            "anchorOf": "抓投资", "referenceContext": "id:r/text"}},
        [
            (ID + "m/1", str(RDF.type), POL_NS + "Measure"),
            (ID + "m/1", POL_NS + "ordinal", Literal("3", datatype=URIRef(XSD_NS + "integer"))),
            (ID + "m/1", POL_NS + "hasStatement", ID + "s/1"),
            (ID + "m/1", str(PROV.wasDerivedFrom), ID + "r/text#char=2,5"),
            (ID + "r/text#char=2,5", str(RDF.type), str(NIF.String)),
            (ID + "r/text#char=2,5", str(NIF.beginIndex), Literal("2", datatype=URIRef(XSD_NS + "nonNegativeInteger"))),
            (ID + "r/text#char=2,5", str(NIF.endIndex), Literal("5", datatype=URIRef(XSD_NS + "nonNegativeInteger"))),
            (ID + "r/text#char=2,5", str(NIF.anchorOf), Literal("抓投资")),
            (ID + "r/text#char=2,5", str(NIF.referenceContext), ID + "r/text"),
        ],
    ),
]


def as_term(value: object) -> object:
    """Plain strings in the tables are IRIs; Literals stay literals."""
    return value if isinstance(value, Literal) else URIRef(str(value))


@pytest.mark.parametrize(("document", "expected"), JSONLD_CASES)
def test_context_expands_documents_to_expected_triples(context: dict, document: dict, expected: list) -> None:
    graph = Graph().parse(data=json.dumps({"@context": context, **document}), format="json-ld")
    wanted = {(URIRef(s), URIRef(p), as_term(o)) for s, p, o in expected}
    assert set(graph) == wanted


def test_context_round_trips_a_graph(context: dict) -> None:
    source = Graph()
    for document, _ in JSONLD_CASES:
        source.parse(data=json.dumps({"@context": context, **document}), format="json-ld")
    compacted = source.serialize(format="json-ld", context=context)
    again = Graph().parse(data=compacted, format="json-ld")
    assert len(again) == len(source) and set(again) == set(source)


def test_context_has_no_duplicate_keys() -> None:
    def refuse_duplicates(pairs: list[tuple[str, object]]) -> dict:
        keys = [key for key, _ in pairs]
        assert len(keys) == len(set(keys)), sorted({k for k in keys if keys.count(k) > 1})
        return dict(pairs)

    json.loads(CONTEXT_FILE.read_text(encoding="utf-8"), object_pairs_hook=refuse_duplicates)


def test_shipped_vocabulary_is_the_teams_contract() -> None:
    """docs/VOCABULARY.md is the contract users read; where the team's copy is beside the repo, they agree."""
    if not SHARED_VOCABULARY_MD.exists():
        pytest.skip("no ../shared beside this checkout (a user's clone): the shipped copy is the contract")
    shared = set(re.findall(r"\bpol:([A-Za-z][A-Za-z0-9]*)", SHARED_VOCABULARY_MD.read_text(encoding="utf-8")))
    assert shared <= set(vocab_md_terms()), sorted(shared - set(vocab_md_terms()))
