"""Where the project's shipped files live: ontology/, queries/, data/reports/ beside src/."""

from __future__ import annotations

import os
from pathlib import Path

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
