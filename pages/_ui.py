"""What every page shares: the language, the store (built on first use, cached per build), links, errors."""

from __future__ import annotations

import html
import os
import threading
import time
from collections.abc import Callable, Sequence
from decimal import Decimal
from pathlib import Path
from urllib.parse import quote, urlencode

import streamlit as st
from _i18n import DEFAULT_LANGUAGE, LANGUAGE_LABEL, LANGUAGES, PROPERTY_NAMES, t

from kg_build import explore
from kg_build.engine.run import run_query
from kg_build.errors import PolicyKGError, StoreBusyError
from kg_build.explore import prefixed_name
from kg_build.model.vocab import POL_NS
from kg_build.store import GENERATIONS, Store, default_store_path, open_store

# --- language --------------------------------------------------------------------------------


SWITCH = "lang_switch"  # the sidebar widget's key; nothing else writes it


def lang() -> str:
    """The reader's language: the sidebar switch, else ?lang=…, else Chinese."""
    chosen = st.session_state.get(SWITCH) or st.query_params.get("lang", DEFAULT_LANGUAGE)
    return chosen if chosen in LANGUAGES else DEFAULT_LANGUAGE


def T(key: str, **values: object) -> str:  # noqa: N802 - short, used everywhere
    """The string for ``key`` in the reader's language."""
    return t(key, lang(), **values)


def language_switch() -> None:
    """The sidebar's language switch; the choice is kept in ?lang= too, so links and reloads keep it."""
    if SWITCH not in st.session_state:
        st.session_state[SWITCH] = lang()  # from ?lang=, once; the widget keeps it from then on
    chosen = st.sidebar.radio(
        LANGUAGE_LABEL,  # one label in both languages: a label that changed would make a new widget
        options=list(LANGUAGES),
        format_func=LANGUAGES.get,
        key=SWITCH,
        horizontal=True,
    )
    if chosen == DEFAULT_LANGUAGE and "lang" in st.query_params:
        del st.query_params["lang"]
    elif chosen != DEFAULT_LANGUAGE and st.query_params.get("lang") != chosen:
        st.query_params["lang"] = chosen


# --- links -----------------------------------------------------------------------------------


def href(page: str, /, *, language: str | None = None, **params: str | int) -> str:
    """A relative link to a page of this app, carrying the language when it is not the default.

    ``language``: the reader's, when the caller makes many links (``lang()`` reads the session each time).
    """
    language = language or lang()
    if language != DEFAULT_LANGUAGE:
        params = {**params, "lang": language}
    query = urlencode({k: str(v) for k, v in params.items()}, quote_via=quote)
    return f"./{page}?{query}" if query else f"./{page}"


def entity_href(iri: str, *, language: str | None = None) -> str:
    return href("entity", language=language, iri=iri)


def graph_href(iri: str, depth: int = 1, *, language: str | None = None) -> str:
    return href("graph", language=language, focus=iri, depth=depth)


_ESCAPES = str.maketrans(
    {
        "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;",
        "*": "&#42;", "_": "&#95;", "~": "&#126;", "$": "&#36;", "`": "&#96;", "[": "&#91;", "]": "&#93;",
        "\\": "&#92;", "|": "&#124;", "#": "&#35;",
    }
)


def number_text(value: object) -> str:
    """A number as the tables show it, every digit kept: grouped by thousands, no trailing zeros
    (5.5, 4,538,000, 0.0000001)."""
    return f"{Decimal(str(value)).normalize():,f}"


def esc(text: str) -> str:
    """Text for st.markdown: HTML-escaped, and markdown's own characters (* _ ~ $ …) as character references."""
    return text.translate(_ESCAPES)


def link(url: str, text: str, *, title: str = "") -> str:
    """An HTML link opening in this tab, its text escaped."""
    tip = f' title="{html.escape(title)}"' if title else ""
    return f'<a href="{html.escape(url)}" target="_self"{tip}>{esc(text)}</a>'


def labelled_link(iri: str, label_text: str, *, language: str | None = None) -> str:
    """A link column value: the entity page, with the label after ``#`` (percent-encoded) for the table to show."""
    return with_label(entity_href(iri, language=language), label_text)


def labelled_links(iris: Sequence[str], texts: Sequence[str], *, language: str) -> list[str]:
    """``labelled_link`` for many entities at once (a table of thousands): the same links, the page's part made once."""
    tail = "" if language == DEFAULT_LANGUAGE else "&" + urlencode({"lang": language}, quote_via=quote)
    return [f"./entity?iri={quote(iri, safe='')}{tail}#{quote(text, safe='')}" for iri, text in zip(iris, texts, strict=True)]


def with_label(url: str, label_text: str) -> str:
    """A URL carrying the text a LinkColumn shows (LABEL_IN_LINK decodes it)."""
    return f"{url}#{quote(label_text, safe='')}"


LABEL_IN_LINK = r"#(.*)$"  # LinkColumn display_text: what follows the # of labelled_link


# --- the store -------------------------------------------------------------------------------


def store_root() -> Path | str:
    """$KG_STORE (a folder, or an http(s):// SPARQL store), else the default store path."""
    location = os.environ.get("KG_STORE", "")
    return location if location.startswith(("http://", "https://")) else default_store_path()


@st.cache_resource(show_spinner=False, max_entries=2)
def _open_store(root: str, generation: str) -> Store:
    """One read-only handle per build; the old build's handle is dropped when a new one is cached."""
    store = open_store(root)
    store.named_graphs()  # a local store opens its generation here, once
    return store


def _build_bundled(root: Path | str) -> None:
    """Build the bundled reports into an empty store, showing progress."""
    from kg_build.build import build, discover  # noqa: PLC0415 - only needed on first use
    from kg_build.resources import bundled_reports_dir  # noqa: PLC0415

    store = open_store(root)
    files = discover([bundled_reports_dir()])
    with st.status(T("building"), expanded=True) as status:
        bar = st.progress(0.0)
        done: list[str] = []

        def progress(name: str) -> None:
            done.append(name)
            bar.progress(min(len(done) / max(len(files), 1), 1.0), text=T("building_file", name=name))

        try:
            build([bundled_reports_dir()], store=store, progress=progress)
        except StoreBusyError:  # another server's first build is writing it: wait for that one
            status.update(label=T("build_busy"))
            deadline = time.monotonic() + 300
            while not store.exists() and time.monotonic() < deadline:
                time.sleep(0.5)
            if not store.exists():
                raise
        status.update(label=T("built", count=len(files)), state="complete", expanded=False)


def store() -> Store:
    """The current build of the store, opened read-only; a local one is built from the bundled reports when missing."""
    root = store_root()
    probe = open_store(root)
    if probe.local_root is None and not probe.exists():  # a remote store is built into by its owner
        st.error(T("store_error", message=f"no reports in the SPARQL store at {probe.root}: "
                                          f"build into it with `kg-build build --store {probe.root}`"))
        st.stop()
    if not probe.exists():
        try:
            _build_bundled(root)
        except Exception as exc:  # noqa: BLE001 - any failure of the first build is shown, not raised
            st.error(T("build_failed", message=" ".join(str(exc).split()) or type(exc).__name__))
            st.stop()
    generation = probe.generation()
    if generation is None:
        st.error(T("store_error", message=f"no store at {root}"))
        st.stop()
    return _open_store(str(root), generation)


def leave_old_multipage_mode() -> None:
    """Leave Streamlit's old multipage mode before any widget is made, so app.py's router runs alone.

    Because a pages/ folder sits beside app.py, Streamlit runs a server's very first script run in its old
    multipage mode: pages/NAME.py by itself when the first URL is /NAME, app.py as one of its pages otherwise
    (and widgets made then lose their state on the next run). Turning that mode off and rerunning lets
    app.py (st.navigation) route the same URL. Called first by app.py and by every page.
    """
    try:
        from streamlit.runtime.pages_manager import PagesManager  # noqa: PLC0415 - Streamlit internals
    except ImportError:  # pragma: no cover - other Streamlit versions
        return
    if getattr(PagesManager, "uses_pages_directory", False):
        PagesManager.uses_pages_directory = False
        st.rerun()


def preload() -> None:
    """Import what the pages draw with (pandas and pyarrow for tables, altair and its schema for charts, the graph
    view) and start a query worker, once per server; open the current build in that worker, read its search
    facets, the figures /figures opens on and its regions' names, and start reading its labels for the search by
    name, once per build.

    The router calls it after the page is drawn, so a server's first page is not kept waiting and the
    next page a reader opens does not pay 0.5–1 s of imports.
    """
    import altair  # noqa: PLC0415
    import pandas  # noqa: PLC0415
    import pyarrow  # noqa: F401, PLC0415

    from kg_build import graphview  # noqa: F401, PLC0415
    from kg_build import search  # noqa: PLC0415
    from kg_build.engine.pool import default_pool  # noqa: PLC0415

    search.parse_query("预热")  # jieba's dictionary and OpenCC's tables: 1-2 s the first search would wait for
    # Altair's JSON schema, which it loads and compiles to check the first chart it writes: 0.05 s of a first chart
    altair.Chart(pandas.DataFrame({"x": [0]})).mark_point().encode(x="x:Q").to_dict()
    default_pool().warm()  # a query worker started: the first page that reads the store need not wait for one
    local = open_store(store_root())
    generation = local.generation() if local.local_root is not None else None
    if generation and (str(local.root), generation) not in _WARMED:  # once per build
        _WARMED.add((str(local.root), generation))
        search.warm(Path(local.local_root) / GENERATIONS / generation)  # its facet groups: 0.1-0.2 s at 10M quads
        try:  # a worker opens this build and runs its first query (0.15-0.3 s at 10M) before a reader's page does
            run_query(_open_store(str(local.root), generation), "ASK { ?s ?p ?o }")
            # the figures /figures opens on (the latest plan year's, in Chinese): 0.25 s at 10M a first visit waits for
            reports = cached_reports(str(local.root), generation)
            cached_figures(str(local.root), generation, explore.default_figure_reports(reports), DEFAULT_LANGUAGE)
            # the names of their regions (/ and /figures): 0.04-0.1 s at 10M
            cached_labels(str(local.root), generation, region_iris(reports), DEFAULT_LANGUAGE)
        except (PolicyKGError, OSError):  # the page that next reads the store says what is wrong
            pass
        # the labels a search by name looks in (/graph's find, /entity?q=): 1.2 s at 10M quads that a build's first
        # such search would wait for, read on a thread of their own so that a reader's next page does not wait
        threading.Thread(target=_read_labels, args=(local,), name="kg-labels", daemon=True).start()


def _read_labels(local: Store) -> None:
    try:
        explore.label_texts(local)
    except Exception:  # noqa: BLE001 - a head start only: the search that next reads them says what is wrong
        pass


_WARMED: set[tuple[str, str]] = set()  # the builds preload has opened in a worker


def run_page(body: Callable[[], None]) -> None:
    """Run a page; errors a reader can cause or a rebuild can bring are shown as messages, never as tracebacks."""
    leave_old_multipage_mode()
    try:
        body()
    except PolicyKGError as exc:
        st.error(str(exc))
    except OSError as exc:
        st.error(T("store_error", message=" ".join(str(exc).split())))
        st.info(T("store_retry"))


# --- cached reads (keyed by store root and build, so a rebuild is a cache miss) ---------------


def key() -> tuple[str, str]:
    """(store root, generation) of the store the page reads."""
    s = store()
    return (str(s.root), s.generation() or "")


@st.cache_data(show_spinner=False, max_entries=16)
def cached_reports(root: str, generation: str) -> list[explore.ReportRow]:
    """Every report with its region, plan year and counts: read once per build, for every page that lists them."""
    return explore.reports(_open_store(root, generation))


@st.cache_data(show_spinner=False, max_entries=32)
def cached_figures(root: str, generation: str, reports: tuple[str, ...], language: str) -> list[explore.FigureRow]:
    """The figures of these reports (/figures), read once per build and choice of reports."""
    return explore.figures(_open_store(root, generation), reports, lang=language)


@st.cache_data(show_spinner=False, max_entries=256)
def cached_labels(root: str, generation: str, iris: tuple[str, ...], language: str) -> dict[str, str]:
    return explore.labels(_open_store(root, generation), iris, lang=language)


def labels(iris: list[str] | tuple[str, ...] | set[str]) -> dict[str, str]:
    """Labels in the reader's language for many IRIs, in one batched, cached lookup."""
    root, generation = key()
    return cached_labels(root, generation, tuple(sorted({str(i) for i in iris})), lang())


@st.cache_data(show_spinner=False, max_entries=128)
def _where_named(root: str, generation: str, iris: tuple[str, ...]) -> dict[str, list[str]]:
    from kg_build.browse import where_named  # noqa: PLC0415 - only the label search needs it

    return where_named(_open_store(root, generation), iris)


# --- the reports' regions and titles in the reader's language (facets and URLs keep the Chinese name as value) ---


def region_iris(reports: Sequence[explore.ReportRow]) -> tuple[str, ...]:
    """The reports' regions, as the pages ask for their labels (one cached lookup for them all)."""
    return tuple(sorted({r.region_iri for r in reports if r.region_iri}))


def region_names() -> dict[str, str]:
    """Each report region's name in the reader's language (Fujian Province), by its Chinese name (福建省)."""
    root, generation = key()
    iris = {r.region: r.region_iri for r in cached_reports(root, generation) if r.region and r.region_iri}
    if lang() == DEFAULT_LANGUAGE:
        return {name: name for name in iris}
    names = labels(set(iris.values()))
    return {name: names.get(iri) or name for name, iri in iris.items()}


def report_titles() -> dict[str, str]:
    """Each report's title in the reader's language (Fujian Province Government Work Report 2026), by its IRI."""
    root, generation = key()
    rows = cached_reports(root, generation)
    if lang() == DEFAULT_LANGUAGE:
        return {r.iri: r.title for r in rows}
    names = labels({r.iri for r in rows})
    return {r.iri: names.get(r.iri) or r.title for r in rows}


def named_in(iris: list[str], *, shown: int = 2) -> dict[str, str]:
    """For label-search hits: the regions and years of the reports that name each IRI (湖里区 2026 · 福建省 2026 +3)."""
    root, generation = key()
    where = _where_named(root, generation, tuple(sorted(set(iris))))
    rows = {r.iri: r for r in cached_reports(root, generation)}
    regions = region_names()
    result = {}
    for iri, found in where.items():
        names = sorted({f"{regions.get(rows[g].region, rows[g].region)} {rows[g].plan_year or ''}".strip()
                        for g in found if g in rows})
        more = f" +{len(names) - shown}" if len(names) > shown else ""
        result[iri] = " · ".join(names[:shown]) + more
    return result


def class_name(local: str) -> str:
    """A pol: class's label in the reader's language (from the ontology)."""
    if not local:
        return "?"
    return labels([POL_NS + local]).get(POL_NS + local, local)


def class_names(locals_: list[str]) -> dict[str, str]:
    names = labels([POL_NS + c for c in locals_ if c])
    return {c: names.get(POL_NS + c, c) for c in locals_}


def property_names(iris: list[str]) -> dict[str, str]:
    """Readers' names for properties: the ontology's labels for pol:, a table for the others."""
    names = labels([i for i in iris if i.startswith(POL_NS)])
    result = {}
    for iri in iris:
        if iri in names:
            result[iri] = names[iri]
            continue
        short = prefixed_name(iri)
        pair = PROPERTY_NAMES.get(short)
        result[iri] = (pair[1] if lang() == "en" else pair[0]) if pair else short
    return result


def format_time(seconds: float | None) -> str:
    if seconds is None:
        return "—"
    return time.strftime("%Y-%m-%d %H:%M:%S", time.localtime(seconds))
