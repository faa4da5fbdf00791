"""Model spans cut to the names they hold, before the linker looks them up.

The statistical NER runs a name into its neighbours in a few constructions, and each run-on
span became an individual of its own beside the one the plain name gives:
- a gloss opened in parentheses and cut by the span's end: "First Committee (Disarmament and
  International Security" is the First Committee;
- a finite verb after the name in a headline or sentence: "The Conference meets annually",
  and an imperative before it in a headline: "Station Maneuvers to Avoid Orbital Debris";
- a possessor before the name: "the MoD's Space Directorate" is two things, the MoD and its
  Space Directorate;
- a serial name followed by its class noun: "the Noor-2 satellite" is Noor-2, not a generic
  satellite phrase;
- an author before a document noun of the ontology: "EU Statement" is the EU and a statement
  (the annotators mark them so), while "Washington Treaty" or "Pyongyang Declaration", named
  after a place, is one document (the linker decides who counts as an author).
"""

from __future__ import annotations

import re
from collections.abc import Callable
from functools import lru_cache

from rdflib import RDFS, URIRef
from spacy.tokens import Span

from ingest.vocab import SKG

# "Kosmos 2542", "Yaogan-30", "Noor-2": a product name with a serial number.
SERIAL_NAME = re.compile(r"^[A-Z][A-Za-z]+[- ]\d{1,4}[A-Z]?$")
_FINITE_VERB_TAGS = frozenset({"VBZ", "VBD", "VBP"})
_POSSESSIVE = frozenset({"'s", "’s", "'", "’"})


def _cut(span: Span, start: int, end: int) -> Span:
    if (start, end) == (span.start, span.end):
        return span
    return Span(span.doc, start, end, label=span.label, span_id=span.id)


def name_part(span: Span) -> Span | None:
    """The span without an unclosed parenthesised gloss or a trailing finite verb."""
    start, end = span.start, span.end
    doc = span.doc
    for i in range(start, end):
        if doc[i].text == "(" and not any(doc[j].text == ")" for j in range(i + 1, end)):
            end = i
            break
    while (
        end - start > 1 and doc[end - 1].pos_ == "VERB" and doc[end - 1].tag_ in (_FINITE_VERB_TAGS)
    ):
        end -= 1
    while end > start and doc[end - 1].is_punct and doc[end - 1].text not in {".", ")"}:
        end -= 1
    if end <= start:
        return None
    return _cut(span, start, end)


def without_leading_verb(span: Span) -> Span | None:
    """ "Orbital Debris" of a headline's "Avoid Orbital Debris"; None when no base-form verb
    leads the span or nothing follows it."""
    start = span.start
    while start < span.end and span.doc[start].pos_ == "VERB" and span.doc[start].tag_ == "VB":
        start += 1
    if start in (span.start, span.end):
        return None
    return _cut(span, start, span.end)


def split_possessor(span: Span) -> tuple[Span | None, Span]:
    """(possessor, possessed) of "X's Name" inside one span; (None, span) when there is none.

    The possessed part must hold a proper noun ("the MoD's Space Directorate"), else the
    possessive is part of a title the model read whole."""
    doc = span.doc
    for i in range(span.start + 1, span.end - 1):
        if doc[i].tag_ == "POS" or doc[i].text in _POSSESSIVE:
            after = doc[i + 1 : span.end]
            if any(t.pos_ == "PROPN" for t in after):
                return _cut(span, span.start, i), _cut(span, i + 1, span.end)
            break
    return None, span


def serial_name(span: Span) -> str | None:
    """ "Noor-2" of "Noor-2 satellite": a serial name before one singular class noun."""
    if len(span) < 2:
        return None
    head = span[-1]
    if head.pos_ != "NOUN" or head.tag_ != "NN" or not head.is_lower:
        return None
    name = span.doc[span.start : span.end - 1].text.strip()
    return name if SERIAL_NAME.match(name) else None


@lru_cache(maxsize=1)
def document_classes() -> dict[str, str]:
    """One-word labels of the ontology's Document classes -> the class name ("statement" ->
    "Statement"), the label the trained NER gives such a span."""
    from ingest.ontology import ontology_graph

    graph = ontology_graph()
    found: dict[str, str] = {}
    for cls in graph.transitive_subjects(RDFS.subClassOf, SKG.Document):
        if cls == SKG.Document or not isinstance(cls, URIRef):
            continue
        for label in graph.objects(cls, RDFS.label):
            if " " not in str(label):
                found[str(label).casefold()] = str(cls).removeprefix(str(SKG))
    return found


def split_author(span: Span) -> tuple[Span, Span] | None:
    """(author, document) of "EU Statement": a name before one capitalised document noun of
    the ontology, the noun labelled with its class; None when the span does not end so."""
    if len(span) < 2 or not span[-1].is_title:
        return None
    cls = document_classes().get(span[-1].lower_)
    if cls is None:
        return None
    author = _cut(span, span.start, span.end - 1)
    return author, Span(span.doc, span.end - 1, span.end, label=cls)


def names_in(
    span: Span, is_name: Callable[[str], bool], is_author: Callable[[str], bool]
) -> list[Span]:
    """The names a trimmed model span holds: itself without a run-on gloss or verb, an author
    and a document, or a possessor and its possession. A span with a ruler hint or a known
    name (`is_name`) stays whole ("People's Liberation Army"); the possessor must be a known
    name or an acronym ("MoD"), not a word of a title."""
    part = name_part(span)
    if part is None:
        return []
    if part.id_ or is_name(part.text):
        return [part]
    part = without_leading_verb(part) or part
    authored = split_author(part)
    if authored is not None and is_author(authored[0].text):
        return list(authored)
    possessor, possessed = split_possessor(part)
    if possessor is None:
        return [part]
    text = possessor.text
    if is_name(text) or (len(possessor) == 1 and any(c.isupper() for c in text[1:])):
        return [possessor, possessed]
    return [part]
