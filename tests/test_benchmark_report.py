"""The scale table's growth columns (benchmarks/report.py): a ratio of the larger store's figure over the smaller's,
the smaller's taken in turn with the larger's when the run timed them so, else as it was measured on its own."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from benchmarks.report import scale_section  # noqa: E402 - needs the repository root on the path


def _store(quads: int) -> dict:
    return {"quads": quads, "reports": quads // 1000, "copies": 1, "seconds": 1.0, "load_seconds": 0.5}


def _query(ms: float) -> dict:
    return {"oxigraph": {"queries": {"targets": {"runs": [ms / 1000] * 5, "rows": 100}}}}


def _search(ms: float) -> dict:
    return {"经济": {"runs": [ms / 1000] * 5, "total": 10, "hits": 10}}


CASES = [
    # (the small store's own query and search ms, the baseline's timed beside the big store (None: not timed),
    #  the big store's, the growth the table shows for the query and for the search)
    ((10, 10), None, (30, 30), ("3.0×", "3.0×")),
    ((10, 10), (20, 20), (30, 30), ("1.5×", "1.5×")),  # the machine was slower while the big store was measured
    ((20, 20), (10, 10), (30, 30), ("3.0×", "3.0×")),  # … or faster: the pair decides either way
    ((10, 10), (20, None), (30, 30), ("1.5×", "3.0×")),  # only the queries timed in turn: the search keeps its own
]


@pytest.mark.parametrize(("own", "beside", "big", "growth"), CASES)
def test_growth_compares_figures_timed_in_turn_when_the_run_has_them(own, beside, big, growth):
    small = {"store": _store(1000), "queries": _query(own[0]), "search": _search(own[1])}
    large = {"store": _store(10000), "queries": _query(big[0]), "search": _search(big[1])}
    if beside and beside[0] is not None:
        large["queries"]["baseline"] = _query(beside[0])["oxigraph"]
    if beside and beside[1] is not None:
        large["search_baseline"] = {"store": "small", "quads": 1000, "texts": _search(beside[1])}
    summary: list = []
    lines = scale_section({"scale": {"1000": small, "10000": large}}, {}, summary)
    query_row = next(line for line in lines if line.startswith("| targets |"))
    search_row = next(line for line in lines if line.startswith("| 经济 |"))
    assert query_row.split(" | ")[7] == growth[0]
    assert search_row.split(" | ")[7] == growth[1]
    within = dict((name, value) for name, value, *_ in summary)
    assert within["Saved queries within 2× of 1k at 10k"] == ("1 of 1" if growth[0] == "1.5×" else "0 of 1")
    assert ("timed again while the 10k store was measured" in "\n".join(lines)) == (beside is not None)


ANCHORS = [
    ("Run 18: the ten-million store shaped like every county's reports", "run-18-the-ten-million-store-shaped-like-every-countys-reports"),
    ("What bounds each figure (runs 1–7)", "what-bounds-each-figure-runs-17"),
    ("Run 16: shared-initiatives within 100 ms, and a build's counts", "run-16-shared-initiatives-within-100-ms-and-a-builds-counts"),
    ("Run 20: `/outcomes` at 10M", "run-20-outcomes-at-10m"),
]


@pytest.mark.parametrize(("heading", "anchor"), ANCHORS)
def test_a_notes_heading_links_as_github_anchors_it(heading, anchor):
    from benchmarks.report import _anchor

    assert _anchor(heading) == anchor


def test_the_notes_index_links_every_run_newest_first(tmp_path):
    from benchmarks.report import notes_index

    notes = tmp_path / "NOTES.md"
    notes.write_text("## Run 2: b\n\ntext\n\n### Run 9: not a run\n\n## Run 1: a\n\n## Other benchmarks\n\n## What bounds each figure (runs 1–7)\n", encoding="utf-8")
    assert notes_index(notes) == "[Run 2](#run-2-b), [Run 1](#run-1-a) and [What bounds each figure](#what-bounds-each-figure-runs-17)"
