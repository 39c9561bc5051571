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


@pytest.mark.parametrize(
    ("years", "copies", "expected"),
    [
        ([2026], 3, [(0, 0), (0, 1), (0, -1)]),
        # a corpus of 2015-2026 moves by twelve years, forward while 2026 + k stays within 2100, back while 2014 - k
        # stays from 1900 (the review year before 2015); then the same years in the next region group
        (list(range(2015, 2027)), 18, [
            (0, 0), (0, 12), (0, -12), (0, 24), (0, -24), (0, 36), (0, -36), (0, 48), (0, -48), (0, 60), (0, -60),
            (0, 72), (0, -72), (0, -84), (0, -96), (0, -108), (1, 0), (1, 12),
        ]),
        ([2100], 2, [(0, 0), (0, -1)]),
    ],
)
def test_the_copy_plan_takes_every_year_then_new_regions(years, copies, expected):
    from benchmarks.generate import copy_plan

    assert copy_plan(years, copies) == expected


@pytest.mark.parametrize(
    ("years", "copies", "expected"),
    [
        ([2026], 3, [(0, 0), (1, 0), (2, 0)]),  # every copy in regions of its own, in the corpus's own years
        (list(range(2015, 2027)), 2, [(0, 0), (1, 0)]),
        ([2100], 1, [(0, 0)]),
    ],
)
def test_the_regions_shape_puts_every_copy_in_new_regions(years, copies, expected):
    from benchmarks.generate import copy_plan

    assert copy_plan(years, copies, shape="regions") == expected


def test_an_unknown_shape_is_refused():
    from benchmarks.generate import copy_plan

    with pytest.raises(ValueError, match="unknown shape 'counties'"):
        copy_plan([2026], 2, shape="counties")


REGROUPED = [
    # (line, expected line in region group 3)
    ('<{r}> <{pol}region> <{place}huliqu-350206> <{r}> .', '<{r3}> <{pol}region> <{place}huliqu-350206-r3> <{r3}> .'),
    ('<{place}huliqu-350206> <http://www.w3.org/2004/02/skos/core#prefLabel> "湖里区"@zh-hans <{r}> .',
     '<{place}huliqu-350206-r3> <http://www.w3.org/2004/02/skos/core#prefLabel> "湖里区 3"@zh-hans <{r3}> .'),
    ('<{place}huliqu-350206> <{pol}adminCode> "350206" <{r}> .', '<{place}huliqu-350206-r3> <{pol}adminCode> "350206-r3" <{r3}> .'),
    ('<{place}huliqu-350206> <{pol}locatedIn> <{place}xiamenshi-350200> <{r}> .',
     '<{place}huliqu-350206-r3> <{pol}locatedIn> <{place}xiamenshi-350200> <{r3}> .'),
    ('<https://w3id.org/policy-kg/id/honor-conferral/x-1/huliqu-350206/2025> <{pol}recipient> <{place}huliqu-350206> <{r}> .',
     '<https://w3id.org/policy-kg/id/honor-conferral/x-1/huliqu-350206-r3/2025> <{pol}recipient> <{place}huliqu-350206-r3> <{r3}> .'),
    ('<{place}huliqu-3502060> <http://www.w3.org/2000/01/rdf-schema#label> "别处"@zh-hans <{r}> .',
     '<{place}huliqu-3502060> <http://www.w3.org/2000/01/rdf-schema#label> "别处"@zh-hans <{r3}> .'),
]


@pytest.mark.parametrize(("line", "expected"), REGROUPED)
def test_a_copy_in_another_region_group_names_a_distinct_region(line, expected):
    from benchmarks.generate import copied_report

    names = {"r": f"{REPORT_NS}huli-2026", "r3": f"{REPORT_NS}huli-r3-2026", "pol": POL, "place": "https://w3id.org/policy-kg/id/place/"}
    header = [
        f"<{REPORT_NS}huli-2026> <{POL}planYear> \"2026\"^^<http://www.w3.org/2001/XMLSchema#gYear> <{REPORT_NS}huli-2026> .",
        f"<{REPORT_NS}huli-2026> <{POL}region> <https://w3id.org/policy-kg/id/place/huliqu-350206> <{REPORT_NS}huli-2026> .",
    ]
    graph, lines = copied_report(f"{REPORT_NS}huli-2026", [*header, line.format(**names)], offset=0, group=3)
    assert graph == f"{REPORT_NS}huli-r3-2026"
    assert lines[-1] == expected.format(**names)
    ox.Store().load(("\n".join(lines) + "\n").encode(), format=ox.RdfFormat.N_QUADS)  # still valid N-Quads


PLACED = [
    # (what the report places where, as (thing, place) pairs; what moves with the region huliqu to another group)
    ([], ["huliqu"]),
    ([("huliqu", "xiamenshi")], ["huliqu"]),  # its parent stays: the copies are counties of one city
    ([("town", "huliqu"), ("project", "town")], ["huliqu", "town", "project"]),  # however many steps down
    ([("project", "xiamenshi")], ["huliqu"]),  # placed in the parent: shared
    ([("project", "huliqu"), ("project", "xiamenshi")], ["huliqu", "project"]),  # in the region, wherever else too
    ([("a", "b"), ("b", "a")], ["huliqu"]),  # a loop elsewhere
    ([("a", "huliqu"), ("huliqu", "a")], ["huliqu", "a"]),  # a loop through the region
]


@pytest.mark.parametrize(("pairs", "expected"), PLACED)
def test_what_a_report_places_in_its_region_moves_with_it(pairs, expected):
    from benchmarks.generate import placed_within

    iri = "https://w3id.org/policy-kg/id/x/{}".format
    lines = [f"<{iri(a)}> <{POL}locatedIn> <{iri(b)}> <{REPORT_NS}huli-2026> ." for a, b in pairs]
    assert placed_within(iri("huliqu"), lines) == [iri(e) for e in expected]


def test_a_project_in_a_moved_region_is_a_distinct_project_but_initiatives_stay_shared():
    from benchmarks.generate import copied_report

    r, place, pol = f"{REPORT_NS}huli-2026", "https://w3id.org/policy-kg/id/place/", POL
    project, initiative = "https://w3id.org/policy-kg/id/project/gang-1a2b", "https://w3id.org/policy-kg/id/initiative/x-9"
    lines = [
        f'<{r}> <{pol}planYear> "2026"^^<http://www.w3.org/2001/XMLSchema#gYear> <{r}> .',
        f"<{r}> <{pol}region> <{place}huliqu-350206> <{r}> .",
        f"<{project}> <{pol}locatedIn> <{place}huliqu-350206> <{r}> .",
        f'<{project}> <http://www.w3.org/2004/02/skos/core#prefLabel> "港口"@zh-hans <{r}> .',
        f"<{r}/measure/1> <{pol}mentions> <{project}> <{r}> .",
        f"<{r}/measure/1> <{pol}partOf> <{initiative}> <{r}> .",
    ]
    graph, copied = copied_report(r, lines, offset=0, group=2)
    r2 = f"{REPORT_NS}huli-r2-2026"
    assert copied[2:] == [
        f"<{project}-r2> <{pol}locatedIn> <{place}huliqu-350206-r2> <{r2}> .",
        f'<{project}-r2> <http://www.w3.org/2004/02/skos/core#prefLabel> "港口 2"@zh-hans <{r2}> .',
        f"<{r2}/measure/1> <{pol}mentions> <{project}-r2> <{r2}> .",
        f"<{r2}/measure/1> <{pol}partOf> <{initiative}> <{r2}> .",
    ]


def test_region_groups_keep_every_copy_distinct(sample_store, tmp_path):
    from benchmarks.generate import year_offsets
    from kg_build.store import LocalStore

    base = report_graphs(graph_lines(sample_store))
    per_copy = sum(len(lines) for lines in base.values())
    years = len(year_offsets([2026]))
    big = generate_store(sample_store, tmp_path / "store", quads=(years + 2) * per_copy, nquads_file=tmp_path / "big.nq")
    reports = [g for g in LocalStore(big.root).named_graphs() if g.startswith(REPORT_NS)]
    assert big.reports == len(reports) == years + 2
    assert sum(g.startswith(f"{REPORT_NS}shili-r1-") for g in reports) == 2
    regions = LocalStore(big.root).query(f"SELECT DISTINCT ?region WHERE {{ ?r <{POL}region> ?region }}").rows
    assert len(regions) == 2


def test_the_regions_shape_gives_each_copy_a_region_in_the_same_year(sample_store, tmp_path):
    from kg_build.store import LocalStore

    base = report_graphs(graph_lines(sample_store))
    per_copy = sum(len(lines) for lines in base.values())
    big = generate_store(
        sample_store, tmp_path / "store", quads=3 * per_copy, nquads_file=tmp_path / "big.nq", shape="regions"
    )
    store = LocalStore(big.root)
    rows = store.query(f"SELECT DISTINCT ?region ?year WHERE {{ ?r <{POL}region> ?region ; <{POL}planYear> ?year }}").rows
    assert big.reports == 3
    assert len({str(r[0]) for r in rows}) == 3  # three regions
    assert len({str(r[1]) for r in rows}) == 1  # all in the corpus's one year
