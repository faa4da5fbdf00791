"""Namespaces, term sets and thresholds every reasoning step shares."""

from __future__ import annotations

import re
from typing import Literal

from rdflib.namespace import DCTERMS, OWL, PROV, RDF, RDFS, SKOS, XSD, Namespace
from rdflib.term import Node

from ingest.config import ONTOLOGY_NS

Engine = Literal["auto", "hermit", "owlrl"]
Triple = tuple[Node, Node, Node]

SKG = Namespace(ONTOLOGY_NS)
ORG = Namespace("http://www.w3.org/ns/org#")
# owlrl marks each inconsistency with a node of this type carrying the message.
ERRNS = Namespace("http://www.daml.org/2002/03/agents/agent-ont#")

# Measured with benchmarks/reason.py (ontology + reference + synthetic source graphs, 2 cores):
# HermiT 2 s at 2k input triples, 6 s at 12k, 30 s at 49k, 74 s at 97k (JVM peak 0.5 GB at
# 49k, 0.9 GB at 97k; ~80% of the time is HermiT itself); owlrl 2 s, 6 s, 25 s, 47 s, with the
# same inferences on this data. ~50k is where owlrl overtakes HermiT, so past it "auto" gives
# up HermiT's OWL 2 DL completeness for speed.
DEFAULT_HERMIT_MAX_TRIPLES = 50_000

_W3C_SCHEMA_NS = (str(RDF), str(RDFS), str(OWL), str(XSD))
# Types that make an IRI a term of an ontology rather than an individual.
_SCHEMA_TYPES = frozenset(
    {
        OWL.Class,
        RDFS.Class,
        RDFS.Datatype,
        RDF.Property,
        OWL.ObjectProperty,
        OWL.DatatypeProperty,
        OWL.AnnotationProperty,
        OWL.FunctionalProperty,
        OWL.InverseFunctionalProperty,
        OWL.TransitiveProperty,
        OWL.SymmetricProperty,
        OWL.AsymmetricProperty,
        OWL.ReflexiveProperty,
        OWL.IrreflexiveProperty,
        OWL.Ontology,
        OWL.Restriction,
    }
)
# Annotation properties used by spacekg even where a graph does not declare them.
_ANNOTATIONS = frozenset(
    {
        RDFS.label,
        RDFS.comment,
        RDFS.seeAlso,
        RDFS.isDefinedBy,
        SKOS.prefLabel,
        SKOS.altLabel,
        SKOS.hiddenLabel,
        SKOS.definition,
        SKOS.scopeNote,
        SKOS.note,
        SKOS.closeMatch,
        DCTERMS.source,
        DCTERMS.title,
        DCTERMS.description,
        OWL.versionInfo,
    }
)
_EVIDENCE_LINKS = frozenset({SKG.factSubject, SKG.factPredicate, SKG.factObject})

# Short forms for clash messages: ontology terms read better as CURIEs; individuals keep
# their full IRI so a user can paste it into a query.
_CURIES = (
    (ONTOLOGY_NS, "skg:"),
    (str(OWL), "owl:"),
    (str(RDFS), "rdfs:"),
    (str(RDF), "rdf:"),
    (str(XSD), "xsd:"),
    (str(PROV), "prov:"),
    (str(ORG), "org:"),
    (str(SKOS), "skos:"),
    (str(DCTERMS), "dct:"),
)


def _shorten(text: str) -> str:
    """Ontology terms as CURIEs, individuals as <full IRI>, in an owlrl or own message."""

    def replace(match: re.Match[str]) -> str:
        iri = match.group(0)
        for namespace, prefix in _CURIES:
            if iri.startswith(namespace) and "/" not in iri[len(namespace) :]:
                return prefix + iri[len(namespace) :]
        return f"<{iri}>"

    return re.sub(r"https?://[^\s,()<>'\"]+", replace, text)
