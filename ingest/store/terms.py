"""rdflib terms to and from Oxigraph's, and the update texts built from them (serialised, never formatted)."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import pyoxigraph as ox
from rdflib import BNode, Graph, URIRef
from rdflib import Literal as RDFLiteral
from rdflib.namespace import XSD
from rdflib.term import Node


def to_ox(term: Node) -> Any:
    """rdflib term -> pyoxigraph term."""
    if isinstance(term, URIRef):
        return ox.NamedNode(str(term))
    if isinstance(term, BNode):
        return ox.BlankNode(str(term))
    if isinstance(term, RDFLiteral):
        if term.language:
            return ox.Literal(str(term), language=term.language)
        if term.datatype is not None:
            return ox.Literal(str(term), datatype=ox.NamedNode(str(term.datatype)))
        return ox.Literal(str(term))
    raise TypeError(f"cannot store {term!r} ({type(term).__name__})")


def from_ox(term: Any) -> Node:
    """pyoxigraph term -> rdflib term; xsd:string literals come back plain (rdflib's habit)."""
    if isinstance(term, ox.NamedNode):
        return URIRef(term.value)
    if isinstance(term, ox.BlankNode):
        return BNode(term.value)
    if isinstance(term, ox.Literal):
        if term.language:
            return RDFLiteral(term.value, lang=term.language)
        if term.datatype.value == str(XSD.string):
            return RDFLiteral(term.value)
        return RDFLiteral(term.value, datatype=URIRef(term.datatype.value))
    raise TypeError(f"unsupported term {term!r}")


def _ntriples(graph: Graph) -> str:
    """N-Triples text of `graph`, written by Oxigraph's serializer (correct escaping)."""
    triples = [ox.Triple(to_ox(s), to_ox(p), to_ox(o)) for s, p, o in graph]
    return ox.serialize(triples, format=ox.RdfFormat.N_TRIPLES).decode("utf-8")


def insert_update(blocks: str, *, blank_nodes: bool) -> str:
    """An insert of ground data: `INSERT DATA`, or `INSERT … WHERE {}` when it has blank nodes.

    Both mean the same in SPARQL 1.1 (one solution, so each blank-node label is one fresh node
    across the whole request), but Virtuoso 7.2 refuses blank nodes in INSERT DATA ("not allowed
    in a constant clause"), so data with blank nodes takes the template form.
    """
    if blank_nodes:
        return "INSERT {\n" + blocks + "} WHERE {}"
    return "INSERT DATA {\n" + blocks + "}"


def replace_graph_update(graph_iri: URIRef, graph: Graph, also_drop: Sequence[URIRef] = ()) -> str:
    """One SPARQL Update request that swaps a named graph's contents atomically.

    `also_drop` names graphs removed in the same request (an older version of a document).
    The text is serialised from RDF terms by Oxigraph's N-Triples writer, never formatted from
    user input; the graph IRIs are ones we minted.
    """
    target = to_ox(graph_iri)
    drops = "".join("DROP SILENT GRAPH " + str(to_ox(old)) + " ;\n" for old in also_drop)
    blank_nodes = any(isinstance(term, BNode) for triple in graph for term in triple)
    block = "GRAPH " + str(target) + " {\n" + _ntriples(graph) + "}\n"
    return (
        drops
        + "DROP SILENT GRAPH "
        + str(target)
        + " ;\n"
        + insert_update(block, blank_nodes=blank_nodes)
    )
