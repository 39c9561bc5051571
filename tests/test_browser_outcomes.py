"""The target-vs-outcome view in a real headless Chromium: opened from its URL, its chart drawn (targets and
outcomes of each year), its verdicts listed, and no request leaving this machine. Screenshot in /tmp/shots/."""

from __future__ import annotations

from urllib.parse import parse_qs, quote, urlsplit

import pytest
from test_browser import LOCAL_HOSTS, LOCAL_SCHEMES, SHOTS, WAIT_MS, _wait_for_script, app_url, browser  # noqa: F401

pytestmark = pytest.mark.browser

# (region, standard indicator): a range among the targets (gdp-growth), counts in the ten millions (urban-new-jobs)
VIEWS = [("中华人民共和国", "gdp-growth"), ("中华人民共和国", "urban-new-jobs")]


@pytest.mark.parametrize(("region", "indicator"), VIEWS)
def test_the_target_vs_outcome_chart_is_drawn_from_its_url(app_url, browser, region, indicator):  # noqa: F811
    SHOTS.mkdir(parents=True, exist_ok=True)
    context = browser.new_context(viewport={"width": 1400, "height": 2200}, locale="zh-CN")
    requests: list[str] = []
    context.on("request", lambda request: requests.append(request.url))
    page = context.new_page()
    page.goto(f"{app_url}/outcomes?region={quote(region)}&indicator={indicator}")
    _wait_for_script(page)
    page.get_by_role("heading", name="目标与完成情况").wait_for(timeout=WAIT_MS)
    # the page's chart: targets and outcomes by year
    charts = page.locator("[data-testid='stVegaLiteChart'], .vega-embed")
    charts.first.wait_for(timeout=WAIT_MS)
    drawn = charts.first.locator("canvas, svg")
    drawn.first.wait_for(timeout=WAIT_MS)
    box = drawn.first.bounding_box()
    assert box is not None and box["width"] > 100 and box["height"] > 100
    verdicts = page.locator("[data-testid='stDataFrame']")
    verdicts.first.wait_for(timeout=WAIT_MS)  # drawn after the chart: counted once it is there
    assert verdicts.count() == 1  # the verdicts
    assert f"indicator={indicator}" in page.url and "region=" in page.url
    page.screenshot(path=str(SHOTS / f"target-vs-outcome-{indicator}.png"), full_page=True)
    context.close()
    outside = sorted(
        {u for u in requests if urlsplit(u).scheme not in LOCAL_SCHEMES and urlsplit(u).hostname not in LOCAL_HOSTS}
    )
    assert requests and not outside, outside


def test_a_link_to_the_old_place_of_the_view_opens_its_page(app_url, browser):  # noqa: F811
    """/figures?region=…&indicator=… held this view before it had a page of its own: such links still open it."""
    context = browser.new_context(viewport={"width": 1400, "height": 1600}, locale="zh-CN")
    page = context.new_page()
    page.goto(f"{app_url}/figures?region={quote('中华人民共和国')}&indicator=cpi-growth&lang=en")
    page.get_by_role("heading", name="Target vs outcome").wait_for(timeout=WAIT_MS)
    page.wait_for_url("**/outcomes?*", timeout=WAIT_MS)
    query = parse_qs(urlsplit(page.url).query)
    assert (query["region"], query["indicator"], query["lang"]) == (["中华人民共和国"], ["cpi-growth"], ["en"])
    context.close()
