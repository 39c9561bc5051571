"""The research panel: one tidy CSV row per statement of a standard indicator, with a Frictionless datapackage.

``kg-build export --format panel -o DIR`` writes ``DIR/panel.csv`` and ``DIR/datapackage.json``. The rows are
the saved query ``panel`` (queries/panel.rq) run on the guarded path, so ``kg-build query panel`` gives the same
rows; this module only names the columns, writes the CSV and describes it, and adds what each figure is counted
in (``unit_label``, ``unit_label_en``: 人 / persons, else the unit's symbol) from one more query. The datapackage gives each column a
Frictionless type (string, integer, number), a description, the CSV dialect and the file's sha256, so the file
loads as it is into pandas (``PANDAS_DTYPES``), R (``frictionless::read_package``) and Stata (``import delimited``,
UTF-8, comma, header row).

The same store gives the same bytes: the query orders its rows completely, values are written as the store's
lexical forms, the CSV has ``\\n`` line ends and minimal quoting, and the JSON is written with sorted keys.
"""

from __future__ import annotations

import csv
import hashlib
import io
import json
import zipfile
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from rdflib.term import Node

from kg_build.engine import QueryLimits, run_query
from kg_build.engine.limits import every_row_limits
from kg_build.queries import get_saved_query, needs_sparql11

__all__ = ["COLUMNS", "CSV_NAME", "PACKAGE_NAME", "PANDAS_DTYPES", "Column", "panel_files", "panel_rows", "panel_csv",
           "panel_zip", "datapackage", "unit_labels"]

CSV_NAME = "panel.csv"
PACKAGE_NAME = "datapackage.json"


def panel_limits() -> QueryLimits:
    """A panel lists every figure of the store: every row's limits (the installation's ceiling, no row cap), its
    query built by the package itself."""
    return every_row_limits().with_(check=False)


@dataclass(frozen=True)
class Column:
    name: str  # the CSV column
    variable: str  # the saved query's variable it is read from
    type: str  # Frictionless: string | integer | number
    description: str
    format: str = "default"  # Frictionless format: default | uri


COLUMNS = (
    Column("region_code", "regionCode", "string",
           "GB/T 2260 administrative division code of the region (empty where it has none, e.g. the nation)"),
    Column("region", "regionName", "string", "The region's name (simplified Chinese)"),
    Column("level", "level", "string",
           "Administrative level of the region: NationalLevel, ProvincialLevel, PrefecturalLevel or CountyLevel"),
    Column("year", "year", "integer", "The year the figure is for (pol:refYear); the last year of a multi-year figure"),
    Column("period_start", "periodStart", "integer",
           "First year of a figure that covers several years (pol:periodStart); empty for one year"),
    Column("indicator", "slug", "string", "Slug of the standard indicator (e.g. gdp-growth, cpi-growth, urban-new-jobs)"),
    Column("kind", "kind", "string",
           "target (planned), achievement (a reported result) or baseline (the starting point of a stated change)"),
    Column("comparator", "comparator", "string",
           "Equal, About (左右), AtLeast (以上), MoreThan (超过), AtMost (以内), LessThan (低于) or Between (a range)"),
    Column("value", "value", "number", "The stated figure; the lower end of a range"),
    Column("upper", "upper", "number", "The upper end of a range (comparator Between); empty otherwise"),
    Column("unit", "unit", "string", "Unit: a QUDT unit's local name (PERCENT, NUM, TONNE, CNY …) or a pol: unit"),
    Column("unit_label", "unitLabel", "string",
           "What the figure is counted in, as the report writes it: the counted noun of a count (pol:unitLabel: 人, "
           "家, 个), else the unit's symbol (%, 元, 吨)"),
    Column("unit_label_en", "unitLabelEn", "string",
           "The same in English: persons, companies, items (pol:unitLabel @en), else the unit's name (%, yuan, t)"),
    Column("modality", "modality", "string", "Firm, or Aspirational (力争, 争取)"),
    Column("report", "report", "string", "IRI of the report that states the figure", "uri"),
    Column("sentence", "sentence", "string", "The sentence the figure is read from"),
    Column("statement", "statement", "string", "IRI of the statement in the knowledge graph", "uri"),
)

# What each Frictionless type is read as by pandas.read_csv(dtype=...): nullable, so empty cells stay missing.
PANDAS_DTYPES = {"string": "string", "integer": "Int64", "number": "float64", "year": "Int64"}


def _cell(column: Column, value: Node | None) -> str:
    text = "" if value is None else str(value)
    if column.type == "integer":  # xsd:gYear's lexical form may carry a time zone (2025Z): the year alone
        text = text[:4] if text[:4].isdigit() else ""
    return text


# What a figure is counted in, for every statement of a standard indicator (the panel's statements), in one query:
# read beside the saved query, whose rows stay those of `kg-build query panel`, only for the unit-label columns the
# query does not give itself.
_UNIT_LABELS = """
PREFIX pol: <https://w3id.org/policy-kg/def#>
PREFIX qudt: <http://qudt.org/schema/qudt/>
SELECT DISTINCT ?statement ?unit ?unitLabel ?unitLabelEn WHERE {
  %s
  ?statement pol:standardIndicator ?std_ ; qudt:unit ?unit .
  OPTIONAL { ?statement pol:unitLabel ?unitLabel FILTER(LANGMATCHES(LANG(?unitLabel), "zh-Hans")) }
  OPTIONAL { ?statement pol:unitLabel ?unitLabelEn FILTER(LANGMATCHES(LANG(?unitLabelEn), "en")) }
}
"""


def unit_labels(store: object, statements: Iterable[str] | None = None) -> dict[str, tuple[str, str]]:
    """``{statement IRI: (label as written, English label)}`` for every statement of a standard indicator (or only
    the ``statements`` given: a few IRIs cost a few lookups, not a pass over the store): the counted noun
    (pol:unitLabel) in both languages, else the unit's symbol and English name, else its local name."""
    from kg_build.explore import iri_term, prefixed_name, unit_symbol  # noqa: PLC0415 - the unit tables

    if statements is None:
        found = run_query(store, _UNIT_LABELS % "", panel_limits()).rows
    else:
        wanted = sorted(set(statements))
        found = []
        for start in range(0, len(wanted), 400):
            values = "VALUES ?statement { " + " ".join(iri_term(i) for i in wanted[start:start + 400]) + " }"
            found += run_query(store, _UNIT_LABELS % values, panel_limits()).rows
    labels: dict[str, tuple[str, str]] = {}
    for statement, unit, zh, en in sorted(found, key=lambda r: tuple("" if v is None else str(v) for v in r)):
        if str(statement) in labels:
            continue  # two labels in one language: the first in order, every time
        unit_iri = str(unit)
        if unit_symbol(unit_iri) == prefixed_name(unit_iri):  # a unit the tables do not name: its local name
            local = unit_iri.rsplit("/", 1)[-1].rsplit("#", 1)[-1]
            named = (local, local)
        else:
            named = (unit_symbol(unit_iri), unit_symbol(unit_iri, lang="en"))
        labels[str(statement)] = (str(zh) if zh is not None else named[0], str(en) if en is not None else named[1])
    return labels


def panel_rows(store: object, *, region: str | None = None, indicator: str | None = None) -> list[tuple[str, ...]]:
    """The panel's rows as CSV cells (``COLUMNS`` order): every statement of a standard indicator, or those of
    one region (its name) and one standard indicator (slug or Chinese name)."""
    params = {k: v for k, v in (("region", region), ("indicator", indicator)) if v}
    run = run_query(store, get_saved_query("panel").bind(params, page=None, sparql11=needs_sparql11(store)), panel_limits())  # every page
    at = {name: i for i, name in enumerate(run.variables)}
    missing = [c for c in COLUMNS if c.variable not in at]
    labels = unit_labels(store) if missing else {}
    side = {"unitLabel": 0, "unitLabelEn": 1}
    return [
        tuple(
            _cell(c, row[at[c.variable]]) if c.variable in at
            else labels.get(str(row[at["statement"]]), ("", ""))[side[c.variable]]
            for c in COLUMNS
        )
        for row in run.rows
    ]


def panel_csv(rows: Sequence[Sequence[str]]) -> bytes:
    """The rows as UTF-8 CSV with a header row, comma-separated, ``\\n`` line ends, quoted only where needed."""
    out = io.StringIO()
    writer = csv.writer(out, delimiter=",", quotechar='"', doublequote=True, lineterminator="\n",
                        quoting=csv.QUOTE_MINIMAL)
    writer.writerow([c.name for c in COLUMNS])
    writer.writerows(rows)
    return out.getvalue().encode("utf-8")


def datapackage(data: bytes, *, title: str = "Policy KG research panel") -> bytes:
    """The Frictionless data package (v1) describing ``panel.csv`` whose bytes are ``data``."""
    package = {
        "name": "policy-kg-panel",
        "title": title,
        "profile": "tabular-data-package",
        "resources": [{
            "name": "panel",
            "path": CSV_NAME,
            "profile": "tabular-data-resource",
            "format": "csv",
            "mediatype": "text/csv",
            "encoding": "utf-8",
            "bytes": len(data),
            "hash": "sha256:" + hashlib.sha256(data).hexdigest(),
            "dialect": {"delimiter": ",", "lineTerminator": "\n", "quoteChar": '"', "doubleQuote": True,
                        "header": True, "skipInitialSpace": False},
            "schema": {
                "fields": [{"name": c.name, "type": c.type, "format": c.format, "description": c.description}
                           for c in COLUMNS],
                "missingValues": [""],
                "primaryKey": ["statement", "kind"],
            },
        }],
    }
    return (json.dumps(package, ensure_ascii=False, indent=2, sort_keys=True) + "\n").encode("utf-8")


def panel_files(store: object, *, region: str | None = None, indicator: str | None = None,
                reports: Iterable[str] | None = None) -> dict[str, bytes]:
    """``{"panel.csv": …, "datapackage.json": …}``: the bytes of the two files, the same for the same store.
    ``reports``: only the rows of these reports (their IRIs); None for every report."""
    rows = panel_rows(store, region=region, indicator=indicator)
    if reports is not None:
        wanted = set(reports)
        report = [c.name for c in COLUMNS].index("report")
        rows = [r for r in rows if r[report] in wanted]
    data = panel_csv(rows)
    return {CSV_NAME: data, PACKAGE_NAME: datapackage(data)}


def panel_zip(files: dict[str, bytes]) -> bytes:
    """The panel's files in one zip archive (a download), byte-stable: fixed dates and order, deflated."""
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as archive:
        for name in sorted(files):
            info = zipfile.ZipInfo(f"policy-kg-panel/{name}", date_time=(1980, 1, 1, 0, 0, 0))
            info.compress_type = zipfile.ZIP_DEFLATED
            info.external_attr = 0o644 << 16
            archive.writestr(info, files[name])
    return out.getvalue()
