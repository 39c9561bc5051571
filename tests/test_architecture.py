"""docs/ARCHITECTURE.md names every module of the library, so a newcomer finds each one from the docs."""

from __future__ import annotations

from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[1]
SRC = REPO / "src" / "kg_build"
MODULES = sorted(str(p.relative_to(SRC)) for p in SRC.rglob("*.py") if "shipped" not in p.relative_to(SRC).parts)


@pytest.mark.parametrize("module", MODULES)
def test_the_architecture_lists_the_module(module):
    assert f"| `{module}` |" in (REPO / "docs" / "ARCHITECTURE.md").read_text(encoding="utf-8"), module
