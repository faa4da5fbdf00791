"""Ingestion orchestration: files -> SourceText -> spaCy -> document graph -> SHACL -> store.

Each document is validated and written on its own (its own named graph, one atomic update), so
a bad file never touches the store and never stops the rest of the batch. Validation and
linking touch only the new document plus the cached ontology and reference data, never the
whole store, so the cost per document stays flat as the store grows.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Literal

from rdflib import Literal as RDFLiteral
from rdflib import URIRef
from rdflib.namespace import PROV, XSD

from . import __version__
from .config import Settings
from .errors import InputError, SpacekgError, ValidationError
from .extraction import Extraction
from .iri import docid_of, source_graph, source_iri
from .load import SourceText, iter_source_files, load_file, word_count
from .nlp import ChunkProgress
from .nlp.publisher import publisher_entity
from .records import SourceRecord
from .store import Store, internal_query
from .versions import (
    Plan,
    make_plan,
    previous_versions,
    source_name,
    superseded_versions,
    supersedes_note,
)

# "superseded": a later input of the same run has the same url or path, so this one is not
# written (the later one wins, as it would in a later run).
Status = Literal["added", "replaced", "unchanged", "superseded", "failed"]
BATCH_SIZE = 32


@dataclass
class DocumentOutcome:
    """What happened to one input file or text: one row of the ingest report."""

    source: str
    status: Status
    docid: str = ""
    title: str = ""
    facts: int = 0
    review: int = 0
    rejected: int = 0
    entities: int = 0
    words: int = 0
    notes: list[str] = field(default_factory=list)
    error: str = ""


@dataclass
class IngestReport:
    """Outcome of one ingest run; `failed` drives the CLI's exit code."""

    outcomes: list[DocumentOutcome] = field(default_factory=list)

    @property
    def failed(self) -> list[DocumentOutcome]:
        return [o for o in self.outcomes if o.status == "failed"]

    @property
    def words(self) -> int:
        return sum(o.words for o in self.outcomes if o.status != "failed")


@dataclass
class PreparedDocument:
    """A document processed up to, but not including, the write: what the app previews."""

    source: SourceText
    graph: object  # ingest.to_rdf.DocumentGraph
    violations: list[str]
    rejected: int
    replaces: list[URIRef]
    extraction: Extraction | None = None  # mentions with offsets, for previews and scoring


ProgressFn = Callable[[int, int, str], None]


def prepare(
    sources: Sequence[SourceText],
    store: Store,
    settings: Settings,
    on_chunk: ChunkProgress | None = None,
    extractions: Sequence[Extraction] | None = None,
) -> list[PreparedDocument]:
    """Extract, build and validate document graphs in one spaCy batch; writes nothing.

    `on_chunk(done, total)` follows the pipeline through the batch's chunks (a long
    document is several). `extractions` already made elsewhere (the app's worker process,
    `ingest.preview`) skip the spaCy step."""
    from .ontology import ontology_and_reference
    from .review import rejected_facts
    from .to_rdf import document_graph, drop_facts
    from .validate import revalidate, validate_graph

    extra = ontology_and_reference()
    reviewers_rejected = rejected_facts(store)
    prepared: list[PreparedDocument] = []
    extractions = _extractions(sources, store, settings, on_chunk, extractions)
    for source, extraction in zip(sources, extractions, strict=True):
        doc_graph = document_graph(
            source,
            extraction,
            min_confidence=settings.min_confidence,
            extractor_version=__version__,
            publisher=publisher_entity(source.publisher),
        )
        refused = [
            (f.s, f.p, f.o) for f in doc_graph.facts if (f.s, f.p, f.o) in reviewers_rejected
        ]
        if refused:
            doc_graph = drop_facts(doc_graph, refused, why="rejected by a reviewer before")
        report = validate_graph(doc_graph.graph, extra=extra)
        violations: list[str] = []
        rejected = 0
        if not report.conforms:
            document = source_iri(source.docid)
            metadata_problems = [v for v in report.violations if v.focus_node == document]
            if metadata_problems:
                raise ValidationError(
                    "document metadata violates the shapes: "
                    + "; ".join(v.message for v in metadata_problems),
                    source.path or source.title,
                    "fix the front matter (title, date, url) and ingest again",
                )
            bad = report.violating_facts()
            violations = [line for line in report.summary().splitlines() if line.strip()]
            before = len([f for f in doc_graph.facts if f.status == "asserted"])
            checked = doc_graph.graph
            doc_graph = drop_facts(doc_graph, bad)
            rejected = before - len([f for f in doc_graph.facts if f.status == "asserted"])
            second = revalidate(
                checked,
                doc_graph.graph,
                extra=extra,
                focus={v.focus_node for v in report.violations},
            )
            if not second.conforms:
                raise ValidationError(
                    "the document graph still violates the shapes after dropping bad facts: "
                    + second.summary().splitlines()[0],
                    source.path or source.title,
                    "report this document to the spacekg maintainers",
                )
        prepared.append(
            PreparedDocument(
                source,
                doc_graph,
                violations,
                rejected,
                previous_versions(store, source),
                extraction,
            )
        )
    return prepared


def _extractions(
    sources: Sequence[SourceText],
    store: Store,
    settings: Settings,
    on_chunk: ChunkProgress | None,
    extractions: Sequence[Extraction] | None = None,
) -> list[Extraction]:
    """spaCy over the batch (unless done elsewhere), minted names merged with the store's."""
    from .minted_names import MintedNames, merge_minted
    from .nlp import extract

    if extractions is None:
        extractions = extract(sources, progress=on_chunk, processes=settings.processes)
    extractions = list(extractions)
    # Only the stored names that could agree with the batch's: reading all of them cost
    # seconds at 1M triples (benchmarks/query.py, ingest into the 1M store).
    entities = [entity for extraction in extractions for entity in extraction.entities.values()]
    return merge_minted(
        extractions,
        [source.text for source in sources],
        MintedNames.from_store(store, entities),
    )


def _stamp(docid: str) -> list[tuple[URIRef, URIRef, RDFLiteral]]:
    now = datetime.now(UTC).isoformat(timespec="seconds")
    return [(source_iri(docid), PROV.generatedAtTime, RDFLiteral(now, datatype=XSD.dateTime))]


def commit(store: Store, doc: PreparedDocument) -> Status:
    """Write one prepared document: its graph and the removal of old versions, atomically.

    The ingestion time is stamped here, not in `to_rdf`, so document graphs stay deterministic.
    """
    graph = doc.graph.graph
    ((subject, predicate, stamp),) = _stamp(doc.source.docid)
    graph.set((subject, predicate, stamp))
    store.replace_graph(source_graph(doc.source.docid), graph, also_drop=doc.replaces)
    return "replaced" if doc.replaces else "added"


def _outcome(doc: PreparedDocument, status: Status) -> DocumentOutcome:
    facts = doc.graph.facts
    return DocumentOutcome(
        source=doc.source.path or doc.source.title,
        status=status,
        docid=doc.source.docid,
        title=doc.source.title,
        facts=sum(1 for f in facts if f.status == "asserted"),
        review=sum(1 for f in facts if f.status == "review"),
        rejected=doc.rejected,
        entities=len(doc.graph.entities),
        words=word_count(doc.source.text),
        notes=list(doc.source.notes) + list(doc.graph.notes) + doc.violations,
    )


def ingest_sources(
    store: Store,
    sources: Sequence[SourceText],
    settings: Settings,
    progress: ProgressFn | None = None,
) -> IngestReport:
    """Ingest already-loaded texts in spaCy batches; each document is committed on its own.

    Outcomes come in input order. When inputs share a url or path, the last one wins and the
    earlier ones are `superseded` (not written), however the inputs fall into batches; a
    graph of an input that stays is never dropped by another input's replacement.
    """
    store.ensure_reference()
    sources = list(sources)
    results: dict[int, DocumentOutcome] = {}
    failed: set[int] = set()
    cleaned: set[int] = set()
    done = total = 0
    while True:
        # Re-planned after failures: a failed winner gives the inputs it superseded back.
        failures = len(failed)
        # Plans look up only the inputs' own graphs (make_plan, superseded_versions).
        existing = store.present_graphs(source_graph(source.docid) for source in sources)
        plan = make_plan(sources, existing, failed)
        todo = [i for i in plan.write if i not in results]
        cleanup = [
            i
            for i in plan.unchanged
            if i not in cleaned and i not in results and plan.supersedes.get(i)
        ]
        if not todo and not cleanup:
            break
        for i in cleanup:  # unchanged, but supersedes inputs whose old versions are stored
            cleaned.add(i)
            stale = sorted(superseded_versions(store, sources, plan, i, existing))
            if stale:
                for graph in stale:
                    store.drop_graph(graph)
                source = sources[i]
                results[i] = DocumentOutcome(
                    source_name(source),
                    "replaced",
                    source.docid,
                    source.title,
                    notes=[*supersedes_note(sources, plan, i), "content unchanged"],
                )
        total += len(todo)
        for start in range(0, len(todo), BATCH_SIZE):
            batch = todo[start : start + BATCH_SIZE]
            on_chunk = _chunk_reporter(progress, done, total, source_name(sources[batch[-1]]))
            for i, outcome in _ingest_batch(
                store, sources, batch, plan, existing, settings, on_chunk
            ):
                results[i] = outcome
                if outcome.status == "failed":
                    failed.add(i)
            done += len(batch)
            if progress:
                progress(done, total, source_name(sources[batch[-1]]))
        if len(failed) == failures:
            # Nothing failed: a new plan would write and clean up nothing more.
            break
    report = IngestReport()
    for i, source in enumerate(sources):
        if i in results:
            report.outcomes.append(results[i])
        elif i in plan.superseded:
            by, key = plan.superseded[i]
            report.outcomes.append(
                DocumentOutcome(
                    source_name(source),
                    "superseded",
                    source.docid,
                    source.title,
                    notes=[
                        f"superseded by {source_name(sources[by])} (same {key}, given later): not written"
                    ],
                )
            )
        else:
            note = plan.unchanged.get(i, "")
            report.outcomes.append(
                DocumentOutcome(
                    source_name(source),
                    "unchanged",
                    source.docid,
                    source.title,
                    notes=[note] if note else [],
                )
            )
    return report


def _chunk_reporter(
    progress: ProgressFn | None, done: int, total: int, name: str
) -> ChunkProgress | None:
    """Progress inside a batch: "report.pdf: part 3 of 15" while its chunks go through."""
    if progress is None:
        return None

    def report(chunk: int, chunks: int) -> None:
        if chunks > 1:
            progress(done, total, f"{name}: part {chunk} of {chunks}")

    return report


def _ingest_batch(
    store: Store,
    sources: Sequence[SourceText],
    batch: Sequence[int],
    plan: Plan,
    existing: set[URIRef],
    settings: Settings,
    on_chunk: ChunkProgress | None = None,
) -> list[tuple[int, DocumentOutcome]]:
    """Extract `batch` in one spaCy run, then build, validate and write each document on its
    own, in parts (`document_parts`): a long document's graph is never held whole."""
    from .document_parts import parted_document
    from .ontology import ontology_and_reference
    from .review import rejected_facts

    outcomes: list[tuple[int, DocumentOutcome]] = []
    extracted: list[tuple[int, Extraction]] = []
    try:
        extracted = list(
            zip(
                batch,
                _extractions([sources[i] for i in batch], store, settings, on_chunk),
                strict=True,
            )
        )
    except SpacekgError:
        # One bad document must not sink its batch: redo the batch one document at a time.
        for i in batch:
            try:
                extracted.extend((i, e) for e in _extractions([sources[i]], store, settings, None))
            except SpacekgError as exc:
                outcomes.append((i, _failed(sources[i], exc)))
    extra = ontology_and_reference()
    refused = rejected_facts(store)
    extracted.reverse()
    while extracted:
        # Popped, so a long document's extraction is freed once its facts are planned.
        i, extraction = extracted.pop()
        source = sources[i]
        replaces = set(previous_versions(store, source)) - plan.keep
        replaces |= superseded_versions(store, sources, plan, i, existing)
        replaces.discard(source_graph(source.docid))
        try:
            doc = parted_document(
                source,
                extraction,
                min_confidence=settings.min_confidence,
                extractor_version=__version__,
                extra=extra,
                refused=refused,
            )
            del extraction
            store.write_graph_parts(
                source_graph(source.docid),
                doc.parts(_stamp(source.docid)),
                also_drop=sorted(replaces),
            )
        except SpacekgError as exc:
            outcomes.append((i, _failed(source, exc)))
            continue
        outcome = DocumentOutcome(
            source=source.path or source.title,
            status="replaced" if replaces else "added",
            docid=source.docid,
            title=source.title,
            facts=sum(1 for f in doc.facts if f.status == "asserted"),
            review=sum(1 for f in doc.facts if f.status == "review"),
            rejected=doc.rejected,
            entities=len(doc.plan.entities),
            words=word_count(source.text),
            notes=[*source.notes, *doc.notes, *doc.violations],
        )
        outcome.notes[:0] = supersedes_note(sources, plan, i)
        outcomes.append((i, outcome))
    return outcomes


def _failed(source: SourceText, exc: SpacekgError) -> DocumentOutcome:
    return DocumentOutcome(
        source_name(source), "failed", source.docid, source.title, error=str(exc)
    )


def ingest_paths(
    store: Store,
    paths: Iterable[Path],
    settings: Settings,
    progress: ProgressFn | None = None,
) -> IngestReport:
    """Ingest files and folders; unreadable files are reported and the rest still ingested.

    Outcomes come in the order the files were found (as given, folders in sorted order).
    """
    slots: list[DocumentOutcome | None] = []
    sources: list[SourceText] = []
    for path in iter_source_files(list(paths)):
        # Absolute but not resolved: a message about a broken link names the link.
        try:
            sources.append(
                load_file(Path(os.path.abspath(path)), max_bytes=settings.max_file_bytes)
            )
            slots.append(None)
        except InputError as exc:
            slots.append(DocumentOutcome(str(path), "failed", error=str(exc)))
        except (OSError, RuntimeError) as exc:  # load_file maps these; kept as a safety net
            reason = exc.strerror if isinstance(exc, OSError) and exc.strerror else str(exc)
            error = InputError(f"cannot read the file: {reason}", str(path), "check the path")
            slots.append(DocumentOutcome(str(path), "failed", error=str(error)))
    loaded = iter(ingest_sources(store, sources, settings, progress).outcomes)
    return IngestReport([slot if slot is not None else next(loaded) for slot in slots])


def list_documents(store: Store) -> list[SourceRecord]:
    """Every ingested source document with title, date, kind and fact counts."""
    records = []
    for row in store.query(internal_query("source_documents")).rows:
        graph = row["g"]
        records.append(
            SourceRecord(
                docid=docid_of(graph) or str(graph),
                graph=graph,  # type: ignore[arg-type]
                iri=row["doc"],  # type: ignore[arg-type]
                title=str(row["title"]),
                date=str(row["date"] or ""),
                kind=str(row["kind"] or ""),
                url=str(row["url"] or ""),
                path=str(row["path"] or ""),
                facts=int(row["facts"] or 0),
                review=int(row["review"] or 0),
            )
        )
    return records


def remove_document(store: Store, ref: str) -> list[SourceRecord]:
    """Remove documents by id (or its prefix of 6+ characters), file path or url."""
    candidates = list_documents(store)
    resolved = str(Path(ref).resolve()) if not ref.startswith(("http://", "https://")) else ref
    matches = [
        rec
        for rec in candidates
        if rec.docid == ref
        or (len(ref) >= 6 and rec.docid.startswith(ref))
        or rec.url == ref
        or rec.path in (ref, resolved)
    ]
    if not matches:
        # A source graph without document metadata (which `spacekg validate` reports) is not
        # listed by list_documents; it can still be removed by its id.
        listed = {rec.graph for rec in candidates}
        matches = [
            SourceRecord(docid, graph, source_iri(docid), "", "", "", "", "", 0, 0)
            for graph in store.source_graph_names()
            if graph not in listed
            for docid in [docid_of(graph) or ""]
            if docid == ref or (len(ref) >= 6 and docid.startswith(ref))
        ]
    if not matches:
        raise InputError(
            "no ingested document has this id, path or url",
            ref,
            "list documents with `spacekg docs`",
        )
    from .review import forget_accepted

    forget_accepted(store, {rec.iri for rec in matches})
    for rec in matches:
        store.drop_graph(rec.graph)
    return matches
