"""The app benchmark (benchmarks/app_render.py) measures every page app.py registers, each with its own content
elements: a page added to the app without an entry in its table would be timed to its title only."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from benchmarks.app_render import PAGE_CONTENT, app_pages, pages  # noqa: E402 - needs the repository root on the path

ENTITY = "https://w3id.org/policy-kg/id/place/fujiansheng-350000"
REPORT = "https://w3id.org/policy-kg/id/report/fujian-2026"
# pages a reader must be able to open fast (issue: each renders in <= 2 s on the million-quad store)
REQUIRED = ["", "sparql", "graph", "entity", "figures", "outcomes", "search", "report", "browse", "ontology"]


@pytest.mark.parametrize("path", app_pages(), ids=lambda p: p or "overview")
def test_every_registered_page_has_its_content_elements(path):
    query, content = PAGE_CONTENT[path]
    assert content and all(selector.strip() for selector in content)


def test_the_measured_pages_are_the_registered_ones():
    measured = pages(ENTITY, REPORT)
    assert [p.path.split("?")[0] for p in measured] == [f"/{path}" for path in app_pages()]
    assert set(REQUIRED) <= set(app_pages())
    assert all(p.content for p in measured)
    by_name = {p.name: p.path for p in measured}
    assert by_name["entity"].endswith("iri=https%3A%2F%2Fw3id.org%2Fpolicy-kg%2Fid%2Fplace%2Ffujiansheng-350000")
    assert by_name["report"].endswith("report%2Ffujian-2026")
