"""Graph views (/graph): a report's plan as a hierarchy, or the neighbourhood of any node grown click by click.

The URL is the state, and a click on the canvas is a link: the page reads everything from it and draws the
same view, byte for byte, on every load.

- ``/graph?report=IRI``: the report → sections → pillars → measures → what they name (a click on a node opens
  its neighbourhood);
- ``/graph?focus=IRI&depth=1&expand=IRI&expand=IRI``: the focus, its neighbours and those of each node the
  reader clicked;
- both: ``cls=Project&cls=Company`` (the classes shown; none: all) and ``open=more:Project:IRI`` (a "more"
  group the reader opened).
"""

from __future__ import annotations

import sys
from pathlib import Path
from urllib.parse import quote, urlencode

PAGES = str(Path(__file__).resolve().parent)
if PAGES not in sys.path:  # _ui and _i18n, also when Streamlit runs this page without app.py
    sys.path.insert(0, PAGES)

import streamlit as st  # noqa: E402
from _graph_view import graph_view  # noqa: E402
from _i18n import DEFAULT_LANGUAGE  # noqa: E402
from _ui import (  # noqa: E402
    T, _open_store, cached_reports, class_names, entity_href, esc, key, lang, link, named_in, property_names,
    report_titles, run_page,
)

from kg_build import explore, graphview  # noqa: E402
from kg_build.explore import is_iri  # noqa: E402

DEPTHS = (1, 2)
VIEWS = ("plan", "hood")
LEGEND = 60  # pixels above the canvas: the legend of classes
LIST = ("cls", "expand", "open")  # parameters that repeat


# --- the state, from and to the URL ----------------------------------------------------------------


def _state() -> dict:
    """The view asked for by the URL: {view, report, focus, depth, cls, expand, open}."""
    q = st.query_params
    focus = q.get("focus") if is_iri(q.get("focus", "")) else None
    report = q.get("report") if is_iri(q.get("report", "")) else None
    view = q.get("view") if q.get("view") in VIEWS else ("plan" if report and not focus else "hood")
    try:
        depth = int(q.get("depth", "1"))
    except ValueError:
        depth = 1
    return {
        "view": view,
        "report": report,
        "focus": focus,
        "depth": depth if depth in DEPTHS else 1,
        "cls": sorted(set(q.get_all("cls"))),
        "expand": [i for i in dict.fromkeys(q.get_all("expand")) if is_iri(i)],
        "open": [g for g in dict.fromkeys(q.get_all("open")) if graphview.parse_group(g)],
        "find": q.get("find", "")[:200],  # a label search not yet followed to a node
    }


def _params(state: dict) -> list[tuple[str, str]]:
    """The URL parameters of a state, in a fixed order (the same state, the same URL)."""
    if state["view"] == "plan":
        pairs = [("view", "plan")] + ([("report", state["report"])] if state["report"] else [])
    else:
        pairs = [("view", "hood"), ("focus", state["focus"] or ""), ("depth", str(state["depth"]))]
        pairs += [("expand", i) for i in state["expand"]]
    pairs += [("cls", c) for c in state["cls"]] + [("open", g) for g in state["open"]]
    if state.get("find") and state["view"] != "plan":
        pairs.append(("find", state["find"]))
    if lang() != DEFAULT_LANGUAGE:
        pairs.append(("lang", lang()))
    return pairs


def _url(state: dict) -> str:
    return "./graph?" + urlencode(_params(state), quote_via=quote)


def _write(state: dict) -> None:
    """The state into the URL (only what differs, so an unchanged state rewrites nothing)."""
    wanted: dict[str, list[str]] = {}
    for name, value in _params(state):
        wanted.setdefault(name, []).append(value)
    for name in [n for n in st.query_params if n not in wanted]:
        del st.query_params[name]
    for name, values in wanted.items():
        if st.query_params.get_all(name) != values:
            st.query_params[name] = values if name in LIST else values[0]


# --- reads, cached by build, view and language -------------------------------------------------------


@st.cache_data(show_spinner=False, max_entries=64)
def _pillar_names(root: str, generation: str, report: str) -> dict[str, str]:
    """The pillars of one report by name, in document order (a store of a thousand reports holds 60,000)."""
    return {p.iri: p.label for p in explore.pillars(_open_store(root, generation), report)}


@st.cache_data(show_spinner=False, max_entries=256)
def _pillar_report(root: str, generation: str, iri: str) -> str | None:
    return explore.pillar_report(_open_store(root, generation), iri)


@st.cache_data(show_spinner=False, max_entries=64)
def _search(root: str, generation: str, text: str, language: str) -> list[explore.SearchHit]:
    return explore.search(_open_store(root, generation), text, limit=40, lang=language)


@st.cache_data(show_spinner=False, max_entries=256)
def _exists(root: str, generation: str, iri: str) -> bool:
    return explore.entity_exists(_open_store(root, generation), iri)


@st.cache_data(show_spinner=False, max_entries=64)
def _tree(root: str, generation: str, view: str, start: str, depth: int, expand: tuple[str, ...], language: str):
    """The whole tree of a view, before filters and groups (a neighbourhood's nodes not yet named), and the
    expansions that took effect."""
    store = _open_store(root, generation)
    if view == "plan":
        nodes, edges = graphview.report_hierarchy(store, start, lang=language)
        return nodes, edges, ()
    return graphview.neighbourhood_view(store, start, expand, depth=depth)


@st.cache_data(show_spinner=False, max_entries=64)
def _named(root: str, generation: str, nodes: tuple[graphview.ViewNode, ...], language: str, sentences: bool):
    """The nodes drawn, with their labels and first sentences."""
    return graphview.name_nodes(_open_store(root, generation), nodes, lang=language, sentences=sentences)


def _view(state: dict, root: str, generation: str) -> tuple[graphview.GraphView, list[str]]:
    """The view drawn, and the classes a reader can filter by (those of the whole tree)."""
    start = state["report"] if state["view"] == "plan" else state["focus"]
    nodes, edges, done = _tree(
        root, generation, state["view"], start, state["depth"], tuple(state["expand"]), lang()
    )
    present = sorted({n.cls for n in nodes if n.cls}, key=graphview.class_key)
    names = class_names(present)
    chosen = [c for c in state["cls"] if c in present] or None
    if chosen is not None and nodes:
        chosen = sorted(set(chosen) | {nodes[0].cls})  # the root's class is always shown
    view = graphview.build_view(
        "hierarchy" if state["view"] == "plan" else "neighbourhood",
        nodes,
        edges,
        classes=chosen,
        opened=[graphview.parse_group(g) for g in state["open"]],
        more=lambda count, cls: T("graph_more", count=count, cls=names.get(cls, cls)),
        expanded=done,
    )
    view.nodes = _named(root, generation, tuple(view.nodes), lang(), state["view"] != "plan")
    return view, present


def _drawn(state: dict, view: graphview.GraphView) -> dict:
    """What the graph component draws; a click on a node is a link to the next state."""
    opened = {**state, "open": [*state["open"], "__ID__"]}
    if state["view"] == "plan":
        node_state = {**state, "view": "hood", "focus": "__IRI__", "depth": 1, "expand": [], "open": [], "report": None}
    else:
        node_state = {**state, "expand": [*state["expand"], "__IRI__"]}
    names = class_names(sorted({n.cls for n in view.nodes if n.cls}))
    return graphview.network_args(
        view,
        class_names=names,
        property_names=property_names(sorted({e.property for e in view.edges})),
        height=graphview.canvas_height(view),
        entity_url=entity_href("__IRI__").replace("__IRI__", "{iri}"),
        node_url=_url(node_state).replace("__IRI__", "{iri}"),
        group_url=_url(opened).replace("__ID__", "{id}"),
        hints={
            "group": T("graph_hint_group"),
            "expand": T("graph_hint_open") if state["view"] == "plan" else T("graph_hint_expand"),
        },
    )


# --- the controls: each writes the URL ------------------------------------------------------------------


def _go(**changes: object) -> None:
    state = {**_state(), **changes}
    _write(state)


def _picked(widget: str) -> None:
    value = st.session_state.get(widget)
    if value:
        _go(view="hood", focus=value, expand=[], open=[])


def _report_picked() -> None:
    value = st.session_state.get("graph_report_plan")
    if value:
        _go(view="plan", report=value, open=[])


def _view_changed() -> None:
    _go(view=st.session_state["graph_view"], open=[])


def _depth_changed() -> None:
    _go(depth=st.session_state["graph_depth"])


def _classes_changed(present: list[str]) -> None:
    chosen = sorted(st.session_state.get("graph_cls") or [])
    _go(cls=[] if set(chosen) >= set(present) else chosen)


def _found_changed() -> None:
    """The label search's words into the URL (?find=), so a reload shows the same hits."""
    text = (st.session_state.get("graph_query") or "").strip()
    if text:
        st.query_params["find"] = text
    else:
        st.query_params.pop("find", None)


def _report_for_pillars(root: str, generation: str, report_names: dict[str, str],
                        focus: str | None) -> tuple[dict[str, str], object]:
    """The report whose pillars are listed (the focus pillar's, until the reader picks another) beside where the
    list goes; its pillars by name."""
    listed = list(report_names)
    if focus != st.session_state.get("graph_pillar_synced"):  # a new focus: its report, when it is a pillar
        st.session_state["graph_pillar_synced"] = focus
        in_report = _pillar_report(root, generation, focus) if focus else None
        if in_report in report_names:
            st.session_state["graph_pillar_report"] = in_report
    if st.session_state.get("graph_pillar_report") not in report_names:
        st.session_state["graph_pillar_report"] = listed[0] if listed else None
    report_col, pillar_col = st.columns(2)
    report = report_col.selectbox(T("report"), listed, format_func=lambda i: report_names.get(i, i),
                                  key="graph_pillar_report")
    return (_pillar_names(root, generation, report) if report else {}), pillar_col


def _hood_picker(root: str, generation: str, reports: list, focus: str | None, find: str = "") -> None:
    """Where a neighbourhood starts: a report, a pillar, or any entity found by its label."""
    titles = report_titles()  # in the reader's language
    report_names = {r.iri: titles.get(r.iri, r.title) for r in reports}
    if find and "graph_query" not in st.session_state:  # from the URL: the search as it was left
        st.session_state["graph_query"] = find
        st.session_state["graph_mode"] = "search"
    if "graph_mode" not in st.session_state:
        st.session_state["graph_mode"] = (
            "report"
            if focus in report_names or not focus
            else "pillar"
            if _pillar_report(root, generation, focus)
            else "search"
        )
    mode_col, pick_col, depth_col = st.columns([1.2, 3, 1])
    mode = mode_col.radio(
        T("start_from"), ["report", "pillar", "search"], format_func=lambda m: T(f"start_{m}"), key="graph_mode"
    )
    with pick_col:
        if mode in ("report", "pillar"):
            names, place = report_names, st
            if mode == "pillar":  # a report, then one of its pillars
                names, place = _report_for_pillars(root, generation, report_names, focus)
            options = list(names)
            place.selectbox(
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
            text = st.text_input(
                T("search_label"), key="graph_query", placeholder=T("search_placeholder"), on_change=_found_changed
            )
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


def _counts(counts: dict[str, int]) -> str:
    names = class_names(sorted(counts))
    return ", ".join(f"{n:,} {names.get(c, c)}" for c, n in sorted(counts.items(), key=lambda kv: (-kv[1], kv[0])))


def main() -> None:
    st.title(T("graph_title"))
    root, generation = key()
    reports = cached_reports(root, generation)
    state = _state()
    if state["view"] == "plan" and not state["report"] and reports:
        state["report"] = reports[0].iri
    if state["view"] == "hood" and not state["focus"] and reports:
        state["focus"] = reports[0].iri
    _write(state)
    st.session_state["graph_view"] = state["view"]
    st.session_state["graph_depth"] = state["depth"]

    with st.container(border=True):
        st.radio(
            T("graph_view"), VIEWS, format_func=lambda v: T(f"graph_view_{v}"), key="graph_view", horizontal=True,
            on_change=_view_changed,
        )
        if state["view"] == "plan":
            names = {r.iri: r.title for r in reports}
            options = list(names)
            st.selectbox(
                T("report"), options, index=options.index(state["report"]) if state["report"] in options else None,
                format_func=lambda i: names.get(i, i), key="graph_report_plan", on_change=_report_picked,
                placeholder=T("no_focus"),
            )
        else:
            _hood_picker(root, generation, reports, state["focus"], state["find"])

    start = state["report"] if state["view"] == "plan" else state["focus"]
    if not start:
        st.info(T("graph_no_reports") if not reports else T("no_focus"))
        return
    if not _exists(root, generation, start):
        st.warning(T("unknown_entity", iri=start))
        return
    view, present = _view(state, root, generation)
    cls_names = class_names(present)
    st.session_state["graph_cls"] = [c for c in state["cls"] if c in present] or present
    st.multiselect(
        T("graph_classes"), present, format_func=lambda c: cls_names.get(c, c), key="graph_cls",
        on_change=_classes_changed, args=(present,),
    )

    root_label = next((n.label for n in view.nodes if n.id == start), start)
    line = f"{esc(T('focus'))}: <b>{link(entity_href(start), root_label)}</b> · " + esc(
        T("graph_shown", shown=sum(1 for n in view.nodes if not n.is_group), found=view.found)
    )
    if view.expanded:
        collapsed = _url({**state, "expand": [], "open": []})
        line += f" · {esc(T('graph_expanded', count=len(view.expanded)))} {link(collapsed, T('graph_collapse'))}"
    st.markdown(line, unsafe_allow_html=True)
    if view.grouped:
        st.info(T("graph_grouped", per=graphview.PER_PARENT, grouped=_counts(view.grouped)))
    if view.hidden:
        st.caption(T("graph_hidden", hidden=_counts(view.hidden)))
    if view.cut:
        st.warning(T("graph_cut", cap=graphview.CAP, cut=_counts(view.cut)))
    st.caption(T("graph_help_plan") if state["view"] == "plan" else T("graph_help_hood"))
    graph_view(_drawn(state, view), height=graphview.canvas_height(view) + LEGEND, key="graph_canvas")
    with st.expander(T("nodes_list")):
        names = class_names(sorted({n.cls for n in view.nodes if n.cls}))
        items = [
            f"<li>{link(entity_href(n.id), n.label)} <small>· {esc(names.get(n.cls, n.cls or '?'))}</small></li>"
            for n in view.nodes
            if not n.is_group
        ]
        st.markdown(f"<ul>{''.join(items)}</ul>", unsafe_allow_html=True)


run_page(main)
