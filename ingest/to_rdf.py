"""One document's Extraction -> the RDF of its named graph: metadata, entities, facts, evidence.

Every fact gets an Evidence node (sentence, offsets, confidence, extractor) in the same graph;
only facts with evidence at or above the confidence threshold are also asserted as plain
triples, the rest stay review-only. The graph is deterministic for a given text and pipeline
version (no timestamps here; the pipeline stamps the ingestion time at commit).
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Iterable
from dataclasses import dataclass, field, replace
from decimal import Decimal

from rdflib import Graph, Literal, Node, URIRef
from rdflib.namespace import DCTERMS, PROV, RDF, RDFS, SKOS, XSD

from .config import ID_NS
from .curated_documents import copy_of
from .extraction import Entity, Extraction, Relation, Sentence
from .iri import source_iri
from .load import SourceText, word_count
from .vocab import SKG

EXTRACTOR_METADATA = "spacekg.metadata"  # facts read from the front matter (publisher)
Triple = tuple[Node, Node, Node]

# Front-matter `kind` and title words -> the Document subclass a source is typed with.
_KIND_CLASSES = {
    "analysis": SKG.Analysis,
    "news": SKG.NewsArticle,
    "report": SKG.Report,
    "statement": SKG.Statement,
    "speech": SKG.Speech,
    "declaration": SKG.Declaration,
    "communique": SKG.Communique,
    "policy": SKG.Policy,
    "strategy": SKG.Strategy,
    "treaty": SKG.Treaty,
    "resolution": SKG.Resolution,
}
_TITLE_CLASSES = [
    (re.compile(r"\bcommuniqu[eé]\b", re.I), SKG.Communique),
    (re.compile(r"\bdeclaration\b", re.I), SKG.Declaration),
    (re.compile(r"\bstrategy\b", re.I), SKG.Strategy),
    (re.compile(r"\bpolicy\b", re.I), SKG.Policy),
    (re.compile(r"\btreaty\b", re.I), SKG.Treaty),
    (re.compile(r"\bresolution\b", re.I), SKG.Resolution),
    (re.compile(r"\bstatement\b", re.I), SKG.Statement),
    (re.compile(r"\b(speech|remarks|press conference)\b", re.I), SKG.Speech),
]
_DATE_TYPES = {4: XSD.gYear, 7: XSD.gYearMonth, 10: XSD.date}


@dataclass(frozen=True, slots=True)
class Fact:
    """One piece of evidence for a triple: what the app previews and the report counts."""

    s: URIRef
    p: URIRef
    o: URIRef | Literal
    confidence: float
    status: str  # "asserted" | "review"
    evidence: URIRef
    sentence: str
    start_char: int
    end_char: int
    extractor: str
    pattern: str = ""


@dataclass
class DocumentGraph:
    """The content of one source document's named graph, and the facts it holds."""

    document: URIRef
    graph: Graph
    facts: list[Fact] = field(default_factory=list)
    entities: list[Entity] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)


def document_class(source: SourceText) -> URIRef:
    """The Document subclass for a source: its front-matter kind, else words of its title."""
    by_kind = _KIND_CLASSES.get(source.kind.strip().lower())
    if by_kind is not None:
        return by_kind
    for pattern, cls in _TITLE_CLASSES:
        if pattern.search(source.title):
            return cls
    return SKG.Document


def date_literal(iso: str) -> Literal:
    """`YYYY`, `YYYY-MM` or `YYYY-MM-DD` as a literal of the matching XSD type."""
    return Literal(iso, datatype=_DATE_TYPES.get(len(iso), XSD.date))


def _decimal(value: float) -> Literal:
    clamped = min(1.0, max(0.0, value))
    return Literal(Decimal(f"{clamped:.3f}"), datatype=XSD.decimal)


def evidence_iri(docid: str, fact: Triple, start_char: int, extractor: str) -> URIRef:
    """`skgid:evidence/{docid}-{hash}`: one node per fact, sentence and extractor."""
    key = "\x1f".join((*(n.n3() for n in fact), str(start_char), extractor))
    return URIRef(f"{ID_NS}evidence/{docid}-{hashlib.sha256(key.encode()).hexdigest()[:16]}")


def _describe_entity(graph: Graph, entity: Entity) -> None:
    """Minted entities are typed and labelled in the document graph; curated ones are not."""
    if entity.curated:
        return
    for cls in entity.classes:
        graph.add((entity.iri, RDF.type, cls))
    graph.add((entity.iri, RDFS.label, Literal(entity.label)))
    for alt in entity.alt_labels:
        if alt != entity.label:
            graph.add((entity.iri, SKOS.altLabel, Literal(alt)))


def _sentence_of(sentences: list[Sentence], index: int, text: str) -> Sentence:
    if 0 <= index < len(sentences):
        return sentences[index]
    return Sentence(text[:200], 0, min(len(text), 200))


def _metadata_sentence(source: SourceText, sentences: list[Sentence]) -> int:
    """The sentence that carries the title (first line for most texts), as evidence for metadata."""
    title = source.title.strip().lower()[:60]
    for index, sentence in enumerate(sentences):
        if title and title in sentence.text.lower():
            return index
    return 0


def _metadata(graph: Graph, source: SourceText, document: URIRef, publisher: Entity | None) -> None:
    graph.add((document, RDF.type, SKG.SourceDocument))
    graph.add((document, RDF.type, document_class(source)))
    graph.add((document, RDFS.label, Literal(source.title)))
    graph.add((document, DCTERMS.title, Literal(source.title)))
    graph.add((document, SKG.sha256, Literal(source.sha256)))
    graph.add((document, SKG.wordCount, Literal(word_count(source.text))))
    graph.add((document, SKG.textLength, Literal(len(source.text))))
    graph.add((document, SKG.text, Literal(source.text)))
    graph.add((document, DCTERMS.format, Literal(source.media_type)))
    if source.path:
        graph.add((document, SKG.sourcePath, Literal(source.path)))
    if source.url:
        graph.add((document, SKG.url, Literal(source.url, datatype=XSD.anyURI)))
    if source.date:
        graph.add((document, SKG.date, date_literal(source.date)))
    if publisher is not None:
        graph.add((document, DCTERMS.publisher, publisher.iri))
    elif source.publisher:
        graph.add((document, DCTERMS.publisher, Literal(source.publisher)))


def _candidates(
    source: SourceText,
    extraction: Extraction,
    document: URIRef,
    publisher: Entity | None,
) -> list[Relation]:
    """Relations from the parse, plus `published` from the front matter and `mentions`."""
    candidates = list(extraction.relations)
    if publisher is not None:
        candidates.append(
            Relation(
                publisher.iri,
                SKG.published,
                document,
                0.95,
                _metadata_sentence(source, extraction.sentences),
                EXTRACTOR_METADATA,
                "front matter publisher",
            )
        )
    first_mention: dict[URIRef, tuple[int, float]] = {}
    for mention in extraction.mentions:
        seen = first_mention.get(mention.iri)
        if seen is None:
            first_mention[mention.iri] = (mention.sentence, mention.score)
        elif mention.score > seen[1]:
            first_mention[mention.iri] = (seen[0], mention.score)
    for iri, (sentence, score) in first_mention.items():
        if iri != document:
            candidates.append(
                Relation(document, SKG.mentions, iri, score, sentence, "spacekg.mention", "mention")
            )
    return candidates


@dataclass
class DocumentPlan:
    """A document graph before any triple is made: its facts, entities and notes."""

    document: URIRef
    facts: list[Fact]
    entities: list[Entity]
    notes: list[str]
    publisher: Entity | None = None
    alternate_of: URIRef | None = None


def plan_document(
    source: SourceText,
    extraction: Extraction,
    *,
    min_confidence: float,
    publisher: Entity | None = None,
) -> DocumentPlan:
    """The facts (one per relation, sentence and extractor) and notes of one document."""
    document = source_iri(source.docid)
    entities = dict(extraction.entities)
    if publisher is not None:
        entities.setdefault(publisher.iri, publisher)
    facts: list[Fact] = []
    seen: set[URIRef] = set()
    for relation in _candidates(source, extraction, document, publisher):
        triple = (relation.subject, relation.predicate, relation.object)
        sentence = _sentence_of(extraction.sentences, relation.sentence, source.text)
        evidence = evidence_iri(source.docid, triple, sentence.start_char, relation.extractor)
        if evidence in seen:
            continue
        seen.add(evidence)
        status = "asserted" if relation.confidence >= min_confidence else "review"
        facts.append(
            Fact(
                *triple,
                confidence=min(1.0, max(0.0, relation.confidence)),
                status=status,
                evidence=evidence,
                sentence=sentence.text,
                start_char=sentence.start_char,
                end_char=max(sentence.end_char, sentence.start_char + 1),
                extractor=relation.extractor,
                pattern=relation.pattern,
            )
        )
    notes = list(extraction.notes)
    alternate_of = None
    copy = copy_of(source)
    if copy is not None:
        curated, why = copy
        alternate_of = curated.iri
        notes.append(f"the curated document '{curated.label}' ({why}): linked, both sources kept")
    review = sum(1 for f in facts if f.status == "review")
    if review:
        notes.append(f"{review} fact(s) below confidence {min_confidence} kept for review only")
    if not any(f.p != SKG.mentions for f in facts):
        notes.append(
            "only mentions: no fact between the document's entities was found, so it adds "
            "nothing to the graph but what it names (check the text is prose, not a table "
            "or a list)"
        )
    return DocumentPlan(document, facts, list(entities.values()), notes, publisher, alternate_of)


def node_graph(source: SourceText, plan: DocumentPlan, facts: Iterable[Fact]) -> Graph:
    """Every triple of the document graph but the evidence nodes': metadata, minted
    entities, and the asserted `facts` as plain triples."""
    graph = Graph()
    graph.bind("skg", str(SKG))
    graph.bind("skgid", ID_NS)
    _metadata(graph, source, plan.document, plan.publisher)
    for entity in plan.entities:
        _describe_entity(graph, entity)
    for fact in facts:
        if fact.status == "asserted":
            graph.add((fact.s, fact.p, fact.o))
    if plan.alternate_of is not None:
        graph.add((plan.document, PROV.alternateOf, plan.alternate_of))
    return graph


def document_graph(
    source: SourceText,
    extraction: Extraction,
    *,
    min_confidence: float,
    extractor_version: str,
    publisher: Entity | None = None,
) -> DocumentGraph:
    """Build the named-graph content of one document from what the pipeline extracted.

    `publisher` is the front-matter publisher linked to an Actor (by `nlp.link_name`); when
    None and the front matter names one, it is kept as a plain `dct:publisher` string.
    """
    plan = plan_document(source, extraction, min_confidence=min_confidence, publisher=publisher)
    graph = node_graph(source, plan, plan.facts)
    for fact in plan.facts:
        for triple in evidence_triples(plan.document, fact, extractor_version):
            graph.add(triple)
    return DocumentGraph(plan.document, graph, plan.facts, plan.entities, plan.notes)


def evidence_triples(document: URIRef, fact: Fact, extractor_version: str) -> list[Triple]:
    """The triples of one fact's evidence node (not the fact's own triple)."""
    node = fact.evidence
    return [
        (node, RDF.type, SKG.Evidence),
        (node, SKG.factSubject, fact.s),
        (node, SKG.factPredicate, fact.p),
        (node, SKG.factObject, fact.o),
        (node, PROV.wasDerivedFrom, document),
        (node, SKG.sentence, Literal(fact.sentence)),
        (node, SKG.startChar, Literal(fact.start_char)),
        (node, SKG.endChar, Literal(fact.end_char)),
        (node, SKG.confidence, _decimal(fact.confidence)),
        (node, SKG.extractor, Literal(fact.extractor)),
        (node, SKG.extractorVersion, Literal(extractor_version)),
        (node, SKG.status, Literal(fact.status)),
    ]


def drop_note(fact: Fact, why: str) -> str:
    """The report line of a fact taken out of a document graph."""
    return (
        f"{why}: {_short(fact.s)} {_short(fact.p)} {_short(fact.o)}"
        f" (\u201c{fact.sentence[:80]}\u201d)"
    )


def drop_facts(
    doc_graph: DocumentGraph, triples: Iterable[Triple], why: str = "rejected by the shapes"
) -> DocumentGraph:
    """Take facts that violate a shape out of the graph: neither asserted nor kept as evidence.

    `triples` are those a validation report points at. A fact goes when its plain triple or any
    triple of its evidence node is among them; other offending triples (an entity's bad label,
    say) are removed as they are. Each dropped fact is named in the notes for the report.
    """
    bad = set(triples)
    bad_nodes = {t[0] for t in bad}
    graph = Graph()
    for prefix, namespace in doc_graph.graph.namespaces():
        graph.bind(prefix, namespace)
    kept: list[Fact] = []
    dropped: list[Fact] = []
    for fact in doc_graph.facts:
        if (fact.s, fact.p, fact.o) in bad or fact.evidence in bad_nodes:
            dropped.append(fact)
        else:
            kept.append(fact)
    dropped_nodes = {f.evidence for f in dropped}
    still_asserted = {(f.s, f.p, f.o) for f in kept if f.status == "asserted"}
    dropped_triples = {(f.s, f.p, f.o) for f in dropped} - still_asserted
    for triple in doc_graph.graph:
        if triple in bad and triple not in still_asserted:
            continue
        if triple[0] in dropped_nodes or triple in dropped_triples:
            continue
        graph.add(triple)
    notes = list(doc_graph.notes)
    notes.extend(drop_note(fact, why) for fact in dropped)
    return replace(doc_graph, graph=graph, facts=kept, notes=notes)


def _short(node: Node) -> str:
    text = str(node)
    for separator in ("#", "/"):
        if separator in text and text.startswith("http"):
            return text.rsplit(separator, 1)[-1]
    return text
