"""Figures (/figures): the targets and achievements of the chosen reports (region, plan year: the latest by default),
filtered by year, kind and unit, and one indicator charted."""

from __future__ import annotations

import sys
from decimal import Decimal
from pathlib import Path

PAGES = str(Path(__file__).resolve().parent)
if PAGES not in sys.path:  # _ui and _i18n, also when Streamlit runs this page without app.py
    sys.path.insert(0, PAGES)

import altair as alt
import pandas as pd
import streamlit as st
from _ui import (  # noqa: E402
    LABEL_IN_LINK, T, _open_store, cached_reports, class_names, key, labelled_link, labels, lang, run_page,
)

from kg_build import explore
from kg_build.explore import POL_NS, unit_symbol


COLUMNS = [
    "region", "year", "kind", "indicator", "comparator", "value", "upper", "unit", "modality", "surface", "statement",
]


@st.cache_data(show_spinner=False, max_entries=32)
def _figures(root: str, generation: str, reports: tuple[str, ...]) -> list[explore.FigureRow]:
    return explore.figures(_open_store(root, generation), reports)


def _number(value) -> float:
    return float(value)


def _number_text(value) -> str:
    """A number as the value column shows it, every digit kept: grouped by thousands, no trailing zeros
    (5.5, 4,538,000, 0.0000001)."""
    return f"{Decimal(str(value)).normalize():,f}"


def main() -> None:
    st.title(T("figures_title"))
    root, generation = key()
    reports = cached_reports(root, generation)
    # which reports to read: by default the latest plan year's (a store of many years holds tens of thousands of figures)
    plan_years = sorted({r.plan_year for r in reports if r.plan_year is not None})
    a, b, c, d, e = st.columns(5)
    regions = a.multiselect(T("region"), sorted({r.region for r in reports if r.region}), placeholder=T("all"))
    chosen_years = b.multiselect(T("plan_year"), plan_years, default=plan_years[-1:], placeholder=T("all"))
    rows = _figures(root, generation, tuple(explore.chosen_reports(reports, regions=regions, years=chosen_years)))
    kinds = class_names(["Target", "Achievement"])
    comparators = labels([POL_NS + c for c in sorted({r.comparator for r in rows if r.comparator})])
    modalities = labels([POL_NS + m for m in sorted({r.modality for r in rows if r.modality})])
    language = lang()  # once: the table makes a link per figure
    frame = pd.DataFrame(
        {
            "region": [r.region for r in rows],
            "year": [r.year for r in rows],
            "kind": [r.kind for r in rows],
            "indicator": [r.indicator for r in rows],
            "comparator": [comparators.get(POL_NS + r.comparator, r.comparator) for r in rows],
            "value": [_number(r.value) for r in rows],
            # text, so a figure without an upper bound shows an empty cell (a missing number shows "None")
            "upper": [_number_text(r.upper) if r.upper is not None else "" for r in rows],
            "unit": [unit_symbol(explore.expand_name(r.unit)) if r.unit else "" for r in rows],
            "modality": [modalities.get(POL_NS + r.modality, r.modality) for r in rows],
            "surface": [r.surface for r in rows],
            "statement": [labelled_link(r.statement, r.surface or r.indicator, language=language) for r in rows],
        },
        columns=COLUMNS,
    )

    years = c.multiselect(T("year"), sorted({int(y) for y in frame["year"].dropna()}), placeholder=T("all"))
    kind = d.multiselect(T("kind"), ["Target", "Achievement"], format_func=lambda k: kinds.get(k, k), placeholder=T("all"))
    units = e.multiselect(T("unit"), sorted({u for u in frame["unit"] if u}), placeholder=T("all"))
    shown = frame
    if years:
        shown = shown[shown["year"].isin(years)]
    if kind:
        shown = shown[shown["kind"].isin(kind)]
    if units:
        shown = shown[shown["unit"].isin(units)]

    st.caption(T("rows_count", rows=len(shown)))
    if shown.empty:
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
            "value": st.column_config.NumberColumn(T("value"), format="localized"),
            "upper": st.column_config.TextColumn(T("upper")),
            "unit": T("unit"),
            "modality": T("modality"),
            "statement": st.column_config.LinkColumn(T("surface"), display_text=LABEL_IN_LINK),
        },
    )

    st.subheader(T("chart"))
    counts = shown["indicator"].value_counts()
    # First the indicator that most regions set a target for (e.g. 地区生产总值增长): that is what people compare.
    targets = shown[shown["kind"] == "Target"] if "kind" in shown else shown.iloc[0:0]
    spread = targets.groupby("indicator")["region"].nunique() if len(targets) else {}
    options = sorted((i for i in counts.index if i), key=lambda i: (-int(spread.get(i, 0)), -counts[i], i))  # "": none read
    indicator = st.selectbox(T("chart_indicator"), options, index=0 if options else None, key="fig_indicator")
    if not indicator:
        st.caption(T("chart_none"))
        return
    subset = shown[shown["indicator"] == indicator]
    unit_counts = subset["unit"].value_counts()
    unit = sorted(unit_counts.index, key=lambda u: (-unit_counts[u], u))[0]
    if len(unit_counts) > 1:
        st.caption(T("chart_units", unit=unit))
    subset = subset[subset["unit"] == unit].assign(
        where=lambda df: df["region"].fillna("") + " " + df["year"].map(lambda y: "" if pd.isna(y) else str(int(y))),
        kind_name=lambda df: df["kind"].map(lambda k: kinds.get(k, k)),
    )
    # one bar per statement (never stacked: two figures of one place and year are not a sum)
    subset = subset.assign(series=subset["kind_name"] + " " + subset.groupby(["where", "kind"]).cumcount().astype(str))
    places = subset["where"].nunique()
    chart = (
        alt.Chart(subset)
        .mark_bar()
        .encode(
            x=alt.X(
                "where:N", title=f"{T('region')} · {T('year')}", sort=None,
                axis=alt.Axis(labelAngle=0 if places <= 8 else -40, labelOverlap=False),
            ),
            xOffset=alt.XOffset("series:N", sort=None),
            y=alt.Y("value:Q", title=f"{indicator} ({unit})"),
            color=alt.Color("kind_name:N", title=T("kind")),
            tooltip=[
                alt.Tooltip("region:N", title=T("region")),
                alt.Tooltip("year:Q", title=T("year"), format="d"),
                alt.Tooltip("kind_name:N", title=T("kind")),
                alt.Tooltip("surface:N", title=T("surface")),
                alt.Tooltip("value:Q", title=T("value")),
            ],
        )
        .properties(height=320)
    )
    if places <= 6:  # a few bars: keep them slim rather than stretched across the page
        st.altair_chart(chart.properties(width=alt.Step(110)), width="content")
    else:
        st.altair_chart(chart, width="stretch")


run_page(main)
