"""Adding a report from the browser, in a real headless Chromium against two real servers: one with uploads on
over a copy of the built store (a report file with its metadata is uploaded, built, and then listed on the
overview and the report page without a restart), one with uploads off (the page refuses, and offers no upload).
No request leaves this machine. Screenshots in both languages in tests/output/screenshots/."""

from __future__ import annotations

import re
import shutil
from pathlib import Path
from urllib.parse import quote, urlsplit

import pytest
from _shots import shot
from test_browser import (  # noqa: F401
    LOCAL_HOSTS,
    LOCAL_SCHEMES,
    WAIT_MS,
    _wait_for_script,
    browser,
    running_app,
)

from kg_build import explore
from kg_build.store import LocalStore

pytestmark = pytest.mark.browser

REPORT = Path(__file__).resolve().parent / "fixtures" / "upload_report.txt"
TITLE = "思明区2026年政府工作报告"
NEW_IRI = f"{explore.DATA_NS}report/siming-2026"


@pytest.fixture(scope="module")
def upload_store(built_store, tmp_path_factory) -> LocalStore:
    """A copy of the built store: the shared one is never written."""
    copy = tmp_path_factory.mktemp("upload-store") / "store"
    shutil.copytree(built_store.root, copy, symlinks=True)
    return LocalStore(copy)


@pytest.fixture(scope="module")
def uploads_on(upload_store, tmp_path_factory):
    with running_app(upload_store.root, tmp_path_factory.mktemp("streamlit-on") / "log", KG_ALLOW_UPLOADS="1") as base:
        yield base


@pytest.fixture(scope="module")
def uploads_off(built_store, tmp_path_factory):
    with running_app(built_store.root, tmp_path_factory.mktemp("streamlit-off") / "log") as base:
        yield base


def _context(browser, requests: list[str]):  # noqa: F811
    context = browser.new_context(viewport={"width": 1400, "height": 1600}, locale="zh-CN")
    context.on("request", lambda request: requests.append(request.url))
    return context


def _outside(requests: list[str]) -> list[str]:
    return sorted(
        {u for u in requests if urlsplit(u).scheme not in LOCAL_SCHEMES and urlsplit(u).hostname not in LOCAL_HOSTS}
    )


def _reports_metric(page) -> int:
    metric = page.locator("[data-testid='stMetric']").filter(has_text="报告").locator("[data-testid='stMetricValue']")
    return int(metric.inner_text().strip().replace(",", ""))


def test_a_report_uploaded_with_uploads_on_is_built_and_listed(uploads_on, upload_store, browser):  # noqa: F811
    before = upload_store.generation()
    requests: list[str] = []
    context = _context(browser, requests)
    page = context.new_page()

    page.goto(f"{uploads_on}/")
    _wait_for_script(page)
    page.wait_for_selector("[data-testid='stMetric']", timeout=WAIT_MS)
    reports_before = _reports_metric(page)
    assert page.locator("[data-testid='stSidebarNav'] a[href$='/upload']").count() == 1  # listed: uploads are on

    page.goto(f"{uploads_on}/upload")
    _wait_for_script(page)
    page.get_by_role("heading", name="添加报告").wait_for(timeout=WAIT_MS)
    page.locator("[data-testid='stFileUploader'] input[type='file']").set_input_files(str(REPORT))
    page.get_by_text(REPORT.name).first.wait_for(timeout=WAIT_MS)
    page.get_by_role("textbox", name="地区").fill("思明区")
    page.get_by_role("textbox", name="规划年份").fill("2026")
    page.get_by_role("textbox", name="标题").fill(TITLE)
    page.get_by_role("textbox", name="来源网址").fill("https://www.siming.gov.cn/zwgk/2026.htm")
    shot(page, "upload-form")
    page.get_by_role("button", name="上传并构建").click()
    page.get_by_text("已添加报告 siming-2026").wait_for(timeout=120_000)
    _wait_for_script(page)
    assert upload_store.generation() != before  # published: a new generation
    shot(page, "upload")

    # the same report again: nothing changes, and it says so
    page.get_by_role("button", name="上传并构建").click()
    page.get_by_text("数据中已有这份报告").wait_for(timeout=120_000)

    # a refusal in one line: an HTML name on text that is no HTML page
    page.goto(f"{uploads_on}/upload?lang=en")
    _wait_for_script(page)
    page.get_by_role("heading", name="Add a report").wait_for(timeout=WAIT_MS)
    page.locator("[data-testid='stFileUploader'] input[type='file']").set_input_files(
        {"name": "not-a-page.html", "mimeType": "text/html", "buffer": "只是一句话，没有网页。".encode()}
    )
    page.get_by_text("not-a-page.html").first.wait_for(timeout=WAIT_MS)
    generation = upload_store.generation()
    page.get_by_role("button", name="Upload and build").click()
    error = page.locator("[data-testid='stAlertContentError']").filter(has_text="does not start like an HTML page")
    error.wait_for(timeout=WAIT_MS)
    assert "\n" not in error.inner_text().strip()
    assert upload_store.generation() == generation
    shot(page, "upload-en")

    # the new report, without a restart: on the overview, in the report picker and on its own page
    page.goto(f"{uploads_on}/")
    _wait_for_script(page)
    page.wait_for_selector("[data-testid='stMetric']", timeout=WAIT_MS)
    assert _reports_metric(page) == reports_before + 1
    page.goto(f"{uploads_on}/report")
    _wait_for_script(page)
    page.locator("[data-testid='stMain'] a", has_text=TITLE).first.click()
    page.wait_for_url(re.compile(r"/report\?iri="), timeout=WAIT_MS)
    _wait_for_script(page)
    page.get_by_role("heading", name=TITLE).wait_for(timeout=WAIT_MS)
    page.get_by_role("heading", name="主要目标").wait_for(timeout=WAIT_MS)
    assert "5.5%左右" in page.locator("[data-testid='stMain']").inner_text()  # its main target, read from the file
    assert quote(NEW_IRI, safe="") in page.url
    shot(page, "upload-report")
    context.close()
    assert requests and not _outside(requests), _outside(requests)


# (language, what the page says)
OFF = [("zh", "本服务未开启上传"), ("en", "Uploads are off on this server")]


@pytest.mark.parametrize(("language", "message"), OFF)
def test_with_uploads_off_the_page_refuses(uploads_off, built_store, browser, language, message):  # noqa: F811
    before = built_store.generation()
    requests: list[str] = []
    context = _context(browser, requests)
    page = context.new_page()
    page.goto(f"{uploads_off}/upload" + ("?lang=en" if language == "en" else ""))
    _wait_for_script(page)
    page.get_by_text(message).wait_for(timeout=WAIT_MS)
    assert "KG_ALLOW_UPLOADS=1" in page.locator("[data-testid='stMain']").inner_text()
    assert page.locator("[data-testid='stFileUploader']").count() == 0  # no upload can be sent
    assert page.locator("[data-testid='stSidebarNav'] a[href$='/upload']").count() == 0  # and it is not listed
    shot(page, "upload-off" + ("-en" if language == "en" else ""))
    context.close()
    assert built_store.generation() == before
    assert requests and not _outside(requests), _outside(requests)
