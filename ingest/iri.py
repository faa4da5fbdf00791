"""The one place where spacekg mints IRIs: deterministic, from a kind and a normalised slug."""

from __future__ import annotations

import hashlib
import re
import unicodedata

from rdflib import URIRef

from .config import GRAPH_NS, ID_NS, ONTOLOGY_NS

KINDS = frozenset(
    {
        "actor",
        "asset",
        "capability",
        "event",
        "document",
        "review",
        "concept",
        "place",
        "evidence",
        "membership",
        "source",
        "scheme",
    }
)
# The kind of an individual's IRI, by the ontology's top class it falls under.
KIND_OF_TOP_CLASS = {
    "Actor": "actor",
    "SpaceAsset": "asset",
    "Capability": "capability",
    "Event": "event",
    "Document": "document",
    "DoctrineConcept": "concept",
    "Place": "place",
}
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


# --- parsing: the inverse of the minting above; nothing else slices our IRIs -----------------

_DOCID = re.compile(r"[0-9a-f]{16}")
SOURCE_GRAPH_PREFIX = GRAPH_NS + "source/"
REVIEW_GRAPH_PREFIX = GRAPH_NS + "review/"
CURIE_PREFIX = "skgid:"


def kind_of(iri: object) -> str:
    """The `{kind}` segment of an individual's IRI (`actor`, `event`, ...), or '' if not ours."""
    text = str(iri)
    return text[len(ID_NS) :].split("/", 1)[0] if text.startswith(ID_NS) else ""


def docid_of(graph: object) -> str | None:
    """The docid of a source-document graph IRI exactly as `source_graph` mints it, else None."""
    text = str(graph)
    if not text.startswith(SOURCE_GRAPH_PREFIX):
        return None
    docid = text[len(SOURCE_GRAPH_PREFIX) :]
    return docid if _DOCID.fullmatch(docid) else None


def review_graph(decision: URIRef) -> URIRef:
    """The named graph of one review decision (`…/id/review/{hash}` -> `…/graph/review/{hash}`)."""
    return URIRef(REVIEW_GRAPH_PREFIX + str(decision).rsplit("/", 1)[-1])


def is_review_graph(graph: object) -> bool:
    return str(graph).startswith(REVIEW_GRAPH_PREFIX)


def is_source_graph(graph: object) -> bool:
    """True for `…/graph/source/{anything}`: the graphs of ingested documents."""
    return str(graph).startswith(SOURCE_GRAPH_PREFIX)


def term_name(term: object) -> str | None:
    """The local name of an ontology term (`skg:State` -> 'State'), or None if not ours."""
    text = str(term)
    return text[len(ONTOLOGY_NS) :] if text.startswith(ONTOLOGY_NS) else None


def local_part(iri: object) -> str:
    """What follows the last '#' or '/' of any IRI (a SHACL severity, a foreign class)."""
    text = str(iri)
    return re.split(r"[#/]", text)[-1]


def expand(curie: str) -> URIRef:
    """`skgid:actor/nato` -> the individual's IRI."""
    if not curie.startswith(CURIE_PREFIX):
        raise ValueError(f"not an skgid: CURIE: {curie!r}")
    return URIRef(ID_NS + curie[len(CURIE_PREFIX) :])


def curie_of(iri: object) -> str | None:
    """An individual's IRI as `skgid:...`, or None if it is not one of ours."""
    text = str(iri)
    return CURIE_PREFIX + text[len(ID_NS) :] if text.startswith(ID_NS) else None
