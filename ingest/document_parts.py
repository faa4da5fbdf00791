"""One document's graph built, validated and handed to the store in parts of bounded size.

`pipeline.prepare` builds a document graph whole, validates it with SHACL and drops the facts
a violation points at. For a long document that graph is hundreds of thousands of triples
held in rdflib, copied for pyshacl and written in one transaction: memory grew with the
document (1.6 GB for 3 MB of text). Here the same result comes in parts:

- the *node part*: metadata, minted entities and asserted facts (every triple whose subject
  is not an evidence node), as large as the document's distinct names and facts;
- *evidence parts* of at most `EVIDENCE_PER_PART` facts' evidence nodes each, made from the
  facts when needed and never held together.

The result is the whole graph's, because every shape looks only at a focus node's own
triples and the rdf:type of its values (`validate._context`): each part holds all triples of
its subjects, and the types of the document's own nodes are given to every part as context.
Evidence shapes do not look at entities, so an evidence node's result does not depend on what
the node part loses. A violation of an evidence node also drops every other fact with the same
triple (as `to_rdf.drop_facts` does on the whole graph), so every part is validated first and
the parts are made again, without the dropped facts, when the store asks for them.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field

from rdflib import Graph, URIRef
from rdflib.graph import ReadOnlyGraphAggregate
from rdflib.namespace import RDF

from .errors import ValidationError
from .extraction import Extraction
from .load import SourceText
from .memory import release_free_memory
from .nlp.publisher import publisher_entity
from .to_rdf import (
    DocumentPlan,
    Fact,
    Triple,
    drop_note,
    evidence_triples,
    node_graph,
    plan_document,
)
from .validate import ValidationReport, revalidate, validate_graph

# Facts per evidence part: 12 triples each, so about 12k triples (and 20 MB in rdflib and
# pyshacl) per validation; smaller parts pay pyshacl's fixed cost more often.
EVIDENCE_PER_PART = 1_000


@dataclass
class PartedDocument:
    """A document graph in parts; `parts()` validates, then yields the triples to write.

    After `parts()` is exhausted, `facts`, `rejected`, `violations` and `notes` are what
    `pipeline.prepare` reports for the same document graph.
    """

    source: SourceText
    plan: DocumentPlan
    extractor_version: str
    extra: Graph
    per_part: int = EVIDENCE_PER_PART
    facts: list[Fact] = field(default_factory=list)
    rejected: int = 0
    violations: list[str] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)

    def parts(self, stamp: Sequence[Triple] = ()) -> Iterator[list[Triple]]:
        """The evidence parts, then the node part with `stamp` (written, not validated).

        A document whose facts fit in one part is validated as one graph, once: what
        `pipeline.prepare` does, without a second pyshacl run for most documents."""
        plan, source = self.plan, self.source
        nodes = node_graph(source, plan, plan.facts)
        if len(plan.facts) <= self.per_part:
            for fact in plan.facts:
                for triple in evidence_triples(plan.document, fact, self.version):
                    nodes.add(triple)
        report = validate_graph(nodes, extra=self.extra)
        self._refuse_bad_metadata(report)
        if len(plan.facts) <= self.per_part:
            bad, gone, removed = self._settle([report])
            final = Graph()
            for triple in nodes:
                if triple not in removed and triple[0] not in gone:
                    final.add(triple)
            if not report.conforms:
                self._check(revalidate(nodes, final, extra=self.extra, focus=_focus(report)))
            yield [*final, *stamp]
            return
        types = Graph()
        for triple in nodes.triples((None, RDF.type, None)):
            types.add(triple)
        context = ReadOnlyGraphAggregate([types, self.extra])
        reports = [report]
        slices = [
            plan.facts[start : start + self.per_part]
            for start in range(0, len(plan.facts), self.per_part)
        ]
        for facts in slices:
            reports.append(validate_graph(self._evidence(facts), extra=context))
            # The part's graph and pyshacl's copy are gone: without this the heap kept their
            # pages between the reports, and resident memory grew by the part.
            release_free_memory()
        bad, gone, removed = self._settle(reports)
        for facts, part_report in zip(slices, reports[1:], strict=True):
            kept = [f for f in facts if f.evidence not in gone]
            if not part_report.conforms:
                before = self._evidence(facts)
                after = self._evidence(kept, without=bad)
                self._check(revalidate(before, after, extra=context, focus=_focus(part_report)))
                yield list(after)
            else:
                yield [t for f in kept for t in evidence_triples(plan.document, f, self.version)]
        final = Graph()
        for triple in nodes:
            if triple not in removed:
                final.add(triple)
        if not report.conforms or removed:
            self._check(revalidate(nodes, final, extra=self.extra, focus=_focus(report)))
        yield [*final, *stamp]

    def _settle(
        self, reports: Sequence[ValidationReport]
    ) -> tuple[set[Triple], set[URIRef], set[Triple]]:
        """Drop the facts the violations point at, as `to_rdf.drop_facts` does: returns the
        offending triples, the dropped evidence nodes and the plain triples to take out."""
        plan = self.plan
        bad: set[Triple] = set().union(*(r.violating_facts() for r in reports))
        bad_nodes = {t[0] for t in bad}
        dropped = [f for f in plan.facts if (f.s, f.p, f.o) in bad or f.evidence in bad_nodes]
        gone = {f.evidence for f in dropped}
        self.facts = [f for f in plan.facts if f.evidence not in gone]
        self.violations = [line for r in reports for line in r.summary().splitlines() if line]
        self.violations.sort()
        asserted_before = sum(1 for f in plan.facts if f.status == "asserted")
        self.rejected = asserted_before - sum(1 for f in self.facts if f.status == "asserted")
        self.notes = [*plan.notes, *(drop_note(f, "rejected by the shapes") for f in dropped)]
        still_asserted = {(f.s, f.p, f.o) for f in self.facts if f.status == "asserted"}
        removed = (bad | {(f.s, f.p, f.o) for f in dropped}) - still_asserted
        return bad, gone, removed

    @property
    def version(self) -> str:
        return self.extractor_version

    def _evidence(self, facts: Sequence[Fact], without: set[Triple] | None = None) -> Graph:
        graph = Graph()
        for fact in facts:
            for triple in evidence_triples(self.plan.document, fact, self.version):
                if without is None or triple not in without:
                    graph.add(triple)
        return graph

    def _where(self) -> str:
        return self.source.path or self.source.title

    def _refuse_bad_metadata(self, report: ValidationReport) -> None:
        problems = [v for v in report.violations if v.focus_node == self.plan.document]
        if problems:
            raise ValidationError(
                "document metadata violates the shapes: " + "; ".join(v.message for v in problems),
                self._where(),
                "fix the front matter (title, date, url) and ingest again",
            )

    def _check(self, second: ValidationReport) -> None:
        if not second.conforms:
            raise ValidationError(
                "the document graph still violates the shapes after dropping bad facts: "
                + second.summary().splitlines()[0],
                self._where(),
                "report this document to the spacekg maintainers",
            )


def _focus(report: ValidationReport) -> set[URIRef]:
    return {v.focus_node for v in report.violations}  # type: ignore[misc]


def parted_document(
    source: SourceText,
    extraction: Extraction,
    *,
    min_confidence: float,
    extractor_version: str,
    extra: Graph,
    refused: set[Triple] | frozenset[Triple] = frozenset(),
) -> PartedDocument:
    """The document's plan, less the facts a reviewer rejected before (`review`)."""
    plan = plan_document(
        source,
        extraction,
        min_confidence=min_confidence,
        publisher=publisher_entity(source.publisher),
    )
    if refused:
        gone = [f for f in plan.facts if (f.s, f.p, f.o) in refused]
        if gone:
            plan.facts = [f for f in plan.facts if (f.s, f.p, f.o) not in refused]
            plan.notes += [drop_note(f, "rejected by a reviewer before") for f in gone]
    return PartedDocument(source, plan, extractor_version, extra, per_part=EVIDENCE_PER_PART)
