"""Search (/search?q=…): every sentence of every report, found through the build's full-text index, with facets
(region, year, level, section kind, pillar) counted as in Datasette; the URL holds the query, the facets and the page."""

from __future__ import annotations

import sys
from pathlib import Path

PAGES = str(Path(__file__).resolve().parent)
if PAGES not in sys.path:  # _ui and _i18n, also when Streamlit runs this page without app.py
    sys.path.insert(0, PAGES)

import streamlit as st  # noqa: E402
from _ui import (  # noqa: E402
    class_names, entity_href, esc, href, key, labels, lang, link, region_names, report_titles, run_page,
)

from kg_build import search
from kg_build.explore import POL_NS
from kg_build.store import GENERATIONS

PAGE_SIZE = 20

OWN_STRINGS: dict[str, tuple[str, str]] = {
    "title": ("搜索报告原文", "Search the reports' text"),
    "box": ("搜索词", "Search for"),
    "placeholder": ("例如：数字经济、“新质生产力”、人工智能 项目", "e.g. 数字经济, “新质生产力”, 人工智能 项目"),
    "help": (
        "简体或繁体均可；空格分开的词须都出现；引号（\"…\" 或 “…”）内为连续短语。",
        "Simplified or traditional characters; words apart by spaces must all occur; quotes (\"…\" or “…”) keep a phrase whole.",
    ),
    "found": ("{total:,} 个句子", "{total:,} sentences"),
    "shown": ("第 {first:,}–{last:,} 个", "showing {first:,}–{last:,}"),
    "nothing": ("没有句子包含这些词。", "No sentence holds these words."),
    "prev": ("← 上一页", "← previous"),
    "next": ("下一页 →", "next →"),
    "clear": ("清除", "clear"),
    "region": ("地区", "Region"),
    "year": ("计划年份", "Plan year"),
    "level": ("层级", "Level"),
    "kind": ("部分类型", "Section kind"),
    "pillar": ("重点任务", "Pillar"),
    "report": ("报告", "Report"),
    "measure": ("举措", "Measure"),
    "read": ("从中读出", "Read from it"),
    "start": ("输入搜索词，查找所有报告中的句子。", "Type words to find them in every sentence of every report."),
}


def own(name: str, **values: object) -> str:
    zh, en = OWN_STRINGS[name]
    text = en if lang() == "en" else zh
    return text.format(**values) if values else text


@st.cache_data(show_spinner=False, max_entries=64)
def _search(root: str, generation: str, text: str, filters: tuple[tuple[str, str], ...], page: int) -> search.SearchResult:
    directory = Path(root) / GENERATIONS / generation
    return search.search(directory, text, filters=dict(filters), limit=PAGE_SIZE, offset=(page - 1) * PAGE_SIZE)


def _state() -> tuple[str, dict[str, str], int]:
    params = st.query_params
    filters = {f: params.get(f, "") for f in search.FACETS if params.get(f, "")}
    page = params.get("page", "1")
    return params.get("q", ""), filters, int(page) if page.isdigit() and int(page) > 0 else 1


def _url(text: str, filters: dict[str, str], page: int = 1) -> str:
    params: dict[str, str | int] = {"q": text, **filters}
    if page > 1:
        params["page"] = page
    return href("search", **params)


def _facet_labels(result: search.SearchResult) -> dict[str, dict[str, str]]:
    """Readers' names for facet values: section kinds and levels from the ontology; the rest as indexed."""
    kinds = class_names([v.value for v in result.facets.get("kind", [])])
    levels = labels([POL_NS + v.value for v in result.facets.get("level", [])])
    return {
        "kind": kinds,
        "level": {v.value: levels.get(POL_NS + v.value, v.value) for v in result.facets.get("level", [])},
        "region": region_names(),  # in English: Fujian Province, not 福建省
        "report": report_titles(),
    }


def _facets(text: str, filters: dict[str, str], result: search.SearchResult, column) -> None:
    names = _facet_labels(result)
    for facet in search.FACETS:
        values = result.facets.get(facet, [])
        chosen = filters.get(facet)
        if chosen and chosen not in {v.value for v in values}:  # chosen, but nothing found there: still clearable
            values = [search.FacetValue(chosen, chosen, 0), *values]
        if not values:
            continue
        items = []
        for value in values:
            shown = names.get(facet, {}).get(value.value, value.label)
            if value.value == chosen:
                rest = {k: v for k, v in filters.items() if k != facet}
                items.append(f"<li><b>{esc(shown)}</b> {value.count:,} · {link(_url(text, rest), '✕ ' + own('clear'))}</li>")
            else:
                items.append(
                    f"<li>{link(_url(text, {**filters, facet: value.value}), shown)} "
                    f'<small style="color:#888">{value.count:,}</small></li>'
                )
        column.markdown(
            f"**{esc(own(facet))}**<ul style='margin-bottom:0.6em'>{''.join(items)}</ul>", unsafe_allow_html=True
        )


def _hit_html(hit: search.SentenceHit, terms: list[str], report_names: dict[str, str], kinds: dict[str, str]) -> str:
    language = lang()
    report_link = link(href("report", language=language, iri=hit.report), report_names.get(hit.report, hit.report_title))
    region = region_names().get(hit.region_label, hit.region_label)
    where = [report_link, esc(" ".join(x for x in (region, str(hit.year or "")) if x))]
    if hit.kind:
        where.append(esc(kinds.get(hit.kind, hit.kind)))
    if hit.pillar:
        where.append(f"{esc(own('pillar'))}: {link(entity_href(hit.pillar, language=language), hit.pillar_label)}")
    if hit.measure:
        where.append(f"{esc(own('measure'))}: {link(entity_href(hit.measure, language=language), hit.measure_label)}")
    body = search.highlight(hit.text, terms, escape=esc)
    read = ""
    if hit.links:
        items = []
        for item in hit.links:
            items.append(
                f"{link(entity_href(item.iri, language=language), item.label)}"
                f' <small style="color:#888">{esc(kinds.get(item.cls, item.cls))}</small>'
            )
        read = f'<div style="font-size:0.9em">{esc(own("read"))}: {" · ".join(items)}</div>'
    return (
        f'<div class="kg-hit" style="margin-bottom:1em"><div style="font-size:0.9em">{" · ".join(w for w in where if w)}</div>'
        f'<blockquote style="margin:0.2em 0">{body}</blockquote>{read}</div>'
    )


def _hits(text: str, filters: dict[str, str], page: int, result: search.SearchResult, right) -> None:  # noqa: ANN001
    first = (page - 1) * PAGE_SIZE + 1
    last = first + len(result.hits) - 1
    right.markdown(f"**{esc(own('found', total=result.total))}** · {esc(own('shown', first=first, last=last))}")
    report_names = labels({h.report for h in result.hits})
    kinds = class_names(sorted({h.kind for h in result.hits if h.kind} | {x.cls for h in result.hits for x in h.links}))
    right.markdown(
        "".join(_hit_html(h, result.terms, report_names, kinds) for h in result.hits), unsafe_allow_html=True
    )
    pager = []
    if page > 1:
        pager.append(link(_url(text, filters, page - 1), own("prev")))
    if last < result.total:
        pager.append(link(_url(text, filters, page + 1), own("next")))
    if pager:
        right.markdown(" · ".join(pager), unsafe_allow_html=True)


def main() -> None:
    st.title(own("title"))
    text, filters, page = _state()
    typed = st.text_input(own("box"), value=text, placeholder=own("placeholder"), help=own("help"), key="search_q")
    if typed != text:  # a new search keeps its filters (as Datasette does) and starts at its first page
        if typed.strip():
            st.query_params["q"] = typed
        elif "q" in st.query_params:
            del st.query_params["q"]
        if "page" in st.query_params:
            del st.query_params["page"]
        st.rerun()
    if not text.strip():
        st.caption(own("start"))
        return
    root, generation = key()
    result = _search(root, generation, text, tuple(sorted(filters.items())), page)
    if result.total and not result.hits:  # a page past the end (an old link): the last page
        page = (result.total - 1) // PAGE_SIZE + 1
        result = _search(root, generation, text, tuple(sorted(filters.items())), page)
    left, right = st.columns([1, 3])
    if result.total:  # the sentences first, then the facets beside them: what a reader came for is drawn first
        _hits(text, filters, page, result, right)
    else:
        right.info(own("nothing"))
    _facets(text, filters, result, left)


run_page(main)
