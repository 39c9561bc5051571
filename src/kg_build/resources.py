"""Where the project's shipped files live: ontology/, queries/, data/reports/ beside src/; and how the
big tables the build reads once (jieba's and pypinyin's dictionaries) are loaded."""

from __future__ import annotations

import gc
import importlib
import os
from collections.abc import Iterator
from contextlib import contextmanager
from functools import lru_cache
from pathlib import Path
from types import ModuleType

import kg_build

ONTOLOGY_FILE = "policy-kg.ttl"


def project_root() -> Path:
    """The checkout the package is installed from (``pip install -e .``), or ``$KG_PROJECT_ROOT``."""
    env = os.environ.get("KG_PROJECT_ROOT")
    if env:
        return Path(env)
    return Path(kg_build.__file__).resolve().parents[2]


def ontology_dir() -> Path:
    return project_root() / "ontology"


def ontology_file() -> Path:
    return ontology_dir() / ONTOLOGY_FILE


def queries_dir() -> Path:
    return project_root() / "queries"


def bundled_reports_dir() -> Path:
    return project_root() / "data" / "reports"


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
