"""One direction of imports: normalize → structure → extract → model → store → the rest → CLI; only the app imports Streamlit."""

import ast
from pathlib import Path

import pytest

SRC = Path(__file__).resolve().parents[1] / "src" / "kg_build"

# A module may import only modules of its own rank or lower.
RANKS = {
    "__init__": 0, "document": 0, "errors": 0, "resources": 0,
    "normalize": 1, "metadata": 2, "structure": 3, "reader": 4, "extract": 5, "completeness": 6, "model": 6, "labels": 6,
    "store": 7, "engine": 7, "sparql": 7, "search": 7,
    "queries": 8, "export": 8, "stats": 8, "validate": 8, "evaluate": 8, "explore": 8, "browse": 8,
    "workbench": 8, "graphview": 8, "build": 8, "quadfiles": 8, "remove": 8, "audit": 8, "outcomes": 8, "panel": 8, "ontology_page": 8, "upload": 8, "serve": 9,
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


MODULES = sorted(p for p in SRC.rglob("*.py") if "data" not in p.parts and "shipped" not in p.parts)  # shipped: links to the app and the repo's files


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


def module_name(path: Path) -> str:
    rel = path.relative_to(SRC).with_suffix("")
    parts = ["kg_build", *rel.parts]
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def import_graph() -> dict[str, set[str]]:
    """Every module's imports of other kg_build modules (``from kg_build.x import y`` is an import of y when y is a
    module, of x otherwise); imports inside functions count too."""
    names = {module_name(p) for p in MODULES}
    graph: dict[str, set[str]] = {}
    for path in MODULES:
        me, found = module_name(path), set()
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Import):
                found |= {a.name for a in node.names}
            elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
                submodules = {f"{node.module}.{a.name}" for a in node.names} & names
                found |= submodules if len(submodules) == len(node.names) else {node.module, *submodules}
        graph[me] = {m for m in found if m in names and m != me}
    return graph


def test_no_module_imports_itself_round_a_circle():
    graph, done, stack = import_graph(), set(), []

    def visit(module: str) -> None:
        if module in stack:
            raise AssertionError("import circle: " + " -> ".join(stack[stack.index(module):] + [module]))
        if module in done:
            return
        stack.append(module)
        for other in sorted(graph[module]):
            visit(other)
        stack.pop()
        done.add(module)

    for module in sorted(graph):
        visit(module)


STORE_CLASSES = ("LocalStore", "RemoteStore", "GenerationWriter", "RemoteWriter")


@pytest.mark.parametrize("path", [p for p in MODULES if "store" not in p.relative_to(SRC).parts],
                         ids=lambda p: str(p.relative_to(SRC)))
def test_only_the_store_package_asks_which_store_it_holds(path):
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Call) and isinstance(node.func, ast.Name) and node.func.id == "isinstance":
            named = {n.id for n in ast.walk(node.args[1]) if isinstance(n, ast.Name)}
            assert not named & set(STORE_CLASSES), f"{path.relative_to(SRC)}:{node.lineno} tests a store's class"
