"""What the spaCy pipeline hands to `to_rdf`: mentions, entities and relations of one document.

This module is the contract between the pipeline components (`ruler`, `link`, `relate`,
`dates`), `nlp.extract` and `to_rdf`. It holds data only, plus the spaCy extension attributes
the components use to pass their results along a `Doc`, so no component imports another.

Offsets are character offsets in `SourceText.text` (the body the pipeline saw).
"""

from __future__ import annotations

from dataclasses import dataclass, field

from rdflib import Literal, URIRef
from spacy.tokens import Doc, Span

# Extractor names recorded on each Evidence node (skg:extractor).
EXTRACTOR_RELATE = "spacekg.relate"  # a relation from the dependency parse
EXTRACTOR_EVENT = "spacekg.event"  # an event's date, actor or target
EXTRACTOR_MENTION = "spacekg.mention"  # "document mentions entity"
EXTRACTOR_MODEL = "spacekg.relation_model"  # a relation scored by the trained classifier


@dataclass(frozen=True, slots=True)
class Sentence:
    """One sentence of the document: its text and where it stands."""

    text: str
    start_char: int
    end_char: int


@dataclass(frozen=True, slots=True)
class Entity:
    """A thing the graph will describe: a curated individual or one minted from the text.

    `classes` are the skg classes to assert (`rdf:type`); for curated individuals they are
    informative only (the reference graph already types them, `to_rdf` writes nothing for them
    except the facts). `curated` is True for individuals of the ontology or reference data.
    """

    iri: URIRef
    label: str
    classes: tuple[URIRef, ...]
    curated: bool
    alt_labels: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class Mention:
    """A span of text linked to an entity."""

    text: str
    start_char: int
    end_char: int
    sentence: int  # index into Extraction.sentences
    iri: URIRef
    score: float  # linking confidence in [0, 1]


@dataclass(frozen=True, slots=True)
class Relation:
    """A candidate fact `subject predicate object` with where it was read and how sure we are.

    `object` is a URIRef for object properties or a typed Literal for `skg:date`.
    `pattern` names the rule that fired (for the ingest report and debugging).
    """

    subject: URIRef
    predicate: URIRef
    object: URIRef | Literal
    confidence: float
    sentence: int
    extractor: str = EXTRACTOR_RELATE
    pattern: str = ""


@dataclass(frozen=True, slots=True)
class ScoredPair:
    """A candidate pair the relation classifier scored: character offsets and property scores."""

    head: tuple[int, int]
    child: tuple[int, int]
    scores: dict[str, float]


@dataclass
class Extraction:
    """Everything the pipeline found in one document, ready for `to_rdf.document_graph`."""

    sentences: list[Sentence] = field(default_factory=list)
    entities: dict[URIRef, Entity] = field(default_factory=dict)
    mentions: list[Mention] = field(default_factory=list)
    relations: list[Relation] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    doc: Doc | None = None  # kept for the app's displaCy view; not serialised


# doc.spans key of the mentions of events the rules found where the NER marked no span.
EVENT_PHRASES = "spacekg_event_phrases"


def register_extensions() -> None:
    """Custom attributes the components share along a Doc; safe to call more than once.

    Span (on `doc.ents` after the linker):
      `_.iri` (str | None) the linked or minted individual, `_.canonical` (str) its label,
      `_.classes` (tuple[str, ...]) skg class IRIs, `_.curated` (bool), `_.link_score` (float).
    Doc:
      `_.entities` (dict[str, Entity]) every entity the linker or relation extractor made,
      `_.relations` (list[Relation]) from the relation extractor and classifier,
      `_.relation_scores` (list[ScoredPair]) every candidate pair the classifier scored,
      `_.doc_date` (str | None) ISO date of the document, set by `nlp.extract` before the
      components run, to resolve "last year"; `_.notes` (list[str]) for the ingest report.
      The source document, set by `nlp.extract` so relations can have the document itself
      as an end ("We declare...", "this Communiqué issued by X"): `_.doc_iri` (str | None),
      `_.doc_classes` (tuple[str, ...]) its skg Document classes, `_.doc_title` (str | None),
      `_.doc_publisher` (str | None) the IRI of the curated Actor that published it;
      `_.doc_key` (str | None) a short key of the whole text, the same for all its chunks.
    """
    span_attrs = {
        "iri": None,
        "canonical": "",
        "classes": (),
        "curated": False,
        "link_score": 0.0,
    }
    for name, default in span_attrs.items():
        if not Span.has_extension(name):
            Span.set_extension(name, default=default)
    for name in ("entities", "relations", "notes", "relation_scores"):
        if not Doc.has_extension(name):
            Doc.set_extension(name, default=None)
    for name, default in (
        ("doc_date", None),
        ("doc_iri", None),
        ("doc_classes", ()),
        ("doc_title", None),
        ("doc_publisher", None),
        ("doc_key", None),
    ):
        if not Doc.has_extension(name):
            Doc.set_extension(name, default=default)
