"""User queries run read-only, in a worker that a time limit stops, with a row cap; downloads hold every row read."""

from __future__ import annotations

import csv
import io
import json
import time

import pytest
from rdflib import Graph

from kg_build.engine import QueryRefused, QuerySyntaxError, QueryTimeout
from kg_build.errors import QueryError
from kg_build.workbench import WorkerPool, run_query, to_csv, to_json, to_turtle

PREFIXES = "PREFIX pol: <https://w3id.org/policy-kg/def#>\nPREFIX skos: <http://www.w3.org/2004/02/skos/core#>\n"
SLOW = "SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i }"


@pytest.fixture(scope="module")
def pool():
    workers = WorkerPool()
    yield workers
    workers.close()


def run(store, text, pool, **options):
    return run_query(store.root, text, pool=pool, **options)


FORMS = [
    ("SELECT ?p WHERE { ?p a pol:Pillar } ORDER BY ?p", "SELECT", 2),
    ("CONSTRUCT { ?p a pol:Pillar } WHERE { ?p a pol:Pillar }", "CONSTRUCT", 2),
    ("DESCRIBE ?p WHERE { ?p a pol:Pillar ; pol:ordinal 1 }", "DESCRIBE", None),
    ("ASK { ?p a pol:Pillar }", "ASK", None),
]


@pytest.mark.parametrize(("query", "form", "count"), FORMS)
def test_each_query_form_runs(sample_store, pool, query, form, count):
    result = run(sample_store, PREFIXES + query, pool)
    assert result.form == form
    assert result.elapsed_ms >= 0 and not result.truncated
    assert result.generation == sample_store.generation()
    if count is not None:
        assert result.count == count
    if form == "ASK":
        assert result.boolean is True
    if form == "DESCRIBE":
        assert result.count > 3


REFUSED = [
    "INSERT DATA { <urn:a> <urn:b> <urn:c> }",
    "DELETE WHERE { ?s ?p ?o }",
    "LOAD <http://example.org/data.ttl>",
    "CLEAR ALL",
    "DROP GRAPH <https://w3id.org/policy-kg/id/report/shili-2026>",
    "SELECT * WHERE { SERVICE <http://example.org/sparql> { ?s ?p ?o } }",
    "SELECT * WHERE { ?s ?p ?o OPTIONAL { SERVICE SILENT <http://example.org/s> { ?s ?q ?r } } }",
    "SELECT * WHERE { ?s ?p ?o LATERAL { SERVICE <http://example.org/s> { ?s ?q ?r } } }",
    "SELECT * WHERE { ?s ?p ?o LATERAL { { SELECT ?s WHERE { SERVICE <http://example.org/s> { ?s ?q ?r } } } } }",
]


@pytest.mark.parametrize("query", REFUSED)
def test_updates_load_and_service_are_refused_and_the_worker_stays(sample_store, pool, query):
    with pytest.raises(QueryRefused, match="refused"):
        run(sample_store, query, pool)
    before = pool.started
    assert run(sample_store, "ASK { ?s ?p ?o }", pool).boolean  # a refusal costs no worker
    assert pool.started == before


SYNTAX = [
    "SELEC * WHERE { ?s ?p ?o }",
    "SELECT * WHERE { ?s ?p }",
    "SELECT * WHERE { ?s undeclared:p ?o }",
]


@pytest.mark.parametrize("query", SYNTAX)
def test_syntax_errors_say_so(sample_store, pool, query):
    with pytest.raises(QuerySyntaxError, match="syntax error"):
        run(sample_store, query, pool)


def test_the_row_cap_keeps_the_first_rows_and_says_it_cut(sample_store, pool):
    result = run(sample_store, "SELECT ?s ?p ?o WHERE { ?s ?p ?o }", pool, max_rows=25)
    assert result.count == 25 and result.truncated and result.max_rows == 25


def test_a_query_over_its_time_limit_is_stopped(sample_store, pool):
    started = time.monotonic()
    with pytest.raises(QueryTimeout, match="time limit of 0.5 s"):
        run(sample_store, SLOW, pool, timeout_s=0.5)
    assert time.monotonic() - started < 60  # liveness, not speed: a worker start under load is slow
    before = pool.started
    assert run(sample_store, "ASK { ?s ?p ?o }", pool).boolean  # a fresh worker answers the next query
    assert pool.started == before + 1


def test_a_caller_that_goes_away_stops_its_query(sample_store, pool):
    class Gone(Exception):
        pass

    def on_wait(seconds: float) -> None:
        if seconds > 0.3:
            raise Gone

    started = time.monotonic()
    with pytest.raises(Gone):
        run(sample_store, SLOW, pool, timeout_s=120, on_wait=on_wait)
    assert time.monotonic() - started < 60  # liveness: well before the 120 s limit, however busy the machine
    before = pool.started
    assert run(sample_store, "ASK { ?s ?p ?o }", pool).boolean
    assert pool.started == before + 1  # the stopped worker was not given back


def test_a_rebuild_is_seen_by_the_next_query(tmp_path, pool):
    from conftest import write_sample_store

    store = write_sample_store(tmp_path / "store")
    first = run(store, "ASK { ?s ?p ?o }", pool)
    write_sample_store(tmp_path / "store")
    second = run(store, "ASK { ?s ?p ?o }", pool)
    assert (first.generation, second.generation) == ("000001", "000002")


def test_downloads_hold_every_row_as_sparql_results(sample_store, pool):
    query = "SELECT ?p ?label ?n WHERE { ?p a pol:Pillar ; skos:prefLabel ?label ; pol:ordinal ?n } ORDER BY ?n"
    result = run(sample_store, PREFIXES + query, pool)
    rows = list(csv.reader(io.StringIO(to_csv(result).decode("utf-8"))))
    assert rows[0] == ["p", "label", "n"]
    assert [r[1:] for r in rows[1:]] == [["扩大有效投资", "1"], ["培育新兴产业", "2"]]
    data = json.loads(to_json(result))
    assert data["head"]["vars"] == ["p", "label", "n"]
    first = data["results"]["bindings"][0]
    assert first["p"]["type"] == "uri"
    assert first["label"] == {"type": "literal", "value": "扩大有效投资", "xml:lang": "zh-hans"}
    assert first["n"]["datatype"] == "http://www.w3.org/2001/XMLSchema#integer"


def test_a_graph_downloads_as_turtle(sample_store, pool):
    query = "CONSTRUCT { ?p skos:prefLabel ?l } WHERE { ?p a pol:Pillar ; skos:prefLabel ?l }"
    result = run(sample_store, PREFIXES + query, pool)
    graph = Graph().parse(data=to_turtle(result), format="turtle")
    assert len(graph) == 2 and b"@prefix skos:" in to_turtle(result)
    assert json.loads(to_json(result))[0]["predicate"]["value"].endswith("prefLabel")


@pytest.mark.parametrize("timeout", [0, -1])
def test_a_time_limit_must_be_positive(sample_store, pool, timeout):
    with pytest.raises(QueryError, match="positive"):
        run(sample_store, "ASK {}", pool, timeout_s=timeout)
