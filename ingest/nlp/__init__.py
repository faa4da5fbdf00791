"""The spaCy pipeline: the small English model with spacekg's trained and rule components.

The pipeline ships as a folder (`assemble.PIPELINE_DIR`, built by `make train`); its parts:
`assemble` (order and loading), `candidates` (pairs the ontology admits), `relation_model`
(the thinc model) and `relations` (the trained relation classifier).

`extract` runs a whole batch through one `nlp.pipe`, so the model's batching does the work,
and turns each Doc into an `Extraction` (sentences, mentions, entities, relations) for
`to_rdf`. The pipeline is loaded once per process.
"""

from __future__ import annotations

from bisect import bisect_right
from collections.abc import Sequence
from functools import lru_cache

from rdflib import URIRef
from spacy.language import Language
from spacy.tokens import Doc

from ingest.config import Settings
from ingest.extraction import Entity, Extraction, Mention, Relation, Sentence, register_extensions
from ingest.iri import source_iri
from ingest.load import SourceText
from ingest.nlp.publisher import publisher_entity
from ingest.to_rdf import document_class

from .assemble import BASE_MODEL, load

MODEL = BASE_MODEL


@lru_cache(maxsize=1)
def build_pipeline() -> Language:
    """The shipped pipeline (`assemble.PIPELINE_DIR`), loaded once per process."""
    register_extensions()
    nlp = load()
    nlp.max_length = max(nlp.max_length, Settings.from_env().max_file_bytes)
    return nlp


def to_extraction(doc: Doc) -> Extraction:
    """One processed Doc -> the Extraction handed to `to_rdf`."""
    sentences = [Sentence(s.text, s.start_char, s.end_char) for s in doc.sents]
    starts = [s.start_char for s in sentences]
    mentions = []
    for ent in doc.ents:
        if ent._.iri is None:
            continue
        mentions.append(
            Mention(
                text=ent.text,
                start_char=ent.start_char,
                end_char=ent.end_char,
                sentence=max(bisect_right(starts, ent.start_char) - 1, 0),
                iri=URIRef(ent._.iri),
                score=float(ent._.link_score),
            )
        )
    entities: dict[URIRef, Entity] = {
        URIRef(key): entity for key, entity in (doc._.entities or {}).items()
    }
    relations: list[Relation] = list(doc._.relations or [])
    return Extraction(
        sentences=sentences,
        entities=entities,
        mentions=mentions,
        relations=relations,
        notes=list(doc._.notes or []),
        doc=doc,
    )


def _prepared(nlp: Language, text: str, date: str | None, source: SourceText | None = None) -> Doc:
    doc = nlp.make_doc(text)
    doc._.doc_date = date
    doc._.notes = []
    if source is not None:
        # The relation extractor may make the document itself an end of a fact.
        doc._.doc_iri = str(source_iri(source.docid))
        doc._.doc_classes = (str(document_class(source)),)
        doc._.doc_title = source.title or None
        publisher = publisher_entity(source.publisher)
        doc._.doc_publisher = str(publisher.iri) if publisher is not None else None
    return doc


def extract(sources: Sequence[SourceText], batch_size: int = 32) -> list[Extraction]:
    """Run every source through one `nlp.pipe` batch; one Extraction per source, in order."""
    nlp = build_pipeline()
    docs = (_prepared(nlp, source.text, source.date, source) for source in sources)
    return [to_extraction(doc) for doc in nlp.pipe(docs, batch_size=batch_size)]


def analyse(text: str, date: str | None = None) -> Extraction:
    """One text, for the app's preview."""
    nlp = build_pipeline()
    return to_extraction(nlp(_prepared(nlp, text, date)))
