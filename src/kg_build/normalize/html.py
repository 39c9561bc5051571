"""HTML pages → their readable text: scripts, styles, navigation and head dropped, blocks as lines."""

from __future__ import annotations

import re
from html.parser import HTMLParser

__all__ = ["HTML_SUFFIXES", "looks_like_html", "html_to_text"]

_SKIPPED = frozenset({"script", "style", "nav", "head", "noscript", "template", "svg", "iframe", "select", "object"})
_BLOCKS = frozenset(
    {
        "address", "article", "aside", "blockquote", "br", "caption", "dd", "div", "dl", "dt", "figcaption",
        "figure", "footer", "form", "h1", "h2", "h3", "h4", "h5", "h6", "header", "hr", "li", "main", "ol",
        "p", "pre", "section", "table", "tbody", "tfoot", "thead", "tr", "ul", "body", "html",
    }
)  # fmt: skip
_CELLS = frozenset({"td", "th"})
_DOCTYPE = re.compile(r"\A\s*(?:<\?xml[^>]{0,200}>\s*)?(?:<!--.{0,2000}?-->\s*)*<(?:!doctype\s+html|html[\s>])", re.I | re.S)
HTML_SUFFIXES = (".html", ".htm", ".xhtml")
_CJK = "\u3000-\u303f\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\uff00-\uffef"
_WRAP_BETWEEN_CJK = re.compile(rf"(?<=[{_CJK}])[ \t\r\f]*\n\s*(?=[{_CJK}])")
_SPACE_RUN = re.compile(r"\s+")


def looks_like_html(text: str, *, name: str | None = None) -> bool:
    """An HTML page: named .html/.htm/.xhtml, or starting like a document (``<!DOCTYPE html`` or ``<html``).

    Only a real document start counts (after a BOM, whitespace, an XML declaration or comments):
    a text file that quotes a few tags (``a<b``, ``<p>`` in a sentence) stays text.
    """
    if name is not None and name.lower().endswith(HTML_SUFFIXES):
        return True
    return _DOCTYPE.match(text[:8192].lstrip("\ufeff")) is not None


def html_to_text(html: str) -> str:
    """The text a reader sees, one block element per line, entities unescaped."""
    parser = _TextParser()
    parser.feed(html)
    parser.close()
    return "".join(parser.parts)


class _TextParser(HTMLParser):
    """Collects visible text; block boundaries become line breaks."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []
        self._skipping: list[str] = []
        self._pre = 0

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag == "body":
            self._skipping = [t for t in self._skipping if t != "head"]
        if tag in _SKIPPED:
            self._skipping.append(tag)
            return
        if tag == "pre":
            self._pre += 1
        if tag in _BLOCKS and not self._skipping:
            self.parts.append("\n")

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in _BLOCKS and not self._skipping:
            self.parts.append("\n")

    def handle_endtag(self, tag: str) -> None:
        if tag in self._skipping:
            while self._skipping and self._skipping.pop() != tag:
                pass
            return
        if tag == "pre" and self._pre:
            self._pre -= 1
        if self._skipping:
            return
        if tag in _CELLS:
            self.parts.append(" ")
        elif tag in _BLOCKS:
            self.parts.append("\n")

    def handle_data(self, data: str) -> None:
        if self._skipping:
            return
        if not self._pre:
            data = _WRAP_BETWEEN_CJK.sub("", data)
            data = _SPACE_RUN.sub(" ", data)
        self.parts.append(data)
