"""The spaCy pipeline: blank Chinese with jieba, plus components that read names, configured from data.

Built once per process (``get_pipeline``). Components write ``doc._.policy_candidates`` (every
candidate mention, exact character offsets) and ``doc._.policy_mentions`` (after overlaps are
settled); ``doc.spans["names"]`` holds the same mentions as token spans, for display.
"""

from __future__ import annotations

import logging

from functools import lru_cache
from pathlib import Path

import spacy
import srsly
from spacy.language import Language
from spacy.tokens import Doc

from kg_build.document import Mention, Span
from kg_build.extract.entities import find_names, settle
from kg_build.extract.gazetteers import (
    ReportContext,
    find_companies,
    find_government_bodies,
    find_places,
    national_body,
)
from kg_build.extract.tokens import TokenIndex

DATA = Path(__file__).parent / "data"
CONTEXT_KEY = "policy_context"
CONFIG = {"nlp": {"tokenizer": {"segmenter": "jieba"}}}

for _name in ("policy_candidates", "policy_mentions"):
    if not Doc.has_extension(_name):
        Doc.set_extension(_name, default=None)


def _context(doc: Doc) -> ReportContext:
    return doc.user_data.get(CONTEXT_KEY) or ReportContext()


def _tokens(doc: Doc) -> TokenIndex:
    return TokenIndex.of([(t.idx, t.idx + len(t.text)) for t in doc if t.text.strip()])


def _add(doc: Doc, mentions: list[Mention]) -> None:
    doc._.policy_candidates = list(doc._.policy_candidates or []) + list(mentions)


class GazetteerReader:
    """Places, companies and government bodies known in advance."""

    def __call__(self, doc: Doc) -> Doc:
        context, tokens = _context(doc), _tokens(doc)
        national = [national_body(s.text, Span(s.start_char, s.end_char), "national-body") for s in doc.spans.get("ruler", [])]
        found = find_places(doc.text, tokens, context) + find_companies(doc.text, tokens)
        found += national + find_government_bodies(doc.text, tokens, context, taken=tuple(m.span for m in national))
        _add(doc, found)
        return doc


class NameReader:
    """Structural names: head words, quoted names, enumerations."""

    def __call__(self, doc: Doc) -> Doc:
        _add(doc, find_names(doc.text, _tokens(doc), excluded=_context(doc).excluded))
        return doc


class MentionSettler:
    """One reading per stretch of text; writes ``doc._.policy_mentions`` and ``doc.spans["names"]``."""

    def __call__(self, doc: Doc) -> Doc:
        mentions = settle(list(doc._.policy_candidates or []))
        doc._.policy_mentions = mentions
        spans = []
        for mention in mentions:
            span = doc.char_span(mention.span.begin, mention.span.end, label=mention.type.value, alignment_mode="expand")
            if span is not None:
                spans.append(span)
        doc.spans["names"] = spans
        return doc


@Language.factory("policy_gazetteer")
def make_gazetteer(nlp: Language, name: str) -> GazetteerReader:
    """Component: gazetteer mentions (data/companies.tsv, data/places/, data/government_bodies.json)."""
    return GazetteerReader()


@Language.factory("policy_names")
def make_names(nlp: Language, name: str) -> NameReader:
    """Component: structural names (data/patterns_names.jsonl, data/name_words.json)."""
    return NameReader()


@Language.factory("policy_mentions")
def make_mentions(nlp: Language, name: str) -> MentionSettler:
    """Component: settle overlapping candidates into the mentions of the document."""
    return MentionSettler()


@lru_cache(maxsize=1)
def get_pipeline() -> Language:
    """The pipeline, built once per process: jieba tokens, token patterns, gazetteers, names, settling."""
    import jieba  # noqa: PLC0415 - spaCy loads it; quiet its start-up chatter on stderr

    jieba.setLogLevel(logging.WARNING)
    nlp = spacy.blank("zh", config=CONFIG)
    ruler = nlp.add_pipe("span_ruler", name="policy_ruler", config={"spans_key": "ruler", "validate": True})
    ruler.add_patterns(list(srsly.read_jsonl(DATA / "patterns_tokens.jsonl")))
    nlp.add_pipe("policy_gazetteer")
    nlp.add_pipe("policy_names")
    nlp.add_pipe("policy_mentions")
    return nlp


def run(text: str, context: ReportContext) -> Doc:
    """Run the pipeline over a text with the report's context; mentions in ``doc._.policy_mentions``."""
    nlp = get_pipeline()
    doc = nlp.make_doc(text)
    doc.user_data[CONTEXT_KEY] = context
    for _, component in nlp.pipeline:
        doc = component(doc)
    return doc
