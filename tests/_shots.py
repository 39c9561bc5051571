"""Where the browser tests keep their screenshots: tests/output/screenshots/ (CI prints the folder at its end).

``shot(page, "report-en")`` writes ``report-en.png`` there; ``SHOTS`` is the folder, for tests that name
their own paths. Screenshots are looked at by people, never compared by the tests.
"""

from __future__ import annotations

import re
from pathlib import Path

SHOTS = Path(__file__).resolve().parent / "output" / "screenshots"
SHOTS.mkdir(parents=True, exist_ok=True)
_NAME = re.compile(r"[A-Za-z0-9][A-Za-z0-9._-]*")


def shot(page, name: str, *, full_page: bool = True) -> Path:  # noqa: ANN001 - a Playwright page
    """Save a screenshot of ``page`` as ``SHOTS/name.png`` and return its path."""
    if not _NAME.fullmatch(name):
        raise ValueError(f"a screenshot's name is letters, digits, '.', '_' and '-': {name!r}")
    SHOTS.mkdir(parents=True, exist_ok=True)
    path = SHOTS / f"{name}.png"
    page.screenshot(path=str(path), full_page=full_page)
    return path
