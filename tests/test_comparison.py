"""Comparing across reports: the bundled graph answers the comparison queries one row per region."""

from click.testing import CliRunner

from kg_build.cli import main
from kg_build.queries import get_saved_query
from kg_build.store import SelectResult

PROVINCES = {"北京市", "上海市", "浙江省", "福建省", "广东省", "河北省", "河南省", "四川省"}
NATION = "中华人民共和国"  # the bundled State Council reports of 2015-2019


def rows(store, name, **params):
    result = store.query(get_saved_query(name).bind(params, page=None))  # every page: a comparison is read whole
    assert isinstance(result, SelectResult)
    return [dict(zip(result.variables, (None if v is None else str(v) for v in row))) for row in result.rows]


def test_gdp_growth_targets_give_one_row_per_region(built_store):
    found = rows(built_store, "gdp-growth-targets")
    regions = [r["region"] for r in found if r["region"] != NATION]
    assert sorted(regions) == sorted(PROVINCES)  # every province states one; the district summary does not
    assert [r["year"] for r in found if r["region"] == NATION] == ["2015", "2016", "2017", "2018", "2019"]  # one a year
    for r in found:
        assert r["unit"] == "PERCENT" and r["comparator"] and r["sentence"] and r["value"]
        assert "生产总值" in r["sentence"] or "经济增长" in r["sentence"]


def test_a_range_gives_both_bounds(built_store):
    zhejiang = [r for r in rows(built_store, "gdp-growth-targets") if r["region"] == "浙江省"]
    assert [(r["value"], r["upper"]) for r in zhejiang] == [("5", "5.5")]


def test_an_indicator_compares_across_regions_by_any_of_its_names(built_store):
    by_alias = rows(built_store, "indicator-across-regions", indicator="生产总值增长")
    by_label = rows(built_store, "indicator-across-regions", indicator="地区生产总值增长")
    assert by_alias == by_label
    targets = {r["region"] for r in by_label if r["figureKind"] == "Target"}
    assert targets == PROVINCES | {NATION}


def test_unemployment_targets_across_regions(built_store):
    found = rows(built_store, "indicator-across-regions", indicator="城镇调查失业率")
    targets = [r for r in found if r["figureKind"] == "Target"]
    assert len({r["region"] for r in targets}) >= 6
    assert {r["comparator"] for r in targets} <= {"AtMost", "About", "Equal", "LessThan"}


def test_shared_initiatives_are_named_by_several_reports(built_store):
    found = rows(built_store, "shared-initiatives")
    assert found and all(int(r["reports"]) >= 2 for r in found)
    labels = {r["label"] for r in found}
    assert any("人工智能+" in label for label in labels)


def test_a_province_profile_includes_the_places_inside_it(built_store):
    places = {r["place"] for r in rows(built_store, "region-profile", region="福建省")}
    assert places == {"福建省", "湖里区"}
    assert {r["place"] for r in rows(built_store, "region-profile", region="厦门市")} == {"湖里区"}


def test_places_are_linked_up_to_their_province(built_store):
    result = built_store.query(
        "PREFIX pol: <https://w3id.org/policy-kg/def#> PREFIX skos: <http://www.w3.org/2004/02/skos/core#> "
        "SELECT DISTINCT ?code WHERE { ?d pol:adminCode '350206' ; pol:locatedIn+ ?up . ?up pol:adminCode ?code }"
    )
    assert isinstance(result, SelectResult)
    assert sorted(str(r[0]) for r in result.rows) == ["350000", "350200"]


def test_the_bundled_graph_conforms_to_the_shapes(built_store):
    result = CliRunner().invoke(main, ["validate", "--store", str(built_store.root)])
    assert result.exit_code == 0, result.output
    assert result.output.startswith("Conforms")
