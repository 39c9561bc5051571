"""/figures reads the figures of the first chosen reports (the nation, then the provinces …, as far as they hold
``explore.FIRST_FIGURES`` figures), says so, and shows every chosen report's figures when asked (?reports=all)."""

from __future__ import annotations

import pytest
from streamlit.testing.v1 import AppTest

from test_app import PAGES, TIMEOUT, no_failure, texts
from kg_build import explore
from kg_build.explore import FigureFilters, ReportRow


def _row(iri: str, region: str, level: str, year: int | None, figures: int) -> ReportRow:
    return ReportRow(iri=iri, title=iri, region=region, region_iri="", plan_year=year, counts={"figures": figures},
                     level=level)


ROWS = [
    _row("c", "湖里区", "CountyLevel", 2026, 30),
    _row("p1", "福建省", "ProvincialLevel", 2026, 100),
    _row("p0", "北京市", "ProvincialLevel", 2026, 100),
    _row("p0-old", "北京市", "ProvincialLevel", 2025, 100),
    _row("n", "中华人民共和国", "NationalLevel", 2026, 50),
    _row("x", "", "", None, 10),  # no level known: last
]
EVERY = [r.iri for r in ROWS]

# (case, chosen, figures allowed, the reports read first, in order)
FIRST = [
    ("everything fits", EVERY, 1000, ["n", "p0", "p0-old", "p1", "c", "x"]),
    ("nation then provinces by region, the latest year first", EVERY, 249, ["n", "p0"]),
    ("the next one fits", EVERY, 250, ["n", "p0", "p0-old"]),
    ("exactly full", EVERY, 350, ["n", "p0", "p0-old", "p1"]),
    ("one report even when it alone holds more", EVERY, 10, ["n"]),
    ("only those chosen", ["c", "p1"], 100, ["p1"]),
    ("nothing chosen", [], 100, []),
    ("unknown IRIs ignored", ["nope", "c"], 100, ["c"]),
]


@pytest.mark.parametrize(("case", "chosen", "figures", "expected"), FIRST)
def test_the_first_reports(case, chosen, figures, expected):
    assert explore.first_reports(ROWS, chosen, figures=figures) == expected


# (URL parameters, the filters read from them, the parameters written back)
URLS = [
    ({}, FigureFilters(), {}),
    ({"reports": ["all"]}, FigureFilters(every=True), {"reports": ["all"]}),
    ({"reports": ["first"]}, FigureFilters(), {}),
    ({"plans": ["all"], "reports": ["all"]}, FigureFilters(plans=(), every=True), {"plans": ["all"], "reports": ["all"]}),
]


@pytest.mark.parametrize(("params", "filters", "written"), URLS)
def test_every_report_is_kept_in_the_url(params, filters, written):
    read = FigureFilters.from_params(lambda name: params.get(name, []))
    assert read == filters
    assert read.params() == written


def _page(store, monkeypatch, params: dict[str, str]) -> AppTest:
    monkeypatch.setenv("KG_STORE", str(store.root))
    at = AppTest.from_file(str(PAGES / "figures.py"), default_timeout=TIMEOUT)
    for key, value in params.items():
        at.query_params[key] = value
    at.run()
    no_failure(at)
    return at


# (case, URL parameters, every chosen report read?) on the bundled reports (every plan year: more than the first)
VIEWS = [
    ("the first reports", {"plans": "all"}, False),
    ("every report, from the URL", {"plans": "all", "reports": "all"}, True),
]


@pytest.mark.parametrize(("case", "params", "every"), VIEWS)
def test_the_page_reads_the_first_reports_and_all_when_asked(built_store, monkeypatch, case, params, every):
    at = _page(built_store, monkeypatch, params)
    reports = explore.reports(built_store)
    chosen = [r.iri for r in reports]
    first = explore.first_reports(reports, chosen)
    assert 0 < len(first) < len(chosen)  # the bundled reports hold more than the first screen's figures
    read = chosen if every else first
    assert len(at.dataframe[0].value) == len(explore.figures(built_store, read)) > 0
    toggle = at.toggle(key="fig_every")
    assert toggle.value is every and str(len(chosen)) in toggle.label
    notice = f"显示所选 {len(chosen)} 份报告中前 {len(first)} 份的数值"
    assert (notice in texts(at)) is not every
    if not every:  # switched on: every report, and the URL keeps it
        toggle.set_value(True).run()
        no_failure(at)
        assert len(at.dataframe[0].value) == len(explore.figures(built_store, chosen))
        assert at.query_params["reports"] in ("all", ["all"])


def test_a_choice_within_the_first_figures_shows_no_switch(built_store, monkeypatch):
    at = _page(built_store, monkeypatch, {})  # the latest plan year: its reports hold fewer figures
    reports = explore.reports(built_store)
    latest = explore.chosen_reports(reports, years=[max(r.plan_year for r in reports if r.plan_year)])
    assert sorted(explore.first_reports(reports, latest)) == sorted(latest)
    assert len(at.dataframe[0].value) == len(explore.figures(built_store, latest))
    assert not [t for t in at.toggle if t.key == "fig_every"]


def test_every_report_asked_for_stops_at_the_most_figures_and_says_so(built_store, monkeypatch):
    reports = explore.reports(built_store)
    chosen = [r.iri for r in reports]
    first = explore.first_reports(reports, chosen)
    cap = sum(r.counts["figures"] for r in reports if r.iri in first) + 1  # just past the first screen's figures
    monkeypatch.setattr(explore, "MAX_FIGURES", cap)
    most = explore.first_reports(reports, chosen, figures=cap)
    assert len(first) <= len(most) < len(chosen)
    at = _page(built_store, monkeypatch, {"plans": "all", "reports": "all"})
    assert at.toggle(key="fig_every").value is True
    assert len(at.dataframe[0].value) == len(explore.figures(built_store, most))
    assert f"数值过多：显示所选 {len(chosen)} 份报告中前 {len(most)} 份的数值" in texts(at)
    monkeypatch.setattr(explore, "MAX_FIGURES", 10**9)  # room for all: every report, and no such notice
    again = _page(built_store, monkeypatch, {"plans": "all", "reports": "all"})
    assert len(again.dataframe[0].value) == len(explore.figures(built_store, chosen))
    assert "数值过多" not in texts(again)
