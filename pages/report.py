"""Report (/report?iri=…): what a report plans — its main targets, its plan as a tree (pillars → measures → the
projects, organizations, initiatives and targets under each), and what it names by class (…&names=Company)."""

from __future__ import annotations

import sys
from pathlib import Path

PAGES = str(Path(__file__).resolve().parent)
if PAGES not in sys.path:  # _ui and _i18n, also when Streamlit runs this page without app.py
    sys.path.insert(0, PAGES)

import streamlit as st  # noqa: E402
from _ui import (  # noqa: E402
    _open_store, cached_reports, class_names, entity_href, esc, graph_href, href, key, lang, link, region_names,
    report_titles, run_page,
)

from kg_build import browse
from kg_build.explore import is_iri

OWN_STRINGS: dict[str, tuple[str, str]] = {
    "title": ("报告", "Report"),
    "pick": ("选择一份报告：", "Choose a report:"),
    "unknown": ("数据中没有 IRI 为 {iri} 的报告。", "The store holds no report with the IRI {iri}."),
    "bad": ("“{iri}” 不是有效的 IRI。", "“{iri}” is not a valid IRI."),
    "main_targets": ("主要目标", "Main targets"),
    "no_main_targets": ("计划部分没有在重点任务之外列出目标。", "The plan states no targets outside its pillars."),
    "named": ("报告提到的", "What it names"),
    "plan": ("计划", "The plan"),
    "other_sections": ("其他部分", "Other sections"),
    "targets": ("目标", "Targets"),
    "mentions": ("提及次数", "Mentions"),
    "entity": ("名称", "Name"),
    "close": ("收起", "close"),
    "download": ("下载 CSV", "Download CSV"),
    "graph": ("关系图", "graph view"),
    "search_text": ("搜索其原文", "search its text"),
    "entity_page": ("全部属性", "all facts"),
    "nothing_under": ("（未读出项目、机构、行动或目标）", "(no projects, organizations, initiatives or targets read)"),
}


def own(name: str, **values: object) -> str:
    zh, en = OWN_STRINGS[name]
    text = en if lang() == "en" else zh
    return text.format(**values) if values else text


@st.cache_data(show_spinner=False, max_entries=64)
def _plan(root: str, generation: str, iri: str, language: str) -> browse.ReportPlan | None:
    return browse.report_plan(_open_store(root, generation), iri, lang=language)


@st.cache_data(show_spinner=False, max_entries=64)
def _named(root: str, generation: str, iri: str, language: str) -> dict[str, list[browse.EntityRow]]:
    store = _open_store(root, generation)  # this report's mentions only (the whole store's took 0.5-0.8 s at 1M quads)
    return browse.report_named(store, iri, browse.entity_mentions(store, [iri]), lang=language)


def _thing(item: browse.Named, classes: dict[str, str]) -> str:
    return f'{link(entity_href(item.iri), item.label)} <small style="color:#888">{esc(classes.get(item.cls, item.cls))}</small>'


def _target(item: browse.Named, classes: dict[str, str]) -> str:
    tag = esc(classes.get("Target", "Target"))
    return f'<small style="color:#b35900">{tag}</small> {link(entity_href(item.iri), item.label)}'


def _node_html(node: browse.PlanNode, classes: dict[str, str], *, open_: bool) -> str:
    """A part of the plan as nested <details>: its targets and the things it names, then its children."""
    lines = []
    if node.targets:
        lines.append("<ul>" + "".join(f"<li>{_target(t, classes)}</li>" for t in node.targets) + "</ul>")
    if node.named:
        lines.append('<div style="margin:0.2em 0 0.4em 1.2em">' + " · ".join(_thing(n, classes) for n in node.named) + "</div>")
    lines += [_node_html(c, classes, open_=open_ and node.cls == "Section") for c in node.children]  # pillars open
    if not lines:
        lines.append(f'<div style="color:#888;margin-left:1.2em">{esc(own("nothing_under"))}</div>')
    count = node.count()
    summary = f'{esc(node.label)} <small style="color:#888">{count:,}</small> · {link(entity_href(node.iri), "↗")}'
    return (
        f'<details{" open" if open_ else ""} style="margin-left:{0 if node.cls == "Section" else 1.2}em">'
        f"<summary>{summary}</summary>{''.join(lines)}</details>"
    )


def _picker(root: str, generation: str) -> None:
    rows = cached_reports(root, generation)
    titles, regions = report_titles(), region_names()  # in the reader's language
    st.markdown(esc(own("pick")))
    st.markdown(
        "<ul>"
        + "".join(
            f"<li>{link(href('report', iri=r.iri), titles.get(r.iri, r.title))} "
            f"<small>· {esc(regions.get(r.region, r.region))} {r.plan_year or ''}</small></li>"
            for r in rows
        )
        + "</ul>",
        unsafe_allow_html=True,
    )


def _named_section(root: str, generation: str, iri: str, chosen: str) -> None:
    named = _named(root, generation, iri, lang())
    classes = class_names(list(named))
    st.subheader(own("named"))
    items = []
    for cls, rows in named.items():
        text = f"{classes.get(cls, cls)} ({len(rows):,})"
        if cls == chosen:
            items.append(f"<b>{esc(text)}</b> {link(href('report', iri=iri), '✕ ' + own('close'))}")
        else:
            items.append(link(href("report", iri=iri, names=cls), text))
    st.markdown(" · ".join(items), unsafe_allow_html=True)
    if chosen in named:
        rows = named[chosen]
        body = "".join(
            f"<tr><td>{link(entity_href(r.iri), r.label)}</td><td style='text-align:right'>{r.mentions:,}</td></tr>"
            for r in rows
        )
        st.markdown(
            f'<table class="kg-named"><thead><tr><th>{esc(own("entity"))}</th><th>{esc(own("mentions"))}</th></tr></thead>'
            f"<tbody>{body}</tbody></table>",
            unsafe_allow_html=True,
        )
        st.download_button(
            own("download"), browse.rows_csv(rows), file_name=f"{iri.rsplit('/', 1)[-1]}-{chosen}.csv", mime="text/csv"
        )


def main() -> None:
    root, generation = key()
    iri = st.query_params.get("iri", "").strip()
    if not iri:
        st.title(own("title"))
        _picker(root, generation)
        return
    if not is_iri(iri):
        st.title(own("title"))
        st.error(own("bad", iri=iri))
        _picker(root, generation)
        return
    plan = _plan(root, generation, iri, lang())
    if plan is None:
        st.title(own("title"))
        st.warning(own("unknown", iri=iri))
        _picker(root, generation)
        return
    st.markdown(f"# {esc(plan.title or iri)}")
    facts = [esc(x) for x in (plan.region, str(plan.year or "")) if x]
    facts += [
        link(entity_href(iri), own("entity_page")),
        link(graph_href(iri), own("graph")),
        link(href("search", report=iri), own("search_text")),
    ]
    st.markdown(" · ".join(f for f in facts if f), unsafe_allow_html=True)

    st.subheader(own("main_targets"))
    if plan.main_targets:
        st.markdown(
            "<ul>" + "".join(f"<li>{link(entity_href(t.iri), t.label)}</li>" for t in plan.main_targets) + "</ul>",
            unsafe_allow_html=True,
        )
    else:
        st.caption(own("no_main_targets"))

    _named_section(root, generation, iri, st.query_params.get("names", ""))

    classes = class_names(sorted({n.cls for s in plan.sections for n in _walk(s)} | {"Target"}))
    kinds = class_names(sorted({s.kind for s in plan.sections if s.kind}))
    planned = [s for s in plan.sections if s.kind in browse.PLAN_KINDS]
    others = [s for s in plan.sections if s.kind not in browse.PLAN_KINDS]
    st.subheader(own("plan"))
    for section in planned:
        st.caption(kinds.get(section.kind, section.kind))
        st.markdown(_node_html(section, classes, open_=True), unsafe_allow_html=True)
    if others:
        st.subheader(own("other_sections"))
        for section in others:
            st.caption(kinds.get(section.kind, section.kind))
            st.markdown(_node_html(section, classes, open_=False), unsafe_allow_html=True)


def _walk(node: browse.PlanNode):
    yield from node.named
    for child in node.children:
        yield from _walk(child)


run_page(main)
