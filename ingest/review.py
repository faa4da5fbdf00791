"""Facts held for review: a person accepts or rejects them, and the graph remembers.

A fact below the confidence threshold is kept as evidence with status "review" and no plain
triple. A reviewer's decision goes into a named graph of its own, `graph/review/{hash of the
fact}`, so it outlives the document's graph, which a re-ingest replaces:
- **accepted**: the plain triple is asserted in the decision's graph, and the decision names
  the evidence (sentence, document, confidence), the reviewer and the time; the fact is then
  asserted like any other, and still traced to its sentence;
- **rejected**: nothing is asserted, and later ingests leave the fact out, whatever its
  confidence then (`rejected_facts`), so a re-ingest does not bring it back.
Deciding again on the same fact replaces the earlier decision. Removing a document removes
the accepted decisions whose evidence it held (its facts go with it); rejections stay.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Literal as Kind

from rdflib import PROV, RDF, XSD, Graph, Literal, Node, URIRef

from .errors import InputError, ValidationError
from .iri import CURIE_PREFIX, expand, kind_of, mint_hashed, review_graph
from .store import Store, internal_query
from .vocab import SKG

Verdict = Kind["accepted", "rejected"]
VERDICTS: tuple[Verdict, ...] = ("accepted", "rejected")
Triple = tuple[URIRef, URIRef, Node]


@dataclass(frozen=True)
class ReviewItem:
    """A fact held for review with the evidence a reviewer needs to decide."""

    evidence: URIRef
    subject: URIRef
    predicate: URIRef
    object: Node
    sentence: str
    confidence: float
    document: URIRef
    title: str


@dataclass(frozen=True)
class Decision:
    decision: URIRef
    subject: URIRef
    predicate: URIRef
    object: Node
    verdict: Verdict
    reviewer: str
    time: str
    evidence: URIRef


def evidence_ref(text: str) -> URIRef:
    """`skgid:evidence/…`, the full IRI or the bare hash -> the evidence IRI."""
    text = text.strip()
    if text.startswith(CURIE_PREFIX):
        iri = expand(text)
    elif text.startswith(("http://", "https://")):
        iri = URIRef(text)
    else:
        iri = expand(f"{CURIE_PREFIX}evidence/{text}")
    if kind_of(iri) != "evidence":
        raise InputError(
            "not an evidence id",
            text,
            "use the id `spacekg review list` shows, e.g. skgid:evidence/0123456789abcdef",
        )
    return iri


def pending(store: Store, limit: int = 100) -> list[ReviewItem]:
    """Facts held for review that no one has decided on, most confident first."""
    rows = store.query(internal_query("review_pending")).rows[:limit]
    return [
        ReviewItem(
            evidence=row["evidence"],
            subject=row["subject"],
            predicate=row["predicate"],
            object=row["object"],
            sentence=str(row.get("sentence") or ""),
            confidence=float(row.get("confidence") or 0),
            document=row["document"],
            title=str(row.get("title") or ""),
        )
        for row in rows
    ]


def decisions(store: Store) -> list[Decision]:
    """Every decision, newest first."""
    return [
        Decision(
            decision=row["decision"],
            subject=row["subject"],
            predicate=row["predicate"],
            object=row["object"],
            verdict=str(row["verdict"]),  # type: ignore[arg-type]
            reviewer=str(row["reviewer"]),
            time=str(row["time"]),
            evidence=row["evidence"],
        )
        for row in store.query(internal_query("review_decisions")).rows
    ]


def rejected_facts(store: Store) -> set[Triple]:
    """The facts reviewers rejected: ingests leave them out."""
    return {(d.subject, d.predicate, d.object) for d in decisions(store) if d.verdict == "rejected"}


def decide(
    store: Store,
    evidence: URIRef,
    verdict: Verdict,
    reviewer: str,
    now: datetime | None = None,
) -> Decision:
    """Record `reviewer`'s verdict on the fact `evidence` supports, in one write."""
    if verdict not in VERDICTS:
        raise InputError(f"unknown verdict {verdict!r}", str(evidence), "accept or reject")
    if not reviewer.strip():
        raise InputError(
            "a decision needs the reviewer's name", str(evidence), "give your name (--by NAME)"
        )
    rows = store.query(internal_query("evidence_fact"), {"evidence": evidence}).rows
    if not rows:
        raise InputError(
            "no evidence with this id is in the graph",
            str(evidence),
            "list the facts held for review with `spacekg review list`",
        )
    row = rows[0]
    if str(row["status"]) != "review":
        raise InputError(
            "this fact is asserted, not held for review",
            str(evidence),
            "only facts below the confidence threshold are reviewed",
        )
    subject, predicate, obj = row["subject"], row["predicate"], row["object"]
    decision = mint_hashed("review", str(subject), str(predicate), obj.n3())
    stamp = (now or datetime.now(UTC)).isoformat(timespec="seconds")
    graph = Graph()
    graph.add((decision, RDF.type, SKG.ReviewDecision))
    graph.add((decision, RDF.subject, subject))
    graph.add((decision, RDF.predicate, predicate))
    graph.add((decision, RDF.object, obj))
    graph.add((decision, SKG.reviewedEvidence, evidence))
    graph.add((decision, SKG.verdict, Literal(verdict)))
    graph.add((decision, SKG.reviewer, Literal(reviewer.strip())))
    graph.add((decision, PROV.endedAtTime, Literal(stamp, datatype=XSD.dateTime)))
    if verdict == "accepted":
        graph.add((subject, predicate, obj))
    _check(graph, store.graph(row["g"]), evidence)
    store.replace_graph(review_graph(decision), graph)
    return Decision(decision, subject, predicate, obj, verdict, reviewer.strip(), stamp, evidence)


def _check(graph: Graph, document_graph: Graph, evidence: URIRef) -> None:
    """The decision against the shapes, with the document's graph as context (the fact's
    minted subject and object are typed and labelled there)."""
    from .ontology import ontology_and_reference
    from .validate import validate_graph

    context = Graph()
    for triple in ontology_and_reference():
        context.add(triple)
    for triple in document_graph:
        context.add(triple)
    report = validate_graph(graph, extra=context)
    if not report.conforms:
        raise ValidationError(
            "the decision violates the shapes: " + report.summary().splitlines()[0],
            str(evidence),
            "report this to the spacekg maintainers",
        )


def forget_accepted(store: Store, documents: set[URIRef]) -> int:
    """Drop the accepted decisions whose evidence one of `documents` held (before the
    documents' graphs go): their facts go with the document. Returns how many."""
    dropped = 0
    for decision in decisions(store):
        if decision.verdict != "accepted":
            continue
        rows = store.query(internal_query("evidence_fact"), {"evidence": decision.evidence}).rows
        if any(row["document"] in documents for row in rows):
            store.drop_graph(review_graph(decision.decision))
            dropped += 1
    return dropped


def decision_graph_problem(name: URIRef, graph: Graph) -> str | None:
    """Why a graph named like a review graph is not one `decide` writes, or None: exactly one
    decision, named after the graph, valid by the shapes, and nothing else but its accepted
    fact. `spacekg import` restores review graphs only when this holds."""
    decisions_in = list(graph.subjects(RDF.type, SKG.ReviewDecision))
    if len(decisions_in) != 1:
        return f"{len(decisions_in)} review decisions, not one"
    (decision,) = decisions_in
    if review_graph(decision) != name:
        return f"the decision <{decision}> does not belong in this graph"
    fact = (graph.value(decision, RDF.subject), graph.value(decision, RDF.predicate))
    obj = graph.value(decision, RDF.object)
    others = {t for t in graph if t[0] != decision}
    accepted = str(graph.value(decision, SKG.verdict)) == "accepted"
    wanted = {(fact[0], fact[1], obj)} if accepted else set()
    if others != wanted:
        return "triples other than the decision and its accepted fact"
    from .ontology import ontology_and_reference
    from .validate import validate_graph

    own = Graph()
    for triple in graph.triples((decision, None, None)):
        own.add(triple)
    report = validate_graph(own, extra=ontology_and_reference())
    return None if report.conforms else report.summary().splitlines()[0]
