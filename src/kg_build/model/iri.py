"""Deterministic, readable, collision-free IRIs for everything the graph mints.

Rules (VOCABULARY.md, "Graph layout"):
- everything lives below ``https://w3id.org/policy-kg/id/``; ASCII, lowercase;
- report-scoped things hang under the report: ``report/huli-2026/section/1/pillar/2``;
- shared entities are ``{family}/{slug}``: the label romanized (pinyin by word), plus an
  8-hex digest of the label unless the label already *is* its slug (``k11``), since
  romanizing loses information (山西/陕西, 厦门/大厦, ABC-Mall/abc mall). The segment names the
  class's family, not the class, so a thing one report types Project and another Platform (or
  Company and Organization) has one IRI (``kg_build.extract.resolve.FAMILIES``);
- places with a GB/T 2260 code are ``place/{pinyin}-{code}``: the code keeps 山西省
  (140000) and 陕西省 (610000) apart although both romanize to "shanxi".
"""

from __future__ import annotations

import hashlib
import re
import unicodedata
from functools import lru_cache

from rdflib.term import URIRef

from kg_build.document import EntityType, Span
from kg_build.extract.resolve import FAMILIES
from kg_build.model.vocab import DATA_NS
from kg_build.resources import permanent_module

CLASS_SEGMENTS: dict[str, str] = {kind.value: family for kind, family in FAMILIES.items()} | {"Indicator": "indicator"}

_MAX_SLUG = 48
_NON_SLUG = re.compile(r"[^a-z0-9]+")


def digest(text: str, *, length: int = 8) -> str:
    """A short, stable hex digest of a label (NFC, UTF-8, SHA-1)."""
    return hashlib.sha1(unicodedata.normalize("NFC", text).encode("utf-8")).hexdigest()[:length]


@lru_cache(maxsize=65536)
def romanize(text: str) -> str:
    """Lowercase ASCII words for a label: pinyin by words for Chinese, letters and digits kept."""
    words: list[str] = []
    for chunk in re.findall(r"[\u3400-\u9fff]+|[A-Za-z0-9]+", text):
        words.append(chunk.lower() if chunk[0].isascii() else han_pinyin(chunk))
    slug = _NON_SLUG.sub("-", "-".join(words).lower()).strip("-")
    return slug[:_MAX_SLUG].rstrip("-")


def han_pinyin(chunk: str) -> str:
    """Toneless pinyin of a run of Han characters, as ``pypinyin.lazy_pinyin`` gives it, joined.

    lazy_pinyin cuts the run into words (its phrase dictionary decides readings like 重庆's
    chong) and reads each word on its own; labels share most of their words, so each word is
    read once here.
    """
    cut = permanent_module("pypinyin.seg.simpleseg").seg  # lazy: only the model layer needs it
    return "".join(_word_pinyin(word) for word in cut(chunk))


@lru_cache(maxsize=65536)
def _word_pinyin(word: str) -> str:
    pypinyin = permanent_module("pypinyin")
    return "".join(pypinyin.lazy_pinyin([word], style=pypinyin.Style.NORMAL, errors="ignore"))


def slug(label: str) -> str:
    """A readable slug that no other label shares: the romanization, plus a digest unless lossless."""
    base = romanize(label)
    if base and base == label:
        return base
    return f"{base}-{digest(label)}" if base else digest(label)


def report_iri(report_id: str) -> URIRef:
    return URIRef(f"{DATA_NS}report/{report_id}")


def text_iri(report_id: str) -> URIRef:
    """The report's nif:Context."""
    return URIRef(f"{DATA_NS}report/{report_id}/text")


def span_iri(report_id: str, span: Span) -> URIRef:
    """A nif:String, named by RFC 5147 character offsets."""
    return URIRef(f"{DATA_NS}report/{report_id}/text#char={span.begin},{span.end}")


def section_iri(report_id: str, section_no: int) -> URIRef:
    return URIRef(f"{DATA_NS}report/{report_id}/section/{section_no}")


def pillar_iri(section: URIRef, pillar_no: int) -> URIRef:
    return URIRef(f"{section}/pillar/{pillar_no}")


def measure_iri(parent: URIRef, measure_no: int) -> URIRef:
    return URIRef(f"{parent}/measure/{measure_no}")


def statement_iri(report_id: str, span: Span) -> URIRef:
    return URIRef(f"{DATA_NS}report/{report_id}/statement/{span.begin}-{span.end}")


def entity_iri(type_name: str, label: str, *, admin_code: str | None = None) -> URIRef:
    """A shared entity: one IRI per (class family, canonical label), or per code for coded places."""
    segment = CLASS_SEGMENTS[type_name]
    if admin_code:
        return URIRef(f"{DATA_NS}{segment}/{romanize(label) or 'place'}-{admin_code}")
    return URIRef(f"{DATA_NS}{segment}/{slug(label)}")


def indicator_iri(label: str) -> URIRef:
    return entity_iri("Indicator", label)


def honor_conferral_iri(honor: URIRef, recipient: URIRef, year: int | None) -> URIRef:
    """One honour, one recipient, one year: named by the three."""
    h = honor.rsplit("/", 1)[-1]
    r = recipient.rsplit("/", 1)[-1]
    return URIRef(f"{DATA_NS}honor-conferral/{h}/{r}/{year if year is not None else 'undated'}")
