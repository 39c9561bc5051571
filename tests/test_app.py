"""Each page of the explorer, run by Streamlit's AppTest against a real store: content, refusals and errors."""

from __future__ import annotations

import re
import sys
from pathlib import Path
from urllib.parse import quote

import pytest
from streamlit.testing.v1 import AppTest

from kg_build import explore, search
from kg_build.model.vocab import DATA_NS
from kg_build.queries import saved_queries
from kg_build.store import GENERATIONS

ROOT = Path(__file__).resolve().parents[1]
APP = ROOT / "app.py"
PAGES = ROOT / "pages"
SAMPLE_REPORT = f"{DATA_NS}report/shili-2026"
TIMEOUT = 60


def page(name: str, store, monkeypatch, **params: str) -> AppTest:
    """Run one page file with KG_STORE set and the given URL parameters."""
    monkeypatch.setenv("KG_STORE", str(store.root))
    at = AppTest.from_file(str(PAGES / f"{name}.py"), default_timeout=TIMEOUT)
    for key, value in params.items():
        at.query_params[key] = value
    return at.run()


def texts(at: AppTest) -> str:
    """Everything the page wrote as text, markdown, captions and messages, as one string."""
    kinds = ("title", "header", "subheader", "markdown", "caption", "error", "warning", "info", "success")
    parts = [e.value for kind in kinds for e in getattr(at, kind)]
    return "\n".join(str(p) for p in parts)


def no_failure(at: AppTest) -> None:
    assert not at.exception, [e.message for e in at.exception]


# --- the app and the overview -----------------------------------------------------------------


def test_the_app_routes_to_the_overview_and_switches_language(built_store, monkeypatch):
    monkeypatch.setenv("KG_STORE", str(built_store.root))
    at = AppTest.from_file(str(APP), default_timeout=TIMEOUT).run()
    no_failure(at)
    assert at.title[0].value == "政府工作报告知识图谱"
    at.sidebar.radio(key="lang_switch").set_value("en").run()
    no_failure(at)
    assert at.title[0].value == "Government work reports as a knowledge graph"
    assert at.query_params["lang"] == "en"


def test_after_a_page_the_router_opens_the_build_and_reads_its_search_facets_once(built_store, monkeypatch):
    monkeypatch.setenv("KG_STORE", str(built_store.root))
    at = AppTest.from_file(str(APP), default_timeout=TIMEOUT).run()
    ui = sys.modules["_ui"]  # the pages' helpers, as the router imported them
    ui._WARMED.clear()
    search._GROUPS_READ.clear()
    at.run()
    no_failure(at)
    generation = built_store.generation()
    assert ui._WARMED == {(str(built_store.root), generation)}
    index = (built_store.root / GENERATIONS / generation / search.INDEX_FILE).resolve()
    assert [key[0] for key in search._GROUPS_READ] == [str(index)]
    search._GROUPS_READ.clear()
    at.run()  # the same build: nothing read again
    assert search._GROUPS_READ == {}


@pytest.mark.parametrize(("page_file", "title"), [("sparql.py", "SPARQL 查询"), ("figures.py", "目标与完成值")])
def test_the_router_opens_each_page(built_store, monkeypatch, page_file, title):
    monkeypatch.setenv("KG_STORE", str(built_store.root))
    at = AppTest.from_file(str(APP), default_timeout=TIMEOUT).run()
    at.switch_page(str(PAGES / page_file)).run()
    no_failure(at)
    assert at.title[0].value == title


def test_the_overview_lists_reports_classes_and_the_build(built_store, monkeypatch):
    at = page("overview", built_store, monkeypatch)
    no_failure(at)
    metrics = {m.label: m.value for m in at.metric}
    assert metrics["数据版本"] == built_store.generation()
    reports, classes = at.dataframe[0].value, at.dataframe[1].value
    assert any("huli-2026" in link for link in reports["标题"])
    assert "湖里区" in set(reports["地区"]) and 2026 in set(reports["计划年份"])
    assert (reports["重点任务"] > 0).all()
    assert {"pol:WorkReport", "pol:Section", "pol:Pillar", "pol:Measure"} <= set(classes["IRI"])


def test_the_overview_follows_a_rebuild_without_a_restart(tmp_path, monkeypatch):
    from conftest import write_sample_store

    store = write_sample_store(tmp_path / "store")
    monkeypatch.setenv("KG_STORE", str(store.root))
    at = AppTest.from_file(str(PAGES / "overview.py"), default_timeout=TIMEOUT).run()
    assert {m.label: m.value for m in at.metric}["数据版本"] == "000001"
    write_sample_store(tmp_path / "store")
    at.run()
    no_failure(at)
    assert {m.label: m.value for m in at.metric}["数据版本"] == "000002"


def test_a_missing_store_is_built_from_the_bundled_reports(tmp_path, monkeypatch):
    root = tmp_path / "fresh"
    monkeypatch.setenv("KG_STORE", str(root))
    at = AppTest.from_file(str(PAGES / "overview.py"), default_timeout=120).run()
    no_failure(at)
    assert not at.error, [e.value for e in at.error]
    assert (root / "current").exists()
    assert any("huli-2026" in link for link in at.dataframe[0].value["标题"])


# --- the SPARQL workbench ---------------------------------------------------------------------


def test_a_saved_query_named_in_the_url_opens_and_runs(built_store, monkeypatch):
    at = page("sparql", built_store, monkeypatch, query="targets")
    no_failure(at)
    assert not at.error, [e.value for e in at.error]
    assert "用时" in texts(at)  # "N 行，用时 T 毫秒"
    assert at.text_area(key="sq_text").value.startswith("# name: targets")
    assert at.text_input(key="sq_param_kind").value == ""
    table = at.dataframe[0].value
    assert len(table) > 0 and {"indicator", "value", "unit", "region"} <= set(table.columns)
    assert at.query_params["query"] == "targets"


# (page, every row?) → rows shown of the bundled reports' figures (pages of 500)
PAGE_PICKS = [(1, False, 500), (3, False, None), (1, True, None)]


@pytest.mark.parametrize(("number", "every_row", "rows"), PAGE_PICKS)
def test_a_listing_query_runs_the_page_picked(built_store, monkeypatch, number, every_row, rows):
    at = page("sparql", built_store, monkeypatch, query="targets")
    total = len(built_store.query(saved_queries()["targets"].bind(page=None)).rows)
    at.number_input(key="sq_page").set_value(number)
    if every_row:
        at.checkbox(key="sq_all_rows").check()
    next(b for b in at.button if b.label == "运行").click().run()
    no_failure(at)
    expected = rows if rows is not None else (total if every_row else min(500, total - 1000))
    assert len(at.dataframe[0].value) == expected


def test_saved_query_parameters_come_from_the_url(sample_store, monkeypatch):
    at = page("sparql", sample_store, monkeypatch, query="targets", kind="Achievement")
    no_failure(at)
    assert at.text_input(key="sq_param_kind").value == "Achievement"
    assert set(at.dataframe[0].value["figureKind"]) == {"Achievement"}
    assert (at.query_params["query"], at.query_params["kind"]) == ("targets", "Achievement")


def test_a_query_text_in_the_url_runs_with_labels_and_links(sample_store, monkeypatch):
    query = (
        "SELECT ?pillar ?n WHERE { ?pillar a <https://w3id.org/policy-kg/def#Pillar> ; "
        "<https://w3id.org/policy-kg/def#ordinal> ?n } ORDER BY ?n"
    )
    at = page("sparql", sample_store, monkeypatch, q=query)
    no_failure(at)
    assert "2 行" in texts(at)
    table = at.dataframe[0].value
    assert list(table["n"]) == [1, 2]
    first = table["pillar"][0]
    assert first.startswith("./entity?iri=" + quote(f"{SAMPLE_REPORT}/section/1/pillar/1", safe=""))
    assert first.endswith("#" + quote("扩大有效投资", safe=""))  # the label the table shows


def test_running_an_edited_query_puts_it_in_the_url(sample_store, monkeypatch):
    at = page("sparql", sample_store, monkeypatch)
    query = "ASK { ?s ?p ?o }"
    at.text_area(key="sq_text").input(query)
    next(b for b in at.button if b.label == "运行").click().run()
    no_failure(at)
    assert at.query_params["q"] == query
    assert "结果：true" in texts(at)


def test_opening_a_saved_query_from_the_gallery(sample_store, monkeypatch):
    at = page("sparql", sample_store, monkeypatch)
    at.button(key="sq_open_pillars-and-measures").click().run()
    no_failure(at)
    assert at.query_params["query"] == "pillars-and-measures"
    assert at.text_area(key="sq_text").value.startswith("# name: pillars-and-measures")
    assert "用时" in texts(at)


REFUSALS = [
    ("INSERT DATA { <urn:a> <urn:b> <urn:c> }", "查询被拒绝", "refused"),
    ("LOAD <http://example.org/data.ttl>", "查询被拒绝", "refused"),
    ("SELECT * WHERE { SERVICE <http://example.org/sparql> { ?s ?p ?o } }", "查询被拒绝", "SERVICE is refused"),
    ("SELECT * WHERE { ?s ?p ", "SPARQL 语法错误", "syntax error"),
    ("SELECT * WHERE { ?s nope:p ?o }", "SPARQL 语法错误", "syntax error"),
]


@pytest.mark.parametrize(("query", "title", "message"), REFUSALS)
def test_refusals_and_syntax_errors_are_shown(sample_store, monkeypatch, query, title, message):
    at = page("sparql", sample_store, monkeypatch, q=query)
    no_failure(at)
    errors = [e.value for e in at.error]
    assert len(errors) == 1 and title in errors[0] and message in errors[0]
    assert not at.dataframe


def test_a_slow_query_is_stopped_at_its_time_limit(sample_store, monkeypatch):
    at = page("sparql", sample_store, monkeypatch)
    at.number_input(key="sq_timeout").set_value(1)
    at.text_area(key="sq_text").input("SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i }")
    next(b for b in at.button if b.label == "运行").click().run()
    no_failure(at)
    errors = [e.value for e in at.error]
    assert len(errors) == 1 and "查询超时" in errors[0] and "time limit of 1 s" in errors[0]


def test_the_time_limit_is_kept_in_the_url(sample_store, monkeypatch):
    at = page("sparql", sample_store, monkeypatch, q="SELECT * WHERE { ?s ?p ?o } LIMIT 1", timeout="3")
    no_failure(at)
    assert at.number_input(key="sq_timeout").value == 3 and at.query_params["timeout"] == "3"
    at.number_input(key="sq_timeout").set_value(5)
    next(b for b in at.button if b.label == "运行").click().run()
    assert at.query_params["timeout"] == "5"


def test_an_unknown_saved_query_is_named(sample_store, monkeypatch):
    at = page("sparql", sample_store, monkeypatch, query="no-such-query")
    no_failure(at)
    assert "no-such-query" in at.error[0].value and "targets" in at.error[0].value


# --- the graph view ---------------------------------------------------------------------------


def test_the_graph_starts_from_a_report(built_store, monkeypatch):
    report = explore.reports(built_store)[0]
    at = page("graph", built_store, monkeypatch, focus=report.iri, depth="1")
    no_failure(at)
    assert report.title in texts(at)
    assert at.query_params["focus"] == report.iri and at.query_params["depth"] == "1"
    assert at.selectbox(key="graph_report").value == report.iri


def test_the_graph_of_a_pillar_at_depth_two(sample_store, monkeypatch):
    pillar = f"{SAMPLE_REPORT}/section/1/pillar/2"
    at = page("graph", sample_store, monkeypatch, focus=pillar, depth="2")
    no_failure(at)
    assert at.radio(key="graph_mode").value == "pillar"
    assert at.radio(key="graph_depth").value == 2
    assert "培育新兴产业" in texts(at)
    assert "&lt;科技&gt;" in texts(at)  # node list: labels escaped
    assert "<科技>" not in texts(at)


def test_the_graph_finds_a_start_by_label(sample_store, monkeypatch):
    at = page("graph", sample_store, monkeypatch)
    at.radio(key="graph_mode").set_value("search").run()
    at.text_input(key="graph_query").input("科技创新").run()
    assert at.query_params["find"] == "科技创新"  # the search, before a hit is chosen, is in the URL too
    hit = at.selectbox(key="graph_hit")
    assert any(o.startswith("强化科技创新") for o in hit.options)
    hit.set_value(f"{SAMPLE_REPORT}/section/1/pillar/2/measure/1").run()
    no_failure(at)
    assert at.query_params["focus"] == f"{SAMPLE_REPORT}/section/1/pillar/2/measure/1"


def test_a_label_search_on_the_graph_page_comes_back_from_its_url(sample_store, monkeypatch):
    at = page("graph", sample_store, monkeypatch, find="科技创新")
    no_failure(at)
    assert at.radio(key="graph_mode").value == "search" and at.text_input(key="graph_query").value == "科技创新"
    assert any(o.startswith("强化科技创新") for o in at.selectbox(key="graph_hit").options)


def test_the_graph_of_an_unknown_iri_says_so(sample_store, monkeypatch):
    at = page("graph", sample_store, monkeypatch, focus=f"{DATA_NS}nothing", depth="1")
    no_failure(at)
    assert f"{DATA_NS}nothing" in at.warning[0].value


# --- the entity page --------------------------------------------------------------------------


def test_an_entity_page_shows_labels_facts_and_marked_sources(sample_store, monkeypatch):
    company = explore.search(sample_store, "星河")[0].iri
    at = page("entity", sample_store, monkeypatch, iri=company)
    no_failure(at)
    shown = texts(at)
    assert "&lt;科技&gt;&amp;公司" in shown and "<科技>" not in shown  # escaped everywhere
    assert "<mark>星河&lt;科技&gt;&amp;公司</mark>" in shown
    assert "pol:involvesOrganization" in shown  # a link pointing at it
    assert "./graph?focus=" + quote(company, safe="") in shown
    assert "./entity?iri=" + quote(SAMPLE_REPORT, safe="") in shown  # its report


def test_an_entity_page_for_the_bundled_report(built_store, monkeypatch):
    report = explore.reports(built_store)[0]
    at = page("entity", built_store, monkeypatch, iri=report.iri)
    no_failure(at)
    shown = texts(at)
    assert report.title in shown and "pol:hasSection" in shown


def test_an_entity_read_from_many_places_shows_its_sources_a_page_at_a_time(built_store, monkeypatch):
    regions = {r.region_iri for r in explore.reports(built_store)}
    region, sources = max(((i, explore.entity_sources(built_store, i)) for i in regions), key=lambda x: len(x[1]))
    assert len(sources) > 20
    at = page("entity", built_store, monkeypatch, iri=region)
    no_failure(at)
    quoted = [m.value for m in at.markdown if "<blockquote" in m.value]
    assert len(quoted) == 20 and "<mark>" in quoted[0]
    pages = at.selectbox(key=f"entity_sources_page {region}")
    assert pages.options[1].startswith("出处 21–")
    pages.set_value(20).run()
    no_failure(at)
    again = [m.value for m in at.markdown if "<blockquote" in m.value]
    assert len(again) == min(20, len(sources) - 20) and again[0] not in quoted
    # the neighbours are things among the facts shown, so each has its label and its link there
    tables = " ".join(m.value for m in at.markdown if m.value.startswith("<table"))
    assert at.subheader[-1].value == "相邻节点"
    neighbours = re.findall(r'href="([^"]+)"', at.markdown[-1].value)
    assert neighbours and all(f'href="{h}"' in tables for h in neighbours)


@pytest.mark.parametrize(
    ("iri", "kind", "message"),
    [(f"{DATA_NS}nothing/here", "warning", "nothing/here"), ("not an iri", "error", "not an iri")],
)
def test_an_unknown_or_bad_iri_is_a_clear_message(sample_store, monkeypatch, iri, kind, message):
    at = page("entity", sample_store, monkeypatch, iri=iri)
    no_failure(at)
    assert message in getattr(at, kind)[0].value


def test_the_entity_page_without_an_iri_offers_search(sample_store, monkeypatch):
    at = page("entity", sample_store, monkeypatch)
    at.text_input[0].input("示例区").run()
    no_failure(at)
    assert "./entity?iri=" in texts(at)


# --- figures ----------------------------------------------------------------------------------


def test_figures_show_the_latest_plan_year_and_every_report_when_cleared(built_store, monkeypatch):
    at = page("figures", built_store, monkeypatch)
    no_failure(at)
    reports = explore.reports(built_store)
    latest = max(r.plan_year for r in reports)
    assert at.multiselect[1].value == [latest]
    shown = explore.figures(built_store, explore.chosen_reports(reports, years=[latest]))
    assert len(at.dataframe[0].value) == len(shown) > 0
    at.multiselect[1].set_value([]).run()  # no plan year chosen: every report, the first of them read first
    no_failure(at)
    every = [r.iri for r in reports]
    first = explore.first_reports(reports, every)
    assert 0 < len(first) < len(every)
    assert len(at.dataframe[0].value) == len(explore.figures(built_store, first))
    at.toggle(key="fig_every").set_value(True).run()  # and all of them when asked
    no_failure(at)
    assert len(at.dataframe[0].value) == len(explore.figures(built_store)) > 0


def test_figures_of_one_region(built_store, monkeypatch):
    at = page("figures", built_store, monkeypatch)
    at.multiselect[0].set_value(["湖里区"]).run()
    no_failure(at)
    table = at.dataframe[0].value
    huli = [r.iri for r in explore.reports(built_store) if r.region == "湖里区"]
    assert len(table) == len(explore.figures(built_store, huli)) > 0
    assert len(table) < len(explore.figures(built_store))


def test_figures_show_an_upper_bound_only_where_a_range_has_one(built_store, monkeypatch):
    at = page("figures", built_store, monkeypatch)
    at.multiselect[0].set_value(["浙江省"]).run()
    no_failure(at)
    table = at.dataframe[0].value
    ranges = table[table["upper"] != ""]
    assert ("5", "5.5") in {(f"{v:g}", u) for v, u in zip(ranges["value"], ranges["upper"])}  # GDP growth 5–5.5%
    assert len(ranges) < len(table)  # the others: an empty cell, not "None" or NaN
    assert not table["upper"].isna().any()


FILTERS = [
    ({}, 6),
    ({"plan_year": []}, 6),
    ({"plan_year": [2026], "region": ["示例区"]}, 6),
    ({"kind": ["Achievement"]}, 2),
    ({"unit": ["%"]}, 4),
    ({"year": [2026]}, 4),
    ({"year": [2025], "unit": ["个"]}, 1),
]


@pytest.mark.parametrize(("filters", "rows"), FILTERS)
def test_figures_filter_by_region_plan_year_year_kind_and_unit(sample_store, monkeypatch, filters, rows):
    at = page("figures", sample_store, monkeypatch)
    order = {"region": 0, "plan_year": 1, "year": 3, "kind": 4, "unit": 5}  # 2: the level
    for name, values in filters.items():
        at.multiselect[order[name]].set_value(values)
    at.run()
    no_failure(at)
    assert len(at.dataframe[0].value) == rows
    assert at.selectbox(key="fig_indicator").value is not None


# --- years and levels: did the target land, and what the store holds ----------------------------------------

# (URL parameters) → (region and indicator shown, years in the table, 2015's verdict, its outcome's report)
OUTCOME_VIEWS = [
    ({"region": "中华人民共和国", "indicator": "gdp-growth"}, ("中华人民共和国", "gdp-growth"), [2015, 2016, 2017, 2018, 2019],
     "达到", "national-2016"),
    ({"region": "中华人民共和国", "indicator": "urban-new-jobs"}, ("中华人民共和国", "urban-new-jobs"),
     [2015, 2016, 2017, 2018, 2019], "达到", "national-2016"),
    ({"region": "福建省", "indicator": "gdp-growth"}, ("福建省", "gdp-growth"), [2026], None, None),
]


@pytest.mark.parametrize(("params", "shown", "years", "verdict_2015", "outcome_report"), OUTCOME_VIEWS)
def test_the_target_vs_outcome_view_is_reproduced_by_its_url(built_store, monkeypatch, params, shown, years,
                                                              verdict_2015, outcome_report):
    at = page("outcomes", built_store, monkeypatch, **params)
    no_failure(at)
    assert (at.selectbox(key="outcome_region").value, at.selectbox(key="outcome_indicator").value) == shown
    table = at.dataframe[-1].value
    assert list(table["year"]) == years
    assert all(link.startswith("./entity?iri=") for link in table["target_sentence"])
    if verdict_2015 is None:  # the latest report: no later one states the outcome
        assert set(table["verdict"]) == {"无法比较"} and set(table["reason"]) == {"尚无后续报告"}
    else:
        first = table[table["year"] == 2015].iloc[0]
        assert first["verdict"] == verdict_2015
        assert quote(f"report/{outcome_report}/statement/", safe="") in first["outcome_sentence"]
    assert (at.query_params["region"], at.query_params["indicator"]) == shown


def test_picking_another_indicator_puts_it_in_the_url(built_store, monkeypatch):
    at = page("outcomes", built_store, monkeypatch, region="中华人民共和国", indicator="gdp-growth")
    at.selectbox(key="outcome_indicator").set_value("cpi-growth").run()
    no_failure(at)
    assert at.query_params["indicator"] == "cpi-growth"
    table = at.dataframe[-1].value
    assert set(table["target"]) == {"≈3"} and set(table["tolerance"]) == {"0.5"}


def test_the_overview_shows_the_years_and_levels_held(built_store, monkeypatch):
    at = page("overview", built_store, monkeypatch)
    no_failure(at)
    assert "年份与层级" in [s.value for s in at.subheader]
    table = at.dataframe[-1].value
    assert list(table.index) == ["国家级", "省级", "县级"]
    assert [int(table.loc["国家级", str(y)]) for y in range(2015, 2020)] == [1, 1, 1, 1, 1]
    assert int(table.loc["省级", "2026"]) == 8 and int(table.loc["国家级", "2026"]) == 0


def test_the_target_vs_outcome_view_opens_on_the_nation(built_store, monkeypatch):
    at = page("outcomes", built_store, monkeypatch)
    no_failure(at)
    assert at.selectbox(key="outcome_region").value == "中华人民共和国"
    assert at.selectbox(key="outcome_indicator").value == "gdp-growth"  # what people compare first
    assert at.query_params["region"] == "中华人民共和国" and at.query_params["indicator"] == "gdp-growth"


def test_a_link_to_the_old_place_of_the_target_vs_outcome_view_opens_its_page(built_store, monkeypatch):
    monkeypatch.setenv("KG_STORE", str(built_store.root))
    at = AppTest.from_file(str(PAGES.parent / "app.py"), default_timeout=TIMEOUT)
    at.switch_page("pages/figures.py")
    at.query_params["region"], at.query_params["indicator"] = "中华人民共和国", "cpi-growth"
    at.run()
    no_failure(at)
    assert at.selectbox(key="outcome_indicator").value == "cpi-growth"
    assert (at.query_params["region"], at.query_params["indicator"]) == ("中华人民共和国", "cpi-growth")


def test_the_figures_page_links_to_the_target_vs_outcome_page(built_store, monkeypatch):
    at = page("figures", built_store, monkeypatch)
    no_failure(at)
    assert "(./outcomes)" in texts(at) and "outcome_region" not in [s.key for s in at.selectbox]


# pages whose links carry a `page` parameter of their own (more hits than one page): once a TypeError at render
PAGED_VIEWS = [
    ("search", {"q": "发展"}),
    ("search", {"q": "发展", "page": "2"}),
    ("browse", {}),
    ("browse", {"page": "2"}),
]


@pytest.mark.parametrize(("name", "params"), PAGED_VIEWS)
def test_a_view_with_more_than_one_page_links_to_the_next(built_store, monkeypatch, name, params):
    at = page(name, built_store, monkeypatch, **params)
    no_failure(at)
    assert "page=" in texts(at)


def test_a_pillar_is_picked_from_its_reports_pillars(built_store, monkeypatch):
    reports = explore.reports(built_store)
    first, other = reports[0].iri, reports[1].iri
    pillar = explore.pillars(built_store, first)[1]
    at = page("graph", built_store, monkeypatch, focus=pillar.iri, depth="1")
    no_failure(at)
    assert at.radio(key="graph_mode").value == "pillar"
    assert at.selectbox(key="graph_pillar_report").value == first  # the focus pillar's report
    listed = at.selectbox(key="graph_pillar")
    assert listed.value == pillar.iri
    assert list(listed.options) == [p.label for p in explore.pillars(built_store, first)]  # that report's alone
    at.selectbox(key="graph_pillar_report").set_value(other).run()
    no_failure(at)
    assert at.selectbox(key="graph_pillar_report").value == other  # the reader's choice holds
    assert list(at.selectbox(key="graph_pillar").options) == [p.label for p in explore.pillars(built_store, other)]
    assert at.query_params["focus"] == pillar.iri  # nothing picked yet: the view stays


def first_page_of_a_build(store, monkeypatch):
    """A server's first page of a build (/entity, through the router), after which the router's preload runs."""
    import streamlit as st

    monkeypatch.syspath_prepend(str(PAGES))
    import _ui

    monkeypatch.setattr(_ui, "_WARMED", set())
    st.cache_data.clear()
    monkeypatch.setenv("KG_STORE", str(store.root))
    first = AppTest.from_file(str(PAGES.parent / "app.py"), default_timeout=TIMEOUT)
    first.switch_page("pages/entity.py")
    no_failure(first.run())
    return _ui


def test_the_first_page_of_a_build_reads_the_labels_a_search_by_name_looks_in(built_store, monkeypatch):
    """After a server's first page of a build, the router's preload reads the build's labels on a thread of its own:
    /graph's find and /entity?q= then search them without reading them."""
    import threading

    from kg_build import explore

    monkeypatch.setattr(explore, "_LABEL_TEXTS", {})
    first_page_of_a_build(built_store, monkeypatch)
    for thread in [t for t in threading.enumerate() if t.name == "kg-labels"]:
        thread.join(60)
    assert list(explore._LABEL_TEXTS) == [explore._build_key(built_store)]
    read: list[str] = []
    real = explore._select
    monkeypatch.setattr(explore, "_select", lambda store, sparql: read.append(sparql) or real(store, sparql))
    assert explore.search(built_store, "湖里")
    assert not [q for q in read if "SELECT DISTINCT ?l" in q]


def test_the_first_page_of_a_build_reads_the_names_of_the_reports_regions(built_store, monkeypatch):
    """The router's preload reads the names of the reports' regions, which / and /figures show: / then draws its
    table of reports without looking them up."""
    from kg_build import explore

    looked_up: list[tuple[str, ...]] = []
    real = explore.labels
    monkeypatch.setattr(explore, "labels",
                        lambda store, iris, **kw: looked_up.append(tuple(iris)) or real(store, iris, **kw))
    ui = first_page_of_a_build(built_store, monkeypatch)
    regions = ui.region_iris(explore.reports(built_store))
    assert regions and regions in looked_up
    looked_up.clear()
    overview = page("overview", built_store, monkeypatch)
    no_failure(overview)
    assert regions not in looked_up and len(overview.dataframe[0].value) == len(explore.reports(built_store))


def test_the_first_page_of_a_build_reads_the_figures_that_figures_opens_on(built_store, monkeypatch):
    """The router's preload, after a server's first page of a build, reads the figures /figures opens on: a reader's
    first visit finds them read."""
    from kg_build import explore

    read: list[tuple[str, ...]] = []
    real = explore.figures
    monkeypatch.setattr(explore, "figures",
                        lambda store, reports, **kw: read.append(tuple(reports)) or real(store, reports, **kw))
    first_page_of_a_build(built_store, monkeypatch)
    assert read == [explore.default_figure_reports(explore.reports(built_store))]
    figures = page("figures", built_store, monkeypatch)
    no_failure(figures)
    assert len(read) == 1 and len(figures.dataframe[0].value) > 0  # the page drew what preload read
