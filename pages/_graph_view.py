"""The graph view as a Streamlit component served from the package's static/graph-view/.

A module of its own because Streamlit names a component after the module that declares it, and a page file
runs without one. The browser fetches vis-network (700 KB) from the app once and keeps it in its cache; each
view sends only what it draws (``graphview.network_args``), where an inlined page sent all of it every time.
"""

from __future__ import annotations

from importlib import resources

import streamlit.components.v1 as components

from kg_build.graphview import GRAPH_VIEW_DIR

_component = components.declare_component(
    "graph_view", path=str(resources.files("kg_build").joinpath("static", GRAPH_VIEW_DIR))
)


def graph_view(view: dict, *, height: int, key: str | None = None) -> None:
    """Draw ``view`` (``graphview.network_args``) in a frame ``height`` pixels tall until it sizes itself."""
    _component(view=view, height=height, key=key, default=None)
