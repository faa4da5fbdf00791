"""A document page: an ingested or curated document's metadata, text and facts."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from rdflib import URIRef
from rdflib.namespace import DCTERMS, PROV, RDF, RDFS
from rdflib.term import Node

from ingest.errors import InputError
from ingest.iri import kind_of, source_graph
from ingest.records import SourceRecord
from ingest.vocab import SKG as VOCAB

from .actors import entity_facts
from .doctrine import doctrine_documents
from .origins import badge, origins_of
from .results import Row, memo
from .terms import SKG, Cell, curie, fallback_label, local_name, skg, value

if TYPE_CHECKING:
    from ingest.store import Store


@dataclass
class DocumentView:
    """A document page: metadata, its text when available, and the facts drawn from it."""

    iri: str
    title: str
    metadata: dict[str, str]
    text: str | None
    text_note: str
    facts: list[Row]
    sentences: list[tuple[int, str]]  # (start char, sentence), when the text is not available
    # one document, two sources: the curated record of which this is a copy (prov:alternateOf),
    # or, for a curated document, its ingested copies
    curated: str | None = None
    curated_title: str = ""
    curated_sources: list[str] = field(default_factory=list)
    curated_note: str = ""
    copies: list[tuple[str, str]] = field(default_factory=list)  # (source IRI, title)


def source_record(store: Store, iri: str) -> SourceRecord | None:
    """The ingested document with this IRI, or None.

    Read from the document's own named graph (about a hundred triples), not by listing every
    document in the store.
    """
    if kind_of(iri) != "source":
        return None
    return memo(store, ("record", iri), lambda: _source_record(store, iri) or False) or None


def _source_record(store: Store, iri: str) -> SourceRecord | None:
    docid = local_name(iri)
    graph_iri = source_graph(docid)
    graph = store.graph(graph_iri)
    doc = URIRef(iri)
    if (doc, RDF.type, skg("SourceDocument")) not in graph:
        return None
    kinds = sorted(
        local_name(k)
        for k in graph.objects(doc, RDF.type)
        if str(k).startswith(SKG) and k != skg("SourceDocument")
    )
    statuses = [str(s) for s in graph.objects(None, skg("status"))]

    def text(prop: URIRef) -> str:
        return str(graph.value(doc, prop) or "")

    return SourceRecord(
        docid=docid,
        graph=graph_iri,
        iri=doc,
        title=text(DCTERMS.title),
        date=text(skg("date")),
        kind=kinds[0] if kinds else "",
        url=text(skg("url")),
        path=text(skg("sourcePath")),
        facts=statuses.count("asserted"),
        review=statuses.count("review"),
    )


def document_view(store: Store, iri: str) -> DocumentView:
    """Everything the document page shows, for an ingested or a curated document."""
    record = source_record(store, iri)
    if record is None:
        curated = next((r for r in doctrine_documents(store) if r["document"] == iri), None)
        if curated is None:
            raise InputError(
                f"no document {curie(iri)} in the graph",
                "link",
                "open a document from the Doctrine page (it may have been removed)",
            )
        facts = entity_facts(store, iri)
        metadata = {}
        if curated:
            metadata = {
                "date": curated["dateText"],
                "kind": curated["kind"],
                "publishers": curated["publishers"],
                "declares": curated["declares"],
            }
        sources, note = _curated_record(iri)
        copies = _copies(store, iri)
        return DocumentView(
            iri=iri,
            title=curated["title"] if curated else fallback_label(iri),
            metadata=metadata,
            text=None,
            text_note="curated document: its text is not held in the graph"
            + ("; open the ingested copy below to read it" if copies else ""),
            facts=facts,
            sentences=[],
            curated=iri,
            curated_title=str(curated["title"]),
            curated_sources=sources,
            curated_note=note,
            copies=copies,
        )
    facts, sentences = _document_facts(store, record)
    graph = store.graph(source_graph(record.docid))
    stored = graph.value(record.iri, VOCAB.text)
    # the text as ingested (evidence offsets point into it); older graphs lack it
    text, note = (str(stored), "") if stored is not None else _document_text(record)
    original = graph.value(record.iri, PROV.alternateOf)
    curated_iri = str(original) if isinstance(original, URIRef) else None
    curated_sources, curated_note = _curated_record(curated_iri) if curated_iri else ([], "")
    metadata = {
        "date": record.date,
        "kind": local_name(record.kind),
        "url": record.url,
        "file": record.path,
        "document id": record.docid,
        "facts": str(record.facts),
        "review facts": str(record.review),
    }
    return DocumentView(
        iri=iri,
        title=record.title,
        metadata={k: v for k, v in metadata.items() if v},
        text=text,
        text_note=note,
        facts=facts,
        sentences=sentences,
        curated=curated_iri,
        curated_title=_curated_title(curated_iri) if curated_iri else "",
        curated_sources=curated_sources,
        curated_note=curated_note,
    )


def _curated_record(iri: str) -> tuple[list[str], str]:
    """A curated document's `dct:source` addresses and note, from the reference data."""
    from ingest.ontology import reference_graph

    graph = reference_graph()
    doc = URIRef(iri)
    sources = sorted(str(u) for u in graph.objects(doc, DCTERMS.source))
    return sources, str(graph.value(doc, RDFS.comment) or "")


def _curated_title(iri: str) -> str:
    from ingest.ontology import reference_graph

    graph = reference_graph()
    doc = URIRef(iri)
    return str(graph.value(doc, DCTERMS.title) or graph.value(doc, RDFS.label) or "") or (
        fallback_label(iri)
    )


def _copies(store: Store, iri: str) -> list[tuple[str, str]]:
    """The ingested copies of a curated document: (source IRI, title)."""
    from ingest.store import internal_query

    rows = store.query(internal_query("document_copies"), {"document": URIRef(iri)}).rows
    return [(str(r["copy"]), str(r.get("title") or "") or fallback_label(r["copy"])) for r in rows]


def _document_facts(store: Store, record: SourceRecord) -> tuple[list[Row], list[tuple[int, str]]]:
    """Facts of one source document from its own named graph (small; no whole-store scan)."""
    graph = store.graph(source_graph(record.docid))
    labels = {str(s): str(o) for s, o in graph.subject_objects(RDFS.label)}
    labels[str(record.iri)] = record.title
    # Curated individuals are labelled in the reference graph, not the document's own graph:
    # one batch lookup of the few unlabelled ones in the store, which holds the ontology and
    # reference graphs (parsing their files for them took 1.3 s of a first visit).
    from ingest.api_rows import labels as store_labels

    unlabelled = {
        term
        for prop in ("factSubject", "factObject")
        for term in graph.objects(None, skg(prop))
        if isinstance(term, URIRef) and str(term) not in labels
    }
    labels.update(
        {str(iri): name for iri, name in store_labels(store, unlabelled, files=False).items()}
    )

    def shown(term: Node | None) -> str:
        if isinstance(term, URIRef):
            return labels.get(str(term)) or fallback_label(term)
        return str(value(term) or "")

    facts: list[Row] = []
    sentences: dict[int, str] = {}
    for evidence in graph.subjects(RDF.type, skg("Evidence")):

        def one(prop: str, node: Node = evidence) -> Cell:
            return value(graph.value(node, skg(prop)))

        s, p, o = one("factSubject"), one("factPredicate"), one("factObject")
        subject_term = graph.value(evidence, skg("factSubject"))
        object_term = graph.value(evidence, skg("factObject"))
        status = one("status") or ""
        sentence = one("sentence") or ""
        start = one("startChar")
        end = one("endChar")
        if isinstance(start, int):
            sentences[start] = sentence
        facts.append(
            {
                "subject": s,
                "subjectLabel": shown(subject_term),
                "predicate": p,
                "property": local_name(p),
                "object": o,
                "objectLabel": shown(object_term),
                "confidence": one("confidence"),
                "status": status,
                "sentence": sentence,
                "start": start if isinstance(start, int) else None,
                "end": end if isinstance(end, int) else None,
                "source": badge(origins_of("", status)),
            }
        )
    # what the document says first, then which entities it mentions
    facts.sort(
        key=lambda f: (
            f["property"] == "mentions",
            f["start"] is None,
            f["start"] or 0,
            f["property"],
        )
    )
    return facts, sorted(sentences.items())


def _document_text(record: SourceRecord) -> tuple[str | None, str]:
    """The document's text, re-read from its file when that file still holds the same text."""
    from ingest.load import load_file

    if not record.path:
        return None, "pasted text: only the sentences behind its facts are kept in the graph"
    path = Path(record.path)
    if not path.is_file():
        return None, f"the file {record.path} is no longer there: showing the evidence sentences"
    try:
        source = load_file(path)
    except InputError as exc:
        return None, f"cannot re-read the file: {exc}"
    if source.docid != record.docid:
        return None, "the file has changed since it was ingested: showing the evidence sentences"
    return source.text, ""
