"""Minted names merged across documents: one individual for one thing, whoever wrote it how.

Two documents name the same person or organisation differently: "Joseph F. Dunford" and
"Joseph Dunford", "Aerospace Force of the Islamic Revolutionary Guard Corps" and "Islamic
Revolutionary Guard Corps Aerospace Force", "NPO Mashinostroeniya" and "NPO
Mashinostroyeniya". Each document mints its own IRI from its own spelling, so the graph held
two individuals. Before a document graph is built, each minted actor, asset, capability or
place is looked up among the minted individuals already in the store (and those of the
documents earlier in the batch) of a compatible class (one's classes include the other's):

- the **name key** is the set of its words, case, accents, punctuation, possessives, word order
  and the words "the", "of", "for", "and" aside, numbers without leading zeros ("NOUR 02" =
  "Nour 2"), and for a person without single-letter initials ("DONALD J. TRUMP" = "Donald
  Trump");
- two keys agree when they are equal, or when they have the same short words and their long
  words (at least `FUZZY_MIN_CHARS` letters) pair off with a rapidfuzz ratio of at least
  `FUZZY_MIN_RATIO`: transliterations, not the one letter that tells "UK" from "US" or
  "Defence" (British) from "Defense" (American).

A name that agrees with two or more individuals merges with none. One word that is not an
acronym is never compared across documents: "the Committee" is a short reference inside one
document ("FIRST COMMITTEE" in one, the Committee on Armed Services in another), while an
acronym defined in one document ("DOD") names the same thing in the next. Events and documents are not
merged here: an event is one per type, actor and date (`nlp.relate`), a document is its title,
and "Defence Space Strategy" and "Defense Space Strategy" are two documents. Common nouns
("satellite") already share one IRI.

The merged entity takes the stored label (every document graph stays self-contained) and keeps
its own spelling as an alternative label; the document's notes say what was merged. A minted
event named after a merged actor or target ("<actor> launch 2020-04", `nlp.relate`) is renamed
with it, so the same event from two documents is one individual again.
"""

from __future__ import annotations

import re
import unicodedata
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field, replace

from rapidfuzz import fuzz
from rdflib import URIRef
from rdflib.term import Node

from .extraction import Entity, Extraction
from .iri import kind_of, mint
from .nlp.resolve import ACRONYM as _ACRONYM
from .nlp.resolve import is_common_noun, rewrite, with_names_of
from .store import Store, inject_value_rows, internal_query
from .vocab import SKG

MERGED_KINDS = frozenset({"actor", "asset", "capability", "place"})
FUZZY_MIN_CHARS = 8
FUZZY_MIN_RATIO = 90.0
_SKIPPED_WORDS = frozenset({"the", "of", "for", "and"})
_ENTITIES_PER_QUERY = 500  # candidate IRIs bound in one VALUES block


def name_key(label: str, person: bool = False) -> tuple[str, ...]:
    """The words of a name that tell it apart, sorted (see the module docstring)."""
    text = unicodedata.normalize("NFKD", label)
    text = "".join(c for c in text if not unicodedata.combining(c)).casefold()
    text = re.sub(r"['’]s\b", "", text)
    words = []
    for word in re.split(r"[^\w]+", text):
        if not word or word in _SKIPPED_WORDS or word == "_":
            continue
        if word.isdigit():
            word = word.lstrip("0") or "0"
        elif person and len(word) == 1:
            continue
        words.append(word)
    return tuple(sorted(words))


def _comparable(spelling: str) -> bool:
    words = spelling.split()
    return len(words) >= 2 or bool(_ACRONYM.match(spelling))


def keys_agree(a: tuple[str, ...], b: tuple[str, ...]) -> bool:
    """Equal keys, or the same short words and long words that pair off by spelling."""
    if a == b:
        return True
    if len(a) != len(b):
        return False
    short_a = sorted(w for w in a if len(w) < FUZZY_MIN_CHARS or w.isdigit())
    short_b = sorted(w for w in b if len(w) < FUZZY_MIN_CHARS or w.isdigit())
    if short_a != short_b:
        return False
    left = [w for w in a if w not in short_a]
    right = [w for w in b if w not in short_b]
    for word in left:
        if word in right:
            right.remove(word)
            continue
        best = max(right, key=lambda w: fuzz.ratio(word, w), default=None)
        if best is None or fuzz.ratio(word, best) < FUZZY_MIN_RATIO:
            return False
        right.remove(best)
    return not right


@dataclass(frozen=True)
class Known:
    """A minted individual already named somewhere: its IRI, label and classes."""

    iri: URIRef
    label: str
    classes: frozenset[URIRef]


def _compatible(a: Iterable[URIRef], b: Iterable[URIRef]) -> bool:
    first, second = set(a), set(b)
    return first <= second or second <= first


def _is_person(classes: Iterable[URIRef]) -> bool:
    return SKG.Person in set(classes)


@dataclass
class MintedNames:
    """The minted names known so far, blocked by their short words for the fuzzy comparison."""

    known: dict[URIRef, Known] = field(default_factory=dict)
    names: dict[URIRef, set[tuple[str, ...]]] = field(default_factory=lambda: defaultdict(set))
    _blocks: dict[tuple[int, tuple[str, ...]], set[URIRef]] = field(
        default_factory=lambda: defaultdict(set)
    )

    @classmethod
    def from_store(cls, store: Store, entities: Iterable[Entity] | None = None) -> MintedNames:
        """The stored minted names; with `entities`, only those that could agree with one of
        theirs (`minted_candidates`), which matches the same way at a fraction of the cost."""
        everything = internal_query("minted_names")
        if entities is None:
            return cls._from_rows(store.query(everything).rows)
        from .minted_candidates import find_candidates

        spellings = [
            (spelling, _is_person(entity.classes))
            for entity in entities
            if not entity.curated and kind_of(entity.iri) in MERGED_KINDS
            for spelling in filter(_comparable, (entity.label, *entity.alt_labels))
        ]
        found = find_candidates(store, spellings)
        if found is None:
            return cls._from_rows(store.query(everything).rows)
        rows: list[dict[str, Node | None]] = []
        ordered = sorted(found)
        for start in range(0, len(ordered), _ENTITIES_PER_QUERY):
            batch = ordered[start : start + _ENTITIES_PER_QUERY]
            text = inject_value_rows(everything, "entity", batch)
            rows.extend(store.query(text).rows)
        return cls._from_rows(rows)

    @classmethod
    def _from_rows(cls, rows: Iterable[dict[str, Node | None]]) -> MintedNames:
        labels: dict[URIRef, str] = {}
        classes: dict[URIRef, set[URIRef]] = defaultdict(set)
        spellings: dict[URIRef, set[str]] = defaultdict(set)
        for row in rows:
            iri = row["entity"]
            if not isinstance(iri, URIRef) or kind_of(iri) not in MERGED_KINDS:
                continue
            labels.setdefault(iri, str(row["label"]))
            classes[iri].add(URIRef(str(row["class"])))
            spellings[iri].add(str(row["name"]))
        index = cls()
        for iri, label in labels.items():
            index.add(Known(iri, label, frozenset(classes[iri])), spellings[iri])
        return index

    def add(self, known: Known, spellings: Iterable[str]) -> None:
        self.known.setdefault(known.iri, known)
        person = _is_person(known.classes)
        for spelling in filter(_comparable, spellings):
            key = name_key(spelling, person)
            if not key:
                continue
            self.names[known.iri].add(key)
            self._blocks[(len(key), _short_words(key))].add(known.iri)

    def match(self, entity: Entity) -> Known | None:
        """The one known individual `entity` names, if exactly one agrees."""
        person = _is_person(entity.classes)
        found: set[URIRef] = set()
        for spelling in filter(_comparable, (entity.label, *entity.alt_labels)):
            key = name_key(spelling, person)
            if not key:
                continue
            for iri in self._blocks.get((len(key), _short_words(key)), ()):
                if (
                    iri != entity.iri
                    and _compatible(self.known[iri].classes, entity.classes)
                    and any(keys_agree(key, other) for other in self.names[iri])
                ):
                    found.add(iri)
        return self.known[found.pop()] if len(found) == 1 else None


def _short_words(key: tuple[str, ...]) -> tuple[str, ...]:
    return tuple(w for w in key if len(w) < FUZZY_MIN_CHARS or w.isdigit())


def _mergeable(entity: Entity, text: str) -> bool:
    return (
        not entity.curated
        and kind_of(entity.iri) in MERGED_KINDS
        and not is_common_noun(entity.label, text)
    )


def _renamed_events(
    entities: dict[URIRef, Entity], renamed: dict[str, str]
) -> dict[URIRef, URIRef]:
    """Minted events whose label names a merged entity, re-minted under its new name."""
    mapping: dict[URIRef, URIRef] = {}
    for iri, event in list(entities.items()):
        if event.curated or kind_of(iri) != "event":
            continue
        for old, new in renamed.items():
            if event.label.startswith(old + " ") or f" against {old}" in event.label:
                label = event.label.replace(old, new, 1)
                mapping[iri] = mint("event", label)
                entities.pop(iri)
                entities.setdefault(mapping[iri], replace(event, iri=mapping[iri], label=label))
                break
    return mapping


def merge_minted(
    extractions: Sequence[Extraction], texts: Sequence[str], names: MintedNames
) -> list[Extraction]:
    """Each Extraction with its minted names merged into the individuals `names` knows; the
    document's own minted names are then known to the documents after it."""
    merged: list[Extraction] = []
    for extraction, text in zip(extractions, texts, strict=True):
        mapping: dict[URIRef, URIRef] = {}
        entities = dict(extraction.entities)
        done: list[str] = []
        renamed: dict[str, str] = {}
        for iri, entity in extraction.entities.items():
            if not _mergeable(entity, text):
                continue
            known = names.match(entity)
            if known is None:
                continue
            mapping[iri] = known.iri
            renamed[entity.label] = known.label
            entities.pop(iri)
            into = entities.get(known.iri) or Entity(
                known.iri, known.label, entity.classes, curated=False
            )
            entities[known.iri] = with_names_of(into, entity)
            done.append(f"'{entity.label}' = '{known.label}'")
        mapping |= _renamed_events(entities, renamed)
        for entity in entities.values():
            if _mergeable(entity, text):
                names.add(
                    Known(entity.iri, entity.label, frozenset(entity.classes)),
                    (entity.label, *entity.alt_labels),
                )
        if not mapping:
            merged.append(extraction)
            continue
        mentions, relations = rewrite(extraction, mapping)
        notes = [
            *extraction.notes,
            f"{len(done)} minted names merged with individuals other documents name "
            f"({', '.join(done[:5])})",
        ]
        merged.append(
            replace(
                extraction, entities=entities, mentions=mentions, relations=relations, notes=notes
            )
        )
    return merged
