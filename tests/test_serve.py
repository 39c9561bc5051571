"""`kg-build serve`: a real endpoint on a free loopback port, hit over HTTP like any SPARQL client would."""

from __future__ import annotations

import csv
import io
import json
import re
import time
import xml.etree.ElementTree as ET
from pathlib import Path

import httpx
import pytest
from rdflib import Graph

from integration_helpers import kg_endpoint
from kg_build.errors import StoreMissingError
from kg_build.store import LocalStore, SelectResult

COUNT_ALL = "SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }"
RUNAWAY = "SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i }"
LIMIT_S = 2.0


@pytest.fixture(scope="module")
def endpoint(sample_store: LocalStore, tmp_path_factory: pytest.TempPathFactory):  # noqa: ANN201
    with kg_endpoint(sample_store.root, tmp_path_factory.mktemp("serve"), timeout_s=LIMIT_S) as url:
        yield url


@pytest.fixture(scope="module")
def expected_count(sample_store: LocalStore) -> int:
    result = sample_store.query(COUNT_ALL)
    assert isinstance(result, SelectResult)
    return int(result.rows[0][0])


def _count_from(accept: str, body: str) -> int:
    if accept == "application/sparql-results+json":
        return int(json.loads(body)["results"]["bindings"][0]["n"]["value"])
    if accept == "application/sparql-results+xml":
        ns = {"r": "http://www.w3.org/2005/sparql-results#"}
        return int(ET.fromstring(body).find(".//r:binding[@name='n']/r:literal", ns).text)
    if accept == "text/csv":
        rows = list(csv.reader(io.StringIO(body)))
        assert rows[0] == ["n"]
        return int(rows[1][0])
    header, value = body.strip().split("\n")
    assert header == "?n"
    return int(value.split("^^")[0].strip('"'))


@pytest.mark.parametrize(
    ("accept", "content_type"),
    [
        ("application/sparql-results+json", "application/sparql-results+json"),
        ("application/sparql-results+xml", "application/sparql-results+xml"),
        ("text/csv", "text/csv"),
        ("text/tab-separated-values", "text/tab-separated-values"),
    ],
)
def test_select_results_in_every_format(endpoint: str, expected_count: int, accept: str, content_type: str) -> None:
    response = httpx.post(endpoint, data={"query": COUNT_ALL}, headers={"Accept": accept}, timeout=10)
    assert response.status_code == 200, response.text
    assert response.headers["content-type"].startswith(content_type)
    assert _count_from(accept, response.text) == expected_count


@pytest.mark.parametrize("style", ["GET", "POST form", "POST sparql-query"])
def test_every_protocol_request_style(endpoint: str, expected_count: int, style: str) -> None:
    accept = {"Accept": "application/sparql-results+json"}
    if style == "GET":
        response = httpx.get(endpoint, params={"query": COUNT_ALL}, headers=accept, timeout=10)
    elif style == "POST form":
        response = httpx.post(endpoint, data={"query": COUNT_ALL}, headers=accept, timeout=10)
    else:
        response = httpx.post(
            endpoint, content=COUNT_ALL.encode(), headers={**accept, "Content-Type": "application/sparql-query"}, timeout=10
        )
    assert response.status_code == 200, response.text
    assert _count_from(accept["Accept"], response.text) == expected_count


@pytest.mark.parametrize(("accept", "rdflib_format"), [("text/turtle", "turtle"), ("application/n-triples", "nt")])
def test_construct_as_rdf(endpoint: str, accept: str, rdflib_format: str) -> None:
    query = "PREFIX pol: <https://w3id.org/policy-kg/def#> CONSTRUCT { ?p a pol:Pillar } WHERE { ?p a pol:Pillar }"
    response = httpx.post(endpoint, data={"query": query}, headers={"Accept": accept}, timeout=10)
    assert response.status_code == 200, response.text
    assert response.headers["content-type"].startswith(accept)
    graph = Graph().parse(data=response.text, format=rdflib_format)
    assert len(graph) == 2  # the sample report has two pillars


def test_default_graph_is_the_union_of_the_named_graphs(endpoint: str) -> None:
    union = "SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }"
    named = "SELECT (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } }"
    counts = [
        _count_from("text/csv", httpx.post(endpoint, data={"query": q}, headers={"Accept": "text/csv"}, timeout=10).text)
        for q in (union, named)
    ]
    assert counts[0] == counts[1] > 0


REFUSALS = [
    # (method, path, content type, body or params, status, words in the message)
    ("POST", "/update", "application/sparql-update", "INSERT DATA { <urn:a> <urn:b> <urn:c> }", 403, "read-only"),
    ("POST", "/update", "application/x-www-form-urlencoded", {"update": "DROP ALL"}, 403, "read-only"),
    ("POST", "/query", "application/x-www-form-urlencoded", {"update": "DROP ALL"}, 400, "refused"),
    ("POST", "/query", "application/x-www-form-urlencoded", {"query": "INSERT DATA { <urn:a> <urn:b> <urn:c> }"}, 400, "updates"),
    ("POST", "/query", "application/sparql-query", "DELETE WHERE { ?s ?p ?o }", 400, "updates"),
    ("POST", "/query", "application/sparql-update", "CLEAR ALL", 400, "updates"),
    ("GET", "/query", None, {"query": "DROP ALL"}, 400, "updates"),
    ("GET", "/query", None, {"query": "LOAD <http://127.0.0.1:9/x.ttl>"}, 400, "updates"),
    ("GET", "/query", None, {"query": "SELECT * WHERE { SERVICE <http://127.0.0.1:9/sparql> { ?s ?p ?o } }"}, 400, "SERVICE"),
    (
        "POST", "/query", "application/sparql-query",
        "SELECT * WHERE { ?s ?p ?o OPTIONAL { { SELECT ?x WHERE { SERVICE SILENT <http://127.0.0.1:9/q> { ?x ?y ?z } } } } } LIMIT 1",
        400, "SERVICE",
    ),
    ("GET", "/query", None, {"query": "SELEC ?x WHERE"}, 400, "syntax"),
    ("GET", "/query", None, {}, 400, "exactly one query"),
    ("POST", "/query", "text/plain", "SELECT * WHERE { ?s ?p ?o }", 415, "application/sparql-query"),
    ("PUT", "/store?default", "text/turtle", "<urn:a> <urn:b> <urn:c> .", 405, "read-only"),
    ("DELETE", "/store?default", None, "", 405, "read-only"),
    ("GET", "/elsewhere", None, {}, 404, "/query"),
    ("POST", "/query?query=SELECT%20*%20WHERE%20%7B%20SERVICE%20%3Chttp%3A%2F%2F127.0.0.1%3A9%2F%3E%20%7B%20%3Fs%20%3Fp%20%3Fo%20%7D%20%7D",
     "application/sparql-query", "ASK {}", 400, "not also in the URL"),
    ("POST", "/query", "application/sparql-query",
     "SELECT * WHERE { " + " ".join(f"?s{i} <urn:p> ?o{i} ." for i in range(2500)) + " }", 400, "simplify"),
    ("POST", "/query", "application/sparql-query", "SELECT * WHERE { ?s ?p ?o } #" + "x" * 70_000, 413, "shorter"),
]
REFUSAL_IDS = [f"{m} {p} {(c or '').split('/')[-1]} {s} {w}" for m, p, c, _, s, w in REFUSALS]


@pytest.mark.parametrize(("method", "path", "content_type", "payload", "status", "words"), REFUSALS, ids=REFUSAL_IDS)
def test_refusals(
    endpoint: str, method: str, path: str, content_type: str | None, payload: object, status: int, words: str
) -> None:
    url = endpoint.removesuffix("/query") + path
    headers = {"Content-Type": content_type} if content_type else {}
    if method == "GET":
        response = httpx.get(url, params=payload, timeout=10)
    elif isinstance(payload, dict):
        response = httpx.request(method, url, data=payload, timeout=10)
    else:
        response = httpx.request(method, url, content=payload.encode(), headers=headers, timeout=10)
    assert response.status_code == status, response.text
    assert words in response.text
    assert "\n" not in response.text.strip()  # one line, no traceback


def test_store_unchanged_after_refused_updates(endpoint: str, expected_count: int) -> None:
    httpx.post(endpoint.removesuffix("/query") + "/update", data={"update": "DROP ALL"}, timeout=10)
    response = httpx.post(endpoint, data={"query": COUNT_ALL}, headers={"Accept": "text/csv"}, timeout=10)
    assert _count_from("text/csv", response.text) == expected_count


def test_runaway_query_is_stopped_within_the_limit(endpoint: str, expected_count: int) -> None:
    started = time.monotonic()
    response = httpx.post(endpoint, data={"query": RUNAWAY}, headers={"Accept": "text/csv"}, timeout=120)
    elapsed = time.monotonic() - started
    assert response.status_code in (500, 503)
    assert "time limit" in response.text
    assert elapsed < LIMIT_S + 60  # liveness, not speed: unstopped, the product would run for hours
    # and the endpoint still answers afterwards
    after = httpx.post(endpoint, data={"query": COUNT_ALL}, headers={"Accept": "text/csv"}, timeout=10)
    assert _count_from("text/csv", after.text) == expected_count


def test_many_triple_patterns_are_still_checked_and_answered(endpoint: str) -> None:
    """rdflib's parser recurses per triple pattern; 300 in one group must not be refused for that."""
    query = "SELECT (COUNT(*) AS ?n) WHERE { " + " ".join(f"OPTIONAL {{ ?s <urn:p{i}> ?o{i} }}" for i in range(300)) + " }"
    response = httpx.post(endpoint, data={"query": query}, headers={"Accept": "text/csv"}, timeout=10)
    assert response.status_code == 200, response.text[:300]


def test_query_page_is_served(endpoint: str) -> None:
    response = httpx.get(endpoint.removesuffix("/query") + "/", timeout=10)
    assert response.status_code == 200
    assert "yasgui" in response.text.lower()


# the query page's files: (path, media type, words in the body)
UI_FILES = [
    ("/", "text/html", "./setup.js"),
    ("/setup.js", "text/javascript", "/prefixes.json"),
    ("/yasgui.min.js", "javascript", "Yasgui"),
    ("/yasgui.min.css", "text/css", ".yasqe"),
    ("/logo.svg", "image/svg+xml", "<svg"),
    ("/prefixes.json", "application/json", '"pol": "https://w3id.org/policy-kg/def#"'),
    ("/terms.json", "application/json", '"https://w3id.org/policy-kg/def#Company"'),
]


@pytest.mark.parametrize(("path", "media", "words"), UI_FILES, ids=[p for p, _, _ in UI_FILES])
def test_every_query_page_file_may_reach_this_server_only(endpoint: str, path: str, media: str, words: str) -> None:
    """The browser is told to load from and connect to this server only: prefix.cc, LOV or a CDN would be refused."""
    response = httpx.get(endpoint.removesuffix("/query") + path, timeout=10)
    assert response.status_code == 200, response.text[:300]
    assert media in response.headers["content-type"]
    assert words in response.text
    policy = dict(
        (part.split(" ", 1) + [""])[:2] for part in (p.strip() for p in response.headers["content-security-policy"].split(";"))
    )
    assert policy["default-src"] == "'none'"
    for directive in ("script-src", "connect-src"):
        assert policy[directive] == "'self'", (directive, policy[directive])
    assert "http" not in response.headers["content-security-policy"]


# the page's own files name no other host (YASGUI's bundle keeps prefix.cc and LOV as defaults the page replaces)
OWN_FILES = ["/", "/setup.js"]


@pytest.mark.parametrize("path", OWN_FILES)
def test_the_query_page_names_no_other_host(endpoint: str, path: str) -> None:
    text = httpx.get(endpoint.removesuffix("/query") + path, timeout=10).text
    without_iris = re.sub(r"<https?://[^<>\s]*>", "", text)  # namespaces in the example query are names, not places
    assert not re.findall(r"(?:https?:)?//[\w.-]+", without_iris)


# what the editor completes: the ontology's prefixes and terms, as YASGUI reads them (prefix -> IRI; full IRIs)
PREFIXES_COMPLETED = ["pol", "skos", "qudt", "nif", "prov", "dct", "rdfs", "xsd"]
TERMS_COMPLETED = [
    ("classes", "https://w3id.org/policy-kg/def#WorkReport"),
    ("classes", "https://w3id.org/policy-kg/def#Company"),
    ("properties", "https://w3id.org/policy-kg/def#region"),
    ("properties", "http://www.w3.org/2004/02/skos/core#prefLabel"),
]


def test_the_editor_completes_the_ontology(endpoint: str) -> None:
    from kg_build.model.vocab import PREFIXES

    base = endpoint.removesuffix("/query")
    prefixes = httpx.get(base + "/prefixes.json", timeout=10).json()
    terms = httpx.get(base + "/terms.json", timeout=10).json()
    assert {p: prefixes[p] for p in PREFIXES_COMPLETED} == {p: PREFIXES[p] for p in PREFIXES_COMPLETED}
    for kind, iri in TERMS_COMPLETED:
        assert iri in terms[kind], (kind, iri)
    assert not set(terms["classes"]) & set(terms["properties"])


def test_sparqlwrapper_client(endpoint: str, expected_count: int) -> None:
    sparqlwrapper = pytest.importorskip("SPARQLWrapper")
    client = sparqlwrapper.SPARQLWrapper(endpoint)
    client.setQuery(COUNT_ALL)
    client.setReturnFormat(sparqlwrapper.JSON)
    result = client.query().convert()
    assert int(result["results"]["bindings"][0]["n"]["value"]) == expected_count


def test_binds_loopback_by_default(sample_store: LocalStore, tmp_path: Path) -> None:
    from click.testing import CliRunner

    from kg_build.cli import main

    assert "http://127.0.0.1:7878/query" in CliRunner().invoke(main, ["serve", "--help"]).output
    with kg_endpoint(sample_store.root, tmp_path) as url:  # started without --host
        port = url.rsplit(":", 1)[1].split("/")[0]
        listening = Path("/proc/net/tcp").read_text().splitlines()[1:]
        local = {line.split()[1] for line in listening if line.split()[3] == "0A"}  # 0A: LISTEN
        assert f"0100007F:{int(port):04X}" in local  # 127.0.0.1, not 0.0.0.0
    assert f"http://127.0.0.1:{port}/query" in (tmp_path / f"serve-{port}.log").read_text()


def test_serving_nothing_is_a_one_line_error(tmp_path: Path) -> None:
    from click.testing import CliRunner

    from kg_build.cli import main

    result = CliRunner().invoke(main, ["serve", "--store", str(tmp_path / "empty"), "--port", "0"])
    assert result.exit_code == StoreMissingError.exit_code
    assert result.output.startswith("Error: no store at") and result.output.count("\n") == 1


# --- who may ask: Host and Origin (DNS rebinding, cross-site form posts) ----------------------

HOSTS = [
    # (Host header ("{port}" filled in), Origin header or None, status)
    ("127.0.0.1:{port}", None, 200),
    ("localhost:{port}", None, 200),
    ("LOCALHOST:{port}", None, 200),
    ("[::1]:{port}", None, 200),
    ("attacker.example:{port}", None, 403),  # a rebound name pointing at 127.0.0.1
    ("127.0.0.1:1", None, 403),
    ("127.0.0.1", None, 403),
    ("127.0.0.1:{port}", "http://127.0.0.1:{port}", 200),  # the query page's own requests
    ("127.0.0.1:{port}", "http://localhost:{port}", 200),
    ("127.0.0.1:{port}", "https://attacker.example", 403),  # a form posted from another site
    ("127.0.0.1:{port}", "http://127.0.0.1:{port}.attacker.example", 403),
    ("127.0.0.1:{port}", "null", 403),
    ("kg.example.org", None, 200),  # --allow-host kg.example.org
    ("kg.example.org:{port}", "http://kg.example.org", 200),
]


@pytest.fixture(scope="module")
def allowing_endpoint(sample_store: LocalStore, tmp_path_factory: pytest.TempPathFactory):  # noqa: ANN201
    extra = ("--allow-host", "kg.example.org")
    with kg_endpoint(sample_store.root, tmp_path_factory.mktemp("hosts"), extra=extra) as url:
        yield url


@pytest.mark.parametrize(("host", "origin", "status"), HOSTS)
@pytest.mark.parametrize("method", ["GET", "POST"])
def test_host_and_origin_are_checked(allowing_endpoint: str, method: str, host: str, origin: str | None,
                                     status: int) -> None:
    port = allowing_endpoint.rsplit(":", 1)[1].split("/")[0]
    headers = {"Host": host.format(port=port), "Accept": "text/csv"}
    if origin is not None:
        headers["Origin"] = origin.format(port=port)
    if method == "GET":
        response = httpx.get(allowing_endpoint, params={"query": COUNT_ALL}, headers=headers, timeout=10)
    else:
        response = httpx.post(allowing_endpoint, data={"query": COUNT_ALL}, headers=headers, timeout=10)
    assert response.status_code == status, response.text
    if status == 403:
        assert response.text.count("\n") == 1 and ("--allow-host" in response.text or "--cors" in response.text)


def test_no_python_version_in_the_server_header(endpoint: str) -> None:
    response = httpx.get(endpoint, params={"query": "ASK {}"}, timeout=10)
    assert response.headers["server"] == "policy-kg"


def test_the_listen_backlog_holds_a_burst_of_clients(endpoint: str) -> None:
    import shutil
    import subprocess

    from kg_build.serve import LISTEN_BACKLOG

    assert LISTEN_BACKLOG >= 128
    if shutil.which("ss"):  # a listening socket's Send-Q is its backlog
        port = endpoint.rsplit(":", 1)[1].split("/")[0]
        listing = subprocess.run(["ss", "-ltnH", f"sport = :{port}"], capture_output=True, text=True).stdout.split()
        assert int(listing[2]) >= 128, listing


MORE_ANSWERS = [
    # (request, status, words in the answer)
    ({"query": 'SELECT ("\\U0011FFFF" AS ?x) {}'}, 400, "codepoint escapes"),
    ({"query": 'SELECT ("\\U0000FFFF\\u" AS ?x) {}'}, 400, "codepoint escapes"),
    ({"query": "SELECT * { ?s ?p ?o # \r SERVICE <http://127.0.0.1:9/> { ?s ?p ?o }\n}"}, 400, "SERVICE"),
    ({"query": "ASK {}", "accept": "image/png"}, 406, "accept one of"),
    ({"query": "SELECT * {}", "accept": "text/turtle"}, 406, "application/sparql-results+json"),
    ({"query": "CONSTRUCT WHERE { ?s ?p ?o } LIMIT 1", "accept": "text/csv"}, 406, "text/turtle"),
    ({"query": "ASK {}", "accept": "application/sparql-results+json;q=0.5, text/csv"}, 200, "true"),
    ({"query": "ASK {}", "accept": "*/*"}, 200, '"boolean":true'),
    ({"query": "CONSTRUCT WHERE { ?s a ?c } LIMIT 1", "accept": "application/ld+json"}, 200, "@id"),
]


@pytest.mark.parametrize(("request_", "status", "words"), MORE_ANSWERS)
def test_escapes_and_content_negotiation(endpoint: str, request_: dict, status: int, words: str) -> None:
    headers = {"Accept": request_["accept"]} if "accept" in request_ else {}
    response = httpx.get(endpoint, params={"query": request_["query"]}, headers=headers, timeout=10)
    assert response.status_code == status, response.text
    assert words in response.text
    if status >= 400:
        assert response.text.count("\n") == 1


GRAPH_STORE = [
    # (query string, status, words in the answer)
    ("graph=https://w3id.org/policy-kg/id/report/shili-2026", 200, "shili-2026"),
    ("default", 200, "policy-kg/def#"),
    ("graph=not%20an%20iri", 400, "IRI"),
    ("", 400, "?default"),
]


@pytest.mark.parametrize(("query_string", "status", "words"), GRAPH_STORE)
def test_graph_store_reads(endpoint: str, query_string: str, status: int, words: str) -> None:
    url = endpoint.removesuffix("/query") + "/store?" + query_string
    response = httpx.get(url, headers={"Accept": "text/turtle"}, timeout=10)
    assert response.status_code == status, response.text[:300]
    assert words in response.text


def test_the_endpoint_runs_no_oxigraph_server(endpoint: str) -> None:
    """Queries run in the sandboxed workers; no child can answer a SERVICE the guard missed."""
    from integration_helpers import child_commands

    children = child_commands(endpoint.process.pid)
    assert children and all("kg_build.engine.worker" in c for c in children), children
