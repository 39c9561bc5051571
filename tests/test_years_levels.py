"""Years and levels: the nation as a region, did each target land (target-vs-outcome), and how targets amplify
from the nation to provinces to districts (target-amplification), on small stores made through the model layer."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path

import pytest

from kg_build import document as d
from kg_build.model.graph import document_quads
from kg_build.model.nquads import serialize
from kg_build.model.vocab import DATA_NS, ONTOLOGY_GRAPH
from kg_build.queries import get_saved_query
from kg_build.resources import ontology_file
from kg_build.store import LocalStore, SelectResult

NATION = "中华人民共和国"
POL = "https://w3id.org/policy-kg/def#"
T, A, C = d.FigureKind.TARGET, d.FigureKind.ACHIEVEMENT, d.Comparator


@dataclass(frozen=True)
class Fig:
    """One figure of a hand-made report: what it measures, as written, and how it reads."""

    kind: d.FigureKind
    indicator: str
    surface: str
    value: str
    unit: str
    comparator: d.Comparator
    year: int
    upper: str | None = None


def report_quads(report_id: str, region: str, level: str, plan_year: int, figures: list[Fig], *,
                 code: str | None = None) -> list:
    """A report of one sentence per figure, its region a coded place when ``code`` is given."""
    text = "".join(f"{f.indicator}{f.surface}。" for f in figures) + f"{region}。"
    spans, at = [], 0
    for f in figures:
        begin = text.index(f.surface, at + len(f.indicator))
        spans.append(d.Span(begin, begin + len(f.surface)))
        at = begin + len(f.surface) + 1
    region_at = text.rindex(region)
    entities = [] if code is None else [d.Entity(
        d.EntityType.PLACE, region, mentions=[d.Mention(d.EntityType.PLACE, region, d.Span(region_at, region_at + len(region)), "test")],
        admin_code=code,
    )]
    meta = d.ReportMeta(report_id=report_id, region=region, level=level, plan_year=plan_year,
                        review_year=plan_year - 1, source_file=f"{report_id}.txt")
    doc = d.Document(meta=meta, text=d.NormalizedText(text), sections=[])
    extraction = d.Extraction(entities=entities, figures=[
        d.Figure(Decimal(f.value), f.unit, f.comparator, d.Modality.FIRM, f.kind, f.indicator, f.surface, span,
                 year=f.year, upper=Decimal(f.upper) if f.upper else None)
        for f, span in zip(figures, spans)
    ])
    return document_quads(doc, extraction, content_hash=report_id, builder_version="test")


def write_store(root: Path, reports: dict[str, list]) -> LocalStore:
    store = LocalStore(root)
    with store.writer() as writer:
        writer.replace_graph_turtle(ONTOLOGY_GRAPH, ontology_file().read_bytes())
        for report_id, quads in reports.items():
            writer.replace_graph(f"{DATA_NS}report/{report_id}", serialize(quads))
    return store


def rows(store: LocalStore, name: str, **params: str) -> list[dict[str, str | None]]:
    result = store.query(get_saved_query(name).bind(params, page=None))
    assert isinstance(result, SelectResult)
    return [dict(zip(result.variables, (None if v is None else str(v) for v in row))) for row in result.rows]


# --- did the target land: one region per case, a target set in 2025 and the 2026 report's review -------------

GDP, CPI, JOBS = "地区生产总值增长", "居民消费价格涨幅", "城镇新增就业"
PCT, NUM = "unit:PERCENT", "unit:NUM"

# (case, target, outcome stated by the 2026 report or None, verdict, difference, tolerance, reason)
VERDICTS = [
    ("about, inside the tolerance below", Fig(T, GDP, "增长5%左右", "5", PCT, C.ABOUT, 2025), ("增长4.6%", "4.6"), "met", "-0.4", "0.5", ""),
    ("about, beyond the tolerance below", Fig(T, GDP, "增长5%左右", "5", PCT, C.ABOUT, 2025), ("增长4.4%", "4.4"), "missed", "-0.6", "0.5", ""),
    ("about, above a floor", Fig(T, GDP, "增长5%左右", "5", PCT, C.ABOUT, 2025), ("增长6.2%", "6.2"), "met", "1.2", "0.5", ""),
    ("about, a price ceiling held", Fig(T, CPI, "3%左右", "3", PCT, C.ABOUT, 2025), ("2%", "2"), "met", "-1", "0.5", ""),
    ("about, a price ceiling broken", Fig(T, CPI, "3%左右", "3", PCT, C.ABOUT, 2025), ("3.6%", "3.6"), "missed", "0.6", "0.5", ""),
    ("about a count: 5% of the target", Fig(T, JOBS, "1000万人左右", "10000000", NUM, C.ABOUT, 2025), ("960万人", "9600000"), "met", "-400000", "500000", ""),
    ("range, inside", Fig(T, GDP, "增长5%-5.5%", "5", PCT, C.BETWEEN, 2025, "5.5"), ("增长5.2%", "5.2"), "met", "0", None, ""),
    ("range, above", Fig(T, GDP, "增长5%-5.5%", "5", PCT, C.BETWEEN, 2025, "5.5"), ("增长5.8%", "5.8"), "missed", "0.3", None, ""),
    ("range, below", Fig(T, GDP, "增长5%-5.5%", "5", PCT, C.BETWEEN, 2025, "5.5"), ("增长4.8%", "4.8"), "missed", "-0.2", None, ""),
    ("range, on its lower bound", Fig(T, GDP, "增长5%-5.5%", "5", PCT, C.BETWEEN, 2025, "5.5"), ("增长5%", "5"), "met", "0", None, ""),
    ("at least, reached", Fig(T, JOBS, "1000万人以上", "10000000", NUM, C.AT_LEAST, 2025), ("1312万人", "13120000"), "met", "3120000", None, ""),
    ("at least, exactly", Fig(T, JOBS, "1000万人以上", "10000000", NUM, C.AT_LEAST, 2025), ("1000万人", "10000000"), "met", "0", None, ""),
    ("at least, short", Fig(T, JOBS, "1000万人以上", "10000000", NUM, C.AT_LEAST, 2025), ("900万人", "9000000"), "missed", "-1000000", None, ""),
    ("more than, exactly is short", Fig(T, JOBS, "超1000万人", "10000000", NUM, C.MORE_THAN, 2025), ("1000万人", "10000000"), "missed", "0", None, ""),
    ("at most, held", Fig(T, "城镇登记失业率", "4.5%以内", "4.5", PCT, C.AT_MOST, 2025), ("4.02%", "4.02"), "met", "-0.48", None, ""),
    ("at most, broken", Fig(T, "城镇登记失业率", "4.5%以内", "4.5", PCT, C.AT_MOST, 2025), ("4.6%", "4.6"), "missed", "0.1", None, ""),
    ("less than, exactly is broken", Fig(T, "城镇登记失业率", "低于4.5%", "4.5", PCT, C.LESS_THAN, 2025), ("4.5%", "4.5"), "missed", "0", None, ""),
    ("equal, a floor exceeded", Fig(T, JOBS, "50万人", "500000", NUM, C.EQUAL, 2025), ("54.58万人", "545800"), "met", "45800", "0", ""),
    ("equal, a floor missed", Fig(T, JOBS, "50万人", "500000", NUM, C.EQUAL, 2025), ("49万人", "490000"), "missed", "-10000", "0", ""),
    ("no outcome stated", Fig(T, GDP, "增长5%左右", "5", PCT, C.ABOUT, 2025), None, "not comparable", None, "0.5", "no outcome stated"),
]
# provinces, one a case (coded places, so each case is its own region)
PROVINCE_CODES = ["110000", "120000", "130000", "140000", "150000", "210000", "220000", "230000", "310000", "320000",
                  "330000", "340000", "350000", "360000", "370000", "410000", "420000", "430000", "440000", "450000",
                  "460000", "500000", "510000"]


def _province(i: int) -> tuple[str, str]:
    from kg_build.extract.places import gazetteer

    code = PROVINCE_CODES[i]
    return gazetteer().by_code[code].name, code


def _verdict_reports() -> dict[str, list]:
    reports: dict[str, list] = {}
    for i, (_, target, outcome, *_) in enumerate(VERDICTS):
        name, code = _province(i)
        reports[f"p{i}-2025"] = report_quads(f"p{i}-2025", name, "province", 2025, [target], code=code)
        stated = [] if outcome is None else [
            Fig(A, target.indicator, outcome[0], outcome[1], target.unit, C.EQUAL, 2025)
        ]
        # the 2026 report also states its own 2026 target, so it is a later report of the region
        stated.append(Fig(T, target.indicator, target.surface, target.value, target.unit, target.comparator, 2026, target.upper))
        reports[f"p{i}-2026"] = report_quads(f"p{i}-2026", name, "province", 2026, stated, code=code)
    # different units: a per-capita GDP target in yuan, its outcome stated in dollars
    name, code = _province(len(VERDICTS))
    reports["units-2025"] = report_quads("units-2025", name, "province", 2025,
                                         [Fig(T, "人均地区生产总值", "10万元以上", "100000", "cur:CNY", C.AT_LEAST, 2025)], code=code)
    reports["units-2026"] = report_quads("units-2026", name, "province", 2026,
                                         [Fig(A, "人均地区生产总值", "1.5万美元", "15000", "cur:USD", C.EQUAL, 2025)], code=code)
    # no outcome yet: the region's latest report is the one that set the target
    name, code = _province(len(VERDICTS) + 1)
    reports["latest-2026"] = report_quads("latest-2026", name, "province", 2026,
                                          [Fig(T, GDP, "增长5%左右", "5", PCT, C.ABOUT, 2026)], code=code)
    return reports


@pytest.fixture(scope="module")
def verdict_store(tmp_path_factory: pytest.TempPathFactory) -> LocalStore:
    return write_store(tmp_path_factory.mktemp("verdicts"), _verdict_reports())


@pytest.fixture(scope="module")
def verdict_rows(verdict_store: LocalStore) -> list[dict[str, str | None]]:
    return rows(verdict_store, "target-vs-outcome")


def _decimal(text: str | None) -> Decimal | None:
    return None if text is None else Decimal(text)


@pytest.mark.parametrize(("case", "target", "outcome", "verdict", "difference", "tolerance", "reason"), VERDICTS,
                         ids=[v[0] for v in VERDICTS])
def test_target_vs_outcome_verdicts(verdict_rows, case, target, outcome, verdict, difference, tolerance, reason) -> None:
    name, _ = _province([v[0] for v in VERDICTS].index(case))
    found = [r for r in verdict_rows if r["regionName"] == name and r["year"] == "2025"]
    assert len(found) == 1, found
    row = found[0]
    assert (row["verdict"], row["reason"]) == (verdict, reason)
    assert _decimal(row["difference"]) == _decimal(difference)
    assert _decimal(row["tolerance"]) == _decimal(tolerance)
    assert row["comparator"] == target.comparator.value and _decimal(row["value"]) == Decimal(target.value)
    assert row["targetReport"].endswith("-2025") and target.surface in row["targetSentence"]
    if outcome is None:
        assert row["outcome"] is None and row["outcomeReport"] is None
    else:
        assert _decimal(row["outcome"]) == Decimal(outcome[1]) and row["outcomeReport"].endswith("-2026")
        assert outcome[0] in row["outcomeSentence"]


NOT_COMPARABLE = [
    # (region index, year, reason)
    (len(VERDICTS), "2025", "different units"),
    (len(VERDICTS) + 1, "2026", "no outcome yet"),
    (0, "2026", "no outcome yet"),
]


@pytest.mark.parametrize(("index", "year", "reason"), NOT_COMPARABLE)
def test_targets_that_cannot_be_judged_say_why(verdict_rows, index, year, reason) -> None:
    name, _ = _province(index)
    [row] = [r for r in verdict_rows if r["regionName"] == name and r["year"] == year]
    assert (row["verdict"], row["reason"], row["difference"]) == ("not comparable", reason, None)


PARAMETERS = [
    # (parameters, regions expected, indicators expected)
    ({"region": _province(3)[0]}, {_province(3)[0]}, {"cpi-growth"}),
    ({"indicator": "cpi-growth"}, {_province(3)[0], _province(4)[0]}, {"cpi-growth"}),
    ({"indicator": "居民消费价格涨幅"}, {_province(3)[0], _province(4)[0]}, {"cpi-growth"}),
    ({"region": _province(0)[0], "indicator": "urban-new-jobs"}, set(), set()),
]


@pytest.mark.parametrize(("params", "regions", "indicators"), PARAMETERS)
def test_target_vs_outcome_takes_a_region_and_an_indicator(verdict_store, params, regions, indicators) -> None:
    found = rows(verdict_store, "target-vs-outcome", **params)
    assert {r["regionName"] for r in found} == regions
    assert {r["slug"] for r in found} == indicators


# --- the nation as a region, and targets beside the parent region's ---------------------------------------------

def _levels_reports() -> dict[str, list]:
    return {
        "national-2026": report_quads("national-2026", NATION, "nation", 2026, [
            Fig(T, "国内生产总值增长", "增长4.5%-5%", "4.5", PCT, C.BETWEEN, 2026, "5"),
            Fig(T, CPI, "2%左右", "2", PCT, C.ABOUT, 2026),
        ]),
        "fujian-2026": report_quads("fujian-2026", "福建省", "province", 2026, [
            Fig(T, GDP, "增长5%左右", "5", PCT, C.ABOUT, 2026),
            Fig(T, JOBS, "50万人", "500000", NUM, C.EQUAL, 2026),
        ], code="350000"),
        "fujian-2025": report_quads("fujian-2025", "福建省", "province", 2025, [
            Fig(T, GDP, "增长5.5%左右", "5.5", PCT, C.ABOUT, 2025),
        ], code="350000"),
        "huli-2026": report_quads("huli-2026", "湖里区", "district", 2026, [
            Fig(T, GDP, "增长6%", "6", PCT, C.EQUAL, 2026),
            Fig(T, "新增城镇就业", "3万人以上", "30000", NUM, C.AT_LEAST, 2026),
        ], code="350206"),
    }


@pytest.fixture(scope="module")
def levels_store(tmp_path_factory: pytest.TempPathFactory) -> LocalStore:
    return write_store(tmp_path_factory.mktemp("levels"), _levels_reports())


def _select(store: LocalStore, sparql: str) -> list[tuple[str, ...]]:
    result = store.query(sparql)
    assert isinstance(result, SelectResult)
    return [tuple(str(v) for v in row) for row in result.rows]


def test_a_national_report_has_the_nation_as_its_region(levels_store) -> None:
    found = _select(levels_store, f"""
        PREFIX skos: <http://www.w3.org/2004/02/skos/core#>
        SELECT DISTINCT ?level ?alt WHERE {{
          <{DATA_NS}report/national-2026> <{POL}region> ?nation .
          ?nation skos:prefLabel "{NATION}"@zh-Hans ; <{POL}adminLevel> ?level ; skos:altLabel ?alt }} ORDER BY ?alt""")
    assert found == [(f"{POL}NationalLevel", "中国"), (f"{POL}NationalLevel", "全国")]


PLACE_CHAIN = [
    # (place, the place it is located in, its level)
    ("湖里区", "厦门市", "CountyLevel"),
    ("厦门市", "福建省", "PrefecturalLevel"),
    ("福建省", NATION, "ProvincialLevel"),
]


@pytest.mark.parametrize(("place", "parent", "level"), PLACE_CHAIN)
def test_places_are_located_up_to_the_nation(levels_store, place, parent, level) -> None:
    found = _select(levels_store, f"""
        PREFIX skos: <http://www.w3.org/2004/02/skos/core#>
        SELECT DISTINCT ?level WHERE {{ ?p skos:prefLabel "{place}"@zh-Hans ; <{POL}locatedIn> ?up ; <{POL}adminLevel> ?level .
                                        ?up skos:prefLabel "{parent}"@zh-Hans }}""")
    assert found == [(f"{POL}{level}",)]


def test_the_nation_profile_covers_every_report_beneath_it(levels_store) -> None:
    found = {(r["place"], r["planYear"]) for r in rows(levels_store, "region-profile", region=NATION)}
    assert found == {(NATION, "2026"), ("福建省", "2026"), ("福建省", "2025"), ("湖里区", "2026")}
    assert {r["place"] for r in rows(levels_store, "region-profile", region="全国")} == {NATION, "福建省", "湖里区"}


AMPLIFICATION = [
    # (region, indicator, year, parent, value, parent value, gap, note)
    ("福建省", "gdp-growth", "2026", NATION, "5", "4.5", "0.5", ""),
    ("福建省", "urban-new-jobs", "2026", NATION, "500000", None, None, f"{NATION} states no urban-new-jobs target for 2026"),
    ("福建省", "gdp-growth", "2025", NATION, "5.5", None, None, f"no report of {NATION} for 2025 in the store"),
    ("湖里区", "gdp-growth", "2026", "福建省", "6", "5", "1", ""),  # 厦门市 has no report: beside the province
    ("湖里区", "urban-new-jobs", "2026", "福建省", "30000", "500000", "-470000", ""),
]


@pytest.fixture(scope="module")
def amplification_rows(levels_store) -> list[dict[str, str | None]]:
    return rows(levels_store, "target-amplification")


@pytest.mark.parametrize(("region", "slug", "year", "parent", "value", "parent_value", "gap", "note"), AMPLIFICATION)
def test_targets_beside_the_parent_regions(amplification_rows, region, slug, year, parent, value, parent_value, gap, note) -> None:
    [row] = [r for r in amplification_rows if (r["regionName"], r["slug"], r["year"]) == (region, slug, year)]
    assert row["parentName"] == parent
    assert (_decimal(row["value"]), _decimal(row["parentValue"]), _decimal(row["gap"])) == (
        _decimal(value), _decimal(parent_value), _decimal(gap))
    assert row["note"] == note


def test_the_nation_has_no_parent_row(amplification_rows) -> None:
    assert not [r for r in amplification_rows if r["regionName"] == NATION]
    huli = [r for r in amplification_rows if r["regionName"] == "湖里区"]
    assert {r["slug"] for r in huli} == {"gdp-growth", "urban-new-jobs"}


def test_the_saved_queries_run_from_the_command_line(levels_store) -> None:
    import csv
    import io

    from click.testing import CliRunner

    from kg_build.cli import main

    runner = CliRunner()
    for name, params, column in [
        ("target-vs-outcome", ["-p", f"region={NATION}"], "verdict"),
        ("target-amplification", ["-p", "region=湖里区", "-p", "indicator=gdp-growth"], "parentName"),
    ]:
        result = runner.invoke(main, ["query", name, *params, "--store", str(levels_store.root), "--format", "csv"])
        assert result.exit_code == 0, result.output
        found = list(csv.DictReader(io.StringIO(result.output)))
        assert found and all(row[column] for row in found), (name, found)


# --- the bundled State Council reports: each year's main targets and the outcomes the next report states ---------

# (standard indicator, year, comparator, target, outcome stated by the next report, verdict), read from the reports
NATIONAL = [
    ("gdp-growth", "2015", "About", "7", "6.9", "met"),
    ("gdp-growth", "2017", "About", "6.5", "6.9", "met"),
    ("gdp-growth", "2018", "About", "6.5", "6.6", "met"),
    ("gdp-growth", "2019", "Between", "6", None, "not comparable"),  # no 2020 report bundled
    ("cpi-growth", "2016", "About", "3", "2", "met"),
    ("cpi-growth", "2018", "About", "3", "2.1", "met"),
    ("urban-new-jobs", "2015", "AtLeast", "10000000", "13120000", "met"),
    ("urban-new-jobs", "2016", "AtLeast", "10000000", "13140000", "met"),
    ("urban-new-jobs", "2017", "AtLeast", "11000000", "13510000", "met"),
    ("urban-new-jobs", "2018", "AtLeast", "11000000", "13610000", "met"),
]


@pytest.fixture(scope="module")
def national_rows(built_store) -> list[dict[str, str | None]]:
    return rows(built_store, "target-vs-outcome", region=NATION)


@pytest.mark.parametrize(("slug", "year", "comparator", "value", "outcome", "verdict"), NATIONAL)
def test_the_bundled_national_targets_meet_their_outcomes(national_rows, slug, year, comparator, value, outcome, verdict):
    [row] = [r for r in national_rows if (r["slug"], r["year"]) == (slug, year)]
    assert (row["comparator"], _decimal(row["value"])) == (comparator, Decimal(value))
    assert _decimal(row["outcome"]) == _decimal(outcome) and row["verdict"] == verdict
    if outcome is not None:
        assert row["outcomeReport"].endswith(f"/national-{int(year) + 1}")
