"""Indicator wordings (+ unit) → the standard indicator they measure, or none (vocabulary contract v2)."""

from __future__ import annotations

import json

import pytest

from kg_build.extract.standard_indicators import DATA, INDICATOR_NS, match_wording, standard_indicator, standard_indicators

PCT, CNY, USD, NUM, TONNE, MU, PM = "unit:PERCENT", "cur:CNY", "cur:USD", "unit:NUM", "unit:TONNE", "pol:Mu", "unit:MicroGM-PER-M3"
PP = "pol:PercentagePoint"

# (wording as a report's figure gives it, unit of the figure, expected slug)
MAPPED = [
    ("地区生产总值增长", PCT, "gdp-growth"),
    ("全省地区生产总值增长", PCT, "gdp-growth"),
    ("全市生产总值增长", PCT, "gdp-growth"),
    ("国内生产总值增长", PCT, "gdp-growth"),
    ("经济增长", PCT, "gdp-growth"),
    ("经济增长预期目标为", PCT, "gdp-growth"),
    ("地区生产总值按可比价格计算增长", PCT, "gdp-growth"),
    ("全区生产总值比上年增长", PCT, "gdp-growth"),
    ("GDP增速", PCT, "gdp-growth"),
    ("地区生产总值年均增长", PCT, "gdp-growth"),
    ("地区生产总值", CNY, "gdp"),
    ("全省生产总值", CNY, "gdp"),
    ("全省经济总量", CNY, "gdp"),
    ("人均地区生产总值", USD, "per-capita-gdp"),
    ("人均生产总值", CNY, "per-capita-gdp"),
    ("居民消费价格涨幅", PCT, "cpi-growth"),
    ("居民消费价格上涨", PCT, "cpi-growth"),
    ("居民消费价格指数涨幅", PCT, "cpi-growth"),
    ("居民消费价格总水平涨幅", PCT, "cpi-growth"),
    ("价格总水平上涨", PCT, "cpi-growth"),
    ("居民消费价格增长", PCT, "cpi-growth"),
    ("居民消费价格指数增长", PCT, "cpi-growth"),
    ("物价涨幅", PCT, "cpi-growth"),
    ("城镇调查失业率", PCT, "urban-surveyed-unemployment"),
    ("城镇调查失业率平均", PCT, "urban-surveyed-unemployment"),
    ("全年城镇调查失业率平均值为", PCT, "urban-surveyed-unemployment"),
    ("城镇调查失业率控制在", PCT, "urban-surveyed-unemployment"),
    ("城镇登记失业率", PCT, "urban-registered-unemployment"),
    ("年末城镇登记失业率", PCT, "urban-registered-unemployment"),
    ("城镇新增就业", NUM, "urban-new-jobs"),
    ("新增城镇就业", NUM, "urban-new-jobs"),
    ("城镇新增就业人数", NUM, "urban-new-jobs"),
    ("居民人均可支配收入增长", PCT, "resident-income-growth"),
    ("全体居民人均可支配收入实际增长", PCT, "resident-income-growth"),
    ("居民收入增长", PCT, "resident-income-growth"),
    ("城镇居民人均可支配收入增长", PCT, "urban-income-growth"),
    ("农村居民人均可支配收入增长", PCT, "rural-income-growth"),
    ("城镇居民居民人均可支配收入增长", PCT, "urban-income-growth"),  # 城镇居民、农村居民人均可支配收入分别增长…
    ("农民人均可支配收入增长", PCT, "rural-income-growth"),
    ("粮食产量", TONNE, "grain-output"),
    ("粮食总产量", TONNE, "grain-output"),
    ("粮食总产", TONNE, "grain-output"),
    ("全省粮食总产量稳定在", TONNE, "grain-output"),
    ("粮食产量要", TONNE, "grain-output"),
    ("单位地区生产总值能耗降低", PCT, "energy-intensity-reduction"),
    ("单位国内生产总值能耗下降", PCT, "energy-intensity-reduction"),
    ("能耗强度下降", PCT, "energy-intensity-reduction"),
    ("单位地区生产总值二氧化碳排放降低", PCT, "co2-intensity-reduction"),
    ("单位生产总值二氧化碳排放量下降", PCT, "co2-intensity-reduction"),
    ("二氧化碳排放强度要降低", PCT, "co2-intensity-reduction"),
    ("一般公共预算收入增长", PCT, "fiscal-revenue-growth"),
    ("地方一般公共预算收入增长", PCT, "fiscal-revenue-growth"),
    ("地方一般公共预算收入", CNY, "fiscal-revenue"),
    ("固定资产投资增长", PCT, "fixed-asset-investment-growth"),
    ("全社会固定资产投资增长", PCT, "fixed-asset-investment-growth"),
    ("社会消费品零售总额增长", PCT, "retail-sales-growth"),
    ("社会消费品零售总额", CNY, "retail-sales"),
    ("进出口总额增长", PCT, "trade-growth"),
    ("外贸进出口增长", PCT, "trade-growth"),
    ("货物进出口总额增长", PCT, "trade-growth"),
    ("规上工业增加值增长", PCT, "industrial-value-added-growth"),
    ("规模以上工业增加值增长", PCT, "industrial-value-added-growth"),
    ("研发经费投入强度", PCT, "rd-intensity"),
    ("全社会研发投入强度", PCT, "rd-intensity"),
    ("研究与试验发展经费支出与国内生产总值之比", PCT, "rd-intensity"),
    ("全社会研发经费支出相当于全市生产总值的比例达到", PCT, "rd-intensity"),
    ("常住人口城镇化率", PCT, "urbanization-rate"),
    ("赤字率拟按安排", PCT, "deficit-ratio"),
    ("实际使用外资", USD, "fdi"),
    ("实际使用外资", CNY, "fdi"),
    ("实际利用外商直接投资", USD, "fdi"),
    ("空气质量优良天数比率", PCT, "good-air-days-ratio"),
    ("空气优良天数率", PCT, "good-air-days-ratio"),
    ("细颗粒物（PM2.5）平均浓度", PM, "pm25-concentration"),
    # wordings the bundled and sample reports do not use
    ("地区生产总值（GDP）同比增长", PCT, "gdp-growth"),
    ("全市经济增速", PCT, "gdp-growth"),
    ("地区生产总值增长目标为", PCT, "gdp-growth"),
    ("GDP总量", CNY, "gdp"),
    ("居民消费价格指数（CPI）同比上涨", PCT, "cpi-growth"),
    ("居民消费价格涨幅控制在", PCT, "cpi-growth"),
    ("城镇调查失业率全年平均", PCT, "urban-surveyed-unemployment"),
    ("新增城镇就业人员", NUM, "urban-new-jobs"),
    ("城镇常住居民人均可支配收入增长", PCT, "urban-income-growth"),
    ("农村居民收入增长", PCT, "rural-income-growth"),
    ("地方级一般公共预算收入同口径增长", PCT, "fiscal-revenue-growth"),
    ("R&D经费支出占GDP比重", PCT, "rd-intensity"),
    ("设区市空气质量优良天数比率", PCT, "good-air-days-ratio"),
    ("货物贸易进出口总额增长", PCT, "trade-growth"),
    ("单位GDP能耗下降", PCT, "energy-intensity-reduction"),
    ("碳排放强度下降", PCT, "co2-intensity-reduction"),
    ("细颗粒物年均浓度", PM, "pm25-concentration"),
    ("设区城市PM2.5年平均浓度", PM, "pm25-concentration"),
]

# wordings that must NOT map (or not to the indicator a careless match would give)
UNMAPPED = [
    ("规上工业增加值", CNY),  # a level, not growth
    ("规上工业增加值", PCT),  # no growth word: a share, not growth
    ("工业增加值增长", PCT),  # all industry, not above designated size
    ("城镇居民人均可支配收入", CNY),  # a level in yuan
    ("居民人均可支配收入", CNY),
    ("粮食播种面积", MU),
    ("粮食播种面积", TONNE),
    ("粮食生产能力", TONNE),
    ("海洋生产总值增长", PCT),  # a sector
    ("数字经济增加值增长", PCT),
    ("城市副中心和平原新城地区生产总值年均增长", PCT),  # a part of the region
    ("对经济增长贡献率", PCT),
    ("地区生产总值", PCT),  # a share of GDP is no growth
    ("地区生产总值增长", CNY),
    ("服务业增加值占国内生产总值比重", PCT),
    ("城镇和农村居民人均可支配收入分别增长", PCT),  # a list not yet distributed: neither item alone
    ("居民人均可支配收入五年增长", PCT),  # cumulative over five years
    ("PM2.5平均浓度累计下降", PCT),
    ("细颗粒物年均浓度下降", PCT),
    ("京津冀区域优良天数比率", PCT),
    ("规上工业单位增加值能耗下降", PCT),
    ("财政赤字", CNY),
    ("实际使用外资增长", PCT),
    ("新增农村劳动力转移就业", NUM),
    ("城镇新增就业", PCT),
    ("居民消费价格涨幅", PP),
    ("食品价格上涨", PCT),
    ("财政总收入", CNY),
    ("经济总量", CNY),  # 成渝地区双城经济圈建设走深走实，经济总量超9万亿元: whose, the wording does not say
    ("户籍人口城镇化率", PCT),
    ("粮食综合生产能力", TONNE),
    ("全部工业增加值增长", PCT),
    ("商品零售物价上涨幅度", PCT),
    ("民间投资增长", PCT),
    ("外贸出口增长", PCT),
    ("", PCT),
]


@pytest.mark.parametrize(("wording", "unit", "slug"), MAPPED)
def test_wording_maps_to_its_standard_indicator(wording: str, unit: str, slug: str) -> None:
    found = match_wording(wording, unit)
    assert found is not None and found.slug == slug


@pytest.mark.parametrize(("wording", "unit"), UNMAPPED)
def test_wording_that_measures_no_standard_indicator(wording: str, unit: str) -> None:
    assert match_wording(wording, unit) is None


# (text, the figure as written inside it, the indicator wording the extractor gave, unit, slug or None)
IN_CONTEXT = [
    ("实现粮食播种面积3320万亩、产量1285万吨以上。", "1285万吨以上", "产量", TONNE, "grain-output"),
    ("实现棉花播种面积20万亩、产量12万吨。", "12万吨", "产量", TONNE, None),
    ("全省PM\n2.5\n年平均浓度保持在20微克/立方米左右。", "20微克/立方米左右", "年平均浓度", PM, "pm25-concentration"),
    ("城镇调查失业率平均为4.2%。", "4.2%", "城镇调查失业率平", PCT, "urban-surveyed-unemployment"),
    ("今年赤字率拟按3%安排。", "3%", "赤字率拟按安排", PCT, "deficit-ratio"),
    ("全省生产总值增长5%左右。", "增长5%左右", "全省生产总值", PCT, "gdp-growth"),
    ("国内生产总值增长6.6%，总量突破90万亿元。", "突破90万亿元", "总量", CNY, "gdp"),
    ("新登记经营主体320万户，总量达2037.7万户。", "2037.7万户", "总量", NUM, None),
    ("今年城镇调查失业率5.5%左右。", "5.5%左右", None, PCT, "urban-surveyed-unemployment"),  # no indicator read
    ("增长5%。", "5%", None, PCT, None),
    ("全市地区生产总值5.2万亿元、增长5.4%。", "5.4%", "增长", PCT, "gdp-growth"),  # the figure before names it
    ("城镇居民人均可支配收入9422元，实际增长7.7%。", "7.7%", None, PCT, "urban-income-growth"),
    ("新登记经营主体320万户、增长13%。", "13%", "增长", PCT, None),
    ("重点项目投资，增长5%。", "5%", "增长", PCT, None),  # the clause before states no figure: nothing to inherit
    ("城镇新增就业6600万人以上，13亿多人口的大国", "13亿多人", None, NUM, None),  # no growth word: inherits nothing
    ("外商直接投资累计达到149.6亿美元。", "149.6亿美元", "外商直接投资", USD, None),  # a total of several years
    ("实际使用外资160.6亿美元。", "160.6亿美元", "实际使用外资", USD, "fdi"),
    ("", "5%", "", PCT, None),
]


@pytest.mark.parametrize(("text", "surface", "wording", "unit", "slug"), IN_CONTEXT)
def test_clause_and_context_decide_short_wordings(text: str, surface: str, wording: str | None, unit: str, slug: str | None) -> None:
    found = standard_indicator(wording, unit, surface=surface, text=text, begin=text.index(surface) if text else None)
    assert (found.slug if found else None) == slug


def test_every_slug_of_the_contract_has_patterns_and_names() -> None:
    contract = {
        "gdp", "gdp-growth", "per-capita-gdp", "cpi-growth", "urban-new-jobs", "urban-surveyed-unemployment",
        "urban-registered-unemployment", "resident-income-growth", "urban-income-growth", "rural-income-growth",
        "grain-output", "energy-intensity-reduction", "co2-intensity-reduction", "fiscal-revenue",
        "fiscal-revenue-growth", "fixed-asset-investment-growth", "retail-sales", "retail-sales-growth",
        "trade-growth", "industrial-value-added-growth", "rd-intensity", "urbanization-rate", "deficit-ratio",
        "fdi", "good-air-days-ratio", "pm25-concentration",
    }
    items = standard_indicators()
    assert {item.slug for item in items} == contract
    for item in items:
        assert item.iri == INDICATOR_NS + item.slug
        assert item.zh and item.en and item.heads and item.units
        assert item.unit is None or item.unit in item.units
    # the contract's own Chinese name of every indicator maps to it (with its unit)
    for item in items:
        found = match_wording(item.zh, item.units[0])
        assert found is not None and found.slug == item.slug, item.zh


def test_patterns_are_data() -> None:
    data = json.loads(DATA.read_text(encoding="utf-8"))
    assert len(data["indicators"]) == len(standard_indicators())


# --- how a standard indicator is described, checked by the SHACL shapes ----------------------

STANDARD_TTL = """
@prefix pol: <https://w3id.org/policy-kg/def#> .
@prefix skos: <http://www.w3.org/2004/02/skos/core#> .
@prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .
@prefix qudt: <http://qudt.org/schema/qudt/> .
<https://w3id.org/policy-kg/id/indicator/cpi-growth> a pol:StandardIndicator , pol:Indicator ;
    skos:notation "cpi-growth" ;
    skos:prefLabel "居民消费价格涨幅"@zh-Hans , "Consumer price growth (CPI)"@en ;
    rdfs:label "居民消费价格涨幅"@zh-Hans , "Consumer price growth (CPI)"@en ;
    qudt:unit <http://qudt.org/vocab/unit/PERCENT> .
"""

# (what is changed, replaced by what, the message expected; None: conforms)
DESCRIPTIONS = [
    ("", "", None),
    ('skos:notation "cpi-growth" ;', "", "needs exactly one skos:notation"),
    (', "Consumer price growth (CPI)"@en ;\n    rdfs:label', " ;\n    rdfs:label", "needs exactly one English skos:prefLabel"),
    ("qudt:unit <http://qudt.org/vocab/unit/PERCENT> .", 'skos:altLabel "CPI"@en .', "needs qudt:unit"),
    ("indicator/cpi-growth>", "indicator/CPI_growth>", "lives at https://w3id.org/policy-kg/id/indicator/{slug}"),
]


@pytest.mark.parametrize(("old", "new", "message"), DESCRIPTIONS)
def test_the_shapes_check_how_a_standard_indicator_is_described(old: str, new: str, message: str | None) -> None:
    from rdflib import Graph

    from kg_build.validate import validate_graph

    assert old in STANDARD_TTL
    result = validate_graph(Graph().parse(data=STANDARD_TTL.replace(old, new, 1) if old else STANDARD_TTL, format="turtle"))
    if message is None:
        assert not result.violations, result.text
    else:
        assert any(message in v.message for v in result.violations), result.text


def test_a_built_report_describes_each_standard_indicator_it_uses() -> None:
    """Through the real pipeline: the statement links the fixed IRI, which the report graph describes."""
    import pyoxigraph as ox

    from kg_build.build import build_report
    from kg_build.resources import bundled_reports_dir

    built = build_report(bundled_reports_dir() / "zhejiang-2026.txt")
    store = ox.Store()
    store.load(built.nquads, format=ox.RdfFormat.N_QUADS)
    rows = [(row["slug"].value, row["zh"].value) for row in store.query(
        "PREFIX pol: <https://w3id.org/policy-kg/def#> PREFIX skos: <http://www.w3.org/2004/02/skos/core#> "
        "SELECT DISTINCT ?slug ?zh WHERE { GRAPH ?g { ?st a pol:Target ; pol:standardIndicator ?std . "
        "?std a pol:StandardIndicator ; skos:notation ?slug ; skos:prefLabel ?zh . FILTER(LANGMATCHES(LANG(?zh), 'zh-Hans')) } }"
    )]
    found = {str(slug): str(zh) for slug, zh in rows}
    assert found["gdp-growth"] == "地区生产总值增长" and found["cpi-growth"] == "居民消费价格涨幅"
    assert found["urban-surveyed-unemployment"] == "城镇调查失业率"
