"""/figures in a real headless Chromium: opened with its filters in the URL it shows the filtered table and a chart
whose axis title names what the figures count; a filter changed goes into the URL and a reload of that URL gives
the same view; a range target draws as a band and 左右 as ≈; no request leaves this machine. Screenshots in zh and en."""

from __future__ import annotations

from urllib.parse import parse_qs, quote, urlencode, urlsplit

import pytest
from test_browser import LOCAL_HOSTS, LOCAL_SCHEMES, SHOTS, WAIT_MS, _wait_for_script, app_url, browser  # noqa: F401

from kg_build import explore

pytestmark = pytest.mark.browser

# (language, browser locale, the rows caption's word, the kind option to choose, its URL value, the axis title)
VIEWS = [
    ("zh", "zh-CN", "条", "目标值", "Target", "新增城镇就业 (人)"),
    ("en", "en-US", "rows", "target", "Target", "新增城镇就业 (persons)"),
]
FILTERS = {"regions": "湖里区", "plans": "all", "chart": "新增城镇就业"}  # 新增城镇就业3万人以上: a count of persons


def _url(base: str, params: dict[str, str | list[str]], language: str) -> str:
    params = {**params, **({"lang": language} if language != "zh" else {})}
    return f"{base}/figures?{urlencode(params, doseq=True, quote_via=quote)}"


def _rows_shown(built_store, *, kinds: tuple[str, ...] = ()) -> int:
    """How many figures the table should hold: Huli's reports, of the given kinds, from the library."""
    reports = explore.chosen_reports(explore.reports(built_store), regions=["湖里区"])
    return sum(1 for r in explore.figures(built_store, reports) if not kinds or r.kind in kinds)


def _ready(page) -> None:
    _wait_for_script(page)
    page.locator("[data-testid='stVegaLiteChart'] svg").first.wait_for(timeout=WAIT_MS)


def _axis_titles(page) -> list[str]:
    chart = page.locator("[data-testid='stVegaLiteChart']").first
    return chart.locator("svg g.role-axis-title text").evaluate_all("ts => ts.map(t => t.textContent)")


def _outside(requests: list[str]) -> list[str]:
    return sorted({u for u in requests
                   if urlsplit(u).scheme not in LOCAL_SCHEMES and urlsplit(u).hostname not in LOCAL_HOSTS})


@pytest.mark.parametrize(("language", "locale", "rows_word", "kind", "kind_value", "axis"), VIEWS)
def test_figures_keep_their_filters_in_the_url(app_url, browser, built_store, language, locale, rows_word, kind,  # noqa: F811
                                               kind_value, axis):
    SHOTS.mkdir(parents=True, exist_ok=True)
    context = browser.new_context(viewport={"width": 1400, "height": 2000}, locale=locale)
    requests: list[str] = []
    context.on("request", lambda request: requests.append(request.url))
    page = context.new_page()
    page.on("websocket", lambda ws: requests.append(ws.url))
    page.goto(_url(app_url, FILTERS, language))
    _ready(page)
    every = _rows_shown(built_store)
    page.get_by_text(f"{every:,} {rows_word}").wait_for(timeout=WAIT_MS)
    chip = "湖里区" if language == "zh" else "Huli"
    assert page.locator("[data-testid='stMultiSelect']").first.get_by_text(chip, exact=False).count() == 1  # chosen
    assert axis in _axis_titles(page)

    # a filter changed: into the URL, with the others kept
    kinds = page.locator("[data-testid='stMultiSelect']").nth(4)
    kinds.locator("input").click()
    page.get_by_role("option", name=f"{kind} (", exact=False).click()
    page.keyboard.press("Escape")
    targets = _rows_shown(built_store, kinds=(kind_value,))
    assert 0 < targets < every
    page.get_by_text(f"{targets:,} {rows_word}").wait_for(timeout=WAIT_MS)
    page.wait_for_function(f"() => window.location.search.includes('kinds={kind_value}')", timeout=WAIT_MS)
    state = parse_qs(urlsplit(page.url).query)
    assert state["kinds"] == [kind_value] and state["regions"] == ["湖里区"] and state["chart"] == ["新增城镇就业"]
    assert state.get("lang", ["zh"]) == [language]

    # the URL reloaded: the same view
    page.goto(page.url)
    _ready(page)
    page.get_by_text(f"{targets:,} {rows_word}").wait_for(timeout=WAIT_MS)
    assert parse_qs(urlsplit(page.url).query)["kinds"] == [kind_value]
    assert kinds.get_by_text(f"{kind} ({targets:,})", exact=True).count() == 1  # the chip and its count, from the URL
    assert axis in _axis_titles(page)
    page.screenshot(path=str(SHOTS / f"figures-url-state-{language}.png"), full_page=True)
    context.close()
    assert requests and not _outside(requests), _outside(requests)


# (language, the band's region and text in its tooltip, the legend's words for a band)
BANDS = [("zh", "广东省", "4.5–5", "色带：区间目标"), ("en", "Guangdong", "4.5–5", "band: a range target")]


@pytest.mark.parametrize(("language", "region", "text", "legend"), BANDS)
def test_a_range_target_draws_as_a_band(app_url, browser, language, region, text, legend):  # noqa: F811
    context = browser.new_context(viewport={"width": 1400, "height": 1600})
    requests: list[str] = []
    context.on("request", lambda request: requests.append(request.url))
    page = context.new_page()
    # Guangdong's GDP target is 4.5%—5% (a range), Fujian's 5%左右 (about)
    page.goto(_url(app_url, {"regions": ["广东省", "福建省"], "chart": "地区生产总值增长"}, language))
    _ready(page)
    chart = page.locator("[data-testid='stVegaLiteChart']").first
    chart.locator("svg g.range_marks path").first.wait_for(timeout=WAIT_MS)  # Vega draws its marks after the page is ready
    chart.locator("svg g.comparator_marks text").first.wait_for(timeout=WAIT_MS)
    bands = chart.locator("svg g.range_marks path").evaluate_all("ps => ps.map(p => p.getAttribute('aria-label'))")
    assert len(bands) == 1 and text in bands[0] and region in bands[0]
    box = chart.locator("svg g.range_marks path").first.bounding_box()
    assert box is not None and box["height"] > 5  # drawn from the lower to the upper end, not a line
    signs = chart.locator("svg g.comparator_marks text").evaluate_all("ts => ts.map(t => t.textContent)")
    assert "≈" in signs
    assert "地区生产总值增长 (%)" in _axis_titles(page)
    page.get_by_text(legend, exact=False).wait_for(timeout=WAIT_MS)
    page.screenshot(path=str(SHOTS / f"figures-range-band-{language}.png"), full_page=True)
    context.close()
    assert requests and not _outside(requests), _outside(requests)
