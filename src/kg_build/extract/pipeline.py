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
from spacy.attrs import IDX, IS_SPACE, LENGTH
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
from kg_build.resources import permanent_tables

DATA = Path(__file__).parent / "data"
CONTEXT_KEY = "policy_context"
TEXT_KEY, TOKENS_KEY = "policy_text", "policy_tokens"  # read once per document, shared by the components
CONFIG = {"nlp": {"tokenizer": {"segmenter": "jieba"}}}

for _name in ("policy_candidates", "policy_mentions"):
    if not Doc.has_extension(_name):
        Doc.set_extension(_name, default=None)


def _context(doc: Doc) -> ReportContext:
    return doc.user_data.get(CONTEXT_KEY) or ReportContext()


def _text(doc: Doc) -> str:
    """The document's text (``doc.text`` joins every token anew on each call)."""
    if TEXT_KEY not in doc.user_data:
        doc.user_data[TEXT_KEY] = doc.text
    return doc.user_data[TEXT_KEY]


def _tokens(doc: Doc) -> TokenIndex:
    """Offsets of the tokens that are not whitespace, read from the token array once per document."""
    if TOKENS_KEY not in doc.user_data:
        array = doc.to_array([IDX, LENGTH, IS_SPACE])
        words = array[array[:, 2] == 0]
        begins, ends = words[:, 0].tolist(), (words[:, 0] + words[:, 1]).tolist()
        doc.user_data[TOKENS_KEY] = TokenIndex.of(list(zip(begins, ends)))
    return doc.user_data[TOKENS_KEY]


def _add(doc: Doc, mentions: list[Mention]) -> None:
    doc._.policy_candidates = list(doc._.policy_candidates or []) + list(mentions)


class GazetteerReader:
    """Places, companies and government bodies known in advance."""

    def __call__(self, doc: Doc) -> Doc:
        context, tokens = _context(doc), _tokens(doc)
        national = [national_body(s.text, Span(s.start_char, s.end_char), "national-body") for s in doc.spans.get("ruler", [])]
        text = _text(doc)
        found = find_places(text, tokens, context) + find_companies(text, tokens)
        found += national + find_government_bodies(text, tokens, context, taken=tuple(m.span for m in national))
        _add(doc, found)
        return doc


class NameReader:
    """Structural names: head words, quoted names, enumerations."""

    def __call__(self, doc: Doc) -> Doc:
        _add(doc, find_names(_text(doc), _tokens(doc), excluded=_context(doc).excluded))
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
    with permanent_tables():  # spaCy's language data and jieba's dictionary: loaded once, kept
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
    doc.user_data[TEXT_KEY] = text  # what doc.text would join again: the tokens are cut from this text
    for _, component in nlp.pipeline:
        doc = component(doc)
    return doc
