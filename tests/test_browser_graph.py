"""The graph views in a real headless Chromium: a report's hierarchy drawn, a "more" group opened by a click on
the canvas, a node's neighbourhood grown by clicks, every state reloaded from its URL with the same layout, in
Chinese and English, and no request leaving this machine.

Clicks go where a reader's would: at the node's place on the canvas, read from the vis-network object the page
exposes (``window.kgNetwork``: getPositions, then canvasToDOM).
"""

from __future__ import annotations

import re
from urllib.parse import quote, urlsplit

import pytest
from test_browser import LOCAL_HOSTS, LOCAL_SCHEMES, WAIT_MS, _wait_for_script, app_url, browser  # noqa: F401

from kg_build.model.vocab import DATA_NS

try:
    from _shots import shot
except ImportError:  # pragma: no cover - the suite's screenshot folder, where it has one
    from test_browser import SHOTS

    def shot(page, name: str) -> None:  # noqa: ANN001 - a Playwright page
        SHOTS.mkdir(parents=True, exist_ok=True)
        page.screenshot(path=str(SHOTS / f"{name}.png"))

pytestmark = pytest.mark.browser

REPORT = f"{DATA_NS}report/fujian-2026"
NODES = "window.kgNetwork.body.data.nodes.getIds()"
POSITIONS = "JSON.stringify(window.kgNetwork.getPositions())"
AT = "(id) => { var n = window.kgNetwork; return n.canvasToDOM(n.getPositions([id])[id]); }"


def _graph(page):
    """The view's frame, once its canvas is drawn and its layout frozen."""
    frame = page.frame_locator("iframe").first
    frame.locator("#kg-network canvas").wait_for(timeout=WAIT_MS)
    frame.locator("body[data-stable='1']").wait_for(state="attached", timeout=WAIT_MS)
    return next(f for f in page.frames if f is not page.main_frame and f.locator("#kg-network").count())


def _click_node(page, frame, node: str) -> None:
    """A click on the node where it is drawn (the page then follows it to the next state)."""
    at = frame.evaluate(AT, node)
    frame.locator("#kg-network canvas").click(position={"x": at["x"], "y": at["y"]})


def _topmost(frame, ids: list[str]) -> str:
    """Of these nodes, the one drawn highest on the canvas (in view without scrolling the frame)."""
    return min(ids, key=lambda i: (frame.evaluate(AT, i)["y"], i))


def _outside(requests: list[str]) -> list[str]:
    return sorted(
        {u for u in requests if urlsplit(u).scheme not in LOCAL_SCHEMES and urlsplit(u).hostname not in LOCAL_HOSTS}
    )


@pytest.mark.parametrize("language", ["zh", "en"])
def test_a_report_hierarchy_opens_a_group_and_grows_a_neighbourhood_by_clicks(app_url, browser, language):  # noqa: F811
    context = browser.new_context(viewport={"width": 1400, "height": 2400}, locale="zh-CN")
    requests: list[str] = []
    context.on("request", lambda request: requests.append(request.url))
    page = context.new_page()
    page.on("websocket", lambda ws: requests.append(ws.url))
    suffix = "&lang=en" if language == "en" else ""

    # the report's plan, as a hierarchy
    page.goto(f"{app_url}/graph?report={quote(REPORT, safe='')}{suffix}")
    _wait_for_script(page)
    frame = _graph(page)
    assert frame.locator("body[data-view='hierarchy']").count() == 1
    before = frame.evaluate(NODES)
    groups = [i for i in before if i.startswith("more:")]
    assert len(before) > 30 and groups  # drawn, and folded beyond the limit
    notice = page.locator("[data-testid='stMain']").inner_text()
    assert ("click it to open it" if language == "en" else "单击该节点即可展开") in notice  # the page says so
    edge_labels = frame.evaluate("window.kgNetwork.body.data.edges.get().map(function (e) { return e.label; })")
    assert edge_labels and all(edge_labels)
    assert all(re.search("[a-z]", label) for label in edge_labels) == (language == "en")  # in the reader's language
    shot(page, f"graph-hierarchy-{language}")

    # a click on a group opens it: its members are drawn, and the URL says so
    group = _topmost(frame, groups)
    _click_node(page, frame, group)
    page.wait_for_url(re.compile(r"open=more"), timeout=WAIT_MS)
    _wait_for_script(page)
    frame = _graph(page)
    opened = frame.evaluate(NODES)
    assert group not in opened and len(opened) > len(before) - 1
    url, layout = page.url, frame.evaluate(POSITIONS)

    # the same URL, the same view and the same layout
    page.reload()
    _wait_for_script(page)
    frame = _graph(page)
    assert page.url == url and frame.evaluate(NODES) == opened and frame.evaluate(POSITIONS) == layout

    # a click on a pillar opens its neighbourhood; a click on one of its neighbours adds theirs
    links = frame.evaluate("window.kgNetwork.body.data.edges.get().map(function (e) { return [e.from, e.to]; })")
    pillar = _topmost(frame, sorted({a for a, b in links if re.search(r"/pillar/\d+$", a) and "/measure/" in b}))
    _click_node(page, frame, pillar)
    page.wait_for_url(re.compile(r"view=hood"), timeout=WAIT_MS)
    _wait_for_script(page)
    frame = _graph(page)
    hood = frame.evaluate(NODES)
    measure = _topmost(frame, [i for i in hood if "/measure/" in i])
    _click_node(page, frame, measure)
    page.wait_for_url(re.compile(r"expand="), timeout=WAIT_MS)
    _wait_for_script(page)
    frame = _graph(page)
    grown = frame.evaluate(NODES)
    assert set(hood) < set(grown)
    assert "focus=" + quote(pillar, safe="") in page.url and "expand=" + quote(measure, safe="") in page.url
    url, layout = page.url, frame.evaluate(POSITIONS)
    shot(page, f"graph-neighbourhood-{language}")

    page.goto(url)  # a fresh load of the URL: the same nodes, the same places
    _wait_for_script(page)
    frame = _graph(page)
    assert frame.evaluate(NODES) == grown and frame.evaluate(POSITIONS) == layout
    context.close()

    assert requests and not _outside(requests), _outside(requests)


def test_a_class_filter_is_kept_in_the_url(app_url, browser):  # noqa: F811
    context = browser.new_context(viewport={"width": 1400, "height": 2400}, locale="zh-CN")
    requests: list[str] = []
    context.on("request", lambda request: requests.append(request.url))
    page = context.new_page()
    page.goto(f"{app_url}/graph?report={quote(REPORT, safe='')}&cls=Pillar&cls=Company")  # as a link would give it
    _wait_for_script(page)
    frame = _graph(page)
    assert frame.locator(".kg-key").count() == 3  # the report, its pillars and the companies they name
    assert "cls=Pillar" in page.url and "cls=Company" in page.url
    assert "按类别筛选隐藏了" in page.locator("[data-testid='stMain']").inner_text()
    context.close()
    assert requests and not _outside(requests), _outside(requests)
