"""The explorer in a real headless Chromium: every page renders, a saved query shows rows, the graph draws,
and no request leaves this machine. Screenshots go to /tmp/shots/.

Needs Debian's chromium at /usr/bin/chromium (driven by Playwright for Python). Without it the test is
skipped on a developer's machine but fails in CI (CI=true), where it must run.
"""

from __future__ import annotations

import os
import re
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path
from urllib.parse import quote, urlsplit

import pytest

from kg_build import explore

pytestmark = pytest.mark.browser

ROOT = Path(__file__).resolve().parents[1]
CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--headless=new", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
    "--disable-background-networking", "--disable-component-update", "--disable-sync",
]
SHOTS = Path("/tmp/shots")
LOCAL_HOSTS = {"127.0.0.1", "localhost", "::1"}
LOCAL_SCHEMES = {"data", "blob", "about", "chrome-error"}
WAIT_MS = 30_000


def _require(ok: bool, reason: str) -> None:
    """Skip on a developer's machine, fail in CI: the browser test must run there."""
    if ok:
        return
    if os.environ.get("CI"):
        pytest.fail(f"{reason} (CI is set, so this test may not be skipped)")
    pytest.skip(reason)


def _free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@pytest.fixture(scope="module")
def app_url(built_store, tmp_path_factory):
    """`streamlit run app.py` on a free loopback port, reading the built store."""
    port = _free_port()
    log = tmp_path_factory.mktemp("streamlit") / "streamlit.log"
    env = {**os.environ, "KG_STORE": str(built_store.root)}
    command = [
        sys.executable, "-m", "streamlit", "run", str(ROOT / "app.py"),
        "--server.headless", "true", "--server.port", str(port), "--server.address", "127.0.0.1",
        "--browser.gatherUsageStats", "false", "--server.fileWatcherType", "none",
    ]
    with open(log, "wb") as out:
        server = subprocess.Popen(command, cwd=ROOT, env=env, stdout=out, stderr=subprocess.STDOUT)
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 45
        while True:
            try:
                with urllib.request.urlopen(f"{base}/_stcore/health", timeout=1) as response:
                    if response.read().strip() == b"ok":
                        break
            except OSError:
                pass
            if server.poll() is not None or time.monotonic() > deadline:
                pytest.fail(f"streamlit did not start:\n{log.read_text(errors='replace')[-3000:]}")
            time.sleep(0.25)
        yield base
    finally:
        server.terminate()
        try:
            server.wait(10)
        except subprocess.TimeoutExpired:
            server.kill()
            server.wait(5)


@pytest.fixture(scope="module")
def browser():
    _require(CHROMIUM.exists(), f"no Chromium at {CHROMIUM}: apt-get install chromium")
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:  # pragma: no cover - depends on the machine
        _require(False, "Playwright for Python is not installed: pip install playwright")
    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        yield chromium
        chromium.close()


def _wait_for_script(page) -> None:
    """Until Streamlit has finished running the page's script."""
    page.wait_for_selector(
        "[data-testid='stApp'][data-test-script-state='notRunning'] [data-testid='stMain'] h1", timeout=WAIT_MS
    )


def test_every_page_renders_offline_in_a_real_browser(app_url, browser, built_store):
    SHOTS.mkdir(parents=True, exist_ok=True)
    context = browser.new_context(viewport={"width": 1400, "height": 1500}, locale="zh-CN")
    requests: list[str] = []
    context.on("request", lambda request: requests.append(request.url))
    page = context.new_page()
    page.on("websocket", lambda ws: requests.append(ws.url))
    reports = explore.reports(built_store)
    seed = next(r for r in reports if r.iri.endswith("/report/huli-2026"))
    section = next(p for p in explore.pillars(built_store) if p.report == seed.iri).iri.rsplit("/pillar/", 1)[0]

    # a saved query, opened and run from its URL (the server's first page: a deep link)
    page.goto(f"{app_url}/sparql?query=targets")
    _wait_for_script(page)
    caption = page.get_by_text(re.compile(r"^[\d,]+ 行，用时")).first
    caption.wait_for(timeout=WAIT_MS)
    rows = int(re.match(r"[\d,]+", caption.inner_text()).group().replace(",", ""))
    assert rows > 0
    page.wait_for_selector("[data-testid='stDataFrame']", timeout=WAIT_MS)
    assert "query=targets" in page.url
    page.screenshot(path=str(SHOTS / "sparql.png"))

    # overview
    page.goto(f"{app_url}/")
    _wait_for_script(page)
    page.get_by_role("heading", name="政府工作报告知识图谱").wait_for(timeout=WAIT_MS)
    page.wait_for_selector("[data-testid='stDataFrame']", timeout=WAIT_MS)
    page.screenshot(path=str(SHOTS / "overview.png"))

    # the language switch
    page.locator("[data-testid='stSidebar'] label").filter(has_text="English").click()
    page.get_by_role("heading", name="Government work reports as a knowledge graph").wait_for(timeout=WAIT_MS)
    assert "lang=en" in page.url
    page.screenshot(path=str(SHOTS / "overview-en.png"))

    # a refused query
    page.goto(f"{app_url}/sparql?q=" + quote("INSERT DATA { <urn:a> <urn:b> <urn:c> }"))
    _wait_for_script(page)
    page.get_by_text("查询被拒绝").first.wait_for(timeout=WAIT_MS)

    # the graph view: a canvas inside the iframe, physics stabilized and frozen
    page.goto(f"{app_url}/graph?focus={quote(seed.iri, safe='')}&depth=1")
    _wait_for_script(page)
    frame = page.frame_locator("iframe").first
    frame.locator("#kg-network canvas").wait_for(timeout=WAIT_MS)
    frame.locator("body[data-stable='1']").wait_for(state="attached", timeout=WAIT_MS)
    assert frame.locator(".kg-key").count() >= 2  # the legend
    page.screenshot(path=str(SHOTS / "graph.png"))

    # an entity page: a section, its heading marked in its sentence
    page.goto(f"{app_url}/entity?iri={quote(section, safe='')}")
    _wait_for_script(page)
    page.locator("[data-testid='stMain'] mark").first.wait_for(timeout=WAIT_MS)
    page.screenshot(path=str(SHOTS / "entity.png"))

    # figures: the table and a chart
    page.goto(f"{app_url}/figures")
    _wait_for_script(page)
    page.wait_for_selector("[data-testid='stDataFrame']", timeout=WAIT_MS)
    page.wait_for_selector("[data-testid='stVegaLiteChart'], .vega-embed", timeout=WAIT_MS)
    page.screenshot(path=str(SHOTS / "figures.png"))
    context.close()

    outside = sorted(
        {u for u in requests if urlsplit(u).scheme not in LOCAL_SCHEMES and urlsplit(u).hostname not in LOCAL_HOSTS}
    )
    assert requests and not outside, outside


def _visible_hits(page) -> int:
    return page.locator("[data-testid='stMain'] .kg-hit").count()


def test_search_narrow_by_a_facet_and_follow_a_hit_to_its_report(app_url, browser):
    """As a reader: search 数字经济, keep one region by its facet, open a hit's report, list the companies
    the Huli report names, browse companies by region; every state is in the URL, and nothing leaves the machine."""
    SHOTS.mkdir(parents=True, exist_ok=True)
    context = browser.new_context(viewport={"width": 1400, "height": 1500}, locale="zh-CN")
    requests: list[str] = []
    context.on("request", lambda request: requests.append(request.url))
    page = context.new_page()

    page.goto(f"{app_url}/search")
    _wait_for_script(page)
    box = page.get_by_role("textbox", name="搜索词")
    box.fill("數字經濟")  # traditional input finds the simplified text
    box.press("Enter")
    page.locator("[data-testid='stMain'] .kg-hit mark").first.wait_for(timeout=WAIT_MS)
    assert "q=" in page.url
    total = int(re.search(r"([\d,]+) 个句子", page.locator("[data-testid='stMain']").inner_text()).group(1).replace(",", ""))
    assert total > 1
    page.screenshot(path=str(SHOTS / "search.png"))

    # the region facet: one click narrows the hits to that region, and the URL says so
    facet = page.locator("[data-testid='stMain'] a[href*='region=']").first
    region = facet.inner_text().strip()
    count = int(facet.locator("xpath=following-sibling::small").inner_text().replace(",", ""))
    facet.click()
    page.wait_for_url(re.compile(r"region="), timeout=WAIT_MS)
    _wait_for_script(page)
    page.locator("[data-testid='stMain'] .kg-hit").first.wait_for(timeout=WAIT_MS)
    assert f"{count:,} 个句子" in page.locator("[data-testid='stMain']").inner_text()
    assert 0 < count < total and _visible_hits(page) == min(count, 20)
    hits_text = page.locator("[data-testid='stMain'] .kg-hit").all_inner_texts()
    assert all(region in text for text in hits_text)

    # a reload of the URL gives the same state
    page.reload()
    _wait_for_script(page)
    page.locator("[data-testid='stMain'] .kg-hit").first.wait_for(timeout=WAIT_MS)
    assert _visible_hits(page) == min(count, 20)

    # follow the first hit to its report, in the same tab
    page.locator("[data-testid='stMain'] .kg-hit a[href*='report?iri=']").first.click()
    page.wait_for_url(re.compile(r"/report\?iri="), timeout=WAIT_MS)
    _wait_for_script(page)
    page.get_by_role("heading", name="主要目标").wait_for(timeout=WAIT_MS)
    assert len(context.pages) == 1
    page.screenshot(path=str(SHOTS / "report.png"), full_page=False)

    # which companies does the Huli report name: one click from its page
    page.goto(f"{app_url}/report?iri=" + quote(f"{explore.DATA_NS}report/huli-2026", safe=""))
    _wait_for_script(page)
    page.locator("[data-testid='stMain'] a[href*='names=Company']").first.click()
    page.wait_for_url(re.compile(r"names=Company"), timeout=WAIT_MS)
    _wait_for_script(page)
    page.locator("table.kg-named a").first.wait_for(timeout=WAIT_MS)
    assert page.locator("table.kg-named tbody tr").count() > 0
    page.screenshot(path=str(SHOTS / "report-companies.png"))

    # Fujian's plan tree and its main targets, in English
    page.goto(f"{app_url}/report?lang=en&iri=" + quote(f"{explore.DATA_NS}report/fujian-2026", safe=""))
    _wait_for_script(page)
    page.get_by_role("heading", name="Main targets").wait_for(timeout=WAIT_MS)
    main = page.locator("[data-testid='stMain']").inner_text()
    assert "5%左右" in main and "The plan" in main
    assert page.locator("[data-testid='stMain'] details[open] details").count() > 0  # pillars under the plan
    page.screenshot(path=str(SHOTS / "report-en.png"))

    page.goto(f"{app_url}/search?lang=en&q=" + quote("“新质生产力”"))
    _wait_for_script(page)
    page.locator("[data-testid='stMain'] .kg-hit mark").first.wait_for(timeout=WAIT_MS)
    assert "sentences" in page.locator("[data-testid='stMain']").inner_text()
    page.screenshot(path=str(SHOTS / "search-en.png"))

    # browse: companies, narrowed to a region by its facet
    page.goto(f"{app_url}/browse?cls=Company&lang=en")
    _wait_for_script(page)
    page.locator("table.kg-browse tbody tr").first.wait_for(timeout=WAIT_MS)
    before = page.locator("table.kg-browse tbody tr").count()
    page.locator("[data-testid='stMain'] a[href*='region=']").first.click()
    page.wait_for_url(re.compile(r"cls=Company.*region=|region=.*cls=Company"), timeout=WAIT_MS)
    _wait_for_script(page)
    page.locator("table.kg-browse tbody tr").first.wait_for(timeout=WAIT_MS)
    assert 0 < page.locator("table.kg-browse tbody tr").count() <= before
    page.screenshot(path=str(SHOTS / "browse-en.png"))
    page.goto(f"{app_url}/browse")
    _wait_for_script(page)
    page.locator("table.kg-browse tbody tr").first.wait_for(timeout=WAIT_MS)
    page.screenshot(path=str(SHOTS / "browse.png"))
    context.close()

    outside = sorted(
        {u for u in requests if urlsplit(u).scheme not in LOCAL_SCHEMES and urlsplit(u).hostname not in LOCAL_HOSTS}
    )
    assert requests and not outside, outside
