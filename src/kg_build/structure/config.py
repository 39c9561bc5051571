"""The structure parser's data files (keywords, markers, lead-sentence shape), loaded once."""

from __future__ import annotations

import json
import re
from functools import lru_cache
from pathlib import Path
from typing import Any

DATA = Path(__file__).parent / "data"


@lru_cache(maxsize=None)
def load(name: str) -> dict[str, Any]:
    """The parsed JSON data file ``data/<name>.json``."""
    with (DATA / f"{name}.json").open(encoding="utf-8") as handle:
        return json.load(handle)


@lru_cache(maxsize=None)
def compiled(patterns: tuple[str, ...]) -> tuple[re.Pattern[str], ...]:
    """Regular expressions compiled once per tuple of patterns."""
    return tuple(re.compile(p) for p in patterns)


def fill_years(pattern: str, *, plan_year: int | None, review_year: int | None) -> str | None:
    """``pattern`` with {plan_year}/{review_year} filled in; None when a needed year is unknown."""
    if "{plan_year}" in pattern:
        if plan_year is None:
            return None
        pattern = pattern.replace("{plan_year}", str(plan_year))
    if "{review_year}" in pattern:
        if review_year is None:
            return None
        pattern = pattern.replace("{review_year}", str(review_year))
    return pattern
