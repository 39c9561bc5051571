"""The paged listings (``reports``, ``honors``, ``organizations``) give the rows, in the order, of their reference forms.

Each saved query makes its rows already in order (region by region, recipient by recipient, or from the sorted
list of the few organizations), so that a page costs a page and not the store; its reference form
(tests/fixtures/reference-queries/) is the plain query that makes every row and sorts them. On the bundled reports
plus two copies that stress the order, every page together must equal the reference's rows in its order, at the
declared page size and at a small one whose pages end inside a region or recipient; and the SPARQL 1.1 form's
first page must be the fast form's.
"""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

import pytest

from kg_build.queries import parse_saved_query, saved_queries
from kg_build.store import LocalStore

REFERENCE = Path(__file__).parent / "fixtures" / "reference-queries"
NAMES = ["reports", "honors", "organizations"]
# GROUP_CONCAT gives its parts in the engine's own order: such a column is compared as the set of its parts
CONCATENATED = {"warnings": " ", "altLabels": "、", "projects": "、", "regions": "、"}
PAGE_SIZES = [None, 7]  # None: the query's own; 7 ends pages inside a region, a recipient or a kind
CASES = [(name, size) for name in NAMES for size in PAGE_SIZES]

HULI = b"<https://w3id.org/policy-kg/id/place/huliqu-350206>"
RENAMED_HULI = b"<https://w3id.org/policy-kg/id/place/huliqu-350206-x>"


def _drop_region(nquads: bytes) -> bytes:
    """A report's quads without its region: the report names none, and its figures have no pol:refArea."""
    kept = [line for line in nquads.split(b"\n")
            if b"<https://w3id.org/policy-kg/def#region>" not in line
            and b"<https://w3id.org/policy-kg/def#refArea>" not in line]
    return b"\n".join(kept)


def _rename_huli(nquads: bytes) -> bytes:
    """A report's quads with its district another place, named 厦门湖里 (which sorts before 湖里区)."""
    return nquads.replace(HULI, RENAMED_HULI).replace('"湖里区"@zh-hans'.encode(), '"厦门湖里"@zh-hans'.encode())


@pytest.fixture(scope="module")
def store(built_store: LocalStore, tmp_path_factory: pytest.TempPathFactory) -> LocalStore:
    """The bundled reports; a copy of Huli's that names no region (its rows sort first, and it names organizations
    the count must take in); and a copy whose district, region and honour recipient is another place with another
    name (two recipients, and one more region)."""
    import pyoxigraph as ox

    from kg_build.model.vocab import DATA_NS

    copy = LocalStore(tmp_path_factory.mktemp("listing-store"))
    graphs = built_store.named_graphs()
    source = next(g for g in graphs if g.endswith("/huli-2026"))
    huli = built_store.dump(fmt=ox.RdfFormat.N_QUADS, graph=source)
    with copy.writer() as writer:
        for graph in graphs:
            writer.replace_graph(graph, built_store.dump(fmt=ox.RdfFormat.N_QUADS, graph=graph))
        for name, change in (("unplaced-2026", _drop_region), ("renamed-2026", _rename_huli)):
            iri = f"{DATA_NS}report/{name}"
            writer.replace_graph(iri, change(huli.replace(source.encode(), iri.encode())))
    return copy


def _rows(result) -> list[tuple]:  # noqa: ANN001
    cut = [CONCATENATED.get(v) for v in result.variables]

    def cell(value: object, sep: str | None) -> str | None:
        if value is None:
            return None
        return " | ".join(sorted(str(value).split(sep))) if sep else str(value)

    return [tuple(cell(v, sep) for v, sep in zip(row, cut)) for row in result.rows]


def _reference(name: str):  # noqa: ANN202
    return parse_saved_query(REFERENCE / f"{name}.rq")


def _every_page(store: LocalStore, query) -> list[tuple]:  # noqa: ANN001
    found, page = [], 1
    while True:
        rows = _rows(store.query(query.bind(page=page)))
        assert len(rows) <= query.page_size
        found += rows
        if len(rows) < query.page_size:
            return found
        page += 1


def test_the_store_stresses_the_order(store: LocalStore) -> None:
    reports = _rows(store.query(_reference("reports").bind()))
    assert reports[0][0].endswith("/unplaced-2026") and reports[0][2] is None  # no region: first
    assert {r[2] for r in reports} >= {"厦门湖里", "湖里区"}
    recipients = [r[0] for r in _rows(store.query(_reference("honors").bind()))]
    assert recipients[0] == "厦门湖里" and recipients[-1] == "湖里区"


@pytest.mark.parametrize(("name", "size"), CASES, ids=[f"{n}-{s or 'own'}" for n, s in CASES])
def test_every_page_gives_the_reference_rows_in_order(store: LocalStore, name: str, size: int | None) -> None:
    query = saved_queries()[name]
    assert query.page_size
    if size:
        query = replace(query, page_size=size)
    expected = _rows(store.query(_reference(name).bind()))
    assert len(expected) > 2 * (size or 1)  # the comparison spans pages
    assert _rows(store.query(query.bind(page=None))) == expected
    assert _rows(store.query(query.bind())) == expected[: query.page_size]
    assert _every_page(store, query) == expected


@pytest.mark.parametrize("name", NAMES)
def test_the_sparql_1_1_form_gives_the_same_first_page(store: LocalStore, name: str) -> None:
    query = saved_queries()[name]
    first = _rows(store.query(query.bind()))
    assert first  # the comparison can fail
    assert _rows(store.query(query.bind(sparql11=True))) == first


@pytest.mark.parametrize("name", NAMES)
def test_the_header_states_the_page_size(name: str) -> None:
    query = saved_queries()[name]
    assert f"{query.page_size} a page" in query.description
    assert f"每页{query.page_size}条" in query.description_zh
