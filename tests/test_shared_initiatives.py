"""``shared-initiatives`` counts each report that names an initiative once, and lists the names of their regions.

The saved query counts the (initiative, report) pairs by the initiative and the names of the report's region, so
that no count keeps a set of the reports it has seen; its reference form (tests/fixtures/reference-queries/) joins
every pair with its region and counts with ``COUNT(DISTINCT ?report)``. Each case is a small store made by hand,
with the awkward shapes real stores can have: reports in one region, a report with two regions, a region with two
names or none in Chinese, a graph that is not a report, an initiative named by one report only.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from kg_build.queries import parse_saved_query, saved_queries
from kg_build.store import LocalStore

POL = "https://w3id.org/policy-kg/def#"
ID = "https://w3id.org/policy-kg/id/"
TYPE = "http://www.w3.org/1999/02/22-rdf-syntax-ns#type"
LABEL = "http://www.w3.org/2004/02/skos/core#prefLabel"
REFERENCE = Path(__file__).parent / "fixtures" / "reference-queries" / "shared-initiatives.rq"

# region → its labels (text, language tag)
PLACES = {
    "a": [("甲区", "zh-Hans")],
    "b": [("乙区", "zh-Hans")],
    "twice": [("丙区", "zh-Hans"), ("丙区（旧名）", "zh-Hans-CN")],
    "english": [("Ding District", "en")],
}

# case → (reports: (name, a report?, its regions, the initiatives its graph names), expected {initiative: (reports, names)})
CASES = {
    "two regions": (
        [("r1", True, ["a"], ["x"]), ("r2", True, ["b"], ["x"])],
        {"x": (2, {"甲区", "乙区"})},
    ),
    "one region, two years": (
        [("r1", True, ["a"], ["x", "y"]), ("r2", True, ["a"], ["x"])],
        {"x": (2, {"甲区"})},
    ),
    "a report with two regions is one report": (
        [("r1", True, ["a", "b"], ["x"]), ("r2", True, ["a"], ["x"])],
        {"x": (2, {"甲区", "乙区"})},
    ),
    "a region with two Chinese names": (
        [("r1", True, ["twice"], ["x"]), ("r2", True, ["a"], ["x"])],
        {"x": (2, {"甲区", "丙区", "丙区（旧名）"})},
    ),
    "a graph that is not a report": (
        [("r1", True, ["a"], ["x"]), ("g", False, ["b"], ["x"])],
        {},
    ),
    "a region without a Chinese name is not counted": (
        [("r1", True, ["english"], ["x"]), ("r2", True, ["a"], ["x"]), ("r3", True, ["b"], ["x"])],
        {"x": (2, {"甲区", "乙区"})},
    ),
    "many reports, several initiatives": (
        [(f"r{i}", True, ["a" if i % 2 else "b"], ["x", "y"] if i < 3 else ["x"]) for i in range(7)],
        {"x": (7, {"甲区", "乙区"}), "y": (3, {"甲区", "乙区"})},
    ),
}


def _nquads(reports: list) -> dict[str, bytes]:
    """Each report's graph: its type and regions, its regions' labels, and the initiatives it names."""
    graphs = {}
    for name, is_report, regions, initiatives in reports:
        g = f"{ID}report/{name}"
        lines = [f"<{g}> <{TYPE}> <{POL}{'WorkReport' if is_report else 'Document'}>"]
        for place in regions:
            lines.append(f"<{g}> <{POL}region> <{ID}place/{place}>")
            lines += [f'<{ID}place/{place}> <{LABEL}> "{text}"@{tag}' for text, tag in PLACES[place]]
        for initiative in initiatives:
            lines.append(f"<{ID}initiative/{initiative}> <{TYPE}> <{POL}Initiative>")
            lines.append(f'<{ID}initiative/{initiative}> <{LABEL}> "行动{initiative}"@zh-Hans')
        graphs[g] = "".join(f"{line} <{g}> .\n" for line in lines).encode()
    return graphs


def _answer(store: LocalStore, text: str) -> list[tuple[str, str, int, frozenset[str]]]:
    rows = store.query(text).rows
    return [(str(r[0]), str(r[1]), int(str(r[2])), frozenset(str(r[3]).split("、"))) for r in rows]


@pytest.mark.parametrize("case", list(CASES))
def test_each_report_is_counted_once_with_its_regions_names(case: str, tmp_path: Path) -> None:
    reports, expected = CASES[case]
    store = LocalStore(tmp_path / "store")
    with store.writer() as writer:
        for graph, nquads in _nquads(reports).items():
            writer.replace_graph(graph, nquads)
    found = _answer(store, saved_queries()["shared-initiatives"].bind(page=None))
    assert found == _answer(store, parse_saved_query(REFERENCE).bind(page=None))
    assert {iri.rsplit("/", 1)[1]: (n, set(names)) for iri, _, n, names in found} == expected
    assert [n for _, _, n, _ in found] == sorted((n for _, _, n, _ in found), reverse=True)  # most reports first
