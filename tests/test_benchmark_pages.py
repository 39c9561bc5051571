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


def test_an_idle_server_is_one_whose_workers_are_idle_too():
    """A server counts as busy while a process it started works (the app's query workers read labels after the
    first page): the tree's CPU time holds every descendant's."""
    import os
    import signal
    import subprocess
    import time

    from benchmarks.app_render import cpu_seconds, tree_cpu_seconds

    spin = "x = 0\nwhile True:\n    x += 1\n"
    parent = subprocess.Popen([sys.executable, "-c", f"import subprocess, sys; subprocess.run([sys.executable, '-c', {spin!r}])"])
    try:
        deadline, child = time.monotonic() + 60, None
        while child is None or cpu_seconds(child) < 0.05:
            assert time.monotonic() < deadline, "the spinning grandchild never ran"
            time.sleep(0.05)
            kids = Path(f"/proc/{parent.pid}/task/{parent.pid}/children").read_text().split()
            child = int(kids[0]) if kids else None
        mine, theirs = cpu_seconds(parent.pid), cpu_seconds(child)
        assert tree_cpu_seconds(parent.pid) >= mine + theirs > mine
    finally:
        if child is not None:
            os.kill(child, signal.SIGKILL)
        parent.kill()
        parent.wait()
