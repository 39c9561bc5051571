"""The files the package ships (ontology, saved queries, bundled reports, the explorer app) and how the
big tables the build reads once (jieba's and pypinyin's dictionaries) are loaded.

The shipped files live once, at the top of the repository (``ontology/``, ``queries/``, ``data/reports/``,
``app.py``, ``pages/``); ``src/kg_build/shipped/`` holds symbolic links to them, which setuptools follows
when it builds a wheel. So an editable install reads the checkout's files and an installed wheel its own
copies, both through ``importlib.resources``.
"""

from __future__ import annotations

import gc
import importlib
from collections.abc import Iterator
from contextlib import contextmanager
from functools import lru_cache
from importlib import resources
from pathlib import Path
from types import ModuleType

from kg_build.errors import InputError

ONTOLOGY_FILE = "policy-kg.ttl"
SHAPES_FILE = "shapes.ttl"
CONTEXT_FILE = "context.jsonld"
SHIPPED = "shipped"


def shipped(name: str) -> Path:
    """A file or folder the package ships, as a path on disk (a wheel installs unpacked)."""
    found = resources.files("kg_build").joinpath(SHIPPED, name)
    if not isinstance(found, Path) or not found.exists():
        raise InputError(f"the installed package has no {SHIPPED}/{name}; reinstall it (pip install policy-kg)")
    return found


def ontology_dir() -> Path:
    """The folder holding the ontology, the SHACL shapes and the JSON-LD context."""
    return shipped("ontology")


def ontology_file() -> Path:
    return ontology_dir() / ONTOLOGY_FILE


def shapes_file() -> Path:
    return ontology_dir() / SHAPES_FILE


def context_file() -> Path:
    return ontology_dir() / CONTEXT_FILE


def queries_dir() -> Path:
    """The saved queries (``NAME.rq``); their SPARQL 1.1 forms are in its ``sparql11/`` folder."""
    return shipped("queries")


def bundled_reports_dir() -> Path:
    """The reports ``kg-build build`` builds when it is given no path, and the app on its first start."""
    return shipped("reports")


def app_file() -> Path:
    """The explorer's entry point, for ``streamlit run``."""
    return shipped("app.py")


@contextmanager
def permanent_tables() -> Iterator[None]:
    """Load tables that stay until the process ends with the cyclic garbage collector paused, then
    freeze them out of its later scans (``gc.freeze``).

    Without this, each full collection walks their few hundred thousand objects again (≈ 0.3 s of a
    nine-report build). Everything alive at that moment is frozen with them: reference counting still
    frees it, but a reference cycle among those objects is never collected, so use this only for
    loads that happen once per process.
    """
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
        gc.freeze()
    finally:
        if was_enabled:
            gc.enable()


@lru_cache(maxsize=None)
def permanent_module(name: str) -> ModuleType:
    """Import, once, a module whose import loads big tables (``pypinyin``: ≈ 0.15 s), as ``permanent_tables``."""
    with permanent_tables():
        return importlib.import_module(name)
