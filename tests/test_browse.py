"""The report page's and the browse page's data: a report's plan as a tree, what it names, entities faceted."""

from __future__ import annotations

import pytest

from kg_build import browse
from kg_build.errors import InputError
from kg_build.model.vocab import DATA_NS

SAMPLE = f"{DATA_NS}report/shili-2026"


def _tree(node: browse.PlanNode) -> tuple:
    return (
        node.cls, node.kind, node.label,
        tuple((n.label, n.cls) for n in node.named), tuple(t.label for t in node.targets),
        tuple(_tree(c) for c in node.children),
    )


SAMPLE_TREE = [
    ("Section", "PlanSection", "2026年工作安排", (), (), (
        ("Pillar", "", "扩大有效投资", (), (), (
            ("Measure", "", "抓项目建设", (("滨海创新园", "Project"),), ("固定资产投资增长 · 增长8%以上",), ()),
            ("Measure", "", "促消费升级", (), ("文旅活动 · 超500场", "社会消费品零售总额增长 · 增长6%"), ()),
        )),
        ("Pillar", "", "培育新兴产业", (), (), (
            ("Measure", "", "强化科技创新", (("星河<科技>&公司", "Company"), ("智能计算中心", "Platform")),
             ("研发投入强度 · 达到3.2%",), ()),
        )),
    )),
    ("Section", "ReviewSection", "2025年回顾", (), (), ()),  # achievements are no targets
]


def test_the_plan_of_the_sample_report_as_a_tree(sample_store):
    plan = browse.report_plan(sample_store, SAMPLE)
    assert (plan.title, plan.region, plan.year) == ("示例区2026年政府工作报告", "示例区", 2026)
    assert [_tree(s) for s in plan.sections] == SAMPLE_TREE
    assert plan.main_targets == []  # every target of the sample lies under a pillar
    assert plan.sections[0].count() == 7


@pytest.mark.parametrize("report", ["fujian-2026", "beijing-2026", "zhejiang-2026"])
def test_a_province_states_its_main_targets_in_its_plan_section(built_store, report):
    plan = browse.report_plan(built_store, f"{DATA_NS}report/{report}")
    assert plan.main_targets, plan.title
    assert any(t.label.startswith(("地区生产总值", "全省生产总值", "全市生产总值", "经济增长", "生产总值")) for t in plan.main_targets)
    assert any(s.kind == "PlanSection" and s.children for s in plan.sections)


@pytest.mark.parametrize(("iri", "outcome"), [(f"{DATA_NS}report/nowhere-2026", None), ("not an iri", InputError)])
def test_no_such_report(sample_store, iri, outcome):
    if outcome is None:
        assert browse.report_plan(sample_store, iri) is None
    else:
        with pytest.raises(outcome):
            browse.report_plan(sample_store, iri)


def test_what_a_report_names_by_class(sample_store):
    named = browse.report_named(sample_store, SAMPLE, browse.entity_mentions(sample_store))
    assert {c: [r.label for r in rows] for c, rows in named.items()} == {
        "Project": ["滨海创新园"], "Platform": ["智能计算中心"], "Company": ["星河<科技>&公司"], "Place": ["示例区"],
    }
    assert list(named) == ["Project", "Platform", "Company", "Place"]  # in the explorer's class order


# (filters, entities listed, the class facet's counts)
BROWSE_CASES = [
    ({}, {"滨海创新园", "智能计算中心", "星河<科技>&公司", "示例区"}, {"Company": 1, "Place": 1, "Platform": 1, "Project": 1}),
    ({"cls": "Company"}, {"星河<科技>&公司"}, {"Company": 1, "Place": 1, "Platform": 1, "Project": 1}),
    ({"cls": "Company", "region": "示例区", "year": "2026", "report": SAMPLE}, {"星河<科技>&公司"},
     {"Company": 1, "Place": 1, "Platform": 1, "Project": 1}),
    ({"region": "别处"}, set(), {}),
    ({"year": "1999", "cls": "Company"}, set(), {}),
    ({"unknown": "x"}, {"滨海创新园", "智能计算中心", "星河<科技>&公司", "示例区"}, {"Company": 1, "Place": 1, "Platform": 1, "Project": 1}),
]


@pytest.mark.parametrize(("filters", "listed", "classes"), BROWSE_CASES)
def test_browse_with_facets(sample_store, filters, listed, classes):
    result = browse.browse(sample_store, browse.entity_mentions(sample_store), filters=filters)
    assert {r.label for r in result.rows} == listed and result.total == len(listed)
    assert {v: n for v, _, n in result.facets["cls"]} == classes
    assert all(r.reports == 1 and r.mentions == 1 for r in result.rows)


@pytest.mark.parametrize(
    ("text", "listed"), [("星河", {"星河<科技>&公司"}), ("濱海", {"滨海创新园"}), ("中心", {"智能计算中心"}), ("无此名", set())]
)
def test_browse_by_words_in_names(sample_store, text, listed):
    result = browse.browse(sample_store, browse.entity_mentions(sample_store), text=text)
    assert {r.label for r in result.rows} == listed
    assert sum(n for _, _, n in result.facets["cls"]) == len(listed)  # the facets count what the words keep


def test_browse_counts_reports_and_mentions_across_reports(built_store):
    mentions = browse.entity_mentions(built_store)
    result = browse.browse(built_store, mentions, filters={"cls": "Place"}, limit=5)
    top = result.rows[0]
    assert top.reports == len({r for e, c, r, _ in mentions if e == top.iri and c == "Place"}) > 1
    assert [r.reports for r in result.rows] == sorted((r.reports for r in result.rows), reverse=True)
    regions = {v: n for v, _, n in result.facets["region"]}
    assert regions["湖里区"] == len({e for e, c, r, _ in mentions if c == "Place" and r.endswith("/huli-2026")})


def test_csv_has_a_header_and_every_row(sample_store):
    rows = browse.browse(sample_store, browse.entity_mentions(sample_store), limit=None).rows
    text = browse.rows_csv(rows).decode("utf-8-sig").splitlines()
    assert text[0] == "iri,label,class,reports,mentions" and len(text) == 1 + len(rows)
    assert any(line.endswith(",星河<科技>&公司,Company,1,1") for line in text)


def test_where_a_label_search_hit_is_named(sample_store):
    company = next(e for e, c, _, _ in browse.entity_mentions(sample_store) if c == "Company")
    assert browse.where_named(sample_store, [company, "urn:x:none"]) == {company: [SAMPLE], "urn:x:none": []}


@pytest.mark.parametrize("report", ["huli-2026", "fujian-2026", "national-2019"])
def test_one_reports_mentions_are_those_of_the_whole_store_for_that_report(built_store, report):
    iri = f"{DATA_NS}report/{report}"
    everything = browse.entity_mentions(built_store)
    mine = browse.entity_mentions(built_store, [iri])
    assert mine and mine == [m for m in everything if m[2] == iri]
