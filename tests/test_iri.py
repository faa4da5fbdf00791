"""ingest/iri.py: minting and parsing are each other's inverse, for every kind and label."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st
from rdflib import URIRef

from ingest.iri import (
    INFERRED_GRAPH,
    KINDS,
    REFERENCE_GRAPH,
    curie_of,
    docid_of,
    expand,
    is_source_graph,
    kind_of,
    local_part,
    mint,
    source_graph,
    term_name,
)

DOCIDS = st.text(alphabet="0123456789abcdef", min_size=16, max_size=16)


@given(kind=st.sampled_from(sorted(KINDS)), label=st.text(min_size=1, max_size=60))
def test_minted_iris_parse_back(kind: str, label: str) -> None:
    iri = mint(kind, label)
    assert kind_of(iri) == kind
    curie = curie_of(iri)
    assert curie is not None and curie.startswith("skgid:" + kind + "/")
    assert expand(curie) == iri


@given(docid=DOCIDS)
def test_source_graphs_parse_back(docid: str) -> None:
    graph = source_graph(docid)
    assert docid_of(graph) == docid and is_source_graph(graph)


@pytest.mark.parametrize(
    "graph",
    [
        REFERENCE_GRAPH,
        INFERRED_GRAPH,
        source_graph("0123456789ABCDEF"),  # upper case is not how we mint
        source_graph("0123456789abcdef/x"),
        URIRef("urn:x:graph/source/0123456789abcdef"),
    ],
)
def test_other_graphs_have_no_docid(graph: URIRef) -> None:
    assert docid_of(graph) is None


def test_names_of_terms_and_foreign_iris() -> None:
    assert term_name(URIRef("https://w3id.org/spacekg/ontology#State")) == "State"
    assert term_name(URIRef("http://www.w3.org/ns/shacl#Violation")) is None
    assert local_part("http://www.w3.org/ns/shacl#Violation") == "Violation"
    assert kind_of("urn:x") == "" and curie_of("urn:x") is None
    with pytest.raises(ValueError, match="not an skgid"):
        expand("skg:State")
