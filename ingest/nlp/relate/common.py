"""What every part of relation extraction shares: constants, `Reading`, small parse helpers."""

from __future__ import annotations

import re
from dataclasses import dataclass

from rdflib import URIRef
from spacy.tokens import Span, Token

from ingest.dates import DateValue
from ingest.extraction import (
    Entity,
)
from ingest.nlp import lexicon as lx
from ingest.vocab import SKG

# The NER's event spans renamed by the events pass: (start, end) -> the event they name.
Renamed = dict[tuple[int, int], Entity]

# spaCy forbids "." in factory names (error E853), so the contract's "spacekg_relations.v1"
# is registered as "spacekg_relations_v1"; callers should use this constant.
FACTORY = "spacekg_relations_v1"
DEFAULT_LINK_SCORE = 0.9  # when the linker gave no score
EVENT_SCORE = 0.95  # how sure we are that a specific event mention names an event
MAX_FACTS_PER_SENTENCE = 200  # a pathological sentence (a long list) must not explode

_SUBJECT_DEPS = frozenset({"nsubj", "csubj"})
_PASSIVE_SUBJECT_DEPS = frozenset({"nsubjpass", "csubjpass"})
_OBJECT_DEPS = frozenset({"dobj", "obj"})
_MODIFIER_DEPS = frozenset({"compound", "nmod", "amod"})
_RELATIVE_PRONOUNS = frozenset({"that", "which", "who", "whom", "whose"})
_COPULAS = frozenset({"be", "become", "remain"})
_DATE_PREPS = frozenset({"on", "in", "during", "since", "from", "of", "at"})
_DAY_RANGE = re.compile(
    r"^(\d{1,2})(?:st|nd|rd|th)?\s*(?:and|to|-|–|&)\s*\d{1,2}(?:st|nd|rd|th)?\s+"
)
_ANAPHORIC_DETS = frozenset({"this", "that", "the", "these", "those"})


@dataclass(frozen=True, slots=True)
class Reading:
    """One entity a token stands for, with how directly the parse says so."""

    entity: Entity
    classes: frozenset[URIRef]
    score: float
    factor: float = 1.0  # < 1 when reached through coreference or a weak modifier path


def _link_score(span: Span) -> float:
    score = float(span._.link_score or 0.0)
    return score if score > 0 else DEFAULT_LINK_SCORE


# Verbs of impact that are no `targeted` trigger of their own but whose subject event hit.
_EXTRA_TARGET_LEMMAS = frozenset({"impact", "affect"})


def _range(span: Span) -> range:
    return range(span.start, span.end)


def _unique(readings: list[Reading]) -> list[Reading]:
    seen: dict[URIRef, Reading] = {}
    for reading in readings:
        best = seen.get(reading.entity.iri)
        if best is None or best.score * best.factor < reading.score * reading.factor:
            seen[reading.entity.iri] = reading
    return list(seen.values())


_FAMILIES = (SKG.Capability, SKG.Actor, SKG.SpaceAsset, SKG.Place, SKG.Event, SKG.Document)


def _same_family(a: frozenset[URIRef], b: frozenset[URIRef]) -> bool:
    return any(f in a and f in b for f in _FAMILIES)


def _is_capability_or_none(classes: frozenset[URIRef]) -> bool:
    return SKG.Capability in classes


def _is_hostile(cls: URIRef) -> bool:
    return cls in (SKG.Attack, SKG.CyberAttack, SKG.ASATTest, SKG.MilitaryOperation)


_PARENT = {
    SKG.CyberAttack: SKG.Attack,
    SKG.Summit: SKG.Meeting,
    SKG.MinisterialMeeting: SKG.Meeting,
}


def _refines(specific: URIRef, general: URIRef) -> bool:
    """True when `specific` is `general` or one of its subclasses among event classes."""
    node: URIRef | None = specific
    while node is not None:
        if node == general:
            return True
        node = _PARENT.get(node)
    return False


def _compatible_class(a: URIRef, b: URIRef) -> bool:
    return _refines(a, b) or _refines(b, a)


def _compatible_class_set(classes: frozenset[URIRef], cls: URIRef) -> bool:
    """A curated event's classes fit a mention's class (same, or one refines the other)."""
    return any(_compatible_class(c, cls) for c in classes if c != SKG.Event)


def _better_date(current: DateValue | None, found: DateValue | None) -> DateValue | None:
    """The date an event mention keeps: the first found, unless it was relative ("last
    year") and an explicit one turns up ("on 15 November 2021")."""
    if current is None or (current.relative and found is not None and not found.relative):
        return found if found is not None else current
    return current


def _surface(token: Token) -> str:
    """The event noun with its modifiers, without determiners or possessors: 'first session'."""
    left = [
        t
        for t in token.subtree
        if t.i <= token.i and t.dep_ not in ("det", "poss", "case", "predet") and not t.is_punct
    ]
    left = [t for t in left if not any(a.dep_ == "poss" for a in t.ancestors if a.i < token.i)]
    if not left:
        return ""
    return token.doc[left[0].i : token.i + 1].text.strip()


def _is_anaphoric(token: Token, nouns: frozenset[str]) -> bool:
    """'this test', 'the incident': a definite bare noun of `nouns`."""
    return token.lemma_.lower() in nouns and any(
        c.dep_ == "det" and c.lower_ in _ANAPHORIC_DETS for c in token.children
    )


def _negated_object(token: Token) -> bool:
    """'no weapons', 'no intention': a determiner that negates the object."""
    return any(c.dep_ == "det" and c.lower_ == "no" for c in token.children)


def _distance(a: Token, b: Token) -> int:
    """Dependency-path length between two tokens (through their lowest common ancestor)."""
    ancestors = {a.i: 0}
    for steps, node in enumerate(a.ancestors, start=1):
        ancestors[node.i] = steps
    steps = 0
    node = b
    while node.i not in ancestors:
        if node.head.i == node.i:
            return steps + len(ancestors)
        node = node.head
        steps += 1
    return steps + ancestors[node.i]


def _path_factor(distance: int) -> float:
    """1.0 up to three hops (verb -> prep -> object), then lower per extra hop."""
    return lx.PATH_FACTOR ** max(0, distance - 3)
