"""The reasoners' input (merged graphs without evidence nodes and annotations) and the filter that
keeps only new, useful triples of their output.
"""

from __future__ import annotations

from collections.abc import Iterable

from rdflib import BNode, Graph, URIRef
from rdflib import Literal as RDFLiteral
from rdflib.namespace import OWL, RDF, RDFS
from rdflib.term import Node

from .vocabulary import _ANNOTATIONS, _EVIDENCE_LINKS, _SCHEMA_TYPES, _W3C_SCHEMA_NS, SKG, Triple

# --- input ----------------------------------------------------------------------------------


def merge(graphs: Iterable[Graph]) -> Graph:
    """One graph with every triple of `graphs` (the input as the reasoner sees it, pre-filter)."""
    merged = Graph()
    for graph in graphs:
        for prefix, namespace in graph.namespaces():
            merged.bind(prefix, namespace, override=False)
        for triple in graph:
            merged.add(triple)
    return merged


def _schema_terms(graph: Graph) -> set[Node]:
    """IRIs the input uses as classes or properties: never subjects of an inferred triple."""
    terms: set[Node] = set()
    for schema_type in _SCHEMA_TYPES:
        terms.update(graph.subjects(RDF.type, schema_type))
    terms.update(graph.predicates())
    terms.update(graph.objects(None, RDF.type))
    for predicate in (
        RDFS.subClassOf,
        RDFS.subPropertyOf,
        OWL.equivalentClass,
        OWL.inverseOf,
        OWL.disjointWith,
    ):
        for s, o in graph.subject_objects(predicate):
            terms.update((s, o))
    terms.update(graph.objects(None, RDFS.domain))
    terms.update(graph.objects(None, RDFS.range))
    return terms


def prepare(merged: Graph) -> Graph:
    """The triples worth reasoning over: no imports, evidence, annotations or ill-typed literals.

    `owl:imports` would make owlready2 fetch ontologies over HTTP (STACK-NOTES). Ill-typed
    literals are a SHACL matter; HermiT would stop on them with a Java stack trace.
    """
    annotation_properties = set(_ANNOTATIONS) | set(
        merged.subjects(RDF.type, OWL.AnnotationProperty)
    )
    evidence = set(merged.subjects(RDF.type, SKG.Evidence))
    headers = set(merged.subjects(RDF.type, OWL.Ontology))
    prepared = Graph()
    for s, p, o in merged:
        if p == OWL.imports or p in _EVIDENCE_LINKS or p in annotation_properties:
            continue
        if s in evidence or s in headers:
            continue
        if isinstance(o, RDFLiteral) and o.ill_typed:
            continue
        prepared.add((s, p, o))
    return prepared


# --- output filter --------------------------------------------------------------------------


def _in_w3c_schema(term: Node) -> bool:
    return isinstance(term, URIRef) and str(term).startswith(_W3C_SCHEMA_NS)


def _useful(triple: Triple, schema_terms: set[Node]) -> bool:
    """True for an inferred fact about an individual; False for OWL bookkeeping."""
    s, p, o = triple
    if not isinstance(s, URIRef) or isinstance(o, BNode) or isinstance(p, BNode):
        return False
    if s in schema_terms or _in_w3c_schema(s):
        return False
    if p == RDF.type:
        return isinstance(o, URIRef) and not _in_w3c_schema(o)
    if p == OWL.sameAs:
        return s != o
    return not _in_w3c_schema(p)


def filter_inferred(candidates: Iterable[Triple], merged: Graph) -> Graph:
    """The useful candidates that are not already in the input, as a new graph."""
    schema_terms = _schema_terms(merged)
    inferred = Graph()
    for prefix, namespace in merged.namespaces():
        inferred.bind(prefix, namespace, override=False)
    for triple in candidates:
        if triple not in merged and _useful(triple, schema_terms):
            inferred.add(triple)
    return inferred
