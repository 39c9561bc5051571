"""Entity resolution: one entity per real thing, never across types or administrative levels."""

from __future__ import annotations

import random

import pytest

from kg_build.document import Entity, EntityType, Mention, Span
from kg_build.extract.gazetteers import ReportContext
from kg_build.extract.places import context_codes
from kg_build.extract.resolve import resolve

HULI = ReportContext(region="湖里区", city="厦门市", province="福建省", level="district",
                     codes=context_codes("湖里区", "厦门市", "福建省"))
P, C, I, PF, PL, E = (EntityType.PROJECT, EntityType.COMPANY, EntityType.INITIATIVE, EntityType.PLATFORM,
                      EntityType.PLACE, EntityType.EVENT)


def m(kind, label, begin, rule="name-head:x", aliases=()):
    return Mention(kind, label, Span(begin, begin + len(label)), rule, tuple(aliases))


CASES = [
    # (mentions, expected (type, label) of the entity holding the first mention, rule in merged_by)
    ([m(I, "人工智能+行动", 0, "quoted-head:行动", ("“人工智能+”行动", "人工智能+")), m(I, "人工智能+", 30, "quoted-term")],
     (I, "人工智能+"), "alias:campaign-head"),
    ([m(P, "厦门·闽宁双智算中心", 0), m(P, "闽宁双智算中心", 40)], (P, "闽宁双智算中心"), "alias:place-qualifier"),
    ([m(C, "厦门航空", 0, "companies.tsv", ("厦航",)), m(C, "厦门航空", 20, "companies.tsv")], (C, "厦门航空"), "companies.tsv"),
    ([m(PL, "厦门市", 0, "admin-divisions", ("厦门",)), m(PL, "厦门市", 9, "admin-divisions")], (PL, "厦门市"), "admin-divisions"),
    ([m(I, "一件事", 0, "quoted-head:改革"), m(I, "一件事集成改革", 9, "quoted-head:集成改革", ("“一件事”集成改革", "一件事"))],
     (I, "一件事集成改革"), "alias:quote-stripping"),
    ([m(E, "第八届数字中国建设峰会", 0), m(E, "数字中国建设峰会", 30)], (E, "数字中国建设峰会"), "alias:edition"),
    ([m(PF, "“城市大脑", 0), m(PF, "城市大脑", 20)], (PF, "城市大脑"), None),
    ([m(PF, "城市大脑", 0), m(I, "城市大脑", 20, "quoted-term")], (PF, "城市大脑"), "alias:quoted-term"),
]


@pytest.mark.parametrize(("mentions", "key", "rule"), CASES)
def test_mentions_merge_into_one_entity(mentions, key, rule):
    resolution = resolve(mentions, HULI)
    holder = {resolution.key_of[x] for x in mentions}
    assert holder == {(key[0].value, key[1])}
    entity = next(e for e in resolution.entities if e.key == (key[0].value, key[1]))
    assert len(entity.mentions) == len(mentions)
    if rule:
        assert rule in entity.merged_by


APART = [
    [m(PL, "湖里区", 0, "admin-divisions"), m(PL, "湖里县", 10, "name-head:县")],  # administrative levels
    [m(PF, "城市大脑", 0), m(I, "城市大脑", 20, "quoted-head:行动")],  # types, both strong
    [m(C, "中国电子", 0, "companies.tsv", ("中电",)), m(C, "中电太极", 10, "companies.tsv")],
]


@pytest.mark.parametrize("mentions", APART)
def test_different_things_stay_apart(mentions):
    resolution = resolve(mentions, HULI)
    assert len({resolution.key_of[x] for x in mentions}) == len(mentions)


def test_resolution_is_deterministic():
    mentions = [x for case in CASES for x in case[0]] + [x for case in APART for x in case]
    first = resolve(mentions, HULI)
    shuffled = list(mentions)
    random.Random(7).shuffle(shuffled)
    again = resolve(shuffled, HULI)
    assert [(e.key, sorted(e.alt_labels), e.mentions, sorted(e.merged_by)) for e in first.entities] == [
        (e.key, sorted(e.alt_labels), e.mentions, sorted(e.merged_by)) for e in again.entities
    ]


def test_report_region_chain_becomes_places():
    resolution = resolve([], HULI)
    places = {e.label: e for e in resolution.entities}
    assert set(places) == {"湖里区", "厦门市", "福建省"}
    assert (places["湖里区"].admin_code, places["湖里区"].parent) == ("350206", "厦门市")
    assert "湖里" in places["湖里区"].alt_labels


# --- one IRI per thing across reports, whatever class each report gives it -----------------------

# Two small reports of two districts: the same port typed Project in one and Platform in the other, the
# same campaign written with and without its head word, and each district's own 区政府.
REPORTS = {
    "siming-2026": ("思明区", "2026年工作安排\n一、扩大有效投资\n抓项目建设。推动星河数据港等3个项目开工。"
                    "实施“数智先锋”行动，推动转型。区政府各部门要抓好落实。\n"),
    "jimei-2026": ("集美区", "2026年工作安排\n一、优化营商环境\n强服务。依托星河数据港等2个平台服务企业。"
                   "推广“数智先锋”经验。区政府各部门要抓好落实。\n"),
}

ACROSS = [
    # (label written in both reports, classes the two reports give, how many IRIs it must have)
    ("星河数据港", {"Project", "Platform"}, 1),
    ("数智先锋", {"Initiative"}, 1),
    ("区政府", {"GovernmentBody"}, 2),  # 思明区人民政府 and 集美区人民政府: two bodies
]


@pytest.fixture(scope="module")
def two_reports(tmp_path_factory):
    import json

    from kg_build.build import build
    from kg_build.store import LocalStore

    folder = tmp_path_factory.mktemp("two-reports")
    for report_id, (region, text) in REPORTS.items():
        (folder / f"{report_id}.txt").write_text(text, encoding="utf-8")
        meta = {"id": report_id, "region": region, "city": "厦门市", "province": "福建省", "level": "district",
                "plan_year": 2026, "review_year": 2025}
        (folder / f"{report_id}.meta.json").write_text(json.dumps(meta, ensure_ascii=False), encoding="utf-8")
    store = LocalStore(tmp_path_factory.mktemp("two-reports-store"))
    build([folder], store=store)
    return store


@pytest.mark.parametrize(("written", "classes", "iris"), ACROSS)
def test_one_iri_per_thing_across_reports_whatever_its_class(two_reports, written, classes, iris):
    rows = two_reports.query(
        "PREFIX skos: <http://www.w3.org/2004/02/skos/core#> "
        "SELECT DISTINCT ?s ?type WHERE { ?s skos:prefLabel|skos:altLabel ?l ; a ?type . "
        f'FILTER(STR(?l) = "{written}") }}'
    ).rows
    nodes = {str(s) for s, _ in rows}
    assert len(nodes) == iris, rows
    assert {str(t).rsplit("#", 1)[-1] for _, t in rows} == classes


def test_merged_campaign_records_the_rule_that_merged_it(two_reports):
    rows = two_reports.query(
        "PREFIX skos: <http://www.w3.org/2004/02/skos/core#> PREFIX pol: <https://w3id.org/policy-kg/def#> "
        'SELECT ?alt ?rule WHERE { ?s skos:prefLabel "数智先锋"@zh-Hans ; skos:altLabel ?alt ; pol:mergedBy ?rule }'
    ).rows
    assert ("数智先锋行动", "alias:campaign-head") in {(str(a), str(r)) for a, r in rows}


ALIAS_MERGES = [
    # (labels of mentions in one report, the one canonical label)
    (("人工智能+行动", "人工智能+"), "人工智能+"),
    (("数据要素×行动", "数据要素×"), "数据要素×"),
    (("护苗行动计划", "护苗行动"), "护苗行动"),  # a two-character core keeps its head word
    (("三争行动", "三争"), "三争"),  # … unless it is a numbered abbreviation
    (("提振消费专项行动", "提振消费"), "提振消费"),
    (("两重工程", "两重"), "两重"),
    (("百万英才汇南粤行动计划", "百万英才汇南粤行动"), "百万英才汇南粤"),
]


@pytest.mark.parametrize(("labels", "canonical"), ALIAS_MERGES)
def test_campaign_with_and_without_its_head_word_is_one_entity(labels, canonical):
    mentions = [m(I, label, 40 * n, "quoted-head:行动") for n, label in enumerate(labels)]
    resolution = resolve(mentions, HULI)
    assert {resolution.key_of[x] for x in mentions} == {(I.value, canonical)}
    (entity,) = [e for e in resolution.entities if e.type is I]
    assert set(labels) - {canonical} <= entity.alt_labels
    assert "alias:campaign-head" in entity.merged_by or set(labels) == {canonical}


NOT_CAMPAIGN_HEADS = [
    ("行动", "行动"), ("大行动", "大行动"), ("九五计划", "九五计划"), ("战略行动", "战略行动"), ("三大行动", "三大行动"),
    ("三年行动计划", "三年行动"), ("一号工程", "一号工程"), ("护苗行动", "护苗行动"),
]


@pytest.mark.parametrize(("label", "canonical"), NOT_CAMPAIGN_HEADS)
def test_too_short_a_core_keeps_its_head_word(label, canonical):
    from kg_build.extract.resolve import campaign_core

    assert campaign_core(label) == canonical
