"""Ingestion orchestration: files -> SourceText -> spaCy -> document graph -> SHACL -> store.

Each document is validated and written on its own (its own named graph, one atomic update), so
a bad file never touches the store and never stops the rest of the batch. Validation and
linking touch only the new document plus the cached ontology and reference data, never the
whole store, so the cost per document stays flat as the store grows.
"""

from __future__ import annotations

import re
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
from .extraction import Entity
from .iri import source_graph, source_iri
from .load import SourceText, iter_source_files, load_file
from .store import Store, internal_query
from .vocab import SKG

Status = Literal["added", "replaced", "unchanged", "failed"]
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


ProgressFn = Callable[[int, int, str], None]


def _previous_versions(store: Store, source: SourceText) -> list[URIRef]:
    """Graphs of earlier versions of the same url or path (a changed document replaces them)."""
    found: set[URIRef] = set()
    if source.url:
        rows = store.query(
            internal_query("sources_by_url"), {"url": RDFLiteral(source.url, datatype=XSD.anyURI)}
        ).rows
        found.update(row["g"] for row in rows if isinstance(row["g"], URIRef))
    if source.path:
        rows = store.query(
            internal_query("sources_by_path"), {"path": RDFLiteral(source.path)}
        ).rows
        found.update(row["g"] for row in rows if isinstance(row["g"], URIRef))
    found.discard(source_graph(source.docid))
    return sorted(found)


def publisher_entity(name: str | None) -> Entity | None:
    """The curated Actor a front-matter publisher names ("North Atlantic Council", "NATO").

    "Ifri (French Institute of International Relations)": the name, then each part of a
    name with a parenthetical gloss, so either spelling finds the actor.
    """
    if not name:
        return None
    candidates = [name]
    gloss = _GLOSS.fullmatch(name.strip())
    if gloss is not None:
        candidates += [gloss.group(1), gloss.group(2)]
    from .relate import curated_names

    names = curated_names()
    for candidate in candidates:
        entity = names.get(" ".join(candidate.casefold().split()))
        if entity is not None and SKG.Actor in entity.classes:
            return entity
    return None


_GLOSS = re.compile(r"([^()]+?)\s*\(([^()]+)\)")


def prepare(
    sources: Sequence[SourceText], store: Store, settings: Settings
) -> list[PreparedDocument]:
    """Extract, build and validate document graphs in one spaCy batch; writes nothing."""
    from .nlp import extract
    from .ontology import ontology_and_reference
    from .to_rdf import document_graph, drop_facts
    from .validate import validate_graph

    extra = ontology_and_reference()
    prepared: list[PreparedDocument] = []
    for source, extraction in zip(sources, extract(sources), strict=True):
        doc_graph = document_graph(
            source,
            extraction,
            min_confidence=settings.min_confidence,
            extractor_version=__version__,
            publisher=publisher_entity(source.publisher),
        )
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
            doc_graph = drop_facts(doc_graph, bad)
            rejected = before - len([f for f in doc_graph.facts if f.status == "asserted"])
            second = validate_graph(doc_graph.graph, extra=extra)
            if not second.conforms:
                raise ValidationError(
                    "the document graph still violates the shapes after dropping bad facts: "
                    + second.summary().splitlines()[0],
                    source.path or source.title,
                    "report this document to the spacekg maintainers",
                )
        prepared.append(
            PreparedDocument(
                source, doc_graph, violations, rejected, _previous_versions(store, source)
            )
        )
    return prepared


def commit(store: Store, doc: PreparedDocument) -> Status:
    """Write one prepared document: its graph and the removal of old versions, atomically.

    The ingestion time is stamped here, not in `to_rdf`, so document graphs stay deterministic.
    """
    graph = doc.graph.graph
    stamp = (source_iri(doc.source.docid), PROV.generatedAtTime, None)
    graph.set(
        (
            *stamp[:2],
            RDFLiteral(datetime.now(UTC).isoformat(timespec="seconds"), datatype=XSD.dateTime),
        )
    )
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
        words=len(doc.source.text.split()),
        notes=list(doc.source.notes) + list(doc.graph.notes) + doc.violations,
    )


def ingest_sources(
    store: Store,
    sources: Sequence[SourceText],
    settings: Settings,
    progress: ProgressFn | None = None,
) -> IngestReport:
    """Ingest already-loaded texts in spaCy batches; each document is committed on its own."""
    store.ensure_reference()
    report = IngestReport()
    existing = set(store.source_graph_names())
    pending = []
    for source in sources:
        if source_graph(source.docid) in existing:
            report.outcomes.append(
                DocumentOutcome(
                    source.path or source.title, "unchanged", source.docid, source.title
                )
            )
        else:
            pending.append(source)
    done = 0
    for start in range(0, len(pending), BATCH_SIZE):
        batch = pending[start : start + BATCH_SIZE]
        try:
            prepared = prepare(batch, store, settings)
        except SpacekgError:
            # One bad document must not sink its batch: redo the batch one document at a time.
            prepared = []
            for source in batch:
                try:
                    prepared.extend(prepare([source], store, settings))
                except SpacekgError as exc:
                    report.outcomes.append(
                        DocumentOutcome(
                            source.path or source.title,
                            "failed",
                            source.docid,
                            source.title,
                            error=str(exc),
                        )
                    )
        for doc in prepared:
            try:
                report.outcomes.append(_outcome(doc, commit(store, doc)))
            except SpacekgError as exc:
                report.outcomes.append(
                    DocumentOutcome(
                        doc.source.path or doc.source.title,
                        "failed",
                        doc.source.docid,
                        doc.source.title,
                        error=str(exc),
                    )
                )
        done += len(batch)
        if progress:
            progress(done, len(pending), batch[-1].path or batch[-1].title)
    return report


def ingest_paths(
    store: Store,
    paths: Iterable[Path],
    settings: Settings,
    progress: ProgressFn | None = None,
) -> IngestReport:
    """Ingest files and folders; unreadable files are reported and the rest still ingested."""
    report = IngestReport()
    sources: list[SourceText] = []
    for path in iter_source_files(list(paths)):
        try:
            sources.append(load_file(path.resolve(), max_bytes=settings.max_file_bytes))
        except InputError as exc:
            report.outcomes.append(DocumentOutcome(str(path), "failed", error=str(exc)))
    report.outcomes.extend(ingest_sources(store, sources, settings, progress).outcomes)
    return report


@dataclass(frozen=True)
class SourceRecord:
    """An ingested document as listed by `spacekg docs` and the app."""

    docid: str
    graph: URIRef
    iri: URIRef
    title: str
    date: str
    kind: str
    url: str
    path: str
    facts: int
    review: int


def list_documents(store: Store) -> list[SourceRecord]:
    """Every ingested source document with title, date, kind and fact counts."""
    records = []
    for row in store.query(internal_query("source_documents")).rows:
        graph = row["g"]
        records.append(
            SourceRecord(
                docid=str(graph).rsplit("/", 1)[-1],
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
        raise InputError(
            "no ingested document has this id, path or url",
            ref,
            "list documents with `spacekg docs`",
        )
    for rec in matches:
        store.drop_graph(rec.graph)
    return matches
