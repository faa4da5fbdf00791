"""Where one fact comes from, ready to draw: the same answer for every view that shows a fact.

For a fact (subject, predicate, object) `fact_evidence` gathers, by origin:
- curated: the reference data's `dct:source` links (of the membership for a membership, else of
  the subject) and its `rdfs:comment` note;
- asserted: the evidence sentences with their document, date and character offsets (so a link
  can open the document at the sentence), and "accepted by X on T" for a reviewer's decision;
- inferred: why it is there (`ingest.explain`), the axiom in plain words and the premises, each
  with its own origin;
- review: the sentences held for a reviewer, with their evidence ids for `ingest.review.decide`.
The Review page's queue and decision log (`review_queue`, `recent_decisions`) are here too.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from rdflib import DCTERMS, OWL, RDF, RDFS, Literal, URIRef
from rdflib.term import Node

from ingest.iri import kind_of, source_graph

from .entities import entity_card
from .origins import ORIGINS
from .results import Param, memo, rows_of
from .terms import SKG, fallback_label, local_name, skg, type_words, value

if TYPE_CHECKING:
    from collections.abc import Sequence

    from ingest.explain import Explanation
    from ingest.store import Store

ORG = "http://www.w3.org/ns/org#"
MAX_SENTENCES = 20
MAX_PREMISES = 5


@dataclass(frozen=True)
class Sentence:
    """One evidence sentence: where it is in which document, and how sure the extractor was."""

    evidence: str
    text: str
    document: str
    title: str
    date: str
    confidence: float | None
    status: str  # asserted | review
    start: int | None = None
    end: int | None = None


@dataclass(frozen=True)
class Acceptance:
    reviewer: str
    time: str  # ISO date-time
    evidence: str


@dataclass(frozen=True)
class Premise:
    subject: str
    subject_label: str
    predicate: str
    predicate_label: str
    object: str
    object_label: str
    origin: str  # curated | asserted | inferred
    because: tuple[Reason, ...] = ()  # how an inferred premise follows in turn


@dataclass(frozen=True)
class Reason:
    """One way an inferred fact follows: the axiom in plain words and the facts it uses."""

    rule: str
    axiom: str
    premises: tuple[Premise, ...]


@dataclass
class FactEvidence:
    """Everything that says where one fact comes from."""

    subject: str
    predicate: str
    object: str
    subject_label: str
    predicate_label: str
    object_label: str
    origins: list[str]
    sources: list[str] = field(default_factory=list)  # curated dct:source URLs
    note: str = ""  # curated rdfs:comment
    sentences: list[Sentence] = field(default_factory=list)  # asserted
    accepted: list[Acceptance] = field(default_factory=list)
    reasons: list[Reason] = field(default_factory=list)  # inferred
    review: list[Sentence] = field(default_factory=list)


def label_of(store: Store, iri: object) -> str:
    """A readable name for an individual, a property or a class (never the bare IRI)."""
    text = str(iri or "")
    if not text:
        return ""
    if not isinstance(iri, URIRef | str) or isinstance(iri, Literal):
        return str(value(iri))  # type: ignore[arg-type]
    if text.startswith(SKG):
        return _term_label(text)
    card = entity_card(store, text)
    if card is not None:
        return card.label
    title = _document_title(store, text)
    return title or fallback_label(text)


def _term_label(iri: str) -> str:
    from ingest.ontology import ontology_graph

    label = ontology_graph().value(URIRef(iri), RDFS.label)
    return str(label) if label else type_words(iri)


def _class_words(term: Node) -> str:
    """A class as a capitalised phrase ("State", "Military command"); unions as "one of ..."."""
    from ingest.ontology import ontology_graph

    if not isinstance(term, URIRef):
        members = list(ontology_graph().items(ontology_graph().value(term, OWL.unionOf)))
        words = [_class_words(m) for m in members]
        return "one of " + ", ".join(words) if words else "a class"
    text = type_words(term)
    return text[:1].upper() + text[1:]


def _document_title(store: Store, iri: str) -> str:
    if kind_of(iri) != "source":
        return ""
    graph = store.graph(source_graph(local_name(iri)))
    return str(graph.value(URIRef(iri), DCTERMS.title) or "")


def axiom_words(rule: str, axiom: tuple[Node, Node, Node]) -> str:
    """An ontology axiom in plain words, e.g. "targeted is a narrower kind of threatens"."""
    a, _, b = axiom
    if rule == "subproperty":
        return f"“{_term_label(str(a))}” is a narrower kind of “{_term_label(str(b))}”"
    if rule == "inverse":
        return f"“{_term_label(str(a))}” is the inverse of “{_term_label(str(b))}”"
    if rule == "transitive":
        label = _term_label(str(a))
        return f"“{label}” is transitive: if A {label} B and B {label} C, then A {label} C"
    if rule == "subclass":
        return f"{_class_words(a)} is a kind of {_class_words(b)}"
    if rule in ("domain", "range"):
        end = "subject" if rule == "domain" else "object"
        cls = _class_words(b)
        article = "an" if cls[:1].lower() in "aeiou" else "a"
        return f"whatever is the {end} of “{_term_label(str(a))}” is {article} {cls}"
    return f"{rule}: {a} {b}"


def curated_sources(s: str, p: str, o: str) -> tuple[list[str], str]:
    """The reference data's `dct:source` URLs and note for a curated fact.

    A membership fact cites the membership record (org:member / org:organization); any other
    fact cites its subject's sources (the reference data attaches them to the subject).
    """
    from ingest.ontology import reference_graph

    graph = reference_graph()
    subject = URIRef(s)
    cited: list[Node] = []
    if p == SKG + "memberOf":
        for record in graph.subjects(URIRef(ORG + "member"), subject):
            if (record, URIRef(ORG + "organization"), URIRef(o)) in graph:
                cited.append(record)
    cited.append(subject)
    sources: list[str] = []
    note = ""
    for node in cited:
        for url in sorted(str(u) for u in graph.objects(node, DCTERMS.source)):
            if url not in sources:
                sources.append(url)
        if not note:
            note = str(graph.value(node, RDFS.comment) or "")
    return sources, note


def _offsets(store: Store, document: str) -> dict[str, tuple[int, int]]:
    """Evidence id -> (start, end) offsets in its document's text, from the document's graph."""

    def compute() -> dict[str, tuple[int, int]]:
        if kind_of(document) != "source":
            return {}
        graph = store.graph(source_graph(local_name(document)))
        found: dict[str, tuple[int, int]] = {}
        for evidence in graph.subjects(RDF.type, skg("Evidence")):
            start = value(graph.value(evidence, skg("startChar")))
            end = value(graph.value(evidence, skg("endChar")))
            if isinstance(start, int) and isinstance(end, int):
                found[str(evidence)] = (start, end)
        return found

    return memo(store, ("offsets", document), compute)


def sentence_offsets(store: Store, document: str) -> dict[str, tuple[int, int]]:
    """Evidence id -> (start, end) in the text of an ingested document ({} for others)."""
    return _offsets(store, document)


def sentences_for(store: Store, s: str, p: str, o: str) -> list[Sentence]:
    """Evidence sentences behind one fact (asserted and review), best first."""
    params: dict[str, Param] = {"subject": URIRef(s), "predicate": URIRef(p)}
    if kind_of(o) or o.startswith(("http://", "https://")):
        params["object"] = URIRef(o)
    out: list[Sentence] = []
    for row in rows_of(store, "fact_evidence", params):
        if str(row["object"]) != o:
            continue
        document = str(row.get("document") or "")
        start, end = _offsets(store, document).get(str(row["evidence"]), (None, None))
        confidence = row.get("confidence")
        out.append(
            Sentence(
                evidence=str(row["evidence"]),
                text=str(row.get("sentence") or ""),
                document=document,
                title=str(row.get("title") or "") or fallback_label(document),
                date=str(row.get("date") or ""),
                confidence=float(confidence) if isinstance(confidence, int | float) else None,
                status=str(row.get("status") or ""),
                start=start,
                end=end,
            )
        )
    return out


def acceptances(store: Store, s: str, p: str, o: str) -> list[Acceptance]:
    """Reviewers' acceptances of this fact (newest first)."""
    from ingest.review import decisions

    found = memo(store, ("decisions",), lambda: decisions(store))
    return [
        Acceptance(d.reviewer, d.time, str(d.evidence))
        for d in found
        if d.verdict == "accepted"
        and (str(d.subject), str(d.predicate), str(d.object)) == (s, p, o)
    ]


def reasons_for(store: Store, s: str, p: str, o: str) -> list[Reason]:
    """Why an inferred fact is there: each axiom that yields it, with its premises; an inferred
    premise carries its own reason, down to curated or asserted facts."""
    from ingest.explain import explain_chain

    obj: Node = URIRef(o) if o.startswith(("http://", "https://")) else Literal(o)
    return _reasons(store, explain_chain(store, (URIRef(s), URIRef(p), obj)))


def _reasons(store: Store, explanations: Sequence[Explanation]) -> list[Reason]:
    by_axiom: dict[str, Reason] = {}
    for found in explanations:
        premises = tuple(
            Premise(
                subject=str(ps),
                subject_label=label_of(store, ps),
                predicate=str(pp),
                predicate_label="is a" if pp == RDF.type else label_of(store, pp),
                object=str(po),
                object_label=_class_words(po) if pp == RDF.type else label_of(store, po),
                origin=premise.origin,
                because=tuple(_reasons(store, premise.because)),
            )
            for premise in found.premises
            for ps, pp, po in [premise.triple]
        )
        # one reason per axiom: "State is a kind of Actor" once, with all the facts it uses
        words = axiom_words(found.rule, found.axiom)
        earlier = by_axiom.get(words)
        if earlier is not None:
            premises = earlier.premises + tuple(x for x in premises if x not in earlier.premises)
        by_axiom[words] = Reason(found.rule, words, premises[:MAX_PREMISES])
    return list(by_axiom.values())


def fact_evidence(
    store: Store, s: str, p: str, o: str, origins: list[str] | None = None
) -> FactEvidence:
    """Where the fact (s, p, o) comes from. `origins` (from the view's query) saves looking for
    kinds of origin the fact does not have; without it every kind is looked for."""
    wanted = set(origins or ORIGINS)
    sentences = sentences_for(store, s, p, o)
    asserted = [x for x in sentences if x.status == "asserted"]
    review = [x for x in sentences if x.status == "review"]
    evidence = FactEvidence(
        subject=s,
        predicate=p,
        object=o,
        subject_label=label_of(store, s),
        predicate_label="is a" if p == str(RDF.type) else label_of(store, p),
        object_label=label_of(store, o),
        origins=[],
        sentences=asserted[:MAX_SENTENCES],
        review=review[:MAX_SENTENCES],
    )
    if "curated" in wanted:
        from ingest.ontology import reference_graph

        term = URIRef(o) if o.startswith(("http://", "https://")) else Literal(o)
        if (URIRef(s), URIRef(p), term) in reference_graph():
            evidence.sources, evidence.note = curated_sources(s, p, o)
            evidence.origins.append("curated")
    if "asserted" in wanted:
        evidence.accepted = acceptances(store, s, p, o)
        if asserted or evidence.accepted:
            evidence.origins.append("asserted")
    # explaining takes a few queries: only when the view says the fact is inferred, or when
    # nothing else accounts for it
    if "inferred" in wanted and (origins is not None or not evidence.origins):
        evidence.reasons = reasons_for(store, s, p, o)
        if evidence.reasons or origins is not None:
            evidence.origins.append("inferred")
    if review and not evidence.accepted:
        evidence.origins.append("review")
    return evidence


def review_facts_about(store: Store, subject: str) -> list[tuple[str, str, str]]:
    """Facts about `subject` held for review that no one has decided on: (s, p, o)."""
    from ingest.review import pending

    found = memo(store, ("pending",), lambda: pending(store, 10_000))
    out: list[tuple[str, str, str]] = []
    for item in found:
        fact = (str(item.subject), str(item.predicate), str(item.object))
        if fact[0] == subject and item.predicate != skg("mentions") and fact not in out:
            out.append(fact)
    return out


@dataclass(frozen=True)
class QueueItem:
    """A fact held for review, labelled for the Review page."""

    evidence: str
    subject: str
    subject_label: str
    predicate: str
    predicate_label: str
    object: str
    object_label: str
    sentence: str
    confidence: float
    document: str
    title: str
    start: int | None
    end: int | None


def review_queue(store: Store, limit: int = 100) -> list[QueueItem]:
    """Facts held for review, most confident first, with labels, titles and offsets."""
    from ingest.review import pending

    out: list[QueueItem] = []
    for item in pending(store, limit):
        start, end = _offsets(store, str(item.document)).get(str(item.evidence), (None, None))
        out.append(
            QueueItem(
                evidence=str(item.evidence),
                subject=str(item.subject),
                subject_label=label_of(store, item.subject),
                predicate=str(item.predicate),
                predicate_label=label_of(store, item.predicate),
                object=str(item.object),
                object_label=label_of(store, item.object),
                sentence=item.sentence,
                confidence=item.confidence,
                document=str(item.document),
                title=item.title or fallback_label(item.document),
                start=start,
                end=end,
            )
        )
    return out


@dataclass(frozen=True)
class DecisionRow:
    subject: str
    subject_label: str
    predicate_label: str
    object: str
    object_label: str
    verdict: str
    reviewer: str
    time: str


def recent_decisions(store: Store, limit: int = 50) -> list[DecisionRow]:
    """Reviewers' decisions, newest first, labelled."""
    from ingest.review import decisions

    return [
        DecisionRow(
            subject=str(d.subject),
            subject_label=label_of(store, d.subject),
            predicate_label=label_of(store, d.predicate),
            object=str(d.object),
            object_label=label_of(store, d.object),
            verdict=d.verdict,
            reviewer=d.reviewer,
            time=d.time,
        )
        for d in decisions(store)[:limit]
    ]
