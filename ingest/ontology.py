"""The curated graphs (ontology, reference data, shapes), parsed once per process.

Every stage that needs the schema or the curated individuals (ruler, linker, validation,
reasoning, the store) asks here, so a file is read and parsed at most once. The returned
graphs are shared: copy one before changing it.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from rdflib import Graph, URIRef
from rdflib.namespace import OWL, RDF, RDFS, SKOS

from .config import ID_NS, ONTOLOGY_FILE, ONTOLOGY_NS, REFERENCE_FILE, SHAPES_FILE
from .errors import OntologyError
from .iri import kind_of

# Individuals that name no thing a text mentions: never offered to the ruler or linker.
_NOT_MENTIONABLE = frozenset({URIRef(ONTOLOGY_NS + "Membership"), SKOS.ConceptScheme, OWL.Ontology})


@dataclass(frozen=True)
class LabelEntry:
    """One curated individual with every name it goes by, for the entity ruler and linker.

    `types` are the classes asserted for it; `classes` adds their skg superclasses, so a
    linker can ask "is this an Actor?" without a reasoner.
    """

    iri: URIRef
    label: str
    alt_labels: tuple[str, ...]
    types: tuple[URIRef, ...]
    classes: tuple[URIRef, ...]

    @property
    def kind(self) -> str:
        """The IRI's kind segment: 'actor', 'asset', 'capability', 'concept', ..."""
        return kind_of(self.iri)

    @property
    def names(self) -> tuple[str, ...]:
        """The label followed by the alternative labels, without duplicates."""
        return tuple(dict.fromkeys((self.label, *self.alt_labels)))


def file_digest(path: Path) -> str:
    """SHA-256 (hex) of a file's bytes, so the store can tell when a curated file changed."""
    try:
        return hashlib.sha256(Path(path).read_bytes()).hexdigest()
    except FileNotFoundError as exc:
        raise OntologyError("file not found", str(path), "restore it from git") from exc


def load_turtle(path: Path) -> Graph:
    """Parse one curated Turtle file (uncached); a missing or broken file is an OntologyError."""
    graph = Graph()
    graph.bind("skg", ONTOLOGY_NS)
    graph.bind("skgid", ID_NS)
    try:
        graph.parse(path, format="turtle")
    except FileNotFoundError as exc:
        raise OntologyError("curated file is missing", str(path), "restore it from git") from exc
    except Exception as exc:  # rdflib raises many exception types for bad Turtle
        first_line = str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__
        raise OntologyError(
            f"cannot parse Turtle: {first_line}", str(path), "fix the syntax and run the tests"
        ) from exc
    return graph


@lru_cache(maxsize=1)
def ontology_graph() -> Graph:
    """The ontology (ontology/spacekg.ttl): classes, properties and the SKOS concept schemes."""
    return load_turtle(ONTOLOGY_FILE)


@lru_cache(maxsize=1)
def reference_graph() -> Graph:
    """The curated reference data (ontology/reference.ttl), every fact citing dct:source."""
    return load_turtle(REFERENCE_FILE)


@lru_cache(maxsize=1)
def shapes_graph() -> Graph:
    """The SHACL shapes (ontology/shapes.ttl)."""
    return load_turtle(SHAPES_FILE)


@lru_cache(maxsize=1)
def ontology_and_reference() -> Graph:
    """Ontology plus reference data in one graph: the context new documents are checked against."""
    merged = Graph()
    for prefix, namespace in ontology_graph().namespaces():
        merged.bind(prefix, namespace, override=False)
    for triple in ontology_graph():
        merged.add(triple)
    for triple in reference_graph():
        merged.add(triple)
    return merged


def _superclasses(graph: Graph, cls: URIRef) -> set[URIRef]:
    found: set[URIRef] = set()
    for parent in graph.transitive_objects(cls, RDFS.subClassOf):
        if isinstance(parent, URIRef):
            found.add(parent)
    return found


@lru_cache(maxsize=1)
def labels_index() -> tuple[LabelEntry, ...]:
    """Every curated individual that a text can mention, with its names and classes.

    Individuals are the typed IRIs under the `skgid:` namespace in the ontology (capability and
    doctrine concepts) and the reference data. Memberships and concept schemes are left out:
    no sentence names them. Sorted by IRI so the ruler's patterns come out in a stable order.
    """
    graph = ontology_and_reference()
    entries: list[LabelEntry] = []
    subjects = {s for s in graph.subjects(RDF.type, None) if isinstance(s, URIRef)}
    for iri in sorted(s for s in subjects if str(s).startswith(ID_NS)):
        types = tuple(sorted(t for t in graph.objects(iri, RDF.type) if isinstance(t, URIRef)))
        if _NOT_MENTIONABLE.intersection(types):
            continue
        label = graph.value(iri, RDFS.label) or graph.value(iri, SKOS.prefLabel)
        if label is None:
            raise OntologyError(
                f"individual {iri} has no rdfs:label",
                str(REFERENCE_FILE),
                "give it an rdfs:label@en",
            )
        alternatives = [
            str(name)
            for predicate in (SKOS.prefLabel, SKOS.altLabel)
            for name in graph.objects(iri, predicate)
        ]
        alt_labels = tuple(sorted({a for a in alternatives if a != str(label)}))
        classes: set[URIRef] = set(types)
        for cls in types:
            classes |= _superclasses(graph, cls)
        entries.append(
            LabelEntry(
                iri=iri,
                label=str(label),
                alt_labels=alt_labels,
                types=types,
                classes=tuple(sorted(classes)),
            )
        )
    return tuple(entries)
