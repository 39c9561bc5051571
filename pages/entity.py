"""Entity page (/entity?iri=…): labels, classes, every fact grouped by property, sources with the span marked."""

from __future__ import annotations

import re
import sys
from pathlib import Path

PAGES = str(Path(__file__).resolve().parent)
if PAGES not in sys.path:  # _ui and _i18n, also when Streamlit runs this page without app.py
    sys.path.insert(0, PAGES)

import streamlit as st  # noqa: E402
from _ui import (  # noqa: E402
    T,
    _open_store,
    esc,
    class_name,
    entity_href,
    graph_href,
    key,
    labels,
    lang,
    link,
    named_in,
    property_names,
    run_page,
)
from rdflib import Literal, URIRef

from kg_build import explore
from kg_build.explore import DATA_NS, LABEL_LANGUAGES, POL_NS, is_iri, local_name, prefixed_name

VALUES_SHOWN = 60
SOURCES_SHOWN = 20  # a page of sources: each is a quoted sentence, and a region is read from hundreds
NEIGHBOURS_SHOWN = 200
LONG_LITERAL = 400


@st.cache_data(show_spinner=False, max_entries=128)
def _entity(
    root: str, generation: str, iri: str
) -> tuple[explore.EntitySummary | None, list[explore.FactGroup], list[explore.Source]]:
    store = _open_store(root, generation)
    summary = explore.entity_summary(store, iri)
    if summary is None:
        return None, [], []
    return summary, explore.entity_facts(store, iri), explore.entity_sources(store, iri)


@st.cache_data(show_spinner=False, max_entries=64)
def _search(root: str, generation: str, text: str, language: str) -> list[explore.SearchHit]:
    return explore.search(_open_store(root, generation), text, limit=30, lang=language)


def _literal_html(value: Literal) -> str:
    text = str(value)
    body = esc(text)
    if len(text) > LONG_LITERAL:
        body = f'<div style="max-height:10em;overflow:auto;white-space:pre-wrap">{body}</div>'
    tag = value.language or (prefixed_name(str(value.datatype)) if value.datatype else "")
    return f'{body} <small style="color:#888">{esc(tag)}</small>' if tag else body


SPAN_IRI = re.compile(r"/report/([^/]+)/text#char=(\d+),(\d+)$")


def _value_html(value: object, names: dict[str, str]) -> str:
    if isinstance(value, URIRef):
        text = names.get(str(value), prefixed_name(str(value)))
        html = link(entity_href(str(value)), text, title=str(value))
        span = SPAN_IRI.search(str(value))
        if span:  # a stretch of text: say where it is, the words alone are ambiguous
            where = f"{span.group(1)} · {T('characters', begin=span.group(2), end=span.group(3))}"
            html += f' <small style="color:#888">{esc(where)}</small>'
        return html
    if isinstance(value, Literal):
        return _literal_html(value)
    return esc(str(value))


def _facts_table(groups: list[explore.FactGroup], names: dict[str, str], props: dict[str, str]) -> str:
    rows = []
    for group in groups:
        values = [_value_html(v, names) for v in group.values[:VALUES_SHOWN]]
        if len(group.values) > VALUES_SHOWN:
            values.append(esc(T("more_values", count=len(group.values) - VALUES_SHOWN)))
        name = props.get(group.property, prefixed_name(group.property))
        rows.append(
            f'<tr><td style="vertical-align:top;width:32%"><b>{esc(name)}</b><br>'
            f'<small style="color:#888">{esc(prefixed_name(group.property))}</small></td>'
            f'<td>{"<br>".join(values)}</td></tr>'
        )
    return (
        f'<table style="width:100%"><thead><tr><th>{esc(T("property"))}</th>'
        f'<th>{esc(T("value"))}</th></tr></thead><tbody>{"".join(rows)}</tbody></table>'
    )


def _picker() -> None:
    """The label search, its words kept in the URL (?q=…) so a reload or a shared link shows the same hits."""
    root, generation = key()
    wanted = st.query_params.get("q", "")
    text = st.text_input(T("entity_pick"), value=wanted, placeholder=T("search_placeholder"), key="entity_q")
    if text != wanted:
        if text.strip():
            st.query_params["q"] = text
        elif "q" in st.query_params:
            del st.query_params["q"]
    if text.strip():
        hits = _search(root, generation, text, lang())
        if not hits:
            st.caption(T("no_hits"))
        where = named_in([h.iri for h in hits])
        items = [
            f"<li>{link(entity_href(h.iri), h.label)} <small>· {esc(class_name(h.cls))}"
            f"{' · ' + esc(where[h.iri]) if where.get(h.iri) else ''}</small></li>"
            for h in hits
        ]
        st.markdown(f"<ul>{''.join(items)}</ul>", unsafe_allow_html=True)


def main() -> None:
    iri = st.query_params.get("iri", "").strip()
    if not iri:
        st.title(T("entity_title"))
        _picker()
        return
    if not is_iri(iri):
        st.title(T("entity_title"))
        st.error(T("bad_iri", iri=iri))
        _picker()
        return
    root, generation = key()
    summary, groups, sources = _entity(root, generation, iri)
    if summary is None:
        st.title(T("entity_title"))
        st.warning(T("unknown_entity", iri=iri))
        _picker()
        return

    # labels only for what is shown: the first values of each property (a region is linked from thousands of figures)
    linked = {str(v) for g in groups for v in g.values[:VALUES_SHOWN] if isinstance(v, URIRef)}
    names = labels(linked | {iri} | set(summary.classes) | {s.report for s in sources})
    st.markdown(f"# {esc(names.get(iri, prefixed_name(iri)))}")
    # inline code, not st.code: a code block loads the browser's syntax highlighter (0.3–0.5 s on each new tab);
    # an IRI that reached here has no backtick (is_iri)
    st.markdown(f"`{iri}`")
    classes = [c for c in summary.classes if c.startswith(POL_NS)] or summary.classes
    st.markdown(
        " · ".join(link(entity_href(c), names.get(c, local_name(c))) for c in classes)
        + f" &nbsp;·&nbsp; {link(graph_href(iri), T('view_graph'))} →",
        unsafe_allow_html=True,
    )

    st.subheader(T("labels"))
    label_rows = [
        f"<tr><td><b>{esc(tag)}</b></td><td>{esc('、'.join(summary.labels.get(tag, [])) or '—')}</td></tr>"
        for tag in LABEL_LANGUAGES
    ]
    if summary.alt_labels:
        label_rows.append(
            f"<tr><td><b>{esc(T('alt_labels'))}</b></td><td>{esc('、'.join(summary.alt_labels))}</td></tr>"
        )
    st.markdown(f"<table>{''.join(label_rows)}</table>", unsafe_allow_html=True)

    props = property_names(sorted({g.property for g in groups}))
    own = [g for g in groups if not g.inverse]
    incoming = [g for g in groups if g.inverse]
    st.subheader(T("facts"))
    st.markdown(_facts_table(own, names, props), unsafe_allow_html=True)
    if incoming:
        st.subheader(T("incoming"))
        st.markdown(_facts_table(incoming, names, props), unsafe_allow_html=True)

    st.subheader(T("sources"))
    if not sources:
        st.caption(T("no_sources"))
    shown = sources
    if len(sources) > SOURCES_SHOWN:
        starts = list(range(0, len(sources), SOURCES_SHOWN))
        # the page of sources in the URL (?sources=51: the first one shown), so a reload stays on it
        asked = st.query_params.get("sources", "1")
        first = int(asked) - 1 if asked.isdigit() and int(asked) > 0 else 0
        start = st.selectbox(
            T("sources"),
            starts,
            index=max((i for i, s in enumerate(starts) if s <= first), default=0),
            format_func=lambda i: T("sources_page", first=i + 1, last=min(i + SOURCES_SHOWN, len(sources)), total=len(sources)),
            key=f"entity_sources_page {iri}",  # per entity: another entity starts at its first page
            label_visibility="collapsed",
        )
        if start and st.query_params.get("sources") != str(start + 1):
            st.query_params["sources"] = str(start + 1)
        elif not start and "sources" in st.query_params:
            del st.query_params["sources"]
        shown = sources[start : start + SOURCES_SHOWN]
    for source in shown:
        st.markdown(
            f"{link(entity_href(source.report), names.get(source.report, source.report))} "
            f'<small style="color:#888">· {esc(T("characters", begin=source.begin, end=source.end))}</small>'
            f'<blockquote style="margin:0.2em 0 0.8em 0">{source.marked(escape=esc)}</blockquote>',
            unsafe_allow_html=True,
        )

    # the things among the values shown (each property's first VALUES_SHOWN), by label; the others are counted
    things = {
        str(v)
        for g in groups
        if g.property not in explore.TEXT_PREDICATES
        for v in g.values
        if isinstance(v, URIRef) and str(v).startswith(DATA_NS)
    }
    neighbours = sorted(things & linked, key=lambda i: (names.get(i, i), i))[:NEIGHBOURS_SHOWN]
    if neighbours:
        st.subheader(T("neighbours"))
        more = len(things) - len(neighbours)
        st.markdown(
            " · ".join(link(entity_href(i), names.get(i, prefixed_name(i))) for i in neighbours)
            + (f" · {esc(T('more_values', count=more))}" if more else ""),
            unsafe_allow_html=True,
        )


run_page(main)
