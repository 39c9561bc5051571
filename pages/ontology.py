"""The ontology (/ontology): every class and property with its label, comment and alignments, how many instances
the store holds, a link to its entity page and one to the workbench with a query listing its instances."""

from __future__ import annotations

import sys
from pathlib import Path

PAGES = str(Path(__file__).resolve().parent)
if PAGES not in sys.path:  # _ui and _i18n, also when Streamlit runs this page without app.py
    sys.path.insert(0, PAGES)

import streamlit as st  # noqa: E402
from _ui import _open_store, entity_href, esc, href, key, lang, link, run_page  # noqa: E402

from kg_build import ontology_page
from kg_build.explore import prefixed_name
from kg_build.model.vocab import POL_NS

OWN_STRINGS: dict[str, tuple[str, str]] = {
    "title": ("本体", "Ontology"),
    "intro": (
        "数据使用的类别与属性：名称、说明、对齐的标准词汇，以及数据中的实例数。",
        "The classes and properties the data uses: names, comments, the standard terms they align to, and how "
        "many instances the store holds.",
    ),
    "class": ("类别", "Classes"),
    "object": ("对象属性", "Object properties"),
    "datatype": ("数据属性", "Datatype properties"),
    "term": ("术语", "Term"),
    "label": ("名称", "Label"),
    "comment": ("说明", "Comment"),
    "parents": ("对齐", "Alignments"),
    "count": ("实例数", "Instances"),
    "count_help": (
        "类别：数据中属于该类别的事物；属性：具有该属性的事物。",
        "For a class: the things of that class; for a property: the things that have it.",
    ),
    "query": ("查询", "Query"),
    "list": ("列出", "list"),
    "download": ("下载本体 HTML", "Download the ontology as HTML"),
}


def own(name: str, **values: object) -> str:
    zh, en = OWN_STRINGS[name]
    text = en if lang() == "en" else zh
    return text.format(**values) if values else text


@st.cache_data(show_spinner=False, max_entries=4)
def _counts(root: str, generation: str) -> dict[str, int]:
    return ontology_page.instance_counts(_open_store(root, generation), ontology_page.shipped_ontology().terms)


def _parent(iri: str, language: str) -> str:
    name = prefixed_name(iri)
    if iri.startswith(POL_NS):
        return link(entity_href(iri, language=language), name)
    return f'<code title="{esc(iri)}">{esc(name)}</code>'


def _rows(terms: list[ontology_page.Term], counts: dict[str, int], language: str) -> str:
    other = "zh" if language == "en" else "en"
    rows = []
    for term in terms:
        parents = ", ".join(_parent(p, language) for p in term.parents)
        query = href("sparql", language=language, q=ontology_page.instances_query(term))
        rows.append(
            f'<tr class="kg-term" id="{esc(term.name.split(":", 1)[-1])}">'
            f"<td>{link(entity_href(term.iri, language=language), term.name)}</td>"
            f"<td>{esc(term.label(language))}<br><small>{esc(term.label(other))}</small></td>"
            f"<td><small>{esc(term.comment(language))}</small></td><td>{parents}</td>"
            f"<td style='text-align:right'>{counts.get(term.iri, 0):,}</td>"
            f"<td>{link(query, own('list'))}</td></tr>"
        )
    return "".join(rows)


def main() -> None:
    st.title(own("title"))
    ontology = ontology_page.shipped_ontology()
    language = lang()
    st.caption(f"{ontology.title(language)} · {ontology.iri} · {ontology.version}")
    st.markdown(esc(own("intro")))
    root, generation = key()
    counts = _counts(root, generation)
    head = "".join(
        f"<th>{esc(own(k))}</th>" for k in ("term", "label", "comment", "parents")
    ) + f'<th title="{esc(own("count_help"))}">{esc(own("count"))}</th><th>{esc(own("query"))}</th>'
    for kind in ("class", "object", "datatype"):
        terms = [t for t in ontology.terms if t.kind == kind]
        st.subheader(own(kind))
        st.markdown(
            f'<table class="kg-ontology" style="width:100%"><thead><tr>{head}</tr></thead>'
            f"<tbody>{_rows(terms, counts, language)}</tbody></table>",
            unsafe_allow_html=True,
        )
    st.caption(own("count_help"))
    st.download_button(
        own("download"),
        ontology_page.render_html(ontology).encode("utf-8"),
        file_name="policy-kg-ontology.html",
        mime="text/html",
    )


run_page(main)
