"""The one place where spacekg mints IRIs: deterministic, from a kind and a normalised slug."""

from __future__ import annotations

import hashlib
import re
import unicodedata

from rdflib import URIRef

from .config import GRAPH_NS, ID_NS

KINDS = frozenset(
    {
        "actor",
        "asset",
        "capability",
        "event",
        "document",
        "concept",
        "place",
        "evidence",
        "membership",
        "source",
        "scheme",
    }
)
_NON_WORD = re.compile(r"[^a-z0-9]+")
MAX_SLUG = 80


def slugify(label: str) -> str:
    """Lower-case ASCII words joined by '-': 'Commandement de l'espace' -> 'commandement-de-l-espace'."""
    ascii_text = unicodedata.normalize("NFKD", label).encode("ascii", "ignore").decode("ascii")
    slug = _NON_WORD.sub("-", ascii_text.lower()).strip("-")
    if len(slug) > MAX_SLUG:
        digest = hashlib.sha256(slug.encode()).hexdigest()[:8]
        slug = slug[: MAX_SLUG - 9].rstrip("-") + "-" + digest
    if not slug:
        # A label with no ASCII letters or digits still needs a stable, distinct IRI.
        slug = "x-" + hashlib.sha256(label.encode("utf-8")).hexdigest()[:12]
    return slug


def mint(kind: str, label: str) -> URIRef:
    """IRI of an individual of `kind` named `label`; the same label always gives the same IRI."""
    if kind not in KINDS:
        raise ValueError(f"unknown IRI kind {kind!r}; expected one of {sorted(KINDS)}")
    return URIRef(f"{ID_NS}{kind}/{slugify(label)}")


def mint_hashed(kind: str, *parts: str) -> URIRef:
    """IRI from a content hash of `parts` (evidence, memberships): stable and collision-safe."""
    if kind not in KINDS:
        raise ValueError(f"unknown IRI kind {kind!r}; expected one of {sorted(KINDS)}")
    digest = hashlib.sha256("\x1f".join(parts).encode("utf-8")).hexdigest()[:16]
    return URIRef(f"{ID_NS}{kind}/{digest}")


def graph_iri(name: str) -> URIRef:
    """IRI of a named graph: 'reference', 'ontology', 'inferred' or 'source/{docid}'."""
    return URIRef(GRAPH_NS + name)


ONTOLOGY_GRAPH = graph_iri("ontology")
REFERENCE_GRAPH = graph_iri("reference")
INFERRED_GRAPH = graph_iri("inferred")


def source_graph(docid: str) -> URIRef:
    """Named graph of one ingested source document."""
    return graph_iri(f"source/{docid}")


def source_iri(docid: str) -> URIRef:
    """IRI of an ingested source document."""
    return URIRef(f"{ID_NS}source/{docid}")
