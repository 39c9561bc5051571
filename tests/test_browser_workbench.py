"""The SPARQL workbench in a real headless Chromium, as a user: a query typed in the code editor with no PREFIX
lines and run with Ctrl+Enter; a chart picked by ``#defaultView:``; a listing's page and view reloaded from the
URL; a download named after the query and its page; and no request leaving this machine. Screenshots in zh and
en go with the other pages' screenshots."""

from __future__ import annotations

import re
from urllib.parse import parse_qs, quote, urlsplit

import pytest
from test_browser import LOCAL_HOSTS, LOCAL_SCHEMES, SHOTS, WAIT_MS, _wait_for_script, app_url, browser  # noqa: F401

pytestmark = pytest.mark.browser

try:  # the shared screenshot helper (tests/output/screenshots/)
    from _shots import shot
except ImportError:  # pragma: no cover - without it, the folder the other browser tests use

    def shot(page, name: str) -> None:  # noqa: ANN001
        SHOTS.mkdir(parents=True, exist_ok=True)
        page.screenshot(path=str(SHOTS / f"{name}.png"), full_page=True)

TYPED = "SELECT ?pillar ?label WHERE { ?pillar a pol:Pillar ; skos:prefLabel ?label . } ORDER BY ?label LIMIT 20"
BAR = (
    "#defaultView:BarChart\n"
    "SELECT ?report (COUNT(?pillar) AS ?pillars) WHERE { ?report pol:hasSection ?section . "
    "?section pol:hasPillar ?pillar . } GROUP BY ?report"
)
ROWS = re.compile(r"^[\d,]+ (行|rows)")


def _outside(requests: list[str]) -> list[str]:
    return sorted(
        {u for u in requests if urlsplit(u).scheme not in LOCAL_SCHEMES and urlsplit(u).hostname not in LOCAL_HOSTS}
    )


def _query(page) -> dict[str, list[str]]:  # noqa: ANN001
    """The URL's parameters as the page has them (Streamlit sets them with history.replaceState)."""
    return parse_qs(urlsplit(page.evaluate("location.href")).query)


def _editor(page):  # noqa: ANN001, ANN202
    """The code editor's frame, once CodeMirror is in it."""
    frame = page.frame_locator("iframe[title*='sparql_editor']")
    frame.locator(".CodeMirror").wait_for(timeout=WAIT_MS)
    return frame


def _type(page, frame, text: str) -> None:  # noqa: ANN001
    """Replace the editor's text by typing it, as a user does (completions pop up and close as they go)."""
    frame.locator(".CodeMirror-code").click()
    page.keyboard.press("Control+A")
    page.keyboard.press("Delete")
    for index, line in enumerate(text.split("\n")):
        if index:
            page.keyboard.press("Escape")  # a completion list open at the line's end would take the Enter
            page.keyboard.press("Enter")
        page.keyboard.type(line)
    page.keyboard.press("Escape")


def _rows_caption(page):  # noqa: ANN001, ANN202
    caption = page.get_by_text(ROWS).first
    caption.wait_for(timeout=WAIT_MS)
    return caption


@pytest.fixture
def context(browser):  # noqa: F811
    made = browser.new_context(viewport={"width": 1400, "height": 1600}, locale="zh-CN", accept_downloads=True)
    made.requests = []  # type: ignore[attr-defined]
    made.on("request", lambda request: made.requests.append(request.url))
    yield made
    made.close()
    assert made.requests and not _outside(made.requests), _outside(made.requests)


def test_a_typed_query_without_prefixes_runs_with_ctrl_enter(app_url, context):  # noqa: F811
    page = context.new_page()
    page.on("websocket", lambda ws: context.requests.append(ws.url))
    page.goto(f"{app_url}/sparql")
    _wait_for_script(page)
    frame = _editor(page)
    assert frame.locator(".CodeMirror-linenumber").count() >= 1  # line numbers
    _type(page, frame, TYPED)
    assert frame.locator(".cm-keyword").first.inner_text().upper() == "SELECT"  # SPARQL highlighting
    page.keyboard.press("Control+Enter")
    caption = _rows_caption(page)
    assert int(re.match(r"[\d,]+", caption.inner_text()).group().replace(",", "")) > 0
    page.wait_for_selector("[data-testid='stDataFrame']", timeout=WAIT_MS)
    page.get_by_text("已为查询声明前缀：pol:, skos:").wait_for(timeout=WAIT_MS)
    assert _query(page)["q"] == [TYPED]  # the user's text, not the one with PREFIX lines
    assert not page.locator("[data-testid='stAlert']").filter(has_text="语法错误").count()
    shot(page, "workbench-zh")
    # another query, run with the button straight after typing; then the first one again from the history
    _type(page, frame, "ASK { ?x a pol:Pillar . }")
    page.get_by_role("button", name="运行").click()
    page.get_by_text("结果：true").wait_for(timeout=WAIT_MS)
    assert _query(page)["q"] == ["ASK { ?x a pol:Pillar . }"]
    page.get_by_text(re.compile(r"本次会话的查询（2）")).click()
    page.get_by_role("button", name="恢复").nth(1).click()
    _rows_caption(page)
    page.wait_for_function("() => location.search.includes('LIMIT')", timeout=WAIT_MS)
    assert _query(page)["q"] == [TYPED]
    assert frame.locator(".CodeMirror-line").first.inner_text() == TYPED


def test_completion_offers_the_ontologys_classes(app_url, context):  # noqa: F811
    page = context.new_page()
    page.goto(f"{app_url}/sparql")
    _wait_for_script(page)
    frame = _editor(page)
    frame.locator(".CodeMirror-code").click()
    page.keyboard.type("SELECT * WHERE { ?t a pol:Tar")
    hints = frame.locator(".CodeMirror-hints .kg-hint-text")
    hints.first.wait_for(timeout=WAIT_MS)
    assert "pol:Target" in hints.all_inner_texts()
    page.keyboard.press("Enter")  # takes the highlighted one
    assert "a pol:Target" in frame.locator(".CodeMirror-line").first.inner_text()


def test_a_default_view_comment_draws_a_chart_and_the_url_brings_it_back(app_url, context):  # noqa: F811
    page = context.new_page()
    page.goto(f"{app_url}/sparql")
    _wait_for_script(page)
    frame = _editor(page)
    _type(page, frame, BAR)
    page.keyboard.press("Control+Enter")
    _rows_caption(page)
    chart = page.locator("[data-testid='stVegaLiteChart'], .vega-embed").first
    chart.wait_for(timeout=WAIT_MS)
    assert not page.locator("[data-testid='stDataFrame']").count()
    query = _query(page)
    assert query["view"] == ["bar"] and query["q"] == [BAR]
    page.goto(page.evaluate("location.href"))  # a reload: the same query, the same view
    _wait_for_script(page)
    _rows_caption(page)
    page.locator("[data-testid='stVegaLiteChart'], .vega-embed").first.wait_for(timeout=WAIT_MS)
    assert frame.locator(".CodeMirror-line").first.inner_text() == "#defaultView:BarChart"


def test_a_listings_page_and_view_come_back_from_the_url_and_name_the_download(app_url, context):  # noqa: F811
    page = context.new_page()
    page.goto(f"{app_url}/sparql?query=targets&page=2&view=bar")
    _wait_for_script(page)
    _rows_caption(page)
    page.locator("[data-testid='stVegaLiteChart'], .vega-embed").first.wait_for(timeout=WAIT_MS)
    assert page.get_by_role("spinbutton", name="页").input_value() == "2"
    query = _query(page)
    assert (query["query"], query["page"], query["view"]) == (["targets"], ["2"], ["bar"])
    # back to the table from the view switch: the URL follows, and a reload keeps it
    page.locator("[data-testid='stButtonGroup'] button").filter(has_text="表格").click()
    page.wait_for_selector("[data-testid='stDataFrame']", timeout=WAIT_MS)
    page.wait_for_function("() => !location.search.includes('view=')", timeout=WAIT_MS)
    page.goto(page.evaluate("location.href"))
    _wait_for_script(page)
    page.wait_for_selector("[data-testid='stDataFrame']", timeout=WAIT_MS)
    assert _query(page)["page"] == ["2"] and "view" not in _query(page)
    with page.expect_download(timeout=WAIT_MS) as download:
        page.get_by_role("button", name="下载 CSV").click()
    assert download.value.suggested_filename == "targets-page2.csv"
    # the session's history: both runs, newest first
    page.get_by_text(re.compile(r"本次会话的查询")).click()
    assert page.get_by_role("button", name="恢复").count() >= 1


def test_the_workbench_in_english(app_url, context):  # noqa: F811
    page = context.new_page()
    page.goto(f"{app_url}/sparql?lang=en&q=" + quote(TYPED))
    _wait_for_script(page)
    _editor(page)
    _rows_caption(page)
    page.get_by_text("Prefixes declared for the query: pol:, skos:").wait_for(timeout=WAIT_MS)
    shot(page, "workbench-en")
    assert page.get_by_text("None", exact=True).count() == 0


def test_a_graph_view_draws_the_links_a_query_returns(app_url, context):  # noqa: F811
    query = (
        "#defaultView:Graph\n"
        "SELECT ?s ?p ?o WHERE { ?s a pol:Pillar ; pol:hasMeasure ?o . BIND(pol:hasMeasure AS ?p) } LIMIT 40"
    )
    page = context.new_page()
    page.goto(f"{app_url}/sparql?q=" + quote(query))
    _wait_for_script(page)
    _rows_caption(page)
    graph = page.frame_locator("iframe:not([title*='sparql_editor'])").first
    graph.locator("#kg-network canvas").wait_for(timeout=WAIT_MS)
    graph.locator("body[data-stable='1']").wait_for(state="attached", timeout=WAIT_MS)
    assert _query(page)["view"] == ["graph"]
