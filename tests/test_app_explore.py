"""The search, report and browse pages run by Streamlit's AppTest against real stores: URL parameters → what is shown."""

from __future__ import annotations

import pytest
from streamlit.testing.v1 import AppTest

from test_app import APP, PAGES, TIMEOUT, no_failure, texts
from kg_build.model.vocab import DATA_NS

SAMPLE = f"{DATA_NS}report/shili-2026"
HULI = f"{DATA_NS}report/huli-2026"
FUJIAN = f"{DATA_NS}report/fujian-2026"


def run(name: str, store, monkeypatch, params: dict[str, str]) -> AppTest:
    monkeypatch.setenv("KG_STORE", str(store.root))
    at = AppTest.from_file(str(PAGES / f"{name}.py"), default_timeout=TIMEOUT)
    for key, value in params.items():
        at.query_params[key] = value
    at.run()
    no_failure(at)
    return at


# (URL parameters, what the page shows, what it must not show) on the hand-made report
SEARCH_CASES = [
    ({}, ["输入搜索词"], ["个句子"]),
    ({"q": "滨海创新园"}, ["1 个句子", "<mark>滨海创新园</mark>", "report?iri=" + SAMPLE.replace(":", "%3A").replace("/", "%2F"),
                         ">扩大有效投资</a>", ">抓项目建设</a>", ">增长8%以上</a>"], []),
    ({"q": "濱海創新園"}, ["1 个句子", "<mark>滨海创新园</mark>"], []),
    ({"q": "项目"}, ["3 个句子", "年度工作安排部分", "工作回顾部分"], []),
    ({"q": "项目", "kind": "ReviewSection"}, ["1 个句子", "✕ 清除", "新引进<mark>项目</mark>120个"], ["抓<mark>项目</mark>建设"]),
    ({"q": "项目", "page": "9"}, ["3 个句子", "第 1–3 个"], []),  # a page past the end shows the last one
    ({"q": "星河"}, ["<mark>星河</mark>&lt;科技&gt;&amp;公司"], ["<科技>"]),  # labels from documents are escaped
    ({"q": "不存在的词"}, ["没有句子包含这些词"], []),
    ({"report": SAMPLE}, ["输入搜索词"], []),  # the report page's way in: its filter waits for words
    ({"q": "项目", "lang": "en"}, ["3 sentences", "Plan year"], ["个句子"]),
]


@pytest.mark.parametrize(("params", "shown", "hidden"), SEARCH_CASES)
def test_the_search_page(sample_store, monkeypatch, params, shown, hidden):
    page = texts(run("search", sample_store, monkeypatch, params))
    for text in shown:
        assert text in page
    for text in hidden:
        assert text not in page


def test_a_new_search_puts_its_words_in_the_url(sample_store, monkeypatch):
    at = run("search", sample_store, monkeypatch, {"q": "项目", "kind": "ReviewSection", "page": "2"})
    at.text_input(key="search_q").set_value("滨海创新园").run()
    no_failure(at)
    assert at.query_params["q"] == "滨海创新园" and at.query_params["kind"] == "ReviewSection"
    assert "page" not in at.query_params  # a new search keeps its filters and starts at its first page
    page = texts(at)
    assert "没有句子包含这些词" in page and "✕ 清除" in page  # nothing there: the filter says so and clears


REPORT_CASES = [
    ({}, ["示例区2026年政府工作报告"], []),
    ({"iri": SAMPLE}, ["# 示例区2026年政府工作报告", "计划部分没有在重点任务之外列出目标", "扩大有效投资", "抓项目建设",
                       "滨海创新园", "增长8%以上", "企业 (1)", 'target="_self"', "./search?report="], ["<table"]),
    ({"iri": SAMPLE, "names": "Company"}, ["星河&lt;科技&gt;&amp;公司", "✕ 收起", "<table"], ["星河<科技>"]),
    ({"iri": SAMPLE, "lang": "en"}, ["Main targets", "What it names", "The plan"], ["主要目标"]),
    ({"iri": "not an iri"}, ["不是有效的 IRI"], []),
    ({"iri": f"{DATA_NS}report/nowhere-2026"}, ["数据中没有 IRI 为"], []),
]


@pytest.mark.parametrize(("params", "shown", "hidden"), REPORT_CASES)
def test_the_report_page(sample_store, monkeypatch, params, shown, hidden):
    page = texts(run("report", sample_store, monkeypatch, params))
    for text in shown:
        assert text in page
    for text in hidden:
        assert text not in page


@pytest.mark.parametrize(
    ("params", "shown"),
    [({"iri": FUJIAN}, ["5%左右"]), ({"iri": HULI, "names": "Company"}, ["软通动力", "厦门航空"])],
)
def test_the_report_page_on_the_bundled_reports(built_store, monkeypatch, params, shown):
    page = texts(run("report", built_store, monkeypatch, params))
    for text in shown:
        assert text in page


BROWSE_CASES = [
    ({}, ["4 个实体", "滨海创新园", "示例区", "类别", "地区", "计划年份", "报告"], []),
    ({"cls": "Company"}, ["1 个实体", "星河&lt;科技&gt;&amp;公司", "✕ 清除", "清除全部筛选"], ["滨海创新园"]),
    ({"cls": "Company", "region": "别处"}, ["没有符合条件的实体", "✕ 清除"], ["星河"]),
    ({"q": "濱海"}, ["1 个实体", "滨海创新园"], ["星河"]),  # words in names, traditional or simplified
    ({"q": "星河", "cls": "Project"}, ["没有符合条件的实体"], []),
    ({"report": SAMPLE, "lang": "en"}, ["4 entities", "Mentions"], []),
    ({"cls": "Project", "page": "5"}, ["1 个实体", "第 1–1 个"], []),
]


@pytest.mark.parametrize(("params", "shown", "hidden"), BROWSE_CASES)
def test_the_browse_page(sample_store, monkeypatch, params, shown, hidden):
    at = run("browse", sample_store, monkeypatch, params)
    page = texts(at)
    for text in shown:
        assert text in page
    for text in hidden:
        assert text not in page
    if "没有" not in page:
        assert at.get("download_button")  # the filtered list downloads


@pytest.mark.parametrize(
    ("page_file", "heading"), [("search.py", "搜索报告原文"), ("report.py", "报告"), ("browse.py", "浏览实体")]
)
def test_the_router_opens_the_new_pages(sample_store, monkeypatch, page_file, heading):
    monkeypatch.setenv("KG_STORE", str(sample_store.root))
    at = AppTest.from_file(str(APP), default_timeout=TIMEOUT).run()
    at.switch_page(str(PAGES / page_file)).run()
    no_failure(at)
    assert at.title[0].value == heading


@pytest.mark.parametrize(("text", "shown"), [("星河", "企业 · 示例区 2026"), ("滨海", "项目 · 示例区 2026")])
def test_the_label_search_shows_where_each_hit_is_named(sample_store, monkeypatch, text, shown):
    at = run("entity", sample_store, monkeypatch, {})
    at.text_input[0].set_value(text).run()
    no_failure(at)
    assert shown in texts(at)


def test_the_graph_views_label_search_shows_where_each_hit_is_named(sample_store, monkeypatch):
    at = run("graph", sample_store, monkeypatch, {})
    at.radio(key="graph_mode").set_value("search").run()
    at.text_input(key="graph_query").set_value("星河").run()
    no_failure(at)
    assert any(option.endswith("示例区 2026") for option in at.selectbox(key="graph_hit").options)
