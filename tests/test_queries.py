"""Saved queries: headers, safe parameter binding, and every one parses and runs on the bundled graph."""

import pytest

from kg_build.errors import QueryError
from kg_build.queries import Parameter, bind_parameters, saved_queries, sparql_value
from kg_build.sparql import query_form
from kg_build.store import SelectResult

REQUIRED = ["reports", "pillars-and-measures", "targets", "projects", "organizations", "honors", "entity-mentions"]


def test_the_required_saved_queries_exist_with_headers():
    queries = saved_queries()
    for name in REQUIRED:
        assert name in queries, name
        q = queries[name]
        assert q.title and q.title != name and q.description, name


@pytest.mark.parametrize("name", sorted(saved_queries()))
def test_every_saved_query_parses_as_a_read_only_query(name):
    assert query_form(saved_queries()[name].bind()) in {"SELECT", "CONSTRUCT", "ASK", "DESCRIBE"}


@pytest.mark.parametrize("name", sorted(saved_queries()))
def test_every_saved_query_runs(built_store, name):
    result = built_store.query(saved_queries()[name].bind())
    assert isinstance(result, (SelectResult, bool)) or hasattr(result, "triples")


@pytest.mark.parametrize("name", ["reports", "pillars-and-measures", "targets"])
def test_core_queries_return_rows(built_store, name):
    result = built_store.query(saved_queries()[name].bind())
    assert isinstance(result, SelectResult) and result.rows, name


STRING = Parameter("region", "string", None, "")
IRI = Parameter("entity", "iri", None, "")
YEAR = Parameter("year", "year", None, "")

VALUES = [
    (STRING, "湖里区", '"湖里区"'),
    (STRING, 'a" } ; DROP ALL #', '"a\\" } ; DROP ALL #"'),
    (STRING, "back\\slash", '"back\\\\slash"'),
    (IRI, "https://w3id.org/policy-kg/id/report/huli-2026", "<https://w3id.org/policy-kg/id/report/huli-2026>"),
    (YEAR, "2026", '"2026"^^<http://www.w3.org/2001/XMLSchema#gYear>'),
]


@pytest.mark.parametrize("param,value,expected", VALUES)
def test_parameter_values_are_escaped_terms(param, value, expected):
    assert sparql_value(param, value) == expected


@pytest.mark.parametrize(
    "param,value",
    [(IRI, "http://x> } DROP ALL { <y"), (IRI, "not an iri"), (YEAR, "2026; DROP"), (STRING, "line\nbreak")],
)
def test_bad_parameter_values_are_refused(param, value):
    with pytest.raises(QueryError):
        sparql_value(param, value)


def test_binding_injects_values_in_the_outer_where():
    text = "# WHERE { in a comment\nSELECT ?x WHERE { ?x ?p ?region }"
    bound = bind_parameters(text, (STRING,), {"region": '"} DROP ALL {"'})
    assert 'VALUES (?region) { ("\\"} DROP ALL {\\"") }' in bound
    assert bound.index("VALUES") > bound.index("SELECT")
    assert query_form(bound) == "SELECT"


def test_unknown_parameters_are_named():
    with pytest.raises(QueryError, match="unknown parameter nope"):
        bind_parameters("SELECT * WHERE { ?s ?p ?o }", (STRING,), {"nope": "x"})


PAGED = sorted(name for name, q in saved_queries().items() if q.page_size)


def test_queries_that_list_whole_classes_are_paged():
    assert {"targets", "entity-mentions", "pillars-and-measures", "projects"} <= set(PAGED)


# (page, expected tail of the bound text)
PAGE_CASES = [
    (1, "\nLIMIT 500\n"),
    (2, "\nLIMIT 500 OFFSET 500\n"),
    (7, "\nLIMIT 500 OFFSET 3000\n"),
]


@pytest.mark.parametrize(("page", "tail"), PAGE_CASES)
def test_a_page_is_a_limit_and_offset(page, tail):
    bound = saved_queries()["targets"].bind(page=page)
    assert bound.endswith(tail) and bound.count("LIMIT") == 1
    assert query_form(bound) == "SELECT"


def test_every_row_is_the_query_without_its_limit():
    bound = saved_queries()["targets"].bind(page=None)
    assert "LIMIT 500" not in bound and query_form(bound) == "SELECT"


def test_pages_are_numbered_from_one():
    with pytest.raises(QueryError, match="numbered from 1"):
        saved_queries()["targets"].bind(page=0)


@pytest.mark.parametrize("name", PAGED)
def test_the_pages_of_a_paged_query_put_together_are_every_row_in_order(built_store, name):
    query = saved_queries()[name]
    everything = built_store.query(query.bind(page=None)).rows
    if name in ("targets", "entity-mentions"):
        assert len(everything) > 2 * query.page_size, "the bundled corpus should fill several pages"
    pages, page = [], 1
    while True:
        rows = built_store.query(query.bind(page=page)).rows
        assert len(rows) <= query.page_size
        pages += rows
        if len(rows) < query.page_size:
            break
        page += 1
    assert pages == everything
    assert len(set(everything)) == len(everything)  # no row twice


BAD_PAGE_HEADERS = [
    ("# page-size: 500\nSELECT * WHERE { ?s ?p ?o }", "end with 'LIMIT N'"),
    ("# page-size: 500\nSELECT * WHERE { ?s ?p ?o } LIMIT 50", "end with 'LIMIT N'"),
    ("# page-size: many\nSELECT * WHERE { ?s ?p ?o } LIMIT 50", "whole number"),
]


@pytest.mark.parametrize(("text", "message"), BAD_PAGE_HEADERS)
def test_a_page_size_must_match_the_final_limit(tmp_path, text, message):
    from kg_build.queries import parse_saved_query

    path = tmp_path / "q.rq"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(QueryError, match=message):
        parse_saved_query(path)


def _parts(value) -> set[str]:  # noqa: ANN001 - a GROUP_CONCAT result or None
    return set(str(value).split("、")) if value is not None else set()


def test_organizations_list_every_other_name_and_project_of_each(built_store):
    """What organizations gathers for each organization is what the store states of it, however many reports name it."""
    rows = built_store.query(saved_queries()["organizations"].bind()).rows
    got = {str(org): (_parts(alts), _parts(projects)) for org, _, _, alts, projects, _ in rows}
    stated = built_store.query(
        "PREFIX pol: <https://w3id.org/policy-kg/def#> PREFIX skos: <http://www.w3.org/2004/02/skos/core#> "
        "SELECT ?o ?alt ?project WHERE { VALUES ?c { pol:Company pol:GovernmentBody pol:Organization } ?o a ?c . "
        "{ ?o skos:altLabel ?alt } UNION { ?p pol:involvesOrganization ?o ; skos:prefLabel ?project "
        "FILTER(LANGMATCHES(LANG(?project), 'zh-Hans')) } }"
    ).rows
    expected = {org: (set(), set()) for org in got}
    for org, alt, project in stated:
        (expected[str(org)][0] if alt is not None else expected[str(org)][1]).add(str(alt if alt is not None else project))
    assert any(projects for _, projects in expected.values()), "the bundled reports name organizations in projects"
    assert got == expected
