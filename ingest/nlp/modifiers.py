"""Spans that only modify another word name no thing of their own, read on the parse.

The linker would mint an individual for each; the constructions:
- a common noun that modifies a noun after it, as a compound: "satellite" in "satellite
  inspection activities", "space service" in "the space service branch" names the kind of
  the thing the head noun names (the activities, the branch), not a space asset (a name,
  "NASA" in "NASA scientist", still names its thing);
- adjectives with no noun: the trained NER cut a noun phrase before its noun, "outer" of
  "outer space weapons", "military and civilian" of "military and civilian spacecraft".
"""

from __future__ import annotations

from spacy.tokens import Span

_BETWEEN_ADJECTIVES = frozenset({"CCONJ", "ADV", "PUNCT"})


def modifies_a_noun(span: Span) -> bool:
    """The span is a common noun, in lower case, that modifies a noun outside it as a
    compound ("satellite inspection activities")."""
    root = span.root
    return (
        span.text == span.text.lower()
        and root.dep_ == "compound"
        and not span.start <= root.head.i < span.end
        and root.head.pos_ == "NOUN"
    )


def only_adjectives(span: Span) -> bool:
    """The span is adjectives and what joins them, with no noun ("outer", "military and
    civilian"): a phrase's modifiers, not a name."""
    return any(t.pos_ == "ADJ" for t in span) and all(
        t.pos_ == "ADJ" or t.pos_ in _BETWEEN_ADJECTIVES for t in span
    )
