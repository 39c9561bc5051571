"""The sidecar ``NAME.meta.json`` next to a report: read, type-checked, unknown keys warned about."""

from __future__ import annotations

import datetime as dt
import json
import re
from pathlib import Path
from typing import Any

from kg_build.errors import InputError

__all__ = ["sidecar_path", "read_sidecar", "LEVELS"]

LEVELS = ("nation", "province", "prefecture", "city", "district", "county", "township")
_TEXT_KEYS = ("region", "city", "province", "level", "title", "publisher", "source_url")
_YEAR_KEYS = ("plan_year", "review_year")
_SILENT_KEYS = ("notes",)
_ISO_DATE = re.compile(r"\d{4}(?:-\d{2}(?:-\d{2})?)?")


def sidecar_path(report: Path) -> Path | None:
    """NAME.meta.json (or NAME.ext.meta.json) beside the report, when one exists."""
    for candidate in (report.with_name(report.stem + ".meta.json"), report.with_name(report.name + ".meta.json")):
        if candidate.is_file():
            return candidate
    return None


def read_sidecar(path: Path) -> tuple[dict[str, Any], list[str]]:
    """The sidecar's fields (checked, None values dropped) and warnings about keys it does not know."""
    name = path.name
    try:
        raw = path.read_bytes().decode("utf-8-sig")
    except OSError as err:
        raise InputError(f"{name}: cannot be read ({err.strerror or err}); check its permissions") from None
    except UnicodeDecodeError:
        raise InputError(f"{name}: not UTF-8; save the sidecar as UTF-8 JSON") from None
    try:
        data = json.loads(raw)
    except json.JSONDecodeError as err:
        raise InputError(f"{name}: not valid JSON (line {err.lineno}, column {err.colno}: {err.msg}); fix the sidecar") from None
    if not isinstance(data, dict):
        raise InputError(f"{name}: must hold a JSON object of report fields (region, plan_year, ...); fix the sidecar")
    fields: dict[str, Any] = {}
    warnings: list[str] = []
    for key in sorted(data):
        value = data[key]
        if key in _SILENT_KEYS:
            continue
        if value is None:
            continue
        if key == "id":
            fields[key] = _report_id(name, value)
        elif key in _TEXT_KEYS:
            fields[key] = _text(name, key, value)
        elif key in _YEAR_KEYS:
            fields[key] = _year(name, key, value)
        elif key == "authors":
            fields[key] = _authors(name, value)
        elif key == "published":
            fields[key] = _date(name, value)
        else:
            warnings.append(f"{name}: unknown key {key!r} ignored")
    if "level" in fields and fields["level"] not in LEVELS:
        warnings.append(f"{name}: level {fields['level']!r} is not one of {', '.join(LEVELS)}")
    return {k: v for k, v in fields.items() if v not in ("", ())}, warnings


def _report_id(name: str, value: object) -> str:
    """An explicit report id: what names the report's IRI when region and year are not enough."""
    text = _text(name, "id", value)
    if not re.fullmatch(r"[a-z0-9]+(?:-[a-z0-9]+)*", text):
        raise InputError(f"{name}: 'id' must be lowercase ASCII words joined by hyphens (e.g. chaoyang-beijing-2026); fix the sidecar")
    return text


def _text(name: str, key: str, value: object) -> str:
    """A string field, stripped."""
    if not isinstance(value, str):
        raise InputError(f"{name}: {key!r} must be a string, not {_shown(value)}; fix the sidecar")
    return value.strip()


def _year(name: str, key: str, value: object) -> int:
    """A year like 2026 (a number, or digits in a string)."""
    if isinstance(value, str) and value.strip().isdigit():
        value = int(value.strip())
    if isinstance(value, bool) or not isinstance(value, int) or not 1900 <= value <= 2200:
        raise InputError(f"{name}: {key!r} must be a year like 2026, not {_shown(value)}; fix the sidecar")
    return value


def _authors(name: str, value: object) -> tuple[str, ...]:
    """A list of author names."""
    if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
        raise InputError(f"{name}: 'authors' must be a list of names like [\"陆晓凤\"], not {_shown(value)}; fix the sidecar")
    return tuple(v.strip() for v in value if v.strip())


def _date(name: str, value: object) -> str:
    """An ISO date: 2026-02-02 (or 2026-02, 2026)."""
    if isinstance(value, str) and _ISO_DATE.fullmatch(value.strip()):
        text = value.strip()
        try:
            if len(text) == 10:
                dt.date.fromisoformat(text)
            elif len(text) == 7:
                dt.date.fromisoformat(text + "-01")
            return text
        except ValueError:
            pass
    raise InputError(f"{name}: 'published' must be an ISO date like 2026-02-02, not {_shown(value)}; fix the sidecar")


def _shown(value: object) -> str:
    """A short rendering of a bad value for a message."""
    text = json.dumps(value, ensure_ascii=False)
    return text if len(text) <= 40 else text[:37] + "..."
