"""/figures in a real headless Chromium with more reports chosen than its first screen reads: it says it shows the
first of them, the switch shows every one's figures and puts ?reports=all in the URL, and a reload of that URL gives
the same view; no request leaves this machine. Screenshots in zh and en."""

from __future__ import annotations

from urllib.parse import parse_qs, urlsplit

import pytest
from _shots import shot
from test_browser import LOCAL_HOSTS, LOCAL_SCHEMES, WAIT_MS, _wait_for_script, app_url, browser  # noqa: F401

from kg_build import explore

pytestmark = pytest.mark.browser

# (language, browser locale, the notice's words, the switch's words, the rows caption's word)
VIEWS = [
    ("zh", "zh-CN", "份的数值", "显示全部 {total} 份报告的数值", "条"),
    ("en", "en-US", "Showing the figures of the first", "Show the figures of all {total} reports", "rows"),
]


def _drawn(page) -> None:
    """The table and the chart drawn (Vega draws its marks after the script run ends)."""
    page.locator("[data-testid='stDataFrame']").first.wait_for(timeout=WAIT_MS)
    page.locator("[data-testid='stVegaLiteChart'] svg").first.wait_for(timeout=WAIT_MS)


def _outside(requests: list[str]) -> list[str]:
    return sorted({u for u in requests
                   if urlsplit(u).scheme not in LOCAL_SCHEMES and urlsplit(u).hostname not in LOCAL_HOSTS})


@pytest.mark.parametrize(("language", "locale", "notice", "switch", "rows_word"), VIEWS)
def test_figures_show_the_first_reports_and_all_when_switched(app_url, browser, built_store, language, locale,  # noqa: F811
                                                              notice, switch, rows_word):
    reports = explore.reports(built_store)
    chosen = [r.iri for r in reports]
    first = explore.first_reports(reports, chosen)
    assert 0 < len(first) < len(chosen)
    first_rows, every_rows = len(explore.figures(built_store, first)), len(explore.figures(built_store, chosen))
    context = browser.new_context(viewport={"width": 1400, "height": 1800}, locale=locale)
    requests: list[str] = []
    context.on("request", lambda request: requests.append(request.url))
    page = context.new_page()
    page.on("websocket", lambda ws: requests.append(ws.url))
    page.goto(f"{app_url}/figures?plans=all" + ("&lang=en" if language == "en" else ""))
    _wait_for_script(page)
    page.get_by_text(notice, exact=False).wait_for(timeout=WAIT_MS)
    page.get_by_text(f"{first_rows:,} {rows_word}").wait_for(timeout=WAIT_MS)
    _drawn(page)
    shot(page, f"figures-first-reports-{language}", full_page=False)

    page.get_by_text(switch.format(total=len(chosen))).click()
    page.get_by_text(f"{every_rows:,} {rows_word}").wait_for(timeout=WAIT_MS)
    page.wait_for_function("() => window.location.search.includes('reports=all')", timeout=WAIT_MS)
    assert parse_qs(urlsplit(page.url).query)["plans"] == ["all"]
    assert page.get_by_text(notice, exact=False).count() == 0

    page.goto(page.url)  # the URL reloaded: every report again
    _wait_for_script(page)
    page.get_by_text(f"{every_rows:,} {rows_word}").wait_for(timeout=WAIT_MS)
    _drawn(page)
    shot(page, f"figures-every-report-{language}", full_page=False)
    context.close()
    assert requests and not _outside(requests), _outside(requests)
