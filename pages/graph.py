"""Graph view (/graph?focus=IRI&depth=N): the neighbourhood of a report, a pillar or any entity, drawn offline."""

from __future__ import annotations

import sys
from pathlib import Path

PAGES = str(Path(__file__).resolve().parent)
if PAGES not in sys.path:  # _ui and _i18n, also when Streamlit runs this page without app.py
    sys.path.insert(0, PAGES)

import streamlit as st  # noqa: E402
from _ui import (  # noqa: E402
    T, _open_store, cached_reports, class_names, entity_href, esc, key, lang, link, named_in, property_names,
    run_page,
)

from kg_build import explore, graphview
from kg_build.explore import CLASS_ORDER, is_iri

CAP = 300
DEPTHS = (1, 2)


@st.cache_data(show_spinner=False, max_entries=32)
def _pillar_names(root: str, generation: str) -> dict[str, str]:
    """Each pillar named "report title · pillar": read only when a pillar is picked or is the focus."""
    store = _open_store(root, generation)
    titles = {r.iri: r.title for r in cached_reports(root, generation)}
    return {p.iri: f"{titles.get(p.report, '')} · {p.label}" for p in explore.pillars(store)}


@st.cache_data(show_spinner=False, max_entries=64)
def _search(root: str, generation: str, text: str, language: str) -> list[explore.SearchHit]:
    return explore.search(_open_store(root, generation), text, limit=40, lang=language)


@st.cache_data(show_spinner=False, max_entries=256)
def _exists(root: str, generation: str, iri: str) -> bool:
    return explore.entity_exists(_open_store(root, generation), iri)


@st.cache_data(show_spinner=False, max_entries=64)
def _view(root: str, generation: str, focus: str, depth: int, language: str) -> tuple[str, explore.Neighbourhood]:
    """The neighbourhood and its HTML, cached by build, focus, depth and language."""
    hood = explore.neighbourhood(_open_store(root, generation), focus, depth=depth, cap=CAP, lang=language)
    classes = sorted({n.cls for n in hood.nodes} | set(hood.left_out) | set(CLASS_ORDER))
    page = graphview.graph_html(
        hood,
        class_names=class_names(classes),
        property_names=property_names(sorted({e.property for e in hood.edges})),
        entity_url=entity_href("__IRI__").replace("__IRI__", "{iri}"),
    )
    return page, hood


def show_html(page: str, *, height: int) -> None:
    """The view in an iframe (st.iframe where this Streamlit has it, else components.html)."""
    if hasattr(st, "iframe"):
        st.iframe(page, height=height)
    else:  # pragma: no cover - older Streamlit
        import streamlit.components.v1 as components  # noqa: PLC0415

        components.html(page, height=height, scrolling=False)


def _focus_from_url() -> tuple[str | None, int]:
    focus = st.query_params.get("focus")
    try:
        depth = int(st.query_params.get("depth", "1"))
    except ValueError:
        depth = 1
    return (focus if focus and is_iri(focus) else None), (depth if depth in DEPTHS else 1)


def _set_focus(focus: str, depth: int) -> None:
    st.session_state["graph_focus"] = focus
    st.query_params["focus"] = focus
    st.query_params["depth"] = str(depth)


def _picked(widget: str) -> None:
    value = st.session_state.get(widget)
    if value:
        _set_focus(value, st.session_state.get("graph_depth", 1))


def _depth_changed() -> None:
    focus = st.session_state.get("graph_focus")
    if focus:
        _set_focus(focus, st.session_state["graph_depth"])


def _picker(root: str, generation: str, reports: list, focus: str | None) -> None:
    """Where to start: a report, a pillar, or any entity found by its label."""
    report_names = {r.iri: r.title for r in reports}
    if "graph_mode" not in st.session_state:
        st.session_state["graph_mode"] = (
            "report"
            if focus in report_names or not focus
            else "pillar"
            if focus in _pillar_names(root, generation)
            else "search"
        )
    mode_col, pick_col, depth_col = st.columns([1.2, 3, 1])
    mode = mode_col.radio(
        T("start_from"), ["report", "pillar", "search"], format_func=lambda m: T(f"start_{m}"), key="graph_mode"
    )
    with pick_col:
        if mode in ("report", "pillar"):
            names = report_names if mode == "report" else _pillar_names(root, generation)
            options = list(names)
            st.selectbox(
                T(mode),
                options,
                index=options.index(focus) if focus in options else None,
                format_func=lambda i: names.get(i, i),
                key=f"graph_{mode}",
                on_change=_picked,
                args=(f"graph_{mode}",),
                placeholder=T("no_focus"),
            )
        else:
            text = st.text_input(T("search_label"), key="graph_query", placeholder=T("search_placeholder"))
            hits = _search(root, generation, text, lang()) if text.strip() else []
            if text.strip() and not hits:
                st.caption(T("no_hits"))
            if hits:
                cls = class_names(sorted({h.cls for h in hits if h.cls}))
                where = named_in([h.iri for h in hits])  # the report's region and year beside each hit
                found = {
                    h.iri: "  ·  ".join(x for x in (h.label, cls.get(h.cls, h.cls or "?"), where.get(h.iri, "")) if x)
                    for h in hits
                }
                st.selectbox(
                    T("search_results"),
                    list(found),
                    index=None,
                    format_func=lambda i: found.get(i, i),
                    key="graph_hit",
                    on_change=_picked,
                    args=("graph_hit",),
                    placeholder=T("no_focus"),
                )
    depth_col.radio(T("depth"), DEPTHS, key="graph_depth", horizontal=True, on_change=_depth_changed)


def main() -> None:
    st.title(T("graph_title"))
    root, generation = key()
    reports = cached_reports(root, generation)
    url_focus, url_depth = _focus_from_url()
    if url_focus and st.session_state.get("graph_focus") != url_focus:
        st.session_state["graph_focus"] = url_focus
    if "graph_depth" not in st.session_state or (url_focus and "depth" in st.query_params):
        st.session_state["graph_depth"] = url_depth
    if not st.session_state.get("graph_focus") and reports:
        st.session_state["graph_focus"] = reports[0].iri
    with st.container(border=True):
        _picker(root, generation, reports, st.session_state.get("graph_focus"))

    focus = st.session_state.get("graph_focus")
    if not focus:
        st.info(T("no_focus"))
        return
    depth = st.session_state["graph_depth"]
    if st.query_params.get("focus") != focus or st.query_params.get("depth") != str(depth):
        st.query_params["focus"] = focus
        st.query_params["depth"] = str(depth)
    if not _exists(root, generation, focus):
        st.warning(T("unknown_entity", iri=focus))
        return
    page, hood = _view(root, generation, focus, depth, lang())
    focus_label = next((n.label for n in hood.nodes if n.iri == focus), focus)
    st.markdown(
        f"{esc(T('focus'))}: <b>{link(entity_href(focus), focus_label)}</b>",
        unsafe_allow_html=True,
    )
    if hood.left_out:
        names = class_names(sorted(hood.left_out))
        left = ", ".join(f"{n:,} {names.get(c, c)}" for c, n in sorted(hood.left_out.items(), key=lambda kv: -kv[1]))
        st.warning(T("graph_notice", found=hood.found, shown=len(hood.nodes), left=left))
    st.caption(T("graph_help"))
    show_html(page, height=680)
    with st.expander(T("nodes_list")):
        names = class_names(sorted({n.cls for n in hood.nodes if n.cls}))
        items = [
            f"<li>{link(entity_href(n.iri), n.label)} <small>· {esc(names.get(n.cls, n.cls or '?'))}</small></li>"
            for n in hood.nodes
        ]
        st.markdown(f"<ul>{''.join(items)}</ul>", unsafe_allow_html=True)


run_page(main)
