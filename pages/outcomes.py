"""Target vs outcome (/outcomes): one region and standard indicator, each year's target (a point, or a band for a
range) beside the outcome a later report states, with the verdicts in a table linking to both sentences; the region
and indicator live in the URL (/outcomes?region=中华人民共和国&indicator=gdp-growth)."""

from __future__ import annotations

import sys
from pathlib import Path

PAGES = str(Path(__file__).resolve().parent)
if PAGES not in sys.path:  # _ui and _i18n, also when Streamlit runs this page without app.py
    sys.path.insert(0, PAGES)

import altair as alt
import pandas as pd
import streamlit as st
from _ui import LABEL_IN_LINK, T, _open_store, href, key, labelled_link, lang, number_text, run_page  # noqa: E402

from kg_build import explore, outcomes
from kg_build.extract.places import nation


@st.cache_data(show_spinner=False, max_entries=8)
def _choices(root: str, generation: str) -> list[outcomes.IndicatorChoice]:
    return outcomes.indicator_choices(_open_store(root, generation))


@st.cache_data(show_spinner=False, max_entries=64)
def _outcomes(root: str, generation: str, region: str, indicator: str) -> list[outcomes.OutcomeRow]:
    return outcomes.target_outcomes(_open_store(root, generation), region=region, indicator=indicator)


def _target_text(row: outcomes.OutcomeRow) -> str:
    if row.value is None:
        return ""
    if row.comparator == "Between" and row.upper is not None:
        return f"{number_text(row.value)}–{number_text(row.upper)}"
    return f"{COMPARATOR_SIGNS.get(row.comparator, '')}{number_text(row.value)}"


def _picked(options: list[str], wanted: str | None) -> int:
    return options.index(wanted) if wanted in options else 0


def _outcome_view() -> None:
    """Pick a region and a standard indicator (also from ?region=…&indicator=…): each year's target and outcome."""
    st.title(own("outcome_title"), help=own("outcome_help"))
    root, generation = key()
    choices = _choices(root, generation)
    if not choices:
        st.caption(own("outcome_none"))
        return
    regions = sorted({c.region for c in choices})
    a, b = st.columns(2)
    # by default the nation, when its reports (several years of them) are in the store
    default = st.query_params.get("region") or (nation().name if nation().name in regions else regions[0])
    region = a.selectbox(own("outcome_region"), regions, index=_picked(regions, default), key="outcome_region")
    names = {c.slug: c.name or c.slug for c in choices if c.region == region}
    slugs = sorted(names, key=lambda s: (s != "gdp-growth", s))  # GDP growth first: what people compare
    indicator = b.selectbox(own("outcome_indicator"), slugs, index=_picked(slugs, st.query_params.get("indicator")),
                            format_func=lambda s: f"{names[s]} ({s})", key="outcome_indicator")
    if st.query_params.get("region") != region or st.query_params.get("indicator") != indicator:
        st.query_params["region"] = region  # the URL reproduces the view
        st.query_params["indicator"] = indicator
    st.markdown(f"[{own('outcome_link')}]({href('outcomes', region=region, indicator=indicator)})")
    rows = _outcomes(root, generation, region, indicator)
    if not rows:
        st.caption(own("outcome_empty"))
        return
    language = lang()
    counted = rows[0].unit_label_en if language == "en" else rows[0].unit_label  # 人 / persons, else % or 元
    _outcome_chart(rows, explore.axis_title(names[indicator], counted or rows[0].unit))
    frame = pd.DataFrame(
        {
            "year": [r.year for r in rows],
            "target": [_target_text(r) for r in rows],
            "tolerance": [number_text(r.tolerance) if r.tolerance is not None else "" for r in rows],
            "outcome": [number_text(r.outcome) if r.outcome is not None else "" for r in rows],
            "difference": [number_text(r.difference) if r.difference is not None else "" for r in rows],
            "verdict": [own(r.verdict) if r.verdict in OWN_STRINGS else r.verdict for r in rows],
            "reason": [own(r.reason) if r.reason in OWN_STRINGS else r.reason for r in rows],
            "target_sentence": [labelled_link(r.target, r.target_sentence or r.target, language=language) for r in rows],
            "outcome_sentence": [
                labelled_link(r.outcome_statement, r.outcome_sentence or r.outcome_statement, language=language)
                if r.outcome_statement else None
                for r in rows
            ],
        }
    )
    st.dataframe(
        frame,
        hide_index=True,
        column_config={
            "year": st.column_config.NumberColumn(T("year"), format="%d"),
            "target": own("outcome_target"),
            "tolerance": own("outcome_tolerance"),
            "outcome": own("outcome_outcome"),
            "difference": own("outcome_difference"),
            "verdict": own("outcome_verdict"),
            "reason": own("outcome_reason"),
            "target_sentence": st.column_config.LinkColumn(own("outcome_target_sentence"), display_text=LABEL_IN_LINK),
            "outcome_sentence": st.column_config.LinkColumn(own("outcome_outcome_sentence"), display_text=LABEL_IN_LINK),
        },
    )


def _outcome_chart(rows: list[outcomes.OutcomeRow], title: str) -> None:
    """Targets as points (a range as a band from its lower to its upper end) and outcomes as filled points, by year."""
    target, outcome = own("outcome_target"), own("outcome_outcome")
    marks = pd.DataFrame(
        [
            {"year": str(r.year), "series": target, "value": float(r.value),
             "upper": float(r.upper) if r.upper is not None else float(r.value), "verdict": own(r.verdict)}
            for r in rows if r.value is not None and r.year is not None
        ]
        + [
            {"year": str(r.year), "series": outcome, "value": float(r.outcome), "upper": float(r.outcome),
             "verdict": own(r.verdict)}
            for r in rows if r.outcome is not None and r.year is not None
        ]
    )
    if marks.empty:
        return
    low, high = float(marks["value"].min()), float(marks["upper"].max())
    pad = (high - low) * 0.1 or abs(high) * 0.1 or 1.0
    y_scale = alt.Scale(domain=[low - pad, high + pad], zero=False)  # a band's upper end stays inside the chart
    color = alt.Color("series:N", title="", scale=alt.Scale(domain=[target, outcome], range=["#e8743b", "#1f5fbf"]))
    base = alt.Chart(marks).encode(x=alt.X("year:O", title=T("year"), axis=alt.Axis(labelAngle=0)))
    tooltip = [alt.Tooltip("year:N", title=T("year")), alt.Tooltip("series:N", title=""),
               alt.Tooltip("value:Q", title=T("value")), alt.Tooltip("verdict:N", title=own("outcome_verdict"))]
    band = base.transform_filter(alt.datum.upper > alt.datum.value).mark_bar(opacity=0.35, size=28).encode(
        y=alt.Y("value:Q", title=title, scale=y_scale), y2="upper:Q", color=color, tooltip=tooltip,
    )
    points = base.mark_point(size=90, filled=True).encode(
        y=alt.Y("value:Q", title=title, scale=y_scale), color=color,
        shape=alt.Shape("series:N", title="", scale=alt.Scale(domain=[target, outcome], range=["diamond", "circle"])),
        tooltip=tooltip,
    )
    st.altair_chart((band + points).properties(height=300), width="stretch")


# --- the page's own strings ------------------------------------------------------------------------------------

OWN_STRINGS: dict[str, tuple[str, str]] = {
    "outcome_title": ("目标与完成情况", "Target vs outcome"),
    "outcome_help": (
        "每年的目标（区间显示为色带）与其后报告回顾中所述的完成值。“左右”的容差：百分比指标 0.5 个百分点，其他单位为目标值的 5%；"
        "价格、失业率和赤字率的目标按上限判断，其他指标按下限判断。",
        "Each year's target (a range as a band) and the outcome a later report's review states. The tolerance of "
        "左右 (about): 0.5 percentage points for figures in percent, 5% of the target for other units; targets for "
        "prices, unemployment and the deficit are read as ceilings, all others as floors.",
    ),
    "outcome_region": ("地区", "Region"),
    "outcome_indicator": ("标准指标", "Standard indicator"),
    "outcome_none": ("数据中还没有标准指标的目标。", "The store holds no targets of standard indicators yet."),
    "outcome_empty": ("该地区没有这一指标的目标。", "This region sets no target for this indicator."),
    "outcome_target": ("目标", "Target"),
    "outcome_outcome": ("完成值", "Outcome"),
    "outcome_verdict": ("判断", "Verdict"),
    "outcome_reason": ("原因", "Why"),
    "outcome_difference": ("差值", "Difference"),
    "outcome_tolerance": ("容差", "Tolerance"),
    "outcome_target_sentence": ("目标原句", "Target sentence"),
    "outcome_outcome_sentence": ("完成值原句", "Outcome sentence"),
    "outcome_link": ("本视图链接", "Link to this view"),
    "met": ("达到", "met"),
    "missed": ("未达到", "missed"),
    "not comparable": ("无法比较", "not comparable"),
    "no outcome yet": ("尚无后续报告", "no outcome yet"),
    "no outcome stated": ("后续报告未给出", "no outcome stated"),
    "different units": ("单位不同", "different units"),
    "no figure to compare": ("无可比数值", "no figure to compare"),
}
COMPARATOR_SIGNS = {"Equal": "=", "About": "≈", "AtLeast": "≥", "MoreThan": ">", "AtMost": "≤", "LessThan": "<"}


def own(name: str) -> str:
    zh, en = OWN_STRINGS[name]
    return en if lang() == "en" else zh


run_page(_outcome_view)
