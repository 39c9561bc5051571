"""SPARQL workbench (/sparql): saved queries, a SPARQL editor, guarded runs, results as a table, a chart or
a graph, downloads of the page shown, and the session's history.

The URL always reproduces what is shown: ?query=NAME (with its parameters and ?page=) for an unchanged saved
query, ?q=TEXT otherwise, and ?view= (table, bar, line, graph). Opening such a URL runs the query.
The logic is kg_build.workbench's; this file lays it out.
"""

from __future__ import annotations

import sys
import time
from pathlib import Path

PAGES = str(Path(__file__).resolve().parent)
if PAGES not in sys.path:  # _ui and _i18n, also when Streamlit runs this page without app.py
    sys.path.insert(0, PAGES)

import pandas as pd
import streamlit as st
from _graph_view import graph_view  # noqa: E402
from _sparql_editor import sparql_editor  # noqa: E402
from _ui import LABEL_IN_LINK, T, labelled_link, labels, lang, run_page, store  # noqa: E402

from kg_build import graphview, workbench
from kg_build.engine import QueryRefused, QuerySyntaxError, QueryTimeout
from kg_build.errors import QueryError
from kg_build.explore import GraphEdge, GraphNode, Neighbourhood, prefixed_name
from kg_build.queries import SavedQuery, needs_sparql11, saved_queries
from rdflib import BNode, URIRef

TEXT = "sq_text"  # the query's text: the plain-text editor's widget key, which the code editor keeps in step
EDITOR = "sq_editor"  # the code editor's component key
EDITOR_STYLE = (
    "<style>.stTextArea textarea { font-family: 'Source Code Pro', 'DejaVu Sans Mono', monospace; "
    "font-size: 13px; }</style>"
)


@st.cache_data(show_spinner=False, ttl=30)
def _saved() -> dict[str, SavedQuery]:
    return saved_queries()


# --- state <-> URL ---------------------------------------------------------------------------


def _url_signature() -> tuple[tuple[str, str], ...]:
    return tuple(sorted((k, v) for k, v in st.query_params.items() if k != "lang"))


def _set_url(name: str | None, params: dict[str, str], text: str) -> None:
    """Make the URL reproduce the current query, its page and its view (and remember that we wrote it)."""
    current_lang = st.query_params.get("lang")
    st.query_params.clear()
    if name is not None:
        st.query_params["query"] = name
        for k, v in params.items():
            if v:
                st.query_params[k] = v
        page = _page_in_url()
        if page:
            st.query_params["page"] = page
    elif text.strip():
        st.query_params["q"] = text
    view = st.session_state.get("sq_view")
    if view and view != "table" and (name is not None or text.strip()):
        st.query_params["view"] = view
    timeout = st.session_state.get("sq_timeout")
    if timeout and int(timeout) != _default_timeout() and (name is not None or text.strip()):
        st.query_params["timeout"] = str(int(timeout))
    if current_lang:
        st.query_params["lang"] = current_lang
    st.session_state["sq_url"] = _url_signature()


def _default_timeout() -> int:
    return min(int(workbench.DEFAULT_TIMEOUT_S), workbench.max_timeout_s())


def _page_in_url() -> str:
    """The page of a listing query as the URL holds it: a number, "all", or nothing for the first page."""
    if st.session_state.get("sq_all_rows"):
        return "all"
    page = int(st.session_state.get("sq_page", 1) or 1)
    return str(page) if page > 1 else ""


def _load_from_url(queries: dict[str, SavedQuery]) -> None:
    """Open what the URL names (a saved query with its parameters and page, or a text) and ask to run it."""
    st.session_state["sq_url"] = _url_signature()
    name = st.query_params.get("query")
    text = st.query_params.get("q")
    view = st.query_params.get("view")
    st.session_state["sq_url_view"] = view if view in workbench.VIEWS else None
    timeout = st.query_params.get("timeout", "")
    if timeout.isdigit() and 1 <= int(timeout) <= workbench.max_timeout_s():
        st.session_state["sq_timeout"] = int(timeout)
    if name:
        if name not in queries:
            st.session_state["sq_missing"] = name
            return
        saved = queries[name]
        st.session_state.update(
            sq_name=name,
            sq_params={p.name: st.query_params.get(p.name, p.default or "") for p in saved.parameters},
            sq_run=True,
        )
        st.session_state[TEXT] = saved.text
        for p in saved.parameters:
            st.session_state[f"sq_param_{p.name}"] = st.session_state["sq_params"][p.name]
        page = st.query_params.get("page", "")
        st.session_state["sq_all_rows"] = page == "all"
        st.session_state["sq_page"] = int(page) if page.isdigit() and int(page) > 0 else 1
    elif text:
        st.session_state.update(sq_name=None, sq_params={}, sq_run=True)
        st.session_state[TEXT] = text
    else:
        st.session_state.update(sq_name=None, sq_params={}, sq_result=None)


def _open_saved(name: str, params: dict[str, str] | None = None, page: int = 1, every_row: bool = False) -> None:
    saved = _saved()[name]
    params = params if params is not None else {p.name: p.default or "" for p in saved.parameters}
    st.session_state.update(sq_name=name, sq_params=params, sq_run=True, sq_result=None)
    st.session_state.update(sq_page=page, sq_all_rows=every_row)
    st.session_state[TEXT] = saved.text
    for p in saved.parameters:
        st.session_state[f"sq_param_{p.name}"] = params.get(p.name, "")
    _set_url(name, params, saved.text)


def _restore(index: int) -> None:
    """Open a query of the session's history again, as it was, and run it."""
    entry = st.session_state.get("sq_history", [])[index]
    if entry["name"] and entry["name"] in _saved():
        page = entry.get("page")
        _open_saved(entry["name"], dict(entry["params"]), page or 1, page is None and entry.get("paged", False))
    else:
        st.session_state.update(sq_name=None, sq_params={}, sq_run=True, sq_result=None)
        st.session_state[TEXT] = entry["text"]


def _from_editor() -> None:
    """The code editor's answer: its text (unless Python has replaced the text since), and a run on Ctrl+Enter or
    when the text comes straight after a click on 运行 (``workbench.editor_runs``)."""
    value = st.session_state.get(EDITOR) or {}
    if value.get("version") != st.session_state.get("sq_editor_version"):
        return
    before = st.session_state.get(TEXT)
    st.session_state[TEXT] = st.session_state["sq_editor_text"] = value.get("text", "")
    clicked = st.session_state.get("sq_clicked_at")
    if workbench.editor_runs(ctrl_enter=bool(value.get("run")), changed=value.get("text", "") != before,
                             since_click_s=None if clicked is None else time.monotonic() - clicked):
        st.session_state["sq_run"] = True


def _pick_view() -> None:
    st.session_state["sq_view"] = st.session_state.get("sq_view_pick") or "table"
    if st.session_state["sq_view"] == "table":
        st.query_params.pop("view", None)
    else:
        st.query_params["view"] = st.session_state["sq_view"]
    st.session_state["sq_url"] = _url_signature()


def _request_run() -> None:
    st.session_state["sq_run"] = True
    st.session_state["sq_clicked_at"] = time.monotonic()


# --- results ---------------------------------------------------------------------------------


def _cell_text(term: object, names: dict[str, str]) -> str:
    """A cell as text; an unbound one is empty (never "None")."""
    if term is None:
        return ""
    if isinstance(term, URIRef):
        return names.get(str(term), prefixed_name(str(term)))
    if isinstance(term, BNode):
        return f"_:{term}"
    return str(term)


def results_frame(variables: list[str], rows: list[tuple], names: dict[str, str]) -> tuple[pd.DataFrame, dict]:
    """A table of terms: IRI columns as links labelled in the reader's language, numbers as numbers, gaps empty."""
    data: dict[str, list] = {}
    config: dict = {}
    for index, var in enumerate(variables):
        column = [row[index] for row in rows]
        present = [t for t in column if t is not None]
        if present and all(isinstance(t, URIRef) for t in present):
            data[var] = [
                labelled_link(str(t), names.get(str(t), prefixed_name(str(t)))) if t is not None else ""
                for t in column
            ]
            config[var] = st.column_config.LinkColumn(var, display_text=LABEL_IN_LINK)
        elif present and len(present) == len(column) and all(workbench.is_number(t) for t in present):
            data[var] = [workbench.number(t) for t in column]  # a gap in a number column would show "None"
            widest = max(len(f"{v:,}") for v in data[var] if v is not None) if any(v is not None for v in data[var]) else 0
            if widest > max(len(var), 6):  # sized by its header, a column would cut 5200000000000 on the left
                config[var] = st.column_config.NumberColumn(var, width="medium")
        else:
            data[var] = [_cell_text(t, names) for t in column]
    return pd.DataFrame(data, columns=variables), config


def _chart(kind: str, variables: list[str], rows: list[tuple], names: dict[str, str]) -> None:
    x, ys = workbench.chart_columns(variables, rows)
    x_index = variables.index(x)
    frame = pd.DataFrame(
        {
            x: [_cell_text(row[x_index], names) for row in rows],
            **{
                y: [workbench.number(row[i]) if row[i] is not None else None for row in rows]
                for y in ys
                for i in [variables.index(y)]
            },
        }
    )
    if kind == "bar":
        st.bar_chart(frame, x=x, y=ys, sort=False, stack=False)
    else:
        st.line_chart(frame, x=x, y=ys)


def _node(term: object, names: dict[str, str]) -> tuple[str, str]:
    if isinstance(term, URIRef):
        return str(term), names.get(str(term), prefixed_name(str(term)))
    return f"literal:{term}", str(term)


def _graph(variables: list[str], rows: list[tuple], names: dict[str, str]) -> None:
    edges = workbench.graph_edges(variables, rows)
    shown = edges[: workbench.GRAPH_EDGES]
    if len(edges) > len(shown):
        st.caption(T("wb_graph_cap", shown=len(shown), edges=len(edges)))
    nodes: dict[str, GraphNode] = {}
    links = []
    property_names: dict[str, str] = {}
    for source, prop, target in shown:
        (a, a_label), (b, b_label) = _node(source, names), _node(target, names)
        nodes.setdefault(a, GraphNode(a, a_label, "", 1))
        nodes.setdefault(b, GraphNode(b, b_label, "", 1))
        prop_id = str(prop)
        property_names[prop_id] = names.get(prop_id, prefixed_name(prop_id)) if isinstance(prop, URIRef) else prop_id
        links.append(GraphEdge(a, b, prop_id))
    hood = Neighbourhood(focus=next(iter(nodes), ""), depth=1, nodes=list(nodes.values()), edges=links)
    graph_view(graphview.network_args(hood, class_names={}, property_names=property_names, height=560), height=610)


def _downloads(run: workbench.QueryRun) -> None:
    name = st.session_state.get("sq_name")
    saved = _saved().get(name) if name else None
    page = None
    if saved is not None and saved.page_size and not st.session_state.get("sq_all_rows"):
        page = int(st.session_state.get("sq_page", 1) or 1)
    with st.container(horizontal=True):
        st.download_button(
            T("download_csv"), workbench.to_csv(run), workbench.download_name(name, "csv", page=page), "text/csv",
            on_click="ignore",
        )
        st.download_button(
            T("download_json"), workbench.to_json(run), workbench.download_name(name, "json", page=page),
            "application/json", on_click="ignore",
        )
        if run.form in ("CONSTRUCT", "DESCRIBE"):
            st.download_button(
                T("download_turtle"), workbench.to_turtle(run), workbench.download_name(name, "ttl", page=page),
                "text/turtle", on_click="ignore",
            )


def _show_result(run: workbench.QueryRun) -> None:
    shown = workbench.SHOWN_ROWS
    if run.form == "ASK":
        st.write(T("ask_in", value="true" if run.boolean else "false", ms=run.elapsed_ms))
    else:
        key_name = "rows_in" if run.form == "SELECT" else "triples_in"
        st.markdown(f"**{T(key_name, rows=run.count, ms=run.elapsed_ms)}**")
        if run.count > shown:
            st.caption(T("shown_cap", shown=shown, rows=run.count))
        if run.truncated:
            st.warning(T("cut_cap", cap=run.max_rows))
    if run.form == "SELECT":
        variables, rows = run.variables, run.rows[:shown]
    elif run.form in ("CONSTRUCT", "DESCRIBE"):
        variables, rows = ["subject", "predicate", "object"], run.triples[:shown]
    else:
        variables, rows = [], []
    _downloads(run)
    if not variables:
        return
    if not rows:
        st.info(T("no_rows"))
        return
    views = workbench.views_for(run.form, variables, rows)
    view = st.session_state.get("sq_view") or "table"
    view = view if view in views else "table"
    if len(views) > 1:
        st.session_state["sq_view_pick"] = view
        st.segmented_control(
            T("wb_view"), views, format_func=lambda v: T(f"wb_view_{v}"), key="sq_view_pick", on_change=_pick_view,
            required=True,
        )
    names = labels({str(t) for row in rows for t in row if isinstance(t, URIRef)})
    if view in ("bar", "line"):
        _chart(view, variables, rows, names)
    elif view == "graph":
        _graph(variables, rows, names)
    else:
        frame, config = results_frame(variables, rows, names)
        st.dataframe(frame, hide_index=True, column_config=config, height=min(38 + 35 * len(frame), 600))


def _history() -> None:
    history = st.session_state.get("sq_history", [])
    if not history:
        return
    with st.expander(T("wb_history", count=len(history))):
        for index, entry in enumerate(history):
            left, right = st.columns([6, 1], vertical_alignment="center")
            title = entry["name"] or " ".join(entry["text"].split())[:120]
            page = f" · {T('page')} {entry['page']}" if entry.get("page") else ""
            rows = f" · {T('wb_history_rows', rows=entry['rows'])}" if entry.get("rows") is not None else ""
            left.markdown(f"`{title}`{page}{rows}")
            right.button(T("wb_restore"), key=f"sq_history_{index}", on_click=_restore, args=(index,))


ERROR_TITLES = {QueryRefused: "query_refused", QuerySyntaxError: "query_syntax", QueryTimeout: "query_timeout"}


def _show_error(error: QueryError | str) -> None:
    """A refused, malformed, stopped or failed query: a title by its kind (not by its wording), then its message."""
    title = next((T(key) for kind, key in ERROR_TITLES.items() if isinstance(error, kind)), T("query_failed"))
    st.error(f"**{title}** — {error}")


# --- the page --------------------------------------------------------------------------------


def gallery(queries: dict[str, SavedQuery]) -> None:
    with st.expander(T("gallery"), expanded=not st.session_state.get(TEXT)):
        columns = st.columns(3)
        for index, (name, saved) in enumerate(queries.items()):
            with columns[index % 3].container(border=True):
                st.markdown(f"**{saved.title_in(lang())}**  \n`{name}`")
                st.caption(saved.description_in(lang()))
                st.button(T("open"), key=f"sq_open_{name}", on_click=_open_saved, args=(name,))


def _editor() -> None:
    """The code editor (kept in step with the plain-text one, which stays for keyboards and screen readers)."""
    text = st.session_state.get(TEXT, "")
    if text != st.session_state.get("sq_editor_text"):  # replaced from here: the editor takes the new text
        st.session_state["sq_editor_version"] = st.session_state.get("sq_editor_version", 0) + 1
        st.session_state["sq_editor_text"] = text
    words = [w.as_dict() for w in workbench.completions(lang())]
    sparql_editor(
        text, version=st.session_state["sq_editor_version"], words=words, key=EDITOR, on_change=_from_editor,
        label=T("editor"),
    )
    st.caption(T("wb_editor_help"))
    with st.expander(T("wb_plain")):
        st.html(EDITOR_STYLE)
        st.text_area(T("editor"), key=TEXT, height=300)


def _run(root: Path, saved: SavedQuery | None, name: str | None, timeout: int) -> None:
    text = st.session_state.get(TEXT, "")
    params = {p.name: st.session_state.get(f"sq_param_{p.name}", "") for p in saved.parameters} if saved else {}
    unchanged = saved is not None and text == saved.text
    if not unchanged:
        st.session_state["sq_name"] = None
    url_view = st.session_state.pop("sq_url_view", None)
    st.session_state["sq_view"] = url_view or workbench.default_view(text) or "table"
    _set_url(name if unchanged else None, params, text)
    if not text.strip():
        st.session_state["sq_result"] = {"error": T("empty_query")}
        return
    status = st.empty()
    stop = st.empty()
    stop.button(T("stop"), key="sq_stop")

    def tick(seconds: float) -> None:
        status.caption(T("running", seconds=seconds))

    st.session_state["sq_result"] = {"stopped": True}  # what shows if a click stops the run
    page = None if st.session_state.get("sq_all_rows") else int(st.session_state.get("sq_page", 1))
    bound = saved.bind(params, page=page, sparql11=needs_sparql11(root)) if unchanged else text
    complete, added = workbench.add_missing_prefixes(bound)  # what runs is what the guard checks
    entry = {
        "name": name if unchanged else None, "params": params if unchanged else {}, "text": text,
        "page": page if unchanged and saved.page_size else None, "paged": bool(unchanged and saved.page_size),
        "rows": None,
    }
    try:
        run = workbench.run_query(root, complete, timeout_s=float(timeout), on_wait=tick)
        st.session_state["sq_result"] = {"run": run, "added": added}
        entry["rows"] = run.count if run.form != "ASK" else None
    except QuerySyntaxError as exc:
        message = workbench.syntax_message(complete, str(exc), lines_added=len(added))
        st.session_state["sq_result"] = {"error": QuerySyntaxError(message)}
    except QueryError as exc:
        st.session_state["sq_result"] = {"error": exc}
    st.session_state["sq_history"] = workbench.remember(st.session_state.get("sq_history", []), entry)
    status.empty()
    stop.empty()


def main() -> None:
    st.title(T("sparql_title"))
    root = store().root  # builds the bundled reports on first use
    queries = _saved()
    workbench.default_pool().warm()
    if st.session_state.get("sq_url") != _url_signature():
        _load_from_url(queries)
    missing = st.session_state.pop("sq_missing", None)
    if missing:
        st.error(T("unknown_query", name=missing) + " " + ", ".join(queries))

    gallery(queries)
    name = st.session_state.get("sq_name")
    saved = queries.get(name) if name else None
    if saved is not None:
        st.markdown(f"#### {saved.title_in(lang())}")
        st.caption(saved.description_in(lang()))
        if saved.parameters:
            columns = st.columns(min(len(saved.parameters), 3))
            for index, p in enumerate(saved.parameters):
                st.session_state.setdefault(f"sq_param_{p.name}", st.session_state.get("sq_params", {}).get(p.name, ""))
                columns[index % len(columns)].text_input(
                    f"{p.name} ({p.type})", key=f"sq_param_{p.name}", help=p.description, placeholder=p.default or ""
                )
        if saved.page_size:  # a listing: one page of rows at a time, or every row (up to the download cap)
            first, second, _ = st.columns([1, 2.4, 4], vertical_alignment="bottom")
            st.session_state.setdefault("sq_page", 1)
            first.number_input(T("page"), min_value=1, step=1, key="sq_page")
            second.checkbox(T("all_rows", size=saved.page_size), key="sq_all_rows")

    _editor()
    left, middle, right = st.columns([1, 1.4, 5], vertical_alignment="bottom")
    left.button(T("run"), type="primary", on_click=_request_run, width="stretch")
    st.session_state.setdefault("sq_timeout", _default_timeout())
    timeout = middle.number_input(
        T("timeout"), min_value=1, max_value=workbench.max_timeout_s(), step=1, key="sq_timeout"
    )
    right.caption(T("limits", timeout=timeout, shown=workbench.SHOWN_ROWS, cap=workbench.MAX_ROWS))

    if st.session_state.pop("sq_run", False):
        _run(root, saved, name, timeout)

    result = st.session_state.get("sq_result")
    if result:
        if "stopped" in result:
            st.info(T("query_stopped"))
        elif "error" in result:
            _show_error(result["error"])
        else:
            if result.get("added"):
                st.caption(T("wb_declared", prefixes=", ".join(f"{p}:" for p in result["added"])))
            _show_result(result["run"])
    _history()
    st.caption(T("share_hint"))


run_page(main)
