"""One direction of imports: normalize → structure → extract → model → store → the rest → CLI; only the app imports Streamlit."""

import ast
from pathlib import Path

import pytest

SRC = Path(__file__).resolve().parents[1] / "src" / "kg_build"

# A module may import only modules of its own rank or lower.
RANKS = {
    "__init__": 0, "document": 0, "errors": 0, "resources": 0,
    "normalize": 1, "metadata": 2, "structure": 3, "reader": 4, "extract": 5, "completeness": 6, "model": 6,
    "store": 7, "remote": 7, "engine": 7, "sparql": 7, "search": 7,
    "queries": 8, "export": 8, "stats": 8, "validate": 8, "evaluate": 8, "explore": 8, "browse": 8,
    "workbench": 8, "graphview": 8, "build": 8, "audit": 8, "outcomes": 8, "serve": 9,
    "cli": 10,
}


def top(module: str) -> str:
    return module.split(".")[1] if module.startswith("kg_build.") else "__init__"


def imports(path: Path) -> list[str]:
    found = []
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            found += [a.name for a in node.names]
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            found.append(node.module)
    return found


MODULES = sorted(p for p in SRC.rglob("*.py") if "data" not in p.parts)


def rank_of(path: Path) -> int:
    rel = path.relative_to(SRC)
    return RANKS[rel.parts[0].removesuffix(".py")]


@pytest.mark.parametrize("path", MODULES, ids=lambda p: str(p.relative_to(SRC)))
def test_imports_go_one_way(path):
    mine = rank_of(path)
    for module in imports(path):
        if module == "kg_build" or module.startswith("kg_build."):
            other = RANKS[top(module)]
            assert other <= mine, f"{path.relative_to(SRC)} imports {module}, a higher layer"


@pytest.mark.parametrize("path", MODULES, ids=lambda p: str(p.relative_to(SRC)))
def test_the_library_never_imports_streamlit(path):
    assert not any(m == "streamlit" or m.startswith("streamlit.") for m in imports(path))
