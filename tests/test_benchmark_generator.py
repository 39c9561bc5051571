"""The benchmark's data generators: copies are valid, distinct reports; shared entities stay shared."""

from __future__ import annotations

import sys
from pathlib import Path

import pyoxigraph as ox
import pytest

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from benchmarks.generate import (  # noqa: E402 - needs the repository root on the path
    REPORT_NS,
    copied_sidecar,
    copies_for,
    copy_corpus,
    generate_store,
    graph_lines,
    report_graphs,
)

POL = "https://w3id.org/policy-kg/def#"
SAMPLE = f"{REPORT_NS}shili-2026"


@pytest.mark.parametrize(
    ("sidecar", "offset", "expected"),
    [
        (
            {"region": "北京市", "plan_year": 2026, "review_year": 2025, "title": "2026年北京市政府工作报告", "published": "2026-02-02"},
            3,
            {"region": "北京市", "plan_year": 2029, "review_year": 2028, "title": "2029年北京市政府工作报告", "published": "2029-02-02"},
        ),
        (
            {"region": "湖里区", "plan_year": 2026, "title": "湖里区政府工作报告（摘要）"},
            1,
            {"region": "湖里区", "plan_year": 2027, "review_year": 2026, "title": "湖里区政府工作报告（摘要）"},
        ),
        ({"region": "河北省", "plan_year": 2026, "id": "hebei-2026"}, 0, {"region": "河北省", "plan_year": 2026, "review_year": 2025}),
        ({"region": "某市", "plan_year": 2026, "title": "20260号文件 2026年"}, 2, {"region": "某市", "plan_year": 2028, "review_year": 2027, "title": "20260号文件 2028年"}),
    ],
)
def test_a_copied_sidecar_moves_the_years(sidecar, offset, expected):
    assert copied_sidecar(sidecar, offset=offset) == expected


@pytest.mark.parametrize(("quads", "per_copy", "expected"), [(1_000_000, 74_000, 14), (10, 10, 1), (11, 10, 2), (0, 5, 1)])
def test_copies_for_reaches_the_size(quads, per_copy, expected):
    assert copies_for(quads, per_copy=per_copy) == expected


def test_corpus_copies_are_distinct_reports(tmp_path):
    from kg_build.build import content_hash, discover
    from kg_build.metadata import read_meta
    from kg_build.normalize import read_text
    from kg_build.resources import bundled_reports_dir

    source = tmp_path / "source"
    source.mkdir()
    for stem in ("huli-2026", "hebei-2026"):
        for suffix in (".txt", ".meta.json"):
            (source / f"{stem}{suffix}").write_bytes((bundled_reports_dir() / f"{stem}{suffix}").read_bytes())
    written = copy_corpus(source, tmp_path / "copies", copies=3)
    assert written == discover([tmp_path / "copies"])
    assert len(written) == 6
    ids = sorted(read_meta(p, read_text(p)).report_id for p in written)
    assert ids == ["hebei-2025", "hebei-2026", "hebei-2027", "huli-2025", "huli-2026", "huli-2027"]
    assert len({content_hash(p) for p in written}) == 6


def test_copies_of_a_yearly_series_never_land_on_its_own_later_years(tmp_path):
    from kg_build.metadata import read_meta
    from kg_build.normalize import read_text
    from kg_build.resources import bundled_reports_dir

    source = tmp_path / "source"
    source.mkdir()
    for stem in ("national-2015", "national-2016", "national-2017"):
        for suffix in (".txt", ".meta.json"):
            (source / f"{stem}{suffix}").write_bytes((bundled_reports_dir() / f"{stem}{suffix}").read_bytes())
    written = copy_corpus(source, tmp_path / "copies", copies=3)
    ids = sorted(read_meta(p, read_text(p)).report_id for p in written)
    assert ids == [f"national-{year}" for year in (2012, 2013, 2014, 2015, 2016, 2017, 2018, 2019, 2020)]


@pytest.fixture(scope="module")
def generated(sample_store, tmp_path_factory):
    base = report_graphs(graph_lines(sample_store))
    per_copy = sum(len(lines) for lines in base.values())
    folder = tmp_path_factory.mktemp("generated")
    big = generate_store(sample_store, folder / "store", quads=3 * per_copy, nquads_file=folder / "big.nq")
    return big, base[SAMPLE]


def test_the_generated_store_holds_one_distinct_report_per_copy(generated):
    from kg_build.store import LocalStore

    big, sample_lines = generated
    store = LocalStore(big.root)
    reports = [g for g in store.named_graphs() if g.startswith(REPORT_NS)]
    assert big.copies == 3 and big.reports == 3
    assert reports == [f"{REPORT_NS}shili-{year}" for year in (2025, 2026, 2027)]
    rows = store.query(
        f"SELECT ?g ?year ?hash WHERE {{ GRAPH ?g {{ ?g <{POL}planYear> ?year ; <{POL}contentHash> ?hash }} }} ORDER BY ?g",
        union_default=False,
    ).rows
    assert [(str(g).rsplit("-", 1)[-1], str(year)) for g, year, _ in rows] == [("2025", "2025"), ("2026", "2026"), ("2027", "2027")]
    assert len({str(h) for _, _, h in rows}) == 3
    counts = store.query(
        "SELECT ?g (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } } GROUP BY ?g ORDER BY ?g", union_default=False
    ).rows
    assert [int(n) for g, n in counts if str(g).startswith(REPORT_NS)] == [len(sample_lines)] * 3


def test_a_copy_names_only_its_own_report_but_shares_entities(generated):
    from kg_build.store import LocalStore

    big, _ = generated
    store = LocalStore(big.root)
    by_graph = {
        graph: {str(s) for (s,) in store.query(f"SELECT DISTINCT ?s WHERE {{ GRAPH <{graph}> {{ ?s ?p ?o }} }}", union_default=False).rows}
        for graph in (f"{REPORT_NS}shili-2026", f"{REPORT_NS}shili-2027")
    }
    own = {s for s in by_graph[f"{REPORT_NS}shili-2027"] if s.startswith(REPORT_NS)}
    assert own and all(s == f"{REPORT_NS}shili-2027" or s.startswith(f"{REPORT_NS}shili-2027/") for s in own)
    shared = {s for s in by_graph[f"{REPORT_NS}shili-2026"] if not s.startswith(REPORT_NS) and "honor-conferral" not in s}
    assert shared and shared <= by_graph[f"{REPORT_NS}shili-2027"]


def test_the_nquads_file_is_valid_and_holds_the_store(generated):
    from kg_build.store import LocalStore

    big, _ = generated
    parsed = ox.Store()
    parsed.load(path=str(big.nquads_file), format=ox.RdfFormat.N_QUADS)
    assert len(parsed) == LocalStore(big.root).quad_count() == big.quads
