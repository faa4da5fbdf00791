"""Relation extraction over the dependency parse: linked entities -> candidate facts.

The component reads `doc.ents` that carry `_.iri` (set by the linker) and walks the parse
between them: subject-verb-object with passives and "by" agents, prepositional objects,
complement clauses, relative clauses, appositions, locative prepositions and coordination on
both sides. Passes that did not raise dev F1 once the trained classifier runs beside them were
removed (facts inside one name, possessives other than an event's actor, role titles before a
person's name: `benchmarks/extraction.py` on dev, 2026-12-01). Trigger words come from
`ingest.nlp.lexicon` (data in the component's `triggers.yaml`, saved with the pipeline); what
each property accepts at its two ends comes from the ontology, so a candidate whose ends have
the wrong classes is never emitted.

Events ("Russia's anti-satellite missile test on 15 November 2021") become entities when the
sentence makes them specific (an actor, a target or a date); mentions of one event in a
document are merged, matched with curated events by class and date, and otherwise minted from
a canonical label (actor + class + ISO date) so two documents name the same event alike.

Output: `doc._.relations` (list[Relation]) and new Entity objects in `doc._.entities`.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

from rdflib import URIRef
from spacy.language import Language
from spacy.tokens import Doc, Span, Token

from ingest.dates import DateValue, parse_date
from ingest.extraction import (
    EXTRACTOR_EVENT,
    EXTRACTOR_RELATE,
    Entity,
    Relation,
    register_extensions,
)
from ingest.iri import mint
from ingest.nlp import lexicon as lx
from ingest.vocab import SKG

from .lexicon import Lexicon, PropertyRule, VerbTemplate, load_lexicon
from .pattern_files import PatternFiles

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


@dataclass(slots=True)
class _EventMention:
    token: Token
    sentence: int
    cls: URIRef
    actors: list[Reading] = field(default_factory=list)
    targets: list[Reading] = field(default_factory=list)
    places: list[Reading] = field(default_factory=list)
    date: DateValue | None = None
    anaphoric: bool = False
    cluster: int = -1
    span: Span | None = None  # the trained NER's event span this mention is the head of


@dataclass(slots=True)
class _EventCluster:
    cls: URIRef
    mentions: list[_EventMention]
    date: DateValue | None = None
    entity: Entity | None = None


@dataclass(frozen=True, slots=True)
class CuratedEvent:
    """A curated event with what identifies it across documents."""

    entity: Entity
    classes: frozenset[URIRef]
    date: str | None


@lru_cache(maxsize=1)
def curated_entities() -> dict[URIRef, Entity]:
    """Every curated individual as an Entity (classes include superclasses)."""
    from ingest.ontology import labels_index

    return {
        entry.iri: Entity(
            iri=entry.iri,
            label=entry.label,
            classes=entry.classes,
            curated=True,
            alt_labels=entry.alt_labels,
        )
        for entry in labels_index()
    }


@lru_cache(maxsize=1)
def curated_names() -> dict[str, Entity]:
    """Curated individuals by any of their names (case-folded); ambiguous names left out.

    For names inside a linked span ("Russia's invasion of Ukraine", "US Defense Intelligence
    Agency"), which the linker has already spent on the whole span.
    """
    found: dict[str, Entity] = {}
    ambiguous: set[str] = set()
    for entity in curated_entities().values():
        for name in {entity.label, *entity.alt_labels}:
            key = " ".join(name.casefold().split())
            if key in found and found[key].iri != entity.iri:
                ambiguous.add(key)
            found.setdefault(key, entity)
    return {k: v for k, v in found.items() if k not in ambiguous}


@lru_cache(maxsize=1)
def curated_events() -> tuple[CuratedEvent, ...]:
    """Curated events with their dates, read once from the reference data."""
    from ingest.ontology import reference_graph

    graph = reference_graph()
    found: list[CuratedEvent] = []
    for iri, entity in sorted(curated_entities().items()):
        classes = frozenset(entity.classes)
        if SKG.Event not in classes:
            continue
        date = graph.value(iri, SKG.date)
        found.append(CuratedEvent(entity, classes, str(date) if date is not None else None))
    return tuple(found)


class RelationExtractor:
    """The spaCy component: `predict` is pure, `set_annotations` writes the Doc."""

    def __init__(
        self, nlp: Language, name: str = FACTORY, files: PatternFiles | None = None
    ) -> None:
        register_extensions()
        self.name = name
        self._use(files or lx.default_files())
        self.curated = curated_entities()
        self.curated_names = curated_names()
        self.curated_events = curated_events()

    def _use(self, files: PatternFiles) -> None:
        self.files = files
        self.lexicon: Lexicon = load_lexicon(files)
        # Verbs whose object is the event an actor carried out, or whose object an event hit.
        self.conduct_lemmas = frozenset(t.lemma for t in self.lexicon.rules["conducted"].verbs)
        self.target_lemmas = _EXTRA_TARGET_LEMMAS | {
            t.lemma for t in self.lexicon.rules["targeted"].verbs
        }

    def __call__(self, doc: Doc) -> Doc:
        relations, entities, renamed = self.predict(doc)
        self.set_annotations(doc, relations, entities, renamed)
        return doc

    def to_disk(self, path: str | Path, *, exclude: Iterable[str] = ()) -> None:
        """Save the trigger tables the rules run on (domains and ranges stay in the ontology)."""
        self.files.write(Path(path))

    def from_disk(self, path: str | Path, *, exclude: Iterable[str] = ()) -> RelationExtractor:
        """Run on the trigger tables saved in the pipeline folder."""
        self._use(PatternFiles.read(Path(path), lx.RULES_FILES))
        return self

    def pipe(self, docs: Iterable[Doc], batch_size: int = 32) -> Iterator[Doc]:
        for doc in docs:
            yield self(doc)

    def predict(self, doc: Doc) -> tuple[list[Relation], dict[str, Entity], Renamed]:
        """Candidate facts, the new entities (events, capabilities) they refer to, and the
        NER's event spans that turned out to be another event ((start, end) -> entity)."""
        extractor = _DocExtractor(self, doc)
        relations, entities = extractor.run()
        return relations, entities, extractor.renamed

    def set_annotations(
        self,
        doc: Doc,
        relations: list[Relation],
        entities: dict[str, Entity],
        renamed: Renamed | None = None,
    ) -> None:
        doc._.entities = doc._.entities or {}
        for key, entity in entities.items():
            doc._.entities.setdefault(key, entity)
        old_iris = set()
        for ent in doc.ents:
            entity = (renamed or {}).get((ent.start, ent.end))
            if entity is None:
                continue
            old_iris.add(str(ent._.iri))
            ent._.iri = str(entity.iri)
            ent._.canonical = entity.label
            ent._.classes = tuple(str(c) for c in entity.classes)
            ent._.curated = entity.curated
            doc._.entities.setdefault(str(entity.iri), entity)
        still = {str(ent._.iri) for ent in doc.ents}
        for iri in old_iris - still:
            doc._.entities.pop(iri, None)
        doc._.relations = (doc._.relations or []) + relations


@Language.factory(
    FACTORY,
    requires=["doc.ents", "token.dep"],
    assigns=["doc._.relations", "doc._.entities"],
    default_config={},
)
def make_relation_extractor(nlp: Language, name: str) -> RelationExtractor:
    """Factory for `nlp.add_pipe(FACTORY)`, after the linker."""
    return RelationExtractor(nlp, name)


def _link_score(span: Span) -> float:
    score = float(span._.link_score or 0.0)
    return score if score > 0 else DEFAULT_LINK_SCORE


class _DocExtractor:
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

    def is_passive(self, verb: Token) -> bool:
        deps = {c.dep_ for c in verb.children}
        if deps & {"nsubjpass", "csubjpass", "auxpass"}:
            return True
        if verb.tag_ == "VBN" and verb.dep_ == "acl":
            return True
        if verb.tag_ == "VBN" and verb.dep_ == "acomp" and verb.head.lemma_ in _COPULAS:
            return True
        if verb.dep_ == "conj" and verb.tag_ == "VBN" and not (deps & _SUBJECT_DEPS):
            return self.is_passive(verb.head) if verb.head.pos_ in ("VERB", "AUX") else False
        return False

    def agent_tokens(self, verb: Token, depth: int = 0) -> list[Token]:
        """Who does the verb: its subject, its 'by' agent, or the subject it inherits."""
        if depth > 4:
            return []
        if self.is_passive(verb):
            found = [
                pobj
                for agent in verb.children
                if agent.dep_ == "agent"
                for pobj in agent.children
                if pobj.dep_ == "pobj"
            ]
            if found or verb.dep_ != "conj":
                return found
            return self.agent_tokens(verb.head, depth + 1)
        subjects = [c for c in verb.children if c.dep_ in _SUBJECT_DEPS]
        if subjects:
            return subjects
        head = verb.head
        if (
            verb.dep_ in ("conj", "xcomp", "advcl")
            and head.i != verb.i
            and head.pos_ in ("VERB", "AUX")
        ):
            if verb.dep_ == "xcomp" and self.is_passive(head):
                # "X is expected to agree": the passive subject of the hedge is the agent.
                return [c for c in head.children if c.dep_ in _PASSIVE_SUBJECT_DEPS]
            return self.agent_tokens(head, depth + 1)
        if verb.dep_ == "acl" and head.i != verb.i:
            if verb.tag_ == "VBG":
                return [head]  # "actors seeking to explore space"
            if any(c.dep_ == "aux" and c.lower_ == "to" for c in verb.children):
                # "NATO selected the proposal to host X": the matrix subject acts.
                governor = head.head
                if head.dep_ in _OBJECT_DEPS and governor.pos_ in ("VERB", "AUX"):
                    return self.agent_tokens(governor, depth + 1)
        if verb.dep_ == "relcl":
            return [head]
        return []

    def theme_tokens(self, verb: Token, depth: int = 0) -> list[Token]:
        """What the verb acts on: its direct object, or its passive subject."""
        if depth > 4:
            return []
        if self.is_passive(verb):
            found = [c for c in verb.children if c.dep_ in _PASSIVE_SUBJECT_DEPS]
            if found:
                return found
            if verb.dep_ == "acl":
                return [verb.head]
            if verb.dep_ == "acomp":
                return [c for c in verb.head.children if c.dep_ in _SUBJECT_DEPS]
            if verb.dep_ == "conj":
                return self.theme_tokens(verb.head, depth + 1)
            return []
        found = [c for c in verb.children if c.dep_ in _OBJECT_DEPS]
        if found:
            return found
        # "developing, testing and operationalising X": the object sits on another conjunct,
        # or the parser made it a conjunct of the verb.
        for other in verb.conjuncts:
            found.extend(c for c in other.children if c.dep_ in _OBJECT_DEPS)
            if other.pos_ in ("NOUN", "PROPN"):
                found.append(other)
        for child in verb.children:
            if child.dep_ == "conj" and child.pos_ in ("NOUN", "PROPN"):
                found.append(child)
        return found

    def prep_objects(self, verb: Token, prep: str, extra: Iterable[Token] = ()) -> list[Token]:
        found: list[Token] = []
        for node in (verb, *extra):
            for child in node.children:
                if child.dep_ in ("prep", "agent", "dative") and child.lower_ == prep:
                    # "risk to human life and to the station": coordinated prepositions.
                    for node in (child, *child.conjuncts):
                        found.extend(p for p in node.children if p.dep_ == "pobj")
        return found

    def role_tokens(self, verb: Token, role: str, themes: list[Token]) -> list[Token]:
        if role == lx.AGENT:
            return self.agent_tokens(verb)
        if role == lx.THEME:
            return themes
        if role.startswith("prep:"):
            return self.prep_objects(verb, role.split(":", 1)[1], themes)
        return []

    def clause_readings(self, verb: Token) -> list[tuple[Reading, int]]:
        """Entities anywhere in the verb's complement (object, 'as' phrase, clause)."""
        found: list[tuple[Reading, int]] = []
        for child in verb.children:
            if child.dep_ in ("ccomp", "xcomp", "dobj", "oprd", "attr") or (
                child.dep_ == "prep" and child.lower_ == "as"
            ):
                for node in child.subtree:
                    reading = self.token_reading.get(node.i)
                    if reading is not None:
                        found.append((reading, _distance(verb, node)))
        return found

    def has_required(self, verb: Token, template: VerbTemplate) -> bool:
        near = {verb.i}
        for child in verb.children:
            near.add(child.i)
            near.update(g.i for g in child.children)
            if child.dep_ == "ccomp":
                # "agreed that space should be...": the parser may hang "that" on the subject.
                near.add(child.left_edge.i)
        words = {self.doc[i].lemma_.lower() for i in near} | {self.doc[i].lower_ for i in near}
        return all(word in words for word in template.required)

    def polarity(self, verb: Token) -> float:
        """1.0 for a plain statement, lower for modals and hedges, 0.0 when negated."""
        factor = 1.0
        node = verb
        for _ in range(4):
            for child in node.children:
                if child.dep_ == "neg" or (
                    child.lower_ in lx.NEGATIONS and child.dep_ in ("advmod", "neg", "preconj")
                ):
                    return 0.0
                if child.dep_ == "aux" and child.lower_ in lx.MODAL_WORDS:
                    factor = min(factor, 1.0 if child.lower_ == "can" else lx.MODAL_FACTOR)
            if node is not verb and node.lemma_.lower() in self.lex.words.hedge_verbs:
                factor = min(factor, lx.HEDGE_FACTOR)
            # Negation and hedges reach down through "expected to agree", not across "and".
            if node.dep_ in ("xcomp", "ccomp") and node.head.i != node.i:
                node = node.head
            elif node.dep_ == "conj" and node.head.pos_ in ("VERB", "AUX"):
                # A conjunct shares its head's auxiliaries ("can be jammed, hacked").
                node = node.head
            else:
                break
        return factor

    # --- emitting -----------------------------------------------------------------------------

    def emit(
        self,
        rule: PropertyRule,
        subject: Reading,
        obj: Reading,
        sentence: int,
        *,
        factor: float = 1.0,
        pattern: str,
        extractor: str = EXTRACTOR_RELATE,
        check: bool = True,
    ) -> None:
        if subject.entity.iri == obj.entity.iri:
            return
        if check and not self.lex.fits(rule, subject.classes, obj.classes):
            return
        # The geometric mean of the two linking scores: a fact is as doubtful as its ends on
        # average; a product would sink every fact between two entities minted from the text.
        linking = (subject.score * obj.score) ** 0.5
        confidence = rule.confidence * linking * subject.factor * obj.factor * factor
        confidence = round(max(0.0, min(1.0, confidence)), 4)
        if confidence <= 0.0:
            return
        self._add(
            Relation(
                subject=subject.entity.iri,
                predicate=rule.iri,
                object=obj.entity.iri,
                confidence=confidence,
                sentence=sentence,
                extractor=extractor,
                pattern=pattern,
            )
        )
        for reading in (subject, obj):
            if not reading.entity.curated or reading.entity.iri not in {
                URIRef(k) for k in self.known
            }:
                self._register(reading.entity)

    def _add(self, relation: Relation) -> None:
        key = (relation.subject, relation.predicate, relation.object, relation.sentence)
        previous = self.facts.get(key)
        per_sentence = sum(1 for k in self.facts if k[3] == relation.sentence)
        if previous is None and per_sentence >= MAX_FACTS_PER_SENTENCE:
            return
        if previous is None or previous.confidence < relation.confidence:
            self.facts[key] = relation

    # --- the passes ---------------------------------------------------------------------------

    def run(self) -> tuple[list[Relation], dict[str, Entity]]:
        self._note_pairs()
        self.events_pass()
        self.documents_pass()
        self.voice_pass()
        for token in self.doc:
            if token.pos_ in ("VERB", "AUX") or token.tag_.startswith("VB"):
                self.verb_pass(token)
            if token.pos_ in ("NOUN", "PROPN"):
                self.noun_pass(token)
            if token.dep_ == "prep" and token.lower_ in ("in", "at"):
                self.locative_pass(token)
        relations = sorted(
            self.facts.values(),
            key=lambda r: (r.sentence, str(r.subject), str(r.predicate), str(r.object)),
        )
        return relations, self.new_entities

    def verb_pass(self, verb: Token) -> None:
        lemma = verb.lemma_.lower()
        entries = self.lex.by_verb.get(lemma, ())
        capability = self.lex.verb_capabilities.get(lemma)
        if not entries and capability is None:
            return
        polarity = self.polarity(verb)
        if polarity <= 0.0:
            return
        sentence = self.sent_of[verb.i]
        themes = self.theme_tokens(verb)
        if any(_negated_object(t) for t in themes):
            return
        done: set[tuple[URIRef, URIRef]] = set()
        for rule, template in entries:
            if not self.has_required(verb, template):
                continue
            subjects = self._readings_of(self.role_tokens(verb, template.subject_role, themes))
            if not subjects and rule.name != "threatens":
                continue  # threats may still reach a cause through a causal chain below
            if template.object_role == lx.CLAUSE:
                objects = [(r, d) for r, d in self.clause_readings(verb)]
            else:
                objects = [
                    (r, _distance(verb, t))
                    for t in self.role_tokens(verb, template.object_role, themes)
                    for r in self.readings(t)
                ]
            for subject in subjects:
                for obj, distance in objects:
                    pair = (subject.entity.iri, obj.entity.iri)
                    if pair in done or not self.lex.fits(rule, subject.classes, obj.classes):
                        continue
                    done.add(pair)
                    self.emit(
                        rule,
                        subject,
                        obj,
                        sentence,
                        factor=polarity * _path_factor(distance),
                        pattern=f"verb:{template.text}",
                    )
            if rule.name == "threatens":
                self._causal_threats(verb, rule, subjects, objects, sentence, polarity)
        if capability is not None:
            self._verb_capability(verb, capability, themes, sentence, polarity)

    def _readings_of(self, tokens: list[Token]) -> list[Reading]:
        found: list[Reading] = []
        for token in tokens:
            found.extend(self.readings(token))
        return _unique(found)

    def _verb_capability(
        self, verb: Token, capability: URIRef, themes: list[Token], sentence: int, polarity: float
    ) -> None:
        """'Satellites can be jammed' -> jamming threatens satellites; 'Russia jams' -> has it."""
        cap = self._capability(capability)
        threatens = self.lex.rules["threatens"]
        for target in self._readings_of(themes):
            self.emit(threatens, cap, target, sentence, factor=polarity, pattern="verb-capability")
        has = self.lex.rules["hasCapability"]
        for agent in self._readings_of(self.agent_tokens(verb)):
            self.emit(
                has,
                agent,
                cap,
                sentence,
                factor=polarity * lx.INFERRED_FACTOR,
                pattern="verb-capability-agent",
            )

    def _causal_threats(
        self,
        verb: Token,
        rule: PropertyRule,
        subjects: list[Reading],
        objects: list[tuple[Reading, int]],
        sentence: int,
        polarity: float,
    ) -> None:
        """'The test caused a debris field that increases risk to X': the test threatens X."""
        subject_tokens = self.agent_tokens(verb)
        for token in subject_tokens:
            carrier = token.head.head if token.lower_ in _RELATIVE_PRONOUNS else token
            cause_verb = carrier.head
            if carrier.dep_ not in _OBJECT_DEPS or cause_verb.lemma_.lower() not in (
                self.lex.words.causative_verbs
            ):
                continue
            for cause in self._readings_of(self.agent_tokens(cause_verb)):
                for obj, distance in objects:
                    self.emit(
                        rule,
                        cause,
                        obj,
                        sentence,
                        factor=polarity * lx.CHAIN_FACTOR * _path_factor(distance),
                        pattern="causal-chain",
                    )

    def noun_pass(self, noun: Token) -> None:
        """'Finland is a member of NATO', 'Skylogic, a subsidiary of Eutelsat', 'threat to X'."""
        rules = self.lex.by_noun.get(noun.lemma_.lower(), ())
        if not rules:
            return
        sentence = self.sent_of[noun.i]
        subjects = self._readings_of(self._noun_subjects(noun))
        if not subjects:
            return
        if noun.head.lemma_ in _COPULAS and self.polarity(noun.head) <= 0.0:
            return
        if any(c.dep_ == "det" and c.lower_ == "no" for c in noun.children):
            return
        for rule in rules:
            object_tokens = [
                pobj
                for prep in noun.children
                if prep.dep_ == "prep" and prep.lower_ in rule.nouns[noun.lemma_.lower()]
                for pobj in prep.children
                if pobj.dep_ == "pobj"
            ]
            # "a Eutelsat subsidiary", "NATO's member": the modifier is the whole.
            object_tokens += [
                c for c in noun.children if c.dep_ in ("poss", "compound") and c.i < noun.i
            ]
            if noun.dep_ == "compound":
                object_tokens += [c for c in noun.children if c.dep_ == "compound" and c.i < noun.i]
            for subject in subjects:
                for token in object_tokens:
                    for obj in self.readings(token):
                        self.emit(
                            rule,
                            subject,
                            obj,
                            sentence,
                            factor=_path_factor(_distance(noun, token)),
                            pattern=f"noun:{noun.lemma_.lower()}",
                        )

    def _noun_subjects(self, noun: Token) -> list[Token]:
        """What a relational noun describes: the copula's subject or the apposed name."""
        found: list[Token] = []
        head = noun.head
        if noun.dep_ in ("attr", "acomp", "oprd") and head.lemma_ in _COPULAS:
            found += [c for c in head.children if c.dep_ in _SUBJECT_DEPS]
        if noun.dep_ == "appos":
            found.append(head)
        if noun.dep_ == "pobj" and head.lower_ == "as" and head.head.pos_ in ("VERB", "AUX"):
            found += self.agent_tokens(head.head)  # "X serves as director of Y"
        found += [c for c in noun.children if c.dep_ == "appos"]
        if noun.dep_ == "compound" and head.i in self.token_reading:
            found.append(head)  # "Eutelsat subsidiary Skylogic"
        # The threat nouns take their subject from a possessor or a "from"/"by" phrase.
        for child in noun.children:
            if child.dep_ == "poss" and noun.lemma_.lower() in ("threat", "risk", "condemnation"):
                found.append(child)
            if child.dep_ == "prep" and child.lower_ in ("from", "by"):
                found += [p for p in child.children if p.dep_ == "pobj"]
        return found

    def locative_pass(self, prep: Token) -> None:
        """'the NATO Space Centre of Excellence in Toulouse' -> locatedIn."""
        holder = prep.head
        if holder.pos_ not in ("NOUN", "PROPN"):
            return
        rule = self.lex.rules["locatedIn"]
        sentence = self.sent_of[prep.i]
        items = self.readings(holder, conj=False)
        for pobj in (c for c in prep.children if c.dep_ == "pobj"):
            for place in self.readings(pobj):
                for item in items:
                    self.emit(rule, item, place, sentence, factor=0.8, pattern="prep:in")

    # --- documents and the document's own voice ------------------------------

    def documents_pass(self) -> None:
        """'France adopted a space defence strategy in July 2019', 'Communiqué issued by X'.

        A document noun names the source document when it stands in the title line or says
        "this"; otherwise it becomes a document of its own once the sentence says who issued it.
        """
        published = self.lex.rules["published"]
        nouns = self.lex.words.document_nouns
        for token in self.doc:
            cls = nouns.get(token.lemma_.lower()) or nouns.get(token.lower_)
            if cls is None or token.pos_ not in ("NOUN", "PROPN") or token.i in self.token_reading:
                continue
            if token.tag_ in ("NNS", "NNPS"):
                continue
            sentence = self.sent_of[token.i]
            if self._names_source(token, cls, sentence):
                self.token_reading[token.i] = self.document  # type: ignore[assignment]
                for actor in self._document_publishers(token):
                    self.emit(published, actor, self.document, sentence, pattern="document:self")
                continue
            publishers = self._document_publishers(token)
            if not publishers:
                continue
            date = self._document_date(token)
            surface = _surface(token)
            label = f"{publishers[0].entity.label} {surface}"
            if date is not None and len(surface.split()) == 1:
                label += f" {date.iso[:4]}"  # "Defense Intelligence Agency report 2019"
            entity = Entity(iri=mint("document", label), label=label, classes=(cls,), curated=False)
            reading = Reading(entity, self.lex.closure((cls,)), lx.INFERRED_FACTOR)
            self.token_reading[token.i] = reading
            for actor in publishers:
                self.emit(published, actor, reading, sentence, pattern="document:publisher")
            if date is not None:
                self._register(entity)
                self._add(
                    Relation(
                        subject=entity.iri,
                        predicate=SKG.date,
                        object=date.literal(),
                        confidence=round(0.9 * lx.INFERRED_FACTOR, 4),
                        sentence=sentence,
                        pattern="document:date",
                    )
                )

    def _names_source(self, token: Token, cls: URIRef, sentence: int) -> bool:
        if self.document is None or cls not in self.document.classes:
            return False
        if sentence == self.title_sentence:
            return True
        return any(
            c.dep_ in ("det", "amod") and c.lower_ in lx.SELF_DETERMINERS for c in token.children
        )

    def _document_publishers(self, token: Token) -> list[Reading]:
        """Who issued the document `token` names: its possessor, 'by' agent or issuing verb."""
        published = self.lex.rules["published"]
        verbs = {t.lemma for t in published.verbs}
        tokens: list[Token] = []
        for child in token.children:
            if child.dep_ == "poss":
                tokens.append(child)
            elif child.dep_ == "prep" and child.lower_ == "by":
                tokens += [p for p in child.children if p.dep_ == "pobj"]
            elif (
                child.dep_ == "acl"
                and child.lemma_.lower() in verbs
                and self.is_passive(child)
                and self.polarity(child) >= 1.0
            ):
                tokens += self.agent_tokens(child)
        head = token.head
        if (
            token.dep_ in ("dobj", "nsubjpass")
            and head.lemma_.lower() in verbs
            and self.polarity(head) >= 1.0
        ):
            tokens += self.agent_tokens(head)
        if (
            token.dep_ == "pobj"
            and head.lower_ == "in"
            and head.head.lemma_.lower() in self.lex.words.reporting_verbs
        ):
            tokens += self.agent_tokens(head.head)  # "X warned in a report that ..."
        return [r for r in self._readings_of(tokens) if published.domain & r.classes]

    def _document_date(self, token: Token) -> DateValue | None:
        """A date on the document noun ('a report last year') or on the verb that issued it."""
        for child in token.children:
            if child.dep_ in ("npadvmod", "tmod") or (
                child.dep_ == "prep" and child.lower_ in _DATE_PREPS
            ):
                nodes = (
                    [child]
                    if child.dep_ != "prep"
                    else [p for p in child.children if p.dep_ == "pobj"]
                )
                for node in nodes:
                    date = self._date_of(node)
                    if date is not None:
                        return date
        if token.dep_ in ("dobj", "nsubjpass", "pobj"):
            verb = token.head if token.dep_ != "pobj" else token.head.head
            if verb.pos_ in ("VERB", "AUX"):
                mention = _EventMention(token, self.sent_of[token.i], SKG.Event)
                self._event_date_from(mention, verb, exclude=token)
                return mention.date
        return None

    def voice_pass(self) -> None:
        """A policy or declaration declares the doctrine its own main clauses state.

        "Space is contested, congested and competitive" in a policy: the concept is the main
        predicate, or the subject or complement of the main copula, of a plain statement.
        """
        if self.document is None or not (self.document.classes & lx.NORMATIVE_DOCUMENTS):
            return
        rule = self.lex.rules["declares"]
        for index, sent in enumerate(self.sents):
            root = sent.root
            if sent.text.rstrip().endswith("?") or self.polarity(root) < 1.0:
                continue
            clauses = [root]
            if root.lemma_ in _COPULAS:
                clauses = [
                    c for c in root.children if c.dep_ in ("nsubj", "csubj", "attr", "acomp")
                ]
            for span in sent.ents:
                concept = self.token_reading.get(span.root.i)
                if concept is None or SKG.DoctrineConcept not in concept.classes:
                    continue
                holds = root.i in _range(span) or any(
                    span.root.i == c.i or c.is_ancestor(span.root) for c in clauses if c is not root
                )
                if holds:
                    self.emit(rule, self.document, concept, index, factor=0.9, pattern="voice")

    # --- events -------------------------------------------------------------------------------

    def events_pass(self) -> None:
        mentions: list[_EventMention] = []
        for token in self.doc:
            mention = self._event_mention(token)
            if mention is not None:
                mentions.append(mention)
        clusters = self._cluster(mentions)
        for cluster in clusters:
            self._name_cluster(cluster)
        for cluster in clusters:
            entity = cluster.entity
            if entity is None:
                continue
            classes = self.lex.closure(entity.classes)
            for mention in cluster.mentions:
                factor = lx.CHAIN_FACTOR if mention.anaphoric else 1.0
                reading = Reading(entity, classes, EVENT_SCORE, factor)
                self.token_reading[mention.token.i] = reading
                span = mention.span
                if span is not None and str(span._.iri) != str(entity.iri):
                    self.renamed[(span.start, span.end)] = entity
                    for i in range(span.start, span.end):
                        self.token_reading[i] = reading
            self._register(entity)
            self._event_facts(cluster, Reading(entity, classes, EVENT_SCORE))

    def _specific_event_class(self, classes: frozenset[URIRef]) -> URIRef:
        """The most specific event class of a minted event (by the ontology's hierarchy)."""
        events = [c for c in classes if SKG.Event in self.lex.closure((c,)) and c != SKG.Event]
        for cls in sorted(events):
            if not any(
                other != cls and cls in self.lex.superclasses.get(other, ()) for other in events
            ):
                return cls
        return SKG.Event

    def _event_class(self, token: Token) -> URIRef | None:
        word = token.lower_
        lemma = token.lemma_.lower()
        cls = self.lex.words.event_nouns.get(word) or self.lex.words.event_nouns.get(lemma)
        if cls is None:
            return None
        left = [t for t in token.subtree if t.i < token.i and t.dep_ != "case"]
        words = {t.lower_ for t in left} | {t.lemma_.lower() for t in left}
        # "a cyber-attack", "the meeting of Foreign Ministers": modifiers refine the class.
        right = [
            t
            for prep in token.children
            if prep.dep_ == "prep" and prep.lower_ == "of"
            for t in prep.subtree
        ]
        words |= {t.lower_ for t in right}
        if token.i > 1 and self.doc[token.i - 1].lower_ == "-":
            words.add(self.doc[token.i - 2].lower_)
        if words & self.lex.words.not_event_modifiers:
            return None  # "press conference", "news conference"
        for modifier, refined in self.lex.words.event_modifiers.items():
            if modifier in words and _refines(refined, cls):
                cls = refined
        if cls == SKG.ASATTest:
            modifier_caps = [self.token_reading[t.i] for t in left if t.i in self.token_reading]
            capability_hint = any(SKG.CounterspaceCapability in r.classes for r in modifier_caps)
            if not (words & self.lex.words.test_modifiers or capability_hint):
                return None
        return cls

    def _verb_event(self, token: Token) -> _EventMention | None:
        """A verb the trained NER marked as a minted event ("Russia tested a missile on 15
        November 2021"): its subject is the actor, its object the target (when the property
        admits it), its date modifiers the date; then it is resolved like a noun mention."""
        linked = self.token_reading.get(token.i)
        span = self.span_of.get(token.i)
        if (
            linked is None
            or span is None
            or SKG.Event not in linked.classes
            or linked.entity.curated
            or span.root.i != token.i
            or self.polarity(token) <= 0.0
        ):
            return None
        mention = _EventMention(
            token,
            self.sent_of[token.i],
            self._specific_event_class(linked.classes),
            span=span,
        )
        conducted, targeted = self.lex.rules["conducted"], self.lex.rules["targeted"]
        # Both read the voice: the "by" agent and the passive subject when passive.
        agents, themes = self.agent_tokens(token), self.theme_tokens(token)
        mention.actors += [r for r in self._readings_of(agents) if conducted.domain & r.classes]
        mention.targets += [
            r
            for r in self._readings_of(themes)
            if targeted.range & r.classes and SKG.Capability not in r.classes
        ]
        self._event_date_from(mention, token, exclude=None)
        if not (mention.actors or mention.targets or mention.date):
            return None
        return mention

    def _event_mention(self, token: Token) -> _EventMention | None:
        if token.pos_ == "VERB":
            return self._verb_event(token)
        if token.pos_ not in ("NOUN", "PROPN"):
            return None
        linked = self.token_reading.get(token.i)
        span = self.span_of.get(token.i)
        cls: URIRef | None = None
        if linked is not None and SKG.Event in linked.classes and not linked.entity.curated:
            # A minted event span of the trained NER: resolved like any event mention (to
            # the curated event, or one named by actor, class and date), through its head.
            if span is None or span.root.i != token.i or token.tag_ in ("NNS", "NNPS"):
                return None
            cls = self._specific_event_class(linked.classes)
            if self._event_class(token) is None and _is_anaphoric(
                token, self.lex.words.anaphoric_event_nouns
            ):
                # "the test" after "Russia's ASAT test on 15 November 2021": that test.
                return _EventMention(token, self.sent_of[token.i], cls, anaphoric=True, span=span)
        elif linked is not None and (
            SKG.Event in linked.classes or not _is_capability_or_none(linked.classes)
        ):
            return None  # already a linked event, or part of another kind of name
        else:
            span = None
        if token.tag_ in ("NNS", "NNPS"):
            return None  # "dozens of tests": no one event
        cls = cls or self._event_class(token)
        if cls is None:
            base = self.lex.words.event_nouns.get(token.lemma_.lower())
            if base is not None and _is_anaphoric(token, self.lex.words.anaphoric_event_nouns):
                # "This test caused...": a bare noun that points back to an earlier event.
                return _EventMention(token, self.sent_of[token.i], base, anaphoric=True)
            return None
        mention = _EventMention(token, self.sent_of[token.i], cls, span=span)
        actor_rule = self.lex.rules["conducted"]
        # Possessor and national or organisational modifiers: "Russia's test", "NATO summit".
        for child in token.children:
            if child.dep_ == "poss" or (child.dep_ in _MODIFIER_DEPS and child.i < token.i):
                for reading in self.readings(child):
                    if actor_rule.domain & reading.classes:
                        mention.actors.append(reading)
            if child.dep_ == "prep":
                pobjs = [p for p in child.children if p.dep_ == "pobj"]
                for pobj in pobjs:
                    self._event_prep(mention, child.lower_, pobj)
            if child.dep_ in ("acl", "relcl"):
                self._event_clause(mention, child)
        # The verb the event is the subject or object of: "X conducted a test on DATE".
        governor = token.head
        if (
            token.dep_ in ("dobj", "nsubjpass")
            and governor.lemma_.lower() in self.c.conduct_lemmas
            and self.polarity(governor) <= 0.0
        ):
            return None  # "China did not conduct a test": no event happened
        if token.dep_ in ("nsubj", "nsubjpass", "dobj") and governor.pos_ in ("VERB", "AUX"):
            if token.dep_ == "dobj" and governor.lemma_.lower() in self.c.conduct_lemmas:
                for reading in self._readings_of(self.agent_tokens(governor)):
                    if actor_rule.domain & reading.classes:
                        mention.actors.append(reading)
            if token.dep_ == "nsubj" and governor.lemma_.lower() in self.c.target_lemmas:
                for reading in self._readings_of(self.theme_tokens(governor)):
                    if self.lex.rules["targeted"].range & reading.classes:
                        mention.targets.append(reading)
            self._event_date_from(mention, governor, exclude=token)
        mention.actors = _unique(mention.actors)
        mention.targets = _unique(mention.targets)
        if not (mention.actors or mention.targets or mention.date or mention.places):
            if _is_anaphoric(token, self.lex.words.anaphoric_event_nouns):
                mention.anaphoric = True
                return mention
            return None
        return mention

    def _event_prep(self, mention: _EventMention, prep: str, pobj: Token) -> None:
        if prep in lx.EVENT_AGENT_PREPS or (prep == "of" and _refines(mention.cls, SKG.Meeting)):
            mention.actors += [
                r for r in self.readings(pobj) if self.lex.rules["conducted"].domain & r.classes
            ]
            return
        if prep in lx.EVENT_TARGET_PREPS and _is_hostile(mention.cls):
            targets = [
                r for r in self.readings(pobj) if self.lex.rules["targeted"].range & r.classes
            ]
            if targets:
                mention.targets += targets
                return
        if prep in ("in", "at") and _refines(mention.cls, SKG.Meeting):
            places = [
                r for r in self.readings(pobj) if self.lex.rules["locatedIn"].range & r.classes
            ]
            if places:
                mention.places += places
                return
        if prep in _DATE_PREPS:
            mention.date = _better_date(mention.date, self._date_of(pobj))

    def _event_clause(self, mention: _EventMention, verb: Token) -> None:
        """'the test conducted by Russia', 'the attack, which occurred on 24 February 2022'."""
        lemma = verb.lemma_.lower()
        if self.polarity(verb) <= 0.0:
            return
        if lemma in self.c.conduct_lemmas and self.is_passive(verb):
            mention.actors += [
                r
                for r in self._readings_of(self.agent_tokens(verb))
                if self.lex.rules["conducted"].domain & r.classes
            ]
        if lemma in self.c.target_lemmas and not self.is_passive(verb):
            mention.targets += [
                r
                for r in self._readings_of(self.theme_tokens(verb))
                if self.lex.rules["targeted"].range & r.classes
            ]
        self._event_date_from(mention, verb, exclude=None)

    def _event_date_from(self, mention: _EventMention, verb: Token, exclude: Token | None) -> None:
        if mention.date is not None and not mention.date.relative:
            return
        for child in verb.children:
            if exclude is not None and exclude.i in {t.i for t in child.subtree}:
                continue
            if child.dep_ == "prep" and child.lower_ in _DATE_PREPS:
                for pobj in child.children:
                    if pobj.dep_ == "pobj":
                        mention.date = _better_date(mention.date, self._date_of(pobj))
            elif child.dep_ in ("npadvmod", "tmod"):
                mention.date = _better_date(mention.date, self._date_of(child))

    def _date_of(self, token: Token) -> DateValue | None:
        tokens = list(token.subtree)
        if len(tokens) > 12:
            return None
        text = self.doc[tokens[0].i : tokens[-1].i + 1].text
        text = _DAY_RANGE.sub(r"\1 ", text.strip())
        return parse_date(text, reference=self.doc._.doc_date)

    def _cluster(self, mentions: list[_EventMention]) -> list[_EventCluster]:
        """Merge the mentions of one event; anaphoric mentions join the latest compatible one."""
        clusters: list[_EventCluster] = []
        for mention in mentions:
            if mention.anaphoric:
                for index in range(len(clusters) - 1, -1, -1):
                    cluster = clusters[index]
                    if _compatible_class(cluster.cls, mention.cls) or mention.token.lemma_ == (
                        "incident"
                    ):
                        cluster.mentions.append(mention)
                        break
                continue
            target = None
            for cluster in clusters:
                if _same_event(cluster, mention):
                    target = cluster
                    break
            if target is None:
                clusters.append(_EventCluster(mention.cls, [mention], mention.date))
            else:
                target.mentions.append(mention)
                if _refines(mention.cls, target.cls):
                    target.cls = mention.cls
                target.date = _better_date(target.date, mention.date)
        return clusters

    def _name_cluster(self, cluster: _EventCluster) -> None:
        """The curated event of the same class whose actor agrees (when both are known) and
        whose date or target agrees; else a minted one named by actor, class and date, so
        every document that mentions that event names the same individual."""
        date = cluster.date
        targets = {r.entity.iri for m in cluster.mentions for r in m.targets}
        actor_iris = {r.entity.iri for m in cluster.mentions for r in m.actors}
        for curated in self.c.curated_events:
            if not (_compatible_class_set(curated.classes, cluster.cls)):
                continue
            known_actors = self._curated_actors(curated)
            if actor_iris and known_actors and not actor_iris & known_actors:
                continue  # another actor's test on the same day is another test
            same_date = (
                date is not None
                and curated.date is not None
                and (curated.date.startswith(date.iso) or date.iso.startswith(curated.date))
            )
            if same_date:
                cluster.entity = curated.entity
                return
            if date is None and targets and self._curated_targets(curated) & targets:
                cluster.entity = curated.entity
                return
        actors = [r.entity for m in cluster.mentions for r in m.actors]
        targets_e = [r.entity for m in cluster.mentions for r in m.targets]
        places = [r.entity for m in cluster.mentions for r in m.places]
        class_label = lx.event_class_label(cluster.cls)
        parts: list[str] = []
        if actors:
            parts += [actors[0].label, class_label]
        elif targets_e:
            parts += [class_label, "against", targets_e[0].label]
        else:
            parts += [class_label]
        if places and not actors and date is None:
            parts += ["in", places[0].label]  # one event per (class, actor, date) otherwise
        if date is not None:
            parts.append(date.iso)
        if len(parts) == 1:
            return  # nothing makes it specific: not an event of ours
        label = " ".join(parts)
        # The words the text used ("organizational session") stay findable as altLabels.
        surfaces = sorted(
            {_surface(m.token) for m in cluster.mentions if not m.anaphoric} - {label, ""}
        )
        cluster.entity = Entity(
            iri=mint("event", label),
            label=label,
            classes=(cluster.cls,),
            curated=False,
            alt_labels=tuple(surfaces),
        )

    def _curated_date(self, entity: Entity) -> str | None:
        for curated in self.c.curated_events:
            if curated.entity.iri == entity.iri:
                return curated.date
        return None

    def _curated_actors(self, curated: CuratedEvent) -> set[URIRef]:
        """Who the reference data says carried the event out or is held responsible."""
        from ingest.ontology import reference_graph

        graph = reference_graph()
        found = set(graph.subjects(SKG.conducted, curated.entity.iri))
        found |= set(graph.objects(curated.entity.iri, SKG.attributedTo))
        return {a for a in found if isinstance(a, URIRef)}

    def _curated_targets(self, curated: CuratedEvent) -> set[URIRef]:
        from ingest.ontology import reference_graph

        return {
            o
            for o in reference_graph().objects(curated.entity.iri, SKG.targeted)
            if isinstance(o, URIRef)
        }

    def _event_facts(self, cluster: _EventCluster, event: Reading) -> None:
        conducted = self.lex.rules["conducted"]
        targeted = self.lex.rules["targeted"]
        located = self.lex.rules["locatedIn"]
        for mention in cluster.mentions:
            for actor in mention.actors:
                self.emit(
                    conducted,
                    actor,
                    event,
                    mention.sentence,
                    pattern="event:actor",
                    extractor=EXTRACTOR_EVENT,
                )
            for target in mention.targets:
                self.emit(
                    targeted,
                    event,
                    target,
                    mention.sentence,
                    pattern="event:target",
                    extractor=EXTRACTOR_EVENT,
                )
            for place in mention.places:
                self.emit(
                    located,
                    event,
                    place,
                    mention.sentence,
                    factor=0.9,
                    pattern="event:place",
                    extractor=EXTRACTOR_EVENT,
                )
        if cluster.date is None:
            return
        curated_date = self._curated_date(event.entity)
        if event.entity.curated and curated_date != cluster.date.iso:
            return  # a curated event keeps its one curated date (skg:date is functional)
        sentence = next(m.sentence for m in cluster.mentions if m.date is not None)
        self._add(
            Relation(
                subject=event.entity.iri,
                predicate=SKG.date,
                object=cluster.date.literal(),
                confidence=round(0.9 * EVENT_SCORE, 4),
                sentence=sentence,
                extractor=EXTRACTOR_EVENT,
                pattern="event:date",
            )
        )


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


def _same_event(cluster: _EventCluster, mention: _EventMention) -> bool:
    if not _compatible_class(cluster.cls, mention.cls):
        return False
    if cluster.date and mention.date and not cluster.date.agrees_with(mention.date):
        return False
    if cluster.date and mention.date:
        return True
    ids = {r.entity.iri for m in cluster.mentions for r in (*m.actors, *m.targets)}
    return bool(ids & {r.entity.iri for r in (*mention.actors, *mention.targets)})


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


__all__ = [
    "FACTORY",
    "CuratedEvent",
    "Reading",
    "RelationExtractor",
    "curated_entities",
    "curated_events",
    "make_relation_extractor",
]
