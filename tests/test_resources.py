"""The files the package ships: read through importlib.resources, one copy in the repository, every one
named by the wheel's package data (the wheel itself is built and installed by .ci/run's smoke test)."""

from __future__ import annotations

import fnmatch
import os
import tomllib
from pathlib import Path

import pytest

from kg_build import resources

REPO = Path(__file__).resolve().parents[1]

# (what the package ships, the function that finds it, the repository's own copy)
SHIPPED = [
    ("ontology", resources.ontology_dir, REPO / "ontology"),
    ("ontology file", resources.ontology_file, REPO / "ontology" / "policy-kg.ttl"),
    ("shapes", resources.shapes_file, REPO / "ontology" / "shapes.ttl"),
    ("JSON-LD context", resources.context_file, REPO / "ontology" / "context.jsonld"),
    ("saved queries", resources.queries_dir, REPO / "queries"),
    ("bundled reports", resources.bundled_reports_dir, REPO / "data" / "reports"),
    ("the explorer", resources.app_file, REPO / "app.py"),
]


@pytest.mark.parametrize(("what", "find", "copy"), SHIPPED, ids=[s[0] for s in SHIPPED])
def test_each_shipped_file_is_the_repositorys_one_copy(what, find, copy):
    found = find()
    assert found.exists(), what
    assert found.resolve() == copy.resolve()  # a link, not a second copy that could drift


def _shipped_files() -> list[Path]:
    root = resources.shipped("")
    return sorted(
        Path(folder, name).relative_to(root)
        for folder, _, names in os.walk(root, followlinks=True)
        for name in names
        if "__pycache__" not in Path(folder).parts
    )


def test_the_wheel_names_every_shipped_file():
    config = tomllib.loads((REPO / "pyproject.toml").read_text(encoding="utf-8"))
    patterns = [p.removeprefix("**/") for p in config["tool"]["setuptools"]["package-data"]["kg_build"]]
    files = _shipped_files()
    assert {"ontology/context.jsonld", "queries/targets.rq", "reports/huli-2026.meta.json", "app.py"} <= {str(f) for f in files}
    missed = [str(f) for f in files if f.suffix != ".py" and not any(fnmatch.fnmatch(f.name, p) for p in patterns)]
    assert not missed, f"shipped but not in the wheel's package-data: {missed}"


def test_a_missing_shipped_file_is_a_one_line_input_error():
    from kg_build.errors import InputError

    with pytest.raises(InputError, match="no shipped/nothing-here; reinstall"):
        resources.shipped("nothing-here")
