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


# --- /figures: every filter in the URL, counts in the options, units on the axis ---------------------------------


def vega_specs(at: AppTest) -> list[dict]:
    """The Vega-Lite specs of the page's charts, as the browser receives them."""
    import json

    def walk(node):
        for child in getattr(node, "children", {}).values():
            yield child
            yield from walk(child)

    charts = [e.proto for e in walk(at._tree) if getattr(e, "type", "") == "vega_lite_chart"]
    return [{**json.loads(c.spec), "rows": _rows(c)} for c in charts]


def _rows(chart) -> list[dict]:
    """A chart's data (sent beside its spec as Arrow), as records."""
    from streamlit.dataframe_util import convert_arrow_bytes_to_pandas_df

    data = [d.data.data for d in chart.datasets] or ([chart.data.data] if chart.data.data else [])
    return [r for block in data for r in convert_arrow_bytes_to_pandas_df(block).to_dict("records")]


# (URL parameters, rows in the table, each filter's choice as the widgets show it, the URL written back)
FIGURE_URLS = [
    ({}, 6, {"fig_plans": [2026], "fig_kinds": []}, {}),
    ({"kinds": "Achievement"}, 2, {"fig_kinds": ["Achievement"]}, {"kinds": "Achievement"}),
    ({"units": ["%", "场"], "years": "2026"}, 4, {"fig_units": ["%", "场"], "fig_years": [2026]},
     {"units": ["%", "场"], "years": "2026"}),  # 超500场: a count of events
    ({"plans": "all", "regions": "示例区"}, 6, {"fig_plans": [], "fig_regions": ["示例区"]},
     {"plans": "all", "regions": "示例区"}),
    ({"levels": "CountyLevel"}, 6, {"fig_levels": []}, {}),  # the hand-made place has no level to choose
    # values the store has no option for are dropped, from the view and from the URL
    ({"regions": "别处", "years": "20x6", "kinds": "Nonsense"}, 6, {"fig_regions": [], "fig_kinds": []}, {}),
]


@pytest.mark.parametrize(("params", "rows", "widgets", "written"), FIGURE_URLS)
def test_the_figures_filters_come_from_the_url_and_go_back_to_it(sample_store, monkeypatch, params, rows, widgets,
                                                                  written):
    at = run("figures", sample_store, monkeypatch, params)
    assert len(at.dataframe[0].value) == rows
    for widget, value in widgets.items():
        assert at.multiselect(key=widget).value == value
    mine = {k: v for k, v in at.query_params.items() if k not in ("region", "indicator")}  # the outcome view's own
    assert mine == written


def test_a_changed_filter_goes_into_the_url_and_a_reload_gives_it_back(sample_store, monkeypatch):
    at = run("figures", sample_store, monkeypatch, {"units": "%"})
    at.multiselect(key="fig_kinds").set_value(["Target"]).run()
    no_failure(at)
    assert (at.query_params["units"], at.query_params["kinds"]) == ("%", "Target")
    assert len(at.dataframe[0].value) == 3
    again = run("figures", sample_store, monkeypatch, {"units": "%", "kinds": "Target"})  # the reload: a new session
    assert again.dataframe[0].value.equals(at.dataframe[0].value)
    assert again.multiselect(key="fig_kinds").value == ["Target"]


def test_the_figures_of_one_level(built_store, monkeypatch):
    at = run("figures", built_store, monkeypatch, {"levels": "CountyLevel", "plans": "all"})
    assert set(at.dataframe[0].value["region"]) == {"湖里区"}
    assert at.multiselect(key="fig_levels").options == ["国家级 (5)", "省级 (8)", "县级 (1)"]  # reports
    assert at.query_params["levels"] == "CountyLevel"


# (URL parameters, filter, its options with their counts: what choosing each would show, given the other filters)
FIGURE_COUNTS = [
    ({}, "fig_kinds", ["目标值 (4)", "完成值 (2)"]),
    ({"units": "%"}, "fig_kinds", ["目标值 (3)", "完成值 (1)"]),
    ({"units": "%"}, "fig_units", ["% (4)", "个 (1)", "场 (1)"]),  # a filter's own choice hides none of its options
    ({"lang": "en"}, "fig_units", ["% (4)", "items (1)", "events (1)"]),  # the same keys, in English
    ({"kinds": "Achievement"}, "fig_years", ["2025 (2)", "2026 (0)"]),
    ({}, "fig_regions", ["示例区 (1)"]),  # reports
    ({"lang": "en"}, "fig_kinds", ["target (4)", "achievement (2)"]),
]


@pytest.mark.parametrize(("params", "widget", "options"), FIGURE_COUNTS)
def test_the_figures_filters_show_counts(sample_store, monkeypatch, params, widget, options):
    at = run("figures", sample_store, monkeypatch, params)
    assert at.multiselect(key=widget).options == options


# (language, URL parameters, the unit column holds, the chart's axis title)
UNIT_VIEWS = [
    ("zh", {"regions": "湖里区", "plans": "all", "chart": "新增城镇就业"}, "人", "新增城镇就业 (人)"),
    ("en", {"regions": "湖里区", "plans": "all", "chart": "新增城镇就业"}, "persons", "新增城镇就业 (persons)"),
]


@pytest.mark.parametrize(("language", "params", "unit", "axis"), UNIT_VIEWS)
def test_counts_keep_what_they_count_in_the_table_and_on_the_axis(built_store, monkeypatch, language, params, unit,
                                                                   axis):
    at = run("figures", built_store, monkeypatch, {**params, "lang": language})
    table = at.dataframe[0].value
    assert unit in set(table["unit"])
    assert at.selectbox(key="fig_indicator").value == params["chart"]
    spec = vega_specs(at)[0]
    assert {layer["encoding"]["y"]["title"] for layer in spec["layer"]} == {axis}


def test_a_range_target_draws_as_a_band_and_comparators_as_signs(built_store, monkeypatch):
    at = run("figures", built_store, monkeypatch, {"regions": ["广东省", "福建省"], "chart": "地区生产总值增长"})
    spec = vega_specs(at)[0]
    layers = {layer["name"]: layer for layer in spec["layer"]}
    assert set(layers) == {"value", "range", "comparator"}
    assert layers["range"]["encoding"]["y2"]["field"] == "high" and layers["range"]["encoding"]["y"]["field"] == "low"
    data = spec["rows"]
    bands = [d for d in data if d["band"]]
    assert [(d["region"], d["low"], d["high"]) for d in bands] == [("广东省", 4.5, 5.0)]  # 4.5%—5%
    assert any(d["region"] == "福建省" and d["sign"] == "≈" for d in data)  # 5%左右
    assert "色带：区间目标（下限至上限）" in texts(at) and "≈ " in texts(at)


# (language, standard indicator, the target-vs-outcome chart's axis title: what the targets count)
OUTCOME_AXES = [
    ("zh", "urban-new-jobs", "人)"),
    ("en", "urban-new-jobs", "persons)"),
    ("zh", "gdp-growth", "(%)"),
]


@pytest.mark.parametrize(("language", "indicator", "ending"), OUTCOME_AXES)
def test_the_target_vs_outcome_axis_says_what_the_targets_count(built_store, monkeypatch, language, indicator, ending):
    at = run("outcomes", built_store, monkeypatch, {"region": "中华人民共和国", "indicator": indicator, "lang": language})
    spec = vega_specs(at)[-1]
    titles = {layer["encoding"]["y"]["title"] for layer in spec["layer"]}
    assert len(titles) == 1 and titles.pop().endswith(ending)


# --- the entity page keeps its state in the URL too -------------------------------------------------------------


def test_the_label_search_words_come_from_and_go_to_the_url(sample_store, monkeypatch):
    at = run("entity", sample_store, monkeypatch, {"q": "星河"})
    assert at.text_input(key="entity_q").value == "星河" and "企业 · 示例区 2026" in texts(at)
    at.text_input(key="entity_q").set_value("滨海").run()
    no_failure(at)
    assert at.query_params["q"] == "滨海" and "项目 · 示例区 2026" in texts(at)
    at.text_input(key="entity_q").set_value("").run()
    assert "q" not in at.query_params


# (?sources= asked for, the first source shown: a page of 20 starts at 1, 21, 41 …)
SOURCE_PAGES = [(None, 0), ("21", 20), ("30", 20), ("0", 0), ("x", 0), ("99999", None)]


@pytest.mark.parametrize(("asked", "start"), SOURCE_PAGES)
def test_the_page_of_sources_comes_from_the_url(built_store, monkeypatch, asked, start):
    from kg_build import explore

    iri = next(h.iri for h in explore.search(built_store, "福建省") if h.label == "福建省")
    sources = len(explore.entity_sources(built_store, iri))
    assert sources > 40
    at = run("entity", built_store, monkeypatch, {"iri": iri, **({"sources": asked} if asked else {})})
    pages = at.selectbox(key=f"entity_sources_page {iri}")
    last = (sources - 1) // 20 * 20
    assert pages.value == (last if start is None else start)
    pages.set_value(20).run()
    no_failure(at)
    assert at.query_params["sources"] == "21"
    pages.set_value(0).run()
    assert "sources" not in at.query_params
