"""Web-page chrome lines (下载, 打印, 【字号：大 中 小】, breadcrumbs, 责任编辑) dropped; the rules are in data/chrome.json."""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources

__all__ = ["drop_chrome", "CHROME_MAX_CHARS"]

CHROME_MAX_CHARS = 60  # longer lines are always report text


@dataclass(frozen=True)
class _Rules:
    lines: frozenset[str]
    widget_openers: tuple[str, ...]
    widget_items: frozenset[str]
    widget_closer: str
    credit_prefixes: tuple[str, ...]
    breadcrumb_roots: tuple[str, ...]
    breadcrumb_separators: tuple[str, ...]


def drop_chrome(lines: list[str], *, simplified: Callable[[str], str]) -> list[str]:
    """The lines that are not chrome, judged by their simplified form, in order."""
    rules = _rules()
    kept: list[str] = []
    in_widget = False
    for line in lines:
        probe = simplified(line) if len(line) <= CHROME_MAX_CHARS else None
        if probe is None:
            in_widget = False
            kept.append(line)
            continue
        if in_widget and (probe in rules.widget_items or probe == rules.widget_closer):
            in_widget = probe != rules.widget_closer
            continue
        in_widget = False
        widget = _widget(probe, rules)
        if widget is not None:
            in_widget = widget
            continue
        if not _is_chrome(probe, rules):
            kept.append(line)
    return kept


def _widget(line: str, rules: _Rules) -> bool | None:
    """None when not a font-size widget line; else whether the widget goes on over the next lines."""
    for opener in rules.widget_openers:
        if line.startswith(opener):
            rest = line[len(opener) :]
            closed = rest.endswith(rules.widget_closer)
            words = rest.removesuffix(rules.widget_closer).split()
            if all(w in rules.widget_items or set(w) <= set("大中小") for w in words):
                return not closed
    return None


def _is_chrome(line: str, rules: _Rules) -> bool:
    """A button, an editor credit or a breadcrumb trail."""
    if line in rules.lines or line.startswith(rules.credit_prefixes):
        return True
    for root in rules.breadcrumb_roots:
        if line.startswith(root):
            rest = line[len(root) :].lstrip(" ")
            return rest.startswith(rules.breadcrumb_separators)
    return False


@lru_cache(maxsize=1)
def _rules() -> _Rules:
    """The chrome rules from the data file."""
    raw = json.loads(resources.files("kg_build.normalize").joinpath("data/chrome.json").read_text(encoding="utf-8"))
    return _Rules(
        lines=frozenset(raw["lines"]),
        widget_openers=tuple(raw["widget_openers"]),
        widget_items=frozenset(raw["widget_items"]),
        widget_closer=raw["widget_closer"],
        credit_prefixes=tuple(raw["credit_prefixes"]),
        breadcrumb_roots=tuple(raw["breadcrumb_roots"]),
        breadcrumb_separators=tuple(raw["breadcrumb_separators"]),
    )
