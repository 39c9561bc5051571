"""Walks through the explorer as a reader would, in a real headless Chromium: open Fujian's plan from the report
list and unfold it; list the companies the Huli report names with one click; switch to English and find
"GDP growth" and "Fujian"; reach a view by clicks and get the same view back from its URL (reloaded, and opened in
a new tab). Every request is recorded and none leaves this machine; screenshots under tests/output/screenshots/."""

from __future__ import annotations

import re
import time
from urllib.parse import urlsplit

import pytest
from _shots import shot
from test_browser import LOCAL_HOSTS, LOCAL_SCHEMES, WAIT_MS, _wait_for_script, app_url, browser  # noqa: F401

pytestmark = pytest.mark.browser

MAIN = "[data-testid='stMain']"
FUJIAN_TITLE = "2026年福建省政府工作报告"
HULI_TITLE = "湖里区政府工作报告（摘要）"
# Fujian's main targets, as its plan section states them (in its own words)
FUJIAN_MAIN_TARGETS = ["地区生产总值增长", "5%左右", "城镇新增就业"]
# (words typed in English, the name a hit must have, the class shown beside it)
ENGLISH_FINDS = [("GDP growth", "Regional GDP growth", "indicator"), ("Fujian", "Fujian Province", "place")]


def _outside(requests: list[str]) -> list[str]:
    return sorted({u for u in requests if urlsplit(u).scheme not in LOCAL_SCHEMES and urlsplit(u).hostname not in LOCAL_HOSTS})


@pytest.fixture
def tab(browser):  # noqa: F811
    """A new browser profile and tab, with every request recorded; after the test, none may have left this machine."""
    context = browser.new_context(viewport={"width": 1400, "height": 1500}, locale="zh-CN")
    requests: list[str] = []
    context.on("request", lambda request: requests.append(request.url))
    page = context.new_page()
    yield page
    pages = len(context.pages)
    context.close()
    assert pages == 1  # every link opened in the same tab
    assert requests and not _outside(requests), _outside(requests)


def _go(page, url: str) -> None:
    page.goto(url)
    _wait_for_script(page)


def _click_link(page, text: str, url_pattern: str) -> None:
    page.locator(f"{MAIN} a").filter(has_text=text).first.click()
    page.wait_for_url(re.compile(url_pattern), timeout=WAIT_MS)
    _wait_for_script(page)


def test_fujian_plan_and_main_targets_from_the_report_list(app_url, tab):  # noqa: F811
    page = tab
    _go(page, f"{app_url}/report")
    _click_link(page, FUJIAN_TITLE, r"/report\?iri=.*fujian-2026")
    page.get_by_role("heading", name="主要目标").wait_for(timeout=WAIT_MS)
    targets = page.locator(f"{MAIN} ul").first.inner_text()  # the first list under the title: the main targets
    for words in FUJIAN_MAIN_TARGETS:
        assert words in targets, targets[:500]
    page.get_by_role("heading", name="计划", exact=True).wait_for(timeout=WAIT_MS)
    # the plan: pillars open under the plan section, measures folded; unfold the first folded measure
    assert page.locator(f"{MAIN} details[open] details").count() > 0
    folded = page.locator(f"{MAIN} details[open] details:not([open])").first
    name = folded.locator("summary").first.inner_text()
    folded.locator("summary").first.click()
    opened = page.locator(f"{MAIN} details[open]").filter(has=page.locator("summary", has_text=name.split(" ")[0])).last
    opened.wait_for(timeout=WAIT_MS)
    assert opened.locator("li, a").count() > 0  # what the measure holds: targets, projects, organizations …
    shot(page, "walk-fujian-plan", full_page=False)


def test_the_companies_huli_names_are_one_click_from_its_report(app_url, tab):  # noqa: F811
    page = tab
    _go(page, f"{app_url}/report")
    _click_link(page, HULI_TITLE, r"/report\?iri=.*huli-2026")
    companies = page.locator(f"{MAIN} a[href*='names=Company']").first
    count = int(re.search(r"\((\d+)\)", companies.inner_text()).group(1))
    companies.click()
    page.wait_for_url(re.compile(r"names=Company"), timeout=WAIT_MS)
    _wait_for_script(page)
    page.locator("table.kg-named tbody tr").first.wait_for(timeout=WAIT_MS)
    assert page.locator("table.kg-named tbody tr").count() == count > 0
    shot(page, "walk-huli-companies", full_page=False)


@pytest.mark.parametrize(("words", "name", "cls"), ENGLISH_FINDS, ids=[w for w, _, _ in ENGLISH_FINDS])
def test_in_english_the_label_search_finds(app_url, tab, words, name, cls):  # noqa: F811
    page = tab
    _go(page, f"{app_url}/")
    page.locator("[data-testid='stSidebar'] label").filter(has_text="English").click()
    page.get_by_role("heading", name="Government work reports as a knowledge graph").wait_for(timeout=WAIT_MS)
    page.locator("[data-testid='stSidebarNav'] a").filter(has_text="Entity").click()
    page.wait_for_url(re.compile(r"/entity\?lang=en"), timeout=WAIT_MS)
    _wait_for_script(page)
    box = page.locator(f"{MAIN} input[type='text']").first
    box.fill(words)
    box.press("Enter")
    hit = page.locator(f"{MAIN} li").filter(has_text=re.compile(rf"^{re.escape(name)} · {cls}\b")).first
    hit.wait_for(timeout=WAIT_MS)
    assert "q=" in page.url
    shot(page, f"walk-english-{words.split()[0].lower()}", full_page=False)
    hit.locator("a").first.click()
    page.wait_for_url(re.compile(r"/entity\?.*iri="), timeout=WAIT_MS)
    _wait_for_script(page)
    assert page.locator(f"{MAIN} h1").first.inner_text() == name
    assert "lang=en" in page.url


def test_in_english_browse_finds_fujian_by_name(app_url, tab):  # noqa: F811
    page = tab
    _go(page, f"{app_url}/browse?lang=en")
    box = page.locator(f"{MAIN} input[type='text']").first
    box.fill("Fujian")
    box.press("Enter")
    page.wait_for_url(re.compile(r"q=Fujian"), timeout=WAIT_MS)
    _wait_for_script(page)
    first = page.locator("table.kg-browse tbody tr").first
    first.wait_for(timeout=WAIT_MS)
    assert "Fujian Province" in page.locator("table.kg-browse tbody").inner_text()


def _browse_company_by_region(page, app_url: str) -> None:  # noqa: F811
    _go(page, f"{app_url}/browse?lang=en")
    _click_link(page, "company", r"cls=Company")
    page.locator(f"{MAIN} a[href*='region=']").first.click()
    page.wait_for_url(re.compile(r"region="), timeout=WAIT_MS)
    _wait_for_script(page)
    page.locator("table.kg-browse tbody tr").first.wait_for(timeout=WAIT_MS)


def _huli_companies(page, app_url: str) -> None:
    _go(page, f"{app_url}/report")
    _click_link(page, HULI_TITLE, r"huli-2026")
    _click_link(page, "企业", r"names=Company")
    page.locator("table.kg-named tbody tr").first.wait_for(timeout=WAIT_MS)


def _label_search(page, app_url: str) -> None:
    _go(page, f"{app_url}/entity?lang=en")
    box = page.locator(f"{MAIN} input[type='text']").first
    box.fill("Fujian")
    box.press("Enter")
    page.wait_for_url(re.compile(r"q=Fujian"), timeout=WAIT_MS)
    _wait_for_script(page)
    page.locator(f"{MAIN} li a").first.wait_for(timeout=WAIT_MS)


def _settled_text(page, expected: str) -> str:
    """The main area's text once it stops changing: a new session's page can draw its last elements (a download
    button) a moment after the script has ended; returned at once when it is what was expected."""
    deadline = time.monotonic() + WAIT_MS / 1000
    text = page.locator(MAIN).inner_text()
    while text != expected and time.monotonic() < deadline:
        page.wait_for_timeout(250)
        text = page.locator(MAIN).inner_text()
    return text


def _stable_text(page) -> str:
    """The main area's text once two reads a quarter of a second apart agree: the view as drawn to its end."""
    deadline = time.monotonic() + WAIT_MS / 1000
    text, again = None, page.locator(MAIN).inner_text()
    while text != again and time.monotonic() < deadline:
        page.wait_for_timeout(250)
        text, again = again, page.locator(MAIN).inner_text()
    return again


# (name, how a reader reaches the view by clicks and typing)
VIEWS = [("browse-company-by-region", _browse_company_by_region), ("huli-companies", _huli_companies),
         ("label-search", _label_search)]


@pytest.mark.parametrize(("name", "reach"), VIEWS, ids=[n for n, _ in VIEWS])
def test_a_view_comes_back_from_its_url(app_url, browser, tab, name, reach):  # noqa: F811
    page = tab
    reach(page, app_url)
    url = page.url
    _wait_for_script(page)
    shown = _stable_text(page)
    page.reload()
    _wait_for_script(page)
    assert page.url == url
    assert _settled_text(page, shown) == shown  # the page drawn again, its last elements (a download button) too
    other = browser.new_context(viewport={"width": 1400, "height": 1500}, locale="zh-CN")  # a new session, as shared
    requests: list[str] = []
    other.on("request", lambda request: requests.append(request.url))
    fresh = other.new_page()
    fresh.goto(url)
    _wait_for_script(fresh)
    again = _settled_text(fresh, shown)
    shot(fresh, f"walk-url-{name}", full_page=False)
    other.close()
    assert again == shown
    assert not _outside(requests), _outside(requests)
