"""The annotated training corpus: its schema (read from the ontology), loader and checks.

One document per record, stored as one JSON line (`training/annotated/{id}.jsonl`):

    {"id": "ev-001", "annotator": "a1", "text": "...", "meta": {"title": ..., "url": ...,
     "publisher": ..., "date": ..., "kind": ..., "licence": ..., "attribution": ...},
     "spans": [{"start": 0, "end": 6, "label": "State", "iri": "skgid:actor/russia"},
               {"start": 40, "end": 56, "label": "Date", "value": "2021-11-15"}, ...],
     "relations": [{"head": 0, "child": 3, "label": "conducted", "sentence": [0, 80]}, ...]}

Span labels are the ontology's classes (and `Date`); `iri` names a curated individual of a
compatible class, or is absent; relation labels are the ontology's object properties in their
annotated direction (not the inverses) and `date`, and the two spans must fit the property's
`rdfs:domain` and `rdfs:range`. Everything is read from `ontology/`, so a new class or property
needs no change here. The loader refuses what is off: overlapping spans, offsets off a token
boundary, unknown labels, properties or IRIs, a domain or range the spans do not fit.

Annotators write drafts with spans given by their text and occurrence instead of offsets;
`ingest.corpus_drafts` turns them into records.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from functools import cache
from itertools import pairwise
from pathlib import Path
from typing import TYPE_CHECKING

from rdflib import OWL, RDF, RDFS, Graph, URIRef
from rdflib.collection import Collection
from rdflib.term import BNode, Node

from .config import ONTOLOGY_FILE, ONTOLOGY_NS, REFERENCE_FILE, ROOT
from .iri import curie_of, term_name

if TYPE_CHECKING:
    from spacy.language import Language

TRAINING_DIR = ROOT / "training"
ANNOTATED_DIR = TRAINING_DIR / "annotated"
DATE_LABEL = "Date"
DATE_PROPERTY = "date"
# Classes a text span is an instance of; the rest (Evidence, Membership...) are ours.
_TOP_CLASSES = (
    "Actor",
    "SpaceAsset",
    "Capability",
    "Event",
    "Document",
    "DoctrineConcept",
    "Place",
)
_NOT_SPAN_CLASSES = frozenset({"SourceDocument"})
_DATE_VALUE = re.compile(r"\d{4}(-\d{2}(-\d{2})?)?")
META_KEYS = ("title", "url", "publisher", "date", "kind", "licence", "attribution")


class CorpusError(ValueError):
    """An annotation record that breaks the schema; the message lists every problem."""


@dataclass(frozen=True)
class Schema:
    """What the ontology allows: span labels, properties with domain and range, individuals."""

    labels: frozenset[str]
    superclasses: dict[str, frozenset[str]]  # class -> itself and all its superclasses
    domains: dict[str, frozenset[str]]  # property -> classes allowed as head
    ranges: dict[str, frozenset[str]]  # property -> classes allowed as child
    individuals: dict[str, frozenset[str]]  # "skgid:..." -> its classes

    @property
    def properties(self) -> list[str]:
        return sorted(self.domains)

    def fits(self, label: str, allowed: frozenset[str]) -> bool:
        """True when a span of class `label` is an instance of one of `allowed`."""
        return bool(self.superclasses.get(label, frozenset({label})) & allowed)

    def compatible(self, label: str, iri: str) -> bool:
        """True when the individual's class and the span label lie on one hierarchy path."""
        classes = self.individuals.get(iri, frozenset())
        return any(
            label in self.superclasses.get(c, frozenset()) or c in self.superclasses[label]
            for c in classes
        )


def _class_set(graph: Graph, node: Node) -> set[str]:
    """A class or an owl:unionOf of classes, as local names."""
    if isinstance(node, BNode):
        members = graph.value(node, OWL.unionOf)
        return {n for m in Collection(graph, members) if (n := term_name(m))} if members else set()
    name = term_name(node)
    return {name} if name else set()


@cache
def load_schema(ontology: Path = ONTOLOGY_FILE, reference: Path = REFERENCE_FILE) -> Schema:
    """The schema from the ontology and curated reference data (cached: files do not change)."""
    graph = Graph()
    graph.parse(ontology, format="turtle")
    parents: dict[str, set[str]] = {}
    for cls in graph.subjects(RDF.type, OWL.Class):
        if (name := term_name(cls)) is not None:
            parents.setdefault(name, set()).update(
                p for o in graph.objects(cls, RDFS.subClassOf) if (p := term_name(o))
            )
    superclasses: dict[str, frozenset[str]] = {}
    for name in parents:
        seen, stack = {name}, [name]
        while stack:
            for parent in parents.get(stack.pop(), ()):
                if parent not in seen:
                    seen.add(parent)
                    stack.append(parent)
        superclasses[name] = frozenset(seen)

    labels = {
        name
        for name, ups in superclasses.items()
        if ups & set(_TOP_CLASSES) and name not in _NOT_SPAN_CLASSES
    }
    inverses = {term_name(s) for s in graph.subjects(OWL.inverseOf, None)}
    domains, ranges = {}, {}
    for prop in graph.subjects(RDF.type, OWL.ObjectProperty):
        name = term_name(prop)
        if name is None or name in inverses:
            continue
        domain = graph.value(prop, RDFS.domain)
        range_ = graph.value(prop, RDFS.range)
        heads = frozenset(_class_set(graph, domain)) if domain else frozenset(labels)
        if not heads & labels:
            continue  # between records, not things a text names (a review decision's evidence)
        domains[name] = heads
        ranges[name] = frozenset(_class_set(graph, range_)) if range_ else frozenset(labels)
    date = URIRef(ONTOLOGY_NS + DATE_PROPERTY)
    domain = graph.value(date, RDFS.domain)
    domains[DATE_PROPERTY] = frozenset(_class_set(graph, domain)) if domain else frozenset()
    ranges[DATE_PROPERTY] = frozenset({DATE_LABEL})
    superclasses[DATE_LABEL] = frozenset({DATE_LABEL})
    labels.add(DATE_LABEL)

    reference_graph = Graph()
    reference_graph.parse(reference, format="turtle")
    individuals: dict[str, set[str]] = {}
    for source in (graph, reference_graph):
        for subject, cls in source.subject_objects(RDF.type):
            curie, name = curie_of(subject), term_name(cls)
            if curie and name in labels:
                individuals.setdefault(curie, set()).add(name)
    return Schema(
        labels=frozenset(labels),
        superclasses=superclasses,
        domains=domains,
        ranges=ranges,
        individuals={k: frozenset(v) for k, v in individuals.items()},
    )


# --- records -----------------------------------------------------------------------------------


@dataclass(frozen=True)
class Span:
    start: int
    end: int
    label: str
    iri: str | None = None
    value: str | None = None  # Date spans: ISO YYYY, YYYY-MM or YYYY-MM-DD


@dataclass(frozen=True)
class Relation:
    head: int
    child: int
    label: str
    sentence: tuple[int, int]


@dataclass
class Record:
    """One annotated document, checked against the schema."""

    id: str
    text: str
    meta: dict[str, str]
    spans: list[Span]
    relations: list[Relation]
    annotator: str = ""
    extra: dict[str, object] = field(default_factory=dict)

    def span_text(self, index: int) -> str:
        span = self.spans[index]
        return self.text[span.start : span.end]

    def to_json(self) -> str:
        payload = {
            "id": self.id,
            "annotator": self.annotator,
            "meta": self.meta,
            "text": self.text,
            "spans": [
                {
                    k: v
                    for k, v in (
                        ("start", s.start),
                        ("end", s.end),
                        ("label", s.label),
                        ("iri", s.iri),
                        ("value", s.value),
                        ("text", self.text[s.start : s.end]),
                    )
                    if v is not None
                }
                for s in self.spans
            ],
            "relations": [
                {"head": r.head, "child": r.child, "label": r.label, "sentence": list(r.sentence)}
                for r in self.relations
            ],
        }
        return json.dumps(payload, ensure_ascii=False)


@cache
def _tokenizer() -> Language:
    import spacy

    nlp = spacy.blank("en")
    nlp.add_pipe("sentencizer")
    return nlp


def _boundaries(text: str) -> tuple[set[int], set[int]]:
    doc = _tokenizer().make_doc(text)
    return {t.idx for t in doc}, {t.idx + len(t) for t in doc}


def sentences(text: str) -> list[tuple[int, int]]:
    """Sentence offsets by spaCy's rule-based sentencizer (deterministic, no model)."""
    doc = _tokenizer()(text)
    return [(s.start_char, s.end_char) for s in doc.sents]


def parse_record(payload: dict[str, object], schema: Schema | None = None) -> Record:
    """A record from its JSON object; raises CorpusError listing every problem."""
    schema = schema or load_schema()
    problems: list[str] = []
    doc_id = str(payload.get("id") or "")
    text = payload.get("text")
    if not doc_id:
        problems.append("no id")
    if not isinstance(text, str) or not text.strip():
        raise CorpusError(f"{doc_id or '?'}: no text")
    meta = payload.get("meta") or {}
    if not isinstance(meta, dict):
        problems.append("meta is not an object")
        meta = {}
    for key in META_KEYS:
        if not meta.get(key) and key not in ("date",):
            problems.append(f"meta.{key} is missing")
    starts, ends = _boundaries(text)
    spans: list[Span] = []
    for n, raw in enumerate(payload.get("spans") or []):  # type: ignore[union-attr]
        where = f"span {n}"
        try:
            span = Span(
                int(raw["start"]),
                int(raw["end"]),
                str(raw["label"]),
                raw.get("iri") or None,
                raw.get("value") or None,
            )
        except (KeyError, TypeError, ValueError):
            problems.append(f"{where}: needs start, end and label")
            continue
        if not 0 <= span.start < span.end <= len(text):
            problems.append(f"{where}: offsets {span.start}-{span.end} outside the text")
            continue
        shown = repr(text[span.start : span.end])
        if "text" in raw and raw["text"] != text[span.start : span.end]:
            problems.append(
                f"{where}: text {raw['text']!r} is not the text at its offsets ({shown})"
            )
        if span.start not in starts or span.end not in ends:
            problems.append(
                f"{where} {shown}: offsets {span.start}-{span.end} are off a token boundary"
            )
        if span.label not in schema.labels:
            problems.append(f"{where} {shown}: unknown label {span.label!r}")
        elif span.iri is not None:
            if span.iri not in schema.individuals:
                problems.append(
                    f"{where} {shown}: unknown IRI {span.iri!r} (not a curated individual)"
                )
            elif not schema.compatible(span.label, span.iri):
                problems.append(
                    f"{where} {shown}: {span.iri} is a {'/'.join(sorted(schema.individuals[span.iri]))}, "
                    f"not a {span.label}"
                )
        if span.label == DATE_LABEL and not (span.value and _DATE_VALUE.fullmatch(span.value)):
            problems.append(f"{where} {shown}: a Date needs a value YYYY, YYYY-MM or YYYY-MM-DD")
        spans.append(span)
    ordered = sorted(range(len(spans)), key=lambda i: (spans[i].start, spans[i].end))
    for a, b in pairwise(ordered):
        if spans[b].start < spans[a].end:
            problems.append(
                f"spans {a} and {b} overlap ({text[spans[a].start : spans[a].end]!r}, "
                f"{text[spans[b].start : spans[b].end]!r})"
            )
    relations: list[Relation] = []
    seen: set[tuple[int, int, str]] = set()
    for n, raw in enumerate(payload.get("relations") or []):  # type: ignore[union-attr]
        where = f"relation {n}"
        try:
            head, child, label = int(raw["head"]), int(raw["child"]), str(raw["label"])
        except (KeyError, TypeError, ValueError):
            problems.append(f"{where}: needs head, child and label")
            continue
        if not (0 <= head < len(spans) and 0 <= child < len(spans)) or head == child:
            problems.append(f"{where}: head {head} and child {child} must be two of the spans")
            continue
        if label not in schema.domains:
            problems.append(
                f"{where}: unknown property {label!r} (use {', '.join(schema.properties)})"
            )
            continue
        pair = f"{text[spans[head].start : spans[head].end]!r} {label} {text[spans[child].start : spans[child].end]!r}"
        if not schema.fits(spans[head].label, schema.domains[label]):
            problems.append(
                f"{where} {pair}: a {spans[head].label} is outside the domain of {label}"
            )
        if not schema.fits(spans[child].label, schema.ranges[label]):
            problems.append(
                f"{where} {pair}: a {spans[child].label} is outside the range of {label}"
            )
        if (head, child, label) in seen:
            problems.append(f"{where} {pair}: given twice")
        seen.add((head, child, label))
        bounds = raw.get("sentence")
        first, last = sorted((spans[head], spans[child]), key=lambda s: s.start)
        if not (isinstance(bounds, list) and len(bounds) == 2):
            problems.append(f"{where} {pair}: needs its sentence as [start, end]")
            continue
        sentence = (int(bounds[0]), int(bounds[1]))
        if not (sentence[0] <= first.start and last.end <= sentence[1]):
            problems.append(f"{where} {pair}: its sentence {sentence} does not hold both spans")
        relations.append(Relation(head, child, label, sentence))
    if problems:
        raise CorpusError(f"{doc_id}: " + "; ".join(problems))
    return Record(
        id=doc_id,
        text=text,
        meta={k: str(v) for k, v in meta.items()},
        spans=spans,
        relations=relations,
        annotator=str(payload.get("annotator") or ""),
    )


def read_records(path: Path, schema: Schema | None = None) -> Iterator[Record]:
    """Every record of a JSON Lines file, checked; errors name the file and line."""
    for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
        if not line.strip():
            continue
        try:
            payload = json.loads(line)
        except ValueError as exc:
            raise CorpusError(f"{path}:{number}: not JSON ({exc})") from None
        try:
            yield parse_record(payload, schema)
        except CorpusError as exc:
            raise CorpusError(f"{path}:{number}: {exc}") from None


def load_corpus(folder: Path = ANNOTATED_DIR, schema: Schema | None = None) -> list[Record]:
    """All records under `folder` (`*.jsonl`), in id order; ids must be unique."""
    records: dict[str, Record] = {}
    for path in sorted(folder.glob("*.jsonl")):
        for record in read_records(path, schema):
            if record.id in records:
                raise CorpusError(f"{path}: id {record.id} appears twice")
            records[record.id] = record
    return [records[k] for k in sorted(records)]


# --- drafts (see ingest.corpus_drafts) --------------------------------------------------------


def _occurrences(text: str, needle: str) -> list[int]:
    starts, ends = _boundaries(text)
    found, at = [], text.find(needle)
    while at >= 0:
        if at in starts and at + len(needle) in ends:
            found.append(at)
        at = text.find(needle, at + 1)
    return found


__all__ = [
    "ANNOTATED_DIR",
    "CorpusError",
    "Record",
    "Relation",
    "Schema",
    "Span",
    "load_corpus",
    "load_schema",
    "parse_record",
    "read_records",
    "sentences",
]
