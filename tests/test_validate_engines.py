"""The shapes compiled to SPARQL find every kind of violation the shapes define, as pySHACL does, on a real store.

One store holds a report graph per seeded violation (each a variant of test_shapes' valid
report, with its own IRIs so the variants do not mask each other in the union): the compiled
queries, run on the store (the whole store, ``--report`` and a build's changed graphs), must
report exactly what pySHACL reports for the same triples.
"""

from __future__ import annotations

from pathlib import Path

import pyoxigraph as ox
import pytest
from click.testing import CliRunner
from rdflib import Graph

from kg_build.build import BuiltReport, ontology_nquads, publish
from kg_build.cli import main
from kg_build.export import export_graph
from kg_build.model.vocab import DATA_NS, ONTOLOGY_GRAPH
from kg_build.store import LocalStore
from kg_build.validate import (
    ValidationFailed,
    fail_on_violations,
    load_shapes,
    validate_graph,
    validate_graphs,
    validate_store,
)
from kg_build.validate.sparql import compile_shapes
from test_shapes import BROKEN_CASES, VALID_TRIG

ID = DATA_NS
STD = (
    '{iri} a pol:StandardIndicator ; skos:notation "gdp-growth" ; skos:prefLabel "GDP growth"@en , "地区生产总值增长"@zh-Hans ;\n'
    '      rdfs:label "GDP growth"@en ; qudt:unit unit:PERCENT .\n  honor:quanguo-wenming-chengqu a pol:Honor ;'
)
HONOR = "honor:quanguo-wenming-chengqu a pol:Honor ;"
GOOD_STD = STD.format(iri="indicator:gdp-growth")
STATEMENT_TAIL = "pol:modality pol:Firm ;"

# (case, old, new, words of the expected message, the focus node's IRI below …/id/): the kinds test_shapes does not seed
MORE_CASES = [
    ("two English labels", '"Ceshi District"@en ;', '"Ceshi District"@en , "Ceshi Qu"@en ;', "at most one per language", ID + "place/ceshi-qu"),
    ("label in French", '"Ceshi District"@en ;', '"Ceshi District"@fr ;', "must be tagged", ID + "place/ceshi-qu"),
    ("two plan years", 'pol:planYear "2026"^^xsd:gYear ;', 'pol:planYear "2026"^^xsd:gYear , "2027"^^xsd:gYear ;', "pol:planYear must be a single", ID + "report/ceshi-2026"),
    ("review year as string", 'pol:reviewYear "2025"^^xsd:gYear', 'pol:reviewYear "2025"', "pol:reviewYear must be a single", ID + "report/ceshi-2026"),
    ("issued as string", 'dct:issued "2026-01-20"^^xsd:date', 'dct:issued "2026-01-20"', "dct:issued must be", ID + "report/ceshi-2026"),
    ("issued ill-formed", 'dct:issued "2026-01-20"^^xsd:date', 'dct:issued "2026-13-45"^^xsd:date', "dct:issued must be", ID + "report/ceshi-2026"),
    ("section not a section", "pol:hasSection r:section-1 , r:section-2 .", "pol:hasSection r:section-1 , r:section-2 , r:pillar-1 .",
     "pol:hasSection must point to a pol:Section", ID + "report/ceshi-2026"),
    ("two ordinals", "pol:ordinal 1 ; prov:wasDerivedFrom <https://w3id.org/policy-kg/id/report/ceshi-2026/text#char=0,9>",
     "pol:ordinal 1 , 2 ; prov:wasDerivedFrom <https://w3id.org/policy-kg/id/report/ceshi-2026/text#char=0,9>", "exactly one pol:ordinal", ID + "report/ceshi-2026/section-1"),
    ("ordinal as string", "pol:ordinal 1 ; prov:wasDerivedFrom <https://w3id.org/policy-kg/id/report/ceshi-2026/text#char=12,18>",
     'pol:ordinal "1" ; prov:wasDerivedFrom <https://w3id.org/policy-kg/id/report/ceshi-2026/text#char=12,18>', "exactly one pol:ordinal", ID + "report/ceshi-2026/pillar-1"),
    ("derived from the text, not a span", "prov:wasDerivedFrom <https://w3id.org/policy-kg/id/report/ceshi-2026/text#char=57,63> .",
     "prov:wasDerivedFrom r:text .", "must point to a nif:String span", ID + "honor/quanguo-wenming-chengqu"),
    ("pillar not a pillar", "pol:hasPillar r:pillar-1 .", "pol:hasPillar r:measure-1 .", "pol:hasPillar must point", ID + "report/ceshi-2026/section-1"),
    ("measure not a measure", "pol:hasMeasure r:measure-1 .", "pol:hasMeasure r:pillar-1 .", "pol:hasMeasure must point", ID + "report/ceshi-2026/pillar-1"),
    ("statement not a statement", "pol:hasStatement r:statement-1 .", "pol:hasStatement r:pillar-1 .", "pol:hasStatement must point", ID + "report/ceshi-2026/measure-1"),
    ("located in a text", "place:ceshi-qu a pol:Place ;", "place:ceshi-qu a pol:Place ; pol:locatedIn r:text ;", "pol:locatedIn must point", ID + "place/ceshi-qu"),
    ("organization a place", "r:measure-1 a pol:Measure ;", "r:measure-1 a pol:Measure ; pol:involvesOrganization r:text ;",
     "pol:involvesOrganization must point", ID + "report/ceshi-2026/measure-1"),
    ("initiative a text", "r:measure-1 a pol:Measure ;", "r:measure-1 a pol:Measure ; pol:partOfInitiative r:text ;",
     "pol:partOfInitiative must point", ID + "report/ceshi-2026/measure-1"),
    ("span without anchor", 'nif:anchorOf "推进城市更新" ;', "", "exactly one nif:anchorOf", ID + "report/ceshi-2026/text#char=19,25"),
    ("span in a section", 'nif:anchorOf "扩大有效投资" ; nif:referenceContext r:text .', 'nif:anchorOf "扩大有效投资" ; nif:referenceContext r:section-1 .',
     "exactly one nif:referenceContext", ID + "report/ceshi-2026/text#char=12,18"),
    ("negative end", 'nif:endIndex "9"^^xsd:nonNegativeInteger', 'nif:endIndex "-1"^^xsd:integer', "exactly one nif:endIndex", ID + "report/ceshi-2026/text#char=0,9"),
    ("text twice and tagged", "r:text a nif:Context ;\n      nif:isString \"", "r:text a nif:Context ;\n      nif:isString \"x\"@zh-Hans , \"",
     "needs exactly one nif:isString", ID + "report/ceshi-2026/text"),
    ("unit as text", "qudt:unit unit:PERCENT ;", 'qudt:unit "%" ;', "exactly one qudt:unit", ID + "report/ceshi-2026/statement-1"),
    ("surface form untagged", 'pol:surfaceForm "5%左右"@zh-Hans ;', 'pol:surfaceForm "5%左右" ;', "pol:surfaceForm", ID + "report/ceshi-2026/statement-1"),
    ("ref area an honour", "pol:refArea place:ceshi-qu ;", "pol:refArea honor:quanguo-wenming-chengqu ;", "pol:refArea must be", ID + "report/ceshi-2026/statement-1"),
    ("upper bound as text", STATEMENT_TAIL, STATEMENT_TAIL + ' pol:upperBound "6" ;', "pol:upperBound must be", ID + "report/ceshi-2026/statement-1"),
    ("period start an integer", STATEMENT_TAIL, STATEMENT_TAIL + " pol:periodStart 2021 ;", "pol:periodStart must be", ID + "report/ceshi-2026/statement-1"),
    ("unit label untagged", STATEMENT_TAIL, STATEMENT_TAIL + ' pol:unitLabel "人" ;', "pol:unitLabel must be", ID + "report/ceshi-2026/statement-1"),
    ("standard indicator a place", STATEMENT_TAIL, STATEMENT_TAIL + " pol:standardIndicator place:ceshi-qu ;",
     "pol:standardIndicator must be", ID + "report/ceshi-2026/statement-1"),
    ("conferral without honour", "pol:honor honor:quanguo-wenming-chengqu ;", "", "exactly one pol:honor", ID + "report/ceshi-2026/conferral-1"),
    ("standard indicator off its IRIs", HONOR, STD.format(iri="<https://w3id.org/policy-kg/id/indicator/GDP_Growth>"), "lives at", ID + "indicator/GDP_Growth"),
    ("standard indicator without notation", HONOR, GOOD_STD.replace('skos:notation "gdp-growth" ;', ""), "exactly one skos:notation", ID + "indicator/gdp-growth"),
    ("standard indicator without English", HONOR, GOOD_STD.replace('"GDP growth"@en , ', ""), "English skos:prefLabel", ID + "indicator/gdp-growth"),
    ("standard indicator without unit", HONOR, GOOD_STD.replace(" ; qudt:unit unit:PERCENT", ""), "needs qudt:unit", ID + "indicator/gdp-growth"),
]
CASES = [("valid", "", "", "", ""), ("valid with a standard indicator", HONOR, GOOD_STD, "", ""), *BROKEN_CASES, *MORE_CASES]
RENAMED = ("ceshi-2026", "ceshi-qu", "quanguo-wenming-chengqu", "fixed-asset-investment-growth", "gdp-growth", "GDP_Growth")


def renamed(text: str, number: int) -> str:
    """Every IRI of the valid report made case ``number``'s own."""
    for name in RENAMED:
        text = text.replace(name, f"{name}-n{number}")
    return text


def variant(number: int, old: str, new: str) -> tuple[str, str]:
    """Case ``number``'s report graph as (graph IRI, N-Quads): the edit made, then every IRI made the case's own."""
    text = VALID_TRIG
    if old:
        assert text.count(old) == 1, f"the edit {old!r} must match exactly once"
        text = text.replace(old, new)
    text = renamed(text, number)
    data = ox.Store()
    data.load(text.encode("utf-8"), format=ox.RdfFormat.TRIG)
    graph = f"{DATA_NS}report/ceshi-2026-n{number}"
    return graph, ox.serialize(data.quads_for_pattern(None, None, None, None), format=ox.RdfFormat.N_QUADS)


@pytest.fixture(scope="module")
def seeded(tmp_path_factory: pytest.TempPathFactory) -> LocalStore:
    """A store with one report graph per case, and the ontology's graph (as a build writes it)."""
    store = LocalStore(tmp_path_factory.mktemp("seeded"))
    with store.writer() as writer:
        writer.replace_graph(ONTOLOGY_GRAPH, ontology_nquads())
        for number, (_case, old, new, _words, _focus) in enumerate(CASES):
            writer.replace_graph(*variant(number, old, new))
    return store


def by_pyshacl(store: LocalStore, report: str | None) -> list:
    """pySHACL on the store's export of the report (or of every report): what `kg-build validate` did before."""
    data = Graph().parse(data=export_graph(store, fmt="ntriples", report=report).decode("utf-8"), format="nt")
    return validate_graph(data, engine="pyshacl", consume=True).violations


@pytest.mark.parametrize(("number", "case"), list(enumerate(CASES)), ids=[c[0] for c in CASES])
def test_each_kind_is_found_as_pyshacl_finds_it(seeded: LocalStore, number: int, case: tuple) -> None:
    name, _old, _new, words, focus = case
    graph = f"{DATA_NS}report/ceshi-2026-n{number}"
    compiled = validate_store(seeded, report=graph)
    assert compiled.violations == by_pyshacl(seeded, graph), compiled.text
    assert validate_graphs(seeded, [graph]).violations == compiled.violations  # what build --validate runs
    if not words:
        assert compiled.conforms, compiled.text
        return
    own_focus = renamed(focus, number)
    matching = [v for v in compiled.violations if words in v.message]
    assert matching and own_focus in {v.focus for v in matching}, (name, compiled.text)


def test_the_whole_store_is_reported_as_pyshacl_reports_it(seeded: LocalStore) -> None:
    compiled = validate_store(seeded)
    assert compiled.violations == by_pyshacl(seeded, None)
    assert compiled.text.startswith("Does not conform")


def test_a_built_report_is_reported_as_pyshacl_reports_it(built_store: LocalStore) -> None:
    compiled = validate_store(built_store, report="huli-2026")
    assert compiled.violations == by_pyshacl(built_store, "huli-2026")
    assert compiled.conforms, compiled.text


def test_the_shipped_shapes_compile_without_pyshacl() -> None:
    checks = compile_shapes(load_shapes(), {})
    assert {c.component for c in checks} >= {"detector", "SPARQLConstraintComponent", "XoneConstraintComponent",
                                                "PatternConstraintComponent", "LessThanOrEqualsConstraintComponent"}


# (shapes the queries cannot express) → pySHACL validates them, with the same report
FALLBACK_SHAPES = [
    "ex:S a sh:NodeShape ; sh:targetClass pol:WorkReport ; sh:closed true ; sh:ignoredProperties ( rdf:type ) ; sh:message \"closed\" .",
    "ex:S a sh:NodeShape ; sh:targetClass pol:WorkReport ; sh:property [ sh:path ( pol:text nif:isString ) ; sh:minCount 2 ; sh:message \"seq\" ] .",
]


@pytest.mark.parametrize("shape", FALLBACK_SHAPES)
def test_shapes_the_queries_cannot_express_go_to_pyshacl(seeded: LocalStore, tmp_path: Path, shape: str) -> None:
    shapes = tmp_path / "shapes.ttl"
    shapes.write_text(
        "@prefix sh: <http://www.w3.org/ns/shacl#> . @prefix ex: <http://example.org/> . "
        "@prefix rdf: <http://www.w3.org/1999/02/22-rdf-syntax-ns#> . @prefix pol: <https://w3id.org/policy-kg/def#> . "
        "@prefix nif: <http://persistence.uni-leipzig.org/nlp2rdf/ontologies/nif-core#> .\n" + shape, encoding="utf-8")
    result = validate_store(seeded, report=f"{DATA_NS}report/ceshi-2026-n0", shapes_path=shapes)
    assert not result.conforms and result.violations[0].focus == f"{DATA_NS}report/ceshi-2026-n0"


# --- build --validate: the changed graphs checked before anything is published -----------------------

BROKEN_REPORT = [case[0] for case in CASES].index("no prefLabel")  # a measure without its label


def built(number: int) -> BuiltReport:
    graph, nquads = variant(number, *CASES[number][1:3])
    return BuiltReport(report_iri=graph, report_id=graph.rsplit("/", 1)[-1], source=f"reports/case-{number}.txt",
                       content_hash=f"h{number}", nquads=nquads, counts={"quads": nquads.count(b"\n")})


def test_a_build_with_a_violation_publishes_nothing(tmp_path: Path) -> None:
    store = LocalStore(tmp_path / "store")
    publish([built(0)], store=store, skipped={}, check=fail_on_violations)
    before = (store.generation(), store.named_graphs())
    with pytest.raises(ValidationFailed) as failed:
        publish([built(1), built(BROKEN_REPORT)], store=store, skipped={}, check=fail_on_violations)
    message = str(failed.value)
    assert message.startswith(f"reports/case-{BROKEN_REPORT}.txt: its graph does not conform") and "\n" not in message
    assert "nothing was published" in message and failed.value.exit_code == 1
    assert (store.generation(), store.named_graphs()) == before
    assert validate_store(store).conforms


def test_build_validate_on_the_command_line(tmp_path: Path, seed_path: Path) -> None:
    store = tmp_path / "store"
    result = CliRunner().invoke(main, ["build", str(seed_path), "--store", str(store), "--validate"])
    assert result.exit_code == 0, result.output
    assert "built " in result.output
    assert validate_store(LocalStore(store)).conforms


# --- a remote store: the same queries over HTTP --------------------------------------------------------


@pytest.fixture(scope="module")
def remote_copy(seeded: LocalStore, tmp_path_factory: pytest.TempPathFactory):  # noqa: ANN201
    """The seeded store's graphs on an Oxigraph server (a SPARQL 1.1 store of our own on 127.0.0.1)."""
    from integration_helpers import oxigraph_server

    from kg_build.store.remote import RemoteStore

    folder = tmp_path_factory.mktemp("remote-oxigraph")
    with oxigraph_server(folder / "data", folder) as base:
        remote = RemoteStore(base)
        with remote.writer() as writer:
            for graph in seeded.named_graphs():
                writer.replace_graph(graph, export_graph(seeded, fmt="nquads", report=graph)
                                     if graph != ONTOLOGY_GRAPH else ontology_nquads())
        yield remote


@pytest.mark.parametrize("report", [None, f"{DATA_NS}report/ceshi-2026-n3", f"{DATA_NS}report/ceshi-2026-n1"])
def test_a_remote_store_is_reported_as_the_local_one(seeded: LocalStore, remote_copy, report: str | None) -> None:  # noqa: ANN001
    local = validate_store(seeded, report=report)
    assert validate_store(remote_copy, report=report).violations == local.violations
    assert local.conforms == (report == f"{DATA_NS}report/ceshi-2026-n1")


def test_the_command_reports_an_ill_formed_literal_without_a_traceback(seeded: LocalStore) -> None:
    import subprocess
    import sys

    done = subprocess.run([sys.executable, "-m", "kg_build.cli", "validate", "--store", str(seeded.root)],
                          capture_output=True, text=True, timeout=300)
    assert done.returncode == 1
    assert done.stdout.startswith("Does not conform") and "dct:issued must be" in done.stdout
    assert done.stderr == ""
