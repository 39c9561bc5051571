"""The app's links to its own pages: a table's many links made at once are the links made one by one."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "pages"))
import _ui  # noqa: E402

IRIS_AND_TEXTS = [
    ("https://w3id.org/policy-kg/id/statement/huli-2026-0001", "固定资产投资超640亿元"),
    ("https://w3id.org/policy-kg/id/x#a b", "城镇 新增#就业"),  # a fragment, a space, a # in the text
    ("http://example.org/é?x=1&y=2", ""),  # a query string, a non-ASCII letter, no text
    ("urn:x:广东", "a&b=c/%"),
]


@pytest.mark.parametrize("language", ["zh", "en"])
def test_many_labelled_links_are_each_labelled_link(language):
    iris, texts = zip(*IRIS_AND_TEXTS, strict=True)
    one_by_one = [_ui.labelled_link(iri, text, language=language) for iri, text in IRIS_AND_TEXTS]
    assert _ui.labelled_links(iris, texts, language=language) == one_by_one
    assert all(link.startswith("./entity?iri=") for link in one_by_one)
    assert ("&lang=en" in one_by_one[0]) is (language == "en")
