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

Annotators may write drafts with spans given by their text and occurrence instead of offsets;
`resolve_draft` turns a draft into a record and adds each relation's sentence.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from functools import cache
from itertools import pairwise
from pathlib import Path
from typing import TYPE_CHECKING

from rdflib import OWL, RDF, RDFS, Graph, URIRef
from rdflib.collection import Collection
from rdflib.term import BNode, Node

from .config import ID_NS, ONTOLOGY_FILE, ONTOLOGY_NS, REFERENCE_FILE, ROOT

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


def _local(node: Node) -> str | None:
    text = str(node)
    return text[len(ONTOLOGY_NS) :] if text.startswith(ONTOLOGY_NS) else None


def _class_set(graph: Graph, node: Node) -> set[str]:
    """A class or an owl:unionOf of classes, as local names."""
    if isinstance(node, BNode):
        members = graph.value(node, OWL.unionOf)
        return {n for m in Collection(graph, members) if (n := _local(m))} if members else set()
    name = _local(node)
    return {name} if name else set()


@cache
def load_schema(ontology: Path = ONTOLOGY_FILE, reference: Path = REFERENCE_FILE) -> Schema:
    """The schema from the ontology and curated reference data (cached: files do not change)."""
    graph = Graph()
    graph.parse(ontology, format="turtle")
    parents: dict[str, set[str]] = {}
    for cls in graph.subjects(RDF.type, OWL.Class):
        if (name := _local(cls)) is not None:
            parents.setdefault(name, set()).update(
                p for o in graph.objects(cls, RDFS.subClassOf) if (p := _local(o))
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
    inverses = {_local(s) for s in graph.subjects(OWL.inverseOf, None)}
    domains, ranges = {}, {}
    for prop in graph.subjects(RDF.type, OWL.ObjectProperty):
        name = _local(prop)
        if name is None or name in inverses:
            continue
        domain = graph.value(prop, RDFS.domain)
        range_ = graph.value(prop, RDFS.range)
        domains[name] = frozenset(_class_set(graph, domain)) if domain else frozenset(labels)
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
            text, name = str(subject), _local(cls)
            if text.startswith(ID_NS) and name in labels:
                individuals.setdefault("skgid:" + text[len(ID_NS) :], set()).add(name)
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


# --- drafts ----------------------------------------------------------------------------------


def _occurrences(text: str, needle: str) -> list[int]:
    starts, ends = _boundaries(text)
    found, at = [], text.find(needle)
    while at >= 0:
        if at in starts and at + len(needle) in ends:
            found.append(at)
        at = text.find(needle, at + 1)
    return found


def resolve_draft(draft: dict[str, object], schema: Schema | None = None) -> Record:
    """A record from a draft whose spans give `text` (+ `occurrence`, 1-based) for offsets.

    The text is put in the form ingestion gives it (`ingest.load.normalise`), so offsets point
    into what the pipeline sees. Relation sentences are filled in: the sentence(s) from the
    first span to the second.
    """
    from .load import normalise

    text = normalise(str(draft.get("text") or ""))
    problems: list[str] = []
    spans: list[dict[str, object]] = []
    for n, raw in enumerate(draft.get("spans") or []):  # type: ignore[union-attr]
        raw = dict(raw)
        if "start" not in raw:
            needle = str(raw.get("text") or "")
            hits = _occurrences(text, needle) if needle else []
            nth = int(raw.get("occurrence") or 1)
            if not hits:
                problems.append(f"span {n} {needle!r}: not found at token boundaries")
                continue
            if nth > len(hits):
                problems.append(
                    f"span {n} {needle!r}: occurrence {nth}, but only {len(hits)} found"
                )
                continue
            raw["start"], raw["end"] = hits[nth - 1], hits[nth - 1] + len(needle)
        raw.pop("occurrence", None)
        spans.append(raw)
    if problems:
        raise CorpusError(f"{draft.get('id')}: " + "; ".join(problems))
    bounds = sentences(text)
    relations = []
    for raw in draft.get("relations") or []:  # type: ignore[union-attr]
        raw = dict(raw)
        if "sentence" not in raw:
            try:
                a, b = spans[int(raw["head"])], spans[int(raw["child"])]
            except (IndexError, KeyError, TypeError, ValueError):
                relations.append(raw)  # parse_record names the problem
                continue
            lo, hi = min(int(a["start"]), int(b["start"])), max(int(a["end"]), int(b["end"]))
            first = next((s for s in bounds if s[0] <= lo < s[1]), (lo, hi))
            last = next((s for s in bounds if s[0] < hi <= s[1]), (lo, hi))
            raw["sentence"] = [first[0], last[1]]
        relations.append(raw)
    return parse_record({**draft, "spans": spans, "relations": relations}, schema)


def rebase(record: Record, text: str) -> Record:
    """The record with its offsets moved onto `text`, an edited form of its text (whitespace).

    Raises CorpusError when an annotated span did not survive the edit unchanged.
    """
    from difflib import SequenceMatcher

    matcher = SequenceMatcher(None, record.text, text, autojunk=False)
    moved: dict[int, int] = {}
    for a, b, size in matcher.get_matching_blocks():
        for k in range(size):
            moved[a + k] = b + k

    def forward(i: int) -> int:
        while i < len(record.text) and i not in moved:
            i += 1
        return moved.get(i, len(text))

    def backward(i: int) -> int:  # an end offset (exclusive)
        while i > 0 and (i - 1) not in moved:
            i -= 1
        return moved[i - 1] + 1 if i > 0 else 0

    spans = []
    for n, span in enumerate(record.spans):
        start, end = forward(span.start), backward(span.end)
        if text[start:end] != record.text[span.start : span.end]:
            raise CorpusError(
                f"{record.id}: span {n} {record.span_text(n)!r} changed in the new text"
            )
        spans.append(Span(start, end, span.label, span.iri, span.value))
    relations = [
        Relation(r.head, r.child, r.label, (forward(r.sentence[0]), backward(r.sentence[1])))
        for r in record.relations
    ]
    return Record(record.id, text, record.meta, spans, relations, record.annotator)


def write_records(records: Iterable[Record], folder: Path = ANNOTATED_DIR) -> list[Path]:
    """One `{id}.jsonl` per record (one line each), so annotators never edit the same file."""
    folder.mkdir(parents=True, exist_ok=True)
    paths = []
    for record in records:
        path = folder / f"{record.id}.jsonl"
        path.write_text(record.to_json() + "\n", encoding="utf-8")
        paths.append(path)
    return paths


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
    "rebase",
    "resolve_draft",
    "sentences",
    "write_records",
]
