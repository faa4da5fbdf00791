"""SHACL shapes on their examples, the curated data, and the validation report ingestion uses."""

from __future__ import annotations

from decimal import Decimal

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from rdflib import Graph, Literal, Namespace, URIRef
from rdflib.namespace import OWL, RDF, RDFS, XSD
from rdflib.term import Node

from ingest.config import EXAMPLES_DIR, ID_NS, ONTOLOGY_NS, SHAPES_NS
from ingest.ontology import ontology_graph, reference_graph, shapes_graph
from ingest.validate import ValidationReport, validate_graph

SH = Namespace("http://www.w3.org/ns/shacl#")
SKG = Namespace(ONTOLOGY_NS)
SHAPES_ONTOLOGY = URIRef("https://w3id.org/spacekg/shapes")
# Parameters that make a node shape itself (not only its property shapes) report violations.
NODE_LEVEL = {SH["class"], SH["or"], SH["and"], SH["not"], SH.xone, SH.nodeKind, SH.datatype}
NODE_LEVEL |= {SH["in"], SH.node, SH.sparql, SH.hasValue, SH.closed}


def _node_shapes() -> list[str]:
    shapes = shapes_graph()
    found = {s for s in shapes.subjects(RDF.type, SH.NodeShape) if isinstance(s, URIRef)}
    return sorted(str(s)[len(SHAPES_NS) :] for s in found)


NODE_SHAPES = _node_shapes()


def _family(name: str) -> tuple[URIRef, list[URIRef]]:
    """The node shape and its property shapes."""
    shape = URIRef(SHAPES_NS + name)
    properties = [p for p in shapes_graph().objects(shape, SH.property) if isinstance(p, URIRef)]
    return shape, properties


def _messages(shape: Node) -> list[Literal]:
    return [m for m in shapes_graph().objects(shape, SH.message) if isinstance(m, Literal)]


def _example(name: str) -> Graph:
    return Graph().parse(EXAMPLES_DIR / name, format="turtle")


def test_shapes_were_found() -> None:
    assert len(NODE_SHAPES) >= 30, NODE_SHAPES
    assert "EvidenceShape" in NODE_SHAPES and "LabelShape" in NODE_SHAPES


@pytest.mark.parametrize("name", NODE_SHAPES)
def test_valid_example_conforms(name: str) -> None:
    report = validate_graph(_example(f"{name}-valid.ttl"))
    assert report.conforms, report.summary()
    assert report.violations == []
    assert report.violating_facts() == set()


@pytest.mark.parametrize("name", NODE_SHAPES)
def test_invalid_example_fails_with_the_shapes_own_messages(name: str) -> None:
    """Every constraint group of the shape fires, and nothing outside the shape does."""
    report = validate_graph(_example(f"{name}-invalid.ttl"))
    assert not report.conforms
    shape, properties = _family(name)
    family = {shape, *properties}
    strangers = [v.line() for v in report.violations if v.shape not in family]
    assert not strangers, "violations from other shapes:\n" + "\n".join(strangers)
    for violation in report.violations:
        assert violation.message in {str(m) for m in _messages(violation.shape)}
        assert violation.severity == "Violation"
    expected = set(properties)
    if NODE_LEVEL & set(shapes_graph().predicates(shape, None)):
        expected.add(shape)
    missed = expected - {v.shape for v in report.violations}
    assert not missed, f"constraints never violated by {name}-invalid.ttl: {sorted(missed)}"


@pytest.mark.parametrize("name", NODE_SHAPES)
def test_invalid_example_says_why_in_its_first_line(name: str) -> None:
    first = (EXAMPLES_DIR / f"{name}-invalid.ttl").read_text(encoding="utf-8").splitlines()[0]
    assert first.startswith("# Invalid") and len(first) > 30, first


def test_every_example_belongs_to_a_shape() -> None:
    expected = {f"{n}-{kind}.ttl" for n in NODE_SHAPES for kind in ("valid", "invalid")}
    present = {p.name for p in EXAMPLES_DIR.glob("*.ttl")}
    assert present == expected, {"orphans": present - expected, "missing": expected - present}


def test_every_shape_has_an_english_message() -> None:
    shapes = shapes_graph()
    for name in NODE_SHAPES:
        shape, properties = _family(name)
        needs = list(properties)
        if NODE_LEVEL & set(shapes.predicates(shape, None)):
            needs.append(shape)
        for member in needs:
            english = [m for m in _messages(member) if m.language == "en"]
            assert len(english) == 1, f"{member} needs exactly one sh:message@en"
            assert ":" in english[0], f"{member}: the message should say how to fix it"


def test_shapes_graph_is_an_ontology_with_a_version() -> None:
    shapes = shapes_graph()
    assert (SHAPES_ONTOLOGY, RDF.type, OWL.Ontology) in shapes
    version = shapes.value(SHAPES_ONTOLOGY, OWL.versionIRI)
    assert version is not None and str(version).startswith(str(SHAPES_ONTOLOGY) + "/")


def test_shapes_use_only_terms_the_ontology_declares() -> None:
    ontology = ontology_graph()
    declared = {s for s in ontology.subjects(RDF.type, None) if isinstance(s, URIRef)}
    used = {
        node
        for triple in shapes_graph()
        for node in triple
        if isinstance(node, URIRef) and str(node).startswith(ONTOLOGY_NS)
    }
    assert used, "the shapes should constrain spacekg terms"
    assert used <= declared, sorted(used - declared)


def test_reference_data_conforms() -> None:
    report = validate_graph(reference_graph())
    assert report.conforms, report.summary()


def test_ontology_individuals_conform() -> None:
    """The capability and doctrine concepts defined in spacekg.ttl meet the shapes too."""
    ontology = ontology_graph()
    assert any(str(s).startswith(ID_NS) for s in ontology.subjects(RDF.type, SKG.DoctrineConcept))
    report = validate_graph(ontology)
    assert report.conforms, report.summary()


ACTOR = Namespace(ID_NS + "actor/")
PLACE = Namespace(ID_NS + "place/")


def _state_member_of(organisation: URIRef) -> Graph:
    graph = Graph()
    graph.add((ACTOR.examplestan, RDF.type, SKG.State))
    graph.add((ACTOR.examplestan, RDFS.label, Literal("Examplestan", lang="en")))
    graph.add((ACTOR.examplestan, SKG.memberOf, organisation))
    return graph


def test_a_fact_pointing_at_a_reference_individual_sees_its_class() -> None:
    reference = reference_graph()
    assert (ACTOR.nato, RDF.type, SKG.Alliance) in reference
    data = _state_member_of(ACTOR.nato)
    with_reference = validate_graph(data, extra=reference)
    assert with_reference.conforms, with_reference.summary()
    # Without the reference data NATO has no class, so the range check must fail.
    without = validate_graph(data)
    assert [v.shape_name for v in without.violations] == ["MemberOf-object"]


def test_a_reference_individual_of_the_wrong_class_is_rejected() -> None:
    reference = reference_graph()
    place = next(s for s in reference.subjects(RDF.type, SKG.Place) if isinstance(s, URIRef))
    report = validate_graph(_state_member_of(place), extra=reference)
    assert [(v.shape_name, v.value) for v in report.violations] == [("MemberOf-object", place)]
    assert report.violating_facts() == {(ACTOR.examplestan, SKG.memberOf, place)}


def test_only_the_given_graph_is_reported_on() -> None:
    """A broken node in the context (`extra`) is not the new document's fault."""
    extra = Graph()
    extra.add((PLACE["broken-bay"], RDF.type, SKG.Place))  # no label: invalid on its own
    data = _state_member_of(ACTOR.nato)
    data.add((ACTOR.examplestan, SKG.locatedIn, PLACE["broken-bay"]))
    report = validate_graph(data, extra=extra + reference_graph())
    assert report.conforms, report.summary()
    assert not validate_graph(extra).conforms


def test_strings_typed_xsd_string_count_as_plain() -> None:
    """Store backends return "asserted"^^xsd:string; sh:in must still accept it."""
    graph = _example("EvidenceShape-valid.ttl")
    typed = Graph()
    for s, p, o in graph:
        if isinstance(o, Literal) and o.datatype is None and o.language is None:
            o = Literal(str(o), datatype=XSD.string)
        typed.add((s, p, o))
    assert any(o == Literal("asserted", datatype=XSD.string) for o in typed.objects())
    report = validate_graph(typed)
    assert report.conforms, report.summary()


def _evidence_with_confidence(value: Literal) -> tuple[Graph, URIRef]:
    graph = _example("EvidenceShape-valid.ttl")
    evidence = next(
        s for s in graph.subjects(SKG.status, Literal("asserted")) if isinstance(s, URIRef)
    )
    graph.set((evidence, SKG.confidence, value))
    return graph, evidence


def test_violating_facts_name_the_bad_triples_and_the_fact_behind_bad_evidence() -> None:
    graph, evidence = _evidence_with_confidence(Literal(Decimal("1.5")))
    fact = tuple(graph.value(evidence, SKG[p]) for p in ("factSubject", "factPredicate"))
    fact += (graph.value(evidence, SKG.factObject),)
    graph.add((ACTOR.russia, SKG.memberOf, PLACE["example-bay"]))  # range violation
    graph.add((PLACE["example-bay"], RDF.type, SKG.Place))
    graph.add((PLACE["example-bay"], RDFS.label, Literal("Example Bay", lang="en")))
    report = validate_graph(graph)
    assert report.violating_facts() == {
        (evidence, SKG.confidence, Literal(Decimal("1.5"))),
        fact,
        (ACTOR.russia, SKG.memberOf, PLACE["example-bay"]),
    }
    for triple in report.violating_facts():
        graph.remove(triple)  # type: ignore[arg-type]
    graph.remove((evidence, None, None))
    assert validate_graph(graph).conforms


def test_summary_is_one_readable_line_per_violation() -> None:
    report = validate_graph(_example("EvidenceShape-invalid.ttl"))
    lines = report.summary().splitlines()
    assert len(lines) == len(report.violations) >= 12
    assert lines == sorted(lines)
    confidence = [line for line in lines if line.startswith("Evidence-confidence:")]
    assert len(confidence) == 1
    assert "skgid:evidence/" in confidence[0] and "skg:confidence" in confidence[0]
    assert "1.5" in confidence[0] and "from 0 to 1" in confidence[0]


def test_an_empty_graph_conforms() -> None:
    report = validate_graph(Graph())
    assert isinstance(report, ValidationReport)
    assert report.conforms and report.summary() == ""


_SETTINGS = settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])


@_SETTINGS
@given(st.decimals(min_value=0, max_value=1, places=6))
def test_confidences_inside_the_unit_interval_are_accepted(confidence: Decimal) -> None:
    graph, _ = _evidence_with_confidence(Literal(confidence))
    report = validate_graph(graph)
    assert report.conforms, report.summary()


_OUTSIDE = st.one_of(
    st.decimals(max_value=Decimal("-0.000001"), places=6, allow_nan=False, allow_infinity=False),
    st.decimals(min_value=Decimal("1.000001"), places=6, allow_nan=False, allow_infinity=False),
)


@_SETTINGS
@given(_OUTSIDE)
def test_confidences_outside_the_unit_interval_are_rejected(confidence: Decimal) -> None:
    graph, evidence = _evidence_with_confidence(Literal(confidence))
    report = validate_graph(graph)
    assert not report.conforms
    assert {(v.shape_name, v.focus_node) for v in report.violations} == {
        ("Evidence-confidence", evidence)
    }


# --------------------------------------------------------------------------- stored source graphs

_DOCID = "0123456789abcdef"
_DCT = Namespace("http://purl.org/dc/terms/")


def _source_graph(docid: str = _DOCID, sha256: str = _DOCID + "0" * 48) -> Graph:
    from ingest.iri import source_iri

    graph = Graph()
    document = source_iri(docid)
    graph.add((document, RDF.type, SKG.SourceDocument))
    graph.add((document, _DCT.title, Literal("A document")))
    graph.add((document, RDFS.label, Literal("A document")))
    graph.add((document, SKG.sha256, Literal(sha256)))
    return graph


def test_a_source_graph_with_its_document_metadata_conforms() -> None:
    from ingest.iri import source_graph
    from ingest.validate import validate_source_graph

    report = validate_source_graph(_source_graph(), source_graph(_DOCID))
    assert report.conforms, report.summary()


def test_a_source_graph_without_document_metadata_is_a_violation() -> None:
    from ingest.iri import source_graph, source_iri
    from ingest.validate import validate_source_graph

    graph = Graph()
    graph.add((source_iri(_DOCID), RDFS.comment, Literal("left over")))
    report = validate_source_graph(graph, source_graph(_DOCID))
    assert not report.conforms
    assert [v.shape_name for v in report.violations] == ["SourceGraph-document"]
    line = report.summary()
    assert f"<{source_graph(_DOCID)}>" in line
    assert "missing rdf:type skg:SourceDocument, dct:title, skg:sha256" in line
    assert f"spacekg remove {_DOCID}" in line


def test_a_source_graph_whose_digest_is_not_its_id_is_a_violation() -> None:
    from ingest.iri import source_graph
    from ingest.validate import validate_source_graph

    other = "f" * 64
    report = validate_source_graph(_source_graph(sha256=other), source_graph(_DOCID))
    assert [(v.shape_name, str(v.value)) for v in report.violations] == [
        ("SourceGraph-document", other)
    ]
    assert f"does not start with the graph's id {_DOCID}" in report.summary()


# --- revalidating after facts were dropped ------------------------------------------------


def test_no_shape_looks_further_than_revalidate_assumes() -> None:
    """`revalidate` checks only nodes whose own triples or whose values' types changed."""
    from ingest.validate import FAR_SIGHTED_SHAPE_TERMS

    sh = "http://www.w3.org/ns/shacl#"
    used = {str(p)[len(sh) :] for p in shapes_graph().predicates() if str(p).startswith(sh)}
    assert not used & set(FAR_SIGHTED_SHAPE_TERMS)


def context() -> Graph:
    from ingest.ontology import ontology_and_reference

    return ontology_and_reference()  # what ingestion validates a document graph with


@pytest.fixture(scope="module")
def document_graph_of_the_corpus() -> Graph:
    from ingest.config import CORPUS_DIR
    from ingest.load import load_file
    from ingest.nlp import extract
    from ingest.to_rdf import document_graph

    source = load_file(CORPUS_DIR / "viasat_kasat_overview_2022.md")
    built = document_graph(source, extract([source])[0], min_confidence=0.25, extractor_version="t")
    assert validate_graph(built.graph, extra=context()).conforms
    return built.graph


@pytest.mark.parametrize("seed", range(12))
def test_revalidate_finds_what_a_full_validation_finds(
    document_graph_of_the_corpus: Graph, seed: int
) -> None:
    """Take triples out (types, labels, fact parts, evidence) and compare with the full run."""
    import random

    from ingest.validate import revalidate

    before = document_graph_of_the_corpus
    triples = sorted(before, key=lambda t: tuple(str(x) for x in t))
    removed = set(random.Random(seed).sample(triples, 6))
    after = Graph()
    for triple in triples:
        if triple not in removed:
            after.add(triple)
    full = validate_graph(after, extra=context())
    fast = revalidate(before, after, extra=context())
    assert fast.summary() == full.summary()
    assert fast.conforms == full.conforms


def test_revalidate_reports_again_a_violation_no_removal_fixed() -> None:
    from ingest.validate import revalidate

    data = Graph()
    node = URIRef(ID_NS + "actor/nameless")
    data.add((node, RDF.type, URIRef(ONTOLOGY_NS + "State")))  # no label: a violation
    first = validate_graph(data, extra=context())
    assert not first.conforms
    again = revalidate(data, data, extra=context(), focus={node})
    assert again.summary() == first.summary()
    assert revalidate(data, data, extra=context()).conforms  # nothing to look at
