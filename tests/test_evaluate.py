"""Gold scoring reads the graph in the store: P/R/F1 per category, accuracies, misses, errors."""

from __future__ import annotations

import copy
import json
import re
from pathlib import Path

import pyoxigraph as ox
import pytest

from kg_build.errors import InputError
from kg_build.evaluate import eval_command_output, evaluate, load_gold
from kg_build.evaluate.labels import FoldedText, fold
from kg_build.store import LocalStore

REPORT = "https://w3id.org/policy-kg/id/report/binhai-2030"
GOLD_FILE = Path(__file__).resolve().parent / "gold" / "huli-2026.json"  # a copy of the team's annotations

TEXT = """滨海区政府工作报告
2030规划
一、聚力发展海洋经济 建设滨海新城
抓项目建设。推动星河创新基地等12个项目建设，力争固定资产投资超300亿元。
强科技创新。支持云帆科技建设云帆研发中心，打造“智慧海湾”平台。
二、聚力增进民生福祉 推动共建共享
优服务供给。新增学位2000个以上。
亮点
●全国示范城区
履职尽责
严格依法行政。办结建议50件。"""

# One statement per line, so a case can drop or replace lines; @span(words) becomes a nif:String.
BODY = """\
ex:r a pol:WorkReport ; pol:sourceFile "binhai-2030.txt" ; pol:planYear "2030"^^xsd:gYear ; pol:region ex:binhai .
ex:r pol:text ex:text .
ex:text a nif:Context ; nif:isString TEXT .
ex:r pol:hasSection ex:s1 , ex:s2 , ex:s3 .
ex:s1 a pol:Section , pol:PlanSection ; skos:prefLabel "2030规划"@zh-Hans ; pol:ordinal 1 ; pol:year "2030"^^xsd:gYear .
ex:s2 a pol:Section , pol:HighlightsSection ; skos:prefLabel "亮点"@zh-Hans ; pol:ordinal 2 ; pol:year "2029"^^xsd:gYear .
ex:s3 a pol:Section , pol:GovernmentSection ; skos:prefLabel "履职尽责"@zh-Hans ; pol:ordinal 3 ; pol:year "2029"^^xsd:gYear .
ex:s1 pol:hasPillar ex:p1 , ex:p2 .
ex:p1 a pol:Pillar ; skos:prefLabel "聚力发展海洋经济 建设滨海新城"@zh-Hans ; pol:ordinal 1 .
ex:p2 a pol:Pillar ; skos:prefLabel "聚力增进民生福祉 推动共建共享"@zh-Hans ; pol:ordinal 2 .
ex:p1 pol:hasMeasure ex:m11 , ex:m12 .
ex:m11 a pol:Measure ; skos:prefLabel "抓项目建设"@zh-Hans ; pol:ordinal 1 .
ex:m12 a pol:Measure ; skos:prefLabel "强科技创新"@zh-Hans ; pol:ordinal 2 .
ex:p2 pol:hasMeasure ex:m21 .
ex:m21 a pol:Measure ; skos:prefLabel "优服务供给"@zh-Hans ; pol:ordinal 1 .
ex:s3 pol:hasMeasure ex:m31 .
ex:m31 a pol:Measure ; skos:prefLabel "严格依法行政"@zh-Hans ; pol:ordinal 1 .
ex:binhai a pol:Place ; skos:prefLabel "滨海区"@zh-Hans ; skos:altLabel "滨海"@zh-Hans ; prov:wasDerivedFrom @span(滨海区政府) .
ex:xinghe a pol:Project ; skos:prefLabel "星河创新基地"@zh-Hans ; prov:wasDerivedFrom @span(星河创新基地) .
ex:yunfan a pol:Company ; skos:prefLabel "云帆科技"@zh-Hans ; prov:wasDerivedFrom @span(云帆科技) .
ex:center a pol:Project ; skos:prefLabel "云帆研发中心"@zh-Hans ; prov:wasDerivedFrom @span(云帆研发中心) .
ex:bay a pol:Platform ; skos:prefLabel "智慧海湾平台"@zh-Hans ; skos:altLabel "“智慧海湾”平台"@zh-Hans ; prov:wasDerivedFrom @span(“智慧海湾”平台) .
ex:honour a pol:Honor ; skos:prefLabel "全国示范城区"@zh-Hans ; prov:wasDerivedFrom @span(全国示范城区) .
ex:m11 pol:mentions ex:xinghe .
ex:m12 pol:mentions ex:yunfan , ex:center , ex:bay .
ex:center pol:involvesOrganization ex:yunfan .
ex:conferral a pol:HonorConferral ; pol:honor ex:honour ; pol:recipient ex:binhai ; pol:year "2029"^^xsd:gYear .
ex:ind a pol:Indicator ; skos:prefLabel "项目数"@zh-Hans .
ex:ind2 a pol:Indicator ; skos:prefLabel "固定资产投资"@zh-Hans .
ex:ind3 a pol:Indicator ; skos:prefLabel "新增学位"@zh-Hans .
ex:ind4 a pol:Indicator ; skos:prefLabel "办结建议"@zh-Hans .
ex:f1 a pol:QuantifiedStatement , pol:Target ; qudt:numericValue 12 ; qudt:unit unit:NUM ; pol:comparator pol:Equal ; pol:modality pol:Firm ; pol:refYear "2030"^^xsd:gYear ; pol:indicator ex:ind ; prov:wasDerivedFrom @span(12个) .
ex:f2 a pol:QuantifiedStatement , pol:Target ; qudt:numericValue 30000000000 ; qudt:unit cur:CNY ; pol:comparator pol:MoreThan ; pol:modality pol:Aspirational ; pol:refYear "2030"^^xsd:gYear ; pol:indicator ex:ind2 ; prov:wasDerivedFrom @span(超300亿元) .
ex:f3 a pol:QuantifiedStatement , pol:Target ; qudt:numericValue 2000 ; qudt:unit unit:NUM ; pol:comparator pol:AtLeast ; pol:modality pol:Firm ; pol:refYear "2030"^^xsd:gYear ; pol:indicator ex:ind3 ; prov:wasDerivedFrom @span(2000个以上) .
ex:f4 a pol:QuantifiedStatement , pol:Achievement ; qudt:numericValue 50 ; qudt:unit unit:NUM ; pol:comparator pol:Equal ; pol:modality pol:Firm ; pol:refYear "2029"^^xsd:gYear ; pol:indicator ex:ind4 ; prov:wasDerivedFrom @span(50件) .
"""

PREFIXES = """\
@prefix ex: <https://w3id.org/policy-kg/id/test/> .
@prefix pol: <https://w3id.org/policy-kg/def#> .
@prefix skos: <http://www.w3.org/2004/02/skos/core#> .
@prefix prov: <http://www.w3.org/ns/prov#> .
@prefix nif: <http://persistence.uni-leipzig.org/nlp2rdf/ontologies/nif-core#> .
@prefix qudt: <http://qudt.org/schema/qudt/> .
@prefix unit: <http://qudt.org/vocab/unit/> .
@prefix cur: <http://qudt.org/vocab/currency/> .
@prefix xsd: <http://www.w3.org/2001/XMLSchema#> .
"""

GOLD = {
    "format": "policy-kg gold annotations v1",
    "document": {"file": "binhai-2030.txt", "region": "滨海区", "plan_year": 2030},
    "sections": [
        {"label": "2030规划", "kind": "plan", "year": 2030},
        {"label": "亮点", "kind": "highlights", "year": 2029},
        {"label": "履职尽责", "kind": "government", "year": 2029, "measures": ["严格依法行政"]},
    ],
    "pillars": [
        {"label": "聚力发展海洋经济 建设滨海新城", "measures": ["抓项目建设", "强科技创新"]},
        {"label": "聚力增进民生福祉推动共建共享", "measures": ["优服务供给"]},
    ],
    "entities": [
        {"type": "Place", "label": "滨海区", "aliases": ["滨海"], "measure": None, "optional": False},
        {"type": "Project", "label": "星河创新基地", "aliases": [], "measure": "抓项目建设", "optional": False},
        {"type": "Company", "label": "云帆科技", "aliases": [], "measure": "强科技创新", "optional": False},
        {"type": "Project", "label": "云帆研发中心", "aliases": [], "measure": "强科技创新", "optional": False},
        {"type": "Project", "label": "智慧海湾", "aliases": ["智慧海湾平台"], "measure": "强科技创新", "optional": False},
        {"type": "Place", "label": "滨海新城", "aliases": [], "measure": "抓项目建设", "optional": True},
        {"type": "Honor", "label": "全国示范城区", "aliases": [], "measure": None, "optional": False},
    ],
    "quantities": [
        {"indicator": "项目数", "value": 12, "unit": "NUM", "comparator": "eq", "kind": "target", "year": 2030,
         "quote": "推动星河创新基地等12个项目建设", "aspirational": False, "optional": False},
        {"indicator": "固定资产投资", "value": 3e10, "unit": "CNY", "comparator": "gt", "kind": "target", "year": 2030,
         "quote": "力争固定资产投资超300亿元", "aspirational": True, "optional": False},
        {"indicator": "新增学位", "value": 2000, "unit": "NUM", "comparator": "ge", "kind": "target", "year": 2030,
         "quote": "新增学位2000个以上", "aspirational": False, "optional": False},
        {"indicator": "办结建议", "value": 50, "unit": "NUM", "comparator": "eq", "kind": "achievement", "year": 2029,
         "quote": "办结建议50件", "aspirational": False, "optional": False},
        {"indicator": "示范城区", "value": 1, "unit": "RANK", "comparator": "eq", "kind": "achievement", "year": 2029,
         "quote": "全国示范城区", "aspirational": False, "optional": True},
    ],
    "relations": [{"subject": "云帆研发中心", "predicate": "involvesOrganization", "object": "云帆科技"}],
    "honors": {"recipient": "滨海区", "year": 2029},
}


def span_node(match: re.Match[str]) -> str:
    words = match.group(1)
    begin = TEXT.index(words)
    return (
        f'[ a nif:String ; nif:beginIndex {begin} ; nif:endIndex {begin + len(words)} ; '
        f'nif:anchorOf "{words}" ; nif:referenceContext ex:text ]'
    )


def trig(body: str, *, report: str = REPORT) -> str:
    body = re.sub(r"@span\(([^)]+)\)", span_node, body).replace("TEXT", '"""' + TEXT + '"""')
    return PREFIXES + f"<{report}> {{\n" + body.replace("ex:r ", f"<{report}> ") + "}\n"


def nquads(body: str, *, report: str = REPORT) -> bytes:
    quads = ox.parse(trig(body, report=report).encode(), format=ox.RdfFormat.TRIG)
    return ox.serialize(quads, format=ox.RdfFormat.N_QUADS)


def load(store_dir: Path, bodies: dict[str, str]) -> LocalStore:
    """One store holding each body as the report graph named by its key."""
    store = LocalStore(store_dir)
    with store.writer() as w:
        for report, body in sorted(bodies.items()):
            w.replace_graph(report, nquads(body, report=report))
    return store


def variant(*, drop: tuple[str, ...] = (), add: str = "", replace: tuple[tuple[str, str], ...] = ()) -> str:
    lines = [line for line in BODY.splitlines() if not any(line.startswith(d) for d in drop)]
    body = "\n".join(lines) + "\n" + add
    for old, new in replace:
        assert old in body, old
        body = body.replace(old, new)
    return body


def metric(report, path: str) -> float | int | None:
    """'entities.recall', 'figures.comparator' (an accuracy), 'entities.Project.precision', 'x.misses' (a count)."""
    parts = path.split(".")
    category = getattr(report, parts[0])
    if parts[-1] in ("misses", "false_positives", "mismatches"):
        return len(getattr(category, parts[-1]))
    if len(parts) == 3:
        return getattr(category.by_type[parts[1]], parts[2])
    if parts[1] in category.accuracy:
        return category.accuracy[parts[1]].rate
    return getattr(category.score, parts[1])


PERFECT = {
    f"{c}.{m}": 1.0
    for c in ("sections", "pillars", "measures", "entities", "figures", "relations", "honours")
    for m in ("precision", "recall", "f1")
} | {
    "sections.kind": 1.0, "sections.year": 1.0, "pillars.order": 1.0, "figures.comparator": 1.0,
    "figures.modality": 1.0, "figures.kind": 1.0, "figures.year": 1.0, "entities.Project.f1": 1.0,
    "entities.misses": 0, "entities.false_positives": 0, "figures.misses": 0, "figures.false_positives": 0,
}

CASES = [
    ("perfect graph", variant(), PERFECT),
    ("missing entity lowers recall", variant(drop=("ex:center a",)),
     {"entities.recall": 5 / 6, "entities.precision": 1.0, "entities.Project.recall": 2 / 3, "entities.misses": 1}),
    ("extra entity lowers precision", variant(add='ex:x a pol:Initiative ; skos:prefLabel "海湾行动"@zh-Hans ; prov:wasDerivedFrom @span(云帆科技) .\n'),
     {"entities.precision": 6 / 7, "entities.recall": 1.0, "entities.Initiative.precision": 0.0,
      "entities.false_positives": 1}),
    ("background places without a span are not predictions", variant(add='ex:x a pol:Place ; skos:prefLabel "海州省"@zh-Hans .\n'),
     {"entities.precision": 1.0, "entities.recall": 1.0, "entities.predicted": 6}),
    ("optional-only match counts neither way", variant(add='ex:x a pol:Place ; skos:prefLabel "滨海新城"@zh-Hans ; prov:wasDerivedFrom @span(云帆科技) .\n'),
     {"entities.precision": 1.0, "entities.recall": 1.0, "entities.predicted": 7, "entities.required": 6}),
    ("optional figure matched counts neither way",
     variant(add="ex:f5 a pol:QuantifiedStatement , pol:Achievement ; qudt:numericValue 1 ; qudt:unit pol:Rank ; "
                 "prov:wasDerivedFrom @span(全国示范城区) .\n"),
     {"figures.precision": 1.0, "figures.recall": 1.0, "figures.predicted": 5, "figures.required": 4}),
    ("wrong comparator lowers comparator accuracy",
     variant(replace=(("pol:comparator pol:MoreThan", "pol:comparator pol:Equal"),)),
     {"figures.comparator": 3 / 4, "figures.f1": 1.0, "figures.mismatches": 1}),
    ("firm instead of aspirational", variant(replace=(("pol:modality pol:Aspirational", "pol:modality pol:Firm"),)),
     {"figures.modality": 3 / 4, "figures.comparator": 1.0}),
    ("target instead of achievement", variant(replace=(("pol:Achievement ; qudt:numericValue 50", "pol:Target ; qudt:numericValue 50"),)),
     {"figures.kind": 3 / 4, "figures.f1": 1.0}),
    ("wrong value is a miss and an extra", variant(replace=(("qudt:numericValue 2000", "qudt:numericValue 200"),)),
     {"figures.recall": 3 / 4, "figures.precision": 3 / 4, "figures.misses": 1, "figures.false_positives": 1}),
    ("span away from the quote is a miss", variant(replace=(("@span(50件)", "@span(2000个以上)"),)),
     {"figures.recall": 3 / 4, "figures.misses": 1}),
    ("indicator is informational", variant(), {"figures.indicator": 1.0}),
    ("types are strict: Organization is not Company", variant(replace=(("ex:yunfan a pol:Company", "ex:yunfan a pol:Organization"),)),
     {"entities.recall": 5 / 6, "entities.precision": 5 / 6, "entities.Company.recall": 0.0,
      "relations.recall": 1.0}),
    ("section kind wrong", variant(replace=(("pol:HighlightsSection", "pol:ReviewSection"),)),
     {"sections.f1": 1.0, "sections.kind": 2 / 3, "sections.mismatches": 1}),
    ("pillars out of order", variant(replace=(("建设滨海新城\"@zh-Hans ; pol:ordinal 1", "建设滨海新城\"@zh-Hans ; pol:ordinal 3"),)),
     {"pillars.f1": 1.0, "pillars.order": 0.0, "pillars.mismatches": 2}),
    ("plan pillars only: wrong section kind loses them", variant(replace=(("pol:PlanSection", "pol:OutlookSection"),)),
     {"pillars.recall": 0.0, "measures.recall": 1 / 4}),
    ("measure under the wrong pillar", variant(replace=(("ex:p2 pol:hasMeasure ex:m21", "ex:p1 pol:hasMeasure ex:m21"),)),
     {"measures.recall": 3 / 4, "measures.precision": 3 / 4}),
    ("missing relation", variant(drop=("ex:center pol:involvesOrganization",)),
     {"relations.recall": 0.0, "relations.misses": 1}),
    ("honour in the wrong year", variant(replace=(('pol:recipient ex:binhai ; pol:year "2029"', 'pol:recipient ex:binhai ; pol:year "2028"'),)),
     {"honours.recall": 0.0, "honours.precision": 0.0, "honours.misses": 1}),
    ("honour without conferral", variant(drop=("ex:conferral",)),
     {"honours.recall": 0.0, "honours.predicted": 0, "entities.recall": 1.0}),
]


def case_iri(n: int) -> str:
    return f"{REPORT}-case-{n}"


@pytest.fixture(scope="module")
def case_store(tmp_path_factory) -> LocalStore:
    """Every case's graph in one store (a store takes a second to publish), each under its own report IRI."""
    return load(tmp_path_factory.mktemp("cases") / "store", {case_iri(n): c[1] for n, c in enumerate(CASES)})


@pytest.mark.parametrize("n", range(len(CASES)), ids=[c[0] for c in CASES])
def test_scores_on_a_small_graph(case_store, n):
    name, _, expected = CASES[n]
    report = evaluate(case_store, copy.deepcopy(GOLD), report_iri=case_iri(n))
    got = {path: metric(report, path) for path in expected}
    assert got == pytest.approx(expected), report.to_text()


FOLDS = [
    ("“智慧海湾”平台", "智慧海湾平台"),
    ('"智慧海湾"平台', "智慧海湾平台"),
    ("「智慧」 海湾", "智慧海湾"),
    ("ＧＥ发动机", "GE发动机"),
    ("聚力发展 建设新城", "聚力发展建设新城"),
    ("湖里—连城", "湖里—连城"),  # dashes stay significant
]


@pytest.mark.parametrize("label,folded", FOLDS)
def test_fold(label, folded):
    assert fold(label) == folded


QUOTES = [
    ("打造“智慧海湾”平台。", '打造"智慧海湾"平台', [(0, 10)]),
    ("甲“乙”丙，甲乙丙", "甲乙丙", [(0, 5), (6, 9)]),
    ("新增 学位", "新增学位", [(0, 5)]),
    ("甲乙丙", "丁", []),
]


@pytest.mark.parametrize("text,quote,expected", QUOTES)
def test_quotes_are_found_with_offsets_into_the_text(text, quote, expected):
    assert FoldedText(text).find_all(quote) == expected


BAD_GOLD = [
    ("not json", "not valid JSON"),
    ("[]", "must be a JSON object"),
    ('{"format": "other"}', "format must be"),
    (json.dumps({**GOLD, "document": "x"}), "document must be"),
    (json.dumps({**GOLD, "entities": [{"type": "Thing", "label": "x"}]}), r"entities\[0\]\.type must be one of"),
    (json.dumps({**GOLD, "quantities": [{**GOLD["quantities"][0], "unit": "MILES"}]}), r"quantities\[0\]\.unit"),
    (json.dumps({**GOLD, "quantities": [{**GOLD["quantities"][0], "value": "12"}]}), r"quantities\[0\]\.value must be a number"),
    (json.dumps({**GOLD, "relations": [{"subject": "a", "predicate": "owns", "object": "b"}]}), r"relations\[0\]\.predicate"),
    (json.dumps({**GOLD, "sections": [{"label": "x", "kind": "preface"}]}), r"sections\[0\]\.kind"),
    (json.dumps({**GOLD, "honors": [1]}), "honors must be"),
]


@pytest.mark.parametrize("content,message", BAD_GOLD)
def test_bad_gold_files_are_one_line_input_errors(tmp_path, content, message):
    path = tmp_path / "gold.json"
    path.write_text(content, encoding="utf-8")
    with pytest.raises(InputError, match=message) as info:
        load_gold(path)
    assert "\n" not in str(info.value)


def test_missing_gold_file(tmp_path):
    with pytest.raises(InputError, match="no such gold file"):
        load_gold(tmp_path / "absent.json")


@pytest.fixture(scope="module")
def single_store(tmp_path_factory) -> LocalStore:
    return load(tmp_path_factory.mktemp("single") / "store", {REPORT: variant()})


@pytest.mark.parametrize(
    "report_id,document,outcome",
    [
        (None, GOLD["document"], REPORT),
        (None, {"file": "other.txt", "region": "滨海区", "plan_year": 2030}, REPORT),  # by region and year
        ("binhai-2030", {}, REPORT),
        (REPORT, {}, REPORT),
        ("nowhere-2030", GOLD["document"], "no report nowhere-2030"),
        (None, {"file": "other.txt", "region": "山海区", "plan_year": 2030}, "pass --report"),
    ],
)
def test_which_report_is_scored(single_store, report_id, document, outcome):
    store = single_store
    gold = {**copy.deepcopy(GOLD), "document": document}
    if outcome.startswith("http"):
        assert evaluate(store, gold, report_iri=report_id).report == outcome
    else:
        with pytest.raises(InputError, match=outcome):
            evaluate(store, gold, report_iri=report_id)


def test_command_output_as_text_and_json(case_store, tmp_path):
    store, report = case_store, case_iri(1)  # the graph missing one entity
    gold_path = tmp_path / "gold.json"
    gold_path.write_text(json.dumps(GOLD, ensure_ascii=False), encoding="utf-8")
    out = lambda **options: eval_command_output(store, gold_path, report_id=report, **options)  # noqa: E731
    text = out()
    assert re.search(r"^entities\s+1\.000\s+0\.833\s+0\.909\s+5/5\s+5/6$", text, re.M), text
    assert "- miss   云帆研发中心  (Project · 强科技创新)" in text
    assert "云帆研发中心" not in out(show_misses=False)
    data = json.loads(out(fmt="json"))
    assert data["categories"]["entities"]["misses"] == [{"label": "云帆研发中心", "detail": "Project · 强科技创新"}]
    assert data["categories"]["figures"]["accuracy"]["comparator"] == {"correct": 4, "total": 4, "rate": 1.0}
    with pytest.raises(InputError, match="unknown format"):
        out(fmt="xml")


# --- the real thing: the seed report against its gold file ------------------------------


@pytest.fixture(scope="module")
def seed_report(tmp_path_factory):
    from kg_build.build import build
    from kg_build.resources import bundled_reports_dir

    store = LocalStore(tmp_path_factory.mktemp("seed") / "store")
    build([bundled_reports_dir() / "huli-2026.txt"], store=store)
    return evaluate(store, load_gold(GOLD_FILE))


SEED_THRESHOLDS = [
    ("pillars.f1", 1.0),
    ("measures.f1", 1.0),
    ("entities.f1", 0.9),
    ("figures.f1", 0.95),
    ("figures.comparator", 0.95),
    ("figures.modality", 0.9),
    ("figures.kind", 0.95),
    ("relations.recall", 0.8),
]


@pytest.mark.parametrize("path,threshold", SEED_THRESHOLDS)
def test_seed_report_meets_the_thresholds(seed_report, path, threshold):
    assert metric(seed_report, path) >= threshold, seed_report.to_text()


def test_seed_report_has_every_honour_conferred_on_the_district_in_the_review_year(seed_report):
    honours = seed_report.honours
    assert (honours.score.found, honours.score.required) == (7, 7), seed_report.to_text()


# --- standard indicators, ranges and partial gold files ------------------------------------

STD = "<https://w3id.org/policy-kg/id/indicator/{}>"


def _standard_gold(*, scope: bool = False, between: bool = False) -> dict:
    """GOLD with standard indicator slugs on its figures (固定资产投资超300亿元 read as if it were one)."""
    gold = copy.deepcopy(GOLD)
    for item in gold["quantities"]:
        item["standard_indicator"] = None
    gold["quantities"][1]["standard_indicator"] = "fdi"
    if between:
        gold["quantities"][1] |= {"comparator": "between", "upper": 3.5e10}
    if scope:
        gold["scope"] = {"categories": ["figures"], "quotes": ["力争固定资产投资超300亿元"]}
        gold["quantities"] = [gold["quantities"][1]]
    return gold


def _with(slug: str) -> str:
    """BODY with the statement 超300亿元 measuring the standard indicator ``slug``."""
    return variant(add=f"ex:f2 pol:standardIndicator {STD.format(slug)} .\n")


STANDARD_CASES = [
    ("standard indicator right", _with("fdi"), {},
     {"standard.recall": 1.0, "standard.precision": 1.0, "figures.standard": 1.0, "standard.fdi.recall": 1.0}),
    ("standard indicator missing", variant(), {},
     {"standard.recall": 0.0, "standard.precision": 1.0, "standard.predicted": 0, "figures.standard": 3 / 4,
      "standard.misses": 1}),
    ("standard indicator wrong", _with("gdp"), {},
     {"standard.recall": 0.0, "standard.precision": 0.0, "standard.false_positives": 1, "figures.standard": 3 / 4}),
    ("standard indicator where gold says none", variant(add=(
        f"ex:f2 pol:standardIndicator {STD.format('fdi')} .\nex:f3 pol:standardIndicator {STD.format('urban-new-jobs')} .\n")), {},
     {"standard.recall": 1.0, "standard.precision": 0.5, "figures.standard": 3 / 4}),
    ("scope: only statements read from the scope count", _with("fdi"),
     {"scope": True},
     {"figures.precision": 1.0, "figures.recall": 1.0, "figures.predicted": 1, "standard.precision": 1.0}),
    ("range: Between with its upper bound",
     variant(replace=(("qudt:numericValue 30000000000 ; qudt:unit cur:CNY ; pol:comparator pol:MoreThan",
                       "qudt:numericValue 30000000000 ; pol:upperBound 35000000000 ; qudt:unit cur:CNY ; pol:comparator pol:Between"),)),
     {"between": True}, {"figures.comparator": 1.0, "figures.upper": 1.0}),
    ("range: wrong upper bound",
     variant(replace=(("qudt:numericValue 30000000000 ; qudt:unit cur:CNY ; pol:comparator pol:MoreThan",
                       "qudt:numericValue 30000000000 ; pol:upperBound 36000000000 ; qudt:unit cur:CNY ; pol:comparator pol:Between"),)),
     {"between": True}, {"figures.comparator": 1.0, "figures.upper": 0.0}),
    ("range read as one value", variant(), {"between": True}, {"figures.comparator": 3 / 4, "figures.upper": 0.0}),
]


@pytest.fixture(scope="module")
def standard_store(tmp_path_factory) -> LocalStore:
    return load(tmp_path_factory.mktemp("standard") / "store", {case_iri(100 + n): c[1] for n, c in enumerate(STANDARD_CASES)})


@pytest.mark.parametrize("n", range(len(STANDARD_CASES)), ids=[c[0] for c in STANDARD_CASES])
def test_standard_indicators_ranges_and_scope_are_scored(standard_store, n):
    _, _, options, expected = STANDARD_CASES[n]
    report = evaluate(standard_store, _standard_gold(**options), report_iri=case_iri(100 + n))
    got = {path: metric(report, path) for path in expected}
    assert got == pytest.approx(expected), report.to_text()


def test_a_partial_gold_file_scores_only_what_it_annotates(standard_store):
    report = evaluate(standard_store, _standard_gold(scope=True), report_iri=case_iri(100))
    assert [c.name for c in report.categories()] == ["figures", "standard"]
    assert set(report.to_dict()["categories"]) == {"figures", "standard"}


def test_a_gold_file_without_standard_indicators_is_scored_as_before(standard_store):
    report = evaluate(standard_store, copy.deepcopy(GOLD), report_iri=case_iri(100))
    assert [c.name for c in report.categories()] == ["sections", "pillars", "measures", "entities", "figures", "relations", "honours"]
    assert "standard" not in report.figures.accuracy and "upper" not in report.figures.accuracy
    assert "standard" not in report.to_text()


BAD_STANDARD_GOLD = [
    ({"standard_indicator": "gdp-growth-rate"}, r"quantities\[0\]\.standard_indicator must be a standard indicator slug"),
    ({"upper": "5.5"}, r"quantities\[0\]\.upper must be a number"),
    ({"comparator": "range"}, r"quantities\[0\]\.comparator must be one of"),
]


@pytest.mark.parametrize("change,message", BAD_STANDARD_GOLD)
def test_bad_standard_fields_are_one_line_input_errors(tmp_path, change, message):
    path = tmp_path / "gold.json"
    path.write_text(json.dumps({**GOLD, "quantities": [{**GOLD["quantities"][0], **change}]}), encoding="utf-8")
    with pytest.raises(InputError, match=message):
        load_gold(path)


@pytest.mark.parametrize("scope,message", [
    ({"categories": ["figures", "tables"], "quotes": ["x"]}, "scope.categories must name categories"),
    ({"categories": ["figures"], "quotes": "x"}, r"scope\.quotes must be a list"),
    ("figures", "scope must be an object"),
])
def test_bad_scopes_are_one_line_input_errors(tmp_path, scope, message):
    path = tmp_path / "gold.json"
    path.write_text(json.dumps({**GOLD, "scope": scope}), encoding="utf-8")
    with pytest.raises(InputError, match=message):
        load_gold(path)


# --- the main targets of every bundled province, annotated by hand (tests/gold/provinces) ----

PROVINCE_GOLD = sorted((Path(__file__).parent / "gold" / "provinces").glob("*.json"))


def test_every_bundled_province_has_its_main_targets_annotated():
    bundled = {p.stem for p in (Path(__file__).resolve().parents[1] / "data" / "reports").glob("*.txt")}
    provinces = {stem for stem in bundled if not stem.startswith("national-")}  # the nation: series gold, not this
    assert {p.stem for p in PROVINCE_GOLD} == provinces - {"huli-2026"}


@pytest.mark.parametrize("path", PROVINCE_GOLD, ids=[p.stem for p in PROVINCE_GOLD])
def test_main_targets_of_a_province_are_all_extracted_with_their_standard_indicators(built_store, path):
    gold = load_gold(path)
    assert gold["quantities"] and all(q.get("standard_indicator") for q in gold["quantities"])
    report = evaluate(built_store, gold)
    expected = {"figures.recall": 1.0, "figures.precision": 1.0, "figures.comparator": 1.0, "figures.kind": 1.0,
                "figures.year": 1.0, "figures.standard": 1.0, "standard.recall": 1.0, "standard.precision": 1.0}
    if any("upper" in q for q in gold["quantities"]):
        expected["figures.upper"] = 1.0
    assert {k: metric(report, k) for k in expected} == expected, report.to_text()
