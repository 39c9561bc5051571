"""The ontology as a page: the HTML export names every term with its English label and loads nothing from outside;
the /ontology page shows each class and property with its count, its entity page and a query listing its instances."""

from __future__ import annotations

import re
from html.parser import HTMLParser
from urllib.parse import parse_qs, quote, urlsplit

import pytest
from click.testing import CliRunner
from rdflib import OWL, RDF, RDFS, Graph, URIRef
from streamlit.testing.v1 import AppTest

from test_app import APP, PAGES, TIMEOUT, no_failure, texts
from kg_build.cli import main
from kg_build.export import export_graph
from kg_build.ontology_page import instance_counts, instances_query, read_ontology, render_html, shipped_ontology
from kg_build.resources import ontology_file

POL = "https://w3id.org/policy-kg/def#"


def _english_terms() -> list[tuple[str, str]]:
    """(local name, English label) of every pol: class and property, read from the Turtle file with rdflib."""
    graph = Graph().parse(ontology_file(), format="turtle")
    found = []
    for kind in (OWL.Class, OWL.ObjectProperty, OWL.DatatypeProperty):
        for term in graph.subjects(RDF.type, kind):
            if str(term).startswith(POL):
                label = next(str(x) for x in graph.objects(term, RDFS.label) if x.language == "en")
                found.append((str(term)[len(POL):], label))
    return sorted(found)


TERMS = _english_terms()


@pytest.fixture(scope="module")
def ontology_html(tmp_path_factory, sample_store) -> str:
    out = tmp_path_factory.mktemp("onto") / "ontology.html"
    result = CliRunner().invoke(
        main, ["export", "--store", str(sample_store.root), "--format", "ontology-html", "-o", str(out)]
    )
    assert result.exit_code == 0, result.output
    return out.read_text(encoding="utf-8")


def test_the_ontology_has_terms_to_show():
    assert len(TERMS) > 50
    assert len(shipped_ontology().terms) == len(TERMS)


@pytest.mark.parametrize(("name", "label"), TERMS, ids=[n for n, _ in TERMS])
def test_the_html_export_names_each_term_with_its_english_label(ontology_html, name, label):
    entry = re.search(rf'<div class="term" id="{name}"><h3>(.*?)</h3>', ontology_html)
    assert entry, name
    assert entry.group(1) == f"{label} <code>pol:{name}</code>"


class _Loads(HTMLParser):
    """Every attribute that makes a browser fetch something, and every <script>."""

    def __init__(self) -> None:
        super().__init__()
        self.fetched: list[str] = []
        self.scripts = 0

    def handle_starttag(self, tag, attrs):
        self.scripts += tag == "script"
        for attr, value in attrs:
            if attr in ("src", "srcset", "data") or (tag == "link" and attr == "href"):
                self.fetched.append(f"{tag} {attr}={value}")


def test_the_html_export_loads_nothing(ontology_html):
    parser = _Loads()
    parser.feed(ontology_html)
    assert parser.fetched == [] and parser.scripts == 0
    assert "@import" not in ontology_html and "url(" not in ontology_html
    assert ontology_html.startswith("<!DOCTYPE html>") and "<style>" in ontology_html


def test_the_html_export_is_the_library_rendering_and_stable(sample_store, ontology_html):
    assert export_graph(sample_store, fmt="ontology-html").decode("utf-8") == ontology_html


HOSTILE = b"""@prefix pol: <https://w3id.org/policy-kg/def#> .
@prefix owl: <http://www.w3.org/2002/07/owl#> .
@prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .
pol:Evil a owl:Class ; rdfs:label "<script>alert(1)</script>"@en ; rdfs:comment "a & b \\"q\\""@en .
"""


def test_every_value_in_the_html_is_escaped():
    page = render_html(read_ontology(HOSTILE))
    assert "<script>" not in page
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in page and "a &amp; b &quot;q&quot;" in page


# --- instance counts and the queries listing them -----------------------------------------------

# (term, instances in the hand-made store: one report, four entities, six figures)
COUNTS = [("WorkReport", 1), ("Target", 4), ("Achievement", 2), ("QuantifiedStatement", 6), ("Company", 1),
          ("Event", 0), ("mentions", 3), ("refYear", 6)]


@pytest.mark.parametrize(("name", "count"), COUNTS)
def test_instance_counts_and_the_listing_query_agree(sample_store, name, count):
    term = next(t for t in shipped_ontology().terms if t.iri == POL + name)
    assert instance_counts(sample_store, [term]) == {term.iri: count}
    listed = sample_store.query(instances_query(term))
    assert len({row[0] for row in listed.rows}) == count


# --- the page -------------------------------------------------------------------------------------


def run_page(store, monkeypatch, params: dict[str, str]) -> AppTest:
    monkeypatch.setenv("KG_STORE", str(store.root))
    at = AppTest.from_file(str(PAGES / "ontology.py"), default_timeout=TIMEOUT)
    for k, v in params.items():
        at.query_params[k] = v
    at.run()
    no_failure(at)
    return at


def _row(page: str, name: str) -> str:
    found = re.search(rf'<tr class="kg-term" id="{name}">(.*?)</tr>', page)
    assert found, name
    return found.group(1)


# (URL parameters, term, label shown, count shown)
PAGE_CASES = [
    ({}, "Target", "目标值", "4"),
    ({}, "WorkReport", "政府工作报告", "1"),
    ({"lang": "en"}, "QuantifiedStatement", "quantified statement", "6"),
    ({"lang": "en"}, "refYear", "reference year", "6"),
]


@pytest.mark.parametrize(("params", "name", "label", "count"), PAGE_CASES)
def test_the_page_shows_a_term_with_its_count_and_links(sample_store, monkeypatch, params, name, label, count):
    page = texts(run_page(sample_store, monkeypatch, params))
    row = _row(page, name)
    assert label in row
    assert f"<td style='text-align:right'>{count}</td>" in row
    assert f'href="./entity?iri={quote(POL + name, safe="")}' in row
    query = re.search(r'href="(\./sparql\?[^"]*)"', row)
    assert query
    sent = parse_qs(urlsplit(query.group(1).replace("&amp;", "&")).query)
    assert sent["q"] == [instances_query(next(t for t in shipped_ontology().terms if t.iri == POL + name))]
    # the workbench opens in the reader's language
    assert sent.get("lang") == ([params["lang"]] if "lang" in params else None)


def test_the_page_shows_alignments_and_offers_the_html(sample_store, monkeypatch):
    at = run_page(sample_store, monkeypatch, {"lang": "en"})
    row = _row(texts(at), "WorkReport")
    assert "schema:Report" in row and "prov:Entity" in row
    assert at.title[0].value == "Ontology"
    assert at.get("download_button")


def test_the_router_opens_the_ontology_page(sample_store, monkeypatch):
    monkeypatch.setenv("KG_STORE", str(sample_store.root))
    at = AppTest.from_file(str(APP), default_timeout=TIMEOUT).run()
    at.switch_page(str(PAGES / "ontology.py")).run()
    no_failure(at)
    assert at.title[0].value == "本体"
