"""What is known about a report: its sidecar ``NAME.meta.json``, else its header lines, else its file name.

Sidecar values win over header values; each field falls back on its own.
``report_id`` is ``slugify_name(region)-plan_year`` when the sidecar names the
region, else the file-name stem as ``[a-z0-9-]`` (see ``slug.py`` for the scheme).
"""

from __future__ import annotations

import hashlib
import re
from dataclasses import fields as dataclass_fields
from pathlib import Path
from typing import Any

from kg_build.document import NormalizedText, ReportMeta
from kg_build.metadata.header import read_header
from kg_build.metadata.sidecar import MAX_ID, check_years, read_sidecar, sidecar_path
from kg_build.metadata.slug import ascii_slug, level_of, slugify_name

__all__ = ["check_sidecar", "read_meta", "slugify_name", "report_id_for"]

_META_FIELDS = frozenset(f.name for f in dataclass_fields(ReportMeta))
_STEM_YEAR = re.compile(r"(?<!\d)((?:19|20)\d{2})(?!\d)")


def read_meta(path: Path, text: NormalizedText) -> ReportMeta:
    """The report's metadata, from its sidecar (when present), its header lines and its file name."""
    path = Path(path)
    header = read_header(text.text)
    sidecar = sidecar_path(path)
    side, warnings = read_sidecar(sidecar) if sidecar is not None else ({}, [])
    if sidecar is not None:
        for key in ("region", "plan_year"):
            if key in side and key in header and side[key] != header[key]:
                warnings.append(
                    f"{sidecar.name}: {key} {side[key]!r} differs from the report's header ({header[key]!r}); "
                    f"the sidecar's value is used"
                )
    merged: dict[str, Any] = {k: v for k, v in header.items() if k in _META_FIELDS}
    if "region" in side and side["region"] != header.get("region"):
        for key in ("city", "province", "level"):
            merged.pop(key, None)  # they described the header's region, not this one
    merged.update(side)
    if "plan_year" in side and "review_year" not in side:
        merged["review_year"] = side["plan_year"] - 1
    if "level" not in merged and merged.get("region"):
        level = level_of(merged["region"])
        if level:
            merged["level"] = level
    if "plan_year" not in merged and (m := _STEM_YEAR.search(path.stem)):
        merged["plan_year"] = int(m.group(1))
        merged["review_year"] = merged["plan_year"] - 1
    if sidecar is not None and ("plan_year" in side or "review_year" in side):
        check_years(sidecar.name, merged.get("plan_year"), merged.get("review_year"))
    merged["report_id"] = side.get("id") or report_id_for(
        path, region=side.get("region"), plan_year=merged.get("plan_year")
    )
    merged.pop("id", None)
    merged["source_file"] = _readable(path.name)
    merged["warnings"] = tuple(warnings)
    return ReportMeta(**merged)


def check_sidecar(report: Path) -> None:
    """Check the report's sidecar alone (InputError if it is malformed): cheap enough to do for every report up front."""
    sidecar = sidecar_path(Path(report))
    if sidecar is not None:
        read_sidecar(sidecar)


def report_id_for(path: Path, *, region: str | None, plan_year: int | None) -> str:
    """``slug-year`` from a sidecar's region and plan year, else the file-name stem as [a-z0-9-]; at most 64 characters."""
    slug = slugify_name(region) if region else ""
    if slug:
        return _capped(f"{slug}-{plan_year}" if plan_year is not None else slug, source=f"{region}\n{plan_year}")
    stem = Path(path).stem
    return _capped(ascii_slug(stem) or "report", source=stem)


def _capped(report_id: str, *, source: str) -> str:
    """An id kept short: past MAX_ID characters, its start and a digest of what it was made from (still unique)."""
    if len(report_id) <= MAX_ID:
        return report_id
    digest = hashlib.sha1(source.encode("utf-8", "surrogateescape")).hexdigest()[:8]
    return f"{report_id[: MAX_ID - 9].rstrip('-')}-{digest}"


def _readable(name: str) -> str:
    """A file name as Unicode text: bytes that were not UTF-8 (kept by Python as lone surrogates) become U+FFFD."""
    return name.encode("utf-8", "surrogateescape").decode("utf-8", "replace")
