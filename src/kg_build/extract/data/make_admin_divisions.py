"""Generate ``places/admin_divisions.tsv`` (GB/T 2260 codes) from cpca's ``adcodes.csv``, run once by hand.

Usage: ``python src/kg_build/extract/data/make_admin_divisions.py`` (needs ``pip install cpca``,
MIT-licensed; its ``resources/adcodes.csv`` has 12-digit codes and names). The output has one row
per province, prefecture-level and county-level division: ``code  name  level  parent  short``,
with 6-digit codes, ``level`` in province/city/county, ``parent`` the 6-digit code of the enclosing
division (empty for provinces) and ``short`` the name without its administrative suffix and
ethnic words (海淀区→海淀, 广西壮族自治区→广西), empty when that would leave a single character.
The runtime reads only the TSV; nothing imports cpca at build time.
"""

from __future__ import annotations

import csv
from pathlib import Path

SUFFIXES = ("特别行政区", "自治区", "自治州", "自治县", "自治旗", "林区", "地区", "省", "市", "区", "县", "旗", "盟")
PLACEHOLDERS = ("市辖区", "县", "省直辖县级行政区划", "自治区直辖县级行政区划")


def short_name(name: str, nations: list[str]) -> str:
    """The name without its administrative suffix and ethnic words; '' when one character would remain."""
    stem = name
    for suffix in SUFFIXES:
        if stem.endswith(suffix) and len(stem) > len(suffix):
            stem = stem[: -len(suffix)]
            break
    changed = True
    while changed:
        changed = False
        for nation in nations:
            if stem.endswith(nation) and len(stem) > len(nation) + 1:
                stem = stem[: -len(nation)]
                changed = True
        if stem.endswith("各族") and len(stem) > 3:
            stem, changed = stem[:-2], True
    if stem in nations and stem.endswith("族") and len(stem) > 3:
        stem = stem[:-1]
    return stem if len(stem) >= 2 and stem != name else ""


def level_and_parent(code: str, codes: set[str]) -> tuple[str, str]:
    """The level of a 6-digit code and the code of the division that encloses it."""
    if code.endswith("0000"):
        return "province", ""
    if code.endswith("00"):
        return "city", code[:2] + "0000"
    city = code[:4] + "00"
    return "county", city if city in codes else code[:2] + "0000"


def main() -> None:
    """Write places/admin_divisions.tsv next to this script."""
    import cpca  # noqa: PLC0415 — generation-time only

    resources = Path(cpca.__file__).parent / "resources"
    nations = sorted(
        (line.strip() for line in (resources / "56_nations.csv").read_text(encoding="utf-8").splitlines() if line.strip()),
        key=lambda n: (-len(n), n),
    )
    nations += sorted({n[:-1] for n in nations if n.endswith("族") and len(n) > 2}, key=lambda n: (-len(n), n))
    rows: dict[str, str] = {}
    with (resources / "adcodes.csv").open(encoding="utf-8") as handle:
        for record in csv.DictReader(handle):
            code, name = record["adcode"][:6], record["name"].strip()
            if name in PLACEHOLDERS or not name or "岛礁" in name:
                continue
            rows[code] = name
    codes = set(rows)
    out = Path(__file__).parent / "places" / "admin_divisions.tsv"
    with out.open("w", encoding="utf-8", newline="") as handle:
        handle.write("code\tname\tlevel\tparent\tshort\n")
        for code in sorted(rows):
            level, parent = level_and_parent(code, codes)
            handle.write(f"{code}\t{rows[code]}\t{level}\t{parent}\t{short_name(rows[code], nations)}\n")


if __name__ == "__main__":
    main()
