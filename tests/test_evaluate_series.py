"""kg-build eval on series gold: targets and the outcomes later reports state, found with their standard indicator
and comparator, joined by target-vs-outcome with the verdict a reader gives; bad series files are one-line errors."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest
from click.testing import CliRunner

from kg_build.build import build
from kg_build.cli import main
from kg_build.evaluate import eval_command_output
from kg_build.evaluate.series import evaluate_series, reader_verdict
from kg_build.resources import bundled_reports_dir
from kg_build.store import LocalStore

GOLD = Path(__file__).parent / "gold" / "series" / "national-2016-2017.json"


@pytest.fixture(scope="module")
def store(tmp_path_factory: pytest.TempPathFactory) -> LocalStore:
    texts = tmp_path_factory.mktemp("series-reports")
    for name in ("national-2016", "national-2017"):
        for suffix in (".txt", ".meta.json"):
            shutil.copy(bundled_reports_dir() / f"{name}{suffix}", texts / f"{name}{suffix}")
    built = LocalStore(tmp_path_factory.mktemp("series-store"))
    build([texts], store=built)
    return built


def _gold() -> dict:
    return json.loads(GOLD.read_text(encoding="utf-8"))


# (indicator, comparator, value, upper, unit, outcome, verdict)
VERDICTS = [
    ("gdp-growth", "approx", 7, None, "PERCENT", 6.9, "met"),  # within 0.5 points below
    ("gdp-growth", "approx", 7, None, "PERCENT", 6.4, "missed"),
    ("gdp-growth", "approx", 7, None, "PERCENT", 9.0, "met"),  # a floor: above is met
    ("cpi-growth", "approx", 3, None, "PERCENT", 2.0, "met"),  # a ceiling: below is met
    ("cpi-growth", "approx", 3, None, "PERCENT", 3.6, "missed"),
    ("gdp-growth", "between", 6.5, 7, "PERCENT", 6.7, "met"),
    ("gdp-growth", "between", 6.5, 7, "PERCENT", 6.4, "missed"),
    ("urban-new-jobs", "ge", 10000000, None, "NUM", 13140000, "met"),
    ("urban-new-jobs", "ge", 10000000, None, "NUM", 9999999, "missed"),
    ("urban-new-jobs", "approx", 10000000, None, "NUM", 9600000, "met"),  # 5% of the target
    ("urban-new-jobs", "approx", 10000000, None, "NUM", 9400000, "missed"),
    ("urban-registered-unemployment", "le", 4.5, None, "PERCENT", 4.02, "met"),
    ("urban-registered-unemployment", "lt", 4.5, None, "PERCENT", 4.5, "missed"),
    ("trade-growth", "gt", 6, None, "PERCENT", 6, "missed"),
    ("trade-growth", "eq", 6, None, "PERCENT", 5.99, "missed"),
]


@pytest.mark.parametrize(("indicator", "comparator", "value", "upper", "unit", "outcome", "verdict"), VERDICTS)
def test_the_readers_verdict(indicator, comparator, value, upper, unit, outcome, verdict) -> None:
    target = {"indicator": indicator, "comparator": comparator, "value": value, "upper": upper, "unit": unit}
    assert reader_verdict(target, {"value": outcome}) == verdict


def test_every_entry_found_and_every_pair_joined_with_the_readers_verdict(store: LocalStore) -> None:
    result = evaluate_series(store, _gold())
    assert result.counts() == {"found": (8, 8), "standard indicator": (8, 8), "comparator": (8, 8),
                               "pairs joined": (4, 4), "verdicts right": (4, 4)}
    assert {(p.indicator, p.verdict) for p in result.pairs} == {
        ("gdp-growth", "met"), ("urban-registered-unemployment", "met"), ("energy-intensity-reduction", "met"),
        ("urban-new-jobs", "met")}


# an entry changed so that the store cannot hold it: (entry index, change, what the result says)
CHANGED = [
    (1, {"value": 6.8}, "pairs joined"),  # the outcome's value is not the one stated: not found, pair not joined
    (0, {"comparator": "approx", "upper": None, "value": 6.5}, "comparator"),  # the target is a range, not 左右
    (3, {"indicator": "urban-surveyed-unemployment"}, "standard indicator"),
]


@pytest.mark.parametrize(("index", "change", "score"), CHANGED)
def test_a_wrong_gold_entry_lowers_its_score(store: LocalStore, index: int, change: dict, score: str) -> None:
    gold = _gold()
    gold["entries"][index].update(change)
    counts = evaluate_series(store, gold).counts()
    correct, total = counts[score]
    assert correct < total


def test_the_command_prints_a_table_and_json(store: LocalStore) -> None:
    text = CliRunner().invoke(main, ["eval", str(GOLD), "--store", str(store.root)])
    assert text.exit_code == 0, text.output
    assert "pairs joined            1.000             4/4" in text.output
    assert "gdp-growth" in text.output and "national-2017" in text.output
    as_json = json.loads(eval_command_output(store, GOLD, fmt="json"))
    assert as_json["scores"]["verdicts right"] == {"correct": 4, "total": 4, "rate": 1.0}
    assert len(as_json["pairs"]) == 4


BAD = [
    ({"entries": []}, "entries must be a non-empty list"),
    ({"entries": [{"report": "national-2016"}]}, "entries[0].indicator must be a non-empty string"),
    ({"entries": [dict(_gold()["entries"][0], kind="plan")]}, "entries[0].kind must be one of"),
    ({"entries": [dict(_gold()["entries"][0], upper=None)]}, "entries[0].upper must be given for a range"),
    ({"entries": [dict(_gold()["entries"][0], year="2016")]}, "entries[0].year must be a whole number"),
]


@pytest.mark.parametrize(("body", "message"), BAD)
def test_a_bad_series_file_is_a_one_line_error(store: LocalStore, tmp_path: Path, body: dict, message: str) -> None:
    path = tmp_path / "bad.json"
    path.write_text(json.dumps({"format": "policy-kg series gold v1", **body}), encoding="utf-8")
    result = CliRunner().invoke(main, ["eval", str(path), "--store", str(store.root)])
    assert result.exit_code != 0 and message in result.output
    assert "Traceback" not in result.output and len(result.output.strip().splitlines()) == 1


def test_report_does_not_apply_to_a_series_file(store: LocalStore) -> None:
    result = CliRunner().invoke(main, ["eval", str(GOLD), "--store", str(store.root), "--report", "national-2016"])
    assert result.exit_code != 0 and "--report does not apply" in result.output
