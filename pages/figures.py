"""Figures (/figures): the targets and achievements of the chosen reports (region, plan year: the latest by default;
the first of them as far as they hold a few thousand figures, all of them when asked), filtered by year, kind and
unit, and one indicator charted."""

from __future__ import annotations

import sys
from dataclasses import replace
from pathlib import Path

PAGES = str(Path(__file__).resolve().parent)
if PAGES not in sys.path:  # _ui and _i18n, also when Streamlit runs this page without app.py
    sys.path.insert(0, PAGES)

import altair as alt
import pandas as pd
import streamlit as st
from streamlit.errors import StreamlitAPIException
from _ui import (  # noqa: E402
    LABEL_IN_LINK, T, _open_store, cached_figures, cached_reports, class_names, href, key, labelled_links, labels, lang,
    number_text, run_page,
)

from kg_build import explore, panel
from kg_build.explore import POL_NS


COLUMNS = [
    "region", "year", "kind", "indicator", "comparator", "figure", "value", "upper", "unit", "modality", "surface",
    "statement",
]


def _number(value) -> float:
    return float(value)


def main() -> None:
    if "region" in st.query_params or "indicator" in st.query_params:  # a link to the target-vs-outcome view, which
        try:  # was part of this page: opened where it is now
            st.switch_page(str(Path(PAGES) / "outcomes.py"), query_params=_outcome_params("lang"))
        except StreamlitAPIException:  # this page run on its own, outside app.py's pages: a link instead
            st.info(f"[{T('page_outcomes')} →]({href('outcomes', **_outcome_params())})")
    _figures_view()
    st.markdown(f"[{T('page_outcomes')} →]({href('outcomes')})")  # did each target land: a page of its own


def _outcome_params(*more: str) -> dict[str, str]:
    return {k: st.query_params[k] for k in ("region", "indicator", *more) if k in st.query_params}


# --- the filters, kept in the URL (?regions=…&plans=…&levels=…&years=…&kinds=…&units=…&chart=…) ----------------

URL_SEEN = "fig_url"  # the figures' URL parameters as this page last wrote them


def _url_filters() -> explore.FigureFilters:
    return explore.FigureFilters.from_params(st.query_params.get_all)


def _fresh(url: explore.FigureFilters) -> bool:
    """Whether the URL is not what this page last wrote (a reload, a link, a first visit): its filters win."""
    return st.session_state.get(URL_SEEN) != url.params()


def _current(name: str, options: list, wanted: list | tuple, fresh: bool) -> list:
    """The choice of one filter before its widget is drawn: the URL's (when fresh) or the widget's, kept to the
    options there are now."""
    widget = f"fig_{name}"
    current = wanted if fresh or widget not in st.session_state else st.session_state[widget]
    st.session_state[widget] = [o for o in current if o in options]
    return st.session_state[widget]


def _multiselect(column, name: str, label: str, options: list, counts: dict, shown=str, help: str | None = None):
    """A filter whose options show how many there are of each (福建省 (3)), given the other filters' choices."""
    return column.multiselect(label, options, key=f"fig_{name}", placeholder=T("all"), help=help,
                              format_func=lambda o: f"{shown(o)} ({counts.get(o, 0):,})")


def _write_url(filters: explore.FigureFilters) -> None:
    """The filters into the URL (only the parameters that changed), so a reload or a shared link shows this view."""
    wanted = filters.params()
    for name in (*explore.FIGURE_FILTERS, "chart", "reports"):
        values = wanted.get(name)
        if values is None:
            if name in st.query_params:
                del st.query_params[name]
        elif st.query_params.get_all(name) != values:
            st.query_params[name] = values
    st.session_state[URL_SEEN] = wanted


def _figures_view() -> None:
    st.title(T("figures_title"))
    root, generation = key()
    reports = cached_reports(root, generation)
    url = _url_filters()
    fresh = _fresh(url)
    # which reports to read: by default the latest plan year's (a store of many years holds tens of thousands of figures)
    plan_years = sorted({r.plan_year for r in reports if r.plan_year is not None})
    region_options = sorted({r.region for r in reports if r.region})
    level_options = sorted({r.level for r in reports if r.level}, key=lambda v: (explore.LEVEL_ORDER.get(v, 9), v))
    chosen = {
        "regions": _current("regions", region_options, url.regions, fresh),
        "plans": _current("plans", plan_years, plan_years[-1:] if url.plans is None else url.plans, fresh),
        "levels": _current("levels", level_options, url.levels, fresh),
    }
    records = [{"regions": r.region, "plans": r.plan_year, "levels": r.level} for r in reports]
    counts = explore.facet_counts(records, chosen, chosen)
    level_names = labels([POL_NS + v for v in level_options])
    a, b, c = st.columns(3)
    # the URL keeps a region's Chinese name (one key in both languages); the options show it in the reader's
    region_iris = {r.region: r.region_iri for r in reports if r.region and r.region_iri}
    region_names = labels(list(region_iris.values()))
    regions = _multiselect(a, "regions", T("region"), region_options, counts["regions"], help=own("reports_counted"),
                           shown=lambda v: region_names.get(region_iris.get(v, ""), v))
    chosen_years = _multiselect(b, "plans", T("plan_year"), plan_years, counts["plans"], help=own("reports_counted"))
    levels = _multiselect(c, "levels", own("level"), level_options, counts["levels"],
                          shown=lambda v: level_names.get(POL_NS + v, v), help=own("reports_counted"))
    in_view = tuple(explore.chosen_reports(reports, regions=regions, years=chosen_years, levels=levels))
    read = _reports_read(reports, in_view, url.every, fresh)
    language = lang()  # once: the table makes a link per figure
    rows = cached_figures(root, generation, read, language)
    kinds = class_names(["Target", "Achievement"])
    comparators = labels([POL_NS + c for c in sorted({r.comparator for r in rows if r.comparator})])
    modalities = labels([POL_NS + m for m in sorted({r.modality for r in rows if r.modality})])
    # what each figure counts, as a key and as shown: a few dozen units among thousands of figures, worked out once
    unit_of: dict[tuple[str, str, str], tuple[str, str]] = {}
    for r in rows:
        if (r.unit, r.unit_label, r.unit_label_zh) not in unit_of:
            unit_of[r.unit, r.unit_label, r.unit_label_zh] = (explore.unit_key(r), explore.unit_text(r, lang=language))
    row_units = [unit_of[r.unit, r.unit_label, r.unit_label_zh] for r in rows]
    units_shown = dict(row_units)

    d, e, f = st.columns(3)
    figure_records = [{"years": r.year, "kinds": r.kind, "units": u[0]} for r, u in zip(rows, row_units, strict=True)]
    year_options = sorted({r.year for r in rows if r.year is not None})
    unit_options = sorted(u for u in units_shown if u)
    table_chosen = {
        "years": _current("years", year_options, url.years, fresh),
        "kinds": _current("kinds", ["Target", "Achievement"], url.kinds, fresh),
        "units": _current("units", unit_options, url.units, fresh),
    }
    table_counts = explore.facet_counts(figure_records, table_chosen, table_chosen)
    years = _multiselect(d, "years", T("year"), year_options, table_counts["years"], help=own("figures_counted"))
    kind = _multiselect(e, "kinds", T("kind"), ["Target", "Achievement"], table_counts["kinds"],
                        shown=lambda k: kinds.get(k, k), help=own("figures_counted"))
    units = _multiselect(f, "units", T("unit"), unit_options, table_counts["units"],
                         shown=lambda u: units_shown.get(u, u), help=own("figures_counted"))
    kept = explore.matching(figure_records, {"years": years, "kinds": kind, "units": units})
    shown_rows = [rows[i] for i in kept]
    shown_units = [row_units[i][1] for i in kept]
    filters = explore.FigureFilters(
        regions=tuple(regions), plans=None if list(chosen_years) == plan_years[-1:] else tuple(chosen_years),
        levels=tuple(levels), years=tuple(years), kinds=tuple(kind), units=tuple(units),
        every=len(read) > len(explore.first_reports(reports, in_view)),
    )
    shown = pd.DataFrame(
        {
            "region": [r.region for r in shown_rows],
            "year": [r.year for r in shown_rows],
            "kind": [r.kind for r in shown_rows],
            "indicator": [r.indicator for r in shown_rows],
            "comparator": [comparators.get(POL_NS + r.comparator, r.comparator) for r in shown_rows],
            "figure": [explore.figure_text(r) for r in shown_rows],
            "value": [_number(r.value) for r in shown_rows],
            # text, so a figure without an upper bound shows an empty cell (a missing number shows "None")
            "upper": [number_text(r.upper) if r.upper is not None else "" for r in shown_rows],
            "unit": shown_units,
            "modality": [modalities.get(POL_NS + r.modality, r.modality) for r in shown_rows],
            "surface": [r.surface for r in shown_rows],
            "statement": labelled_links([r.statement for r in shown_rows], [r.surface or r.indicator for r in shown_rows],
                                        language=language),
        },
        columns=COLUMNS,
    )

    st.caption(T("rows_count", rows=len(shown)))
    _panel_downloads(root, generation, in_view, everything=len(in_view) == len(reports))
    if shown.empty:
        _write_url(filters)
        st.info(T("no_figures"))
        return
    display = shown.assign(kind=shown["kind"].map(lambda k: kinds.get(k, k))).drop(columns=["surface"])
    if not display["upper"].any():
        display = display.drop(columns=["upper"])
    st.dataframe(
        display,
        hide_index=True,
        column_config={
            "region": T("region"),
            "year": st.column_config.NumberColumn(T("year"), format="%d"),
            "kind": T("kind"),
            "indicator": T("indicator"),
            "comparator": T("comparator"),
            "figure": st.column_config.TextColumn(own("figure"), help=own("figure_help")),
            "value": st.column_config.NumberColumn(T("value"), format="localized"),
            "upper": st.column_config.TextColumn(T("upper")),
            "unit": T("unit"),
            "modality": T("modality"),
            "statement": st.column_config.LinkColumn(T("surface"), display_text=LABEL_IN_LINK),
        },
    )

    st.subheader(T("chart"))
    counted = shown["indicator"].value_counts()
    # First the indicator that most regions set a target for (e.g. 地区生产总值增长): that is what people compare.
    targets = shown[shown["kind"] == "Target"]
    spread = targets.groupby("indicator")["region"].nunique() if len(targets) else {}
    options = sorted((i for i in counted.index if i), key=lambda i: (-int(spread.get(i, 0)), -counted[i], i))  # "": none read
    if "fig_indicator" not in st.session_state or fresh or st.session_state["fig_indicator"] not in options:
        st.session_state["fig_indicator"] = url.chart if url.chart in options else (options[0] if options else None)
    indicator = st.selectbox(T("chart_indicator"), options, key="fig_indicator")
    _write_url(replace(filters, chart=indicator if indicator and options and indicator != options[0] else ""))
    if not indicator:
        st.caption(T("chart_none"))
        return
    _figures_chart([r for r in shown_rows if r.indicator == indicator], indicator, kinds, comparators, language)


def _reports_read(reports: list[explore.ReportRow], in_view: tuple[str, ...], wanted: bool,
                  fresh: bool) -> tuple[str, ...]:
    """The reports whose figures are read: the first of those chosen (``explore.first_reports``: a few thousand
    figures, the nation and the provinces first), or all of them when the reader switches that on (?reports=all).
    Says which, when they are not all: narrowing the choice above, or the switch, shows the others."""
    first = explore.figure_reports(reports, in_view)
    if first == in_view:
        return in_view
    if fresh or "fig_every" not in st.session_state:
        st.session_state["fig_every"] = wanted
    every = st.toggle(own("all_reports").format(total=len(in_view)), key="fig_every", help=own("all_reports_help"))
    if every:
        most = tuple(explore.first_reports(reports, in_view, figures=explore.MAX_FIGURES))
        if len(most) < len(in_view):
            st.caption(own("most_reports").format(shown=len(most), total=len(in_view), most=f"{explore.MAX_FIGURES:,}"))
        return most
    st.caption(own("first_reports").format(shown=len(first), total=len(in_view)))
    return first


def _figures_chart(rows: list[explore.FigureRow], indicator: str, kinds: dict[str, str], comparators: dict[str, str],
                   language: str) -> None:
    """One indicator across regions and years, in its most common unit (named on the axis): a bar per figure, a
    range as a band from its lower to its upper end, and 左右 / 以上 / 以下 as ≈ / ≥ / ≤ above the bar."""
    unit_counts: dict[str, int] = {}
    for r in rows:
        unit_counts[explore.unit_key(r)] = unit_counts.get(explore.unit_key(r), 0) + 1
    unit = sorted(unit_counts, key=lambda u: (-unit_counts[u], u))[0]
    same = [r for r in rows if explore.unit_key(r) == unit]
    unit_name = explore.unit_text(same[0], lang=language)
    if len(unit_counts) > 1:
        st.caption(T("chart_units", unit=unit_name))
    marks = pd.DataFrame([m.__dict__ for m in explore.chart_marks(same)])
    marks = marks.assign(
        kind_name=marks["kind"].map(lambda k: kinds.get(k, k)),
        comparator_name=marks["comparator"].map(lambda c: comparators.get(POL_NS + c, c) if c else ""),
    )
    places = marks["where"].nunique()
    title = explore.axis_title(indicator, unit_name)
    base = alt.Chart(marks).encode(
        x=alt.X("where:N", title=f"{T('region')} · {T('year')}", sort=None,
                axis=alt.Axis(labelAngle=0 if places <= 8 else -40, labelOverlap=False)),
        # one bar per statement (never stacked: two figures of one place and year are not a sum)
        xOffset=alt.XOffset("series:N", sort=None),
        color=alt.Color("kind_name:N", title=T("kind")),
        tooltip=[
            alt.Tooltip("region:N", title=T("region")),
            alt.Tooltip("year:Q", title=T("year"), format="d"),
            alt.Tooltip("kind_name:N", title=T("kind")),
            alt.Tooltip("text:N", title=own("figure")),
            alt.Tooltip("comparator_name:N", title=T("comparator")),
            alt.Tooltip("surface:N", title=T("surface")),
        ],
    )
    y = alt.Y("high:Q", title=title)
    bars = base.transform_filter(~alt.datum.band).mark_bar().encode(y=y).properties(name="value")
    band = base.transform_filter(alt.datum.band).mark_bar(opacity=0.35, strokeWidth=1.5, strokeDash=[4, 2]).encode(
        y=alt.Y("low:Q", title=title), y2="high:Q", stroke=alt.Color("kind_name:N", title=T("kind")),
    ).properties(name="range")
    signs = base.transform_filter(alt.datum.sign != "").mark_text(dy=-9, fontSize=15, fontWeight="bold").encode(
        y=y, text="sign:N",
    ).properties(name="comparator")
    # SVG (a few dozen marks): its axis titles and marks can be read by screen readers and tests alike
    chart = alt.layer(bars, band, signs).properties(height=320, usermeta={"embedOptions": {"renderer": "svg"}})
    if places <= 6:  # a few bars: keep them slim rather than stretched across the page
        # with xOffset the step is each bar's, not each place's: about 110 px a place whatever the bars there
        step = max(24, 110 // max(1, marks["series"].nunique()))
        st.altair_chart(chart.properties(width=alt.Step(step)), width="content")
    else:
        st.altair_chart(chart, width="stretch")
    signs = sorted({c for c, ranged in zip(marks["comparator"], marks["band"])
                    if not ranged and explore.COMPARATOR_SIGNS.get(c)})
    legend = [f"{explore.COMPARATOR_SIGNS[c]} {comparators.get(POL_NS + c, c)}" for c in signs]
    if marks["band"].any():
        legend.append(own("band_legend"))
    if legend:
        st.caption(" · ".join(legend))


@st.cache_data(show_spinner=False, max_entries=8)
def _panel_zip(root: str, generation: str, reports: tuple[str, ...] | None) -> bytes:
    return panel.panel_zip(panel.panel_files(_open_store(root, generation), reports=reports))


def _panel_downloads(root: str, generation: str, in_view: tuple[str, ...], *, everything: bool) -> None:
    """The research panel (panel.csv and its datapackage.json, as `kg-build export --format panel` writes them) of
    the reports in view, and of every report when those are not all of them."""
    a, b = st.columns(2)
    # made when clicked (a callable), not on every run of the page: the panel's queries wait for a reader who wants it
    a.download_button(own("panel_in_view"), lambda: _panel_zip(root, generation, in_view),
                      file_name="policy-kg-panel.zip", mime="application/zip", help=own("panel_help"), key="panel_in_view")
    if not everything:
        b.download_button(own("panel_all"), lambda: _panel_zip(root, generation, None), file_name="policy-kg-panel-all.zip",
                          mime="application/zip", help=own("panel_help"), key="panel_all")


# --- the page's own strings ------------------------------------------------------------------------------------

OWN_STRINGS: dict[str, tuple[str, str]] = {
    "level": ("级别", "Level"),
    "all_reports": ("显示全部 {total} 份报告的数值", "Show the figures of all {total} reports"),
    "all_reports_help": (
        "报告较多时先显示国家级、省级……（按级别、地区排列）前几份报告的数值，以便页面尽快打开。",
        "When many reports are chosen, the figures of the first ones (national, then provincial …, by level and "
        "region) are shown first, so the page opens quickly.",
    ),
    "first_reports": (
        "显示所选 {total} 份报告中前 {shown} 份的数值（国家级、省级……按级别和地区排列）。可在上方选择地区、年份或级别，"
        "或打开“显示全部”。",
        "Showing the figures of the first {shown} of the {total} reports chosen (national, then provincial …, by "
        "level and region). Choose regions, plan years or levels above, or show all.",
    ),
    "most_reports": (
        "数值过多：显示所选 {total} 份报告中前 {shown} 份的数值（至多约 {most} 条，按级别和地区排列）。全部数值请用下方的"
        "面板数据下载，或在上方缩小地区、年份或级别。",
        "Too many figures: showing those of the first {shown} of the {total} reports chosen (about {most} at most, by "
        "level and region). Every figure is in the panel download below; or narrow the regions, plan years or levels "
        "above.",
    ),
    "reports_counted": ("括号内为报告数（按其他筛选条件）", "In brackets: how many reports (given the other filters)"),
    "figures_counted": ("括号内为数值条数（按其他筛选条件）", "In brackets: how many figures (given the other filters)"),
    "figure": ("数值（含比较）", "Figure as stated"),
    "band_legend": ("色带：区间目标（下限至上限）", "band: a range target (lower to upper end)"),
    "figure_help": (
        "≈ 左右，≥ 以上，≤ 以下/以内，> 超过，< 低于；区间写作 下限–上限",
        "≈ about (左右), ≥ at least (以上), ≤ at most (以下/以内), > more than, < less than; a range as low–high",
    ),
    "panel_in_view": ("下载研究面板（所选报告）", "Download the research panel (these reports)"),
    "panel_all": ("下载研究面板（全部报告）", "Download the research panel (all reports)"),
    "panel_help": (
        "panel.csv：每条标准指标表述一行（地区代码、地区、级别、年份、指标、类型、比较方式、数值、单位、计量对象（人、家……）、报告、原句）；"
        "datapackage.json 说明各列类型，可直接读入 pandas、R 和 Stata。",
        "panel.csv: one row per figure of a standard indicator (region code, region, level, year, indicator, kind, "
        "comparator, value, unit, what it counts (persons, companies …), report, sentence); datapackage.json types "
        "its columns, so it loads as is into "
        "pandas, R and Stata.",
    ),
}


def own(name: str) -> str:
    zh, en = OWN_STRINGS[name]
    return en if lang() == "en" else zh


run_page(main)
