"""The state of extracting one Doc: entities indexed, readings of a token, the passes run."""

from __future__ import annotations

from typing import TYPE_CHECKING

from rdflib import URIRef
from spacy.tokens import Doc, Span, Token

from ingest.extraction import (
    Entity,
    Relation,
)
from ingest.nlp import lexicon as lx
from ingest.vocab import SKG

from .clauses import _Clauses
from .common import (
    _MODIFIER_DEPS,
    _RELATIVE_PRONOUNS,
    Reading,
    Renamed,
    _link_score,
    _range,
    _same_family,
    _unique,
)
from .documents import _DocumentFacts
from .events import _EventFacts
from .passes import _Passes

if TYPE_CHECKING:
    from .component import RelationExtractor


class _DocExtractor(_Clauses, _Passes, _DocumentFacts, _EventFacts):
    """The state of extracting one Doc; thrown away afterwards."""

    def __init__(self, component: RelationExtractor, doc: Doc) -> None:
        self.c = component
        self.lex = component.lexicon
        self.doc = doc
        self.sents = list(doc.sents)
        self.sent_of = {}
        for index, sent in enumerate(self.sents):
            for token in sent:
                self.sent_of[token.i] = index
        self.known: dict[str, Entity] = dict(doc._.entities or {})
        self.new_entities: dict[str, Entity] = {}
        self.token_reading: dict[int, Reading] = {}
        self.span_of: dict[int, Span] = {}
        self.facts: dict[tuple[URIRef, URIRef, object, int], Relation] = {}
        self.pairs: list[tuple[int, list[Reading]]] = []  # (sentence, coordinated states)
        self.renamed: Renamed = {}
        self.phrases: Renamed = {}  # events the rules found where the NER marked no span
        self.organisation_heads: set[str] | None = None  # head words of its organisations
        self._index_entities()
        self.document, self.publisher = self._source_readings()
        self.title_sentence = self._title_sentence()

    def _source_readings(self) -> tuple[Reading | None, Reading | None]:
        """The source document as an entity, and its curated publisher, when nlp set them."""
        if not self.doc._.doc_iri:
            return None, None
        classes = (SKG.SourceDocument, *(URIRef(c) for c in self.doc._.doc_classes))
        entity = Entity(
            iri=URIRef(self.doc._.doc_iri),
            label=self.doc._.doc_title or str(self.doc._.doc_iri),
            classes=classes,
            curated=True,  # described by to_rdf's metadata, not as an extracted entity
        )
        document = Reading(entity, self.lex.closure(classes), 1.0)
        publisher = None
        if self.doc._.doc_publisher:
            actor = self.c.curated.get(URIRef(self.doc._.doc_publisher))
            if actor is not None:
                publisher = Reading(actor, self.lex.closure(actor.classes), 1.0)
        return document, publisher

    def _title_sentence(self) -> int:
        """The sentence that repeats the title (usually the first), or -1."""
        title = " ".join((self.doc._.doc_title or "").lower().split())[:60]
        if not title:
            return -1
        for index, sent in enumerate(self.sents):
            if title in " ".join(sent.text.lower().split()):
                return index
        return -1

    def _document_kind(self) -> frozenset[URIRef]:
        return self.document.classes if self.document is not None else frozenset()

    # --- entities ---------------------------------------------------------------------------

    def _entity_for_span(self, span: Span) -> Entity:
        iri = str(span._.iri)
        if iri in self.known:
            return self.known[iri]
        curated = self.c.curated.get(URIRef(iri))
        if curated is not None:
            return curated
        return Entity(
            iri=URIRef(iri),
            label=span._.canonical or span.text,
            classes=tuple(URIRef(c) for c in span._.classes),
            curated=bool(span._.curated),
        )

    def _index_entities(self) -> None:
        for span in self.doc.ents:
            if not span._.iri:
                continue
            entity = self._entity_for_span(span)
            classes = self.lex.closure(tuple(entity.classes) + tuple(span._.classes))
            reading = Reading(entity, classes, _link_score(span))
            for token in span:
                self.token_reading[token.i] = reading
                self.span_of[token.i] = span

    def _register(self, entity: Entity) -> None:
        key = str(entity.iri)
        if key not in self.known:
            self.new_entities[key] = entity
            self.known[key] = entity

    def _capability(self, iri: URIRef) -> Reading:
        entity = self.c.curated[iri]
        self._register(entity)
        return Reading(entity, self.lex.closure(entity.classes), 1.0)

    # --- readings: which entities a token stands for ---------------------------------------

    def readings(self, token: Token, *, conj: bool = True, depth: int = 0) -> list[Reading]:
        """Entities `token` refers to, following coordination, appositions and modifiers."""
        if depth > 4:
            return []
        found: list[Reading] = []
        direct = self.token_reading.get(token.i)
        if direct is not None:
            found.append(direct)
            # "jamming and cyber capabilities": modifiers of the same kind count as well.
            generic = token.lemma_.lower() in self.lex.words.generic_heads
            for mod in self._modifier_entities(token):
                if generic or _same_family(mod.classes, direct.classes):
                    found.append(mod)
        elif token.lower_ in _RELATIVE_PRONOUNS and token.head.dep_ in ("relcl", "acl"):
            found.extend(self.readings(token.head.head, depth=depth + 1))
        elif token.lower_ in lx.FIRST_PERSON_PLURAL and token.pos_ == "PRON":
            # "We have agreed that...": in a text issued in its publisher's own voice.
            if self.publisher is not None and self._document_kind() & lx.INSTITUTIONAL_DOCUMENTS:
                p = self.publisher
                found.append(Reading(p.entity, p.classes, p.score, lx.INFERRED_FACTOR))
        else:
            appos = [c for c in token.children if c.dep_ == "appos"]
            for child in appos:
                found.extend(self.readings(child, conj=False, depth=depth + 1))
            lemma = token.lemma_.lower()
            if not found and lemma in self.lex.words.generic_heads:
                found.extend(self._modifier_entities(token))
            if not found and lemma in self.lex.words.action_nouns:
                for child in token.children:
                    if child.dep_ == "poss":
                        found.extend(self.readings(child, depth=depth + 1))
            if not found and lemma in self.lex.words.holder_nouns:
                for child in token.children:
                    if child.dep_ == "poss":
                        found.extend(self.readings(child, depth=depth + 1))
                    elif child.dep_ == "prep" and child.lower_ == "of":
                        for pobj in child.children:
                            if pobj.dep_ == "pobj":
                                found.extend(self.readings(pobj, depth=depth + 1))
            if not found:
                found.extend(self._pair_anaphor(token))
            if not found and self._has_own_whole(token):
                # "a new Space Force branch of the military": the modifier names the part.
                found.extend(
                    Reading(r.entity, r.classes, r.score, r.factor * lx.INFERRED_FACTOR)
                    for r in self._modifier_entities(token)
                )
            if (
                not found
                and lemma not in self.lex.by_noun
                and lemma not in self.lex.words.event_nouns
            ):
                # "an orbital debris field": a named modifier stands in for an unnamed head.
                found.extend(
                    Reading(r.entity, r.classes, r.score, r.factor * lx.INFERRED_FACTOR)
                    for r in self._modifier_entities(token)
                )
        if conj:
            for other in token.conjuncts:
                if other.i != token.i and other.pos_ in ("NOUN", "PROPN", "PRON", "X", "ADJ"):
                    found.extend(self.readings(other, conj=False, depth=depth + 1))
        return _unique(found)

    def _has_own_whole(self, token: Token) -> bool:
        """A relational noun ("branch", "member") whose whole follows in its own 'of' phrase."""
        preps = {
            p
            for rule in self.lex.by_noun.get(token.lemma_.lower(), ())
            for p in rule.nouns.get(token.lemma_.lower(), ())
        }
        return any(
            c.dep_ == "prep" and c.lower_ in preps and any(g.dep_ == "pobj" for g in c.children)
            for c in token.children
        )

    def _modifier_entities(self, token: Token) -> list[Reading]:
        """Entities among the compound/nmod/amod modifiers of `token` outside its own span."""
        span = self.span_of.get(token.i)
        found: list[Reading] = []
        for child in token.children:
            if child.dep_ not in _MODIFIER_DEPS or (span is not None and child.i in _range(span)):
                continue
            for node in (child, *child.conjuncts):
                reading = self.token_reading.get(node.i)
                if reading is not None:
                    found.append(reading)
        return found

    def _pair_anaphor(self, token: Token) -> list[Reading]:
        """'both countries' -> the last pair of coordinated states in the preceding sentences."""
        if token.lemma_.lower() not in ("country", "nation", "state") or token.tag_ != "NNS":
            return []
        words = {c.lower_ for c in token.children}
        if not ({"both", "two"} & words):
            return []
        sentence = self.sent_of[token.i]
        for index, group in reversed(self.pairs):
            if sentence - 3 <= index <= sentence and len(group) == 2:
                return [Reading(r.entity, r.classes, r.score, lx.INFERRED_FACTOR) for r in group]
        return []

    def _note_pairs(self) -> None:
        """Remember coordinated states ("Russia and China") for later 'both countries'."""
        for token in self.doc:
            reading = self.token_reading.get(token.i)
            if reading is None or SKG.State not in reading.classes:
                continue
            if token.dep_ == "conj" or not token.conjuncts:
                continue
            group = [reading]
            for other in token.conjuncts:
                other_reading = self.token_reading.get(other.i)
                if other_reading is not None and SKG.State in other_reading.classes:
                    group.append(other_reading)
            group = _unique(group)
            if len(group) >= 2:
                self.pairs.append((self.sent_of[token.i], group))

    # --- verb structure ---------------------------------------------------------------------
