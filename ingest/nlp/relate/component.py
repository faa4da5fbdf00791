"""The spaCy component (`RelationExtractor`) and its factory; one `_DocExtractor` per Doc."""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from pathlib import Path

from spacy.language import Language
from spacy.tokens import Doc, Span

from ingest.extraction import (
    EVENT_PHRASES,
    Entity,
    Relation,
    register_extensions,
)
from ingest.iri import term_name
from ingest.nlp import lexicon as lx
from ingest.nlp.lexicon import Lexicon, load_lexicon
from ingest.nlp.pattern_files import PatternFiles

from .common import _EXTRA_TARGET_LEMMAS, EVENT_SCORE, FACTORY, Renamed
from .curated import curated_entities, curated_events, curated_names
from .extractor import _DocExtractor


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
        relations, entities, renamed, phrases = self.predict(doc)
        self.set_annotations(doc, relations, entities, renamed, phrases)
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

    def predict(self, doc: Doc) -> tuple[list[Relation], dict[str, Entity], Renamed, Renamed]:
        """Candidate facts, the new entities (events, capabilities) they refer to, the NER's
        event spans that turned out to be another event ((start, end) -> entity), and the
        phrases of the events found where the NER marked none."""
        extractor = _DocExtractor(self, doc)
        relations, entities = extractor.run()
        return relations, entities, extractor.renamed, extractor.phrases

    def set_annotations(
        self,
        doc: Doc,
        relations: list[Relation],
        entities: dict[str, Entity],
        renamed: Renamed | None = None,
        phrases: Renamed | None = None,
    ) -> None:
        doc._.entities = doc._.entities or {}
        _keep_event_phrases(doc, phrases or {})
        for key, entity in entities.items():
            doc._.entities.setdefault(key, entity)
        old_iris = set()
        for ent in doc.ents:
            entity = (renamed or {}).get((ent.start, ent.end))
            if entity is None:
                continue
            old_iris.add(str(ent._.iri))
            _name_span(doc, ent, entity)
        still = {str(ent._.iri) for ent in doc.ents}
        for iri in old_iris - still:
            doc._.entities.pop(iri, None)
        doc._.relations = (doc._.relations or []) + relations


def _name_span(doc: Doc, span: Span, entity: Entity) -> None:
    """`span` names `entity`: the linker's attributes, and the entity among the Doc's."""
    span._.iri = str(entity.iri)
    span._.canonical = entity.label
    span._.classes = tuple(str(c) for c in entity.classes)
    span._.curated = entity.curated
    doc._.entities.setdefault(str(entity.iri), entity)


def _keep_event_phrases(doc: Doc, phrases: Renamed) -> None:
    """The events the rules found where the NER marked none get their mentions ("the recent
    anti-satellite missile test" -> "anti-satellite missile test") in `doc.spans`, not
    among `doc.ents`: the relation classifier after this component pairs the NER's spans,
    as it was trained to."""
    spans = []
    for (start, end), entity in sorted(phrases.items(), key=lambda item: item[0]):
        span = Span(doc, start, end, label=term_name(entity.classes[0]) or "Event")
        _name_span(doc, span, entity)
        span._.link_score = EVENT_SCORE
        spans.append(span)
    doc.spans[EVENT_PHRASES] = spans


@Language.factory(
    FACTORY,
    requires=["doc.ents", "token.dep"],
    assigns=["doc._.relations", "doc._.entities"],
    default_config={},
)
def make_relation_extractor(nlp: Language, name: str) -> RelationExtractor:
    """Factory for `nlp.add_pipe(FACTORY)`, after the linker."""
    return RelationExtractor(nlp, name)
