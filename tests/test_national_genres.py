"""Older State Council reports (1980, 1995, 2005: other layouts and genres than the bundled ones) build without
errors, their parts typed and their task areas found as pillars. The texts are kept gzipped under tests/national/;
the counts below were checked by reading each report's headings and its 第一，…/（一）… items."""

from __future__ import annotations

import gzip
import shutil
from pathlib import Path

import pytest

from kg_build.build import build
from kg_build.store import LocalStore, SelectResult

FIXTURES = Path(__file__).parent / "national"
POL = "https://w3id.org/policy-kg/def#"
NATION = "中华人民共和国"

# (report, the kind of each top-level part in order or None where a reader could argue, pillars by part ordinal)
REPORTS = [
    # 一 review (第一，…第六，), 二 the 1981 plan's tasks and figures, 三 the measures that secure it (第一，…第四，)
    ("national-1980", ["ReviewSection", "PlanSection", "PlanSection"], {1: 6, 3: 4}),
    # 一 the 1994 review (four lead sentences), 二–五 this year's work, 六 reunification, 七 foreign affairs
    ("national-1995", ["ReviewSection", "PlanSection", "PlanSection", "PlanSection", "PlanSection", None, "PlanSection"],
     {1: 4, 2: 5, 3: 4, 5: 5}),
    # 一 review, 二 the overall plan, 三–五 this year's work ((一)…), 六 the government's own conduct, 七 foreign policy
    ("national-2005", ["ReviewSection", "PlanSection", "PlanSection", "PlanSection", "PlanSection", "GovernmentSection", None],
     {1: 6, 3: 4, 4: 6, 5: 3}),
]


@pytest.fixture(scope="module")
def national_store(tmp_path_factory: pytest.TempPathFactory) -> tuple[LocalStore, object]:
    folder = tmp_path_factory.mktemp("national")
    for packed in FIXTURES.glob("*.txt.gz"):
        (folder / packed.name[: -len(".gz")]).write_bytes(gzip.decompress(packed.read_bytes()))
    for sidecar in FIXTURES.glob("*.meta.json"):
        shutil.copy(sidecar, folder / sidecar.name)
    store = LocalStore(tmp_path_factory.mktemp("national-store"))
    result = build([folder], store=store)
    return store, result


def _select(store: LocalStore, sparql: str) -> list[tuple[str, ...]]:
    result = store.query(sparql, union_default=False)
    assert isinstance(result, SelectResult)
    return [tuple(str(v) for v in row) for row in result.rows]


def test_the_older_reports_build_without_warnings_about_their_input(national_store) -> None:
    _, result = national_store
    assert sorted(r.report_id for r in result.built) == [name for name, _, _ in REPORTS]
    assert all(r.warnings == () for r in result.built)  # the nation is a known region; the sidecars are whole


@pytest.mark.parametrize(("report", "kinds", "pillars"), REPORTS, ids=[r[0] for r in REPORTS])
def test_parts_are_typed_and_pillars_found(national_store, report, kinds, pillars) -> None:
    store, _ = national_store
    graph = f"https://w3id.org/policy-kg/id/report/{report}"
    parts = _select(store, f"""
        SELECT ?o (GROUP_CONCAT(DISTINCT STRAFTER(STR(?kind), "#")) AS ?kinds) (COUNT(DISTINCT ?p) AS ?pillars) WHERE {{
          GRAPH <{graph}> {{ <{graph}> <{POL}hasSection> ?s . ?s <{POL}ordinal> ?o ; a ?kind .
                             FILTER(?kind != <{POL}Section>) OPTIONAL {{ ?s <{POL}hasPillar> ?p }} }}
        }} GROUP BY ?o ORDER BY ?o""")
    assert len(parts) == len(kinds)
    for (ordinal, found, count), expected in zip(parts, kinds):
        assert " " not in found, f"part {ordinal} has more than one kind: {found}"
        if expected is not None:
            assert found == expected, f"part {ordinal}"
        if int(ordinal) in pillars:
            assert int(count) == pillars[int(ordinal)], f"pillars of part {ordinal}"
    region = _select(store, f"""PREFIX skos: <http://www.w3.org/2004/02/skos/core#>
        SELECT ?name WHERE {{ GRAPH <{graph}> {{ <{graph}> <{POL}region> ?r . ?r skos:prefLabel ?name FILTER(LANGMATCHES(LANG(?name), "zh-Hans")) }} }}""")
    assert region == [(NATION,)]
