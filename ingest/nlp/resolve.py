"""Names resolved across one whole document, after its chunks are joined.

The linker sees one chunk at a time; a document names a thing in full once and then shortly:
- an acronym defined in the text, "United Kingdom Space Command (UKSC)", is the long form
  for the whole document, whatever the long form is linked to (curated or minted);
- a later one-word minted mention that is the surname of an earlier person, "Borrell", is
  the earlier "Josep Borrell" (whatever class the model gave it), and a one-word organisation,
  "the Command", the earlier name headed by that word (its last, or the one before its "of"),
  when exactly one earlier name fits; a one-word organisation that is a kind ("the
  Department") or heads several of the document's names ("the Committee") is then no
  individual: which organisation it is, the text does not say;
- a later definite mention ("the station", "the space station", "the Conference") that is a
  tail of an earlier name of its kind, or the head before that name's "of", "on" or "for"
  ("Conference on Disarmament"), is that name when exactly one earlier name fits;
- a minted name the model gave two kinds (an organisation here, a document there) is one
  thing in the document, of the kind most of its mentions got.
A minted entity must then fit its class (`fit`: a Person has a person's name, a Document is
named as one, a common noun names no actor, a common-noun event has a type and an actor or a
date, ...) or it is dropped, with its mentions and facts, and counted in the notes.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterable
from dataclasses import replace
from itertools import pairwise

from rdflib import URIRef

from ingest.extraction import Entity, Extraction, Mention, Relation
from ingest.iri import kind_of
from ingest.vocab import SKG

from .fit import (
    FUNCTION_WORDS,
    fits_class,
    in_passing,
    in_relations_only,
    is_a,
    is_common_noun,
    postmodifier_at,
    unfounded,
    words_of,
)

# fits_class and is_common_noun are read from here too (ingest.minted_names, the tests).
__all__ = [
    "ACRONYM",
    "fits_class",
    "initials_fit",
    "is_common_noun",
    "resolve",
    "rewrite",
    "with_names_of",
]

ACRONYM = re.compile(r"^[A-Z][A-Za-z]{0,2}[A-Z][A-Z0-9&-]{0,8}s?$")


def initials_fit(acronym: str, name: str) -> bool:
    """'UKSC' fits 'United Kingdom Space Command', 'NATO' 'North Atlantic Treaty
    Organization': the letters are the initials of the name's words, in order (function
    words may or may not count)."""
    letters = acronym.rstrip("s").replace("&", "").replace("-", "").upper()
    words = words_of(name)
    if len(words) < 2:
        return False

    def match(i: int, j: int) -> bool:
        if i == len(letters):
            return all(w.casefold() in FUNCTION_WORDS for w in words[j:])
        if j == len(words):
            return False
        word = words[j]
        if word[0].upper() == letters[i] and match(i + 1, j + 1):
            return True
        return word.casefold() in FUNCTION_WORDS and match(i, j + 1)

    return match(0, 0)


def _short_forms(extraction: Extraction, text: str) -> dict[URIRef, URIRef]:
    """Short-form IRI -> the IRI of the full name it stands for in this document."""
    entities = extraction.entities
    mentions = sorted(extraction.mentions, key=lambda m: m.start_char)
    mapping: dict[URIRef, URIRef] = {}
    for full, short in pairwise(mentions):
        short_entity, full_entity = entities.get(short.iri), entities.get(full.iri)
        if short_entity is None or full_entity is None or short.iri == full.iri:
            continue
        defined = (
            text[full.end_char : short.start_char].strip() == "("
            and text[short.end_char : short.end_char + 1] == ")"
        )
        if (
            defined
            and not short_entity.curated
            and ACRONYM.match(short.text)
            and initials_fit(short.text, full.text)
        ):
            mapping.setdefault(short.iri, full.iri)
    people: dict[str, set[URIRef]] = {}
    organisations: dict[str, set[URIRef]] = {}
    # (kind, *last words) of every earlier name -> the names that end so
    tails: dict[tuple[str, ...], set[URIRef]] = {}
    for mention in mentions:
        entity = entities.get(mention.iri)
        if entity is None or mention.iri in mapping:
            continue
        words = words_of(entity.label)
        key = words[-1].casefold() if words else ""
        folded = (kind_of(mention.iri), *(w.casefold() for w in words))
        # "the station", "the space station" after "International Space Station": a definite
        # mention that ends an earlier name of its kind. A minted tail of an earlier name is
        # no owner itself ("space station partners" before "the space station").
        owners = tails.get(folded, set()) if not entity.curated else set()
        if len(owners) == 1 and _is_definite(text, mention.start_char):
            mapping[mention.iri] = next(iter(owners))
            continue
        if len(words) >= 2 and not owners:
            for tail in _tails(folded):
                tails.setdefault(tail, set()).add(mention.iri)
        if len(words) == 1 and not entity.curated:
            # A surname, whatever the model took it for ("Borrell said": a place); else the
            # last word of an organisation's name ("the Command").
            # A word in lower case is neither: "in space" is not "Outer Space" the person.
            owners = people.get(key, set()) if mention.text[:1].isupper() else set()
            if (
                not owners
                and mention.text[:1].isupper()
                and is_a(entity, SKG.Organization)
                and not ACRONYM.match(entity.label)
            ):
                owners = organisations.get(key, set())
            if len(owners) == 1:
                mapping[mention.iri] = next(iter(owners))
            continue
        if len(words) >= 2:
            if is_a(entity, SKG.Person):
                people.setdefault(key, set()).add(mention.iri)
            elif is_a(entity, SKG.Organization):
                for head in _heads(words):
                    organisations.setdefault(head, set()).add(mention.iri)
    return mapping


def _heads(words: list[str]) -> set[str]:
    """The words a name of `words` is headed by, folded: its last, and the one before its
    first "of", "on" or "for" ("Committee" of "Sixth Committee of the General Assembly")."""
    folded = [w.casefold() for w in words]
    cut = postmodifier_at(folded)
    return {folded[-1]} | ({folded[cut - 1]} if cut is not None else set())


_DEFINITE = re.compile(r"(?:^|\W)(?:the|this|that)\s+$", re.IGNORECASE)


def _tails(folded: tuple[str, ...]) -> set[tuple[str, ...]]:
    """(kind, *words) of the short forms a name of (kind, *words) can take: its proper tails
    ("space station"), and its head before an "of", "on" or "for" with the head's tails ("the
    Conference" for "Conference on Disarmament"); each is then looked up in one step."""
    kind, words = folded[0], folded[1:]
    found = {(kind, *words[cut:]) for cut in range(1, len(words))}
    cut = postmodifier_at(words)
    if cut is not None and cut < len(words) - 1:
        found |= {(kind, *words[start:cut]) for start in range(cut)}
    return found


def _is_definite(text: str, start: int) -> bool:
    """The mention follows a definite article or demonstrative: a reference back."""
    return _DEFINITE.search(text[max(0, start - 6) : start]) is not None


def _one_kind_per_name(extraction: Extraction) -> dict[URIRef, URIRef]:
    """A minted name the model gave two kinds in one document ("Guardians of Peace" an
    organisation in one sentence, a document in the next) names one thing there: the kind
    most of its mentions got, the first mention's on a tie."""
    from .link_tables import normalise

    count: Counter[URIRef] = Counter(m.iri for m in extraction.mentions)
    first: dict[URIRef, int] = {}
    for mention in extraction.mentions:
        first[mention.iri] = min(first.get(mention.iri, mention.start_char), mention.start_char)
    by_name: dict[str, list[URIRef]] = {}
    for iri, entity in extraction.entities.items():
        if not entity.curated and iri in count:
            by_name.setdefault(normalise(entity.label), []).append(iri)
    mapping: dict[URIRef, URIRef] = {}
    for iris in by_name.values():
        if len(iris) > 1:
            winner = min(iris, key=lambda iri: (-count[iri], first[iri]))
            mapping |= {iri: winner for iri in iris if iri != winner}
    return mapping


def _unresolved(
    extraction: Extraction, mapping: dict[URIRef, URIRef], kinds: frozenset[str]
) -> dict[URIRef, Entity]:
    """Minted one-word organisations that stand for a name the document does not settle: a
    kind of organisation ("the Department", "the Government"), or a word that heads two or
    more of its organisations' names ("the Committee" after "First Committee" and "Sixth
    Committee of the General Assembly"). Kept, each would be one individual for every
    department or committee."""
    heads: dict[str, set[URIRef]] = {}
    for iri, entity in extraction.entities.items():
        words = words_of(entity.label)
        if len(words) >= 2 and is_a(entity, SKG.Organization):
            for head in _heads(words):
                heads.setdefault(head, set()).add(iri)
    found: dict[URIRef, Entity] = {}
    for iri, entity in extraction.entities.items():
        words = words_of(entity.label)
        if (
            entity.curated
            or iri in mapping
            or len(words) != 1
            or not is_a(entity, SKG.Organization)
            or ACRONYM.match(entity.label)
        ):
            continue
        word = words[0].casefold()
        if word in kinds or len(heads.get(word, ())) > 1:
            found[iri] = entity
    return found


def _mapped(node: URIRef, mapping: dict[URIRef, URIRef]) -> URIRef:
    seen = {node}
    while node in mapping and mapping[node] not in seen:
        node = mapping[node]
        seen.add(node)
    return node


def with_names_of(entity: Entity, other: Entity) -> Entity:
    """`entity` with `other`'s label and alternative labels as alternative labels."""
    known = {entity.label.casefold(), *(a.casefold() for a in entity.alt_labels)}
    extra = tuple(
        dict.fromkeys(a for a in (other.label, *other.alt_labels) if a.casefold() not in known)
    )
    return replace(entity, alt_labels=entity.alt_labels + extra)


def rewrite(
    extraction: Extraction,
    mapping: dict[URIRef, URIRef],
    dropped: frozenset[URIRef] | set[URIRef] = frozenset(),
) -> tuple[list[Mention], list[Relation]]:
    """The mentions and relations with every IRI of `mapping` replaced by its target (through
    chains) and those touching `dropped` left out; a relation that became reflexive goes."""

    def keep(node: URIRef | object) -> bool:
        return not (isinstance(node, URIRef) and node in dropped)

    mentions: list[Mention] = []
    for mention in extraction.mentions:
        iri = _mapped(mention.iri, mapping)
        if iri not in dropped:
            mentions.append(mention if iri == mention.iri else replace(mention, iri=iri))
    relations: list[Relation] = []
    for relation in extraction.relations:
        subject = _mapped(relation.subject, mapping)
        obj = relation.object
        if isinstance(obj, URIRef):
            obj = _mapped(obj, mapping)
        if subject == obj or not keep(subject) or not keep(obj):
            continue
        if (subject, obj) != (relation.subject, relation.object):
            relation = replace(relation, subject=subject, object=obj)
        relations.append(relation)
    return mentions, relations


def _shown(entities: Iterable[Entity]) -> str:
    return ", ".join(f"'{e.label}'" for e in list(entities)[:5])


def resolve(
    extraction: Extraction,
    text: str,
    document_nouns: frozenset[str] = frozenset(),
    event_nouns: frozenset[str] = frozenset(),
    kind_words: frozenset[str] = frozenset(),
) -> Extraction:
    """The Extraction with short forms merged into their full names and unfit minted
    entities dropped (counted in `notes`); `kind_words` are the one-word kinds of
    organisation ("department"), which name no organisation on their own."""
    mapping = _one_kind_per_name(extraction)
    mapping |= {k: v for k, v in _short_forms(extraction, text).items() if k not in mapping}
    entities = dict(extraction.entities)
    for short in mapping:
        target = _mapped(short, mapping)
        old, new = entities.pop(short, None), entities.get(target)
        if old is not None and new is not None and not new.curated:
            entities[target] = with_names_of(new, old)
    mentions, relations = rewrite(extraction, mapping)
    merged = replace(extraction, entities=entities, mentions=mentions, relations=relations)
    unresolved = _unresolved(merged, mapping, kind_words)
    unfit = {
        iri: entity
        for iri, entity in entities.items()
        if not entity.curated and not fits_class(entity, document_nouns) and iri not in unresolved
    }
    nameless = {
        i: e
        for i, e in unfounded(merged, text, event_nouns).items()
        if i not in unfit and i not in unresolved
    }
    passing = {
        i: e
        for i, e in in_passing(merged, text).items()
        if i not in unfit and i not in nameless and i not in unresolved
    }
    dropped = set(unfit) | set(nameless) | set(passing) | set(unresolved)

    lost_nameless, lost_unresolved = (
        sum(
            1
            for r in relations
            if r.subject in gone or (isinstance(r.object, URIRef) and r.object in gone)
        )
        for gone in (nameless, unresolved)
    )
    mentions, relations = rewrite(merged, {}, dropped)
    kept = {iri: entity for iri, entity in entities.items() if iri not in dropped}
    merged = replace(merged, entities=kept, mentions=mentions, relations=relations)
    mentions = in_relations_only(merged, text)

    notes = list(extraction.notes)
    misfits = list(unfit.values())
    if misfits:
        kinds = Counter(
            "Person" if is_a(e, SKG.Person) else "Place" if is_a(e, SKG.Place) else "Document"
            for e in misfits
        )
        counts = ", ".join(f"{n} {kind}" for kind, n in sorted(kinds.items()))
        notes.append(
            f"minted entities dropped as not fitting their class: {counts} ({_shown(misfits)})"
        )
    if unresolved:
        notes.append(
            f"{len(unresolved)} one-word references to an organisation the text does not "
            f"name once (a kind, or the head of several names) not kept as individuals, "
            f"{lost_unresolved} facts with them dropped ({_shown(unresolved.values())})"
        )
    if nameless:
        notes.append(
            f"{len(nameless)} common nouns not kept as actors, assets or events (no name; an "
            f"event with no type, actor or date), {lost_nameless} facts with them dropped "
            f"({_shown(nameless.values())})"
        )
    if passing:
        notes.append(
            f"{len(passing)} common nouns mentioned in passing, in no relation, not kept as "
            f"individuals ({_shown(passing.values())})"
        )
    if len(mentions) < len(merged.mentions):
        notes.append(
            f"{len(merged.mentions) - len(mentions)} mentions of common-noun assets and events "
            "in no relation of their sentence left out"
        )
    return replace(merged, mentions=mentions, notes=notes)
