"""The research panel downloaded from /figures in a real headless Chromium: the zip holds panel.csv and its
datapackage.json, the CSV read with the package's types gives the saved query's rows for those reports, and the
figures chart on the same page is drawn."""

from __future__ import annotations

import io
import json
import zipfile

import pandas as pd
import pytest
from test_browser import SHOTS, WAIT_MS, _wait_for_script, app_url, browser  # noqa: F401

from kg_build import explore
from kg_build.panel import COLUMNS, PANDAS_DTYPES, panel_rows

pytestmark = pytest.mark.browser

# (download button, whether the zip holds the rows of the reports in view — the latest plan year's, the page's
# default — or of every report)
DOWNLOADS = [("下载研究面板（所选报告）", True), ("下载研究面板（全部报告）", False)]

DOWNLOAD_MS = 180_000  # the panel is made when the button is clicked: every page of its query, slow on a busy machine


@pytest.mark.parametrize(("button", "in_view"), DOWNLOADS)
def test_the_panel_downloads_from_figures_and_loads_with_its_types(app_url, browser, built_store, button, in_view):  # noqa: F811
    SHOTS.mkdir(parents=True, exist_ok=True)
    context = browser.new_context(viewport={"width": 1400, "height": 2200}, locale="zh-CN", accept_downloads=True)
    page = context.new_page()
    page.goto(f"{app_url}/figures")
    _wait_for_script(page)
    page.get_by_role("button", name=button).wait_for(timeout=WAIT_MS)
    with page.expect_download(timeout=DOWNLOAD_MS) as download:
        page.get_by_role("button", name=button).click()
    data = download.value.path().read_bytes()
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        names = sorted(archive.namelist())
        package = json.loads(archive.read("policy-kg-panel/datapackage.json"))
        csv = archive.read("policy-kg-panel/panel.csv")
    assert names == ["policy-kg-panel/datapackage.json", "policy-kg-panel/panel.csv"]
    fields = package["resources"][0]["schema"]["fields"]
    frame = pd.read_csv(io.BytesIO(csv), dtype={f["name"]: PANDAS_DTYPES[f["type"]] for f in fields},
                        keep_default_na=False, na_values=[""])
    reports = explore.reports(built_store)
    latest = explore.chosen_reports(reports, years=[max(r.plan_year for r in reports if r.plan_year)])
    at = {c.name: i for i, c in enumerate(COLUMNS)}
    expected = [r for r in panel_rows(built_store) if not in_view or r[at["report"]] in latest]
    assert len(frame) == len(expected) > 0
    assert list(frame["statement"]) == [r[at["statement"]] for r in expected]
    assert list(frame["value"]) == [float(r[at["value"]]) for r in expected]
    assert (set(frame["report"]) <= set(latest)) is in_view  # all reports: the national ones of 2015-2019 too
    # the figures chart of the same page is drawn
    charts = page.locator("[data-testid='stVegaLiteChart'], .vega-embed")
    charts.last.locator("canvas, svg").first.wait_for(timeout=WAIT_MS)
    box = charts.last.locator("canvas, svg").first.bounding_box()
    assert box is not None and box["width"] > 100 and box["height"] > 100
    page.screenshot(path=str(SHOTS / f"panel-download-{'in-view' if in_view else 'all'}.png"), full_page=True)
    context.close()
