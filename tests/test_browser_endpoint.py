"""The endpoint's query page (`kg-build serve`, YASGUI) in a real headless Chromium, used as a researcher would:
the editor completes a prefix and a class from this server's ontology lists, a query typed with no PREFIX line
runs with Ctrl+Enter and shows the store's rows; every request is recorded and none leaves 127.0.0.1, and the
page's Content-Security-Policy never had to refuse anything (YASGUI's defaults, prefix.cc and Linked Open
Vocabularies, are replaced, not merely blocked). Screenshots under tests/output/screenshots/."""

from __future__ import annotations

from urllib.parse import urlsplit

import pytest
from _shots import shot
from integration_helpers import kg_endpoint
from test_browser import LOCAL_HOSTS, LOCAL_SCHEMES, WAIT_MS, browser  # noqa: F401

from kg_build.store import LocalStore, SelectResult

pytestmark = pytest.mark.browser

EDITOR = ".yasqe .CodeMirror"
HINTS = ".CodeMirror-hints li"
# (what is typed, a completion it must offer): a prefix declaration, a class after "a", a property
COMPLETIONS = [
    ("PREFIX sk", "skos: <http://www.w3.org/2004/02/skos/core#>"),
    ("SELECT * WHERE { ?s a pol:Comp", "pol:Company"),
    ("SELECT * WHERE { ?s skos:prefL", "skos:prefLabel"),
]
QUERY = "SELECT ?company ?name WHERE { ?company a pol:Company ; skos:prefLabel ?name . }"


@pytest.fixture(scope="module")
def endpoint_page(sample_store: LocalStore, tmp_path_factory):
    with kg_endpoint(sample_store.root, tmp_path_factory.mktemp("serve-ui")) as url:
        yield url.removesuffix("/query") + "/"


def _open(browser, url: str):  # noqa: F811
    """A new tab on the query page, recording every request, page error and refused load."""
    context = browser.new_context(viewport={"width": 1300, "height": 1000})
    requests: list[str] = []
    problems: list[str] = []
    context.on("request", lambda request: requests.append(request.url))
    page = context.new_page()
    page.on("pageerror", lambda error: problems.append(f"page error: {error}"))
    page.on("console", lambda message: problems.append(message.text) if "Content Security Policy" in message.text else None)
    page.add_init_script(
        "document.addEventListener('securitypolicyviolation',"
        " e => console.error('Content Security Policy refused ' + e.blockedURI))"
    )
    page.goto(url)
    page.wait_for_selector(EDITOR, timeout=WAIT_MS)
    return context, page, requests, problems


def _clear(page) -> None:
    page.evaluate(f"document.querySelector({EDITOR!r}).CodeMirror.setValue('')")
    page.locator(EDITOR).click()


def _outside(requests: list[str]) -> list[str]:
    return sorted({u for u in requests if urlsplit(u).scheme not in LOCAL_SCHEMES and urlsplit(u).hostname not in LOCAL_HOSTS})


@pytest.mark.parametrize(("typed", "offered"), COMPLETIONS, ids=[t for t, _ in COMPLETIONS])
def test_the_editor_completes_from_this_server(endpoint_page, browser, typed, offered):  # noqa: F811
    context, page, requests, problems = _open(browser, endpoint_page)
    _clear(page)
    page.keyboard.type(typed, delay=20)
    page.keyboard.press("Control+Space")
    page.locator(HINTS).first.wait_for(timeout=WAIT_MS)
    hints = page.locator(HINTS).all_inner_texts()
    context.close()
    assert offered in hints, hints
    assert not problems, problems
    assert requests and not _outside(requests), _outside(requests)


def test_a_query_typed_without_prefixes_runs_with_ctrl_enter(endpoint_page, browser, sample_store):  # noqa: F811
    expected = sample_store.query(
        "PREFIX pol: <https://w3id.org/policy-kg/def#> PREFIX skos: <http://www.w3.org/2004/02/skos/core#> "
        "SELECT (COUNT(*) AS ?n) WHERE { ?c a pol:Company ; skos:prefLabel ?name . }"
    )
    assert isinstance(expected, SelectResult)
    rows = int(expected.rows[0][0])
    assert rows > 0
    context, page, requests, problems = _open(browser, endpoint_page)
    shot(page, "endpoint-page", full_page=False)
    _clear(page)
    page.keyboard.type(QUERY, delay=5)
    page.keyboard.press("Escape")  # closes any completion list, and leaves the editor: back into it
    page.locator(EDITOR).click()
    page.keyboard.press("Control+End")
    text = page.evaluate(f"document.querySelector({EDITOR!r}).CodeMirror.getValue()")
    assert "PREFIX pol:" in text and "PREFIX skos:" in text  # declared for the user from this server's list
    page.keyboard.press("Control+Enter")
    page.locator(".yasr .dataTable tbody tr").first.wait_for(timeout=WAIT_MS)
    shown = page.locator(".yasr .dataTable tbody tr").count()
    body = page.locator(".yasr").inner_text()
    shot(page, "endpoint-results", full_page=False)
    context.close()
    assert shown == rows, body[:500]
    assert "星河<科技>&公司" in body  # the name as stored, escaped for display and not interpreted
    assert not problems, problems
    assert any(urlsplit(u).path == "/query" for u in requests)
    assert not _outside(requests), _outside(requests)
