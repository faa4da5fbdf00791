"""The spaCy pipeline: the small English model with spacekg's trained and rule components.

The pipeline ships as a folder (`assemble.PIPELINE_DIR`, built by `make train`); its parts:
`assemble` (order and loading), `candidates` (pairs the ontology admits), `relation_model`
(the thinc model) and `relations` (the trained relation classifier).

`extract` runs a whole batch through one `nlp.pipe`, so the model's batching does the work,
and turns each Doc into an `Extraction` (sentences, mentions, entities, relations) for
`to_rdf`. A long text is cut into chunks of bounded size (`chunks`), each a Doc of its own, so
time and memory per document grow linearly with its length. The pipeline is loaded once per
process.
"""

from __future__ import annotations

from bisect import bisect_right
from collections.abc import Callable, Generator, Iterator, Sequence
from contextlib import closing
from functools import lru_cache

from rdflib import URIRef
from spacy.language import Language
from spacy.tokens import Doc, Span

from ingest.config import Settings
from ingest.extraction import (
    EVENT_PHRASES,
    Entity,
    Extraction,
    Mention,
    Relation,
    Sentence,
    register_extensions,
)
from ingest.iri import source_iri
from ingest.load import SourceText
from ingest.memory import release_free_memory
from ingest.nlp.publisher import publisher_entity
from ingest.to_rdf import document_class
from ingest.vocab import SKG

from .assemble import BASE_MODEL, LINKER, RULES, load
from .chunks import CHUNK_CHARS, Joiner, chunk_bounds
from .fit import is_a
from .link import text_key
from .link_tables import kind_words
from .resolve import resolve

# Characters per spaCy batch: bounds the memory of a batch, whatever its documents' lengths.
BATCH_CHARS = 100_000
# Worker processes pay off only on enough chunks (starting them takes about a second).
PARALLEL_MIN_CHUNKS = 4
# Chunks per batch sent to a worker process (`_parallel`).
WORKER_BATCH = 1
# (chunks done, chunks in all) as a batch goes through the pipeline.
ChunkProgress = Callable[[int, int], None]

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
    entities: dict[URIRef, Entity] = {
        URIRef(key): entity for key, entity in (doc._.entities or {}).items()
    }
    phrases = list(doc.spans.get(EVENT_PHRASES, ()))
    mentions = []
    for ent in [*doc.ents, *phrases]:
        if ent._.iri is None or _inside_event_phrase(ent, phrases, entities):
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
    mentions.sort(key=lambda m: (m.start_char, m.end_char))
    relations: list[Relation] = list(doc._.relations or [])
    return Extraction(
        sentences=sentences,
        entities=entities,
        mentions=mentions,
        relations=relations,
        notes=list(doc._.notes or []),
        doc=doc,
    )


def _inside_event_phrase(ent: Span, phrases: list[Span], entities: dict[URIRef, Entity]) -> bool:
    """A capability named inside an event's phrase ("anti-satellite missile" of
    "anti-satellite missile test") is part of the event's name there, not a mention of its
    own (the annotation guide's flat spans); its facts keep their sentence."""
    entity = entities.get(URIRef(ent._.iri))
    return (
        entity is not None
        and is_a(entity, SKG.Capability)
        and any(p.start <= ent.start and ent.end <= p.end for p in phrases)
    )


def _prepared(
    nlp: Language,
    text: str,
    date: str | None,
    source: SourceText | None = None,
    key: str | None = None,
) -> Doc:
    doc = nlp.make_doc(text)
    doc._.doc_date = date
    doc._.doc_key = key
    doc._.notes = []
    if source is not None:
        # The relation extractor may make the document itself an end of a fact.
        doc._.doc_iri = str(source_iri(source.docid))
        doc._.doc_classes = (str(document_class(source)),)
        doc._.doc_title = source.title or None
        publisher = publisher_entity(source.publisher)
        doc._.doc_publisher = str(publisher.iri) if publisher is not None else None
    return doc


def _batches(docs: Iterator[Doc], most: int, chars: int) -> Iterator[list[Doc]]:
    """Batches of at most `most` Docs and, past the first Doc, `chars` characters: spaCy's
    memory grows with a batch's length, so a long text's chunks go through a few at a time."""
    batch: list[Doc] = []
    size = 0
    for doc in docs:
        if batch and (len(batch) >= most or size + len(doc.text) > chars):
            yield batch
            batch, size = [], 0
        batch.append(doc)
        size += len(doc.text)
    if batch:
        yield batch


def _run(
    texts: Sequence[tuple[str, str | None, SourceText | None]],
    batch_size: int,
    limit: int,
    progress: ChunkProgress | None,
    processes: int = 1,
) -> list[Extraction]:
    nlp = build_pipeline()
    bounds = [chunk_bounds(text, limit) for text, _, _ in texts]
    total = sum(len(b) for b in bounds)
    order: list[tuple[int, int]] = []  # (text number, offset) of each Doc handed to spaCy

    def docs() -> Iterator[Doc]:
        """Chunk Docs made lazily, so only a batch of them is alive at a time."""
        for number, (text, date, source) in enumerate(texts):
            key = text_key(text)
            for start, end in bounds[number]:
                order.append((number, start))
                yield _prepared(nlp, text[start:end], date, source, key)

    joiners = [Joiner() for _ in texts]
    parallel = processes > 1 and total >= PARALLEL_MIN_CHUNKS
    stream = _parallel(nlp, docs(), processes) if parallel else _serial(nlp, docs(), batch_size)
    # Closed on every way out: the parallel stream enables the cached pipeline's components
    # again when it ends, also when a chunk fails.
    with closing(stream) as annotated:
        for done, doc in enumerate(annotated, start=1):
            number, offset = order[done - 1]
            extraction = to_extraction(doc)
            if len(bounds[number]) > 1:
                extraction.doc = None  # a chunk's Doc is not the document's: do not keep it
            joiners[number].add(offset, extraction)
            del doc, extraction
            if len(bounds[number]) > 1:
                release_free_memory()  # the chunk's Doc is gone: give its pages back
            if progress is not None:
                progress(done, total)
    words = nlp.get_pipe(RULES).lexicon.words
    nouns, events = frozenset(words.document_nouns), frozenset(words.event_nouns)
    kinds = kind_words(nlp.get_pipe(LINKER).files)
    return [
        resolve(joiner.result(), text, nouns, events, kinds)
        for joiner, (text, _, _) in zip(joiners, texts, strict=True)
    ]


def _serial(nlp: Language, docs: Iterator[Doc], most: int) -> Generator[Doc, None, None]:
    for batch in _batches(docs, most, BATCH_CHARS):
        yield from nlp.pipe(batch, batch_size=len(batch))


def _parallel(nlp: Language, docs: Iterator[Doc], processes: int) -> Generator[Doc, None, None]:
    """The components before the linker (the English model, the ruler, the trained NER: plain
    spaCy annotations) in spaCy's worker processes (`n_process`), one stream for the whole
    batch, and the rest here: the linker's and the relation components' Doc attributes hold
    objects spaCy cannot send between processes.

    Each worker batch is one chunk (`WORKER_BATCH`): a worker holds its batch's Docs and their
    tensors, and spaCy keeps two batches per worker in flight, so five chunks a batch kept a
    worker at 470-535 MB on a 3 MB text and one keeps it at ~270 MB; the model's own batching
    gains little on 20k-character Docs."""
    later = nlp.pipe_names[nlp.pipe_names.index(LINKER) :]
    with nlp.select_pipes(disable=later):
        for doc in nlp.pipe(docs, batch_size=WORKER_BATCH, n_process=processes):
            for name in later:
                doc = nlp.get_pipe(name)(doc)
            yield doc
            del doc  # not held while the next chunk comes from a worker and is annotated


def extract(
    sources: Sequence[SourceText],
    batch_size: int = 32,
    chunk_chars: int = CHUNK_CHARS,
    progress: ChunkProgress | None = None,
    processes: int = 1,
) -> list[Extraction]:
    """Run every source through one `nlp.pipe` batch; one Extraction per source, in order.

    A source longer than `chunk_chars` goes through in chunks (`chunks`); its Extraction then
    keeps no Doc.
    """
    texts = [(source.text, source.date, source) for source in sources]
    return _run(texts, batch_size, chunk_chars, progress, processes)


def analyse(text: str, date: str | None = None, chunk_chars: int = CHUNK_CHARS) -> Extraction:
    """One text, for the app's preview."""
    return _run([(text, date, None)], 32, chunk_chars, None)[0]
