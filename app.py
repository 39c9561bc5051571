"""The explorer: a router over small pages that call kg_build (run: streamlit run app.py)."""

from __future__ import annotations

import sys
from pathlib import Path

import streamlit as st

PAGES = Path(__file__).resolve().parent / "pages"
if str(PAGES) not in sys.path:
    sys.path.insert(0, str(PAGES))

import _ui  # noqa: E402 - needs the pages folder on the path

from kg_build.upload import uploads_allowed  # noqa: E402

_ui.leave_old_multipage_mode()
st.set_page_config(page_title="policy-kg", layout="wide")

_ui.language_switch()
navigation = st.navigation(
    [
        st.Page(PAGES / "overview.py", title=_ui.T("page_overview"), url_path="", default=True),
        st.Page(PAGES / "sparql.py", title=_ui.T("page_sparql"), url_path="sparql"),
        st.Page(PAGES / "graph.py", title=_ui.T("page_graph"), url_path="graph"),
        st.Page(PAGES / "entity.py", title=_ui.T("page_entity"), url_path="entity"),
        st.Page(PAGES / "figures.py", title=_ui.T("page_figures"), url_path="figures"),
        st.Page(PAGES / "outcomes.py", title=_ui.T("page_outcomes"), url_path="outcomes"),
        st.Page(PAGES / "search.py", title=_ui.T("page_search"), url_path="search"),
        st.Page(PAGES / "report.py", title=_ui.T("page_report"), url_path="report"),
        st.Page(PAGES / "browse.py", title=_ui.T("page_browse"), url_path="browse"),
        st.Page(PAGES / "ontology.py", title=_ui.T("page_ontology"), url_path="ontology"),
        st.Page(  # listed only when the operator turned uploads on; the page itself refuses when they are off
            PAGES / "upload.py", title=_ui.T("page_upload"), url_path="upload",
            visibility="visible" if uploads_allowed() else "hidden",
        ),
    ]
)
navigation.run()
_ui.preload()  # after the page: the libraries the other pages draw with
