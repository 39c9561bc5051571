"""The workbench's SPARQL code editor: a Streamlit component served from the package's static/sparql-editor/.

A module of its own because Streamlit names a component after the module that declares it, and a page file
runs without one. The editor is CodeMirror 5 (vendored; nothing fetched) with SPARQL highlighting, line
numbers, Ctrl/Cmd+Enter to run and completion of the words given to it.
"""

from __future__ import annotations

from importlib import resources

import streamlit.components.v1 as components

_component = components.declare_component(
    "sparql_editor", path=str(resources.files("kg_build").joinpath("static", "sparql-editor"))
)


def sparql_editor(
    text: str, *, version: int, words: list[dict[str, str]], key: str, on_change, label: str = "SPARQL",  # noqa: ANN001
    height: int = 300,
) -> dict | None:
    """The editor showing ``text`` (taken again whenever ``version`` changes); its answer is
    {text, version, nonce, run}: run is true for Ctrl/Cmd+Enter, false when it loses focus changed."""
    return _component(
        value=text, version=version, words=words, height=height, label=label, key=key, on_change=on_change,
        default=None,
    )
