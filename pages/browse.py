"""Browse (/browse?cls=Company&region=…): entities of any class with how many reports name them and how often,
filtered by class, region, plan year and report (facets with counts, as in Datasette); the URL is the state, and
the whole filtered list downloads as CSV."""

from __future__ import annotations

import sys
from pathlib import Path

PAGES = str(Path(__file__).resolve().parent)
if PAGES not in sys.path:  # _ui and _i18n, also when Streamlit runs this page without app.py
    sys.path.insert(0, PAGES)

import streamlit as st  # noqa: E402
from _ui import (  # noqa: E402
    _open_store, class_names, entity_href, esc, href, key, lang, link, region_names, report_titles, run_page,
)

from kg_build import browse

PAGE_SIZE = 50

OWN_STRINGS: dict[str, tuple[str, str]] = {
    "title": ("浏览实体", "Browse entities"),
    "cls": ("类别", "Class"),
    "region": ("地区", "Region"),
    "year": ("计划年份", "Plan year"),
    "report": ("报告", "Report"),
    "entity": ("名称", "Name"),
    "reports": ("报告数", "Reports"),
    "mentions": ("提及次数", "Mentions"),
    "found": ("{total:,} 个实体", "{total:,} entities"),
    "shown": ("第 {first:,}–{last:,} 个", "showing {first:,}–{last:,}"),
    "nothing": ("没有符合条件的实体。", "No entity matches."),
    "clear": ("清除", "clear"),
    "clear_all": ("清除全部筛选", "clear every filter"),
    "prev": ("← 上一页", "← previous"),
    "next": ("下一页 →", "next →"),
    "download": ("下载 CSV（全部 {total:,} 行）", "Download CSV (all {total:,} rows)"),
    "more": ("……另有 {count:,} 个", "… and {count:,} more"),
    "name": ("名称包含", "Name contains"),
    "name_hint": ("例如：软通、數字", "e.g. 软通, 數字"),
}
FACET_SHOWN = 15


def own(name: str, **values: object) -> str:
    zh, en = OWN_STRINGS[name]
    text = en if lang() == "en" else zh
    return text.format(**values) if values else text


@st.cache_data(show_spinner=False, max_entries=4)
def _mentions(root: str, generation: str) -> list[tuple[str, str, str, int]]:
    return browse.entity_mentions(_open_store(root, generation))


@st.cache_data(show_spinner=False, max_entries=64)
def _browse(
    root: str, generation: str, filters: tuple[tuple[str, str], ...], text: str, page: int | None, language: str
) -> browse.BrowseResult:
    store = _open_store(root, generation)
    limit = None if page is None else PAGE_SIZE
    offset = 0 if page is None else (page - 1) * PAGE_SIZE
    # counted in SQL from what the build recorded; read from every report's graph (once per build) only where
    # nothing was recorded (a remote store, or one built before the tables existed)
    mentions = None if browse.is_recorded(store) else _mentions(root, generation)
    return browse.browse(
        store, mentions, filters=dict(filters), text=text, limit=limit, offset=offset, lang=language,
        count_facets=page is not None,  # every row (the CSV download): its facets are not shown
    )


@st.cache_data(show_spinner=False, max_entries=8)
def _facet_names(root: str, generation: str, language: str) -> dict[str, dict[str, str]] | None:
    return browse.facet_names(_open_store(root, generation), lang=language)


def _state() -> tuple[dict[str, str], int]:
    """The facets chosen (and the words in names, as ``q``) and the page, from the URL."""
    params = st.query_params
    filters = {f: params.get(f, "") for f in (*browse.BROWSE_FACETS, "q") if params.get(f, "")}
    page = params.get("page", "1")
    return filters, int(page) if page.isdigit() and int(page) > 0 else 1


def _url(filters: dict[str, str], page: int = 1) -> str:
    params: dict[str, str | int] = dict(filters)
    if page > 1:
        params["page"] = page
    return href("browse", **params)


def _facets(filters: dict[str, str], result: browse.BrowseResult, column) -> None:
    classes = class_names([v for v, _, _ in result.facets.get("cls", [])])
    recorded = _facet_names(*key(), lang())  # as recorded with the build; else every report read from the store
    names = {"cls": classes, **(recorded or {"region": region_names(), "report": report_titles()})}  # Fujian Province …
    for facet in browse.BROWSE_FACETS:
        values = result.facets.get(facet, [])
        chosen = filters.get(facet)
        if chosen and chosen not in {v[0] for v in values}:  # chosen, but nothing there: still clearable
            values = [(chosen, chosen, 0), *values]
        items = []
        for value, label, count in values[:FACET_SHOWN] + [v for v in values[FACET_SHOWN:] if v[0] == chosen]:
            shown = names.get(facet, {}).get(value, label)
            if value == chosen:
                rest = {k: v for k, v in filters.items() if k != facet}
                items.append(f"<li><b>{esc(shown)}</b> {count:,} · {link(_url(rest), '✕ ' + own('clear'))}</li>")
            else:
                items.append(
                    f"<li>{link(_url({**filters, facet: value}), shown)} <small style=\"color:#888\">{count:,}</small></li>"
                )
        if len(values) > FACET_SHOWN:
            items.append(f"<li><small>{esc(own('more', count=len(values) - FACET_SHOWN))}</small></li>")
        if items:
            column.markdown(f"**{esc(own(facet))}**<ul>{''.join(items)}</ul>", unsafe_allow_html=True)


def main() -> None:
    st.title(own("title"))
    root, generation = key()
    filters, page = _state()
    text = filters.get("q", "")
    typed = st.text_input(own("name"), value=text, placeholder=own("name_hint"), key="browse_q")
    if typed != text:  # new words keep the facets chosen and start at the first page
        if typed.strip():
            st.query_params["q"] = typed
        elif "q" in st.query_params:
            del st.query_params["q"]
        if "page" in st.query_params:
            del st.query_params["page"]
        st.rerun()
    facets = tuple(sorted((k, v) for k, v in filters.items() if k != "q"))
    result = _browse(root, generation, facets, text, page, lang())
    if result.total and not result.rows:  # a page past the end (an old link): the last page
        page = (result.total - 1) // PAGE_SIZE + 1
        result = _browse(root, generation, facets, text, page, lang())
    left, right = st.columns([1, 3])
    _facets(filters, result, left)
    if filters:
        left.markdown(link(_url({}), own("clear_all")), unsafe_allow_html=True)
    if not result.total:
        right.info(own("nothing"))
        return
    first = (page - 1) * PAGE_SIZE + 1
    last = first + len(result.rows) - 1
    right.markdown(f"**{esc(own('found', total=result.total))}** · {esc(own('shown', first=first, last=last))}")
    classes = class_names(sorted({r.cls for r in result.rows}))
    language = lang()
    body = "".join(
        f"<tr><td>{link(entity_href(r.iri, language=language), r.label)}</td><td>{esc(classes.get(r.cls, r.cls))}</td>"
        f"<td style='text-align:right'>{r.reports:,}</td><td style='text-align:right'>{r.mentions:,}</td></tr>"
        for r in result.rows
    )
    right.markdown(
        f'<table class="kg-browse" style="width:100%"><thead><tr><th>{esc(own("entity"))}</th><th>{esc(own("cls"))}</th>'
        f'<th>{esc(own("reports"))}</th><th>{esc(own("mentions"))}</th></tr></thead><tbody>{body}</tbody></table>',
        unsafe_allow_html=True,
    )
    pager = []
    if page > 1:
        pager.append(link(_url(filters, page - 1), own("prev")))
    if last < result.total:
        pager.append(link(_url(filters, page + 1), own("next")))
    if pager:
        right.markdown(" · ".join(pager), unsafe_allow_html=True)
    everything = _browse(root, generation, facets, text, None, lang())
    name = "-".join(["entities", *(v.rsplit("/", 1)[-1] for _, v in facets)])
    right.download_button(
        own("download", total=everything.total), browse.rows_csv(everything.rows), file_name=f"{name}.csv", mime="text/csv"
    )


run_page(main)
