"""The SHACL shapes accept a well-formed report graph and name what is wrong in broken ones."""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path

import pytest
from rdflib import Dataset, Graph, Literal, Namespace, URIRef
from rdflib.namespace import PROV, RDF, RDFS, SKOS, XSD

from kg_build.errors import InputError
from kg_build.validate import (
    ValidationResult,
    Violation,
    load_ontology,
    load_shapes,
    report_text,
    validate_graph,
)

# Text: "2026年工作安排\n一、扩大有效投资\n推进城市更新，固定资产投资增长5%左右。\n政府自身建设\n2025年，本区获评全国文明城区。"
VALID_TRIG = r"""
@prefix pol:  <https://w3id.org/policy-kg/def#> .
@prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .
@prefix xsd:  <http://www.w3.org/2001/XMLSchema#> .
@prefix skos: <http://www.w3.org/2004/02/skos/core#> .
@prefix dct:  <http://purl.org/dc/terms/> .
@prefix prov: <http://www.w3.org/ns/prov#> .
@prefix nif:  <http://persistence.uni-leipzig.org/nlp2rdf/ontologies/nif-core#> .
@prefix qudt: <http://qudt.org/schema/qudt/> .
@prefix unit: <http://qudt.org/vocab/unit/> .
@prefix r:    <https://w3id.org/policy-kg/id/report/ceshi-2026/> .
@prefix place: <https://w3id.org/policy-kg/id/place/> .
@prefix indicator: <https://w3id.org/policy-kg/id/indicator/> .
@prefix honor: <https://w3id.org/policy-kg/id/honor/> .

<https://w3id.org/policy-kg/id/report/ceshi-2026> {
  <https://w3id.org/policy-kg/id/report/ceshi-2026> a pol:WorkReport ;
      skos:prefLabel "测试区2026年政府工作报告"@zh-Hans ; rdfs:label "测试区2026年政府工作报告"@zh-Hans ;
      dct:title "测试区2026年政府工作报告"@zh-Hans ;
      pol:planYear "2026"^^xsd:gYear ; pol:reviewYear "2025"^^xsd:gYear ;
      dct:issued "2026-01-20"^^xsd:date ;
      pol:region place:ceshi-qu ;
      pol:text r:text ;
      pol:hasSection r:section-1 , r:section-2 .

  r:text a nif:Context ;
      nif:isString "2026年工作安排\n一、扩大有效投资\n推进城市更新，固定资产投资增长5%左右。\n政府自身建设\n2025年，本区获评全国文明城区。" .

  r:section-1 a pol:Section , pol:PlanSection ;
      skos:prefLabel "2026年工作安排"@zh-Hans ; rdfs:label "2026年工作安排"@zh-Hans ;
      pol:ordinal 1 ; prov:wasDerivedFrom <https://w3id.org/policy-kg/id/report/ceshi-2026/text#char=0,9> ;
      pol:hasPillar r:pillar-1 .

  r:pillar-1 a pol:Pillar ;
      skos:prefLabel "扩大有效投资"@zh-Hans ; rdfs:label "扩大有效投资"@zh-Hans ;
      pol:ordinal 1 ; prov:wasDerivedFrom <https://w3id.org/policy-kg/id/report/ceshi-2026/text#char=12,18> ;
      pol:hasMeasure r:measure-1 .

  r:measure-1 a pol:Measure ;
      skos:prefLabel "推进城市更新"@zh-Hans ; rdfs:label "推进城市更新"@zh-Hans ;
      pol:ordinal 1 ; prov:wasDerivedFrom <https://w3id.org/policy-kg/id/report/ceshi-2026/text#char=19,25> ;
      pol:mentions indicator:fixed-asset-investment-growth ;
      pol:hasStatement r:statement-1 .

  r:statement-1 a pol:Target ;
      skos:prefLabel "固定资产投资增长5%左右"@zh-Hans ; rdfs:label "固定资产投资增长5%左右"@zh-Hans ;
      qudt:numericValue "5"^^xsd:decimal ;
      qudt:unit unit:PERCENT ;
      pol:comparator pol:About ;
      pol:modality pol:Firm ;
      pol:refYear "2026"^^xsd:gYear ;
      pol:refArea place:ceshi-qu ;
      pol:indicator indicator:fixed-asset-investment-growth ;
      pol:surfaceForm "5%左右"@zh-Hans ;
      prov:wasDerivedFrom <https://w3id.org/policy-kg/id/report/ceshi-2026/text#char=26,38> .

  r:section-2 a pol:Section , pol:GovernmentSection ;
      skos:prefLabel "政府自身建设"@zh-Hans ; rdfs:label "政府自身建设"@zh-Hans ;
      pol:ordinal 2 ; prov:wasDerivedFrom <https://w3id.org/policy-kg/id/report/ceshi-2026/text#char=40,46> .

  indicator:fixed-asset-investment-growth a pol:Indicator ;
      skos:prefLabel "固定资产投资增长"@zh-Hans ; rdfs:label "固定资产投资增长"@zh-Hans ;
      prov:wasDerivedFrom <https://w3id.org/policy-kg/id/report/ceshi-2026/text#char=26,32> .

  place:ceshi-qu a pol:Place ;
      skos:prefLabel "测试区"@zh-Hans , "Ceshi District"@en ; rdfs:label "测试区"@zh-Hans .

  honor:quanguo-wenming-chengqu a pol:Honor ;
      skos:prefLabel "全国文明城区"@zh-Hans ; rdfs:label "全国文明城区"@zh-Hans ;
      prov:wasDerivedFrom <https://w3id.org/policy-kg/id/report/ceshi-2026/text#char=57,63> .

  r:conferral-1 a pol:HonorConferral ;
      skos:prefLabel "测试区获评全国文明城区（2025）"@zh-Hans ; rdfs:label "测试区获评全国文明城区（2025）"@zh-Hans ;
      pol:honor honor:quanguo-wenming-chengqu ;
      pol:recipient place:ceshi-qu ;
      pol:year "2025"^^xsd:gYear ;
      prov:wasDerivedFrom <https://w3id.org/policy-kg/id/report/ceshi-2026/text#char=55,63> .

  <https://w3id.org/policy-kg/id/report/ceshi-2026/text#char=0,9> a nif:String ;
      nif:beginIndex "0"^^xsd:nonNegativeInteger ; nif:endIndex "9"^^xsd:nonNegativeInteger ;
      nif:anchorOf "2026年工作安排" ; nif:referenceContext r:text .
  <https://w3id.org/policy-kg/id/report/ceshi-2026/text#char=12,18> a nif:String ;
      nif:beginIndex "12"^^xsd:nonNegativeInteger ; nif:endIndex "18"^^xsd:nonNegativeInteger ;
      nif:anchorOf "扩大有效投资" ; nif:referenceContext r:text .
  <https://w3id.org/policy-kg/id/report/ceshi-2026/text#char=19,25> a nif:String ;
      nif:beginIndex "19"^^xsd:nonNegativeInteger ; nif:endIndex "25"^^xsd:nonNegativeInteger ;
      nif:anchorOf "推进城市更新" ; nif:referenceContext r:text .
  <https://w3id.org/policy-kg/id/report/ceshi-2026/text#char=26,38> a nif:String ;
      nif:beginIndex "26"^^xsd:nonNegativeInteger ; nif:endIndex "38"^^xsd:nonNegativeInteger ;
      nif:anchorOf "固定资产投资增长5%左右" ; nif:referenceContext r:text .
  <https://w3id.org/policy-kg/id/report/ceshi-2026/text#char=26,32> a nif:String ;
      nif:beginIndex "26"^^xsd:nonNegativeInteger ; nif:endIndex "32"^^xsd:nonNegativeInteger ;
      nif:anchorOf "固定资产投资" ; nif:referenceContext r:text .
  <https://w3id.org/policy-kg/id/report/ceshi-2026/text#char=40,46> a nif:String ;
      nif:beginIndex "40"^^xsd:nonNegativeInteger ; nif:endIndex "46"^^xsd:nonNegativeInteger ;
      nif:anchorOf "政府自身建设" ; nif:referenceContext r:text .
  <https://w3id.org/policy-kg/id/report/ceshi-2026/text#char=57,63> a nif:String ;
      nif:beginIndex "57"^^xsd:nonNegativeInteger ; nif:endIndex "63"^^xsd:nonNegativeInteger ;
      nif:anchorOf "全国文明城区" ; nif:referenceContext r:text .
  <https://w3id.org/policy-kg/id/report/ceshi-2026/text#char=55,63> a nif:String ;
      nif:beginIndex "55"^^xsd:nonNegativeInteger ; nif:endIndex "63"^^xsd:nonNegativeInteger ;
      nif:anchorOf "获评全国文明城区" ; nif:referenceContext r:text .
}
"""

ID = "https://w3id.org/policy-kg/id/"

# (case, text to replace in VALID_TRIG, replacement, message fragment, focus node)
BROKEN_CASES = [
    (
        "two zh-Hans prefLabels",
        'skos:prefLabel "测试区"@zh-Hans , "Ceshi District"@en',
        'skos:prefLabel "测试区"@zh-Hans , "测试城区"@zh-Hans',
        "exactly one skos:prefLabel in simplified Chinese",
        ID + "place/ceshi-qu",
    ),
    (
        "two zh-Hans prefLabels also break uniqueness",
        'skos:prefLabel "测试区"@zh-Hans , "Ceshi District"@en',
        'skos:prefLabel "测试区"@zh-Hans , "测试城区"@zh-Hans',
        "at most one per language",
        ID + "place/ceshi-qu",
    ),
    (
        "no prefLabel",
        'skos:prefLabel "推进城市更新"@zh-Hans ;',
        "",
        "exactly one skos:prefLabel in simplified Chinese",
        ID + "report/ceshi-2026/measure-1",
    ),
    (
        "prefLabel without a language tag",
        'skos:prefLabel "扩大有效投资"@zh-Hans ;',
        'skos:prefLabel "扩大有效投资" ;',
        "must be tagged @zh-Hans",
        ID + "report/ceshi-2026/pillar-1",
    ),
    (
        "no rdfs:label",
        'rdfs:label "全国文明城区"@zh-Hans ;',
        "",
        "Has no rdfs:label",
        ID + "honor/quanguo-wenming-chengqu",
    ),
    (
        "anchorOf not matching the offsets",
        'nif:anchorOf "扩大有效投资"',
        'nif:anchorOf "扩大投资"',
        'does not match the text at offsets 12..18, which reads "扩大有效投资"',
        ID + "report/ceshi-2026/text",
    ),
    (
        "end beyond the text",
        'nif:endIndex "63"^^xsd:nonNegativeInteger ;\n      nif:anchorOf "全国文明城区"',
        'nif:endIndex "70"^^xsd:nonNegativeInteger ;\n      nif:anchorOf "全国文明城区"',
        "ends at 70, beyond the end of its context's text (64 characters)",
        ID + "report/ceshi-2026/text",
    ),
    (
        "begin after end",
        'nif:beginIndex "40"^^xsd:nonNegativeInteger',
        'nif:beginIndex "47"^^xsd:nonNegativeInteger',
        "nif:beginIndex is greater than its nif:endIndex",
        ID + "report/ceshi-2026/text#char=40,46",
    ),
    (
        "offset as a string",
        'nif:beginIndex "19"^^xsd:nonNegativeInteger',
        'nif:beginIndex "19"',
        "exactly one nif:beginIndex, a non-negative integer",
        ID + "report/ceshi-2026/text#char=19,25",
    ),
    (
        "section with two kinds",
        "r:section-1 a pol:Section , pol:PlanSection ;",
        "r:section-1 a pol:Section , pol:PlanSection , pol:ReviewSection ;",
        "exactly one kind",
        ID + "report/ceshi-2026/section-1",
    ),
    (
        "section with no kind",
        "r:section-2 a pol:Section , pol:GovernmentSection ;",
        "r:section-2 a pol:Section ;",
        "exactly one kind",
        ID + "report/ceshi-2026/section-2",
    ),
    (
        "section without ordinal",
        "pol:ordinal 2 ;",
        "",
        "exactly one pol:ordinal",
        ID + "report/ceshi-2026/section-2",
    ),
    (
        "pillar with ordinal 0",
        'rdfs:label "扩大有效投资"@zh-Hans ;\n      pol:ordinal 1 ;',
        'rdfs:label "扩大有效投资"@zh-Hans ;\n      pol:ordinal 0 ;',
        "exactly one pol:ordinal",
        ID + "report/ceshi-2026/pillar-1",
    ),
    (
        "measure without provenance",
        "pol:ordinal 1 ; prov:wasDerivedFrom <https://w3id.org/policy-kg/id/report/ceshi-2026/text#char=19,25> ;",
        "pol:ordinal 1 ;",
        "Needs prov:wasDerivedFrom",
        ID + "report/ceshi-2026/measure-1",
    ),
    (
        "statement without unit",
        "qudt:unit unit:PERCENT ;",
        "",
        "exactly one qudt:unit",
        ID + "report/ceshi-2026/statement-1",
    ),
    (
        "comparator not one of ours",
        "pol:comparator pol:About ;",
        "pol:comparator pol:Roughly ;",
        "exactly one pol:comparator, one of pol:Equal",
        ID + "report/ceshi-2026/statement-1",
    ),
    (
        "modality missing",
        "pol:modality pol:Firm ;",
        "",
        "exactly one pol:modality",
        ID + "report/ceshi-2026/statement-1",
    ),
    (
        "refYear as string",
        'pol:refYear "2026"^^xsd:gYear ;',
        'pol:refYear "2026" ;',
        "exactly one pol:refYear, an xsd:gYear",
        ID + "report/ceshi-2026/statement-1",
    ),
    (
        "numericValue as a float",
        'qudt:numericValue "5"^^xsd:decimal ;',
        "qudt:numericValue 5.0e0 ;",
        "exactly one qudt:numericValue, an xsd:decimal",
        ID + "report/ceshi-2026/statement-1",
    ),
    (
        "indicator not an Indicator",
        "pol:indicator indicator:fixed-asset-investment-growth ;",
        "pol:indicator place:ceshi-qu ;",
        "at most one pol:indicator, a pol:Indicator",
        ID + "report/ceshi-2026/statement-1",
    ),
    (
        "report with no text",
        "pol:text r:text ;",
        "",
        "exactly one pol:text",
        ID + "report/ceshi-2026",
    ),
    (
        "planYear as integer",
        'pol:planYear "2026"^^xsd:gYear',
        "pol:planYear 2026",
        "pol:planYear must be a single xsd:gYear",
        ID + "report/ceshi-2026",
    ),
    (
        "region not a place",
        "pol:region place:ceshi-qu ;",
        "pol:region honor:quanguo-wenming-chengqu ;",
        "pol:region must point to a pol:Place",
        ID + "report/ceshi-2026",
    ),
    (
        "conferral without year",
        'pol:year "2025"^^xsd:gYear ;',
        "",
        "exactly one pol:year",
        ID + "report/ceshi-2026/conferral-1",
    ),
    (
        "conferral to an honour",
        "pol:recipient place:ceshi-qu ;",
        "pol:recipient honor:quanguo-wenming-chengqu ;",
        "a pol:Place or a pol:Organization",
        ID + "report/ceshi-2026/conferral-1",
    ),
]


def dataset_of(trig: str) -> Dataset:
    return Dataset(default_union=True).parse(data=trig, format="trig")


@pytest.fixture(scope="module")
def valid_result() -> ValidationResult:
    return validate_graph(dataset_of(VALID_TRIG))


def test_valid_fixture_conforms(valid_result: ValidationResult) -> None:
    assert valid_result.conforms, valid_result.text
    assert valid_result.violations == []
    assert valid_result.text == "Conforms: no violations."


def test_valid_fixture_offsets_round_trip() -> None:
    graph = dataset_of(VALID_TRIG)
    nif = "http://persistence.uni-leipzig.org/nlp2rdf/ontologies/nif-core#"
    text = str(next(graph.objects(None, URIRef(nif + "isString"))))
    spans = list(graph.subjects(URIRef(nif + "anchorOf"), None))
    assert len(spans) == 8
    for span in spans:
        begin = int(graph.value(span, URIRef(nif + "beginIndex")))
        end = int(graph.value(span, URIRef(nif + "endIndex")))
        assert text[begin:end] == str(graph.value(span, URIRef(nif + "anchorOf")))


@pytest.mark.parametrize(("case", "old", "new", "fragment", "focus"), BROKEN_CASES, ids=[c[0] for c in BROKEN_CASES])
def test_broken_variant_fails(case: str, old: str, new: str, fragment: str, focus: str) -> None:
    assert VALID_TRIG.count(old) == 1, f"fixture edit for {case!r} must match exactly once"
    result = validate_graph(dataset_of(VALID_TRIG.replace(old, new)))
    assert not result.conforms
    matching = [v for v in result.violations if fragment in v.message]
    assert matching, result.text
    assert focus in {v.focus for v in matching}, result.text
    assert fragment in result.text


def test_plain_graph_is_validated_like_a_dataset() -> None:
    graph = Graph()
    for s, p, o, _ in dataset_of(VALID_TRIG.replace("qudt:unit unit:PERCENT ;", "")).quads((None, None, None, None)):
        graph.add((s, p, o))
    result = validate_graph(graph)
    assert [v.message for v in result.violations] == [
        "A quantified statement needs exactly one qudt:unit, a unit IRI (e.g. cur:CNY, unit:PERCENT, pol:PercentagePoint)."
    ]
    assert result.violations[0].shape == (
        "https://w3id.org/policy-kg/shapes#QuantifiedStatementShape / http://qudt.org/schema/qudt/unit"
    )
    assert "(polsh:QuantifiedStatementShape / qudt:unit)" in result.text


def test_report_text_groups_by_message_with_counts() -> None:
    violations = [
        Violation(focus=f"id:x/{i}", path="skos:prefLabel", message="Needs a label.", severity="Violation", shape="s")
        for i in range(7)
    ] + [Violation(focus="id:y", path=None, message="Other problem.", severity="Violation", shape="t")]
    text = report_text(violations, max_examples=3)
    assert text.splitlines()[0] == "Does not conform: 8 results, 2 kinds of problem."
    assert "[Violation] x7  Needs a label." in text
    assert "    ... and 4 more" in text
    assert "[Violation] x1  Other problem." in text
    assert text.index("x7") < text.index("x1")


def test_the_loaders_read_the_shipped_ontology_and_shapes() -> None:
    assert len(load_ontology()) > 400
    assert len(load_shapes()) > 100


@pytest.mark.parametrize(
    ("kwargs", "fragment"),
    [
        ({"shapes_path": Path("/nonexistent/shapes.ttl")}, "shapes file /nonexistent/shapes.ttl does not exist"),
        ({"ontology_path": Path("/nonexistent/o.ttl")}, "ontology file /nonexistent/o.ttl does not exist"),
    ],
)
def test_missing_files_are_input_errors(kwargs: dict[str, Path], fragment: str) -> None:
    with pytest.raises(InputError, match=fragment):
        validate_graph(Graph(), **kwargs)


def test_broken_shapes_file_is_an_input_error(tmp_path: Path) -> None:
    broken = tmp_path / "shapes.ttl"
    broken.write_text("this is not turtle", encoding="utf-8")
    with pytest.raises(InputError, match="is not valid Turtle"):
        validate_graph(Graph(), shapes_path=broken)


# --- generated graphs: many spans, linear cost ---------------------------------------------

POLNS = Namespace("https://w3id.org/policy-kg/def#")
NIF = Namespace("http://persistence.uni-leipzig.org/nlp2rdf/ontologies/nif-core#")
QUDT = Namespace("http://qudt.org/schema/qudt/")


def generated_report(*, report: int, measures: int, bad_anchors: int = 0) -> Dataset:
    """A valid report graph with ``measures`` measures, each with a target and two spans."""
    ds = Dataset(default_union=True)
    iri = URIRef(f"{ID}report/gen{report}-2026")
    graph = ds.graph(iri)
    text = "".join("推进项目建设扩大有效投资"[(i * 7) % 12] for i in range(20_000))
    context = URIRef(f"{iri}/text")
    year = Literal("2026", datatype=XSD.gYear)

    def labelled(node: URIRef, cls: URIRef, label: str) -> None:
        graph.add((node, RDF.type, cls))
        graph.add((node, SKOS.prefLabel, Literal(label, lang="zh-Hans")))
        graph.add((node, RDFS.label, Literal(label, lang="zh-Hans")))

    def span(begin: int, end: int, *, anchor: str | None = None) -> URIRef:
        node = URIRef(f"{context}#char={begin},{end}")
        graph.add((node, RDF.type, NIF.String))
        graph.add((node, NIF.beginIndex, Literal(begin, datatype=XSD.nonNegativeInteger)))
        graph.add((node, NIF.endIndex, Literal(end, datatype=XSD.nonNegativeInteger)))
        graph.add((node, NIF.anchorOf, Literal(anchor if anchor is not None else text[begin:end])))
        graph.add((node, NIF.referenceContext, context))
        return node

    labelled(iri, POLNS.WorkReport, "报告")
    graph.add((iri, POLNS.planYear, year))
    graph.add((iri, POLNS.text, context))
    graph.add((context, RDF.type, NIF.Context))
    graph.add((context, NIF.isString, Literal(text)))
    section = URIRef(f"{iri}/section-1")
    labelled(section, POLNS.PlanSection, "部分")
    graph.add((section, POLNS.ordinal, Literal(1)))
    graph.add((section, PROV.wasDerivedFrom, span(0, 6)))
    graph.add((iri, POLNS.hasSection, section))
    indicator = URIRef(f"{ID}indicator/gen")
    labelled(indicator, POLNS.Indicator, "指标")
    for m in range(measures):
        measure = URIRef(f"{section}/measure-{m + 1}")
        labelled(measure, POLNS.Measure, "举措")
        graph.add((measure, POLNS.ordinal, Literal(m + 1)))
        begin = 100 + (m * 13) % 19_000
        graph.add((measure, PROV.wasDerivedFrom, span(begin, begin + 6, anchor="错误" if m < bad_anchors else None)))
        graph.add((section, POLNS.hasMeasure, measure))
        statement = URIRef(f"{measure}/statement-1")
        labelled(statement, POLNS.Target, "目标")
        graph.add((statement, QUDT.numericValue, Literal(Decimal("5.5"))))
        graph.add((statement, QUDT.unit, URIRef("http://qudt.org/vocab/unit/PERCENT")))
        graph.add((statement, POLNS.comparator, POLNS.About))
        graph.add((statement, POLNS.modality, POLNS.Firm))
        graph.add((statement, POLNS.refYear, year))
        graph.add((statement, POLNS.indicator, indicator))
        graph.add((statement, POLNS.surfaceForm, Literal("5.5%左右", lang="zh-Hans")))
        graph.add((statement, PROV.wasDerivedFrom, span(begin + 1, begin + 4)))
        graph.add((measure, POLNS.hasStatement, statement))
    return ds


def test_a_large_generated_graph_conforms() -> None:
    data = generated_report(report=1, measures=600)
    assert len(data) > 15_000
    result = validate_graph(data)
    assert result.conforms, result.text


# (the data's change, consume?) → the same violations either way; only consume adds the ontology to the caller's graph
CONSUME_CASES = [("", False), ("", True), ("qudt:unit unit:PERCENT ;", False), ("qudt:unit unit:PERCENT ;", True)]


@pytest.mark.parametrize(("removed", "consume"), CONSUME_CASES)
def test_a_consumed_graph_is_validated_as_its_copy_would_be(removed: str, consume: bool) -> None:
    def graph() -> Graph:
        g = Graph()
        for s, p, o, _ in dataset_of(VALID_TRIG.replace(removed, "") if removed else VALID_TRIG).quads((None, None, None, None)):
            g.add((s, p, o))
        return g

    expected = validate_graph(graph())
    data = graph()
    size = len(data)
    result = validate_graph(data, consume=consume)
    assert (result.conforms, result.violations, result.text) == (expected.conforms, expected.violations, expected.text)
    assert result.conforms == (not removed)
    assert (len(data) > size) == consume  # consumed: the ontology was added to it, not to a copy


def test_many_bad_spans_are_grouped_under_one_heading() -> None:
    result = validate_graph(generated_report(report=2, measures=30, bad_anchors=7))
    assert len(result.violations) == 7
    assert all("nif:anchorOf \"错误\" does not match" in v.message for v in result.violations)
    heading = 'x7  Span <value>: nif:anchorOf "<anchor>" does not match the text at offsets <begin>..<end>'
    assert heading in result.text
    assert "    ... and 2 more" in result.text


PLACE_BLOCK = """  place:ceshi-qu a pol:Place ;
      skos:prefLabel "测试区"@zh-Hans , "Ceshi District"@en ; rdfs:label "测试区"@zh-Hans .
"""


def test_union_of_named_graphs_is_validated() -> None:
    assert VALID_TRIG.count(PLACE_BLOCK) == 1
    places = "<https://w3id.org/policy-kg/id/places> {\n" + PLACE_BLOCK + "}\n"
    split = VALID_TRIG.replace(PLACE_BLOCK, "") + places
    data = Dataset().parse(data=split, format="trig")
    assert len(list(data.contexts())) >= 2
    assert validate_graph(data).conforms
    alone = validate_graph(Dataset().parse(data=VALID_TRIG.replace(PLACE_BLOCK, ""), format="trig"))
    assert "pol:region must point to a pol:Place." in [v.message for v in alone.violations]


def test_shapes_are_valid_shacl() -> None:
    import pyshacl

    conforms, _, text = pyshacl.validate(Graph(), shacl_graph=load_shapes(), meta_shacl=True)
    assert conforms, text
