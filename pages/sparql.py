"""SPARQL workbench (/sparql): saved queries, an editor, guarded runs, labelled results and full downloads.

The URL always reproduces the query: ?query=NAME (with its parameters) for an unchanged saved query,
?q=TEXT otherwise. Opening such a URL runs the query.
"""

from __future__ import annotations

import sys
from pathlib import Path

PAGES = str(Path(__file__).resolve().parent)
if PAGES not in sys.path:  # _ui and _i18n, also when Streamlit runs this page without app.py
    sys.path.insert(0, PAGES)
from decimal import Decimal

import pandas as pd
import streamlit as st
from _ui import LABEL_IN_LINK, T, labelled_link, labels, lang, run_page, store  # noqa: E402

from kg_build import workbench
from kg_build.engine import QueryRefused, QuerySyntaxError, QueryTimeout
from kg_build.errors import QueryError
from kg_build.explore import prefixed_name
from kg_build.queries import SavedQuery, needs_sparql11, saved_queries
from rdflib import BNode, Literal, URIRef
from rdflib.namespace import XSD

TEXT = "sq_text"  # the editor's widget key
NUMERIC = {XSD.integer, XSD.decimal, XSD.double, XSD.float, XSD.int, XSD.long, XSD.nonNegativeInteger}
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
    """Make the URL reproduce the current query (and remember that we wrote it)."""
    current_lang = st.query_params.get("lang")
    st.query_params.clear()
    if name is not None:
        st.query_params["query"] = name
        for k, v in params.items():
            if v:
                st.query_params[k] = v
    elif text.strip():
        st.query_params["q"] = text
    if current_lang:
        st.query_params["lang"] = current_lang
    st.session_state["sq_url"] = _url_signature()


def _load_from_url(queries: dict[str, SavedQuery]) -> None:
    """Open what the URL names (a saved query with its parameters, or a query text) and ask to run it."""
    st.session_state["sq_url"] = _url_signature()
    name = st.query_params.get("query")
    text = st.query_params.get("q")
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
    elif text:
        st.session_state.update(sq_name=None, sq_params={}, sq_run=True)
        st.session_state[TEXT] = text
    else:
        st.session_state.update(sq_name=None, sq_params={}, sq_result=None)


def _open_saved(name: str) -> None:
    saved = _saved()[name]
    params = {p.name: p.default or "" for p in saved.parameters}
    st.session_state.update(sq_name=name, sq_params=params, sq_run=True, sq_result=None)
    st.session_state[TEXT] = saved.text
    for p in saved.parameters:
        st.session_state[f"sq_param_{p.name}"] = params[p.name]
    _set_url(name, params, saved.text)


def _request_run() -> None:
    st.session_state["sq_run"] = True


# --- results ---------------------------------------------------------------------------------


def _cell_text(term: object, names: dict[str, str]) -> str | None:
    if term is None:
        return None
    if isinstance(term, URIRef):
        return names.get(str(term), prefixed_name(str(term)))
    if isinstance(term, BNode):
        return f"_:{term}"
    if isinstance(term, Literal) and term.language:
        return f"{term}"
    return str(term)


def _number(term: Literal) -> float | int:
    value = Decimal(str(term))
    return int(value) if value == value.to_integral_value() and abs(value) < 2**53 else float(value)


def results_frame(variables: list[str], rows: list[tuple], names: dict[str, str]) -> tuple[pd.DataFrame, dict]:
    """A table of terms: IRI columns as links labelled in the reader's language, numbers as numbers."""
    data: dict[str, list] = {}
    config: dict = {}
    for index, var in enumerate(variables):
        column = [row[index] for row in rows]
        present = [t for t in column if t is not None]
        if present and all(isinstance(t, URIRef) for t in present):
            data[var] = [
                labelled_link(str(t), names.get(str(t), prefixed_name(str(t)))) if t is not None else None
                for t in column
            ]
            config[var] = st.column_config.LinkColumn(var, display_text=LABEL_IN_LINK)
        elif present and all(isinstance(t, Literal) and t.datatype in NUMERIC for t in present):
            try:
                data[var] = [_number(t) if t is not None else None for t in column]
            except ArithmeticError:
                data[var] = [_cell_text(t, names) for t in column]
        else:
            data[var] = [_cell_text(t, names) for t in column]
    return pd.DataFrame(data, columns=variables), config


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
    name = st.session_state.get("sq_name") or "query"
    with st.container(horizontal=True):
        st.download_button(T("download_csv"), workbench.to_csv(run), f"{name}.csv", "text/csv", on_click="ignore")
        st.download_button(
            T("download_json"), workbench.to_json(run), f"{name}.json", "application/json", on_click="ignore"
        )
        if run.form in ("CONSTRUCT", "DESCRIBE"):
            st.download_button(
                T("download_turtle"), workbench.to_turtle(run), f"{name}.ttl", "text/turtle", on_click="ignore"
            )
    if not variables:
        return
    if not rows:
        st.info(T("no_rows"))
        return
    names = labels({str(t) for row in rows for t in row if isinstance(t, URIRef)})
    frame, config = results_frame(variables, rows, names)
    st.dataframe(frame, hide_index=True, column_config=config, height=min(38 + 35 * len(frame), 600))


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
            first, second, _ = st.columns([1, 1.4, 5], vertical_alignment="bottom")
            first.number_input(T("page"), min_value=1, value=1, step=1, key="sq_page")
            second.checkbox(T("all_rows", size=saved.page_size), key="sq_all_rows")

    st.html(EDITOR_STYLE)
    st.text_area(T("editor"), key=TEXT, height=300)
    left, middle, right = st.columns([1, 1.4, 5], vertical_alignment="bottom")
    left.button(T("run"), type="primary", on_click=_request_run, width="stretch")
    timeout = middle.number_input(
        T("timeout"), min_value=1, max_value=workbench.max_timeout_s(),
        value=min(int(workbench.DEFAULT_TIMEOUT_S), workbench.max_timeout_s()), step=1, key="sq_timeout"
    )
    right.caption(T("limits", timeout=timeout, shown=workbench.SHOWN_ROWS, cap=workbench.MAX_ROWS))

    text = st.session_state.get(TEXT, "")
    if st.session_state.pop("sq_run", False):
        params = {p.name: st.session_state.get(f"sq_param_{p.name}", "") for p in saved.parameters} if saved else {}
        unchanged = saved is not None and text == saved.text
        if not unchanged:
            st.session_state["sq_name"] = None
        _set_url(name if unchanged else None, params, text)
        if not text.strip():
            st.session_state["sq_result"] = {"error": T("empty_query")}
        else:
            status = st.empty()
            stop = st.empty()
            stop.button(T("stop"), key="sq_stop")

            def tick(seconds: float) -> None:
                status.caption(T("running", seconds=seconds))

            st.session_state["sq_result"] = {"stopped": True}  # what shows if a click stops the run
            try:
                page = None if st.session_state.get("sq_all_rows") else int(st.session_state.get("sq_page", 1))
                bound = saved.bind(params, page=page, sparql11=needs_sparql11(root)) if unchanged else text
                run = workbench.run_query(root, bound, timeout_s=float(timeout), on_wait=tick)
                st.session_state["sq_result"] = {"run": run}
            except QueryError as exc:
                st.session_state["sq_result"] = {"error": exc}
            status.empty()
            stop.empty()

    result = st.session_state.get("sq_result")
    if result:
        if "stopped" in result:
            st.info(T("query_stopped"))
        elif "error" in result:
            _show_error(result["error"])
        else:
            _show_result(result["run"])
    st.caption(T("share_hint"))


run_page(main)
