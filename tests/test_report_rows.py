"""The explorer's list of reports (region, plan year, level, counts) is recorded by the build and equals a count made
through the store's queries after every change: a build, another report, a removal, a rebuild with --force."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from kg_build.cli import main
from kg_build.explore import _select, report_rows, reports
from kg_build.store import LocalStore
from kg_build.store.local import RecordError, read_record

REPORTS = Path(__file__).resolve().parents[1] / "data" / "reports"

# each step changes the store; after each, the recorded rows equal the rows counted then
STEPS = [
    (["build", "huli-2026"], ["huli-2026"]),
    (["build", "national-2019"], ["huli-2026", "national-2019"]),  # huli's row carried over, 2019's new
    (["remove", "huli-2026"], ["national-2019"]),
    (["build", "national-2019", "--force"], ["national-2019"]),
]


def test_the_build_records_each_reports_row_and_carries_it_over(tmp_path: Path) -> None:
    root = tmp_path / "store"
    for (command, name, *extra), expected in STEPS:
        args = [command, str(REPORTS / f"{name}.txt")] if command == "build" else [command, name]
        result = CliRunner().invoke(main, [*args, *extra, "--store", str(root)])
        assert result.exit_code == 0, result.output
        store = LocalStore(root)
        recorded = store.info()["stats"]["report_rows"]
        assert sorted(r["iri"].rsplit("/", 1)[-1] for r in recorded) == expected
        counted = report_rows(lambda query, s=store: _select(s, query))
        assert reports(store) == counted
        assert all(r.region and r.plan_year and r.counts["measures"] > 0 for r in counted)


BAD_ROWS = [
    ("not a list", {"report_rows": {}}),
    ("a row without its iri", {"report_rows": [{"title": "t"}]}),
    ("counts that are not counts", {"report_rows": [{"iri": "https://x/r", "title": "t", "region": "", "region_iri": "",
                                                     "plan_year": 2026, "counts": {"pillars": -1}, "level": ""}]}),
    ("a plan year that is text", {"report_rows": [{"iri": "https://x/r", "title": "t", "region": "", "region_iri": "",
                                                   "plan_year": "2026", "counts": {}, "level": ""}]}),
    ("a field no reader knows", {"report_rows": [{"iri": "https://x/r", "title": "t", "region": "", "region_iri": "",
                                                  "plan_year": None, "counts": {}, "level": "", "extra": 1}]}),
]


@pytest.mark.parametrize(("case", "rows"), BAD_ROWS, ids=[c for c, _ in BAD_ROWS])
def test_a_malformed_record_of_report_rows_is_refused(tmp_path: Path, case: str, rows: dict) -> None:
    record = {"default_graph": "set-union", "graph_quads": {}, "quads": 0, "stats": {"reports": [], "classes": [], **rows}}
    (tmp_path / "policy-kg.json").write_text(json.dumps(record), encoding="utf-8")
    with pytest.raises(RecordError, match="report_rows"):
        read_record(tmp_path)


def test_the_recorded_class_counts_are_distinct_instances(tmp_path: Path) -> None:
    """Two reports that name the same places: the build's COUNT(*) over its set-union default graph gives what
    COUNT(DISTINCT) gives through a reader's query."""
    from kg_build.stats import _counts, _guarded

    root = tmp_path / "store"
    for name in ("fujian-2026", "huli-2026"):
        result = CliRunner().invoke(main, ["build", str(REPORTS / f"{name}.txt"), "--store", str(root)])
        assert result.exit_code == 0, result.output
    store = LocalStore(root)
    recorded = [tuple(c) for c in store.info()["stats"]["classes"]]
    _, counted = _counts(lambda text, _union: _guarded(store, text))
    assert recorded == counted
    assert dict(recorded)["Place"] > 0
