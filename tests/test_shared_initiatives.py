"""``shared-initiatives`` counts each report that names an initiative once, and the regions of those reports.

The saved query reads each (initiative, report) pair from the report's graph beside the report's regions, read once
per report; its reference form (tests/fixtures/reference-queries/) joins every pair with its regions and its label
in one group. Each case is a small store made by hand, with the awkward shapes real stores can have: reports in one
region, a report with two regions or none, a region with two names or none in Chinese, a graph that is not a report,
an initiative named by one report only.
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

# case → (reports: (name, a report?, its regions, the initiatives its graph names), expected {initiative: (reports, regions)})
CASES = {
    "two regions": (
        [("r1", True, ["a"], ["x"]), ("r2", True, ["b"], ["x"])],
        {"x": (2, 2)},
    ),
    "one region, two years": (
        [("r1", True, ["a"], ["x", "y"]), ("r2", True, ["a"], ["x"])],
        {"x": (2, 1)},
    ),
    "a report with two regions is one report": (
        [("r1", True, ["a", "b"], ["x"]), ("r2", True, ["a"], ["x"])],
        {"x": (2, 2)},
    ),
    "a region with two Chinese names is one region": (
        [("r1", True, ["twice"], ["x"]), ("r2", True, ["twice"], ["x"])],
        {"x": (2, 1)},
    ),
    "a graph that is not a report": (
        [("r1", True, ["a"], ["x"]), ("g", False, ["b"], ["x"])],
        {},
    ),
    "a region without a Chinese name is counted": (
        [("r1", True, ["english"], ["x"]), ("r2", True, ["a"], ["x"]), ("r3", True, ["b"], ["x"])],
        {"x": (3, 3)},
    ),
    "a report with no region is counted, in no region": (
        [("r1", True, [], ["x"]), ("r2", True, ["a"], ["x"])],
        {"x": (2, 1)},
    ),
    "many reports, several initiatives": (
        [(f"r{i}", True, ["a" if i % 2 else "b"], ["x", "y"] if i < 3 else ["x"]) for i in range(7)],
        {"x": (7, 2), "y": (3, 2)},
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


def _answer(store: LocalStore, text: str) -> list[tuple[str, str, int, int]]:
    return [(str(r[0]), str(r[1]), int(str(r[2])), int(str(r[3]))) for r in store.query(text).rows]


@pytest.mark.parametrize("case", list(CASES))
def test_each_report_is_counted_once_with_its_regions(case: str, tmp_path: Path) -> None:
    reports, expected = CASES[case]
    store = LocalStore(tmp_path / "store")
    with store.writer() as writer:
        for graph, nquads in _nquads(reports).items():
            writer.replace_graph(graph, nquads)
    found = _answer(store, saved_queries()["shared-initiatives"].bind(page=None))
    assert found == _answer(store, parse_saved_query(REFERENCE).bind(page=None))
    assert {iri.rsplit("/", 1)[1]: (n, regions) for iri, _, n, regions in found} == expected
    assert [n for _, _, n, _ in found] == sorted((n for _, _, n, _ in found), reverse=True)  # most reports first
