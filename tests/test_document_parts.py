"""A document graph built and validated in parts equals the one built and validated whole.

The one-pass result is `pipeline.prepare` (what the app previews): the same extraction goes
through both, on the real pipeline's output for a fixture text, with and without facts that
violate the shapes (one of them an evidence node whose fact has evidence in another part).
"""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

import pytest
from rdflib import Graph, Literal, URIRef
from rdflib.compare import graph_diff, isomorphic, to_isomorphic
from rdflib.namespace import XSD

from ingest import __version__
from ingest.config import Settings
from ingest.document_parts import parted_document
from ingest.extraction import Extraction, Relation, Sentence
from ingest.load import SourceText, load_file
from ingest.nlp import extract
from ingest.ontology import ontology_and_reference
from ingest.pipeline import prepare
from ingest.store import OxigraphStore
from ingest.vocab import SKG

DOCS = Path(__file__).parent / "fixtures" / "docs"
RUSSIA = URIRef("https://w3id.org/spacekg/id/actor/russia")


@pytest.fixture(scope="module")
def fixture_doc() -> tuple[SourceText, Extraction]:
    source = load_file(DOCS / "russia_asat.md")
    (extraction,) = extract([source])
    return source, replace(extraction, doc=None)


def _one_pass(
    store: OxigraphStore, source: SourceText, extraction: Extraction, settings: Settings
) -> tuple[Graph, object]:
    (prepared,) = prepare([source], store, settings, extractions=[extraction])
    return prepared.graph.graph, prepared  # type: ignore[attr-defined]


def _in_parts(
    source: SourceText, extraction: Extraction, settings: Settings, per_part: int
) -> tuple[Graph, object, int]:
    doc = parted_document(
        source,
        extraction,
        min_confidence=settings.min_confidence,
        extractor_version=__version__,
        extra=ontology_and_reference(),
    )
    doc.per_part = per_part
    graph = Graph()
    parts = 0
    for part in doc.parts():
        parts += 1
        for triple in part:
            graph.add(triple)
    return graph, doc, parts


def _assert_same(whole: Graph, parted: Graph) -> None:
    if not isomorphic(whole, parted):
        _both, only_whole, only_parts = graph_diff(to_isomorphic(whole), to_isomorphic(parted))
        pytest.fail(
            "graphs differ\nonly one-pass:\n"
            + "\n".join(sorted(t.n3() if hasattr(t, "n3") else str(t) for t in only_whole))
            + "\nonly in parts:\n"
            + "\n".join(sorted(str(t) for t in only_parts))
        )


@pytest.mark.parametrize("per_part", [1, 3, 2000])
def test_parts_equal_the_whole_graph(
    embedded_store: OxigraphStore, fixture_doc: tuple[SourceText, Extraction], per_part: int
) -> None:
    settings = Settings.from_env()
    source, extraction = fixture_doc
    whole, prepared = _one_pass(embedded_store, source, extraction, settings)
    parted, doc, parts = _in_parts(source, extraction, settings, per_part)
    assert len(whole) > 50
    _assert_same(whole, parted)
    facts = prepared.graph.facts  # type: ignore[attr-defined]
    assert [f.evidence for f in doc.facts] == [f.evidence for f in facts]
    # the evidence parts, then the node part; one part when all facts fit in one
    assert parts == (1 if len(facts) <= per_part else -(-len(facts) // per_part) + 1)
    assert doc.notes == prepared.graph.notes  # type: ignore[attr-defined]


@pytest.mark.parametrize("per_part", [2, 10_000])  # across parts; one graph, validated once
def test_violations_drop_the_same_facts_across_parts(
    embedded_store: OxigraphStore, fixture_doc: tuple[SourceText, Extraction], per_part: int
) -> None:
    """A date on an actor (a node violation) and an empty evidence sentence for a fact that
    also has good evidence in another part: both paths drop the same facts, everywhere."""
    settings = Settings.from_env()
    source, extraction = fixture_doc
    asserted = next(r for r in extraction.relations if r.confidence >= settings.min_confidence)
    blank, end = len(extraction.sentences), len(source.text)
    broken = replace(
        extraction,
        sentences=[*extraction.sentences, Sentence("   ", end - 3, end)],
        relations=[
            *extraction.relations,
            Relation(RUSSIA, SKG.date, Literal("2021-11-15", datatype=XSD.date), 0.9, 0),
            replace(asserted, sentence=blank),  # same triple, evidence in another part
        ],
    )
    whole, prepared = _one_pass(embedded_store, source, broken, settings)
    parted, doc, _parts = _in_parts(source, broken, settings, per_part)
    _assert_same(whole, parted)
    triple = (asserted.subject, asserted.predicate, asserted.object)
    assert triple not in parted  # dropped with all of its evidence
    assert (RUSSIA, SKG.date, Literal("2021-11-15", datatype=XSD.date)) not in parted
    assert doc.rejected == prepared.rejected >= 2  # type: ignore[attr-defined]
    assert doc.violations == prepared.violations  # type: ignore[attr-defined]
    assert any("Evidence-sentence" in line for line in doc.violations)
    assert any(line.startswith("Date") for line in doc.violations)
    assert doc.notes == prepared.graph.notes  # type: ignore[attr-defined]
