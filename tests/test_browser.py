"""The explorer in a real headless Chromium: every page renders, a saved query shows rows, the graph draws,
and no request leaves this machine. Screenshots of every page the app registers, in both languages, go to
tests/output/screenshots/ (``_shots.SHOTS``).

Needs Debian's chromium at /usr/bin/chromium (driven by Playwright for Python). Without it the test is
skipped on a developer's machine but fails in CI (CI=true), where it must run.
"""

from __future__ import annotations

import ast
import os
from contextlib import contextmanager
import re
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path
from urllib.parse import quote, urlsplit

import pytest
from _shots import SHOTS, shot

from kg_build import explore

pytestmark = pytest.mark.browser

ROOT = Path(__file__).resolve().parents[1]
CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--headless=new", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
    "--disable-background-networking", "--disable-component-update", "--disable-sync",
]
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


@contextmanager
def running_app(store_root: Path, log: Path, **settings: str):
    """`streamlit run app.py` on a free loopback port over a store, with the given environment settings
    (the upload settings only where given: a developer's own environment does not leak into a test)."""
    port = _free_port()
    env = {k: v for k, v in os.environ.items() if k not in ("KG_ALLOW_UPLOADS", "KG_UPLOAD_MAX_MB")}
    env.update(KG_STORE=str(store_root), **settings)
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
def app_url(built_store, tmp_path_factory):
    """`streamlit run app.py` on a free loopback port, reading the built store."""
    with running_app(built_store.root, tmp_path_factory.mktemp("streamlit") / "streamlit.log") as base:
        yield base


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


def app_pages() -> list[str]:
    """The url path of every page app.py registers (``st.Page(..., url_path=...)``, else its file's stem), in order."""
    tree = ast.parse((ROOT / "app.py").read_text(encoding="utf-8"))
    found: list[tuple[int, str]] = []
    for node in ast.walk(tree):
        if not (isinstance(node, ast.Call) and getattr(node.func, "attr", getattr(node.func, "id", None)) == "Page"):
            continue
        given = [k.value.value for k in node.keywords if k.arg == "url_path" and isinstance(k.value, ast.Constant)]
        files = [c.value for c in ast.walk(node.args[0]) if isinstance(c, ast.Constant) and str(c.value).endswith(".py")]
        if given or files:
            found.append((node.lineno, given[0] if given else Path(files[0]).stem))
    return [path for _, path in sorted(found)]


PLACE_FUJIAN = f"{explore.DATA_NS}place/fujiansheng-350000"
REPORT_HULI = f"{explore.DATA_NS}report/huli-2026"
REPORT_FUJIAN = f"{explore.DATA_NS}report/fujian-2026"
# what each page shows in its screenshot (the query string of its URL); a page not listed opens bare
PAGE_EXAMPLES = {
    "sparql": "query=targets",
    "graph": f"focus={quote(REPORT_HULI, safe='')}&depth=1",
    "entity": f"iri={quote(PLACE_FUJIAN, safe='')}",
    "report": f"iri={quote(REPORT_FUJIAN, safe='')}",
    "search": "q=" + quote("数字经济"),
    "browse": "cls=Company",
}
# what must be drawn before its screenshot is taken, beside the title ("iframe >> …" looks inside the page's iframe)
PAGE_READY = {
    "": "[data-testid='stMain'] [data-testid='stDataFrame']",
    "sparql": "[data-testid='stMain'] [data-testid='stDataFrame']",
    "graph": "iframe >> body[data-stable='1']",
    "figures": "[data-testid='stMain'] .vega-embed",
    "outcomes": "[data-testid='stMain'] .vega-embed",
    "search": "[data-testid='stMain'] .kg-hit",
    "browse": "[data-testid='stMain'] table",
}
# links whose words are the data's names, which English must show in English (Fujian Province, not 福建省)
PAGE_ENGLISH = {
    "search": "[data-testid='stMain'] a[href*='region=']",
    "browse": "[data-testid='stMain'] a[href*='region=']",
}
LANGUAGES = ["zh", "en"]
CJK = re.compile(r"[\u3400-\u9fff]")


def test_the_app_registers_the_pages_the_screenshots_know():
    """The page list is read from app.py itself; an example or ready-check for a page that no longer exists is stale."""
    registered = app_pages()
    assert {"", "sparql", "report", "search", "browse", "ontology"} <= set(registered), registered
    assert set(PAGE_EXAMPLES) <= set(registered) and set(PAGE_READY) <= set(registered)


def _outside(requests: list[str]) -> list[str]:
    return sorted({u for u in requests if urlsplit(u).scheme not in LOCAL_SCHEMES and urlsplit(u).hostname not in LOCAL_HOSTS})


@pytest.mark.parametrize("language", LANGUAGES)
@pytest.mark.parametrize("path", app_pages(), ids=lambda p: p or "overview")
def test_every_page_in_both_languages_is_screenshot(app_url, browser, path, language):
    """Each page of app.py's navigation opens from its URL with no error shown, its title in the reader's language,
    and nothing fetched from elsewhere; its screenshot is kept for people to look at."""
    context = browser.new_context(viewport={"width": 1400, "height": 1600}, locale="zh-CN")
    requests: list[str] = []
    context.on("request", lambda request: requests.append(request.url))
    page = context.new_page()
    query = "&".join(q for q in (PAGE_EXAMPLES.get(path, ""), "lang=en" if language == "en" else "") if q)
    page.goto(f"{app_url}/{path}" + (f"?{query}" if query else ""))
    _wait_for_script(page)
    ready = PAGE_READY.get(path)
    if ready and ready.startswith("iframe >> "):
        page.frame_locator("[data-testid='stMain'] iframe").first.locator(ready.split(" >> ", 1)[1]).wait_for(
            state="attached", timeout=WAIT_MS
        )
    elif ready:
        page.locator(ready).first.wait_for(timeout=WAIT_MS)
    assert urlsplit(page.url).path.rstrip("/") == f"/{path}".rstrip("/")  # not sent elsewhere: the page exists
    title = page.locator("[data-testid='stMain'] h1").first.inner_text()
    errors = page.locator("[data-testid='stMain'] [data-testid='stException']").all_inner_texts()
    names = page.locator(PAGE_ENGLISH[path]).all_inner_texts() if path in PAGE_ENGLISH else []
    shot(page, f"page-{path or 'overview'}-{language}")
    context.close()
    assert not errors, errors[0][:500]
    assert bool(CJK.search(title)) == (language == "zh"), title
    assert not names or all(bool(CJK.search(name)) == (language == "zh") for name in names), names
    assert requests and not _outside(requests), _outside(requests)


def test_every_page_renders_offline_in_a_real_browser(app_url, browser, built_store):
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
    shot(page, "sparql", full_page=False)

    # overview
    page.goto(f"{app_url}/")
    _wait_for_script(page)
    page.get_by_role("heading", name="政府工作报告知识图谱").wait_for(timeout=WAIT_MS)
    page.wait_for_selector("[data-testid='stDataFrame']", timeout=WAIT_MS)
    shot(page, "overview", full_page=False)

    # the language switch
    page.locator("[data-testid='stSidebar'] label").filter(has_text="English").click()
    page.get_by_role("heading", name="Government work reports as a knowledge graph").wait_for(timeout=WAIT_MS)
    assert "lang=en" in page.url
    shot(page, "overview-en", full_page=False)

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
    shot(page, "graph", full_page=False)

    # an entity page: a section, its heading marked in its sentence
    page.goto(f"{app_url}/entity?iri={quote(section, safe='')}")
    _wait_for_script(page)
    page.locator("[data-testid='stMain'] mark").first.wait_for(timeout=WAIT_MS)
    shot(page, "entity", full_page=False)

    # figures: the table and a chart
    page.goto(f"{app_url}/figures")
    _wait_for_script(page)
    page.wait_for_selector("[data-testid='stDataFrame']", timeout=WAIT_MS)
    page.wait_for_selector("[data-testid='stVegaLiteChart'], .vega-embed", timeout=WAIT_MS)
    shot(page, "figures", full_page=False)
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
    shot(page, "search", full_page=False)

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
    shot(page, "report", full_page=False)

    # which companies does the Huli report name: one click from its page
    page.goto(f"{app_url}/report?iri=" + quote(f"{explore.DATA_NS}report/huli-2026", safe=""))
    _wait_for_script(page)
    page.locator("[data-testid='stMain'] a[href*='names=Company']").first.click()
    page.wait_for_url(re.compile(r"names=Company"), timeout=WAIT_MS)
    _wait_for_script(page)
    page.locator("table.kg-named a").first.wait_for(timeout=WAIT_MS)
    assert page.locator("table.kg-named tbody tr").count() > 0
    shot(page, "report-companies", full_page=False)

    # Fujian's plan tree and its main targets, in English
    page.goto(f"{app_url}/report?lang=en&iri=" + quote(f"{explore.DATA_NS}report/fujian-2026", safe=""))
    _wait_for_script(page)
    page.get_by_role("heading", name="Main targets").wait_for(timeout=WAIT_MS)
    main = page.locator("[data-testid='stMain']").inner_text()
    assert "5%左右" in main and "The plan" in main
    assert "Regional GDP growth · 5%左右" in main  # a standard indicator by its English name, the figure as written
    assert page.locator("[data-testid='stMain'] h1").first.inner_text() == "Fujian Province Government Work Report 2026"
    assert page.locator("[data-testid='stMain'] details[open] details").count() > 0  # pillars under the plan
    shot(page, "report-en", full_page=False)

    page.goto(f"{app_url}/search?lang=en&q=" + quote("“新质生产力”"))
    _wait_for_script(page)
    page.locator("[data-testid='stMain'] .kg-hit mark").first.wait_for(timeout=WAIT_MS)
    assert "sentences" in page.locator("[data-testid='stMain']").inner_text()
    shot(page, "search-en", full_page=False)

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
    shot(page, "browse-en", full_page=False)
    page.goto(f"{app_url}/browse")
    _wait_for_script(page)
    page.locator("table.kg-browse tbody tr").first.wait_for(timeout=WAIT_MS)
    shot(page, "browse", full_page=False)
    context.close()

    outside = sorted(
        {u for u in requests if urlsplit(u).scheme not in LOCAL_SCHEMES and urlsplit(u).hostname not in LOCAL_HOSTS}
    )
    assert requests and not outside, outside
