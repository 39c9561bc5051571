"""The benchmark gives rdflib (no SPARQL 1.2 LATERAL) each saved query's SPARQL 1.1 form: another engine than
Oxigraph answers it with Oxigraph's rows for the fast form."""
from __future__ import annotations

import pyoxigraph as ox
import pytest
from rdflib import Dataset

from kg_build.queries import saved_queries

pytestmark = pytest.mark.filterwarnings("ignore::DeprecationWarning")  # rdflib's own, thousands of them

# queries rdflib answers in seconds at this size (entity-mentions and the per-group picks take minutes)
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
def test_rdflib_answers_the_sparql_1_1_form_with_oxigraphs_rows(built_store, rdflib_dataset, name):
    query = saved_queries()[name]
    expected = _rows(built_store.query(query.bind(page=None)).rows)
    assert expected, name
    assert _rows(rdflib_dataset.query(query.bind(page=None, sparql11=True))) == expected
