"""The research panel: `kg-build export --format panel` writes panel.csv and datapackage.json; the CSV read with the
datapackage's types gives the saved query's rows; the same store gives the same bytes; bad output paths are one-line
errors that leave the folder as it was."""

from __future__ import annotations

import hashlib
import json
import shutil
from pathlib import Path

import pandas as pd
import pytest
from click.testing import CliRunner

from kg_build.build import build
from kg_build.cli import main
from kg_build.panel import COLUMNS, PANDAS_DTYPES, panel_files, unit_labels
from kg_build.queries import get_saved_query
from kg_build.resources import bundled_reports_dir
from kg_build.store import LocalStore

REPORTS = ("national-2016", "national-2017", "huli-2026")


@pytest.fixture(scope="module")
def store_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    texts = tmp_path_factory.mktemp("panel-reports")
    for name in REPORTS:
        for suffix in (".txt", ".meta.json"):
            shutil.copy(bundled_reports_dir() / f"{name}{suffix}", texts / f"{name}{suffix}")
    root = tmp_path_factory.mktemp("panel-store")
    build([texts], store=LocalStore(root))
    return root


@pytest.fixture(scope="module")
def exported(store_dir: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("panel-out") / "panel"
    result = CliRunner().invoke(main, ["export", "--store", str(store_dir), "--format", "panel", "-o", str(out)])
    assert result.exit_code == 0, result.output
    return out


def read_panel(folder: Path) -> pd.DataFrame:
    """pandas.read_csv with the types the datapackage declares (what a researcher would do)."""
    package = json.loads((folder / "datapackage.json").read_text(encoding="utf-8"))
    resource = package["resources"][0]
    schema, dialect = resource["schema"], resource["dialect"]
    dtypes = {f["name"]: PANDAS_DTYPES[f["type"]] for f in schema["fields"]}
    return pd.read_csv(folder / resource["path"], dtype=dtypes, sep=dialect["delimiter"], quotechar=dialect["quoteChar"],
                       encoding=resource["encoding"], keep_default_na=False, na_values=schema["missingValues"])


def plain(value: object) -> object:
    return None if pd.isna(value) else value


def test_the_csv_read_with_the_datapackage_types_gives_the_saved_query_rows(store_dir: Path, exported: Path) -> None:
    frame = read_panel(exported)
    from_csv = [tuple(plain(v) for v in row) for row in frame.itertuples(index=False)]
    result = LocalStore(store_dir).query(get_saved_query("panel").bind(page=None))
    variables = [str(v).lstrip("?") for v in result.variables]
    counted = unit_labels(LocalStore(store_dir))  # the unit-label columns the saved query does not give
    expected = []
    for row in result.rows:
        values = dict(zip(variables, row))
        cells = []
        for column in COLUMNS:
            term = values.get(column.variable)
            if column.variable not in variables:
                term = counted[str(values["statement"])][0 if column.variable == "unitLabel" else 1]
            text = None if term is None else str(term)
            cells.append(text if text is None or column.type == "string" else
                         int(text[:4]) if column.type == "integer" else float(text))
        expected.append(tuple(cells))
    assert len(from_csv) > 20
    assert from_csv == expected
    assert list(frame.columns) == [c.name for c in COLUMNS]


COLUMN_TYPES = [
    ("region_code", "string"), ("year", "Int64"), ("period_start", "Int64"), ("value", "float64"),
    ("upper", "float64"), ("indicator", "string"), ("report", "string"),
]


@pytest.mark.parametrize(("column", "dtype"), COLUMN_TYPES)
def test_columns_load_with_their_types(exported: Path, column: str, dtype: str) -> None:
    assert str(read_panel(exported)[column].dtype) == dtype


# (region, indicator, year, kind, comparator, value, upper, level, code) — read from the texts
ROWS = [
    ("中华人民共和国", "gdp-growth", 2016, "target", "Between", 6.5, 7.0, "NationalLevel", None),  # 6.5%－7%
    ("中华人民共和国", "gdp-growth", 2016, "achievement", "Equal", 6.7, None, "NationalLevel", None),  # 74.4 / ​ / 万亿元，增长6.7%
    ("中华人民共和国", "gdp-growth", 2017, "target", "About", 6.5, None, "NationalLevel", None),
    ("中华人民共和国", "urban-new-jobs", 2016, "achievement", "Equal", 13140000.0, None, "NationalLevel", None),
    ("湖里区", "urban-new-jobs", 2026, "target", "AtLeast", 30000.0, None, "CountyLevel", "350206"),  # 新增城镇就业3万人以上
]


@pytest.mark.parametrize(("region", "indicator", "year", "kind", "comparator", "value", "upper", "level", "code"), ROWS)
def test_rows_read_from_the_reports(exported: Path, region, indicator, year, kind, comparator, value, upper, level,
                                    code) -> None:
    frame = read_panel(exported)
    hits = frame[(frame.region == region) & (frame.indicator == indicator) & (frame.year == year) & (frame.kind == kind)]
    assert len(hits) >= 1, frame[(frame.region == region) & (frame.indicator == indicator)].to_string()
    first = hits.iloc[0]
    assert (first.comparator, first.value, plain(first.upper)) == (comparator, value, upper)
    assert (first.level, plain(first.region_code)) == (level, code)
    assert first.report.startswith("https://") and first.sentence


# (region, indicator, year, kind, unit, what it is counted in as written and in English)
UNIT_LABELS = [
    ("中华人民共和国", "urban-new-jobs", 2016, "achievement", "NUM", "人", "persons"),  # 城镇新增就业1314万人
    ("湖里区", "urban-new-jobs", 2026, "target", "NUM", "人", "persons"),  # 新增城镇就业3万人以上
    ("中华人民共和国", "gdp-growth", 2016, "target", "PERCENT", "%", "%"),  # no counted noun: the unit's symbol
]


@pytest.mark.parametrize(("region", "indicator", "year", "kind", "unit", "zh", "en"), UNIT_LABELS)
def test_the_panel_says_what_each_figure_counts(exported: Path, region, indicator, year, kind, unit, zh, en) -> None:
    frame = read_panel(exported)
    hits = frame[(frame.region == region) & (frame.indicator == indicator) & (frame.year == year) & (frame.kind == kind)]
    assert len(hits) >= 1
    assert {(u, z, e) for u, z, e in zip(hits.unit, hits.unit_label, hits.unit_label_en)} == {(unit, zh, en)}


def test_every_figure_has_its_unit_label(exported: Path) -> None:
    frame = read_panel(exported)
    assert not frame.unit_label.isna().any() and not frame.unit_label_en.isna().any()
    columns = list(frame.columns)
    assert columns.index("unit_label") == columns.index("unit") + 1 == columns.index("unit_label_en") - 1


def test_one_row_per_statement_and_kind(exported: Path) -> None:
    frame = read_panel(exported)
    assert not frame.duplicated(["statement", "kind"]).any()
    assert set(frame.kind) <= {"target", "achievement", "baseline"}


def test_same_store_same_bytes_and_the_package_describes_the_file(store_dir: Path, exported: Path, tmp_path: Path) -> None:
    again = tmp_path / "again"
    result = CliRunner().invoke(main, ["export", "--store", str(store_dir), "--format", "panel", "-o", str(again)])
    assert result.exit_code == 0, result.output
    for name in ("panel.csv", "datapackage.json"):
        assert (again / name).read_bytes() == (exported / name).read_bytes()
    assert panel_files(LocalStore(store_dir))["panel.csv"] == (exported / "panel.csv").read_bytes()
    resource = json.loads((exported / "datapackage.json").read_text(encoding="utf-8"))["resources"][0]
    data = (exported / "panel.csv").read_bytes()
    assert resource["hash"] == "sha256:" + hashlib.sha256(data).hexdigest() and resource["bytes"] == len(data)
    assert data.endswith(b"\n") and b"\r" not in data


BAD = [
    (["-o", "{file}"], "is a file"),
    ([], "give it with --output"),
    (["-o", "{dir}", "--report", "huli-2026"], "--report does not apply"),
]


@pytest.mark.parametrize(("args", "message"), BAD)
def test_bad_output_is_a_one_line_error_and_leaves_files_alone(store_dir: Path, tmp_path: Path, args, message) -> None:
    a_file = tmp_path / "taken.txt"
    a_file.write_text("keep me", encoding="utf-8")
    folder = tmp_path / "out"
    folder.mkdir()
    (folder / "panel.csv").write_text("old", encoding="utf-8")
    argv = [a.format(file=a_file, dir=folder) for a in args]
    result = CliRunner().invoke(main, ["export", "--store", str(store_dir), "--format", "panel", *argv])
    assert result.exit_code != 0
    assert message in result.output and "Traceback" not in result.output
    assert a_file.read_text(encoding="utf-8") == "keep me"
    assert (folder / "panel.csv").read_text(encoding="utf-8") == "old"


# (reports asked for, reports the rows come from)
CHOSEN = [
    (("national-2016",), {"national-2016"}),
    (("national-2016", "huli-2026"), {"national-2016", "huli-2026"}),
    ((), set()),
]


@pytest.mark.parametrize(("chosen", "held"), CHOSEN)
def test_the_download_holds_the_chosen_reports_rows_in_a_stable_zip(store_dir: Path, chosen, held) -> None:
    import io
    import zipfile

    from kg_build.model.iri import report_iri
    from kg_build.panel import panel_zip

    store = LocalStore(store_dir)
    files = panel_files(store, reports=[str(report_iri(r)) for r in chosen])
    assert panel_zip(files) == panel_zip(panel_files(store, reports=[str(report_iri(r)) for r in chosen]))
    with zipfile.ZipFile(io.BytesIO(panel_zip(files))) as archive:
        csv = archive.read("policy-kg-panel/panel.csv")
        package = json.loads(archive.read("policy-kg-panel/datapackage.json"))
    assert csv == files["panel.csv"] and package["resources"][0]["hash"].endswith(hashlib.sha256(csv).hexdigest())
    lines = csv.decode("utf-8").splitlines()
    assert lines[0].startswith("region_code,region,level,year")
    at = [c.name for c in COLUMNS].index("report")
    reports = {line.split(",")[at].rsplit("/", 1)[-1] for line in lines[1:]} if held else set()
    assert reports == held and (len(lines) > 1) is bool(held)


# (how many of the panel's statements are asked for: none, one, a few, all of them by name)
SOME = [0, 1, 5, None]


@pytest.mark.parametrize("count", SOME)
def test_the_unit_labels_of_some_statements_are_those_of_all(store_dir: Path, count) -> None:
    store = LocalStore(store_dir)
    every = unit_labels(store)
    asked = sorted(every)[:count] if count is not None else sorted(every)
    assert unit_labels(store, asked) == {s: every[s] for s in asked}
    assert len(every) > 20 and ("人", "persons") in every.values()
