"""Saved queries: headers, safe parameter binding, and every one parses and runs on the bundled graph."""

import pytest

from kg_build.errors import QueryError
from kg_build.queries import Parameter, bind_parameters, saved_queries, sparql_value
from kg_build.sparql import query_form
from kg_build.store import SelectResult

REQUIRED = ["reports", "pillars-and-measures", "targets", "projects", "organizations", "honors", "entity-mentions"]


def test_the_required_saved_queries_exist_with_headers():
    queries = saved_queries()
    for name in REQUIRED:
        assert name in queries, name
        q = queries[name]
        assert q.title and q.title != name and q.description, name


@pytest.mark.parametrize("name", sorted(saved_queries()))
def test_every_saved_query_parses_as_a_read_only_query(name):
    assert query_form(saved_queries()[name].bind()) in {"SELECT", "CONSTRUCT", "ASK", "DESCRIBE"}


@pytest.mark.parametrize("name", sorted(saved_queries()))
def test_every_saved_query_runs(built_store, name):
    result = built_store.query(saved_queries()[name].bind())
    assert isinstance(result, (SelectResult, bool)) or hasattr(result, "triples")


@pytest.mark.parametrize("name", ["reports", "pillars-and-measures", "targets"])
def test_core_queries_return_rows(built_store, name):
    result = built_store.query(saved_queries()[name].bind())
    assert isinstance(result, SelectResult) and result.rows, name


STRING = Parameter("region", "string", None, "")
IRI = Parameter("entity", "iri", None, "")
YEAR = Parameter("year", "year", None, "")

VALUES = [
    (STRING, "湖里区", '"湖里区"'),
    (STRING, 'a" } ; DROP ALL #', '"a\\" } ; DROP ALL #"'),
    (STRING, "back\\slash", '"back\\\\slash"'),
    (IRI, "https://w3id.org/policy-kg/id/report/huli-2026", "<https://w3id.org/policy-kg/id/report/huli-2026>"),
    (YEAR, "2026", '"2026"^^<http://www.w3.org/2001/XMLSchema#gYear>'),
]


@pytest.mark.parametrize("param,value,expected", VALUES)
def test_parameter_values_are_escaped_terms(param, value, expected):
    assert sparql_value(param, value) == expected


@pytest.mark.parametrize(
    "param,value",
    [(IRI, "http://x> } DROP ALL { <y"), (IRI, "not an iri"), (YEAR, "2026; DROP"), (STRING, "line\nbreak")],
)
def test_bad_parameter_values_are_refused(param, value):
    with pytest.raises(QueryError):
        sparql_value(param, value)


def test_binding_injects_values_in_the_outer_where():
    text = "# WHERE { in a comment\nSELECT ?x WHERE { ?x ?p ?region }"
    bound = bind_parameters(text, (STRING,), {"region": '"} DROP ALL {"'})
    assert 'VALUES (?region) { ("\\"} DROP ALL {\\"") }' in bound
    assert bound.index("VALUES") > bound.index("SELECT")
    assert query_form(bound) == "SELECT"


def test_unknown_parameters_are_named():
    with pytest.raises(QueryError, match="unknown parameter nope"):
        bind_parameters("SELECT * WHERE { ?s ?p ?o }", (STRING,), {"nope": "x"})


PAGED = sorted(name for name, q in saved_queries().items() if q.page_size)


def test_queries_that_list_whole_classes_are_paged():
    assert {"targets", "entity-mentions", "pillars-and-measures", "projects"} <= set(PAGED)


# (page, expected tail of the bound text)
PAGE_CASES = [
    (1, "\nLIMIT 500\n"),
    (2, "\nLIMIT 500 OFFSET 500\n"),
    (7, "\nLIMIT 500 OFFSET 3000\n"),
]


@pytest.mark.parametrize(("page", "tail"), PAGE_CASES)
def test_a_page_is_a_limit_and_offset(page, tail):
    bound = saved_queries()["targets"].bind(page=page)
    assert bound.endswith(tail) and bound.count("LIMIT") == 1
    assert query_form(bound) == "SELECT"


def test_every_row_is_the_query_without_its_limit():
    bound = saved_queries()["targets"].bind(page=None)
    assert "LIMIT 500" not in bound and query_form(bound) == "SELECT"


def test_pages_are_numbered_from_one():
    with pytest.raises(QueryError, match="numbered from 1"):
        saved_queries()["targets"].bind(page=0)


@pytest.mark.parametrize("name", PAGED)
def test_the_pages_of_a_paged_query_put_together_are_every_row_in_order(built_store, name):
    query = saved_queries()[name]
    everything = built_store.query(query.bind(page=None)).rows
    if name in ("targets", "entity-mentions"):
        assert len(everything) > 2 * query.page_size, "the bundled corpus should fill several pages"
    pages, page = [], 1
    while True:
        rows = built_store.query(query.bind(page=page)).rows
        assert len(rows) <= query.page_size
        pages += rows
        if len(rows) < query.page_size:
            break
        page += 1
    assert pages == everything
    assert len(set(everything)) == len(everything)  # no row twice


BAD_PAGE_HEADERS = [
    ("# page-size: 500\nSELECT * WHERE { ?s ?p ?o }", "end with 'LIMIT N'"),
    ("# page-size: 500\nSELECT * WHERE { ?s ?p ?o } LIMIT 50", "end with 'LIMIT N'"),
    ("# page-size: many\nSELECT * WHERE { ?s ?p ?o } LIMIT 50", "whole number"),
]


@pytest.mark.parametrize(("text", "message"), BAD_PAGE_HEADERS)
def test_a_page_size_must_match_the_final_limit(tmp_path, text, message):
    from kg_build.queries import parse_saved_query

    path = tmp_path / "q.rq"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(QueryError, match=message):
        parse_saved_query(path)


def _parts(value) -> set[str]:  # noqa: ANN001 - a GROUP_CONCAT result or None
    return set(str(value).split("、")) if value is not None else set()


def test_organizations_list_every_other_name_and_project_of_each(built_store):
    """What organizations gathers for each organization is what the store states of it, however many reports name it."""
    rows = built_store.query(saved_queries()["organizations"].bind(page=None)).rows  # every page
    got = {str(org): (_parts(alts), _parts(projects)) for org, _, _, alts, projects, _ in rows}
    stated = built_store.query(
        "PREFIX pol: <https://w3id.org/policy-kg/def#> PREFIX skos: <http://www.w3.org/2004/02/skos/core#> "
        "SELECT ?o ?alt ?project WHERE { VALUES ?c { pol:Company pol:GovernmentBody pol:Organization } ?o a ?c . "
        "{ ?o skos:altLabel ?alt } UNION { ?p pol:involvesOrganization ?o ; skos:prefLabel ?project "
        "FILTER(LANGMATCHES(LANG(?project), 'zh-Hans')) } }"
    ).rows
    expected = {org: (set(), set()) for org in got}
    for org, alt, project in stated:
        (expected[str(org)][0] if alt is not None else expected[str(org)][1]).add(str(alt if alt is not None else project))
    assert any(projects for _, projects in expected.values()), "the bundled reports name organizations in projects"
    assert got == expected


def test_organizations_come_by_kind_then_name_then_iri(built_store):
    """The sort keys the query makes order the rows as the class, label and IRI themselves would."""
    rows = built_store.query(saved_queries()["organizations"].bind(page=None)).rows
    keys = [(str(cls), str(label), str(org)) for org, label, cls, *_ in rows]
    assert len({k[0] for k in keys}) > 1 and len(keys) > 50, "the bundled reports name organizations of several kinds"
    assert keys == sorted(keys)


# --- comparing regions by standard indicator (tests/gold/provinces: main targets read by hand) -------

import json  # noqa: E402
from pathlib import Path  # noqa: E402

from kg_build.queries import get_saved_query  # noqa: E402

PROVINCE_GOLD = [json.loads(p.read_text("utf-8")) for p in sorted((Path(__file__).parent / "gold" / "provinces").glob("*.json"))]
COMPARATOR_NAMES = {"eq": "Equal", "gt": "MoreThan", "ge": "AtLeast", "approx": "About", "le": "AtMost", "lt": "LessThan", "between": "Between"}


def _named_rows(store, name, **params) -> list[dict[str, str | None]]:
    result = store.query(get_saved_query(name).bind(params, page=None))
    assert isinstance(result, SelectResult)
    return [dict(zip(result.variables, (None if v is None else str(v) for v in row))) for row in result.rows]


def _stated(slug: str) -> dict[str, list[dict]]:
    """Region → the main targets of that standard indicator its report states (from the hand-made gold)."""
    found: dict[str, list[dict]] = {}
    for gold in PROVINCE_GOLD:
        for item in gold["quantities"]:
            if item["standard_indicator"] == slug:
                found.setdefault(gold["document"]["region"], []).append(item)
    return found


def _same(row: dict, item: dict) -> bool:
    upper = item.get("upper")
    return (
        row["figureKind" if "figureKind" in row else "comparator"] is not None
        and float(row["value"]) == pytest.approx(item["value"])
        and row["comparator"] == COMPARATOR_NAMES[item["comparator"]]
        and (upper is None or (row["upper"] is not None and float(row["upper"]) == pytest.approx(upper)))
    )


def test_gdp_growth_targets_return_every_province_that_states_one_with_its_figure(built_store):
    rows = [r for r in _named_rows(built_store, "gdp-growth-targets") if r["region"] != "中华人民共和国"]  # the nation: series gold
    stated = _stated("gdp-growth")
    assert len(stated) == 8
    assert {r["region"] for r in rows} == set(stated)  # and no other region: the district summary states none
    for region, items in stated.items():
        mine = [r for r in rows if r["region"] == region]
        assert len(mine) == 1 and mine[0]["year"] == "2026" and _same(mine[0], items[0]), (region, mine)


ACROSS = ["gdp-growth", "cpi-growth", "urban-surveyed-unemployment", "grain-output", "urban-new-jobs"]


@pytest.mark.parametrize("slug", ACROSS)
def test_indicator_across_regions_returns_every_region_that_states_the_main_target(built_store, slug):
    rows = [r for r in _named_rows(built_store, "indicator-across-regions", indicator=slug) if r["figureKind"] == "Target"]
    assert rows and all(r["standard"] == slug for r in rows)
    for region, items in _stated(slug).items():
        mine = [r for r in rows if r["region"] == region and r["year"] == "2026"]
        for item in items:
            assert any(_same(r, item) for r in mine), (region, item["quote"], mine)


# (standard indicator slug, its Chinese name, a report's own wording of it)
NAMES = [
    ("gdp-growth", "地区生产总值增长", "经济增长"),
    ("cpi-growth", "居民消费价格涨幅", None),
    ("urban-new-jobs", "城镇新增就业", "新增城镇就业"),
    ("grain-output", "粮食产量", "总产量"),  # 粮食播种面积1584.6万亩、总产量132.4亿斤
]


@pytest.mark.parametrize(("slug", "name", "wording"), NAMES)
def test_an_indicator_is_asked_for_by_slug_by_name_or_by_a_wording(built_store, slug, name, wording):
    by_slug = _named_rows(built_store, "indicator-across-regions", indicator=slug)
    assert by_slug
    assert _named_rows(built_store, "indicator-across-regions", indicator=name) == by_slug
    if wording is not None:
        by_wording = _named_rows(built_store, "indicator-across-regions", indicator=wording)
        assert {r["statement"] for r in by_slug} <= {r["statement"] for r in by_wording}


def test_an_unknown_indicator_gives_no_rows(built_store):
    assert _named_rows(built_store, "indicator-across-regions", indicator="no-such-indicator") == []


@pytest.mark.parametrize(("region", "growth"), [("浙江省", "5–5.5"), ("广东省", "4.5–5"), ("河南省", "5"), ("湖里区", None)])
def test_region_profile_shows_the_gdp_growth_target_however_worded(built_store, region, growth):
    rows = [r for r in _named_rows(built_store, "region-profile", region=region) if r["place"] == region]
    assert len(rows) == 1 and rows[0]["gdpGrowthTarget"] == growth
    assert int(rows[0]["standardIndicators"]) >= (1 if growth else 0)


RESTATED = (
    "示例市政府工作报告\n一、2025年工作回顾\n全市地区生产总值增长5.2%。\n二、2026年工作安排\n"
    "今年经济社会发展主要预期目标是：全市地区生产总值增长5%左右，城镇调查失业率5.5%左右。"
    "提出经济增长预期目标为5%左右，考虑了需要和可能。\n"
)


def test_a_restated_gdp_growth_target_is_one_row_read_from_its_first_statement(tmp_path):
    from kg_build.build import build
    from kg_build.store import LocalStore

    (tmp_path / "shili-2026.txt").write_text(RESTATED, encoding="utf-8")
    store = LocalStore(tmp_path / "store")
    build([tmp_path / "shili-2026.txt"], store=store)
    across = [r for r in _named_rows(store, "indicator-across-regions", indicator="gdp-growth") if r["figureKind"] == "Target"]
    assert len(across) == 2  # both statements measure gdp-growth: 全市地区生产总值增长, 经济增长预期目标
    rows = _named_rows(store, "gdp-growth-targets")
    assert [(r["year"], r["comparator"], r["value"]) for r in rows] == [("2026", "About", "5")]
    assert rows[0]["sentence"].startswith("今年经济社会发展主要预期目标是") and rows[0]["wording"] == "地区生产总值增长"
