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
