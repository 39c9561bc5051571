"""The paged saved queries that make their rows region by region give the rows, in the order, of their reference forms.

The saved queries make their rows region by region, already in order, so a page reads only the regions it shows;
their reference forms (tests/fixtures/reference-queries/) make every row and sort them. On the bundled reports
plus one report that names no region (whose rows sort first), every page together must equal the reference's
rows in its order, for each parameter choice; and the SPARQL 1.1 form's first page must be the fast form's.
"""

from __future__ import annotations

from collections import Counter
from itertools import groupby
from pathlib import Path

import pytest

from kg_build.queries import parse_saved_query, saved_queries
from kg_build.store import LocalStore

REFERENCE = Path(__file__).parent / "fixtures" / "reference-queries"
REGION_AND_INDICATOR = [
    {},
    {"region": "福建省"},
    {"region": "中华人民共和国"},
    {"indicator": "gdp-growth"},
    {"indicator": "居民消费价格涨幅"},
    {"region": "福建省", "indicator": "gdp-growth"},
    {"region": "没有这个地区"},
]
INDICATOR = [
    {},  # the default, 地区生产总值增长: a standard indicator's name
    {"indicator": "gdp-growth"},  # a slug
    {"indicator": "居民消费价格涨幅"},
    {"indicator": "城镇调查失业率"},
    {"indicator": "新增城镇就业"},  # a report's own wording
    {"indicator": "没有这个指标"},
]
PARAMETERS = {
    "panel": REGION_AND_INDICATOR,
    "target-vs-outcome": REGION_AND_INDICATOR,
    "gdp-growth-targets": [{}],
    "indicator-across-regions": INDICATOR,
    "target-amplification": [
        {},
        {"region": "福建省"},
        {"region": "厦门市"},
        {"indicator": "gdp-growth"},
        {"indicator": "居民消费价格涨幅"},
        {"region": "福建省", "indicator": "gdp-growth"},
        {"region": "没有这个地区"},
    ],
}
NAMES = list(PARAMETERS)
CASES = [(name, params) for name in NAMES for params in PARAMETERS[name]]


def _drop_region(nquads: bytes) -> bytes:
    """A report's quads without its region: the report names none, and its figures have no pol:refArea."""
    kept = [line for line in nquads.split(b"\n")
            if b"<https://w3id.org/policy-kg/def#region>" not in line
            and b"<https://w3id.org/policy-kg/def#refArea>" not in line]
    return b"\n".join(kept)


@pytest.fixture(scope="module")
def store(built_store: LocalStore, tmp_path_factory: pytest.TempPathFactory) -> LocalStore:
    """The bundled reports, and a copy of one under another name that names no region."""
    import pyoxigraph as ox

    from kg_build.model.vocab import DATA_NS

    copy = LocalStore(tmp_path_factory.mktemp("forms-store"))
    graphs = built_store.named_graphs()
    source = next(g for g in graphs if g.endswith("/fujian-2026"))
    with copy.writer() as writer:
        for graph in graphs:
            writer.replace_graph(graph, built_store.dump(fmt=ox.RdfFormat.N_QUADS, graph=graph))
        unplaced = built_store.dump(fmt=ox.RdfFormat.N_QUADS, graph=source)
        writer.replace_graph(f"{DATA_NS}report/unplaced-2026",
                             _drop_region(unplaced.replace(source.encode(), f"{DATA_NS}report/unplaced-2026".encode())))
    return copy


def _rows(result) -> list[tuple]:  # noqa: ANN001
    return [tuple(None if v is None else str(v) for v in row) for row in result.rows]


def _reference(name: str):  # noqa: ANN202
    return parse_saved_query(REFERENCE / f"{name}.rq")


def test_the_store_has_rows_of_a_report_without_region(store: LocalStore) -> None:
    rows = _rows(store.query(saved_queries()["panel"].bind(page=None)))
    region = 1  # ?regionName
    assert rows and rows[0][region] is None  # the unplaced report's rows come first
    assert any(r[region] is not None for r in rows)


@pytest.mark.parametrize(("name", "params"), CASES, ids=[f"{n}-{'-'.join(p.values()) or 'all'}" for n, p in CASES])
def test_every_page_gives_the_reference_rows_in_order(store: LocalStore, name: str, params: dict) -> None:
    query = saved_queries()[name]
    expected = _rows(store.query(_reference(name).bind(params)))
    assert query.page_size
    assert _rows(store.query(query.bind(params, page=None))) == expected
    assert _rows(store.query(query.bind(params))) == expected[: query.page_size]
    if params == {}:
        assert expected  # the comparison can fail


@pytest.mark.parametrize("name", NAMES)
def test_the_sparql_1_1_form_gives_the_same_first_page(store: LocalStore, name: str) -> None:
    query = saved_queries()[name]
    first = _rows(store.query(query.bind()))
    assert first  # the comparison can fail
    assert Counter(_rows(store.query(query.bind(sparql11=True)))) == Counter(first)


# The queries that list rows report by report sort the reports by a key made of each IRI's text, which Oxigraph
# compares in memory; the key must order them exactly as the IRIs are ordered (by code point).
REPORT_BY_REPORT = ["targets", "entity-mentions", "pillars-and-measures", "projects"]
KEY = '{ SELECT ?report WHERE { ?report a pol:WorkReport BIND(CONCAT(" ", STR(?report)) AS ?key_) } ORDER BY ?key_ }'
KEYED_ORDER = f"PREFIX pol: <https://w3id.org/policy-kg/def#> SELECT ?report WHERE {{ {KEY} }}"
IRI_ORDER = "PREFIX pol: <https://w3id.org/policy-kg/def#> SELECT ?report WHERE { ?report a pol:WorkReport } ORDER BY ?report"
AWKWARD_IRIS = ["urn:r/a", "urn:r/a-b", "urn:r/ab", "urn:r/a0", "urn:r/A", "urn:r/é", "urn:r/福建", "urn:r/ä-2026", "urn:r/"]


def test_the_key_orders_reports_as_their_iris(tmp_path: Path) -> None:
    import pyoxigraph as ox

    from kg_build.model.vocab import POL_NS

    engine = ox.Store(str(tmp_path / "keyed"))
    kind = ox.NamedNode(f"{POL_NS}WorkReport")
    a = ox.NamedNode("http://www.w3.org/1999/02/22-rdf-syntax-ns#type")
    engine.extend([ox.Quad(ox.NamedNode(iri), a, kind) for iri in AWKWARD_IRIS])
    keyed = [s["report"].value for s in engine.query(KEYED_ORDER)]
    assert keyed == [s["report"].value for s in engine.query(IRI_ORDER)] == sorted(AWKWARD_IRIS)
    assert all(KEY in saved_queries()[name].text for name in REPORT_BY_REPORT)  # the saved queries use this key


@pytest.mark.parametrize("name", REPORT_BY_REPORT)
def test_a_report_by_report_query_lists_each_report_once_in_iri_order(store: LocalStore, name: str) -> None:
    result = store.query(saved_queries()[name].bind(page=None))
    at = result.variables.index("report")
    reports = [str(row[at]) for row in result.rows]
    runs = [report for report, _ in groupby(reports)]
    assert len(runs) > 1  # the comparison can fail
    assert runs == sorted(set(reports))
