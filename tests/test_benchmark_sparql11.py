"""The benchmark gives rdflib (no SPARQL 1.2 LATERAL) each saved query in SPARQL 1.1 form: same rows as Oxigraph."""
from __future__ import annotations

import sys
from pathlib import Path

import pyoxigraph as ox
import pytest
from rdflib import Dataset

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from benchmarks.sparql11 import sparql_1_1  # noqa: E402 - needs the repository root on the path
from kg_build.queries import saved_queries  # noqa: E402

pytestmark = pytest.mark.filterwarnings("ignore::DeprecationWarning")  # rdflib's own, thousands of them

REWRITES = [
    ("SELECT * WHERE { ?s ?p ?o LATERAL { OPTIONAL { ?s <urn:q> ?x } } }",
     "SELECT * WHERE { ?s ?p ?o OPTIONAL { ?s <urn:q> ?x } }"),
    ("SELECT * WHERE { ?s ?p ?o LATERAL { ?s <urn:q> ?x . FILTER(?x != \"}\") } }",
     "SELECT * WHERE { ?s ?p ?o ?s <urn:q> ?x . FILTER(?x != \"}\") }"),
    ("SELECT * WHERE { ?s ?p ?o LATERAL { SELECT ?s (COUNT(*) AS ?n) WHERE { ?s <urn:q#x> ?y } GROUP BY ?s } }",
     "SELECT * WHERE { ?s ?p ?o { SELECT ?s (COUNT(*) AS ?n) WHERE { ?s <urn:q#x> ?y } GROUP BY ?s } }"),
    ("SELECT * WHERE { ?s ?p ?o # LATERAL { in a comment }\n}", "SELECT * WHERE { ?s ?p ?o # LATERAL { in a comment }\n}"),
]


@pytest.mark.parametrize(("text", "expected"), REWRITES)
def test_lateral_blocks_become_their_sparql_1_1_equivalents(text, expected):
    assert sparql_1_1(text) == expected


# queries rdflib answers in seconds at this size (entity-mentions takes minutes)
CHECKED = ["gdp-growth-targets", "honors", "indicator-across-regions", "organizations", "pillars-and-measures",
           "region-profile", "reports", "shared-initiatives"]


@pytest.fixture(scope="module")
def rdflib_dataset(built_store):
    dataset = Dataset(default_union=True)
    dataset.parse(data=built_store.dump(fmt=ox.RdfFormat.N_QUADS), format="nquads")
    return dataset


def _rows(rows):
    # GROUP_CONCAT's order is the engine's own: compare its parts as a set
    return sorted(tuple("、".join(sorted(str(v).split("、"))) if v is not None else None for v in row) for row in rows)


@pytest.mark.parametrize("name", CHECKED)
def test_rdflib_answers_the_rewritten_query_with_oxigraphs_rows(built_store, rdflib_dataset, name):
    text = saved_queries()[name].bind(page=None)
    expected = _rows(built_store.query(text).rows)
    assert expected, name
    assert _rows(rdflib_dataset.query(sparql_1_1(text))) == expected
