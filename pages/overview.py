"""Overview (/): the reports with region, year, counts, build warnings and audit summary; classes with counts;
the build's id and time."""

from __future__ import annotations

import sys
from collections import Counter
from pathlib import Path

PAGES = str(Path(__file__).resolve().parent)
if PAGES not in sys.path:  # _ui and _i18n, also when Streamlit runs this page without app.py
    sys.path.insert(0, PAGES)

import pandas as pd
import streamlit as st
from _ui import (  # noqa: E402
    LABEL_IN_LINK,
    T,
    _open_store,
    cached_reports,
    cached_labels,
    class_names,
    format_time,
    graph_href,
    href,
    key,
    lang,
    region_iris,
    report_titles,
    run_page,
    with_label,
)

from kg_build import explore, outcomes
from kg_build.model.vocab import POL_NS
from kg_build.audit import audit_store
from kg_build.stats import store_stats

# this page's own strings (zh, en): the build's completeness warnings and the coverage audit
OWN_STRINGS: dict[str, tuple[str, str]] = {
    "warnings": ("构建警告", "Build warnings"),
    "plan_coverage": ("计划部分数字覆盖率", "Plan numbers covered"),
    "leftovers": ("未读出的数字", "Numbers left over"),
    "mismatches": ("原文不符的表述", "Surface-form mismatches"),
    "audit_caption": (
        "覆盖率：计划部分的数字中被量化表述覆盖的比例（kg-build audit 列出其余数字）；原文不符：表述原文不在其出处文本中（应为 0）。",
        "Coverage: the share of the numbers in plan sections that a statement covers (kg-build audit lists the rest); "
        "mismatches: statements whose words are not in their source span (must be 0).",
    ),
    "no-plan-section": ("未找到计划部分", "no plan section"),
    "no-targets": ("未读出目标", "no targets"),
    "no-main-targets-sentence": ("未找到主要预期目标", "no main-targets sentence"),
    "main-targets-not-extracted": ("主要预期目标未读出", "main targets not read"),
    "years_levels": ("年份与层级", "Years and levels"),
    "level": ("层级", "Level"),
    "no_level": ("（未知）", "(unknown)"),
}


def own(key: str) -> str:
    zh, en = OWN_STRINGS.get(key, (key, key))
    return zh if lang() == "zh" else en


@st.cache_data(show_spinner=False, max_entries=16)
def _checks(root: str, generation: str) -> dict[str, tuple[tuple[str, ...], float | None, int, int]]:
    """{report IRI: (build warnings, plan coverage, leftovers, surface-form mismatches)} of one generation.

    The build records each report's audit summary; a store without that record (remote, or built by an
    older version) is audited here.
    """
    store = _open_store(root, generation)
    reports = store_stats(store).reports
    if reports and all(r.leftovers is not None for r in reports):
        return {r.iri: (r.warnings, r.plan_coverage, r.leftovers or 0, r.mismatches or 0) for r in reports}
    warnings = {r.iri: r.warnings for r in reports}
    return {
        a.iri: (warnings.get(a.iri, ()), a.coverage("PlanSection"), len(a.leftovers), len(a.mismatches))
        for a in audit_store(store)
    }


@st.cache_data(show_spinner=False, max_entries=16)
def _years_and_levels(root: str, generation: str) -> list[outcomes.YearsAndLevel]:
    """Counted from the list of reports (recorded by the build), not by a query over every report of the store."""
    counted = Counter((POL_NS + r.level if r.level else "", r.plan_year) for r in cached_reports(root, generation))
    return [outcomes.YearsAndLevel(level, year, n) for (level, year), n in sorted(counted.items(), key=lambda kv: (kv[0][0], kv[0][1] or 0))]


def _years_levels_table(root: str, generation: str) -> None:
    """How many reports of each level (national, provincial, ...) and plan year the store holds."""
    found = _years_and_levels(root, generation)
    if not found:
        return
    names = cached_labels(root, generation, tuple(sorted({f.level for f in found if f.level})), lang())
    order = ["NationalLevel", "ProvincialLevel", "PrefecturalLevel", "CountyLevel"]
    rank = {f"https://w3id.org/policy-kg/def#{n}": i for i, n in enumerate(order)}
    table = pd.DataFrame(
        {"level": [f.level for f in found], "year": [str(f.year) if f.year else "" for f in found],
         "reports": [f.reports for f in found]}
    ).pivot_table(index="level", columns="year", values="reports", aggfunc="sum", fill_value=0)
    table = table.loc[sorted(table.index, key=lambda level: (rank.get(level, len(order)), level))]
    table.index = [names.get(level, level) if level else own("no_level") for level in table.index]
    table.index.name = own("level")
    st.subheader(own("years_levels"))
    st.dataframe(table)


@st.cache_data(show_spinner=False, max_entries=16)
def _overview(root: str, generation: str) -> tuple[list[explore.ReportRow], list[tuple[str, int]], int, float | None]:
    store = _open_store(root, generation)
    stats = store_stats(store)  # recorded by the build in the generation: no scan of the store
    return cached_reports(root, generation), stats.classes, stats.quads, store.generation_time()


def main() -> None:
    st.title(T("overview_title"))
    root, generation = key()
    reports, classes, quads, built_at = _overview(root, generation)

    a, b, c, d = st.columns([1, 2, 1, 1])
    a.metric(T("generation"), generation)
    b.metric(T("generation_time"), format_time(built_at))
    c.metric(T("reports"), len(reports))
    d.metric(T("quads"), f"{quads:,}")
    st.caption(f"{T('store_location')}: `{root}`")

    st.subheader(T("reports"))
    if not reports:
        st.info(T("no_reports"))
    else:
        checks = _checks(root, generation)
        none: tuple = ((), None, 0, 0)
        regions = cached_labels(root, generation, region_iris(reports), lang())
        titles = report_titles()  # in the reader's language; each links to its plan
        language, open_graph = lang(), T("open_graph")  # read once: a store of 1,330 reports made 4,000 reads
        table = pd.DataFrame(
            {
                T("title"): [with_label(href("report", language=language, iri=r.iri), titles.get(r.iri, r.title))
                             for r in reports],
                T("region"): [regions.get(r.region_iri, r.region) if r.region_iri else "" for r in reports],
                T("plan_year"): [r.plan_year for r in reports],
                T("sections"): [r.counts["sections"] for r in reports],
                T("pillars"): [r.counts["pillars"] for r in reports],
                T("measures"): [r.counts["measures"] for r in reports],
                T("entities"): [r.counts["entities"] for r in reports],
                T("figures"): [r.counts["figures"] for r in reports],
                own("warnings"): ["; ".join(own(w) for w in checks.get(r.iri, none)[0]) for r in reports],
                own("plan_coverage"): [
                    None if checks.get(r.iri, none)[1] is None else 100 * checks[r.iri][1] for r in reports
                ],
                own("leftovers"): [checks.get(r.iri, none)[2] for r in reports],
                own("mismatches"): [checks.get(r.iri, none)[3] for r in reports],
                T("graph"): [with_label(graph_href(r.iri, language=language), open_graph) for r in reports],
            }
        )
        st.dataframe(
            table,
            hide_index=True,
            column_config={
                T("title"): st.column_config.LinkColumn(display_text=LABEL_IN_LINK, width="large"),
                T("graph"): st.column_config.LinkColumn(display_text=LABEL_IN_LINK, width="small"),
                T("plan_year"): st.column_config.NumberColumn(format="%d"),
                own("plan_coverage"): st.column_config.NumberColumn(format="%.1f%%"),
            },
        )
        st.caption(own("audit_caption"))

    st.subheader(T("classes"))
    names = class_names([c for c, _ in classes])
    class_table = pd.DataFrame(
        {
            T("class"): [names.get(c, c) for c, _ in classes],
            "IRI": [f"pol:{c}" for c, _ in classes],
            T("count"): [n for _, n in classes],
        }
    )
    st.dataframe(class_table, hide_index=True, width=560, height=38 + 35 * len(class_table))
    _years_levels_table(root, generation)


run_page(main)
