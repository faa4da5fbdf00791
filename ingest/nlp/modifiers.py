"""Spans that only modify or describe another word name no thing of their own, read on the
parse.

The linker would mint an individual for each; the constructions:
- a common noun that modifies a noun after it, as a compound: "satellite" in "satellite
  inspection activities", "space service" in "the space service branch" names the kind of
  the thing the head noun names (the activities, the branch), not a space asset (a name,
  "NASA" in "NASA scientist", still names its thing);
- a place's name that modifies a common noun as a compound: "Earth" in "low Earth orbit",
  "Hollywood" in "a Hollywood comedy" is part of the name or the kind of the head's thing,
  not a mention of the place (a system's name, "the Energia system", and an acronym, "the
  COPUOS achievements", are names the model took for places, and stay);
- a common noun that says what another thing is, as a copula's attribute or an apposition:
  "a Russian satellite" in "Kosmos 2553 is a Russian satellite", "the first Iranian military
  satellite" in "Noor-1, the first Iranian military satellite, was launched" names the class
  of the thing the sentence names, not a second space asset;
- adjectives with no noun: the trained NER cut a noun phrase before its noun, "outer" of
  "outer space weapons", "military and civilian" of "military and civilian spacecraft";
- a capability that modifies another noun ("cyber" of "the cyber campaign", "anti-satellite
  missile" of "missile test") is the means of that thing, so it is the capability of whoever
  the sentence gives that thing to: its possessor ("Russia's cyber activities"), the subject
  of a verb it is the object of ("China conducted an anti-satellite missile test"), the
  object of its "by", "from" or "of" ("cyber activities by Russia"); not of another actor
  of the sentence ("solidarity with Germany after the cyber campaign"). A kind noun ("cyber
  capabilities", "counterspace weapons") is the capability itself.
"""

from __future__ import annotations

from spacy.tokens import Span, Token

_BETWEEN_ADJECTIVES = frozenset({"CCONJ", "ADV", "PUNCT"})
_MODIFIER_DEPS = frozenset({"compound", "amod", "nmod"})
_OWNER_PREPS = frozenset({"by", "from", "of"})


def _compound_head(span: Span) -> Token | None:
    """The common noun outside the span that the span modifies as a compound, if any."""
    root = span.root
    head = root.head
    if root.dep_ == "compound" and not span.start <= head.i < span.end and head.pos_ == "NOUN":
        return head
    return None


def modifies_a_noun(span: Span) -> bool:
    """The span is a common noun, in lower case, that modifies a noun outside it as a
    compound ("satellite inspection activities")."""
    return span.text == span.text.lower() and _compound_head(span) is not None


def place_modifies_a_noun(span: Span, system_nouns: frozenset[str]) -> bool:
    """The span modifies a lower-case noun outside it as a compound ("low Earth orbit"), the
    noun no system noun and the span no acronym."""
    head = _compound_head(span)
    return (
        head is not None
        and head.text.islower()
        and head.lemma_ not in system_nouns
        and not span.text.isupper()
    )


def describes_another(span: Span) -> bool:
    """The span, in lower case, is a copula's attribute or an apposition ("X is a satellite",
    "X, the first satellite,")."""
    return span.text == span.text.lower() and span.root.dep_ in ("attr", "appos")


def only_adjectives(span: Span) -> bool:
    """The span is adjectives and what joins them, with no noun ("outer", "military and
    civilian"): a phrase's modifiers, not a name."""
    return any(t.pos_ == "ADJ" for t in span) and all(
        t.pos_ == "ADJ" or t.pos_ in _BETWEEN_ADJECTIVES for t in span
    )


def holds(holder: Span, capability: Span, kind_heads: frozenset[str]) -> bool:
    """The sentence may give `capability` to `holder` (module docstring): the capability
    names itself, or it modifies a noun that the holder owns, does or is the agent of."""
    root = capability.root
    head = root.head
    if (
        root.dep_ not in _MODIFIER_DEPS
        or capability.start <= head.i < capability.end
        or head.pos_ != "NOUN"
        or head.lemma_.lower() in kind_heads
    ):
        return True
    owner = holder.root
    if owner.dep_ == "poss" and owner.head.i == head.i:
        return True
    if head.dep_ in ("dobj", "attr") and owner.dep_ in ("nsubj", "nsubjpass"):
        return owner.head.i == head.head.i
    return (
        owner.dep_ == "pobj" and owner.head.lower_ in _OWNER_PREPS and owner.head.head.i == head.i
    )
